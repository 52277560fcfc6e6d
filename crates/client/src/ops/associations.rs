//! Associations between a postal mail and CRM records: the v3 per-object PUT and DELETE, and
//! the v4 labelled, default, delete, list and batch endpoints.

use http::Method;
use hubspot_postal_model::association::{
    AssociatedRecord, AssociationArchive, AssociationCreate, AssociationReadInput,
    AssociationReadResult, AssociationSpec, AssociationTypeId, DefaultAssociation, LabelledType,
    LabelsBetweenObjectPair,
};
use hubspot_postal_model::batch::{BatchInput, BatchResponse};
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::ids::{PostalMailId, RecordId};
use hubspot_postal_model::limits::{
    ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS, ASSOCIATIONS_BATCH_READ_MAX_INPUTS,
};
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paging::Page;
use hubspot_postal_model::paths::{self, V4BatchAction};
use hubspot_postal_model::validation::ValidationError;
use serde::Deserialize;

use super::postal_mail::letter;
use crate::client::Client;
use crate::error::Result;
use crate::execute::Call;
use crate::operations as op;
use crate::query::Query;

const PM: ObjectType = ObjectType::PostalMail;

/// The two records a pair operation addresses, for naming a missing one in its error.
fn pair(id: &PostalMailId, to: &ObjectType, to_id: &RecordId) -> [(ObjectType, String); 2] {
    [letter(id), (to.clone(), to_id.as_str().to_owned())]
}

fn check_size(count: usize, max: usize) -> Result<()> {
    if count > max {
        return Err(ValidationError::BatchTooLarge { count, max }.into());
    }
    Ok(())
}

impl Client {
    /// Associates a postal mail with a record (v3: `PUT …/postal_mail/{id}/associations/{type}/{toId}/{typeId}`).
    /// Associating the same pair twice leaves one association, so this is retried like a read.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::{association::types, ids::*, object_type::ObjectType};
    /// let letter = PostalMailId::new("25727582880")?;
    /// client.associate(&letter, &ObjectType::Contact, &RecordId::new("104901")?, types::POSTAL_MAIL_TO_CONTACT).await?;
    /// # Ok(()) }
    /// ```
    pub async fn associate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<PostalMail> {
        let path = paths::postal_mail_association_v3(id, to, to_id, type_id);
        self.call(Call::new(op::ASSOCIATE_V3, Method::PUT, path))
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// Removes one association type between a postal mail and a record (v3 `DELETE`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::{association::types, object_type::ObjectType};
    /// client.dissociate(&"1001".parse()?, &ObjectType::Company, &"2002".parse()?, types::POSTAL_MAIL_TO_COMPANY).await?;
    /// # Ok(()) }
    /// ```
    pub async fn dissociate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<()> {
        let path = paths::postal_mail_association_v3(id, to, to_id, type_id);
        self.call_empty(Call::new(op::DISSOCIATE_V3, Method::DELETE, path))
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// Sets the labelled associations between a postal mail and a record (v4 `PUT` with a body,
    /// 201). The PUT *replaces* the label set: resend labels you want to keep.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::{association::AssociationSpec, object_type::ObjectType};
    /// let labels = client.association_labels(&ObjectType::Company).await?;
    /// let specs = labels.iter().map(|l| AssociationSpec { association_category: l.category.clone(), association_type_id: l.type_id }).collect();
    /// let pair = client.associate_labelled(&"1001".parse()?, &ObjectType::Company, &"2002".parse()?, specs).await?;
    /// println!("labels now: {:?}", pair.labels);
    /// # Ok(()) }
    /// ```
    pub async fn associate_labelled(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        specs: Vec<AssociationSpec>,
    ) -> Result<LabelsBetweenObjectPair> {
        let path = paths::association_v4(&PM, &id.clone().into(), to, to_id);
        self.call(Call::new(op::ASSOCIATE_LABELLED, Method::PUT, path).json(&specs)?)
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// Creates the default (unlabelled) association (v4 `PUT …/associations/default/…`, 200).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// client.associate_default(&"1001".parse()?, &ObjectType::Deal, &"3003".parse()?).await?;
    /// # Ok(()) }
    /// ```
    pub async fn associate_default(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<BatchResponse<DefaultAssociation>> {
        let path = paths::association_v4_default(&PM, &id.clone().into(), to, to_id);
        self.call(Call::new(op::ASSOCIATE_DEFAULT, Method::PUT, path))
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// Removes every association between a postal mail and a record (v4 `DELETE`, 204).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// client.remove_associations(&"1001".parse()?, &ObjectType::Company, &"2002".parse()?).await?;
    /// # Ok(()) }
    /// ```
    pub async fn remove_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<()> {
        let path = paths::association_v4(&PM, &id.clone().into(), to, to_id);
        self.call_empty(Call::new(op::REMOVE_ASSOCIATIONS, Method::DELETE, path))
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// One page of a postal mail's associations to `to` (v4 list; up to 500 per page).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let page = client.list_associations(&"1001".parse()?, &ObjectType::Contact, None).await?;
    /// for record in &page.results { println!("{} {:?}", record.to_object_id, record.association_types); }
    /// # Ok(()) }
    /// ```
    pub async fn list_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        after: Option<String>,
    ) -> Result<Page<AssociatedRecord>> {
        self.list_associations_of(&PM, &id.clone().into(), to, after.as_deref())
            .await
    }

    /// One page of the associations of any record to `to`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let page = client.list_associations_of(&ObjectType::Contact, &"501".parse()?, &ObjectType::PostalMail, None).await?;
    /// println!("{} letters on this contact", page.results.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_associations_of(
        &self,
        from: &ObjectType,
        from_id: &RecordId,
        to: &ObjectType,
        after: Option<&str>,
    ) -> Result<Page<AssociatedRecord>> {
        let mut q = Query::new();
        q.push_opt("after", after);
        let path = q.finish(paths::association_v4_list(from, from_id, to));
        self.call(Call::new(op::LIST_ASSOCIATIONS, Method::GET, path))
            .await
    }

    /// Creates many labelled associations from postal mail to `to` (v4 `batch/create`, up to 2,000).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::{AssociationCreate, AssociationSpec, ObjectRef, types};
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let input = AssociationCreate {
    ///     from: ObjectRef { id: "1001".parse()? },
    ///     to: ObjectRef { id: "501".parse()? },
    ///     types: vec![AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_CONTACT)],
    /// };
    /// client.batch_associate(&ObjectType::Contact, vec![input]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_associate(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationCreate>,
    ) -> Result<BatchResponse<LabelsBetweenObjectPair>> {
        check_size(inputs.len(), ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS)?;
        let path = paths::association_v4_batch(&PM, to, V4BatchAction::Create);
        self.call(Call::new(op::BATCH_ASSOCIATE, Method::POST, path).json(&BatchInput { inputs })?)
            .await
    }

    /// Reads the associations of many postal mails to `to` (v4 `batch/read`, up to 1,000).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::AssociationReadInput;
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let input = AssociationReadInput { id: "1001".parse()?, after: None };
    /// let read = client.batch_read_associations(&ObjectType::Contact, vec![input]).await?;
    /// println!("{}", read.results.len());
    /// # Ok(()) }
    /// ```
    pub async fn batch_read_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationReadInput>,
    ) -> Result<BatchResponse<AssociationReadResult>> {
        check_size(inputs.len(), ASSOCIATIONS_BATCH_READ_MAX_INPUTS)?;
        let path = paths::association_v4_batch(&PM, to, V4BatchAction::Read);
        self.call(
            Call::new(op::BATCH_READ_ASSOCIATIONS, Method::POST, path)
                .json(&BatchInput { inputs })?,
        )
        .await
    }

    /// Removes all associations between each pair (v4 `batch/archive`, 204).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::{AssociationArchive, ObjectRef};
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let input = AssociationArchive { from: ObjectRef { id: "1001".parse()? }, to: vec![ObjectRef { id: "501".parse()? }] };
    /// client.batch_remove_associations(&ObjectType::Contact, vec![input]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_remove_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationArchive>,
    ) -> Result<()> {
        check_size(inputs.len(), ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS)?;
        let path = paths::association_v4_batch(&PM, to, V4BatchAction::Archive);
        self.call_empty(
            Call::new(op::BATCH_REMOVE_ASSOCIATIONS, Method::POST, path)
                .json(&BatchInput { inputs })?,
        )
        .await
    }

    /// The association types (with labels) from postal mail to `to`.
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// for label in client.association_labels(&ObjectType::Contact).await? {
    ///     println!("{} {:?}", label.type_id, label.label);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn association_labels(&self, to: &ObjectType) -> Result<Vec<LabelledType>> {
        #[derive(Deserialize)]
        struct Labels {
            results: Vec<LabelledType>,
        }
        let path = paths::association_v4_labels(&PM, to);
        let labels: Labels = self
            .call(Call::new(op::ASSOCIATION_LABELS, Method::GET, path))
            .await?;
        Ok(labels.results)
    }
}

//! Associations between a postal mail and CRM records: the v3 per-object PUT and DELETE, and
//! the v4 labelled, default, delete, list and batch endpoints.

use hubspot_postal_model::association::AssociationReadInput;
use hubspot_postal_model::association::{
    AssociatedRecord, AssociationSpec, AssociationTypeId, DefaultAssociation, LabelledType,
    LabelsBetweenObjectPair,
};
use hubspot_postal_model::batch::{BatchInput, BatchResponse};
use hubspot_postal_model::endpoints::{self, Segment};
use hubspot_postal_model::engagement::PostalMail;
use hubspot_postal_model::ids::{PostalMailId, RecordId};
use hubspot_postal_model::limits::ASSOCIATIONS_LIST_PAGE_SIZE;
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paging::Page;
use hubspot_postal_model::validation::ValidationError;
use serde::Deserialize;

use super::postal_mail::{item, letter};
use crate::client::Client;
use crate::error::{ApiError, Error, Result};
use crate::options::AssociationListOptions;
use crate::query::Query;

pub(super) const PM: ObjectType = ObjectType::PostalMail;

/// The two records a pair operation addresses, for naming a missing one in its error.
fn pair(id: &PostalMailId, to: &ObjectType, to_id: &RecordId) -> [(ObjectType, String); 2] {
    [letter(id), (to.clone(), to_id.as_str().to_owned())]
}

/// The path arguments of a v4 pair path from a postal mail.
fn pair_args<'a>(
    id: &'a PostalMailId,
    to: &'a ObjectType,
    to_id: &'a RecordId,
) -> [(&'static str, Segment<'a>); 4] {
    [
        ("objectType", Segment::plural(&PM)),
        ("objectId", Segment::from(id)),
        ("toObjectType", Segment::plural(to)),
        ("toObjectId", Segment::from(to_id)),
    ]
}

/// The path arguments of the v3 per-object association path.
fn v3_args<'a>(
    id: &'a PostalMailId,
    to: &'a ObjectType,
    to_id: &'a RecordId,
    type_id: AssociationTypeId,
) -> [(&'static str, Segment<'a>); 4] {
    [
        item(id),
        ("toObjectType", Segment::singular(to)),
        ("toObjectId", Segment::from(to_id)),
        ("associationTypeId", Segment::from(type_id)),
    ]
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
        let call = self.call_to(
            &endpoints::ASSOCIATE_V3,
            &v3_args(id, to, to_id, type_id),
            None,
        )?;
        self.call(call)
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
        let call = self.call_to(
            &endpoints::DISSOCIATE_V3,
            &v3_args(id, to, to_id, type_id),
            None,
        )?;
        self.call_empty(call)
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
        let call = self.call_to(
            &endpoints::ASSOCIATE_LABELLED,
            &pair_args(id, to, to_id),
            None,
        )?;
        self.call(call.json(&specs)?)
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
        let call = self.call_to(
            &endpoints::ASSOCIATE_DEFAULT,
            &pair_args(id, to, to_id),
            None,
        )?;
        self.call(call)
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
        let call = self.call_to(
            &endpoints::REMOVE_ASSOCIATIONS,
            &pair_args(id, to, to_id),
            None,
        )?;
        self.call_empty(call)
            .await
            .map_err(|e| e.naming_missing(&pair(id, to, to_id)))
    }

    /// One page of a postal mail's associations to `to`, up to 500 per page.
    ///
    /// Versions with the association listing (`v3`'s v4 path, `2025-09`, `2026-09-beta`) use
    /// it; `2026-03` and `2026-09` have no listing, so the page comes from a v4 batch read of
    /// this one record (its `limit` is HubSpot's to choose there). A record with no
    /// associations gives an empty page; a record that does not exist, [`Error::NotFound`].
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::AssociationListOptions;
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let options = AssociationListOptions::new().limit(100);
    /// let page = client.list_associations(&"1001".parse()?, &ObjectType::Contact, &options).await?;
    /// for record in &page.results { println!("{} {:?}", record.to_object_id, record.association_types); }
    /// # Ok(()) }
    /// ```
    pub async fn list_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        options: &AssociationListOptions,
    ) -> Result<Page<AssociatedRecord>> {
        self.list_associations_of(&PM, &id.clone().into(), to, options)
            .await
    }

    /// One page of the associations of any record to `to`; see
    /// [`list_associations`](Self::list_associations).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::AssociationListOptions;
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let page = client.list_associations_of(&ObjectType::Contact, &"501".parse()?, &ObjectType::PostalMail, &AssociationListOptions::new()).await?;
    /// println!("{} letters on this contact", page.results.len());
    /// # Ok(()) }
    /// ```
    pub async fn list_associations_of(
        &self,
        from: &ObjectType,
        from_id: &RecordId,
        to: &ObjectType,
        options: &AssociationListOptions,
    ) -> Result<Page<AssociatedRecord>> {
        let addressed = || vec![(from.clone(), from_id.as_str().to_owned())];
        if let Some(limit) = options.limit
            && (limit == 0 || limit > ASSOCIATIONS_LIST_PAGE_SIZE)
        {
            return Err(ValidationError::PageSize {
                limit,
                max: ASSOCIATIONS_LIST_PAGE_SIZE,
            }
            .into());
        }
        if endpoints::LIST_ASSOCIATIONS
            .template(self.api_version())
            .is_none()
        {
            return self.list_by_batch_read(from, from_id, to, options).await;
        }
        let mut q = Query::new();
        if let Some(limit) = options.limit {
            q.push("limit", &limit.to_string());
        }
        q.push_opt("after", options.after.as_deref());
        let args = [
            ("objectType", Segment::plural(from)),
            ("objectId", Segment::from(from_id)),
            ("toObjectType", Segment::plural(to)),
        ];
        let call = self.call_to(&endpoints::LIST_ASSOCIATIONS, &args, Some(&q))?;
        self.call(call)
            .await
            .map_err(|e| e.naming_missing(&addressed()))
    }

    /// The listing for versions without it: a v4 batch read of the one record.
    async fn list_by_batch_read(
        &self,
        from: &ObjectType,
        from_id: &RecordId,
        to: &ObjectType,
        options: &AssociationListOptions,
    ) -> Result<Page<AssociatedRecord>> {
        let body = BatchInput {
            inputs: vec![AssociationReadInput {
                id: from_id.clone(),
                after: options.after.clone(),
            }],
        };
        let read: BatchResponse<hubspot_postal_model::association::AssociationReadResult> = self
            .call(
                self.call_to(
                    &endpoints::BATCH_READ_ASSOCIATIONS,
                    &super::association_batch::types_args(from, to),
                    None,
                )?
                .json(&body)?,
            )
            .await?;
        if let Some(found) = read.results.into_iter().find(|r| &r.from.id == from_id) {
            return Ok(Page {
                results: found.to,
                paging: found.paging,
            });
        }
        // Not among the results: HubSpot leaves out a record with no associations, and
        // reports one that does not exist in `errors`.
        let operation = endpoints::BATCH_READ_ASSOCIATIONS.name();
        let missing = read
            .errors
            .iter()
            .flatten()
            .map(|e| ApiError::of_item(operation, 207, e))
            .find(|e| e.is_not_found() && e.mentions(from_id.as_str()));
        if let Some(api) = missing {
            return Err(Error::NotFound {
                object_type: from.clone(),
                id: from_id.as_str().to_owned(),
                api: Box::new(api),
            });
        }
        Ok(Page {
            results: Vec::new(),
            paging: None,
        })
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
        let call = self.call_to(
            &endpoints::ASSOCIATION_LABELS,
            &super::association_batch::types_args(&PM, to),
            None,
        )?;
        let labels: Labels = self.call(call).await?;
        Ok(labels.results)
    }
}

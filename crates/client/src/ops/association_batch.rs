//! Association batches between postal mail and another object type: the v4 batch endpoints
//! (create, read, archive, label archive, default) and the legacy v3 ones (create, read,
//! archive, with v3 type names such as `postal_mail_to_contact`).

use hubspot_postal_model::association::{
    AssociationArchive, AssociationCreate, AssociationPair, AssociationReadInput,
    AssociationReadResult, DefaultAssociation, LabelsBetweenObjectPair, V3Association,
    V3AssociationReadResult,
};
use hubspot_postal_model::batch::{BatchId, BatchInput, BatchResponse};
use hubspot_postal_model::endpoints::{self, Endpoint, Segment};
use hubspot_postal_model::ids::PostalMailId;
use hubspot_postal_model::limits::{
    ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS, ASSOCIATIONS_BATCH_READ_MAX_INPUTS,
};
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::validation::ValidationError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::associations::PM;
use crate::client::Client;
use crate::error::Result;

/// The `{fromObjectType}/{toObjectType}` arguments of the association batch and label paths.
pub(super) fn types_args<'a>(
    from: &'a ObjectType,
    to: &'a ObjectType,
) -> [(&'static str, Segment<'a>); 2] {
    [
        ("fromObjectType", Segment::plural(from)),
        ("toObjectType", Segment::plural(to)),
    ]
}

impl Client {
    /// Checks the size, then sends `inputs` to the batch row `endpoint` from postal mail to `to`.
    async fn association_batch<I: Serialize, R: DeserializeOwned>(
        &self,
        endpoint: &'static Endpoint,
        to: &ObjectType,
        inputs: Vec<I>,
        max: usize,
    ) -> Result<R> {
        let call = self.association_batch_call(endpoint, to, inputs, max)?;
        self.call(call).await
    }

    /// [`association_batch`](Self::association_batch) for the endpoints that answer 204.
    async fn association_batch_empty<I: Serialize>(
        &self,
        endpoint: &'static Endpoint,
        to: &ObjectType,
        inputs: Vec<I>,
        max: usize,
    ) -> Result<()> {
        let call = self.association_batch_call(endpoint, to, inputs, max)?;
        self.call_empty(call).await
    }

    fn association_batch_call<I: Serialize>(
        &self,
        endpoint: &'static Endpoint,
        to: &ObjectType,
        inputs: Vec<I>,
        max: usize,
    ) -> Result<crate::execute::Call> {
        if inputs.len() > max {
            return Err(ValidationError::BatchTooLarge {
                count: inputs.len(),
                max,
            }
            .into());
        }
        self.call_to(endpoint, &types_args(&PM, to), None)?
            .json(&BatchInput { inputs })
    }

    /// Creates many labelled associations from postal mail to `to` (v4 `batch/create`, up to
    /// 2,000). Adds the types; labels already between a pair stay.
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
        self.association_batch(
            &endpoints::BATCH_ASSOCIATE,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
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
        self.association_batch(
            &endpoints::BATCH_READ_ASSOCIATIONS,
            to,
            inputs,
            ASSOCIATIONS_BATCH_READ_MAX_INPUTS,
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
        self.association_batch_empty(
            &endpoints::BATCH_REMOVE_ASSOCIATIONS,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
        .await
    }

    /// Removes the given association types (labels) between each pair and leaves the others
    /// (v4 `batch/labels/archive`, 204).
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
    /// client.batch_remove_association_labels(&ObjectType::Contact, vec![input]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_remove_association_labels(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationCreate>,
    ) -> Result<()> {
        self.association_batch_empty(
            &endpoints::BATCH_REMOVE_ASSOCIATION_LABELS,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
        .await
    }

    /// Associates each pair with the default (unlabelled) type (v4
    /// `batch/associate/default`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::{AssociationPair, ObjectRef};
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let pair = AssociationPair { from: ObjectRef { id: "1001".parse()? }, to: ObjectRef { id: "501".parse()? } };
    /// client.batch_associate_default(&ObjectType::Contact, vec![pair]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn batch_associate_default(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationPair>,
    ) -> Result<BatchResponse<DefaultAssociation>> {
        self.association_batch(
            &endpoints::BATCH_ASSOCIATE_DEFAULT,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
        .await
    }

    /// Creates associations with v3 type names (`/crm/v3/associations/postal_mail/{to}/batch/create`;
    /// only in [`ApiVersion::V3`](hubspot_postal_model::endpoints::ApiVersion::V3)).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::{ObjectRef, V3Association};
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let a = V3Association { from: ObjectRef { id: "1001".parse()? }, to: ObjectRef { id: "501".parse()? }, kind: "postal_mail_to_contact".into() };
    /// client.v3_batch_associate(&ObjectType::Contact, vec![a]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn v3_batch_associate(
        &self,
        to: &ObjectType,
        inputs: Vec<V3Association>,
    ) -> Result<BatchResponse<V3Association>> {
        self.association_batch(
            &endpoints::V3_BATCH_ASSOCIATE,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
        .await
    }

    /// Reads the associations of postal mails with v3 type names (v3 `batch/read`; only in
    /// `V3`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let read = client.v3_batch_read_associations(&ObjectType::Contact, vec!["1001".parse()?]).await?;
    /// println!("{}", read.results.len());
    /// # Ok(()) }
    /// ```
    pub async fn v3_batch_read_associations(
        &self,
        to: &ObjectType,
        ids: Vec<PostalMailId>,
    ) -> Result<BatchResponse<V3AssociationReadResult>> {
        let inputs: Vec<BatchId> = ids
            .iter()
            .map(|id| BatchId { id: id.to_string() })
            .collect();
        self.association_batch(
            &endpoints::V3_BATCH_READ_ASSOCIATIONS,
            to,
            inputs,
            ASSOCIATIONS_BATCH_READ_MAX_INPUTS,
        )
        .await
    }

    /// Removes associations by v3 type name (v3 `batch/archive`, 204; only in `V3`).
    ///
    /// ```no_run
    /// # async fn run(client: hubspot_postal::Client) -> Result<(), Box<dyn std::error::Error>> {
    /// use hubspot_postal::model::association::{ObjectRef, V3Association};
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let a = V3Association { from: ObjectRef { id: "1001".parse()? }, to: ObjectRef { id: "501".parse()? }, kind: "postal_mail_to_contact".into() };
    /// client.v3_batch_remove_associations(&ObjectType::Contact, vec![a]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn v3_batch_remove_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<V3Association>,
    ) -> Result<()> {
        self.association_batch_empty(
            &endpoints::V3_BATCH_REMOVE_ASSOCIATIONS,
            to,
            inputs,
            ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS,
        )
        .await
    }
}

//! Associations between a postal mail and CRM records: v3 per-object, v4 labelled, default,
//! list and batch.

use hubspot_postal::Result;
use hubspot_postal::model::association::{
    AssociatedRecord, AssociationArchive, AssociationCreate, AssociationReadInput,
    AssociationReadResult, AssociationSpec, AssociationTypeId, DefaultAssociation, LabelledType,
    LabelsBetweenObjectPair,
};
use hubspot_postal::model::batch::BatchResponse;
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::paging::Page;

use crate::client::Client;

impl Client {
    /// Associates a postal mail with a record (v3). See [`hubspot_postal::Client::associate`].
    pub fn associate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<PostalMail> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("associate", async move {
            client.associate(&id, &to, &to_id, type_id).await
        })
    }

    /// Removes one association type (v3). See [`hubspot_postal::Client::dissociate`].
    pub fn dissociate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<()> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("dissociate", async move {
            client.dissociate(&id, &to, &to_id, type_id).await
        })
    }

    /// Sets the labelled associations between a postal mail and a record (v4; replaces the
    /// label set). See [`hubspot_postal::Client::associate_labelled`].
    pub fn associate_labelled(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        specs: Vec<AssociationSpec>,
    ) -> Result<LabelsBetweenObjectPair> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("associate_labelled", async move {
            client.associate_labelled(&id, &to, &to_id, specs).await
        })
    }

    /// Creates the default association (v4). See
    /// [`hubspot_postal::Client::associate_default`].
    pub fn associate_default(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<BatchResponse<DefaultAssociation>> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("associate_default", async move {
            client.associate_default(&id, &to, &to_id).await
        })
    }

    /// Removes every association between a postal mail and a record (v4). See
    /// [`hubspot_postal::Client::remove_associations`].
    pub fn remove_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<()> {
        let (client, id, to, to_id) = (self.inner(), id.clone(), to.clone(), to_id.clone());
        self.run("remove_associations", async move {
            client.remove_associations(&id, &to, &to_id).await
        })
    }

    /// One page of a postal mail's associations to `to`. See
    /// [`hubspot_postal::Client::list_associations`].
    pub fn list_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        after: Option<String>,
    ) -> Result<Page<AssociatedRecord>> {
        let (client, id, to) = (self.inner(), id.clone(), to.clone());
        self.run("list_associations", async move {
            client.list_associations(&id, &to, after).await
        })
    }

    /// One page of the associations of any record to `to`. See
    /// [`hubspot_postal::Client::list_associations_of`].
    pub fn list_associations_of(
        &self,
        from: &ObjectType,
        from_id: &RecordId,
        to: &ObjectType,
        after: Option<&str>,
    ) -> Result<Page<AssociatedRecord>> {
        let client = self.inner();
        let (from, from_id, to) = (from.clone(), from_id.clone(), to.clone());
        let after = after.map(str::to_owned);
        self.run("list_associations_of", async move {
            client
                .list_associations_of(&from, &from_id, &to, after.as_deref())
                .await
        })
    }

    /// Creates many labelled associations (v4 batch). See
    /// [`hubspot_postal::Client::batch_associate`].
    pub fn batch_associate(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationCreate>,
    ) -> Result<BatchResponse<LabelsBetweenObjectPair>> {
        let (client, to) = (self.inner(), to.clone());
        self.run("batch_associate", async move {
            client.batch_associate(&to, inputs).await
        })
    }

    /// Reads the associations of many postal mails (v4 batch). See
    /// [`hubspot_postal::Client::batch_read_associations`].
    pub fn batch_read_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationReadInput>,
    ) -> Result<BatchResponse<AssociationReadResult>> {
        let (client, to) = (self.inner(), to.clone());
        self.run("batch_read_associations", async move {
            client.batch_read_associations(&to, inputs).await
        })
    }

    /// Removes all associations between each pair (v4 batch). See
    /// [`hubspot_postal::Client::batch_remove_associations`].
    pub fn batch_remove_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationArchive>,
    ) -> Result<()> {
        let (client, to) = (self.inner(), to.clone());
        self.run("batch_remove_associations", async move {
            client.batch_remove_associations(&to, inputs).await
        })
    }

    /// The association types (with labels) from postal mail to `to`. See
    /// [`hubspot_postal::Client::association_labels`].
    pub fn association_labels(&self, to: &ObjectType) -> Result<Vec<LabelledType>> {
        let (client, to) = (self.inner(), to.clone());
        self.run("association_labels", async move {
            client.association_labels(&to).await
        })
    }
}

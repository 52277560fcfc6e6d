//! `PostalMailApi`: the postal mail API as a trait, implemented by [`crate::Client`], so that a
//! service can depend on the trait and mock it in its own tests (feature `mock` gives
//! `MockPostalMailApi`).

use async_trait::async_trait;
use hubspot_postal_model::association::{
    AssociatedRecord, AssociationArchive, AssociationCreate, AssociationReadInput,
    AssociationReadResult, AssociationSpec, AssociationTypeId, DefaultAssociation, LabelledType,
    LabelsBetweenObjectPair,
};
use hubspot_postal_model::batch::BatchResponse;
use hubspot_postal_model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpdatePostalMail, UpsertPostalMail,
    UpsertedPostalMail,
};
use hubspot_postal_model::ids::{PostalMailId, RecordId};
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paging::{Page, SearchPage};
use hubspot_postal_model::pin::{Pin, PinTarget};
use hubspot_postal_model::record::Record;
use hubspot_postal_model::search::SearchRequest;

use crate::client::Client;
use crate::error::Result;
use crate::options::{BatchReadOptions, GetOptions, ListOptions};
use crate::outcome::BatchOutcome;

/// Every postal mail operation. See the methods of [`Client`] of the same names for what each
/// sends and returns.
///
/// ```
/// # #[cfg(feature = "mock")] {
/// use hubspot_postal::{MockPostalMailApi, PostalMailApi};
/// use hubspot_postal::model::ids::PostalMailId;
/// let mut api = MockPostalMailApi::new();
/// api.expect_archive().returning(|_| Ok(()));
/// # let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// rt.block_on(async { api.archive(&PostalMailId::new("1").unwrap()).await.unwrap() });
/// # }
/// ```
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait PostalMailApi: Send + Sync {
    /// See [`Client::create`].
    async fn create(&self, input: CreatePostalMail) -> Result<PostalMail>;
    /// See [`Client::get`].
    async fn get(&self, id: &PostalMailId, options: &GetOptions) -> Result<PostalMail>;
    /// See [`Client::get_by_unique`].
    async fn get_by_unique(
        &self,
        id_property: &str,
        value: &str,
        options: &GetOptions,
    ) -> Result<PostalMail>;
    /// See [`Client::update`].
    async fn update(&self, id: &PostalMailId, update: UpdatePostalMail) -> Result<PostalMail>;
    /// See [`Client::archive`].
    async fn archive(&self, id: &PostalMailId) -> Result<()>;
    /// See [`Client::list_page`].
    async fn list_page(&self, options: &ListOptions) -> Result<Page<PostalMail>>;
    /// See [`Client::batch_create`].
    async fn batch_create(&self, inputs: Vec<CreatePostalMail>)
    -> Result<BatchOutcome<PostalMail>>;
    /// See [`Client::batch_read`].
    async fn batch_read(
        &self,
        ids: Vec<PostalMailId>,
        options: &BatchReadOptions,
    ) -> Result<BatchOutcome<PostalMail>>;
    /// See [`Client::batch_update`].
    async fn batch_update(&self, inputs: Vec<BatchUpdateItem>) -> Result<BatchOutcome<PostalMail>>;
    /// See [`Client::batch_upsert`].
    async fn batch_upsert(
        &self,
        inputs: Vec<UpsertPostalMail>,
    ) -> Result<BatchOutcome<UpsertedPostalMail>>;
    /// See [`Client::batch_archive`].
    async fn batch_archive(&self, ids: Vec<PostalMailId>) -> Result<BatchOutcome<()>>;
    /// See [`Client::search_page`].
    async fn search_page(&self, request: &SearchRequest) -> Result<SearchPage<PostalMail>>;
    /// See [`Client::associate`].
    async fn associate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<PostalMail>;
    /// See [`Client::dissociate`].
    async fn dissociate(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        type_id: AssociationTypeId,
    ) -> Result<()>;
    /// See [`Client::associate_labelled`].
    async fn associate_labelled(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
        specs: Vec<AssociationSpec>,
    ) -> Result<LabelsBetweenObjectPair>;
    /// See [`Client::associate_default`].
    async fn associate_default(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<BatchResponse<DefaultAssociation>>;
    /// See [`Client::remove_associations`].
    async fn remove_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        to_id: &RecordId,
    ) -> Result<()>;
    /// See [`Client::list_associations`].
    async fn list_associations(
        &self,
        id: &PostalMailId,
        to: &ObjectType,
        after: Option<String>,
    ) -> Result<Page<AssociatedRecord>>;
    /// See [`Client::batch_associate`].
    async fn batch_associate(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationCreate>,
    ) -> Result<BatchResponse<LabelsBetweenObjectPair>>;
    /// See [`Client::batch_read_associations`].
    async fn batch_read_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationReadInput>,
    ) -> Result<BatchResponse<AssociationReadResult>>;
    /// See [`Client::batch_remove_associations`].
    async fn batch_remove_associations(
        &self,
        to: &ObjectType,
        inputs: Vec<AssociationArchive>,
    ) -> Result<()>;
    /// See [`Client::association_labels`].
    async fn association_labels(&self, to: &ObjectType) -> Result<Vec<LabelledType>>;
    /// See [`Client::pin`].
    async fn pin(&self, pin: &Pin) -> Result<Record>;
    /// See [`Client::unpin`].
    async fn unpin(&self, target: &PinTarget) -> Result<Record>;
    /// See [`Client::pinned`].
    async fn pinned(&self, target: &PinTarget) -> Result<Option<PostalMailId>>;
    /// See [`Client::get_record`].
    async fn get_record(
        &self,
        object_type: &ObjectType,
        id: &RecordId,
        properties: &[String],
    ) -> Result<Record>;
}

/// Forwards each trait method to the inherent method of the same name.
macro_rules! forward {
    ($($name:ident($($arg:ident: $ty:ty),*) -> $ret:ty;)*) => {
        #[async_trait]
        impl PostalMailApi for Client {
            $(async fn $name(&self, $($arg: $ty),*) -> $ret { Client::$name(self, $($arg),*).await })*
        }
    };
}

forward! {
    create(input: CreatePostalMail) -> Result<PostalMail>;
    get(id: &PostalMailId, options: &GetOptions) -> Result<PostalMail>;
    get_by_unique(id_property: &str, value: &str, options: &GetOptions) -> Result<PostalMail>;
    update(id: &PostalMailId, update: UpdatePostalMail) -> Result<PostalMail>;
    archive(id: &PostalMailId) -> Result<()>;
    list_page(options: &ListOptions) -> Result<Page<PostalMail>>;
    batch_create(inputs: Vec<CreatePostalMail>) -> Result<BatchOutcome<PostalMail>>;
    batch_read(ids: Vec<PostalMailId>, options: &BatchReadOptions) -> Result<BatchOutcome<PostalMail>>;
    batch_update(inputs: Vec<BatchUpdateItem>) -> Result<BatchOutcome<PostalMail>>;
    batch_upsert(inputs: Vec<UpsertPostalMail>) -> Result<BatchOutcome<UpsertedPostalMail>>;
    batch_archive(ids: Vec<PostalMailId>) -> Result<BatchOutcome<()>>;
    search_page(request: &SearchRequest) -> Result<SearchPage<PostalMail>>;
    associate(id: &PostalMailId, to: &ObjectType, to_id: &RecordId, type_id: AssociationTypeId) -> Result<PostalMail>;
    dissociate(id: &PostalMailId, to: &ObjectType, to_id: &RecordId, type_id: AssociationTypeId) -> Result<()>;
    associate_labelled(id: &PostalMailId, to: &ObjectType, to_id: &RecordId, specs: Vec<AssociationSpec>) -> Result<LabelsBetweenObjectPair>;
    associate_default(id: &PostalMailId, to: &ObjectType, to_id: &RecordId) -> Result<BatchResponse<DefaultAssociation>>;
    remove_associations(id: &PostalMailId, to: &ObjectType, to_id: &RecordId) -> Result<()>;
    list_associations(id: &PostalMailId, to: &ObjectType, after: Option<String>) -> Result<Page<AssociatedRecord>>;
    batch_associate(to: &ObjectType, inputs: Vec<AssociationCreate>) -> Result<BatchResponse<LabelsBetweenObjectPair>>;
    batch_read_associations(to: &ObjectType, inputs: Vec<AssociationReadInput>) -> Result<BatchResponse<AssociationReadResult>>;
    batch_remove_associations(to: &ObjectType, inputs: Vec<AssociationArchive>) -> Result<()>;
    association_labels(to: &ObjectType) -> Result<Vec<LabelledType>>;
    pin(pin: &Pin) -> Result<Record>;
    unpin(target: &PinTarget) -> Result<Record>;
    pinned(target: &PinTarget) -> Result<Option<PostalMailId>>;
    get_record(object_type: &ObjectType, id: &RecordId, properties: &[String]) -> Result<Record>;
}

//! The list of the client's operations, written once: each entry names the method, its typed
//! request, the endpoint-table row it sends to, its parameters (as the method takes them, and
//! as the request owns them) and its result.
//!
//! Three things are generated from it, so that none is written by hand per operation: the
//! request types of [`crate::requests`], the [`PostalMailApi`](crate::PostalMailApi) trait
//! with its implementation for [`Client`](crate::Client), and the blocking client's methods
//! (`hubspot-postal-blocking` calls this macro with its own generator). The async methods
//! themselves, with their documentation, are in `ops/`.
//!
//! Grammar of an entry:
//!
//! ```text
//! /// summary
//! method: RequestType => [TABLE_ROW] (param: [type as the method takes it] owned type, …)
//!     -> Output [, reconcile field] [, repeat_safe_if field];
//! ```
//!
//! A parameter taken by reference (`[&T]`) is owned as `T::Owned`; `reconcile` names the field
//! holding the letters to reconcile when a call is cut off; `repeat_safe_if` names a `bool`
//! field that says whether a raw request may be repeated.

/// Calls `$callback!` with every operation entry. Not a public API: used by this crate and by
/// `hubspot-postal-blocking`.
#[doc(hidden)]
#[macro_export]
macro_rules! __operations {
    ($callback:ident) => {
        $callback! {
            /// Logs a letter.
            create: Create => [CREATE] (input: [$crate::model::engagement::CreatePostalMail] $crate::model::engagement::CreatePostalMail)
                -> $crate::model::engagement::PostalMail, reconcile input;
            /// Reads one postal mail.
            get: Get => [GET] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, options: [&$crate::GetOptions] $crate::GetOptions)
                -> $crate::model::engagement::PostalMail;
            /// Reads one postal mail by a unique property.
            get_by_unique: GetByUnique => [GET] (id_property: [&str] ::std::string::String, value: [&str] ::std::string::String, options: [&$crate::GetOptions] $crate::GetOptions)
                -> $crate::model::engagement::PostalMail;
            /// Updates a postal mail's properties.
            update: Update => [UPDATE] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, update: [$crate::model::engagement::UpdatePostalMail] $crate::model::engagement::UpdatePostalMail)
                -> $crate::model::engagement::PostalMail;
            /// Moves a postal mail to the recycling bin.
            archive: Archive => [ARCHIVE] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId) -> ();
            /// One page of postal mail.
            list_page: ListPage => [LIST] (options: [&$crate::ListOptions] $crate::ListOptions)
                -> $crate::model::paging::Page<$crate::model::engagement::PostalMail>;
            /// One page of search results.
            search_page: SearchPage => [SEARCH] (request: [&$crate::model::search::SearchRequest] $crate::model::search::SearchRequest)
                -> $crate::model::paging::SearchPage<$crate::model::engagement::PostalMail>;
            /// Logs any number of letters, in batches.
            batch_create: BatchCreate => [BATCH_CREATE] (inputs: [::std::vec::Vec<$crate::model::engagement::CreatePostalMail>] ::std::vec::Vec<$crate::model::engagement::CreatePostalMail>)
                -> $crate::BatchOutcome<$crate::model::engagement::PostalMail>, reconcile inputs;
            /// Reads any number of postal mails, in batches.
            batch_read: BatchRead => [BATCH_READ] (ids: [::std::vec::Vec<$crate::model::ids::PostalMailId>] ::std::vec::Vec<$crate::model::ids::PostalMailId>, options: [&$crate::BatchReadOptions] $crate::BatchReadOptions)
                -> $crate::BatchOutcome<$crate::model::engagement::PostalMail>;
            /// Updates any number of postal mails, in batches.
            batch_update: BatchUpdate => [BATCH_UPDATE] (inputs: [::std::vec::Vec<$crate::model::engagement::BatchUpdateItem>] ::std::vec::Vec<$crate::model::engagement::BatchUpdateItem>)
                -> $crate::BatchOutcome<$crate::model::engagement::PostalMail>;
            /// Creates or updates postal mails by a unique property, in batches.
            batch_upsert: BatchUpsert => [BATCH_UPSERT] (inputs: [::std::vec::Vec<$crate::model::engagement::UpsertPostalMail>] ::std::vec::Vec<$crate::model::engagement::UpsertPostalMail>)
                -> $crate::BatchOutcome<$crate::model::engagement::UpsertedPostalMail>;
            /// Archives any number of postal mails, in batches.
            batch_archive: BatchArchive => [BATCH_ARCHIVE] (ids: [::std::vec::Vec<$crate::model::ids::PostalMailId>] ::std::vec::Vec<$crate::model::ids::PostalMailId>)
                -> $crate::BatchOutcome<()>;
            /// Merges a postal mail into another.
            merge: Merge => [MERGE] (primary: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to_merge: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId)
                -> $crate::model::engagement::PostalMail;
            /// Deletes a postal mail permanently (GDPR).
            gdpr_delete: GdprDelete => [GDPR_DELETE] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId) -> ();
            /// Associates a postal mail with a record (v3).
            associate: Associate => [ASSOCIATE_V3] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId, type_id: [$crate::model::association::AssociationTypeId] $crate::model::association::AssociationTypeId)
                -> $crate::model::engagement::PostalMail;
            /// Removes one association type between a postal mail and a record (v3).
            dissociate: Dissociate => [DISSOCIATE_V3] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId, type_id: [$crate::model::association::AssociationTypeId] $crate::model::association::AssociationTypeId)
                -> ();
            /// Sets the labelled associations between a postal mail and a record.
            associate_labelled: AssociateLabelled => [ASSOCIATE_LABELLED] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId, specs: [::std::vec::Vec<$crate::model::association::AssociationSpec>] ::std::vec::Vec<$crate::model::association::AssociationSpec>)
                -> $crate::model::association::LabelsBetweenObjectPair;
            /// Creates the default association between a postal mail and a record.
            associate_default: AssociateDefault => [ASSOCIATE_DEFAULT] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId)
                -> $crate::model::batch::BatchResponse<$crate::model::association::DefaultAssociation>;
            /// Removes every association between a postal mail and a record.
            remove_associations: RemoveAssociations => [REMOVE_ASSOCIATIONS] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId)
                -> ();
            /// One page of a postal mail's associations to an object type.
            list_associations: ListAssociations => [LIST_ASSOCIATIONS] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, options: [&$crate::AssociationListOptions] $crate::AssociationListOptions)
                -> $crate::model::paging::Page<$crate::model::association::AssociatedRecord>;
            /// One page of any record's associations to an object type.
            list_associations_of: ListAssociationsOf => [LIST_ASSOCIATIONS] (from: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, from_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, options: [&$crate::AssociationListOptions] $crate::AssociationListOptions)
                -> $crate::model::paging::Page<$crate::model::association::AssociatedRecord>;
            /// Creates many labelled associations (v4 batch).
            batch_associate: BatchAssociate => [BATCH_ASSOCIATE] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::AssociationCreate>] ::std::vec::Vec<$crate::model::association::AssociationCreate>)
                -> $crate::model::batch::BatchResponse<$crate::model::association::LabelsBetweenObjectPair>;
            /// Reads the associations of many postal mails (v4 batch).
            batch_read_associations: BatchReadAssociations => [BATCH_READ_ASSOCIATIONS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::AssociationReadInput>] ::std::vec::Vec<$crate::model::association::AssociationReadInput>)
                -> $crate::model::batch::BatchResponse<$crate::model::association::AssociationReadResult>;
            /// Removes every association of each pair (v4 batch).
            batch_remove_associations: BatchRemoveAssociations => [BATCH_REMOVE_ASSOCIATIONS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::AssociationArchive>] ::std::vec::Vec<$crate::model::association::AssociationArchive>)
                -> ();
            /// Removes given association types of each pair (v4 batch).
            batch_remove_association_labels: BatchRemoveAssociationLabels => [BATCH_REMOVE_ASSOCIATION_LABELS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::AssociationCreate>] ::std::vec::Vec<$crate::model::association::AssociationCreate>)
                -> ();
            /// Associates each pair with the default type (v4 batch).
            batch_associate_default: BatchAssociateDefault => [BATCH_ASSOCIATE_DEFAULT] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::AssociationPair>] ::std::vec::Vec<$crate::model::association::AssociationPair>)
                -> $crate::model::batch::BatchResponse<$crate::model::association::DefaultAssociation>;
            /// Creates associations by v3 type name (v3 batch).
            v3_batch_associate: V3BatchAssociate => [V3_BATCH_ASSOCIATE] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::V3Association>] ::std::vec::Vec<$crate::model::association::V3Association>)
                -> $crate::model::batch::BatchResponse<$crate::model::association::V3Association>;
            /// Reads associations with v3 type names (v3 batch).
            v3_batch_read_associations: V3BatchReadAssociations => [V3_BATCH_READ_ASSOCIATIONS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, ids: [::std::vec::Vec<$crate::model::ids::PostalMailId>] ::std::vec::Vec<$crate::model::ids::PostalMailId>)
                -> $crate::model::batch::BatchResponse<$crate::model::association::V3AssociationReadResult>;
            /// Removes associations by v3 type name (v3 batch).
            v3_batch_remove_associations: V3BatchRemoveAssociations => [V3_BATCH_REMOVE_ASSOCIATIONS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, inputs: [::std::vec::Vec<$crate::model::association::V3Association>] ::std::vec::Vec<$crate::model::association::V3Association>)
                -> ();
            /// The association types (with labels) from postal mail to an object type.
            association_labels: AssociationLabels => [ASSOCIATION_LABELS] (to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType)
                -> ::std::vec::Vec<$crate::model::association::LabelledType>;
            /// Reads a contact, company, deal or ticket.
            get_record: GetRecord => [GET_RECORD] (object_type: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId, properties: [&[::std::string::String]] ::std::vec::Vec<::std::string::String>)
                -> $crate::model::record::Record;
            /// Pins a postal mail on a record it is associated with.
            pin: PinRequest => [UPDATE_RECORD] (pin: [&$crate::model::pin::Pin] $crate::model::pin::Pin) -> $crate::model::record::Record;
            /// Removes any pin from a record.
            unpin: Unpin => [UPDATE_RECORD] (target: [&$crate::model::pin::PinTarget] $crate::model::pin::PinTarget) -> $crate::model::record::Record;
            /// The engagement pinned on a record, if any.
            pinned: Pinned => [GET_RECORD] (target: [&$crate::model::pin::PinTarget] $crate::model::pin::PinTarget)
                -> ::std::option::Option<$crate::model::ids::PostalMailId>;
            /// Whether a postal mail is associated with a record.
            is_associated: IsAssociated => [LIST_ASSOCIATIONS] (id: [&$crate::model::ids::PostalMailId] $crate::model::ids::PostalMailId, to: [&$crate::model::object_type::ObjectType] $crate::model::object_type::ObjectType, to_id: [&$crate::model::ids::RecordId] $crate::model::ids::RecordId)
                -> bool;
            /// Sends any request, with the client's auth, limiter, retries and errors.
            raw: Raw => [] (method: [$crate::transport::http::Method] $crate::transport::http::Method, path_and_query: [&str] ::std::string::String, body: [::std::option::Option<$crate::__serde_json::Value>] ::std::option::Option<$crate::__serde_json::Value>, idempotent: [bool] bool)
                -> $crate::RawResponse, repeat_safe_if idempotent;
        }
    };
}

/// A parameter as the request owns it: a borrowed one is copied (`ToOwned`), a value moved.
#[doc(hidden)]
#[macro_export]
macro_rules! __own {
    ([& $($ty:tt)*] $e:expr) => {
        ::std::borrow::ToOwned::to_owned($e)
    };
    ([$($ty:tt)*] $e:expr) => {
        $e
    };
}

/// A request's field as the method takes it: borrowed, or moved.
#[doc(hidden)]
#[macro_export]
macro_rules! __pass {
    ([& $($ty:tt)*] $e:expr) => {
        &$e
    };
    ([$($ty:tt)*] $e:expr) => {
        $e
    };
}

/// An entry's endpoint-table row: `Some(&ROW)`, or `None` for an entry without one.
#[doc(hidden)]
#[macro_export]
macro_rules! __endpoint {
    () => {
        ::std::option::Option::None
    };
    ($row:ident) => {
        ::std::option::Option::Some(&$crate::model::endpoints::$row)
    };
}

//! The rows of the endpoint table, and the only place a HubSpot path is spelled.
//!
//! Each row names its path once, as the tail after the API and version segments; macros put
//! the tail under the legacy numeric version (`/crm/v3/objects…`, `/crm/v4/associations…`)
//! and under each date-based version (`/crm/objects/2026-03…`, `/crm/associations/2026-03…`),
//! and the row keeps those its versions have.
//!
//! Where a version has a row is taken from HubSpot's OpenAPI files; where no file covers a
//! version (the `/crm/associations/{version}/…` batch and label paths, and the v3 per-object
//! association path), the choice and its reason are in `docs/api-versions.md`, and the
//! spec test lists those rows by name.

use super::version::version_literal;
use super::{ApiVersion, Endpoint, HttpMethod, Idempotency, RateBudget};

use ApiVersion::{V2025_09, V2026_03, V2026_09, V2026_09Beta};
use HttpMethod::{Delete, Get, Patch, Post, Put};
use Idempotency::{CreatesRecord, Idempotent, NotRepeatable, Read};
use RateBudget::{General, Search};

/// The path under a legacy numeric version: `/crm/v3/objects{tail}`.
macro_rules! legacy {
    ($numeric:literal, $api:literal, $($tail:tt)+) => {
        concat!("/crm/", $numeric, "/", $api, $($tail)+)
    };
}
pub(crate) use legacy;

/// The path under each date-based version, in [`ApiVersion::ALL`] order after `V3`.
macro_rules! dated {
    ($api:literal, $($tail:tt)+) => {
        [
            concat!("/crm/", $api, "/", version_literal!(V2025_09), $($tail)+),
            concat!("/crm/", $api, "/", version_literal!(V2026_03), $($tail)+),
            concat!("/crm/", $api, "/", version_literal!(V2026_09), $($tail)+),
            concat!("/crm/", $api, "/", version_literal!(V2026_09Beta), $($tail)+),
        ]
    };
}

/// Tails shared by several rows (one path, several methods).
macro_rules! postal_mail {
    () => {
        "/postal_mail"
    };
}
macro_rules! postal_mail_item {
    () => {
        "/postal_mail/{postalMailId}"
    };
}
macro_rules! record {
    () => {
        "/{objectType}/{objectId}"
    };
}
macro_rules! pair {
    () => {
        "/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}"
    };
}
macro_rules! v3_pair {
    () => {
        "/postal_mail/{postalMailId}/associations/{toObjectType}/{toObjectId}/{associationTypeId}"
    };
}
/// `/{fromObjectType}/{toObjectType}/batch/{action}` of the association batch endpoints.
macro_rules! batch {
    ($action:literal) => {
        concat!("/{fromObjectType}/{toObjectType}/batch/", $action)
    };
}
pub(crate) use batch;

/// Every date-based version.
const ALL_DATED: &[ApiVersion] = &[V2025_09, V2026_03, V2026_09, V2026_09Beta];
/// The versions whose postal-mail specs list merge, GDPR delete and the association listing:
/// the 2025-09 generic objects spec and the 2026-09-beta postal-mail spec.
const WITH_MERGE_GDPR_LISTING: &[ApiVersion] = &[V2025_09, V2026_09Beta];
/// Rows of the legacy track only.
const NO_DATED: &[ApiVersion] = &[];

/// A row's paths by version: `legacy` for `V3`, and the dated path of each version in `dated_in`.
const fn select(
    legacy: Option<&'static str>,
    dated: [&'static str; 4],
    dated_in: &[ApiVersion],
) -> [Option<&'static str>; ApiVersion::ALL.len()] {
    let mut out = [legacy, None, None, None, None];
    let mut i = 0;
    while i < dated_in.len() {
        let v = dated_in[i];
        assert!(!v.is_legacy(), "dated_in lists date-based versions only");
        out[v.index()] = Some(dated[v.index() - 1]);
        i += 1;
    }
    out
}

const fn row(
    name: &'static str,
    method: HttpMethod,
    idempotency: Idempotency,
    budget: RateBudget,
    paths: [Option<&'static str>; ApiVersion::ALL.len()],
) -> Endpoint {
    Endpoint {
        name,
        method,
        idempotency,
        budget,
        paths,
    }
}

/// A postal-mail object row: `/crm/v3/objects{tail}` and `/crm/objects/{version}{tail}`.
macro_rules! object_row {
    ($name:literal, $method:expr, $idem:expr, $budget:expr, legacy, $dated_in:expr, $($tail:tt)+) => {
        row($name, $method, $idem, $budget,
            select(Some(legacy!("v3", "objects", $($tail)+)), dated!("objects", $($tail)+), $dated_in))
    };
    ($name:literal, $method:expr, $idem:expr, $budget:expr, dated only, $dated_in:expr, $($tail:tt)+) => {
        row($name, $method, $idem, $budget, select(None, dated!("objects", $($tail)+), $dated_in))
    };
}

/// An association row: legacy `/crm/{numeric}/{api}{tail}`, dated `/crm/{api}/{version}{tail}`.
macro_rules! association_row {
    ($name:literal, $method:expr, $idem:expr, $numeric:literal, $api:literal, $dated_in:expr, $($tail:tt)+) => {
        row($name, $method, $idem, General,
            select(Some(legacy!($numeric, $api, $($tail)+)), dated!($api, $($tail)+), $dated_in))
    };
}

/// Defines each row as a public constant and [`ENDPOINTS`] as the list of them all, so a new
/// operation is one line here. Written as one macro call so the table stays one row a line.
macro_rules! rows {
    ($($(#[$doc:meta])* $konst:ident = $row:expr;)*) => {
        $($(#[$doc])* pub const $konst: Endpoint = $row;)*
        /// Every row, in the order of the table in `docs/api-versions.md`.
        pub const ENDPOINTS: &[Endpoint] = &[$($konst),*];
    };
}

rows! {
    /// `POST` create one postal mail (201). Never blindly retried.
    CREATE = object_row!("create", Post, CreatesRecord, General, legacy, ALL_DATED, postal_mail!());
    /// `GET` one postal mail.
    GET = object_row!("get", Get, Read, General, legacy, ALL_DATED, postal_mail_item!());
    /// `PATCH` one postal mail.
    UPDATE = object_row!("update", Patch, Idempotent, General, legacy, ALL_DATED, postal_mail_item!());
    /// `DELETE` one postal mail (to the recycling bin, 204).
    ARCHIVE = object_row!("archive", Delete, Idempotent, General, legacy, ALL_DATED, postal_mail_item!());
    /// `GET` a page of postal mail.
    LIST = object_row!("list", Get, Read, General, legacy, ALL_DATED, postal_mail!());
    /// `POST batch/read`.
    BATCH_READ = object_row!("batch_read", Post, Read, General, legacy, ALL_DATED, postal_mail!(), "/batch/read");
    /// `POST batch/create`: makes records, never blindly retried.
    BATCH_CREATE = object_row!("batch_create", Post, CreatesRecord, General, legacy, ALL_DATED, postal_mail!(), "/batch/create");
    /// `POST batch/update`.
    BATCH_UPDATE = object_row!("batch_update", Post, Idempotent, General, legacy, ALL_DATED, postal_mail!(), "/batch/update");
    /// `POST batch/upsert`: keyed by a unique property, so a repeat finds what the first made.
    BATCH_UPSERT = object_row!("batch_upsert", Post, Idempotent, General, legacy, ALL_DATED, postal_mail!(), "/batch/upsert");
    /// `POST batch/archive` (204).
    BATCH_ARCHIVE = object_row!("batch_archive", Post, Idempotent, General, legacy, ALL_DATED, postal_mail!(), "/batch/archive");
    /// `POST search`: a read on the search budget.
    SEARCH = object_row!("search", Post, Read, Search, legacy, ALL_DATED, postal_mail!(), "/search");
    /// `POST merge` of two postal mails into the primary (200 `SimplePublicObject`).
    MERGE = object_row!("merge", Post, NotRepeatable, General, dated only, WITH_MERGE_GDPR_LISTING, postal_mail!(), "/merge");
    /// `POST gdpr-delete`: permanent deletion (204).
    GDPR_DELETE = object_row!("gdpr_delete", Post, Idempotent, General, dated only, WITH_MERGE_GDPR_LISTING, postal_mail!(), "/gdpr-delete");
    /// v3 per-object association `PUT` (type id or snake-case name in the path; prose docs only).
    ASSOCIATE_V3 = object_row!("associate", Put, Idempotent, General, legacy, NO_DATED, v3_pair!());
    /// v3 per-object association `DELETE`.
    DISSOCIATE_V3 = object_row!("dissociate", Delete, Idempotent, General, legacy, NO_DATED, v3_pair!());
    /// Labelled `PUT` between two records (201); replaces the pair's label set.
    ASSOCIATE_LABELLED = association_row!("associate_labelled", Put, Idempotent, "v4", "objects", ALL_DATED, pair!());
    /// Default (unlabelled) `PUT` between two records (200).
    ASSOCIATE_DEFAULT = association_row!("associate_default", Put, Idempotent, "v4", "objects", ALL_DATED, "/{objectType}/{objectId}/associations/default/{toObjectType}/{toObjectId}");
    /// `DELETE` of every association between two records (204).
    REMOVE_ASSOCIATIONS = association_row!("remove_associations", Delete, Idempotent, "v4", "objects", ALL_DATED, pair!());
    /// `GET` a record's associations to one object type, paged.
    LIST_ASSOCIATIONS = association_row!("list_associations", Get, Read, "v4", "objects", WITH_MERGE_GDPR_LISTING, "/{objectType}/{objectId}/associations/{toObjectType}");
    /// Batch create labelled associations.
    BATCH_ASSOCIATE = association_row!("batch_associate", Post, Idempotent, "v4", "associations", ALL_DATED, batch!("create"));
    /// Batch read associations.
    BATCH_READ_ASSOCIATIONS = association_row!("batch_read_associations", Post, Read, "v4", "associations", ALL_DATED, batch!("read"));
    /// Batch archive every association of each pair.
    BATCH_REMOVE_ASSOCIATIONS = association_row!("batch_remove_associations", Post, Idempotent, "v4", "associations", ALL_DATED, batch!("archive"));
    /// Batch archive specific labels.
    BATCH_REMOVE_ASSOCIATION_LABELS = association_row!("batch_remove_association_labels", Post, Idempotent, "v4", "associations", ALL_DATED, batch!("labels/archive"));
    /// Batch create default associations.
    BATCH_ASSOCIATE_DEFAULT = association_row!("batch_associate_default", Post, Idempotent, "v4", "associations", ALL_DATED, batch!("associate/default"));
    /// v3 batch create (`type` names like `postal_mail_to_contact`).
    V3_BATCH_ASSOCIATE = association_row!("v3_batch_associate", Post, Idempotent, "v3", "associations", NO_DATED, batch!("create"));
    /// v3 batch read.
    V3_BATCH_READ_ASSOCIATIONS = association_row!("v3_batch_read_associations", Post, Read, "v3", "associations", NO_DATED, batch!("read"));
    /// v3 batch archive.
    V3_BATCH_REMOVE_ASSOCIATIONS = association_row!("v3_batch_remove_associations", Post, Idempotent, "v3", "associations", NO_DATED, batch!("archive"));
    /// `GET` the association labels between two object types.
    ASSOCIATION_LABELS = association_row!("association_labels", Get, Read, "v4", "associations", ALL_DATED, "/{fromObjectType}/{toObjectType}/labels");
    /// `GET` a record of any type (contacts, companies… for pins).
    GET_RECORD = object_row!("get_record", Get, Read, General, legacy, ALL_DATED, record!());
    /// `PATCH` a record of any type (`hs_pinned_engagement_id` for pin and unpin).
    UPDATE_RECORD = object_row!("update_record", Patch, Idempotent, General, legacy, ALL_DATED, record!());
}

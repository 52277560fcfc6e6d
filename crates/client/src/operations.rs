//! The operation table: every request the client makes, with its name, path template (used in
//! tracing instead of the raw URL) and whether repeating it is safe.

use hubspot_postal_model::paths;
use hubspot_postal_transport::{Idempotency, Operation};

use Idempotency::{CreatesRecord, Idempotent};

/// `POST /crm/v3/objects/postal_mail`: makes a new record, never blindly retried.
pub const CREATE: Operation = Operation::new("create", paths::POSTAL_MAIL, CreatesRecord);
/// `GET` one postal mail.
pub const GET: Operation = Operation::new("get", paths::POSTAL_MAIL_ITEM, Idempotent);
/// `PATCH` one postal mail: writing the same values twice leaves the same record.
pub const UPDATE: Operation = Operation::new("update", paths::POSTAL_MAIL_ITEM, Idempotent);
/// `DELETE` one postal mail (to the recycling bin).
pub const ARCHIVE: Operation = Operation::new("archive", paths::POSTAL_MAIL_ITEM, Idempotent);
/// `GET` a page of postal mail.
pub const LIST: Operation = Operation::new("list", paths::POSTAL_MAIL, Idempotent);
/// `POST batch/read`.
pub const BATCH_READ: Operation =
    Operation::new("batch_read", paths::POSTAL_MAIL_BATCH_READ, Idempotent);
/// `POST batch/create`: makes new records, never blindly retried.
pub const BATCH_CREATE: Operation = Operation::new(
    "batch_create",
    paths::POSTAL_MAIL_BATCH_CREATE,
    CreatesRecord,
);
/// `POST batch/update`.
pub const BATCH_UPDATE: Operation =
    Operation::new("batch_update", paths::POSTAL_MAIL_BATCH_UPDATE, Idempotent);
/// `POST batch/upsert`: keyed on a unique property, so a repeat finds the first write.
pub const BATCH_UPSERT: Operation =
    Operation::new("batch_upsert", paths::POSTAL_MAIL_BATCH_UPSERT, Idempotent);
/// `POST batch/archive`.
pub const BATCH_ARCHIVE: Operation = Operation::new(
    "batch_archive",
    paths::POSTAL_MAIL_BATCH_ARCHIVE,
    Idempotent,
);
/// `POST search`: a read, rate limited on its own budget.
pub const SEARCH: Operation = Operation::new("search", paths::POSTAL_MAIL_SEARCH, Idempotent);
/// v3 `PUT` association.
pub const ASSOCIATE_V3: Operation =
    Operation::new("associate", paths::POSTAL_MAIL_ASSOCIATION_V3, Idempotent);
/// v3 `DELETE` association.
pub const DISSOCIATE_V3: Operation =
    Operation::new("dissociate", paths::POSTAL_MAIL_ASSOCIATION_V3, Idempotent);
/// v4 labelled `PUT` (replaces the label set).
pub const ASSOCIATE_LABELLED: Operation =
    Operation::new("associate_labelled", paths::ASSOCIATION_V4, Idempotent);
/// v4 default `PUT`.
pub const ASSOCIATE_DEFAULT: Operation = Operation::new(
    "associate_default",
    paths::ASSOCIATION_V4_DEFAULT,
    Idempotent,
);
/// v4 `DELETE` of every association between a pair.
pub const REMOVE_ASSOCIATIONS: Operation =
    Operation::new("remove_associations", paths::ASSOCIATION_V4, Idempotent);
/// v4 list.
pub const LIST_ASSOCIATIONS: Operation =
    Operation::new("list_associations", paths::ASSOCIATION_V4_LIST, Idempotent);
/// v4 batch create.
pub const BATCH_ASSOCIATE: Operation =
    Operation::new("batch_associate", paths::ASSOCIATION_V4_BATCH, Idempotent);
/// v4 batch read.
pub const BATCH_READ_ASSOCIATIONS: Operation = Operation::new(
    "batch_read_associations",
    paths::ASSOCIATION_V4_BATCH,
    Idempotent,
);
/// v4 batch archive.
pub const BATCH_REMOVE_ASSOCIATIONS: Operation = Operation::new(
    "batch_remove_associations",
    paths::ASSOCIATION_V4_BATCH,
    Idempotent,
);
/// v4 labels.
pub const ASSOCIATION_LABELS: Operation = Operation::new(
    "association_labels",
    paths::ASSOCIATION_V4_LABELS,
    Idempotent,
);
/// `GET` a contact, company, deal or ticket.
pub const GET_RECORD: Operation = Operation::new("get_record", paths::OBJECT_ITEM, Idempotent);
/// `PATCH` a record's `hs_pinned_engagement_id`.
pub const PIN: Operation = Operation::new("pin", paths::OBJECT_ITEM, Idempotent);
/// `PATCH` clearing a record's pin.
pub const UNPIN: Operation = Operation::new("unpin", paths::OBJECT_ITEM, Idempotent);
/// A raw request the caller declared idempotent.
pub const RAW_IDEMPOTENT: Operation = Operation::new("raw", "raw", Idempotent);
/// A raw request the caller did not declare idempotent: treated like a create.
pub const RAW_UNSAFE: Operation = Operation::new("raw", "raw", CreatesRecord);

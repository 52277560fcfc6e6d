//! The legacy (`V3` track) path of each operation as a constant, and builders that fill them
//! with validated ids. Kept for callers written before [`crate::endpoints`]: each constant is
//! a row's `V3` template, or (for the generic object path and the one-template-for-all-actions
//! batch forms) built with the table's own path macros, so no path is spelled twice.
//!
//! New code should take a row from [`crate::endpoints`] and call
//! [`Endpoint::path`](crate::endpoints::Endpoint::path) with the chosen
//! [`ApiVersion`].

use crate::association::AssociationTypeId;
use crate::endpoints::table::{batch, legacy};
use crate::endpoints::{self, ApiVersion, Endpoint, Segment};
use crate::ids::{PostalMailId, RecordId};
use crate::object_type::ObjectType;

/// A row's `V3` template; a compile error if the row has none.
const fn v3(e: &Endpoint) -> &'static str {
    match e.template(ApiVersion::V3) {
        Some(t) => t,
        None => panic!("the row has no V3 path"),
    }
}

/// `GET` list and `POST` create.
pub const POSTAL_MAIL: &str = v3(&endpoints::CREATE);
/// `GET`, `PATCH` and `DELETE` of one postal mail.
pub const POSTAL_MAIL_ITEM: &str = v3(&endpoints::GET);
/// `POST` batch read.
pub const POSTAL_MAIL_BATCH_READ: &str = v3(&endpoints::BATCH_READ);
/// `POST` batch create.
pub const POSTAL_MAIL_BATCH_CREATE: &str = v3(&endpoints::BATCH_CREATE);
/// `POST` batch update.
pub const POSTAL_MAIL_BATCH_UPDATE: &str = v3(&endpoints::BATCH_UPDATE);
/// `POST` batch upsert.
pub const POSTAL_MAIL_BATCH_UPSERT: &str = v3(&endpoints::BATCH_UPSERT);
/// `POST` batch archive.
pub const POSTAL_MAIL_BATCH_ARCHIVE: &str = v3(&endpoints::BATCH_ARCHIVE);
/// `POST` search.
pub const POSTAL_MAIL_SEARCH: &str = v3(&endpoints::SEARCH);
/// `PUT` / `DELETE` of one v3 association.
pub const POSTAL_MAIL_ASSOCIATION_V3: &str = v3(&endpoints::ASSOCIATE_V3);

/// `GET` list / `POST` create of any CRM object type (the generic form of [`POSTAL_MAIL`]).
pub const OBJECTS: &str = legacy!("v3", "objects", "/{objectType}");
/// `GET`, `PATCH`, `DELETE` of one record of any CRM object type.
pub const OBJECT_ITEM: &str = v3(&endpoints::GET_RECORD);

/// `GET` one property's definition (the properties API). It is not a row of the endpoint
/// table: the OpenAPI files the table is checked against cover the CRM object and association
/// APIs only, so this path stays on the legacy track in every version (see
/// `docs/api-versions.md`).
pub const PROPERTY: &str = legacy!("v3", "properties", "/{objectType}/{propertyName}");

/// v3 batch associations (`create`, `read`, `archive`), one template for the three rows.
pub const ASSOCIATIONS_V3_BATCH: &str = legacy!("v3", "associations", batch!("{action}"));

/// v4 labelled `PUT` and `DELETE` between two records.
pub const ASSOCIATION_V4: &str = v3(&endpoints::ASSOCIATE_LABELLED);
/// v4 default (unlabelled) `PUT`.
pub const ASSOCIATION_V4_DEFAULT: &str = v3(&endpoints::ASSOCIATE_DEFAULT);
/// v4 list of one record's associations to a type.
pub const ASSOCIATION_V4_LIST: &str = v3(&endpoints::LIST_ASSOCIATIONS);
/// v4 batch `read`, `create`, `archive`, `labels/archive`, `associate/default`, one template
/// for the five rows.
pub const ASSOCIATION_V4_BATCH: &str = legacy!("v4", "associations", batch!("{action}"));
/// v4 labels between two object types.
pub const ASSOCIATION_V4_LABELS: &str = v3(&endpoints::ASSOCIATION_LABELS);

/// A row's `V3` path filled with `args`. The rows used here all have a `V3` path and the
/// argument names match their templates (pinned by this module's tests), so this cannot
/// fail on any input: segments are built from validated values.
fn legacy_path(e: &Endpoint, args: &[(&str, Segment<'_>)]) -> String {
    match e.path(ApiVersion::V3, args) {
        Ok(p) => p,
        Err(err) => unreachable!("{} V3 template and arguments disagree: {err}", e.name()),
    }
}

/// `/crm/v3/objects/postal_mail/{id}`.
pub fn postal_mail_item(id: &PostalMailId) -> String {
    legacy_path(&endpoints::GET, &[("postalMailId", id.into())])
}

/// `/crm/v3/objects/{type}/{id}`.
pub fn object_item(object: &ObjectType, id: &RecordId) -> String {
    legacy_path(
        &endpoints::GET_RECORD,
        &[
            ("objectType", Segment::plural(object)),
            ("objectId", id.into()),
        ],
    )
}

/// `/crm/v3/objects/{type}`.
pub fn objects(object: &ObjectType) -> String {
    OBJECTS.replace("{objectType}", Segment::plural(object).as_str())
}

/// `/crm/v3/properties/{type}/{name}`; the name is percent-encoded if it needs to be.
///
/// ```
/// use hubspot_postal_model::{object_type::ObjectType, paths};
/// assert_eq!(
///     paths::property(&ObjectType::PostalMail, "letter_ref"),
///     "/crm/v3/properties/postal_mail/letter_ref"
/// );
/// ```
pub fn property(object: &ObjectType, name: &str) -> String {
    PROPERTY
        .replace("{objectType}", Segment::plural(object).as_str())
        .replace("{propertyName}", Segment::encoded(name).as_str())
}

/// `/crm/v3/objects/postal_mail/{id}/associations/{toType}/{toId}/{typeId}`.
pub fn postal_mail_association_v3(
    id: &PostalMailId,
    to: &ObjectType,
    to_id: &RecordId,
    type_id: AssociationTypeId,
) -> String {
    legacy_path(
        &endpoints::ASSOCIATE_V3,
        &[
            ("postalMailId", id.into()),
            ("toObjectType", Segment::singular(to)),
            ("toObjectId", to_id.into()),
            ("associationTypeId", type_id.into()),
        ],
    )
}

fn pair_args<'a>(
    from: &'a ObjectType,
    from_id: &'a RecordId,
    to: &'a ObjectType,
    to_id: &'a RecordId,
) -> [(&'static str, Segment<'a>); 4] {
    [
        ("objectType", Segment::plural(from)),
        ("objectId", from_id.into()),
        ("toObjectType", Segment::plural(to)),
        ("toObjectId", to_id.into()),
    ]
}

/// `/crm/v4/objects/{type}/{id}/associations/{toType}/{toId}`.
pub fn association_v4(
    from: &ObjectType,
    from_id: &RecordId,
    to: &ObjectType,
    to_id: &RecordId,
) -> String {
    legacy_path(
        &endpoints::ASSOCIATE_LABELLED,
        &pair_args(from, from_id, to, to_id),
    )
}

/// `/crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}`.
pub fn association_v4_default(
    from: &ObjectType,
    from_id: &RecordId,
    to: &ObjectType,
    to_id: &RecordId,
) -> String {
    legacy_path(
        &endpoints::ASSOCIATE_DEFAULT,
        &pair_args(from, from_id, to, to_id),
    )
}

/// `/crm/v4/objects/{type}/{id}/associations/{toType}`.
pub fn association_v4_list(from: &ObjectType, from_id: &RecordId, to: &ObjectType) -> String {
    legacy_path(
        &endpoints::LIST_ASSOCIATIONS,
        &[
            ("objectType", Segment::plural(from)),
            ("objectId", from_id.into()),
            ("toObjectType", Segment::plural(to)),
        ],
    )
}

fn types_args<'a>(from: &'a ObjectType, to: &'a ObjectType) -> [(&'static str, Segment<'a>); 2] {
    [
        ("fromObjectType", Segment::plural(from)),
        ("toObjectType", Segment::plural(to)),
    ]
}

/// `/crm/v4/associations/{from}/{to}/batch/{action}`; `action` is one of the five
/// documented literals.
pub fn association_v4_batch(from: &ObjectType, to: &ObjectType, action: V4BatchAction) -> String {
    legacy_path(action.endpoint(), &types_args(from, to))
}

/// `/crm/v4/associations/{from}/{to}/labels`.
pub fn association_v4_labels(from: &ObjectType, to: &ObjectType) -> String {
    legacy_path(&endpoints::ASSOCIATION_LABELS, &types_args(from, to))
}

/// The actions of the v4 batch association endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V4BatchAction {
    /// `batch/read`.
    Read,
    /// `batch/create`.
    Create,
    /// `batch/archive`.
    Archive,
    /// `batch/labels/archive`.
    LabelsArchive,
    /// `batch/associate/default`.
    AssociateDefault,
}

impl V4BatchAction {
    /// The endpoint-table row of this action.
    pub fn endpoint(self) -> &'static Endpoint {
        match self {
            Self::Read => &endpoints::BATCH_READ_ASSOCIATIONS,
            Self::Create => &endpoints::BATCH_ASSOCIATE,
            Self::Archive => &endpoints::BATCH_REMOVE_ASSOCIATIONS,
            Self::LabelsArchive => &endpoints::BATCH_REMOVE_ASSOCIATION_LABELS,
            Self::AssociateDefault => &endpoints::BATCH_ASSOCIATE_DEFAULT,
        }
    }

    /// The path tail after `batch/`, read from the row's template.
    pub fn as_str(self) -> &'static str {
        let template = v3(self.endpoint());
        template
            .split_once("/batch/")
            .map_or(template, |(_, action)| action)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::association::types::POSTAL_MAIL_TO_CONTACT;

    #[test]
    fn builders_fill_templates() {
        let pm = PostalMailId::new("25727582880").unwrap();
        let c = RecordId::new("104901").unwrap();
        assert_eq!(
            postal_mail_item(&pm),
            "/crm/v3/objects/postal_mail/25727582880"
        );
        assert_eq!(
            postal_mail_association_v3(&pm, &ObjectType::Contact, &c, POSTAL_MAIL_TO_CONTACT),
            "/crm/v3/objects/postal_mail/25727582880/associations/contact/104901/453"
        );
        assert_eq!(
            association_v4(
                &ObjectType::PostalMail,
                &pm.into(),
                &ObjectType::Contact,
                &c
            ),
            "/crm/v4/objects/postal_mail/25727582880/associations/contacts/104901"
        );
        assert_eq!(
            association_v4_batch(
                &ObjectType::PostalMail,
                &ObjectType::Company,
                V4BatchAction::LabelsArchive
            ),
            "/crm/v4/associations/postal_mail/companies/batch/labels/archive"
        );
    }

    /// Every builder's output, so a table edit that changes a `V3` path fails here.
    #[test]
    fn legacy_outputs_are_unchanged() {
        let r = RecordId::new("2").unwrap();
        let (c, p) = (ObjectType::Contact, ObjectType::PostalMail);
        let pr = RecordId::new("1").unwrap();
        let cases = [
            (POSTAL_MAIL, "/crm/v3/objects/postal_mail"),
            (
                POSTAL_MAIL_ITEM,
                "/crm/v3/objects/postal_mail/{postalMailId}",
            ),
            (
                POSTAL_MAIL_BATCH_READ,
                "/crm/v3/objects/postal_mail/batch/read",
            ),
            (
                POSTAL_MAIL_BATCH_CREATE,
                "/crm/v3/objects/postal_mail/batch/create",
            ),
            (
                POSTAL_MAIL_BATCH_UPDATE,
                "/crm/v3/objects/postal_mail/batch/update",
            ),
            (
                POSTAL_MAIL_BATCH_UPSERT,
                "/crm/v3/objects/postal_mail/batch/upsert",
            ),
            (
                POSTAL_MAIL_BATCH_ARCHIVE,
                "/crm/v3/objects/postal_mail/batch/archive",
            ),
            (POSTAL_MAIL_SEARCH, "/crm/v3/objects/postal_mail/search"),
            (OBJECTS, "/crm/v3/objects/{objectType}"),
            (OBJECT_ITEM, "/crm/v3/objects/{objectType}/{objectId}"),
            (
                ASSOCIATIONS_V3_BATCH,
                "/crm/v3/associations/{fromObjectType}/{toObjectType}/batch/{action}",
            ),
            (
                ASSOCIATION_V4_BATCH,
                "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/{action}",
            ),
            (
                ASSOCIATION_V4_LABELS,
                "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels",
            ),
            (
                ASSOCIATION_V4_LIST,
                "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}",
            ),
        ];
        for (got, want) in cases {
            assert_eq!(got, want);
        }
        assert_eq!(object_item(&c, &r), "/crm/v3/objects/contacts/2");
        assert_eq!(objects(&c), "/crm/v3/objects/contacts");
        assert_eq!(
            association_v4_default(&p, &pr, &c, &r),
            "/crm/v4/objects/postal_mail/1/associations/default/contacts/2"
        );
        assert_eq!(
            association_v4_list(&p, &pr, &c),
            "/crm/v4/objects/postal_mail/1/associations/contacts"
        );
        assert_eq!(
            association_v4_labels(&p, &c),
            "/crm/v4/associations/postal_mail/contacts/labels"
        );
        let actions = [
            (V4BatchAction::Read, "read"),
            (V4BatchAction::Create, "create"),
            (V4BatchAction::Archive, "archive"),
            (V4BatchAction::LabelsArchive, "labels/archive"),
            (V4BatchAction::AssociateDefault, "associate/default"),
        ];
        for (action, tail) in actions {
            assert_eq!(action.as_str(), tail);
            assert_eq!(
                association_v4_batch(&p, &c, action),
                ASSOCIATION_V4_BATCH
                    .replace("{fromObjectType}", "postal_mail")
                    .replace("{toObjectType}", "contacts")
                    .replace("{action}", tail)
            );
        }
    }
}

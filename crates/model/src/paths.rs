//! Every HubSpot path this project uses, as a template (for routing and for tracing) and as a
//! builder that takes validated ids, so no caller input can change a path's shape.
//!
//! Templates use `{name}` placeholders, which is also axum's route syntax.

use crate::association::AssociationTypeId;
use crate::ids::{PostalMailId, RecordId};
use crate::object_type::ObjectType;

/// `GET` list and `POST` create.
pub const POSTAL_MAIL: &str = "/crm/v3/objects/postal_mail";
/// `GET`, `PATCH` and `DELETE` of one postal mail.
pub const POSTAL_MAIL_ITEM: &str = "/crm/v3/objects/postal_mail/{postalMailId}";
/// `POST` batch read.
pub const POSTAL_MAIL_BATCH_READ: &str = "/crm/v3/objects/postal_mail/batch/read";
/// `POST` batch create.
pub const POSTAL_MAIL_BATCH_CREATE: &str = "/crm/v3/objects/postal_mail/batch/create";
/// `POST` batch update.
pub const POSTAL_MAIL_BATCH_UPDATE: &str = "/crm/v3/objects/postal_mail/batch/update";
/// `POST` batch upsert.
pub const POSTAL_MAIL_BATCH_UPSERT: &str = "/crm/v3/objects/postal_mail/batch/upsert";
/// `POST` batch archive.
pub const POSTAL_MAIL_BATCH_ARCHIVE: &str = "/crm/v3/objects/postal_mail/batch/archive";
/// `POST` search.
pub const POSTAL_MAIL_SEARCH: &str = "/crm/v3/objects/postal_mail/search";
/// `PUT` / `DELETE` of one v3 association.
pub const POSTAL_MAIL_ASSOCIATION_V3: &str = "/crm/v3/objects/postal_mail/{postalMailId}/associations/{toObjectType}/{toObjectId}/{associationTypeId}";

/// `GET` list / `POST` create of any CRM object type.
pub const OBJECTS: &str = "/crm/v3/objects/{objectType}";
/// `GET`, `PATCH`, `DELETE` of one record of any CRM object type.
pub const OBJECT_ITEM: &str = "/crm/v3/objects/{objectType}/{objectId}";

/// v3 batch associations (`create`, `read`, `archive`).
pub const ASSOCIATIONS_V3_BATCH: &str =
    "/crm/v3/associations/{fromObjectType}/{toObjectType}/batch/{action}";

/// v4 labelled `PUT` and `DELETE` between two records.
pub const ASSOCIATION_V4: &str =
    "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}";
/// v4 default (unlabelled) `PUT`.
pub const ASSOCIATION_V4_DEFAULT: &str =
    "/crm/v4/objects/{objectType}/{objectId}/associations/default/{toObjectType}/{toObjectId}";
/// v4 list of one record's associations to a type.
pub const ASSOCIATION_V4_LIST: &str =
    "/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}";
/// v4 batch `read`, `create`, `archive`, `labels/archive`, `associate/default`.
pub const ASSOCIATION_V4_BATCH: &str =
    "/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/{action}";
/// v4 labels between two object types.
pub const ASSOCIATION_V4_LABELS: &str =
    "/crm/v4/associations/{fromObjectType}/{toObjectType}/labels";

/// `/crm/v3/objects/postal_mail/{id}`.
pub fn postal_mail_item(id: &PostalMailId) -> String {
    format!("{POSTAL_MAIL}/{id}")
}

/// `/crm/v3/objects/{type}/{id}`.
pub fn object_item(object: &ObjectType, id: &RecordId) -> String {
    format!("/crm/v3/objects/{}/{id}", object.plural())
}

/// `/crm/v3/objects/{type}`.
pub fn objects(object: &ObjectType) -> String {
    format!("/crm/v3/objects/{}", object.plural())
}

/// `/crm/v3/objects/postal_mail/{id}/associations/{toType}/{toId}/{typeId}`.
pub fn postal_mail_association_v3(
    id: &PostalMailId,
    to: &ObjectType,
    to_id: &RecordId,
    type_id: AssociationTypeId,
) -> String {
    format!(
        "{POSTAL_MAIL}/{id}/associations/{}/{to_id}/{type_id}",
        to.singular()
    )
}

/// `/crm/v4/objects/{type}/{id}/associations/{toType}/{toId}`.
pub fn association_v4(
    from: &ObjectType,
    from_id: &RecordId,
    to: &ObjectType,
    to_id: &RecordId,
) -> String {
    format!(
        "/crm/v4/objects/{}/{from_id}/associations/{}/{to_id}",
        from.plural(),
        to.plural()
    )
}

/// `/crm/v4/objects/{type}/{id}/associations/default/{toType}/{toId}`.
pub fn association_v4_default(
    from: &ObjectType,
    from_id: &RecordId,
    to: &ObjectType,
    to_id: &RecordId,
) -> String {
    format!(
        "/crm/v4/objects/{}/{from_id}/associations/default/{}/{to_id}",
        from.plural(),
        to.plural()
    )
}

/// `/crm/v4/objects/{type}/{id}/associations/{toType}`.
pub fn association_v4_list(from: &ObjectType, from_id: &RecordId, to: &ObjectType) -> String {
    format!(
        "/crm/v4/objects/{}/{from_id}/associations/{}",
        from.plural(),
        to.plural()
    )
}

/// `/crm/v4/associations/{from}/{to}/batch/{action}`; `action` is one of the five
/// documented literals.
pub fn association_v4_batch(from: &ObjectType, to: &ObjectType, action: V4BatchAction) -> String {
    format!(
        "/crm/v4/associations/{}/{}/batch/{}",
        from.plural(),
        to.plural(),
        action.as_str()
    )
}

/// `/crm/v4/associations/{from}/{to}/labels`.
pub fn association_v4_labels(from: &ObjectType, to: &ObjectType) -> String {
    format!(
        "/crm/v4/associations/{}/{}/labels",
        from.plural(),
        to.plural()
    )
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
    /// The path tail.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Create => "create",
            Self::Archive => "archive",
            Self::LabelsArchive => "labels/archive",
            Self::AssociateDefault => "associate/default",
        }
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
}

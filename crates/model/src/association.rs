//! Associations between postal mail and CRM records: categories, type ids (453..460 and the
//! other default pairs), v3 snake-case names, association specs and the v3/v4 wire shapes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::RecordId;
use crate::object_type::ObjectType;
use crate::paging::Paging;

/// Who defined an association type.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AssociationCategory {
    /// HubSpot's default types (453, 454, …).
    HubspotDefined,
    /// Labels created by users in a portal.
    UserDefined,
    /// Labels created by an integration.
    IntegratorDefined,
    /// `WORK`, listed by the spec.
    Work,
    /// A category this version does not know, kept as sent.
    Other(String),
}

impl AssociationCategory {
    /// The wire form (`HUBSPOT_DEFINED`).
    pub fn as_str(&self) -> &str {
        match self {
            Self::HubspotDefined => "HUBSPOT_DEFINED",
            Self::UserDefined => "USER_DEFINED",
            Self::IntegratorDefined => "INTEGRATOR_DEFINED",
            Self::Work => "WORK",
            Self::Other(s) => s,
        }
    }
}

impl From<&str> for AssociationCategory {
    fn from(s: &str) -> Self {
        match s {
            "HUBSPOT_DEFINED" => Self::HubspotDefined,
            "USER_DEFINED" => Self::UserDefined,
            "INTEGRATOR_DEFINED" => Self::IntegratorDefined,
            "WORK" => Self::Work,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl Serialize for AssociationCategory {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for AssociationCategory {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(String::deserialize(d)?.as_str().into())
    }
}

/// An association type id (`associationTypeId`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AssociationTypeId(pub u32);

/// One HubSpot-defined pair between postal mail and another object type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefaultPair {
    /// The other object type's singular name.
    pub object: &'static str,
    /// postal mail → object.
    pub from_postal_mail: AssociationTypeId,
    /// object → postal mail.
    pub to_postal_mail: AssociationTypeId,
}

/// Named constants for every HubSpot-defined postal mail association type (reference §4).
pub mod types {
    use super::AssociationTypeId as Id;

    /// postal mail → contact.
    pub const POSTAL_MAIL_TO_CONTACT: Id = Id(453);
    /// contact → postal mail.
    pub const CONTACT_TO_POSTAL_MAIL: Id = Id(454);
    /// postal mail → ticket.
    pub const POSTAL_MAIL_TO_TICKET: Id = Id(455);
    /// ticket → postal mail.
    pub const TICKET_TO_POSTAL_MAIL: Id = Id(456);
    /// postal mail → deal.
    pub const POSTAL_MAIL_TO_DEAL: Id = Id(457);
    /// deal → postal mail.
    pub const DEAL_TO_POSTAL_MAIL: Id = Id(458);
    /// postal mail → company.
    pub const POSTAL_MAIL_TO_COMPANY: Id = Id(459);
    /// company → postal mail.
    pub const COMPANY_TO_POSTAL_MAIL: Id = Id(460);
    /// postal mail → appointment.
    pub const POSTAL_MAIL_TO_APPOINTMENT: Id = Id(927);
    /// appointment → postal mail.
    pub const APPOINTMENT_TO_POSTAL_MAIL: Id = Id(926);
    /// postal mail → course.
    pub const POSTAL_MAIL_TO_COURSE: Id = Id(881);
    /// course → postal mail.
    pub const COURSE_TO_POSTAL_MAIL: Id = Id(880);
    /// postal mail → listing.
    pub const POSTAL_MAIL_TO_LISTING: Id = Id(905);
    /// listing → postal mail.
    pub const LISTING_TO_POSTAL_MAIL: Id = Id(904);
    /// postal mail → service.
    pub const POSTAL_MAIL_TO_SERVICE: Id = Id(849);
    /// service → postal mail.
    pub const SERVICE_TO_POSTAL_MAIL: Id = Id(848);
    /// postal mail → order.
    pub const POSTAL_MAIL_TO_ORDER: Id = Id(788);
    /// order → postal mail.
    pub const ORDER_TO_POSTAL_MAIL: Id = Id(789);
    /// postal mail → project.
    pub const POSTAL_MAIL_TO_PROJECT: Id = Id(1264);
    /// project → postal mail.
    pub const PROJECT_TO_POSTAL_MAIL: Id = Id(1263);
}

/// Every HubSpot-defined postal mail pair, the single table the names and lookups read.
pub const DEFAULT_PAIRS: [DefaultPair; 10] = {
    use types::*;
    const fn p(
        object: &'static str,
        from: AssociationTypeId,
        to: AssociationTypeId,
    ) -> DefaultPair {
        DefaultPair {
            object,
            from_postal_mail: from,
            to_postal_mail: to,
        }
    }
    [
        p("contact", POSTAL_MAIL_TO_CONTACT, CONTACT_TO_POSTAL_MAIL),
        p("ticket", POSTAL_MAIL_TO_TICKET, TICKET_TO_POSTAL_MAIL),
        p("deal", POSTAL_MAIL_TO_DEAL, DEAL_TO_POSTAL_MAIL),
        p("company", POSTAL_MAIL_TO_COMPANY, COMPANY_TO_POSTAL_MAIL),
        p(
            "appointment",
            POSTAL_MAIL_TO_APPOINTMENT,
            APPOINTMENT_TO_POSTAL_MAIL,
        ),
        p("course", POSTAL_MAIL_TO_COURSE, COURSE_TO_POSTAL_MAIL),
        p("listing", POSTAL_MAIL_TO_LISTING, LISTING_TO_POSTAL_MAIL),
        p("service", POSTAL_MAIL_TO_SERVICE, SERVICE_TO_POSTAL_MAIL),
        p("order", POSTAL_MAIL_TO_ORDER, ORDER_TO_POSTAL_MAIL),
        p("project", POSTAL_MAIL_TO_PROJECT, PROJECT_TO_POSTAL_MAIL),
    ]
};

impl AssociationTypeId {
    /// The HubSpot-defined type from postal mail to `to`, if there is one.
    ///
    /// ```
    /// use hubspot_postal_model::association::{types, AssociationTypeId};
    /// use hubspot_postal_model::object_type::ObjectType;
    /// assert_eq!(AssociationTypeId::postal_mail_to(&ObjectType::Contact), Some(types::POSTAL_MAIL_TO_CONTACT));
    /// assert_eq!(types::POSTAL_MAIL_TO_CONTACT.v3_name().as_deref(), Some("POSTAL_MAIL_TO_CONTACT"));
    /// ```
    pub fn postal_mail_to(to: &ObjectType) -> Option<Self> {
        DEFAULT_PAIRS
            .iter()
            .find(|p| p.object == to.singular())
            .map(|p| p.from_postal_mail)
    }

    /// The HubSpot-defined type from `from` to postal mail, if there is one.
    pub fn to_postal_mail(from: &ObjectType) -> Option<Self> {
        DEFAULT_PAIRS
            .iter()
            .find(|p| p.object == from.singular())
            .map(|p| p.to_postal_mail)
    }

    /// The v3 snake-case name (`POSTAL_MAIL_TO_CONTACT`) of a HubSpot-defined type.
    pub fn v3_name(self) -> Option<String> {
        DEFAULT_PAIRS.iter().find_map(|p| {
            if p.from_postal_mail == self {
                Some(format!("POSTAL_MAIL_TO_{}", p.object.to_ascii_uppercase()))
            } else if p.to_postal_mail == self {
                Some(format!("{}_TO_POSTAL_MAIL", p.object.to_ascii_uppercase()))
            } else {
                None
            }
        })
    }

    /// Parses a numeric id or a v3 snake-case name (case-insensitive).
    pub fn parse_v3(s: &str) -> Option<Self> {
        if let Ok(n) = s.parse::<u32>() {
            return Some(Self(n));
        }
        let upper = s.to_ascii_uppercase();
        DEFAULT_PAIRS.iter().find_map(|p| {
            let obj = p.object.to_ascii_uppercase();
            if upper == format!("POSTAL_MAIL_TO_{obj}") {
                Some(p.from_postal_mail)
            } else if upper == format!("{obj}_TO_POSTAL_MAIL") {
                Some(p.to_postal_mail)
            } else {
                None
            }
        })
    }
}

impl fmt::Display for AssociationTypeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl FromStr for AssociationTypeId {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Self::parse_v3(s)
            .ok_or_else(|| format!("{s:?} is not an association type id or a known name"))
    }
}

/// `AssociationSpec`: a category and a type id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociationSpec {
    /// Who defined the type.
    pub association_category: AssociationCategory,
    /// The type id.
    pub association_type_id: AssociationTypeId,
}

impl AssociationSpec {
    /// A HubSpot-defined type.
    pub fn hubspot_defined(id: AssociationTypeId) -> Self {
        Self {
            association_category: AssociationCategory::HubspotDefined,
            association_type_id: id,
        }
    }

    /// A user-defined label's type.
    pub fn user_defined(id: AssociationTypeId) -> Self {
        Self {
            association_category: AssociationCategory::UserDefined,
            association_type_id: id,
        }
    }

    /// The default type from postal mail to `to`, if HubSpot defines one.
    pub fn default_to(to: &ObjectType) -> Option<Self> {
        AssociationTypeId::postal_mail_to(to).map(Self::hubspot_defined)
    }
}

/// `{"id": "…"}`, with the id accepted as a JSON number or string.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ObjectRef {
    /// The record id.
    pub id: RecordId,
}

/// `PublicAssociationsForObject`: an association written together with a create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationInput {
    /// The record to associate with.
    pub to: ObjectRef,
    /// The association types to create.
    pub types: Vec<AssociationSpec>,
}

impl AssociationInput {
    /// The default (HubSpot-defined) association from postal mail to a record of `object`.
    /// `None` when HubSpot defines no default pair for `object`.
    pub fn default_to(object: &ObjectType, id: RecordId) -> Option<Self> {
        AssociationSpec::default_to(object).map(|spec| Self {
            to: ObjectRef { id },
            types: vec![spec],
        })
    }

    /// An association with explicit specs.
    pub fn new(id: RecordId, types: Vec<AssociationSpec>) -> Self {
        Self {
            to: ObjectRef { id },
            types,
        }
    }
}

/// `AssociatedId`: one associated record inside `associations.{type}.results`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatedId {
    /// The associated record's id.
    pub id: RecordId,
    /// The type string, e.g. `postal_mail_to_contact` (UNCONFIRMED wording).
    #[serde(rename = "type")]
    pub kind: String,
}

/// `CollectionResponseAssociatedId`: the associations of one type on a read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociatedIds {
    /// The associated records.
    pub results: Vec<AssociatedId>,
    /// More pages, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// A v4 type with its label (`AssociationSpecWithLabel`); `label` is null when unlabelled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelledType {
    /// Who defined it.
    pub category: AssociationCategory,
    /// The type id.
    pub type_id: AssociationTypeId,
    /// The label, `None` (null) for the unlabelled default.
    pub label: Option<String>,
}

/// `LabelsBetweenObjectPair`, the 201 body of a v4 labelled PUT. Ids may be numbers or strings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LabelsBetweenObjectPair {
    /// From type id, e.g. `0-116`.
    pub from_object_type_id: String,
    /// From record.
    pub from_object_id: RecordId,
    /// To type id, e.g. `0-1`.
    pub to_object_type_id: String,
    /// To record.
    pub to_object_id: RecordId,
    /// The labels now between them.
    pub labels: Vec<String>,
}

/// One record in a v4 association list (`MultiAssociatedObjectWithLabel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssociatedRecord {
    /// The associated record. HubSpot's docs show a number, the spec a string: both decode.
    pub to_object_id: RecordId,
    /// Every type between the pair.
    pub association_types: Vec<LabelledType>,
}

/// `PublicDefaultAssociation`: one result of a v4 default association.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DefaultAssociation {
    /// From record.
    pub from: ObjectRef,
    /// To record.
    pub to: ObjectRef,
    /// The type created.
    pub association_spec: AssociationSpec,
}

/// v4 batch create input (`PublicAssociationMultiPost`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationCreate {
    /// From record.
    pub from: ObjectRef,
    /// To record.
    pub to: ObjectRef,
    /// Types to create.
    pub types: Vec<AssociationSpec>,
}

/// v4 batch archive input (`PublicAssociationMultiArchive`): every association between
/// `from` and each of `to` is removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationArchive {
    /// From record.
    pub from: ObjectRef,
    /// To records.
    pub to: Vec<ObjectRef>,
}

/// v4 batch read input (`PublicFetchAssociationsBatchRequest`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationReadInput {
    /// The record whose associations are read.
    pub id: RecordId,
    /// Cursor for the next page of this record's associations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

/// One result of a v4 batch read (`PublicAssociationMultiWithLabel`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationReadResult {
    /// The record read.
    pub from: ObjectRef,
    /// Its associated records.
    pub to: Vec<AssociatedRecord>,
    /// More pages for this record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paging: Option<Paging>,
}

/// v4 batch default-association input (`PublicDefaultAssociationMultiPost`): the pair to
/// associate with the default (unlabelled) type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssociationPair {
    /// From record.
    pub from: ObjectRef,
    /// To record.
    pub to: ObjectRef,
}

/// A v3 batch association (`PublicAssociation`): input of v3 batch create and archive, and a
/// result of v3 batch create. `kind` is a v3 type name such as `postal_mail_to_contact`.
///
/// ```
/// use hubspot_postal_model::association::{ObjectRef, V3Association};
/// let a = V3Association { from: ObjectRef { id: "1".parse()? }, to: ObjectRef { id: "2".parse()? }, kind: "postal_mail_to_contact".into() };
/// assert_eq!(serde_json::to_value(&a)?["type"], "postal_mail_to_contact");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct V3Association {
    /// From record.
    pub from: ObjectRef,
    /// To record.
    pub to: ObjectRef,
    /// The v3 type name.
    #[serde(rename = "type")]
    pub kind: String,
}

/// One result of a v3 batch read (`PublicAssociationMulti`): a record and what it is
/// associated with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct V3AssociationReadResult {
    /// The record read.
    pub from: ObjectRef,
    /// Its associated records, with their v3 type names.
    #[serde(default)]
    pub to: Vec<AssociatedId>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use types::*;

    #[test]
    fn reference_table_is_exact() {
        // Reference §4: 453..460 and the other six pairs.
        let expected = [
            ("contact", 453, 454),
            ("ticket", 455, 456),
            ("deal", 457, 458),
            ("company", 459, 460),
            ("appointment", 927, 926),
            ("course", 881, 880),
            ("listing", 905, 904),
            ("service", 849, 848),
            ("order", 788, 789),
            ("project", 1264, 1263),
        ];
        for (pair, (obj, from, to)) in DEFAULT_PAIRS.iter().zip(expected) {
            assert_eq!(
                (pair.object, pair.from_postal_mail.0, pair.to_postal_mail.0),
                (obj, from, to)
            );
        }
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(
            CONTACT_TO_POSTAL_MAIL.v3_name().unwrap(),
            "CONTACT_TO_POSTAL_MAIL"
        );
        for pair in DEFAULT_PAIRS {
            for id in [pair.from_postal_mail, pair.to_postal_mail] {
                let name = id.v3_name().unwrap();
                assert_eq!(AssociationTypeId::parse_v3(&name), Some(id));
                assert_eq!(AssociationTypeId::parse_v3(&name.to_lowercase()), Some(id));
            }
        }
        assert_eq!(
            AssociationTypeId::parse_v3("453"),
            Some(POSTAL_MAIL_TO_CONTACT)
        );
        assert_eq!(AssociationTypeId::parse_v3("POSTAL_MAIL_TO_NOTHING"), None);
        assert_eq!(AssociationTypeId(1).v3_name(), None);
    }

    #[test]
    fn defaults_by_object_type() {
        assert_eq!(
            AssociationTypeId::postal_mail_to(&ObjectType::Company),
            Some(POSTAL_MAIL_TO_COMPANY)
        );
        assert_eq!(
            AssociationTypeId::to_postal_mail(&ObjectType::Deal),
            Some(DEAL_TO_POSTAL_MAIL)
        );
        assert_eq!(
            AssociationTypeId::postal_mail_to(&ObjectType::Custom("2-9".into())),
            None
        );
    }

    #[test]
    fn unknown_category_is_kept() {
        let c: AssociationCategory = serde_json::from_str("\"NEW_KIND\"").unwrap();
        assert_eq!(c, AssociationCategory::Other("NEW_KIND".into()));
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"NEW_KIND\"");
    }
}

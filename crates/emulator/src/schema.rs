//! Property schemas per object type: which properties exist, their kind (for search
//! comparisons and validation), which are read-only, returned by default or required.
//!
//! The built-in sets cover the common properties of each type plus `hs_pinned_engagement_id`
//! on records; fixtures can add custom properties to any type.

use std::collections::BTreeMap;

use hubspot_postal_model::object_type::ObjectType;

/// How a property's values are compared and validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PropKind {
    /// Free text; compared case-insensitively.
    Text,
    /// A number (compared numerically when both sides parse).
    Number,
    /// A date-time; stored as RFC 3339 and compared as epoch millis.
    DateTime,
    /// An enumeration; compared case-sensitively (G-SEARCH).
    Enumeration,
}

impl PropKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s.to_ascii_lowercase().as_str() {
            "string" | "text" => Some(Self::Text),
            "number" => Some(Self::Number),
            "datetime" | "date" => Some(Self::DateTime),
            "enumeration" | "enum" | "bool" => Some(Self::Enumeration),
            _ => None,
        }
    }
}

/// One property of a type.
#[derive(Debug, Clone)]
pub(crate) struct PropDef {
    pub kind: PropKind,
    pub read_only: bool,
}

/// System properties every object has and every read returns.
pub(crate) const SYSTEM_PROPS: [&str; 3] = ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"];

/// The record property that pins an engagement (G-PM).
pub(crate) const PINNED: &str = "hs_pinned_engagement_id";

/// Postal mail's date property, required on create.
pub(crate) const HS_TIMESTAMP: &str = "hs_timestamp";

/// Postal mail's body text.
pub(crate) const BODY: &str = "hs_postal_mail_body";

/// The properties of one object type.
#[derive(Debug, Clone)]
pub(crate) struct TypeSchema {
    pub props: BTreeMap<String, PropDef>,
    /// Returned (with null when unset) on reads that name no `properties`, besides the system ones.
    pub defaults: Vec<String>,
    /// Required on create.
    pub required: Vec<String>,
    /// Searched by a search request's `query`.
    pub query_props: Vec<String>,
}

impl TypeSchema {
    pub fn kind(&self, name: &str) -> Option<PropKind> {
        self.props.get(name).map(|d| d.kind)
    }
}

/// The object types the emulator stores.
pub(crate) const SUPPORTED: [ObjectType; 5] = [
    ObjectType::PostalMail,
    ObjectType::Contact,
    ObjectType::Company,
    ObjectType::Deal,
    ObjectType::Ticket,
];

/// Own properties with their kinds, defaults, required and query properties of a type.
type SchemaParts = (
    &'static [(&'static str, PropKind)],
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
);

/// The built-in schema of a supported type.
pub(crate) fn builtin(object: &ObjectType) -> Option<TypeSchema> {
    use PropKind::*;
    let (own, defaults, required, query): SchemaParts = match object {
        ObjectType::PostalMail => (
            &[
                (HS_TIMESTAMP, DateTime),
                (BODY, Text),
                ("hubspot_owner_id", Number),
                ("hs_attachment_ids", Text),
            ],
            &[],
            &[HS_TIMESTAMP],
            &[BODY],
        ),
        ObjectType::Contact => (
            &[
                ("firstname", Text),
                ("lastname", Text),
                ("email", Text),
                ("phone", Text),
                ("company", Text),
                ("lifecyclestage", Enumeration),
                ("hubspot_owner_id", Number),
                (PINNED, Number),
            ],
            &["firstname", "lastname", "email"],
            &[],
            &["firstname", "lastname", "email", "phone", "company"],
        ),
        ObjectType::Company => (
            &[
                ("name", Text),
                ("domain", Text),
                ("city", Text),
                ("industry", Enumeration),
                ("phone", Text),
                ("hubspot_owner_id", Number),
                (PINNED, Number),
            ],
            &["name", "domain"],
            &[],
            &["name", "domain", "phone"],
        ),
        ObjectType::Deal => (
            &[
                ("dealname", Text),
                ("amount", Number),
                ("dealstage", Enumeration),
                ("pipeline", Enumeration),
                ("closedate", DateTime),
                ("hubspot_owner_id", Number),
                (PINNED, Number),
            ],
            &["dealname", "amount", "dealstage", "pipeline", "closedate"],
            &[],
            &["dealname"],
        ),
        ObjectType::Ticket => (
            &[
                ("subject", Text),
                ("content", Text),
                ("hs_pipeline", Enumeration),
                ("hs_pipeline_stage", Enumeration),
                ("hs_ticket_priority", Enumeration),
                ("hubspot_owner_id", Number),
                (PINNED, Number),
            ],
            &[
                "subject",
                "content",
                "hs_pipeline",
                "hs_pipeline_stage",
                "hs_ticket_priority",
            ],
            &[],
            &["subject", "content"],
        ),
        _ => return None,
    };
    let mut props: BTreeMap<String, PropDef> = own
        .iter()
        .map(|(n, k)| {
            (
                (*n).to_owned(),
                PropDef {
                    kind: *k,
                    read_only: false,
                },
            )
        })
        .collect();
    props.insert(
        "hs_object_id".into(),
        PropDef {
            kind: Number,
            read_only: true,
        },
    );
    props.insert(
        "hs_createdate".into(),
        PropDef {
            kind: DateTime,
            read_only: true,
        },
    );
    props.insert(
        "hs_lastmodifieddate".into(),
        PropDef {
            kind: DateTime,
            read_only: true,
        },
    );
    let owned = |s: &[&str]| s.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
    Some(TypeSchema {
        props,
        defaults: owned(defaults),
        required: owned(required),
        query_props: owned(query),
    })
}

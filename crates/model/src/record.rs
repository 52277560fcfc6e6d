//! `CrmObject`: the `SimplePublicObject` envelope HubSpot returns for any record, with its
//! associations when they were asked for. Postal mail and contacts share it.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::association::AssociatedIds;
use crate::ids::{PostalMailId, RecordId};
use crate::properties::{Properties, Redacted, is_sensitive};
use crate::timestamp::Timestamp;

/// `ValueWithTimestamp`: one historic value of a property.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValueWithTimestamp {
    /// The value then.
    pub value: String,
    /// When it was set.
    pub timestamp: Timestamp,
    /// What set it (`API`, `CRM_UI`, …).
    pub source_type: String,
    /// Source detail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_id: Option<String>,
    /// Source label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_label: Option<String>,
    /// The user who set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_by_user_id: Option<i64>,
}

impl fmt::Debug for ValueWithTimestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Property history may hold earlier letter text; the name is not known here, so the
        // value is never printed.
        f.debug_struct("ValueWithTimestamp")
            .field("value", &Redacted(self.value.chars().count()))
            .field("timestamp", &self.timestamp)
            .field("source_type", &self.source_type)
            .finish_non_exhaustive()
    }
}

/// `PublicObjectWarning`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// Category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Context. The spec types the values as strings, other HubSpot bodies as string lists,
    /// so either is kept as sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<BTreeMap<String, serde_json::Value>>,
}

/// `SimplePublicObject` / `SimplePublicObjectWithAssociations` with an id of type `Id`.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CrmObject<Id> {
    /// The record id.
    pub id: Id,
    /// Every property returned, known or not.
    pub properties: Properties,
    /// Past values, when `propertiesWithHistory` was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub properties_with_history: Option<BTreeMap<String, Vec<ValueWithTimestamp>>>,
    /// When the record was created. HubSpot always sends it today, but an answer without it
    /// still decodes: nothing an operation does depends on it, and a write whose answer failed
    /// to decode would leave the caller unsure whether it happened.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_at: Option<Timestamp>,
    /// When it last changed (optional for the same reason as `created_at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated_at: Option<Timestamp>,
    /// Whether it is in the recycling bin.
    #[serde(default)]
    pub archived: bool,
    /// When it was archived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archived_at: Option<Timestamp>,
    /// Associated records by object type, when `associations` was asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub associations: Option<BTreeMap<String, AssociatedIds>>,
    /// Echo of the write's trace id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_write_trace_id: Option<String>,
    /// Link to the record in HubSpot's UI.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Warnings about the write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<Warning>>,
}

impl<Id: fmt::Debug> fmt::Debug for CrmObject<Id> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CrmObject")
            .field("id", &self.id)
            .field("properties", &self.properties)
            .field("created_at", &self.created_at)
            .field("updated_at", &self.updated_at)
            .field("archived", &self.archived)
            .field("archived_at", &self.archived_at)
            .field("associations", &self.associations)
            .field(
                "properties_with_history",
                &self.properties_with_history.as_ref().map(|h| {
                    h.iter()
                        .map(|(k, v)| (k.as_str(), if is_sensitive(k) { 0 } else { v.len() }))
                        .collect::<BTreeMap<_, _>>()
                }),
            )
            .finish_non_exhaustive()
    }
}

/// A contact, company, deal, ticket or custom object record.
pub type Record = CrmObject<RecordId>;

impl<Id> CrmObject<Id> {
    /// Ids of associated records of `object_type` (as HubSpot keys the map, e.g. `contacts`).
    pub fn associated_ids(&self, object_type: &str) -> Vec<&RecordId> {
        self.associations
            .as_ref()
            .and_then(|a| a.get(object_type))
            .map(|c| c.results.iter().map(|r| &r.id).collect())
            .unwrap_or_default()
    }
}

impl Record {
    /// The engagement pinned on this record's timeline, if any.
    pub fn pinned_engagement_id(&self) -> Option<PostalMailId> {
        self.properties
            .get(crate::properties::PINNED_ENGAGEMENT_ID)
            .filter(|s| !s.is_empty())
            .and_then(|s| PostalMailId::new(s).ok())
    }
}

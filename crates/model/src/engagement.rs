//! The postal mail engagement: `PostalMail` as read, typed accessors over its properties, and
//! the create, update, upsert and batch-update inputs.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::association::AssociationInput;
use crate::attachments::AttachmentIds;
use crate::ids::{OwnerId, PostalMailId};
use crate::limits::BODY_MAX_CHARS;
use crate::properties::{
    ATTACHMENT_IDS, BODY, OWNER_ID, Properties, PropertyPatch, TIMESTAMP, validate_name,
};
use crate::record::CrmObject;
use crate::timestamp::Timestamp;
use crate::validation::ValidationError;

/// A postal mail engagement as HubSpot returns it.
///
/// Properties are kept exactly as sent; the accessors give them real types.
pub type PostalMail = CrmObject<PostalMailId>;

impl PostalMail {
    /// `hs_timestamp`, parsed. `Ok(None)` when absent or null.
    pub fn timestamp(&self) -> Result<Option<Timestamp>, ValidationError> {
        self.properties
            .get(TIMESTAMP)
            .filter(|s| !s.is_empty())
            .map(Timestamp::parse)
            .transpose()
    }

    /// `hs_postal_mail_body`.
    pub fn body(&self) -> Option<&str> {
        self.properties.get(BODY)
    }

    /// `hubspot_owner_id`, parsed.
    pub fn owner_id(&self) -> Result<Option<OwnerId>, ValidationError> {
        self.properties
            .get(OWNER_ID)
            .filter(|s| !s.is_empty())
            .map(|s| OwnerId::new(s).map_err(ValidationError::from))
            .transpose()
    }

    /// `hs_attachment_ids`, split on `;`. An absent value is an empty list.
    pub fn attachment_ids(&self) -> Result<AttachmentIds, ValidationError> {
        self.properties.get(ATTACHMENT_IDS).unwrap_or("").parse()
    }
}

fn check_body(body: &str) -> Result<(), ValidationError> {
    let chars = body.chars().count();
    if chars > BODY_MAX_CHARS {
        return Err(ValidationError::BodyTooLong {
            chars,
            max: BODY_MAX_CHARS,
        });
    }
    Ok(())
}

/// The input of a create (`SimplePublicObjectInputForCreate`): properties, the associations
/// written in the same request, and an optional trace id (batch create reports per-input
/// errors against it).
///
/// ```
/// use hubspot_postal_model::engagement::CreatePostalMail;
/// use hubspot_postal_model::ids::OwnerId;
/// let letter = CreatePostalMail::new("2021-11-12".parse()?)
///     .body("Sent copy of contract")
///     .owner(OwnerId::new("9274996")?)
///     .attachments("24332474034;24332474035".parse()?);
/// letter.validate()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreatePostalMail {
    /// The properties to write.
    pub properties: Properties,
    /// Associations created with the record.
    #[serde(default)]
    pub associations: Vec<AssociationInput>,
    /// A caller-chosen id echoed in batch errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_write_trace_id: Option<String>,
}

impl CreatePostalMail {
    /// A letter sent or received at `timestamp`.
    pub fn new(timestamp: Timestamp) -> Self {
        let mut properties = Properties::new();
        properties.insert(TIMESTAMP, timestamp.to_string());
        Self {
            properties,
            associations: Vec::new(),
            object_write_trace_id: None,
        }
    }

    /// Sets the letter text.
    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.properties.insert(BODY, body);
        self
    }

    /// Sets the owner.
    pub fn owner(mut self, owner: OwnerId) -> Self {
        self.properties.insert(OWNER_ID, owner.as_str());
        self
    }

    /// Sets the attachments.
    pub fn attachments(mut self, ids: AttachmentIds) -> Self {
        self.properties.insert(ATTACHMENT_IDS, ids.to_string());
        self
    }

    /// Sets any other property (custom properties included). Checked by [`Self::validate`].
    pub fn property(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.properties.insert(name, value);
        self
    }

    /// Adds an association written with the record.
    pub fn associate(mut self, association: AssociationInput) -> Self {
        self.associations.push(association);
        self
    }

    /// Sets the trace id batch create reports errors against.
    pub fn trace_id(mut self, id: impl Into<String>) -> Self {
        self.object_write_trace_id = Some(id.into());
        self
    }

    /// The timestamp, parsed.
    pub fn timestamp(&self) -> Result<Timestamp, ValidationError> {
        let raw = self
            .properties
            .get(TIMESTAMP)
            .ok_or(ValidationError::MissingTimestamp)?;
        Timestamp::parse(raw)
    }

    /// Checks what HubSpot would reject: a missing or malformed `hs_timestamp`, malformed owner
    /// or attachment ids, an over-long body, an invalid property name.
    pub fn validate(&self) -> Result<(), ValidationError> {
        self.timestamp()?;
        for (name, value) in self.properties.iter() {
            validate_name(name)?;
            let Some(value) = value else { continue };
            match name {
                BODY => check_body(value)?,
                OWNER_ID => {
                    OwnerId::new(value)?;
                }
                ATTACHMENT_IDS => {
                    value.parse::<AttachmentIds>()?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl fmt::Debug for CreatePostalMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CreatePostalMail")
            .field("properties", &self.properties)
            .field("associations", &self.associations)
            .field("object_write_trace_id", &self.object_write_trace_id)
            .finish()
    }
}

/// The input of an update: which properties to set, which to clear, and (by omission) which to
/// leave alone.
///
/// ```
/// use hubspot_postal_model::engagement::UpdatePostalMail;
/// let update = UpdatePostalMail::new().body("Received a call in response.").clear_attachments();
/// let json = serde_json::to_value(&update)?;
/// assert_eq!(json["properties"]["hs_attachment_ids"], "");
/// assert!(json["properties"].get("hs_timestamp").is_none()); // left alone
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UpdatePostalMail {
    patch: PropertyPatch,
}

impl UpdatePostalMail {
    /// An update that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    fn with(mut self, name: &str, value: String) -> Self {
        // Known names always validate; an error here is impossible.
        let _ = self.patch.set(name, value);
        self
    }

    fn cleared(mut self, name: &str) -> Self {
        let _ = self.patch.clear(name);
        self
    }

    /// Sets `hs_timestamp`.
    pub fn timestamp(self, t: Timestamp) -> Self {
        self.with(TIMESTAMP, t.to_string())
    }

    /// Sets the letter text.
    pub fn body(self, body: impl Into<String>) -> Self {
        self.with(BODY, body.into())
    }

    /// Clears the letter text.
    pub fn clear_body(self) -> Self {
        self.cleared(BODY)
    }

    /// Sets the owner.
    pub fn owner(self, owner: &OwnerId) -> Self {
        self.with(OWNER_ID, owner.to_string())
    }

    /// Clears the owner.
    pub fn clear_owner(self) -> Self {
        self.cleared(OWNER_ID)
    }

    /// Replaces the attachments.
    pub fn attachments(self, ids: &AttachmentIds) -> Self {
        if ids.is_empty() {
            self.cleared(ATTACHMENT_IDS)
        } else {
            self.with(ATTACHMENT_IDS, ids.to_string())
        }
    }

    /// Clears the attachments.
    pub fn clear_attachments(self) -> Self {
        self.cleared(ATTACHMENT_IDS)
    }

    /// Sets any property; an empty value clears it.
    pub fn set(mut self, name: &str, value: impl Into<String>) -> Result<Self, ValidationError> {
        self.patch.set(name, value)?;
        Ok(self)
    }

    /// Clears any property.
    pub fn clear(mut self, name: &str) -> Result<Self, ValidationError> {
        self.patch.clear(name)?;
        Ok(self)
    }

    /// The underlying patch.
    pub fn patch(&self) -> &PropertyPatch {
        &self.patch
    }

    /// Checks the update changes something and every value is well-formed.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.patch.is_empty() {
            return Err(ValidationError::EmptyUpdate);
        }
        for (name, change) in self.patch.iter() {
            let crate::properties::PropertyChange::Set(value) = change else {
                continue;
            };
            match name {
                TIMESTAMP => {
                    Timestamp::parse(value)?;
                }
                BODY => check_body(value)?,
                OWNER_ID => {
                    OwnerId::new(value.as_str())?;
                }
                ATTACHMENT_IDS => {
                    value.parse::<AttachmentIds>()?;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

impl fmt::Debug for UpdatePostalMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("UpdatePostalMail")
            .field(&self.patch)
            .finish()
    }
}

impl From<PropertyPatch> for UpdatePostalMail {
    fn from(patch: PropertyPatch) -> Self {
        Self { patch }
    }
}

/// One input of batch update (`SimplePublicObjectBatchInput`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchUpdateItem {
    /// The postal mail (or, with `id_property`, the unique value).
    pub id: String,
    /// The changes.
    #[serde(flatten)]
    pub update: UpdatePostalMail,
    /// The unique property `id` refers to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_property: Option<String>,
    /// Trace id echoed in errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_write_trace_id: Option<String>,
}

impl BatchUpdateItem {
    /// Updates the postal mail `id`.
    pub fn new(id: &PostalMailId, update: UpdatePostalMail) -> Self {
        Self {
            id: id.to_string(),
            update,
            id_property: None,
            object_write_trace_id: None,
        }
    }
}

/// One input of batch upsert (`SimplePublicObjectBatchInputUpsert`): creates or updates the
/// postal mail whose unique property `id_property` has the value `id`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpsertPostalMail {
    /// The unique value.
    pub id: String,
    /// The unique property it is a value of.
    pub id_property: String,
    /// The properties to write.
    pub properties: Properties,
    /// Trace id echoed in errors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_write_trace_id: Option<String>,
}

impl UpsertPostalMail {
    /// An upsert keyed on `id_property = id`.
    pub fn new(
        id_property: &str,
        id: impl Into<String>,
        properties: Properties,
    ) -> Result<Self, ValidationError> {
        validate_name(id_property)?;
        Ok(Self {
            id: id.into(),
            id_property: id_property.to_owned(),
            properties,
            object_write_trace_id: None,
        })
    }
}

impl fmt::Debug for UpsertPostalMail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpsertPostalMail")
            .field("id", &self.id)
            .field("id_property", &self.id_property)
            .field("properties", &self.properties)
            .finish_non_exhaustive()
    }
}

/// A batch upsert result: the postal mail and whether it was created.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UpsertedPostalMail {
    /// The record.
    #[serde(flatten)]
    pub postal_mail: PostalMail,
    /// `true` when the upsert created it.
    pub new: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn create_requires_timestamp() {
        let mut letter = CreatePostalMail::new(Timestamp::from_epoch_millis(0).unwrap());
        letter.properties.remove(TIMESTAMP);
        assert_eq!(letter.validate(), Err(ValidationError::MissingTimestamp));
        letter.properties.insert(TIMESTAMP, "soon");
        assert_eq!(
            letter.validate(),
            Err(ValidationError::InvalidTimestamp {
                input: "soon".into()
            })
        );
    }

    #[test]
    fn create_checks_each_typed_value() {
        let t = Timestamp::from_epoch_millis(0).unwrap();
        let bad_owner = CreatePostalMail::new(t).property(OWNER_ID, "12x");
        assert!(matches!(bad_owner.validate(), Err(ValidationError::Id(_))));
        let bad_att = CreatePostalMail::new(t).property(ATTACHMENT_IDS, "1;;2");
        assert!(matches!(
            bad_att.validate(),
            Err(ValidationError::InvalidAttachmentId { .. })
        ));
        let long = CreatePostalMail::new(t).body("x".repeat(BODY_MAX_CHARS + 1));
        assert_eq!(
            long.validate(),
            Err(ValidationError::BodyTooLong {
                chars: BODY_MAX_CHARS + 1,
                max: BODY_MAX_CHARS
            })
        );
        let bad_name = CreatePostalMail::new(t).property("Not OK", "1");
        assert!(matches!(
            bad_name.validate(),
            Err(ValidationError::InvalidPropertyName { .. })
        ));
    }

    #[test]
    fn update_distinguishes_set_clear_leave() {
        assert_eq!(
            UpdatePostalMail::new().validate(),
            Err(ValidationError::EmptyUpdate)
        );
        let u = UpdatePostalMail::new().body("hello").clear_owner();
        let json = serde_json::to_value(&u).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"properties": {"hs_postal_mail_body": "hello", "hubspot_owner_id": ""}})
        );
        let back: UpdatePostalMail = serde_json::from_value(json).unwrap();
        assert_eq!(back, u);
        assert!(!format!("{u:?}").contains("hello"));
    }

    #[test]
    fn typed_accessors() {
        let json = serde_json::json!({
            "id": "1", "createdAt": "2026-01-05T10:00:00.000Z", "updatedAt": "2026-01-05T10:00:00.000Z", "archived": false,
            "properties": {"hs_timestamp": "2021-11-12T00:00:00Z", "hubspot_owner_id": "9274996", "hs_attachment_ids": "1;2", "hs_postal_mail_body": "b"}
        });
        let pm: PostalMail = serde_json::from_value(json).unwrap();
        assert_eq!(
            pm.timestamp().unwrap().unwrap().to_string(),
            "2021-11-12T00:00:00.000Z"
        );
        assert_eq!(pm.owner_id().unwrap().unwrap().as_str(), "9274996");
        assert_eq!(pm.attachment_ids().unwrap().len(), 2);
        assert_eq!(pm.body(), Some("b"));
    }
}

//! Property maps as HubSpot sends them (name → string or null), the names this crate gives
//! meaning to, and `PropertyPatch`, the set / clear / leave-alone change of an update.
//!
//! Letter text carries names and addresses, so `Debug` of these maps shows the length of
//! sensitive values, never the text. Use [`Properties::reveal`] to print everything on purpose.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::validation::ValidationError;

/// `hs_timestamp`: when the letter was sent or received.
pub const TIMESTAMP: &str = "hs_timestamp";
/// `hs_postal_mail_body`: the letter's text.
pub const BODY: &str = "hs_postal_mail_body";
/// `hubspot_owner_id`: the HubSpot user who owns the engagement.
pub const OWNER_ID: &str = "hubspot_owner_id";
/// `hs_attachment_ids`: attached files, joined with `;`.
pub const ATTACHMENT_IDS: &str = "hs_attachment_ids";
/// `hs_createdate` (read-only).
pub const CREATE_DATE: &str = "hs_createdate";
/// `hs_lastmodifieddate` (read-only).
pub const LAST_MODIFIED_DATE: &str = "hs_lastmodifieddate";
/// `hs_object_id` (read-only).
pub const OBJECT_ID: &str = "hs_object_id";
/// `hs_pinned_engagement_id` on contacts, companies, deals and tickets.
pub const PINNED_ENGAGEMENT_ID: &str = "hs_pinned_engagement_id";

/// The writable postal mail properties (G-PM).
pub const WRITABLE: [&str; 4] = [TIMESTAMP, BODY, OWNER_ID, ATTACHMENT_IDS];

/// Properties HubSpot returns on every read by default.
pub const DEFAULT_RETURNED: [&str; 3] = [CREATE_DATE, LAST_MODIFIED_DATE, OBJECT_ID];

/// Whether a property's value is kept out of `Debug` output.
pub fn is_sensitive(name: &str) -> bool {
    name == BODY
}

/// Checks a property's internal name: lowercase ASCII letters, digits and `_`, 1 to 100 long.
pub fn validate_name(name: &str) -> Result<(), ValidationError> {
    let ok = !name.is_empty()
        && name.len() <= 100
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(ValidationError::InvalidPropertyName {
            name: name.to_owned(),
        })
    }
}

/// A map of property name to value, where a value may be `null`.
///
/// Decoding keeps every property, known or not, so that encoding gives back what HubSpot sent.
/// Numbers and booleans (which HubSpot does not send, but hand-written fixtures do) are kept as
/// their JSON text.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Properties(BTreeMap<String, Option<String>>);

impl Properties {
    /// An empty map.
    pub fn new() -> Self {
        Self::default()
    }

    /// The value of `name`: `None` when absent or null.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(|v| v.as_deref())
    }

    /// Whether `name` is present (even as null).
    pub fn contains(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    /// Sets a value.
    pub fn insert(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.insert(name.into(), Some(value.into()));
    }

    /// Sets a property to null.
    pub fn insert_null(&mut self, name: impl Into<String>) {
        self.0.insert(name.into(), None);
    }

    /// Removes a property.
    pub fn remove(&mut self, name: &str) -> Option<Option<String>> {
        self.0.remove(name)
    }

    /// Every property in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, Option<&str>)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_deref()))
    }

    /// Number of properties.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A view whose `Debug` prints every value, letter text included.
    pub fn reveal(&self) -> impl fmt::Debug + '_ {
        Reveal(self)
    }
}

impl FromIterator<(String, Option<String>)> for Properties {
    fn from_iter<I: IntoIterator<Item = (String, Option<String>)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

struct Reveal<'a>(&'a Properties);

impl fmt::Debug for Reveal<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.0.0.iter()).finish()
    }
}

/// Stands in for a sensitive value in `Debug` output.
pub(crate) struct Redacted(pub(crate) usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} chars>", self.0)
    }
}

impl fmt::Debug for Properties {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.0 {
            match v {
                Some(v) if is_sensitive(k) => m.entry(k, &Redacted(v.chars().count())),
                v => m.entry(k, v),
            };
        }
        m.finish()
    }
}

impl Serialize for Properties {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(s)
    }
}

/// A property value as it may appear on the wire.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawValue {
    S(Option<String>),
    N(serde_json::Number),
    B(bool),
}

impl RawValue {
    fn into_value(self) -> Option<String> {
        match self {
            RawValue::S(s) => s,
            RawValue::N(n) => Some(n.to_string()),
            RawValue::B(b) => Some(b.to_string()),
        }
    }
}

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = BTreeMap::<String, RawValue>::deserialize(d)?;
        Ok(Self(
            raw.into_iter().map(|(k, v)| (k, v.into_value())).collect(),
        ))
    }
}

/// One property's change in an update.
#[derive(Clone, PartialEq, Eq)]
pub enum PropertyChange {
    /// Write this (non-empty) value.
    Set(String),
    /// Clear the value; HubSpot clears with an empty string.
    Clear,
}

impl fmt::Debug for PropertyChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Set(v) => f.debug_tuple("Set").field(v).finish(),
            Self::Clear => f.write_str("Clear"),
        }
    }
}

/// The properties an update writes: each named property is set or cleared; every property not
/// named is left alone. Encodes as `{"properties": {...}}` with `""` for a clear.
///
/// ```
/// use hubspot_postal_model::properties::PropertyPatch;
/// let mut patch = PropertyPatch::new();
/// patch.set("hs_postal_mail_body", "Received a reply")?;
/// patch.clear("hubspot_owner_id")?;
/// assert_eq!(
///     serde_json::to_value(&patch)?,
///     serde_json::json!({"properties": {"hs_postal_mail_body": "Received a reply", "hubspot_owner_id": ""}})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct PropertyPatch(BTreeMap<String, PropertyChange>);

impl PropertyPatch {
    /// A patch that changes nothing yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name` to `value`; an empty `value` is a clear, as it is on the wire.
    pub fn set(
        &mut self,
        name: &str,
        value: impl Into<String>,
    ) -> Result<&mut Self, ValidationError> {
        validate_name(name)?;
        let value = value.into();
        let change = if value.is_empty() {
            PropertyChange::Clear
        } else {
            PropertyChange::Set(value)
        };
        self.0.insert(name.to_owned(), change);
        Ok(self)
    }

    /// Clears `name`.
    pub fn clear(&mut self, name: &str) -> Result<&mut Self, ValidationError> {
        validate_name(name)?;
        self.0.insert(name.to_owned(), PropertyChange::Clear);
        Ok(self)
    }

    /// Stops changing `name` (leave it alone).
    pub fn leave(&mut self, name: &str) -> &mut Self {
        self.0.remove(name);
        self
    }

    /// The change to `name`, if any.
    pub fn get(&self, name: &str) -> Option<&PropertyChange> {
        self.0.get(name)
    }

    /// Every change in name order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &PropertyChange)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Whether the patch changes nothing.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The wire map: name → value, `""` for a clear.
    pub fn to_wire(&self) -> BTreeMap<&str, &str> {
        self.0
            .iter()
            .map(|(k, v)| {
                let v = match v {
                    PropertyChange::Set(s) => s.as_str(),
                    PropertyChange::Clear => "",
                };
                (k.as_str(), v)
            })
            .collect()
    }
}

impl fmt::Debug for PropertyPatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut m = f.debug_map();
        for (k, v) in &self.0 {
            match v {
                PropertyChange::Set(s) if is_sensitive(k) => {
                    m.entry(k, &Redacted(s.chars().count()))
                }
                v => m.entry(k, v),
            };
        }
        m.finish()
    }
}

#[derive(Serialize)]
struct PatchWire<'a> {
    properties: BTreeMap<&'a str, &'a str>,
}

#[derive(Deserialize)]
struct PatchWireOwned {
    properties: BTreeMap<String, RawValue>,
}

impl Serialize for PropertyPatch {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        PatchWire {
            properties: self.to_wire(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PropertyPatch {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let wire = PatchWireOwned::deserialize(d)?;
        Ok(Self(
            wire.properties
                .into_iter()
                .map(|(k, v)| match v.into_value() {
                    Some(v) if !v.is_empty() => (k, PropertyChange::Set(v)),
                    _ => (k, PropertyChange::Clear),
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_letter_text() {
        let mut p = Properties::new();
        p.insert(BODY, "Dear Ms Smith, 12 Acacia Avenue");
        p.insert(OWNER_ID, "9274996");
        let dbg = format!("{p:?}");
        assert!(!dbg.contains("Acacia"), "{dbg}");
        assert!(dbg.contains("<redacted 31 chars>"));
        assert!(dbg.contains("9274996"));
        assert!(format!("{:?}", p.reveal()).contains("Acacia"));

        let mut patch = PropertyPatch::new();
        patch.set(BODY, "Acacia").unwrap();
        assert!(!format!("{patch:?}").contains("Acacia"));
    }

    #[test]
    fn null_and_missing_differ() {
        let p: Properties = serde_json::from_str(r#"{"a": null, "b": "x", "n": 5}"#).unwrap();
        assert!(p.contains("a"));
        assert_eq!(p.get("a"), None);
        assert_eq!(p.get("b"), Some("x"));
        assert_eq!(p.get("n"), Some("5"));
        assert!(!p.contains("c"));
        assert_eq!(
            serde_json::to_value(&p).unwrap()["a"],
            serde_json::Value::Null
        );
    }

    #[test]
    fn patch_rejects_bad_names() {
        let mut patch = PropertyPatch::new();
        assert!(patch.set("", "x").is_err());
        assert!(patch.set("Bad Name", "x").is_err());
        assert!(patch.clear("a/b").is_err());
        assert!(patch.is_empty());
    }

    #[test]
    fn empty_set_is_clear() {
        let mut patch = PropertyPatch::new();
        patch.set("x", "").unwrap();
        assert_eq!(patch.get("x"), Some(&PropertyChange::Clear));
    }
}

//! `AttachmentIds`: the files attached to a letter, which HubSpot stores as one string joined
//! with `;` (`hs_attachment_ids`).

use std::fmt;
use std::str::FromStr;

use crate::validation::ValidationError;

/// Separator HubSpot uses between attachment ids.
pub const SEPARATOR: char = ';';

/// One attachment (file) id. Never empty, never contains `;` or whitespace.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttachmentId(String);

impl AttachmentId {
    /// Validates one id.
    pub fn new(id: impl Into<String>) -> Result<Self, ValidationError> {
        let id = id.into();
        let reason = if id.is_empty() {
            Some("it is empty")
        } else if id.contains(SEPARATOR) {
            Some("it contains the ';' separator")
        } else if id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            Some("it contains whitespace or a control character")
        } else {
            None
        };
        match reason {
            Some(reason) => Err(ValidationError::InvalidAttachmentId { input: id, reason }),
            None => Ok(Self(id)),
        }
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AttachmentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An ordered list of attachment ids; the empty list is written as `""`.
///
/// ```
/// use hubspot_postal_model::attachments::AttachmentIds;
/// let ids: AttachmentIds = "24332474034;24332474035".parse()?;
/// assert_eq!(ids.len(), 2);
/// assert_eq!(ids.to_string(), "24332474034;24332474035");
/// assert!("1;;2".parse::<AttachmentIds>().is_err());
/// # Ok::<(), hubspot_postal_model::validation::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct AttachmentIds(Vec<AttachmentId>);

impl AttachmentIds {
    /// From already validated ids.
    pub fn new(ids: Vec<AttachmentId>) -> Self {
        Self(ids)
    }

    /// Validates each id.
    pub fn try_from_iter<I, S>(ids: I) -> Result<Self, ValidationError>
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        ids.into_iter()
            .map(AttachmentId::new)
            .collect::<Result<Vec<_>, _>>()
            .map(Self)
    }

    /// The ids in order.
    pub fn iter(&self) -> impl Iterator<Item = &AttachmentId> {
        self.0.iter()
    }

    /// How many ids.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for AttachmentIds {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, id) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(id.as_str())?;
        }
        Ok(())
    }
}

impl FromStr for AttachmentIds {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        if s.is_empty() {
            return Ok(Self::default());
        }
        Self::try_from_iter(s.split(SEPARATOR))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn rejects_bad_ids_with_reason() {
        assert_eq!(
            AttachmentId::new("").unwrap_err(),
            ValidationError::InvalidAttachmentId {
                input: String::new(),
                reason: "it is empty"
            }
        );
        assert_eq!(
            AttachmentId::new("1;2").unwrap_err(),
            ValidationError::InvalidAttachmentId {
                input: "1;2".into(),
                reason: "it contains the ';' separator"
            }
        );
        assert!(AttachmentId::new("1 2").is_err());
        assert!("1;".parse::<AttachmentIds>().is_err());
    }

    #[test]
    fn empty_string_is_empty_list() {
        assert!("".parse::<AttachmentIds>().unwrap().is_empty());
        assert_eq!(AttachmentIds::default().to_string(), "");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn wire_form_round_trips(ids in proptest::collection::vec("[0-9A-Za-z_.-]{1,12}", 0..8)) {
            let list = AttachmentIds::try_from_iter(ids.clone()).unwrap();
            let wire = list.to_string();
            prop_assert_eq!(wire.parse::<AttachmentIds>().unwrap(), list);
            prop_assert_eq!(wire, ids.join(";"));
        }
    }
}

//! Identifier newtypes: postal mail ids, CRM record ids, owner ids and attachment ids.
//!
//! Every id that ends up in a URL path is validated here, once, so that no caller input can
//! change the path it is placed in (`/`, `..`, `?`, `#`, `%`, whitespace). HubSpot's object ids
//! are 64-bit integers sent as strings, so those types accept ASCII digits only.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::limits::ID_MAX_DIGITS;

/// Why an id was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// The id was empty.
    #[error("{kind} id is empty")]
    Empty {
        /// Which kind of id.
        kind: &'static str,
    },
    /// The id contained a character HubSpot does not use in this kind of id.
    #[error("{kind} id contains {found:?} at byte {position}; only ASCII digits are allowed")]
    InvalidCharacter {
        /// Which kind of id.
        kind: &'static str,
        /// The offending character.
        found: char,
        /// Its byte offset.
        position: usize,
    },
    /// The id was longer than a 64-bit integer can be.
    #[error("{kind} id has {len} digits; at most {max} are allowed", max = ID_MAX_DIGITS)]
    TooLong {
        /// Which kind of id.
        kind: &'static str,
        /// Its length.
        len: usize,
    },
}

fn validate_numeric(kind: &'static str, s: &str) -> Result<(), IdError> {
    if s.is_empty() {
        return Err(IdError::Empty { kind });
    }
    if let Some((position, found)) = s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        return Err(IdError::InvalidCharacter {
            kind,
            found,
            position,
        });
    }
    if s.len() > ID_MAX_DIGITS {
        return Err(IdError::TooLong { kind, len: s.len() });
    }
    Ok(())
}

/// Accepts a JSON string or a JSON integer, since HubSpot's docs send `"to": {"id": 501}`
/// while the spec types ids as strings.
fn string_or_number<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        S(String),
        U(u64),
        I(i64),
    }
    Ok(match Raw::deserialize(d)? {
        Raw::S(s) => s,
        Raw::U(n) => n.to_string(),
        Raw::I(n) => n.to_string(),
    })
}

macro_rules! numeric_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(String);

        impl $name {
            /// Parses and validates an id (ASCII digits, 1 to 20 of them).
            pub fn new(id: impl Into<String>) -> Result<Self, IdError> {
                let id = id.into();
                validate_numeric($kind, &id)?;
                Ok(Self(id))
            }

            /// The id as HubSpot writes it.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl From<u64> for $name {
            fn from(n: u64) -> Self {
                Self(n.to_string())
            }
        }

        impl FromStr for $name {
            type Err = IdError;
            fn from_str(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = IdError;
            fn try_from(s: &str) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                // `pad` honours width and alignment, for tables.
                f.pad(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, concat!(stringify!($name), "({})"), self.0)
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let raw = string_or_number(d)?;
                Self::new(raw).map_err(serde::de::Error::custom)
            }
        }
    };
}

numeric_id!(
    /// The id of a postal mail engagement (`hs_object_id`).
    ///
    /// ```
    /// use hubspot_postal_model::ids::PostalMailId;
    /// assert!(PostalMailId::new("25727582880").is_ok());
    /// assert!(PostalMailId::new("../contacts").is_err());
    /// ```
    PostalMailId,
    "postal mail"
);

numeric_id!(
    /// The id of a CRM record: a contact, company, deal, ticket or custom object record.
    RecordId,
    "record"
);

numeric_id!(
    /// The id of a HubSpot user who owns records (`hubspot_owner_id`).
    OwnerId,
    "owner"
);

impl From<PostalMailId> for RecordId {
    fn from(id: PostalMailId) -> Self {
        RecordId(id.0)
    }
}

impl From<RecordId> for PostalMailId {
    fn from(id: RecordId) -> Self {
        PostalMailId(id.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_path_changing_input() {
        for bad in [
            "", "/", "..", "12/34", "12?x", "12#x", "12%2F", " 12", "12\n", "abc", "-1", "1.5",
        ] {
            assert!(PostalMailId::new(bad).is_err(), "{bad:?} must be rejected");
        }
    }

    #[test]
    fn error_says_why() {
        let e = RecordId::new("12/34").unwrap_err();
        assert_eq!(
            e,
            IdError::InvalidCharacter {
                kind: "record",
                found: '/',
                position: 2
            }
        );
        assert!(e.to_string().contains("'/'"));
        assert_eq!(
            OwnerId::new("").unwrap_err(),
            IdError::Empty { kind: "owner" }
        );
        assert_eq!(
            RecordId::new("1".repeat(21)).unwrap_err(),
            IdError::TooLong {
                kind: "record",
                len: 21
            }
        );
    }

    #[test]
    fn accepts_json_numbers_and_strings() {
        let a: RecordId = serde_json::from_str("501").unwrap();
        let b: RecordId = serde_json::from_str("\"501\"").unwrap();
        assert_eq!(a, b);
        assert_eq!(serde_json::to_string(&a).unwrap(), "\"501\"");
        assert!(serde_json::from_str::<RecordId>("\"5/01\"").is_err());
        assert!(serde_json::from_str::<RecordId>("-3").is_err());
    }
}

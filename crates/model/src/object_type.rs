//! CRM object types: the records a postal mail is logged against, and the path forms HubSpot
//! accepts for each (`contact`, `contacts`, `0-1`).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The object type name of postal mail in paths.
pub const POSTAL_MAIL_NAME: &str = "postal_mail";

/// The object type id of postal mail (G-OBJ table).
pub const POSTAL_MAIL_TYPE_ID: &str = "0-116";

/// A CRM object type.
///
/// Parsing accepts the singular and plural names and the object type id, so `contact`,
/// `contacts` and `0-1` are all [`ObjectType::Contact`]:
///
/// ```
/// use hubspot_postal_model::object_type::ObjectType;
/// assert_eq!("contacts".parse::<ObjectType>().unwrap(), ObjectType::Contact);
/// assert_eq!("0-5".parse::<ObjectType>().unwrap(), ObjectType::Ticket);
/// assert_eq!(ObjectType::Company.plural(), "companies");
/// assert!("p_letters/../x".parse::<ObjectType>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ObjectType {
    /// Contacts (`0-1`).
    Contact,
    /// Companies (`0-2`).
    Company,
    /// Deals (`0-3`).
    Deal,
    /// Tickets (`0-5`).
    Ticket,
    /// Postal mail engagements (`0-116`).
    PostalMail,
    /// Any other type, by object type id (`0-…`, `2-…`) or custom name (`p_…`).
    Custom(String),
}

/// A name that is not a CRM object type HubSpot would accept in a path.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{input:?} is not a CRM object type: use contact, company, deal, ticket, postal_mail, an object type id like 2-123 or a custom name like p_letters"
)]
pub struct ObjectTypeError {
    /// What was given.
    pub input: String,
}

/// name (singular), plural, object type id
const BUILT_IN: [(ObjectType, &str, &str, &str); 5] = [
    (ObjectType::Contact, "contact", "contacts", "0-1"),
    (ObjectType::Company, "company", "companies", "0-2"),
    (ObjectType::Deal, "deal", "deals", "0-3"),
    (ObjectType::Ticket, "ticket", "tickets", "0-5"),
    (
        ObjectType::PostalMail,
        POSTAL_MAIL_NAME,
        POSTAL_MAIL_NAME,
        POSTAL_MAIL_TYPE_ID,
    ),
];

impl ObjectType {
    fn built_in(&self) -> Option<&'static (ObjectType, &'static str, &'static str, &'static str)> {
        BUILT_IN.iter().find(|(t, ..)| t == self)
    }

    /// The singular name (`contact`), or the custom name or id as given.
    pub fn singular(&self) -> &str {
        match self {
            ObjectType::Custom(s) => s,
            other => other.built_in().map_or("", |b| b.1),
        }
    }

    /// The plural name used in object paths (`contacts`), or the custom name or id as given.
    pub fn plural(&self) -> &str {
        match self {
            ObjectType::Custom(s) => s,
            other => other.built_in().map_or("", |b| b.2),
        }
    }

    /// The object type id (`0-1`) for built-in types; `None` for custom names.
    pub fn type_id(&self) -> Option<&str> {
        match self {
            ObjectType::Custom(s) if is_type_id(s) => Some(s),
            ObjectType::Custom(_) => None,
            other => other.built_in().map(|b| b.3),
        }
    }

    /// Whether a record of this type can pin an engagement (`hs_pinned_engagement_id`).
    pub fn can_pin(&self) -> bool {
        !matches!(self, ObjectType::PostalMail)
    }
}

fn is_type_id(s: &str) -> bool {
    match s.split_once('-') {
        Some((a, b)) => {
            !a.is_empty()
                && !b.is_empty()
                && a.len() <= 4
                && b.len() <= 20
                && a.bytes().all(|c| c.is_ascii_digit())
                && b.bytes().all(|c| c.is_ascii_digit())
        }
        None => false,
    }
}

fn is_custom_name(s: &str) -> bool {
    // HubSpot's fully qualified custom names look like `p_letters` or `p12345_letters`.
    s.len() > 2
        && s.len() <= 100
        && s.starts_with("p")
        && s.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
        && s.contains('_')
}

impl FromStr for ObjectType {
    type Err = ObjectTypeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        if let Some((t, ..)) = BUILT_IN
            .iter()
            .find(|(_, one, many, id)| lower == *one || lower == *many || s == *id)
        {
            return Ok(t.clone());
        }
        if lower == "postal_mails" || lower == "postalmail" {
            return Ok(ObjectType::PostalMail);
        }
        if is_type_id(s) || is_custom_name(s) {
            return Ok(ObjectType::Custom(s.to_owned()));
        }
        Err(ObjectTypeError {
            input: s.to_owned(),
        })
    }
}

impl fmt::Display for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.plural())
    }
}

impl Serialize for ObjectType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.plural())
    }
}

impl<'de> Deserialize<'de> for ObjectType {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_path_forms_parse() {
        for (t, one, many, id) in BUILT_IN.iter() {
            assert_eq!(&one.parse::<ObjectType>().unwrap(), t);
            assert_eq!(&many.parse::<ObjectType>().unwrap(), t);
            assert_eq!(&id.parse::<ObjectType>().unwrap(), t);
            assert_eq!(&one.to_uppercase().parse::<ObjectType>().unwrap(), t);
        }
        assert_eq!(
            "2-123".parse::<ObjectType>().unwrap(),
            ObjectType::Custom("2-123".into())
        );
        assert_eq!(
            "p_letters".parse::<ObjectType>().unwrap().plural(),
            "p_letters"
        );
    }

    #[test]
    fn rejects_path_injection() {
        for bad in [
            "",
            "contacts/1",
            "..",
            "p_a/b",
            "0-",
            "-1",
            "con tacts",
            "p_%2F",
            "x?y",
        ] {
            assert!(bad.parse::<ObjectType>().is_err(), "{bad:?}");
        }
    }
}

//! Pins: putting a postal mail at the top of a record's timeline by setting the record's
//! `hs_pinned_engagement_id`. A pin can only be built from a postal mail id and a target record.
//!
//! HubSpot's rule (G-PM): the postal mail must already be associated with the record, and a
//! record pins one activity at a time. The association check needs I/O, so the client does it.

use serde::Serialize;

use crate::ids::{PostalMailId, RecordId};
use crate::object_type::ObjectType;
use crate::properties::{PINNED_ENGAGEMENT_ID, PropertyPatch};
use crate::validation::ValidationError;

/// A record that can carry a pin: a contact, company, deal, ticket or custom record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PinTarget {
    object_type: ObjectType,
    id: RecordId,
}

impl PinTarget {
    /// A target; postal mail itself cannot carry a pin.
    pub fn new(object_type: ObjectType, id: RecordId) -> Result<Self, ValidationError> {
        if !object_type.can_pin() {
            return Err(ValidationError::CannotPinOn {
                object_type: object_type.to_string(),
            });
        }
        Ok(Self { object_type, id })
    }

    /// A contact.
    pub fn contact(id: RecordId) -> Self {
        Self {
            object_type: ObjectType::Contact,
            id,
        }
    }

    /// A company.
    pub fn company(id: RecordId) -> Self {
        Self {
            object_type: ObjectType::Company,
            id,
        }
    }

    /// A deal.
    pub fn deal(id: RecordId) -> Self {
        Self {
            object_type: ObjectType::Deal,
            id,
        }
    }

    /// A ticket.
    pub fn ticket(id: RecordId) -> Self {
        Self {
            object_type: ObjectType::Ticket,
            id,
        }
    }

    /// The record's type.
    pub fn object_type(&self) -> &ObjectType {
        &self.object_type
    }

    /// The record's id.
    pub fn id(&self) -> &RecordId {
        &self.id
    }
}

/// The change that pins `engagement` on `target`.
///
/// ```
/// use hubspot_postal_model::pin::{Pin, PinTarget};
/// use hubspot_postal_model::ids::{PostalMailId, RecordId};
/// let pin = Pin::new(PostalMailId::new("123456789")?, PinTarget::contact(RecordId::new("501")?));
/// assert_eq!(
///     serde_json::to_value(pin.patch())?,
///     serde_json::json!({"properties": {"hs_pinned_engagement_id": "123456789"}})
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pin {
    engagement: PostalMailId,
    target: PinTarget,
}

impl Pin {
    /// Pins `engagement` on `target`.
    pub fn new(engagement: PostalMailId, target: PinTarget) -> Self {
        Self { engagement, target }
    }

    /// The pinned postal mail.
    pub fn engagement(&self) -> &PostalMailId {
        &self.engagement
    }

    /// The record.
    pub fn target(&self) -> &PinTarget {
        &self.target
    }

    /// The record update that sets the pin.
    pub fn patch(&self) -> PropertyPatch {
        let mut p = PropertyPatch::new();
        // A numeric id is always a valid value of a valid name.
        let _ = p.set(PINNED_ENGAGEMENT_ID, self.engagement.as_str());
        p
    }

    /// The record update that removes any pin from `target`.
    pub fn unpin_patch() -> PropertyPatch {
        let mut p = PropertyPatch::new();
        let _ = p.clear(PINNED_ENGAGEMENT_ID);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn postal_mail_cannot_carry_a_pin() {
        let e = PinTarget::new(ObjectType::PostalMail, RecordId::from(1)).unwrap_err();
        assert_eq!(
            e,
            ValidationError::CannotPinOn {
                object_type: "postal_mail".into()
            }
        );
        assert!(PinTarget::new(ObjectType::Deal, RecordId::from(1)).is_ok());
    }

    #[test]
    fn unpin_clears() {
        assert_eq!(
            serde_json::to_value(Pin::unpin_patch()).unwrap(),
            serde_json::json!({"properties": {"hs_pinned_engagement_id": ""}})
        );
    }
}

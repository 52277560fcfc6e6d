//! The letter both stories log, and the facts they print about it.

use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail};
use hubspot_postal::model::ids::{OwnerId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::timestamp::Timestamp;

use crate::error::StoryError;

/// The owner the letter is logged for.
pub const OWNER: &str = "9274996";

/// The two files attached to the letter.
pub const ATTACHMENTS: &str = "24332474034;24332474035";

/// How many times to look for the letter in search results, and how long to wait between:
/// HubSpot's search index lags writes by a few seconds.
pub const SEARCH_ATTEMPTS: u32 = 10;

/// Wait between search attempts.
pub const SEARCH_PAUSE: std::time::Duration = std::time::Duration::from_secs(2);

/// Letters to look through when listing, so that a large portal is not listed in full.
pub const LIST_SCAN_LIMIT: usize = 1_000;

/// A word unique to this run, written into the body so that search finds this letter only.
pub fn marker(now: Timestamp) -> String {
    format!("quickstart{}", now.epoch_millis())
}

/// The body as first logged.
pub fn first_body(marker: &str) -> String {
    format!("Signed contract received by post (ref {marker}).")
}

/// The body after the update.
pub fn updated_body(marker: &str) -> String {
    format!(
        "Signed contract received by post, with a cover letter asking for a call (ref {marker})."
    )
}

/// The create input: a letter received from `contact` now, associated with it at create.
pub fn letter_from(
    contact: &RecordId,
    now: Timestamp,
    marker: &str,
) -> Result<CreatePostalMail, StoryError> {
    let association = AssociationInput::default_to(&ObjectType::Contact, contact.clone())
        .ok_or_else(|| StoryError::Unexpected("no default contact association".into()))?;
    Ok(CreatePostalMail::new(now)
        .body(first_body(marker))
        .owner(OwnerId::new(OWNER)?)
        .attachments(ATTACHMENTS.parse()?)
        .associate(association))
}

/// `contacts: 501` style: the ids of one associated object type on a read letter.
pub fn associated(letter: &PostalMail, plural: &str) -> String {
    let ids: Vec<String> = letter
        .associated_ids(plural)
        .into_iter()
        .map(ToString::to_string)
        .collect();
    if ids.is_empty() {
        "none".to_owned()
    } else {
        ids.join(", ")
    }
}

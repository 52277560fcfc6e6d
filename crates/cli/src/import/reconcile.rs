//! Reconciliation: finding in HubSpot the rows of an earlier run whose outcome is unknown
//! (in flight when the run stopped, or in a chunk that may have been applied), so that they
//! are marked done instead of created a second time.
//!
//! Two ways, chosen by `--key-property`:
//! - **by key** (robust): each row's import key was written into a custom unique property on
//!   create, so a search `PROPERTY IN (keys)` finds exactly the rows that exist;
//! - **by content** (default, needs no portal setup): HubSpot does not keep
//!   `objectWriteTraceId` and rejects unknown properties, so rows are found by a search on
//!   `hs_timestamp` (5 timestamps per request, ORed) and matched exactly, client-side, on
//!   timestamp, text, owner and attachments, one letter per row and never a letter another
//!   row already holds. A letter with identical content logged outside this import would be
//!   taken for the row.
//!
//! Either way, HubSpot's search index lags writes by a few seconds; the caller waits
//! `--reconcile-delay` first.

use std::collections::{BTreeMap, HashMap, HashSet};

use futures::TryStreamExt;
use hubspot_postal::Client;
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail};
use hubspot_postal::model::limits::{SEARCH_MAX_FILTER_GROUPS, SEARCH_MAX_PAGE_SIZE};
use hubspot_postal::model::properties::{ATTACHMENT_IDS, BODY, OWNER_ID, TIMESTAMP};
use hubspot_postal::model::search::{Filter, SearchRequest};

use crate::output::LETTER_PROPERTIES;

/// Keys per `IN` filter: keeps the search body well under HubSpot's 3,000 characters.
const KEYS_PER_SEARCH: usize = 50;

/// A row whose outcome is unknown.
#[derive(Debug, Clone, Copy)]
pub struct Unsettled<'a> {
    /// Its import key.
    pub key: &'a str,
    /// What was sent.
    pub input: &'a CreatePostalMail,
}

/// Finds the rows that exist: key → postal mail id. `taken` holds ids already assigned to
/// done rows, which no other row may claim.
pub async fn find(
    client: &Client,
    rows: &[Unsettled<'_>],
    key_property: Option<&str>,
    taken: &HashSet<String>,
) -> Result<HashMap<String, String>, hubspot_postal::Error> {
    match key_property {
        Some(property) => by_key(client, rows, property, taken).await,
        None => by_content(client, rows, taken).await,
    }
}

async fn by_key(
    client: &Client,
    rows: &[Unsettled<'_>],
    property: &str,
    taken: &HashSet<String>,
) -> Result<HashMap<String, String>, hubspot_postal::Error> {
    let mut found = HashMap::new();
    for chunk in rows.chunks(KEYS_PER_SEARCH) {
        let wanted: HashSet<&str> = chunk.iter().map(|r| r.key).collect();
        let request = SearchRequest::builder()
            .filter(Filter::is_in(property, chunk.iter().map(|r| r.key)))
            .properties([property])
            .limit(SEARCH_MAX_PAGE_SIZE)
            .build()?;
        let mut letters = client.search_all(request);
        while let Some(letter) = letters.try_next().await? {
            let id = letter.id.to_string();
            if let Some(key) = letter.properties.get(property)
                && wanted.contains(key)
                && !taken.contains(&id)
            {
                found.entry(key.to_owned()).or_insert(id);
            }
        }
    }
    Ok(found)
}

fn same(letter: &PostalMail, input: &CreatePostalMail) -> bool {
    let text = |v: Option<&str>| v.unwrap_or("").to_owned();
    let same_time = match (letter.timestamp(), input.timestamp()) {
        (Ok(Some(a)), Ok(b)) => a == b,
        _ => false,
    };
    same_time
        && [BODY, OWNER_ID, ATTACHMENT_IDS]
            .iter()
            .all(|p| text(letter.properties.get(p)) == text(input.properties.get(p)))
}

async fn by_content(
    client: &Client,
    rows: &[Unsettled<'_>],
    taken: &HashSet<String>,
) -> Result<HashMap<String, String>, hubspot_postal::Error> {
    let mut by_time: BTreeMap<i64, Vec<Unsettled<'_>>> = BTreeMap::new();
    for row in rows {
        // Inputs were validated before they were sent, so the timestamp parses.
        if let Ok(t) = row.input.timestamp() {
            by_time.entry(t.epoch_millis()).or_default().push(*row);
        }
    }
    let times: Vec<i64> = by_time.keys().copied().collect();
    let mut found = HashMap::new();
    let mut claimed: HashSet<String> = HashSet::new();
    for group in times.chunks(SEARCH_MAX_FILTER_GROUPS) {
        let mut builder = SearchRequest::builder()
            .properties(LETTER_PROPERTIES)
            .limit(SEARCH_MAX_PAGE_SIZE);
        for t in group {
            builder = builder.or_group(vec![Filter::eq(TIMESTAMP, t.to_string())]);
        }
        let candidates: Vec<PostalMail> = client.search_all(builder.build()?).try_collect().await?;
        for row in group.iter().flat_map(|t| by_time.get(t)).flatten() {
            let hit = candidates.iter().find(|c| {
                let id = c.id.to_string();
                !taken.contains(&id) && !claimed.contains(&id) && same(c, row.input)
            });
            if let Some(letter) = hit {
                claimed.insert(letter.id.to_string());
                found.insert(row.key.to_owned(), letter.id.to_string());
            }
        }
    }
    Ok(found)
}

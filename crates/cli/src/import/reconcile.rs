//! Reconciliation: finding in HubSpot the rows of an earlier run whose outcome is unknown
//! (in flight when the run stopped, or in a chunk that may have been applied), so that they
//! are marked done instead of created a second time. Only for rows sent by batch create: rows
//! sent as upserts (`--key-property`) are simply sent again, which cannot duplicate them.
//!
//! HubSpot does not keep `objectWriteTraceId`, so rows are found by a search on
//! `hs_timestamp` (5 timestamps per request, ORed) and matched exactly, client-side, on
//! timestamp, text, owner and attachments, one letter per row and never a letter another row
//! already holds. A letter with identical content logged outside this import would be taken
//! for the row.
//!
//! HubSpot's search index lags writes by seconds, so one search that misses a row proves
//! nothing. The rows not found are searched again after growing pauses (1 s, 2 s, 4 s, …)
//! until every row is found or `--reconcile-max-wait` has been waited; only then is a row
//! taken as not created.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::time::Duration;

use futures::TryStreamExt;
use hubspot_postal::Client;
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail};
use hubspot_postal::model::limits::{SEARCH_MAX_FILTER_GROUPS, SEARCH_MAX_PAGE_SIZE};
use hubspot_postal::model::properties::{ATTACHMENT_IDS, BODY, OWNER_ID, TIMESTAMP};
use hubspot_postal::model::search::{Filter, SearchRequest};

use super::row::Key;
use crate::output::LETTER_PROPERTIES;

/// The first pause between two searches; each next one is twice as long.
const FIRST_PAUSE: Duration = Duration::from_secs(1);

/// A row whose outcome is unknown.
#[derive(Debug, Clone, Copy)]
pub struct Unsettled<'a> {
    /// Its import key.
    pub key: Key,
    /// What was sent.
    pub input: &'a CreatePostalMail,
}

/// What reconciliation found, and what it cost.
#[derive(Debug, Default)]
pub struct Found {
    /// Key → postal mail id, for the rows that exist.
    pub ids: HashMap<Key, String>,
    /// How many times HubSpot was searched.
    pub searches: u32,
    /// How long it paused for HubSpot's search index, in all.
    pub waited: Duration,
}

/// The pause before the next search, after `searches` searches and `waited` of pauses, or
/// `None` once `max_wait` has been waited: 1 s, 2 s, 4 s, …, the last one cut to the bound,
/// so that the last search runs no earlier than `max_wait` after the first.
pub fn next_pause(searches: u32, waited: Duration, max_wait: Duration) -> Option<Duration> {
    let left = max_wait.checked_sub(waited).filter(|d| !d.is_zero())?;
    let doubling = FIRST_PAUSE.saturating_mul(1 << searches.saturating_sub(1).min(16));
    Some(doubling.min(left))
}

/// Finds the rows that exist, searching again after growing pauses for those not found yet,
/// up to `max_wait` of pauses. `taken` holds ids already assigned to done rows, which no
/// other row may claim.
pub async fn find(
    client: &Client,
    rows: &[Unsettled<'_>],
    taken: &HashSet<String>,
    max_wait: Duration,
) -> Result<Found, hubspot_postal::Error> {
    let mut found = Found::default();
    let mut taken = taken.clone();
    loop {
        let missing: Vec<Unsettled<'_>> = rows
            .iter()
            .filter(|r| !found.ids.contains_key(&r.key))
            .copied()
            .collect();
        for (key, id) in by_content(client, &missing, &taken).await? {
            taken.insert(id.clone());
            found.ids.insert(key, id);
        }
        found.searches += 1;
        if found.ids.len() == rows.len() {
            return Ok(found);
        }
        match next_pause(found.searches, found.waited, max_wait) {
            Some(pause) => {
                tokio::time::sleep(pause).await;
                found.waited += pause;
            }
            None => return Ok(found),
        }
    }
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
) -> Result<HashMap<Key, String>, hubspot_postal::Error> {
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
                found.insert(row.key, letter.id.to_string());
            }
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pauses_double_up_to_the_bound() {
        let max = Duration::from_secs(30);
        let mut waited = Duration::ZERO;
        let mut pauses = Vec::new();
        let mut searches = 1;
        while let Some(p) = next_pause(searches, waited, max) {
            pauses.push(p.as_secs());
            waited += p;
            searches += 1;
        }
        assert_eq!(pauses, vec![1, 2, 4, 8, 15]);
        assert_eq!(waited, max, "the last search runs max_wait after the first");
        assert_eq!(next_pause(1, Duration::ZERO, Duration::ZERO), None);
        assert_eq!(
            next_pause(1, Duration::ZERO, Duration::from_millis(300)),
            Some(Duration::from_millis(300))
        );
    }
}

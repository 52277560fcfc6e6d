//! What the chaos tests share: a client tuned for injected faults, letters carrying a unique
//! marker, the emulator's records by marker, the faults it injected, and creates fired
//! concurrently.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::{Client, Error, RateLimiter};
use hubspot_postal_emulator::EmulatorHandle;
use serde_json::Value;

/// Creates in flight at once.
pub const CONCURRENCY: usize = 16;

/// The default policy, shortened for a test: 12 attempts, 5–50 ms backoff, 60 s deadline.
pub fn retry_policy() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(12)
        .backoff(Duration::from_millis(5), Duration::from_millis(50))
        .deadline(Duration::from_secs(60))
}

/// A short fixed window, so that waiting out injected 429s takes milliseconds, not 10 s; it
/// does not learn, since absurd rate-limit headers are the limiter's own tests' business.
pub fn limiter() -> RateLimiter {
    RateLimiter::new(1_000_000, Duration::from_millis(50), 1_000).fixed()
}

/// The async client the chaos tests drive.
pub fn client(emulator: &EmulatorHandle) -> Client {
    Client::builder()
        .token("chaos")
        .base_url(emulator.base_url())
        .rate_limiter(limiter())
        .retry_policy(retry_policy())
        .build()
        .unwrap()
}

/// A letter whose body carries `marker`.
pub fn letter(marker: &str) -> CreatePostalMail {
    CreatePostalMail::new("2026-11-30".parse().unwrap()).body(format!("Letter {marker} received"))
}

/// The marker in a record's body.
pub fn marker_of(record: &Value) -> Option<String> {
    let body = record["properties"]["hs_postal_mail_body"].as_str()?;
    body.split_whitespace()
        .find(|w| w.starts_with("chaos-"))
        .map(str::to_owned)
}

/// Marker → ids of the live records carrying it (ids as strings, whatever JSON type).
pub fn records_by_marker(emulator: &EmulatorHandle) -> BTreeMap<String, Vec<String>> {
    let mut by_marker: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for record in emulator.postal_mails(false) {
        if let Some(marker) = marker_of(&record) {
            let id = match &record["id"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            by_marker.entry(marker).or_default().push(id);
        }
    }
    by_marker
}

/// Fault name → how many times the emulator injected it.
pub fn faults_seen(emulator: &EmulatorHandle) -> BTreeMap<String, usize> {
    let mut seen = BTreeMap::new();
    for entry in emulator.request_log() {
        if let Some(fault) = entry.fault {
            *seen.entry(fault).or_default() += 1;
        }
    }
    seen
}

/// One create per marker, [`CONCURRENCY`] at a time: marker → the id or the error.
pub async fn create_each(
    client: &Client,
    markers: impl Iterator<Item = String>,
) -> Vec<(String, Result<String, Error>)> {
    futures::stream::iter(markers)
        .map(|marker| {
            let client = client.clone();
            async move {
                let result = client
                    .create(letter(&marker))
                    .await
                    .map(|pm| pm.id.to_string());
                (marker, result)
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await
}

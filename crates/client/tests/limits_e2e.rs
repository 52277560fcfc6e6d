//! HubSpot's request limits, end to end: the real client over real HTTP against an emulator
//! that enforces them with its own limiter, so that a request over the budget is answered 429.
//!
//! - A bulk job (a batch create of thousands of letters, with single creates from clones of the
//!   same client at the same time) never meets a 429 when the client's `RateLimiter` has the
//!   portal's window, and every letter exists exactly once.
//! - Searches fired all at once from clones of one client are spread to search's 5 per second
//!   (the default limiter) and never meet a 429.
//!
//! Each has a control run that shows the emulator does refuse what goes over its budget, so
//! the "0 × 429" above is a finding, not a setting. `--nocapture` prints the figures.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use futures::future::join_all;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::{Client, RateLimiter};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle, RateLimit};

/// The emulated portal's burst window. Two seconds rather than HubSpot's ten keeps the test
/// short while still making the bulk job wait several windows; the client's 2 % safety margin
/// is then 40 ms, enough for loopback scheduling noise on a loaded CI machine.
const BURST: u32 = 20;
const WINDOW: Duration = Duration::from_secs(2);

/// 3,000 letters in one batch create: 30 requests of 100.
const BATCH_LETTERS: usize = 3_000;
/// Single creates sent at the same time from clones of the same client.
const CLONES: usize = 8;
const CREATES_PER_CLONE: usize = 5;

/// HubSpot's search limit, and the number of searches fired at once.
const SEARCH_PER_SECOND: u32 = 5;
const SEARCHES: usize = 30;

fn client(emulator: &EmulatorHandle, limiter: RateLimiter, retry: RetryPolicy) -> Client {
    Client::builder()
        .token("pat-limits")
        .base_url(emulator.base_url())
        .rate_limiter(limiter)
        .retry_policy(retry)
        .build()
        .unwrap()
}

fn letter(marker: &str) -> CreatePostalMail {
    CreatePostalMail::new("2026-11-30".parse().unwrap()).body(marker.to_owned())
}

/// Body → number of live letters carrying it.
fn letters_by_body(emulator: &EmulatorHandle) -> BTreeMap<String, usize> {
    let mut by_body = BTreeMap::new();
    for record in emulator.postal_mails(false) {
        let body = record["properties"]["hs_postal_mail_body"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        *by_body.entry(body).or_default() += 1;
    }
    by_body
}

async fn burst_emulator() -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default().rate_limit(RateLimit::new(BURST, WINDOW)))
        .await
        .unwrap()
}

/// Runs the bulk job: one batch create and, at the same time, single creates from clones.
/// Returns the markers of every letter the client reported created.
async fn bulk_job(client: &Client) -> Vec<String> {
    let batch: Vec<_> = (0..BATCH_LETTERS)
        .map(|i| letter(&format!("bulk-batch-{i}")))
        .collect();
    let batch = async {
        let outcome = client.batch_create(batch).await.unwrap();
        outcome
            .items
            .into_iter()
            .enumerate()
            .map(|(i, item)| match item {
                Ok(created) => created.body().unwrap_or_default().to_owned(),
                Err(e) => panic!("batch input {i} failed: {e}"),
            })
            .collect::<Vec<_>>()
    };
    let singles = (0..CLONES).map(|c| {
        let clone = client.clone();
        tokio::spawn(async move {
            let mut created = Vec::new();
            for i in 0..CREATES_PER_CLONE {
                let marker = format!("bulk-single-{c}-{i}");
                let letter = clone.create(letter(&marker)).await.unwrap();
                assert_eq!(letter.body(), Some(marker.as_str()));
                created.push(marker);
            }
            created
        })
    });
    let (mut created, singles) = tokio::join!(batch, join_all(singles));
    for single in singles {
        created.extend(single.unwrap());
    }
    created
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bulk_job_through_a_limiter_with_the_portals_window_meets_no_429() {
    let emulator = burst_emulator().await;
    // The limiter a service configures for its portal; it also learns the window from the
    // `X-HubSpot-RateLimit-*` headers the emulator sends.
    let c = client(
        &emulator,
        RateLimiter::new(BURST, WINDOW, SEARCH_PER_SECOND),
        RetryPolicy::default(),
    );

    let started = Instant::now();
    let created = bulk_job(&c).await;
    let took = started.elapsed();

    let requests = emulator.request_log().len();
    let refused = emulator.count_status(429);
    println!(
        "bulk job: {} letters ({BATCH_LETTERS} in one batch create, {} single creates from \
         {CLONES} clones) in {requests} requests against {BURST} per {WINDOW:?}: {refused} × 429, \
         {took:.1?}",
        created.len(),
        CLONES * CREATES_PER_CLONE,
    );
    assert_eq!(
        refused, 0,
        "the limiter let requests through over the window"
    );
    assert_eq!(
        requests,
        BATCH_LETTERS / 100 + CLONES * CREATES_PER_CLONE,
        "every request was sent once: nothing was retried"
    );

    // Every letter the client reported exists exactly once, and nothing else does.
    let expected = BATCH_LETTERS + CLONES * CREATES_PER_CLONE;
    assert_eq!(created.len(), expected);
    let stored = letters_by_body(&emulator);
    assert_eq!(stored.len(), expected, "a letter is missing or unexpected");
    for marker in &created {
        assert_eq!(
            stored.get(marker),
            Some(&1),
            "{marker} is not there exactly once"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_the_same_burst_without_a_limiter_is_refused_with_429() {
    let emulator = burst_emulator().await;
    let c = client(&emulator, RateLimiter::unlimited(), RetryPolicy::never());
    let batch = (0..BATCH_LETTERS)
        .map(|i| letter(&format!("control-{i}")))
        .collect();
    let outcome = c.batch_create(batch).await.unwrap();
    let refused = emulator.count_status(429);
    println!("control, no limiter: {refused} × 429 over 30 batch requests");
    assert!(refused > 0, "the emulator enforced no limit");
    // A 429 says HubSpot did nothing: those chunks fail without "may have been applied", and
    // only the accepted chunks' letters exist.
    let failed = outcome.failures().count();
    assert_eq!(failed, refused * 100);
    assert!(!outcome.may_have_applied_failures());
    assert_eq!(emulator.postal_mails(false).len(), BATCH_LETTERS - failed);
}

async fn search_emulator() -> (EmulatorHandle, SearchRequest) {
    let emulator = Emulator::start(EmulatorConfig::default().search_rate(SEARCH_PER_SECOND))
        .await
        .unwrap();
    emulator.seed_postal_mails(3, "findable");
    emulator.seed_postal_mails(2, "other");
    let search = SearchRequest::builder()
        .filter(Filter::contains_token("hs_postal_mail_body", "findable"))
        .build()
        .unwrap();
    (emulator, search)
}

/// Fires every search at once, each from its own clone of `c`; returns each search's total.
async fn fire_searches(c: &Client, search: &SearchRequest) -> Vec<hubspot_postal::Result<u64>> {
    let searches = (0..SEARCHES).map(|_| {
        let clone = c.clone();
        let search = search.clone();
        tokio::spawn(async move { clone.search_page(&search).await.map(|page| page.total) })
    });
    join_all(searches)
        .await
        .into_iter()
        .map(Result::unwrap)
        .collect()
}

/// The most search requests the emulator saw inside any `span` (by arrival time).
fn most_searches_within(emulator: &EmulatorHandle, span: Duration) -> usize {
    let arrivals: Vec<Instant> = emulator
        .request_log()
        .into_iter()
        .filter(|r| r.path.ends_with("/search"))
        .map(|r| r.at)
        .collect();
    arrivals
        .iter()
        .map(|start| {
            arrivals
                .iter()
                .filter(|t| **t >= *start && t.duration_since(*start) < span)
                .count()
        })
        .max()
        .unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn searches_fired_at_once_are_spread_to_five_per_second_without_a_429() {
    let (emulator, search) = search_emulator().await;
    // The default limiter: search's own 5 per second.
    let c = Client::builder()
        .token("pat-limits")
        .base_url(emulator.base_url())
        .build()
        .unwrap();

    let started = Instant::now();
    let totals = fire_searches(&c, &search).await;
    let took = started.elapsed();

    let refused = emulator.count_status(429);
    // Arrival times are taken a moment before the emulator's own admission check; a window
    // a little shorter than a second absorbs that jitter.
    let busiest = most_searches_within(&emulator, Duration::from_millis(950));
    println!(
        "{SEARCHES} searches at once from {SEARCHES} clones: {refused} × 429, at most \
         {busiest} in any 950 ms, {:.1} searches/s over {took:.1?}",
        SEARCHES as f64 / took.as_secs_f64()
    );
    assert_eq!(refused, 0, "a search went over the 5 per second limit");
    assert!(
        busiest <= SEARCH_PER_SECOND as usize,
        "{busiest} searches within a second"
    );
    for total in totals {
        assert_eq!(total.unwrap(), 3, "every search found the three letters");
    }
    assert_eq!(
        emulator.request_log().len(),
        SEARCHES,
        "no search was resent"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn control_searches_without_the_search_budget_are_refused_with_429() {
    let (emulator, search) = search_emulator().await;
    // A search budget far over HubSpot's: nothing stops the burst.
    let c = client(
        &emulator,
        RateLimiter::new(100, Duration::from_secs(10), 1_000),
        RetryPolicy::never(),
    );
    let results = fire_searches(&c, &search).await;
    let refused = emulator.count_status(429);
    println!("control, search budget 1,000/s: {refused} × 429 of {SEARCHES}");
    assert!(refused > 0, "the emulator enforced no search limit");
    let rate_limited = results
        .iter()
        .filter(|r| r.as_ref().is_err_and(|e| e.status() == Some(429)))
        .count();
    assert_eq!(rate_limited, refused, "each refusal reached its caller");
}

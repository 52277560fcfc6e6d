//! End to end over real HTTP against the emulator: iterators fetch lazily, batches are
//! chunked, and dropping the client closes everything.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

mod support;

use std::time::Duration;

use hubspot_postal_blocking::model::engagement::CreatePostalMail;
use hubspot_postal_blocking::{Client, ListOptions, RateLimiter};
use hubspot_postal_emulator::{BlockingEmulator, Emulator, EmulatorConfig};
use support::{HANG_LIMIT, within};

fn setup() -> (BlockingEmulator, Client) {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let client = Client::builder()
        .token("pat-test")
        .base_url(emulator.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    (emulator, client)
}

fn list_requests(emulator: &BlockingEmulator) -> usize {
    emulator
        .request_log()
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/crm/objects/2026-03/postal_mail")
        .count()
}

#[test]
fn list_all_fetches_a_page_only_when_it_is_needed() {
    let (emulator, client) = setup();
    emulator.seed_postal_mails(25, "seeded");
    emulator.clear_log();

    let mut letters = client.list_all(ListOptions::new().limit(10));
    assert_eq!(
        list_requests(&emulator),
        0,
        "nothing is fetched before next()"
    );
    for _ in 0..10 {
        letters.next().unwrap().unwrap();
    }
    assert_eq!(list_requests(&emulator), 1);
    letters.next().unwrap().unwrap();
    assert_eq!(list_requests(&emulator), 2);
    assert_eq!(letters.count(), 14);
    assert_eq!(list_requests(&emulator), 3);

    let pages: Vec<_> = client
        .list_pages(ListOptions::new().limit(10))
        .map(|p| p.unwrap().results.len())
        .collect();
    assert_eq!(pages, [10, 10, 5]);
}

#[test]
fn batches_of_any_size_are_chunked() {
    let (emulator, client) = setup();
    let inputs: Vec<_> = (0..250)
        .map(|i| CreatePostalMail::new("2026-11-30".parse().unwrap()).body(format!("batch {i}")))
        .collect();
    let outcome = client.batch_create(inputs).unwrap();
    assert!(outcome.is_success());
    assert_eq!(outcome.items.len(), 250);
    assert_eq!(emulator.postal_mails(false).len(), 250);
    let creates = emulator
        .request_log()
        .iter()
        .filter(|r| r.path == "/crm/objects/2026-03/postal_mail/batch/create")
        .count();
    assert_eq!(creates, 3);
}

#[test]
fn dropping_the_last_clone_stops_the_runtime_thread_promptly() {
    let (emulator, client) = setup();
    let clone = client.clone();
    within(HANG_LIMIT, move || {
        clone
            .create(CreatePostalMail::new("2026-11-30".parse().unwrap()).body("from a thread"))
            .unwrap();
    });
    let started = std::time::Instant::now();
    drop(client);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "drop took {:?}",
        started.elapsed()
    );
    assert_eq!(emulator.postal_mails(false).len(), 1);
}

//! Many threads at once over real HTTP, against the emulator: every call returns its own
//! result, and one client (one runtime thread) serves them all.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use hubspot_postal_blocking::model::engagement::CreatePostalMail;
use hubspot_postal_blocking::{Client, GetOptions, ListOptions, RateLimiter};
use hubspot_postal_emulator::{Emulator, EmulatorConfig};
use support::within;

const THREADS: usize = 8;
/// Calls per thread: half creates, half reads of what was created.
const CALLS: usize = 100;

#[test]
fn eight_threads_times_a_hundred_calls_each_get_their_own_answer() {
    // The scope joins its threads: the guard around it turns a hung call into a failure.
    within(
        Duration::from_secs(120),
        eight_threads_times_a_hundred_calls,
    );
}

fn eight_threads_times_a_hundred_calls() {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let client = Client::builder()
        .token("pat-test")
        .base_url(emulator.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();

    std::thread::scope(|scope| {
        for t in 0..THREADS {
            let client = client.clone();
            scope.spawn(move || {
                let mut created = Vec::new();
                for i in 0..CALLS / 2 {
                    let body = format!("thread {t} letter {i}");
                    let input =
                        CreatePostalMail::new("2026-11-30".parse().unwrap()).body(body.clone());
                    let letter = client.create(input).unwrap();
                    assert_eq!(letter.body(), Some(body.as_str()));
                    created.push((letter.id, body));
                }
                for (id, body) in created {
                    let read = client
                        .get(&id, &GetOptions::new().properties(["hs_postal_mail_body"]))
                        .unwrap();
                    assert_eq!(read.id, id);
                    assert_eq!(
                        read.body(),
                        Some(body.as_str()),
                        "thread {t} read another letter"
                    );
                }
            });
        }
    });

    let bodies: BTreeSet<String> = client
        .list_all(
            ListOptions::new()
                .limit(100)
                .properties(["hs_postal_mail_body"]),
        )
        .map(|letter| letter.unwrap().body().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(bodies.len(), THREADS * CALLS / 2);
    assert_eq!(emulator.postal_mails(false).len(), THREADS * CALLS / 2);
    assert_eq!(emulator.count_status(500), 0);
}

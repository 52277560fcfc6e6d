//! Chaos, version 2: every hostile answer at once, over real HTTP, against the emulator.
//!
//! Creates and batch creates meet 429s, dropped answers, any 5xx after the write was applied
//! (JSON and proxy HTML), undecodable and drifted 2xx bodies, absurd rate-limit headers, and
//! batch answers that are shuffled, leave an input out (written or not) or carry an error that
//! names nobody. The ledger then holds for every input, checked against the emulator's store:
//! - acknowledged: exists exactly once, under the id the client gave, with this input's text;
//! - rejected: does not exist;
//! - reported "may have been applied": exists at most once.
//!
//! No marker ever exists twice (0 duplicated), and no input is acknowledged but missing, or
//! rejected but present, or without an outcome (0 lost). The figures are printed for
//! `docs/reliability.md`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chaos_support;

use std::collections::BTreeMap;
use std::time::Duration;

use chaos_support::*;
use hubspot_postal::{Error, ItemError};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultPlan};

const CREATES: usize = 2_000;
const BATCHES: usize = 50;
const BATCH_SIZE: usize = 100;

/// Every hostile mode a single create can meet.
const CREATE_FAULTS: &str = "POST /crm/objects/2026-03/postal_mail$: 429=0.08,503=0.03,apply-drop=0.03,\
     apply-500=0.02,apply-507=0.02,apply-520-html=0.02,apply-524-html=0.02,apply-garbage=0.04,\
     apply-drift=0.10,absurd-limit-headers=0.05";

/// Every hostile mode a batch create can meet.
const BATCH_FAULTS: &str = "POST /crm/objects/2026-03/postal_mail/batch/create$: 429=0.08,apply-drop=0.04,\
     apply-502-html=0.04,apply-599=0.03,apply-garbage=0.05,apply-drift=0.10,shuffle=0.20,\
     omit-written=0.08,omit-unwritten=0.08,anonymous-error=0.08,absurd-limit-headers=0.04";

/// What the client said about one input.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Told {
    Acked(String),
    Rejected,
    Maybe,
}

fn plan() -> FaultPlan {
    format!("{CREATE_FAULTS}; {BATCH_FAULTS}").parse().unwrap()
}

async fn hostile_emulator(seed: u64) -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default().faults(plan()).seed(seed))
        .await
        .unwrap()
}

/// What one create's result tells; a failure that does not say whether it was applied fails
/// the test, since that is how letters are lost.
fn told_by_create(result: Result<String, Error>) -> Told {
    match result {
        Ok(id) => Told::Acked(id),
        Err(e) if e.may_have_been_applied() => {
            assert!(matches!(e, Error::MaybeApplied { .. }), "{e:?}");
            assert_eq!(e.unreconciled_inputs().len(), 1, "the input comes back");
            Told::Maybe
        }
        Err(e) => panic!("a create failed without saying whether it was applied: {e}"),
    }
}

fn told_by_item(item: Result<String, &ItemError>) -> Told {
    match item {
        Ok(id) => Told::Acked(id),
        Err(e) if e.may_have_been_applied() => Told::Maybe,
        Err(ItemError::Rejected(_)) => Told::Rejected,
        Err(e) => panic!("a batch input failed without saying whether it was applied: {e}"),
    }
}

/// The figures of one run.
#[derive(Debug, Default)]
struct Ledger {
    acked: usize,
    rejected: usize,
    maybe: usize,
    maybe_applied: usize,
}

/// Checks every input's outcome against the emulator's store; see the module docs.
fn check(emulator: &EmulatorHandle, told: &BTreeMap<String, Told>) -> Ledger {
    let stored = records_by_marker(emulator);
    let duplicated: Vec<_> = stored.iter().filter(|(_, ids)| ids.len() > 1).collect();
    assert!(duplicated.is_empty(), "duplicated letters: {duplicated:?}");
    for marker in stored.keys() {
        assert!(
            told.contains_key(marker),
            "{marker} exists but was never sent"
        );
    }
    let mut ledger = Ledger::default();
    for (marker, outcome) in told {
        let ids = stored.get(marker);
        match outcome {
            Told::Acked(id) => {
                assert_eq!(
                    ids,
                    Some(&vec![id.clone()]),
                    "{marker} was acknowledged as {id}: lost, or given another letter's id"
                );
                ledger.acked += 1;
            }
            Told::Rejected => {
                assert_eq!(ids, None, "{marker} was reported rejected but exists");
                ledger.rejected += 1;
            }
            Told::Maybe => {
                ledger.maybe += 1;
                ledger.maybe_applied += usize::from(ids.is_some());
            }
        }
    }
    ledger
}

fn assert_every_mode_happened(faults: &BTreeMap<String, usize>, modes: &str) {
    let rules = modes.split_once(':').map_or(modes, |(_, r)| r);
    for key in rules.split(',').filter_map(|kv| kv.split('=').next()) {
        let key = key.trim();
        assert!(
            faults.get(key).copied().unwrap_or(0) > 0,
            "{key} never happened: {faults:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn async_creates_and_batch_creates_under_every_hostile_answer() {
    let emulator = hostile_emulator(20261202).await;
    let client = client(&emulator);

    let results = create_each(&client, (0..CREATES).map(|i| format!("chaos-c{i:05}"))).await;
    let mut told: BTreeMap<String, Told> = results
        .into_iter()
        .map(|(m, r)| (m, told_by_create(r)))
        .collect();
    assert_eq!(told.len(), CREATES);

    for batch in 0..BATCHES {
        let markers: Vec<String> = (0..BATCH_SIZE)
            .map(|i| format!("chaos-b{batch:02}-{i:03}"))
            .collect();
        let outcome = client
            .batch_create(markers.iter().map(|m| letter(m)).collect())
            .await
            .unwrap();
        assert_eq!(outcome.items.len(), BATCH_SIZE, "one outcome per input");
        for (marker, item) in markers.into_iter().zip(&outcome.items) {
            let item = item.as_ref().map(|pm| pm.id.to_string());
            told.insert(marker, told_by_item(item));
        }
    }

    let faults = faults_seen(&emulator);
    assert_every_mode_happened(&faults, CREATE_FAULTS);
    assert_every_mode_happened(&faults, BATCH_FAULTS);
    // A create was sent again only after a 429, HubSpot's "nothing was done".
    let creates_sent = emulator
        .request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path == "/crm/objects/2026-03/postal_mail")
        .count();
    let create_429s = emulator
        .request_log()
        .iter()
        .filter(|r| {
            r.method == "POST"
                && r.path == "/crm/objects/2026-03/postal_mail"
                && r.fault.as_deref() == Some("429")
        })
        .count();
    assert_eq!(
        creates_sent,
        CREATES + create_429s,
        "resent only after a 429"
    );

    let ledger = check(&emulator, &told);
    println!(
        "chaos v2 (async): {} inputs: {} acknowledged, {} rejected, {} reported maybe applied \
         ({} of them applied); 0 duplicated, 0 lost; faults {faults:?}",
        told.len(),
        ledger.acked,
        ledger.rejected,
        ledger.maybe,
        ledger.maybe_applied
    );
    assert!(ledger.maybe > 0 && ledger.maybe_applied > 0 && ledger.maybe_applied < ledger.maybe);
}

#[test]
fn blocking_creates_and_batch_creates_under_every_hostile_answer() {
    let emulator =
        Emulator::start_blocking(EmulatorConfig::default().faults(plan()).seed(77)).unwrap();
    let client = hubspot_postal_blocking::Client::builder()
        .token("chaos")
        .base_url(emulator.base_url())
        .rate_limiter(limiter())
        .retry_policy(retry_policy())
        .timeout(Duration::from_secs(120))
        .build()
        .unwrap();

    const THREADS: usize = 4;
    const PER_THREAD: usize = 150;
    let told: BTreeMap<String, Told> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|t| {
                let client = client.clone();
                scope.spawn(move || {
                    (0..PER_THREAD)
                        .map(|i| {
                            let marker = format!("chaos-t{t}-{i:04}");
                            let result = client.create(letter(&marker)).map(|pm| pm.id.to_string());
                            (marker, told_by_create(result))
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|w| w.join().unwrap())
            .collect()
    });
    let mut told = told;
    for batch in 0..5 {
        let markers: Vec<String> = (0..BATCH_SIZE)
            .map(|i| format!("chaos-bb{batch}-{i:03}"))
            .collect();
        let outcome = client
            .batch_create(markers.iter().map(|m| letter(m)).collect())
            .unwrap();
        for (marker, item) in markers.into_iter().zip(&outcome.items) {
            told.insert(
                marker,
                told_by_item(item.as_ref().map(|pm| pm.id.to_string())),
            );
        }
    }
    assert_eq!(told.len(), THREADS * PER_THREAD + 5 * BATCH_SIZE);
    let ledger = check(&emulator, &told);
    println!(
        "chaos v2 (blocking): {} inputs: {} acknowledged, {} rejected, {} reported maybe applied \
         ({} of them applied); 0 duplicated, 0 lost",
        told.len(),
        ledger.acked,
        ledger.rejected,
        ledger.maybe,
        ledger.maybe_applied
    );
    assert!(ledger.maybe > 0);
}

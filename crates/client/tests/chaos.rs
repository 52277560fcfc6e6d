//! Chaos: thousands of writes through the real client, over real HTTP, against an emulator that
//! injects rate limits, server errors and "apply the write, then drop the response", with a
//! fixed seed. Nothing may be lost without an error and no letter may be logged twice.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod chaos_support;

use std::collections::{BTreeMap, BTreeSet};

use chaos_support::*;
use futures::StreamExt;
use hubspot_postal::model::engagement::{BatchUpdateItem, UpdatePostalMail};
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::{Error, ItemError};
use hubspot_postal_emulator::{
    Emulator, EmulatorConfig, EmulatorHandle, FaultAction, FaultPlan, FaultRule,
};

const CREATES: usize = 2_000;

fn chaos_rule(method: &str, path: &str) -> FaultRule {
    FaultRule::new(Some(method), Some(path))
        .with(FaultAction::Status(429), 0.10)
        .with(FaultAction::Status(503), 0.05)
        .with(FaultAction::ApplyDrop, 0.05)
}

/// Checks the ledger against the emulator: every acknowledged create exists exactly once under
/// the id the client was given, no marker exists twice, and every record is explained by an
/// acknowledgement or by a create the client reported as maybe applied.
fn reconcile(
    emulator: &EmulatorHandle,
    acked: &BTreeMap<String, String>,
    maybe: &BTreeSet<String>,
) -> usize {
    let found = records_by_marker(emulator);
    for (marker, ids) in &found {
        assert_eq!(
            ids.len(),
            1,
            "marker {marker} was logged {} times",
            ids.len()
        );
        assert!(
            acked.contains_key(marker) || maybe.contains(marker),
            "record {marker} was never reported"
        );
    }
    for (marker, id) in acked {
        assert_eq!(
            found.get(marker),
            Some(&vec![id.clone()]),
            "acknowledged {marker} must exist once as {id}"
        );
    }
    let maybe_applied = maybe.iter().filter(|m| found.contains_key(*m)).count();
    assert_eq!(found.len(), acked.len() + maybe_applied);
    maybe_applied
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn creates_are_never_lost_or_duplicated() {
    let plan = FaultPlan::none().rule(chaos_rule("POST", "/crm/objects/2026-03/postal_mail$"));
    let emulator = Emulator::start(EmulatorConfig::default().faults(plan).seed(20261130))
        .await
        .unwrap();
    let client = client(&emulator);

    let outcomes = create_each(&client, (0..CREATES).map(|i| format!("chaos-{i:05}"))).await;

    let mut acked = BTreeMap::new();
    let mut maybe = BTreeSet::new();
    for (marker, result) in outcomes {
        match result {
            Ok(id) => {
                acked.insert(marker, id);
            }
            Err(e) if e.may_have_been_applied() => {
                assert!(matches!(e, Error::MaybeApplied { .. }), "{e:?}");
                assert_eq!(e.unreconciled_inputs().len(), 1);
                maybe.insert(marker);
            }
            Err(e) => panic!("a create failed without saying whether it was applied: {e}"),
        }
    }
    assert_eq!(
        acked.len() + maybe.len(),
        CREATES,
        "every create was acknowledged or reported"
    );

    let faults = faults_seen(&emulator);
    assert!(faults.get("429").copied().unwrap_or(0) > 100, "{faults:?}");
    assert!(faults.get("503").copied().unwrap_or(0) > 50, "{faults:?}");
    assert!(
        faults.get("apply-drop").copied().unwrap_or(0) > 50,
        "{faults:?}"
    );
    // Every injected 429 was followed by a resend; nothing else was resent.
    let posts = emulator
        .request_log()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(
        posts,
        CREATES + faults["429"],
        "creates were resent only after a 429"
    );

    let applied = reconcile(&emulator, &acked, &maybe);
    // The maybe-applied creates the emulator did apply are exactly the apply-drop ones.
    assert_eq!(applied, faults["apply-drop"]);
    println!(
        "chaos creates: {} acknowledged, {} maybe applied ({} applied), faults {faults:?}",
        acked.len(),
        maybe.len(),
        applied
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn batch_create_never_duplicates() {
    let plan = FaultPlan::none().rule(chaos_rule(
        "POST",
        "/crm/objects/2026-03/postal_mail/batch/create$",
    ));
    let emulator = Emulator::start(EmulatorConfig::default().faults(plan).seed(7))
        .await
        .unwrap();
    let client = client(&emulator);

    let mut acked = BTreeMap::new();
    let mut maybe = BTreeSet::new();
    for round in 0..5 {
        let markers: Vec<String> = (0..400).map(|i| format!("chaos-b{round}-{i:04}")).collect();
        let outcome = client
            .batch_create(markers.iter().map(|m| letter(m)).collect())
            .await
            .unwrap();
        assert_eq!(outcome.items.len(), markers.len(), "one outcome per input");
        for (marker, item) in markers.into_iter().zip(outcome.items) {
            match item {
                Ok(pm) => {
                    acked.insert(marker, pm.id.to_string());
                }
                Err(ItemError::Request(e)) if e.may_have_been_applied() => {
                    maybe.insert(marker);
                }
                Err(other) => {
                    panic!("batch input failed without saying whether it was applied: {other}")
                }
            }
        }
    }
    let faults = faults_seen(&emulator);
    assert!(!faults.is_empty(), "faults were injected: {faults:?}");
    let applied = reconcile(&emulator, &acked, &maybe);
    println!(
        "chaos batch create: {} acknowledged, {} maybe applied ({applied} applied), faults {faults:?}",
        acked.len(),
        maybe.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idempotent_writes_all_succeed_in_the_end() {
    let plan = FaultPlan::none()
        .rule(
            chaos_rule("PATCH", "/crm/objects/2026-03/postal_mail/*").with(FaultAction::Drop, 0.05),
        )
        .rule(
            chaos_rule("DELETE", "/crm/objects/2026-03/postal_mail/*")
                .with(FaultAction::Drop, 0.05),
        )
        .rule(chaos_rule(
            "POST",
            "/crm/objects/2026-03/postal_mail/batch/update$",
        ));
    let emulator = Emulator::start(EmulatorConfig::default().faults(plan).seed(99))
        .await
        .unwrap();
    let ids: Vec<PostalMailId> = emulator
        .seed_postal_mails(600, "seeded")
        .into_iter()
        .map(|id| PostalMailId::new(id).unwrap())
        .collect();
    let client = client(&emulator);

    // Updates: every one succeeds and the last write wins.
    let updated: Vec<Result<_, Error>> = futures::stream::iter(ids[..300].to_vec())
        .map(|id| {
            let client = client.clone();
            async move {
                client
                    .update(&id, UpdatePostalMail::new().body(format!("updated {id}")))
                    .await
            }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    assert!(
        updated.iter().all(Result::is_ok),
        "{:?}",
        updated.iter().find(|r| r.is_err())
    );

    // Batch updates: every input succeeds.
    let items: Vec<BatchUpdateItem> = ids[300..]
        .iter()
        .map(|id| BatchUpdateItem::new(id, UpdatePostalMail::new().body(format!("batch {id}"))))
        .collect();
    let outcome = client.batch_update(items).await.unwrap();
    assert!(outcome.is_success(), "{:?}", outcome.failures().next());

    // Deletes: every one succeeds, including repeats after apply-then-drop.
    let archived: Vec<Result<(), Error>> = futures::stream::iter(ids[..200].to_vec())
        .map(|id| {
            let client = client.clone();
            async move { client.archive(&id).await }
        })
        .buffer_unordered(CONCURRENCY)
        .collect()
        .await;
    assert!(
        archived.iter().all(Result::is_ok),
        "{:?}",
        archived.iter().find(|r| r.is_err())
    );

    let live: BTreeMap<String, String> = emulator
        .postal_mails(false)
        .into_iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_owned(),
                r["properties"]["hs_postal_mail_body"]
                    .as_str()
                    .unwrap_or("")
                    .to_owned(),
            )
        })
        .collect();
    assert_eq!(live.len(), 400, "exactly the 200 archived are gone");
    for id in &ids[200..300] {
        assert_eq!(live[id.as_str()], format!("updated {id}"));
    }
    for id in &ids[300..] {
        assert_eq!(live[id.as_str()], format!("batch {id}"));
    }
    let faults = faults_seen(&emulator);
    assert!(
        faults.get("apply-drop").copied().unwrap_or(0) > 10
            && faults.get("drop").copied().unwrap_or(0) > 10,
        "{faults:?}"
    );
}

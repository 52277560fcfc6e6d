//! Fault injection: injected statuses change nothing, apply-drop applies the write while the
//! client sees a broken connection, drop applies nothing, and a seed fixes the sequence.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, TOKEN};
use hubspot_postal_emulator::{EmulatorConfig, FaultAction, FaultPlan, FaultRule};
use serde_json::json;

const PM: &str = "/crm/v3/objects/postal_mail";

fn create_body() -> Vec<u8> {
    serde_json::to_vec(
        &json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": "f"}}),
    )
    .unwrap()
}

#[tokio::test]
async fn injected_statuses_leave_state_unchanged() {
    let plan: FaultPlan = "POST /crm/v3/objects/postal_mail$: 429=0.5,503=0.5"
        .parse()
        .unwrap();
    let emu = Emu::with(EmulatorConfig::default().faults(plan).seed(3)).await;
    let mut statuses = Vec::new();
    for _ in 0..20 {
        let r = emu
            .raw(reqwest::Method::POST, PM, Some(create_body()), Some(TOKEN))
            .await
            .unwrap();
        statuses.push(r.status);
        if r.status == 429 {
            assert_eq!(r.body["policyName"], "TEN_SECONDLY_ROLLING");
            assert_eq!(r.body["category"], "RATE_LIMITS");
        } else {
            assert_eq!(r.status, 503);
            assert_eq!(r.body["status"], "error");
        }
        assert!(r.header("x-hubspot-correlation-id").is_some());
    }
    assert!(statuses.contains(&429) && statuses.contains(&503));
    assert!(emu.handle.postal_mails(true).is_empty(), "nothing applied");
    let log = emu.handle.request_log();
    assert!(
        log.iter()
            .all(|r| r.fault.as_deref() == Some(&*r.status.to_string()))
    );
    // Other routes are unaffected (the pattern is exact).
    assert_eq!(emu.get(PM).await.status, 200);
}

#[tokio::test]
async fn apply_drop_applies_and_breaks_the_connection() {
    let plan = FaultPlan::default()
        .rule(FaultRule::new(Some("POST"), Some(PM)).with(FaultAction::ApplyDrop, 1.0));
    let emu = Emu::with(EmulatorConfig::default().faults(plan)).await;
    let err = emu
        .raw(reqwest::Method::POST, PM, Some(create_body()), Some(TOKEN))
        .await;
    let err = match err {
        Err(e) => e,
        Ok(r) => panic!("expected a connection error, got status {}", r.status),
    };
    assert!(err.status().is_none(), "no HTTP status: {err:?}");
    assert_eq!(
        emu.handle.postal_mails(false).len(),
        1,
        "the write was applied"
    );
    let log = emu.handle.request_log();
    assert_eq!(log[0].fault.as_deref(), Some("apply-drop"));
    assert_eq!(log[0].status, 201);
    // The server still serves new connections.
    assert_eq!(emu.get(PM).await.status, 200);

    // drop: nothing applied, no response.
    emu.handle
        .set_faults("POST /crm/v3/objects/postal_mail: drop=1".parse().unwrap());
    let r = emu
        .raw(reqwest::Method::POST, PM, Some(create_body()), Some(TOKEN))
        .await;
    assert!(r.is_err());
    assert_eq!(emu.handle.postal_mails(false).len(), 1);
    assert_eq!(emu.handle.count_status(0), 1);
    emu.handle.set_faults(FaultPlan::none());
    assert_eq!(
        emu.raw(reqwest::Method::POST, PM, Some(create_body()), Some(TOKEN))
            .await
            .unwrap()
            .status,
        201
    );
}

#[tokio::test]
async fn same_seed_same_sequence_and_latency() {
    async fn run(seed: u64) -> Vec<Option<String>> {
        let plan: FaultPlan = "GET *: 500=0.2,502=0.2,504=0.2,latency=1ms"
            .parse()
            .unwrap();
        let emu = Emu::with(EmulatorConfig::default().faults(plan).seed(seed)).await;
        for _ in 0..30 {
            emu.get(PM).await;
        }
        emu.handle
            .request_log()
            .into_iter()
            .map(|r| r.fault)
            .collect()
    }
    let a = run(42).await;
    assert_eq!(a, run(42).await);
    assert_ne!(a, run(43).await);
    assert!(a.iter().any(Option::is_some) && a.iter().any(Option::is_none));
}

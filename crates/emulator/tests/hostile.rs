//! Hostile answers over real HTTP: each mode applies the request (or, for the batch modes
//! that say so, withholds one input) and then misreports it, exactly as documented, and a
//! seed fixes every choice.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use std::collections::BTreeSet;

use common::{Emu, Reply};
use hubspot_postal_emulator::{EmulatorConfig, FaultAction, FaultPlan, FaultRule};
use serde_json::{Value, json};

const PM: &str = "/crm/v3/objects/postal_mail";
const BATCH_CREATE: &str = "/crm/v3/objects/postal_mail/batch/create";

fn letter(body: &str) -> Value {
    json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": body}})
}

/// A batch create body of `n` letters `"{prefix} {i}"`, each with trace id `t{i}` if `traced`.
fn batch(prefix: &str, n: usize, traced: bool) -> Value {
    let inputs: Vec<Value> = (0..n)
        .map(|i| {
            let mut input = letter(&format!("{prefix} {i}"));
            if traced {
                input["objectWriteTraceId"] = json!(format!("t{i}"));
            }
            input
        })
        .collect();
    json!({"inputs": inputs})
}

async fn with_plan(spec: &str, seed: u64) -> Emu {
    let plan: FaultPlan = spec.parse().unwrap();
    Emu::with(EmulatorConfig::default().faults(plan).seed(seed)).await
}

fn letter_body(o: &Value) -> String {
    o["properties"]["hs_postal_mail_body"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Bodies of every stored postal mail.
fn stored_bodies(emu: &Emu) -> BTreeSet<String> {
    emu.handle
        .postal_mails(false)
        .iter()
        .map(letter_body)
        .collect()
}

fn result_bodies(r: &Reply) -> Vec<String> {
    r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(letter_body)
        .collect()
}

fn last_fault(emu: &Emu) -> Option<String> {
    emu.handle.request_log().last().unwrap().fault.clone()
}

#[tokio::test]
async fn apply_5xx_writes_then_answers_a_hubspot_error() {
    let emu = with_plan("POST /crm/v3/objects/postal_mail$: apply-507=1", 1).await;
    let r = emu.post(PM, letter("kept")).await;
    assert_eq!(r.status, 507, "{}", r.body);
    common::assert_error(&r, 507, "INTERNAL_ERROR");
    assert!(r.header("x-hubspot-ratelimit-max").is_some());
    assert_eq!(stored_bodies(&emu), BTreeSet::from(["kept".to_owned()]));
    assert_eq!(last_fault(&emu).as_deref(), Some("apply-507"));

    // Any 5xx, set over HTTP, on a batch: every input is written.
    let put = emu
        .http
        .put(format!("{}/__emulator/faults", emu.base))
        .body("POST /crm/v3/objects/postal_mail/batch/create: apply-599=1")
        .send()
        .await
        .unwrap();
    assert_eq!(put.status(), 204);
    let r = emu.post(BATCH_CREATE, batch("b", 3, false)).await;
    assert_eq!(r.status, 599);
    assert_eq!(r.body["status"], "error");
    assert_eq!(stored_bodies(&emu).len(), 4);

    // A request the emulator refuses keeps its real error: nothing was applied to misreport.
    let r = emu
        .post(BATCH_CREATE, json!({"inputs": [{"properties": {}}]}))
        .await;
    assert_eq!(r.status, 400);
    assert_eq!(stored_bodies(&emu).len(), 4);
}

#[tokio::test]
async fn apply_5xx_html_writes_then_answers_a_proxy_page() {
    let plan = FaultPlan::default()
        .rule(FaultRule::new(Some("POST"), Some(PM)).with(FaultAction::ApplyStatusHtml(520), 1.0));
    let emu = Emu::with(EmulatorConfig::default().faults(plan)).await;
    let r = emu.post(PM, letter("behind cloudflare")).await;
    assert_eq!(r.status, 520);
    assert!(
        r.header("content-type").unwrap().starts_with("text/html"),
        "{:?}",
        r.headers
    );
    let page = r.body.as_str().expect("not JSON");
    assert!(
        page.starts_with("<!DOCTYPE html>")
            && page.contains("520: Web server is returning an unknown error")
    );
    assert!(
        r.header("x-hubspot-correlation-id").is_none(),
        "the proxy answered"
    );
    assert_eq!(
        stored_bodies(&emu),
        BTreeSet::from(["behind cloudflare".to_owned()])
    );
    assert_eq!(last_fault(&emu).as_deref(), Some("apply-520-html"));

    emu.handle.set_faults(
        "POST /crm/v3/objects/postal_mail: apply-524-html=1"
            .parse()
            .unwrap(),
    );
    let r = emu.post(BATCH_CREATE, batch("timeout", 2, false)).await;
    assert_eq!(r.status, 524);
    assert!(r.body.as_str().unwrap().contains("524: A timeout occurred"));
    assert_eq!(stored_bodies(&emu).len(), 3);
}

#[tokio::test]
async fn apply_garbage_writes_then_answers_an_undecodable_success() {
    let emu = with_plan("POST /crm/v3/objects/postal_mail: apply-garbage=1", 5).await;
    let mut kinds = BTreeSet::new();
    for i in 0..24 {
        let r = emu.post(PM, letter(&format!("g{i}"))).await;
        assert_eq!(r.status, 201);
        let content_type = r.header("content-type").unwrap_or_default().to_owned();
        let kind = match &r.body {
            Value::Null => "empty",
            Value::String(s) if s.starts_with('{') => {
                assert!(content_type.starts_with("application/json"));
                "truncated"
            }
            Value::String(s) if s.starts_with("<!DOCTYPE html>") => {
                assert!(content_type.starts_with("text/html"));
                "html"
            }
            Value::String(_) => {
                assert!(content_type.starts_with("text/plain"));
                "text"
            }
            decoded => panic!("request {i}: the body decoded: {decoded}"),
        };
        kinds.insert(kind);
    }
    assert_eq!(
        kinds,
        BTreeSet::from(["empty", "html", "text", "truncated"]),
        "every kind of garbage appears"
    );
    assert_eq!(stored_bodies(&emu).len(), 24, "every create was applied");

    let r = emu.post(BATCH_CREATE, batch("batch", 5, true)).await;
    assert_eq!(r.status, 201);
    assert!(!r.body.is_object(), "{}", r.body);
    assert_eq!(stored_bodies(&emu).len(), 29);
}

#[tokio::test]
async fn apply_drift_answers_valid_but_drifted_json() {
    let emu = with_plan("POST /crm/v3/objects/postal_mail: apply-drift=1", 2).await;
    let r = emu.post(BATCH_CREATE, batch("d", 3, true)).await;
    assert_eq!(r.status, 201);
    let body = &r.body;
    assert_eq!(body["status"], "SOMETHING_NEW", "unknown enum value");
    assert!(body["hsFutureField"].is_object(), "unknown top-level field");
    let mut sent = result_bodies(&r);
    sent.sort();
    assert_eq!(sent, ["d 0", "d 1", "d 2"], "properties kept");
    for result in body["results"].as_array().unwrap() {
        assert!(result["id"].is_u64(), "numeric id: {result}");
        assert!(result.get("createdAt").is_none(), "{result}");
        assert!(result["updatedAt"].is_string());
        assert!(result["hsFutureField"]["nested"].is_object());
        assert!(result["properties"]["hs_createdate"].is_null());
        let props = result["properties"].as_object().unwrap();
        assert!(props.contains_key("hs_future_property") && props["hs_future_property"].is_null());
    }
    assert_eq!(stored_bodies(&emu).len(), 3);

    // Paging and errors drift too.
    emu.handle.set_faults(
        "GET /crm/v3/objects/postal_mail: apply-drift=1; POST /crm/v3/objects/postal_mail/batch/read: apply-drift=1"
            .parse()
            .unwrap(),
    );
    let r = emu.get(&format!("{PM}?limit=1")).await;
    assert_eq!(r.status, 200);
    assert!(r.body["paging"]["hsFutureField"].is_object(), "{}", r.body);
    assert!(r.body["paging"]["next"]["hsFutureField"].is_object());
    let id = r.body["results"][0]["id"].as_u64().unwrap().to_string();
    let r = emu
        .post(
            "/crm/v3/objects/postal_mail/batch/read",
            json!({"inputs": [{"id": id}, {"id": "999"}]}),
        )
        .await;
    assert_eq!(r.status, 207);
    let error = &r.body["errors"][0];
    assert!(error["hsFutureField"].is_object(), "{error}");
    assert!(error["context"]["hsFutureField"].is_array());
    assert_eq!(error["context"]["ids"], json!(["999"]));
}

#[tokio::test]
async fn shuffle_reorders_batch_results_and_drops_trace_ids() {
    let emu = with_plan("POST /crm/v3/objects/postal_mail/batch: shuffle=1", 9).await;
    let r = emu.post(BATCH_CREATE, batch("s", 6, true)).await;
    assert_eq!(r.status, 201);
    let order = result_bodies(&r);
    let sent: Vec<String> = (0..6).map(|i| format!("s {i}")).collect();
    assert_ne!(order, sent, "another order");
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(sorted, sent, "the same results");
    for result in r.body["results"].as_array().unwrap() {
        assert!(result.get("objectWriteTraceId").is_none(), "{result}");
    }
    assert_eq!(stored_bodies(&emu).len(), 6);
    assert_eq!(last_fault(&emu).as_deref(), Some("shuffle"));

    // A 207's errors keep their context.
    let mut body = batch("e", 3, true);
    body["inputs"][1]["properties"] = json!({"hs_postal_mail_body": "no timestamp"});
    let r = emu.post(BATCH_CREATE, body).await;
    assert_eq!(r.status, 207);
    assert_eq!(result_bodies(&r).len(), 2);
    assert_eq!(
        r.body["errors"][0]["context"]["objectWriteTraceId"],
        json!(["t1"])
    );

    // Batch-only: a single create goes through untouched.
    emu.handle.set_faults("*: shuffle=1".parse().unwrap());
    let r = emu.post(PM, letter("single")).await;
    assert_eq!(r.status, 201);
    assert_eq!(r.body["properties"]["hs_postal_mail_body"], "single");
    assert_eq!(last_fault(&emu), None);
}

#[tokio::test]
async fn omit_written_leaves_out_the_result_of_a_written_input() {
    let emu = with_plan(
        "POST /crm/v3/objects/postal_mail/batch/create: omit-written=1",
        4,
    )
    .await;
    let r = emu.post(BATCH_CREATE, batch("w", 4, false)).await;
    assert_eq!(r.status, 201);
    assert!(r.body.get("errors").is_none());
    let answered: BTreeSet<String> = result_bodies(&r).into_iter().collect();
    assert_eq!(answered.len(), 3, "one result left out");
    let stored = stored_bodies(&emu);
    assert_eq!(stored.len(), 4, "every input written");
    assert_eq!(stored.difference(&answered).count(), 1);
    assert_eq!(last_fault(&emu).as_deref(), Some("omit-written"));
}

#[tokio::test]
async fn omit_unwritten_leaves_an_input_unwritten_and_unnamed() {
    let emu = with_plan(
        "POST /crm/v3/objects/postal_mail/batch/create: omit-unwritten=1",
        4,
    )
    .await;
    let r = emu.post(BATCH_CREATE, batch("u", 4, true)).await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.get("errors").is_none(), "{}", r.body);
    let answered: BTreeSet<String> = result_bodies(&r).into_iter().collect();
    assert_eq!(answered.len(), 3);
    assert_eq!(
        stored_bodies(&emu),
        answered,
        "the missing input was not written"
    );
    assert_eq!(last_fault(&emu).as_deref(), Some("omit-unwritten"));

    // Batch read: one id is neither read nor reported missing.
    let ids: Vec<Value> = emu
        .handle
        .postal_mails(false)
        .iter()
        .map(|o| json!({"id": o["id"]}))
        .collect();
    emu.handle.set_faults(
        "POST /crm/v3/objects/postal_mail/batch/read: omit-unwritten=1"
            .parse()
            .unwrap(),
    );
    let r = emu
        .post(
            "/crm/v3/objects/postal_mail/batch/read",
            json!({"inputs": ids}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn anonymous_error_leaves_an_input_unwritten_behind_an_error_that_names_nobody() {
    let emu = with_plan(
        "POST /crm/v3/objects/postal_mail/batch/create: anonymous-error=1",
        4,
    )
    .await;
    let r = emu.post(BATCH_CREATE, batch("a", 4, true)).await;
    assert_eq!(r.status, 207, "{}", r.body);
    assert_eq!(r.body["numErrors"], 1);
    let errors = r.body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1);
    let context = errors[0]["context"].as_object().unwrap();
    assert!(context.is_empty(), "names no input: {context:?}");
    assert_eq!(errors[0]["status"], "error");
    let answered: BTreeSet<String> = result_bodies(&r).into_iter().collect();
    assert_eq!(answered.len(), 3);
    assert_eq!(
        stored_bodies(&emu),
        answered,
        "the unnamed input was not written"
    );
    assert_eq!(last_fault(&emu).as_deref(), Some("anonymous-error"));
}

#[tokio::test]
async fn absurd_limit_headers_ride_on_normal_answers() {
    let emu = with_plan("GET *: absurd-limit-headers=1", 6).await;
    let max = u64::MAX.to_string();
    let absurd = ["50000000", max.as_str(), "0", "100", "-100", "unlimited"];
    let mut seen = BTreeSet::new();
    let mut one_ms = false;
    for _ in 0..30 {
        let r = emu.get(PM).await;
        assert_eq!(r.status, 200);
        assert!(r.body["results"].is_array(), "the normal body");
        let m = r.header("x-hubspot-ratelimit-max").unwrap().to_owned();
        assert!(absurd.contains(&m.as_str()), "{m}");
        one_ms |= r.header("x-hubspot-ratelimit-interval-milliseconds") == Some("1");
        assert!(r.header("x-hubspot-ratelimit-remaining").is_some());
        seen.insert(m);
    }
    assert!(one_ms, "a 1 ms interval appears");
    assert_eq!(
        seen.len(),
        absurd.len(),
        "every absurd value appears: {seen:?}"
    );
}

#[tokio::test]
async fn the_seed_fixes_every_hostile_choice() {
    async fn run(seed: u64) -> Vec<(u16, String)> {
        let emu = with_plan(
            "POST /crm/v3/objects/postal_mail/batch/create: apply-garbage=0.3,shuffle=0.3,omit-written=0.2,anonymous-error=0.2",
            seed,
        )
        .await;
        let mut out = Vec::new();
        for i in 0..12 {
            let r = emu
                .post(BATCH_CREATE, batch(&format!("r{i}"), 5, false))
                .await;
            // Ids, times and correlation ids are not the dice's; keep what they decide.
            let shape = match &r.body {
                Value::Object(_) => format!("{:?}", result_bodies(&r)),
                Value::String(s) => s.chars().take(12).collect(),
                other => other.to_string(),
            };
            out.push((r.status, shape));
        }
        out
    }
    let a = run(11).await;
    assert_eq!(a, run(11).await);
    assert_ne!(a, run(12).await);
}

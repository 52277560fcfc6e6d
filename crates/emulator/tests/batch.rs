//! The five postal mail batch endpoints: statuses (200/201/204/207), envelopes and errors.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, assert_error};
use serde_json::json;

const B: &str = "/crm/v3/objects/postal_mail/batch";

#[tokio::test]
async fn batch_read_reports_missing_ids() {
    let emu = Emu::start().await;
    let a = emu.create_pm("one").await;
    let b = emu.create_pm("two").await;
    let r = emu
        .post(&format!("{B}/read"), json!({"properties": ["hs_postal_mail_body"], "propertiesWithHistory": [], "inputs": [{"id": a}, {"id": b}]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "COMPLETE");
    assert!(r.body["startedAt"].is_string() && r.body["completedAt"].is_string());
    assert_eq!(
        r.body["results"][1]["properties"]["hs_postal_mail_body"],
        "two"
    );
    assert!(r.body.get("errors").is_none());

    let r = emu
        .post(
            &format!("{B}/read"),
            json!({"inputs": [{"id": a}, {"id": "999"}, {"id": 998}]}),
        )
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.body["numErrors"], 1);
    let e = &r.body["errors"][0];
    assert_eq!(e["status"], "error");
    assert_eq!(e["category"], "OBJECT_NOT_FOUND");
    assert_eq!(
        e["message"],
        "Could not get some POSTAL_MAIL objects, they may be deleted or not exist. Check that ids are valid."
    );
    assert_eq!(e["context"]["ids"], json!(["999", "998"]));
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1);

    // Archived ones only with ?archived=true.
    emu.delete(&format!("/crm/v3/objects/postal_mail/{b}"))
        .await;
    let r = emu
        .post(
            &format!("{B}/read?archived=true"),
            json!({"inputs": [{"id": b}]}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.body["results"][0]["archived"], true);
    // idProperty.
    let r = emu
        .post(
            &format!("{B}/read"),
            json!({"idProperty": "hs_postal_mail_body", "inputs": [{"id": "one"}]}),
        )
        .await;
    assert_eq!(r.body["results"][0]["id"], a.as_str());
}

#[tokio::test]
async fn batch_create_all_or_nothing_and_traced() {
    let emu = Emu::start().await;
    let ok = json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": "a"}});
    let r = emu
        .post(&format!("{B}/create"), json!({"inputs": [ok, ok]}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["status"], "COMPLETE");

    // Without trace ids one bad input fails everything.
    let bad = json!({"properties": {"hs_timestamp": "2021-11-12", "missing": "x"}});
    let r = emu
        .post(&format!("{B}/create"), json!({"inputs": [ok, bad]}))
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    assert_eq!(emu.handle.postal_mails(true).len(), 2);

    // With trace ids: 207, good ones created, errors carry the trace id.
    let mut ok_t = ok.clone();
    ok_t["objectWriteTraceId"] = json!("t-1");
    let mut bad_t = bad.clone();
    bad_t["objectWriteTraceId"] = json!("t-2");
    let r = emu
        .post(&format!("{B}/create"), json!({"inputs": [ok_t, bad_t]}))
        .await;
    assert_eq!(r.status, 207, "{}", r.body);
    assert_eq!(r.body["numErrors"], 1);
    assert_eq!(r.body["errors"][0]["category"], "VALIDATION_ERROR");
    assert_eq!(
        r.body["errors"][0]["context"]["objectWriteTraceId"],
        json!(["t-2"])
    );
    assert!(
        r.body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("PROPERTY_DOESNT_EXIST")
    );
    assert_eq!(emu.handle.postal_mails(true).len(), 3);

    // Over the limit.
    let many: Vec<_> = (0..=hubspot_postal_model::limits::BATCH_MAX_INPUTS)
        .map(|_| ok.clone())
        .collect();
    assert_error(
        &emu.post(&format!("{B}/create"), json!({"inputs": many}))
            .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.post(&format!("{B}/create"), json!({"inputs": "x"}))
            .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.post(&format!("{B}/frobnicate"), json!({"inputs": []}))
            .await,
        404,
        "RESOURCE_NOT_FOUND",
    );
}

#[tokio::test]
async fn batch_update_upsert_archive() {
    let emu = Emu::start().await;
    let a = emu.create_pm("a").await;
    let b = emu.create_pm("b").await;
    let r = emu
        .post(&format!("{B}/update"), json!({"inputs": [{"id": a, "properties": {"hs_postal_mail_body": "A"}},
                                                         {"id": b, "properties": {"hs_postal_mail_body": "B"}}]}))
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.body["results"][0]["properties"]["hs_postal_mail_body"],
        "A"
    );
    let r = emu
        .post(&format!("{B}/update"), json!({"inputs": [{"id": a, "properties": {"hs_postal_mail_body": "AA"}},
                                                         {"id": "777", "properties": {"hs_postal_mail_body": "?"}}]}))
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.body["errors"][0]["context"]["ids"], json!(["777"]));
    assert_eq!(
        emu.handle.record("postal_mail", &a).unwrap()["properties"]["hs_postal_mail_body"],
        "AA"
    );
    let r = emu
        .post(
            &format!("{B}/update"),
            json!({"inputs": [{"id": a, "properties": {}}, {"id": a, "properties": {}}]}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");

    // Upsert by id: existing → new:false; unknown → per-input error.
    let r = emu
        .post(&format!("{B}/upsert"), json!({"inputs": [{"id": a, "properties": {"hs_postal_mail_body": "up"}},
                                                         {"id": "555", "properties": {"hs_postal_mail_body": "x"}}]}))
        .await;
    assert_eq!(r.status, 207, "{}", r.body);
    assert_eq!(r.body["results"][0]["new"], false);
    assert_eq!(r.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    // Upsert by a unique property: creates, then updates.
    let input = json!({"inputs": [{"id": "ref-1", "idProperty": "hs_attachment_ids",
                                    "properties": {"hs_timestamp": "2022-01-01", "hs_postal_mail_body": "v1"}}]});
    let r = emu.post(&format!("{B}/upsert"), input.clone()).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["results"][0]["new"], true);
    let created = r.body["results"][0]["id"].clone();
    let r = emu.post(&format!("{B}/upsert"), input).await;
    assert_eq!(r.body["results"][0]["new"], false);
    assert_eq!(r.body["results"][0]["id"], created);
    let r = emu
        .post(
            &format!("{B}/upsert"),
            json!({"inputs": [{"id": "x", "idProperty": "nope", "properties": {}}]}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");

    // Archive: 204, unknown ids ignored.
    let r = emu
        .post(
            &format!("{B}/archive"),
            json!({"inputs": [{"id": a}, {"id": "123456"}]}),
        )
        .await;
    assert_eq!(r.status, 204);
    assert_eq!(
        emu.handle.record("postal_mail", &a).unwrap()["archived"],
        true
    );
}

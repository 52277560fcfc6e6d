//! Search lag: a record written through the API reaches search only after the configured lag,
//! while get, list and batch read see it at once; updates show their old values meanwhile.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use std::time::Duration;

use common::Emu;
use hubspot_postal_emulator::EmulatorConfig;
use serde_json::{Value, json};

const PM: &str = "/crm/v3/objects/postal_mail";
const SEARCH: &str = "/crm/v3/objects/postal_mail/search";

/// Long enough that the requests made "before" certainly fall inside it on a loaded machine.
const LAG: Duration = Duration::from_millis(1500);

/// Bodies search returns for a CONTAINS_TOKEN query on the body.
async fn search_bodies(emu: &Emu, token: &str) -> Vec<String> {
    let r = emu
        .post(
            SEARCH,
            json!({"filterGroups": [{"filters": [{"propertyName": "hs_postal_mail_body",
                   "operator": "CONTAINS_TOKEN", "value": token}]}],
                   "properties": ["hs_postal_mail_body"]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            o["properties"]["hs_postal_mail_body"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[tokio::test]
async fn a_new_record_reaches_search_only_after_the_lag() {
    let emu = Emu::with(EmulatorConfig::default().search_lag(LAG)).await;
    let id = emu.create_pm("lagging letter").await;
    assert!(
        search_bodies(&emu, "lagging").await.is_empty(),
        "not indexed yet"
    );
    let total = emu.post(SEARCH, json!({})).await.body["total"].clone();
    assert_eq!(total, 0);
    // Everything but search sees it at once.
    assert_eq!(emu.get(&format!("{PM}/{id}")).await.status, 200);
    assert_eq!(
        emu.get(PM).await.body["results"].as_array().unwrap().len(),
        1
    );
    let read = emu
        .post(&format!("{PM}/batch/read"), json!({"inputs": [{"id": id}]}))
        .await;
    assert_eq!(read.status, 200);
    assert_eq!(read.body["results"][0]["id"], json!(id));

    tokio::time::sleep(LAG + Duration::from_millis(200)).await;
    assert_eq!(search_bodies(&emu, "lagging").await, ["lagging letter"]);
}

#[tokio::test]
async fn an_update_shows_its_old_values_until_the_lag_passes() {
    let emu = Emu::start().await;
    let id = emu.create_pm("first draft").await;
    emu.handle.set_search_lag(LAG);
    let r = emu
        .patch(
            &format!("{PM}/{id}"),
            json!({"properties": {"hs_postal_mail_body": "final copy"}}),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(search_bodies(&emu, "draft").await, ["first draft"]);
    assert!(search_bodies(&emu, "final").await.is_empty());
    let got = emu
        .get(&format!("{PM}/{id}?properties=hs_postal_mail_body"))
        .await;
    assert_eq!(got.body["properties"]["hs_postal_mail_body"], "final copy");

    tokio::time::sleep(LAG + Duration::from_millis(200)).await;
    assert!(search_bodies(&emu, "draft").await.is_empty());
    assert_eq!(search_bodies(&emu, "final").await, ["final copy"]);
}

#[tokio::test]
async fn the_lag_is_set_over_http_and_zero_means_at_once() {
    let emu = Emu::start().await;
    emu.create_pm("instant").await;
    assert_eq!(
        search_bodies(&emu, "instant").await,
        ["instant"],
        "no lag by default"
    );

    let put = |body: &'static str| {
        emu.http
            .put(format!("{}/__emulator/search-lag", emu.base))
            .body(body)
            .send()
    };
    assert_eq!(put("10s").await.unwrap().status(), 204);
    emu.create_pm("delayed").await;
    assert!(search_bodies(&emu, "delayed").await.is_empty());
    // A reset keeps the setting, like the fault plan.
    emu.handle.reset();
    emu.create_pm("delayed again").await;
    assert!(search_bodies(&emu, "again").await.is_empty());

    assert_eq!(put("0s").await.unwrap().status(), 204);
    assert_eq!(search_bodies(&emu, "again").await, ["delayed again"]);
    let bad = put("soon").await.unwrap();
    assert_eq!(bad.status(), 400);
    let body: Value = bad.json().await.unwrap();
    assert_eq!(body["category"], "VALIDATION_ERROR");

    // Seeded records are there from the start, so search sees them even with a lag.
    emu.handle.set_search_lag(Duration::from_secs(10));
    emu.handle.seed_record(
        "postal_mail",
        [
            ("hs_timestamp", "2021-11-12"),
            ("hs_postal_mail_body", "seeded"),
        ],
    );
    assert_eq!(search_bodies(&emu, "seeded").await, ["seeded"]);
}

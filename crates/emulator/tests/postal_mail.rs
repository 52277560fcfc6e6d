//! Postal mail CRUD, list paging, properties, archived semantics and error bodies over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, assert_error};
use serde_json::json;

const PM: &str = "/crm/v3/objects/postal_mail";

#[tokio::test]
async fn create_read_update_archive() {
    let emu = Emu::start().await;
    let r = emu
        .post(
            PM,
            json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": "Sent copy of contract",
                                  "hubspot_owner_id": "9274996", "hs_attachment_ids": "24332474034;1"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_owned();
    assert!(id.parse::<u64>().unwrap() >= 1_000_000);
    let p = &r.body["properties"];
    assert_eq!(p["hs_timestamp"], "2021-11-12T00:00:00.000Z");
    assert_eq!(p["hs_object_id"], id.as_str());
    assert_eq!(p["hs_attachment_ids"], "24332474034;1");
    assert_eq!(r.body["archived"], false);
    let created = r.body["createdAt"].as_str().unwrap();
    assert!(created.ends_with('Z') && created.len() == 24, "{created}");
    assert!(r.header("x-hubspot-correlation-id").is_some());
    assert_eq!(r.header("x-hubspot-ratelimit-max"), Some("100"));
    assert_eq!(
        r.header("x-hubspot-ratelimit-interval-milliseconds"),
        Some("10000")
    );
    assert!(r.header("x-hubspot-ratelimit-remaining").is_some());
    assert!(r.header("x-hubspot-ratelimit-daily").is_some());
    assert!(r.header("x-hubspot-ratelimit-daily-remaining").is_some());

    // Plain GET: system properties only.
    let g = emu.get(&format!("{PM}/{id}")).await;
    assert_eq!(g.status, 200);
    let keys: Vec<&String> = g.body["properties"].as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"]
    );

    // Requested, repeated and comma-joined; unknown ignored; defined without value is null.
    let g = emu
        .get(&format!("{PM}/{id}?properties=hs_postal_mail_body,nonsense&properties=hs_timestamp&properties=hubspot_owner_id"))
        .await;
    assert_eq!(
        g.body["properties"]["hs_postal_mail_body"],
        "Sent copy of contract"
    );
    assert_eq!(
        g.body["properties"]["hs_timestamp"],
        "2021-11-12T00:00:00.000Z"
    );
    assert!(g.body["properties"].get("nonsense").is_none());
    let g2 = emu
        .get(&format!(
            "{PM}/{}?properties=hs_attachment_ids",
            emu.create_pm("x").await
        ))
        .await;
    assert!(g2.body["properties"]["hs_attachment_ids"].is_null());
    assert!(
        g2.body["properties"]
            .as_object()
            .unwrap()
            .contains_key("hs_attachment_ids")
    );

    // Update: unknown properties ignored, "" clears, epoch millis accepted.
    let u = emu
        .patch(
            &format!("{PM}/{id}"),
            json!({"properties": {"hs_postal_mail_body": "Received a call", "hs_attachment_ids": "", "unknown_thing": "x",
                                  "hs_timestamp": "1636675200000", "hs_object_id": "1"}}),
        )
        .await;
    assert_eq!(u.status, 200, "{}", u.body);
    assert_eq!(
        u.body["properties"]["hs_postal_mail_body"],
        "Received a call"
    );
    assert!(u.body["properties"].get("hs_attachment_ids").is_none());
    assert!(u.body["properties"].get("unknown_thing").is_none());
    assert_eq!(
        u.body["properties"]["hs_timestamp"],
        "2021-11-12T00:00:00.000Z"
    );
    assert_eq!(u.body["properties"]["hs_object_id"], id.as_str());
    assert!(u.body["updatedAt"].as_str().unwrap() >= created);

    // Archive: 204, then 404 without archived=true, readable with it, idempotent.
    let d = emu.delete(&format!("{PM}/{id}")).await;
    assert_eq!(d.status, 204);
    assert!(d.body.is_null());
    assert_error(
        &emu.get(&format!("{PM}/{id}")).await,
        404,
        "OBJECT_NOT_FOUND",
    );
    let a = emu.get(&format!("{PM}/{id}?archived=True")).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["archived"], true);
    assert!(a.body["archivedAt"].is_string());
    assert_eq!(emu.delete(&format!("{PM}/{id}")).await.status, 204);
    assert_error(
        &emu.patch(&format!("{PM}/{id}"), json!({"properties": {}}))
            .await,
        404,
        "OBJECT_NOT_FOUND",
    );
    // Unknown and non-numeric ids.
    assert_error(
        &emu.get(&format!("{PM}/999")).await,
        404,
        "OBJECT_NOT_FOUND",
    );
    assert_error(
        &emu.get(&format!("{PM}/abc")).await,
        404,
        "OBJECT_NOT_FOUND",
    );
    assert_eq!(emu.delete(&format!("{PM}/424242")).await.status, 204);
    // The store saw the archive.
    assert_eq!(emu.handle.postal_mails(false).len(), 1);
    assert_eq!(emu.handle.postal_mails(true).len(), 2);
}

#[tokio::test]
async fn object_type_id_and_idproperty_work() {
    let emu = Emu::start().await;
    let id = emu.create_pm("by type id").await;
    let g = emu
        .get(&format!(
            "/crm/v3/objects/0-116/{id}?properties=hs_postal_mail_body"
        ))
        .await;
    assert_eq!(g.body["properties"]["hs_postal_mail_body"], "by type id");
    let g = emu
        .get(&format!(
            "{PM}/by%20type%20id?idProperty=hs_postal_mail_body"
        ))
        .await;
    assert_eq!(g.status, 200, "{}", g.body);
    assert_eq!(g.body["id"], id.as_str());
    assert_error(
        &emu.get("/crm/v3/objects/widgets/1").await,
        400,
        "VALIDATION_ERROR",
    );
}

#[tokio::test]
async fn create_validation_errors() {
    let emu = Emu::start().await;
    let r = emu
        .post(
            PM,
            json!({"properties": {"hs_postal_mail_body": "no timestamp"}}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["code"], "REQUIRED_PROPERTY");
    assert_eq!(
        r.body["errors"][0]["context"]["propertyName"][0],
        "hs_timestamp"
    );

    let r = emu
        .post(
            PM,
            json!({"properties": {"hs_timestamp": "2021-11-12", "testproperty": "x"}}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    assert_eq!(r.body["errors"][0]["code"], "PROPERTY_DOESNT_EXIST");
    let msg = r.body["message"].as_str().unwrap();
    assert!(
        msg.starts_with("Property values were not valid: [{\"isValid\":false"),
        "{msg}"
    );
    assert!(
        msg.contains("Property \\\"testproperty\\\" does not exist"),
        "{msg}"
    );

    let r = emu
        .post(PM, json!({"properties": {"hs_timestamp": "last tuesday"}}))
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    let long = "x".repeat(hubspot_postal_model::limits::BODY_MAX_CHARS + 1);
    let r = emu
        .post(
            PM,
            json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": long}}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    let ok = "é".repeat(hubspot_postal_model::limits::BODY_MAX_CHARS);
    let r = emu
        .post(
            PM,
            json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": ok}}),
        )
        .await;
    assert_eq!(r.status, 201);

    // Malformed and wrongly typed JSON.
    let r = emu
        .raw(
            reqwest::Method::POST,
            PM,
            Some(b"{not json".to_vec()),
            Some(common::TOKEN),
        )
        .await
        .unwrap();
    assert_error(&r, 400, "VALIDATION_ERROR");
    assert_error(
        &emu.post(PM, json!({"properties": ["a"]})).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(&emu.post(PM, json!([1, 2])).await, 400, "VALIDATION_ERROR");
    assert_error(
        &emu.post(PM, json!({"properties": {"hs_timestamp": {"x": 1}}}))
            .await,
        400,
        "VALIDATION_ERROR",
    );
    // Associating to a record that does not exist.
    let r = emu
        .post(PM, json!({"properties": {"hs_timestamp": "2021-11-12"},
                         "associations": [{"to": {"id": 501}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453}]}]}))
        .await;
    assert_error(&r, 404, "OBJECT_NOT_FOUND");
    assert_eq!(
        emu.handle.postal_mails(true).len(),
        1,
        "nothing else was created"
    );
}

#[tokio::test]
async fn list_pages_until_the_end() {
    let emu = Emu::start().await;
    let ids = emu.handle.seed_postal_mails(25, "letter");
    let first = emu.get(PM).await;
    assert_eq!(first.status, 200);
    assert_eq!(first.body["results"].as_array().unwrap().len(), 10);
    let mut seen = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(a) => format!("{PM}?limit=7&after={a}&properties=hs_postal_mail_body"),
            None => format!("{PM}?limit=7&properties=hs_postal_mail_body"),
        };
        let r = emu.get(&path).await;
        for o in r.body["results"].as_array().unwrap() {
            seen.push(o["id"].as_str().unwrap().to_owned());
            assert!(
                o["properties"]["hs_postal_mail_body"]
                    .as_str()
                    .unwrap()
                    .starts_with("letter ")
            );
        }
        match r.body["paging"]["next"]["after"].as_str() {
            Some(a) => {
                assert!(
                    r.body["paging"]["next"]["link"]
                        .as_str()
                        .unwrap()
                        .contains(&format!("after={a}"))
                );
                after = Some(a.to_owned());
            }
            None => {
                assert!(r.body.get("paging").is_none());
                break;
            }
        }
    }
    assert_eq!(seen, ids);
    // Above the maximum the page is clamped to 100; nonsense limits are 400s.
    emu.handle.seed_postal_mails(100, "more");
    let r = emu.get(&format!("{PM}?limit=500")).await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 100);
    assert_error(
        &emu.get(&format!("{PM}?limit=0")).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.get(&format!("{PM}?after=xyz")).await,
        400,
        "VALIDATION_ERROR",
    );
    // archived=true lists only archived ones.
    emu.delete(&format!("{PM}/{}", ids[3])).await;
    let r = emu.get(&format!("{PM}?archived=true")).await;
    let archived: Vec<&str> = r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(archived, [ids[3].as_str()]);
    assert_error(
        &emu.get(&format!("{PM}?archived=maybe")).await,
        400,
        "VALIDATION_ERROR",
    );
}

#[tokio::test]
async fn sdk_quirks_are_accepted() {
    let emu = Emu::start().await;
    let id = emu.create_pm("quirks").await;
    // Content-Type on a bodiless GET and DELETE, archived=False as the Python SDK sends it.
    let r = emu
        .http
        .get(format!("{}{PM}/{id}?archived=False", emu.base))
        .bearer_auth(common::TOKEN)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let r = emu
        .http
        .delete(format!("{}{PM}/{id}", emu.base))
        .bearer_auth(common::TOKEN)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
}

#[tokio::test]
async fn seeding_100k_is_fast() {
    let emu = Emu::start().await;
    let t = std::time::Instant::now();
    let ids = emu.handle.seed_postal_mails(100_000, "bulk");
    assert_eq!(ids.len(), 100_000);
    assert!(
        t.elapsed() < std::time::Duration::from_secs(5),
        "{:?}",
        t.elapsed()
    );
    let r = emu
        .get(&format!("{PM}?limit=100&after={}", ids[99_950]))
        .await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 50);
    assert!(r.body.get("paging").is_none());
}

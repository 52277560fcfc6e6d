//! Search: operators, groups, sorting, query, association filters, paging and limits.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, assert_error};
use serde_json::{Value, json};

const S: &str = "/crm/v3/objects/postal_mail/search";

async fn ids(emu: &Emu, body: Value) -> Vec<String> {
    let r = emu.post(S, body).await;
    assert_eq!(r.status, 200, "{}", r.body);
    r.body["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect()
}

fn one(prop: &str, op: &str, value: Value) -> Value {
    let mut f = json!({"propertyName": prop, "operator": op});
    match op {
        "IN" | "NOT_IN" => f["values"] = value,
        "BETWEEN" => {
            f["value"] = value[0].clone();
            f["highValue"] = value[1].clone();
        }
        "HAS_PROPERTY" | "NOT_HAS_PROPERTY" => {}
        _ => f["value"] = value,
    }
    json!({"filterGroups": [{"filters": [f]}], "limit": 100})
}

#[tokio::test]
async fn every_operator() {
    let emu = Emu::start().await;
    let mk = |ts: &str, body: &str, owner: Option<&str>| {
        let mut p = json!({"hs_timestamp": ts, "hs_postal_mail_body": body});
        if let Some(o) = owner {
            p["hubspot_owner_id"] = json!(o);
        }
        json!({"properties": p})
    };
    let mut id = Vec::new();
    for input in [
        mk(
            "2020-01-21",
            "Sent copy of CONTRACT to John",
            Some("9274996"),
        ),
        mk("2021-06-01", "Invoice reminder", Some("100")),
        mk("2022-03-01", "Contract renewal letter", None),
    ] {
        id.push(
            emu.post("/crm/v3/objects/postal_mail", input).await.body["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    let (a, b, c) = (id[0].clone(), id[1].clone(), id[2].clone());
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "EQ", json!("9274996"))).await,
        [a.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "NEQ", json!("9274996"))).await,
        [b.as_str(), c.as_str()]
    );
    // Numeric, not lexicographic: 100 < 9274996.
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "LT", json!("1000"))).await,
        [b.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "LTE", json!(100))).await,
        [b.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "GT", json!("100"))).await,
        [a.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "GTE", json!("100"))).await,
        [a.as_str(), b.as_str()]
    );
    // Timestamps as epoch millis (2020-01-20 .. 2022-01-20) or ISO dates.
    assert_eq!(
        ids(
            &emu,
            one(
                "hs_timestamp",
                "BETWEEN",
                json!(["1579514400000", "1642672800000"])
            )
        )
        .await,
        [a.as_str(), b.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hs_timestamp", "GT", json!("2021-12-31"))).await,
        [c.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one("hubspot_owner_id", "IN", json!(["9274996", "100"]))
        )
        .await,
        [a.as_str(), b.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "NOT_IN", json!(["9274996"]))).await,
        [b.as_str(), c.as_str()]
    );
    assert_eq!(
        ids(&emu, one("hubspot_owner_id", "HAS_PROPERTY", Value::Null)).await,
        [a.as_str(), b.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one("hubspot_owner_id", "NOT_HAS_PROPERTY", Value::Null)
        )
        .await,
        [c.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one("hs_postal_mail_body", "CONTAINS_TOKEN", json!("contract"))
        )
        .await,
        [a.as_str(), c.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one("hs_postal_mail_body", "CONTAINS_TOKEN", json!("remind*"))
        )
        .await,
        [b.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one(
                "hs_postal_mail_body",
                "NOT_CONTAINS_TOKEN",
                json!("contract")
            )
        )
        .await,
        [b.as_str()]
    );
    assert_eq!(
        ids(
            &emu,
            one("hs_postal_mail_body", "EQ", json!("invoice REMINDER"))
        )
        .await,
        [b.as_str()]
    );

    // AND within a group, OR across groups.
    let body = json!({"filterGroups": [
        {"filters": [{"propertyName": "hs_postal_mail_body", "operator": "CONTAINS_TOKEN", "value": "contract"},
                     {"propertyName": "hubspot_owner_id", "operator": "HAS_PROPERTY"}]},
        {"filters": [{"propertyName": "hubspot_owner_id", "operator": "EQ", "value": "100"}]}]});
    assert_eq!(ids(&emu, body).await, [a.as_str(), b.as_str()]);
    // Sort, query, properties.
    let r = emu
        .post(S, json!({"sorts": [{"propertyName": "hs_timestamp", "direction": "DESCENDING"}], "query": "contract",
                        "properties": ["hs_postal_mail_body"]}))
        .await;
    assert_eq!(r.body["total"], 2);
    assert_eq!(r.body["results"][0]["id"], c.as_str());
    assert_eq!(
        r.body["results"][0]["properties"]["hs_postal_mail_body"],
        "Contract renewal letter"
    );
    assert!(
        r.header("x-hubspot-ratelimit-max").is_none(),
        "search carries no burst headers"
    );
    assert!(r.header("x-hubspot-ratelimit-daily").is_some());
    // Archived objects never appear.
    emu.delete(&format!("/crm/v3/objects/postal_mail/{a}"))
        .await;
    assert_eq!(ids(&emu, json!({})).await, [b.as_str(), c.as_str()]);
}

#[tokio::test]
async fn association_pseudo_property() {
    let emu = Emu::start().await;
    let contact = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
    let pm = emu.create_pm("for ada").await;
    emu.create_pm("for nobody").await;
    let r = emu.put(&format!("/crm/v3/objects/postal_mail/{pm}/associations/contact/{contact}/POSTAL_MAIL_TO_CONTACT"), None).await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        ids(&emu, one("associations.contact", "EQ", json!(contact))).await,
        [pm.as_str()]
    );
    assert_eq!(
        ids(&emu, one("associations.contacts", "IN", json!([contact]))).await,
        [pm.as_str()]
    );
}

#[tokio::test]
async fn paging_and_limits() {
    let emu = Emu::start().await;
    emu.handle.seed_postal_mails(25, "p");
    let r = emu.post(S, json!({"limit": 10})).await;
    assert_eq!(r.body["total"], 25);
    assert_eq!(r.body["paging"]["next"]["after"], "10");
    let r = emu.post(S, json!({"limit": 10, "after": "20"})).await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 5);
    assert!(r.body.get("paging").is_none());
    let r = emu.post(S, json!({})).await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 10);

    let f = json!({"propertyName": "hs_postal_mail_body", "operator": "HAS_PROPERTY"});
    let group = |n: usize| json!({"filters": vec![f.clone(); n]});
    assert_error(
        &emu.post(S, json!({"filterGroups": vec![group(1); 6]}))
            .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.post(S, json!({"filterGroups": [group(7)]})).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.post(S, json!({"filterGroups": vec![group(4); 5]}))
            .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_eq!(
        emu.post(S, json!({"filterGroups": vec![group(6); 3]}))
            .await
            .status,
        200
    );
    assert_error(
        &emu.post(S, json!({"limit": 201})).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_eq!(emu.post(S, json!({"limit": 200})).await.status, 200);
    assert_error(
        &emu.post(S, json!({"limit": 100, "after": "9950"})).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.post(S, json!({"query": "x".repeat(3_000)})).await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(&emu.post(S, json!({"filterGroups": [{"filters": [{"propertyName": "x", "operator": "LIKE", "value": "1"}]}]})).await, 400, "VALIDATION_ERROR");
    assert_error(
        &emu.post(
            S,
            json!({"filterGroups": [{"filters": [{"propertyName": "x", "operator": "EQ"}]}]}),
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
}

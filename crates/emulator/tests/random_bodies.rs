//! Property test: arbitrary bytes and arbitrary JSON to every write route never produce a 5xx
//! or kill the server, and never corrupt what is stored.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, TOKEN};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use reqwest::Method;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "[a-z_]{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("hs_timestamp"),
            Just("properties"),
            Just("inputs"),
            Just("id"),
            Just("associationTypeId"),
            Just("2021-11-12"),
            Just("1000000"),
            Just("453"),
            Just("filterGroups"),
            Just("EQ")
        ]
        .prop_map(|s| Value::String(s.into())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,10}".boxed(),
                    prop_oneof![
                        Just("properties"),
                        Just("inputs"),
                        Just("id"),
                        Just("to"),
                        Just("types"),
                        Just("associations"),
                        Just("hs_timestamp"),
                        Just("filterGroups"),
                        Just("filters"),
                        Just("limit"),
                        Just("after"),
                        Just("sorts"),
                        Just("idProperty"),
                        Just("objectWriteTraceId")
                    ]
                    .prop_map(str::to_owned)
                    .boxed()
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..200),
        json_value().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        // Plausible shapes with random members, to get past the first checks.
        json_value().prop_map(|v| serde_json::to_vec(&json!({"properties": v})).unwrap()),
        json_value().prop_map(|v| serde_json::to_vec(&json!({"inputs": [v]})).unwrap()),
        json_value().prop_map(
            |v| serde_json::to_vec(&json!({"filterGroups": [{"filters": [v]}]})).unwrap()
        ),
        json_value().prop_map(|v| serde_json::to_vec(&json!([v])).unwrap()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn random_bodies_never_5xx() {
    let emu = Emu::start().await;
    let pm = emu.create_pm("keep me").await;
    let contact = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
    let routes: Vec<(Method, String)> = vec![
        (Method::POST, "/crm/v3/objects/postal_mail".into()),
        (Method::PATCH, format!("/crm/v3/objects/postal_mail/{pm}")),
        (
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/read".into(),
        ),
        (
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/create".into(),
        ),
        (
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/update".into(),
        ),
        (
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/upsert".into(),
        ),
        (
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/archive".into(),
        ),
        (Method::POST, "/crm/v3/objects/postal_mail/search".into()),
        (Method::POST, "/crm/v3/objects/contacts".into()),
        (Method::PATCH, format!("/crm/v3/objects/contacts/{contact}")),
        (
            Method::PUT,
            format!("/crm/v4/objects/postal_mail/{pm}/associations/contacts/{contact}"),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/batch/create".into(),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/batch/read".into(),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/batch/archive".into(),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/batch/labels/archive".into(),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/batch/associate/default".into(),
        ),
        (
            Method::POST,
            "/crm/v3/associations/postal_mail/contacts/batch/create".into(),
        ),
        (
            Method::POST,
            "/crm/v4/associations/postal_mail/contacts/labels".into(),
        ),
    ];
    let handle = tokio::runtime::Handle::current();
    for (method, path) in routes {
        let mut runner = TestRunner::new(Config {
            // CI runs 64 per route; PROPTEST_CASES sets the full run (see docs/reliability.md).
            cases: std::env::var("PROPTEST_CASES")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(64),
            failure_persistence: None,
            ..Config::default()
        });
        let result = runner.run(&body(), |bytes| {
            let reply = tokio::task::block_in_place(|| {
                handle.block_on(emu.raw(method.clone(), &path, Some(bytes.clone()), Some(TOKEN)))
            });
            let reply = reply.map_err(|e| {
                TestCaseError::fail(format!("{method} {path}: transport error {e}"))
            })?;
            prop_assert!(
                (200..500).contains(&reply.status),
                "{} {} -> {}: {}",
                method,
                path,
                reply.status,
                reply.body
            );
            if reply.status >= 400 {
                prop_assert_eq!(&reply.body["status"], "error");
            }
            Ok(())
        });
        if let Err(e) = result {
            panic!("{method} {path}: {e}");
        }
    }
    // The stored data is still well-formed and readable.
    for o in emu.handle.postal_mails(true) {
        let id = o["id"].as_str().unwrap();
        let r = emu
            .get(&format!(
                "/crm/v3/objects/postal_mail/{id}?archived={}",
                o["archived"]
            ))
            .await;
        assert_eq!(r.status, 200, "{}", r.body);
    }
    assert_eq!(
        emu.get("/crm/v3/objects/postal_mail?limit=100")
            .await
            .status,
        200
    );
    assert_eq!(emu.handle.count_status(500), 0);
}

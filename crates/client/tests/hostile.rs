//! The client against answers our model does not expect: undecodable 2xx bodies, every 5xx,
//! drifted bodies. A write whose fate the answer leaves open is `MaybeApplied` with its inputs,
//! never a plain failure and never retried; drift that HubSpot calls non-breaking decodes.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{HeaderValue, StatusCode, header};
use hubspot_postal::transport::{Response, ScriptedTransport};
use hubspot_postal::{BatchOutcome, Client, Error, GetOptions, ItemError, RateLimiter};
use proptest::prelude::*;
use serde_json::{Value, json};
use support::*;

/// A client that would retry anything retryable, so that a test sees any resend.
fn retrying_client(scripted: &ScriptedTransport) -> Client {
    Client::builder()
        .token("test-token")
        .base_url("https://api.hubapi.com")
        .transport(Arc::new(scripted.clone()))
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(RetryPolicy::default().backoff(
            std::time::Duration::from_millis(1),
            std::time::Duration::from_millis(2),
        ))
        .build()
        .unwrap()
}

fn html(status: u16) -> Response {
    Response::new(StatusCode::from_u16(status).unwrap())
        .with_header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/html"),
        )
        .with_body(format!(
            "<!DOCTYPE html><html><head><title>{status} | Origin error</title></head><body>cloudflare</body></html>"
        ))
}

fn bytes(status: u16, body: &str) -> Response {
    Response::new(StatusCode::from_u16(status).unwrap()).with_body(body.to_owned())
}

/// Bodies a 2xx can come back with that do not decode as the operation's answer.
fn garbage_bodies(valid: &Value) -> Vec<String> {
    let text = valid.to_string();
    vec![
        text[..text.len() / 2].to_owned(),
        String::new(),
        "<html><body>OK</body></html>".to_owned(),
        "not json at all".to_owned(),
        "null".to_owned(),
        "[]".to_owned(),
    ]
}

/// Batch-creates letters "a" and "b" against one `answer`, asserting it was not resent.
async fn batch_create_ab_once(answer: Response) -> BatchOutcome<PostalMail> {
    let scripted = ScriptedTransport::new();
    scripted.push_response(answer);
    let client = retrying_client(&scripted);
    let outcome = client
        .batch_create(vec![letter().body("a"), letter().body("b")])
        .await
        .unwrap();
    assert_eq!(scripted.request_count(), 1, "never resent");
    outcome
}

fn assert_maybe_applied_with(err: &Error, bodies: &[&str]) {
    assert!(
        matches!(err, Error::MaybeApplied { .. }),
        "must be MaybeApplied: {err:?}"
    );
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    let got: Vec<_> = err
        .unreconciled_inputs()
        .iter()
        .map(|i| i.properties.get("hs_postal_mail_body").unwrap_or(""))
        .collect();
    assert_eq!(got, bodies);
}

#[tokio::test]
async fn create_answered_2xx_with_an_undecodable_body_may_have_been_applied() {
    for body in garbage_bodies(&created_example()) {
        let scripted = ScriptedTransport::new();
        scripted.push_response(bytes(201, &body));
        let client = retrying_client(&scripted);
        let err = client.create(letter().body("a")).await.unwrap_err();
        assert_maybe_applied_with(&err, &["a"]);
        assert!(
            matches!(&err, Error::MaybeApplied { source, .. } if matches!(**source, Error::Decode(_)))
        );
        assert_eq!(scripted.request_count(), 1, "never resent: {body:?}");
    }
}

#[tokio::test]
async fn batch_create_answered_2xx_with_an_undecodable_body_keeps_every_input_of_the_chunk() {
    let valid = batch_body(vec![postal_mail("1", &[])], vec![]);
    for body in garbage_bodies(&valid) {
        for status in [200, 201, 207] {
            let outcome = batch_create_ab_once(bytes(status, &body)).await;
            assert!(outcome.may_have_applied_failures());
            for (i, item) in outcome.items.iter().enumerate() {
                match item {
                    Err(ItemError::Request(err)) => assert_maybe_applied_with(err, &["a", "b"]),
                    // `[]` and `{}` read as an answer without results: each input unanswered.
                    Err(ItemError::Unknown(u)) => assert_eq!(
                        u.input
                            .as_ref()
                            .and_then(|i| i.properties.get("hs_postal_mail_body")),
                        Some(["a", "b"][i])
                    ),
                    other => panic!("{status} {body:?}: {other:?}"),
                }
                assert!(item.as_ref().unwrap_err().may_have_been_applied(), "{i}");
            }
        }
    }
}

#[tokio::test]
async fn create_answered_with_any_5xx_json_or_html_is_maybe_applied_and_not_resent() {
    for status in 500..=599_u16 {
        for answer in [
            Response::json(
                StatusCode::from_u16(status).unwrap(),
                &json!({"status": "error", "message": "boom", "correlationId": "c"}),
            ),
            html(status),
        ] {
            let scripted = ScriptedTransport::new();
            scripted.push_response(answer);
            let client = retrying_client(&scripted);
            let err = client.create(letter().body("a")).await.unwrap_err();
            assert_maybe_applied_with(&err, &["a"]);
            assert_eq!(err.status(), Some(status));
            assert_eq!(scripted.request_count(), 1, "{status} must not be resent");
        }
    }
}

#[tokio::test]
async fn batch_create_answered_with_a_proxy_5xx_is_maybe_applied_per_input() {
    for status in [507, 520, 524] {
        let outcome = batch_create_ab_once(html(status)).await;
        for item in &outcome.items {
            let Err(ItemError::Request(err)) = item else {
                panic!("{item:?}")
            };
            assert_maybe_applied_with(err, &["a", "b"]);
        }
    }
}

#[tokio::test(start_paused = true)]
async fn reads_are_retried_after_a_proxy_5xx_and_succeed() {
    for status in [507, 520, 524] {
        let scripted = ScriptedTransport::new();
        scripted.push_response(html(status));
        scripted.push_json(200, postal_mail("7", &[]));
        let client = retrying_client(&scripted);
        let got = client
            .get(&"7".parse().unwrap(), &GetOptions::new())
            .await
            .unwrap();
        assert_eq!(got.id.to_string(), "7");
        assert_eq!(scripted.request_count(), 2);
    }
}

/// HubSpot's breaking-change definition allows new fields and enum values; numeric ids and a
/// missing `createdAt` have been seen behind proxies and in other objects' answers.
fn drifted_record(id: u64, body: &str) -> Value {
    json!({
        "id": id,
        "properties": {
            "hs_postal_mail_body": body,
            "hs_timestamp": "2021-11-12T00:00:00.000Z",
            "hs_new_thing": null,
            "hs_object_id": id,
        },
        "updatedAt": "2026-01-05T10:00:00.000Z",
        "archived": false,
        "propertiesWithHistory": {},
        "newField": {"nested": [1, 2, {"deeper": true}]},
        "objectWriteTraceId": null,
    })
}

#[tokio::test]
async fn create_decodes_a_drifted_answer() {
    let (client, scripted) = setup();
    scripted.push_json(201, drifted_record(9001, "a"));
    let created = client.create(letter().body("a")).await.unwrap();
    assert_eq!(created.id.to_string(), "9001");
    assert_eq!(created.created_at, None);
    assert_eq!(created.body(), Some("a"));
    assert_eq!(created.properties.get("hs_new_thing"), None);
    assert!(created.properties.contains("hs_new_thing"));
}

#[tokio::test]
async fn batch_create_decodes_a_drifted_answer_and_places_results_by_content() {
    let (client, scripted) = setup();
    scripted.push_json(
        201,
        json!({
            "status": "SOMETHING_NEW",
            "results": [drifted_record(2, "b"), drifted_record(1, "a")],
            "requestedAt": null,
            "unknownTopLevel": {"x": 1},
        }),
    );
    let outcome = client
        .batch_create(vec![letter().body("a"), letter().body("b")])
        .await
        .unwrap();
    let ids: Vec<_> = outcome
        .items
        .iter()
        .map(|r| r.as_ref().unwrap().id.to_string())
        .collect();
    assert_eq!(ids, ["1", "2"]);
}

/// Any 2xx body at all: a create either decodes to its letter or is `MaybeApplied` with its
/// input. Never a plain error that would read as "not created".
fn any_2xx_body() -> impl Strategy<Value = String> {
    let valid = created_example().to_string();
    let n = valid.len();
    prop_oneof![
        (0..n).prop_map(move |cut| valid[..cut].to_owned()),
        ".{0,64}",
        Just("<html>502 Bad Gateway</html>".to_owned()),
        any::<u64>().prop_map(|id| drifted_record(id, "a").to_string()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(64)
    ))]

    #[test]
    fn a_create_is_never_lost_nor_resent_whatever_the_status_and_body(
        status in prop_oneof![200..=299_u16, 500..=599_u16],
        body in any_2xx_body(),
    ) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().start_paused(true).build().unwrap();
        let scripted = ScriptedTransport::new();
        scripted.push_response(bytes(status, &body));
        let client = retrying_client(&scripted);
        match rt.block_on(client.create(letter().body("a"))) {
            Ok(letter) => {
                prop_assert!((200..300).contains(&status));
                prop_assert!(!letter.id.to_string().is_empty());
            }
            Err(err) => {
                prop_assert!(matches!(err, Error::MaybeApplied { .. }), "{err:?}");
                prop_assert_eq!(err.unreconciled_inputs().len(), 1);
            }
        }
        prop_assert_eq!(scripted.request_count(), 1);
    }
}

#[test]
fn a_maybe_applied_create_keeps_the_input_it_was_given() {
    let input: CreatePostalMail = letter().body("kept").trace_id("t-1");
    let scripted = ScriptedTransport::new();
    scripted.push_response(bytes(201, "{"));
    let client = client_over(&scripted);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let err = rt.block_on(client.create(input.clone())).unwrap_err();
    assert_eq!(err.unreconciled_inputs(), [input]);
}

/// serde's derived decoders read a struct from a JSON array: `["0", {}]` was a letter with id
/// 0 and no properties, a "created" that HubSpot never said.
#[tokio::test]
async fn a_2xx_array_is_not_taken_for_a_letter() {
    for body in [
        r#"["0",{}]"#,
        r#"["1",{"hs_timestamp":"2021-11-12"}]"#,
        "[]",
    ] {
        let scripted = ScriptedTransport::new();
        scripted.push_response(bytes(201, body));
        let client = client_over(&scripted);
        let err = client.create(letter().body("a")).await.unwrap_err();
        assert_maybe_applied_with(&err, &["a"]);
        let (client, scripted) = setup();
        scripted.push_response(bytes(200, body));
        let err = client
            .get(&"7".parse().unwrap(), &GetOptions::new())
            .await
            .unwrap_err();
        assert!(matches!(err, Error::Decode(_)), "{body}: {err:?}");
    }
}

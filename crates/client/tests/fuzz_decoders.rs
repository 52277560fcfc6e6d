//! Fuzzing the client's response handling: arbitrary bytes and arbitrary HubSpot-shaped JSON,
//! with any status, fed to every operation. Each call returns `Ok` or `Err`, never panics.
//!
//! CI runs proptest's default case count; the full run is
//! `PROPTEST_CASES=100000 cargo test -p hubspot-postal --release --test fuzz_decoders`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use futures::StreamExt;
use hubspot_postal::model::association::{AssociationSpec, types};
use hubspot_postal::model::engagement::{BatchUpdateItem, CreatePostalMail, UpdatePostalMail};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::transport::{Response, ScriptedTransport};
use hubspot_postal::{BatchReadOptions, Client, GetOptions, ListOptions, RateLimiter};
use proptest::prelude::*;
use serde_json::{Value, json};

/// JSON biased toward the shapes HubSpot sends: envelopes with the right keys and values of
/// the wrong (or right) types, nested a few levels.
fn hubspot_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        "[0-9]{1,12}".prop_map(Value::from),
        "2026-01-0[1-9]T10:00:00.000Z".prop_map(Value::from),
        ".{0,16}".prop_map(Value::from),
    ];
    let keys = prop_oneof![
        Just("id"),
        Just("properties"),
        Just("createdAt"),
        Just("updatedAt"),
        Just("archived"),
        Just("archivedAt"),
        Just("associations"),
        Just("results"),
        Just("paging"),
        Just("next"),
        Just("after"),
        Just("total"),
        Just("status"),
        Just("errors"),
        Just("numErrors"),
        Just("startedAt"),
        Just("completedAt"),
        Just("context"),
        Just("category"),
        Just("message"),
        Just("toObjectId"),
        Just("associationTypes"),
        Just("labels"),
        Just("new"),
        Just("hs_timestamp"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        hubspot_json().prop_map(|v| serde_json::to_vec(&v).unwrap()),
        // Truncated JSON.
        hubspot_json().prop_flat_map(|v| {
            let bytes = serde_json::to_vec(&v).unwrap();
            let len = bytes.len();
            (Just(bytes), 0..=len).prop_map(|(b, n)| b[..n].to_vec())
        }),
        Just(b"<html><body>502 Bad Gateway</body></html>".to_vec()),
    ]
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(200u16),
        Just(201),
        Just(204),
        Just(207),
        Just(400),
        Just(404),
        Just(429),
        Just(500),
        Just(302)
    ]
}

/// Calls every operation once; each answer is the same fuzzed response.
async fn call_everything(c: &Client) {
    let id = PostalMailId::new("1").unwrap();
    let rec = RecordId::new("2").unwrap();
    let letter = || CreatePostalMail::new("2021-11-12".parse().unwrap()).body("b");
    let _ = c.create(letter()).await;
    let _ = c.get(&id, &GetOptions::new()).await;
    let _ = c.get_by_unique("my_key", "v/1", &GetOptions::new()).await;
    let _ = c.update(&id, UpdatePostalMail::new().body("x")).await;
    let _ = c.archive(&id).await;
    let _ = c.list_page(&ListOptions::new()).await;
    let _ = c
        .list_all(ListOptions::new())
        .take(3)
        .collect::<Vec<_>>()
        .await;
    let _ = c.batch_create(vec![letter(), letter()]).await;
    let _ = c
        .batch_read(vec![id.clone()], &BatchReadOptions::new())
        .await;
    let _ = c
        .batch_update(vec![BatchUpdateItem::new(
            &id,
            UpdatePostalMail::new().body("y"),
        )])
        .await;
    let _ = c.batch_archive(vec![id.clone()]).await;
    let search = SearchRequest::builder()
        .filter(Filter::has_property("hs_timestamp"))
        .build()
        .unwrap();
    let _ = c.search_page(&search).await;
    let _ = c.search_all(search).take(3).collect::<Vec<_>>().await;
    let _ = c
        .associate(
            &id,
            &ObjectType::Contact,
            &rec,
            types::POSTAL_MAIL_TO_CONTACT,
        )
        .await;
    let _ = c
        .dissociate(
            &id,
            &ObjectType::Contact,
            &rec,
            types::POSTAL_MAIL_TO_CONTACT,
        )
        .await;
    let spec = AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_COMPANY);
    let _ = c
        .associate_labelled(&id, &ObjectType::Company, &rec, vec![spec])
        .await;
    let _ = c.associate_default(&id, &ObjectType::Company, &rec).await;
    let _ = c.remove_associations(&id, &ObjectType::Company, &rec).await;
    let _ = c.list_associations(&id, &ObjectType::Contact, None).await;
    let _ = c.association_labels(&ObjectType::Contact).await;
    let _ = c
        .pin(&Pin::new(id.clone(), PinTarget::contact(rec.clone())))
        .await;
    let _ = c.unpin(&PinTarget::contact(rec.clone())).await;
    let _ = c.pinned(&PinTarget::contact(rec.clone())).await;
    let _ = c
        .raw(Method::GET, "/crm/v3/objects/postal_mail", None, true)
        .await;
}

proptest! {
    // Default config, so PROPTEST_CASES sets the count.
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn no_response_makes_any_operation_panic(status in status(), body in body()) {
        let status = StatusCode::from_u16(status).unwrap();
        let t = ScriptedTransport::from_fn(move |_| Ok(Response::new(status).with_body(body.clone())));
        let c = Client::builder()
            .token("fuzz")
            .transport(Arc::new(t))
            .rate_limiter(RateLimiter::unlimited())
            .retry_policy(RetryPolicy::never())
            .build()
            .unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        rt.block_on(call_everything(&c));
    }

    #[test]
    fn decode_errors_keep_a_path_and_mask_letter_text(text in "[a-z]{8,16}") {
        // A truncated postal mail carrying letter text: the error names where it broke and
        // does not repeat the text.
        let body = format!(r#"{{"id":"1","properties":{{"hs_postal_mail_body":"{text}"}},"createdAt":"#);
        let t = ScriptedTransport::from_fn(move |_| Ok(Response::new(StatusCode::OK).with_body(body.clone())));
        let c = Client::builder().token("fuzz").transport(Arc::new(t)).rate_limiter(RateLimiter::unlimited())
            .retry_policy(RetryPolicy::never()).build().unwrap();
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().build().unwrap();
        let err = rt.block_on(c.get(&PostalMailId::new("1").unwrap(), &GetOptions::new())).unwrap_err();
        let shown = format!("{err} {err:?}");
        prop_assert!(matches!(err, hubspot_postal::Error::Decode(_)), "{shown}");
        prop_assert!(!shown.contains(&text), "{shown}");
    }
}

#[test]
fn html_page_is_a_decode_error_not_a_panic() {
    let t = ScriptedTransport::new();
    t.push_response(Response::new(StatusCode::OK).with_body("<html>proxy error</html>"));
    let c = Client::builder()
        .token("fuzz")
        .transport(Arc::new(t))
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let err = rt
        .block_on(c.get(&PostalMailId::new("1").unwrap(), &GetOptions::new()))
        .unwrap_err();
    assert!(err.to_string().contains("<html>proxy error"), "{err}");
    assert_eq!(err.status(), Some(200));
    let _ = json!(null);
}

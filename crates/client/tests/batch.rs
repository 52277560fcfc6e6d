//! Batch operations: chunking into requests of 100, 207 partial failures named by
//! `objectWriteTraceId` or `ids`, shuffled results landing on the right input, whole-chunk
//! failures, missing answers, and the v4 association batches (reference §2.5, §2.7).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use hubspot_postal::model::association::{
    AssociationArchive, AssociationCreate, AssociationReadInput, AssociationSpec, ObjectRef, types,
};
use hubspot_postal::model::engagement::{BatchUpdateItem, UpdatePostalMail, UpsertPostalMail};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::properties::Properties;
use hubspot_postal::model::validation::ValidationError;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::transport::{Request, Response, ScriptedTransport};
use hubspot_postal::{BatchReadOptions, Error, ItemError, UnknownReason};
use serde_json::{Value, json};
use support::*;

fn ok(status: u16, body: &Value) -> Result<Response, hubspot_postal::transport::TransportError> {
    Ok(Response::json(StatusCode::from_u16(status).unwrap(), body))
}

/// The inputs of a batch request body.
fn inputs_of(req: &Request) -> Vec<Value> {
    body_of(req)["inputs"].as_array().unwrap().clone()
}

/// The number in `hubspot-postal-{n}`.
fn trace_index(trace: &str) -> usize {
    trace
        .strip_prefix("hubspot-postal-")
        .unwrap()
        .parse()
        .unwrap()
}

fn ids(range: std::ops::Range<u64>) -> Vec<PostalMailId> {
    range.map(|n| PostalMailId::from(1000 + n)).collect()
}

/// Asserts the recorded batch requests split `total` inputs into contiguous chunks of at most
/// 100 (in whatever order they were sent), using `index` to number an input.
fn assert_chunks(requests: &[Request], path: &str, total: usize, index: impl Fn(&Value) -> usize) {
    let mut chunks: Vec<Vec<usize>> = requests
        .iter()
        .map(|r| {
            assert_eq!(r.method, Method::POST);
            assert_eq!(path_of(r), path);
            inputs_of(r).iter().map(&index).collect()
        })
        .collect();
    chunks.sort();
    let sizes: Vec<usize> = chunks.iter().map(Vec::len).collect();
    let expected: Vec<usize> = (0..total)
        .step_by(100)
        .map(|s| (total - s).min(100))
        .collect();
    assert_eq!(sizes, expected, "chunk sizes");
    let flat: Vec<usize> = chunks.into_iter().flatten().collect();
    assert_eq!(
        flat,
        (0..total).collect::<Vec<_>>(),
        "chunks cover the inputs in order"
    );
}

#[tokio::test]
async fn batch_create_chunks_250_inputs_and_merges_a_207_in_input_order() {
    // Answers depend on the request, so chunk order on the wire does not matter.
    let scripted = ScriptedTransport::from_fn(|req| {
        let inputs = inputs_of(req);
        let first = trace_index(
            inputs[0]["objectWriteTraceId"]
                .as_str()
                .unwrap_or("hubspot-postal-0"),
        );
        let mut results = Vec::new();
        let mut errors = Vec::new();
        for input in &inputs {
            let trace = input["objectWriteTraceId"].as_str().unwrap();
            if trace == "hubspot-postal-105" || trace == "hubspot-postal-150" {
                errors.push(trace_error(&[trace]));
                continue;
            }
            let n = trace
                .strip_prefix("hubspot-postal-")
                .map_or(0, |n| n.parse().unwrap());
            let body = input["properties"]["hs_postal_mail_body"].as_str().unwrap();
            let ts = input["properties"]["hs_timestamp"].as_str().unwrap();
            let mut r = postal_mail(
                &(5000 + n).to_string(),
                &[("hs_postal_mail_body", body), ("hs_timestamp", ts)],
            );
            // The last chunk does not echo trace ids (as HubSpot's successes do not), and
            // comes back reversed: results are matched by the content they echo.
            if first < 200 {
                r["objectWriteTraceId"] = json!(trace);
            }
            results.push(r);
        }
        if first < 200 {
            results.reverse(); // HubSpot does not promise input order.
        }
        if errors.is_empty() {
            ok(201, &batch_body(results, vec![]))
        } else {
            ok(207, &batch_body(results, errors))
        }
    });
    let client = client_over(&scripted);

    let inputs: Vec<_> = (0..250)
        .map(|i| letter().body(format!("letter {i}")))
        .collect();
    let outcome = client.batch_create(inputs).await.unwrap();

    let requests = scripted.requests();
    assert_eq!(requests.len(), 3);
    assert_chunks(
        &requests,
        "/crm/v3/objects/postal_mail/batch/create",
        250,
        |v| trace_index(v["objectWriteTraceId"].as_str().unwrap()),
    );
    for r in &requests {
        assert_request(
            r,
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/create",
            &[],
            Some(body_of(r)),
        );
        for input in inputs_of(r) {
            let i = trace_index(input["objectWriteTraceId"].as_str().unwrap());
            assert_eq!(
                input,
                json!({
                    "properties": { "hs_timestamp": "2021-11-12T00:00:00.000Z", "hs_postal_mail_body": format!("letter {i}") },
                    "associations": [],
                    "objectWriteTraceId": format!("hubspot-postal-{i}")
                })
            );
        }
    }

    assert_eq!(outcome.items.len(), 250);
    for (i, item) in outcome.items.iter().enumerate() {
        match (i, item) {
            (105 | 150, Err(ItemError::Rejected(e))) => {
                assert_eq!(e.category.as_deref(), Some("VALIDATION_ERROR"));
                assert_eq!(
                    e.context_values("objectWriteTraceId"),
                    [format!("hubspot-postal-{i}")]
                );
            }
            (105 | 150, other) => panic!("input {i} should be rejected, got {other:?}"),
            (_, Ok(pm)) => {
                assert_eq!(pm.body(), Some(format!("letter {i}").as_str()), "item {i}");
                assert_eq!(pm.id, PostalMailId::from(5000 + i as u64), "item {i}");
            }
            (_, Err(e)) => panic!("input {i} failed: {e}"),
        }
    }
    assert!(!outcome.is_success());
    let failed: Vec<usize> = outcome.failures().map(|(i, _)| i).collect();
    assert_eq!(failed, [105, 150]);
    assert_eq!(outcome.successes().count(), 248);
    assert!(!outcome.may_have_applied_failures());
}

#[tokio::test]
async fn batch_create_keeps_caller_trace_ids_and_matches_on_them() {
    let (client, scripted) = setup();
    // The reference's 207: one result without a trace echo, one error naming a trace id.
    scripted.push_json(
        207,
        batch_body(
            vec![{
                let mut r = postal_mail("1145814089", &[("hs_postal_mail_body", "b")]);
                r["objectWriteTraceId"] = json!("mine-b");
                r
            }],
            vec![trace_error(&["549b1c2a9351"])],
        ),
    );
    let outcome = client
        .batch_create(vec![
            letter().body("a").trace_id("549b1c2a9351"),
            letter().body("b").trace_id("mine-b"),
        ])
        .await
        .unwrap();
    let sent = inputs_of(&scripted.requests()[0]);
    assert_eq!(sent[0]["objectWriteTraceId"], "549b1c2a9351");
    assert_eq!(sent[1]["objectWriteTraceId"], "mine-b");
    assert!(matches!(&outcome.items[0], Err(ItemError::Rejected(_))));
    assert_eq!(
        outcome.items[1].as_ref().unwrap().id,
        PostalMailId::from(1145814089)
    );
}

const TS: (&str, &str) = ("hs_timestamp", "2021-11-12T00:00:00.000Z");

#[tokio::test]
async fn batch_create_identical_inputs_share_results_around_a_rejected_one() {
    let (client, scripted) = setup();
    // No trace echo in the results (as in the reference example); the three inputs are
    // identical, so either result may be taken for either unrejected input.
    scripted.push_json(
        207,
        batch_body(
            vec![postal_mail("12", &[TS]), postal_mail("10", &[TS])],
            vec![trace_error(&["hubspot-postal-1"])],
        ),
    );
    let outcome = client
        .batch_create(vec![letter(), letter(), letter()])
        .await
        .unwrap();
    let ids: BTreeSet<_> = [&outcome.items[0], &outcome.items[2]]
        .iter()
        .map(|r| r.as_ref().unwrap().id.to_string())
        .collect();
    assert_eq!(ids, BTreeSet::from(["10".to_owned(), "12".to_owned()]));
    assert!(matches!(&outcome.items[1], Err(ItemError::Rejected(_))));
    assert!(!outcome.may_have_applied_failures());
}

/// Positional matching took the first result for `a` although it was `b`'s letter, so `a`
/// was recorded as done and lost. Results are now placed by the content they echo.
#[tokio::test]
async fn batch_create_reordered_results_without_trace_ids_are_placed_by_content() {
    let (client, scripted) = setup();
    let b = [TS, ("hs_postal_mail_body", "b")];
    let c = [TS, ("hs_postal_mail_body", "c")];
    let anonymous = json!({"status": "error", "category": "VALIDATION_ERROR", "message": "failed"});
    scripted.push_json(
        207,
        batch_body(
            vec![postal_mail("30", &c), postal_mail("20", &b)],
            vec![anonymous],
        ),
    );
    let outcome = client
        .batch_create(vec![
            letter().body("a"),
            letter().body("b"),
            letter().body("c"),
        ])
        .await
        .unwrap();
    assert_eq!(
        outcome.items[1].as_ref().unwrap().id,
        PostalMailId::from(20)
    );
    assert_eq!(
        outcome.items[2].as_ref().unwrap().id,
        PostalMailId::from(30)
    );
    // The anonymous error could be a's, but a guess would lose a letter or make a second one.
    let Err(ItemError::Unknown(unknown)) = &outcome.items[0] else {
        panic!("a must be unknown: {:?}", outcome.items[0]);
    };
    assert_eq!(unknown.reason, UnknownReason::Unmatched);
    assert_eq!(
        unknown
            .input
            .as_ref()
            .and_then(|i| i.properties.get("hs_postal_mail_body")),
        Some("a")
    );
    assert!(outcome.may_have_applied_failures());
}

#[tokio::test]
async fn batch_create_results_that_echo_no_content_leave_every_unnamed_input_unknown() {
    let (client, scripted) = setup();
    scripted.push_json(
        201,
        batch_body(vec![postal_mail("1", &[]), postal_mail("2", &[])], vec![]),
    );
    let outcome = client
        .batch_create(vec![letter().body("a"), letter().body("b")])
        .await
        .unwrap();
    for item in &outcome.items {
        assert!(
            matches!(item, Err(ItemError::Unknown(u)) if u.reason == UnknownReason::Unmatched),
            "{item:?}"
        );
    }
    assert!(outcome.may_have_applied_failures());
}

#[tokio::test]
async fn batch_create_503_chunk_may_have_been_applied_with_its_inputs_to_reconcile() {
    let scripted = ScriptedTransport::from_fn(|req| {
        let inputs = inputs_of(req);
        let first = trace_index(inputs[0]["objectWriteTraceId"].as_str().unwrap());
        if first == 100 {
            return ok(
                503,
                &json!({"status":"error","message":"Service Unavailable","correlationId":"c-503"}),
            );
        }
        let results: Vec<Value> = inputs
            .iter()
            .map(|i| {
                let t = i["objectWriteTraceId"].as_str().unwrap();
                let mut r = postal_mail(&(5000 + trace_index(t)).to_string(), &[]);
                r["objectWriteTraceId"] = json!(t);
                r
            })
            .collect();
        ok(201, &batch_body(results, vec![]))
    });
    let client = client_over(&scripted);
    let inputs: Vec<_> = (0..250)
        .map(|i| letter().body(format!("letter {i}")))
        .collect();
    let outcome = client.batch_create(inputs).await.unwrap();

    // Not retried: one request per chunk.
    assert_eq!(scripted.request_count(), 3);
    assert!(outcome.may_have_applied_failures());
    let mut shared: Option<Arc<Error>> = None;
    for (i, item) in outcome.items.iter().enumerate() {
        if (100..200).contains(&i) {
            let Err(ItemError::Request(err)) = item else {
                panic!("input {i}: {item:?}");
            };
            if let Some(first) = &shared {
                assert!(Arc::ptr_eq(first, err), "one error shared by the chunk");
            }
            shared = Some(err.clone());
        } else {
            assert!(item.is_ok(), "input {i}: {item:?}");
        }
    }
    let err = shared.unwrap();
    assert!(matches!(*err, Error::MaybeApplied { .. }), "{err:?}");
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(503));
    assert_eq!(err.correlation_id(), Some("c-503"));
    let to_reconcile = err.unreconciled_inputs();
    assert_eq!(to_reconcile.len(), 100);
    for (k, input) in to_reconcile.iter().enumerate() {
        let i = 100 + k;
        assert_eq!(
            input.properties.get("hs_postal_mail_body"),
            Some(format!("letter {i}").as_str())
        );
        assert_eq!(
            input.object_write_trace_id.as_deref(),
            Some(format!("hubspot-postal-{i}").as_str())
        );
    }
}

#[tokio::test]
async fn batch_create_chunk_answering_fewer_results_reports_missing_inputs() {
    let (client, scripted) = setup();
    let mut r = postal_mail("7", &[]);
    r["objectWriteTraceId"] = json!("hubspot-postal-2");
    scripted.push_json(201, batch_body(vec![r], vec![]));
    let outcome = client
        .batch_create(vec![letter(), letter(), letter()])
        .await
        .unwrap();
    // A write that HubSpot answered for without naming these inputs may have made them.
    for item in &outcome.items[..2] {
        let Err(ItemError::Unknown(u)) = item else {
            panic!("{item:?}");
        };
        assert_eq!(u.reason, UnknownReason::NoResult);
        assert!(u.input.is_some());
    }
    assert_eq!(outcome.items[2].as_ref().unwrap().id, PostalMailId::from(7));
    assert!(outcome.may_have_applied_failures());
}

#[tokio::test]
async fn batch_create_validates_every_input_before_sending() {
    let (client, scripted) = setup();
    let mut bad = letter();
    bad.properties.remove("hs_timestamp");
    let mut inputs: Vec<_> = (0..150).map(|_| letter()).collect();
    inputs.push(bad);
    let err = client.batch_create(inputs).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation(ValidationError::MissingTimestamp)),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn batch_read_chunks_and_places_shuffled_results_and_207_errors_by_id() {
    let scripted = ScriptedTransport::from_fn(|req| {
        let wanted: Vec<String> = inputs_of(req)
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        let missing = ["1120", "1177"];
        let mut results: Vec<Value> = wanted
            .iter()
            .filter(|id| !missing.contains(&id.as_str()))
            .map(|id| postal_mail(id, &[("hs_timestamp", "2021-11-12T00:00:00Z")]))
            .collect();
        let third = results.len() / 3;
        results.rotate_left(third);
        if wanted.iter().any(|id| missing.contains(&id.as_str())) {
            ok(207, &batch_body(results, vec![ids_error(&missing)]))
        } else {
            ok(200, &batch_body(results, vec![]))
        }
    });
    let client = client_over(&scripted);
    let options = BatchReadOptions::new()
        .properties(["hs_timestamp", "hs_postal_mail_body"])
        .archived(true);
    let outcome = client.batch_read(ids(0..250), &options).await.unwrap();

    let requests = scripted.requests();
    assert_eq!(requests.len(), 3);
    assert_chunks(
        &requests,
        "/crm/v3/objects/postal_mail/batch/read",
        250,
        |v| v["id"].as_str().unwrap().parse::<usize>().unwrap() - 1000,
    );
    for r in &requests {
        let inputs = inputs_of(r);
        assert_request(
            r,
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/read",
            &[("archived", "true")],
            Some(json!({
                "properties": ["hs_timestamp", "hs_postal_mail_body"],
                "propertiesWithHistory": [],
                "inputs": inputs,
            })),
        );
        assert!(inputs.iter().all(|i| i.as_object().unwrap().len() == 1));
    }

    assert_eq!(outcome.items.len(), 250);
    for (i, item) in outcome.items.iter().enumerate() {
        let id = (1000 + i).to_string();
        if i == 120 || i == 177 {
            let Err(ItemError::Rejected(e)) = item else {
                panic!("input {i}: {item:?}");
            };
            assert_eq!(e.category.as_deref(), Some("OBJECT_NOT_FOUND"));
        } else {
            assert_eq!(item.as_ref().unwrap().id.as_str(), id, "item {i}");
        }
    }
}

#[tokio::test]
async fn batch_read_without_options_sends_empty_lists_and_no_query() {
    let (client, scripted) = setup();
    scripted.push_json(200, batch_body(vec![postal_mail("1", &[])], vec![]));
    let outcome = client
        .batch_read(vec![PostalMailId::from(1)], &BatchReadOptions::new())
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v3/objects/postal_mail/batch/read",
        &[],
        Some(json!({"properties":[],"propertiesWithHistory":[],"inputs":[{"id":"1"}]})),
    );
    assert!(outcome.is_success());
}

#[tokio::test]
async fn batch_read_chunk_answering_fewer_results_reports_missing_ids() {
    let (client, scripted) = setup();
    scripted.push_json(200, batch_body(vec![postal_mail("1002", &[])], vec![]));
    let outcome = client
        .batch_read(ids(0..3), &BatchReadOptions::new())
        .await
        .unwrap();
    assert!(matches!(outcome.items[0], Err(ItemError::Missing)));
    assert!(matches!(outcome.items[1], Err(ItemError::Missing)));
    assert_eq!(outcome.items[2].as_ref().unwrap().id.as_str(), "1002");
    let (index, error) = outcome.into_results().unwrap_err();
    assert_eq!(index, 0);
    assert!(error.to_string().contains("no result"), "{error}");
}

#[tokio::test]
async fn batch_update_chunks_and_places_shuffled_results_and_207_errors_by_id() {
    let scripted = ScriptedTransport::from_fn(|req| {
        let inputs = inputs_of(req);
        let mut results = Vec::new();
        let mut rejected = Vec::new();
        for input in &inputs {
            let id = input["id"].as_str().unwrap();
            if id == "1030" || id == "1210" {
                rejected.push(id);
                continue;
            }
            let body = input["properties"]["hs_postal_mail_body"].as_str().unwrap();
            results.push(postal_mail(id, &[("hs_postal_mail_body", body)]));
        }
        results.reverse();
        if rejected.is_empty() {
            ok(200, &batch_body(results, vec![]))
        } else {
            ok(207, &batch_body(results, vec![ids_error(&rejected)]))
        }
    });
    let client = client_over(&scripted);
    let inputs: Vec<_> = ids(0..250)
        .iter()
        .enumerate()
        .map(|(i, id)| BatchUpdateItem::new(id, UpdatePostalMail::new().body(format!("v2 {i}"))))
        .collect();
    let outcome = client.batch_update(inputs).await.unwrap();

    let requests = scripted.requests();
    assert_chunks(
        &requests,
        "/crm/v3/objects/postal_mail/batch/update",
        250,
        |v| v["id"].as_str().unwrap().parse::<usize>().unwrap() - 1000,
    );
    for r in &requests {
        assert_request(
            r,
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/update",
            &[],
            Some(body_of(r)),
        );
        for input in inputs_of(r) {
            let i = input["id"].as_str().unwrap().parse::<usize>().unwrap() - 1000;
            assert_eq!(
                input,
                json!({"id": (1000 + i).to_string(), "properties": {"hs_postal_mail_body": format!("v2 {i}")}})
            );
        }
    }
    for (i, item) in outcome.items.iter().enumerate() {
        if i == 30 || i == 210 {
            assert!(
                matches!(item, Err(ItemError::Rejected(_))),
                "input {i}: {item:?}"
            );
        } else {
            let pm = item.as_ref().unwrap();
            assert_eq!(pm.id.as_str(), (1000 + i).to_string());
            assert_eq!(pm.body(), Some(format!("v2 {i}").as_str()));
        }
    }
}

#[tokio::test]
async fn batch_update_chunk_failing_as_a_whole_fails_exactly_its_inputs() {
    let scripted = ScriptedTransport::from_fn(|req| {
        let inputs = inputs_of(req);
        if inputs[0]["id"] == "1100" {
            return ok(400, &validation_error_body());
        }
        let results: Vec<Value> = inputs
            .iter()
            .map(|i| postal_mail(i["id"].as_str().unwrap(), &[]))
            .collect();
        ok(200, &batch_body(results, vec![]))
    });
    let client = client_over(&scripted);
    let inputs: Vec<_> = ids(0..250)
        .iter()
        .map(|id| BatchUpdateItem::new(id, UpdatePostalMail::new().body("x")))
        .collect();
    let outcome = client.batch_update(inputs).await.unwrap();
    assert_eq!(scripted.request_count(), 3);
    for (i, item) in outcome.items.iter().enumerate() {
        if (100..200).contains(&i) {
            let Err(ItemError::Request(err)) = item else {
                panic!("input {i}: {item:?}");
            };
            assert_eq!(err.status(), Some(400));
            assert_eq!(err.category(), Some("VALIDATION_ERROR"));
            assert!(!err.may_have_been_applied());
        } else {
            assert_eq!(item.as_ref().unwrap().id.as_str(), (1000 + i).to_string());
        }
    }
    assert!(!outcome.may_have_applied_failures());
}

#[tokio::test]
async fn batch_update_validates_before_sending() {
    let (client, scripted) = setup();
    let err = client
        .batch_update(vec![
            BatchUpdateItem::new(&PostalMailId::from(1), UpdatePostalMail::new().body("x")),
            BatchUpdateItem::new(&PostalMailId::from(2), UpdatePostalMail::new()),
        ])
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ValidationError::EmptyUpdate)),
        "{err:?}"
    );
    let mut bad_id =
        BatchUpdateItem::new(&PostalMailId::from(1), UpdatePostalMail::new().body("x"));
    bad_id.id = "../contacts".into();
    let err = client.batch_update(vec![bad_id]).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation(ValidationError::Id(_))),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn batch_upsert_sends_unique_keys_and_matches_results_by_them() {
    let (client, scripted) = setup();
    let result = |id: &str, r: &str, new: bool| {
        let mut v = postal_mail(id, &[("letter_ref", r)]);
        v["new"] = json!(new);
        v
    };
    // Results in the opposite order of the inputs.
    scripted.push_json(
        200,
        batch_body(
            vec![result("22", "ref-2", false), result("21", "ref-1", true)],
            vec![],
        ),
    );
    let mut props = Properties::new();
    props.insert("hs_timestamp", "2021-11-12T00:00:00.000Z");
    let inputs = vec![
        UpsertPostalMail::new("letter_ref", "ref-1", props.clone()).unwrap(),
        UpsertPostalMail::new("letter_ref", "ref-2", props).unwrap(),
    ];
    let outcome = client.batch_upsert(inputs).await.unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v3/objects/postal_mail/batch/upsert",
        &[],
        Some(json!({"inputs": [
            {"id": "ref-1", "idProperty": "letter_ref", "properties": {"hs_timestamp": "2021-11-12T00:00:00.000Z"}},
            {"id": "ref-2", "idProperty": "letter_ref", "properties": {"hs_timestamp": "2021-11-12T00:00:00.000Z"}}
        ]})),
    );
    let first = outcome.items[0].as_ref().unwrap();
    assert_eq!(first.postal_mail.id, PostalMailId::from(21));
    assert!(first.new);
    let second = outcome.items[1].as_ref().unwrap();
    assert_eq!(second.postal_mail.id, PostalMailId::from(22));
    assert!(!second.new);
}

#[tokio::test]
async fn batch_archive_chunks_and_accepts_204_per_chunk() {
    let scripted = ScriptedTransport::from_fn(|req| {
        if inputs_of(req)[0]["id"] == "1200" {
            return ok(
                404,
                &json!({"status":"error","category":"OBJECT_NOT_FOUND","message":"gone"}),
            );
        }
        Ok(empty(204))
    });
    let client = client_over(&scripted);
    let outcome = client.batch_archive(ids(0..250)).await.unwrap();

    let requests = scripted.requests();
    assert_chunks(
        &requests,
        "/crm/v3/objects/postal_mail/batch/archive",
        250,
        |v| v["id"].as_str().unwrap().parse::<usize>().unwrap() - 1000,
    );
    for r in &requests {
        let inputs = inputs_of(r);
        assert!(inputs.iter().all(|i| i.as_object().unwrap().len() == 1));
        assert_request(
            r,
            Method::POST,
            "/crm/v3/objects/postal_mail/batch/archive",
            &[],
            Some(json!({ "inputs": inputs })),
        );
    }
    assert_eq!(outcome.items.len(), 250);
    for (i, item) in outcome.items.iter().enumerate() {
        if i >= 200 {
            let Err(ItemError::Request(e)) = item else {
                panic!("input {i}: {item:?}");
            };
            assert_eq!(e.status(), Some(404));
        } else {
            assert!(item.is_ok(), "input {i}");
        }
    }
}

#[tokio::test]
async fn empty_batches_send_nothing() {
    let (client, scripted) = setup();
    assert!(client.batch_create(vec![]).await.unwrap().items.is_empty());
    assert!(
        client
            .batch_read(vec![], &BatchReadOptions::new())
            .await
            .unwrap()
            .items
            .is_empty()
    );
    assert!(client.batch_archive(vec![]).await.unwrap().items.is_empty());
    assert_eq!(scripted.request_count(), 0);
}

// ---- v4 association batches -------------------------------------------------------------

fn obj(id: u64) -> ObjectRef {
    ObjectRef {
        id: RecordId::from(id),
    }
}

#[tokio::test]
async fn batch_associate_posts_inputs_and_decodes_201() {
    let (client, scripted) = setup();
    scripted.push_json(
        201,
        batch_body(
            vec![json!({"fromObjectTypeId":"0-116","fromObjectId":"1","toObjectTypeId":"0-1","toObjectId":"2","labels":[]})],
            vec![],
        ),
    );
    let response = client
        .batch_associate(
            &ObjectType::Contact,
            vec![AssociationCreate {
                from: obj(1),
                to: obj(2),
                types: vec![AssociationSpec::hubspot_defined(
                    types::POSTAL_MAIL_TO_CONTACT,
                )],
            }],
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v4/associations/postal_mail/contacts/batch/create",
        &[],
        Some(json!({"inputs":[{"from":{"id":"1"},"to":{"id":"2"},
            "types":[{"associationCategory":"HUBSPOT_DEFINED","associationTypeId":453}]}]})),
    );
    assert_eq!(response.results[0].to_object_id, RecordId::from(2));
    assert!(response.errors().is_empty());
}

#[tokio::test]
async fn batch_associate_over_2000_inputs_is_refused_before_sending() {
    let (client, scripted) = setup();
    let input = AssociationCreate {
        from: obj(1),
        to: obj(2),
        types: vec![],
    };
    let err = client
        .batch_associate(&ObjectType::Contact, vec![input; 2001])
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::BatchTooLarge {
                count: 2001,
                max: 2000
            })
        ),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn batch_read_associations_posts_ids_with_cursors_and_decodes_207() {
    let (client, scripted) = setup();
    scripted.push_json(
        207,
        batch_body(
            vec![json!({
                "from": {"id": "1"},
                "to": [{"toObjectId": 104901, "associationTypes": [{"category":"HUBSPOT_DEFINED","typeId":453,"label":null}]}],
                "paging": {"next": {"after": "abc"}}
            })],
            vec![ids_error(&["2"])],
        ),
    );
    let response = client
        .batch_read_associations(
            &ObjectType::Company,
            vec![
                AssociationReadInput {
                    id: RecordId::from(1),
                    after: None,
                },
                AssociationReadInput {
                    id: RecordId::from(2),
                    after: Some("xyz".into()),
                },
            ],
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v4/associations/postal_mail/companies/batch/read",
        &[],
        Some(json!({"inputs":[{"id":"1"},{"id":"2","after":"xyz"}]})),
    );
    assert_eq!(response.results[0].from.id, RecordId::from(1));
    assert_eq!(
        response.results[0].to[0].to_object_id,
        RecordId::from(104901)
    );
    assert_eq!(
        response.results[0]
            .paging
            .as_ref()
            .unwrap()
            .next
            .as_ref()
            .unwrap()
            .after,
        "abc"
    );
    assert_eq!(response.errors()[0].context_values("ids"), ["2"]);
    assert_eq!(response.num_errors, Some(1));
}

#[tokio::test]
async fn batch_remove_associations_posts_pairs_and_accepts_204() {
    let (client, scripted) = setup();
    scripted.push_response(empty(204));
    client
        .batch_remove_associations(
            &ObjectType::Deal,
            vec![AssociationArchive {
                from: obj(1),
                to: vec![obj(2), obj(3)],
            }],
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/v4/associations/postal_mail/deals/batch/archive",
        &[],
        Some(json!({"inputs":[{"from":{"id":"1"},"to":[{"id":"2"},{"id":"3"}]}]})),
    );
}

#[tokio::test]
async fn batch_chunk_ids_never_collide_across_chunks() {
    // Every auto-assigned trace id is unique across the whole call, so a 207 in one chunk can
    // never name an input of another.
    let scripted = ScriptedTransport::from_fn(|req| {
        let results: Vec<Value> = inputs_of(req)
            .iter()
            .map(|i| {
                let t = i["objectWriteTraceId"].as_str().unwrap();
                let mut r = postal_mail(&(1 + trace_index(t)).to_string(), &[]);
                r["objectWriteTraceId"] = json!(t);
                r
            })
            .collect();
        ok(201, &batch_body(results, vec![]))
    });
    let client = client_over(&scripted);
    client
        .batch_create((0..201).map(|_| letter()).collect())
        .await
        .unwrap();
    let traces: BTreeSet<String> = scripted
        .requests()
        .iter()
        .flat_map(inputs_of)
        .map(|i| i["objectWriteTraceId"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(traces.len(), 201);
}

#[tokio::test]
async fn batch_update_by_unique_property_matches_results_to_inputs() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        batch_body(
            vec![
                postal_mail(
                    "22",
                    &[("letter_ref", "ref-2"), ("hs_postal_mail_body", "b")],
                ),
                postal_mail(
                    "21",
                    &[("letter_ref", "ref-1"), ("hs_postal_mail_body", "a")],
                ),
            ],
            vec![],
        ),
    );
    let item = |value: &str, body: &str| {
        let mut i =
            BatchUpdateItem::new(&PostalMailId::from(1), UpdatePostalMail::new().body(body));
        i.id = value.to_owned();
        i.id_property = Some("letter_ref".to_owned());
        i
    };
    let outcome = client
        .batch_update(vec![item("ref-1", "a"), item("ref-2", "b")])
        .await
        .unwrap();
    assert_eq!(
        inputs_of(&scripted.requests()[0])[0],
        json!({"id": "ref-1", "idProperty": "letter_ref", "properties": {"hs_postal_mail_body": "a"}})
    );
    assert_eq!(
        outcome.items[0].as_ref().unwrap().id,
        PostalMailId::from(21)
    );
    assert_eq!(
        outcome.items[1].as_ref().unwrap().id,
        PostalMailId::from(22)
    );
}

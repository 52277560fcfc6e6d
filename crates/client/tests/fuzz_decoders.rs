//! Fuzzing the client's response handling, with assertions on what every answer becomes. Every
//! operation of the client (`OPERATIONS`, checked against the source by
//! `every_client_operation_is_fuzzed`) is fed, through a `ScriptedTransport`:
//!
//! - an error status (any of 300–308, 400–499, 500–599) with garbage, arbitrary JSON or a
//!   HubSpot error body: never `Ok`; the status is kept; HubSpot's category and correlation id
//!   are kept; a 429 is `RateLimited`; a 4xx never says "may have been applied"; a 5xx on a
//!   create or batch create is "may have been applied" with the inputs to reconcile;
//! - a 2xx whose body is not JSON at all (bytes, truncated JSON, an HTML page, nothing): a read
//!   is a `Decode` error; a create is `MaybeApplied` with its input; every input of a batch
//!   create is `ItemError::Request` with a "may have been applied" error that carries the
//!   chunk's inputs; an operation that needs only the status succeeds; `raw` returns it as is;
//! - a 2xx with arbitrary HubSpot-shaped JSON: the same, except that decoding may succeed, and
//!   then what was decoded is what the body said (a single letter's id is the body's `id`);
//!   no input of a batch create is silently dropped (each is created, rejected by name, or
//!   "may have been applied");
//! - a 2xx that is valid but drifted the way HubSpot says it may drift (unknown fields at every
//!   level, unknown enum values, missing timestamps, null property values, ids as numbers):
//!   every operation succeeds and returns what the same answer without drift gives.
//!
//! CI runs 64 cases per property (`PROPTEST_CASES` overrides it); the full run is
//! `PROPTEST_CASES=10000 cargo test -p hubspot-postal --release --test fuzz_decoders`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::collections::BTreeSet;
use std::sync::Arc;

use futures::future::BoxFuture;
use futures::{FutureExt, StreamExt};
use hubspot_postal::model::association::{
    AssociatedRecord, AssociationArchive, AssociationCreate, AssociationPair, AssociationReadInput,
    AssociationSpec, ObjectRef, V3Association, types,
};
use hubspot_postal::model::endpoints::ApiVersion;
use hubspot_postal::model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpdatePostalMail, UpsertPostalMail,
};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::paging::Page;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::properties::Properties;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::transport::{Request, Response, ScriptedTransport};
use hubspot_postal::{
    BatchOutcome, BatchReadOptions, Client, Error, GetOptions, ItemError, ListOptions, RateLimiter,
};
use proptest::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// The operations

const LETTER_ID: &str = "512";
const CONTACT_ID: &str = "104901";
const BATCH_BODIES: [&str; 2] = ["fuzz letter zero", "fuzz letter one"];

fn letter(body: &str) -> CreatePostalMail {
    CreatePostalMail::new("2021-11-12".parse().unwrap()).body(body)
}

fn id() -> PostalMailId {
    PostalMailId::new(LETTER_ID).unwrap()
}

fn contact() -> RecordId {
    RecordId::new(CONTACT_ID).unwrap()
}

fn search() -> SearchRequest {
    SearchRequest::builder()
        .filter(Filter::has_property("hs_timestamp"))
        .build()
        .unwrap()
}

fn spec() -> AssociationSpec {
    AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_CONTACT)
}

/// What an operation does with an answer, which decides what any answer must become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `create`: the single write that is not safe to repeat.
    Create,
    /// `batch_create`: per-input outcomes of writes that are not safe to repeat.
    BatchCreate,
    /// `batch_read`: per-input outcomes of a read.
    BatchRead,
    /// `batch_update`, `batch_upsert`: per-input outcomes of idempotent writes.
    BatchWrite,
    /// Decodes a body, and writes nothing.
    Read,
    /// Decodes a body, after an idempotent write.
    Write,
    /// Needs only the status (HubSpot answers 204).
    StatusOnly,
    /// `raw`: any 2xx, as it came.
    Raw,
}

/// What an operation returned, reduced to what the assertions need.
#[derive(Debug)]
enum Got {
    /// One result; `Ok` holds what identifies the value (ids, labels).
    One(Result<Vec<String>, Error>),
    /// One entry per input of a batch; `Ok` holds what identifies the result.
    Items(Vec<Result<String, ItemError>>),
    /// `raw`: status and body.
    Raw(Result<(u16, Vec<u8>), Error>),
}

type Run = for<'a> fn(&'a Client) -> BoxFuture<'a, Got>;

struct Op {
    name: &'static str,
    kind: Kind,
    run: Run,
}

fn one<T>(result: hubspot_postal::Result<T>, identify: impl FnOnce(T) -> Vec<String>) -> Got {
    Got::One(result.map(identify))
}

fn items<T>(
    outcome: hubspot_postal::Result<BatchOutcome<T>>,
    identify: impl Fn(&T) -> String,
) -> Got {
    let outcome = outcome.expect("a batch fails as a whole only on invalid input");
    Got::Items(
        outcome
            .items
            .into_iter()
            .map(|item| item.map(|value| identify(&value)))
            .collect(),
    )
}

fn letter_ids(letters: &[PostalMail]) -> Vec<String> {
    letters.iter().map(|l| l.id.to_string()).collect()
}

fn associated_ids(page: &Page<AssociatedRecord>) -> Vec<String> {
    page.results
        .iter()
        .map(|r| r.to_object_id.to_string())
        .collect()
}

/// Collects a stream of letters; the first error ends it.
fn streamed(letters: Vec<hubspot_postal::Result<PostalMail>>) -> Got {
    Got::One(
        letters
            .into_iter()
            .map(|l| l.map(|l| l.id.to_string()))
            .collect(),
    )
}

macro_rules! op {
    ($name:literal, $kind:ident, |$c:ident| $body:expr) => {
        Op {
            name: $name,
            kind: Kind::$kind,
            run: |$c| async move { $body }.boxed(),
        }
    };
}

/// Every operation of the client, with fixed inputs.
const OPERATIONS: &[Op] = &[
    op!("create", Create, |c| one(
        c.create(letter("fuzz letter")).await,
        |l| vec![l.id.to_string()]
    )),
    op!("get", Read, |c| one(
        c.get(&id(), &GetOptions::new()).await,
        |l| vec![l.id.to_string()]
    )),
    op!("get_by_unique", Read, |c| one(
        c.get_by_unique("letter_ref", "ref/1", &GetOptions::new())
            .await,
        |l| vec![l.id.to_string()]
    )),
    op!("update", Write, |c| one(
        c.update(&id(), UpdatePostalMail::new().body("changed"))
            .await,
        |l| vec![l.id.to_string()]
    )),
    op!("archive", StatusOnly, |c| one(
        c.archive(&id()).await,
        |()| { Vec::new() }
    )),
    op!("list_page", Read, |c| one(
        c.list_page(&ListOptions::new()).await,
        |p| letter_ids(&p.results)
    )),
    op!("list_pages", Read, |c| {
        let pages: Vec<_> = c.list_pages(ListOptions::new()).take(5).collect().await;
        Got::One(
            pages
                .into_iter()
                .map(|p| p.map(|p| letter_ids(&p.results)))
                .collect::<Result<Vec<_>, _>>()
                .map(|ids| ids.concat()),
        )
    }),
    op!("list_all", Read, |c| streamed(
        c.list_all(ListOptions::new()).take(10).collect().await
    )),
    op!("batch_create", BatchCreate, |c| items(
        c.batch_create(BATCH_BODIES.iter().map(|b| letter(b)).collect())
            .await,
        |l| l.body().unwrap_or_default().to_owned()
    )),
    op!("batch_read", BatchRead, |c| items(
        c.batch_read(
            vec![
                PostalMailId::new("601").unwrap(),
                PostalMailId::new("602").unwrap()
            ],
            &BatchReadOptions::new()
        )
        .await,
        |l| l.id.to_string()
    )),
    op!("batch_update", BatchWrite, |c| items(
        c.batch_update(vec![
            BatchUpdateItem::new(
                &PostalMailId::new("601").unwrap(),
                UpdatePostalMail::new().body("u0")
            ),
            BatchUpdateItem::new(
                &PostalMailId::new("602").unwrap(),
                UpdatePostalMail::new().body("u1")
            ),
        ])
        .await,
        |l| l.id.to_string()
    )),
    op!("batch_upsert", BatchWrite, |c| items(
        c.batch_upsert(
            ["ext-0", "ext-1"]
                .iter()
                .map(|key| {
                    let mut props = Properties::new();
                    props.insert("hs_postal_mail_body", "upserted");
                    UpsertPostalMail::new("external_id", *key, props).unwrap()
                })
                .collect()
        )
        .await,
        |u| format!("{} new={}", u.postal_mail.id, u.new)
    )),
    op!("batch_archive", StatusOnly, |c| items(
        c.batch_archive(vec![
            PostalMailId::new("601").unwrap(),
            PostalMailId::new("602").unwrap()
        ])
        .await,
        |()| String::new()
    )),
    op!("search_page", Read, |c| one(
        c.search_page(&search()).await,
        |p| {
            let mut ids = letter_ids(&p.results);
            ids.push(format!("total={}", p.total));
            ids
        }
    )),
    op!("search_all", Read, |c| streamed(
        c.search_all(search()).take(10).collect().await
    )),
    op!("associate", Write, |c| one(
        c.associate(
            &id(),
            &ObjectType::Contact,
            &contact(),
            types::POSTAL_MAIL_TO_CONTACT
        )
        .await,
        |l| vec![l.id.to_string()]
    )),
    op!("dissociate", StatusOnly, |c| one(
        c.dissociate(
            &id(),
            &ObjectType::Contact,
            &contact(),
            types::POSTAL_MAIL_TO_CONTACT
        )
        .await,
        |()| Vec::new()
    )),
    op!("associate_labelled", Write, |c| one(
        c.associate_labelled(&id(), &ObjectType::Contact, &contact(), vec![spec()])
            .await,
        |p| vec![p.from_object_id.to_string(), p.to_object_id.to_string()]
    )),
    op!("associate_default", Write, |c| one(
        c.associate_default(&id(), &ObjectType::Contact, &contact())
            .await,
        |r| r
            .results
            .iter()
            .map(|d| format!("{}->{}", d.from.id, d.to.id))
            .collect()
    )),
    op!("remove_associations", StatusOnly, |c| one(
        c.remove_associations(&id(), &ObjectType::Contact, &contact())
            .await,
        |()| Vec::new()
    )),
    op!("list_associations", Read, |c| one(
        c.list_associations(
            &id(),
            &ObjectType::Contact,
            &hubspot_postal::AssociationListOptions::new()
        )
        .await,
        |p| associated_ids(&p)
    )),
    op!("list_associations_of", Read, |c| one(
        c.list_associations_of(
            &ObjectType::Contact,
            &contact(),
            &ObjectType::PostalMail,
            &hubspot_postal::AssociationListOptions::new()
        )
        .await,
        |p| associated_ids(&p)
    )),
    op!("batch_associate", Write, |c| one(
        c.batch_associate(
            &ObjectType::Contact,
            vec![AssociationCreate {
                from: ObjectRef { id: id().into() },
                to: ObjectRef { id: contact() },
                types: vec![spec()],
            }]
        )
        .await,
        |r| r
            .results
            .iter()
            .map(|p| format!("{}->{}", p.from_object_id, p.to_object_id))
            .collect()
    )),
    op!("batch_read_associations", Read, |c| one(
        c.batch_read_associations(
            &ObjectType::Contact,
            vec![AssociationReadInput {
                id: id().into(),
                after: None
            }]
        )
        .await,
        |r| r
            .results
            .iter()
            .map(|a| format!("{}->{}", a.from.id, a.to.len()))
            .collect()
    )),
    op!("batch_remove_associations", StatusOnly, |c| one(
        c.batch_remove_associations(
            &ObjectType::Contact,
            vec![AssociationArchive {
                from: ObjectRef { id: id().into() },
                to: vec![ObjectRef { id: contact() }],
            }]
        )
        .await,
        |()| Vec::new()
    )),
    op!("association_labels", Read, |c| one(
        c.association_labels(&ObjectType::Contact).await,
        |labels| labels.iter().map(|l| l.type_id.0.to_string()).collect()
    )),
    op!("pin", Write, |c| one(
        c.pin(&Pin::new(id(), PinTarget::contact(contact()))).await,
        |r| vec![r.id.to_string()]
    )),
    op!("unpin", Write, |c| one(
        c.unpin(&PinTarget::contact(contact())).await,
        |r| vec![r.id.to_string()]
    )),
    op!("pinned", Read, |c| one(
        c.pinned(&PinTarget::contact(contact())).await,
        |p| p.iter().map(ToString::to_string).collect()
    )),
    op!("get_record", Read, |c| one(
        c.get_record(&ObjectType::Contact, &contact(), &["email".to_owned()])
            .await,
        |r| vec![r.id.to_string()]
    )),
    op!("is_associated", Read, |c| one(
        c.is_associated(&id(), &ObjectType::Contact, &contact())
            .await,
        |yes| vec![yes.to_string()]
    )),
    op!("batch_remove_association_labels", StatusOnly, |c| one(
        c.batch_remove_association_labels(
            &ObjectType::Contact,
            vec![AssociationCreate {
                from: ObjectRef { id: id().into() },
                to: ObjectRef { id: contact() },
                types: vec![spec()],
            }]
        )
        .await,
        |()| Vec::new()
    )),
    op!("batch_associate_default", Write, |c| one(
        c.batch_associate_default(
            &ObjectType::Contact,
            vec![AssociationPair {
                from: ObjectRef { id: id().into() },
                to: ObjectRef { id: contact() },
            }]
        )
        .await,
        |r| r
            .results
            .iter()
            .map(|d| format!("{}->{}", d.from.id, d.to.id))
            .collect()
    )),
    op!("v3_batch_associate", Write, |c| one(
        c.v3_batch_associate(&ObjectType::Contact, vec![v3_association()])
            .await,
        |r| r
            .results
            .iter()
            .map(|a| format!("{}->{} {}", a.from.id, a.to.id, a.kind))
            .collect()
    )),
    op!("v3_batch_read_associations", Read, |c| one(
        c.v3_batch_read_associations(&ObjectType::Contact, vec![id()])
            .await,
        |r| r
            .results
            .iter()
            .flat_map(|a| a.to.iter().map(|t| format!("{}->{}", a.from.id, t.id)))
            .collect()
    )),
    op!("v3_batch_remove_associations", StatusOnly, |c| one(
        c.v3_batch_remove_associations(&ObjectType::Contact, vec![v3_association()])
            .await,
        |()| Vec::new()
    )),
    op!("merge", Create, |c| one(
        c.merge(&id(), &PostalMailId::new("602").unwrap()).await,
        |l| vec![l.id.to_string()]
    )),
    op!("gdpr_delete", StatusOnly, |c| one(
        c.gdpr_delete(&id()).await,
        |()| Vec::new()
    )),
    op!("raw", Raw, |c| Got::Raw(
        c.raw(Method::GET, "/crm/v3/objects/postal_mail", None, true)
            .await
            .map(|r| (r.status.as_u16(), r.body.to_vec()))
    )),
];

fn v3_association() -> V3Association {
    V3Association {
        from: ObjectRef { id: id().into() },
        to: ObjectRef { id: contact() },
        kind: "postal_mail_to_contact".into(),
    }
}

/// The API version an operation is fuzzed in: the legacy track, whose paths `plausible`
/// matches, unless the operation's row lacks it (merge, GDPR delete: the first date-based
/// version that has them).
fn version_of(name: &str) -> ApiVersion {
    let row = hubspot_postal::requests::ALL
        .iter()
        .find(|(n, _)| *n == name)
        .and_then(|(_, row)| *row);
    match row {
        Some(row) if row.template(ApiVersion::V3).is_none() => {
            row.versions().next().unwrap_or(ApiVersion::V3)
        }
        _ => ApiVersion::V3,
    }
}

/// Runs every operation against `answer` (a fresh client per version, no retries, no rate
/// limiting).
fn run_all(
    answer: impl Fn(&Request) -> Response + Send + Sync + 'static,
) -> Vec<(&'static Op, Got)> {
    let transport = Arc::new(ScriptedTransport::from_fn(move |request| {
        Ok(answer(request))
    }));
    let client = |version| {
        Client::builder()
            .token("fuzz")
            .transport(transport.clone())
            .rate_limiter(RateLimiter::unlimited())
            .retry_policy(RetryPolicy::never())
            .api_version(version)
            .build()
            .unwrap()
    };
    let clients: Vec<(ApiVersion, Client)> = ApiVersion::ALL
        .into_iter()
        .map(|v| (v, client(v)))
        .collect();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    OPERATIONS
        .iter()
        .map(|op| {
            let version = version_of(op.name);
            let client = clients
                .iter()
                .find_map(|(v, c)| (*v == version).then_some(c))
                .unwrap();
            (op, runtime.block_on((op.run)(client)))
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Answers

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
        Just("objectWriteTraceId"),
    ];
    leaf.prop_recursive(4, 64, 8, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(keys.clone().prop_map(str::to_owned), inner, 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Bodies that are not JSON at all: random bytes, truncated JSON, a proxy's HTML page, nothing.
fn garbage() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..256),
        // A strict prefix of an object is never a whole JSON value.
        hubspot_json().prop_flat_map(|v| {
            let bytes = serde_json::to_vec(&json!({ "results": [v] })).unwrap();
            let len = bytes.len();
            (Just(bytes), 0..len).prop_map(|(b, n)| b[..n].to_vec())
        }),
        Just(b"<html><body><h1>502 Bad Gateway</h1></body></html>".to_vec()),
        Just(Vec::new()),
    ]
    .prop_filter("not JSON", |b| {
        serde_json::from_slice::<serde::de::IgnoredAny>(b).is_err()
    })
}

/// A HubSpot error body, with what it names.
#[derive(Debug, Clone)]
struct ErrorBody {
    json: Value,
    category: String,
    correlation_id: String,
}

fn error_body() -> impl Strategy<Value = ErrorBody> {
    (
        prop_oneof![
            Just("VALIDATION_ERROR".to_owned()),
            Just("OBJECT_NOT_FOUND".to_owned()),
            Just("RATE_LIMITS".to_owned()),
            Just("MISSING_SCOPES".to_owned()),
            "[A-Z_]{3,20}",
        ],
        "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}",
        ".{0,40}",
        hubspot_json(),
    )
        .prop_map(|(category, correlation_id, message, extra)| ErrorBody {
            json: json!({
                "status": "error",
                "category": category,
                "message": message,
                "correlationId": correlation_id,
                "futureField": extra,
            }),
            category,
            correlation_id,
        })
}

/// What an error answer carries.
#[derive(Debug, Clone)]
enum ErrorAnswer {
    Garbage(Vec<u8>),
    Json(Value),
    HubSpot(ErrorBody),
}

impl ErrorAnswer {
    fn bytes(&self) -> Vec<u8> {
        match self {
            Self::Garbage(b) => b.clone(),
            Self::Json(v) => serde_json::to_vec(v).unwrap(),
            Self::HubSpot(e) => serde_json::to_vec(&e.json).unwrap(),
        }
    }
}

fn error_answer() -> impl Strategy<Value = ErrorAnswer> {
    prop_oneof![
        garbage().prop_map(ErrorAnswer::Garbage),
        hubspot_json().prop_map(ErrorAnswer::Json),
        error_body().prop_map(ErrorAnswer::HubSpot),
    ]
}

fn success_status() -> impl Strategy<Value = u16> {
    prop_oneof![Just(200u16), Just(201), Just(202), Just(204), Just(207)]
}

fn error_status() -> impl Strategy<Value = u16> {
    prop_oneof![300u16..=308, 400u16..=499, 500u16..=599]
}

fn fixed(status: u16, body: Vec<u8>) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    let status = StatusCode::from_u16(status).unwrap();
    move |_| Response::new(status).with_body(body.clone())
}

// ---------------------------------------------------------------------------------------------
// Plausible answers, and drift

/// A postal mail as HubSpot answers it, with the properties that were sent.
fn postal_mail_json(id: &str, sent: &Value) -> Value {
    let sent: Vec<(&str, &str)> = sent
        .as_object()
        .into_iter()
        .flatten()
        .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
        .collect();
    support::postal_mail(id, &sent)
}

fn batch_envelope(results: Vec<Value>) -> Value {
    support::batch_body(results, Vec::new())
}

fn labelled_type() -> Value {
    json!({ "category": "HUBSPOT_DEFINED", "typeId": 453, "label": null })
}

fn labels_pair() -> Value {
    json!({ "fromObjectTypeId": "0-116", "fromObjectId": LETTER_ID,
            "toObjectTypeId": "0-1", "toObjectId": CONTACT_ID, "labels": [] })
}

/// A correct answer to `request`, shaped like HubSpot's documented examples. Batch results
/// echo what was sent, without `objectWriteTraceId` (HubSpot's success results carry none).
fn plausible(request: &Request) -> (u16, Option<Value>) {
    let path = support::path_of(request);
    // A bodiless PUT carries an empty body (`Content-Length: 0`).
    let sent = match &request.body {
        Some(b) if !b.is_empty() => support::body_of(request),
        _ => Value::Null,
    };
    let inputs = sent["inputs"].as_array().cloned().unwrap_or_default();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match (request.method.as_str(), segments.as_slice()) {
        ("GET", [.., "labels"]) => (200, Some(json!({ "results": [labelled_type()] }))),
        ("POST", [.., "postal_mail", "merge"]) => (
            200,
            Some(postal_mail_json(
                sent["primaryObjectId"].as_str().unwrap_or("0"),
                &json!({}),
            )),
        ),
        ("POST", [.., "postal_mail", "gdpr-delete"]) => (204, None),
        ("POST", ["crm", "v3", "associations", .., "batch", "create"]) => (
            201,
            Some(batch_envelope(vec![json!({
                "from": { "id": LETTER_ID }, "to": { "id": CONTACT_ID }, "type": "postal_mail_to_contact"
            })])),
        ),
        ("POST", ["crm", "v3", "associations", .., "batch", "read"]) => (
            200,
            Some(batch_envelope(vec![json!({
                "from": { "id": LETTER_ID }, "to": [{ "id": CONTACT_ID, "type": "postal_mail_to_contact" }]
            })])),
        ),
        ("POST", [.., "batch", "associate", "default"]) => (
            200,
            Some(batch_envelope(vec![json!({
                "from": { "id": LETTER_ID }, "to": { "id": CONTACT_ID },
                "associationSpec": { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 }
            })])),
        ),
        ("POST", [.., "batch", "labels", "archive"]) => (204, None),
        ("POST", ["crm", "v4", "associations", .., "batch", "create"]) => {
            (200, Some(batch_envelope(vec![labels_pair()])))
        }
        ("POST", ["crm", "v4", "associations", .., "batch", "read"]) => (
            200,
            Some(batch_envelope(vec![json!({
                "from": { "id": LETTER_ID },
                "to": [{ "toObjectId": CONTACT_ID, "associationTypes": [labelled_type()] }]
            })])),
        ),
        ("PUT", [.., "associations", "default", _, _]) => (
            200,
            Some(batch_envelope(vec![json!({
                "from": { "id": LETTER_ID }, "to": { "id": CONTACT_ID },
                "associationSpec": { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 }
            })])),
        ),
        ("PUT", ["crm", "v4", ..]) => (201, Some(labels_pair())),
        ("GET", ["crm", "v4", ..]) => (
            200,
            Some(json!({
                "results": [{ "toObjectId": CONTACT_ID, "associationTypes": [labelled_type()] }]
            })),
        ),
        ("PUT", ["crm", "v3", .., id, "associations", _, _, _]) => {
            (200, Some(postal_mail_json(id, &json!({}))))
        }
        ("POST", [.., "batch", "create"]) => {
            let results = inputs
                .iter()
                .enumerate()
                .map(|(i, input)| postal_mail_json(&(600 + i).to_string(), &input["properties"]))
                .collect();
            (201, Some(batch_envelope(results)))
        }
        ("POST", [.., "batch", "read" | "update"]) => {
            let results = inputs
                .iter()
                .map(|input| {
                    postal_mail_json(input["id"].as_str().unwrap_or("0"), &input["properties"])
                })
                .collect();
            (200, Some(batch_envelope(results)))
        }
        ("POST", [.., "batch", "upsert"]) => {
            let results = inputs
                .iter()
                .enumerate()
                .map(|(i, input)| {
                    let mut props = input["properties"].clone();
                    props["external_id"] = input["id"].clone();
                    let mut letter = postal_mail_json(&(700 + i).to_string(), &props);
                    letter["new"] = json!(i == 0);
                    letter
                })
                .collect();
            (200, Some(batch_envelope(results)))
        }
        ("POST", [.., "search"]) => {
            let page = if sent["after"].is_null() {
                json!({ "total": 2, "results": [postal_mail_json("801", &json!({}))],
                        "paging": { "next": { "after": "1" } } })
            } else {
                json!({ "total": 2, "results": [postal_mail_json("802", &json!({}))] })
            };
            (200, Some(page))
        }
        ("POST", [.., "batch", _]) | ("DELETE", _) => (204, None),
        ("GET", ["crm", "v3", "objects", "postal_mail"]) => {
            let page = if support::query_param(request, "after").is_some() {
                json!({ "results": [postal_mail_json("902", &json!({}))] })
            } else {
                json!({ "results": [postal_mail_json("901", &json!({}))],
                        "paging": { "next": { "after": "902" } } })
            };
            (200, Some(page))
        }
        ("POST", ["crm", "v3", "objects", "postal_mail"]) => {
            (201, Some(postal_mail_json(LETTER_ID, &sent["properties"])))
        }
        ("GET" | "PATCH", ["crm", "v3", "objects", "postal_mail", _]) => {
            (200, Some(postal_mail_json("513", &json!({}))))
        }
        ("GET" | "PATCH", ["crm", "v3", "objects", _, id]) => (
            200,
            Some(json!({
                "id": id,
                "properties": { "hs_object_id": id, "hs_pinned_engagement_id": LETTER_ID },
                "createdAt": "2025-01-01T00:00:00.000Z",
                "updatedAt": "2026-01-05T10:00:00.000Z",
                "archived": false,
            })),
        ),
        _ => panic!("no plausible answer for {} {path}", request.method),
    }
}

/// The ways HubSpot says an answer may change without notice, each on or off.
#[derive(Debug, Clone)]
struct Drift {
    /// An unknown field in every object, with this value.
    extra: Option<Value>,
    /// No `createdAt`, `updatedAt`, `archivedAt`, `requestedAt`, `startedAt`, `completedAt`.
    no_timestamps: bool,
    /// Enum values this version does not know (`status`, `category`, `associationCategory`).
    unknown_enums: bool,
    /// A property HubSpot knows but the record has no value for: `null`.
    null_properties: bool,
    /// Ids as JSON numbers.
    numeric_ids: bool,
}

fn drift() -> impl Strategy<Value = Drift> {
    (
        proptest::option::of(hubspot_json()),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(
            |(extra, no_timestamps, unknown_enums, null_properties, numeric_ids)| Drift {
                extra,
                no_timestamps,
                unknown_enums,
                null_properties,
                numeric_ids,
            },
        )
}

const TIMESTAMPS: [&str; 6] = [
    "createdAt",
    "updatedAt",
    "archivedAt",
    "requestedAt",
    "startedAt",
    "completedAt",
];

fn apply(drift: &Drift, value: &mut Value) {
    match value {
        Value::Array(values) => values.iter_mut().for_each(|v| apply(drift, v)),
        Value::Object(map) => {
            for (key, v) in map.iter_mut() {
                // Property values are strings or null: a new property is a new string.
                if key == "properties" {
                    if let Some(props) = v.as_object_mut().filter(|_| drift.extra.is_some()) {
                        props.insert("hs_added_later".into(), json!("a value"));
                    }
                } else {
                    apply(drift, v);
                }
                match key.as_str() {
                    "id" | "toObjectId" | "fromObjectId" if drift.numeric_ids => {
                        if let Some(n) = v.as_str().and_then(|s| s.parse::<u64>().ok()) {
                            *v = json!(n);
                        }
                    }
                    "status" | "category" | "associationCategory"
                        if drift.unknown_enums && v.is_string() =>
                    {
                        *v = json!("SOMETHING_NEW");
                    }
                    "properties" if drift.null_properties => {
                        if let Some(props) = v.as_object_mut() {
                            props.insert("hs_unset_property".into(), Value::Null);
                        }
                    }
                    _ => {}
                }
            }
            if drift.no_timestamps {
                map.retain(|k, _| !TIMESTAMPS.contains(&k.as_str()));
            }
            if let Some(extra) = &drift.extra {
                map.insert("fieldAddedLater".into(), extra.clone());
            }
        }
        _ => {}
    }
}

fn answer_with(drift: Option<Drift>) -> impl Fn(&Request) -> Response + Send + Sync + 'static {
    move |request| {
        let (status, body) = plausible(request);
        let status = StatusCode::from_u16(status).unwrap();
        match (body, &drift) {
            (None, _) => Response::new(status),
            (Some(body), None) => Response::json(status, &body),
            (Some(mut body), Some(drift)) => {
                apply(drift, &mut body);
                Response::json(status, &body)
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// What each answer must become

fn body_of(input: &CreatePostalMail) -> Option<&str> {
    input.properties.get("hs_postal_mail_body")
}

/// The letters a `Create`-kind operation would log: a merge logs none.
fn letters_of(op: &Op) -> &'static [&'static str] {
    if op.name == "merge" {
        &[]
    } else {
        &["fuzz letter"]
    }
}

/// The error of a create: "may have been applied", with its input to reconcile.
#[track_caller]
fn assert_create_maybe_applied(error: &Error, status: u16, inputs: &[&str]) {
    assert!(
        matches!(error, Error::MaybeApplied { .. }),
        "create, HTTP {status}: {error:?}"
    );
    assert!(error.may_have_been_applied());
    assert_eq!(error.status(), Some(status));
    let unreconciled: Vec<_> = error.unreconciled_inputs().iter().map(body_of).collect();
    let expected: Vec<_> = inputs.iter().map(|b| Some(*b)).collect();
    assert_eq!(unreconciled, expected, "the inputs to reconcile");
}

/// Every input of a batch create failed as a whole chunk that may have been applied.
#[track_caller]
fn assert_chunk_maybe_applied(items: &[Result<String, ItemError>], status: u16) {
    assert_eq!(items.len(), BATCH_BODIES.len());
    for item in items {
        match item {
            Err(ItemError::Request(e)) => assert_create_maybe_applied(e, status, &BATCH_BODIES),
            other => panic!("batch create, HTTP {status}: {other:?}"),
        }
    }
}

/// Every input failed with the request: `check` says what the shared error must be.
#[track_caller]
fn assert_chunk_failed(name: &str, items: &[Result<String, ItemError>], check: impl Fn(&Error)) {
    assert!(!items.is_empty(), "{name}: no item");
    for item in items {
        match item {
            Err(ItemError::Request(e)) => check(e),
            other => panic!("{name}: {other:?}"),
        }
    }
}

fn assert_error_answer(op: &Op, got: &Got, status: u16, answer: &ErrorAnswer) {
    let name = op.name;
    let check = |e: &Error| {
        assert_eq!(e.status(), Some(status), "{name}: {e:?}");
        if status == 429 {
            assert!(
                matches!(e, Error::RateLimited(_))
                    || matches!(e, Error::Shared(s) if matches!(**s, Error::RateLimited(_))),
                "{name}: {e:?}"
            );
        }
        if (400..500).contains(&status) {
            assert!(!e.may_have_been_applied(), "{name}, HTTP {status}: {e:?}");
        }
        if let ErrorAnswer::HubSpot(body) = answer {
            assert_eq!(e.category(), Some(body.category.as_str()), "{name}");
            assert_eq!(
                e.correlation_id(),
                Some(body.correlation_id.as_str()),
                "{name}"
            );
        }
    };
    match (op.kind, got) {
        (Kind::Create, Got::One(Err(e))) if (500..600).contains(&status) => {
            check(e);
            assert_create_maybe_applied(e, status, letters_of(op));
        }
        (Kind::BatchCreate, Got::Items(items)) if (500..600).contains(&status) => {
            assert_chunk_failed(name, items, check);
            assert_chunk_maybe_applied(items, status);
        }
        (_, Got::One(Err(e)) | Got::Raw(Err(e))) => check(e),
        (_, Got::Items(items)) => assert_chunk_failed(name, items, check),
        (_, got) => panic!("{name}: HTTP {status} became {got:?}"),
    }
}

fn is_decode(e: &Error) -> bool {
    matches!(e, Error::Decode(_))
}

/// A plain decode error of a row that only reads (the read a `pin` makes before it writes).
fn is_decode_of_a_read(e: &Error) -> bool {
    let Error::Decode(d) = e else { return false };
    hubspot_postal::model::endpoints::ENDPOINTS
        .iter()
        .any(|row| row.name() == d.operation && !row.idempotency().writes())
}

/// A write answered 2xx whose body could not be read: it happened, so "may have been
/// applied", around the decode error; or it failed in a read before writing anything.
fn assert_unreadable_write(name: &str, e: &Error, status: u16) {
    assert_eq!(e.status(), Some(status), "{name}: {e:?}");
    let wrapped = matches!(e, Error::MaybeApplied { source, .. } if is_decode(source));
    assert!(
        (wrapped && e.may_have_been_applied())
            || (is_decode_of_a_read(e) && !e.may_have_been_applied()),
        "{name}: {e:?}"
    );
}

fn assert_garbage_2xx(op: &Op, got: &Got, status: u16, body: &[u8]) {
    let name = op.name;
    match (op.kind, got) {
        (Kind::Create, Got::One(Err(e))) => assert_create_maybe_applied(e, status, letters_of(op)),
        (Kind::BatchCreate, Got::Items(items)) => assert_chunk_maybe_applied(items, status),
        // A read changed nothing: a plain decode error. A write that got a 2xx happened: its
        // error says so, whatever the write.
        (Kind::BatchRead, Got::Items(items)) => assert_chunk_failed(name, items, |e| {
            assert!(is_decode(e), "{name}: {e:?}");
            assert!(!e.may_have_been_applied(), "{name}: {e:?}");
            assert_eq!(e.status(), Some(status));
        }),
        (Kind::BatchWrite, Got::Items(items)) => {
            assert_chunk_failed(name, items, |e| assert_unreadable_write(name, e, status));
        }
        (Kind::Read, Got::One(Err(e))) => {
            assert!(is_decode(e), "{name}: {e:?}");
            assert!(!e.may_have_been_applied(), "{name}: {e:?}");
            assert_eq!(e.status(), Some(status));
        }
        (Kind::Write, Got::One(Err(e))) => assert_unreadable_write(name, e, status),
        (Kind::StatusOnly, Got::One(Ok(_))) => {}
        (Kind::StatusOnly, Got::Items(items)) => {
            assert!(items.iter().all(Result::is_ok), "{name}: {items:?}");
        }
        (Kind::Raw, Got::Raw(Ok((s, b)))) => {
            assert_eq!(
                (*s, b.as_slice()),
                (status, body),
                "raw returns the answer as it came"
            );
        }
        (_, got) => panic!("{name}: garbage HTTP {status} became {got:?}"),
    }
}

/// What the body says a single record's id is: `id` of an object. The client refuses any
/// other JSON shape (serde's derived decoders would read a struct from an array, so that
/// `["0", {}]` became a letter with id 0).
fn id_in(body: &Value) -> Option<String> {
    let id = match body {
        Value::Object(_) => &body["id"],
        _ => return None,
    };
    match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn assert_json_2xx(op: &Op, got: &Got, status: u16, body: &Value) {
    let name = op.name;
    let single_letter = matches!(
        name,
        "create" | "get" | "get_by_unique" | "update" | "associate" | "unpin" | "get_record"
    );
    match (op.kind, got) {
        (Kind::Create, Got::One(Err(e))) => assert_create_maybe_applied(e, status, letters_of(op)),
        (Kind::BatchCreate, Got::Items(items)) => {
            for item in items {
                match item {
                    Ok(_) | Err(ItemError::Rejected(_)) => {}
                    Err(e) => assert!(
                        e.may_have_been_applied(),
                        "batch create, HTTP {status}: an input became {e:?}"
                    ),
                }
            }
        }
        (Kind::BatchRead | Kind::BatchWrite, Got::Items(items)) => {
            for item in items {
                if let Err(ItemError::Request(e)) = item {
                    assert_eq!(e.status(), Some(status), "{name}: {e:?}");
                }
            }
        }
        (_, Got::One(Ok(ids))) if single_letter => {
            assert_eq!(
                ids.first(),
                id_in(body).as_ref(),
                "{name} decoded an id the body lacks"
            );
        }
        (Kind::Read | Kind::Write, Got::One(Err(e))) => {
            // `pin` reads the associations first, and may stop there with a finding of its own.
            let pin_refused = name == "pin" && matches!(e, Error::NotAssociated { .. });
            let cursor = matches!(e, Error::CursorRepeated { .. });
            if op.kind == Kind::Write && !pin_refused {
                assert_unreadable_write(name, e, status);
            } else {
                assert!(pin_refused || is_decode(e) || cursor, "{name}: {e:?}");
                if is_decode(e) {
                    assert_eq!(e.status(), Some(status), "{name}");
                    assert!(!e.may_have_been_applied(), "{name}: {e:?}");
                }
            }
        }
        (Kind::StatusOnly, Got::One(Ok(_))) => {}
        (Kind::StatusOnly, Got::Items(items)) => {
            assert!(items.iter().all(Result::is_ok), "{name}: {items:?}");
        }
        (Kind::Raw, Got::Raw(Ok((s, _)))) => assert_eq!(*s, status),
        (_, Got::One(Ok(_))) => {}
        (_, got) => panic!("{name}: JSON HTTP {status} became {got:?}"),
    }
}

/// What was decoded, for comparing two answers; `raw` decodes nothing, so only its status.
fn decoded(got: &Got) -> String {
    match got {
        Got::Raw(Ok((status, _))) => format!("raw {status}"),
        other => format!("{other:?}"),
    }
}

fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 64;
    }
    config
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn no_error_answer_becomes_ok(status in error_status(), answer in error_answer()) {
        for (op, got) in run_all(fixed(status, answer.bytes())) {
            assert_error_answer(op, &got, status, &answer);
        }
    }

    #[test]
    fn a_2xx_that_is_not_json_is_never_taken_for_data(status in success_status(), body in garbage()) {
        for (op, got) in run_all(fixed(status, body.clone())) {
            assert_garbage_2xx(op, &got, status, &body);
        }
    }

    #[test]
    fn a_2xx_of_arbitrary_json_decodes_to_what_it_says_or_fails_cleanly(
        status in success_status(),
        body in hubspot_json(),
    ) {
        for (op, got) in run_all(fixed(status, serde_json::to_vec(&body).unwrap())) {
            assert_json_2xx(op, &got, status, &body);
        }
    }

    #[test]
    fn a_drifted_answer_decodes_like_the_undrifted_one(drift in drift()) {
        let expected = run_all(answer_with(None));
        let drifted = run_all(answer_with(Some(drift.clone())));
        for ((op, want), (_, got)) in expected.iter().zip(&drifted) {
            let (want, got) = (decoded(want), decoded(got));
            prop_assert!(!want.contains("Err("), "{}: the plain answer failed: {want}", op.name);
            prop_assert_eq!(got, want, "{} under {:?}", op.name, drift);
        }
    }

    #[test]
    fn decode_errors_keep_a_path_and_mask_letter_text(text in "[a-z]{8,16}") {
        // A truncated postal mail carrying letter text: the error names where it broke and
        // does not repeat the text.
        let body = format!(r#"{{"id":"1","properties":{{"hs_postal_mail_body":"{text}"}},"createdAt":"#);
        for (op, got) in run_all(fixed(200, body.into_bytes())) {
            let shown = format!("{got:?}");
            prop_assert!(!shown.contains(&text), "{}: {shown}", op.name);
            if let (Kind::Read, Got::One(Err(Error::Decode(d)))) = (op.kind, &got) {
                prop_assert!(d.path != ".", "{}: {d:?}", op.name);
            }
        }
    }
}

/// A batch create answered with its results echoed back, each with its input's body: every
/// input gets its own letter (checked here, the drift test compares against this).
#[test]
fn the_plausible_answers_decode_to_what_was_sent() {
    let results = run_all(answer_with(None));
    let batch = results
        .iter()
        .find(|(op, _)| op.name == "batch_create")
        .map(|(_, got)| got)
        .unwrap();
    let Got::Items(items) = batch else {
        panic!("{batch:?}")
    };
    let bodies: Vec<_> = items.iter().map(|i| i.as_ref().unwrap().as_str()).collect();
    assert_eq!(bodies, BATCH_BODIES);
    for (op, got) in &results {
        assert!(!format!("{got:?}").contains("Err("), "{}: {got:?}", op.name);
    }
}

#[test]
fn html_page_is_a_decode_error_that_shows_the_page() {
    let results = run_all(fixed(200, b"<html>proxy error</html>".to_vec()));
    let (_, got) = results.iter().find(|(op, _)| op.name == "get").unwrap();
    let Got::One(Err(err)) = got else {
        panic!("{got:?}")
    };
    assert!(err.to_string().contains("<html>proxy error"), "{err}");
    assert_eq!(err.status(), Some(200));
}

/// The fuzzed operations are every operation the client has: a new one fails this test until
/// it is added to `OPERATIONS`.
#[test]
fn every_client_operation_is_fuzzed() {
    // Every operation of the client's one list, and its streams.
    let declared: BTreeSet<&str> = hubspot_postal::requests::ALL
        .iter()
        .map(|(name, _)| *name)
        .chain(["list_pages", "list_all", "search_all"])
        .collect();
    let fuzzed: BTreeSet<&str> = OPERATIONS.iter().map(|op| op.name).collect();
    assert_eq!(fuzzed, declared);
}

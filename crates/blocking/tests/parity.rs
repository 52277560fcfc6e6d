//! Parity with the async client, from the endpoint table: every operation of the client's one
//! list (`hubspot_postal::requests::ALL`, which covers every row of the endpoint table) sends
//! the same requests and returns the same result through the blocking client, in every API
//! version; an operation a version lacks is refused by both before anything is sent. The
//! blocking methods are generated from that list, so this test checks behaviour, and that the
//! set of operations it runs is exactly the list's.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

use std::collections::BTreeSet;
use std::sync::Arc;

use futures::StreamExt;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::transport::{Request, Response, ScriptedTransport, TransportError};
use hubspot_postal_blocking::model::association::{
    AssociationArchive, AssociationCreate, AssociationPair, AssociationReadInput, AssociationSpec,
    ObjectRef, V3Association, types,
};
use hubspot_postal_blocking::model::endpoints::{ApiVersion, ENDPOINTS};
use hubspot_postal_blocking::model::engagement::{
    BatchUpdateItem, CreatePostalMail, UpdatePostalMail, UpsertPostalMail,
};
use hubspot_postal_blocking::model::ids::{PostalMailId, RecordId};
use hubspot_postal_blocking::model::object_type::ObjectType;
use hubspot_postal_blocking::model::pin::{Pin, PinTarget};
use hubspot_postal_blocking::model::properties::Properties;
use hubspot_postal_blocking::model::search::{Filter, SearchRequest};
use hubspot_postal_blocking::{
    AssociationListOptions, BatchReadOptions, Error, GetOptions, ListOptions, RateLimiter,
};
use serde_json::{Value, json};

const ASYNC_BUILDER_RS: &str = include_str!("../../client/src/builder.rs");

/// The operations that are streams of pages rather than one request value.
const STREAMS: [&str; 3] = ["list_pages", "list_all", "search_all"];

/// The names `pub fn NAME` declares in `source`.
fn declared(source: &str, prefix: &str) -> BTreeSet<String> {
    source
        .lines()
        .filter_map(|line| line.trim_start().strip_prefix(prefix))
        .filter_map(|rest| rest.split(['(', '<']).next())
        .map(str::to_owned)
        .collect()
}

/// A date-based path in the legacy shape the answers below match: `/crm/objects/2026-03/…`
/// becomes `/crm/v3/objects/…` (or `/crm/v4/objects/…` for a pair's associations), and
/// `/crm/associations/2026-03/…` becomes `/crm/v4/associations/…`.
fn legacy_shape(path: &str) -> String {
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    match segments.as_slice() {
        [
            "crm",
            api @ ("objects" | "associations"),
            version,
            rest @ ..,
        ] if ApiVersion::parse(version).is_ok_and(|v| !v.is_legacy()) => {
            let numeric = if *api == "associations" || rest.contains(&"associations") {
                "v4"
            } else {
                "v3"
            };
            format!("/crm/{numeric}/{api}/{}", rest.join("/"))
        }
        _ => path.to_owned(),
    }
}

fn letter(id: &str, body: &str) -> Value {
    json!({
        "id": id,
        "properties": { "hs_timestamp": "2026-11-30T00:00:00.000Z", "hs_postal_mail_body": body },
        "createdAt": "2026-11-30T00:00:00.000Z",
        "updatedAt": "2026-11-30T00:00:00.000Z",
        "archived": false
    })
}

fn batch(results: Vec<Value>) -> Value {
    json!({
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2026-11-30T00:00:00.000Z",
        "completedAt": "2026-11-30T00:00:01.000Z"
    })
}

fn labelled_type() -> Value {
    json!({ "category": "HUBSPOT_DEFINED", "typeId": 453, "label": null })
}

fn pair() -> Value {
    json!({
        "fromObjectTypeId": "0-116", "fromObjectId": "512",
        "toObjectTypeId": "0-1", "toObjectId": "104901", "labels": []
    })
}

/// Plausible HubSpot answers, a pure function of the request, so that two transports answer
/// the async and the blocking client identically.
fn answer(request: &Request) -> Result<Response, TransportError> {
    let (path, query) = request
        .path_and_query
        .split_once('?')
        .unwrap_or((request.path_and_query.as_str(), ""));
    let path = legacy_shape(path);
    let path = path.as_str();
    let body: Value = request
        .body
        .as_ref()
        .and_then(|b| serde_json::from_slice(b).ok())
        .unwrap_or(Value::Null);
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let method = &request.method;
    let ok = |value: Value| Ok(Response::json(StatusCode::OK, &value));
    let no_content = || Ok(Response::new(StatusCode::NO_CONTENT));
    match (method.as_str(), segments.as_slice()) {
        // v4 association types between two object types.
        ("GET", ["crm", "v4", "associations", _, _, "labels"]) => {
            ok(json!({ "results": [labelled_type()] }))
        }
        ("POST", ["crm", "v4", "associations", _, _, "batch", "create"]) => ok(batch(vec![pair()])),
        ("POST", ["crm", "v4", "associations", _, _, "batch", "read"]) => ok(batch(vec![json!({
            "from": { "id": "512" },
            "to": [{ "toObjectId": "104901", "associationTypes": [labelled_type()] }]
        })])),
        ("POST", ["crm", "v4", "associations", _, _, "batch", "archive"]) => no_content(),
        (
            "POST",
            [
                "crm",
                "v4",
                "associations",
                _,
                _,
                "batch",
                "labels",
                "archive",
            ],
        ) => no_content(),
        (
            "POST",
            [
                "crm",
                "v4",
                "associations",
                _,
                _,
                "batch",
                "associate",
                "default",
            ],
        ) => ok(batch(vec![json!({
            "from": { "id": "512" }, "to": { "id": "104901" },
            "associationSpec": { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 }
        })])),
        ("POST", ["crm", "v3", "associations", _, _, "batch", "create"]) => {
            ok(batch(vec![json!({
                "from": { "id": "512" }, "to": { "id": "104901" }, "type": "postal_mail_to_contact"
            })]))
        }
        ("POST", ["crm", "v3", "associations", _, _, "batch", "read"]) => ok(batch(vec![json!({
            "from": { "id": "512" }, "to": [{ "id": "104901", "type": "postal_mail_to_contact" }]
        })])),
        ("POST", ["crm", "v3", "associations", _, _, "batch", "archive"]) => no_content(),
        ("POST", ["crm", "v3", "objects", "postal_mail", "merge"]) => ok(letter(
            body["primaryObjectId"].as_str().unwrap_or("0"),
            "merged",
        )),
        ("POST", ["crm", "v3", "objects", "postal_mail", "gdpr-delete"]) => no_content(),
        (
            "PUT",
            [
                "crm",
                "v4",
                "objects",
                _,
                _,
                "associations",
                "default",
                _,
                _,
            ],
        ) => ok(batch(vec![json!({
            "from": { "id": "512" }, "to": { "id": "104901" },
            "associationSpec": { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 }
        })])),
        ("PUT", ["crm", "v4", "objects", _, _, "associations", _, _]) => {
            Ok(Response::json(StatusCode::CREATED, &pair()))
        }
        ("DELETE", ["crm", "v4", "objects", _, _, "associations", _, _]) => no_content(),
        ("GET", ["crm", "v4", "objects", _, _, "associations", _]) => ok(json!({
            "results": [{ "toObjectId": "104901", "associationTypes": [labelled_type()] }]
        })),
        (
            "PUT",
            [
                "crm",
                "v3",
                "objects",
                "postal_mail",
                id,
                "associations",
                ..,
            ],
        ) => ok(letter(id, "associated")),
        ("DELETE", ["crm", "v3", "objects", "postal_mail", _, "associations", ..]) => no_content(),
        (
            "POST",
            [
                "crm",
                "v3",
                "objects",
                "postal_mail",
                "batch",
                "create" | "read" | "update",
            ],
        ) => {
            let n = body["inputs"].as_array().map_or(0, Vec::len);
            let results = (0..n)
                .map(|i| {
                    let mut l = letter(&(600 + i).to_string(), "batched");
                    let input = &body["inputs"][i];
                    if let Some(trace) = input["objectWriteTraceId"].as_str() {
                        l["objectWriteTraceId"] = json!(trace);
                    }
                    if let Some(id) = input["id"].as_str() {
                        l["id"] = json!(id);
                    }
                    l
                })
                .collect();
            ok(batch(results))
        }
        ("POST", ["crm", "v3", "objects", "postal_mail", "batch", "upsert"]) => {
            let mut l = letter("700", "upserted");
            l["properties"]["external_id"] = json!("ext-1");
            l["new"] = json!(true);
            ok(batch(vec![l]))
        }
        ("POST", ["crm", "v3", "objects", "postal_mail", "batch", "archive"]) => no_content(),
        ("POST", ["crm", "v3", "objects", "postal_mail", "search"]) => {
            if body["after"].is_null() {
                ok(json!({ "total": 2, "results": [letter("801", "found")],
                           "paging": { "next": { "after": "1" } } }))
            } else {
                ok(json!({ "total": 2, "results": [letter("802", "found")] }))
            }
        }
        ("GET", ["crm", "v3", "objects", "postal_mail"]) => {
            if query.contains("after=") {
                ok(json!({ "results": [letter("902", "listed")] }))
            } else {
                ok(json!({ "results": [letter("901", "listed")],
                           "paging": { "next": { "after": "c1" } } }))
            }
        }
        ("POST", ["crm", "v3", "objects", "postal_mail"]) => Ok(Response::json(
            StatusCode::CREATED,
            &letter(
                "512",
                body["properties"]["hs_postal_mail_body"]
                    .as_str()
                    .unwrap_or(""),
            ),
        )),
        ("GET" | "PATCH", ["crm", "v3", "objects", "postal_mail", id]) => {
            // `get_by_unique` puts the unique value where the id goes.
            let id = if id.bytes().all(|b| b.is_ascii_digit()) {
                id
            } else {
                "513"
            };
            ok(letter(id, "read"))
        }
        ("DELETE", ["crm", "v3", "objects", "postal_mail", _]) => no_content(),
        ("GET" | "PATCH", ["crm", "v3", "objects", _, id]) => ok(json!({
            "id": id,
            "properties": { "hs_pinned_engagement_id": "512" },
            "createdAt": "2026-11-30T00:00:00.000Z",
            "updatedAt": "2026-11-30T00:00:00.000Z"
        })),
        _ => Ok(Response::json(
            StatusCode::NOT_FOUND,
            &json!({ "status": "error", "message": format!("no scripted answer for {method} {path}") }),
        )),
    }
}

/// What a request looked like on the wire, minus the auth header.
fn wire(transport: &ScriptedTransport) -> Vec<(Method, String, Option<Vec<u8>>)> {
    transport
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path_and_query, r.body.map(|b| b.to_vec())))
        .collect()
}

struct Pair {
    async_client: hubspot_postal::Client,
    async_wire: ScriptedTransport,
    blocking: hubspot_postal_blocking::Client,
    blocking_wire: ScriptedTransport,
    runtime: tokio::runtime::Runtime,
    exercised: BTreeSet<String>,
    /// The operations refused as not in the version.
    refused: BTreeSet<String>,
}

impl Pair {
    fn new(version: ApiVersion) -> Self {
        let async_wire = ScriptedTransport::from_fn(answer);
        let blocking_wire = ScriptedTransport::from_fn(answer);
        let async_client = hubspot_postal::Client::builder()
            .token("pat-test")
            .transport(Arc::new(async_wire.clone()))
            .rate_limiter(RateLimiter::unlimited())
            .api_version(version)
            .build()
            .unwrap();
        let blocking = hubspot_postal_blocking::Client::builder()
            .token("pat-test")
            .transport(Arc::new(blocking_wire.clone()))
            .rate_limiter(RateLimiter::unlimited())
            .api_version(version)
            .build()
            .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        Self {
            async_client,
            async_wire,
            blocking,
            blocking_wire,
            runtime,
            exercised: BTreeSet::new(),
            refused: BTreeSet::new(),
        }
    }

    /// Runs one operation through both clients; the requests sent and the results (as
    /// `Debug`) must be the same, and the operation must succeed.
    fn check<A, B, T>(&mut self, name: &str, run_async: A, run_blocking: B)
    where
        A: AsyncFnOnce(&hubspot_postal::Client) -> hubspot_postal::Result<T>,
        B: FnOnce(&hubspot_postal_blocking::Client) -> hubspot_postal::Result<T>,
        T: std::fmt::Debug,
    {
        let before = (
            self.async_wire.request_count(),
            self.blocking_wire.request_count(),
        );
        let expected = self.runtime.block_on(run_async(&self.async_client));
        let got = run_blocking(&self.blocking);
        let version = self.async_client.api_version();
        if let Err(Error::NotInVersion(e)) = &expected {
            // Refused before sending, by both, naming versions that have it.
            assert!(
                matches!(&got, Err(Error::NotInVersion(g)) if g == e),
                "{name}: {got:?}"
            );
            assert!(
                !e.available.is_empty() && !e.available.contains(&version),
                "{e}"
            );
            assert_eq!(
                self.async_wire.request_count(),
                before.0,
                "{name} sent in {version}"
            );
            assert_eq!(
                self.blocking_wire.request_count(),
                before.1,
                "{name} sent in {version}"
            );
            assert!(
                self.exercised.insert(name.to_owned()),
                "{name} checked twice"
            );
            self.refused.insert(name.to_owned());
            return;
        }
        assert!(
            expected.is_ok(),
            "{name} in {version}: the async call failed: {expected:?}"
        );
        assert_eq!(
            format!("{got:?}"),
            format!("{expected:?}"),
            "{name}: results differ"
        );
        let sent_async = wire(&self.async_wire).split_off(before.0);
        let sent_blocking = wire(&self.blocking_wire).split_off(before.1);
        assert!(!sent_async.is_empty(), "{name}: sent nothing");
        assert_eq!(sent_blocking, sent_async, "{name}: requests differ");
        assert!(
            self.exercised.insert(name.to_owned()),
            "{name} checked twice"
        );
    }
}

/// Runs every operation in `version`; returns the operations run and those refused.
fn every_operation(version: ApiVersion) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut pair = Pair::new(version);
    let id = PostalMailId::new("512").unwrap();
    let contact = RecordId::new("104901").unwrap();
    let create = || CreatePostalMail::new("2026-11-30".parse().unwrap()).body("Contract received");
    let get = GetOptions::new().properties(["hs_postal_mail_body"]);
    let list = ListOptions::new().limit(10);
    let search = SearchRequest::builder()
        .filter(Filter::eq("hs_postal_mail_body", "x"))
        .build()
        .unwrap();
    let target = PinTarget::contact(contact.clone());
    let pin = Pin::new(id.clone(), target.clone());
    let spec = AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_CONTACT);
    let c = ObjectType::Contact;
    let pm = ObjectType::PostalMail;
    let assoc_create = || {
        vec![AssociationCreate {
            from: ObjectRef {
                id: RecordId::new("512").unwrap(),
            },
            to: ObjectRef {
                id: contact.clone(),
            },
            types: vec![spec.clone()],
        }]
    };
    let assoc_read = || {
        vec![AssociationReadInput {
            id: RecordId::new("512").unwrap(),
            after: None,
        }]
    };
    let assoc_archive = || {
        vec![AssociationArchive {
            from: ObjectRef {
                id: RecordId::new("512").unwrap(),
            },
            to: vec![ObjectRef {
                id: contact.clone(),
            }],
        }]
    };
    let ids = || {
        vec![
            PostalMailId::new("601").unwrap(),
            PostalMailId::new("602").unwrap(),
        ]
    };
    let updates = || {
        vec![BatchUpdateItem::new(
            &id,
            UpdatePostalMail::new().body("changed"),
        )]
    };
    let upserts = || {
        let mut props = Properties::new();
        props.insert("hs_postal_mail_body", "upserted");
        vec![UpsertPostalMail::new("external_id", "ext-1", props).unwrap()]
    };
    let props = vec!["firstname".to_owned()];
    let body = json!({ "inputs": [] });
    let page = AssociationListOptions::new().limit(100).after("7");
    let v3_assoc = || {
        vec![V3Association {
            from: ObjectRef {
                id: RecordId::new("512").unwrap(),
            },
            to: ObjectRef {
                id: contact.clone(),
            },
            kind: "postal_mail_to_contact".into(),
        }]
    };
    let default_pairs = || {
        vec![AssociationPair {
            from: ObjectRef {
                id: RecordId::new("512").unwrap(),
            },
            to: ObjectRef {
                id: contact.clone(),
            },
        }]
    };
    let other = PostalMailId::new("513").unwrap();

    pair.check(
        "create",
        async |a| a.create(create()).await,
        |b| b.create(create()),
    );
    pair.check(
        "get",
        async |a| a.get(&id, &get).await,
        |b| b.get(&id, &get),
    );
    pair.check(
        "get_by_unique",
        async |a| a.get_by_unique("external_id", "a/b c", &get).await,
        |b| b.get_by_unique("external_id", "a/b c", &get),
    );
    pair.check(
        "update",
        async |a| a.update(&id, UpdatePostalMail::new().body("new")).await,
        |b| b.update(&id, UpdatePostalMail::new().body("new")),
    );
    pair.check(
        "archive",
        async |a| a.archive(&id).await,
        |b| b.archive(&id),
    );
    pair.check(
        "list_page",
        async |a| a.list_page(&list).await,
        |b| b.list_page(&list),
    );
    pair.check(
        "batch_create",
        async |a| {
            a.batch_create(vec![create(), create()])
                .await
                .map(|o| o.items)
        },
        |b| b.batch_create(vec![create(), create()]).map(|o| o.items),
    );
    pair.check(
        "batch_read",
        async |a| {
            a.batch_read(ids(), &BatchReadOptions::new())
                .await
                .map(|o| o.items)
        },
        |b| {
            b.batch_read(ids(), &BatchReadOptions::new())
                .map(|o| o.items)
        },
    );
    pair.check(
        "batch_update",
        async |a| a.batch_update(updates()).await.map(|o| o.items),
        |b| b.batch_update(updates()).map(|o| o.items),
    );
    pair.check(
        "batch_upsert",
        async |a| a.batch_upsert(upserts()).await.map(|o| o.items),
        |b| b.batch_upsert(upserts()).map(|o| o.items),
    );
    pair.check(
        "batch_archive",
        async |a| a.batch_archive(ids()).await.map(|o| o.items),
        |b| b.batch_archive(ids()).map(|o| o.items),
    );
    pair.check(
        "search_page",
        async |a| a.search_page(&search).await,
        |b| b.search_page(&search),
    );
    pair.check(
        "associate",
        async |a| {
            a.associate(&id, &c, &contact, types::POSTAL_MAIL_TO_CONTACT)
                .await
        },
        |b| b.associate(&id, &c, &contact, types::POSTAL_MAIL_TO_CONTACT),
    );
    pair.check(
        "dissociate",
        async |a| {
            a.dissociate(&id, &c, &contact, types::POSTAL_MAIL_TO_CONTACT)
                .await
        },
        |b| b.dissociate(&id, &c, &contact, types::POSTAL_MAIL_TO_CONTACT),
    );
    pair.check(
        "associate_labelled",
        async |a| {
            a.associate_labelled(&id, &c, &contact, vec![spec.clone()])
                .await
        },
        |b| b.associate_labelled(&id, &c, &contact, vec![spec.clone()]),
    );
    pair.check(
        "associate_default",
        async |a| a.associate_default(&id, &c, &contact).await,
        |b| b.associate_default(&id, &c, &contact),
    );
    pair.check(
        "remove_associations",
        async |a| a.remove_associations(&id, &c, &contact).await,
        |b| b.remove_associations(&id, &c, &contact),
    );
    pair.check(
        "list_associations",
        async |a| a.list_associations(&id, &c, &page).await,
        |b| b.list_associations(&id, &c, &page),
    );
    pair.check(
        "list_associations_of",
        async |a| a.list_associations_of(&c, &contact, &pm, &page).await,
        |b| b.list_associations_of(&c, &contact, &pm, &page),
    );
    pair.check(
        "batch_associate",
        async |a| a.batch_associate(&c, assoc_create()).await,
        |b| b.batch_associate(&c, assoc_create()),
    );
    pair.check(
        "batch_read_associations",
        async |a| a.batch_read_associations(&c, assoc_read()).await,
        |b| b.batch_read_associations(&c, assoc_read()),
    );
    pair.check(
        "batch_remove_associations",
        async |a| a.batch_remove_associations(&c, assoc_archive()).await,
        |b| b.batch_remove_associations(&c, assoc_archive()),
    );
    pair.check(
        "batch_remove_association_labels",
        async |a| a.batch_remove_association_labels(&c, assoc_create()).await,
        |b| b.batch_remove_association_labels(&c, assoc_create()),
    );
    pair.check(
        "batch_associate_default",
        async |a| a.batch_associate_default(&c, default_pairs()).await,
        |b| b.batch_associate_default(&c, default_pairs()),
    );
    pair.check(
        "v3_batch_associate",
        async |a| a.v3_batch_associate(&c, v3_assoc()).await,
        |b| b.v3_batch_associate(&c, v3_assoc()),
    );
    pair.check(
        "v3_batch_read_associations",
        async |a| a.v3_batch_read_associations(&c, vec![id.clone()]).await,
        |b| b.v3_batch_read_associations(&c, vec![id.clone()]),
    );
    pair.check(
        "v3_batch_remove_associations",
        async |a| a.v3_batch_remove_associations(&c, v3_assoc()).await,
        |b| b.v3_batch_remove_associations(&c, v3_assoc()),
    );
    pair.check(
        "merge",
        async |a| a.merge(&id, &other).await,
        |b| b.merge(&id, &other),
    );
    pair.check(
        "gdpr_delete",
        async |a| a.gdpr_delete(&id).await,
        |b| b.gdpr_delete(&id),
    );
    pair.check(
        "association_labels",
        async |a| a.association_labels(&c).await,
        |b| b.association_labels(&c),
    );
    pair.check("pin", async |a| a.pin(&pin).await, |b| b.pin(&pin));
    pair.check(
        "unpin",
        async |a| a.unpin(&target).await,
        |b| b.unpin(&target),
    );
    pair.check(
        "pinned",
        async |a| a.pinned(&target).await,
        |b| b.pinned(&target),
    );
    pair.check(
        "get_record",
        async |a| a.get_record(&c, &contact, &props).await,
        |b| b.get_record(&c, &contact, &props),
    );
    pair.check(
        "is_associated",
        async |a| a.is_associated(&id, &c, &contact).await,
        |b| b.is_associated(&id, &c, &contact),
    );
    pair.check(
        "raw",
        async |a| {
            let r = a
                .raw(
                    Method::POST,
                    "/crm/v4/associations/postal_mail/contacts/batch/archive",
                    Some(body.clone()),
                    false,
                )
                .await?;
            Ok((r.status, r.body))
        },
        |b| {
            let r = b.raw(
                Method::POST,
                "/crm/v4/associations/postal_mail/contacts/batch/archive",
                Some(body.clone()),
                false,
            )?;
            Ok((r.status, r.body))
        },
    );
    pair.check(
        "list_pages",
        async |a| Ok(a.list_pages(list.clone()).collect::<Vec<_>>().await),
        |b| Ok(b.list_pages(list.clone()).collect::<Vec<_>>()),
    );
    pair.check(
        "list_all",
        async |a| Ok(a.list_all(list.clone()).collect::<Vec<_>>().await),
        |b| Ok(b.list_all(list.clone()).collect::<Vec<_>>()),
    );
    pair.check(
        "search_all",
        async |a| Ok(a.search_all(search.clone()).collect::<Vec<_>>().await),
        |b| Ok(b.search_all(search.clone()).collect::<Vec<_>>()),
    );
    (pair.exercised, pair.refused)
}

#[test]
fn every_operation_runs_the_same_through_both_clients_in_every_version() {
    let list: BTreeSet<String> = hubspot_postal::requests::ALL
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .chain(STREAMS.map(str::to_owned))
        .collect();
    for version in ApiVersion::ALL {
        let (exercised, refused) = every_operation(version);
        assert_eq!(
            exercised, list,
            "{version}: the operations run here and the client's list differ"
        );
        // Refused exactly where the operation's row lacks the version (the association
        // listing falls back to batch read, so it is refused nowhere).
        let expected: BTreeSet<String> = hubspot_postal::requests::ALL
            .iter()
            .filter(|(_, e)| e.is_some_and(|e| e.template(version).is_none()))
            .filter(|(name, _)| {
                ![
                    "list_associations",
                    "list_associations_of",
                    "is_associated",
                    "pin",
                ]
                .contains(name)
            })
            .map(|(name, _)| (*name).to_owned())
            .collect();
        assert_eq!(refused, expected, "{version}");
    }
}

#[test]
fn every_row_of_the_endpoint_table_is_an_operation_of_both_clients() {
    for row in ENDPOINTS {
        assert!(
            hubspot_postal::requests::ALL
                .iter()
                .any(|(_, e)| *e == Some(row)),
            "no operation sends to the row {}",
            row.name()
        );
    }
}

#[test]
fn the_builder_has_every_setting_of_the_async_builder() {
    let async_settings = declared(ASYNC_BUILDER_RS, "pub fn ");
    // Every setter, called on the blocking builder, by name.
    let blocking_settings: BTreeSet<String> = {
        let limiter = RateLimiter::unlimited();
        let _ = hubspot_postal_blocking::Client::builder()
            .token("t")
            .base_url("http://127.0.0.1:9")
            .transport(Arc::new(ScriptedTransport::new()))
            .retry_policy(hubspot_postal_blocking::retry::RetryPolicy::default())
            .rate_limiter(limiter)
            .rate_budget(Arc::new(RateLimiter::unlimited()))
            .batch_concurrency(2)
            .api_version(ApiVersion::V3)
            .build();
        [
            "token",
            "base_url",
            "transport",
            "retry_policy",
            "rate_limiter",
            "rate_budget",
            "batch_concurrency",
            "api_version",
            "build",
        ]
        .into_iter()
        .map(str::to_owned)
        .collect()
    };
    assert_eq!(blocking_settings, async_settings);
}

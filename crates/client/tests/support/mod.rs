//! Shared helpers of the operation tests: a client over a [`ScriptedTransport`], a strict
//! request checker, and response bodies shaped like the examples of HubSpot's documentation:
//! the postal mail guide (<https://developers.hubspot.com/docs/api/crm/postal-mail>), the
//! object API guide (<https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis>),
//! the associations v4 guide
//! (<https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide>)
//! and error handling (<https://developers.hubspot.com/docs/api-reference/error-handling>).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{Method, StatusCode, header};
use hubspot_postal::transport::{Request, Response, ScriptedTransport};
use hubspot_postal::{Client, RateLimiter};
use serde_json::{Value, json};

/// A client that sends through `scripted`, never retries and never waits for the limiter.
///
/// It speaks the legacy `v3` track, whose paths these tests spell out; the other versions'
/// paths are checked against HubSpot's specs (`model/tests/spec_paths.rs`) and every
/// operation runs in every version against the emulator (`tests/versions.rs`).
pub fn client_over(scripted: &ScriptedTransport) -> Client {
    Client::builder()
        .api_version(hubspot_postal::model::endpoints::ApiVersion::V3)
        .token("test-token")
        .base_url("https://api.hubapi.com")
        .transport(Arc::new(scripted.clone()))
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(RetryPolicy::never())
        .build()
        .expect("client builds")
}

/// A fresh script and a client over it.
pub fn setup() -> (Client, ScriptedTransport) {
    let scripted = ScriptedTransport::new();
    (client_over(&scripted), scripted)
}

/// The path of a request, without its query.
pub fn path_of(req: &Request) -> &str {
    req.path_and_query
        .split_once('?')
        .map_or(req.path_and_query.as_str(), |(p, _)| p)
}

/// The raw (still percent-encoded) query pairs of a request, in order.
pub fn query_of(req: &Request) -> Vec<(String, String)> {
    match req.path_and_query.split_once('?') {
        None => Vec::new(),
        Some((_, q)) => q
            .split('&')
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect(),
    }
}

/// The value of one query parameter (the first, if repeated).
pub fn query_param(req: &Request, name: &str) -> Option<String> {
    query_of(req)
        .into_iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
}

/// The request body parsed as JSON (panics if absent or not JSON).
pub fn body_of(req: &Request) -> Value {
    let body = req.body.as_ref().expect("request has a body");
    serde_json::from_slice(body).expect("request body is JSON")
}

/// Checks everything about one request: method, path, query (exact, in order, list
/// parameters repeated), `Authorization`, `Content-Type` only with a body, and the JSON body.
#[track_caller]
pub fn assert_request(
    req: &Request,
    method: Method,
    path: &str,
    query: &[(&str, &str)],
    body: Option<Value>,
) {
    assert_eq!(req.method, method, "method of {}", req.path_and_query);
    assert_eq!(path_of(req), path, "path of {}", req.path_and_query);
    let expected_query: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    assert_eq!(
        query_of(req),
        expected_query,
        "query of {}",
        req.path_and_query
    );
    assert_eq!(req.base_url.as_str(), "https://api.hubapi.com");

    let auth: Vec<_> = req.headers.get_all(header::AUTHORIZATION).iter().collect();
    assert_eq!(auth.len(), 1, "exactly one Authorization header");
    assert_eq!(auth[0].to_str().unwrap(), "Bearer test-token");
    assert!(auth[0].is_sensitive(), "Authorization is marked sensitive");
    let accept: Vec<_> = req.headers.get_all(header::ACCEPT).iter().collect();
    assert_eq!(accept.len(), 1, "exactly one Accept header");
    assert_eq!(accept[0].to_str().unwrap(), "application/json");

    let content_type: Vec<_> = req.headers.get_all(header::CONTENT_TYPE).iter().collect();
    match &body {
        Some(expected) => {
            assert_eq!(content_type.len(), 1, "one Content-Type with a body");
            assert_eq!(content_type[0].to_str().unwrap(), "application/json");
            assert_eq!(&body_of(req), expected, "body of {method} {path}");
        }
        None => {
            assert!(
                content_type.is_empty(),
                "no Content-Type without a body, got {content_type:?}"
            );
            // A method that carries a body sends an empty one, for `Content-Length: 0`, as
            // HubSpot's SDKs do; GET and DELETE send none.
            if [Method::PUT, Method::POST, Method::PATCH].contains(&method) {
                assert!(
                    req.body.as_ref().is_some_and(|b| b.is_empty()),
                    "an empty body expected for {method} {path}, got {:?}",
                    req.body
                );
                assert_eq!(
                    req.headers
                        .get(header::CONTENT_LENGTH)
                        .map(|v| v.as_bytes()),
                    Some(b"0".as_slice()),
                    "Content-Length: 0 for {method} {path}"
                );
            } else {
                assert!(
                    req.body.is_none(),
                    "no body expected for {method} {path}, got {:?}",
                    req.body
                );
            }
        }
    }
}

/// A `Response` with an arbitrary (possibly non-JSON) body.
pub fn raw_response(status: u16, body: &str) -> Response {
    Response::new(StatusCode::from_u16(status).unwrap()).with_body(body.to_owned())
}

/// An empty response (204 and the like).
pub fn empty(status: u16) -> Response {
    Response::new(StatusCode::from_u16(status).unwrap())
}

/// A letter at 2021-11-12 (the postal mail guide's create example).
pub fn letter() -> CreatePostalMail {
    CreatePostalMail::new("2021-11-12".parse().unwrap())
}

/// A `SimplePublicObject` postal mail with the given id and extra properties.
pub fn postal_mail(id: &str, extra: &[(&str, &str)]) -> Value {
    let mut props = json!({
        "hs_createdate": "2026-01-05T10:00:00.000Z",
        "hs_lastmodifieddate": "2026-01-05T10:00:00.000Z",
        "hs_object_id": id,
    });
    for (k, v) in extra {
        props[*k] = json!(v);
    }
    json!({
        "id": id,
        "properties": props,
        "createdAt": "2026-01-05T10:00:00.000Z",
        "updatedAt": "2026-01-05T10:00:00.000Z",
        "archived": false,
    })
}

/// The 201 of a create (the postal mail guide's example, with HubSpot's default properties).
pub fn created_example() -> Value {
    json!({ "id": "25727582880",
      "properties": { "hs_createdate": "2026-01-05T10:00:00.000Z", "hs_lastmodifieddate": "2026-01-05T10:00:00.000Z",
        "hs_object_id": "25727582880", "hs_timestamp": "2021-11-12T00:00:00Z",
        "hs_postal_mail_body": "Sent copy of contract to decision maker John", "hubspot_owner_id": "9274996",
        "hs_attachment_ids": "24332474034" },
      "createdAt": "2026-01-05T10:00:00.000Z", "updatedAt": "2026-01-05T10:00:00.000Z", "archived": false })
}

/// One list page with a next cursor (the object API guide's example).
pub fn list_example() -> Value {
    json!({
      "results": [
        {
          "id": "513881705057",
          "properties": {
            "hs_createdate": "2025-12-22T18:16:33.376Z",
            "hs_lastmodifieddate": "2025-12-22T18:16:33.376Z",
            "hs_object_id": "513881705057"
          },
          "createdAt": "2025-12-22T18:16:33.376Z",
          "updatedAt": "2025-12-22T18:16:33.376Z",
          "archived": false,
          "url": "https://app.hubspot.com/contacts/{HubId}/record/0-420/513881705057"
        }
      ],
      "paging": { "next": { "after": "513881705058",
        "link": "https://api.hubapi.com/crm/objects/v3/0-420?limit=1&after=513881705058" } }
    })
}

/// A batch envelope (object API guide) around `results`, with `errors` making it a 207 body.
pub fn batch_body(results: Vec<Value>, errors: Vec<Value>) -> Value {
    let mut body = json!({
        "status": "COMPLETE",
        "results": results,
        "startedAt": "2024-08-15T17:09:13.610Z",
        "completedAt": "2024-08-15T17:09:13.910Z",
    });
    if !errors.is_empty() {
        body["numErrors"] = json!(errors.len());
        body["errors"] = json!(errors);
    }
    body
}

/// A 207 `VALIDATION_ERROR` entry naming create inputs by trace id (error handling guide).
pub fn trace_error(traces: &[&str]) -> Value {
    json!({ "status": "error", "category": "VALIDATION_ERROR",
        "message": "Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"missing\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"missing\"}]",
        "context": { "objectWriteTraceId": traces } })
}

/// A 207 `OBJECT_NOT_FOUND` entry naming inputs by id (object API guide).
pub fn ids_error(ids: &[&str]) -> Value {
    json!({ "status": "error", "category": "OBJECT_NOT_FOUND",
        "message": "Could not get some POSTAL_MAIL objects, they may be deleted or not exist. Check that ids are valid.",
        "context": { "ids": ids } })
}

/// The 400 `VALIDATION_ERROR` body (object API guide).
pub fn validation_error_body() -> Value {
    json!({ "status": "error",
      "message": "Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"testproperty\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"testproperty\",\"localizedErrorMessage\":\"Property \\\"testproperty\\\" does not exist\",\"portalId\":891936587}]",
      "correlationId": "8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c",
      "errors": [ { "message": "Property \"testproperty\" does not exist", "code": "PROPERTY_DOESNT_EXIST", "context": { "propertyName": ["testproperty"] } } ],
      "category": "VALIDATION_ERROR" })
}

/// A v4 association list page (associations v4 guide).
pub fn association_page(to_ids: &[&str], next: Option<&str>) -> Value {
    let results: Vec<Value> = to_ids
        .iter()
        .map(|id| {
            json!({ "toObjectId": id, "associationTypes": [
                { "category": "HUBSPOT_DEFINED", "typeId": 453, "label": null } ] })
        })
        .collect();
    let mut page = json!({ "results": results });
    if let Some(after) = next {
        page["paging"] = json!({ "next": { "after": after } });
    }
    page
}

/// A contact record with the given properties.
pub fn contact(id: &str, props: &[(&str, &str)]) -> Value {
    let mut p = json!({ "hs_object_id": id });
    for (k, v) in props {
        p[*k] = json!(v);
    }
    json!({ "id": id, "properties": p, "createdAt": "2025-01-01T00:00:00.000Z",
        "updatedAt": "2026-01-05T10:00:00.000Z", "archived": false })
}

//! Hostile answers: what the faults that apply a request and then misreport it do to the
//! request and its answer (`apply-STATUS[-html]`, `apply-garbage`, `apply-drift`, `shuffle`,
//! `omit-written`, `omit-unwritten`, `anonymous-error`, `absurd-limit-headers`).
//!
//! The handler always runs, so the store changes exactly as it would without the fault; only
//! `omit-unwritten` and `anonymous-error` first take one seeded input out of a batch, so that
//! input is never written. An answer is changed only when the handler succeeded: a request the
//! emulator refused keeps its real error, so "applied, then misreported" always holds. Every
//! choice comes from a `StdRng` seeded by the fault dice, so a seed and a request sequence
//! give the same answers.

use axum::body::{Body, to_bytes};
use axum::http::response::Parts;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hubspot_postal_model::endpoints::{self, ApiVersion, Endpoint};
use hubspot_postal_model::headers;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{RngExt, SeedableRng};
use serde_json::{Map, Value, json};

use crate::errors::ApiError;
use crate::faults::{FaultAction, path_matches};
use crate::middleware::JSON_CONTENT_TYPE;
use crate::routes::table::route_path;

const HTML_CONTENT_TYPE: &str = "text/html; charset=UTF-8";

/// Batch operations whose answers the batch-only modes change (archive answers 204, no body).
const BATCH_ROWS: [&Endpoint; 4] = [
    &endpoints::BATCH_CREATE,
    &endpoints::BATCH_UPDATE,
    &endpoints::BATCH_UPSERT,
    &endpoints::BATCH_READ,
];

/// The unknown member `apply-drift` adds to every object of an answer.
const DRIFT_FIELD: &str = "hsFutureField";
/// The unknown property, always `null`, `apply-drift` adds to every `properties` map.
const DRIFT_PROPERTY: &str = "hs_future_property";
/// The unknown batch `status` `apply-drift` sends.
const DRIFT_STATUS: &str = "SOMETHING_NEW";

/// Whether `method path` is a batch create, update, upsert or read of an object type, in any
/// API version.
fn is_batch(method: &str, path: &str) -> bool {
    method.eq_ignore_ascii_case("POST")
        && BATCH_ROWS.iter().any(|e| {
            ApiVersion::ALL
                .into_iter()
                .filter_map(|v| e.template(v))
                .any(|t| path_matches(&format!("{}$", route_path(t)), path))
        })
}

/// One request's hostile answer in the making.
#[derive(Debug)]
pub(crate) struct Hostile {
    action: FaultAction,
    rng: StdRng,
    /// An input was taken out of the batch before the handler saw it.
    withheld: bool,
}

impl Hostile {
    /// The hostile answer for a request, or `None` when the fault is not a hostile one or is
    /// a batch-only mode and the request is not a batch create, update, upsert or read (the
    /// request then goes through untouched).
    pub fn new(action: Option<FaultAction>, seed: u64, method: &str, path: &str) -> Option<Self> {
        let action = action.filter(|a| a.is_hostile())?;
        if action.batch_only() && !is_batch(method, path) {
            return None;
        }
        Some(Self {
            action,
            rng: StdRng::seed_from_u64(seed),
            withheld: false,
        })
    }

    /// The fault, for the request log.
    pub fn action(&self) -> FaultAction {
        self.action
    }

    /// Before the handler: `omit-unwritten` and `anonymous-error` remove one seeded input from
    /// the batch body, so it is never written. Other faults, and bodies that are not a batch
    /// with inputs, pass unchanged (the handler then answers as usual).
    pub fn request_body(&mut self, body: Bytes) -> Bytes {
        if !matches!(
            self.action,
            FaultAction::OmitUnwritten | FaultAction::AnonymousError
        ) {
            return body;
        }
        let Ok(mut value) = serde_json::from_slice::<Value>(&body) else {
            return body;
        };
        let Some(inputs) = value
            .get_mut("inputs")
            .and_then(Value::as_array_mut)
            .filter(|i| !i.is_empty())
        else {
            return body;
        };
        let gone = self.rng.random_range(0..inputs.len());
        inputs.remove(gone);
        match serde_json::to_vec(&value) {
            Ok(bytes) => {
                self.withheld = true;
                Bytes::from(bytes)
            }
            Err(_) => body,
        }
    }

    /// After the handler: the answer the client gets, and whether the fault took effect.
    pub async fn answer(mut self, resp: Response, correlation: &str) -> (Response, bool) {
        if self.action == FaultAction::AbsurdLimitHeaders {
            let mut resp = resp;
            absurd_limit_headers(resp.headers_mut(), &mut self.rng);
            return (resp, true);
        }
        if !resp.status().is_success() {
            return (resp, self.withheld);
        }
        match self.action {
            FaultAction::ApplyStatus(code) => {
                return (hubspot_error(resp, code, correlation).await, true);
            }
            FaultAction::ApplyStatusHtml(code) => return (proxy_error(code, &mut self.rng), true),
            _ => {}
        }
        if resp.status() == StatusCode::NO_CONTENT {
            // No body to garble, drift or reorder (archive, association deletes).
            return (resp, self.withheld);
        }
        let (mut parts, body) = resp.into_parts();
        let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
        if self.action == FaultAction::ApplyGarbage {
            let (content_type, body) = garbage(&bytes, &mut self.rng);
            parts
                .headers
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
            return (rebuilt(parts, body), true);
        }
        let Ok(mut value) = serde_json::from_slice::<Value>(&bytes) else {
            return (rebuilt(parts, bytes), self.withheld);
        };
        let changed = match self.action {
            FaultAction::ApplyDrift => {
                drift(&mut value, None);
                if value.get("results").is_some() && value["status"].is_string() {
                    value["status"] = json!(DRIFT_STATUS);
                }
                true
            }
            FaultAction::Shuffle => shuffle(&mut value, &mut self.rng),
            FaultAction::OmitWritten => omit_result(&mut value, &mut self.rng),
            FaultAction::AnonymousError if self.withheld => {
                anonymous_error(&mut value);
                parts.status = StatusCode::MULTI_STATUS;
                true
            }
            _ => self.withheld,
        };
        let bytes = serde_json::to_vec(&value).map(Bytes::from).unwrap_or(bytes);
        (rebuilt(parts, bytes), changed)
    }
}

/// A response from parts and a new body; the old length no longer holds.
fn rebuilt(mut parts: Parts, body: Bytes) -> Response {
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(body))
}

/// `apply-STATUS`: HubSpot's own error body and headers (correlation id, rate limits).
async fn hubspot_error(applied: Response, code: u16, correlation: &str) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let mut resp = ApiError::injected(status).into_response();
    for (name, value) in applied.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            resp.headers_mut().insert(name.clone(), value.clone());
        }
    }
    crate::middleware::finish(resp, correlation).await
}

/// The text Cloudflare puts in its own 52x pages; other statuses use their usual reason.
fn proxy_reason(status: StatusCode) -> &'static str {
    match status.as_u16() {
        520 => "Web server is returning an unknown error",
        521 => "Web server is down",
        522 => "Connection timed out",
        523 => "Origin is unreachable",
        524 => "A timeout occurred",
        525 => "SSL handshake failed",
        526 => "Invalid SSL certificate",
        _ => status.canonical_reason().unwrap_or("Server error"),
    }
}

/// An HTML error page as a CDN in front of HubSpot serves it.
fn html_page(title: &str, ray: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head><meta charset=\"UTF-8\" />\
         <title>api.hubapi.com | {title}</title></head>\n<body>\n<div id=\"cf-error-details\">\
         <h1>{title}</h1><p>The web server reported an error. Please try again in a few \
         minutes.</p>\n<p>Cloudflare Ray ID: <strong>{ray}</strong></p></div>\n</body>\n</html>\n"
    )
}

fn ray_id(rng: &mut StdRng) -> String {
    format!("{:016x}-IAD", rng.random::<u64>())
}

/// `apply-STATUS-html`: the proxy's page, with none of HubSpot's headers (it never saw them).
fn proxy_error(code: u16, rng: &mut StdRng) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::BAD_GATEWAY);
    let ray = ray_id(rng);
    let page = html_page(&format!("{code}: {}", proxy_reason(status)), &ray);
    let mut resp = (
        status,
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static(HTML_CONTENT_TYPE),
        )],
        page,
    )
        .into_response();
    resp.headers_mut()
        .insert(header::SERVER, HeaderValue::from_static("cloudflare"));
    if let Ok(v) = HeaderValue::from_str(&ray) {
        resp.headers_mut()
            .insert(HeaderName::from_static("cf-ray"), v);
    }
    resp
}

/// The kinds of undecodable body `apply-garbage` sends, chosen per request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Garbage {
    /// The real JSON cut in half.
    Truncated,
    Empty,
    Html,
    Text,
}

const GARBAGE: [Garbage; 4] = [
    Garbage::Truncated,
    Garbage::Empty,
    Garbage::Html,
    Garbage::Text,
];

/// What an Envoy-style proxy says when the upstream went away mid-answer.
const GARBAGE_TEXT: &str = "upstream connect error or disconnect/reset before headers. reset reason: connection termination";

/// An undecodable body of a seeded kind, with its content type.
fn garbage(real: &Bytes, rng: &mut StdRng) -> (&'static str, Bytes) {
    match GARBAGE[rng.random_range(0..GARBAGE.len())] {
        Garbage::Truncated => (JSON_CONTENT_TYPE, real.slice(..real.len() / 2)),
        Garbage::Empty => (JSON_CONTENT_TYPE, Bytes::new()),
        Garbage::Html => {
            let page = html_page("Service temporarily unavailable", &ray_id(rng));
            (HTML_CONTENT_TYPE, Bytes::from(page))
        }
        Garbage::Text => ("text/plain", Bytes::from_static(GARBAGE_TEXT.as_bytes())),
    }
}

/// A numeric id string as a JSON number; anything else unchanged.
fn numeric(v: &mut Value) {
    if let Some(n) = v.as_str().and_then(|s| s.parse::<u64>().ok()) {
        *v = json!(n);
    }
}

/// `apply-drift` on one value; `key` is the member name it sits under. Maps keyed by data
/// (`properties`, `propertiesWithHistory`, `associations`, `context`) get entries of their
/// own shape, so the answer stays valid for a tolerant decoder.
fn drift(v: &mut Value, key: Option<&str>) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|i| drift(i, None)),
        Value::Object(map) => match key {
            Some("properties") => {
                map.insert(DRIFT_PROPERTY.into(), Value::Null);
                if let Some(created) = map.get_mut("hs_createdate") {
                    *created = Value::Null;
                }
            }
            Some("propertiesWithHistory" | "associations") => {
                map.values_mut().for_each(|child| drift(child, None));
            }
            Some("context") => {
                map.insert(
                    DRIFT_FIELD.into(),
                    json!(["an entry a future HubSpot adds"]),
                );
            }
            _ => drift_object(map),
        },
        _ => {}
    }
}

fn drift_object(map: &mut Map<String, Value>) {
    map.remove("createdAt");
    for id in ["id", "fromObjectId", "toObjectId"] {
        if let Some(v) = map.get_mut(id) {
            numeric(v);
        }
    }
    for (k, child) in map.iter_mut() {
        drift(child, Some(k));
    }
    map.insert(
        DRIFT_FIELD.into(),
        json!({"addedIn": "a later release", "nested": {"flags": [true, false], "weight": 0.5}}),
    );
}

/// The `results` of a batch answer, if it has any.
fn results(v: &mut Value) -> Option<&mut Vec<Value>> {
    v.get_mut("results")?.as_array_mut()
}

/// `shuffle`: another order (when there are two results or more) and no trace ids.
fn shuffle(v: &mut Value, rng: &mut StdRng) -> bool {
    let Some(results) = results(v) else {
        return false;
    };
    let before = results.clone();
    results.shuffle(rng);
    if results.len() > 1 && *results == before {
        results.rotate_left(1);
    }
    for r in results.iter_mut() {
        if let Some(obj) = r.as_object_mut() {
            obj.remove("objectWriteTraceId");
        }
    }
    true
}

/// `omit-written`: one seeded result left out.
fn omit_result(v: &mut Value, rng: &mut StdRng) -> bool {
    match results(v) {
        Some(results) if !results.is_empty() => {
            let gone = rng.random_range(0..results.len());
            results.remove(gone);
            true
        }
        _ => false,
    }
}

/// `anonymous-error`: an error for the withheld input that names no input.
fn anonymous_error(v: &mut Value) {
    let error = ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "INTERNAL_ERROR",
        "An error occurred while processing one of the inputs.",
    )
    .to_standard_error();
    let Some(obj) = v.as_object_mut() else {
        return;
    };
    let errors = obj
        .entry("errors")
        .or_insert_with(|| Value::Array(Vec::new()));
    if let Some(list) = errors.as_array_mut() {
        list.push(error);
        let n = list.len();
        obj.insert("numErrors".into(), json!(n));
    }
}

/// `absurd-limit-headers`: one seeded set of absurd burst figures.
fn absurd_limit_headers(h: &mut HeaderMap, rng: &mut StdRng) {
    let huge = u64::MAX.to_string();
    let sets: [[&str; 3]; 6] = [
        // [max, remaining, interval ms]
        ["50000000", "49999999", "10000"],
        [&huge, &huge, "10000"],
        ["0", "0", "10000"],
        ["100", "99", "1"],
        ["-100", "-1", "-10000"],
        ["unlimited", "lots", "ten seconds"],
    ];
    let [max, remaining, interval] = sets[rng.random_range(0..sets.len())];
    for (name, value) in [
        (headers::RATE_LIMIT_MAX, max),
        (headers::RATE_LIMIT_REMAINING, remaining),
        (headers::RATE_LIMIT_INTERVAL_MS, interval),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            h.insert(name, v);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_batch_writes_and_reads_are_batch() {
        assert!(is_batch("POST", "/crm/v3/objects/postal_mail/batch/create"));
        assert!(is_batch("post", "/crm/v3/objects/contacts/batch/read"));
        assert!(is_batch(
            "POST",
            "/crm/objects/2026-03/postal_mail/batch/upsert"
        ));
        assert!(!is_batch(
            "POST",
            "/crm/objects/2024-01/postal_mail/batch/upsert"
        ));
        assert!(!is_batch(
            "POST",
            "/crm/v3/objects/postal_mail/batch/archive"
        ));
        assert!(!is_batch("POST", "/crm/v3/objects/postal_mail"));
        assert!(!is_batch("GET", "/crm/v3/objects/postal_mail/batch/read"));
        let plan = Some(FaultAction::Shuffle);
        assert!(Hostile::new(plan, 1, "POST", "/crm/v3/objects/postal_mail").is_none());
        assert!(Hostile::new(Some(FaultAction::Drop), 1, "POST", "/x").is_none());
        assert!(Hostile::new(Some(FaultAction::ApplyDrift), 1, "GET", "/x").is_some());
    }

    #[test]
    fn drift_keeps_id_and_properties_and_changes_the_rest() {
        let mut v = json!({"status": "COMPLETE", "results": [{"id": "7", "properties": {"hs_createdate": "x", "hs_postal_mail_body": "b"},
                           "createdAt": "t", "updatedAt": "t"}], "paging": {"next": {"after": "5"}}});
        drift(&mut v, None);
        let r = &v["results"][0];
        assert_eq!(r["id"], json!(7));
        assert_eq!(r["properties"]["hs_postal_mail_body"], "b");
        assert!(r["properties"]["hs_createdate"].is_null());
        assert!(r["properties"][DRIFT_PROPERTY].is_null());
        assert!(r.get("createdAt").is_none());
        assert!(r[DRIFT_FIELD].is_object());
        assert!(v["paging"][DRIFT_FIELD].is_object());
        assert!(v["paging"]["next"][DRIFT_FIELD].is_object());
        assert!(v[DRIFT_FIELD].is_object());
    }

    #[test]
    fn shuffle_always_reorders_two_or_more() {
        for seed in 0..20 {
            let mut v = json!({"results": [{"id": "1", "objectWriteTraceId": "a"}, {"id": "2", "objectWriteTraceId": "b"}]});
            assert!(shuffle(&mut v, &mut StdRng::seed_from_u64(seed)));
            assert_eq!(v["results"][0]["id"], "2");
            assert!(v["results"][0].get("objectWriteTraceId").is_none());
        }
    }
}

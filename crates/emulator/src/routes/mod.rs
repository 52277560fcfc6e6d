//! The HTTP surface: the API routes (built from the model's endpoint table in [`table`]), the
//! inspection routes, and the helpers handlers share (object type and id parsing, bodies, batch envelopes).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post, put};
use bytes::Bytes;
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paths::OBJECT_ITEM;
use serde_json::{Value, json};

use crate::clock::{format_ms, now_ms};
use crate::errors::{ApiError, ApiResult};
use crate::schema::SUPPORTED;
use crate::state::Shared;

pub(crate) mod associations;
pub(crate) mod inspect;
pub(crate) mod lifecycle;
pub(crate) mod objects;
pub(crate) mod properties;
pub(crate) mod table;

/// Path parameters by name (always strings, so extraction itself cannot fail on content).
pub(crate) type Params = axum::extract::Path<HashMap<String, String>>;

pub(crate) fn param<'a>(p: &'a HashMap<String, String>, name: &str) -> &'a str {
    p.get(name).map_or("", String::as_str)
}

/// A supported object type from a path (`contacts`, `contact`, `0-1`, `postal_mail`, `0-116`).
pub(crate) fn object_type(s: &str) -> ApiResult<ObjectType> {
    match s.parse::<ObjectType>() {
        Ok(t) if SUPPORTED.contains(&t) => Ok(t),
        _ => Err(ApiError::validation(format!(
            "Unable to infer object type from: {s}"
        ))),
    }
}

/// A JSON request body; an empty body is a 400 like HubSpot's.
pub(crate) fn json_body(bytes: &Bytes) -> ApiResult<Value> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid_json("the request body is empty"));
    }
    serde_json::from_slice(bytes).map_err(ApiError::invalid_json)
}

/// `inputs` of a batch body, at most `max`.
pub(crate) fn batch_inputs(body: &Value, max: usize) -> ApiResult<Vec<Value>> {
    let inputs = match body.get("inputs") {
        Some(Value::Array(a)) => a.clone(),
        _ => return Err(ApiError::invalid_json("inputs must be an array")),
    };
    if inputs.len() > max {
        return Err(ApiError::validation(format!(
            "Batch input limit exceeded: {} inputs were sent, the maximum is {max}",
            inputs.len()
        )));
    }
    Ok(inputs)
}

/// The `BatchResponse*` envelope; `errors`/`numErrors` only when there are errors.
pub(crate) fn batch_envelope(started: i64, results: Vec<Value>, errors: Vec<Value>) -> Value {
    let mut v = json!({"status": "COMPLETE", "results": results, "startedAt": format_ms(started), "completedAt": format_ms(now_ms())});
    if !errors.is_empty() {
        v["numErrors"] = json!(errors.len());
        v["errors"] = Value::Array(errors);
    }
    v
}

/// A batch answer: `ok` when every input succeeded, 207 Multi-Status with `errors[]` otherwise.
pub(crate) fn batch_reply(
    ok: StatusCode,
    started: i64,
    results: Vec<Value>,
    errors: Vec<Value>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let status = if errors.is_empty() {
        ok
    } else {
        StatusCode::MULTI_STATUS
    };
    (status, axum::Json(batch_envelope(started, results, errors))).into_response()
}

/// The `errors[]` of a batch read: one `OBJECT_NOT_FOUND` entry naming every missing id, or
/// none.
pub(crate) fn missing_ids_errors(t: &ObjectType, ids: Vec<String>) -> Vec<Value> {
    if ids.is_empty() {
        Vec::new()
    } else {
        vec![missing_ids_error(t, ids)]
    }
}

/// HubSpot's batch `OBJECT_NOT_FOUND` entry for ids that do not exist.
pub(crate) fn missing_ids_error(t: &ObjectType, ids: Vec<String>) -> Value {
    let kind = t.singular().to_ascii_uppercase();
    json!({"status": "error", "category": "OBJECT_NOT_FOUND",
           "message": format!("Could not get some {kind} objects, they may be deleted or not exist. Check that ids are valid."),
           "context": {"ids": ids}})
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        format!("No route for {method} {}", uri.path()),
    )
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    // Routes HubSpot serves that the endpoint table leaves out because the client never
    // calls them: the v3 per-object association listing (the old generic objects client's
    // `GET …/associations/{toObjectType}`) and the labels path of the associations-schema
    // spec (`/crm/associations/v4/…`, rollout 130902).
    let v3_list = format!("{OBJECT_ITEM}/associations/{{toObjectType}}");
    let schema_labels = "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels";
    table::api_routes(Router::new())
        .route(&v3_list, get(associations::v3_list))
        .route(
            schema_labels,
            get(associations::labels).post(associations::create_label),
        )
        .route(hubspot_postal_model::paths::PROPERTY, get(properties::read))
        .route("/__emulator/requests", get(inspect::requests))
        .route("/__emulator/state", get(inspect::state))
        .route("/__emulator/reset", post(inspect::reset))
        .route("/__emulator/faults", put(inspect::set_faults))
        .route("/__emulator/search-lag", put(inspect::set_search_lag))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(
            shared.clone(),
            crate::middleware::hubspot,
        ))
        // The middleware enforces the configured cap with a HubSpot-shaped 413.
        .layer(DefaultBodyLimit::disable())
        .with_state(shared)
}

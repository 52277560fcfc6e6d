//! The HTTP surface: every route, built from the model's path templates, and the helpers
//! handlers share (object type and id parsing, bodies, batch envelopes).

use std::collections::HashMap;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::{Method, StatusCode, Uri};
use axum::routing::{get, post, put};
use bytes::Bytes;
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paths::{
    ASSOCIATION_V4, ASSOCIATION_V4_BATCH, ASSOCIATION_V4_DEFAULT, ASSOCIATION_V4_LABELS,
    ASSOCIATION_V4_LIST, ASSOCIATIONS_V3_BATCH, OBJECT_ITEM, OBJECTS, V4BatchAction,
};
use serde_json::{Value, json};

use crate::clock::{format_ms, now_ms};
use crate::errors::{ApiError, ApiResult};
use crate::schema::SUPPORTED;
use crate::state::Shared;

pub(crate) mod associations;
pub(crate) mod inspect;
pub(crate) mod objects;

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
    let v4_batch =
        |action: V4BatchAction| ASSOCIATION_V4_BATCH.replace("{action}", action.as_str());
    let labels_new = "/crm/associations/v4/{fromObjectType}/{toObjectType}/labels";
    Router::new()
        .route(OBJECTS, get(objects::list).post(objects::create))
        .route(
            OBJECT_ITEM,
            get(objects::read)
                .patch(objects::update)
                .delete(objects::archive),
        )
        .route(&format!("{OBJECTS}/batch/{{action}}"), post(objects::batch))
        .route(&format!("{OBJECTS}/search"), post(objects::search))
        .route(
            &format!("{OBJECT_ITEM}/associations/{{toObjectType}}"),
            get(associations::v3_list),
        )
        .route(
            &format!(
                "{OBJECT_ITEM}/associations/{{toObjectType}}/{{toObjectId}}/{{associationTypeId}}"
            ),
            put(associations::v3_put).delete(associations::v3_delete),
        )
        .route(ASSOCIATIONS_V3_BATCH, post(associations::v3_batch))
        .route(
            ASSOCIATION_V4,
            put(associations::v4_put).delete(associations::v4_delete),
        )
        .route(ASSOCIATION_V4_DEFAULT, put(associations::v4_put_default))
        .route(ASSOCIATION_V4_LIST, get(associations::v4_list))
        .route(
            &v4_batch(V4BatchAction::Read),
            post(associations::v4_batch_read),
        )
        .route(
            &v4_batch(V4BatchAction::Create),
            post(associations::v4_batch_create),
        )
        .route(
            &v4_batch(V4BatchAction::Archive),
            post(associations::v4_batch_archive),
        )
        .route(
            &v4_batch(V4BatchAction::LabelsArchive),
            post(associations::v4_batch_labels_archive),
        )
        .route(
            &v4_batch(V4BatchAction::AssociateDefault),
            post(associations::v4_batch_default),
        )
        .route(
            ASSOCIATION_V4_LABELS,
            get(associations::labels).post(associations::create_label),
        )
        .route(
            labels_new,
            get(associations::labels).post(associations::create_label),
        )
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

//! `/__emulator/*`: the request log, a dump of the state, reset, fault plans and the search
//! lag, for tests written in other languages. These routes need no token and are not logged or limited.

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::{Value, json};

use crate::config::parse_duration;
use crate::errors::{ApiError, ApiResult};
use crate::faults::FaultPlan;
use crate::render::{ReadOpts, labelled_types, object_json};
use crate::state::{Shared, lock};

pub(crate) async fn requests(State(s): State<Arc<Shared>>) -> Json<Value> {
    let log = lock(&s.log);
    let entries: Vec<Value> = log
        .iter()
        .map(|r| {
            json!({"method": r.method, "path": r.path, "status": r.status, "fault": r.fault,
                   "atMillis": r.at.saturating_duration_since(s.started).as_millis() as u64})
        })
        .collect();
    Json(Value::Array(entries))
}

/// Every object (archived ones too), every association once per pair, and the labels.
pub(crate) fn state_json(s: &Shared) -> Value {
    let store = lock(&s.store);
    let mut objects = serde_json::Map::new();
    for (t, table) in &store.objects {
        let list: Vec<Value> = table
            .iter()
            .map(|(id, o)| object_json(&store, t, *id, o, &ReadOpts::written()))
            .collect();
        objects.insert(t.plural().to_owned(), Value::Array(list));
    }
    let associations: Vec<Value> = store
        .all_pairs()
        .into_iter()
        .map(|(a, b, labels)| {
            json!({"from": {"objectType": a.0.plural(), "id": a.1.to_string()},
                   "to": {"objectType": b.0.plural(), "id": b.1.to_string()},
                   "types": labelled_types(&store, &a.0, &labels)})
        })
        .collect();
    let labels: Vec<Value> = store
        .labels
        .iter()
        .map(|l| {
            json!({"from": l.from.plural(), "to": l.to.plural(), "category": l.category, "typeId": l.forward,
                   "inverseTypeId": l.inverse, "label": l.label, "inverseLabel": l.inverse_label})
        })
        .collect();
    json!({"objects": objects, "associations": associations, "labels": labels})
}

pub(crate) async fn state(State(s): State<Arc<Shared>>) -> Json<Value> {
    Json(state_json(&s))
}

pub(crate) async fn reset(State(s): State<Arc<Shared>>) -> StatusCode {
    s.reset();
    StatusCode::NO_CONTENT
}

/// Body: a fault spec in the `--faults` syntax (empty clears).
pub(crate) async fn set_faults(State(s): State<Arc<Shared>>, body: Bytes) -> ApiResult<StatusCode> {
    let text = std::str::from_utf8(&body).map_err(ApiError::invalid_json)?;
    let plan: FaultPlan = text.parse().map_err(ApiError::validation)?;
    s.set_faults(plan);
    Ok(StatusCode::NO_CONTENT)
}

/// Body: a duration in the `--search-lag` syntax (`3s`, `500ms`, `0s`).
pub(crate) async fn set_search_lag(
    State(s): State<Arc<Shared>>,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let text = std::str::from_utf8(&body).map_err(ApiError::invalid_json)?;
    let lag = parse_duration(text.trim()).map_err(ApiError::validation)?;
    s.set_search_lag(lag);
    Ok(StatusCode::NO_CONTENT)
}

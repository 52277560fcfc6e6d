//! Merge and GDPR delete: the two date-based operations that end a record (`POST
//! …/{objectType}/merge` and `…/gdpr-delete`, in the versions whose specs list them).
//!
//! Merge answers 200 with the primary (`SimplePublicObject`) after archiving the merged
//! record and moving its associations and pins to the primary; GDPR delete answers 204 and
//! removes the record for good, so not even an archived read finds it. An id that matches
//! nothing is a 404 `OBJECT_NOT_FOUND` for both (our choice; the specs list only the success
//! codes).

use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use bytes::Bytes;
use serde_json::Value;

use super::objects::find;
use super::{Params, json_body, object_type, param};
use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::render::{ReadOpts, object_json};
use crate::state::{Shared, lock};
use crate::writes::json_id;

/// A required id member of a body (`PublicMergeInput`, `PublicGdprDeleteInput`), as text.
fn id_member(body: &Value, name: &str) -> ApiResult<String> {
    match body.get(name) {
        Some(Value::String(s)) if !s.is_empty() => Ok(s.clone()),
        Some(Value::Number(n)) => Ok(n.to_string()),
        _ => Err(ApiError::invalid_json(format!("{name} is required"))),
    }
}

pub(crate) async fn merge(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let body = json_body(&body)?;
    let primary_raw = id_member(&body, "primaryObjectId")?;
    let merged_raw = id_member(&body, "objectIdToMerge")?;
    let mut store = lock(&s.store);
    let live = |raw: &str| {
        json_id(Some(&Value::String(raw.to_owned())))
            .filter(|id| store.live(&t, *id).is_some())
            .ok_or_else(|| ApiError::not_found(raw))
    };
    let (primary, merged) = (live(&primary_raw)?, live(&merged_raw)?);
    if primary == merged {
        return Err(ApiError::validation(format!(
            "Cannot merge {} {primary} into itself",
            t.singular()
        )));
    }
    store.merge(&t, primary, merged, now_ms());
    let obj = store
        .obj(&t, primary)
        .map(|o| object_json(&store, &t, primary, o, &ReadOpts::written()))
        .ok_or_else(|| ApiError::not_found(&primary_raw))?;
    Ok(Json(obj))
}

pub(crate) async fn gdpr_delete(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let t = object_type(param(&p, "objectType"))?;
    let body = json_body(&body)?;
    let raw = id_member(&body, "objectId")?;
    let id_property = body.get("idProperty").and_then(Value::as_str);
    let mut store = lock(&s.store);
    // GDPR deletion reaches archived records too: they are still stored.
    let id = find(&store, &t, &raw, id_property, false)
        .or_else(|| find(&store, &t, &raw, id_property, true))
        .ok_or_else(|| ApiError::not_found(&raw))?;
    store.purge(&t, id, now_ms());
    Ok(StatusCode::NO_CONTENT)
}

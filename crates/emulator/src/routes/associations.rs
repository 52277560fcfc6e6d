//! Association endpoints: the v3 per-object PUT/DELETE/GET and v3 batch, and the v4 labelled
//! and default PUTs, DELETE, list, the five batch operations and the label registry.
//!
//! Choices for UNCONFIRMED facts (see docs/emulator.md): the v3 PUT answers 200 with the
//! object and its `associations`; a missing record on either end is a 404
//! `OBJECT_NOT_FOUND`; a v4 labelled PUT replaces the labels between the pair and keeps the
//! unlabelled default; v4 ids in `toObjectId`/`fromObjectId` are JSON numbers, as in the docs.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hubspot_postal_model::association::AssociationTypeId;
use hubspot_postal_model::endpoints::ApiVersion;
use hubspot_postal_model::limits::{
    ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS, ASSOCIATIONS_BATCH_READ_MAX_INPUTS,
    ASSOCIATIONS_LIST_PAGE_SIZE,
};
use hubspot_postal_model::object_type::ObjectType;
use serde_json::{Value, json};

use super::{
    Params, batch_envelope, batch_inputs, batch_reply, json_body, missing_ids_errors, object_type,
    param,
};
use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult};
use crate::query::Query;
use crate::render::{
    PropSel, ReadOpts, associations_json, labelled_types, object_json, v3_type_name,
};
use crate::state::{Shared, lock};
use crate::store::{Node, Store};
use crate::writes::{json_id, json_type_id, parse_id};

/// The larger of the v4 batch limits applies to the batch endpoints whose limit is UNCONFIRMED.
const V4_OTHER_BATCH_MAX: usize = ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS;

fn live_node(store: &Store, t: &ObjectType, raw: &str) -> ApiResult<Node> {
    match parse_id(raw) {
        Some(id) if store.live(t, id).is_some() => Ok((t.clone(), id)),
        _ => Err(ApiError::not_found(raw).with_context("objectType", vec![t.plural().to_owned()])),
    }
}

fn live_node_id(store: &Store, t: &ObjectType, id: Option<u64>, raw: &Value) -> ApiResult<Node> {
    match id {
        Some(id) if store.live(t, id).is_some() => Ok((t.clone(), id)),
        _ => {
            let shown = match raw {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Err(ApiError::not_found(&shown).with_context("objectType", vec![t.plural().to_owned()]))
        }
    }
}

fn bad_type(from: &ObjectType, to: &ObjectType, type_id: impl std::fmt::Display) -> ApiError {
    ApiError::validation(format!(
        "{type_id} is not a valid association type between {} and {}",
        from.singular(),
        to.singular()
    ))
}

fn resolve(store: &Store, from: &ObjectType, to: &ObjectType, type_id: u32) -> ApiResult<usize> {
    store
        .resolve_type(from, to, type_id)
        .ok_or_else(|| bad_type(from, to, type_id))
}

fn id_json(id: u64) -> Value {
    json!(id)
}

/// `LabelsBetweenObjectPair` from `from`'s side.
fn labels_between_pair(store: &Store, from: &Node, to: &Node) -> Value {
    let labels: Vec<Value> = store
        .pair(from, to)
        .into_iter()
        .flatten()
        .filter_map(|i| store.labels.get(*i))
        .filter_map(|l| l.view(&from.0).1.map(|s| json!(s)))
        .collect();
    json!({
        "fromObjectTypeId": from.0.type_id().unwrap_or(from.0.plural()),
        "fromObjectId": id_json(from.1),
        "toObjectTypeId": to.0.type_id().unwrap_or(to.0.plural()),
        "toObjectId": id_json(to.1),
        "labels": labels,
    })
}

fn associated_records(store: &Store, from: &Node, to: &ObjectType) -> Vec<Value> {
    store
        .neighbours(from, to)
        .into_iter()
        .map(|(id, labels)| json!({"toObjectId": id_json(id), "associationTypes": labelled_types(store, &from.0, &labels)}))
        .collect()
}

/// `types` of a v4 input: association specs, each a known type between the pair.
fn spec_indexes(
    store: &Store,
    from: &ObjectType,
    to: &ObjectType,
    specs: Option<&Value>,
) -> ApiResult<Vec<usize>> {
    let Some(Value::Array(specs)) = specs else {
        return Err(ApiError::invalid_json(
            "expected an array of association specs",
        ));
    };
    specs
        .iter()
        .map(|s| {
            let id = json_type_id(s.get("associationTypeId"))
                .ok_or_else(|| ApiError::invalid_json("associationTypeId must be an integer"))?;
            resolve(store, from, to, id)
        })
        .collect()
}

/// The object types of an association batch path and the inputs of its body (at most `max`),
/// checked in that order.
fn pair_batch(
    p: &std::collections::HashMap<String, String>,
    body: &Bytes,
    max: usize,
) -> ApiResult<(ObjectType, ObjectType, Vec<Value>)> {
    let (from_t, to_t) = types_pair(p)?;
    let inputs = batch_inputs(&json_body(body)?, max)?;
    Ok((from_t, to_t, inputs))
}

fn types_pair(
    p: &std::collections::HashMap<String, String>,
) -> ApiResult<(ObjectType, ObjectType)> {
    Ok((
        object_type(param(p, "fromObjectType"))?,
        object_type(param(p, "toObjectType"))?,
    ))
}

// ---- v3 per object ----

/// The type id of a per-object path segment: a number, or a snake-case name in the versions
/// that still resolve them.
fn path_type_id(
    version: ApiVersion,
    from: &ObjectType,
    to: &ObjectType,
    raw: &str,
) -> ApiResult<AssociationTypeId> {
    let parsed = if version.resolves_snake_case_association_names() {
        AssociationTypeId::parse_v3(raw)
    } else {
        raw.parse().ok().map(AssociationTypeId)
    };
    parsed.ok_or_else(|| bad_type(from, to, raw))
}

pub(crate) async fn v3_put(
    State(s): State<Arc<Shared>>,
    Extension(version): Extension<ApiVersion>,
    axum::extract::Path(p): Params,
) -> ApiResult<Json<Value>> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let type_id = path_type_id(version, &from_t, &to_t, param(&p, "associationTypeId"))?;
    let mut store = lock(&s.store);
    let idx = resolve(&store, &from_t, &to_t, type_id.0)?;
    let from = live_node(&store, &from_t, param(&p, "objectId"))?;
    let to = live_node(&store, &to_t, param(&p, "toObjectId"))?;
    store.associate(&from, &to, idx);
    let opts = ReadOpts {
        props: PropSel::Requested(Vec::new()),
        history: Vec::new(),
        associations: vec![to_t],
    };
    let obj = store
        .obj(&from.0, from.1)
        .map(|o| object_json(&store, &from.0, from.1, o, &opts));
    Ok(Json(obj.unwrap_or(Value::Null)))
}

pub(crate) async fn v3_delete(
    State(s): State<Arc<Shared>>,
    Extension(version): Extension<ApiVersion>,
    axum::extract::Path(p): Params,
) -> ApiResult<StatusCode> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let type_id = path_type_id(version, &from_t, &to_t, param(&p, "associationTypeId"))?;
    let mut store = lock(&s.store);
    let idx = resolve(&store, &from_t, &to_t, type_id.0)?;
    if let (Some(a), Some(b)) = (
        parse_id(param(&p, "objectId")),
        parse_id(param(&p, "toObjectId")),
    ) {
        store.remove_label(&(from_t, a), &(to_t, b), idx, now_ms());
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn v3_list(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<Json<Value>> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let store = lock(&s.store);
    let from = live_node(&store, &from_t, param(&p, "objectId"))?;
    let assoc = associations_json(&store, &from.0, from.1, std::slice::from_ref(&to_t));
    let results = assoc
        .get(to_t.plural())
        .and_then(|v| v.get("results"))
        .cloned()
        .unwrap_or(json!([]));
    Ok(Json(json!({"results": results})))
}

// ---- v3 batch ----

fn v3_type(
    store: &Store,
    from: &ObjectType,
    to: &ObjectType,
    v: Option<&Value>,
) -> ApiResult<usize> {
    let id = match v {
        Some(Value::String(s)) => AssociationTypeId::parse_v3(s).map(|t| t.0),
        Some(Value::Number(n)) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        _ => None,
    };
    match id {
        Some(id) => resolve(store, from, to, id),
        None => Err(ApiError::invalid_json(
            "inputs[].type must be an association type",
        )),
    }
}

/// The v3 batch endpoints; `action` is the path's last segment (`create`, `read`, `archive`).
pub(crate) async fn v3_batch(
    action: &'static str,
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let (from_t, to_t) = types_pair(&p)?;
    let body = json_body(&body)?;
    let started = now_ms();
    let mut store = lock(&s.store);
    match action {
        "create" => {
            let inputs = batch_inputs(&body, ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS)?;
            let (mut results, mut errors) = (Vec::new(), Vec::new());
            for i in &inputs {
                let idx = v3_type(&store, &from_t, &to_t, i.get("type"))?;
                let from_raw = i
                    .get("from")
                    .and_then(|f| f.get("id"))
                    .cloned()
                    .unwrap_or(Value::Null);
                let to_raw = i
                    .get("to")
                    .and_then(|f| f.get("id"))
                    .cloned()
                    .unwrap_or(Value::Null);
                let ends = live_node_id(&store, &from_t, json_id(Some(&from_raw)), &from_raw)
                    .and_then(|a| {
                        live_node_id(&store, &to_t, json_id(Some(&to_raw)), &to_raw).map(|b| (a, b))
                    });
                match ends {
                    Ok((a, b)) => {
                        store.associate(&a, &b, idx);
                        results.push(
                            json!({"from": {"id": a.1.to_string()}, "to": {"id": b.1.to_string()},
                                            "type": v3_type_name(&store, idx, &from_t, &to_t)}),
                        );
                    }
                    Err(e) => errors.push(e.to_standard_error()),
                }
            }
            Ok(batch_reply(StatusCode::CREATED, started, results, errors))
        }
        "read" => {
            let inputs = batch_inputs(&body, ASSOCIATIONS_BATCH_READ_MAX_INPUTS)?;
            let (mut results, mut missing) = (Vec::new(), Vec::new());
            for i in &inputs {
                let raw = i.get("id").cloned().unwrap_or(Value::Null);
                match live_node_id(&store, &from_t, json_id(Some(&raw)), &raw) {
                    Ok(node) => {
                        let assoc =
                            associations_json(&store, &node.0, node.1, std::slice::from_ref(&to_t));
                        let to = assoc
                            .get(to_t.plural())
                            .and_then(|v| v.get("results"))
                            .cloned()
                            .unwrap_or(json!([]));
                        results.push(json!({"from": {"id": node.1.to_string()}, "to": to}));
                    }
                    Err(_) => missing.push(match raw {
                        Value::String(s) => s,
                        other => other.to_string(),
                    }),
                }
            }
            let errors = missing_ids_errors(&from_t, missing);
            Ok(batch_reply(StatusCode::OK, started, results, errors))
        }
        "archive" => {
            let inputs = batch_inputs(&body, ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS)?;
            let mut plan = Vec::new();
            for i in &inputs {
                let idx = v3_type(&store, &from_t, &to_t, i.get("type"))?;
                let a = json_id(i.get("from").and_then(|f| f.get("id")));
                let b = json_id(i.get("to").and_then(|f| f.get("id")));
                if let (Some(a), Some(b)) = (a, b) {
                    plan.push((a, b, idx));
                }
            }
            let now = now_ms();
            for (a, b, idx) in plan {
                store.remove_label(&(from_t.clone(), a), &(to_t.clone(), b), idx, now);
            }
            Ok(StatusCode::NO_CONTENT.into_response())
        }
        other => Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            format!("No batch action {other}"),
        )),
    }
}

// ---- v4 per object ----

pub(crate) async fn v4_put(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let body = json_body(&body)?;
    let mut store = lock(&s.store);
    let mut set: BTreeSet<usize> = spec_indexes(&store, &from_t, &to_t, Some(&body))?
        .into_iter()
        .collect();
    let from = live_node(&store, &from_t, param(&p, "objectId"))?;
    let to = live_node(&store, &to_t, param(&p, "toObjectId"))?;
    // A labelled association is also an association: the unlabelled default stays.
    if let Some(d) = store.default_label(&from_t, &to_t) {
        set.insert(d);
    }
    store.set_pair(&from, &to, set, now_ms());
    Ok((
        StatusCode::CREATED,
        Json(labels_between_pair(&store, &from, &to)),
    )
        .into_response())
}

pub(crate) async fn v4_put_default(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<Json<Value>> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let started = now_ms();
    let mut store = lock(&s.store);
    let idx = store
        .default_label(&from_t, &to_t)
        .ok_or_else(|| bad_type(&from_t, &to_t, "default"))?;
    let from = live_node(&store, &from_t, param(&p, "objectId"))?;
    let to = live_node(&store, &to_t, param(&p, "toObjectId"))?;
    store.associate(&from, &to, idx);
    let result = default_result(&store, &from, &to, idx);
    Ok(Json(batch_envelope(started, vec![result], Vec::new())))
}

fn default_result(store: &Store, from: &Node, to: &Node, idx: usize) -> Value {
    let type_id = store.labels.get(idx).map_or(0, |l| l.view(&from.0).0);
    json!({"from": {"id": from.1.to_string()}, "to": {"id": to.1.to_string()},
           "associationSpec": {"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": type_id}})
}

/// Removes every association between the pair (S-A4); idempotent.
pub(crate) async fn v4_delete(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<StatusCode> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    if let (Some(a), Some(b)) = (
        parse_id(param(&p, "objectId")),
        parse_id(param(&p, "toObjectId")),
    ) {
        lock(&s.store).remove_pair(&(from_t, a), &(to_t, b), now_ms());
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn v4_list(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let from_t = object_type(param(&p, "objectType"))?;
    let to_t = object_type(param(&p, "toObjectType"))?;
    let q = Query::parse(raw.as_deref());
    let limit = q.limit(ASSOCIATIONS_LIST_PAGE_SIZE, ASSOCIATIONS_LIST_PAGE_SIZE)? as usize;
    let after: usize = match q.get("after") {
        None | Some("") => 0,
        Some(a) => a
            .parse()
            .map_err(|_| ApiError::validation(format!("Invalid after cursor: {a}")))?,
    };
    let store = lock(&s.store);
    let from = live_node(&store, &from_t, param(&p, "objectId"))?;
    let all = associated_records(&store, &from, &to_t);
    let end = after.saturating_add(limit).min(all.len());
    let page = all
        .get(after.min(end)..end)
        .map(<[Value]>::to_vec)
        .unwrap_or_default();
    let mut out = json!({"results": page});
    if end < all.len() {
        out["paging"] =
            json!({"next": {"after": end.to_string(), "link": format!("?after={end}")}});
    }
    Ok(Json(out))
}

// ---- v4 batch ----

fn ends(
    store: &Store,
    from_t: &ObjectType,
    to_t: &ObjectType,
    input: &Value,
) -> ApiResult<(Node, Node)> {
    let from_raw = input
        .get("from")
        .and_then(|f| f.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    let to_raw = input
        .get("to")
        .and_then(|f| f.get("id"))
        .cloned()
        .unwrap_or(Value::Null);
    let a = live_node_id(store, from_t, json_id(Some(&from_raw)), &from_raw)?;
    let b = live_node_id(store, to_t, json_id(Some(&to_raw)), &to_raw)?;
    Ok((a, b))
}

pub(crate) async fn v4_batch_read(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let (from_t, to_t, inputs) = pair_batch(&p, &body, ASSOCIATIONS_BATCH_READ_MAX_INPUTS)?;
    let started = now_ms();
    let store = lock(&s.store);
    let (mut results, mut missing) = (Vec::new(), Vec::new());
    for i in &inputs {
        let raw = i.get("id").cloned().unwrap_or(Value::Null);
        match live_node_id(&store, &from_t, json_id(Some(&raw)), &raw) {
            Ok(node) => {
                results.push(json!({"from": {"id": node.1.to_string()}, "to": associated_records(&store, &node, &to_t)}));
            }
            Err(_) => missing.push(match raw {
                Value::String(s) => s,
                other => other.to_string(),
            }),
        }
    }
    let errors = missing_ids_errors(&from_t, missing);
    Ok(batch_reply(StatusCode::OK, started, results, errors))
}

/// Adds the given labels (and the default) between each pair; inputs with a missing record
/// are reported per input (207).
pub(crate) async fn v4_batch_create(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let (from_t, to_t, inputs) = pair_batch(&p, &body, ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS)?;
    let started = now_ms();
    let mut store = lock(&s.store);
    let mut plan = Vec::new();
    for i in &inputs {
        plan.push(spec_indexes(&store, &from_t, &to_t, i.get("types"))?);
    }
    let default = store.default_label(&from_t, &to_t);
    let (mut results, mut errors) = (Vec::new(), Vec::new());
    for (i, idxs) in inputs.iter().zip(plan) {
        match ends(&store, &from_t, &to_t, i) {
            Ok((a, b)) => {
                for idx in idxs.into_iter().chain(default) {
                    store.associate(&a, &b, idx);
                }
                results.push(labels_between_pair(&store, &a, &b));
            }
            Err(e) => errors.push(e.to_standard_error()),
        }
    }
    Ok(batch_reply(StatusCode::CREATED, started, results, errors))
}

pub(crate) async fn v4_batch_archive(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let (from_t, to_t, inputs) = pair_batch(&p, &body, V4_OTHER_BATCH_MAX)?;
    let mut plan = Vec::new();
    for i in &inputs {
        let a = json_id(i.get("from").and_then(|f| f.get("id")));
        let Some(Value::Array(tos)) = i.get("to") else {
            return Err(ApiError::invalid_json(
                "inputs[].to must be an array of {id}",
            ));
        };
        for to in tos {
            if let (Some(a), Some(b)) = (a, json_id(to.get("id"))) {
                plan.push((a, b));
            }
        }
    }
    let mut store = lock(&s.store);
    let now = now_ms();
    for (a, b) in plan {
        store.remove_pair(&(from_t.clone(), a), &(to_t.clone(), b), now);
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn v4_batch_labels_archive(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<StatusCode> {
    let (from_t, to_t, inputs) = pair_batch(&p, &body, V4_OTHER_BATCH_MAX)?;
    let mut store = lock(&s.store);
    let mut plan = Vec::new();
    for i in &inputs {
        let idxs = spec_indexes(&store, &from_t, &to_t, i.get("types"))?;
        let a = json_id(i.get("from").and_then(|f| f.get("id")));
        let b = json_id(i.get("to").and_then(|f| f.get("id")));
        if let (Some(a), Some(b)) = (a, b) {
            plan.push((a, b, idxs));
        }
    }
    let now = now_ms();
    for (a, b, idxs) in plan {
        for idx in idxs {
            store.remove_label(&(from_t.clone(), a), &(to_t.clone(), b), idx, now);
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn v4_batch_default(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let (from_t, to_t, inputs) = pair_batch(&p, &body, V4_OTHER_BATCH_MAX)?;
    let started = now_ms();
    let mut store = lock(&s.store);
    let idx = store
        .default_label(&from_t, &to_t)
        .ok_or_else(|| bad_type(&from_t, &to_t, "default"))?;
    let (mut results, mut errors) = (Vec::new(), Vec::new());
    for i in &inputs {
        match ends(&store, &from_t, &to_t, i) {
            Ok((a, b)) => {
                store.associate(&a, &b, idx);
                results.push(default_result(&store, &a, &b, idx));
            }
            Err(e) => errors.push(e.to_standard_error()),
        }
    }
    Ok(batch_reply(StatusCode::OK, started, results, errors))
}

// ---- labels ----

pub(crate) async fn labels(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<Json<Value>> {
    let (from_t, to_t) = types_pair(&p)?;
    let store = lock(&s.store);
    let idxs = store.labels_between(&from_t, &to_t);
    Ok(Json(
        json!({"results": labelled_types(&store, &from_t, &idxs)}),
    ))
}

/// Creates a user-defined label pair: `{"label": "Sender", "name": "sender", "inverseLabel"?}`.
pub(crate) async fn create_label(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let (from_t, to_t) = types_pair(&p)?;
    let body = json_body(&body)?;
    let label = body
        .get("label")
        .and_then(Value::as_str)
        .filter(|l| !l.trim().is_empty())
        .ok_or_else(|| ApiError::invalid_json("label must be a non-empty string"))?
        .to_owned();
    let inverse = body
        .get("inverseLabel")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut store = lock(&s.store);
    let idx = store.add_label(&from_t, &to_t, label, inverse, None);
    Ok(Json(
        json!({"results": labelled_types(&store, &from_t, &[idx])
        .into_iter()
        .chain(store.labels.get(idx).map(|l| json!({"category": l.category, "typeId": l.inverse, "label": l.inverse_label})))
        .collect::<Vec<_>>()}),
    ))
}

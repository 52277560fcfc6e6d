//! Object endpoints for postal mail and the record types (`/crm/v3/objects/{objectType}`):
//! list, create, read, update, archive, the five batch operations and search.
//!
//! One implementation serves every supported type; the per-type rules (required
//! `hs_timestamp`, body length, the pin rule on records) live in the schema and in `writes`.

use std::collections::BTreeSet;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Extension, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use hubspot_postal_model::endpoints::ApiVersion;
use hubspot_postal_model::limits::{BATCH_MAX_INPUTS, DEFAULT_PAGE_SIZE, LIST_MAX_PAGE_SIZE};
use hubspot_postal_model::object_type::ObjectType;
use serde_json::{Value, json};

use super::{
    Params, batch_inputs, batch_reply, json_body, missing_ids_error, missing_ids_errors,
    object_type, param,
};
use crate::clock::now_ms;
use crate::errors::{ApiError, ApiResult, PropertyProblem};
use crate::query::Query;
use crate::render::{PropSel, ReadOpts, object_json};
use crate::state::{Shared, lock};
use crate::store::Store;
use crate::writes::{self, Mode, apply_create, apply_update, prepare_create, prepare_update};

/// `properties`, `propertiesWithHistory` and `associations` of a read; unknown association
/// types are ignored, as S-PM3 says.
fn read_opts(q: &Query) -> ReadOpts {
    ReadOpts {
        props: PropSel::Requested(q.list("properties")),
        history: q.list("propertiesWithHistory"),
        associations: q
            .list("associations")
            .iter()
            .filter_map(|a| super::object_type(a).ok())
            .collect(),
    }
}

/// Finds an object by id, or by a unique property when `idProperty` names one.
pub(crate) fn find(
    store: &Store,
    t: &ObjectType,
    raw: &str,
    id_property: Option<&str>,
    archived: bool,
) -> Option<u64> {
    match id_property.filter(|p| !p.is_empty() && *p != "hs_object_id") {
        Some(prop) => store
            .table(t)?
            .iter()
            .find(|(_, o)| {
                o.is_archived() == archived && o.props.get(prop).map(String::as_str) == Some(raw)
            })
            .map(|(id, _)| *id),
        None => writes::parse_id(raw).filter(|id| {
            store
                .obj(t, *id)
                .is_some_and(|o| o.is_archived() == archived)
        }),
    }
}

fn after_cursor(q: &Query) -> ApiResult<u64> {
    match q.get("after") {
        None | Some("") => Ok(0),
        Some(a) => a
            .parse()
            .map_err(|_| ApiError::validation(format!("Invalid after cursor: {a}"))),
    }
}

pub(crate) async fn list(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    RawQuery(raw): RawQuery,
    uri: Uri,
    headers: HeaderMap,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let q = Query::parse(raw.as_deref());
    // Above 100 the page is clamped to 100 (UNCONFIRMED; see docs/emulator.md).
    let limit = q.limit(DEFAULT_PAGE_SIZE, LIST_MAX_PAGE_SIZE)? as usize;
    let archived = q.bool("archived")?;
    let after = after_cursor(&q)?;
    let opts = read_opts(&q);
    let store = lock(&s.store);
    let mut rows = store
        .table(&t)
        .into_iter()
        .flat_map(|m| m.range(after..))
        .filter(|(_, o)| o.is_archived() == archived);
    let page: Vec<Value> = rows
        .by_ref()
        .take(limit)
        .map(|(id, o)| object_json(&store, &t, *id, o, &opts))
        .collect();
    let next = rows.next().map(|(id, _)| *id);
    drop(store);
    let mut out = json!({"results": page});
    if let Some(next) = next {
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("localhost");
        // The link repeats the path asked for, so it stays in the caller's API version.
        let link = format!("http://{host}{}?limit={limit}&after={next}", uri.path());
        out["paging"] = json!({"next": {"after": next.to_string(), "link": link}});
    }
    Ok(Json(out))
}

pub(crate) async fn create(
    State(s): State<Arc<Shared>>,
    Extension(version): Extension<ApiVersion>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Response> {
    let t = object_type(param(&p, "objectType"))?;
    let body = json_body(&body)?;
    let mut store = lock(&s.store);
    let prepared = prepare_create(&store, &t, &body, version)?;
    let id = apply_create(&mut store, &t, prepared, now_ms());
    let obj = store
        .obj(&t, id)
        .map(|o| object_json(&store, &t, id, o, &ReadOpts::written()));
    Ok((StatusCode::CREATED, Json(obj.unwrap_or(Value::Null))).into_response())
}

pub(crate) async fn read(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let raw_id = param(&p, "objectId");
    let q = Query::parse(raw.as_deref());
    let archived = q.bool("archived")?;
    let opts = read_opts(&q);
    let store = lock(&s.store);
    let id = find(&store, &t, raw_id, q.get("idProperty"), archived)
        .ok_or_else(|| ApiError::not_found(raw_id))?;
    let obj = store
        .obj(&t, id)
        .ok_or_else(|| ApiError::not_found(raw_id))?;
    Ok(Json(object_json(&store, &t, id, obj, &opts)))
}

pub(crate) async fn update(
    State(s): State<Arc<Shared>>,
    Extension(version): Extension<ApiVersion>,
    axum::extract::Path(p): Params,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let raw_id = param(&p, "objectId");
    let q = Query::parse(raw.as_deref());
    let body = json_body(&body)?;
    if !body.is_object() {
        return Err(ApiError::invalid_json("expected an object with properties"));
    }
    let mut store = lock(&s.store);
    let id = find(&store, &t, raw_id, q.get("idProperty"), false)
        .ok_or_else(|| ApiError::not_found(raw_id))?;
    let props = prepare_update(&store, &t, id, body.get("properties"), version)?;
    apply_update(&mut store, &t, id, props, now_ms());
    let obj = store
        .obj(&t, id)
        .ok_or_else(|| ApiError::not_found(raw_id))?;
    Ok(Json(object_json(&store, &t, id, obj, &ReadOpts::written())))
}

/// Archive is idempotent: unknown and already archived ids also get 204 (our choice for an
/// UNCONFIRMED fact, matching `batch/archive`).
pub(crate) async fn archive(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
) -> ApiResult<StatusCode> {
    let t = object_type(param(&p, "objectType"))?;
    if let Some(id) = writes::parse_id(param(&p, "objectId")) {
        lock(&s.store).archive(&t, id, now_ms());
    }
    Ok(StatusCode::NO_CONTENT)
}

pub(crate) async fn search(
    State(s): State<Arc<Shared>>,
    axum::extract::Path(p): Params,
    body: Bytes,
) -> ApiResult<Json<Value>> {
    let t = object_type(param(&p, "objectType"))?;
    let text = std::str::from_utf8(&body).map_err(ApiError::invalid_json)?;
    let store = lock(&s.store);
    Ok(Json(crate::search::search(&store, &t, text)?))
}

/// The five object batch endpoints; `action` is the path's last segment.
pub(crate) async fn batch(
    action: &'static str,
    State(s): State<Arc<Shared>>,
    Extension(version): Extension<ApiVersion>,
    axum::extract::Path(p): Params,
    RawQuery(raw): RawQuery,
    body: Bytes,
) -> ApiResult<Response> {
    let t = object_type(param(&p, "objectType"))?;
    let q = Query::parse(raw.as_deref());
    let body = json_body(&body)?;
    let inputs = batch_inputs(&body, BATCH_MAX_INPUTS)?;
    let started = now_ms();
    let mut store = lock(&s.store);
    match action {
        "read" => batch_read(&store, &t, &q, &body, &inputs, started),
        "create" => batch_create(&mut store, &t, &inputs, started, version),
        "update" => batch_update(&mut store, &t, &inputs, started, version),
        "upsert" => batch_upsert(&mut store, &t, &inputs, started, version),
        "archive" => {
            let mut ids = Vec::new();
            for input in &inputs {
                ids.push(
                    writes::json_id(input.get("id"))
                        .ok_or_else(|| ApiError::invalid_json("inputs[].id must be an id"))?,
                );
            }
            let now = now_ms();
            for id in ids {
                store.archive(&t, id, now);
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

fn id_text(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn string_list(v: Option<&Value>) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

fn trace_id(input: &Value) -> Option<String> {
    input
        .get("objectWriteTraceId")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn with_trace(err: &ApiError, trace: Option<&str>) -> Value {
    let mut e = err.to_standard_error();
    if let Some(trace) = trace {
        e["context"]["objectWriteTraceId"] = json!([trace]);
    }
    e
}

fn batch_read(
    store: &Store,
    t: &ObjectType,
    q: &Query,
    body: &Value,
    inputs: &[Value],
    started: i64,
) -> ApiResult<Response> {
    let archived = q.bool("archived")?;
    let id_property = body.get("idProperty").and_then(Value::as_str);
    let opts = ReadOpts {
        props: PropSel::Requested(string_list(body.get("properties"))),
        history: string_list(body.get("propertiesWithHistory")),
        associations: Vec::new(),
    };
    let mut seen = BTreeSet::new();
    let (mut results, mut missing) = (Vec::new(), Vec::new());
    for input in inputs {
        let raw = id_text(input.get("id"))
            .ok_or_else(|| ApiError::invalid_json("inputs[].id must be an id"))?;
        match find(store, t, &raw, id_property, archived) {
            Some(id) if seen.insert(id) => {
                if let Some(o) = store.obj(t, id) {
                    results.push(object_json(store, t, id, o, &opts));
                }
            }
            Some(_) => {}
            None => missing.push(raw),
        }
    }
    let errors = missing_ids_errors(t, missing);
    Ok(batch_reply(StatusCode::OK, started, results, errors))
}

/// Without `objectWriteTraceId` on every input a batch create is all or nothing; with them,
/// valid inputs are created and the others reported per input (G-ERR, G-OBJ).
fn batch_create(
    store: &mut Store,
    t: &ObjectType,
    inputs: &[Value],
    started: i64,
    version: ApiVersion,
) -> ApiResult<Response> {
    let traced = !inputs.is_empty() && inputs.iter().all(|i| trace_id(i).is_some());
    let mut prepared = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        match prepare_create(store, t, input, version) {
            Ok(p) => prepared.push((p, trace_id(input))),
            Err(e) if traced => errors.push(with_trace(&e, trace_id(input).as_deref())),
            Err(e) => return Err(e),
        }
    }
    let now = now_ms();
    let results: Vec<Value> = prepared
        .into_iter()
        .map(|(p, trace)| {
            let id = apply_create(store, t, p, now);
            let mut result = store
                .obj(t, id)
                .map(|o| object_json(store, t, id, o, &ReadOpts::written()))
                .unwrap_or(Value::Null);
            // SimplePublicObject carries objectWriteTraceId; echoing it lets clients match
            // results to inputs (UNCONFIRMED for HubSpot, see docs/emulator.md).
            if let (Some(trace), Some(obj)) = (trace, result.as_object_mut()) {
                obj.insert("objectWriteTraceId".into(), Value::String(trace));
            }
            result
        })
        .collect();
    Ok(batch_reply(StatusCode::CREATED, started, results, errors))
}

fn duplicate_check(inputs: &[Value]) -> ApiResult<()> {
    let mut seen = BTreeSet::new();
    let dups: BTreeSet<String> = inputs
        .iter()
        .filter_map(|i| id_text(i.get("id")))
        .filter(|id| !seen.insert(id.clone()))
        .collect();
    if dups.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(format!(
            "Duplicate IDs found in batch input: {dups:?}"
        )))
    }
}

/// Unknown ids are reported together as one `OBJECT_NOT_FOUND` entry (207) and the rest
/// applied; invalid values fail the whole batch unless the input carries a trace id.
fn batch_update(
    store: &mut Store,
    t: &ObjectType,
    inputs: &[Value],
    started: i64,
    version: ApiVersion,
) -> ApiResult<Response> {
    duplicate_check(inputs)?;
    let mut planned = Vec::new();
    let (mut missing, mut errors) = (Vec::new(), Vec::new());
    for input in inputs {
        let raw = id_text(input.get("id"))
            .ok_or_else(|| ApiError::invalid_json("inputs[].id must be an id"))?;
        let Some(id) = find(
            store,
            t,
            &raw,
            input.get("idProperty").and_then(Value::as_str),
            false,
        ) else {
            missing.push(raw);
            continue;
        };
        match prepare_update(store, t, id, input.get("properties"), version) {
            Ok(props) => planned.push((id, props)),
            Err(e) => match trace_id(input) {
                Some(trace) => errors.push(with_trace(&e, Some(&trace))),
                None => return Err(e),
            },
        }
    }
    if !missing.is_empty() {
        errors.insert(0, missing_ids_error(t, missing));
    }
    let now = now_ms();
    let mut results = Vec::new();
    for (id, props) in planned {
        apply_update(store, t, id, props, now);
        if let Some(o) = store.obj(t, id) {
            results.push(object_json(store, t, id, o, &ReadOpts::written()));
        }
    }
    Ok(batch_reply(StatusCode::OK, started, results, errors))
}

enum Upsert {
    Update(u64, std::collections::BTreeMap<String, String>),
    Create(writes::PreparedCreate),
}

/// `idProperty` absent or `hs_object_id`: the id must exist (else a per-input
/// `OBJECT_NOT_FOUND`). Any other defined property: update the live object holding that
/// value, or create one with it (UNCONFIRMED which properties HubSpot allows).
fn batch_upsert(
    store: &mut Store,
    t: &ObjectType,
    inputs: &[Value],
    started: i64,
    version: ApiVersion,
) -> ApiResult<Response> {
    duplicate_check(inputs)?;
    let mut planned = Vec::new();
    let mut errors = Vec::new();
    for input in inputs {
        let raw = id_text(input.get("id"))
            .ok_or_else(|| ApiError::invalid_json("inputs[].id must be an id"))?;
        let id_property = input
            .get("idProperty")
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty() && *p != "hs_object_id");
        let trace = trace_id(input);
        let step = match id_property {
            None => match find(store, t, &raw, None, false) {
                Some(id) => prepare_update(store, t, id, input.get("properties"), version)
                    .map(|p| Upsert::Update(id, p)),
                None => {
                    errors.push(with_trace(&ApiError::not_found(&raw), trace.as_deref()));
                    continue;
                }
            },
            Some(prop) => {
                let defined = store
                    .schema(t)
                    .and_then(|s| s.props.get(prop))
                    .is_some_and(|d| !d.read_only);
                if !defined {
                    return Err(ApiError::properties(&[PropertyProblem::doesnt_exist(prop)]));
                }
                match find(store, t, &raw, Some(prop), false) {
                    Some(id) => prepare_update(store, t, id, input.get("properties"), version)
                        .map(|p| Upsert::Update(id, p)),
                    None => {
                        let mut create = json!({"properties": input.get("properties").cloned().unwrap_or(json!({}))});
                        if let Some(props) = create["properties"].as_object_mut() {
                            props.insert(prop.to_owned(), json!(raw));
                        }
                        prepare_create(store, t, &create, version).map(Upsert::Create)
                    }
                }
            }
        };
        match step {
            Ok(step) => planned.push(step),
            Err(e) => match trace {
                Some(trace) => errors.push(with_trace(&e, Some(&trace))),
                None => return Err(e),
            },
        }
    }
    let now = now_ms();
    let mut results = Vec::new();
    for step in planned {
        let (id, new) = match step {
            Upsert::Update(id, props) => {
                apply_update(store, t, id, props, now);
                (id, false)
            }
            Upsert::Create(p) => (apply_create(store, t, p, now), true),
        };
        if let Some(o) = store.obj(t, id) {
            let mut v = object_json(store, t, id, o, &ReadOpts::written());
            v["new"] = json!(new);
            results.push(v);
        }
    }
    Ok(batch_reply(StatusCode::OK, started, results, errors))
}

/// Validates create properties without creating (used by fixtures).
pub(crate) fn validate_fixture_props(
    store: &Store,
    t: &ObjectType,
    props: Vec<(String, String)>,
) -> ApiResult<std::collections::BTreeMap<String, String>> {
    writes::clean_props(store, t, props, Mode::Create)
}

//! Validation of object writes: property maps, per-type rules (required `hs_timestamp`, body
//! length, date and number formats), associations sent with a create, and the pin rule.
//!
//! Everything is checked before anything is changed, so a rejected request leaves the store
//! exactly as it was.

use std::collections::BTreeMap;

use hubspot_postal_model::endpoints::ApiVersion;
use hubspot_postal_model::limits::BODY_MAX_CHARS;
use hubspot_postal_model::object_type::ObjectType;
use serde_json::Value;

use crate::clock::{format_ms, parse_timestamp};
use crate::errors::{ApiError, ApiResult, PropertyProblem};
use crate::schema::{BODY, PINNED, PropKind};
use crate::store::{Indexed, Node, Store};

/// Create rejects unknown properties; update ignores them (our choice; G-OBJ leaves it open).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Create,
    Update,
}

/// An association written together with a create.
#[derive(Debug, Clone)]
pub(crate) struct PendingAssoc {
    pub target: Node,
    pub idx: usize,
}

/// A validated create.
#[derive(Debug, Clone)]
pub(crate) struct PreparedCreate {
    pub props: BTreeMap<String, String>,
    pub assocs: Vec<PendingAssoc>,
}

/// A JSON scalar as HubSpot stores it: strings as is, numbers and booleans printed, null as
/// the empty string (which clears).
fn scalar(name: &str, v: &Value) -> Result<String, PropertyProblem> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(b.to_string()),
        Value::Null => Ok(String::new()),
        _ => Err(PropertyProblem::new(
            name,
            "INVALID_PROPERTY_VALUE",
            format!("{name} must be a string, number or boolean"),
        )),
    }
}

/// The `properties` member of an input: absent or null is empty.
pub(crate) fn raw_props(v: Option<&Value>) -> ApiResult<Vec<(String, String)>> {
    match v {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Object(m)) => {
            let mut out = Vec::with_capacity(m.len());
            let mut problems = Vec::new();
            for (k, v) in m {
                match scalar(k, v) {
                    Ok(s) => out.push((k.clone(), s)),
                    Err(p) => problems.push(p),
                }
            }
            if problems.is_empty() {
                Ok(out)
            } else {
                Err(ApiError::properties(&problems))
            }
        }
        Some(_) => Err(ApiError::invalid_json(
            "properties must be an object of property names to values",
        )),
    }
}

/// Validates and normalises property values for type `t`. In update mode an empty value is
/// kept (it clears the property) and unknown names are dropped.
pub(crate) fn clean_props(
    store: &Store,
    t: &ObjectType,
    raw: Vec<(String, String)>,
    mode: Mode,
) -> ApiResult<BTreeMap<String, String>> {
    let Some(schema) = store.schema(t) else {
        return Err(ApiError::validation(format!(
            "Unable to infer object type from: {t}"
        )));
    };
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    for (name, value) in raw {
        let Some(def) = schema.props.get(&name) else {
            if mode == Mode::Create {
                problems.push(PropertyProblem::doesnt_exist(&name));
            }
            continue;
        };
        if def.read_only {
            // "HubSpot will ignore values for read-only … properties" (G-PM).
            continue;
        }
        if value.is_empty() {
            if mode == Mode::Update {
                out.insert(name, value);
            }
            continue;
        }
        let value = match def.kind {
            PropKind::DateTime => match parse_timestamp(&value) {
                Some(ms) => format_ms(ms),
                None => {
                    problems.push(PropertyProblem::new(
                        &name,
                        "INVALID_DATE",
                        format!("{value} is not a valid date-time: use epoch milliseconds, YYYY-MM-DD or ISO-8601"),
                    ));
                    continue;
                }
            },
            PropKind::Number if value.trim().parse::<f64>().map_or(true, |f| !f.is_finite()) => {
                problems.push(PropertyProblem::new(
                    &name,
                    "INVALID_INTEGER",
                    format!("{name} was not a valid number"),
                ));
                continue;
            }
            _ => value,
        };
        if name == BODY && value.chars().count() > BODY_MAX_CHARS {
            problems.push(PropertyProblem::new(
                &name,
                "MAX_CHARACTERS",
                format!("{name} is longer than {BODY_MAX_CHARS} characters"),
            ));
            continue;
        }
        out.insert(name, value);
    }
    if mode == Mode::Create {
        for req in &schema.required {
            if !out.contains_key(req) && !problems.iter().any(|p| &p.name == req) {
                problems.push(PropertyProblem::new(
                    req,
                    "REQUIRED_PROPERTY",
                    format!("Property \"{req}\" is required"),
                ));
            }
        }
    }
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(ApiError::properties(&problems))
    }
}

/// A record id from JSON: a digit string or a non-negative integer.
pub(crate) fn json_id(v: Option<&Value>) -> Option<u64> {
    match v? {
        Value::String(s) => parse_id(s),
        Value::Number(n) => n.as_u64(),
        _ => None,
    }
}

/// A path or body id: ASCII digits only (as the model's `RecordId` requires).
pub(crate) fn parse_id(s: &str) -> Option<u64> {
    hubspot_postal_model::ids::RecordId::new(s)
        .ok()?
        .as_str()
        .parse()
        .ok()
}

/// An `associationTypeId`: a number or a numeric string.
pub(crate) fn json_type_id(v: Option<&Value>) -> Option<u32> {
    match v? {
        Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

/// The `associations` of a create input (`PublicAssociationsForObject[]`).
pub(crate) fn create_assocs(
    store: &Store,
    t: &ObjectType,
    v: Option<&Value>,
) -> ApiResult<Vec<PendingAssoc>> {
    let items = match v {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(ApiError::invalid_json("associations must be an array")),
    };
    let mut out = Vec::new();
    for item in items {
        let to_id = json_id(item.get("to").and_then(|to| to.get("id")))
            .ok_or_else(|| ApiError::invalid_json("associations[].to.id must be a record id"))?;
        let Some(Value::Array(types)) = item.get("types") else {
            return Err(ApiError::invalid_json(
                "associations[].types must be an array of association specs",
            ));
        };
        for spec in types {
            let type_id = json_type_id(spec.get("associationTypeId"))
                .ok_or_else(|| ApiError::invalid_json("associationTypeId must be an integer"))?;
            let (idx, to_type) = store.resolve_type_from(t, type_id).ok_or_else(|| {
                ApiError::validation(format!(
                    "{type_id} is not a valid association type id for {}",
                    t.singular()
                ))
            })?;
            if store.live(&to_type, to_id).is_none() {
                return Err(ApiError::not_found(&to_id.to_string())
                    .with_context("objectType", vec![to_type.plural().into()]));
            }
            out.push(PendingAssoc {
                target: (to_type, to_id),
                idx,
            });
        }
    }
    Ok(out)
}

/// Pinning needs the postal mail to be associated with the record first (G-PM), either
/// already or by the same create. Empty clears the pin.
pub(crate) fn check_pin(
    store: &Store,
    t: &ObjectType,
    record: Option<u64>,
    props: &BTreeMap<String, String>,
    pending: &[PendingAssoc],
) -> ApiResult<()> {
    let Some(value) = props.get(PINNED).filter(|v| !v.is_empty()) else {
        return Ok(());
    };
    let pm = parse_id(value.trim());
    let associated = pm.is_some_and(|pm| {
        let target = (ObjectType::PostalMail, pm);
        store.live(&ObjectType::PostalMail, pm).is_some()
            && (pending.iter().any(|p| p.target == target)
                || record.is_some_and(|id| {
                    store
                        .pair(&(t.clone(), id), &target)
                        .is_some_and(|s| !s.is_empty())
                }))
    });
    if associated {
        Ok(())
    } else {
        Err(ApiError::properties(&[PropertyProblem::new(
            PINNED,
            "PINNED_ENGAGEMENT_NOT_ASSOCIATED",
            format!(
                "Engagement {value} must be associated with this record before it can be pinned"
            ),
        )]))
    }
}

/// The portal's required-property rules (fixtures `requiredProperties`), enforced from the
/// API versions that enforce them: a create must set each one, an update must not clear one.
/// Properties an update leaves alone are not checked (our choice; UNCONFIRMED, see
/// docs/api-versions.md).
fn check_portal_required(
    store: &Store,
    t: &ObjectType,
    props: &BTreeMap<String, String>,
    mode: Mode,
    version: ApiVersion,
) -> ApiResult<()> {
    if !version.enforces_required_properties() {
        return Ok(());
    }
    let problems: Vec<PropertyProblem> = store
        .portal_required(t)
        .iter()
        .filter(|name| match mode {
            Mode::Create => !props.contains_key(*name),
            Mode::Update => props.get(*name).is_some_and(String::is_empty),
        })
        .map(|name| {
            PropertyProblem::new(
                name,
                "REQUIRED_PROPERTY",
                format!("Property \"{name}\" is required"),
            )
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ApiError::properties(&problems))
    }
}

/// Validates a create input (`{properties, associations}`) as `version` does.
pub(crate) fn prepare_create(
    store: &Store,
    t: &ObjectType,
    input: &Value,
    version: ApiVersion,
) -> ApiResult<PreparedCreate> {
    if !input.is_object() {
        return Err(ApiError::invalid_json("expected an object with properties"));
    }
    let props = clean_props(store, t, raw_props(input.get("properties"))?, Mode::Create)?;
    check_portal_required(store, t, &props, Mode::Create, version)?;
    let assocs = create_assocs(store, t, input.get("associations"))?;
    check_pin(store, t, None, &props, &assocs)?;
    Ok(PreparedCreate { props, assocs })
}

pub(crate) fn apply_create(
    store: &mut Store,
    t: &ObjectType,
    prepared: PreparedCreate,
    now: i64,
) -> u64 {
    let id = store.insert(t, prepared.props, now);
    // Written through the API: search finds it only once the lag (if any) has passed.
    if store.search_lag_ms > 0
        && let Some(obj) = store.obj_mut(t, id)
    {
        obj.indexed = Indexed::Absent;
    }
    let node = (t.clone(), id);
    for a in prepared.assocs {
        store.associate(&node, &a.target, a.idx);
    }
    id
}

/// Validates an update of a live object as `version` does; returns the cleaned properties.
pub(crate) fn prepare_update(
    store: &Store,
    t: &ObjectType,
    id: u64,
    props: Option<&Value>,
    version: ApiVersion,
) -> ApiResult<BTreeMap<String, String>> {
    let props = clean_props(store, t, raw_props(props)?, Mode::Update)?;
    check_portal_required(store, t, &props, Mode::Update, version)?;
    check_pin(store, t, Some(id), &props, &[])?;
    Ok(props)
}

pub(crate) fn apply_update(
    store: &mut Store,
    t: &ObjectType,
    id: u64,
    props: BTreeMap<String, String>,
    now: i64,
) {
    let lag = store.search_lag_ms;
    if let Some(obj) = store.obj_mut(t, id) {
        obj.touch(now, lag);
        for (k, v) in props {
            if v.is_empty() {
                obj.props.remove(&k);
            } else {
                obj.props.insert(k, v);
            }
        }
    }
}

//! `POST /crm/v3/objects/{type}/search` (G-SEARCH): the 13 operators, AND within a
//! group and OR across groups, one sort, `query` over the type's text properties, the
//! `associations.{type}` pseudo-property, offset paging and every documented limit.
//!
//! Comparisons follow G-SEARCH: case-insensitive except enumerations; numbers compare as
//! numbers when both sides parse; date-time properties compare as epoch milliseconds, so a
//! filter value may be millis (as the docs send) or an ISO date.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::collections::BTreeSet;

use hubspot_postal_model::limits::{
    DEFAULT_PAGE_SIZE, SEARCH_MAX_BODY_CHARS, SEARCH_MAX_FILTER_GROUPS,
    SEARCH_MAX_FILTERS_PER_GROUP, SEARCH_MAX_FILTERS_TOTAL, SEARCH_MAX_PAGE_SIZE,
    SEARCH_MAX_RESULTS,
};
use hubspot_postal_model::object_type::ObjectType;
// The operator list is the model's, so client and emulator accept the same 13.
use hubspot_postal_model::search::Operator as Op;
use serde_json::{Value, json};

use crate::clock::{now_ms, parse_timestamp};
use crate::errors::{ApiError, ApiResult};
use crate::render::{PropSel, ReadOpts, object_json, prop_value};
use crate::schema::PropKind;
use crate::store::{Obj, Store};

#[derive(Debug, Clone)]
struct Filter {
    prop: String,
    op: Op,
    value: String,
    high: String,
    values: Vec<String>,
    /// `associations.{type}`: the associated type.
    assoc: Option<ObjectType>,
    kind: Option<PropKind>,
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn bad(msg: impl Into<String>) -> ApiError {
    ApiError::validation(msg)
}

fn parse_filter(store: &Store, t: &ObjectType, f: &Value) -> ApiResult<Filter> {
    let prop = f
        .get("propertyName")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("Invalid input JSON: each filter needs a propertyName"))?
        .to_owned();
    let op_text = f.get("operator").and_then(Value::as_str).unwrap_or("EQ");
    let op = Op::parse(op_text)
        .ok_or_else(|| bad(format!("Invalid operator {op_text:?} for {prop}")))?;
    let value = f.get("value").and_then(scalar);
    let high = f.get("highValue").and_then(scalar);
    let values: Vec<String> = match f.get("values") {
        Some(Value::Array(a)) => a.iter().filter_map(scalar).collect(),
        _ => Vec::new(),
    };
    let needs_value = matches!(
        op,
        Op::Eq
            | Op::Neq
            | Op::Lt
            | Op::Lte
            | Op::Gt
            | Op::Gte
            | Op::Between
            | Op::ContainsToken
            | Op::NotContainsToken
    );
    if needs_value && value.is_none() {
        return Err(bad(format!(
            "Operator {op_text} on {prop} requires a value"
        )));
    }
    if op == Op::Between && high.is_none() {
        return Err(bad(format!(
            "Operator BETWEEN on {prop} requires a highValue"
        )));
    }
    if matches!(op, Op::In | Op::NotIn) && values.is_empty() {
        return Err(bad(format!("Operator {op_text} on {prop} requires values")));
    }
    let assoc = match prop.strip_prefix("associations.") {
        Some(name) => Some(
            name.parse::<ObjectType>()
                .map_err(|_| bad(format!("Unknown associated object type in {prop}")))?,
        ),
        None => None,
    };
    let kind = store.schema(t).and_then(|s| s.kind(&prop));
    Ok(Filter {
        prop,
        op,
        value: value.unwrap_or_default(),
        high: high.unwrap_or_default(),
        values,
        assoc,
        kind,
    })
}

/// Compares two property values the way search does for a property of `kind`.
fn compare(kind: Option<PropKind>, a: &str, b: &str) -> Ordering {
    if kind == Some(PropKind::DateTime)
        && let (Some(x), Some(y)) = (parse_timestamp(a), parse_timestamp(b))
    {
        return x.cmp(&y);
    }
    if let (Ok(x), Ok(y)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>())
        && let Some(o) = x.partial_cmp(&y)
    {
        return o;
    }
    if kind == Some(PropKind::Enumeration) {
        a.cmp(b)
    } else {
        a.to_lowercase().cmp(&b.to_lowercase())
    }
}

/// `*` matches any run of characters; everything else literally, case-insensitively.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.to_lowercase().chars().collect();
    let t: Vec<char> = text.to_lowercase().chars().collect();
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

fn contains_token(value: &str, pattern: &str) -> bool {
    glob(pattern, value)
        || value
            .split_whitespace()
            .chain(value.split(|c: char| !c.is_alphanumeric()))
            .filter(|tok| !tok.is_empty())
            .any(|tok| glob(pattern, tok))
}

fn matches(store: &Store, t: &ObjectType, id: u64, obj: &Obj, f: &Filter) -> bool {
    if let Some(assoc) = &f.assoc {
        let ids: BTreeSet<String> = store
            .neighbours(&(t.clone(), id), assoc)
            .into_iter()
            .map(|(i, _)| i.to_string())
            .collect();
        let has = |v: &String| ids.contains(v.trim());
        return match f.op {
            Op::Eq | Op::ContainsToken => has(&f.value),
            Op::Neq | Op::NotContainsToken => !has(&f.value),
            Op::In => f.values.iter().any(has),
            Op::NotIn => !f.values.iter().any(has),
            Op::HasProperty => !ids.is_empty(),
            Op::NotHasProperty => ids.is_empty(),
            _ => false,
        };
    }
    let current = prop_value(id, obj, &f.prop).filter(|v| !v.is_empty());
    let cmp = |other: &str| current.as_deref().map(|c| compare(f.kind, c, other));
    match f.op {
        Op::Eq => cmp(&f.value) == Some(Ordering::Equal),
        Op::Neq => cmp(&f.value) != Some(Ordering::Equal),
        Op::Lt => cmp(&f.value) == Some(Ordering::Less),
        Op::Lte => matches!(cmp(&f.value), Some(Ordering::Less | Ordering::Equal)),
        Op::Gt => cmp(&f.value) == Some(Ordering::Greater),
        Op::Gte => matches!(cmp(&f.value), Some(Ordering::Greater | Ordering::Equal)),
        Op::Between => {
            matches!(cmp(&f.value), Some(Ordering::Greater | Ordering::Equal))
                && matches!(cmp(&f.high), Some(Ordering::Less | Ordering::Equal))
        }
        Op::In => f.values.iter().any(|v| cmp(v) == Some(Ordering::Equal)),
        Op::NotIn => !f.values.iter().any(|v| cmp(v) == Some(Ordering::Equal)),
        Op::HasProperty => current.is_some(),
        Op::NotHasProperty => current.is_none(),
        Op::ContainsToken => current
            .as_deref()
            .is_some_and(|c| contains_token(c, &f.value)),
        Op::NotContainsToken => !current
            .as_deref()
            .is_some_and(|c| contains_token(c, &f.value)),
    }
}

fn number_or_string(v: Option<&Value>, name: &str) -> ApiResult<Option<u64>> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .map(Some)
            .ok_or_else(|| bad(format!("{name} must be a non-negative integer"))),
        Some(Value::String(s)) if s.is_empty() => Ok(None),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| bad(format!("{name} must be an integer, got {s:?}"))),
        Some(_) => Err(bad(format!("{name} must be an integer"))),
    }
}

/// Runs a search request body against the live objects of `t`.
pub(crate) fn search(store: &Store, t: &ObjectType, raw: &str) -> ApiResult<Value> {
    if raw.chars().count() > SEARCH_MAX_BODY_CHARS {
        return Err(bad(format!(
            "Search request body exceeds the maximum of {SEARCH_MAX_BODY_CHARS} characters"
        )));
    }
    let body: Value = if raw.trim().is_empty() {
        json!({})
    } else {
        serde_json::from_str(raw).map_err(ApiError::invalid_json)?
    };
    if !body.is_object() {
        return Err(ApiError::invalid_json("a search request is an object"));
    }
    let groups: &[Value] = match body.get("filterGroups") {
        None | Some(Value::Null) => &[],
        Some(Value::Array(g)) => g,
        Some(_) => return Err(ApiError::invalid_json("filterGroups must be an array")),
    };
    if groups.len() > SEARCH_MAX_FILTER_GROUPS {
        return Err(bad(format!(
            "Too many filter groups: {} (the maximum is {SEARCH_MAX_FILTER_GROUPS})",
            groups.len()
        )));
    }
    let mut parsed: Vec<Vec<Filter>> = Vec::new();
    let mut total_filters = 0;
    for g in groups {
        let filters: &[Value] = match g.get("filters") {
            None | Some(Value::Null) => &[],
            Some(Value::Array(f)) => f,
            Some(_) => return Err(ApiError::invalid_json("filters must be an array")),
        };
        if filters.len() > SEARCH_MAX_FILTERS_PER_GROUP {
            return Err(bad(format!(
                "Too many filters in a group: {} (the maximum is {SEARCH_MAX_FILTERS_PER_GROUP})",
                filters.len()
            )));
        }
        total_filters += filters.len();
        parsed.push(
            filters
                .iter()
                .map(|f| parse_filter(store, t, f))
                .collect::<ApiResult<_>>()?,
        );
    }
    if total_filters > SEARCH_MAX_FILTERS_TOTAL {
        return Err(bad(format!(
            "Too many filters: {total_filters} (the maximum is {SEARCH_MAX_FILTERS_TOTAL})"
        )));
    }
    let limit =
        number_or_string(body.get("limit"), "limit")?.unwrap_or(u64::from(DEFAULT_PAGE_SIZE));
    if limit == 0 || limit > u64::from(SEARCH_MAX_PAGE_SIZE) {
        return Err(bad(format!(
            "limit must be between 1 and {SEARCH_MAX_PAGE_SIZE}, got {limit}"
        )));
    }
    let after = number_or_string(body.get("after"), "after")?.unwrap_or(0);
    if after.saturating_add(limit) > SEARCH_MAX_RESULTS {
        return Err(bad(format!(
            "Paging beyond {SEARCH_MAX_RESULTS} results is not supported (after={after}, limit={limit})"
        )));
    }
    let properties: Vec<String> = match body.get("properties") {
        Some(Value::Array(p)) => p
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        None | Some(Value::Null) => Vec::new(),
        Some(_) => {
            return Err(ApiError::invalid_json(
                "properties must be an array of names",
            ));
        }
    };
    let query = match body.get("query") {
        Some(Value::String(q)) => q.trim().to_lowercase(),
        None | Some(Value::Null) => String::new(),
        Some(_) => return Err(ApiError::invalid_json("query must be a string")),
    };
    let sort = match body.get("sorts") {
        Some(Value::Array(s)) => s.first().and_then(|s| match s {
            Value::String(name) => Some(match name.strip_prefix('-') {
                Some(n) => (n.to_owned(), true),
                None => (name.clone(), false),
            }),
            Value::Object(_) => Some((
                s.get("propertyName").and_then(Value::as_str)?.to_owned(),
                s.get("direction")
                    .and_then(Value::as_str)
                    .is_some_and(|d| d.eq_ignore_ascii_case("DESCENDING")),
            )),
            _ => None,
        }),
        _ => None,
    };

    let query_props = store
        .schema(t)
        .map(|s| s.query_props.clone())
        .unwrap_or_default();
    // Search sees the index, which trails writes by the configured lag (see `Indexed`).
    let now = now_ms();
    let mut hits: Vec<(u64, Cow<'_, Obj>)> = store
        .table(t)
        .into_iter()
        .flatten()
        .filter(|(_, o)| !o.is_archived())
        .filter_map(|(id, o)| Some((*id, o.search_view(now, store.search_lag_ms)?)))
        .filter(|(id, o)| {
            parsed.is_empty()
                || parsed
                    .iter()
                    .any(|g| g.iter().all(|f| matches(store, t, *id, o, f)))
        })
        .filter(|(_, o)| {
            query.is_empty()
                || query_props.iter().any(|p| {
                    o.props
                        .get(p)
                        .is_some_and(|v| v.to_lowercase().contains(&query))
                })
        })
        .collect();
    if let Some((prop, desc)) = sort {
        let kind = store.schema(t).and_then(|s| s.kind(&prop));
        hits.sort_by(|(a_id, a), (b_id, b)| {
            let (x, y) = (prop_value(*a_id, a, &prop), prop_value(*b_id, b, &prop));
            match (x, y) {
                (Some(x), Some(y)) => {
                    let o = compare(kind, &x, &y);
                    if desc { o.reverse() } else { o }
                }
                // Objects without the property sort last either way.
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        });
    }
    let total = hits.len();
    let start = usize::try_from(after).unwrap_or(usize::MAX).min(total);
    let end = start
        .saturating_add(usize::try_from(limit).unwrap_or(usize::MAX))
        .min(total);
    let opts = ReadOpts {
        props: PropSel::Requested(properties),
        history: Vec::new(),
        associations: Vec::new(),
    };
    let results: Vec<Value> = hits[start..end]
        .iter()
        .map(|(id, o)| object_json(store, t, *id, o, &opts))
        .collect();
    let mut out = json!({"total": total, "results": results});
    let next = after + limit;
    if (end as u64) < total as u64 && next < SEARCH_MAX_RESULTS {
        out["paging"] = json!({"next": {"after": next.to_string()}});
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_and_tokens() {
        assert!(glob("cont*", "contract"));
        assert!(glob("*ract", "contract"));
        assert!(!glob("cont", "contract"));
        assert!(contains_token("Sent copy of Contract to John", "contract"));
        assert!(contains_token("john@example.com", "*@example.com"));
        assert!(!contains_token("Sent copy", "contract"));
    }

    #[test]
    fn compares_by_kind() {
        assert_eq!(
            compare(
                Some(PropKind::DateTime),
                "2021-11-12T00:00:00.000Z",
                "1636675200000"
            ),
            Ordering::Equal
        );
        assert_eq!(compare(None, "9", "10"), Ordering::Less);
        assert_eq!(compare(Some(PropKind::Text), "ABC", "abc"), Ordering::Equal);
        assert_ne!(
            compare(Some(PropKind::Enumeration), "ABC", "abc"),
            Ordering::Equal
        );
    }
}

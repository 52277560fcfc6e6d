//! Objects as HubSpot returns them: `SimplePublicObject` with the requested properties,
//! optional `propertiesWithHistory` and `associations`.

use hubspot_postal_model::association::AssociationTypeId;
use hubspot_postal_model::object_type::ObjectType;
use serde_json::{Map, Value, json};

use crate::clock::format_ms;
use crate::store::{Obj, Store};

/// Which properties a response carries. System properties are always present.
#[derive(Debug, Clone)]
pub(crate) enum PropSel {
    /// Every property with a value (create, update and inspection responses).
    Written,
    /// The type's defaults when empty, otherwise the named ones: defined names without a value
    /// are `null`, undefined names are left out (G-PM).
    Requested(Vec<String>),
}

/// What a read asks for.
#[derive(Debug, Clone)]
pub(crate) struct ReadOpts {
    pub props: PropSel,
    pub history: Vec<String>,
    pub associations: Vec<ObjectType>,
}

impl ReadOpts {
    pub fn written() -> Self {
        Self {
            props: PropSel::Written,
            history: Vec::new(),
            associations: Vec::new(),
        }
    }
}

/// A property's current value, system properties included.
pub(crate) fn prop_value(id: u64, obj: &Obj, name: &str) -> Option<String> {
    match name {
        "hs_object_id" => Some(id.to_string()),
        "hs_createdate" => Some(format_ms(obj.created)),
        "hs_lastmodifieddate" => Some(format_ms(obj.updated)),
        other => obj.props.get(other).cloned(),
    }
}

pub(crate) fn object_json(
    store: &Store,
    t: &ObjectType,
    id: u64,
    obj: &Obj,
    opts: &ReadOpts,
) -> Value {
    let mut props = Map::new();
    for sys in crate::schema::SYSTEM_PROPS {
        props.insert(sys.to_owned(), json!(prop_value(id, obj, sys)));
    }
    let schema = store.schema(t);
    match &opts.props {
        PropSel::Written => {
            for (k, v) in &obj.props {
                props.insert(k.clone(), json!(v));
            }
        }
        PropSel::Requested(names) => {
            let defaults = schema.map(|s| s.defaults.as_slice()).unwrap_or_default();
            let names = if names.is_empty() {
                defaults
            } else {
                names.as_slice()
            };
            for n in names {
                if schema.is_some_and(|s| s.props.contains_key(n)) {
                    props.insert(n.clone(), json!(prop_value(id, obj, n)));
                }
            }
        }
    }
    let mut out = Map::new();
    out.insert("id".into(), json!(id.to_string()));
    out.insert("properties".into(), Value::Object(props));
    if !opts.history.is_empty() {
        let mut hist = Map::new();
        for n in &opts.history {
            if !schema.is_some_and(|s| s.props.contains_key(n)) {
                continue;
            }
            let entries = match prop_value(id, obj, n) {
                Some(v) => {
                    json!([{"value": v, "timestamp": format_ms(obj.updated), "sourceType": "API"}])
                }
                None => json!([]),
            };
            hist.insert(n.clone(), entries);
        }
        out.insert("propertiesWithHistory".into(), Value::Object(hist));
    }
    out.insert("createdAt".into(), json!(format_ms(obj.created)));
    out.insert("updatedAt".into(), json!(format_ms(obj.updated)));
    out.insert("archived".into(), json!(obj.is_archived()));
    if let Some(at) = obj.archived_at {
        out.insert("archivedAt".into(), json!(format_ms(at)));
    }
    if !opts.associations.is_empty() {
        let assoc = associations_json(store, t, id, &opts.associations);
        if !assoc.is_empty() {
            out.insert("associations".into(), Value::Object(assoc));
        }
    }
    Value::Object(out)
}

/// The v3 type string of a label seen from `from` to `to`: `postal_mail_to_contact` for the
/// HubSpot-defined types (UNCONFIRMED wording), the numeric id for user labels.
pub(crate) fn v3_type_name(
    store: &Store,
    idx: usize,
    from: &ObjectType,
    to: &ObjectType,
) -> String {
    let Some(l) = store.labels.get(idx) else {
        return String::new();
    };
    let (type_id, _) = l.view(from);
    if l.is_default() {
        AssociationTypeId(type_id)
            .v3_name()
            .map(|n| n.to_ascii_lowercase())
            .unwrap_or_else(|| format!("{}_to_{}", from.singular(), to.singular()))
    } else {
        type_id.to_string()
    }
}

/// `associations: {contacts: {results: [{id, type}]}}`; types without associations are left out.
pub(crate) fn associations_json(
    store: &Store,
    t: &ObjectType,
    id: u64,
    to_types: &[ObjectType],
) -> Map<String, Value> {
    let mut out = Map::new();
    let node = (t.clone(), id);
    for to in to_types {
        if out.contains_key(to.plural()) {
            continue;
        }
        let results: Vec<Value> = store
            .neighbours(&node, to)
            .into_iter()
            .flat_map(|(other, labels)| {
                labels
                    .into_iter()
                    .map(move |idx| json!({"id": other.to_string(), "type": v3_type_name(store, idx, t, to)}))
            })
            .collect();
        if !results.is_empty() {
            out.insert(to.plural().to_owned(), json!({"results": results}));
        }
    }
    out
}

/// `AssociationSpecWithLabel` entries for a set of labels seen from `from`.
pub(crate) fn labelled_types(store: &Store, from: &ObjectType, labels: &[usize]) -> Vec<Value> {
    labels
        .iter()
        .filter_map(|i| store.labels.get(*i))
        .map(|l| {
            let (type_id, label) = l.view(from);
            json!({"category": l.category, "typeId": type_id, "label": label})
        })
        .collect()
}

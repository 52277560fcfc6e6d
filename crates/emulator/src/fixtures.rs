//! Fixtures: records with fixed ids, custom properties, association labels and associations
//! loaded at start and after every reset. The JSON format is documented in
//! `docs/emulator.md`; `crates/emulator/fixtures/example.json` is a complete example.

use std::collections::BTreeMap;
use std::path::Path;

use hubspot_postal_model::object_type::ObjectType;
use serde::Deserialize;
use serde_json::Value;

use crate::clock::now_ms;
use crate::errors::EmulatorError;
use crate::schema::{PropDef, PropKind};
use crate::store::Store;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FixtureFile {
    #[serde(default)]
    properties: BTreeMap<String, Vec<PropertyFixture>>,
    #[serde(default)]
    labels: Vec<LabelFixture>,
    #[serde(default)]
    records: BTreeMap<String, Vec<RecordFixture>>,
    #[serde(default)]
    associations: Vec<AssociationFixture>,
    /// The portal's required properties by object type, enforced by the API versions that
    /// enforce them (`2026-09` on).
    #[serde(default, rename = "requiredProperties")]
    required_properties: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct PropertyFixture {
    name: String,
    #[serde(default = "default_kind", rename = "type")]
    kind: String,
}

fn default_kind() -> String {
    "string".into()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct LabelFixture {
    from: String,
    to: String,
    label: String,
    #[serde(default)]
    inverse_label: Option<String>,
    type_id: u32,
    inverse_type_id: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordFixture {
    id: String,
    #[serde(default)]
    properties: BTreeMap<String, Value>,
    #[serde(default)]
    archived: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct EndFixture {
    #[serde(rename = "objectType")]
    object_type: String,
    id: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AssociationFixture {
    from: EndFixture,
    to: EndFixture,
    /// Type ids as seen from `from`; empty means the HubSpot-defined default.
    #[serde(default)]
    types: Vec<u32>,
}

/// Data present when the emulator starts.
///
/// ```
/// use hubspot_postal_emulator::Fixtures;
/// let f = Fixtures::from_json_str(r#"{"records": {"contacts": [{"id": "501", "properties": {"firstname": "Ada"}}]}}"#)?;
/// # let _ = f;
/// # Ok::<(), hubspot_postal_emulator::EmulatorError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Fixtures {
    file: FixtureFile,
}

fn parse_type(s: &str) -> Result<ObjectType, String> {
    crate::routes::object_type(s).map_err(|_| format!("{s:?} is not a supported object type"))
}

fn parse_id(s: &str) -> Result<u64, String> {
    crate::writes::parse_id(s).ok_or_else(|| format!("{s:?} is not a numeric id"))
}

impl Fixtures {
    /// Parses fixtures from JSON text; the structure is checked here, the content when the
    /// emulator starts.
    pub fn from_json_str(json: &str) -> Result<Self, EmulatorError> {
        let file =
            serde_json::from_str(json).map_err(|e| EmulatorError::Fixtures(e.to_string()))?;
        Ok(Self { file })
    }

    /// Reads fixtures from a JSON file.
    pub fn from_file(path: impl AsRef<Path>) -> Result<Self, EmulatorError> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .map_err(|e| EmulatorError::Fixtures(format!("{}: {e}", path.display())))?;
        Self::from_json_str(&text)
    }

    /// Loads everything into a fresh store, in order: properties, required properties, labels,
    /// records, associations.
    pub(crate) fn apply(&self, store: &mut Store) -> Result<(), String> {
        let f = &self.file;
        for (t, props) in &f.properties {
            let t = parse_type(t)?;
            for p in props {
                let kind = PropKind::parse(&p.kind)
                    .ok_or_else(|| format!("property {}: unknown type {:?}", p.name, p.kind))?;
                if let Some(schema) = store.schemas.get_mut(&t) {
                    schema.props.insert(
                        p.name.clone(),
                        PropDef {
                            kind,
                            read_only: false,
                        },
                    );
                }
            }
        }
        for (t, names) in &f.required_properties {
            let t = parse_type(t)?;
            for name in names {
                let writable = store
                    .schema(&t)
                    .and_then(|s| s.props.get(name))
                    .is_some_and(|d| !d.read_only);
                if !writable {
                    return Err(format!(
                        "required property {name:?} is not a writable {} property",
                        t.singular()
                    ));
                }
            }
            store.set_portal_required(t, names.clone());
        }
        for l in &f.labels {
            let (from, to) = (parse_type(&l.from)?, parse_type(&l.to)?);
            if store.labels.iter().any(|x| {
                x.joins(&from, &to)
                    && [x.forward, x.inverse]
                        .iter()
                        .any(|i| *i == l.type_id || *i == l.inverse_type_id)
            }) {
                return Err(format!(
                    "label {:?}: type id {} or {} is already used between these types",
                    l.label, l.type_id, l.inverse_type_id
                ));
            }
            store.add_label(
                &from,
                &to,
                l.label.clone(),
                l.inverse_label.clone(),
                Some((l.type_id, l.inverse_type_id)),
            );
        }
        let now = now_ms();
        for (t, records) in &f.records {
            let t = parse_type(t)?;
            for r in records {
                let id = parse_id(&r.id)?;
                if store.obj(&t, id).is_some() {
                    return Err(format!("{} {id} is defined twice", t.singular()));
                }
                let raw: Vec<(String, String)> = r
                    .properties
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            match v {
                                Value::String(s) => s.clone(),
                                other => other.to_string(),
                            },
                        )
                    })
                    .collect();
                let props = crate::routes::objects::validate_fixture_props(store, &t, raw)
                    .map_err(|e| format!("{} {id}: {}", t.singular(), e.body["message"]))?;
                store.insert_with_id(&t, id, props, now);
                if r.archived {
                    store.archive(&t, id, now);
                }
            }
        }
        for a in &f.associations {
            let from = (parse_type(&a.from.object_type)?, parse_id(&a.from.id)?);
            let to = (parse_type(&a.to.object_type)?, parse_id(&a.to.id)?);
            for end in [&from, &to] {
                if store.obj(&end.0, end.1).is_none() {
                    return Err(format!(
                        "association to unknown {} {}",
                        end.0.singular(),
                        end.1
                    ));
                }
            }
            let idxs: Vec<usize> = if a.types.is_empty() {
                vec![store.default_label(&from.0, &to.0).ok_or_else(|| {
                    format!(
                        "no default association type between {} and {}",
                        from.0, to.0
                    )
                })?]
            } else {
                a.types
                    .iter()
                    .map(|t| {
                        store.resolve_type(&from.0, &to.0, *t).ok_or_else(|| {
                            format!("{t} is not an association type from {} to {}", from.0, to.0)
                        })
                    })
                    .collect::<Result<_, _>>()?
            };
            for idx in idxs {
                store.associate(&from, &to, idx);
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_file_loads() {
        let text = include_str!("../fixtures/example.json");
        let f = Fixtures::from_json_str(text).unwrap();
        let mut store = Store::new();
        f.apply(&mut store).unwrap();
        assert!(store.live(&ObjectType::Contact, 501).is_some());
        assert!(store.obj(&ObjectType::PostalMail, 900_001).is_some());
    }

    #[test]
    fn bad_fixtures_are_refused() {
        for bad in [
            r#"{"records": {"widgets": []}}"#,
            r#"{"records": {"contacts": [{"id": "x"}]}}"#,
            r#"{"records": {"postal_mail": [{"id": "1", "properties": {}}]}}"#,
            r#"{"associations": [{"from": {"objectType": "contacts", "id": "1"}, "to": {"objectType": "postal_mail", "id": "2"}}]}"#,
        ] {
            let f = Fixtures::from_json_str(bad).unwrap();
            assert!(f.apply(&mut Store::new()).is_err(), "{bad}");
        }
        assert!(Fixtures::from_json_str(r#"{"recrods": {}}"#).is_err());
    }
}

//! From a row of text fields to a checked `CreatePostalMail` (with the records it links to),
//! and each row's import key.
//!
//! The key identifies a row across runs. With an `external_id` column it is derived from
//! that id. Otherwise it is derived from the row's content plus its occurrence number among
//! identical rows, not from its position: inserting, deleting or reordering other rows between
//! runs leaves every key unchanged, while two identical rows still get distinct keys.

use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, HashMap};

use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::attachments::AttachmentIds;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::ids::{OwnerId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::timestamp::Timestamp;

use super::reader::{Position, RawRow};

/// The columns that name records to associate with, and the type of those records.
const LINK_COLUMNS: [(&str, ObjectType); 4] = [
    ("contact_ids", ObjectType::Contact),
    ("company_ids", ObjectType::Company),
    ("deal_ids", ObjectType::Deal),
    ("ticket_ids", ObjectType::Ticket),
];

/// A record a row's letter is associated with (HubSpot's default type).
pub type Link = (ObjectType, RecordId);

/// A row that passed every check, ready to send.
#[derive(Debug)]
pub struct Ready<'a> {
    /// Where it is in the file.
    pub at: Position,
    /// Its import key.
    pub key: String,
    /// The checked create input, associations included.
    pub input: CreatePostalMail,
    /// The same associations as records, for the upsert path (an upsert cannot carry them).
    pub links: Vec<Link>,
    /// The row as it was in the file, for the report.
    pub original: &'a str,
}

/// A row's checked input and the records it links to.
#[derive(Debug)]
pub struct Checked {
    /// The create input, associations included.
    pub input: CreatePostalMail,
    /// The records it is associated with.
    pub links: Vec<Link>,
}

/// FNV-1a, 64 bits: a stable hash (unlike std's `DefaultHasher`, whose output may change
/// between Rust releases), so keys written by one build are found by the next.
fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The fields that make a row's content, in a canonical form: column order and the
/// external id do not count.
fn content_hash(fields: &BTreeMap<String, String>) -> u64 {
    let mut bytes = Vec::new();
    for (name, value) in fields.iter().filter(|(n, _)| n.as_str() != "external_id") {
        bytes.extend_from_slice(name.as_bytes());
        bytes.push(0x1f);
        bytes.extend_from_slice(value.as_bytes());
        bytes.push(0x1e);
    }
    fnv1a(bytes)
}

/// Gives each row its key, in file order. Returns, per row, the key or why the row cannot
/// have one (an external id already used by an earlier row).
pub fn keys(rows: &[&RawRow]) -> Vec<Result<String, String>> {
    let mut occurrences: HashMap<u64, usize> = HashMap::new();
    let mut external: HashMap<String, usize> = HashMap::new();
    rows.iter()
        .map(
            |row| match row.fields.get("external_id").map(|s| s.trim()) {
                Some(id) if !id.is_empty() => match external.entry(id.to_owned()) {
                    Entry::Occupied(first) => {
                        Err(format!("external_id {id:?} is also on row {}", first.get()))
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(row.at.row);
                        Ok(format!("e{:016x}", fnv1a(id.bytes())))
                    }
                },
                _ => {
                    let hash = content_hash(&row.fields);
                    let n = occurrences.entry(hash).or_insert(0);
                    *n += 1;
                    Ok(format!("r{hash:016x}-{n}"))
                }
            },
        )
        .collect()
}

/// The `objectWriteTraceId` of a row: HubSpot reports a rejected input against it.
pub fn trace_id(key: &str) -> String {
    format!("import-{key}")
}

fn field<'a>(row: &'a RawRow, name: &str) -> Option<&'a str> {
    row.fields
        .get(name)
        .map(|s| s.as_str())
        .filter(|s| !s.trim().is_empty())
}

fn ids(row: &RawRow, column: &str) -> Result<Vec<RecordId>, String> {
    let Some(list) = field(row, column) else {
        return Ok(Vec::new());
    };
    list.split(';')
        .map(|id| RecordId::new(id.trim()).map_err(|e| format!("{column}: {e}")))
        .collect()
}

/// The create input of a row, checked with the model's `validate()`, or why the row is
/// invalid. `key_property`, when set, receives the key so that the row can be found later.
pub fn check(row: &RawRow, key: &str, key_property: Option<&str>) -> Result<Checked, String> {
    let timestamp = field(row, "timestamp").ok_or("timestamp is required")?;
    let timestamp = Timestamp::parse(timestamp).map_err(|e| format!("timestamp: {e}"))?;
    let mut input = CreatePostalMail::new(timestamp).trace_id(trace_id(key));
    if let Some(body) = row.fields.get("body").filter(|b| !b.is_empty()) {
        input = input.body(body.clone());
    }
    if let Some(owner) = field(row, "owner") {
        input = input.owner(OwnerId::new(owner.trim()).map_err(|e| format!("owner: {e}"))?);
    }
    if let Some(files) = field(row, "attachments") {
        let files: AttachmentIds = files
            .trim()
            .parse()
            .map_err(|e| format!("attachments: {e}"))?;
        input = input.attachments(files);
    }
    let mut links = Vec::new();
    for (column, object_type) in LINK_COLUMNS {
        for id in ids(row, column)? {
            if let Some(association) = AssociationInput::default_to(&object_type, id.clone()) {
                input = input.associate(association);
                links.push((object_type.clone(), id));
            }
        }
    }
    if let Some(name) = key_property {
        input = input.property(name, key);
    }
    input.validate().map_err(|e| e.to_string())?;
    Ok(Checked { input, links })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, pairs: &[(&str, &str)]) -> RawRow {
        RawRow {
            at: Position {
                row: n,
                line: n as u64 + 1,
            },
            fields: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            original: String::new(),
        }
    }

    #[test]
    fn keys_survive_reordering_and_tell_duplicates_apart() {
        let a = row(1, &[("timestamp", "2021-11-12"), ("body", "a")]);
        let b = row(2, &[("timestamp", "2021-11-12"), ("body", "b")]);
        let a2 = row(3, &[("timestamp", "2021-11-12"), ("body", "a")]);
        let first = keys(&[&a, &b, &a2]);
        let moved = keys(&[&b, &a, &a2]);
        assert_eq!(first[0], moved[1]);
        assert_eq!(first[1], moved[0]);
        assert_ne!(first[0], first[2]);
    }

    #[test]
    fn external_ids_key_rows_and_must_be_unique() {
        let a = row(1, &[("timestamp", "2021-11-12"), ("external_id", "L-1")]);
        let b = row(2, &[("timestamp", "2021-11-13"), ("external_id", "L-1")]);
        let k = keys(&[&a, &b]);
        assert!(k[0].as_ref().is_ok_and(|k| k.starts_with('e')));
        assert!(k[1].as_ref().is_err_and(|e| e.contains("row 1")));
    }

    #[test]
    fn rows_are_checked_with_the_model() {
        let good = row(
            1,
            &[
                ("timestamp", "2021-11-12"),
                ("body", "Hi"),
                ("owner", "9274996"),
                ("attachments", "1;2"),
                ("contact_ids", "501; 502"),
                ("company_ids", ""),
            ],
        );
        let checked = check(&good, "k", Some("import_key")).ok();
        assert_eq!(checked.as_ref().map(|c| c.links.len()), Some(2));
        let input = checked.map(|c| c.input);
        assert_eq!(input.as_ref().map(|i| i.associations.len()), Some(2));
        assert_eq!(
            input.as_ref().and_then(|i| i.object_write_trace_id.clone()),
            Some("import-k".to_owned())
        );
        assert_eq!(
            input.as_ref().and_then(|i| i.properties.get("import_key")),
            Some("k")
        );
        for (bad, why) in [
            (("timestamp", "yesterday"), "timestamp"),
            (("owner", "12x"), "owner"),
            (("attachments", "1;;2"), "attachments"),
            (("deal_ids", "7/8"), "deal_ids"),
        ] {
            let mut r = good.clone();
            r.fields.insert(bad.0.to_owned(), bad.1.to_owned());
            let err = check(&r, "k", None).err();
            assert!(err.as_ref().is_some_and(|e| e.contains(why)), "{err:?}");
        }
        let mut missing = good;
        missing.fields.remove("timestamp");
        assert!(check(&missing, "k", None).is_err());
    }
}

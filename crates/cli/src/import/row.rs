//! From a row of text fields to a checked `CreatePostalMail` (with the records it links to),
//! and each row's import key.
//!
//! The key identifies a row across runs. With an `external_id` column it is derived from
//! that id. Otherwise it is derived from the row's content plus its occurrence number among
//! identical rows, not from its position: inserting, deleting or reordering other rows between
//! runs leaves every key unchanged, while two identical rows still get distinct keys.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::attachments::AttachmentIds;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::ids::{OwnerId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::properties::TIMESTAMP;
use hubspot_postal::model::timestamp::Timestamp;

use super::fields::Fields;
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

/// A row's import key: which row of the file it is, across runs (see the module docs).
/// Printed as `e<hash of the external id>` or `r<content hash>-<occurrence>`, the form the
/// state file keeps; held as 16 bytes, since an index holds one per row of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    hash: u64,
    /// 0 for a key from an external id; the occurrence number (from 1) for a content key.
    occurrence: u32,
}

impl Key {
    /// Reads a key as [`Display`](std::fmt::Display) prints it.
    pub fn parse(text: &str) -> Option<Self> {
        let hex = |h: &str| (h.len() == 16).then(|| u64::from_str_radix(h, 16).ok())?;
        if let Some(h) = text.strip_prefix('e') {
            return Some(Self {
                hash: hex(h)?,
                occurrence: 0,
            });
        }
        let (h, n) = text.strip_prefix('r')?.split_once('-')?;
        let occurrence: u32 = n.parse().ok().filter(|n| *n > 0)?;
        Some(Self {
            hash: hex(h)?,
            occurrence,
        })
    }
}

impl Key {
    /// The hash of the external id, or of the row's content (for writing the key without
    /// `Display`, see `log_line`).
    pub fn hash(&self) -> u64 {
        self.hash
    }

    /// 0 for a key from an external id; the occurrence number for a content key.
    pub fn occurrence(&self) -> u32 {
        self.occurrence
    }
}

impl std::fmt::Display for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.occurrence {
            0 => write!(f, "e{:016x}", self.hash),
            n => write!(f, "r{:016x}-{n}", self.hash),
        }
    }
}

/// Hashes keys and key hashes for the maps that hold one entry per row: their input is
/// already a hash, so a mix of its bits does (std's SipHash costs more than the rest of a
/// lookup, and these maps are looked up twice per row).
#[derive(Debug, Default, Clone, Copy)]
pub struct KeyHasher(u64);

impl std::hash::Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        // splitmix64's finaliser: every output bit depends on every input bit.
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = self.0.rotate_left(23) ^ n;
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
}

/// A map keyed by row keys (or their hashes), one entry per row.
pub type KeyMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<KeyHasher>>;

/// A row that passed every check, ready to send.
#[derive(Debug)]
pub struct Ready {
    /// Where it is in the file.
    pub at: Position,
    /// Its import key.
    pub key: Key,
    /// The checked create input, associations included.
    pub input: CreatePostalMail,
    /// The same associations as records, for the upsert path (an upsert cannot carry them).
    pub links: Vec<Link>,
    /// The row as it was in the file, for the report.
    pub original: String,
}

/// A row whose input went into a request (moved, not copied): what its answer is checked
/// against, recorded with and reported with.
#[derive(Debug)]
pub struct Placed {
    /// Where it is in the file.
    pub at: Position,
    /// Its import key.
    pub key: Key,
    /// The input's `objectWriteTraceId`, which its letter must not contradict.
    pub trace_id: Option<String>,
    /// The input's `hs_timestamp`, likewise.
    pub timestamp: Option<String>,
    /// The row as it was in the file, for the report.
    pub original: String,
}

impl Ready {
    /// The input, for a request, and what is kept of the row while it is out.
    pub fn place(self) -> (CreatePostalMail, Placed) {
        let placed = Placed {
            at: self.at,
            key: self.key,
            trace_id: self.input.object_write_trace_id.clone(),
            timestamp: self.input.properties.get(TIMESTAMP).map(str::to_owned),
            original: self.original,
        };
        (self.input, placed)
    }
}

/// A row's checked input and the records it links to.
#[derive(Debug)]
pub struct Checked {
    /// The create input, associations included.
    pub input: CreatePostalMail,
    /// The records it is associated with.
    pub links: Vec<Link>,
}

/// Keys are FNV-1a, 64 bits: a stable hash (unlike std's `DefaultHasher`, whose output may
/// change between Rust releases), so keys written by one build are found by the next. This
/// is its starting value.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// FNV-1a of `bytes`, continued from `hash` (a plain loop over a slice: the same bytes fed
/// through a chain of iterators cost several times as much, once per row of the file).
fn fnv1a_from(mut hash: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// FNV-1a of `bytes`.
fn fnv1a(bytes: &[u8]) -> u64 {
    fnv1a_from(FNV_OFFSET, bytes)
}

/// The fields that make a row's content, in a canonical form: column order and the
/// external id do not count. Each field is hashed as its name, 0x1f, its value, 0x1e.
fn content_hash(fields: &Fields<'_>) -> u64 {
    fields
        .in_name_order()
        .filter(|(n, _)| *n != "external_id")
        .fold(FNV_OFFSET, |hash, (name, value)| {
            let hash = fnv1a_from(hash, name.as_bytes());
            let hash = fnv1a_from(hash, &[0x1f]);
            let hash = fnv1a_from(hash, value.as_bytes());
            fnv1a_from(hash, &[0x1e])
        })
}

/// Gives rows their keys, in file order, remembering only what later rows need: per content
/// hash how many rows had it, per external id (by its hash, which is what the key holds)
/// the row that had it first. About 20 bytes per row, never the rows themselves.
#[derive(Debug, Default)]
pub struct KeyIndex {
    occurrences: KeyMap<u64, u32>,
    external: KeyMap<u64, usize>,
}

impl KeyIndex {
    /// Forgets every row, keeping the memory, to key the file again from its first row.
    pub fn reset(&mut self) {
        self.occurrences.clear();
        self.external.clear();
    }

    /// The key of the next row of the file, or why it cannot have one (an external id an
    /// earlier row already has).
    pub fn key(&mut self, row: &RawRow<'_>) -> Result<Key, String> {
        match row.fields.get("external_id").map(str::trim) {
            Some(id) if !id.is_empty() => {
                let hash = fnv1a(id.as_bytes());
                match self.external.entry(hash) {
                    Entry::Occupied(first) => {
                        Err(format!("external_id {id:?} is also on row {}", first.get()))
                    }
                    Entry::Vacant(slot) => {
                        slot.insert(row.at.row);
                        Ok(Key {
                            hash,
                            occurrence: 0,
                        })
                    }
                }
            }
            _ => {
                let hash = content_hash(&row.fields);
                let n = self.occurrences.entry(hash).or_insert(0);
                *n = n
                    .checked_add(1)
                    .ok_or("more than 4,294,967,295 identical rows")?;
                Ok(Key {
                    hash,
                    occurrence: *n,
                })
            }
        }
    }
}

/// The `objectWriteTraceId` of a row: HubSpot reports a rejected input against it.
pub fn trace_id(key: &Key) -> String {
    format!("import-{key}")
}

fn field<'a>(row: &RawRow<'a>, name: &str) -> Option<&'a str> {
    row.fields.get(name).filter(|s| !s.trim().is_empty())
}

fn ids(row: &RawRow<'_>, column: &str) -> Result<Vec<RecordId>, String> {
    let Some(list) = field(row, column) else {
        return Ok(Vec::new());
    };
    list.split(';')
        .map(|id| RecordId::new(id.trim()).map_err(|e| format!("{column}: {e}")))
        .collect()
}

/// The create input of a row, checked with the model's `validate()`, or why the row is
/// invalid. `key_property`, when set, receives the key so that the row can be found later.
pub fn check(row: &RawRow<'_>, key: &Key, key_property: Option<&str>) -> Result<Checked, String> {
    let timestamp = field(row, "timestamp").ok_or("timestamp is required")?;
    let timestamp = Timestamp::parse(timestamp).map_err(|e| format!("timestamp: {e}"))?;
    let mut input = CreatePostalMail::new(timestamp).trace_id(trace_id(key));
    if let Some(body) = row.fields.get("body").filter(|b| !b.is_empty()) {
        input = input.body(body);
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
        input = input.property(name, key.to_string());
    }
    input.validate().map_err(|e| e.to_string())?;
    Ok(Checked { input, links })
}

#[cfg(test)]
mod tests {
    use super::super::fields::OwnedFields;
    use super::*;

    /// A row held by the test.
    #[derive(Debug, Clone)]
    struct Row {
        at: Position,
        fields: OwnedFields,
    }

    impl Row {
        fn raw(&self) -> RawRow<'_> {
            RawRow::new(self.at, self.fields.fields(), "")
        }
    }

    fn row(n: usize, pairs: &[(&'static str, &str)]) -> Row {
        Row {
            at: Position {
                row: n,
                line: n as u64 + 1,
            },
            fields: OwnedFields::from_pairs(pairs.iter().copied()),
        }
    }

    fn keys(rows: &[&Row]) -> Vec<Result<Key, String>> {
        let mut index = KeyIndex::default();
        rows.iter().map(|r| index.key(&r.raw())).collect()
    }

    fn key(text: &str) -> Key {
        Key {
            hash: fnv1a(text.as_bytes()),
            occurrence: 0,
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
        for key in first.iter().flatten() {
            assert_eq!(Key::parse(&key.to_string()), Some(*key));
        }
        assert_eq!(Key::parse("r0123-1"), None);
        assert_eq!(Key::parse("r0123456789abcdef-0"), None);
    }

    #[test]
    fn keys_are_the_ones_earlier_builds_wrote() {
        // Keys a release before the fields were read in place wrote to its state file: a
        // state file outlives the build that wrote it.
        let content = row(
            1,
            &[
                ("owner", "9274996"),
                ("timestamp", "2021-11-12"),
                ("body", "Hi, there"),
                ("attachments", "1;2"),
                ("external_id", ""),
            ],
        );
        let external = row(2, &[("timestamp", "2021-11-12"), ("external_id", "L-1")]);
        let k: Vec<String> = keys(&[&content, &external])
            .into_iter()
            .map(|k| k.map(|k| k.to_string()).unwrap_or_default())
            .collect();
        assert_eq!(k, ["r7a2b910a5dec8563-1", "e25d3d119b943b059"]);
    }

    #[test]
    fn external_ids_key_rows_and_must_be_unique() {
        let a = row(1, &[("timestamp", "2021-11-12"), ("external_id", "L-1")]);
        let b = row(2, &[("timestamp", "2021-11-13"), ("external_id", "L-1")]);
        let k = keys(&[&a, &b]);
        assert!(k[0].as_ref().is_ok_and(|k| k.to_string().starts_with('e')));
        assert!(k[1].as_ref().is_err_and(|e| e.contains("row 1")));
    }

    #[test]
    fn rows_are_checked_with_the_model() {
        let good = [
            ("timestamp", "2021-11-12"),
            ("body", "Hi"),
            ("owner", "9274996"),
            ("attachments", "1;2"),
            ("contact_ids", "501; 502"),
            ("company_ids", ""),
        ];
        let checked = check(&row(1, &good).raw(), &key("k"), Some("import_key")).ok();
        assert_eq!(checked.as_ref().map(|c| c.links.len()), Some(2));
        let input = checked.map(|c| c.input);
        assert_eq!(input.as_ref().map(|i| i.associations.len()), Some(2));
        assert_eq!(
            input.as_ref().and_then(|i| i.object_write_trace_id.clone()),
            Some(format!("import-{}", key("k")))
        );
        assert_eq!(
            input.as_ref().and_then(|i| i.properties.get("import_key")),
            Some(key("k").to_string().as_str())
        );
        for (bad, why) in [
            (("timestamp", "yesterday"), "timestamp"),
            (("owner", "12x"), "owner"),
            (("attachments", "1;;2"), "attachments"),
            (("deal_ids", "7/8"), "deal_ids"),
        ] {
            // A later pair for the same column wins.
            let mut pairs = good.to_vec();
            pairs.push(bad);
            let err = check(&row(1, &pairs).raw(), &key("k"), None).err();
            assert!(err.as_ref().is_some_and(|e| e.contains(why)), "{err:?}");
        }
        let missing: Vec<_> = good
            .into_iter()
            .filter(|(n, _)| *n != "timestamp")
            .collect();
        assert!(check(&row(1, &missing).raw(), &key("k"), None).is_err());
    }
}

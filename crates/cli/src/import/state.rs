//! The state file: what an import has done, row key by row key, so that a re-run skips what
//! is done and reconciles what was in flight instead of creating it twice.
//!
//! An append-only log of JSON lines: a header line (format, version, imported file), then one
//! record per change (`sent_as`, a row `in_flight`, `maybe_applied` or `done`, or
//! `forgotten`); the last record of a key wins. Each chunk appends its records in one write
//! followed by `fdatasync`, so the cost of a chunk does not grow with the file, and rows are
//! on disk as `in_flight` before their request leaves (the caller waits for the
//! [`Commit`] that holds them).
//!
//! A SIGKILL or a power cut can leave the last line torn: a line without its newline is
//! ignored on load (what it recorded was never relied on: a request is sent only after its
//! commit returned), and any other line that cannot be read stops the load, never misread.
//! The log is compacted (rewritten with one record per key: a temporary file, synced,
//! renamed over the log, then the directory synced) on load when it holds a torn line or
//! superseded records, and when the import completes. Files of the former format (one JSON
//! document, version 1) are read and rewritten in this one.
//!
//! In memory each key takes 32 bytes or so (see [`Slot`]): letter ids are kept as numbers,
//! texts (errors, an id that is not a plain number) beside them.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use super::log_line;
use super::row::{Key, KeyMap};
use crate::error::CliError;

/// The first line of every state file says what it is.
const FORMAT: &str = "hubspot-postal import state";

/// Version of the file format, checked on load.
const VERSION: u32 = 2;

/// What is known about one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowState {
    /// About to be sent, or sent without an answer recorded: it may or may not exist.
    InFlight {
        /// The row number when it was sent (informative: keys do not depend on it).
        row: usize,
    },
    /// Its request failed in a way that may have created it.
    MaybeApplied {
        /// The row number.
        row: usize,
        /// What happened.
        error: Arc<str>,
    },
    /// Created (or found by reconciliation) as this postal mail.
    Done {
        /// The row number.
        row: usize,
        /// The HubSpot id.
        id: String,
    },
}

/// How rows were sent: reconciling rows sent one way by the other way could duplicate them
/// (a letter created without its key is not found by an upsert on that key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "as", rename_all = "snake_case")]
pub enum SentAs {
    /// Batch create, reconciled by content.
    Create,
    /// Batch upsert keyed by this unique property.
    Upsert {
        /// The property (`--key-property`).
        property: String,
    },
}

impl SentAs {
    /// The mode `--key-property` selects.
    pub fn of(key_property: Option<&str>) -> Self {
        match key_property {
            Some(p) => Self::Upsert {
                property: p.to_owned(),
            },
            None => Self::Create,
        }
    }
}

impl std::fmt::Display for SentAs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Create => f.write_str("without --key-property"),
            Self::Upsert { property } => write!(f, "with --key-property {property}"),
        }
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    format: String,
    version: u32,
    /// The imported file, for people reading the state.
    file: String,
}

/// One line after the header.
#[derive(Debug, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum Record {
    SentAs {
        mode: SentAs,
    },
    InFlight {
        key: String,
        row: usize,
    },
    MaybeApplied {
        key: String,
        row: usize,
        error: String,
    },
    Done {
        key: String,
        row: usize,
        id: String,
    },
    Forgotten {
        key: String,
    },
}

/// The former format: one JSON document rewritten whole.
#[derive(Debug, Deserialize)]
struct FormerFile {
    version: u32,
    #[serde(default)]
    sent_as: Option<SentAs>,
    rows: std::collections::BTreeMap<String, FormerRow>,
}

#[derive(Debug, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
enum FormerRow {
    InFlight { row: usize },
    MaybeApplied { row: usize, error: String },
    Done { row: usize, id: String },
}

/// What a row is, in 16 bytes: the letter id when it is a plain number, the row number
/// (informative, saturated at `u32::MAX`), and which state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Slot {
    id: u64,
    row: u32,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    InFlight,
    /// The error is in `texts`.
    MaybeApplied,
    /// The id is `Slot::id`.
    Done,
    /// The id is in `texts` (not a plain number).
    DoneText,
}

/// Whether a row's outcome is settled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// In flight or maybe applied: it may exist in HubSpot without its id being known here.
    Unsettled,
    /// Created, with its id known.
    Done,
}

/// Records written to the log but not yet synced, and the log itself while no [`Commit`]
/// holds it.
#[derive(Debug, Default)]
struct Log {
    file: Option<File>,
    /// Lines to append.
    pending: Vec<u8>,
    /// Records in the file, to tell whether compacting is worth it.
    records: usize,
    /// The file must be rewritten before anything is appended (new, torn, or former format).
    rewrite: bool,
}

/// The state of one import, bound to its file.
#[derive(Debug)]
pub struct ImportState {
    path: PathBuf,
    imported: String,
    sent_as: Option<SentAs>,
    rows: KeyMap<Key, Slot>,
    /// Errors of maybe-applied rows, and ids that are not plain numbers.
    texts: KeyMap<Key, Arc<str>>,
    log: Log,
}

/// A write of pending records and its sync, to run off the async threads; hand it back with
/// [`ImportState::committed`].
#[derive(Debug)]
pub struct Commit {
    file: File,
    bytes: Vec<u8>,
    path: PathBuf,
}

impl Commit {
    /// Appends and syncs. Blocking.
    pub fn run(mut self) -> Result<Self, CliError> {
        self.file
            .write_all(&self.bytes)
            .and_then(|()| self.file.sync_data())
            .map_err(|e| CliError::io("writing", &self.path, e))?;
        Ok(self)
    }
}

fn unreadable(path: &Path, why: impl std::fmt::Display) -> CliError {
    CliError::Usage(format!(
        "the state file {} cannot be read ({why}); delete it only if no row of this import was ever sent",
        path.display()
    ))
}

fn key_of(path: &Path, text: &str) -> Result<Key, CliError> {
    Key::parse(text).ok_or_else(|| unreadable(path, format!("{text:?} is not a row key")))
}

impl ImportState {
    /// Loads `path`, or starts empty when it does not exist. Nothing is written yet.
    pub fn load(path: &Path, imported: &Path) -> Result<Self, CliError> {
        let mut state = Self {
            path: path.to_owned(),
            imported: imported.display().to_string(),
            sent_as: None,
            rows: KeyMap::default(),
            texts: KeyMap::default(),
            log: Log {
                rewrite: true,
                ..Log::default()
            },
        };
        let file = match File::open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(state),
            Err(e) => return Err(CliError::io("reading", path, e)),
        };
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let read = |reader: &mut BufReader<File>, line: &mut Vec<u8>| {
            line.clear();
            reader
                .read_until(b'\n', line)
                .map_err(|e| CliError::io("reading", path, e))
        };
        read(&mut reader, &mut line)?;
        match serde_json::from_slice::<Header>(&line) {
            // The header is written by a rename, whole: a cut one is not this program's.
            Ok(h) if h.format == FORMAT && h.version == VERSION => {
                if !line.ends_with(b"\n") {
                    return Err(unreadable(path, "its header line is cut short"));
                }
            }
            Ok(h) => {
                return Err(CliError::Usage(format!(
                    "the state file {} has version {}; this program reads version {VERSION}",
                    path.display(),
                    h.version
                )));
            }
            // Not a log: perhaps the former format, which is one JSON document.
            Err(_) => {
                let mut rest = line.clone();
                std::io::Read::read_to_end(&mut reader, &mut rest)
                    .map_err(|e| CliError::io("reading", path, e))?;
                state.load_former(&rest)?;
                return Ok(state);
            }
        }
        let mut torn = false;
        loop {
            if read(&mut reader, &mut line)? == 0 {
                break;
            }
            if !line.ends_with(b"\n") {
                // Cut short by a kill or a power cut: never synced, never relied on.
                torn = true;
                break;
            }
            let record: Record = serde_json::from_slice(&line)
                .map_err(|e| unreadable(path, format!("line {}: {e}", state.log.records + 2)))?;
            state.apply(record)?;
            state.log.records += 1;
        }
        state.log.rewrite = torn || state.log.records > state.live_records();
        if !state.log.rewrite {
            let file = std::fs::OpenOptions::new()
                .append(true)
                .open(path)
                .map_err(|e| CliError::io("writing", path, e))?;
            state.log.file = Some(file);
        }
        Ok(state)
    }

    fn load_former(&mut self, bytes: &[u8]) -> Result<(), CliError> {
        let former: FormerFile =
            serde_json::from_slice(bytes).map_err(|e| unreadable(&self.path, e))?;
        if former.version != 1 {
            return Err(CliError::Usage(format!(
                "the state file {} has version {}; this program reads version {VERSION}",
                self.path.display(),
                former.version
            )));
        }
        self.sent_as = former.sent_as;
        for (key, row) in former.rows {
            let key = key_of(&self.path, &key)?;
            let state = match row {
                FormerRow::InFlight { row } => RowState::InFlight { row },
                FormerRow::MaybeApplied { row, error } => RowState::MaybeApplied {
                    row,
                    error: error.into(),
                },
                FormerRow::Done { row, id } => RowState::Done { row, id },
            };
            self.put(key, state);
        }
        Ok(())
    }

    fn apply(&mut self, record: Record) -> Result<(), CliError> {
        let (key, state) = match record {
            Record::SentAs { mode } => {
                self.sent_as = Some(mode);
                return Ok(());
            }
            Record::Forgotten { key } => {
                let key = key_of(&self.path, &key)?;
                self.remove(&key);
                return Ok(());
            }
            Record::InFlight { key, row } => (key, RowState::InFlight { row }),
            Record::MaybeApplied { key, row, error } => (
                key,
                RowState::MaybeApplied {
                    row,
                    error: error.into(),
                },
            ),
            Record::Done { key, row, id } => (key, RowState::Done { row, id }),
        };
        let key = key_of(&self.path, &key)?;
        self.put(key, state);
        Ok(())
    }

    /// Records a compacted log holds: one per key, and how rows are sent.
    fn live_records(&self) -> usize {
        self.rows.len() + usize::from(self.sent_as.is_some())
    }

    /// The state file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Room for `rows` keys in all, so that the index does not grow (and briefly double)
    /// while the import runs.
    pub fn reserve(&mut self, rows: usize) {
        self.rows.reserve(rows.saturating_sub(self.rows.len()));
    }

    /// Records how rows are sent from now on. Refused when rows of an earlier run are still
    /// unsettled and were sent the other way: reconciling them this way could duplicate them.
    pub fn send_as(&mut self, mode: SentAs) -> Result<(), CliError> {
        if let Some(earlier) = &self.sent_as
            && *earlier != mode
            && self.unsettled().next().is_some()
        {
            return Err(CliError::Usage(format!(
                "the state file {} holds rows sent {earlier} whose outcome is not known yet; run the import {earlier} until they are settled",
                self.path.display()
            )));
        }
        if self.sent_as.as_ref() != Some(&mode) {
            self.write(&Record::SentAs { mode: mode.clone() });
            self.sent_as = Some(mode);
        }
        Ok(())
    }

    /// Whether a row is settled, or `None` when this state knows nothing of it.
    pub fn status(&self, key: &Key) -> Option<Status> {
        self.rows.get(key).map(|s| match s.kind {
            Kind::InFlight | Kind::MaybeApplied => Status::Unsettled,
            Kind::Done | Kind::DoneText => Status::Done,
        })
    }

    /// The state of a row.
    pub fn get(&self, key: &Key) -> Option<RowState> {
        let slot = self.rows.get(key)?;
        let row = slot.row as usize;
        let text = || self.texts.get(key).cloned().unwrap_or_else(|| "".into());
        Some(match slot.kind {
            Kind::InFlight => RowState::InFlight { row },
            Kind::MaybeApplied => RowState::MaybeApplied { row, error: text() },
            Kind::Done => RowState::Done {
                row,
                id: slot.id.to_string(),
            },
            Kind::DoneText => RowState::Done {
                row,
                id: text().to_string(),
            },
        })
    }

    /// Whether any row is known: a state that knows none has nothing to look up.
    pub fn knows_rows(&self) -> bool {
        !self.rows.is_empty()
    }

    /// The keys of the rows whose outcome is unknown.
    pub fn unsettled(&self) -> impl Iterator<Item = &Key> {
        self.rows
            .iter()
            .filter(|(_, s)| matches!(s.kind, Kind::InFlight | Kind::MaybeApplied))
            .map(|(k, _)| k)
    }

    /// Sets the state of a row; on disk with the next commit.
    pub fn set(&mut self, key: Key, state: RowState) {
        match &state {
            RowState::InFlight { row } => {
                self.write_line(|out| log_line::in_flight(out, &key, *row))
            }
            RowState::Done { row, id } => match log_line::plain_number(id) {
                Some(n) => self.write_line(|out| log_line::done(out, &key, *row, n)),
                None => self.write(&record(&key, &state)),
            },
            RowState::MaybeApplied { .. } => self.write(&record(&key, &state)),
        }
        self.put(key, state);
    }

    /// Forgets a row: it was not created, and a re-run sends it again.
    pub fn forget(&mut self, key: &Key) {
        self.write(&Record::Forgotten {
            key: key.to_string(),
        });
        self.remove(key);
    }

    fn put(&mut self, key: Key, state: RowState) {
        let (row, id, kind, text): (usize, u64, Kind, Option<Arc<str>>) = match state {
            RowState::InFlight { row } => (row, 0, Kind::InFlight, None),
            RowState::MaybeApplied { row, error } => (row, 0, Kind::MaybeApplied, Some(error)),
            // A number that prints back as itself; anything else is kept as text.
            RowState::Done { row, id } => match log_line::plain_number(&id) {
                Some(n) => (row, n, Kind::Done, None),
                None => (row, 0, Kind::DoneText, Some(id.into())),
            },
        };
        let row = u32::try_from(row).unwrap_or(u32::MAX);
        self.rows.insert(key, Slot { id, row, kind });
        match text {
            Some(t) => {
                self.texts.insert(key, t);
            }
            None => {
                self.texts.remove(&key);
            }
        }
    }

    fn remove(&mut self, key: &Key) {
        self.rows.remove(key);
        self.texts.remove(key);
    }

    /// Appends a line written by `line` (see [`log_line`]).
    fn write_line(&mut self, line: impl FnOnce(&mut Vec<u8>)) {
        line(&mut self.log.pending);
        self.log.records += 1;
    }

    fn write(&mut self, record: &Record) {
        // Serialising these plain values cannot fail.
        if serde_json::to_writer(&mut self.log.pending, record).is_ok() {
            self.log.pending.push(b'\n');
            self.log.records += 1;
        }
    }

    /// The ids of every row already done.
    pub fn done_ids(&self) -> HashSet<String> {
        self.rows
            .iter()
            .filter_map(|(k, s)| match s.kind {
                Kind::Done => Some(s.id.to_string()),
                Kind::DoneText => self.texts.get(k).map(|t| t.to_string()),
                _ => None,
            })
            .collect()
    }

    /// The pending records as a [`Commit`] to run, or `None` when nothing is pending. While
    /// it runs, changes keep being recorded, for the next one.
    pub fn commit(&mut self) -> Result<Option<Commit>, CliError> {
        if self.log.pending.is_empty() {
            return Ok(None);
        }
        if self.log.rewrite || self.log.file.is_none() {
            // The snapshot holds every pending change.
            self.compact()?;
            return Ok(None);
        }
        let Some(file) = self.log.file.take() else {
            return Ok(None);
        };
        Ok(Some(Commit {
            file,
            bytes: std::mem::take(&mut self.log.pending),
            path: self.path.clone(),
        }))
    }

    /// Takes back the log after its commit ran (and its buffer, for the next records).
    pub fn committed(&mut self, commit: Commit) {
        self.log.file = Some(commit.file);
        if self.log.pending.is_empty() {
            self.log.pending = commit.bytes;
            self.log.pending.clear();
        }
    }

    /// Writes what is pending and waits until it is on disk. Blocking.
    pub fn save(&mut self) -> Result<(), CliError> {
        if let Some(commit) = self.commit()? {
            let done = commit.run()?;
            self.committed(done);
        }
        Ok(())
    }

    /// Rewrites the log with one record per key, when it holds more. Blocking.
    pub fn finish(&mut self) -> Result<(), CliError> {
        if self.log.records > self.live_records() || self.log.rewrite {
            self.compact()
        } else {
            self.save()
        }
    }

    /// The snapshot: a temporary file, synced, renamed over the log, then the directory
    /// synced, so that an interruption leaves the old log or the new one.
    fn compact(&mut self) -> Result<(), CliError> {
        self.log.file = None;
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let mut records = 0usize;
        let write = |records: &mut usize| -> std::io::Result<File> {
            let mut w = BufWriter::new(File::create(&tmp)?);
            let header = Header {
                format: FORMAT.to_owned(),
                version: VERSION,
                file: self.imported.clone(),
            };
            line(&mut w, &header)?;
            if let Some(mode) = &self.sent_as {
                line(&mut w, &Record::SentAs { mode: mode.clone() })?;
                *records += 1;
            }
            let mut fast = Vec::with_capacity(128);
            for (key, slot) in &self.rows {
                let row = slot.row as usize;
                match slot.kind {
                    Kind::InFlight => log_line::in_flight(&mut fast, key, row),
                    Kind::Done => log_line::done(&mut fast, key, row, slot.id),
                    Kind::MaybeApplied | Kind::DoneText => match self.get(key) {
                        Some(state) => line(&mut w, &record(key, &state))?,
                        None => continue,
                    },
                }
                w.write_all(&fast)?;
                fast.clear();
                *records += 1;
            }
            let file = w.into_inner().map_err(|e| e.into_error())?;
            file.sync_all()?;
            Ok(file)
        };
        let file = write(&mut records).map_err(|e| CliError::io("writing", &tmp, e))?;
        drop(file);
        std::fs::rename(&tmp, &self.path).map_err(|e| CliError::io("writing", &self.path, e))?;
        sync_dir(&self.path).map_err(|e| CliError::io("syncing the folder of", &self.path, e))?;
        let file = std::fs::OpenOptions::new()
            .append(true)
            .open(&self.path)
            .map_err(|e| CliError::io("writing", &self.path, e))?;
        self.log = Log {
            file: Some(file),
            pending: Vec::new(),
            records,
            rewrite: false,
        };
        Ok(())
    }
}

fn record(key: &Key, state: &RowState) -> Record {
    let key = key.to_string();
    match state {
        RowState::InFlight { row } => Record::InFlight { key, row: *row },
        RowState::MaybeApplied { row, error } => Record::MaybeApplied {
            key,
            row: *row,
            error: error.to_string(),
        },
        RowState::Done { row, id } => Record::Done {
            key,
            row: *row,
            id: id.clone(),
        },
    }
}

/// Writes one JSON line.
fn line(w: &mut impl Write, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer(&mut *w, value).map_err(std::io::Error::other)?;
    w.write_all(b"\n")
}

/// Syncs the directory holding `path`, so that a rename into it is on disk: without it, a
/// power cut right after the rename can bring back the previous state file, whose rows were
/// not yet marked in flight, and a re-run would send them again without reconciling.
#[cfg(unix)]
fn sync_dir(path: &Path) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    File::open(dir)?.sync_all()
}

/// Windows cannot open a directory as a file; NTFS journals renames itself.
#[cfg(not(unix))]
fn sync_dir(_path: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A state path of its own for each test, with no file yet.
    fn fresh(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("hp-cli-{name}-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("s.json");
        let _ = std::fs::remove_file(&path);
        path
    }

    fn key(n: u32) -> Key {
        Key::parse(&format!("r00000000000000ab-{n}")).unwrap()
    }

    fn done(row: usize, id: &str) -> RowState {
        RowState::Done { row, id: id.into() }
    }

    #[test]
    fn the_lines_written_by_hand_are_the_ones_serde_writes() {
        for (k, row, id) in [(key(1), 1, 7), (key(4_000_000), usize::MAX, u64::MAX)] {
            let mut fast = Vec::new();
            log_line::in_flight(&mut fast, &k, row);
            log_line::done(&mut fast, &k, row, id);
            let mut slow = Vec::new();
            line(&mut slow, &record(&k, &RowState::InFlight { row })).unwrap();
            line(&mut slow, &record(&k, &done(row, &id.to_string()))).unwrap();
            assert_eq!(
                String::from_utf8_lossy(&fast),
                String::from_utf8_lossy(&slow)
            );
        }
        let external = Key::parse("e00000000000000ab").unwrap();
        let mut fast = Vec::new();
        log_line::done(&mut fast, &external, 0, 0);
        let mut slow = Vec::new();
        line(&mut slow, &record(&external, &done(0, "0"))).unwrap();
        assert_eq!(fast, slow);
    }

    #[test]
    fn round_trips_through_the_log() -> Result<(), CliError> {
        let path = fresh("state");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.set(key(1), RowState::InFlight { row: 1 });
        s.set(key(2), done(2, "7"));
        s.set(key(3), done(3, "id-x"));
        s.save()?;
        s.set(key(4), RowState::InFlight { row: 4 });
        s.save()?;
        s.forget(&key(4));
        s.save()?;
        let back = ImportState::load(&path, Path::new("in.csv"))?;
        assert_eq!(back.status(&key(1)), Some(Status::Unsettled));
        assert_eq!(back.get(&key(3)), Some(done(3, "id-x")));
        assert_eq!(back.status(&key(4)), None);
        let mut ids: Vec<String> = back.done_ids().into_iter().collect();
        ids.sort();
        assert_eq!(ids, vec!["7", "id-x"]);
        std::fs::write(&path, b"{not json").map_err(|e| CliError::io("writing", &path, e))?;
        assert!(ImportState::load(&path, Path::new("in.csv")).is_err());
        Ok(())
    }

    #[test]
    fn each_commit_appends_and_the_file_is_compacted_at_the_end() -> Result<(), CliError> {
        let path = fresh("append");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.set(key(1), RowState::InFlight { row: 1 });
        s.save()?;
        let first = std::fs::read(&path).unwrap_or_default();
        s.set(key(1), done(1, "7"));
        s.save()?;
        let second = std::fs::read(&path).unwrap_or_default();
        assert!(second.starts_with(&first), "appended, not rewritten");
        assert_eq!(
            second.split(|b| *b == b'\n').count(),
            4,
            "header, two records"
        );
        s.finish()?;
        let compact = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(compact.lines().count(), 2, "{compact}");
        assert!(compact.contains("\"done\""));
        Ok(())
    }

    #[test]
    fn a_torn_last_line_is_ignored_and_any_other_bad_line_stops_the_load() -> Result<(), CliError> {
        let path = fresh("torn");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.set(key(1), done(1, "7"));
        s.save()?;
        let good = std::fs::read(&path).unwrap_or_default();
        // A kill in the middle of the next append.
        let mut torn = good.clone();
        torn.extend_from_slice(br#"{"status":"forgotten","key":"r00000000000000ab-"#);
        std::fs::write(&path, &torn).map_err(|e| CliError::io("writing", &path, e))?;
        let mut back = ImportState::load(&path, Path::new("in.csv"))?;
        assert_eq!(back.get(&key(1)), Some(done(1, "7")));
        // The torn line is gone before anything is appended after it.
        back.set(key(2), RowState::InFlight { row: 2 });
        back.save()?;
        let again = ImportState::load(&path, Path::new("in.csv"))?;
        assert_eq!(again.status(&key(2)), Some(Status::Unsettled));
        assert_eq!(again.get(&key(1)), Some(done(1, "7")));
        // A complete line that is not a record is never taken for one.
        let mut bad = good;
        bad.extend_from_slice(b"{\"status\":\"done\",\"key\":\"nope\"}\n");
        std::fs::write(&path, &bad).map_err(|e| CliError::io("writing", &path, e))?;
        assert!(ImportState::load(&path, Path::new("in.csv")).is_err());
        Ok(())
    }

    #[test]
    fn a_state_file_of_the_former_format_is_read() -> Result<(), CliError> {
        let path = fresh("former");
        let k = key(1).to_string();
        let text = format!(
            r#"{{"version": 1, "file": "in.csv", "sent_as": {{"as": "create"}}, "rows": {{"{k}": {{"status": "in_flight", "row": 1}}}}}}"#
        );
        std::fs::write(&path, text).map_err(|e| CliError::io("writing", &path, e))?;
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        assert_eq!(s.status(&key(1)), Some(Status::Unsettled));
        assert!(s.send_as(SentAs::of(Some("import_key"))).is_err());
        Ok(())
    }

    #[test]
    fn unsettled_rows_keep_the_way_they_were_sent() -> Result<(), CliError> {
        let path = fresh("sent-as");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.send_as(SentAs::of(None))?;
        s.set(key(1), RowState::InFlight { row: 1 });
        s.save()?;
        let mut back = ImportState::load(&path, Path::new("in.csv"))?;
        assert!(back.send_as(SentAs::of(Some("import_key"))).is_err());
        back.set(key(1), done(1, "7"));
        assert!(back.send_as(SentAs::of(Some("import_key"))).is_ok());
        Ok(())
    }
}

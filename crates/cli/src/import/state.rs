//! The state file: what an import has done, row key by row key, so that a re-run skips what
//! is done and reconciles what was in flight instead of creating it twice.
//!
//! Saved atomically and durably: a temporary file beside it, its data synced to disk, renamed
//! over the old one, then the directory synced so that the rename itself survives a power
//! cut. An interruption at any moment leaves either the previous state or the new one, never
//! a torn file, and a state that was saved before a request was sent is on disk before it
//! leaves. The whole file is rewritten per chunk: fine for tens of thousands of rows; split
//! larger files.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::CliError;

/// Version of the file format, checked on load.
const VERSION: u32 = 1;

/// What is known about one row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
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
        error: String,
    },
    /// Created (or found by reconciliation) as this postal mail.
    Done {
        /// The row number.
        row: usize,
        /// The HubSpot id.
        id: String,
    },
}

impl RowState {
    /// Whether the row may exist in HubSpot without its id being known here.
    pub fn is_unsettled(&self) -> bool {
        matches!(self, Self::InFlight { .. } | Self::MaybeApplied { .. })
    }
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

#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    /// The imported file, for people reading the state.
    file: String,
    /// How the rows were sent; absent in files written before it was recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sent_as: Option<SentAs>,
    rows: BTreeMap<String, RowState>,
}

/// The state of one import, bound to its file.
#[derive(Debug)]
pub struct ImportState {
    path: PathBuf,
    data: StateFile,
}

impl ImportState {
    /// Loads `path`, or starts empty when it does not exist.
    pub fn load(path: &Path, imported: &Path) -> Result<Self, CliError> {
        let data = match std::fs::read(path) {
            Ok(bytes) => {
                let data: StateFile = serde_json::from_slice(&bytes).map_err(|e| {
                    CliError::Usage(format!(
                        "the state file {} cannot be read ({e}); delete it only if no row of this import was ever sent",
                        path.display()
                    ))
                })?;
                if data.version != VERSION {
                    return Err(CliError::Usage(format!(
                        "the state file {} has version {}; this program reads version {VERSION}",
                        path.display(),
                        data.version
                    )));
                }
                data
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => StateFile {
                version: VERSION,
                file: imported.display().to_string(),
                sent_as: None,
                rows: BTreeMap::new(),
            },
            Err(e) => return Err(CliError::io("reading", path, e)),
        };
        Ok(Self {
            path: path.to_owned(),
            data,
        })
    }

    /// Records how rows are sent from now on. Refused when rows of an earlier run are still
    /// unsettled and were sent the other way: reconciling them this way could duplicate them.
    pub fn send_as(&mut self, mode: SentAs) -> Result<(), CliError> {
        let unsettled = self.data.rows.values().any(RowState::is_unsettled);
        if let Some(earlier) = &self.data.sent_as
            && *earlier != mode
            && unsettled
        {
            return Err(CliError::Usage(format!(
                "the state file {} holds rows sent {earlier} whose outcome is not known yet; run the import {earlier} until they are settled",
                self.path.display()
            )));
        }
        self.data.sent_as = Some(mode);
        Ok(())
    }

    /// The state of a row.
    pub fn get(&self, key: &str) -> Option<&RowState> {
        self.data.rows.get(key)
    }

    /// Sets the state of a row.
    pub fn set(&mut self, key: &str, state: RowState) {
        self.data.rows.insert(key.to_owned(), state);
    }

    /// Forgets a row: it was not created, and a re-run sends it again.
    pub fn forget(&mut self, key: &str) {
        self.data.rows.remove(key);
    }

    /// The ids of every row already done.
    pub fn done_ids(&self) -> impl Iterator<Item = &str> {
        self.data.rows.values().filter_map(|s| match s {
            RowState::Done { id, .. } => Some(id.as_str()),
            _ => None,
        })
    }

    /// Writes the state: temporary file, sync to disk, rename, sync the directory.
    pub fn save(&self) -> Result<(), CliError> {
        let mut tmp = self.path.clone().into_os_string();
        tmp.push(".tmp");
        let tmp = PathBuf::from(tmp);
        let json = serde_json::to_vec_pretty(&self.data)
            .map_err(|e| CliError::io("writing", &tmp, std::io::Error::other(e)))?;
        let write = || -> std::io::Result<()> {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(&json)?;
            f.sync_all()
        };
        write().map_err(|e| CliError::io("writing", &tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| CliError::io("writing", &self.path, e))?;
        sync_dir(&self.path).map_err(|e| CliError::io("syncing the folder of", &self.path, e))
    }
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
    std::fs::File::open(dir)?.sync_all()
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

    #[test]
    fn round_trips_through_the_file() -> Result<(), CliError> {
        let path = fresh("state");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.set("a", RowState::InFlight { row: 1 });
        s.set(
            "b",
            RowState::Done {
                row: 2,
                id: "7".into(),
            },
        );
        s.save()?;
        let back = ImportState::load(&path, Path::new("in.csv"))?;
        assert!(back.get("a").is_some_and(RowState::is_unsettled));
        assert_eq!(back.done_ids().collect::<Vec<_>>(), vec!["7"]);
        std::fs::write(&path, b"{not json").map_err(|e| CliError::io("writing", &path, e))?;
        assert!(ImportState::load(&path, Path::new("in.csv")).is_err());
        Ok(())
    }

    #[test]
    fn unsettled_rows_keep_the_way_they_were_sent() -> Result<(), CliError> {
        let path = fresh("sent-as");
        let mut s = ImportState::load(&path, Path::new("in.csv"))?;
        s.send_as(SentAs::of(None))?;
        s.set("a", RowState::InFlight { row: 1 });
        s.save()?;
        let mut back = ImportState::load(&path, Path::new("in.csv"))?;
        assert!(back.send_as(SentAs::of(Some("import_key"))).is_err());
        back.set(
            "a",
            RowState::Done {
                row: 1,
                id: "7".into(),
            },
        );
        assert!(back.send_as(SentAs::of(Some("import_key"))).is_ok());
        Ok(())
    }
}

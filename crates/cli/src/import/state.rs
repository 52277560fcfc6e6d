//! The state file: what an import has done, row key by row key, so that a re-run skips what
//! is done and reconciles what was in flight instead of creating it twice.
//!
//! Saved atomically (a temporary file beside it, flushed to disk, then renamed over it), so
//! an interruption at any moment leaves either the previous state or the new one, never a
//! torn file. The whole file is rewritten per chunk: fine for tens of thousands of rows;
//! split larger files.

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

#[derive(Debug, Default, Serialize, Deserialize)]
struct StateFile {
    version: u32,
    /// The imported file, for people reading the state.
    file: String,
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
                rows: BTreeMap::new(),
            },
            Err(e) => return Err(CliError::io("reading", path, e)),
        };
        Ok(Self {
            path: path.to_owned(),
            data,
        })
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

    /// Writes the state: temporary file, flush to disk, rename.
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
        std::fs::rename(&tmp, &self.path).map_err(|e| CliError::io("writing", &self.path, e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_file() -> Result<(), CliError> {
        let dir = std::env::temp_dir().join(format!("hp-cli-state-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("s.json");
        let _ = std::fs::remove_file(&path);
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
}

//! The first pass over the file, before anything is sent: every record must be readable (a
//! file that cannot be read to its end sends nothing), and it counts the rows, counts those
//! an earlier run did, and picks out the rows an earlier run left unsettled, so that they are
//! settled before the rest is sent. It keeps the key index, never the rows, and reads no
//! original text (it reports nothing: the second pass does).

use std::path::Path;

use super::reader;
use super::row::{self, KeyIndex, Ready};
use super::state::{ImportState, Status};
use crate::args::ImportFormat;
use crate::error::CliError;

/// What the first pass found.
#[derive(Debug, Default)]
pub struct Scan {
    /// Rows in the file.
    pub rows: usize,
    /// Rows the state says are done.
    pub done: usize,
    /// Rows the state says may exist, checked and ready to settle.
    pub unsettled: Vec<Ready>,
}

/// Reads `path` through once. `index` is left holding every key, sized for the file, when
/// the state knows rows to look the keys up in; otherwise (a new import) the rows are only
/// counted: keying them would find nothing, and the second pass keys them anyway.
pub fn scan(
    path: &Path,
    format: ImportFormat,
    state: &ImportState,
    key_property: Option<&str>,
    index: &mut KeyIndex,
) -> Result<Scan, CliError> {
    let mut found = Scan::default();
    if !state.knows_rows() {
        found.rows = reader::open(path, format)?.count_rows()?;
        if found.rows == 0 {
            return Err(reader::no_rows(path));
        }
        return Ok(found);
    }
    let mut rows = reader::open(path, format)?;
    while let Some(item) = rows.next_row() {
        found.rows += 1;
        let Ok(raw) = item? else { continue };
        let Ok(key) = index.key(&raw) else { continue };
        match state.status(&key) {
            Some(Status::Done) => found.done += 1,
            Some(Status::Unsettled) => {
                // A row that fails its checks now was never sent: the second pass reports it.
                if let Ok(checked) = row::check(&raw, &key, key_property) {
                    found.unsettled.push(Ready {
                        at: raw.at,
                        key,
                        input: checked.input,
                        links: checked.links,
                        // Reported, if at all, by the second pass.
                        original: String::new(),
                    });
                }
            }
            None => {}
        }
    }
    if found.rows == 0 {
        return Err(reader::no_rows(path));
    }
    Ok(found)
}

//! The rows of the second pass, read, keyed and checked in file order, one at a time, by the
//! sending loop itself while a request is out: the loop waits for an answer most of the
//! time, and doing the reading there costs less than a thread of its own (no hand-over per
//! batch, no memory allocated on one thread and freed on another) and leaves the second
//! core to the rest.

use std::path::Path;

use super::reader::{self, Position, Rows};
use super::row::{self, KeyIndex, Ready};
use crate::args::ImportFormat;
use crate::error::CliError;

/// A row of the second pass.
#[derive(Debug)]
pub enum Row {
    /// Checked and keyed.
    Ready(Ready),
    /// Unreadable, or failing a check.
    Invalid {
        /// Where it is.
        at: Position,
        /// Why it is invalid.
        reason: String,
        /// The row as it was in the file.
        original: String,
    },
}

/// The file, read from its first row.
pub struct Feed<'a> {
    rows: Rows,
    index: KeyIndex,
    key_property: Option<&'a str>,
}

impl<'a> Feed<'a> {
    /// Opens `path` to read it from its first row, keying rows with `index` (emptied first).
    pub fn open(
        path: &Path,
        format: ImportFormat,
        key_property: Option<&'a str>,
        mut index: KeyIndex,
    ) -> Result<Self, CliError> {
        index.reset();
        Ok(Self {
            rows: reader::open(path, format)?,
            index,
            key_property,
        })
    }
}

impl Iterator for Feed<'_> {
    /// A row; `Err` when the file itself cannot be read further.
    type Item = Result<Row, CliError>;

    fn next(&mut self) -> Option<Self::Item> {
        let row = match self.rows.next_row()? {
            Err(e) => return Some(Err(e)),
            Ok(Err(bad)) => Row::Invalid {
                at: bad.at,
                reason: bad.reason,
                original: bad.original,
            },
            Ok(Ok(raw)) => match self
                .index
                .key(&raw)
                .and_then(|key| row::check(&raw, &key, self.key_property).map(|c| (key, c)))
            {
                Ok((key, checked)) => Row::Ready(Ready {
                    at: raw.at,
                    key,
                    input: checked.input,
                    links: checked.links,
                    original: raw.original(),
                }),
                Err(reason) => Row::Invalid {
                    at: raw.at,
                    reason,
                    original: raw.original(),
                },
            },
        };
        Some(Ok(row))
    }
}

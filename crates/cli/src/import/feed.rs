//! The reading thread of the second pass: rows read, keyed and checked in file order, sent
//! to the sender in batches over a bounded channel, so that reading never runs more than a
//! few batches ahead of sending.

use std::mem;
use std::path::PathBuf;

use tokio::sync::mpsc;

use super::reader::{self, Position};
use super::row::{self, KeyIndex, Ready};
use crate::args::ImportFormat;
use crate::error::CliError;

/// Rows per message from the reading thread.
pub const BATCH: usize = 256;
/// Messages the reading thread may run ahead.
pub const AHEAD: usize = 4;
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

pub type Batch = Result<Vec<Row>, CliError>;

/// Reads, keys and checks every row, in order, on the calling thread; stops when the
/// receiver is gone.
pub fn read_rows(
    path: PathBuf,
    format: ImportFormat,
    key_property: Option<String>,
    mut index: KeyIndex,
    tx: mpsc::Sender<Batch>,
) {
    let mut rows = match reader::open(&path, format) {
        Ok(rows) => rows,
        Err(e) => {
            let _ = tx.blocking_send(Err(e));
            return;
        }
    };
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(item) = rows.next_row() {
        let row = match item {
            Err(e) => {
                let _ = tx.blocking_send(Ok(mem::take(&mut batch)));
                let _ = tx.blocking_send(Err(e));
                return;
            }
            Ok(Err(bad)) => Row::Invalid {
                at: bad.at,
                reason: bad.reason,
                original: bad.original,
            },
            Ok(Ok(raw)) => match index
                .key(&raw)
                .and_then(|key| row::check(&raw, &key, key_property.as_deref()).map(|c| (key, c)))
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
        batch.push(row);
        if batch.len() == BATCH && tx.blocking_send(Ok(mem::take(&mut batch))).is_err() {
            return;
        }
    }
    if !batch.is_empty() {
        let _ = tx.blocking_send(Ok(batch));
    }
}

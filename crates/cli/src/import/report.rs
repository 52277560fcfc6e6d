//! The report file: one CSV line per row that was not created, with its row and line
//! number, what became of it, why, and the row as it was in the file.
//!
//! Written as the import goes (flushed after each chunk), so an interrupted run still leaves
//! a report of what it had seen.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use super::reader::Position;
use crate::error::CliError;

/// What became of a reported row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Refused before sending (unreadable, or the model's checks failed).
    Invalid,
    /// HubSpot answered that it did not create it.
    Rejected,
    /// Its request failed in a way that may have created it; a re-run reconciles it.
    MaybeApplied,
    /// Not sent: the import stopped early (bad token, daily limit); a re-run sends it.
    NotSent,
}

impl Status {
    fn as_str(self) -> &'static str {
        match self {
            Self::Invalid => "invalid",
            Self::Rejected => "rejected",
            Self::MaybeApplied => "maybe_applied",
            Self::NotSent => "not_sent",
        }
    }
}

/// An open report.
#[derive(Debug)]
pub struct Report {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
    lines: usize,
}

impl Report {
    /// Creates (or truncates) the report and writes its header.
    pub fn create(path: &Path) -> Result<Self, CliError> {
        let file = File::create(path).map_err(|e| CliError::io("writing", path, e))?;
        let mut writer = csv::Writer::from_writer(BufWriter::new(file));
        writer
            .write_record(["row", "line", "status", "reason", "original"])
            .map_err(|e| CliError::io("writing", path, e.into()))?;
        Ok(Self {
            path: path.to_owned(),
            writer,
            lines: 0,
        })
    }

    /// Adds a row.
    pub fn add(
        &mut self,
        at: Position,
        status: Status,
        reason: &str,
        original: &str,
    ) -> Result<(), CliError> {
        self.lines += 1;
        self.writer
            .write_record([
                at.row.to_string().as_str(),
                at.line.to_string().as_str(),
                status.as_str(),
                reason,
                original,
            ])
            .map_err(|e| CliError::io("writing", &self.path, e.into()))
    }

    /// Pushes what was written to disk.
    pub fn flush(&mut self) -> Result<(), CliError> {
        self.writer
            .flush()
            .map_err(|e| CliError::io("writing", &self.path, e))
    }

    /// Flushes and closes the report; removes it when no row was reported, so that a
    /// complete run leaves no stale report of an earlier one behind.
    pub fn finish(mut self) -> Result<Option<PathBuf>, CliError> {
        self.flush()?;
        let Self {
            path,
            writer,
            lines,
        } = self;
        drop(writer);
        if lines == 0 {
            std::fs::remove_file(&path).map_err(|e| CliError::io("removing", &path, e))?;
            return Ok(None);
        }
        Ok(Some(path))
    }
}

//! `CliError`: what a subcommand can fail with, and the exit code each maps to.
//!
//! Every variant prints on one line; [`crate::output::error_line`] makes sure of it and takes
//! the token out, whatever the text came from.

use std::io;
use std::path::PathBuf;

use hubspot_postal::model::validation::ValidationError;

/// Exit code of an import that finished but left rows uncreated (invalid, rejected or
/// maybe applied): distinct from 1 so that scripts can tell "partly done" from "failed".
pub const EXIT_INCOMPLETE: u8 = 3;

/// A failed subcommand.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// HubSpot (or the client on its behalf) said no; the text carries HubSpot's category and
    /// correlation id.
    #[error("{0}")]
    Api(#[from] hubspot_postal::Error),
    /// An argument the model rejects.
    #[error("invalid input: {0}")]
    Validation(#[from] ValidationError),
    /// A usage problem the argument parser cannot see (no token, a bad combination).
    #[error("{0}")]
    Usage(String),
    /// Reading or writing a file.
    #[error("{what} {}: {source}", path.display())]
    Io {
        /// What was being done (`reading`, `writing`, …).
        what: &'static str,
        /// The file.
        path: PathBuf,
        /// Why it failed.
        #[source]
        source: io::Error,
    },
    /// The emulator could not start.
    #[error("emulator: {0}")]
    Emulator(#[from] hubspot_postal_emulator::EmulatorError),
    /// What the command was to act on does not exist.
    #[error("{0}")]
    NotFound(String),
    /// An import that ran to the end but did not create every row.
    #[error("{0}")]
    Incomplete(String),
}

impl CliError {
    /// A file error.
    pub fn io(what: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Self::Io {
            what,
            path: path.into(),
            source,
        }
    }

    /// Writing to standard output failed.
    pub fn stdout(source: io::Error) -> Self {
        Self::io("writing", "standard output", source)
    }

    /// Whether this is standard output closing early (`… | head`), which is not a failure.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Self::Io { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Incomplete(_) => EXIT_INCOMPLETE,
            _ => 1,
        }
    }
}

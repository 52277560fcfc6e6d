//! Inputs shared by `create` and `update`: the letter text from a flag or a file.

use std::path::PathBuf;

use crate::error::CliError;

/// The text given with `--body`, or read from `--body-file`.
pub fn body_text(body: Option<String>, file: Option<PathBuf>) -> Result<Option<String>, CliError> {
    match (body, file) {
        (Some(text), _) => Ok(Some(text)),
        (None, Some(path)) => std::fs::read_to_string(&path)
            .map(Some)
            .map_err(|e| CliError::io("reading", path, e)),
        (None, None) => Ok(None),
    }
}

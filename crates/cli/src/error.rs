//! `CliError`: what a subcommand can fail with, and the exit code each maps to.
//!
//! Every variant prints on one line; [`crate::output::error_line`] makes sure of it and takes
//! the token out, whatever the text came from.

use std::error::Error as StdError;
use std::io;
use std::net::IpAddr;
use std::path::PathBuf;

use hubspot_postal::model::validation::ValidationError;
use hubspot_postal::transport::{SendPhase, TransportError, TransportErrorKind};

/// Exit code of an import that finished but left rows uncreated (invalid, rejected or
/// maybe applied): distinct from 1 so that scripts can tell "partly done" from "failed".
pub const EXIT_INCOMPLETE: u8 = 3;

/// A failed subcommand.
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// HubSpot (or the client on its behalf) said no; the text carries HubSpot's category and
    /// correlation id, where the rejected token came from (401), and how to start the
    /// emulator when nothing answers on a loopback address.
    #[error("{error}{hint}", error = .0, hint = hint(.0))]
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

/// What the client's error cannot know: where this process's token came from, and that the
/// emulator is one command away.
fn hint(error: &hubspot_postal::Error) -> String {
    if error.status() == Some(401) {
        return match crate::auth::source() {
            Some(source) => format!("; the token came from {source}"),
            None => String::new(),
        };
    }
    let transport = std::iter::successors(Some(error as &dyn StdError), |&e| e.source())
        .find_map(|e| e.downcast_ref::<TransportError>());
    let Some(transport) = transport else {
        return String::new();
    };
    let connecting = transport.kind().is_connect()
        || (transport.kind() == TransportErrorKind::Timeout
            && transport.phase() == SendPhase::NotSent);
    match transport.host().and_then(loopback_port) {
        Some(port) if connecting => format!(
            "; is the emulator running? Start it with `hubspot-postal emulator --port {port}`"
        ),
        _ => String::new(),
    }
}

/// The port of a `host:port` on this machine (`127.0.0.1`, `[::1]`, `localhost`).
fn loopback_port(host_port: &str) -> Option<u16> {
    let (host, port) = host_port.rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
    loopback.then(|| port.parse().ok()).flatten()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn connect_error(kind: TransportErrorKind, host: &str) -> CliError {
        CliError::Api(hubspot_postal::Error::Transport {
            operation: "list",
            source: TransportError::new(kind, SendPhase::NotSent, "nothing accepts connections")
                .with_host(host),
        })
    }

    #[test]
    fn a_refused_loopback_connection_says_how_to_start_the_emulator() {
        let text = connect_error(TransportErrorKind::ConnectRefused, "127.0.0.1:8089").to_string();
        assert_eq!(
            text,
            "list failed: connection refused at 127.0.0.1:8089 (request not sent): nothing \
             accepts connections; is the emulator running? Start it with \
             `hubspot-postal emulator --port 8089`"
        );
        for host in ["localhost:9", "[::1]:9"] {
            let text = connect_error(TransportErrorKind::ConnectRefused, host).to_string();
            assert!(text.ends_with("--port 9`"), "{text}");
        }
    }

    #[test]
    fn a_remote_host_or_another_failure_gets_no_emulator_hint() {
        let text = connect_error(TransportErrorKind::Dns, "api.hubapi.com:443").to_string();
        assert!(!text.contains("emulator"), "{text}");
        let sent = CliError::Api(hubspot_postal::Error::Transport {
            operation: "list",
            source: TransportError::new(TransportErrorKind::Io, SendPhase::MaybeSent, "reset")
                .with_host("127.0.0.1:8089"),
        });
        assert!(!sent.to_string().contains("emulator"), "{sent}");
    }
}

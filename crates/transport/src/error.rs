//! Why a transport returned no response, and whether the request may have reached the server.

use std::error::Error as StdError;
use std::fmt;

/// How far a request got before the transport failed.
///
/// This is the fact retry decisions rest on: a request that was [`SendPhase::NotSent`] can be
/// sent again whatever it does, while after [`SendPhase::MaybeSent`] only an idempotent request
/// may be repeated, because the server may already have applied it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SendPhase {
    /// The request provably never left this process (for example, the connection was refused).
    NotSent,
    /// Some or all of the request may have reached the server, which may have acted on it.
    MaybeSent,
}

impl fmt::Display for SendPhase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::NotSent => "request not sent",
            Self::MaybeSent => "request may have been sent",
        })
    }
}

/// The broad cause of a [`TransportError`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made (refused, DNS failure, TLS handshake failure).
    Connect,
    /// The per-attempt timeout elapsed.
    Timeout,
    /// The connection broke or the response could not be read or decoded.
    Io,
    /// The response body was larger than the transport's cap.
    BodyTooLarge,
    /// The request could not be built (bad URL, header or transport settings).
    InvalidRequest,
    /// Anything else, such as a scripted transport with no answer left.
    Other,
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection failed",
            Self::Timeout => "timed out",
            Self::Io => "I/O error",
            Self::BodyTooLarge => "response body too large",
            Self::InvalidRequest => "invalid request",
            Self::Other => "transport error",
        })
    }
}

/// A transport produced no response.
///
/// It says what went wrong ([`kind`](Self::kind)), how far the request got
/// ([`phase`](Self::phase)), and keeps the underlying error as its [`source`](StdError::source).
///
/// ```
/// use hubspot_postal_transport::{SendPhase, TransportError, TransportErrorKind};
///
/// let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset by peer");
/// let err = TransportError::new(TransportErrorKind::Io, SendPhase::MaybeSent, "reading the response")
///     .with_source(io);
/// assert_eq!(err.to_string(), "I/O error (request may have been sent): reading the response");
/// assert!(err.is_maybe_sent());
/// assert_eq!(std::error::Error::source(&err).unwrap().to_string(), "reset by peer");
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{kind} ({phase}): {message}")]
pub struct TransportError {
    kind: TransportErrorKind,
    phase: SendPhase,
    message: String,
    #[source]
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl TransportError {
    /// Creates an error without a source.
    pub fn new(kind: TransportErrorKind, phase: SendPhase, message: impl Into<String>) -> Self {
        Self {
            kind,
            phase,
            message: message.into(),
            source: None,
        }
    }

    /// Attaches the underlying error, kept as [`source`](StdError::source).
    #[must_use]
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn StdError + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The broad cause.
    #[must_use]
    pub fn kind(&self) -> TransportErrorKind {
        self.kind
    }

    /// How far the request got.
    #[must_use]
    pub fn phase(&self) -> SendPhase {
        self.phase
    }

    /// `true` when the server may have received, and acted on, the request.
    #[must_use]
    pub fn is_maybe_sent(&self) -> bool {
        self.phase == SendPhase::MaybeSent
    }

    /// The message, without the kind and phase.
    #[must_use]
    pub fn message(&self) -> &str {
        &self.message
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_kind_phase_and_message() {
        let err = TransportError::new(TransportErrorKind::Connect, SendPhase::NotSent, "refused");
        assert_eq!(
            err.to_string(),
            "connection failed (request not sent): refused"
        );
        assert!(!err.is_maybe_sent());
        assert!(err.source().is_none());
        assert_eq!(err.message(), "refused");
    }

    #[test]
    fn source_chain_is_kept() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] std::io::Error);

        let err = TransportError::new(TransportErrorKind::Io, SendPhase::MaybeSent, "read")
            .with_source(Outer(std::io::Error::other("inner")));
        let outer = err.source().unwrap();
        assert_eq!(outer.to_string(), "outer");
        assert_eq!(outer.source().unwrap().to_string(), "inner");
    }

    #[test]
    fn is_send_sync_and_static() {
        fn check<T: Send + Sync + 'static>() {}
        check::<TransportError>();
    }
}

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

/// The cause of a [`TransportError`], as precisely as the transport could tell it.
///
/// The connection failures are split by cause ([`ConnectRefused`](Self::ConnectRefused),
/// [`Dns`](Self::Dns), [`Tls`](Self::Tls), [`Proxy`](Self::Proxy)) because each calls for a
/// different fix; [`is_connect`](Self::is_connect) groups them. A timeout while connecting is a
/// [`Timeout`](Self::Timeout) in phase [`SendPhase::NotSent`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// No connection could be made, for a cause not listed below.
    Connect,
    /// The host actively refused the connection: nothing listens on that port.
    ConnectRefused,
    /// The host name could not be resolved.
    Dns,
    /// The TLS handshake failed: a bad certificate, or a server that does not speak TLS.
    Tls,
    /// The proxy between this process and the host failed or refused the tunnel.
    Proxy,
    /// A timeout elapsed: while connecting (phase `NotSent`) or waiting for the answer.
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

impl TransportErrorKind {
    /// Whether this is a failure to connect, whatever its cause; nothing was sent.
    ///
    /// ```
    /// use hubspot_postal_transport::TransportErrorKind;
    /// assert!(TransportErrorKind::ConnectRefused.is_connect());
    /// assert!(TransportErrorKind::Tls.is_connect());
    /// assert!(!TransportErrorKind::Io.is_connect());
    /// ```
    #[must_use]
    pub fn is_connect(self) -> bool {
        matches!(
            self,
            Self::Connect | Self::ConnectRefused | Self::Dns | Self::Tls | Self::Proxy
        )
    }
}

impl fmt::Display for TransportErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Connect => "connection failed",
            Self::ConnectRefused => "connection refused",
            Self::Dns => "host name not resolved (DNS)",
            Self::Tls => "TLS handshake failed",
            Self::Proxy => "proxy failed",
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
/// ([`phase`](Self::phase)), which host it was for when the transport knows
/// ([`host`](Self::host)), and keeps the underlying error as its [`source`](StdError::source).
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
///
/// let refused = TransportError::new(TransportErrorKind::ConnectRefused, SendPhase::NotSent, "nothing listens there")
///     .with_host("127.0.0.1:8089");
/// assert_eq!(
///     refused.to_string(),
///     "connection refused at 127.0.0.1:8089 (request not sent): nothing listens there"
/// );
/// assert_eq!(refused.host(), Some("127.0.0.1:8089"));
/// ```
#[derive(Debug, thiserror::Error)]
#[error("{kind}{} ({phase}): {message}", host.as_deref().map(|h| format!(" at {h}")).unwrap_or_default())]
pub struct TransportError {
    kind: TransportErrorKind,
    phase: SendPhase,
    message: String,
    /// `host:port` of the request; never a path or query, which may carry record ids.
    host: Option<String>,
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
            host: None,
            source: None,
        }
    }

    /// Names the host (`host:port`) the request was for, so the error can say where it failed.
    #[must_use]
    pub fn with_host(mut self, host: impl Into<String>) -> Self {
        self.host = Some(host.into());
        self
    }

    /// The host (`host:port`) the request was for, when the transport said.
    #[must_use]
    pub fn host(&self) -> Option<&str> {
        self.host.as_deref()
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

    /// The message, without the kind, host and phase.
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
    fn display_names_the_host_when_known() {
        let err = TransportError::new(TransportErrorKind::Dns, SendPhase::NotSent, "no such host")
            .with_host("api.hubapi.invalid:443");
        assert_eq!(
            err.to_string(),
            "host name not resolved (DNS) at api.hubapi.invalid:443 (request not sent): no such host"
        );
        assert_eq!(err.message(), "no such host");
    }

    #[test]
    fn connect_kinds_are_grouped() {
        use TransportErrorKind::*;
        for kind in [Connect, ConnectRefused, Dns, Tls, Proxy] {
            assert!(kind.is_connect(), "{kind:?}");
        }
        for kind in [Timeout, Io, BodyTooLarge, InvalidRequest, Other] {
            assert!(!kind.is_connect(), "{kind:?}");
        }
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

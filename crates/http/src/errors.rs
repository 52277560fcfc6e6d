//! How reqwest failures map onto [`TransportError`]s: the cause (refused, DNS, TLS, proxy,
//! timeout), the host, and the phase that retry decisions need.

use std::error::Error as _;
use std::time::Duration;

use hubspot_postal_transport::{SendPhase, TransportError, TransportErrorKind};

/// Where a request was going: enough to name the host in an error and to tell a TLS failure
/// from another broken connection.
pub(crate) struct Target {
    /// `host:port`; never the path or query, which may carry record ids or search input.
    pub(crate) host: String,
    /// Whether the scheme is `https`.
    pub(crate) tls: bool,
}

impl Target {
    pub(crate) fn of(url: &url::Url) -> Self {
        let host = match (url.host_str(), url.port_or_known_default()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => String::new(),
        };
        Self {
            host,
            tls: url.scheme() == "https",
        }
    }
}

/// Maps a failure while sending the request and waiting for the response head.
///
/// Only a failure to connect proves that nothing was sent; once a connection exists, any
/// failure may have come after the server read the request, so it is `MaybeSent`.
pub(crate) fn send_error(
    err: reqwest::Error,
    target: &Target,
    timeout: Duration,
    connect_timeout: Duration,
) -> TransportError {
    let (kind, phase, message) = if err.is_builder() {
        (
            TransportErrorKind::InvalidRequest,
            SendPhase::NotSent,
            "the request could not be built".to_owned(),
        )
    } else if err.is_connect() && err.is_timeout() {
        (
            TransportErrorKind::Timeout,
            SendPhase::NotSent,
            format!("could not connect within {connect_timeout:?}"),
        )
    } else if err.is_connect() {
        let (kind, message) = connect_cause(&err, target.tls);
        (kind, SendPhase::NotSent, message)
    } else if err.is_timeout() {
        (
            TransportErrorKind::Timeout,
            SendPhase::MaybeSent,
            format!("no response within {timeout:?}"),
        )
    } else {
        (
            TransportErrorKind::Io,
            SendPhase::MaybeSent,
            "the connection failed before a response arrived".to_owned(),
        )
    };
    // The URL may carry record ids or search input; errors name the host, never the URL.
    TransportError::new(kind, phase, message)
        .with_host(target.host.clone())
        .with_source(err.without_url())
}

/// Why a connection could not be made, read from reqwest's source chain (hyper-util's tunnel
/// and SOCKS errors, the resolver's error, the socket's `io::ErrorKind`, rustls' error carried
/// as `InvalidData`), with the deepest cause's text for the message.
fn connect_cause(err: &reqwest::Error, tls: bool) -> (TransportErrorKind, String) {
    let chain = || std::iter::successors(err.source(), |&e| e.source());
    let deepest = chain().last().map(ToString::to_string).unwrap_or_default();
    // `io::Error::source` skips the error it wraps, so wrapped `io::Error`s (hyper-util wraps
    // rustls' `InvalidData` in an `Other`) are reached through `get_ref` too.
    let io_kinds = || {
        chain().flat_map(|e| {
            std::iter::successors(e.downcast_ref::<std::io::Error>(), |io| {
                io.get_ref()?.downcast_ref::<std::io::Error>()
            })
            .map(std::io::Error::kind)
        })
    };
    // The proxy comes first: a proxy that refuses or cannot resolve is still the proxy's fault.
    // hyper-util's tunnel and SOCKS errors are private types; their text is their only mark.
    let proxy = chain().any(|e| {
        let text = e.to_string();
        text.starts_with("tunnel error") || text.starts_with("SOCKS error")
    });
    if proxy {
        (
            TransportErrorKind::Proxy,
            format!("the proxy could not open a connection: {deepest}"),
        )
    } else if err.is_dns() {
        (
            TransportErrorKind::Dns,
            format!("the host name could not be resolved: {deepest}"),
        )
    } else if io_kinds().any(|k| k == std::io::ErrorKind::ConnectionRefused) {
        (
            TransportErrorKind::ConnectRefused,
            "nothing accepts connections on that port".to_owned(),
        )
    } else if tls
        && io_kinds().any(|k| {
            matches!(
                k,
                std::io::ErrorKind::InvalidData | std::io::ErrorKind::UnexpectedEof
            )
        })
    {
        (
            TransportErrorKind::Tls,
            format!("no TLS session could be set up (is it an https server?): {deepest}"),
        )
    } else {
        (
            TransportErrorKind::Connect,
            format!("could not connect: {deepest}"),
        )
    }
}

/// Maps a failure while reading (and decompressing) the response body.
pub(crate) fn body_error(err: reqwest::Error, timeout: Duration) -> TransportError {
    let (kind, message) = if err.is_timeout() {
        (
            TransportErrorKind::Timeout,
            format!("the response body did not arrive within {timeout:?}"),
        )
    } else if err.is_decode() {
        (
            TransportErrorKind::Io,
            "the response body could not be decoded".to_owned(),
        )
    } else {
        (
            TransportErrorKind::Io,
            "the connection failed while reading the response body".to_owned(),
        )
    };
    TransportError::new(kind, SendPhase::MaybeSent, message).with_source(err.without_url())
}

/// A request or setting that cannot be sent; nothing left the process.
pub(crate) fn invalid(message: impl Into<String>) -> TransportError {
    TransportError::new(
        TransportErrorKind::InvalidRequest,
        SendPhase::NotSent,
        message,
    )
}

/// The response body is over the cap; the server has already handled the request.
pub(crate) fn too_large(max: u64, announced: Option<u64>) -> TransportError {
    let message = match announced {
        Some(length) => {
            format!("the response announces {length} bytes, more than the limit of {max} bytes")
        }
        None => format!("the response body exceeds the limit of {max} bytes"),
    };
    TransportError::new(
        TransportErrorKind::BodyTooLarge,
        SendPhase::MaybeSent,
        message,
    )
}

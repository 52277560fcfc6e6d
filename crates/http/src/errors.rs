//! How reqwest failures map onto [`TransportError`]s, with the phase that retry decisions need.

use std::time::Duration;

use hubspot_postal_transport::{SendPhase, TransportError, TransportErrorKind};

/// Maps a failure while sending the request and waiting for the response head.
///
/// Only a failure to connect proves that nothing was sent; once a connection exists, any
/// failure may have come after the server read the request, so it is `MaybeSent`.
pub(crate) fn send_error(err: reqwest::Error, timeout: Duration) -> TransportError {
    let (kind, phase, message) = if err.is_builder() {
        (
            TransportErrorKind::InvalidRequest,
            SendPhase::NotSent,
            "the request could not be built".to_owned(),
        )
    } else if err.is_connect() {
        let message = if err.is_timeout() {
            "could not connect before the connect timeout"
        } else {
            "could not connect"
        };
        (
            TransportErrorKind::Connect,
            SendPhase::NotSent,
            message.to_owned(),
        )
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
    // The URL may carry record ids or search input; errors name requests by path template.
    TransportError::new(kind, phase, message).with_source(err.without_url())
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

//! One HTTP response, fully read into memory, as a transport hands it back.

use std::fmt;

use bytes::Bytes;
use http::header::{AsHeaderName, CONTENT_TYPE};
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};

use crate::request::{BodyLen, RedactedHeaders};

/// The status, headers and complete body of a response.
///
/// Every status is a response, including `3xx`, `4xx` and `5xx`: interpreting it is the
/// client's job. The body is already decompressed and bounded by the transport's size cap.
/// `Debug` prints the body's length only.
///
/// ```
/// use hubspot_postal_transport::Response;
/// use hubspot_postal_transport::http::StatusCode;
///
/// let response = Response::json(StatusCode::CREATED, &serde_json::json!({ "id": "512" }));
/// assert_eq!(response.header("content-type"), Some("application/json"));
/// assert_eq!(&response.body[..], br#"{"id":"512"}"#);
/// ```
#[derive(Clone)]
pub struct Response {
    /// The status code.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The complete body; empty when there is none.
    pub body: Bytes,
}

impl Response {
    /// A response with the given status, no headers and an empty body.
    #[must_use]
    pub fn new(status: StatusCode) -> Self {
        Self {
            status,
            headers: HeaderMap::new(),
            body: Bytes::new(),
        }
    }

    /// A response whose body is `value` as JSON, with `Content-Type: application/json`.
    #[must_use]
    pub fn json(status: StatusCode, value: &serde_json::Value) -> Self {
        Self::new(status)
            .with_header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .with_body(value.to_string())
    }

    /// Adds a header, keeping any earlier value of the same name.
    #[must_use]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sets the body.
    #[must_use]
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = body.into();
        self
    }

    /// The first value of a header, if it is present and visible ASCII.
    pub fn header<K: AsHeaderName>(&self, name: K) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

impl fmt::Debug for Response {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &BodyLen(Some(&self.body)))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::header;

    #[test]
    fn json_sets_content_type_and_body() {
        let value = serde_json::json!({ "status": "error", "category": "RATE_LIMITS" });
        let response = Response::json(StatusCode::TOO_MANY_REQUESTS, &value);
        assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(
            response.header(header::CONTENT_TYPE),
            Some("application/json")
        );
        let parsed: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
        assert_eq!(parsed, value);
    }

    #[test]
    fn header_is_case_insensitive_and_skips_non_text() {
        let response = Response::new(StatusCode::OK)
            .with_header(
                HeaderName::from_static("x-hubspot-ratelimit-remaining"),
                HeaderValue::from_static("99"),
            )
            .with_header(
                HeaderName::from_static("x-binary"),
                HeaderValue::from_bytes(b"\xff").unwrap(),
            );
        assert_eq!(response.header("X-HubSpot-RateLimit-Remaining"), Some("99"));
        assert_eq!(response.header("x-binary"), None);
        assert_eq!(response.header("missing"), None);
    }

    #[test]
    fn debug_prints_body_length_only() {
        let response = Response::new(StatusCode::OK).with_body("Dear John, the contract");
        let debug = format!("{response:?}");
        assert!(!debug.contains("Dear John"), "{debug}");
        assert!(debug.contains("<23 bytes>"), "{debug}");
        assert!(debug.contains("200"), "{debug}");
    }
}

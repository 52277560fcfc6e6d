//! One fully prepared HTTP request, as the client hands it to a transport.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, Method};

use crate::{BaseUrl, Operation};

/// A request ready to send: the transport adds nothing but connection-level headers.
///
/// Everything is public so that tests and other transports can read it. `Clone` is cheap (the
/// body and the headers are reference counted), which lets a retry layer resend the same
/// request.
///
/// The headers are shared, copy on write: a client builds its fixed headers (`Authorization`,
/// `Accept`, `Content-Type`) once and every request points at them, instead of allocating and
/// filling a map per attempt that the transport then copies into its own request anyway.
/// Read them through `Deref` (`request.headers.get(..)`); change them with
/// [`with_header`](Self::with_header) or `Arc::make_mut(&mut request.headers)`, which copies a
/// shared map first.
///
/// `Debug` never prints the value of a header marked sensitive
/// ([`HeaderValue::is_sensitive`]), such as the `Authorization` header the client sets, nor
/// the body (only its length), since bodies hold letter text.
///
/// ```
/// use hubspot_postal_transport::{BaseUrl, Idempotency, Operation, Request};
/// use hubspot_postal_transport::http::{header, HeaderValue, Method};
///
/// const READ: Operation =
///     Operation::new("postal_mail.read", "/crm/v3/objects/postal_mail/{id}", Idempotency::Read);
///
/// let mut token = HeaderValue::from_static("Bearer pat-na1-secret");
/// token.set_sensitive(true);
/// let request = Request::new(Method::GET, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail/42", READ)
///     .with_header(header::AUTHORIZATION, token);
///
/// assert_eq!(request.url(), "https://api.hubapi.com/crm/v3/objects/postal_mail/42");
/// assert!(!format!("{request:?}").contains("secret"));
/// ```
#[derive(Clone)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// Where the API lives.
    pub base_url: BaseUrl,
    /// Path and optional query, already percent-encoded, starting with `/`.
    pub path_and_query: String,
    /// Request headers, including `Authorization` (marked sensitive) and `Content-Type`;
    /// shared, copy on write (see the type's docs).
    pub headers: Arc<HeaderMap>,
    /// The body, if any.
    pub body: Option<Bytes>,
    /// What the request is for; used for retry decisions and for naming it in logs.
    pub operation: Operation,
    /// Timeout for this one attempt; `None` uses the transport's default.
    pub timeout: Option<Duration>,
}

impl Request {
    /// A request with no headers, no body and the transport's default timeout.
    // Inlined, like the `with_` builders, so that a chain of them builds the request in place
    // in the caller instead of moving it in and out of each call (it is 256 bytes).
    #[inline]
    pub fn new(
        method: Method,
        base_url: BaseUrl,
        path_and_query: impl Into<String>,
        operation: Operation,
    ) -> Self {
        Self {
            method,
            base_url,
            path_and_query: path_and_query.into(),
            headers: Arc::default(),
            body: None,
            operation,
            timeout: None,
        }
    }

    /// Adds a header, keeping any earlier value of the same name (the map is copied first if
    /// another request shares it).
    #[must_use]
    #[inline]
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        Arc::make_mut(&mut self.headers).append(name, value);
        self
    }

    /// Sets every header at once to `headers`, which may be shared with other requests.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hubspot_postal_transport::{BaseUrl, Idempotency, Operation, Request};
    /// use hubspot_postal_transport::http::{header, HeaderMap, HeaderValue, Method};
    ///
    /// const READ: Operation =
    ///     Operation::new("postal_mail.read", "/crm/v3/objects/postal_mail/{id}", Idempotency::Read);
    ///
    /// let mut fixed = HeaderMap::new();
    /// fixed.insert(header::ACCEPT, HeaderValue::from_static("application/json"));
    /// let fixed = Arc::new(fixed);
    /// let one = Request::new(Method::GET, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail/1", READ)
    ///     .with_headers(fixed.clone());
    /// let two = Request::new(Method::GET, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail/2", READ)
    ///     .with_headers(fixed.clone())
    ///     .with_header(header::USER_AGENT, HeaderValue::from_static("test"));
    /// assert!(Arc::ptr_eq(&one.headers, &fixed), "shared, not copied");
    /// assert_eq!(two.headers.len(), 2);
    /// assert_eq!(fixed.len(), 1, "a change copies the shared map first");
    /// ```
    #[must_use]
    #[inline]
    pub fn with_headers(mut self, headers: Arc<HeaderMap>) -> Self {
        self.headers = headers;
        self
    }

    /// Sets the body.
    #[must_use]
    #[inline]
    pub fn with_body(mut self, body: impl Into<Bytes>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// Sets the timeout of one attempt.
    #[must_use]
    #[inline]
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The full URL: the base URL followed by the path and query.
    #[must_use]
    pub fn url(&self) -> String {
        let mut url =
            String::with_capacity(self.base_url.as_str().len() + self.path_and_query.len());
        url.push_str(self.base_url.as_str());
        url.push_str(&self.path_and_query);
        url
    }
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("base_url", &self.base_url.as_str())
            .field("path_and_query", &self.path_and_query)
            .field("operation", &self.operation.name)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &BodyLen(self.body.as_ref()))
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// Debug view of headers that hides the value of every header marked sensitive.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() {
                map.entry(&name.as_str(), &format_args!("<redacted>"));
            } else {
                map.entry(&name.as_str(), value);
            }
        }
        map.finish()
    }
}

/// Debug view of a body that shows its length only.
pub(crate) struct BodyLen<'a>(pub(crate) Option<&'a Bytes>);

impl fmt::Debug for BodyLen<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            None => f.write_str("None"),
            Some(body) => write!(f, "<{} bytes>", body.len()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Idempotency;
    use http::header;

    const CREATE: Operation = Operation::new(
        "postal_mail.create",
        "/crm/v3/objects/postal_mail",
        Idempotency::CreatesRecord,
    );

    fn create_request() -> Request {
        let mut token = HeaderValue::from_static("Bearer pat-na1-very-secret-token");
        token.set_sensitive(true);
        Request::new(
            Method::POST,
            BaseUrl::hubspot(),
            "/crm/v3/objects/postal_mail",
            CREATE,
        )
        .with_header(header::AUTHORIZATION, token)
        .with_header(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )
        .with_body(r#"{"properties":{"hs_postal_mail_body":"Dear John, the contract"}}"#)
        .with_timeout(Duration::from_secs(3))
    }

    #[test]
    fn debug_hides_sensitive_headers_and_the_body() {
        let request = create_request();
        let debug = format!("{request:?}");
        assert!(!debug.contains("very-secret"), "{debug}");
        assert!(!debug.contains("Dear John"), "{debug}");
        assert!(debug.contains("\"authorization\": <redacted>"), "{debug}");
        assert!(debug.contains("application/json"), "{debug}");
        assert!(debug.contains("<64 bytes>"), "{debug}");
        assert!(debug.contains("postal_mail.create"), "{debug}");
        let pretty = format!("{request:#?}");
        assert!(!pretty.contains("very-secret") && !pretty.contains("Dear John"));
    }

    #[test]
    fn url_joins_base_and_path() {
        let base = BaseUrl::parse("http://127.0.0.1:8080/").unwrap();
        let request = Request::new(
            Method::GET,
            base,
            "/crm/v3/objects/postal_mail?limit=10",
            CREATE,
        );
        assert_eq!(
            request.url(),
            "http://127.0.0.1:8080/crm/v3/objects/postal_mail?limit=10"
        );
    }

    #[test]
    fn clone_keeps_everything() {
        let request = create_request();
        let copy = request.clone();
        assert_eq!(copy.method, request.method);
        assert_eq!(copy.url(), request.url());
        assert_eq!(copy.headers, request.headers);
        assert!(copy.headers[header::AUTHORIZATION].is_sensitive());
        assert_eq!(copy.body, request.body);
        assert_eq!(copy.operation, request.operation);
        assert_eq!(copy.timeout, Some(Duration::from_secs(3)));
    }
}

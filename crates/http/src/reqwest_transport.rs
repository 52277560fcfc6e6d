//! The reqwest-backed transport: one pooled client, no redirects, bounded bodies.

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use bytes::{Bytes, BytesMut};
use hubspot_postal_transport::{Request, Response, Transport, TransportError};
use reqwest::header::HeaderValue;

use crate::HttpConfig;
use crate::errors;

/// The `User-Agent` sent with every request (a configured suffix follows after a space).
pub const USER_AGENT: &str = concat!("hubspot-postal-rust/", env!("CARGO_PKG_VERSION"));

/// The largest buffer reserved up front from a `Content-Length`; bodies grow past it as they
/// arrive, so a lying header cannot make us allocate more than this before data shows up.
const MAX_INITIAL_CAPACITY: u64 = 1024 * 1024;

/// A [`Transport`] over [reqwest](https://docs.rs/reqwest) with rustls.
///
/// Cloning is cheap: every clone shares one `reqwest::Client` and so one connection pool.
///
/// Redirects are never followed. A `3xx` comes back to the caller as a
/// [`Response`]: HubSpot's API does not redirect, and following one could carry the
/// `Authorization` header (and a letter's text) to another host.
///
/// ```no_run
/// use hubspot_postal_http::{HttpConfig, ReqwestTransport};
/// use hubspot_postal_transport::{BaseUrl, Idempotency, Operation, Request, Transport};
/// use hubspot_postal_transport::http::Method;
/// use std::sync::Arc;
/// use std::time::Duration;
///
/// const LIST: Operation =
///     Operation::new("postal_mail.list", "/crm/v3/objects/postal_mail", Idempotency::Idempotent);
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let transport: Arc<dyn Transport> = Arc::new(ReqwestTransport::with_config(
///     HttpConfig::default().with_request_timeout(Duration::from_secs(15)),
/// )?);
/// let request = Request::new(Method::GET, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail?limit=10", LIST);
/// let response = transport.send(request).await?;
/// println!("{}", response.status);
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: u64,
}

impl ReqwestTransport {
    /// A transport with [`HttpConfig::default()`].
    pub fn new() -> Result<Self, TransportError> {
        Self::with_config(HttpConfig::default())
    }

    /// A transport with the given settings.
    ///
    /// Fails with [`TransportErrorKind::InvalidRequest`](hubspot_postal_transport::TransportErrorKind::InvalidRequest)
    /// when the user agent suffix is not visible ASCII or the TLS backend cannot start.
    pub fn with_config(config: HttpConfig) -> Result<Self, TransportError> {
        let user_agent = match config.user_agent_suffix() {
            Some(suffix) if !suffix.trim().is_empty() => format!("{USER_AGENT} {}", suffix.trim()),
            _ => USER_AGENT.to_owned(),
        };
        let user_agent = HeaderValue::from_str(&user_agent).map_err(|e| {
            errors::invalid("the user agent suffix must be visible ASCII").with_source(e)
        })?;
        let client = reqwest::Client::builder()
            .tls_backend_rustls()
            .user_agent(user_agent)
            // Why: see the type's docs. A 3xx is returned, never followed.
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .gzip(true)
            .connect_timeout(config.connect_timeout())
            .pool_idle_timeout(config.pool_idle_timeout())
            .pool_max_idle_per_host(config.pool_max_idle_per_host())
            .build()
            .map_err(|e| errors::invalid("the HTTP client could not be built").with_source(e))?;
        Ok(Self {
            client,
            connect_timeout: config.connect_timeout(),
            request_timeout: config.request_timeout(),
            max_response_bytes: config.max_response_bytes(),
        })
    }
}

impl fmt::Debug for ReqwestTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ReqwestTransport")
            .field("request_timeout", &self.request_timeout)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl Transport for ReqwestTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let url = checked_url(&request)?;
        let target = errors::Target::of(&url);
        let timeout = request.timeout.unwrap_or(self.request_timeout);
        let mut outgoing = reqwest::Request::new(request.method, url);
        // The request's headers are shared with other requests: each is copied into reqwest's
        // own map (what `RequestBuilder::headers` does too), never the whole map first.
        let headers = outgoing.headers_mut();
        for (name, value) in request.headers.iter() {
            headers.append(name.clone(), value.clone());
        }
        // reqwest applies this timeout from connecting until the body has been read.
        *outgoing.timeout_mut() = Some(timeout);
        if let Some(body) = request.body {
            *outgoing.body_mut() = Some(body.into());
        }
        let response = self
            .client
            .execute(outgoing)
            .await
            .map_err(|e| errors::send_error(e, &target, timeout, self.connect_timeout))?;
        read_bounded(response, self.max_response_bytes, timeout)
            .await
            .map_err(|e| e.with_host(target.host))
    }
}

/// Builds the URL, refusing anything that is not what [`Request`] promises.
///
/// `BaseUrl` already guarantees https or loopback http; this second check costs nothing and
/// keeps a bearer token off the network in clear text even if that guarantee ever regresses.
fn checked_url(request: &Request) -> Result<url::Url, TransportError> {
    let path = &request.path_and_query;
    if !path.starts_with('/') {
        return Err(errors::invalid("the path must start with '/'"));
    }
    if path.bytes().any(|b| !b.is_ascii_graphic() || b == b'#') {
        return Err(errors::invalid(
            "the path and query must be percent-encoded, without spaces, control characters or a fragment",
        ));
    }
    let url = url::Url::parse(&request.url())
        .map_err(|e| errors::invalid("the request URL is not valid").with_source(e))?;
    let loopback = match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(domain)) => domain == "localhost",
        None => false,
    };
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(errors::invalid(
            "refusing to send a request other than over https, or plain http to a loopback host",
        )),
    }
}

/// Reads the body chunk by chunk, failing as soon as it is known to exceed `max` bytes.
async fn read_bounded(
    mut response: reqwest::Response,
    max: u64,
    timeout: Duration,
) -> Result<Response, TransportError> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    // Known only when the body is not being decompressed; the loop below covers the rest.
    let announced = response.content_length();
    if let Some(length) = announced
        && length > max
    {
        return Err(errors::too_large(max, Some(length)));
    }
    // Most HubSpot answers arrive in one chunk: keep it as it is, and copy into a buffer only
    // when a second chunk comes.
    let mut first: Option<Bytes> = None;
    let mut buffer: Option<BytesMut> = None;
    let mut total: u64 = 0;
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|e| errors::body_error(e, timeout))?
    {
        total = total.saturating_add(u64::try_from(chunk.len()).unwrap_or(u64::MAX));
        if total > max {
            // Dropping the response closes the connection instead of draining the rest.
            return Err(errors::too_large(max, None));
        }
        match (&mut buffer, first.take()) {
            (Some(buf), _) => buf.extend_from_slice(&chunk),
            (None, None) => first = Some(chunk),
            (None, Some(head)) => {
                let capacity = announced.unwrap_or(0).min(max).min(MAX_INITIAL_CAPACITY);
                let capacity = usize::try_from(capacity)
                    .unwrap_or(0)
                    .max(head.len() + chunk.len());
                let mut buf = BytesMut::with_capacity(capacity);
                buf.extend_from_slice(&head);
                buf.extend_from_slice(&chunk);
                buffer = Some(buf);
            }
        }
    }
    let body = match buffer {
        Some(buf) => buf.freeze(),
        None => first.unwrap_or_default(),
    };
    Ok(Response {
        status,
        headers,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubspot_postal_transport::{
        BaseUrl, Idempotency, Operation, SendPhase, TransportErrorKind,
    };
    use reqwest::Method;

    const OP: Operation = Operation::new("test.op", "/t", Idempotency::Idempotent);

    fn request(base: &str, path: &str) -> Request {
        Request::new(Method::GET, BaseUrl::parse(base).unwrap(), path, OP)
    }

    #[test]
    fn user_agent_names_this_crate_and_the_workspace_version() {
        assert_eq!(
            USER_AGENT,
            format!("hubspot-postal-rust/{}", env!("CARGO_PKG_VERSION"))
        );
    }

    #[test]
    fn checked_url_joins_base_and_path() {
        let url = checked_url(&request(
            "https://api.hubapi.com",
            "/crm/v3/objects/postal_mail?limit=10&after=abc%20d",
        ))
        .unwrap();
        assert_eq!(
            url.as_str(),
            "https://api.hubapi.com/crm/v3/objects/postal_mail?limit=10&after=abc%20d"
        );
        let url = checked_url(&request("http://[::1]:9", "/x")).unwrap();
        assert_eq!(url.as_str(), "http://[::1]:9/x");
    }

    #[test]
    fn checked_url_refuses_paths_that_could_change_the_url() {
        for path in ["", "crm/v3", "/a b", "/a\r\nHost: evil", "/a#frag", "/é"] {
            let err = checked_url(&request("https://api.hubapi.com", path)).unwrap_err();
            assert_eq!(err.kind(), TransportErrorKind::InvalidRequest, "{path:?}");
            assert_eq!(err.phase(), SendPhase::NotSent, "{path:?}");
        }
    }

    #[test]
    fn invalid_user_agent_suffix_is_an_error_not_a_panic() {
        let err = ReqwestTransport::with_config(
            HttpConfig::default().with_user_agent_suffix("bad\nvalue"),
        )
        .unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::InvalidRequest);
        assert_eq!(err.phase(), SendPhase::NotSent);
    }

    #[test]
    fn debug_shows_settings_only() {
        let transport = ReqwestTransport::with_config(
            HttpConfig::default().with_request_timeout(Duration::from_secs(7)),
        )
        .unwrap();
        assert_eq!(
            format!("{transport:?}"),
            "ReqwestTransport { request_timeout: 7s, max_response_bytes: 33554432, .. }"
        );
    }
}

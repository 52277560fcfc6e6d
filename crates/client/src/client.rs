//! `Client`: the async postal mail client. Cheap to clone; every clone shares the transport,
//! the connection pool and the rate limiter.

use std::fmt;
use std::sync::Arc;

use http::{HeaderMap, HeaderValue, header};
use hubspot_postal_model::endpoints::ApiVersion;
use hubspot_postal_transport::{BaseUrl, Transport};

use crate::builder::ClientBuilder;
// Only `Client::new` needs it, and only with the `http` feature (hubspot-postal-redis builds
// this crate without it).
#[cfg(feature = "http")]
use crate::error::Result;
use crate::limiter::{RateBudget, RateLimiter};
use crate::retry::RetryPolicy;
use crate::token::AccessToken;

pub(crate) struct Inner {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) base_url: BaseUrl,
    pub(crate) token: AccessToken,
    /// The headers every request carries, built once per body kind (see [`RequestHeaders`]).
    pub(crate) headers: RequestHeaders,
    pub(crate) retry: RetryPolicy,
    /// What paces every request: `local` itself unless the builder was given another budget.
    pub(crate) limiter: Arc<dyn RateBudget>,
    pub(crate) local: RateLimiter,
    pub(crate) batch_concurrency: usize,
    pub(crate) api_version: ApiVersion,
}

/// The async client for HubSpot postal mail engagements.
///
/// ```no_run
/// use hubspot_postal::Client;
/// use hubspot_postal::model::engagement::CreatePostalMail;
/// # async fn run() -> Result<(), hubspot_postal::Error> {
/// let client = Client::new(std::env::var("HUBSPOT_ACCESS_TOKEN").unwrap_or_default())?;
/// let letter = client
///     .create(CreatePostalMail::new("2026-11-30".parse()?).body("Contract received"))
///     .await?;
/// println!("logged postal mail {}", letter.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

impl Client {
    /// A client for HubSpot (`https://api.hubapi.com`) with every default; see [`ClientBuilder`].
    #[cfg(feature = "http")]
    pub fn new(token: impl Into<AccessToken>) -> Result<Self> {
        Self::builder().token(token).build()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    pub(crate) fn from_inner(inner: Inner) -> Self {
        Self {
            inner: Arc::new(inner),
        }
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.inner.base_url.as_str()
    }

    /// The in-process rate limiter handle, to share with other clients of the same portal.
    ///
    /// A client built with [`ClientBuilder::rate_budget`] is paced by that budget instead (see
    /// [`Client::rate_budget`]); this handle is then the one given to
    /// [`ClientBuilder::rate_limiter`], or the default, and paces none of this client's requests.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.inner.local
    }

    /// The rate budget that paces this client's requests, to share with other clients.
    ///
    /// ```
    /// let client = hubspot_postal::Client::builder().token("t").build()?;
    /// let other = hubspot_postal::Client::builder()
    ///     .token("t")
    ///     .rate_budget(client.rate_budget().clone())
    ///     .build()?;
    /// # let _ = other;
    /// # Ok::<(), hubspot_postal::Error>(())
    /// ```
    pub fn rate_budget(&self) -> &Arc<dyn RateBudget> {
        &self.inner.limiter
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }

    /// The HubSpot API version every request goes to.
    pub fn api_version(&self) -> ApiVersion {
        self.inner.api_version
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token)
            .field("transport", &self.inner.transport)
            .field("retry", &self.inner.retry)
            .field("api_version", &self.inner.api_version)
            .finish_non_exhaustive()
    }
}

/// The fixed headers of a request, built once per kind of body and shared by every request
/// (a request's headers are copy on write): no map is allocated or filled per attempt.
#[derive(Clone)]
pub(crate) struct RequestHeaders {
    /// `Authorization` and `Accept`: a request without a body.
    pub(crate) bodiless: Arc<HeaderMap>,
    /// Those and `Content-Type: application/json`.
    pub(crate) json: Arc<HeaderMap>,
    /// Those and `Content-Length: 0`: a PUT or POST without a body, as HubSpot's SDKs send it
    /// (hyper omits the length of an empty body otherwise).
    pub(crate) empty: Arc<HeaderMap>,
}

impl RequestHeaders {
    /// The three maps for the `Authorization` value `auth` (marked sensitive by the caller).
    pub(crate) fn new(auth: HeaderValue) -> Self {
        let mut bodiless = HeaderMap::with_capacity(2);
        bodiless.append(header::AUTHORIZATION, auth);
        bodiless.append(header::ACCEPT, HeaderValue::from_static("application/json"));
        let mut json = bodiless.clone();
        json.append(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let mut empty = bodiless.clone();
        empty.append(header::CONTENT_LENGTH, HeaderValue::from_static("0"));
        Self {
            bodiless: Arc::new(bodiless),
            json: Arc::new(json),
            empty: Arc::new(empty),
        }
    }
}

//! `ClientBuilder`: base URL, token, transport, retry policy, rate limiter or budget, and batch
//! concurrency, with defaults that are safe for a production portal.

use std::sync::Arc;

use hubspot_postal_model::endpoints::ApiVersion;
use hubspot_postal_transport::{BaseUrl, Transport};

use crate::client::{Client, Inner, RequestHeaders};
use crate::error::{Error, Result};
use crate::limiter::{RateBudget, RateLimiter};
use crate::retry::RetryPolicy;
use crate::token::AccessToken;

/// Builds a [`Client`].
///
/// Defaults:
/// - base URL `https://api.hubapi.com`;
/// - transport: `hubspot-postal-http`'s reqwest transport (feature `http`, on by default);
/// - retries: [`RetryPolicy::default`]: 5 attempts, exponential jittered backoff from 200 ms to
///   10 s, `Retry-After` honoured up to 60 s, 30 s per attempt, 60 s per operation; creates are
///   never repeated once they may have been sent;
/// - rate limiter: [`RateLimiter::free_starter`], 100 requests per 10 s and search 5 per second,
///   learning the real window from HubSpot's `X-HubSpot-RateLimit-*` headers, in this process
///   (several processes of one portal share a budget through [`rate_budget`](Self::rate_budget));
/// - batches: 100 inputs per request, 4 requests at a time;
/// - API version: [`ApiVersion::DEFAULT`] (`2026-03`), pinned: it changes only in a
///   semver-major release of this crate.
///
/// ```
/// use hubspot_postal::{Client, RateLimiter, retry::RetryPolicy};
/// use std::time::Duration;
/// let client = Client::builder()
///     .token("pat-na1-0000")
///     .base_url("http://127.0.0.1:8080")
///     .retry_policy(RetryPolicy::default().deadline(Duration::from_secs(20)))
///     .rate_limiter(RateLimiter::professional())
///     .build()?;
/// # let _ = client;
/// # Ok::<(), hubspot_postal::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    token: Option<AccessToken>,
    base_url: Option<String>,
    transport: Option<Arc<dyn Transport>>,
    retry: Option<RetryPolicy>,
    limiter: Option<RateLimiter>,
    budget: Option<Arc<dyn RateBudget>>,
    batch_concurrency: Option<usize>,
    api_version: Option<ApiVersion>,
}

impl ClientBuilder {
    /// The access token (required).
    pub fn token(mut self, token: impl Into<AccessToken>) -> Self {
        self.token = Some(token.into());
        self
    }

    /// Where the API lives: https, or http on a loopback address (the emulator).
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// The transport that sends requests (a test double, or a tuned `ReqwestTransport`).
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// The retry policy.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// The rate limiter; pass clones of one handle to share a portal's budget. Replaces a
    /// budget given to [`rate_budget`](Self::rate_budget).
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.limiter = Some(limiter);
        self.budget = None;
        self
    }

    /// Another [`RateBudget`] to pace requests with, such as `hubspot-postal-redis`'s budget
    /// shared by every process of a portal. Replaces the rate limiter.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hubspot_postal::{Client, RateLimiter};
    /// let client = Client::builder()
    ///     .token("pat-na1-0000")
    ///     .rate_budget(Arc::new(RateLimiter::professional()))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), hubspot_postal::Error>(())
    /// ```
    pub fn rate_budget(mut self, budget: Arc<dyn RateBudget>) -> Self {
        self.budget = Some(budget);
        self
    }

    /// How many batch requests of one call run at once (default 4, at least 1).
    pub fn batch_concurrency(mut self, n: usize) -> Self {
        self.batch_concurrency = Some(n.max(1));
        self
    }

    /// The HubSpot API version every request of this client goes to (default
    /// [`ApiVersion::DEFAULT`], `2026-03`). One setting for every call, as HubSpot advises.
    ///
    /// An operation the version lacks fails with [`Error::NotInVersion`] before anything is
    /// sent; betas are used only when named here.
    ///
    /// ```
    /// use hubspot_postal::{Client, model::endpoints::ApiVersion};
    /// let client = Client::builder().token("pat-na1-0000").api_version(ApiVersion::V2026_09).build()?;
    /// assert_eq!(client.api_version(), ApiVersion::V2026_09);
    /// # Ok::<(), hubspot_postal::Error>(())
    /// ```
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.api_version = Some(version);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client> {
        let token = self
            .token
            .ok_or_else(|| Error::Config("an access token is required".into()))?;
        // Empty, pasted with "Bearer ", or not a header value: say which, never the value.
        if let Some(problem) = token.problem() {
            return Err(Error::Config(format!("the access token {problem}")));
        }
        let auth = token.header_value().ok_or_else(|| {
            Error::Config("the access token must be visible ASCII characters only".into())
        })?;
        let base_url = match self.base_url {
            Some(url) => BaseUrl::parse(&url).map_err(|e| Error::Config(e.to_string()))?,
            None => BaseUrl::hubspot(),
        };
        let transport = match self.transport {
            Some(t) => t,
            None => default_transport()?,
        };
        let local = self.limiter.unwrap_or_default();
        Ok(Client::from_inner(Inner {
            transport,
            base_url,
            token,
            headers: RequestHeaders::new(auth),
            retry: self.retry.unwrap_or_default(),
            limiter: self.budget.unwrap_or_else(|| Arc::new(local.clone())),
            local,
            batch_concurrency: self.batch_concurrency.unwrap_or(4),
            api_version: self.api_version.unwrap_or_default(),
        }))
    }
}

#[cfg(feature = "http")]
fn default_transport() -> Result<Arc<dyn Transport>> {
    hubspot_postal_http::ReqwestTransport::new()
        .map(|t| Arc::new(t) as Arc<dyn Transport>)
        .map_err(|e| Error::Config(format!("could not build the HTTP transport: {e}")))
}

#[cfg(not(feature = "http"))]
fn default_transport() -> Result<Arc<dyn Transport>> {
    Err(Error::Config(
        "no transport: enable the `http` feature or call ClientBuilder::transport".into(),
    ))
}

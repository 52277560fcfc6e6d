//! `ClientBuilder`: every setting of the async [`hubspot_postal::ClientBuilder`], plus the
//! overall timeout of a blocking call.

use std::sync::Arc;
use std::time::Duration;

use hubspot_postal::model::endpoints::ApiVersion;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::Transport;
use hubspot_postal::{AccessToken, RateBudget, RateLimiter, Result};

use crate::client::Client;

/// The timeout of a call unless [`ClientBuilder::timeout`] says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Builds a blocking [`Client`].
///
/// The settings are those of [`hubspot_postal::ClientBuilder`], with the same defaults (see
/// there), plus [`timeout`](Self::timeout). `build` starts the client's runtime thread; build
/// one client and clone it rather than building one per call.
///
/// ```
/// use hubspot_postal_blocking::{Client, RateLimiter};
/// use std::time::Duration;
/// let client = Client::builder()
///     .token("pat-na1-0000")
///     .base_url("http://127.0.0.1:8080")
///     .rate_limiter(RateLimiter::professional())
///     .timeout(Duration::from_secs(10))
///     .build()?;
/// assert_eq!(client.timeout(), Duration::from_secs(10));
/// # Ok::<(), hubspot_postal_blocking::Error>(())
/// ```
#[derive(Debug, Default)]
pub struct ClientBuilder {
    inner: hubspot_postal::ClientBuilder,
    timeout: Option<Duration>,
}

impl ClientBuilder {
    /// The access token (required). See [`hubspot_postal::ClientBuilder::token`].
    pub fn token(mut self, token: impl Into<AccessToken>) -> Self {
        self.inner = self.inner.token(token);
        self
    }

    /// Where the API lives. See [`hubspot_postal::ClientBuilder::base_url`].
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.inner = self.inner.base_url(url);
        self
    }

    /// The transport that sends requests. See [`hubspot_postal::ClientBuilder::transport`].
    pub fn transport(mut self, transport: Arc<dyn Transport>) -> Self {
        self.inner = self.inner.transport(transport);
        self
    }

    /// The retry policy. See [`hubspot_postal::ClientBuilder::retry_policy`].
    ///
    /// A call's [`timeout`](Self::timeout) cuts retries short when it is shorter than the
    /// policy's deadline (60 s by default).
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.inner = self.inner.retry_policy(policy);
        self
    }

    /// The rate limiter; pass clones of one handle to share a portal's budget, also with
    /// async clients. See [`hubspot_postal::ClientBuilder::rate_limiter`].
    pub fn rate_limiter(mut self, limiter: RateLimiter) -> Self {
        self.inner = self.inner.rate_limiter(limiter);
        self
    }

    /// Another rate budget to pace requests with, such as `hubspot-postal-redis`'s budget
    /// shared by every process of a portal (build it with its `connect_blocking`). See
    /// [`hubspot_postal::ClientBuilder::rate_budget`].
    ///
    /// ```
    /// use std::sync::Arc;
    /// use hubspot_postal_blocking::{Client, RateLimiter};
    /// let client = Client::builder()
    ///     .token("pat-na1-0000")
    ///     .rate_budget(Arc::new(RateLimiter::professional()))
    ///     .build()?;
    /// # let _ = client;
    /// # Ok::<(), hubspot_postal_blocking::Error>(())
    /// ```
    pub fn rate_budget(mut self, budget: Arc<dyn RateBudget>) -> Self {
        self.inner = self.inner.rate_budget(budget);
        self
    }

    /// How many batch requests of one call run at once. See
    /// [`hubspot_postal::ClientBuilder::batch_concurrency`].
    pub fn batch_concurrency(mut self, n: usize) -> Self {
        self.inner = self.inner.batch_concurrency(n);
        self
    }

    /// The overall timeout of one call, retries and rate-limit waits included (default
    /// [`DEFAULT_TIMEOUT`], 30 s). For an iterator it applies to each `next()`.
    ///
    /// When it passes, the work in flight is cancelled and the call returns an error for which
    /// [`is_timeout_error`](crate::is_timeout_error) is true; for `create` and `batch_create`
    /// that error is [`Error::MaybeApplied`](hubspot_postal::Error::MaybeApplied), because the letters may have been logged.
    /// A large batch can need more than the default. `Duration::MAX` means no timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The HubSpot API version every request goes to; see
    /// [`hubspot_postal::ClientBuilder::api_version`].
    ///
    /// ```
    /// use hubspot_postal_blocking::{Client, model::endpoints::ApiVersion};
    /// let client = Client::builder().token("pat-na1-0000").api_version(ApiVersion::V3).build()?;
    /// assert_eq!(client.api_version(), ApiVersion::V3);
    /// # Ok::<(), hubspot_postal_blocking::Error>(())
    /// ```
    pub fn api_version(mut self, version: ApiVersion) -> Self {
        self.inner = self.inner.api_version(version);
        self
    }

    /// Builds the async client and starts the runtime thread.
    ///
    /// Fails with [`Error::Config`](hubspot_postal::Error::Config) for the reasons the async builder does, or when the
    /// runtime thread cannot start. Safe to call anywhere, inside an async runtime too (to
    /// build a client there and hand it to other threads).
    pub fn build(self) -> Result<Client> {
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        Client::start(self.inner.build()?, timeout)
    }
}

/// Starts from the settings of an async builder.
impl From<hubspot_postal::ClientBuilder> for ClientBuilder {
    fn from(inner: hubspot_postal::ClientBuilder) -> Self {
        Self {
            inner,
            timeout: None,
        }
    }
}

//! `Client`: the async postal mail client. Cheap to clone; every clone shares the transport,
//! the connection pool and the rate limiter.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;
use hubspot_postal_transport::{BaseUrl, Transport};

use crate::builder::ClientBuilder;
use crate::error::Result;
use crate::limiter::RateLimiter;
use crate::retry::RetryPolicy;
use crate::token::AccessToken;

pub(crate) struct Inner {
    pub(crate) transport: Arc<dyn Transport>,
    pub(crate) base_url: BaseUrl,
    pub(crate) token: AccessToken,
    pub(crate) auth: HeaderValue,
    pub(crate) retry: RetryPolicy,
    pub(crate) limiter: RateLimiter,
    pub(crate) batch_concurrency: usize,
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

    /// The rate limiter handle, to share with other clients of the same portal.
    pub fn rate_limiter(&self) -> &RateLimiter {
        &self.inner.limiter
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.inner.retry
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.inner.base_url.as_str())
            .field("token", &self.inner.token)
            .field("transport", &self.inner.transport)
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

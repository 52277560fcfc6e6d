//! `Client`: the blocking postal mail client. Cheap to clone; every clone shares the async
//! client inside (transport, connection pool, rate limiter) and one runtime thread.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::{Error, RateLimiter, Result};

use crate::builder::ClientBuilder;
use crate::errors;
use crate::worker::{Failure, Worker};

/// What every clone shares.
///
/// Field order matters: `client` is dropped before `worker`, so the copy of the async client
/// the runtime thread holds is the last one, and the async client is dropped on that thread.
struct Shared {
    client: hubspot_postal::Client,
    timeout: Duration,
    worker: Worker,
}

/// The blocking client for HubSpot postal mail engagements.
///
/// Every operation of the async [`hubspot_postal::Client`] is here, with the same name,
/// arguments and result, minus the `.await`. Lists and searches are iterators that fetch pages
/// as they are advanced. Each call runs on the client's own runtime thread and the calling
/// thread waits for it, for at most [`timeout`](Self::timeout).
///
/// `Client` is `Clone + Send + Sync`: share one (or clones of it) between threads; many calls
/// can be in flight at once. Do not build a client per call: each one starts a thread.
///
/// Inside an async runtime, every call returns an error instead of blocking (see the
/// [crate documentation](crate)).
///
/// ```no_run
/// use hubspot_postal_blocking::Client;
/// use hubspot_postal_blocking::model::engagement::CreatePostalMail;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let client = Client::new(std::env::var("HUBSPOT_ACCESS_TOKEN")?)?;
/// let letter = client.create(CreatePostalMail::new("2026-11-30".parse()?).body("Contract received"))?;
/// println!("logged postal mail {}", letter.id);
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
}

impl Client {
    /// A client for HubSpot (`https://api.hubapi.com`) with every default; see
    /// [`ClientBuilder`].
    #[cfg(feature = "http")]
    pub fn new(token: impl Into<hubspot_postal::AccessToken>) -> Result<Self> {
        Self::builder().token(token).build()
    }

    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Wraps an async client, keeping its transport, limiter and retry policy, with the
    /// given call timeout. Starts a runtime thread.
    pub fn from_async(client: hubspot_postal::Client, timeout: Duration) -> Result<Self> {
        Self::start(client, timeout)
    }

    pub(crate) fn start(client: hubspot_postal::Client, timeout: Duration) -> Result<Self> {
        let worker = Worker::start(Box::new(client.clone())).map_err(|e| {
            Error::Config(format!(
                "could not start the blocking client's runtime thread: {e}"
            ))
        })?;
        Ok(Self {
            shared: Arc::new(Shared {
                client,
                timeout,
                worker,
            }),
        })
    }

    /// The async client inside, sharing this client's transport, connection pool and rate
    /// limiter: for async code, or for `Handle::current().block_on(..)` inside
    /// `tokio::task::spawn_blocking`.
    pub fn async_client(&self) -> &hubspot_postal::Client {
        &self.shared.client
    }

    /// The base URL requests go to.
    pub fn base_url(&self) -> &str {
        self.shared.client.base_url()
    }

    /// The rate limiter handle, to share with other clients of the same portal.
    pub fn rate_limiter(&self) -> &RateLimiter {
        self.shared.client.rate_limiter()
    }

    /// The retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        self.shared.client.retry_policy()
    }

    /// The HubSpot API version every request goes to.
    pub fn api_version(&self) -> hubspot_postal::model::endpoints::ApiVersion {
        self.shared.client.api_version()
    }

    /// The overall timeout of one call.
    pub fn timeout(&self) -> Duration {
        self.shared.timeout
    }

    /// Runs `future` on the runtime thread and waits for it: refused inside an async
    /// runtime, cut off (and cancelled) at the timeout.
    pub(crate) fn block<F>(&self, operation: &'static str, future: F) -> Result<F::Output>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        if errors::in_async_context() {
            return Err(Error::InAsyncRuntime { operation });
        }
        let timeout = self.shared.timeout;
        self.shared
            .worker
            .block_on(timeout, future)
            .map_err(|failure| match failure {
                Failure::TimedOut => Error::CallTimedOut { operation, timeout },
                Failure::Lost => Error::CallLost { operation },
            })
    }

    /// [`block`](Self::block) for a future that returns the client's `Result`.
    pub(crate) fn run<T, F>(&self, operation: &'static str, future: F) -> Result<T>
    where
        F: Future<Output = Result<T>> + Send + 'static,
        T: Send + 'static,
    {
        self.block(operation, future)?
    }

    /// A clone of the async client, to move into a future.
    pub(crate) fn inner(&self) -> hubspot_postal::Client {
        self.shared.client.clone()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("inner", &self.shared.client)
            .field("timeout", &self.shared.timeout)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PageIter, PostalMailIter};

    fn shareable<T: Clone + Send + Sync + 'static>() {}
    fn sendable<T: Send + 'static>() {}

    #[test]
    fn the_client_can_be_shared_between_threads_and_iterators_moved() {
        shareable::<Client>();
        sendable::<PageIter>();
        sendable::<PostalMailIter>();
    }

    #[test]
    fn a_call_inside_a_runtime_is_its_own_error_variant() {
        let client = Client::builder()
            .token("pat-test")
            .base_url("http://127.0.0.1:9")
            .build()
            .unwrap();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let error = runtime
            .block_on(async { client.block("get", async {}) })
            .unwrap_err();
        assert!(
            matches!(error, Error::InAsyncRuntime { operation: "get" }),
            "{error:?}"
        );
        assert!(crate::is_async_context_error(&error));
        let message = error.to_string();
        assert!(
            message.starts_with(
                "get: hubspot-postal-blocking was called from inside an async runtime"
            ),
            "{message}"
        );
        assert!(!message.contains("configuration"), "{message}");
        assert!(!error.is_retryable() && !error.may_have_been_applied());
    }

    #[test]
    fn debug_shows_settings_but_not_the_token() {
        let client = Client::builder()
            .token("pat-secret-token")
            .base_url("http://127.0.0.1:9")
            .timeout(Duration::from_secs(3))
            .build()
            .unwrap();
        let debug = format!("{client:?}");
        assert!(debug.contains("127.0.0.1:9"), "{debug}");
        assert!(debug.contains("3s"), "{debug}");
        assert!(!debug.contains("pat-secret-token"), "{debug}");
    }
}

//! The `RateBudget` trait: the seam between the client's executor and whatever paces a portal's
//! requests (the in-process [`RateLimiter`](super::RateLimiter), or a budget shared on Redis).

use std::fmt;
use std::time::Duration;

use async_trait::async_trait;
use http::HeaderMap;
use hubspot_postal_model::error::RateLimitPolicy;

/// Which of HubSpot's budgets a request draws on.
///
/// ```
/// use hubspot_postal::Budget;
/// // Search has its own per-second limit and is exempt from the ten-second window.
/// assert_ne!(Budget::General, Budget::Search);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Budget {
    /// The burst window (100, 190 or 250 requests per 10 s by tier): every request but search.
    General,
    /// Search's per-second limit.
    Search,
}

/// Why a budget refused a slot. The request was not sent, so retrying it can never duplicate
/// a letter.
///
/// ```
/// use hubspot_postal::RateBudgetError;
/// let e = RateBudgetError::new("the shared budget at redis://10.0.0.5 is unreachable");
/// assert!(e.to_string().contains("unreachable"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("rate budget: {message}")]
pub struct RateBudgetError {
    message: String,
}

impl RateBudgetError {
    /// An error with a message for the user (what failed, and what to do about it).
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
        }
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.message
    }
}

/// One slot taken from a budget: which budget, and an id the budget chose (0 when it keeps
/// none). The client hands it back with the answer to the request sent on it.
///
/// ```
/// use hubspot_postal::{Budget, Slot};
/// let slot = Slot::new(Budget::Search, 7);
/// assert_eq!((slot.budget(), slot.id()), (Budget::Search, 7));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Slot {
    budget: Budget,
    id: u64,
}

impl Slot {
    /// A slot of `budget` with the budget's own `id` for it.
    pub fn new(budget: Budget, id: u64) -> Self {
        Self { budget, id }
    }

    /// The budget the slot was taken from.
    pub fn budget(&self) -> Budget {
        self.budget
    }

    /// The id the budget gave it.
    pub fn id(&self) -> u64 {
        self.id
    }
}

/// A portal's request budget, consulted by the client before each attempt is sent.
///
/// The client calls, for each attempt: [`try_acquire_now`](Self::try_acquire_now) and, when it
/// says no, [`acquire_slot`](Self::acquire_slot) under the operation's deadline; then
/// [`observe_response`](Self::observe_response) with the slot and every answer's headers, and
/// [`report_rate_limited`](Self::report_rate_limited) when HubSpot answered 429.
///
/// Implementations must not panic, must not block the thread, and must keep
/// `observe_response` and `report_rate_limited` cheap: they run on the answer's path (do
/// network work on a spawned task). Everything here happens before a request is sent or after
/// its answer arrived, so a budget can delay or refuse a request but never make a create
/// "maybe sent".
///
/// ```
/// use std::sync::Arc;
/// use std::time::Duration;
/// use hubspot_postal::{Budget, Client, RateBudget, RateBudgetError, RateLimiter, Slot};
/// use hubspot_postal::model::error::RateLimitPolicy;
///
/// /// Paces like the in-process limiter, and counts the 429s it hears about.
/// #[derive(Debug, Default)]
/// struct Counting {
///     inner: RateLimiter,
///     rate_limited: std::sync::atomic::AtomicU32,
/// }
///
/// #[async_trait::async_trait]
/// impl RateBudget for Counting {
///     async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
///         self.inner.acquire_slot(budget).await
///     }
///     fn observe_response(&self, slot: Slot, headers: &http::HeaderMap) {
///         self.inner.observe_response(slot, headers);
///     }
///     fn report_rate_limited(&self, _: Slot, _: Option<&RateLimitPolicy>, _: Option<Duration>) {
///         self.rate_limited.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///     }
///     fn burst_window(&self) -> Duration {
///         self.inner.burst_window()
///     }
/// }
///
/// let client = Client::builder()
///     .token("pat-na1-0000")
///     .rate_budget(Arc::new(Counting::default()))
///     .build()?;
/// # let _ = client;
/// # Ok::<(), hubspot_postal::Error>(())
/// ```
#[async_trait]
pub trait RateBudget: Send + Sync + fmt::Debug {
    /// Takes a slot on `budget` if one is free at once, without waiting and without I/O. The
    /// default says no, sending the client to [`acquire_slot`](Self::acquire_slot).
    ///
    /// `now` is the client's reading of tokio's clock as the attempt starts, so that a budget
    /// need not read it again: this runs on every request.
    fn try_acquire_now(&self, budget: Budget, now: tokio::time::Instant) -> Option<Slot> {
        let _ = (budget, now);
        None
    }

    /// Waits until a request may be sent on `budget`, then takes the slot. An error means the
    /// request must not be sent; the client returns it at once, unsent. Dropping the future
    /// (the operation's deadline passed) must give up the place without taking a slot.
    async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError>;

    /// The answer to the request sent on `slot` arrived, with these headers: HubSpot counted
    /// the request by now (a budget may count the slot from here rather than from when it was
    /// taken, which no delay on the way can defeat), and the headers may teach the window (see
    /// [`RateLimitHeaders`](super::RateLimitHeaders)).
    fn observe_response(&self, slot: Slot, headers: &HeaderMap);

    /// HubSpot answered 429 to the request sent on `slot`: which limit (`policyName`) and how
    /// long it asked to wait, if it said.
    fn report_rate_limited(
        &self,
        slot: Slot,
        policy: Option<&RateLimitPolicy>,
        retry_after: Option<Duration>,
    );

    /// The length of the burst window this budget knows (ten seconds unless learned), which
    /// the retry policy waits out after a `TEN_SECONDLY_ROLLING` 429 without `Retry-After`.
    fn burst_window(&self) -> Duration;
}

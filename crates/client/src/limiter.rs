//! `RateLimiter`: keeps a process under HubSpot's request windows so that a bulk job never
//! meets a 429, shared by every clone of a client and, through [`RateLimiter`] handles, by
//! every client that uses the same portal.
//!
//! Two budgets: the burst window (100, 190 or 250 requests per 10 s by tier) for every request
//! but search, and search's own 5 per second (search is exempt from the burst window). Each is
//! a sliding log of send times; a request waits until the oldest entry leaves the window.
//! Waiting here happens before anything is sent, so it never makes a create "maybe sent".
//! The limiter learns `X-HubSpot-RateLimit-Max`, `-Interval-Milliseconds` and `-Remaining`
//! from responses, so other processes using the same portal are accounted for.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use http::{HeaderMap, HeaderName};
use hubspot_postal_model::headers;

// Parsed once: looking a header up by `&str` parses the name on every call.
static RATE_LIMIT_MAX: HeaderName = HeaderName::from_static(headers::RATE_LIMIT_MAX);
static RATE_LIMIT_INTERVAL_MS: HeaderName =
    HeaderName::from_static(headers::RATE_LIMIT_INTERVAL_MS);
static RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static(headers::RATE_LIMIT_REMAINING);
use hubspot_postal_model::limits::{
    BURST_FREE_STARTER, BURST_PROFESSIONAL_ENTERPRISE, BURST_WINDOW_MILLIS,
    BURST_WITH_LIMIT_INCREASE, SEARCH_REQUESTS_PER_SECOND,
};
use tokio::time::Instant;

/// Which budget a request draws on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Budget {
    /// The burst window.
    General,
    /// Search's per-second limit.
    Search,
}

#[derive(Debug)]
struct Window {
    max: u32,
    window: Duration,
    sent: VecDeque<Instant>,
}

impl Window {
    fn new(max: u32, window: Duration) -> Self {
        Self {
            max: max.max(1),
            window,
            sent: VecDeque::new(),
        }
    }

    /// A margin so that our window and the server's never disagree at the boundary.
    fn span(&self) -> Duration {
        self.window + self.window / 50
    }

    fn prune(&mut self, now: Instant) {
        let span = self.span();
        while self
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= span)
        {
            self.sent.pop_front();
        }
    }

    /// `None` when a slot was taken, else how long to wait.
    fn try_take(&mut self, now: Instant) -> Option<Duration> {
        self.prune(now);
        if (self.sent.len() as u64) < u64::from(self.max) {
            self.sent.push_back(now);
            return None;
        }
        let oldest = self.sent.front().copied().unwrap_or(now);
        Some(
            (oldest + self.span())
                .saturating_duration_since(now)
                .max(Duration::from_millis(1)),
        )
    }
}

#[derive(Debug)]
struct State {
    general: Option<Window>,
    search: Option<Window>,
    learn: bool,
}

/// A shared handle to one portal's request budget. Clones share the budget.
///
/// ```
/// use hubspot_postal::RateLimiter;
/// let shared = RateLimiter::professional();          // 190 per 10 s, search 5/s
/// // Give the same handle to every client of this portal:
/// let a = hubspot_postal::Client::builder().token("t").rate_limiter(shared.clone());
/// let b = hubspot_postal::Client::builder().token("t").rate_limiter(shared);
/// # let _ = (a, b);
/// ```
#[derive(Debug, Clone)]
pub struct RateLimiter {
    state: Arc<Mutex<State>>,
    /// Serialises waiters so they are served in arrival order.
    queue: Arc<tokio::sync::Mutex<()>>,
    search_queue: Arc<tokio::sync::Mutex<()>>,
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::free_starter()
    }
}

impl RateLimiter {
    /// `max` requests per `window`, and search at `search_per_second`.
    pub fn new(max: u32, window: Duration, search_per_second: u32) -> Self {
        Self::from_state(State {
            general: Some(Window::new(max, window)),
            search: Some(Window::new(search_per_second, Duration::from_secs(1))),
            learn: true,
        })
    }

    fn from_state(state: State) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
            queue: Arc::new(tokio::sync::Mutex::new(())),
            search_queue: Arc::new(tokio::sync::Mutex::new(())),
        }
    }

    fn preset(max: u32) -> Self {
        Self::new(
            max,
            Duration::from_millis(BURST_WINDOW_MILLIS),
            SEARCH_REQUESTS_PER_SECOND,
        )
    }

    /// Free and Starter: 100 per 10 s (the default).
    pub fn free_starter() -> Self {
        Self::preset(BURST_FREE_STARTER)
    }

    /// Professional and Enterprise: 190 per 10 s.
    pub fn professional() -> Self {
        Self::preset(BURST_PROFESSIONAL_ENTERPRISE)
    }

    /// With the API limit increase: 250 per 10 s.
    pub fn with_limit_increase() -> Self {
        Self::preset(BURST_WITH_LIMIT_INCREASE)
    }

    /// No limiting at all (for the emulator, or when something else limits).
    pub fn unlimited() -> Self {
        Self::from_state(State {
            general: None,
            search: None,
            learn: false,
        })
    }

    /// Stops learning the window from response headers.
    pub fn fixed(self) -> Self {
        self.lock().learn = false;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is a plain log; a panic elsewhere cannot leave it inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The current burst window and its maximum, if limiting.
    pub fn window(&self) -> Option<(u32, Duration)> {
        self.lock().general.as_ref().map(|w| (w.max, w.window))
    }

    /// Takes a slot on `budget` if one is free now and nobody is waiting for one; never waits.
    pub fn try_acquire(&self, budget: Budget) -> bool {
        self.try_acquire_at(budget, Instant::now())
    }

    /// [`Self::try_acquire`] with the caller's clock reading.
    pub(crate) fn try_acquire_at(&self, budget: Budget, now: Instant) -> bool {
        let queue = match budget {
            Budget::General => &self.queue,
            Budget::Search => &self.search_queue,
        };
        // Waiters are served in order: with a queue, this request joins it.
        let Ok(_turn) = queue.try_lock() else {
            return false;
        };
        let mut state = self.lock();
        let window = match budget {
            Budget::General => state.general.as_mut(),
            Budget::Search => state.search.as_mut(),
        };
        window.is_none_or(|w| w.try_take(now).is_none())
    }

    /// Waits until a request may be sent on `budget`, then takes the slot. Dropping the future
    /// while it waits gives up its place without taking a slot.
    pub async fn acquire(&self, budget: Budget) {
        let queue = match budget {
            Budget::General => &self.queue,
            Budget::Search => &self.search_queue,
        };
        let _turn = queue.lock().await;
        loop {
            let wait = {
                let mut state = self.lock();
                let window = match budget {
                    Budget::General => state.general.as_mut(),
                    Budget::Search => state.search.as_mut(),
                };
                match window {
                    None => return,
                    Some(w) => w.try_take(Instant::now()),
                }
            };
            match wait {
                None => return,
                Some(d) => tokio::time::sleep(d).await,
            }
        }
    }

    /// Learns from `X-HubSpot-RateLimit-*` headers: the window's size and length, and how many
    /// requests the portal has left in it (other processes may be using it too).
    pub fn observe(&self, headers: &HeaderMap) {
        let num = |name: &HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        // HubSpot sends the three together or not at all (search answers carry none), so one
        // look-up decides whether there is anything to learn.
        let remaining = num(&RATE_LIMIT_REMAINING);
        if remaining.is_none() && !headers.contains_key(&RATE_LIMIT_MAX) {
            return;
        }
        let (max, interval) = (num(&RATE_LIMIT_MAX), num(&RATE_LIMIT_INTERVAL_MS));
        let mut state = self.lock();
        if !state.learn {
            return;
        }
        let Some(w) = state.general.as_mut() else {
            return;
        };
        if let (Some(max), Some(interval)) = (max, interval)
            && max > 0
            && interval > 0
        {
            w.max = u32::try_from(max).unwrap_or(u32::MAX);
            w.window = Duration::from_millis(interval);
        }
        if let Some(remaining) = remaining {
            // The server has counted more than we sent: fill our log to match so we slow down.
            let now = Instant::now();
            w.prune(now);
            let ours = w
                .max
                .saturating_sub(u32::try_from(w.sent.len()).unwrap_or(u32::MAX));
            let theirs = u32::try_from(remaining).unwrap_or(u32::MAX);
            for _ in theirs..ours {
                w.sent.push_back(now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[tokio::test(start_paused = true)]
    async fn waits_out_the_window() {
        let limiter = RateLimiter::new(3, Duration::from_secs(1), 5);
        let start = Instant::now();
        for _ in 0..3 {
            limiter.acquire(Budget::General).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
        limiter.acquire(Budget::General).await;
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "{:?}",
            start.elapsed()
        );
        // Search has its own budget.
        let t = Instant::now();
        limiter.acquire(Budget::Search).await;
        assert_eq!(t.elapsed(), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn learns_from_headers() {
        let limiter = RateLimiter::free_starter();
        let mut h = HeaderMap::new();
        h.insert("x-hubspot-ratelimit-max", HeaderValue::from_static("10"));
        h.insert(
            "x-hubspot-ratelimit-interval-milliseconds",
            HeaderValue::from_static("1000"),
        );
        h.insert(
            "x-hubspot-ratelimit-remaining",
            HeaderValue::from_static("0"),
        );
        limiter.observe(&h);
        assert_eq!(limiter.window(), Some((10, Duration::from_secs(1))));
        let start = Instant::now();
        limiter.acquire(Budget::General).await;
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "remaining 0 must make us wait"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn unlimited_never_waits() {
        let limiter = RateLimiter::unlimited();
        let start = Instant::now();
        for _ in 0..10_000 {
            limiter.acquire(Budget::General).await;
        }
        assert_eq!(start.elapsed(), Duration::ZERO);
    }
}

//! `RateLimiter`: the in-process [`RateBudget`], shared by every clone of a client and, through
//! its handles, by every client of the process that uses the same portal.
//!
//! Two budgets: the burst window (100, 190 or 250 requests per 10 s by tier) for every request
//! but search, and search's own 5 per second (search is exempt from the burst window). Each is
//! a sliding window of per-slot counts; a request waits until enough of it has left.
//! Waiting here happens before anything is sent, so it never makes a create "maybe sent".
//! The limiter learns `X-HubSpot-RateLimit-Max`, `-Interval-Milliseconds` and `-Remaining`
//! (clamped by [`RateLimitHeaders`]), so other processes using the same portal are accounted
//! for. For processes on several machines, share one budget through `hubspot-postal-redis`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use http::HeaderMap;
use hubspot_postal_model::error::RateLimitPolicy;
use hubspot_postal_model::limits::{
    BURST_FREE_STARTER, BURST_PROFESSIONAL_ENTERPRISE, BURST_WINDOW_MILLIS,
    BURST_WITH_LIMIT_INCREASE, SEARCH_REQUESTS_PER_SECOND, SEARCH_WINDOW_MILLIS,
};
use tokio::time::Instant;

use super::budget::{Budget, RateBudget, RateBudgetError, Slot};
use super::headers::RateLimitHeaders;
use super::window::Window;

#[derive(Debug)]
struct State {
    general: Option<Window>,
    search: Option<Window>,
    learn: bool,
}

impl State {
    fn window(&mut self, budget: Budget) -> Option<&mut Window> {
        match budget {
            Budget::General => self.general.as_mut(),
            Budget::Search => self.search.as_mut(),
        }
    }
}

/// A shared handle to one portal's request budget, in this process. Clones share the budget.
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
    /// Held only for fixed-size work: a window is a ring of counts, whatever its maximum.
    state: Arc<Mutex<State>>,
    /// Serialises waiters so they are served in arrival order.
    queue: Arc<tokio::sync::Mutex<()>>,
    search_queue: Arc<tokio::sync::Mutex<()>>,
    /// How many `acquire`s are in each queue (general, search), so that `try_acquire` can
    /// defer to them with one atomic read instead of taking and releasing the queue's lock.
    waiting: Arc<[AtomicUsize; 2]>,
}

/// Counts one `acquire` in its queue for as long as it lives, including when its future is
/// dropped while it waits.
struct Waiting<'a>(&'a AtomicUsize);

impl<'a> Waiting<'a> {
    fn enter(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::AcqRel);
        Self(count)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Default for RateLimiter {
    fn default() -> Self {
        Self::free_starter()
    }
}

impl RateLimiter {
    /// `max` requests per `window`, and search at `search_per_second`.
    ///
    /// ```
    /// use std::time::Duration;
    /// let limiter = hubspot_postal::RateLimiter::new(10, Duration::from_secs(1), 5);
    /// assert_eq!(limiter.window(), Some((10, Duration::from_secs(1))));
    /// ```
    pub fn new(max: u32, window: Duration, search_per_second: u32) -> Self {
        let now = Instant::now();
        Self::from_state(State {
            general: Some(Window::new(max, window, now)),
            search: Some(Window::new(
                search_per_second,
                Duration::from_millis(SEARCH_WINDOW_MILLIS),
                now,
            )),
            learn: true,
        })
    }

    fn from_state(state: State) -> Self {
        Self {
            state: Arc::new(Mutex::new(state)),
            queue: Arc::new(tokio::sync::Mutex::new(())),
            search_queue: Arc::new(tokio::sync::Mutex::new(())),
            waiting: Arc::new([AtomicUsize::new(0), AtomicUsize::new(0)]),
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
        // The state is plain counts; a panic elsewhere cannot leave it inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn queue(&self, budget: Budget) -> &tokio::sync::Mutex<()> {
        match budget {
            Budget::General => &self.queue,
            Budget::Search => &self.search_queue,
        }
    }

    fn waiting(&self, budget: Budget) -> &AtomicUsize {
        match budget {
            Budget::General => &self.waiting[0],
            Budget::Search => &self.waiting[1],
        }
    }

    /// The current burst window and its maximum, if limiting.
    pub fn window(&self) -> Option<(u32, Duration)> {
        self.lock().general.as_ref().map(|w| (w.max(), w.length()))
    }

    /// The search budget per second, if limiting.
    pub fn search_per_second(&self) -> Option<u32> {
        self.lock().search.as_ref().map(Window::max)
    }

    /// Takes a slot on `budget` if one is free now and nobody is waiting for one; never waits.
    pub fn try_acquire(&self, budget: Budget) -> bool {
        self.try_acquire_at(budget, Instant::now())
    }

    /// [`try_acquire`](Self::try_acquire) at the clock reading `now`.
    fn try_acquire_at(&self, budget: Budget, now: Instant) -> bool {
        // Waiters are served in order: with a queue, this request joins it.
        if self.waiting(budget).load(Ordering::Acquire) != 0 {
            return false;
        }
        self.lock()
            .window(budget)
            .is_none_or(|w| w.try_take(now).is_none())
    }

    /// Waits until a request may be sent on `budget`, then takes the slot. Dropping the future
    /// while it waits gives up its place without taking a slot.
    pub async fn acquire(&self, budget: Budget) {
        // Counted before queueing, so that from now on `try_acquire` sends newcomers to the
        // queue behind this one.
        let _waiting = Waiting::enter(self.waiting(budget));
        let _turn = self.queue(budget).lock().await;
        loop {
            let wait = match self.lock().window(budget) {
                None => return,
                Some(w) => w.try_take(Instant::now()),
            };
            match wait {
                None => return,
                Some(d) => tokio::time::sleep(d).await,
            }
        }
    }

    /// Learns from `X-HubSpot-RateLimit-*` headers: the window's size and length, and how many
    /// requests the portal has left in it (other processes may be using it too). Values beyond
    /// [`RateLimitHeaders`]' bounds are clamped; the work is the same whatever they say.
    pub fn observe(&self, headers: &HeaderMap) {
        let Some(learned) = RateLimitHeaders::parse(headers) else {
            return;
        };
        let mut state = self.lock();
        if !state.learn {
            return;
        }
        let Some(w) = state.general.as_mut() else {
            return;
        };
        let now = Instant::now();
        if let Some((max, window)) = learned.window {
            w.set(max, window, now);
        }
        if let Some(remaining) = learned.remaining {
            w.match_remaining(remaining, now);
        }
    }
}

#[async_trait]
impl RateBudget for RateLimiter {
    /// Slots are counted from when they were taken; their id is 0.
    fn try_acquire_now(&self, budget: Budget, now: Instant) -> Option<Slot> {
        self.try_acquire_at(budget, now)
            .then_some(Slot::new(budget, 0))
    }

    async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
        self.acquire(budget).await;
        Ok(Slot::new(budget, 0))
    }

    fn observe_response(&self, _slot: Slot, headers: &HeaderMap) {
        self.observe(headers);
    }

    /// The retry policy waits a 429 out for this client; clones are slowed by the learned
    /// `Remaining: 0` that comes with it, so nothing more is kept here.
    fn report_rate_limited(&self, _: Slot, _: Option<&RateLimitPolicy>, _: Option<Duration>) {}

    fn burst_window(&self) -> Duration {
        self.window()
            .map_or(Duration::from_millis(BURST_WINDOW_MILLIS), |(_, w)| w)
    }
}

#[cfg(test)]
mod tests {
    use super::super::headers::rate_headers;
    use super::*;
    use hubspot_postal_model::limits::{LEARNED_BURST_MAX, LEARNED_WINDOW_MAX_MILLIS};

    fn counted(limiter: &RateLimiter) -> u64 {
        limiter
            .lock()
            .general
            .as_ref()
            .map_or(0, |w| w.counted(Instant::now()))
    }

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
    async fn a_sliding_window_frees_slots_as_they_age() {
        let limiter = RateLimiter::new(4, Duration::from_secs(1), 5);
        let start = Instant::now();
        for _ in 0..2 {
            limiter.acquire(Budget::General).await;
        }
        tokio::time::advance(Duration::from_millis(500)).await;
        for _ in 0..2 {
            limiter.acquire(Budget::General).await;
        }
        // Full: the fifth waits for the first two to leave (about 1 s after the start), not
        // for the last two.
        limiter.acquire(Budget::General).await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_secs(1) && waited < Duration::from_millis(1_400),
            "{waited:?}"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn learns_from_headers() {
        let limiter = RateLimiter::free_starter();
        limiter.observe(&rate_headers("10", "1000", "0"));
        assert_eq!(limiter.window(), Some((10, Duration::from_secs(1))));
        let start = Instant::now();
        limiter.acquire(Budget::General).await;
        assert!(
            start.elapsed() >= Duration::from_secs(1),
            "remaining 0 must make us wait"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn absurd_headers_are_clamped_and_cost_fixed_work() {
        let huge = u64::MAX.to_string();
        for max in ["50000000", huge.as_str()] {
            let limiter = RateLimiter::free_starter();
            limiter.observe(&rate_headers(max, "10000", "0"));
            assert_eq!(
                limiter.window(),
                Some((LEARNED_BURST_MAX, Duration::from_secs(10))),
                "max {max}"
            );
            // "0 remaining" counts the clamped maximum as sent, in one slot: the state is the
            // same fixed ring whatever the header said.
            assert_eq!(counted(&limiter), u64::from(LEARNED_BURST_MAX), "max {max}");
            let start = Instant::now();
            limiter.acquire(Budget::General).await;
            assert!(start.elapsed() >= Duration::from_secs(10), "max {max}");
        }
        let limiter = RateLimiter::free_starter();
        limiter.observe(&rate_headers("100", huge.as_str(), huge.as_str()));
        assert_eq!(
            limiter.window(),
            Some((100, Duration::from_millis(LEARNED_WINDOW_MAX_MILLIS)))
        );
        assert_eq!(counted(&limiter), 0, "a huge remaining adds nothing");
    }

    #[tokio::test(start_paused = true)]
    async fn zero_negative_and_garbage_headers_change_nothing() {
        for (max, interval, remaining) in [
            ("0", "0", "x"),
            ("-5", "-10000", "-1"),
            ("ten", "10s", "1e3"),
        ] {
            let limiter = RateLimiter::free_starter();
            limiter.observe(&rate_headers(max, interval, remaining));
            assert_eq!(
                limiter.window(),
                Some((BURST_FREE_STARTER, Duration::from_secs(10))),
                "{max} {interval} {remaining}"
            );
            assert_eq!(counted(&limiter), 0, "{max} {interval} {remaining}");
        }
    }

    #[tokio::test(start_paused = true)]
    async fn try_acquire_defers_to_a_waiter() {
        let limiter = RateLimiter::new(1, Duration::from_secs(1), 5);
        assert!(limiter.try_acquire(Budget::General));
        let waiter = tokio::spawn({
            let limiter = limiter.clone();
            async move { limiter.acquire(Budget::General).await }
        });
        // The waiter finds the window full and sleeps in the queue.
        tokio::task::yield_now().await;
        // A learned, larger window has room at once, but the waiter came first.
        limiter.observe(&rate_headers("10", "1000", "10"));
        assert!(!limiter.try_acquire(Budget::General));
        assert!(
            limiter.try_acquire(Budget::Search),
            "search has its own queue"
        );
        waiter.await.unwrap();
        assert!(
            limiter.try_acquire(Budget::General),
            "no one waits any more"
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

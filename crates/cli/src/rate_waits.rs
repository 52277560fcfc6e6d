//! What the CLI knows of its waits for the rate limit: [`WatchedBudget`] wraps the budget that
//! paces the client (the in-process limiter or the Redis budget), forwards every call to it
//! unchanged, and notes in [`RateWaits`] when a request has been waiting for a slot and until
//! when HubSpot asked to wait (a 429). The import's progress bar reads it, since these waits
//! are the ones it cannot predict from the requests it sent itself.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use http::HeaderMap;
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::{Budget, RateBudget, RateBudgetError, Slot};

/// A wait for a slot shorter than this is not worth saying: most slots are free at once, and
/// a spinner that flickers for a few milliseconds tells nothing.
pub const SLOW_ACQUIRE: Duration = Duration::from_millis(30);

/// How the client waits for the rate limit at a moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateWait {
    /// HubSpot answered 429: the client waits before sending again.
    RateLimited,
    /// A request has waited for a slot of the budget for [`SLOW_ACQUIRE`] or longer.
    ForSlot,
}

#[derive(Debug, Default)]
struct State {
    /// The acquires still pending: an id of their own, and when each began.
    pending: Vec<(u64, Instant)>,
    next_id: u64,
    /// Until when HubSpot asked to wait, after the last 429.
    limited_until: Option<Instant>,
}

/// The waits a [`WatchedBudget`] saw; clones share them.
#[derive(Debug, Clone, Default)]
pub struct RateWaits {
    state: Arc<Mutex<State>>,
}

impl RateWaits {
    fn lock(&self) -> MutexGuard<'_, State> {
        // Only plain data is kept under the lock: a panic elsewhere cannot leave it torn.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// How the client waits at `now`, if it does.
    pub fn at(&self, now: Instant) -> Option<RateWait> {
        let state = self.lock();
        if state.limited_until.is_some_and(|until| now < until) {
            return Some(RateWait::RateLimited);
        }
        state
            .pending
            .iter()
            .any(|(_, since)| now.saturating_duration_since(*since) >= SLOW_ACQUIRE)
            .then_some(RateWait::ForSlot)
    }

    /// Notes an acquire that began at `since`; it is forgotten when the guard is dropped,
    /// whether the slot came, the budget refused, or the caller gave up (a deadline).
    fn begin(&self, since: Instant) -> Pending<'_> {
        let mut state = self.lock();
        let id = state.next_id;
        state.next_id = state.next_id.wrapping_add(1);
        state.pending.push((id, since));
        Pending { waits: self, id }
    }

    fn rate_limited_until(&self, until: Instant) {
        let mut state = self.lock();
        state.limited_until = Some(state.limited_until.map_or(until, |u| u.max(until)));
    }
}

/// An acquire in progress, in [`RateWaits`] until dropped.
struct Pending<'a> {
    waits: &'a RateWaits,
    id: u64,
}

impl Drop for Pending<'_> {
    fn drop(&mut self) {
        self.waits.lock().pending.retain(|(id, _)| *id != self.id);
    }
}

/// A [`RateBudget`] that forwards every call to `inner` and notes its waits in [`RateWaits`].
#[derive(Debug)]
pub struct WatchedBudget {
    inner: Arc<dyn RateBudget>,
    waits: RateWaits,
}

impl WatchedBudget {
    /// Watches `inner`; the waits go to `waits`.
    pub fn new(inner: Arc<dyn RateBudget>, waits: RateWaits) -> Self {
        Self { inner, waits }
    }
}

#[async_trait]
impl RateBudget for WatchedBudget {
    fn try_acquire_now(&self, budget: Budget, now: tokio::time::Instant) -> Option<Slot> {
        self.inner.try_acquire_now(budget, now)
    }

    async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
        let _pending = self.waits.begin(Instant::now());
        self.inner.acquire_slot(budget).await
    }

    fn observe_response(&self, slot: Slot, headers: &HeaderMap) {
        self.inner.observe_response(slot, headers);
    }

    /// The wait noted is the one the client's retry policy makes for the ten-second window:
    /// `Retry-After` when HubSpot gave it, else the budget's burst window.
    fn report_rate_limited(
        &self,
        slot: Slot,
        policy: Option<&RateLimitPolicy>,
        retry_after: Option<Duration>,
    ) {
        self.inner.report_rate_limited(slot, policy, retry_after);
        let wait = retry_after.unwrap_or_else(|| self.inner.burst_window());
        self.waits.rate_limited_until(Instant::now() + wait);
    }

    fn burst_window(&self) -> Duration {
        self.inner.burst_window()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// A budget that holds every acquire until told to answer, then grants or refuses it,
    /// and counts what it was told.
    #[derive(Debug, Default)]
    struct Gate {
        open: tokio::sync::Notify,
        refuse: std::sync::atomic::AtomicBool,
        observed: AtomicU32,
        limited: AtomicU32,
    }

    #[async_trait]
    impl RateBudget for Gate {
        async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
            self.open.notified().await;
            if self.refuse.load(Ordering::SeqCst) {
                return Err(RateBudgetError::new("the shared budget is unreachable"));
            }
            Ok(Slot::new(budget, 7))
        }
        fn observe_response(&self, _: Slot, _: &HeaderMap) {
            self.observed.fetch_add(1, Ordering::SeqCst);
        }
        fn report_rate_limited(&self, _: Slot, _: Option<&RateLimitPolicy>, _: Option<Duration>) {
            self.limited.fetch_add(1, Ordering::SeqCst);
        }
        fn burst_window(&self) -> Duration {
            Duration::from_secs(3)
        }
    }

    fn watched() -> (Arc<Gate>, WatchedBudget, RateWaits) {
        let gate = Arc::new(Gate::default());
        let waits = RateWaits::default();
        let budget = WatchedBudget::new(gate.clone(), waits.clone());
        (gate, budget, waits)
    }

    #[tokio::test]
    async fn a_slow_acquire_is_a_wait_until_its_slot_comes() {
        let (gate, budget, waits) = watched();
        let budget = Arc::new(budget);
        let acquiring = tokio::spawn({
            let budget = budget.clone();
            async move { budget.acquire_slot(Budget::General).await }
        });
        tokio::time::sleep(Duration::from_millis(10)).await;
        let now = Instant::now();
        assert_eq!(waits.at(now), None, "a few ms are not worth saying");
        assert_eq!(
            waits.at(now + SLOW_ACQUIRE),
            Some(RateWait::ForSlot),
            "pending for longer than {SLOW_ACQUIRE:?}"
        );
        gate.open.notify_one();
        let slot = acquiring.await.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(slot, Ok(Slot::new(Budget::General, 7)), "the inner slot");
        assert_eq!(waits.at(Instant::now() + SLOW_ACQUIRE), None);
    }

    #[tokio::test]
    async fn a_refused_or_abandoned_acquire_is_no_longer_a_wait() {
        let (gate, budget, waits) = watched();
        // Abandoned: the operation's deadline dropped the future.
        let abandoned = tokio::time::timeout(
            Duration::from_millis(20),
            budget.acquire_slot(Budget::Search),
        )
        .await;
        assert!(abandoned.is_err());
        assert_eq!(waits.at(Instant::now() + SLOW_ACQUIRE), None);
        // Refused: the error is the inner budget's, as it was.
        gate.refuse.store(true, Ordering::SeqCst);
        gate.open.notify_one();
        let refused = budget.acquire_slot(Budget::General).await;
        assert!(
            refused.is_err_and(|e| e.message().contains("unreachable")),
            "the refusal is forwarded"
        );
        assert_eq!(waits.at(Instant::now() + SLOW_ACQUIRE), None);
    }

    #[test]
    fn a_429_is_a_wait_for_retry_after_or_the_burst_window() {
        let (gate, budget, waits) = watched();
        let slot = Slot::new(Budget::General, 7);
        budget.observe_response(slot, &HeaderMap::new());
        assert_eq!(gate.observed.load(Ordering::SeqCst), 1, "forwarded");
        assert_eq!(budget.burst_window(), Duration::from_secs(3), "forwarded");
        assert_eq!(
            budget.try_acquire_now(Budget::General, tokio::time::Instant::now()),
            None,
            "forwarded"
        );

        let start = Instant::now();
        budget.report_rate_limited(slot, None, Some(Duration::from_secs(1)));
        assert_eq!(gate.limited.load(Ordering::SeqCst), 1, "forwarded");
        assert_eq!(waits.at(start), Some(RateWait::RateLimited));
        assert_eq!(waits.at(start + Duration::from_millis(1_500)), None);

        // Without Retry-After the client waits the burst window (3 s here).
        let policy = RateLimitPolicy::TenSecondlyRolling;
        budget.report_rate_limited(slot, Some(&policy), None);
        assert_eq!(
            waits.at(start + Duration::from_millis(2_500)),
            Some(RateWait::RateLimited)
        );
        assert_eq!(waits.at(start + Duration::from_millis(3_500)), None);
    }
}

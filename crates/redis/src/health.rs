//! `Health`: whether the budget is shared on Redis right now or running on its in-process
//! fallback, when to try Redis again, and logging each outage once.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use tokio::time::Instant;

/// While Redis is unreachable, how often one request tries it again (the others go straight
/// to the fallback, so an outage does not cost every request a timeout).
pub(crate) const PROBE_INTERVAL: Duration = Duration::from_millis(250);

/// Where a [`RedisBudget`](crate::RedisBudget) takes its slots from right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// From the budget shared on Redis.
    Shared,
    /// From the in-process fallback, at a fraction of the limits, because Redis could not be
    /// reached (or has not been tried yet).
    Fallback,
}

#[derive(Debug)]
pub(crate) struct Health {
    started: Instant,
    shared: AtomicBool,
    ever_shared: AtomicBool,
    outage_logged: AtomicBool,
    /// Milliseconds after `started` before which no request tries Redis again.
    next_probe_ms: AtomicU64,
    outages: AtomicU64,
}

impl Health {
    pub(crate) fn new() -> Self {
        Self {
            started: Instant::now(),
            shared: AtomicBool::new(false),
            ever_shared: AtomicBool::new(false),
            outage_logged: AtomicBool::new(false),
            next_probe_ms: AtomicU64::new(0),
            outages: AtomicU64::new(0),
        }
    }

    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    pub(crate) fn mode(&self) -> Mode {
        if self.shared.load(Ordering::Acquire) {
            Mode::Shared
        } else {
            Mode::Fallback
        }
    }

    pub(crate) fn ever_shared(&self) -> bool {
        self.ever_shared.load(Ordering::Acquire)
    }

    pub(crate) fn outages(&self) -> u64 {
        self.outages.load(Ordering::Relaxed)
    }

    /// Whether this request should use Redis: always while it answers, and during an outage
    /// for one request per [`PROBE_INTERVAL`].
    pub(crate) fn should_try(&self) -> bool {
        if self.shared.load(Ordering::Acquire) {
            return true;
        }
        let now = self.now_ms();
        let due = self.next_probe_ms.load(Ordering::Acquire);
        let next = now.saturating_add(u64::try_from(PROBE_INTERVAL.as_millis()).unwrap_or(250));
        now >= due
            && self
                .next_probe_ms
                .compare_exchange(due, next, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
    }

    /// Redis answered.
    pub(crate) fn succeeded(&self, server: &str) {
        self.ever_shared.store(true, Ordering::Release);
        if !self.shared.swap(true, Ordering::AcqRel)
            && self.outage_logged.swap(false, Ordering::AcqRel)
        {
            tracing::info!(server, "shared rate budget: Redis answers again; rejoined");
        }
    }

    /// Redis failed or was too slow; logs once per outage.
    pub(crate) fn failed(&self, server: &str, reason: &str, fraction: f64) {
        self.shared.store(false, Ordering::Release);
        let next = self
            .now_ms()
            .saturating_add(u64::try_from(PROBE_INTERVAL.as_millis()).unwrap_or(250));
        self.next_probe_ms.fetch_max(next, Ordering::AcqRel);
        if !self.outage_logged.swap(true, Ordering::AcqRel) {
            self.outages.fetch_add(1, Ordering::Relaxed);
            tracing::warn!(
                server,
                reason,
                fraction,
                "shared rate budget: Redis unreachable; pacing in this process at a fraction of \
                 the limits until it answers again"
            );
        }
    }
}

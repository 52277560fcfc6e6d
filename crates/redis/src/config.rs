//! `RedisBudgetConfig`: where Redis is, which portal, the limits to keep, and what to do when
//! Redis cannot be reached.

use std::time::Duration;

use hubspot_postal::model::limits::{
    BURST_FREE_STARTER, BURST_WINDOW_MILLIS, DAILY_FREE_STARTER, LEARNED_BURST_MAX,
    LEARNED_WINDOW_MAX_MILLIS, LEARNED_WINDOW_MIN_MILLIS, SEARCH_REQUESTS_PER_SECOND,
};
use time::UtcOffset;

use crate::error::RedisBudgetError;

/// How long one Redis call may take before it counts as failed (and the request goes through
/// the in-process fallback instead).
pub const DEFAULT_CALL_TIMEOUT: Duration = Duration::from_millis(50);

/// How long making the first connection may take.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// The share of the limits the in-process fallback keeps while Redis is unreachable.
pub const DEFAULT_FALLBACK_FRACTION: f64 = 0.25;

/// The longest portal key accepted.
const PORTAL_KEY_MAX_CHARS: usize = 128;

/// The settings of a [`RedisBudget`](crate::RedisBudget). Defaults: HubSpot's Free and Starter
/// limits (100 requests per 10 s, search 5 per second, 250,000 a day) with the daily reset at
/// midnight UTC, 50 ms per Redis call, an error when Redis is down at start, and a fallback at
/// a quarter of the limits when it goes down later.
///
/// ```
/// use std::time::Duration;
/// use hubspot_postal_redis::{RedisBudgetConfig, UtcOffset};
///
/// let config = RedisBudgetConfig::new("redis://10.0.0.5:6379", "acme-prod")
///     .burst(190, Duration::from_secs(10))          // Professional
///     .daily_limit(Some(625_000))
///     .time_zone(UtcOffset::from_hms(-5, 0, 0)?)    // the portal's time zone
///     .fallback_fraction(0.2)                       // five services share the portal
///     .fallback_at_start(true);
/// # let _ = config;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct RedisBudgetConfig {
    pub(crate) url: String,
    pub(crate) portal_key: String,
    pub(crate) burst_max: u32,
    pub(crate) burst_window: Duration,
    pub(crate) search_per_second: u32,
    pub(crate) daily_limit: Option<u32>,
    pub(crate) utc_offset: UtcOffset,
    pub(crate) call_timeout: Duration,
    pub(crate) connect_timeout: Duration,
    pub(crate) fallback_fraction: f64,
    pub(crate) fallback_at_start: bool,
}

impl RedisBudgetConfig {
    /// Redis at `url` (`redis://[:password@]host:port[/db]`), for the portal named
    /// `portal_key`: a name you choose, the same in every service of the portal (for example
    /// the app or account id and the environment). It is never derived from the token.
    pub fn new(url: impl Into<String>, portal_key: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            portal_key: portal_key.into(),
            burst_max: BURST_FREE_STARTER,
            burst_window: Duration::from_millis(BURST_WINDOW_MILLIS),
            search_per_second: SEARCH_REQUESTS_PER_SECOND,
            daily_limit: Some(DAILY_FREE_STARTER),
            utc_offset: UtcOffset::UTC,
            call_timeout: DEFAULT_CALL_TIMEOUT,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            fallback_fraction: DEFAULT_FALLBACK_FRACTION,
            fallback_at_start: false,
        }
    }

    /// The burst window: `max` requests per `window` (until HubSpot's headers say otherwise).
    pub fn burst(mut self, max: u32, window: Duration) -> Self {
        self.burst_max = max;
        self.burst_window = window;
        self
    }

    /// Search requests per second.
    pub fn search_per_second(mut self, n: u32) -> Self {
        self.search_per_second = n;
        self
    }

    /// Requests per day across the portal, or `None` to leave the daily limit to HubSpot.
    pub fn daily_limit(mut self, limit: Option<u32>) -> Self {
        self.daily_limit = limit;
        self
    }

    /// The portal's time zone, as its offset from UTC: the daily budget resets at midnight
    /// there. HubSpot resets at midnight in the account's time zone; where that zone observes
    /// daylight saving, set the offset in force (the reset moves by an hour otherwise).
    pub fn time_zone(mut self, offset: UtcOffset) -> Self {
        self.utc_offset = offset;
        self
    }

    /// How long one Redis call may take (default 50 ms). A call that takes longer counts as
    /// failed; the request was not sent, and goes through the in-process fallback.
    pub fn call_timeout(mut self, timeout: Duration) -> Self {
        self.call_timeout = timeout;
        self
    }

    /// How long making a connection may take (default 1 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The share of the limits (more than 0, at most 1) this process keeps on its own while
    /// Redis is unreachable (default 0.25). With N services on one portal, 1/N keeps the
    /// portal under its limits during an outage.
    pub fn fallback_fraction(mut self, fraction: f64) -> Self {
        self.fallback_fraction = fraction;
        self
    }

    /// Whether to start on the in-process fallback when Redis cannot be reached at start
    /// (default false: a clear error instead).
    pub fn fallback_at_start(mut self, allow: bool) -> Self {
        self.fallback_at_start = allow;
        self
    }

    /// Checks every setting; the message says which one is wrong and why.
    pub(crate) fn validate(&self) -> Result<(), RedisBudgetError> {
        let bad = |m: String| Err(RedisBudgetError::Config(m));
        let key = &self.portal_key;
        if key.is_empty()
            || key.chars().count() > PORTAL_KEY_MAX_CHARS
            || !key
                .chars()
                .all(|c| c.is_ascii_graphic() && c != '{' && c != '}')
        {
            return bad(format!(
                "the portal key must be 1 to {PORTAL_KEY_MAX_CHARS} visible ASCII characters \
                 without braces"
            ));
        }
        if !(1..=LEARNED_BURST_MAX).contains(&self.burst_max) {
            return bad(format!(
                "the burst maximum must be 1 to {LEARNED_BURST_MAX} requests"
            ));
        }
        let window = u64::try_from(self.burst_window.as_millis()).unwrap_or(u64::MAX);
        if !(LEARNED_WINDOW_MIN_MILLIS..=LEARNED_WINDOW_MAX_MILLIS).contains(&window) {
            return bad(format!(
                "the burst window must be {LEARNED_WINDOW_MIN_MILLIS} to \
                 {LEARNED_WINDOW_MAX_MILLIS} ms"
            ));
        }
        if self.search_per_second == 0 || self.search_per_second > LEARNED_BURST_MAX {
            return bad(format!(
                "search per second must be 1 to {LEARNED_BURST_MAX}"
            ));
        }
        if self.daily_limit == Some(0) {
            return bad("a daily limit of 0 would refuse every request; use None".into());
        }
        if self.call_timeout.is_zero() || self.connect_timeout.is_zero() {
            return bad("the call and connect timeouts must be more than zero".into());
        }
        if !(self.fallback_fraction > 0.0 && self.fallback_fraction <= 1.0) {
            return bad("the fallback fraction must be more than 0 and at most 1".into());
        }
        Ok(())
    }

    /// `n` scaled by the fallback fraction, at least 1: the fallback is never unlimited and
    /// never stops every request.
    pub(crate) fn fallback_share(&self, n: u32) -> u32 {
        // Within u32's range after the clamp, so the cast is exact.
        (f64::from(n) * self.fallback_fraction)
            .floor()
            .clamp(1.0, f64::from(u32::MAX)) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_settings_are_refused_with_a_reason() {
        let base = || RedisBudgetConfig::new("redis://127.0.0.1:6379", "acme");
        assert!(base().validate().is_ok());
        for (config, words) in [
            (RedisBudgetConfig::new("redis://x", ""), "portal key"),
            (RedisBudgetConfig::new("redis://x", "a{b}"), "portal key"),
            (base().burst(0, Duration::from_secs(10)), "burst maximum"),
            (
                base().burst(100_000, Duration::from_secs(10)),
                "burst maximum",
            ),
            (base().burst(100, Duration::from_millis(5)), "burst window"),
            (base().search_per_second(0), "search"),
            (base().daily_limit(Some(0)), "daily"),
            (base().call_timeout(Duration::ZERO), "timeout"),
            (base().fallback_fraction(0.0), "fraction"),
            (base().fallback_fraction(f64::NAN), "fraction"),
            (base().fallback_fraction(1.5), "fraction"),
        ] {
            let e = config
                .validate()
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(e.contains(words), "{words}: {e}");
        }
    }

    #[test]
    fn the_fallback_share_is_a_fraction_but_never_zero() {
        let config = RedisBudgetConfig::new("redis://x", "acme").fallback_fraction(0.25);
        assert_eq!(config.fallback_share(100), 25);
        assert_eq!(config.fallback_share(5), 1);
        assert_eq!(config.fallback_share(1), 1);
    }
}

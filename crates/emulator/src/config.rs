//! How an emulator is set up: address, accepted tokens, rate limits, faults, seed, fixtures,
//! search lag and the body size cap. Built with chained methods so new settings never break callers.

use std::net::SocketAddr;
use std::time::Duration;

use crate::faults::FaultPlan;
use crate::fixtures::Fixtures;

/// A request budget per window (`--rate-limit 100/10s`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests accepted per window.
    pub max: u32,
    /// Window length.
    pub window: Duration,
}

impl RateLimit {
    /// `max` requests per `window`.
    pub fn new(max: u32, window: Duration) -> Self {
        Self { max, window }
    }
}

impl std::str::FromStr for RateLimit {
    type Err = String;

    /// Parses `N/WINDOW`, e.g. `100/10s`, `10/1s`, `5/500ms`, `60/1m`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (n, w) = s
            .split_once('/')
            .ok_or_else(|| format!("{s:?}: expected N/WINDOW, e.g. 100/10s"))?;
        let max: u32 = n
            .trim()
            .parse()
            .map_err(|_| format!("{s:?}: {n:?} is not a count"))?;
        if max == 0 {
            // A window that admits nothing would answer 429 forever; "no limit" is spelled by
            // leaving the option out.
            return Err(format!(
                "{s:?}: a window must admit at least 1 request (leave the option out for no limit)"
            ));
        }
        let window = parse_duration(w.trim())?;
        if window.is_zero() {
            return Err(format!("{s:?}: the window must be longer than zero"));
        }
        Ok(Self { max, window })
    }
}

/// Parses `5ms`, `10s`, `1m`, `250us`; a bare number is seconds.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let split = s
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let value: f64 = num
        .parse()
        .map_err(|_| format!("{s:?} is not a duration like 5ms or 10s"))?;
    let secs = match unit {
        "" | "s" => value,
        "ms" => value / 1e3,
        "us" | "µs" => value / 1e6,
        "m" | "min" => value * 60.0,
        "h" => value * 3600.0,
        _ => {
            return Err(format!(
                "{s:?}: unknown unit {unit:?} (use us, ms, s, m, h)"
            ));
        }
    };
    Duration::try_from_secs_f64(secs).map_err(|e| format!("{s:?}: {e}"))
}

/// Settings of one emulator.
///
/// ```
/// use std::time::Duration;
/// use hubspot_postal_emulator::{EmulatorConfig, RateLimit};
/// let config = EmulatorConfig::default()
///     .tokens(vec!["pat-test".into()])
///     .rate_limit(RateLimit::new(5, Duration::from_secs(1)))
///     .seed(7);
/// # let _ = config;
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct EmulatorConfig {
    pub(crate) addr: SocketAddr,
    pub(crate) tokens: Vec<String>,
    pub(crate) rate_limit: Option<RateLimit>,
    pub(crate) daily_limit: Option<u64>,
    pub(crate) search_rate: Option<u32>,
    pub(crate) faults: FaultPlan,
    pub(crate) seed: u64,
    pub(crate) fixtures: Fixtures,
    pub(crate) max_body_bytes: usize,
    pub(crate) search_lag: Duration,
    pub(crate) log_requests: bool,
}

impl Default for EmulatorConfig {
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            tokens: Vec::new(),
            rate_limit: None,
            daily_limit: None,
            search_rate: None,
            faults: FaultPlan::default(),
            seed: 0,
            fixtures: Fixtures::default(),
            max_body_bytes: 1024 * 1024,
            search_lag: Duration::ZERO,
            log_requests: false,
        }
    }
}

impl EmulatorConfig {
    /// Where to listen; default `127.0.0.1:0` (a free port).
    pub fn addr(mut self, addr: SocketAddr) -> Self {
        self.addr = addr;
        self
    }

    /// Bearer tokens accepted. Empty (the default) accepts any non-empty bearer token.
    pub fn tokens(mut self, tokens: Vec<String>) -> Self {
        self.tokens = tokens;
        self
    }

    /// The burst window (`TEN_SECONDLY_ROLLING`). Default: unlimited.
    pub fn rate_limit(mut self, limit: RateLimit) -> Self {
        self.rate_limit = Some(limit);
        self
    }

    /// Requests per UTC day (`DAILY`). Default: unlimited.
    pub fn daily_limit(mut self, limit: u64) -> Self {
        self.daily_limit = Some(limit);
        self
    }

    /// Search requests per second (`SECONDLY`). Default: unlimited.
    pub fn search_rate(mut self, per_second: u32) -> Self {
        self.search_rate = Some(per_second);
        self
    }

    /// Faults to inject from the first request on.
    pub fn faults(mut self, plan: FaultPlan) -> Self {
        self.faults = plan;
        self
    }

    /// Seed of the fault dice; the same seed and request sequence give the same faults.
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Records, properties, labels and associations present at start (and after reset).
    pub fn fixtures(mut self, fixtures: Fixtures) -> Self {
        self.fixtures = fixtures;
        self
    }

    /// How long a record created or written through the API stays invisible to search
    /// (`POST …/search` shows it as it was before, or not at all if it is new); get, list and
    /// batch read see it at once, as in HubSpot. Default zero: search sees writes at once.
    pub fn search_lag(mut self, lag: Duration) -> Self {
        self.search_lag = lag;
        self
    }

    /// Prints one line per request on stderr (method, path, status, injected fault, time
    /// taken); never a header or a body, so no token and no letter text. Default off.
    pub fn log_requests(mut self, on: bool) -> Self {
        self.log_requests = on;
        self
    }

    /// Largest request body accepted; larger bodies get 413. Default 1 MiB.
    pub fn max_body_bytes(mut self, bytes: usize) -> Self {
        self.max_body_bytes = bytes;
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rate_limits() {
        assert_eq!(
            "100/10s".parse::<RateLimit>().unwrap(),
            RateLimit::new(100, Duration::from_secs(10))
        );
        assert_eq!(
            "5/500ms".parse::<RateLimit>().unwrap().window,
            Duration::from_millis(500)
        );
        assert!("5".parse::<RateLimit>().is_err());
        assert!("x/1s".parse::<RateLimit>().is_err());
        assert!("1/0s".parse::<RateLimit>().is_err());
        let zero = "0/10s".parse::<RateLimit>().unwrap_err();
        assert!(zero.contains("at least 1 request"), "{zero}");
        assert!("1/3 parsecs".parse::<RateLimit>().is_err());
    }
}

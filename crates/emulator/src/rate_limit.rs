//! Request budgets: the burst window (`TEN_SECONDLY_ROLLING`), the daily count (`DAILY`) and the
//! search rate (`SECONDLY`), and the `X-HubSpot-RateLimit-*` figures each response reports.
//!
//! Windows are rolling: a request is allowed when fewer than `max` requests were accepted in
//! the last `window`. Requests answered 429 (by a limit or an injected fault) are not counted,
//! so a client that waits out the window always gets through. The daily count resets at
//! midnight UTC (HubSpot uses the account's time zone). Search has its own per-second window
//! and counts against the daily budget but not the burst window (the spec exempts it).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use hubspot_postal_model::limits::{BURST_FREE_STARTER, BURST_WINDOW_MILLIS, DAILY_FREE_STARTER};

use crate::config::RateLimit;

/// Which limit refused a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    TenSecondly,
    Daily,
    Secondly,
}

/// Figures for the `X-HubSpot-RateLimit-*` headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RateFigures {
    pub max: u64,
    pub remaining: u64,
    pub interval_ms: u64,
    pub daily: u64,
    pub daily_remaining: u64,
}

#[derive(Debug)]
pub(crate) struct Limiter {
    burst: Option<RateLimit>,
    daily: Option<u64>,
    search: Option<u32>,
    burst_log: VecDeque<Instant>,
    search_log: VecDeque<Instant>,
    daily_count: u64,
    day: u64,
}

fn utc_day() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() / 86_400)
        .unwrap_or(0)
}

fn expire(log: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while let Some(front) = log.front() {
        if now.duration_since(*front) >= window {
            log.pop_front();
        } else {
            break;
        }
    }
}

impl Limiter {
    pub fn new(burst: Option<RateLimit>, daily: Option<u64>, search: Option<u32>) -> Self {
        Self {
            burst,
            daily,
            search,
            burst_log: VecDeque::new(),
            search_log: VecDeque::new(),
            daily_count: 0,
            day: utc_day(),
        }
    }

    pub fn reset(&mut self) {
        self.burst_log.clear();
        self.search_log.clear();
        self.daily_count = 0;
        self.day = utc_day();
    }

    fn roll_day(&mut self) {
        let today = utc_day();
        if today != self.day {
            self.day = today;
            self.daily_count = 0;
        }
    }

    /// Counts a request if every budget allows it; search requests use the secondly window.
    pub fn admit(
        &mut self,
        search: bool,
        now: Instant,
    ) -> Result<RateFigures, (Refusal, RateFigures)> {
        self.roll_day();
        if let Some(b) = self.burst {
            expire(&mut self.burst_log, now, b.window);
        }
        let daily_ok = self.daily.is_none_or(|d| self.daily_count < d);
        if !daily_ok {
            return Err((Refusal::Daily, self.figures()));
        }
        if search {
            if let Some(per_second) = self.search {
                expire(&mut self.search_log, now, Duration::from_secs(1));
                if self.search_log.len() >= per_second as usize {
                    return Err((Refusal::Secondly, self.figures()));
                }
                self.search_log.push_back(now);
            }
        } else if let Some(b) = self.burst {
            if self.burst_log.len() >= b.max as usize {
                return Err((Refusal::TenSecondly, self.figures()));
            }
            self.burst_log.push_back(now);
        }
        self.daily_count += 1;
        Ok(self.figures())
    }

    /// Current figures; an unlimited budget reports HubSpot's Free/Starter figures, always full.
    pub fn figures(&self) -> RateFigures {
        let (max, remaining, interval_ms) = match self.burst {
            Some(b) => (
                u64::from(b.max),
                u64::from(b.max).saturating_sub(self.burst_log.len() as u64),
                u64::try_from(b.window.as_millis()).unwrap_or(u64::MAX),
            ),
            None => (
                u64::from(BURST_FREE_STARTER),
                u64::from(BURST_FREE_STARTER),
                BURST_WINDOW_MILLIS,
            ),
        };
        let (daily, daily_remaining) = match self.daily {
            Some(d) => (d, d.saturating_sub(self.daily_count)),
            None => (u64::from(DAILY_FREE_STARTER), u64::from(DAILY_FREE_STARTER)),
        };
        RateFigures {
            max,
            remaining,
            interval_ms,
            daily,
            daily_remaining,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rolling_window_and_refusals_not_counted() {
        let mut l = Limiter::new(
            Some(RateLimit::new(2, Duration::from_secs(1))),
            Some(10),
            Some(1),
        );
        let t0 = Instant::now();
        assert_eq!(l.admit(false, t0).unwrap().remaining, 1);
        assert_eq!(l.admit(false, t0).unwrap().remaining, 0);
        assert_eq!(l.admit(false, t0).unwrap_err().0, Refusal::TenSecondly);
        // Search is exempt from the burst window but has its own.
        assert!(l.admit(true, t0).is_ok());
        assert_eq!(l.admit(true, t0).unwrap_err().0, Refusal::Secondly);
        let later = t0 + Duration::from_secs(1);
        assert!(l.admit(false, later).is_ok());
        assert_eq!(l.figures().daily_remaining, 6);
    }

    #[test]
    fn daily_limit() {
        let mut l = Limiter::new(None, Some(1), None);
        let t = Instant::now();
        assert!(l.admit(false, t).is_ok());
        assert_eq!(l.admit(false, t).unwrap_err().0, Refusal::Daily);
        assert_eq!(l.admit(true, t).unwrap_err().0, Refusal::Daily);
    }
}

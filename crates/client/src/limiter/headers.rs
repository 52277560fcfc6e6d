//! `RateLimitHeaders`: the burst window an answer announces in `X-HubSpot-RateLimit-*`, parsed
//! once and clamped to the bounds in [`hubspot_postal_model::limits`].

use std::time::Duration;

use http::{HeaderMap, HeaderName, HeaderValue};
use hubspot_postal_model::headers;
use hubspot_postal_model::limits::{
    LEARNED_BURST_MAX, LEARNED_WINDOW_MAX_MILLIS, LEARNED_WINDOW_MIN_MILLIS,
};

// Parsed once: looking a header up by `&str` parses the name on every call.
static RATE_LIMIT_MAX: HeaderName = HeaderName::from_static(headers::RATE_LIMIT_MAX);
static RATE_LIMIT_INTERVAL_MS: HeaderName =
    HeaderName::from_static(headers::RATE_LIMIT_INTERVAL_MS);
static RATE_LIMIT_REMAINING: HeaderName = HeaderName::from_static(headers::RATE_LIMIT_REMAINING);

/// What an answer says about the burst window, clamped so that no header value can unpace a
/// client or make it do work that grows with the value.
///
/// - `X-HubSpot-RateLimit-Max` is kept within 1 ..= [`LEARNED_BURST_MAX`] (four times the
///   highest published tier); 0 is ignored, since it would stop every request.
/// - `X-HubSpot-RateLimit-Interval-Milliseconds` is kept within
///   [`LEARNED_WINDOW_MIN_MILLIS`] ..= [`LEARNED_WINDOW_MAX_MILLIS`]; 0 is ignored.
/// - `X-HubSpot-RateLimit-Remaining` is kept at most [`LEARNED_BURST_MAX`].
/// - A negative, fractional or non-numeric value is ignored.
///
/// ```
/// use std::time::Duration;
/// use http::{HeaderMap, HeaderValue};
/// use hubspot_postal::RateLimitHeaders;
///
/// let mut h = HeaderMap::new();
/// h.insert("x-hubspot-ratelimit-max", HeaderValue::from_static("50000000"));
/// h.insert("x-hubspot-ratelimit-interval-milliseconds", HeaderValue::from_static("10000"));
/// h.insert("x-hubspot-ratelimit-remaining", HeaderValue::from_static("-3"));
/// let learned = RateLimitHeaders::parse(&h).unwrap();
/// assert_eq!(learned.window, Some((1_000, Duration::from_secs(10))));
/// assert_eq!(learned.remaining, None);
/// assert_eq!(RateLimitHeaders::parse(&HeaderMap::new()), None);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// The window's maximum and length, when both were sent and usable.
    pub window: Option<(u32, Duration)>,
    /// Requests the portal has left in the window.
    pub remaining: Option<u32>,
}

impl RateLimitHeaders {
    /// Reads the headers; `None` when the answer carries none of them (search answers do not).
    pub fn parse(headers: &HeaderMap) -> Option<Self> {
        // One pass over the answer's few headers finds all three, where a look-up would hash
        // each name (twice when they are absent, as in every search answer). The first value
        // of a name counts, as with `HeaderMap::get`.
        let (mut max, mut interval, mut remaining) = (None, None, None);
        for (name, value) in headers {
            let found = if *name == RATE_LIMIT_REMAINING {
                &mut remaining
            } else if *name == RATE_LIMIT_MAX {
                &mut max
            } else if *name == RATE_LIMIT_INTERVAL_MS {
                &mut interval
            } else {
                continue;
            };
            found.get_or_insert(value);
        }
        let num = |value: Option<&HeaderValue>| {
            value
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
        };
        let remaining = num(remaining);
        if remaining.is_none() && max.is_none() {
            return None;
        }
        let window = match (num(max), num(interval)) {
            (Some(max), Some(interval)) if max > 0 && interval > 0 => Some((
                clamp_u32(max, 1, LEARNED_BURST_MAX),
                Duration::from_millis(
                    interval.clamp(LEARNED_WINDOW_MIN_MILLIS, LEARNED_WINDOW_MAX_MILLIS),
                ),
            )),
            _ => None,
        };
        Some(Self {
            window,
            remaining: remaining.map(|r| clamp_u32(r, 0, LEARNED_BURST_MAX)),
        })
    }
}

fn clamp_u32(value: u64, min: u32, max: u32) -> u32 {
    u32::try_from(value.clamp(u64::from(min), u64::from(max))).unwrap_or(max)
}

/// The three headers as an answer would carry them; a value that is not a valid header value
/// is left out.
#[cfg(test)]
pub(super) fn rate_headers(max: &str, interval: &str, remaining: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in [
        (&RATE_LIMIT_MAX, max),
        (&RATE_LIMIT_INTERVAL_MS, interval),
        (&RATE_LIMIT_REMAINING, remaining),
    ] {
        if let Ok(v) = http::HeaderValue::from_str(value) {
            h.insert(name.clone(), v);
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_beyond_the_bounds_are_clamped() {
        let huge = u64::MAX.to_string();
        let cases = [
            ("50000000", "10000", "50000000"),
            (huge.as_str(), huge.as_str(), huge.as_str()),
        ];
        for (max, interval, remaining) in cases {
            let learned = RateLimitHeaders::parse(&rate_headers(max, interval, remaining));
            assert_eq!(
                learned,
                Some(RateLimitHeaders {
                    window: Some((
                        LEARNED_BURST_MAX,
                        Duration::from_millis(if interval == "10000" {
                            10_000
                        } else {
                            LEARNED_WINDOW_MAX_MILLIS
                        })
                    )),
                    remaining: Some(LEARNED_BURST_MAX),
                }),
                "{max} {interval} {remaining}"
            );
        }
        let short = RateLimitHeaders::parse(&rate_headers("10", "1", "3"));
        assert_eq!(
            short.and_then(|l| l.window),
            Some((10, Duration::from_millis(LEARNED_WINDOW_MIN_MILLIS)))
        );
    }

    #[test]
    fn zero_negative_and_garbage_are_ignored() {
        for (max, interval, remaining) in [
            ("0", "10000", "x"),
            ("100", "0", "-1"),
            ("-100", "10000", "1.5"),
            ("abc", "10 s", ""),
        ] {
            let learned = RateLimitHeaders::parse(&rate_headers(max, interval, remaining));
            assert_eq!(
                learned,
                Some(RateLimitHeaders {
                    window: None,
                    remaining: None
                }),
                "{max} {interval} {remaining}"
            );
        }
    }
}

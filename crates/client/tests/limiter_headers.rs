//! Learned `X-HubSpot-RateLimit-*` values, through the public API only: absurd values are
//! clamped to four times HubSpot's published limits, and useless ones are ignored.

use std::time::Duration;

use http::{HeaderMap, HeaderValue};
use hubspot_postal::model::limits::{
    BURST_FREE_STARTER, LEARNED_BURST_MAX, LEARNED_WINDOW_MAX_MILLIS, LEARNED_WINDOW_MIN_MILLIS,
};
use hubspot_postal::{Budget, RateLimiter};
use tokio::time::Instant;

fn rate_headers(pairs: &[(&str, &str)]) -> HeaderMap {
    let mut h = HeaderMap::new();
    for (name, value) in pairs {
        let name = format!("x-hubspot-ratelimit-{name}");
        if let (Ok(n), Ok(v)) = (
            http::HeaderName::try_from(name.as_str()),
            HeaderValue::from_str(value),
        ) {
            h.insert(n, v);
        }
    }
    h
}

#[tokio::test(start_paused = true)]
async fn a_fifty_million_maximum_is_clamped_and_zero_remaining_still_paces() {
    let limiter = RateLimiter::free_starter();
    limiter.observe(&rate_headers(&[
        ("max", "50000000"),
        ("interval-milliseconds", "10000"),
        ("remaining", "0"),
    ]));
    assert_eq!(
        limiter.window(),
        Some((LEARNED_BURST_MAX, Duration::from_secs(10)))
    );
    // The portal has nothing left: the next request waits the window out.
    let start = Instant::now();
    limiter.acquire(Budget::General).await;
    assert!(
        start.elapsed() >= Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn u64_max_values_are_clamped() {
    let huge = u64::MAX.to_string();
    let limiter = RateLimiter::free_starter();
    // No `remaining` here: the code before the clamp would try to log u32::MAX sends for it.
    limiter.observe(&rate_headers(&[
        ("max", &huge),
        ("interval-milliseconds", &huge),
    ]));
    assert_eq!(
        limiter.window(),
        Some((
            LEARNED_BURST_MAX,
            Duration::from_millis(LEARNED_WINDOW_MAX_MILLIS)
        ))
    );
}

#[tokio::test(start_paused = true)]
async fn a_one_millisecond_window_is_clamped_up() {
    let limiter = RateLimiter::free_starter();
    limiter.observe(&rate_headers(&[
        ("max", "10"),
        ("interval-milliseconds", "1"),
    ]));
    assert_eq!(
        limiter.window(),
        Some((10, Duration::from_millis(LEARNED_WINDOW_MIN_MILLIS)))
    );
}

#[tokio::test(start_paused = true)]
async fn zero_negative_and_non_numeric_values_are_ignored() {
    for (max, interval, remaining) in [
        ("0", "10000", "0x10"),
        ("-1", "-10000", "-5"),
        ("lots", "10 seconds", "1e9"),
    ] {
        let limiter = RateLimiter::free_starter();
        limiter.observe(&rate_headers(&[
            ("max", max),
            ("interval-milliseconds", interval),
            ("remaining", remaining),
        ]));
        assert_eq!(
            limiter.window(),
            Some((BURST_FREE_STARTER, Duration::from_secs(10))),
            "{max} {interval} {remaining}"
        );
        // Nothing was counted as sent: the whole default window is still free.
        for _ in 0..BURST_FREE_STARTER {
            assert!(
                limiter.try_acquire(Budget::General),
                "{max} {interval} {remaining}"
            );
        }
        assert!(!limiter.try_acquire(Budget::General));
    }
}

//! The shared budget against a real `redis-server`: several budgets on one portal key (as
//! several processes would hold) share one window, search's per-second window, the daily
//! budget, what HubSpot's headers taught, and a 429's pause. Another portal key is another
//! budget.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the report

mod support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{HeaderMap, HeaderValue};
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::{Budget, RateBudget, Slot};
use hubspot_postal_redis::{Mode, RedisBudget, RedisBudgetConfig, UtcOffset};
use redis::Commands;
use support::{RedisServer, eventually, redis_available};
use tokio::time::Instant;

async fn budget(
    redis: &RedisServer,
    config: impl FnOnce(RedisBudgetConfig) -> RedisBudgetConfig,
) -> RedisBudget {
    let base = RedisBudgetConfig::new(redis.url(), "acme-test").daily_limit(None);
    RedisBudget::connect(config(base)).await.unwrap()
}

#[tokio::test]
async fn budgets_on_one_portal_key_share_one_window() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let five_per_second = |c: RedisBudgetConfig| c.burst(5, Duration::from_secs(1));
    let a = budget(&redis, five_per_second).await;
    let b = budget(&redis, five_per_second).await;
    assert_eq!(a.mode(), Mode::Shared);

    let start = Instant::now();
    for i in 0..5 {
        let which = if i % 2 == 0 { &a } else { &b };
        which.acquire_slot(Budget::General).await.unwrap();
    }
    // Five taken between them: the sixth, from either, waits for the window.
    b.acquire_slot(Budget::General).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );

    // Another portal is another budget: its five go at once.
    let other = RedisBudget::connect(
        RedisBudgetConfig::new(redis.url(), "other-portal")
            .burst(5, Duration::from_secs(1))
            .daily_limit(None),
    )
    .await
    .unwrap();
    let start = Instant::now();
    for _ in 0..5 {
        other.acquire_slot(Budget::General).await.unwrap();
    }
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    // Every key is named by the user's portal key, inside a Cluster hash tag.
    let keys: Vec<String> = redis.connection().keys("*").unwrap();
    assert!(!keys.is_empty());
    for key in &keys {
        assert!(
            key.starts_with("hubspot-postal:{acme-test}:")
                || key.starts_with("hubspot-postal:{other-portal}:"),
            "{key}"
        );
    }
}

#[tokio::test]
async fn search_has_its_own_per_second_window() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let config = |c: RedisBudgetConfig| c.search_per_second(2).burst(100, Duration::from_secs(10));
    let a = budget(&redis, config).await;
    let b = budget(&redis, config).await;
    let start = Instant::now();
    a.acquire_slot(Budget::Search).await.unwrap();
    b.acquire_slot(Budget::Search).await.unwrap();
    // The general window is untouched by search.
    for _ in 0..10 {
        a.acquire_slot(Budget::General).await.unwrap();
    }
    assert!(
        start.elapsed() < Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );
    a.acquire_slot(Budget::Search).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
}

fn minutes_to_midnight(offset: UtcOffset) -> u64 {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let local = now
        .checked_add_signed(i64::from(offset.whole_seconds()))
        .unwrap();
    (86_400 - local % 86_400).div_ceil(60)
}

#[tokio::test]
async fn the_daily_budget_is_shared_and_refuses_with_its_reset_in_the_portal_time_zone() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let offset = UtcOffset::from_hms(5, 30, 0).unwrap();
    let config = |c: RedisBudgetConfig| c.daily_limit(Some(3)).time_zone(offset);
    let a = budget(&redis, config).await;
    let b = budget(&redis, config).await;
    a.acquire_slot(Budget::General).await.unwrap();
    b.acquire_slot(Budget::Search).await.unwrap();
    a.acquire_slot(Budget::General).await.unwrap();
    let refused = b.acquire_slot(Budget::General).await.unwrap_err();
    let text = refused.to_string();
    assert!(text.contains("daily budget"), "{text}");
    assert!(text.contains("+05:30"), "{text}");
    let expected = minutes_to_midnight(offset);
    let said: u64 = text
        .split("resets in ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(said.abs_diff(expected) <= 1, "{said} vs {expected}: {text}");
}

fn rate_headers(max: &str, interval: &str, remaining: &str) -> HeaderMap {
    let mut h = HeaderMap::new();
    h.insert(
        "x-hubspot-ratelimit-max",
        HeaderValue::from_str(max).unwrap(),
    );
    h.insert(
        "x-hubspot-ratelimit-interval-milliseconds",
        HeaderValue::from_str(interval).unwrap(),
    );
    h.insert(
        "x-hubspot-ratelimit-remaining",
        HeaderValue::from_str(remaining).unwrap(),
    );
    h
}

#[tokio::test]
async fn a_window_learned_by_one_process_paces_all_and_absurd_values_are_clamped() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let a = budget(&redis, |c| c).await;
    let b = budget(&redis, |c| c).await;
    // A learns 2 per second from HubSpot, which also says nothing is left.
    a.observe_response(
        Slot::new(Budget::General, 0),
        &rate_headers("2", "1000", "0"),
    );
    let mut conn = redis.connection();
    let learned = "hubspot-postal:{acme-test}:learned";
    assert!(
        eventually(Duration::from_secs(2), || {
            conn.hget::<_, _, Option<u32>>(learned, "max").unwrap() == Some(2)
        })
        .await
    );
    assert_eq!(a.burst_window(), Duration::from_secs(1));
    // B, configured for 100 per 10 s, waits: HubSpot's "0 left" counts for everyone.
    let start = Instant::now();
    b.acquire_slot(Budget::General).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(900),
        "{:?}",
        start.elapsed()
    );

    // Fifty million is stored clamped, and "0 left" adds a clamped count, not 50,000,000.
    a.observe_response(
        Slot::new(Budget::General, 0),
        &rate_headers("50000000", "10000", "0"),
    );
    assert!(
        eventually(Duration::from_secs(2), || {
            conn.hget::<_, _, Option<u32>>(learned, "max").unwrap() == Some(1_000)
        })
        .await
    );
    let counted: u64 = conn.zcard("hubspot-postal:{acme-test}:general").unwrap();
    assert!(counted <= 1_000, "{counted}");
}

#[tokio::test]
async fn a_429_seen_by_one_process_pauses_every_process() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let a = budget(&redis, |c| c).await;
    let b = budget(&redis, |c| c).await;
    a.report_rate_limited(
        Slot::new(Budget::General, 0),
        Some(&RateLimitPolicy::TenSecondlyRolling),
        Some(Duration::from_millis(800)),
    );
    let mut conn = redis.connection();
    assert!(
        eventually(Duration::from_secs(2), || {
            conn.hexists("hubspot-postal:{acme-test}:pauses", "general")
                .unwrap()
        })
        .await
    );
    let start = Instant::now();
    b.acquire_slot(Budget::General).await.unwrap();
    let waited = start.elapsed();
    assert!(waited >= Duration::from_millis(600), "{waited:?}");
    // Search is not paused by the burst window's 429.
    let start = Instant::now();
    b.acquire_slot(Budget::Search).await.unwrap();
    assert!(start.elapsed() < Duration::from_millis(500));

    // The daily limit's 429 stops everyone until the reset.
    a.report_rate_limited(
        Slot::new(Budget::General, 0),
        Some(&RateLimitPolicy::Daily),
        None,
    );
    assert!(
        eventually(Duration::from_secs(2), || {
            conn.hexists("hubspot-postal:{acme-test}:pauses", "daily")
                .unwrap()
        })
        .await
    );
    let refused = b.acquire_slot(Budget::Search).await.unwrap_err();
    assert!(refused.to_string().contains("daily budget"), "{refused}");
}

#[tokio::test]
async fn an_answered_slot_counts_from_its_answer_so_no_delay_on_the_way_frees_it_early() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let a = budget(&redis, |c| c.burst(2, Duration::from_secs(1))).await;
    let start = Instant::now();
    let first = a.acquire_slot(Budget::General).await.unwrap();
    let second = a.acquire_slot(Budget::General).await.unwrap();
    assert_ne!(first.id(), second.id());
    let mut conn = redis.connection();
    let general = "hubspot-postal:{acme-test}:general";
    let oldest = |conn: &mut redis::Connection| -> f64 {
        let first: Vec<(String, f64)> = conn.zrange_withscores(general, 0, 0).unwrap();
        first.first().map_or(0.0, |(_, score)| *score)
    };
    let taken = oldest(&mut conn);
    // The answers arrive half a second later (a slow request).
    tokio::time::sleep(Duration::from_millis(500)).await;
    a.observe_response(first, &HeaderMap::new());
    a.observe_response(second, &HeaderMap::new());
    // Both entries now count from the answers (scores are microseconds of Redis's clock).
    assert!(
        eventually(Duration::from_secs(2), || oldest(&mut conn)
            >= taken + 400_000.0)
        .await
    );
    a.acquire_slot(Budget::General).await.unwrap();
    // Counted from the answers: the third slot waits until about 1.5 s, not 1 s.
    assert!(
        start.elapsed() >= Duration::from_millis(1_400),
        "{:?}",
        start.elapsed()
    );
}

/// Runs another test of this binary as a child without `redis-server` on its PATH: it skips
/// and says so, unless the variable CI sets makes the absence a failure.
#[test]
fn without_redis_server_a_test_skips_loudly_and_ci_fails_instead() {
    let me = std::env::current_exe().unwrap();
    let run = |require: bool| {
        let mut child = std::process::Command::new(&me);
        child
            .args(["--exact", "search_has_its_own_per_second_window"])
            .env("PATH", "/nonexistent");
        if require {
            child.env(hubspot_postal_test_redis::REQUIRE_VAR, "1");
        } else {
            child.env_remove(hubspot_postal_test_redis::REQUIRE_VAR);
        }
        child.output().unwrap()
    };
    let skipped = run(false);
    let said = String::from_utf8_lossy(&skipped.stderr);
    assert!(skipped.status.success(), "{said}");
    assert!(
        said.contains("SKIPPED: redis-server is not installed"),
        "{said}"
    );
    let required = run(true);
    assert!(!required.status.success(), "CI must not pass by skipping");
}

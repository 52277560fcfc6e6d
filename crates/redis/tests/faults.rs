//! Redis faults against a real `redis-server`: down at start (a clear error, or the opt-in
//! fallback at a fraction), killed mid-run (fallback within a second, logged once, rejoined
//! when it returns), slow (each call times out and the request goes through the fallback),
//! and never a create sent twice because of any of it.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the report

mod support;

use std::sync::Arc;
use std::time::Duration;

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Budget, Client, RateBudget};
use hubspot_postal_emulator::{Emulator, EmulatorConfig};
use hubspot_postal_redis::{Mode, RedisBudget, RedisBudgetConfig, RedisBudgetError};
use support::{Logs, RedisServer, redis_available};
use tokio::time::Instant;

const UNREACHABLE_LOG: &str = "Redis unreachable";
const REJOINED_LOG: &str = "rejoined";

/// A URL where nothing listens: a server started and killed.
fn dead_redis() -> (RedisServer, String) {
    let mut redis = RedisServer::start();
    redis.kill();
    let url = redis.url();
    (redis, url)
}

#[tokio::test]
async fn redis_down_at_start_is_a_clear_error_by_default() {
    if !redis_available() {
        return;
    }
    let (redis, url) = dead_redis();
    let config = RedisBudgetConfig::new(url, "acme-test");
    for result in [
        RedisBudget::connect(config.clone()).await,
        RedisBudget::connect_blocking(config.clone()),
    ] {
        let error = result.unwrap_err();
        assert!(
            matches!(error, RedisBudgetError::Unreachable { .. }),
            "{error:?}"
        );
        let text = error.to_string();
        assert!(
            text.contains(&format!("127.0.0.1:{}", redis.port())),
            "{text}"
        );
        assert!(text.contains("fallback_at_start"), "{text}");
    }

    // Built lazily, the first request fails unsent and says why.
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let client = Client::builder()
        .token("pat-na1-test")
        .base_url(emulator.base_url())
        .rate_budget(Arc::new(RedisBudget::new(config).unwrap()))
        .build()
        .unwrap();
    let error = client.create(letter(0)).await.unwrap_err();
    assert!(!error.may_have_been_applied(), "{error}");
    assert!(error.to_string().contains("unreachable"), "{error}");
    assert!(emulator.request_log().is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn redis_down_at_start_can_fall_back_at_a_fraction_never_unlimited() {
    if !redis_available() {
        return;
    }
    let (_redis, url) = dead_redis();
    let logs = Logs::capture(&url);
    let budget = RedisBudget::connect(
        RedisBudgetConfig::new(url, "acme-test")
            .burst(8, Duration::from_secs(1))
            .fallback_fraction(0.25)
            .fallback_at_start(true),
    )
    .await
    .unwrap();
    assert_eq!(budget.mode(), Mode::Fallback);
    assert_eq!(
        budget.fallback().window(),
        Some((2, Duration::from_secs(1)))
    );
    let start = Instant::now();
    for _ in 0..3 {
        budget.acquire_slot(Budget::General).await.unwrap();
    }
    // A quarter of 8 per second is 2: the third waits for the window.
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(logs.count(UNREACHABLE_LOG), 1);
}

#[tokio::test]
async fn redis_dying_mid_run_falls_back_within_a_second_logs_once_and_rejoins() {
    if !redis_available() {
        return;
    }
    let mut redis = RedisServer::start();
    let logs = Logs::capture(&redis.url());
    let budget = RedisBudget::connect(RedisBudgetConfig::new(redis.url(), "acme-test"))
        .await
        .unwrap();
    budget.acquire_slot(Budget::General).await.unwrap();
    assert_eq!(budget.mode(), Mode::Shared);

    redis.kill();
    let start = Instant::now();
    budget.acquire_slot(Budget::General).await.unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(budget.mode(), Mode::Fallback);
    for _ in 0..10 {
        budget.acquire_slot(Budget::General).await.unwrap();
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(logs.count(UNREACHABLE_LOG), 1, "one outage, one log line");
    assert_eq!(budget.outages(), 1);

    redis.restart();
    let start = Instant::now();
    while budget.mode() == Mode::Fallback && start.elapsed() < Duration::from_secs(5) {
        budget.acquire_slot(Budget::General).await.unwrap();
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(budget.mode(), Mode::Shared, "rejoined when Redis came back");
    assert_eq!(logs.count(REJOINED_LOG), 1);
    // And it counts on Redis again.
    let counted: u64 = redis::Commands::zcard(
        &mut redis.connection(),
        "hubspot-postal:{acme-test}:general",
    )
    .unwrap();
    assert!(counted >= 1, "{counted}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_redis_times_out_and_the_request_goes_through_the_fallback() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let budget = RedisBudget::connect(
        RedisBudgetConfig::new(redis.url(), "acme-test").call_timeout(Duration::from_millis(50)),
    )
    .await
    .unwrap();
    budget.acquire_slot(Budget::General).await.unwrap();
    redis.pause(Duration::from_secs(2));
    let start = Instant::now();
    budget.acquire_slot(Budget::General).await.unwrap();
    let took = start.elapsed();
    // 50 ms of timeout, then the in-process fallback (which has room): far under the pause.
    assert!(took < Duration::from_secs(1), "{took:?}");
    assert_eq!(budget.mode(), Mode::Fallback);
}

fn letter(i: usize) -> CreatePostalMail {
    let stamp: Timestamp = "2026-11-30T09:15:00Z".parse().unwrap();
    CreatePostalMail::new(stamp).body(format!("Signed contract {i} received by post"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_create_is_sent_twice_while_redis_dies_and_returns() {
    if !redis_available() {
        return;
    }
    let mut redis = RedisServer::start();
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let budget = RedisBudget::connect(
        RedisBudgetConfig::new(redis.url(), "acme-test").fallback_fraction(1.0),
    )
    .await
    .unwrap();
    let client = Client::builder()
        .token("pat-na1-test")
        .base_url(emulator.base_url())
        .rate_budget(Arc::new(budget.clone()))
        .build()
        .unwrap();
    let mut modes = Vec::new();
    let mut sent = 0;
    let mut create = async |modes: &mut Vec<Mode>| {
        client.create(letter(sent)).await.unwrap();
        sent += 1;
        modes.push(budget.mode());
    };
    for _ in 0..20 {
        create(&mut modes).await;
    }
    redis.kill();
    for _ in 0..20 {
        create(&mut modes).await;
    }
    redis.restart();
    let back = Instant::now();
    while budget.mode() == Mode::Fallback && back.elapsed() < Duration::from_secs(5) {
        create(&mut modes).await;
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    for _ in 0..5 {
        create(&mut modes).await;
    }
    let n = modes.len();
    assert!(modes.contains(&Mode::Fallback), "the outage was seen");
    assert_eq!(modes.last(), Some(&Mode::Shared), "and the budget rejoined");
    let posts = emulator
        .request_log()
        .iter()
        .filter(|r| r.method == "POST")
        .count();
    assert_eq!(posts, n, "one request per create");
    let mut bodies: Vec<String> = emulator
        .postal_mails(false)
        .iter()
        .filter_map(|m| {
            m["properties"]["hs_postal_mail_body"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    bodies.sort();
    bodies.dedup();
    assert_eq!(bodies.len(), n, "every letter exactly once");
    assert_eq!(emulator.postal_mails(false).len(), n);
}

//! Several clients of one portal against a rate-limited emulator: with one budget shared on a
//! real Redis they meet no 429; with a limiter each (the same run, the same setup) they do,
//! which shows the setup can fail. Async and blocking clients share a budget alike.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests: a panic is the report

mod support;

use std::sync::Arc;
use std::time::Duration;

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::search::SearchRequest;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Client, RateBudget, RateLimiter};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle, RateLimit};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};
use support::{RedisServer, redis_available};

const LIMIT: u32 = 10;
const WINDOW: Duration = Duration::from_secs(1);
const PORTAL: &str = "acme-shared";

fn letters(client: usize, n: usize) -> Vec<CreatePostalMail> {
    let stamp: Timestamp = "2026-11-30T09:15:00Z".parse().unwrap();
    (0..n)
        .map(|i| CreatePostalMail::new(stamp).body(format!("client {client} letter {i}")))
        .collect()
}

fn config(redis: &RedisServer) -> RedisBudgetConfig {
    RedisBudgetConfig::new(redis.url(), PORTAL).burst(LIMIT, WINDOW)
}

fn client(emulator: &EmulatorHandle, budget: Arc<dyn RateBudget>) -> Client {
    Client::builder()
        .token("pat-na1-test")
        .base_url(emulator.base_url())
        .rate_budget(budget)
        .build()
        .unwrap()
}

async fn limited_emulator() -> EmulatorHandle {
    Emulator::start(EmulatorConfig::default().rate_limit(RateLimit::new(LIMIT, WINDOW)))
        .await
        .unwrap()
}

/// Two clients, each with `budget()`, create 1,000 letters each through `batch_create`
/// (10 requests each); returns the 429s the emulator sent.
async fn two_clients_create(budget: impl Fn() -> Arc<dyn RateBudget>) -> usize {
    let emulator = limited_emulator().await;
    let (a, b) = (client(&emulator, budget()), client(&emulator, budget()));
    let (ra, rb) = tokio::join!(
        a.batch_create(letters(0, 1_000)),
        b.batch_create(letters(1, 1_000))
    );
    assert_eq!(ra.unwrap().successes().count(), 1_000);
    assert_eq!(rb.unwrap().successes().count(), 1_000);
    assert_eq!(emulator.postal_mails(false).len(), 2_000);
    emulator.count_status(429)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_clients_sharing_a_portal_key_meet_no_429_where_separate_limiters_do() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let a = Arc::new(RedisBudget::connect(config(&redis)).await.unwrap());
    let b = Arc::new(RedisBudget::connect(config(&redis)).await.unwrap());
    let budgets = std::sync::Mutex::new(vec![a as Arc<dyn RateBudget>, b]);
    let shared = two_clients_create(|| budgets.lock().unwrap().pop().unwrap()).await;
    assert_eq!(
        shared, 0,
        "the shared budget kept both clients under the limit"
    );

    let separate = two_clients_create(|| Arc::new(RateLimiter::new(LIMIT, WINDOW, 5))).await;
    assert!(
        separate > 0,
        "with a limiter each, the same load meets 429s"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_blocking_and_an_async_client_share_one_budget() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let emulator = limited_emulator().await;
    let blocking_budget = RedisBudget::connect_blocking(config(&redis)).unwrap();
    let blocking = hubspot_postal_blocking::Client::builder()
        .token("pat-na1-test")
        .base_url(emulator.base_url())
        .rate_budget(Arc::new(blocking_budget))
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let async_client = client(
        &emulator,
        Arc::new(RedisBudget::connect(config(&redis)).await.unwrap()),
    );
    // A plain thread: the blocking client refuses to run inside the runtime.
    let from_blocking = std::thread::spawn(move || blocking.batch_create(letters(0, 1_000)));
    let from_async = async_client.batch_create(letters(1, 1_000)).await.unwrap();
    let from_blocking = tokio::task::block_in_place(|| from_blocking.join())
        .unwrap()
        .unwrap();
    assert_eq!(
        from_async.successes().count() + from_blocking.successes().count(),
        2_000
    );
    assert_eq!(emulator.count_status(429), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_searching_at_once_stay_under_the_search_rate() {
    if !redis_available() {
        return;
    }
    let redis = RedisServer::start();
    let emulator = Emulator::start(EmulatorConfig::default().search_rate(5))
        .await
        .unwrap();
    let mut searches = Vec::new();
    for _ in 0..4 {
        let budget = RedisBudget::connect(config(&redis).search_per_second(5))
            .await
            .unwrap();
        let client = client(&emulator, Arc::new(budget));
        searches.push(tokio::spawn(async move {
            let request = SearchRequest::builder().query("contract").build().unwrap();
            for _ in 0..4 {
                client.search_page(&request).await.unwrap();
            }
        }));
    }
    for search in searches {
        search.await.unwrap();
    }
    let searched = emulator
        .request_log()
        .iter()
        .filter(|r| r.path.ends_with("/search"))
        .count();
    assert_eq!(searched, 16);
    assert_eq!(emulator.count_status(429), 0);
}

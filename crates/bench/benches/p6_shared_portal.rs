//! P6. Several services, one portal: a rate budget shared on Redis against a limiter each.
//!
//! `cargo bench -p hubspot-postal-bench --bench p6_shared_portal` (needs `redis-server` on
//! the PATH; `P6_PROCESSES=4` runs one size only)
//!
//! P separate processes (this binary, re-run as workers), P = 4 and P = 8, together create
//! 10,000 letters through `batch_create` (100 per request, each process its share) against one
//! emulator limited to 10 requests per rolling second, started in this process. Each size runs
//! twice in the same run, on a fresh emulator each time:
//!
//! - **shared**: every worker paces through one `RedisBudget` (a real `redis-server` on a free
//!   loopback port, started here) configured for 10 per second;
//! - **in-process** (the baseline): every worker has its own `RateLimiter::new(10, 1 s, 5)`,
//!   as each service would without a shared budget.
//!
//! The exact floor: R requests in all, at 10 per rolling second, the last one starts at
//! ⌊(R − 1) / 10⌋ s; plus the time one 100-input request takes (median of 5 against an
//! unlimited emulator, measured in this run). Targets with the shared budget: wall ≤ 1.10 ×
//! the exact floor and 0 × 429 (counted in the emulator's request log).
//!
//! Then:
//! - **search**: 8 workers each send 5 searches at once against an emulator limited to
//!   `--search-rate 5`; target 0 × 429 with the shared budget (the in-process figure beside it);
//! - **latency**: 500 `acquire_slot` calls that find room, through a `RedisBudget` and through
//!   an in-process `RateLimiter`, one after another in this process; Redis's added latency is
//!   the difference of their p99s, target ≤ 1 ms.
//!
//! The whole bench takes about a minute and a half, mostly waiting on the rate limit.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::search::SearchRequest;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Budget, Client, RateBudget, RateLimiter};
use hubspot_postal_bench::{Goal, median, print_header, verdict};
use hubspot_postal_emulator::{BlockingEmulator, Emulator, EmulatorConfig, RateLimit};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};
use hubspot_postal_test_redis::RedisServer;

const LETTERS: usize = 10_000;
const PER_REQUEST: usize = 100;
const LIMIT: u32 = 10;
const WINDOW: Duration = Duration::from_secs(1);
const SEARCH_RATE: u32 = 5;
const SEARCHES_PER_WORKER: usize = 5;
const SEARCH_WORKERS: usize = 8;
const LATENCY_SAMPLES: usize = 500;
const TARGET: f64 = 1.10;
const TARGET_ADDED_P99_MS: f64 = 1.0;
const TOKEN: &str = "pat-na1-bench";

/// What the workers of one run do: create letters (in all), or search (each).
#[derive(Clone, Copy)]
enum Work {
    Create(usize),
    Search(usize),
}

/// A multi-thread runtime with a worker per core (two on the reference machine).
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().unwrap()
}

fn letters(worker: usize, n: usize) -> Vec<CreatePostalMail> {
    let stamp: Timestamp = "2026-11-30T09:15:00Z".parse().unwrap();
    (0..n)
        .map(|i| CreatePostalMail::new(stamp).body(format!("worker {worker} letter {i}")))
        .collect()
}

/// The worker: `--p6-worker BASE create|search N INDEX [REDIS_URL PORTAL]`. Connects, says
/// `ready`, waits for a line on stdin, works, prints how many succeeded.
fn worker(args: &[String]) {
    let [base, kind, n, index, rest @ ..] = args else {
        panic!("usage: --p6-worker BASE create|search N INDEX [REDIS_URL PORTAL]");
    };
    let (n, index): (usize, usize) = (n.parse().unwrap(), index.parse().unwrap());
    let rt = runtime();
    let budget: Arc<dyn RateBudget> = match rest {
        [url, portal] => Arc::new(
            rt.block_on(RedisBudget::connect(
                RedisBudgetConfig::new(url, portal)
                    .burst(LIMIT, WINDOW)
                    .search_per_second(SEARCH_RATE),
            ))
            .unwrap(),
        ),
        _ => Arc::new(RateLimiter::new(LIMIT, WINDOW, SEARCH_RATE)),
    };
    let client = Client::builder()
        .token(TOKEN)
        .base_url(base.clone())
        .rate_budget(budget)
        .retry_policy(
            hubspot_postal::retry::RetryPolicy::default().deadline(Duration::from_secs(120)),
        )
        .build()
        .unwrap();
    println!("ready");
    std::io::stdout().flush().unwrap();
    let mut go = String::new();
    std::io::stdin().read_line(&mut go).unwrap();
    let done = rt.block_on(async {
        if kind == "create" {
            client
                .batch_create(letters(index, n))
                .await
                .map_or(0, |o| o.successes().count())
        } else {
            let request = SearchRequest::builder().query("letter").build().unwrap();
            let mut ok = 0;
            for _ in 0..n {
                ok += usize::from(client.search_page(&request).await.is_ok());
            }
            ok
        }
    });
    println!("done {done}");
}

/// Starts `p` workers, lets them go at once, waits for all; returns the wall time and how
/// many items they reported done.
fn run_workers(
    p: usize,
    base: &str,
    work: Work,
    shared: Option<(&str, &str)>,
) -> (Duration, usize) {
    let exe = std::env::current_exe().unwrap();
    let mut children: Vec<Child> = (0..p)
        .map(|i| {
            let (kind, n) = match work {
                Work::Create(total) => ("create", total / p + usize::from(i < total % p)),
                Work::Search(n) => ("search", n),
            };
            let mut args = vec![
                "--p6-worker".to_owned(),
                base.to_owned(),
                kind.to_owned(),
                n.to_string(),
                i.to_string(),
            ];
            if let Some((url, portal)) = shared {
                args.extend([url.to_owned(), portal.to_owned()]);
            }
            Command::new(&exe)
                .args(args)
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut outputs: Vec<_> = children
        .iter_mut()
        .map(|c| BufReader::new(c.stdout.take().unwrap()))
        .collect();
    for out in &mut outputs {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        assert_eq!(line.trim(), "ready");
    }
    let start = Instant::now();
    for child in &mut children {
        writeln!(child.stdin.as_mut().unwrap(), "go").unwrap();
    }
    let mut done = 0;
    for (child, out) in children.iter_mut().zip(&mut outputs) {
        let mut line = String::new();
        out.read_line(&mut line).unwrap();
        done += line
            .trim()
            .strip_prefix("done ")
            .map_or(0, |n| n.parse().unwrap());
        child.wait().unwrap();
    }
    (start.elapsed(), done)
}

fn emulator(config: EmulatorConfig) -> BlockingEmulator {
    Emulator::start_blocking(config).unwrap()
}

/// The median time of one 100-input batch request against an unlimited emulator.
fn one_request_secs(rt: &tokio::runtime::Runtime) -> f64 {
    let emu = emulator(EmulatorConfig::default());
    let client = Client::builder()
        .token(TOKEN)
        .base_url(emu.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    let mut times: Vec<f64> = rt.block_on(async {
        let mut v = Vec::new();
        for _ in 0..6 {
            let t = Instant::now();
            client.batch_create(letters(0, PER_REQUEST)).await.unwrap();
            v.push(t.elapsed().as_secs_f64());
        }
        v.remove(0); // the first opens the connection
        v
    });
    median(&mut times)
}

fn p99_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    let at = (samples.len() * 99).div_ceil(100).saturating_sub(1);
    samples.get(at).copied().unwrap_or(0.0) * 1e3
}

/// `acquire_slot` latencies (seconds) of `budget`, each finding room.
async fn acquire_latencies(budget: &dyn RateBudget) -> Vec<f64> {
    let mut samples = Vec::with_capacity(LATENCY_SAMPLES);
    for _ in 0..LATENCY_SAMPLES {
        let t = Instant::now();
        budget.acquire_slot(Budget::General).await.unwrap();
        samples.push(t.elapsed().as_secs_f64());
    }
    samples
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--p6-worker") {
        worker(&args[at + 1..]);
        return;
    }
    print_header(
        "P6 several services, one portal: 10,000 letters from P processes, emulator at 10 req/s",
    );
    let redis = RedisServer::start();
    let url = redis.url();
    let rt = runtime();
    let one_request = one_request_secs(&rt);
    let sizes: Vec<usize> = std::env::var("P6_PROCESSES")
        .ok()
        .and_then(|p| p.parse().ok())
        .map_or(vec![4, 8], |p| vec![p]);
    let mut all_met = true;

    for p in sizes {
        let requests: usize = (0..p)
            .map(|i| (LETTERS / p + usize::from(i < LETTERS % p)).div_ceil(PER_REQUEST))
            .sum();
        let floor = ((requests - 1) / LIMIT as usize) as f64 * WINDOW.as_secs_f64() + one_request;
        println!(
            "P = {p}: {requests} requests in all; exact floor {:.0} s + {:.1} ms = {floor:.3} s",
            floor - one_request,
            one_request * 1e3
        );
        for shared in [true, false] {
            let emu = emulator(EmulatorConfig::default().rate_limit(RateLimit::new(LIMIT, WINDOW)));
            let portal = format!("p6-create-{p}");
            let (wall, created) = run_workers(
                p,
                &emu.base_url(),
                Work::Create(LETTERS),
                shared.then_some((url.as_str(), portal.as_str())),
            );
            let too_many = emu.count_status(429);
            let label = if shared {
                "shared (Redis)"
            } else {
                "in-process each"
            };
            let ratio = wall.as_secs_f64() / floor;
            println!(
                "    {label}: {created} of {LETTERS} created in {:.3} s = {ratio:.3} x the exact floor; {too_many} answered 429",
                wall.as_secs_f64()
            );
            if shared {
                all_met &= verdict(
                    &format!("P6 P={p} shared wall/exact floor"),
                    ratio,
                    Goal::AtMost,
                    TARGET,
                );
                println!(
                    "RESULT P6 P={p} shared 429 answers: {too_many} (target 0): {}",
                    if too_many == 0 { "MET" } else { "MISSED" }
                );
                all_met &= too_many == 0 && created == LETTERS;
            }
        }
    }

    println!(
        "search: {SEARCH_WORKERS} processes x {SEARCHES_PER_WORKER} searches, emulator --search-rate {SEARCH_RATE}"
    );
    for shared in [true, false] {
        let emu = emulator(EmulatorConfig::default().search_rate(SEARCH_RATE));
        let (wall, ok) = run_workers(
            SEARCH_WORKERS,
            &emu.base_url(),
            Work::Search(SEARCHES_PER_WORKER),
            shared.then_some((url.as_str(), "p6-search")),
        );
        let too_many = emu.count_status(429);
        let label = if shared {
            "shared (Redis)"
        } else {
            "in-process each"
        };
        println!(
            "    {label}: {ok} of {} searches answered in {:.3} s; {too_many} answered 429",
            SEARCH_WORKERS * SEARCHES_PER_WORKER,
            wall.as_secs_f64()
        );
        if shared {
            println!(
                "RESULT P6 search shared 429 answers: {too_many} (target 0): {}",
                if too_many == 0 { "MET" } else { "MISSED" }
            );
            all_met &= too_many == 0;
        }
    }

    let (redis_p99, local_p99) = rt.block_on(async {
        let budget = RedisBudget::connect(
            RedisBudgetConfig::new(&url, "p6-latency")
                .burst(1_000, Duration::from_secs(1))
                .daily_limit(None),
        )
        .await
        .unwrap();
        let _warm = acquire_latencies(&RateLimiter::unlimited()).await;
        let redis_samples = acquire_latencies(&budget).await;
        let local_samples =
            acquire_latencies(&RateLimiter::new(1_000, Duration::from_secs(1), 5)).await;
        (p99_ms(redis_samples), p99_ms(local_samples))
    });
    let added = redis_p99 - local_p99;
    println!(
        "latency: acquire_slot p99 {redis_p99:.3} ms through Redis, {local_p99:.3} ms in-process ({LATENCY_SAMPLES} each)"
    );
    println!(
        "RESULT P6 Redis added latency p99: {added:.3} ms (target <= {TARGET_ADDED_P99_MS} ms): {}",
        if added <= TARGET_ADDED_P99_MS {
            "MET"
        } else {
            "MISSED"
        }
    );
    all_met &= added <= TARGET_ADDED_P99_MS;
    drop(redis);
    println!(
        "P6 summary: {}",
        if all_met {
            "every target met"
        } else {
            "a target was missed"
        }
    );
}

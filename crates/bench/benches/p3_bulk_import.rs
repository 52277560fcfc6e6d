//! P3. Bulk import under a rate limit.
//!
//! `cargo bench -p hubspot-postal-bench --bench p3_bulk_import`
//!
//! 10,000 postal mails through one `batch_create` call (100 inputs per request, so 100
//! requests, 4 in flight at a time: the client's default batch concurrency) against an
//! emulator limited to 10 requests per rolling second (`RateLimit::new(10, 1 s)`).
//!
//! The floor: 100 requests at 10 per second is 10 s nominally. Precisely, with a rolling
//! window the first 10 requests go at t = 0, requests 10k..10k+9 at t = k s, so the last one
//! starts at t = 9 s and the exact floor is 9 s plus the time one 100-input request takes.
//! That request time is measured in the same run (median of 5 single batch requests against an
//! unlimited emulator). The target is judged against the exact floor (the stricter one):
//! wall time <= 1.15 x floor, and zero 429 answers in the emulator's request log.
//!
//! Runs, each on a fresh emulator:
//! 1. async client, default limiter (`RateLimiter::free_starter()`, 100 per 10 s) that learns
//!    the 10-per-second window from the emulator's `X-HubSpot-RateLimit-*` headers;
//! 2. async client configured with `RateLimiter::new(10, 1 s, 5)`;
//! 3. the blocking client (`hubspot_postal_blocking::Client`), default learning limiter.
//!
//! Each run ends within its own retry deadlines (about 12 s here); the whole bench in about 35 s.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::time::{Duration, Instant};

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Client, RateLimiter};
use hubspot_postal_bench::{Goal, median, print_header, verdict};
use hubspot_postal_emulator::{BlockingEmulator, Emulator, EmulatorConfig, RateLimit};

const LETTERS: usize = 10_000;
const PER_REQUEST: usize = 100;
const LIMIT: u32 = 10;
const WINDOW: Duration = Duration::from_secs(1);
const TARGET: f64 = 1.15;
const TOKEN: &str = "pat-na1-bench";

fn letters(n: usize) -> Vec<CreatePostalMail> {
    let stamp: Timestamp = "2026-11-30T09:15:00Z".parse().unwrap();
    (0..n)
        .map(|i| CreatePostalMail::new(stamp).body(format!("Signed contract {i} received by post")))
        .collect()
}

fn emulator(limited: bool) -> BlockingEmulator {
    let mut config = EmulatorConfig::default();
    if limited {
        config = config.rate_limit(RateLimit::new(LIMIT, WINDOW));
    }
    Emulator::start_blocking(config).unwrap()
}

struct Run {
    label: &'static str,
    wall: Duration,
    created: usize,
    requests: usize,
    too_many: usize,
    window: Option<(u32, Duration)>,
}

fn report(run: &Run, floor_exact: f64, floor_nominal: f64) -> bool {
    let secs = run.wall.as_secs_f64();
    println!(
        "{}: {} of {LETTERS} created in {secs:.3} s over {} requests, {} answered 429; limiter window at the end: {}",
        run.label,
        run.created,
        run.requests,
        run.too_many,
        run.window
            .map_or("unlimited".to_owned(), |(max, w)| format!(
                "{max} per {w:?}"
            )),
    );
    println!(
        "    vs exact floor {floor_exact:.3} s: {:.3}x; vs nominal floor {floor_nominal:.1} s: {:.3}x",
        secs / floor_exact,
        secs / floor_nominal
    );
    let time_ok = verdict(
        &format!("P3 {} wall/exact floor", run.label),
        secs / floor_exact,
        Goal::AtMost,
        TARGET,
    );
    let none_429 = run.too_many == 0;
    println!(
        "RESULT P3 {} 429 answers: {} (target 0): {}",
        run.label,
        run.too_many,
        if none_429 { "MET" } else { "MISSED" }
    );
    time_ok && none_429 && run.created == LETTERS
}

fn async_client(base: String, limiter: Option<RateLimiter>) -> Client {
    let mut builder = Client::builder().token(TOKEN).base_url(base);
    if let Some(l) = limiter {
        builder = builder.rate_limiter(l);
    }
    builder.build().unwrap()
}

fn main() {
    print_header("P3 bulk import: 10,000 letters, batch_create, emulator limited to 10 req/s");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // The time of one 100-input batch request, unlimited, through the same client.
    let one_request = {
        let emu = emulator(false);
        let client = async_client(emu.base_url(), Some(RateLimiter::unlimited()));
        let mut times: Vec<f64> = rt.block_on(async {
            let mut v = Vec::new();
            for _ in 0..6 {
                let batch = letters(PER_REQUEST);
                let t = Instant::now();
                let outcome = client.batch_create(batch).await.unwrap();
                v.push(t.elapsed().as_secs_f64());
                assert!(outcome.is_success());
            }
            v.remove(0); // the first opens the connection
            v
        });
        median(&mut times)
    };
    let requests = LETTERS.div_ceil(PER_REQUEST);
    let windows_waited = (requests - 1) / LIMIT as usize; // the last request's window index
    let floor_nominal = requests as f64 / f64::from(LIMIT) * WINDOW.as_secs_f64();
    let floor_exact = windows_waited as f64 * WINDOW.as_secs_f64() + one_request;
    println!(
        "{requests} requests; one 100-input request takes {:.1} ms (median, unlimited); \
         floor: nominal {floor_nominal:.1} s, exact {windows_waited} s + {:.1} ms = {floor_exact:.3} s \
         (the client's limiter keeps a 2% margin on the window: its own best is {:.3} s)",
        one_request * 1e3,
        one_request * 1e3,
        windows_waited as f64 * WINDOW.as_secs_f64() * 1.02 + one_request,
    );

    let mut all_met = true;

    // 1 and 2: the async client, learning and configured.
    for (label, limiter) in [
        ("async client, limiter learned from headers", None),
        (
            "async client, RateLimiter::new(10, 1s, 5)",
            Some(RateLimiter::new(LIMIT, WINDOW, 5)),
        ),
    ] {
        let emu = emulator(true);
        let client = async_client(emu.base_url(), limiter);
        let (wall, created) = rt.block_on(async {
            let batch = letters(LETTERS);
            let t = Instant::now();
            let outcome = client.batch_create(batch).await.unwrap();
            (t.elapsed(), outcome.successes().count())
        });
        let run = Run {
            label,
            wall,
            created,
            requests: emu.request_log().len(),
            too_many: emu.count_status(429),
            window: client.rate_limiter().window(),
        };
        all_met &= report(&run, floor_exact, floor_nominal);
    }
    drop(rt);

    // 3: the blocking client, from a plain thread (no runtime here any more).
    {
        let emu = emulator(true);
        let client = hubspot_postal_blocking::Client::builder()
            .token(TOKEN)
            .base_url(emu.base_url())
            .timeout(Duration::from_secs(45))
            .build()
            .unwrap();
        let batch = letters(LETTERS);
        let t = Instant::now();
        let outcome = client.batch_create(batch).unwrap();
        let wall = t.elapsed();
        let run = Run {
            label: "blocking client, limiter learned from headers",
            wall,
            created: outcome.successes().count(),
            requests: emu.request_log().len(),
            too_many: emu.count_status(429),
            window: client.rate_limiter().window(),
        };
        all_met &= report(&run, floor_exact, floor_nominal);
    }
    println!(
        "P3 summary: {}",
        if all_met {
            "every target met"
        } else {
            "a target was missed"
        }
    );
}

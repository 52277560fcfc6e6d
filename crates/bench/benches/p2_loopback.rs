//! P2. Loopback throughput: the client against a bare reqwest loop.
//!
//! `cargo bench -p hubspot-postal-bench --bench p2_loopback`
//!
//! 20,000 GETs of postal mails (1,000 seeded, requested round-robin) at concurrency 16 against
//! an in-process emulator (on its own 2-worker runtime and thread, `Emulator::start_blocking`),
//! issued from a multi-thread tokio runtime with 2 workers:
//!
//! - **client**: `hubspot_postal::Client` with its default reqwest transport,
//!   `RateLimiter::unlimited()` and the default retry policy, calling `get(id, GetOptions::new())`;
//! - **bare reqwest** (baseline): a `reqwest::Client` built with the same settings as the
//!   client's transport (rustls, no redirects, no referer, gzip, 10 s connect timeout, 90 s
//!   pool idle timeout, unbounded idle connections per host, the same user agent), sending the
//!   same requests: the same URLs, `Authorization: Bearer …` and `Accept: application/json`
//!   headers and a 30 s per-request timeout; it reads the whole body and decodes it into
//!   `PostalMail` with `serde_json`, as the client does, so both do the same work.
//!
//! Five rounds of each, in the order B C C B B C C B B C (B bare, C client) so that drift in
//! machine load hits both alike; connections are warmed once (2,000 GETs each) before the
//! first. Each phase stops after 20,000 requests or 5 s, whichever comes first.
//! Target: client >= 0.9 x bare reqwest (median req/s of the rounds).
//!
//! Then a breakdown by elimination: three rounds of the client's transport alone
//! (`hubspot_postal_http::ReqwestTransport::send` with the same request the client builds, and
//! a plain `serde_json` decode), between three more bare rounds.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use http::{HeaderValue, Method, header};
use hubspot_postal::model::endpoints::{self, ApiVersion};
use hubspot_postal::model::engagement::PostalMail;
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::transport::{BaseUrl, Idempotency, Operation, Request, Transport};
use hubspot_postal::{Client, GetOptions, RateLimiter};
use hubspot_postal_bench::{Goal, median, print_header, verdict};
use hubspot_postal_emulator::{Emulator, EmulatorConfig};
use hubspot_postal_http::ReqwestTransport;

const CONCURRENCY: usize = 16;
const REQUESTS: usize = 20_000;
const PHASE_LIMIT: Duration = Duration::from_secs(5);
const SEEDED: usize = 1_000;
const TOKEN: &str = "pat-na1-bench";
const TARGET: f64 = 0.9;
const ROUNDS: usize = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Who {
    Bare,
    Client,
    /// Breakdown only: the client's transport alone, with a plain serde_json decode.
    Transport,
}

struct Subjects {
    client: Client,
    transport: ReqwestTransport,
    base_url: BaseUrl,
    http: reqwest::Client,
    base: String,
    ids: Arc<Vec<PostalMailId>>,
}

/// The path the client's `get` sends to, from the endpoint table in the client's default version.
fn get_path(id: &PostalMailId) -> String {
    endpoints::GET
        .path(ApiVersion::DEFAULT, &[("postalMailId", id.into())])
        .unwrap()
}

async fn one(s: &Subjects, who: Who, i: usize) -> bool {
    let id = &s.ids[i % s.ids.len()];
    match who {
        Who::Client => s.client.get(id, &GetOptions::new()).await.is_ok(),
        Who::Transport => {
            let mut auth = HeaderValue::from_str(&format!("Bearer {TOKEN}")).unwrap();
            auth.set_sensitive(true);
            let request = Request::new(
                Method::GET,
                s.base_url.clone(),
                get_path(id),
                Operation::new(
                    endpoints::GET.name(),
                    endpoints::GET.template(ApiVersion::DEFAULT).unwrap(),
                    Idempotency::Idempotent,
                ),
            )
            .with_header(header::AUTHORIZATION, auth)
            .with_header(header::ACCEPT, HeaderValue::from_static("application/json"))
            .with_timeout(Duration::from_secs(30));
            match s.transport.send(request).await {
                Ok(r) if r.status == 200 => serde_json::from_slice::<PostalMail>(&r.body).is_ok(),
                _ => false,
            }
        }
        Who::Bare => {
            let url = format!("{}{}", s.base, get_path(id));
            let Ok(response) = s
                .http
                .get(url)
                .header(reqwest::header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(reqwest::header::ACCEPT, "application/json")
                .timeout(Duration::from_secs(30))
                .send()
                .await
            else {
                return false;
            };
            if response.status() != reqwest::StatusCode::OK {
                return false;
            }
            let Ok(body) = response.bytes().await else {
                return false;
            };
            serde_json::from_slice::<PostalMail>(&body).is_ok()
        }
    }
}

/// Runs one phase; returns (requests per second, completed, failed).
async fn phase(s: &Arc<Subjects>, who: Who, requests: usize) -> (f64, usize, usize) {
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let tasks: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (s, next, done, failed) = (s.clone(), next.clone(), done.clone(), failed.clone());
            tokio::spawn(async move {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= requests || start.elapsed() > PHASE_LIMIT {
                        break;
                    }
                    if one(&s, who, i).await {
                        done.fetch_add(1, Ordering::Relaxed);
                    } else {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    (n as f64 / secs, n, failed.load(Ordering::Relaxed))
}

fn name(who: Who) -> &'static str {
    match who {
        Who::Bare => "bare reqwest",
        Who::Client => "client",
        Who::Transport => "transport",
    }
}

fn bare_reqwest() -> reqwest::Client {
    // The same builder settings as `hubspot_postal_http::ReqwestTransport::with_config` with
    // `HttpConfig::default()`.
    reqwest::Client::builder()
        .use_rustls_tls()
        .user_agent(concat!("hubspot-postal-rust/", env!("CARGO_PKG_VERSION")))
        .redirect(reqwest::redirect::Policy::none())
        .referer(false)
        .gzip(true)
        .connect_timeout(Duration::from_secs(10))
        .pool_idle_timeout(Some(Duration::from_secs(90)))
        .pool_max_idle_per_host(usize::MAX)
        .build()
        .unwrap()
}

fn main() {
    print_header("P2 loopback throughput, 20,000 GETs at concurrency 16");
    let emu = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let ids: Vec<PostalMailId> = emu
        .seed_postal_mails(SEEDED, "Signed contract received by post")
        .into_iter()
        .map(|id| PostalMailId::new(id).unwrap())
        .collect();
    let base = emu.base_url();

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let subjects = Arc::new(Subjects {
            client: Client::builder()
                .token(TOKEN)
                .base_url(base.clone())
                .rate_limiter(RateLimiter::unlimited())
                .build()
                .unwrap(),
            http: bare_reqwest(),
            transport: ReqwestTransport::new().unwrap(),
            base_url: BaseUrl::parse(&base).unwrap(),
            base,
            ids: Arc::new(ids),
        });
        // `P2_ONLY=bare|client|transport`: four phases of one kind only, for profiling.
        if let Ok(only) = std::env::var("P2_ONLY") {
            let who = match only.as_str() {
                "bare" => Who::Bare,
                "client" => Who::Client,
                _ => Who::Transport,
            };
            for _ in 0..4 {
                let (rps, n, failed) = phase(&subjects, who, REQUESTS).await;
                println!("{:>12}: {n} GETs ok, {failed} failed, {rps:>8.0} req/s", name(who));
            }
            return;
        }
        // Warm both pools: open the connections before anything is timed.
        phase(&subjects, Who::Bare, 2_000).await;
        phase(&subjects, Who::Client, 2_000).await;

        let (mut bare, mut client) = (Vec::new(), Vec::new());
        let mut failures = 0;
        // B C C B B C C B B C: each side goes first as often as the other.
        let order = (0..ROUNDS * 2).map(|i| {
            if matches!(i % 4, 0 | 3) {
                Who::Bare
            } else {
                Who::Client
            }
        });
        for who in order {
            emu.clear_log();
            let (rps, n, failed) = phase(&subjects, who, REQUESTS).await;
            failures += failed;
            println!(
                "{:>12}: {n} GETs ok, {failed} failed, {rps:>8.0} req/s",
                name(who)
            );
            match who {
                Who::Bare => bare.push(rps),
                _ => client.push(rps),
            }
        }
        let (b, c) = (median(&mut bare), median(&mut client));
        println!("median: client {c:.0} req/s, bare reqwest {b:.0} req/s ({failures} failures)");
        verdict(
            "P2 client/bare reqwest throughput",
            c / b,
            Goal::AtLeast,
            TARGET,
        );

        // Breakdown by elimination: the client's transport alone (no executor, no limiter,
        // no spans, plain serde_json decode), between three more bare rounds.
        let (mut bare2, mut transport) = (Vec::new(), Vec::new());
        for who in [Who::Transport, Who::Bare, Who::Bare, Who::Transport, Who::Transport, Who::Bare] {
            let (rps, n, failed) = phase(&subjects, who, REQUESTS).await;
            println!("{:>12}: {n} GETs ok, {failed} failed, {rps:>8.0} req/s", name(who));
            match who {
                Who::Transport => transport.push(rps),
                _ => bare2.push(rps),
            }
        }
        let (b2, t) = (median(&mut bare2), median(&mut transport));
        println!(
            "breakdown: transport alone {t:.0} req/s = {:.3}x bare reqwest ({b2:.0} req/s); the client = {:.3}x the transport alone",
            t / b2,
            c / t
        );
    });
    drop(rt);
    drop(emu);
}

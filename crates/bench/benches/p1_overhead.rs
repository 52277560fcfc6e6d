//! P1. Client overhead per operation.
//!
//! `cargo bench -p hubspot-postal-bench --bench p1_overhead`
//!
//! Measures `create`, `get` and a `list_page` of 100 records through the full async client
//! (executor, retry loop, rate limiter, tracing spans, decoding) over an in-memory transport
//! that answers with canned HubSpot bytes, on a current-thread tokio runtime. The limiter is
//! `RateLimiter::new(u32::MAX, 10 s, u32::MAX)`, so `acquire` runs but never waits, and the
//! retry policy is the default one (no retry happens: every answer is a success).
//!
//! Baseline, measured in the same run and interleaved round by round with the client: only
//! the serde work the operation cannot avoid: `serde_json::to_vec` of the same
//! `CreatePostalMail` (create) and `serde_json::from_slice` of the same response bytes into
//! the same model type (`PostalMail`, `Page<PostalMail>`). Both loops clone the create input,
//! which the client takes by value, so that cost cancels out.
//!
//! Target: client <= 1.3 x baseline, per operation. A breakdown (by elimination) of where the
//! time goes follows the verdicts.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail};
use hubspot_postal::model::ids::{OwnerId, PostalMailId};
use hubspot_postal::model::paging::Page;
use hubspot_postal::transport::{
    BaseUrl, Idempotency, Operation, Request, Response, Transport, TransportError,
};
use hubspot_postal::{Budget, Client, GetOptions, ListOptions, RateLimiter};
use hubspot_postal_bench::{Goal, list_page_json, median, postal_mail_json, print_header, verdict};

const TARGET: f64 = 1.3;
const ROUNDS: usize = 15;

/// Answers every request from memory: the bytes are built once, so a response costs a
/// `Bytes` clone (a reference count) and a small header map clone.
#[derive(Debug)]
struct CannedTransport {
    create: Bytes,
    get: Bytes,
    list: Bytes,
    headers: HeaderMap,
}

impl CannedTransport {
    fn new() -> Self {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;charset=utf-8"),
        );
        headers.insert(
            "x-hubspot-correlation-id",
            HeaderValue::from_static("2b4c3a1e-1f7d-4c2e-9a52-5c1c9f1e0b7a"),
        );
        Self {
            create: Bytes::from(
                postal_mail_json(25_727_582_880, "Signed contract received by post").to_string(),
            ),
            get: Bytes::from(
                postal_mail_json(25_727_582_880, "Signed contract received by post").to_string(),
            ),
            list: Bytes::from(list_page_json(25_727_582_000, 100).to_string()),
            headers,
        }
    }
}

#[async_trait]
impl Transport for CannedTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        let (status, body) = match request.operation.name {
            "create" => (StatusCode::CREATED, self.create.clone()),
            "get" => (StatusCode::OK, self.get.clone()),
            "list" => (StatusCode::OK, self.list.clone()),
            other => panic!("the canned transport has no answer for {other}"),
        };
        Ok(Response {
            status,
            headers: self.headers.clone(),
            body,
        })
    }
}

/// Runs `iters` calls of `f` on the runtime and returns ns per call.
fn time_async<F, Fut>(rt: &tokio::runtime::Runtime, iters: u32, f: F) -> f64
where
    F: Fn() -> Fut,
    Fut: Future<Output = ()>,
{
    rt.block_on(async {
        let start = Instant::now();
        for _ in 0..iters {
            f().await;
        }
        start.elapsed().as_nanos() as f64 / f64::from(iters)
    })
}

/// Runs `iters` calls of `f` and returns ns per call.
fn time_sync(iters: u32, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..iters {
        f();
    }
    start.elapsed().as_nanos() as f64 / f64::from(iters)
}

struct Measured {
    client_ns: f64,
    baseline_ns: f64,
}

/// `ROUNDS` rounds (after one warm-up round), alternating the client and the baseline in each
/// round so that a change in machine load hits both; the median round of each.
///
/// `P1_SIDE=client` (or `baseline`) times one side only, so that `perf stat -e task-clock` can
/// measure that side's CPU time alone; the other side reads 0 and the verdict means nothing.
fn measure(mut client: impl FnMut() -> f64, mut baseline: impl FnMut() -> f64) -> Measured {
    let side = std::env::var("P1_SIDE").ok();
    let mut client = || {
        if side.as_deref() == Some("baseline") {
            0.0
        } else {
            client()
        }
    };
    let mut baseline = || {
        if side.as_deref() == Some("client") {
            0.0
        } else {
            baseline()
        }
    };
    client();
    baseline();
    let (mut c, mut b) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        c.push(client());
        b.push(baseline());
    }
    Measured {
        client_ns: median(&mut c),
        baseline_ns: median(&mut b),
    }
}

fn report(name: &str, m: &Measured) -> bool {
    let ratio = m.client_ns / m.baseline_ns;
    println!(
        "{name:>10}: client {:>9.0} ns/op   baseline (serde only) {:>9.0} ns/op   overhead {:>7.0} ns/op",
        m.client_ns,
        m.baseline_ns,
        m.client_ns - m.baseline_ns
    );
    verdict(&format!("P1 {name}"), ratio, Goal::AtMost, TARGET)
}

fn main() {
    print_header("P1 client overhead per operation (in-memory transport)");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap();
    let canned = Arc::new(CannedTransport::new());
    let limiter = RateLimiter::new(u32::MAX, Duration::from_secs(10), u32::MAX);
    let client = Client::builder()
        .token("pat-na1-00000000-0000-0000-0000-000000000000")
        .base_url("https://api.hubapi.com")
        .transport(canned.clone())
        .rate_limiter(limiter)
        .build()
        .unwrap();

    let input = CreatePostalMail::new("2026-11-30".parse().unwrap())
        .body("Signed contract received by post")
        .owner(OwnerId::new("9274996").unwrap());
    let id = PostalMailId::new("25727582880").unwrap();
    let get_options = GetOptions::new();
    let list_options = ListOptions::new().limit(100);

    // Sanity: the client really decodes what the baseline decodes.
    rt.block_on(async {
        let made = client.create(input.clone()).await.unwrap();
        assert_eq!(made.id.as_str(), "25727582880");
        let page = client.list_page(&list_options).await.unwrap();
        assert_eq!(page.results.len(), 100);
    });
    println!(
        "response bytes: create {} B, get {} B, list page {} B (100 records)",
        canned.create.len(),
        canned.get.len(),
        canned.list.len()
    );

    // `P1_ONLY=get` (or create, list) runs one operation: for profiling with perf.
    let only = std::env::var("P1_ONLY").ok();
    let wanted = |name: &str| only.as_deref().is_none_or(|o| o == name);
    let mut all_met = true;

    const SINGLE: u32 = 20_000;
    if wanted("create") {
        let create = measure(
            || {
                time_async(&rt, SINGLE, || async {
                    black_box(client.create(input.clone()).await.unwrap());
                })
            },
            || {
                time_sync(SINGLE, || {
                    let owned = input.clone();
                    let body = serde_json::to_vec(black_box(&owned)).unwrap();
                    black_box(body);
                    black_box(serde_json::from_slice::<PostalMail>(&canned.create).unwrap());
                })
            },
        );
        all_met &= report("create", &create);
    }

    if wanted("get") {
        let get = measure(
            || {
                time_async(&rt, SINGLE, || async {
                    black_box(client.get(&id, &get_options).await.unwrap());
                })
            },
            || {
                time_sync(SINGLE, || {
                    black_box(serde_json::from_slice::<PostalMail>(&canned.get).unwrap());
                })
            },
        );
        all_met &= report("get", &get);
    }

    const PAGES: u32 = 300;
    if wanted("list") {
        let list = measure(
            || {
                time_async(&rt, PAGES, || async {
                    black_box(client.list_page(&list_options).await.unwrap());
                })
            },
            || {
                time_sync(PAGES, || {
                    black_box(serde_json::from_slice::<Page<PostalMail>>(&canned.list).unwrap());
                })
            },
        );
        all_met &= report("list(100)", &list);
    }
    println!(
        "P1 summary: {}",
        if all_met {
            "every target met"
        } else {
            "a target was missed (see the breakdown)"
        }
    );

    if only.is_none() {
        breakdown(&rt, &canned, &input);
    }
}

/// Where the client's fixed cost per operation goes, by elimination: each piece of the
/// executor's path timed alone (median of rounds, ns per call).
fn breakdown(
    rt: &tokio::runtime::Runtime,
    canned: &Arc<CannedTransport>,
    input: &CreatePostalMail,
) {
    println!("-- breakdown of one get (ns per call, median of {ROUNDS} rounds)");
    const N: u32 = 50_000;
    let rounds = |f: &mut dyn FnMut() -> f64| {
        f();
        let mut v: Vec<f64> = (0..ROUNDS).map(|_| f()).collect();
        median(&mut v)
    };

    let decode = rounds(&mut || {
        time_sync(N, || {
            black_box(serde_json::from_slice::<PostalMail>(&canned.get).unwrap());
        })
    });
    println!("  serde_json decode of the body            {decode:>7.0}");

    // The checks a create runs before anything is sent (the baseline does not validate).
    let validate = rounds(&mut || {
        time_sync(N, || {
            black_box(black_box(input).validate()).unwrap();
        })
    });
    println!("  CreatePostalMail::validate (create only) {validate:>7.0}");
    let timestamp = rounds(&mut || {
        time_sync(N, || {
            black_box(black_box(input).timestamp().unwrap());
        })
    });
    println!("  of which parsing hs_timestamp            {timestamp:>7.0}");

    // What decoding through serde_path_to_error would cost; the client does so only after a
    // plain decode failed, to report the failing JSON path.
    let path_decode = rounds(&mut || {
        time_sync(N, || {
            let mut de = serde_json::Deserializer::from_slice(&canned.get);
            let v: PostalMail = serde_path_to_error::deserialize(&mut de).unwrap();
            de.end().unwrap();
            black_box(v);
        })
    });
    println!("  serde_path_to_error decode of the body   {path_decode:>7.0}");

    let limiter = RateLimiter::new(u32::MAX, Duration::from_secs(10), u32::MAX);
    let acquire = rounds(&mut || {
        time_async(rt, N, || async {
            limiter.acquire(Budget::General).await;
        })
    });
    println!("  RateLimiter::acquire (never waits)       {acquire:>7.0}");

    let unlimited = RateLimiter::unlimited();
    let acquire_unlimited = rounds(&mut || {
        time_async(rt, N, || async {
            unlimited.acquire(Budget::General).await;
        })
    });
    println!("  RateLimiter::unlimited().acquire         {acquire_unlimited:>7.0}");

    // What the executor calls first: a slot taken without waiting, when one is free.
    let try_limiter = RateLimiter::new(u32::MAX, Duration::from_secs(10), u32::MAX);
    let try_acquire = rounds(&mut || {
        time_sync(N, || {
            black_box(try_limiter.try_acquire(Budget::General));
        })
    });
    println!("  RateLimiter::try_acquire (a free slot)   {try_acquire:>7.0}");

    let learn = rounds(&mut || {
        time_sync(N, || {
            limiter.observe(black_box(&canned.headers));
        })
    });
    println!("  RateLimiter::observe (no rate headers)   {learn:>7.0}");

    let timeout = rounds(&mut || {
        time_async(rt, N, || async {
            black_box(tokio::time::timeout(Duration::from_secs(30), async { 1 }).await).unwrap();
        })
    });
    println!("  tokio::time::timeout around a ready call {timeout:>7.0}");

    const OP: Operation = Operation::new(
        "get",
        "/crm/v3/objects/postal_mail/{postalMailId}",
        Idempotency::Idempotent,
    );
    let base = BaseUrl::hubspot();
    let mut auth = HeaderValue::from_static("Bearer pat-na1-00000000-0000-0000-0000-000000000000");
    auth.set_sensitive(true);
    // Built once and shared, as the client does since round 3.
    let mut fixed = HeaderMap::with_capacity(2);
    fixed.append(header::AUTHORIZATION, auth);
    fixed.append(header::ACCEPT, HeaderValue::from_static("application/json"));
    let fixed = Arc::new(fixed);
    let build = || -> Request {
        Request::new(
            Method::GET,
            base.clone(),
            String::from("/crm/v3/objects/postal_mail/25727582880"),
            OP,
        )
        .with_headers(fixed.clone())
        .with_timeout(Duration::from_secs(30))
    };
    let request = rounds(&mut || {
        time_sync(N, || {
            black_box(build());
        })
    });
    println!("  building the Request (path, shared headers) {request:>5.0}");

    let transport: Arc<dyn Transport> = canned.clone();
    let send = rounds(&mut || {
        time_async(rt, N, || async {
            black_box(transport.send(build()).await.unwrap());
        })
    });
    println!(
        "  Request + canned transport send (boxed)  {send:>7.0}  (of which transport {:.0})",
        send - request
    );

    let backoff = rounds(&mut || {
        let policy = hubspot_postal::retry::RetryPolicy::default();
        time_sync(N, || {
            let _ = black_box(policy.backoff_delays());
        })
    });
    println!("  RetryPolicy::backoff_delays()            {backoff:>7.0}");

    let now = rounds(&mut || {
        time_sync(N, || {
            black_box(tokio::time::Instant::now());
        })
    });
    println!("  Instant::now()                           {now:>7.0}");

    replicas(rt, canned, &build);
}

/// How a replica of the executor decodes and what it skips.
#[derive(Clone, Copy)]
struct Mode {
    /// Decode through serde_path_to_error (as the client does) instead of plain serde_json.
    path_decode: bool,
    /// The executor as it was before the first P1 fixes: acquire inside `tokio::time::timeout`,
    /// three clock reads, the correlation id copied out, `observe` on every response. Lean:
    /// acquire without the timer, one clock read, no copy, no `observe` (nothing to learn).
    full: bool,
}

/// The executor's path for one get, rebuilt from public pieces, so that each change in the
/// plan can be timed before it is made in the client.
async fn replica(
    limiter: &RateLimiter,
    transport: &Arc<dyn Transport>,
    build: &dyn Fn() -> Request,
    mode: Mode,
) -> PostalMail {
    let started = tokio::time::Instant::now();
    if mode.full {
        let left = Duration::from_secs(60).saturating_sub(started.elapsed());
        tokio::time::timeout(left, limiter.acquire(Budget::General))
            .await
            .unwrap();
        let _ = Duration::from_secs(60).saturating_sub(started.elapsed());
    } else {
        limiter.acquire(Budget::General).await;
    }
    let response = tokio::time::timeout(Duration::from_secs(30), transport.send(build()))
        .await
        .unwrap()
        .unwrap();
    if mode.full {
        black_box(
            response
                .header("x-hubspot-correlation-id")
                .map(str::to_owned),
        );
        limiter.observe(&response.headers);
    }
    if mode.path_decode {
        let mut de = serde_json::Deserializer::from_slice(&response.body);
        let v: PostalMail = serde_path_to_error::deserialize(&mut de).unwrap();
        de.end().unwrap();
        v
    } else {
        serde_json::from_slice(&response.body).unwrap()
    }
}

fn replicas(
    rt: &tokio::runtime::Runtime,
    canned: &Arc<CannedTransport>,
    build: &dyn Fn() -> Request,
) {
    println!(
        "-- replicas of the executor for one get, interleaved (ns per call, median of {ROUNDS} rounds)"
    );
    const N: u32 = 20_000;
    let limiter = RateLimiter::new(u32::MAX, Duration::from_secs(10), u32::MAX);
    let transport: Arc<dyn Transport> = canned.clone();
    let modes = [
        (
            "as the client: full path + path_to_error",
            Mode {
                path_decode: true,
                full: true,
            },
        ),
        (
            "full path + plain serde_json decode",
            Mode {
                path_decode: false,
                full: true,
            },
        ),
        (
            "lean path + plain serde_json decode",
            Mode {
                path_decode: false,
                full: false,
            },
        ),
    ];
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); modes.len() + 2];
    for round in 0..=ROUNDS {
        let mut row = Vec::new();
        row.push(time_sync(N, || {
            black_box(serde_json::from_slice::<PostalMail>(&canned.get).unwrap());
        }));
        for (_, mode) in modes {
            row.push(time_async(rt, N, || async {
                black_box(replica(&limiter, &transport, build, mode).await);
            }));
        }
        let client = Client::builder()
            .token("pat-na1-00000000-0000-0000-0000-000000000000")
            .transport(canned.clone())
            .rate_limiter(RateLimiter::new(
                u32::MAX,
                Duration::from_secs(10),
                u32::MAX,
            ))
            .build()
            .unwrap();
        let id = PostalMailId::new("25727582880").unwrap();
        let options = GetOptions::new();
        row.push(time_async(rt, N, || async {
            black_box(client.get(&id, &options).await.unwrap());
        }));
        if round > 0 {
            for (t, v) in times.iter_mut().zip(row) {
                t.push(v);
            }
        }
    }
    let baseline = median(&mut times[0]);
    println!("  baseline: serde_json decode only         {baseline:>7.0}  1.00x");
    for (i, (name, _)) in modes.iter().enumerate() {
        let t = median(&mut times[i + 1]);
        println!("  {name:<41}{t:>7.0}  {:.2}x", t / baseline);
    }
    let client = median(&mut times[modes.len() + 1]);
    println!(
        "  the client's get itself                  {client:>7.0}  {:.2}x",
        client / baseline
    );
}

//! Loopback throughput of the emulator: GET and create requests per second at concurrency 16.
//!
//! `cargo bench -p hubspot-postal-emulator --bench throughput`. Each phase stops after its
//! request count or 8 seconds, whichever comes first, so the run ends in well under 20 s.
#![allow(clippy::unwrap_used, clippy::expect_used)] // a benchmark: a panic is the report

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hubspot_postal_emulator::{Emulator, EmulatorConfig};

const CONCURRENCY: usize = 16;
const REQUESTS: usize = 40_000;
const PHASE_LIMIT: Duration = Duration::from_secs(8);

async fn phase<F, Fut>(name: &str, op: F)
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let op = Arc::new(op);
    let next = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CONCURRENCY {
        let (op, next, done, failed) = (op.clone(), next.clone(), done.clone(), failed.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= REQUESTS || start.elapsed() > PHASE_LIMIT {
                    break;
                }
                if op(i).await {
                    done.fetch_add(1, Ordering::Relaxed);
                } else {
                    failed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    let n = done.load(Ordering::Relaxed);
    println!(
        "{name:>6}: {n} requests in {secs:.2} s = {:.0} req/s (concurrency {CONCURRENCY}, {} failed)",
        n as f64 / secs,
        failed.load(Ordering::Relaxed)
    );
}

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let ids = Arc::new(emu.seed_postal_mails(1_000, "bench"));
    let base = emu.base_url();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(CONCURRENCY)
        .build()
        .unwrap();

    let (h, b, i) = (http.clone(), base.clone(), ids.clone());
    phase("GET", move |n| {
        let url = format!(
            "{b}/crm/v3/objects/postal_mail/{}?properties=hs_postal_mail_body",
            i[n % i.len()]
        );
        let h = h.clone();
        async move {
            h.get(url)
                .bearer_auth("bench")
                .send()
                .await
                .is_ok_and(|r| r.status() == 200)
        }
    })
    .await;

    let (h, b) = (http.clone(), base.clone());
    phase("create", move |n| {
        let url = format!("{b}/crm/v3/objects/postal_mail");
        let body = format!(
            r#"{{"properties":{{"hs_timestamp":"2021-11-12","hs_postal_mail_body":"letter {n}"}}}}"#
        );
        let h = h.clone();
        async move {
            h.post(url)
                .bearer_auth("bench")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .is_ok_and(|r| r.status() == 201)
        }
    })
    .await;
    drop(emu);
}

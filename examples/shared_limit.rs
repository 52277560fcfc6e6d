//! Two services, one portal, one rate budget shared on Redis: two clients (standing in for two
//! services) log letters at once against the embedded emulator, limited to 10 requests per
//! second, and meet no 429.
//!
//! ```text
//! HUBSPOT_POSTAL_REDIS_URL=redis://127.0.0.1:6379 cargo run --example shared_limit
//! HUBSPOT_POSTAL_REDIS_URL=… HUBSPOT_POSTAL_PORTAL_KEY=acme-dev cargo run --example shared_limit
//! ```
//!
//! Without `HUBSPOT_POSTAL_REDIS_URL` it says what it needs and stops. See
//! `docs/shared-rate-limit.md` for deploying the shared budget.
#![forbid(unsafe_code)]

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Client, RateBudget};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, RateLimit};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};

const LIMIT: u32 = 10;
const LETTERS_PER_SERVICE: usize = 1_500;

const NEEDS: &str = "\
shared_limit needs a Redis server that every service of the portal can reach:

    HUBSPOT_POSTAL_REDIS_URL=redis://127.0.0.1:6379 cargo run --example shared_limit

Start one locally with `redis-server --port 6379` (Debian: apt-get install redis-server).
HUBSPOT_POSTAL_PORTAL_KEY names the portal's budget in Redis (default `example-portal`);
every service of one portal must use the same name.";

#[tokio::main]
async fn main() -> ExitCode {
    let Ok(url) = std::env::var("HUBSPOT_POSTAL_REDIS_URL") else {
        eprintln!("{NEEDS}");
        return ExitCode::FAILURE;
    };
    let portal =
        std::env::var("HUBSPOT_POSTAL_PORTAL_KEY").unwrap_or_else(|_| "example-portal".into());
    match run(&url, &portal).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(url: &str, portal: &str) -> Result<(), Box<dyn std::error::Error>> {
    let window = Duration::from_secs(1);
    let emulator =
        Emulator::start(EmulatorConfig::default().rate_limit(RateLimit::new(LIMIT, window)))
            .await?;
    println!(
        "emulator at {} limited to {LIMIT} requests per second",
        emulator.base_url()
    );

    // Each service connects its own budget; the portal key makes them one budget.
    let mut services = Vec::new();
    for name in ["billing", "crm-sync"] {
        let config = RedisBudgetConfig::new(url, portal).burst(LIMIT, window);
        let budget: Arc<dyn RateBudget> = Arc::new(RedisBudget::connect(config).await?);
        let client = Client::builder()
            .token("pat-na1-example")
            .base_url(emulator.base_url())
            .rate_budget(budget)
            .build()?;
        services.push((name, client));
    }

    let stamp: Timestamp = "2026-11-30T09:15:00Z".parse()?;
    let started = Instant::now();
    let runs = services.iter().map(|(name, client)| {
        let letters = (0..LETTERS_PER_SERVICE)
            .map(|i| CreatePostalMail::new(stamp).body(format!("{name}: signed contract {i}")))
            .collect();
        async move { (name, client.batch_create(letters).await) }
    });
    for (name, outcome) in futures::future::join_all(runs).await {
        println!("{name}: {} letters logged", outcome?.successes().count());
    }
    println!(
        "both services done in {:.1} s; HubSpot (the emulator) answered 429 {} times",
        started.elapsed().as_secs_f64(),
        emulator.count_status(429)
    );
    Ok(())
}

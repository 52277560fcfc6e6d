//! The redis tests' support: the real `redis-server` of `hubspot-postal-test-redis`, a poll
//! that lets the budget's tasks run, and a capture of `tracing` output, to count what was
//! logged.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test support: a panic is the report

use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use hubspot_postal_test_redis::{RedisServer, redis_available};

/// Polls `check` every 10 ms until it holds or `limit` passes; returns whether it held. Async,
/// so that the budget's spawned tasks run meanwhile.
pub async fn eventually(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if check() {
            return true;
        }
        if Instant::now() >= deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// What `tracing` printed about one Redis server, from any thread.
///
/// One process-wide subscriber collects every line; a view keeps the lines that name its
/// server (`host:port`, unique per test). Per-thread subscribers (`set_default`) were flaky
/// here: a callsite first hit by a test without one can be cached as uninteresting, so another
/// test's subscriber then misses the event.
#[derive(Clone)]
pub struct Logs {
    server: String,
}

static LINES: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();

/// Writes into [`LINES`].
#[derive(Clone)]
struct Collector(Arc<Mutex<Vec<u8>>>);

impl Logs {
    /// Starts collecting (once per process) and returns the view of `url`'s server.
    pub fn capture(url: &str) -> Self {
        LINES.get_or_init(|| {
            let lines = Arc::new(Mutex::new(Vec::new()));
            let writer = Collector(lines.clone());
            let subscriber = tracing_subscriber::fmt()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .finish();
            // Fails only if a global subscriber exists already, which nothing else sets.
            let _ = tracing::subscriber::set_global_default(subscriber);
            lines
        });
        Self {
            server: url
                .trim_start_matches("redis://")
                .trim_end_matches('/')
                .to_owned(),
        }
    }

    /// Lines about this server that contain `needle`.
    pub fn count(&self, needle: &str) -> usize {
        let bytes = LINES
            .get()
            .map(|l| l.lock().unwrap().clone())
            .unwrap_or_default();
        String::from_utf8_lossy(&bytes)
            .lines()
            .filter(|l| l.contains(needle) && l.contains(&self.server))
            .count()
    }
}

impl Write for Collector {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

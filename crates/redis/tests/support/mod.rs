//! A real `redis-server` for the tests: started on a free loopback port with a temporary
//! directory and no persistence, killed and restarted on the same port on demand, stopped on
//! drop. Also a capture of `tracing` output, to count what was logged.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)] // test support: a panic is the report

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free loopback port")
}

/// Set (CI sets it) to make a missing `redis-server` fail the tests that need it.
pub const REQUIRE_VAR: &str = "HUBSPOT_POSTAL_REQUIRE_REDIS";

/// Whether `redis-server` can be run here. Where it cannot, a test that needs it returns at
/// once after saying so on stderr, so that `cargo test --workspace` works on a machine without
/// Redis; with [`REQUIRE_VAR`] set (as `.ci/run` does) a missing server fails the test instead,
/// so CI can never pass by skipping.
pub fn redis_available() -> bool {
    let found = Command::new("redis-server")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os(REQUIRE_VAR).is_none(),
            "redis-server is not installed and {REQUIRE_VAR} is set (Debian: apt-get install redis-server)"
        );
        // Straight to stderr, not `eprintln!`, which the test harness captures and hides for a
        // passing test: a skip must be seen.
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: redis-server is not installed (Debian: apt-get install redis-server); \
             set {REQUIRE_VAR}=1 to make this a failure"
        );
    }
    found
}

impl RedisServer {
    /// Starts `redis-server`; panics with what to install when it is missing.
    pub fn start() -> Self {
        let mut server = Self {
            child: None,
            port: free_port(),
            dir: tempfile::tempdir().expect("a temporary directory"),
        };
        server.spawn();
        server
    }

    fn spawn(&mut self) {
        let child = Command::new("redis-server")
            .args(["--port", &self.port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .arg("--dir")
            .arg(self.dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-server must be installed for these tests (Debian: apt-get install redis-server)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if self.ping() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("redis-server did not answer on port {}", self.port);
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// A plain connection, for looking at what the scripts wrote.
    pub fn connection(&self) -> redis::Connection {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_secs(2)))
            .expect("a connection to the test redis-server")
    }

    fn ping(&self) -> bool {
        redis::Client::open(self.url())
            .and_then(|c| c.get_connection_with_timeout(Duration::from_millis(200)))
            .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c))
            .is_ok()
    }

    /// Kills the server (SIGKILL) and waits until it is gone.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Starts it again on the same port (empty: nothing is persisted).
    pub fn restart(&mut self) {
        self.kill();
        self.spawn();
    }

    /// Makes every client's commands wait for `pause` (`CLIENT PAUSE`): a slow Redis.
    pub fn pause(&self, pause: Duration) {
        let _: () = redis::cmd("CLIENT")
            .arg("PAUSE")
            .arg(pause.as_millis().to_string())
            .query(&mut self.connection())
            .expect("CLIENT PAUSE");
    }
}

impl Drop for RedisServer {
    fn drop(&mut self) {
        self.kill();
    }
}

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

//! A real `redis-server` for the tests and benchmarks that share a rate budget: started on a
//! free loopback port with a temporary directory and no persistence, killed and restarted on
//! the same port on demand, stopped on drop.
//!
//! Where `redis-server` is not installed, [`redis_available`] says so loudly and a test skips,
//! so that `cargo test --workspace` works on any machine; with [`REQUIRE_VAR`] set (as `.ci/run`
//! does) a missing server fails the test instead, so CI can never pass by skipping.
//!
//! ```no_run
//! use hubspot_postal_test_redis::{RedisServer, redis_available};
//!
//! if redis_available() {
//!     let redis = RedisServer::start();
//!     println!("a budget can share {}", redis.url());
//! } // stopped here
//! ```
#![forbid(unsafe_code)]
// Test support: a failure to start the server is the test's report.
#![allow(clippy::expect_used)]

use std::io::Write;
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Set (CI sets it) to make a missing `redis-server` fail the tests that need it.
pub const REQUIRE_VAR: &str = "HUBSPOT_POSTAL_REQUIRE_REDIS";

/// Whether `redis-server` can be run here; says so on stderr when it cannot, and panics then
/// if [`REQUIRE_VAR`] is set.
///
/// ```no_run
/// if !hubspot_postal_test_redis::redis_available() {
///     return; // skipped, and the skip was printed
/// }
/// ```
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

/// A running `redis-server` of this process, on `127.0.0.1`.
///
/// ```no_run
/// use std::time::Duration;
/// let mut redis = hubspot_postal_test_redis::RedisServer::start();
/// redis.pause(Duration::from_millis(50)); // a slow Redis for 50 ms
/// redis.restart(); // killed, and started again empty on the same port
/// assert!(redis.url().ends_with(&redis.port().to_string()));
/// ```
pub struct RedisServer {
    child: Option<Child>,
    port: u16,
    dir: tempfile::TempDir,
}

impl RedisServer {
    /// Starts `redis-server` and waits until it answers; panics with what to install when it
    /// is missing.
    pub fn start() -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .expect("a free loopback port");
        let mut server = Self {
            child: None,
            port,
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
            .expect("redis-server must be installed (Debian: apt-get install redis-server)");
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

    /// `redis://127.0.0.1:{port}`.
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}", self.port)
    }

    /// The port it listens on (kept across [`restart`](Self::restart)).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// A plain connection, for looking at what a budget wrote.
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

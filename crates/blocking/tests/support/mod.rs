//! Test transports that show where and when the client lets go of things.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use hubspot_postal::transport::http::StatusCode;
use hubspot_postal::transport::{Request, Response, Transport, TransportError};
use hubspot_postal_blocking::{Client, RateLimiter};

/// The bound [`within`] gives a test that has no tighter one of its own: generous, so a slow
/// CI machine never trips it, yet a hang fails the run instead of stalling it.
pub const HANG_LIMIT: Duration = Duration::from_secs(30);

/// Runs `f` on a thread of its own and returns its value; fails the test (panics) if `f` has
/// not finished within `limit`. A panic inside `f` is re-raised here with its message.
///
/// The worker reports through a channel and is never joined: joining a thread that hangs
/// would hang the test too, so a guard that joined could never report a hang. After a
/// timeout the worker is left running; the test binary ends without waiting for it.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let _ = tx.send(std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)));
    });
    match rx.recv_timeout(limit) {
        Ok(Ok(value)) => value,
        Ok(Err(panic)) => std::panic::resume_unwind(panic),
        Err(RecvTimeoutError::Timeout) => {
            panic!("hang: the work did not finish within {limit:?} (its thread is left running)")
        }
        Err(RecvTimeoutError::Disconnected) => {
            panic!("the guarded thread ended without reporting a result")
        }
    }
}

/// Builds a runtime of the given flavour on a guarded thread ([`within`], [`HANG_LIMIT`]) and
/// runs the future `make` returns on it: an async test whose blocking calls might hang fails
/// instead. The runtime is dropped (waiting for its `spawn_blocking` work) inside the guard.
pub fn on_runtime<Fut>(flavour: Flavour, make: impl FnOnce() -> Fut + Send + 'static) -> Fut::Output
where
    Fut: std::future::Future,
    Fut::Output: Send + 'static,
{
    within(HANG_LIMIT, move || {
        let runtime = match flavour {
            Flavour::CurrentThread => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build(),
            Flavour::MultiThread => tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build(),
        }
        .unwrap();
        runtime.block_on(make())
    })
}

/// A tokio runtime flavour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavour {
    /// `new_current_thread`.
    CurrentThread,
    /// `new_multi_thread` with two workers.
    MultiThread,
}

/// What a [`Probe`] saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seen {
    /// A request future was dropped before it finished (the call was cancelled).
    Cancelled,
    /// The transport itself was dropped, on the thread of this name.
    Dropped(Option<String>),
}

/// How a [`Probe`] answers.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// `200 {}` at once.
    Empty,
    /// Never.
    Never,
    /// Blocks the runtime thread for this long, then `200 {}`.
    BlockThread(Duration),
    /// Panics.
    Panic,
}

/// A transport that reports its cancellations and its own drop.
#[derive(Debug)]
pub struct Probe {
    answer: Answer,
    events: Mutex<Sender<Seen>>,
}

impl Probe {
    pub fn new(answer: Answer) -> (Arc<Self>, Receiver<Seen>) {
        let (tx, rx) = channel();
        (
            Arc::new(Self {
                answer,
                events: Mutex::new(tx),
            }),
            rx,
        )
    }

    fn tell(&self, seen: Seen) {
        let _ = self.events.lock().map(|tx| tx.send(seen));
    }
}

impl Drop for Probe {
    fn drop(&mut self) {
        self.tell(Seen::Dropped(
            std::thread::current().name().map(str::to_owned),
        ));
    }
}

/// Reports `Cancelled` when dropped before `done` is set.
struct CancelGuard<'a> {
    probe: &'a Probe,
    done: bool,
}

impl Drop for CancelGuard<'_> {
    fn drop(&mut self) {
        if !self.done {
            self.probe.tell(Seen::Cancelled);
        }
    }
}

#[async_trait]
impl Transport for Probe {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        let mut guard = CancelGuard {
            probe: self,
            done: false,
        };
        match self.answer {
            Answer::Empty => {}
            Answer::Never => std::future::pending::<()>().await,
            Answer::BlockThread(d) => std::thread::sleep(d),
            Answer::Panic => panic!("the probe transport panics, as asked"),
        }
        guard.done = true;
        Ok(Response::json(StatusCode::OK, &serde_json::json!({})))
    }
}

/// A blocking client over `transport`, with no rate limiting.
pub fn client(transport: Arc<dyn Transport>, timeout: Duration) -> Client {
    Client::builder()
        .token("pat-test")
        .transport(transport)
        .rate_limiter(RateLimiter::unlimited())
        .timeout(timeout)
        .build()
        .unwrap()
}

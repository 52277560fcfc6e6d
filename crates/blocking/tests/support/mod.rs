//! Test transports that show where and when the client lets go of things.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use hubspot_postal::transport::http::StatusCode;
use hubspot_postal::transport::{Request, Response, Transport, TransportError};
use hubspot_postal_blocking::{Client, RateLimiter};

/// Runs `f` on a thread of its own and fails the test if it has not finished within `limit`
/// (a hang becomes a failure instead of a stuck test run). Panics inside `f` are re-raised.
pub fn within<T: Send + 'static>(limit: Duration, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (tx, rx) = channel();
    let worker = std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    match rx.recv_timeout(limit) {
        Ok(value) => value,
        Err(_) => match worker.join() {
            Err(panic) => std::panic::resume_unwind(panic),
            Ok(()) => panic!("did not finish within {limit:?}"),
        },
    }
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

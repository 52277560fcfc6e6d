//! The runtime thread: one current-thread tokio runtime per client, driven by a thread of its
//! own, which runs every call's future and is the only place the runtime is ever dropped.
//!
//! A caller never enters this runtime. It spawns its future through a [`Handle`] and waits on a
//! `std::sync::mpsc` channel with a deadline, so nothing on the caller's side can trip tokio's
//! "cannot block" or "cannot drop a runtime" panics.

use std::future::Future;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::runtime::{Handle, Runtime};
use tokio::sync::oneshot;

/// How long the runtime thread waits for blocking-pool work (DNS lookups) when it shuts down.
/// It bounds how long dropping the last clone can wait.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(1);

/// How long dropping the last clone waits for the runtime thread to end before detaching it
/// (it ends on its own once whatever blocks it returns).
const JOIN_LIMIT: Duration = Duration::from_secs(2);

/// How much longer than a call's timeout the caller waits before giving up on the runtime
/// thread itself (a future that blocks that thread would otherwise stop the timer too).
const BACKSTOP_GRACE: Duration = Duration::from_secs(1);

/// Why [`Worker::block_on`] produced no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// The timeout passed; the future was dropped (the work cancelled).
    TimedOut,
    /// The task ended without an answer: it panicked, or the runtime is gone.
    Lost,
}

/// Drops a runtime that never reached its thread without blocking, so that even a failed
/// start inside an async context cannot panic.
struct RuntimeSlot(Option<Runtime>);

impl Drop for RuntimeSlot {
    fn drop(&mut self) {
        if let Some(runtime) = self.0.take() {
            runtime.shutdown_background();
        }
    }
}

/// The runtime thread of one client (shared by all its clones).
pub(crate) struct Worker {
    handle: Handle,
    /// Dropping (or sending on) it ends the thread's `block_on`.
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    /// Disconnected when the thread has finished (its sender is dropped on the way out).
    finished: Mutex<Receiver<()>>,
}

impl Worker {
    /// Starts the runtime thread. `keep_alive` (the async client) is moved to that thread and
    /// dropped there, inside the runtime, when the worker is dropped.
    pub(crate) fn start(keep_alive: Box<dyn Send>) -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .thread_name("hubspot-postal-blocking")
            .build()?;
        let handle = runtime.handle().clone();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let mut slot = RuntimeSlot(Some(runtime));
        let (finishing, finished) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("hubspot-postal-blocking".into())
            .spawn(move || {
                let _finishing = finishing;
                let Some(runtime) = slot.0.take() else {
                    return;
                };
                runtime.block_on(async move {
                    // Ok(()) is never sent: the sender is dropped when the last clone goes.
                    let _ = stopped.await;
                    drop(keep_alive);
                });
                runtime.shutdown_timeout(SHUTDOWN_GRACE);
            })?;
        Ok(Self {
            handle,
            shutdown: Some(shutdown),
            thread: Some(thread),
            finished: Mutex::new(finished),
        })
    }

    /// Runs `future` on the runtime thread and blocks the calling thread (on a std channel)
    /// until it finishes or `timeout` passes. On timeout the future is dropped, which cancels
    /// the request it was making.
    ///
    /// The caller must not be inside an async runtime; `Client` checks that first.
    pub(crate) fn block_on<F>(&self, timeout: Duration, future: F) -> Result<F::Output, Failure>
    where
        F: Future + Send + 'static,
        F::Output: Send + 'static,
    {
        let (tx, rx) = mpsc::sync_channel(1);
        let task = self.handle.spawn(async move {
            let outcome = tokio::time::timeout(timeout, future).await;
            let _ = tx.send(outcome);
        });
        let backstop = timeout.saturating_add(BACKSTOP_GRACE);
        match rx.recv_timeout(backstop) {
            Ok(Ok(value)) => Ok(value),
            Ok(Err(_elapsed)) => Err(Failure::TimedOut),
            Err(RecvTimeoutError::Timeout) => {
                // The runtime thread did not even report the timeout: something blocks it.
                // Abort so the future is dropped as soon as that thread gets back to it.
                task.abort();
                Err(Failure::TimedOut)
            }
            Err(RecvTimeoutError::Disconnected) => Err(Failure::Lost),
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Ends the thread's `block_on`; the runtime is then shut down and dropped on that
        // thread, never here.
        drop(self.shutdown.take());
        let Some(thread) = self.thread.take() else {
            return;
        };
        // Inside an async runtime, waiting would block an executor thread: detach instead.
        // On the runtime thread itself, joining would wait for ourselves.
        let blocking_allowed = Handle::try_current().is_err();
        if !blocking_allowed || thread.thread().id() == std::thread::current().id() {
            return;
        }
        // Wait (bounded) so that connections are closed when the drop returns; a thread held
        // up by a transport that blocks it is left to finish on its own.
        let finished = self
            .finished
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Err(RecvTimeoutError::Disconnected) = finished.recv_timeout(JOIN_LIMIT) {
            let _ = thread.join();
        }
    }
}

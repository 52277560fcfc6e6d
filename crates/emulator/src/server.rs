//! Starting and stopping an emulator: the accept loop (our own, so a fault can cut one
//! connection without a response), [`Emulator`], the async [`EmulatorHandle`] and the
//! [`BlockingEmulator`] that owns its runtime for synchronous tests.
//!
//! Do not hold an [`EmulatorHandle`] beyond the runtime that started it: its server task
//! lives on that runtime. For tests without a runtime, use [`Emulator::start_blocking`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use hubspot_postal_model::object_type::ObjectType;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service as _;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use serde_json::Value;
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};

use crate::clock::now_ms;
use crate::config::EmulatorConfig;
use crate::errors::EmulatorError;
use crate::faults::FaultPlan;
use crate::middleware::ConnKill;
use crate::render::{ReadOpts, object_json};
use crate::state::{LoggedRequest, Shared, lock};

/// Entry point: `Emulator::start(config)` or `Emulator::start_blocking(config)`.
#[derive(Debug)]
pub struct Emulator;

impl Emulator {
    /// Binds and starts serving on the current tokio runtime.
    ///
    /// ```no_run
    /// # async fn demo() -> Result<(), hubspot_postal_emulator::EmulatorError> {
    /// use hubspot_postal_emulator::{Emulator, EmulatorConfig};
    /// let emu = Emulator::start(EmulatorConfig::default()).await?;
    /// let url = format!("{}/crm/v3/objects/postal_mail", emu.base_url());
    /// # let _ = url;
    /// # Ok(()) }
    /// ```
    pub async fn start(config: EmulatorConfig) -> Result<EmulatorHandle, EmulatorError> {
        let shared = Arc::new(Shared::new(&config)?);
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| EmulatorError::Bind {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: config.addr,
                source,
            })?;
        let (tx, rx) = watch::channel(false);
        tokio::spawn(run(listener, shared.clone(), rx));
        Ok(EmulatorHandle {
            shared,
            addr,
            shutdown: tx,
        })
    }

    /// Starts on a runtime of its own, on a background thread, for synchronous tests. Safe to
    /// call from inside or outside a runtime.
    pub fn start_blocking(config: EmulatorConfig) -> Result<BlockingEmulator, EmulatorError> {
        let shared = Arc::new(Shared::new(&config)?);
        let std_listener =
            std::net::TcpListener::bind(config.addr).map_err(|source| EmulatorError::Bind {
                addr: config.addr,
                source,
            })?;
        let addr = std_listener
            .local_addr()
            .map_err(|source| EmulatorError::Bind {
                addr: config.addr,
                source,
            })?;
        std_listener
            .set_nonblocking(true)
            .map_err(EmulatorError::Runtime)?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .thread_name("hubspot-emulator")
            .build()
            .map_err(EmulatorError::Runtime)?;
        let (tx, rx) = watch::channel(false);
        let task_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("hubspot-emulator".into())
            .spawn(move || {
                runtime.block_on(async move {
                    if let Ok(listener) = TcpListener::from_std(std_listener) {
                        run(listener, task_shared, rx).await;
                    }
                });
            })
            .map_err(EmulatorError::Runtime)?;
        Ok(BlockingEmulator {
            handle: EmulatorHandle {
                shared,
                addr,
                shutdown: tx,
            },
            thread: Some(thread),
        })
    }
}

/// Serves until the shutdown signal (or its sender is dropped), then lets open connections
/// finish for up to two seconds.
async fn run(listener: TcpListener, shared: Arc<Shared>, mut shutdown: watch::Receiver<bool>) {
    let router = crate::routes::router(shared);
    let mut conns = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = shutdown.changed() => break,
            accepted = listener.accept() => {
                let Ok((stream, _)) = accepted else {
                    // Out of file descriptors and the like: back off instead of spinning.
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let router = router.clone();
                let mut stop = shutdown.clone();
                conns.spawn(async move {
                    let kill = Arc::new(Notify::new());
                    let conn_kill = ConnKill(kill.clone());
                    let svc = TowerToHyperService::new(router);
                    let svc = hyper::service::service_fn(move |mut req: hyper::Request<Incoming>| {
                        req.extensions_mut().insert(conn_kill.clone());
                        svc.call(req)
                    });
                    let conn = http1::Builder::new()
                        .timer(TokioTimer::new())
                        .serve_connection(TokioIo::new(stream), svc);
                    tokio::pin!(conn);
                    tokio::select! {
                        _ = conn.as_mut() => {}
                        // Dropping the connection closes the socket with no response written.
                        _ = kill.notified() => {}
                        _ = stop.changed() => {
                            conn.as_mut().graceful_shutdown();
                            let _ = tokio::time::timeout(Duration::from_secs(2), conn.as_mut()).await;
                        }
                    }
                });
            }
            Some(_) = conns.join_next(), if !conns.is_empty() => {}
        }
    }
    let _ = tokio::time::timeout(Duration::from_secs(2), async {
        while conns.join_next().await.is_some() {}
    })
    .await;
    conns.abort_all();
}

/// A running emulator. Dropping it stops the server.
#[derive(Debug)]
pub struct EmulatorHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    shutdown: watch::Sender<bool>,
}

/// Properties for [`EmulatorHandle::seed_record`]: string values, or JSON values
/// (`serde_json::Map`) whose non-strings are printed.
pub trait SeedValue {
    /// The value as HubSpot stores it.
    fn into_property(self) -> String;
}

impl SeedValue for String {
    fn into_property(self) -> String {
        self
    }
}

impl SeedValue for &str {
    fn into_property(self) -> String {
        self.to_owned()
    }
}

impl SeedValue for Value {
    fn into_property(self) -> String {
        match self {
            Value::String(s) => s,
            Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}

fn parse_object_type(object_type: &str) -> Option<ObjectType> {
    crate::routes::object_type(object_type).ok()
}

impl EmulatorHandle {
    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every request so far (inspection routes excluded).
    pub fn request_log(&self) -> Vec<LoggedRequest> {
        lock(&self.shared.log).clone()
    }

    /// How many logged requests got `status` (0 counts dropped connections).
    pub fn count_status(&self, status: u16) -> usize {
        lock(&self.shared.log)
            .iter()
            .filter(|r| r.status == status)
            .count()
    }

    /// Empties the request log.
    pub fn clear_log(&self) {
        lock(&self.shared.log).clear();
    }

    /// Every postal mail as full `SimplePublicObject` JSON (all properties with a value),
    /// ascending by id.
    pub fn postal_mails(&self, include_archived: bool) -> Vec<Value> {
        let store = lock(&self.shared.store);
        let t = ObjectType::PostalMail;
        store
            .table(&t)
            .into_iter()
            .flatten()
            .filter(|(_, o)| include_archived || !o.is_archived())
            .map(|(id, o)| object_json(&store, &t, *id, o, &ReadOpts::written()))
            .collect()
    }

    /// One object of any supported type (archived included), as full JSON.
    pub fn record(&self, object_type: &str, id: &str) -> Option<Value> {
        let t = parse_object_type(object_type)?;
        let id = crate::writes::parse_id(id)?;
        let store = lock(&self.shared.store);
        let obj = store.obj(&t, id)?;
        Some(object_json(&store, &t, id, obj, &ReadOpts::written()))
    }

    /// Creates a record directly (no validation beyond the type) and returns its id.
    ///
    /// # Panics
    ///
    /// When `object_type` is not one of contacts, companies, deals, tickets or postal_mail
    /// (a mistake in the calling test).
    pub fn seed_record<K, V>(
        &self,
        object_type: &str,
        properties: impl IntoIterator<Item = (K, V)>,
    ) -> String
    where
        K: Into<String>,
        V: SeedValue,
    {
        let Some(t) = parse_object_type(object_type) else {
            panic!("seed_record: {object_type:?} is not a supported object type");
        };
        let props: BTreeMap<String, String> = properties
            .into_iter()
            .map(|(k, v)| (k.into(), v.into_property()))
            .filter(|(_, v)| !v.is_empty())
            .collect();
        lock(&self.shared.store)
            .insert(&t, props, now_ms())
            .to_string()
    }

    /// Creates `n` postal mails with bodies `"{body_prefix} {i}"` and the current time as
    /// `hs_timestamp`, in one lock; returns their ids in order.
    pub fn seed_postal_mails(&self, n: usize, body_prefix: &str) -> Vec<String> {
        let now = now_ms();
        let stamp = crate::clock::format_ms(now);
        let mut store = lock(&self.shared.store);
        (0..n)
            .map(|i| {
                let props = BTreeMap::from([
                    (crate::schema::HS_TIMESTAMP.to_owned(), stamp.clone()),
                    (crate::schema::BODY.to_owned(), format!("{body_prefix} {i}")),
                ]);
                store
                    .insert(&ObjectType::PostalMail, props, now)
                    .to_string()
            })
            .collect()
    }

    /// Associates two existing objects with the HubSpot-defined default type; false when an
    /// object or the default type does not exist.
    pub fn seed_association(
        &self,
        from_type: &str,
        from_id: &str,
        to_type: &str,
        to_id: &str,
    ) -> bool {
        let (Some(a), Some(b)) = (parse_object_type(from_type), parse_object_type(to_type)) else {
            return false;
        };
        let (Some(ai), Some(bi)) = (
            crate::writes::parse_id(from_id),
            crate::writes::parse_id(to_id),
        ) else {
            return false;
        };
        let mut store = lock(&self.shared.store);
        let Some(idx) = store.default_label(&a, &b) else {
            return false;
        };
        if store.obj(&a, ai).is_none() || store.obj(&b, bi).is_none() {
            return false;
        }
        store.associate(&(a, ai), &(b, bi), idx);
        true
    }

    /// Replaces the fault plan; the dice are reseeded, so the sequence starts over.
    pub fn set_faults(&self, plan: FaultPlan) {
        self.shared.set_faults(plan);
    }

    /// How long a record written through the API stays invisible to search from now on
    /// (see [`EmulatorConfig::search_lag`]); zero makes every write visible at once.
    pub fn set_search_lag(&self, lag: Duration) {
        self.shared.set_search_lag(lag);
    }

    /// Back to the starting state (fixtures only), with an empty log and fresh windows.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// Everything stored, as served by `GET /__emulator/state`.
    pub fn state(&self) -> Value {
        crate::routes::inspect::state_json(&self.shared)
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        let _ = self.shutdown.send(true);
    }
}

/// An emulator on its own runtime thread; derefs to [`EmulatorHandle`] for inspection.
/// Dropping it stops the server and joins the thread (at most a few seconds).
#[derive(Debug)]
pub struct BlockingEmulator {
    handle: EmulatorHandle,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl std::ops::Deref for BlockingEmulator {
    type Target = EmulatorHandle;
    fn deref(&self) -> &EmulatorHandle {
        &self.handle
    }
}

impl Drop for BlockingEmulator {
    fn drop(&mut self) {
        let _ = self.handle.shutdown.send(true);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

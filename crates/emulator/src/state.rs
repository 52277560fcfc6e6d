//! State shared by every connection of one emulator: the store, the request log, the rate
//! limiter and the fault dice, each behind its own short-held lock (never across `.await`).

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Instant;

use crate::config::EmulatorConfig;
use crate::errors::EmulatorError;
use crate::faults::{FaultDice, FaultPlan};
use crate::fixtures::Fixtures;
use crate::rate_limit::Limiter;
use crate::store::Store;

/// One request as the emulator saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct LoggedRequest {
    /// HTTP method.
    pub method: String,
    /// Path without the query string.
    pub path: String,
    /// Status sent; 0 when the connection was dropped without a response (`drop`).
    pub status: u16,
    /// The injected fault, if any: `"429"`, `"503"`, `"drop"`, `"apply-drop"`, ….
    pub fault: Option<String>,
    /// When the request arrived.
    pub at: Instant,
}

/// Entries kept in the log; the oldest half is discarded past this, so a long soak test
/// cannot exhaust memory.
const LOG_CAP: usize = 1_000_000;

/// Locks a mutex, recovering from poisoning: every critical section leaves the data
/// consistent before anything that could panic, so a poisoned lock is still usable.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
pub(crate) struct Shared {
    pub store: Mutex<Store>,
    pub log: Mutex<Vec<LoggedRequest>>,
    pub limiter: Mutex<Limiter>,
    pub dice: Mutex<FaultDice>,
    pub plan: Mutex<FaultPlan>,
    pub tokens: Vec<String>,
    pub seed: u64,
    pub fixtures: Fixtures,
    pub max_body: usize,
    pub started: Instant,
    pub log_requests: bool,
}

impl Shared {
    pub fn new(config: &EmulatorConfig) -> Result<Self, EmulatorError> {
        let mut store = Store::new();
        store.set_search_lag(config.search_lag);
        config
            .fixtures
            .apply(&mut store)
            .map_err(EmulatorError::Fixtures)?;
        Ok(Self {
            store: Mutex::new(store),
            log: Mutex::new(Vec::new()),
            limiter: Mutex::new(Limiter::new(
                config.rate_limit,
                config.daily_limit,
                config.search_rate,
            )),
            dice: Mutex::new(FaultDice::new(config.faults.clone(), config.seed)),
            plan: Mutex::new(config.faults.clone()),
            tokens: config.tokens.clone(),
            seed: config.seed,
            fixtures: config.fixtures.clone(),
            max_body: config.max_body_bytes,
            started: Instant::now(),
            log_requests: config.log_requests,
        })
    }

    pub fn record(&self, entry: LoggedRequest) {
        if self.log_requests {
            // Method, path (ids only), status and fault: nothing that can hold a token or a
            // letter. The query string is not part of `path`.
            eprintln!(
                "{} {} -> {}{} ({} ms)",
                entry.method,
                entry.path,
                entry.status,
                entry
                    .fault
                    .as_deref()
                    .map(|f| format!(" [fault {f}]"))
                    .unwrap_or_default(),
                entry.at.elapsed().as_millis()
            );
        }
        let mut log = lock(&self.log);
        if log.len() >= LOG_CAP {
            log.drain(..LOG_CAP / 2);
        }
        log.push(entry);
    }

    /// Replaces the fault plan and reseeds the dice, so the sequence restarts.
    pub fn set_faults(&self, plan: FaultPlan) {
        *lock(&self.dice) = FaultDice::new(plan.clone(), self.seed);
        *lock(&self.plan) = plan;
    }

    /// How long API writes stay invisible to search from now on.
    pub fn set_search_lag(&self, lag: std::time::Duration) {
        lock(&self.store).set_search_lag(lag);
    }

    /// Back to the starting state: fixtures only, empty log, fresh windows, dice reseeded.
    pub fn reset(&self) {
        let mut store = Store::new();
        // The fixtures were validated at start, so applying them again cannot fail.
        let _ = self.fixtures.apply(&mut store);
        let mut current = lock(&self.store);
        // The lag is a setting, like the fault plan: it outlives a reset.
        store.search_lag_ms = current.search_lag_ms;
        *current = store;
        drop(current);
        lock(&self.log).clear();
        lock(&self.limiter).reset();
        let plan = lock(&self.plan).clone();
        *lock(&self.dice) = FaultDice::new(plan, self.seed);
    }
}

//! `RedisBudget`: the [`RateBudget`] every process of a portal shares on Redis, with its
//! in-process fallback for when Redis cannot be reached.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use async_trait::async_trait;
use http::HeaderMap;
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::model::limits::{
    BURST_WINDOW_MILLIS, SEARCH_WINDOW_MILLIS, WINDOW_MARGIN_PERCENT,
};
use hubspot_postal::{Budget, RateBudget, RateBudgetError, RateLimitHeaders, RateLimiter, Slot};
use redis::aio::{ConnectionManager, ConnectionManagerConfig};

use crate::config::RedisBudgetConfig;
use crate::error::RedisBudgetError;
use crate::health::{Health, Mode};
use crate::keys::Keys;
use crate::scripts::{ACQUIRE, Acquired, OBSERVE, PAUSE};

/// One portal's rate budget, shared on Redis by every process (and machine) that uses the same
/// portal key. Cheap to clone; clones share the connection.
///
/// Each slot is taken by one atomic Lua script on Redis's clock: a 429 seen by any process
/// pauses them all, the daily budget is counted across them, and the window learned from
/// HubSpot's headers is shared. When Redis cannot be reached, requests are paced by an
/// in-process [`RateLimiter`] at a fraction of the limits, never unlimited; see
/// [`RedisBudgetConfig`].
///
/// ```no_run
/// use std::sync::Arc;
/// use hubspot_postal::Client;
/// use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};
///
/// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
/// let budget = RedisBudget::connect(RedisBudgetConfig::new("redis://10.0.0.5:6379", "acme-prod")).await?;
/// let client = Client::builder()
///     .token(std::env::var("HUBSPOT_ACCESS_TOKEN")?)
///     .rate_budget(Arc::new(budget))
///     .build()?;
/// # let _ = client;
/// # Ok(()) }
/// ```
#[derive(Debug, Clone)]
pub struct RedisBudget {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: RedisBudgetConfig,
    client: redis::Client,
    /// `host:port`, for messages: never the URL, which may carry a password.
    server: String,
    keys: Keys,
    /// Made on first use, inside the runtime that runs the client (its reconnect task lives
    /// there); cloned out of the lock, never used under it.
    connection: Mutex<Option<ConnectionManager>>,
    health: Health,
    fallback: RateLimiter,
    /// One waiter per budget polls Redis at a time; the others queue here, in order.
    general_queue: tokio::sync::Mutex<()>,
    search_queue: tokio::sync::Mutex<()>,
    /// The burst window last learned, for [`RateBudget::burst_window`].
    window: Mutex<Duration>,
}

/// Why one Redis call did not give an answer.
enum Fault {
    Timeout,
    Redis(String),
}

impl Fault {
    fn reason(&self, timeout: Duration) -> String {
        match self {
            Fault::Timeout => format!("no answer within {timeout:?}"),
            Fault::Redis(e) => e.clone(),
        }
    }
}

impl RedisBudget {
    /// A budget that connects on first use. Fails only on a bad setting or URL; use
    /// [`connect`](Self::connect) or [`connect_blocking`](Self::connect_blocking) to learn at
    /// start whether Redis answers. If it never answered and
    /// [`fallback_at_start`](RedisBudgetConfig::fallback_at_start) is off, every request
    /// fails unsent with a message that says so.
    pub fn new(config: RedisBudgetConfig) -> Result<Self, RedisBudgetError> {
        config.validate()?;
        let client = redis::Client::open(config.url.as_str())
            .map_err(|e| RedisBudgetError::Config(format!("the Redis URL is not usable: {e}")))?;
        let server = client.get_connection_info().addr().to_string();
        let fallback = RateLimiter::new(
            config.fallback_share(config.burst_max),
            config.burst_window,
            config.fallback_share(config.search_per_second),
        )
        .fixed();
        Ok(Self {
            inner: Arc::new(Inner {
                keys: Keys::new(&config.portal_key),
                window: Mutex::new(config.burst_window),
                client,
                server,
                connection: Mutex::new(None),
                health: Health::new(),
                fallback,
                general_queue: tokio::sync::Mutex::new(()),
                search_queue: tokio::sync::Mutex::new(()),
                config,
            }),
        })
    }

    /// Connects now: a clear error if Redis cannot be reached, unless
    /// [`fallback_at_start`](RedisBudgetConfig::fallback_at_start) allows starting on the
    /// in-process fallback. Call it inside the runtime that will run the client.
    pub async fn connect(config: RedisBudgetConfig) -> Result<Self, RedisBudgetError> {
        let budget = Self::new(config)?;
        match budget.inner.connection().await {
            Ok(_) => budget.inner.health.succeeded(&budget.inner.server),
            Err(fault) => budget.inner.start_failed(&fault)?,
        }
        Ok(budget)
    }

    /// [`connect`](Self::connect) for blocking code (the blocking client, a CLI): checks that
    /// Redis answers with a blocking `PING`; the async connection is made on first use, in the
    /// client's own runtime.
    pub fn connect_blocking(config: RedisBudgetConfig) -> Result<Self, RedisBudgetError> {
        let budget = Self::new(config)?;
        let inner = &budget.inner;
        let pong = inner
            .client
            .get_connection_with_timeout(inner.config.connect_timeout)
            .and_then(|mut c| {
                c.set_read_timeout(Some(inner.config.connect_timeout))?;
                redis::cmd("PING").query::<String>(&mut c)
            });
        match pong {
            Ok(_) => inner.health.succeeded(&inner.server),
            Err(e) => inner.start_failed(&Fault::Redis(e.to_string()))?,
        }
        Ok(budget)
    }

    /// Whether slots come from Redis right now or from the in-process fallback.
    pub fn mode(&self) -> Mode {
        self.inner.health.mode()
    }

    /// How many times Redis became unreachable (each outage is logged once).
    pub fn outages(&self) -> u64 {
        self.inner.health.outages()
    }

    /// The portal key the budget's Redis keys are named after.
    pub fn portal_key(&self) -> &str {
        &self.inner.config.portal_key
    }

    /// The in-process limiter used while Redis is unreachable.
    pub fn fallback(&self) -> &RateLimiter {
        &self.inner.fallback
    }
}

impl Inner {
    fn start_failed(&self, fault: &Fault) -> Result<(), RedisBudgetError> {
        let reason = fault.reason(self.config.connect_timeout);
        if !self.config.fallback_at_start {
            return Err(RedisBudgetError::Unreachable {
                server: self.server.clone(),
                reason,
            });
        }
        self.health
            .failed(&self.server, &reason, self.config.fallback_fraction);
        Ok(())
    }

    async fn connection(&self) -> Result<ConnectionManager, Fault> {
        if let Some(c) = lock(&self.connection).clone() {
            return Ok(c);
        }
        // Our own timeouts bound every call; the manager only needs to reconnect quickly.
        let settings = ConnectionManagerConfig::new()
            .set_connection_timeout(Some(self.config.connect_timeout))
            .set_number_of_retries(1)
            .set_min_delay(Duration::from_millis(10))
            .set_max_delay(Duration::from_millis(100));
        let made = tokio::time::timeout(
            self.config.connect_timeout,
            ConnectionManager::new_with_config(self.client.clone(), settings),
        )
        .await
        .map_err(|_| Fault::Timeout)?
        .map_err(|e| Fault::Redis(e.to_string()))?;
        *lock(&self.connection) = Some(made.clone());
        Ok(made)
    }

    /// Runs one script invocation under the call timeout.
    async fn run<T: redis::FromRedisValue>(
        &self,
        invocation: redis::ScriptInvocation<'_>,
    ) -> Result<T, Fault> {
        let mut connection = self.connection().await?;
        tokio::time::timeout(
            self.config.call_timeout,
            invocation.invoke_async(&mut connection),
        )
        .await
        .map_err(|_| Fault::Timeout)?
        .map_err(|e| Fault::Redis(e.to_string()))
    }

    async fn try_acquire(&self, budget: Budget) -> Result<Acquired, Fault> {
        let config = &self.config;
        let mut invocation = ACQUIRE.prepare_invoke();
        invocation
            .key(&self.keys.general)
            .key(&self.keys.search)
            .key(&self.keys.learned)
            .key(&self.keys.pauses)
            .key(&self.keys.daily)
            .key(&self.keys.sequence)
            .arg(budget_field(budget))
            .arg(config.burst_max)
            .arg(millis(config.burst_window))
            .arg(config.search_per_second)
            .arg(SEARCH_WINDOW_MILLIS)
            .arg(config.daily_limit.unwrap_or(0))
            .arg(config.utc_offset.whole_seconds())
            .arg(WINDOW_MARGIN_PERCENT);
        let reply: Vec<i64> = self.run(invocation).await?;
        Acquired::from_reply(&reply)
            .ok_or_else(|| Fault::Redis(format!("unexpected script reply {reply:?}")))
    }

    fn queue(&self, budget: Budget) -> &tokio::sync::Mutex<()> {
        match budget {
            Budget::General => &self.general_queue,
            Budget::Search => &self.search_queue,
        }
    }

    async fn acquire(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
        let _turn = self.queue(budget).lock().await;
        while self.health.should_try() {
            match self.try_acquire(budget).await {
                Ok(answer) => {
                    self.health.succeeded(&self.server);
                    match answer {
                        Acquired::Granted(member) => return Ok(Slot::new(budget, member)),
                        Acquired::Wait(d) => tokio::time::sleep(d).await,
                        Acquired::DailyUsedUp(reset) => {
                            return Err(RateBudgetError::new(format!(
                                "the portal's daily budget (shared on Redis as `{}`) is used up; \
                                 it resets in {} min, at midnight UTC{}",
                                self.config.portal_key,
                                reset.as_secs().div_ceil(60),
                                self.config.utc_offset,
                            )));
                        }
                    }
                }
                Err(fault) => {
                    let reason = fault.reason(self.config.call_timeout);
                    if !self.health.ever_shared() && !self.config.fallback_at_start {
                        return Err(RateBudgetError::new(format!(
                            "Redis at {} is unreachable ({reason}), and the in-process fallback \
                             was not allowed at start (fallback_at_start); the request was not sent",
                            self.server
                        )));
                    }
                    self.health
                        .failed(&self.server, &reason, self.config.fallback_fraction);
                }
            }
        }
        // Id 0: a slot of the fallback, which Redis never saw.
        self.fallback.acquire(budget).await;
        Ok(Slot::new(budget, 0))
    }

    fn spawn(self: &Arc<Self>, work: impl Future<Output = ()> + Send + 'static) {
        // Off the answer's path; without a runtime (cannot happen inside the client) there is
        // nothing to share it with.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(work);
        }
    }
}

/// Locks a mutex whose value a panic elsewhere cannot leave half-written (it is replaced whole).
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn budget_field(budget: Budget) -> &'static str {
    match budget {
        Budget::General => "general",
        Budget::Search => "search",
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

#[async_trait]
impl RateBudget for RedisBudget {
    async fn acquire_slot(&self, budget: Budget) -> Result<Slot, RateBudgetError> {
        self.inner.acquire(budget).await
    }

    fn observe_response(&self, slot: Slot, headers: &HeaderMap) {
        let learned = RateLimitHeaders::parse(headers);
        let window = learned.and_then(|l| l.window);
        if let Some((_, window)) = window {
            *lock(&self.inner.window) = window;
        }
        if (slot.id() == 0 && learned.is_none()) || self.inner.health.mode() == Mode::Fallback {
            return;
        }
        let inner = Arc::clone(&self.inner);
        self.inner.spawn(async move {
            let (max, window) = window.unwrap_or((0, Duration::ZERO));
            let mut invocation = OBSERVE.prepare_invoke();
            invocation
                .key(&inner.keys.general)
                .key(&inner.keys.search)
                .key(&inner.keys.learned)
                .key(&inner.keys.sequence)
                .arg(budget_field(slot.budget()))
                .arg(slot.id())
                .arg(max)
                .arg(millis(window))
                .arg(learned.and_then(|l| l.remaining).map_or(-1, i64::from))
                .arg(inner.config.burst_max)
                .arg(millis(inner.config.burst_window))
                .arg(SEARCH_WINDOW_MILLIS)
                .arg(WINDOW_MARGIN_PERCENT);
            // A lost update only makes the next answer's headers matter; the acquire path
            // notices an outage and falls back.
            let _ = inner.run::<i64>(invocation).await;
        });
    }

    fn report_rate_limited(
        &self,
        slot: Slot,
        policy: Option<&RateLimitPolicy>,
        retry_after: Option<Duration>,
    ) {
        let (what, pause) = match (policy, slot.budget()) {
            (Some(RateLimitPolicy::Daily), _) => ("daily", Duration::ZERO),
            (Some(RateLimitPolicy::Secondly), _) | (None, Budget::Search) => (
                "search",
                retry_after.unwrap_or(Duration::from_millis(SEARCH_WINDOW_MILLIS)),
            ),
            _ => (
                "general",
                retry_after.unwrap_or_else(|| self.burst_window()),
            ),
        };
        if self.inner.health.mode() == Mode::Fallback {
            return;
        }
        let inner = Arc::clone(&self.inner);
        self.inner.spawn(async move {
            let mut invocation = PAUSE.prepare_invoke();
            invocation
                .key(&inner.keys.pauses)
                .arg(what)
                .arg(micros(pause))
                .arg(inner.config.utc_offset.whole_seconds());
            let _ = inner.run::<i64>(invocation).await;
        });
    }

    fn burst_window(&self) -> Duration {
        let learned = *lock(&self.inner.window);
        if learned.is_zero() {
            Duration::from_millis(BURST_WINDOW_MILLIS)
        } else {
            learned
        }
    }
}

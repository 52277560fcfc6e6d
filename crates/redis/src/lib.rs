//! One HubSpot rate budget for every service of a portal, shared through Redis: a
//! [`RateBudget`](hubspot_postal::RateBudget) for `hubspot-postal`'s async and blocking
//! clients and its CLI.
//!
//! HubSpot counts its limits per app and account, not per process: 100 to 250 requests per
//! ten seconds, search 5 per second, and a daily budget. N services, each with its own
//! in-process limiter, send N times the allowed rate and meet 429s. A [`RedisBudget`] given to
//! every client of the portal keeps them all under one budget:
//!
//! - **one atomic Lua script per request** takes a slot: the ten-second sliding window (or the
//!   window learned from `X-HubSpot-RateLimit-*`), search's per-second window, and the daily
//!   budget, reset at midnight in the portal's time zone (UTC by default);
//! - **Redis's clock** (`TIME`) is the only clock, so machines whose clocks disagree still share
//!   one window;
//! - **what one process learns, all use**: the learned window, HubSpot's count of the requests
//!   left, and a 429, which pauses every process until its `Retry-After` (the daily limit until
//!   the reset);
//! - **keys are named by you**: `hubspot-postal:{<portal key>}:…`, never derived from the token.
//!   The braces are a Redis Cluster hash tag (every key of a portal in one slot), but this
//!   crate connects to a single Redis node or a proxy, not to a cluster's nodes itself.
//!
//! # When Redis is unreachable
//!
//! - **At start**: [`RedisBudget::connect`] fails with a clear error, unless
//!   [`RedisBudgetConfig::fallback_at_start`] allows starting on the in-process fallback.
//! - **Mid-run**: the first request that cannot reach Redis (a refused connection, or no answer
//!   within the call timeout, 50 ms by default) goes through an in-process
//!   [`RateLimiter`](hubspot_postal::RateLimiter) at [`RedisBudgetConfig::fallback_fraction`]
//!   of the limits, never unlimited; the outage is logged once (`tracing` warning). One request
//!   per 250 ms tries Redis again; when it answers the budget is shared again (logged once).
//! - A Redis failure happens before a request is sent, so it never makes a create "maybe sent"
//!   and never sends one twice. No call panics.
//!
//! # Do not
//!
//! - derive the portal key from the access token, or give two portals the same key: they would
//!   share (and halve) one budget;
//! - point services of one portal at different Redis servers: each server is its own budget;
//! - set the fallback fraction above 1/N with N services: during an outage they would together
//!   exceed the portal's limits.
//!
//! # Why the `redis` crate
//!
//! `redis` (redis-rs) is the most used Redis client for Rust and is actively maintained. Its
//! `ConnectionManager` reconnects by itself after Redis restarts, and `Script` runs a script by
//! its SHA and reloads it on `NOSCRIPT` (after a restart), which is all this crate needs; it
//! is enabled with the `tokio-comp`, `connection-manager` and `script` features only. `fred`
//! offers more (cluster and sentinel management, client-side pooling) that a single script call
//! per request does not use, and no measurement here showed a latency reason to prefer it: the
//! P6 bench measures the Redis round trip at well under a millisecond.
//!
//! ```no_run
//! use std::sync::Arc;
//! use std::time::Duration;
//! use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let config = RedisBudgetConfig::new("redis://10.0.0.5:6379", "acme-prod")
//!     .burst(190, Duration::from_secs(10))
//!     .fallback_fraction(0.25);
//! let budget = Arc::new(RedisBudget::connect(config).await?);
//! let client = hubspot_postal::Client::builder()
//!     .token(std::env::var("HUBSPOT_ACCESS_TOKEN")?)
//!     .rate_budget(budget)
//!     .build()?;
//! # let _ = client;
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod budget;
mod config;
mod error;
mod health;
mod keys;
mod scripts;

pub use budget::RedisBudget;
pub use config::{
    DEFAULT_CALL_TIMEOUT, DEFAULT_CONNECT_TIMEOUT, DEFAULT_FALLBACK_FRACTION, RedisBudgetConfig,
};
pub use error::RedisBudgetError;
pub use health::Mode;
/// The portal's time zone is given as its offset from UTC.
pub use time::UtcOffset;

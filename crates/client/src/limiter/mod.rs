//! Rate budgets: what keeps every request of a portal under HubSpot's limits before it is sent,
//! so that a bulk job never meets a 429.
//!
//! - [`RateBudget`] is the seam: take a slot on a [`Budget`] (the ten-second window, or
//!   search's per-second limit), learn from each answer's `X-HubSpot-RateLimit-*` headers, and
//!   hear about a 429 with its policy and `Retry-After`.
//! - [`RateLimiter`] is the in-process implementation and the default: every clone of a client
//!   (and every client given a clone of the handle) shares it.
//! - `hubspot-postal-redis` implements the same trait on Redis, for several processes that
//!   share one portal.
//!
//! Learned header values are clamped by [`RateLimitHeaders`] to four times HubSpot's published
//! limits, so a broken or hostile answer can neither unpace a client nor make it keep state that
//! grows with a header.

mod budget;
mod headers;
mod local;
mod window;

pub use budget::{Budget, RateBudget, RateBudgetError, Slot};
pub use headers::RateLimitHeaders;
pub use local::RateLimiter;

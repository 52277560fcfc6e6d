//! The response headers HubSpot sends that this project reads (G-USAGE-old §7.3, FIX-GRP), in
//! lower case as HTTP/2 and the `http` crate spell them.

/// HubSpot's id for a request; equals the error body's `correlationId`.
pub const CORRELATION_ID: &str = "x-hubspot-correlation-id";
/// Requests allowed per burst window.
pub const RATE_LIMIT_MAX: &str = "x-hubspot-ratelimit-max";
/// Requests left in the current burst window.
pub const RATE_LIMIT_REMAINING: &str = "x-hubspot-ratelimit-remaining";
/// Length of the burst window in milliseconds.
pub const RATE_LIMIT_INTERVAL_MS: &str = "x-hubspot-ratelimit-interval-milliseconds";
/// Requests allowed per day (not sent for OAuth).
pub const RATE_LIMIT_DAILY: &str = "x-hubspot-ratelimit-daily";
/// Requests left today (not sent for OAuth).
pub const RATE_LIMIT_DAILY_REMAINING: &str = "x-hubspot-ratelimit-daily-remaining";
/// How long to wait, in seconds or as an HTTP date (477, and some 429/503 answers).
pub const RETRY_AFTER: &str = "retry-after";
/// How long to wait, in milliseconds (HubSpot's webhook and workflow retries).
pub const RETRY_AFTER_MS: &str = "retry-after-ms";

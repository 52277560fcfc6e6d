//! Retries: which failures are safe to repeat, how long to wait, and when to stop.
//!
//! [`RetryPolicy::decide`] is a pure function of the operation's idempotency, the send phase or
//! status of the failed attempt, the 429 policy, the attempt number and the time left. The
//! executor only carries out its [`Decision`]. The one rule it never bends: **an operation that
//! creates records is not repeated once the request may have reached HubSpot** (a timeout after
//! sending, a dropped connection, any 5xx). It is repeated only when it provably never left the
//! process (connect failure) or HubSpot said it did nothing (429).

mod policy;
mod retry_after;

pub use policy::{
    AttemptOutcome, Decision, RetryInput, RetryPolicy, StopReason, is_retryable_status,
    is_server_error,
};
pub use retry_after::parse_retry_after;

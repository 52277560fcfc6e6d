//! `RedisBudgetError`: why a shared budget could not be set up or reached.

/// Why a [`RedisBudget`](crate::RedisBudget) could not be built or could not reach Redis.
/// Messages name the Redis server by host and port only, never a password from the URL.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RedisBudgetError {
    /// A setting is out of range (the message says which and why).
    #[error("shared rate budget: {0}")]
    Config(String),
    /// Redis could not be reached when the budget started, and the in-process fallback was
    /// not allowed ([`RedisBudgetConfig::fallback_at_start`](crate::RedisBudgetConfig::fallback_at_start)).
    #[error(
        "shared rate budget: Redis at {server} is unreachable ({reason}); start Redis, or allow \
         an in-process fallback at a fraction of the limit with fallback_at_start"
    )]
    Unreachable {
        /// `host:port` of the server.
        server: String,
        /// What failed.
        reason: String,
    },
}

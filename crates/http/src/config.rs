//! Settings of [`ReqwestTransport`](crate::ReqwestTransport), built with setters so they can grow.

use std::time::Duration;

/// Settings for [`ReqwestTransport`](crate::ReqwestTransport).
///
/// Start from [`HttpConfig::default()`] and change what you need; new settings are added
/// without breaking existing code.
///
/// ```
/// use hubspot_postal_http::HttpConfig;
/// use std::time::Duration;
///
/// let config = HttpConfig::default()
///     .with_request_timeout(Duration::from_secs(10))
///     .with_max_response_bytes(4 * 1024 * 1024)
///     .with_user_agent_suffix("billing-service/2.3");
/// assert_eq!(config.connect_timeout(), Duration::from_secs(10));
/// assert_eq!(config.request_timeout(), Duration::from_secs(10));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpConfig {
    connect_timeout: Duration,
    request_timeout: Duration,
    max_response_bytes: u64,
    pool_idle_timeout: Option<Duration>,
    pool_max_idle_per_host: usize,
    user_agent_suffix: Option<String>,
}

impl HttpConfig {
    /// Default [`connect_timeout`](Self::connect_timeout): 10 seconds.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    /// Default [`request_timeout`](Self::request_timeout): 30 seconds.
    pub const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default [`max_response_bytes`](Self::max_response_bytes): 32 MiB.
    pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;
    /// Default [`pool_idle_timeout`](Self::pool_idle_timeout): 90 seconds.
    pub const DEFAULT_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(90);

    /// How long to wait for a TCP and TLS connection.
    #[must_use]
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// Sets how long to wait for a TCP and TLS connection.
    #[must_use]
    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one attempt may take, from connecting until the body is read, when the request
    /// does not set its own timeout.
    #[must_use]
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Sets the default timeout of one attempt.
    #[must_use]
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// The largest response body, after decompression, that will be read into memory.
    #[must_use]
    pub fn max_response_bytes(&self) -> u64 {
        self.max_response_bytes
    }

    /// Sets the largest response body that will be read into memory.
    #[must_use]
    pub fn with_max_response_bytes(mut self, max: u64) -> Self {
        self.max_response_bytes = max;
        self
    }

    /// How long an idle pooled connection is kept; `None` keeps it until the server closes it.
    #[must_use]
    pub fn pool_idle_timeout(&self) -> Option<Duration> {
        self.pool_idle_timeout
    }

    /// Sets how long an idle pooled connection is kept.
    #[must_use]
    pub fn with_pool_idle_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.pool_idle_timeout = timeout;
        self
    }

    /// The most idle connections kept per host (default: no limit).
    #[must_use]
    pub fn pool_max_idle_per_host(&self) -> usize {
        self.pool_max_idle_per_host
    }

    /// Sets the most idle connections kept per host; `0` disables pooling.
    #[must_use]
    pub fn with_pool_max_idle_per_host(mut self, max: usize) -> Self {
        self.pool_max_idle_per_host = max;
        self
    }

    /// Text appended to the `User-Agent`, after a space, to name the calling service.
    #[must_use]
    pub fn user_agent_suffix(&self) -> Option<&str> {
        self.user_agent_suffix.as_deref()
    }

    /// Sets the text appended to the `User-Agent`. It must be visible ASCII.
    #[must_use]
    pub fn with_user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            request_timeout: Self::DEFAULT_REQUEST_TIMEOUT,
            max_response_bytes: Self::DEFAULT_MAX_RESPONSE_BYTES,
            pool_idle_timeout: Some(Self::DEFAULT_POOL_IDLE_TIMEOUT),
            pool_max_idle_per_host: usize::MAX,
            user_agent_suffix: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let config = HttpConfig::default();
        assert_eq!(config.connect_timeout(), Duration::from_secs(10));
        assert_eq!(config.request_timeout(), Duration::from_secs(30));
        assert_eq!(config.max_response_bytes(), 32 * 1024 * 1024);
        assert_eq!(config.pool_idle_timeout(), Some(Duration::from_secs(90)));
        assert_eq!(config.pool_max_idle_per_host(), usize::MAX);
        assert_eq!(config.user_agent_suffix(), None);
    }

    #[test]
    fn setters_change_only_their_setting() {
        let config = HttpConfig::default()
            .with_connect_timeout(Duration::from_millis(5))
            .with_pool_idle_timeout(None)
            .with_pool_max_idle_per_host(2);
        assert_eq!(config.connect_timeout(), Duration::from_millis(5));
        assert_eq!(config.pool_idle_timeout(), None);
        assert_eq!(config.pool_max_idle_per_host(), 2);
        assert_eq!(
            config.request_timeout(),
            HttpConfig::DEFAULT_REQUEST_TIMEOUT
        );
    }
}

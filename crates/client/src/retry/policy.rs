//! `RetryPolicy`: the documented decision of whether and when to try an operation again.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use hubspot_postal_model::error::RateLimitPolicy;
use hubspot_postal_transport::{Idempotency, SendPhase, TransportError, TransportErrorKind};

/// Whether `status` says the server failed while handling the request: any 5xx. The request
/// may have been applied, so a create answered with one is never sent again.
///
/// ```
/// use hubspot_postal::retry::is_server_error;
/// assert!(is_server_error(520) && is_server_error(507) && !is_server_error(429));
/// ```
pub fn is_server_error(status: u16) -> bool {
    (500..=599).contains(&status)
}

/// Whether an idempotent request is worth repeating after this server error: every 5xx but
/// 501 (Not Implemented) and 505 (HTTP Version Not Supported), which no repeat changes.
fn is_retryable_server_error(status: u16) -> bool {
    is_server_error(status) && !matches!(status, 501 | 505)
}

/// Whether an idempotent request is worth repeating after a response with `status`: the
/// retryable server errors, 423 (Locked) and 429. The one list of retryable statuses.
///
/// ```
/// use hubspot_postal::retry::is_retryable_status;
/// assert!(is_retryable_status(524) && is_retryable_status(423) && is_retryable_status(429));
/// assert!(!is_retryable_status(501) && !is_retryable_status(404));
/// ```
pub fn is_retryable_status(status: u16) -> bool {
    is_retryable_server_error(status) || matches!(status, 423 | 429)
}

/// What the failed attempt came back with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// No response: the transport failed in this phase.
    Transport(SendPhase),
    /// The connection was refused: nothing listens at the address, and nothing was sent.
    ConnectRefused,
    /// HubSpot answered with this (non-success) status; for a 429, the policy it named.
    Status {
        /// HTTP status.
        status: u16,
        /// The 429 policy, if any.
        policy: Option<&'a RateLimitPolicy>,
    },
}

impl AttemptOutcome<'_> {
    /// The outcome of a transport failure. A refused connection is told apart from the other
    /// failures of its phase, so that it is reported within moments, not after seconds of
    /// backoff.
    ///
    /// ```
    /// use hubspot_postal::retry::AttemptOutcome;
    /// use hubspot_postal::transport::{SendPhase, TransportError, TransportErrorKind};
    /// let refused = TransportError::new(TransportErrorKind::ConnectRefused, SendPhase::NotSent, "refused");
    /// assert_eq!(AttemptOutcome::of_transport(&refused), AttemptOutcome::ConnectRefused);
    /// let reset = TransportError::new(TransportErrorKind::Io, SendPhase::MaybeSent, "reset");
    /// assert_eq!(AttemptOutcome::of_transport(&reset), AttemptOutcome::Transport(SendPhase::MaybeSent));
    /// ```
    pub fn of_transport(error: &TransportError) -> Self {
        match error.kind() {
            TransportErrorKind::ConnectRefused => Self::ConnectRefused,
            _ => Self::Transport(error.phase()),
        }
    }
}

/// Everything the decision depends on.
#[derive(Debug, Clone, Copy)]
pub struct RetryInput<'a> {
    /// Whether repeating the operation is safe.
    pub idempotency: Idempotency,
    /// How the attempt failed.
    pub outcome: AttemptOutcome<'a>,
    /// Attempts made so far, this one included (1 after the first).
    pub attempt: u32,
    /// Time left before the operation's deadline.
    pub time_left: Duration,
    /// `Retry-After` of the response, if any.
    pub retry_after: Option<Duration>,
    /// The next exponential, jittered backoff delay.
    pub backoff: Duration,
    /// The rate window the limiter currently knows (10 s for HubSpot's burst limit).
    pub rate_window: Duration,
}

/// Why the operation stops retrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum StopReason {
    /// The failure is not transient (4xx other than 429, or an unknown status).
    NotTransient,
    /// The operation creates records and the request may have been applied.
    MaybeApplied,
    /// HubSpot's daily limit: nothing helps until it resets.
    DailyLimit,
    /// `max_attempts` reached.
    AttemptsExhausted,
    /// Waiting would pass the deadline.
    DeadlineExceeded,
    /// The connection was refused again after the one quick retry: nothing listens there.
    ConnectRefused,
}

/// The decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Try again after `delay`.
    Retry {
        /// How long to wait first.
        delay: Duration,
        /// Why, for the debug log.
        reason: &'static str,
    },
    /// Give up.
    Stop(StopReason),
}

/// Retry settings. Defaults: 5 attempts, 200 ms base, 10 s cap on backoff, 60 s cap on
/// `Retry-After`, 60 s overall deadline, 30 s per attempt.
///
/// ```
/// use hubspot_postal::retry::{AttemptOutcome, Decision, RetryInput, RetryPolicy, StopReason};
/// use hubspot_postal::transport::{Idempotency, SendPhase};
/// use std::time::Duration;
///
/// let policy = RetryPolicy::default();
/// let input = |idempotency, outcome| RetryInput {
///     idempotency, outcome, attempt: 1, time_left: Duration::from_secs(60),
///     retry_after: None, backoff: Duration::from_millis(300), rate_window: Duration::from_secs(10),
/// };
/// // A create that may have reached HubSpot is never sent again...
/// assert_eq!(
///     policy.decide(&input(Idempotency::CreatesRecord, AttemptOutcome::Transport(SendPhase::MaybeSent))),
///     Decision::Stop(StopReason::MaybeApplied)
/// );
/// // ...but a create that never left the process is.
/// assert!(matches!(
///     policy.decide(&input(Idempotency::CreatesRecord, AttemptOutcome::Transport(SendPhase::NotSent))),
///     Decision::Retry { .. }
/// ));
/// // A read is repeated after a 503.
/// assert!(matches!(
///     policy.decide(&input(Idempotency::Idempotent, AttemptOutcome::Status { status: 503, policy: None })),
///     Decision::Retry { delay, .. } if delay == Duration::from_millis(300)
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 disables retries.
    pub max_attempts: u32,
    /// First backoff delay.
    pub base_delay: Duration,
    /// Longest backoff delay.
    pub max_delay: Duration,
    /// Longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    /// Overall deadline of one operation, retries and waits included.
    pub deadline: Duration,
    /// Timeout of one attempt.
    pub attempt_timeout: Duration,
    /// Wait for the search limit (5 per second): about a second.
    pub secondly_wait: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 5,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            deadline: Duration::from_secs(60),
            attempt_timeout: Duration::from_secs(30),
            secondly_wait: Duration::from_secs(1),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self {
            max_attempts: 1,
            ..Self::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn max_attempts(mut self, n: u32) -> Self {
        self.max_attempts = n.max(1);
        self
    }

    /// Sets the backoff base and cap.
    pub fn backoff(mut self, base: Duration, cap: Duration) -> Self {
        self.base_delay = base;
        self.max_delay = cap.max(base);
        self
    }

    /// Sets the overall deadline per operation.
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Sets the per-attempt timeout.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = timeout;
        self
    }

    /// Sets the longest `Retry-After` honoured.
    pub fn max_retry_after(mut self, cap: Duration) -> Self {
        self.max_retry_after = cap;
        self
    }

    /// A fresh sequence of exponential, jittered delays for one operation.
    pub fn backoff_delays(&self) -> impl Iterator<Item = Duration> + Send + use<> {
        ExponentialBuilder::default()
            .with_min_delay(self.base_delay)
            .with_max_delay(self.max_delay)
            .with_factor(2.0)
            .with_jitter()
            .without_max_times()
            .build()
    }

    /// The decision for one failed attempt. Pure: the same input gives the same answer.
    pub fn decide(&self, input: &RetryInput<'_>) -> Decision {
        let creates = !input.idempotency.is_idempotent();
        let retry_after = input.retry_after.map(|d| d.min(self.max_retry_after));
        let (delay, reason) = match input.outcome {
            AttemptOutcome::Transport(SendPhase::NotSent) => {
                (input.backoff, "request was not sent")
            }
            // Nothing listening (a stopped emulator, a wrong port) rarely changes within
            // seconds: one quick retry covers a server that is just restarting, then the
            // caller hears about it instead of waiting out the whole backoff.
            AttemptOutcome::ConnectRefused if input.attempt >= 2 => {
                return Decision::Stop(StopReason::ConnectRefused);
            }
            AttemptOutcome::ConnectRefused => (
                self.base_delay.min(input.backoff),
                "connection refused: one quick retry",
            ),
            AttemptOutcome::Transport(SendPhase::MaybeSent) if creates => {
                return Decision::Stop(StopReason::MaybeApplied);
            }
            AttemptOutcome::Transport(_) => (input.backoff, "no response to an idempotent request"),
            AttemptOutcome::Status {
                status: 429,
                policy,
            } => match policy {
                Some(RateLimitPolicy::Daily) => return Decision::Stop(StopReason::DailyLimit),
                Some(RateLimitPolicy::TenSecondlyRolling) => (
                    retry_after.unwrap_or(input.rate_window),
                    "ten-second window exhausted",
                ),
                Some(RateLimitPolicy::Secondly) => (
                    retry_after
                        .unwrap_or(self.secondly_wait)
                        .max(self.secondly_wait),
                    "search secondly limit",
                ),
                _ => (
                    retry_after.unwrap_or(input.backoff).max(input.backoff),
                    "rate limited",
                ),
            },
            // Any 5xx, from HubSpot or a proxy in front of it (502, 520, 524, …), may come after
            // the write was applied.
            AttemptOutcome::Status { status, .. } if creates && is_server_error(status) => {
                return Decision::Stop(StopReason::MaybeApplied);
            }
            AttemptOutcome::Status { status, .. } if is_retryable_server_error(status) => (
                retry_after.unwrap_or(input.backoff).max(input.backoff),
                "transient server error",
            ),
            AttemptOutcome::Status { status: 423, .. } if !creates => {
                // G-ERR: "Locked", wait at least 2 seconds.
                (
                    retry_after.unwrap_or_default().max(Duration::from_secs(2)),
                    "locked",
                )
            }
            AttemptOutcome::Status { .. } => return Decision::Stop(StopReason::NotTransient),
        };
        if input.attempt >= self.max_attempts {
            return Decision::Stop(StopReason::AttemptsExhausted);
        }
        if delay >= input.time_left {
            return Decision::Stop(StopReason::DeadlineExceeded);
        }
        Decision::Retry { delay, reason }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Idempotency::{CreatesRecord as C, Idempotent as I};

    const BACKOFF: Duration = Duration::from_millis(300);
    const WINDOW: Duration = Duration::from_secs(10);

    fn run(
        idem: Idempotency,
        outcome: AttemptOutcome<'_>,
        attempt: u32,
        left: u64,
        ra: Option<u64>,
    ) -> Decision {
        RetryPolicy::default().decide(&RetryInput {
            idempotency: idem,
            outcome,
            attempt,
            time_left: Duration::from_secs(left),
            retry_after: ra.map(Duration::from_secs),
            backoff: BACKOFF,
            rate_window: WINDOW,
        })
    }

    fn retry(delay: Duration) -> impl Fn(Decision) -> bool {
        move |d| matches!(d, Decision::Retry { delay: got, .. } if got == delay)
    }

    fn stop(reason: StopReason) -> impl Fn(Decision) -> bool {
        move |d| d == Decision::Stop(reason)
    }

    #[test]
    fn decision_table() {
        use AttemptOutcome::{ConnectRefused, Status, Transport};
        use SendPhase::{MaybeSent, NotSent};
        let ten = RateLimitPolicy::TenSecondlyRolling;
        let daily = RateLimitPolicy::Daily;
        let secondly = RateLimitPolicy::Secondly;
        let other = RateLimitPolicy::Other("X".into());
        let s = |status| Status {
            status,
            policy: None,
        };
        let rl = |p| Status {
            status: 429,
            policy: Some(p),
        };
        #[allow(clippy::type_complexity)]
        let table: Vec<(
            Idempotency,
            AttemptOutcome<'_>,
            u32,
            u64,
            Option<u64>,
            Box<dyn Fn(Decision) -> bool>,
            &str,
        )> = vec![
            (
                C,
                Transport(NotSent),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "create not sent: retry",
            ),
            (
                C,
                Transport(MaybeSent),
                1,
                60,
                None,
                Box::new(stop(StopReason::MaybeApplied)),
                "create maybe sent: stop",
            ),
            (
                C,
                ConnectRefused,
                1,
                60,
                None,
                Box::new(retry(Duration::from_millis(200))),
                "create refused: one quick retry at the base delay",
            ),
            (
                I,
                ConnectRefused,
                2,
                60,
                None,
                Box::new(stop(StopReason::ConnectRefused)),
                "refused twice: stop",
            ),
            (
                I,
                Transport(MaybeSent),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "read maybe sent: retry",
            ),
            (
                I,
                Transport(NotSent),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "read not sent: retry",
            ),
            (
                C,
                s(500),
                1,
                60,
                None,
                Box::new(stop(StopReason::MaybeApplied)),
                "create 500: stop",
            ),
            (
                C,
                s(503),
                1,
                60,
                None,
                Box::new(stop(StopReason::MaybeApplied)),
                "create 503: stop",
            ),
            (
                I,
                s(502),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "read 502: retry",
            ),
            (
                I,
                s(504),
                1,
                60,
                Some(5),
                Box::new(retry(Duration::from_secs(5))),
                "read 504 honours retry-after",
            ),
            (
                C,
                rl(&ten),
                1,
                60,
                None,
                Box::new(retry(WINDOW)),
                "create 429 ten-secondly: wait window",
            ),
            (
                I,
                rl(&ten),
                1,
                60,
                Some(3),
                Box::new(retry(Duration::from_secs(3))),
                "429 retry-after wins",
            ),
            (
                I,
                rl(&ten),
                1,
                120,
                Some(3600),
                Box::new(retry(Duration::from_secs(60))),
                "retry-after capped",
            ),
            (
                C,
                rl(&daily),
                1,
                60,
                None,
                Box::new(stop(StopReason::DailyLimit)),
                "daily: fail fast",
            ),
            (
                I,
                rl(&secondly),
                1,
                60,
                None,
                Box::new(retry(Duration::from_secs(1))),
                "search secondly: ~1 s",
            ),
            (
                I,
                rl(&other),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "unknown policy: backoff",
            ),
            (
                C,
                s(429),
                1,
                60,
                None,
                Box::new(retry(BACKOFF)),
                "429 without policy: backoff",
            ),
            (
                I,
                s(423),
                1,
                60,
                None,
                Box::new(retry(Duration::from_secs(2))),
                "423 locked: 2 s",
            ),
            (
                C,
                s(423),
                1,
                60,
                None,
                Box::new(stop(StopReason::NotTransient)),
                "create 423: stop",
            ),
            (
                I,
                s(400),
                1,
                60,
                None,
                Box::new(stop(StopReason::NotTransient)),
                "400: stop",
            ),
            (
                I,
                s(404),
                1,
                60,
                None,
                Box::new(stop(StopReason::NotTransient)),
                "404: stop",
            ),
            (
                I,
                s(401),
                1,
                60,
                None,
                Box::new(stop(StopReason::NotTransient)),
                "401: stop",
            ),
            (
                I,
                s(503),
                5,
                60,
                None,
                Box::new(stop(StopReason::AttemptsExhausted)),
                "attempts exhausted",
            ),
            (
                I,
                rl(&ten),
                1,
                5,
                None,
                Box::new(stop(StopReason::DeadlineExceeded)),
                "window longer than deadline",
            ),
            (
                I,
                s(503),
                1,
                0,
                None,
                Box::new(stop(StopReason::DeadlineExceeded)),
                "no time left",
            ),
        ];
        for (idem, outcome, attempt, left, ra, check, name) in table {
            let d = run(idem, outcome, attempt, left, ra);
            assert!(check(d), "{name}: got {d:?}");
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let p =
            RetryPolicy::default().backoff(Duration::from_millis(100), Duration::from_millis(800));
        let delays: Vec<_> = p.backoff_delays().take(8).collect();
        assert_eq!(delays.len(), 8);
        // Jitter adds at most one base delay on top of the exponential value.
        for d in &delays {
            assert!(
                *d >= Duration::from_millis(100) && *d <= Duration::from_millis(1_600),
                "{d:?}"
            );
        }
        assert!(delays[3] >= Duration::from_millis(800));
    }
}

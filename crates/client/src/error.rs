//! `Error`: everything an operation can fail with, printable (status, category, message,
//! correlation id) and matchable, with the accessors retry code and callers need.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hubspot_postal_model::engagement::CreatePostalMail;
use hubspot_postal_model::error::{ErrorBody, RateLimitPolicy};
use hubspot_postal_model::ids::PostalMailId;
use hubspot_postal_model::pin::PinTarget;
use hubspot_postal_model::validation::ValidationError;
use hubspot_postal_transport::{SendPhase, TransportError};

/// Shorthand for this crate's results.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A non-success answer from HubSpot.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// The operation (`create`, `get`, …).
    pub operation: &'static str,
    /// HTTP status.
    pub status: u16,
    /// The decoded error body; empty when the body was not HubSpot's JSON.
    pub body: ErrorBody,
    /// `correlationId` from the body, or the `X-HubSpot-Correlation-Id` header.
    pub correlation_id: Option<String>,
}

impl ApiError {
    /// `category`, e.g. `VALIDATION_ERROR`.
    pub fn category(&self) -> Option<&str> {
        self.body.category.as_deref()
    }

    /// `message`.
    pub fn message(&self) -> Option<&str> {
        self.body.message.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: HTTP {}", self.operation, self.status)?;
        if let Some(c) = self.category() {
            write!(f, " {c}")?;
        }
        if let Some(m) = self.message() {
            write!(f, ": {m}")?;
        }
        if let Some(id) = &self.correlation_id {
            write!(f, " (correlation id {id})")?;
        }
        Ok(())
    }
}

/// A 429 that the client did not (or could no longer) wait out.
#[derive(Debug, Clone, PartialEq)]
pub struct RateLimitError {
    /// The API error itself.
    pub api: ApiError,
    /// Which limit (`policyName`, or recognised from the message).
    pub policy: Option<RateLimitPolicy>,
    /// How long HubSpot asked to wait, if it said.
    pub retry_after: Option<Duration>,
}

/// Why a decode failed, with where in the JSON and what the body looked like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The operation.
    pub operation: &'static str,
    /// HTTP status of the response.
    pub status: u16,
    /// JSON path of the failure (`results[3].createdAt`), `.` at the top.
    pub path: String,
    /// serde's message.
    pub message: String,
    /// The first characters of the body, with letter text masked.
    pub excerpt: String,
}

/// Everything an operation can fail with.
///
/// ```
/// # async fn run(client: hubspot_postal::Client, id: hubspot_postal::model::ids::PostalMailId) {
/// use hubspot_postal::Error;
/// match client.get(&id, &Default::default()).await {
///     Ok(letter) => println!("{letter:?}"),
///     Err(e) if e.status() == Some(404) => println!("no such letter"),
///     Err(e) if e.may_have_been_applied() => println!("reconcile before retrying: {e}"),
///     Err(e) => println!("{e} (correlation id {:?})", e.correlation_id()),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// HubSpot answered with an error status.
    #[error("{0}")]
    Api(Box<ApiError>),
    /// A 429 that was not retried (daily limit, or retries exhausted).
    #[error("{}{}", .0.api, match (&.0.policy, .0.retry_after) {
        (Some(RateLimitPolicy::Daily), _) => " [daily limit: no retry until it resets at midnight in the portal's time zone]".to_string(),
        (_, Some(d)) => format!(" [retry after {d:?}]"),
        _ => String::new(),
    })]
    RateLimited(Box<RateLimitError>),
    /// No response was received.
    #[error("{operation} failed: {source}")]
    Transport {
        /// The operation.
        operation: &'static str,
        /// The transport's error, with its send phase.
        #[source]
        source: TransportError,
    },
    /// A write that makes new records failed after the request may have reached HubSpot.
    /// It was not retried, because a retry could log the letter twice. Look the records up
    /// (for example by searching for the body or a unique property) before writing again.
    #[error("{operation} may have been applied; not retried so that no letter is duplicated ({} input(s) to reconcile): {source}", inputs.len())]
    MaybeApplied {
        /// The operation.
        operation: &'static str,
        /// The inputs that may or may not now exist in HubSpot.
        inputs: Vec<CreatePostalMail>,
        /// What happened.
        #[source]
        source: Box<Error>,
    },
    /// The response was not the JSON this operation expects (an HTML error page from a proxy,
    /// a truncated body, an unexpected shape).
    #[error("{} failed: could not decode the HTTP {} response at {}: {} (body starts {:?})", .0.operation, .0.status, .0.path, .0.message, .0.excerpt)]
    Decode(Box<DecodeError>),
    /// The input was rejected before anything was sent.
    #[error("invalid input: {0}")]
    Validation(#[from] ValidationError),
    /// `pin` refused: the postal mail is not associated with the record, which HubSpot requires.
    #[error("postal mail {engagement} is not associated with {} {}; associate it before pinning", target.object_type().singular(), target.id())]
    NotAssociated {
        /// The postal mail.
        engagement: PostalMailId,
        /// The record.
        target: PinTarget,
    },
    /// The operation's overall deadline passed before it could complete.
    #[error("{operation} gave up after {attempts} attempt(s): deadline of {deadline:?} exceeded{}", last.as_ref().map(|e| format!("; last error: {e}")).unwrap_or_default())]
    DeadlineExceeded {
        /// The operation.
        operation: &'static str,
        /// Attempts made.
        attempts: u32,
        /// The deadline.
        deadline: Duration,
        /// The last failure before giving up.
        last: Option<Box<Error>>,
    },
    /// A list or search returned a cursor it had returned before; following it would loop.
    #[error(
        "{operation}: HubSpot returned the cursor {cursor:?} twice; stopping instead of looping"
    )]
    CursorRepeated {
        /// The operation.
        operation: &'static str,
        /// The repeated cursor.
        cursor: String,
    },
    /// A request in a batch failed as a whole; shared by every input of that chunk.
    #[error("{0}")]
    Shared(Arc<Error>),
    /// The client could not be built.
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when HubSpot answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(a) => Some(a.status),
            Error::RateLimited(r) => Some(r.api.status),
            Error::Decode(d) => Some(d.status),
            Error::MaybeApplied { source, .. } => source.status(),
            Error::DeadlineExceeded { last, .. } => last.as_ref().and_then(|e| e.status()),
            Error::Shared(e) => e.status(),
            _ => None,
        }
    }

    /// HubSpot's error category (`VALIDATION_ERROR`, `OBJECT_NOT_FOUND`, `RATE_LIMITS`, …).
    pub fn category(&self) -> Option<&str> {
        self.api().and_then(ApiError::category)
    }

    /// HubSpot's correlation id, for support requests.
    pub fn correlation_id(&self) -> Option<&str> {
        self.api().and_then(|a| a.correlation_id.as_deref())
    }

    /// The API error inside, if any.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::Api(a) => Some(a.as_ref()),
            Error::RateLimited(r) => Some(&r.api),
            Error::MaybeApplied { source, .. } => source.api(),
            Error::DeadlineExceeded { last, .. } => last.as_ref().and_then(|e| e.api()),
            Error::Shared(e) => e.api(),
            _ => None,
        }
    }

    /// How long HubSpot asked to wait, for a 429.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::RateLimited(r) => r.retry_after,
            Error::Shared(e) => e.retry_after(),
            _ => None,
        }
    }

    /// The rate limit policy of a 429.
    pub fn rate_limit_policy(&self) -> Option<&RateLimitPolicy> {
        match self {
            Error::RateLimited(r) => r.policy.as_ref(),
            Error::Shared(e) => e.rate_limit_policy(),
            _ => None,
        }
    }

    /// Whether the same call could succeed later: transient statuses, 429s other than the
    /// daily limit, and transport failures. A create that may have been applied is *not*
    /// retryable as-is.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Api(a) => crate::retry::is_retryable_status(a.status),
            Error::RateLimited(r) => r.policy != Some(RateLimitPolicy::Daily),
            Error::Transport { .. } | Error::DeadlineExceeded { .. } => true,
            Error::Shared(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// Whether the request may have changed data in HubSpot although it failed. Always true for
    /// [`Error::MaybeApplied`]; also true for an idempotent write whose last attempt was cut off
    /// after sending.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::MaybeApplied { .. } => true,
            Error::Transport { source, .. } => source.phase() == SendPhase::MaybeSent,
            Error::Api(a) => crate::retry::is_server_error(a.status),
            Error::DeadlineExceeded { last, .. } => {
                last.as_ref().is_some_and(|e| e.may_have_been_applied())
            }
            Error::Shared(e) => e.may_have_been_applied(),
            _ => false,
        }
    }

    /// The inputs to reconcile after [`Error::MaybeApplied`].
    pub fn unreconciled_inputs(&self) -> &[CreatePostalMail] {
        match self {
            Error::MaybeApplied { inputs, .. } => inputs,
            Error::Shared(e) => e.unreconciled_inputs(),
            _ => &[],
        }
    }
}

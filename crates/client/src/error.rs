//! `Error`: everything an operation can fail with, printable (status, category, message,
//! correlation id) and matchable, with the accessors retry code and callers need.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use hubspot_postal_model::endpoints::NotInVersion;
use hubspot_postal_model::engagement::CreatePostalMail;
use hubspot_postal_model::error::{ErrorBody, RateLimitPolicy, StandardError};
use hubspot_postal_model::ids::PostalMailId;
use hubspot_postal_model::object_type::ObjectType;
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
    /// The error of one item of a batch answer (HTTP `status`), as an error of its own.
    pub(crate) fn of_item(operation: &'static str, status: u16, item: &StandardError) -> Self {
        Self {
            operation,
            status,
            body: ErrorBody {
                status: item.status.clone(),
                message: item.message.clone(),
                category: item.category.clone(),
                sub_category: item.sub_category.clone(),
                errors: item.errors.clone(),
                context: item.context.clone(),
                links: item.links.clone(),
                ..ErrorBody::default()
            },
            correlation_id: None,
        }
    }

    /// `category`, e.g. `VALIDATION_ERROR`.
    pub fn category(&self) -> Option<&str> {
        self.body.category.as_deref()
    }

    /// `message`.
    pub fn message(&self) -> Option<&str> {
        self.body.message.as_deref()
    }
}

impl ApiError {
    /// The record HubSpot's own body says is missing, from its `context` (`objectType` with
    /// `id` or `ids`), for a 404 or an `OBJECT_NOT_FOUND`.
    ///
    /// ```
    /// use hubspot_postal::ApiError;
    /// use hubspot_postal::model::object_type::ObjectType;
    /// let body = serde_json::from_value(serde_json::json!({
    ///     "category": "OBJECT_NOT_FOUND",
    ///     "context": {"id": ["424242"], "objectType": ["contacts"]}
    /// })).unwrap();
    /// let api = ApiError { operation: "create", status: 404, body, correlation_id: None };
    /// assert_eq!(api.missing_record(), Some((ObjectType::Contact, "424242".to_owned())));
    /// assert!(api.to_string().starts_with("create failed: contact 424242 does not exist"));
    /// ```
    pub fn missing_record(&self) -> Option<(ObjectType, String)> {
        if !self.is_not_found() {
            return None;
        }
        let context = self.body.context.as_ref()?;
        let first = |key: &str| context.get(key).and_then(|v| v.first());
        let object_type = first("objectType")?.parse().ok()?;
        let id = first("id").or_else(|| first("ids"))?;
        Some((object_type, id.clone()))
    }

    /// Whether HubSpot says a record does not exist: a 404, or the `OBJECT_NOT_FOUND` category.
    pub fn is_not_found(&self) -> bool {
        self.status == 404 || self.category() == Some("OBJECT_NOT_FOUND")
    }

    /// Whether `id` is among the ids HubSpot's body names (its `context`, or its message).
    pub(crate) fn mentions(&self, id: &str) -> bool {
        let in_context = self
            .body
            .context
            .iter()
            .flat_map(|c| c.values().flatten())
            .any(|v| v == id);
        let in_message = self.message().is_some_and(|m| {
            m.split(|c: char| !c.is_ascii_alphanumeric())
                .any(|word| word == id)
        });
        in_context || in_message
    }

    /// `HTTP 404 OBJECT_NOT_FOUND: message (correlation id …)`, what every API error ends with.
    fn write_answer(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "HTTP {}", self.status)?;
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

/// `create failed: contact 424242 does not exist: HTTP 404 …`: one wording for a missing
/// record, whether HubSpot's body or the request named it.
struct Missing<'a> {
    api: &'a ApiError,
    object_type: &'a ObjectType,
    id: &'a str,
}

impl fmt::Display for Missing<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: ", self.api.operation)?;
        match self.object_type {
            // Postal mail reads as two words.
            ObjectType::PostalMail => f.write_str("postal mail")?,
            other => f.write_str(other.singular())?,
        }
        write!(f, " {} does not exist: ", self.id)?;
        self.api.write_answer(f)
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some((object_type, id)) = self.missing_record() {
            let missing = Missing {
                api: self,
                object_type: &object_type,
                id: &id,
            };
            return missing.fmt(f);
        }
        write!(f, "{} failed: ", self.operation)?;
        if self.status == 401 {
            // The token's value is never printed; where it came from is the caller's to say.
            f.write_str("HubSpot rejected the access token: ")?;
        }
        self.write_answer(f)
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
    /// HubSpot answered that a record this request named does not exist (404 or
    /// `OBJECT_NOT_FOUND`): the error says which one, from HubSpot's body or, when the body does
    /// not say, from what the request addressed.
    #[error("{}", Missing { api, object_type, id })]
    NotFound {
        /// The missing record's object type.
        object_type: ObjectType,
        /// The missing record's id.
        id: String,
        /// HubSpot's answer.
        api: Box<ApiError>,
    },
    /// A blocking client (`hubspot-postal-blocking`) was called from inside an async runtime,
    /// where blocking would stall the executor. Nothing was sent.
    #[error(
        "{operation}: hubspot-postal-blocking was called from inside an async runtime, where blocking would stall the executor. Use the async hubspot_postal::Client there (`Client::async_client` gives this client's), or call the blocking client from a thread outside the runtime (std::thread::spawn). Threads of tokio::task::spawn_blocking count as inside the runtime: there, run `tokio::runtime::Handle::current().block_on(..)` on the async client's future."
    )]
    InAsyncRuntime {
        /// The operation.
        operation: &'static str,
    },
    /// A blocking client's call passed its overall timeout and was cancelled; whatever was in
    /// flight may have reached HubSpot.
    #[error(
        "{operation} failed: timed out: no result within the call timeout of {timeout:?}; the call was cancelled and may have reached HubSpot (hubspot_postal_blocking::ClientBuilder::timeout sets it)"
    )]
    CallTimedOut {
        /// The operation.
        operation: &'static str,
        /// The call timeout that passed.
        timeout: Duration,
    },
    /// A blocking client's call ended without a result: it panicked, or the client's runtime
    /// thread has stopped. Whatever was in flight may have reached HubSpot.
    #[error(
        "{operation} failed: the call ended without a result (it panicked, or the blocking client's runtime thread has stopped)"
    )]
    CallLost {
        /// The operation.
        operation: &'static str,
    },
    /// A request in a batch failed as a whole; shared by every input of that chunk.
    #[error("{0}")]
    Shared(Arc<Error>),
    /// The operation does not exist in the client's API version; nothing was sent. The error
    /// names the versions that have it ([`ClientBuilder::api_version`](crate::ClientBuilder::api_version) picks one).
    #[error("{0}")]
    NotInVersion(#[from] NotInVersion),
    /// The client could not be built.
    #[error("configuration: {0}")]
    Config(String),
}

impl Error {
    /// The HTTP status, when HubSpot answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::Api(a) | Error::NotFound { api: a, .. } => Some(a.status),
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
            Error::Api(a) | Error::NotFound { api: a, .. } => Some(a.as_ref()),
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
            Error::Transport { .. }
            | Error::DeadlineExceeded { .. }
            | Error::CallTimedOut { .. }
            | Error::CallLost { .. } => true,
            Error::Shared(e) => e.is_retryable(),
            _ => false,
        }
    }

    /// Whether the request may have changed data in HubSpot although it failed. Always true for
    /// [`Error::MaybeApplied`]; also true for an idempotent write whose last attempt was cut off
    /// after sending.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            Error::MaybeApplied { .. } | Error::CallTimedOut { .. } | Error::CallLost { .. } => {
                true
            }
            Error::Transport { source, .. } => source.phase() == SendPhase::MaybeSent,
            Error::Api(a) => crate::retry::is_server_error(a.status),
            Error::DeadlineExceeded { last, .. } => {
                last.as_ref().is_some_and(|e| e.may_have_been_applied())
            }
            Error::Shared(e) => e.may_have_been_applied(),
            _ => false,
        }
    }

    /// Turns a "not found" answer into [`Error::NotFound`] naming the missing record: the one
    /// HubSpot's body names, else the one record the request addressed, else the addressed
    /// record whose id the body mentions. Any other error is returned as it is.
    pub(crate) fn naming_missing(self, addressed: &[(ObjectType, String)]) -> Error {
        let Error::Api(api) = self else {
            return self;
        };
        if !api.is_not_found() {
            return Error::Api(api);
        }
        let found = api.missing_record().or_else(|| match addressed {
            [only] => Some(only.clone()),
            many => many.iter().find(|(_, id)| api.mentions(id)).cloned(),
        });
        match found {
            Some((object_type, id)) => Error::NotFound {
                object_type,
                id,
                api,
            },
            None => Error::Api(api),
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

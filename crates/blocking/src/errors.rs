//! The errors this facade adds to [`hubspot_postal::Error`]: a call from inside an async
//! runtime, a call that timed out, and a runtime thread that is gone. They are values of the
//! async client's error type (so one `match` handles both clients), recognised by
//! [`is_async_context_error`] and [`is_timeout_error`].

use std::time::Duration;

use hubspot_postal::Error;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::transport::{SendPhase, TransportError, TransportErrorKind};

/// Starts the message of the error returned inside an async runtime.
const ASYNC_CONTEXT: &str = "hubspot-postal-blocking was called from inside an async runtime";

/// Starts the message of the transport error of a call that timed out.
const TIMED_OUT: &str = "hubspot-postal-blocking: no result within the call timeout of";

/// Whether this thread is inside a tokio runtime context, where blocking is refused.
///
/// `Handle::try_current` is the only check tokio offers that never panics. It is also true on
/// the threads of `tokio::task::spawn_blocking`, where blocking would be harmless, and tokio
/// gives no way to tell those apart; the error message says what to do there.
pub(crate) fn in_async_context() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

/// The error every operation returns when called inside an async runtime.
pub(crate) fn async_context(operation: &'static str) -> Error {
    Error::Config(format!(
        "{ASYNC_CONTEXT} (`{operation}`), where blocking would stall the executor. \
         Use the async hubspot_postal::Client there (`Client::async_client` gives this \
         client's), or call the blocking client from a thread outside the runtime \
         (std::thread::spawn). Threads of tokio::task::spawn_blocking count as inside the \
         runtime: there, run `tokio::runtime::Handle::current().block_on(..)` on the async \
         client's future."
    ))
}

/// The error of a call whose overall timeout passed; its work was cancelled.
pub(crate) fn timed_out(operation: &'static str, timeout: Duration) -> Error {
    Error::Transport {
        operation,
        source: TransportError::new(
            TransportErrorKind::Timeout,
            // Whatever was in flight may have reached HubSpot before it was cancelled.
            SendPhase::MaybeSent,
            format!(
                "{TIMED_OUT} {timeout:?}; the call was cancelled \
                 (hubspot_postal_blocking::ClientBuilder::timeout sets it)"
            ),
        ),
    }
}

/// The error of a call whose task ended without an answer.
pub(crate) fn lost(operation: &'static str) -> Error {
    Error::Transport {
        operation,
        source: TransportError::new(
            TransportErrorKind::Other,
            SendPhase::MaybeSent,
            "hubspot-postal-blocking: the call ended without a result \
             (it panicked, or the client's runtime thread has stopped)",
        ),
    }
}

/// Starts the message of every transport error this facade makes itself.
const OURS: &str = "hubspot-postal-blocking:";

/// After a write that makes records was cut off here (timed out, or lost), the records may
/// exist: say so with the inputs to reconcile, as the async client does after a maybe-sent
/// failure. Any other error is returned as it is.
pub(crate) fn reconcile(
    operation: &'static str,
    inputs: Vec<CreatePostalMail>,
    error: Error,
) -> Error {
    match &error {
        Error::Transport { source, .. } if source.message().starts_with(OURS) => {
            Error::MaybeApplied {
                operation,
                inputs,
                source: Box::new(error),
            }
        }
        _ => error,
    }
}

/// Whether `error` is the one returned by a call made from inside an async runtime.
///
/// ```
/// use hubspot_postal_blocking::{Client, is_async_context_error};
/// use hubspot_postal_blocking::model::object_type::ObjectType;
/// # fn main() -> Result<(), hubspot_postal_blocking::Error> {
/// let client = Client::builder().token("pat-test").base_url("http://127.0.0.1:9").build()?;
/// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
/// let error = runtime
///     .block_on(async { client.association_labels(&ObjectType::Contact) })
///     .unwrap_err();
/// assert!(is_async_context_error(&error));
/// # Ok(()) }
/// ```
pub fn is_async_context_error(error: &Error) -> bool {
    match error {
        Error::Config(message) => message.starts_with(ASYNC_CONTEXT),
        Error::Shared(inner) => is_async_context_error(inner),
        _ => false,
    }
}

/// Whether `error` says the call's overall timeout
/// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)) passed, directly or inside
/// [`Error::MaybeApplied`] (a create that timed out).
pub fn is_timeout_error(error: &Error) -> bool {
    match error {
        Error::Transport { source, .. } => {
            source.kind() == TransportErrorKind::Timeout && source.message().starts_with(TIMED_OUT)
        }
        Error::MaybeApplied { source, .. } => is_timeout_error(source),
        Error::Shared(inner) => is_timeout_error(inner),
        _ => false,
    }
}

//! The errors this facade returns of its own, and how to recognise them: a call from inside an
//! async runtime ([`Error::InAsyncRuntime`]), a call that timed out ([`Error::CallTimedOut`])
//! and a runtime thread that is gone ([`Error::CallLost`]). They are variants of the async
//! client's error type, so one `match` handles both clients; [`is_async_context_error`] and
//! [`is_timeout_error`] also look inside [`Error::Shared`] and [`Error::MaybeApplied`].

use hubspot_postal::Error;
use hubspot_postal::model::engagement::CreatePostalMail;

/// Whether this thread is inside a tokio runtime context, where blocking is refused.
///
/// `Handle::try_current` is the only check tokio offers that never panics. It is also true on
/// the threads of `tokio::task::spawn_blocking`, where blocking would be harmless, and tokio
/// gives no way to tell those apart; the error message says what to do there.
pub(crate) fn in_async_context() -> bool {
    tokio::runtime::Handle::try_current().is_ok()
}

/// After a write that makes records was cut off here (timed out, or lost), the records may
/// exist: say so with the inputs to reconcile, as the async client does after a maybe-sent
/// failure. Any other error is returned as it is.
pub(crate) fn reconcile(
    operation: &'static str,
    inputs: Vec<CreatePostalMail>,
    error: Error,
) -> Error {
    match &error {
        Error::CallTimedOut { .. } | Error::CallLost { .. } => Error::MaybeApplied {
            operation,
            inputs,
            source: Box::new(error),
        },
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
        Error::InAsyncRuntime { .. } => true,
        Error::Shared(inner) => is_async_context_error(inner),
        _ => false,
    }
}

/// Whether `error` says the call's overall timeout
/// ([`ClientBuilder::timeout`](crate::ClientBuilder::timeout)) passed, directly or inside
/// [`Error::MaybeApplied`] (a create that timed out).
pub fn is_timeout_error(error: &Error) -> bool {
    match error {
        Error::CallTimedOut { .. } => true,
        Error::MaybeApplied { source, .. } => is_timeout_error(source),
        Error::Shared(inner) => is_timeout_error(inner),
        _ => false,
    }
}

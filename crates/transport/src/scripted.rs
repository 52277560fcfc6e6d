//! A transport that replays answers written by a test and records every request.

use std::collections::VecDeque;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use async_trait::async_trait;
use http::StatusCode;

use crate::{Request, Response, SendPhase, Transport, TransportError, TransportErrorKind};

type Responder = dyn Fn(&Request) -> Result<Response, TransportError> + Send + Sync;

/// A [`Transport`] for tests: answers come from a queue (or a function), requests are recorded.
///
/// Clones share one queue and one record, so a test can keep a clone to inspect what the client
/// sent after handing another clone to the client. It never panics: when it has no answer left
/// it returns a [`TransportErrorKind::Other`] error with [`SendPhase::NotSent`].
///
/// ```
/// use hubspot_postal_transport::{BaseUrl, Idempotency, Operation, Request, ScriptedTransport, Transport};
/// use hubspot_postal_transport::http::{Method, StatusCode};
///
/// # tokio_test_block_on(async {
/// let transport = ScriptedTransport::new();
/// transport.push_json(201, serde_json::json!({ "id": "512" }));
///
/// const CREATE: Operation =
///     Operation::new("postal_mail.create", "/crm/v3/objects/postal_mail", Idempotency::CreatesRecord);
/// let request = Request::new(Method::POST, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail", CREATE)
///     .with_body(r#"{"properties":{}}"#);
///
/// let response = transport.send(request).await?;
/// assert_eq!(response.status, StatusCode::CREATED);
/// assert_eq!(transport.requests()[0].path_and_query, "/crm/v3/objects/postal_mail");
///
/// // Nothing left: an error, not a panic.
/// let again = Request::new(Method::GET, BaseUrl::hubspot(), "/crm/v3/objects/postal_mail/512", CREATE);
/// assert!(transport.send(again).await.is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// # fn tokio_test_block_on<F: std::future::Future>(f: F) -> F::Output {
/// #     tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(f)
/// # }
/// ```
#[derive(Clone)]
pub struct ScriptedTransport {
    state: Arc<Mutex<State>>,
}

struct State {
    answers: VecDeque<Result<Response, TransportError>>,
    requests: Vec<Request>,
    responder: Option<Arc<Responder>>,
}

impl ScriptedTransport {
    /// An empty script: push answers before sending.
    #[must_use]
    pub fn new() -> Self {
        Self::with_responder(None)
    }

    /// A transport that answers with `responder` whenever the queue is empty.
    ///
    /// With nothing pushed, `responder` answers every request. Pushed answers still come first,
    /// which lets a test script a few failures before the steady answer.
    #[must_use]
    pub fn from_fn<F>(responder: F) -> Self
    where
        F: Fn(&Request) -> Result<Response, TransportError> + Send + Sync + 'static,
    {
        Self::with_responder(Some(Arc::new(responder)))
    }

    fn with_responder(responder: Option<Arc<Responder>>) -> Self {
        Self {
            state: Arc::new(Mutex::new(State {
                answers: VecDeque::new(),
                requests: Vec::new(),
                responder,
            })),
        }
    }

    /// Queues an answer, a response or an error.
    pub fn push(&self, answer: Result<Response, TransportError>) {
        self.lock().answers.push_back(answer);
    }

    /// Queues a response.
    pub fn push_response(&self, response: Response) {
        self.push(Ok(response));
    }

    /// Queues a JSON response with `Content-Type: application/json`.
    ///
    /// A `status` outside `100..=999` is queued as `500`, so a typo shows up as a failing
    /// assertion rather than a panic.
    #[expect(
        clippy::needless_pass_by_value,
        reason = "tests pass `json!(..)` straight in; a reference would only add noise"
    )]
    pub fn push_json(&self, status: u16, body: serde_json::Value) {
        let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.push_response(Response::json(status, &body));
    }

    /// Queues a transport error.
    pub fn push_error(&self, error: TransportError) {
        self.push(Err(error));
    }

    /// Every request sent so far, oldest first.
    #[must_use]
    pub fn requests(&self) -> Vec<Request> {
        self.lock().requests.clone()
    }

    /// How many requests were sent so far.
    #[must_use]
    pub fn request_count(&self) -> usize {
        self.lock().requests.len()
    }

    /// How many queued answers are left (not counting the function of [`from_fn`](Self::from_fn)).
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.lock().answers.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A test that panicked while holding the lock must not make every later call panic too.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn answer(&self, request: &Request) -> Result<Response, TransportError> {
        let (queued, responder) = {
            let mut state = self.lock();
            state.requests.push(request.clone());
            (state.answers.pop_front(), state.responder.clone())
        };
        // The function runs without the lock held, so it may itself inspect this transport.
        match (queued, responder) {
            (Some(answer), _) => answer,
            (None, Some(responder)) => responder(request),
            (None, None) => Err(TransportError::new(
                TransportErrorKind::Other,
                SendPhase::NotSent,
                format!(
                    "scripted transport has no answer left for {} {}",
                    request.method, request.path_and_query
                ),
            )),
        }
    }
}

impl Default for ScriptedTransport {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for ScriptedTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.lock();
        f.debug_struct("ScriptedTransport")
            .field("requests", &state.requests.len())
            .field("remaining", &state.answers.len())
            .field("has_fn", &state.responder.is_some())
            .finish()
    }
}

#[async_trait]
impl Transport for ScriptedTransport {
    async fn send(&self, request: Request) -> Result<Response, TransportError> {
        self.answer(&request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BaseUrl, Idempotency, Operation};
    use http::Method;
    use std::sync::atomic::{AtomicUsize, Ordering};

    const OP: Operation = Operation::new("test.op", "/t/{n}", Idempotency::Idempotent);

    fn get(path: &str) -> Request {
        Request::new(Method::GET, BaseUrl::hubspot(), path, OP)
    }

    #[tokio::test]
    async fn answers_in_order_and_records_requests() {
        let transport = ScriptedTransport::new();
        transport.push_json(200, serde_json::json!({ "n": 1 }));
        transport.push_error(TransportError::new(
            TransportErrorKind::Timeout,
            SendPhase::MaybeSent,
            "slow",
        ));
        transport.push_response(Response::new(StatusCode::NO_CONTENT));
        assert_eq!(transport.remaining(), 3);

        let first = transport.send(get("/t/1")).await.unwrap();
        assert_eq!(first.status, StatusCode::OK);
        assert_eq!(&first.body[..], br#"{"n":1}"#);
        let second = transport.send(get("/t/2")).await.unwrap_err();
        assert_eq!(second.kind(), TransportErrorKind::Timeout);
        assert!(second.is_maybe_sent());
        let third = transport.send(get("/t/3")).await.unwrap();
        assert_eq!(third.status, StatusCode::NO_CONTENT);

        assert_eq!(transport.remaining(), 0);
        assert_eq!(transport.request_count(), 3);
        let paths: Vec<_> = transport
            .requests()
            .into_iter()
            .map(|r| r.path_and_query)
            .collect();
        assert_eq!(paths, ["/t/1", "/t/2", "/t/3"]);
    }

    #[tokio::test]
    async fn exhausted_script_returns_not_sent_error_and_still_records() {
        let transport = ScriptedTransport::new();
        let err = transport.send(get("/t/9?limit=1")).await.unwrap_err();
        assert_eq!(err.kind(), TransportErrorKind::Other);
        assert_eq!(err.phase(), SendPhase::NotSent);
        assert_eq!(
            err.to_string(),
            "transport error (request not sent): scripted transport has no answer left for GET /t/9?limit=1"
        );
        assert_eq!(transport.request_count(), 1);
    }

    #[tokio::test]
    async fn clones_share_the_script_and_the_record() {
        let transport = ScriptedTransport::new();
        let handed_out = transport.clone();
        transport.push_json(200, serde_json::json!({}));
        handed_out.send(get("/t/1")).await.unwrap();
        assert_eq!(transport.request_count(), 1);
        assert_eq!(transport.remaining(), 0);
        assert_eq!(
            format!("{transport:?}"),
            "ScriptedTransport { requests: 1, remaining: 0, has_fn: false }"
        );
    }

    #[tokio::test]
    async fn from_fn_answers_after_the_queue() {
        let calls = Arc::new(AtomicUsize::new(0));
        let seen = Arc::clone(&calls);
        let transport = ScriptedTransport::from_fn(move |request| {
            seen.fetch_add(1, Ordering::SeqCst);
            Ok(Response::new(StatusCode::OK).with_body(request.path_and_query.clone()))
        });
        transport.push_json(
            429,
            serde_json::json!({ "policyName": "TEN_SECONDLY_ROLLING" }),
        );

        let limited = transport.send(get("/t/1")).await.unwrap();
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
        for path in ["/t/2", "/t/3"] {
            let response = transport.send(get(path)).await.unwrap();
            assert_eq!(&response.body[..], path.as_bytes());
        }
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert_eq!(transport.request_count(), 3);
    }

    #[test]
    fn push_json_with_an_invalid_status_does_not_panic() {
        let transport = ScriptedTransport::new();
        transport.push_json(42, serde_json::json!(null));
        assert_eq!(transport.remaining(), 1);
    }
}

//! The executor: one operation from request to decoded response, through the rate limiter, the
//! transport and the retry policy, inside tracing spans that name the operation and its path
//! template (never the raw URL, the token or the body).

use std::time::Duration;

use bytes::Bytes;
use http::Method;
use hubspot_postal_model::endpoints::{
    Endpoint, HttpMethod, Idempotency as RowIdempotency, PathError, RateBudget, Segment,
};
use hubspot_postal_transport::{
    Idempotency, Operation, Request, Response, SendPhase, TransportError, TransportErrorKind,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::time::Instant;
use tracing::Instrument;

/// Parsed once: looking a header up by `&str` parses the name on every call.
static CORRELATION_ID: http::HeaderName =
    http::HeaderName::from_static(hubspot_postal_model::headers::CORRELATION_ID);

use crate::client::Client;
use crate::decode::{decode, error_from_response, policy_of};
use crate::error::{Error, Result};
use crate::limiter::Budget;
use crate::query::Query;
use crate::retry::{AttemptOutcome, Decision, RetryInput, StopReason, parse_retry_after};

/// What one call sends.
#[derive(Clone)]
pub(crate) struct Call {
    pub(crate) op: Operation,
    pub(crate) method: Method,
    pub(crate) path_and_query: String,
    pub(crate) body: Option<Bytes>,
    pub(crate) budget: Budget,
}

impl Call {
    /// A call outside the endpoint table (the raw escape hatch).
    pub(crate) fn new(op: Operation, method: Method, path_and_query: String) -> Self {
        Self {
            op,
            method,
            path_and_query,
            body: None,
            budget: Budget::General,
        }
    }

    pub(crate) fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<Self> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::Config(format!(
                "could not encode the {} request: {e}",
                self.op.name
            ))
        })?;
        self.body = Some(Bytes::from(bytes));
        Ok(self)
    }
}

/// The HTTP method of a row, in the `http` crate's type.
fn method_of(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

impl Client {
    /// A call of the endpoint-table row `endpoint` in this client's API version, its path
    /// filled from `args` and followed by `query`. An operation the version lacks fails here,
    /// before anything is sent, with [`Error::NotInVersion`].
    pub(crate) fn call_to(
        &self,
        endpoint: &'static Endpoint,
        args: &[(&str, Segment<'_>)],
        query: Option<&Query>,
    ) -> Result<Call> {
        let (path, template) = endpoint
            .path_and_template(self.inner.api_version, args)
            .map_err(|e| match e {
                PathError::NotInVersion(e) => Error::NotInVersion(e),
                // The rows and the operations are written together; a mismatch is this crate's bug.
                other => Error::Config(format!("{}: {other}", endpoint.name())),
            })?;
        let idempotency = match endpoint.idempotency() {
            RowIdempotency::Read => Idempotency::Read,
            RowIdempotency::Idempotent => Idempotency::Idempotent,
            // Creates, and merges: repeating either after it may have been applied is unsafe.
            RowIdempotency::CreatesRecord | RowIdempotency::NotRepeatable => {
                Idempotency::CreatesRecord
            }
        };
        let method = method_of(endpoint.method());
        // A PUT (or POST) without a body still says `Content-Length: 0`, as HubSpot's own SDKs
        // do; some proxies refuse a body-carrying method without a length. `json` replaces it.
        let body = matches!(
            endpoint.method(),
            HttpMethod::Put | HttpMethod::Post | HttpMethod::Patch
        )
        .then(Bytes::new);
        Ok(Call {
            op: Operation::new(endpoint.name(), template, idempotency),
            method,
            path_and_query: match query {
                Some(q) => q.finish(path),
                None => path,
            },
            body,
            budget: match endpoint.budget() {
                RateBudget::General => Budget::General,
                RateBudget::Search => Budget::Search,
            },
        })
    }
}

impl Client {
    fn request(&self, call: &Call, timeout: Duration) -> Request {
        let headers = &self.inner.headers;
        let headers = match &call.body {
            None => headers.bodiless.clone(),
            Some(body) if body.is_empty() => headers.empty.clone(),
            Some(_) => headers.json.clone(),
        };
        Request {
            method: call.method.clone(),
            base_url: self.inner.base_url.clone(),
            path_and_query: call.path_and_query.clone(),
            headers,
            body: call.body.clone(),
            operation: call.op,
            timeout: Some(timeout),
        }
    }

    /// Sends `call` until it succeeds or the retry policy stops it; returns the 2xx response.
    pub(crate) async fn send(&self, call: Call) -> Result<Response> {
        let span = tracing::info_span!(
            "hubspot_postal.operation",
            operation = call.op.name,
            path = call.op.path_template,
            status = tracing::field::Empty,
            correlation_id = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        // A disabled span (no subscriber wants it) costs nothing if it is not entered at all.
        if span.is_disabled() {
            self.send_inner(call, &tracing::Span::none()).await
        } else {
            let operation = span.clone();
            self.send_inner(call, &operation).instrument(span).await
        }
    }

    /// The retry loop of [`send`](Self::send); `operation` is its span, which answers record
    /// into (passed down rather than looked up with `Span::current` on every answer).
    async fn send_inner(&self, call: Call, operation: &tracing::Span) -> Result<Response> {
        let policy = &self.inner.retry;
        let started = Instant::now();
        // Built on the first failure: most calls succeed at once.
        let mut backoff = None;
        let mut attempt: u32 = 0;
        loop {
            attempt += 1;
            // Waiting for the limiter happens before sending, so it never counts as "sent",
            // and a deadline that passes while waiting fails without sending anything.
            // The first attempt starts when the call did: one clock reading fewer per call.
            let mut now = if attempt == 1 {
                started
            } else {
                Instant::now()
            };
            let mut time_left = policy
                .deadline
                .saturating_sub(now.saturating_duration_since(started));
            // Most requests find a free slot; only a wait needs the deadline's timer.
            let mut slot = self.inner.limiter.try_acquire_now(call.budget, now);
            if slot.is_none() {
                let waited = self.inner.limiter.acquire_slot(call.budget);
                // Boxed, like the other timers below: they are off the common path, and a
                // smaller future is cheaper to create and move on every call.
                slot = match Box::pin(tokio::time::timeout(time_left, waited)).await {
                    Ok(Ok(taken)) => Some(taken),
                    // The budget refused: nothing was sent, and retrying is the budget's call.
                    Ok(Err(refused)) => {
                        return Err(Error::Transport {
                            operation: call.op.name,
                            source: TransportError::new(
                                TransportErrorKind::Other,
                                SendPhase::NotSent,
                                refused.to_string(),
                            ),
                        });
                    }
                    Err(_) => None,
                };
                now = Instant::now();
                time_left = policy
                    .deadline
                    .saturating_sub(now.saturating_duration_since(started));
            }
            let (Some(slot), false) = (slot, time_left.is_zero()) else {
                return Err(Error::DeadlineExceeded {
                    operation: call.op.name,
                    attempts: attempt - 1,
                    deadline: policy.deadline,
                    last: None,
                });
            };
            let timeout = policy.attempt_timeout.min(time_left);
            let attempt_span = tracing::debug_span!(
                "hubspot_postal.attempt",
                operation = call.op.name,
                path = call.op.path_template,
                attempt,
                status = tracing::field::Empty,
                correlation_id = tracing::field::Empty,
            );
            let sent = async {
                // Built here, so that the block holds references, not the request itself.
                let mut sending = self.inner.transport.send(self.request(&call, timeout));
                // An answer ready at the first poll needs no timer. Otherwise the timer runs
                // from the attempt's start (`now`), so it ends no later than the call's deadline.
                let first =
                    std::future::poll_fn(|cx| std::task::Poll::Ready(sending.as_mut().poll(cx)));
                if let std::task::Poll::Ready(result) = first.await {
                    return result;
                }
                let Some(at) = now.checked_add(timeout) else {
                    // Beyond the clock's range: a timer that can never fire.
                    return sending.await;
                };
                match Box::pin(tokio::time::timeout_at(at, sending)).await {
                    Ok(result) => result,
                    // A transport that ignored the per-attempt timeout: the request may be out.
                    Err(_) => Err(TransportError::new(
                        TransportErrorKind::Timeout,
                        SendPhase::MaybeSent,
                        format!("no response within {timeout:?}"),
                    )),
                }
            };
            let sent = if attempt_span.is_disabled() {
                sent.await
            } else {
                sent.instrument(attempt_span.clone()).await
            };

            let (error, retry_after) = match sent {
                Ok(response) => {
                    // Recording into a disabled span does nothing: when neither span is
                    // enabled, the correlation id is not even looked up.
                    if !(attempt_span.is_disabled() && operation.is_disabled()) {
                        let status = response.status.as_u16();
                        attempt_span.record("status", status);
                        if let Some(c) = response
                            .headers
                            .get(&CORRELATION_ID)
                            .and_then(|v| v.to_str().ok())
                        {
                            attempt_span.record("correlation_id", c);
                            operation.record("correlation_id", c);
                        }
                        operation.record("status", status);
                        operation.record("attempts", attempt);
                    }
                    self.inner.limiter.observe_response(slot, &response.headers);
                    if response.status.is_success() {
                        return Ok(response);
                    }
                    let error = error_from_response(&call.op, &response);
                    // 429, 503 and 477 may all say how long to wait.
                    let retry_after =
                        parse_retry_after(&response.headers, std::time::SystemTime::now());
                    if let Error::RateLimited(limited) = &error {
                        self.inner.limiter.report_rate_limited(
                            slot,
                            limited.policy.as_ref(),
                            retry_after,
                        );
                    }
                    (error, retry_after)
                }
                Err(source) => (
                    Error::Transport {
                        operation: call.op.name,
                        source,
                    },
                    None,
                ),
            };

            let outcome = match &error {
                Error::Transport { source, .. } => AttemptOutcome::of_transport(source),
                other => AttemptOutcome::Status {
                    status: other.status().unwrap_or(0),
                    policy: policy_of(other),
                },
            };
            let rate_window = self.inner.limiter.burst_window();
            let decision = policy.decide(&RetryInput {
                idempotency: call.op.idempotency,
                outcome,
                attempt,
                time_left: policy.deadline.saturating_sub(started.elapsed()),
                retry_after,
                backoff: backoff
                    .get_or_insert_with(|| policy.backoff_delays())
                    .next()
                    .unwrap_or(policy.max_delay),
                rate_window,
            });
            match decision {
                Decision::Retry { delay, reason } => {
                    tracing::debug!(
                        operation = call.op.name,
                        path = call.op.path_template,
                        attempt,
                        reason,
                        status = error.status(),
                        delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
                        "retrying"
                    );
                    Box::pin(tokio::time::sleep(delay)).await;
                }
                Decision::Stop(reason) => {
                    tracing::debug!(
                        operation = call.op.name,
                        attempt,
                        ?reason,
                        status = error.status(),
                        "not retrying"
                    );
                    return Err(match reason {
                        StopReason::MaybeApplied => Error::MaybeApplied {
                            operation: call.op.name,
                            inputs: Vec::new(),
                            source: Box::new(error),
                        },
                        StopReason::DeadlineExceeded => Error::DeadlineExceeded {
                            operation: call.op.name,
                            attempts: attempt,
                            deadline: policy.deadline,
                            last: Some(Box::new(error)),
                        },
                        _ => error,
                    });
                }
            }
        }
    }

    /// Sends and decodes the JSON answer.
    pub(crate) async fn call<T: DeserializeOwned>(&self, call: Call) -> Result<T> {
        let op = call.op;
        let response = self.send(call).await?;
        decode(&op, &response)
    }

    /// Sends and expects no body (204).
    pub(crate) async fn call_empty(&self, call: Call) -> Result<()> {
        self.send(call).await.map(|_| ())
    }
}

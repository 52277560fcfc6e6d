//! The executor tests' transport: one postal mail answered at once, after a delay, or never,
//! with the sends counted; and a client over it. Shared by `executor_spans.rs` and
//! `executor_timers.rs`, which are separate binaries on purpose (tracing's global callsite
//! cache makes the span tests flaky next to tests without a subscriber).
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{HeaderName, HeaderValue, StatusCode};
use hubspot_postal::transport::{Request, Response, Transport, TransportError};
use hubspot_postal::{Client, RateLimiter};
use serde_json::json;

/// A postal mail, with HubSpot's correlation id header.
pub fn postal_mail() -> Response {
    Response::json(
        StatusCode::OK,
        &json!({
            "id": "7",
            "properties": {"hs_timestamp": "2021-11-12T00:00:00.000Z", "hs_object_id": "7"},
            "createdAt": "2026-01-05T10:00:00.000Z",
            "updatedAt": "2026-01-05T10:00:00.000Z",
            "archived": false
        }),
    )
    .with_header(
        HeaderName::from_static("x-hubspot-correlation-id"),
        HeaderValue::from_static("corr-42"),
    )
}

/// When the answer comes.
#[derive(Debug, Clone, Copy)]
pub enum Answer {
    /// At the first poll.
    AtOnce,
    After(Duration),
    Never,
}

/// Answers as told, counting the sends.
#[derive(Debug)]
pub struct Slow {
    answer: Answer,
    pub sends: AtomicUsize,
}

#[async_trait::async_trait]
impl Transport for Slow {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        match self.answer {
            Answer::AtOnce => Ok(postal_mail()),
            Answer::After(delay) => {
                tokio::time::sleep(delay).await;
                Ok(postal_mail())
            }
            Answer::Never => futures::future::pending().await,
        }
    }
}

/// A client over a [`Slow`] transport answering `answer`, with `policy` and no rate limit.
pub fn client(answer: Answer, policy: RetryPolicy) -> (Client, Arc<Slow>) {
    let transport = Arc::new(Slow {
        answer,
        sends: AtomicUsize::new(0),
    });
    let client = Client::builder()
        .token("t")
        .transport(transport.clone())
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(policy)
        .build()
        .unwrap();
    (client, transport)
}

pub fn id() -> PostalMailId {
    PostalMailId::new("7").unwrap()
}

//! The executor's fast path arms no timer for an answer that is ready at once; these tests pin
//! down that the per-attempt timeout and the deadline still hold for answers that are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{HeaderName, HeaderValue, StatusCode};
use hubspot_postal::transport::{Request, Response, Transport, TransportError};
use hubspot_postal::{Client, Error, GetOptions, RateLimiter};
use serde_json::json;
use tokio::time::Instant;

fn postal_mail() -> Response {
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
enum Answer {
    After(Duration),
    Never,
}

/// Answers as told, counting the sends.
#[derive(Debug)]
struct Slow {
    answer: Answer,
    sends: AtomicUsize,
}

#[async_trait::async_trait]
impl Transport for Slow {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        self.sends.fetch_add(1, Ordering::SeqCst);
        match self.answer {
            Answer::After(delay) => {
                tokio::time::sleep(delay).await;
                Ok(postal_mail())
            }
            Answer::Never => futures::future::pending().await,
        }
    }
}

fn client(answer: Answer, policy: RetryPolicy) -> (Client, Arc<Slow>) {
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

fn id() -> PostalMailId {
    PostalMailId::new("7").unwrap()
}

#[tokio::test(start_paused = true)]
async fn an_answer_within_the_attempt_timeout_is_kept() {
    let policy = RetryPolicy::default().attempt_timeout(Duration::from_secs(1));
    let (c, t) = client(Answer::After(Duration::from_millis(999)), policy);
    let start = Instant::now();
    let letter = c.get(&id(), &GetOptions::new()).await.unwrap();
    assert_eq!(letter.id.as_str(), "7");
    assert_eq!(start.elapsed(), Duration::from_millis(999));
    assert_eq!(t.sends.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn the_attempt_timer_fires_at_the_attempt_timeout() {
    let policy = RetryPolicy::default()
        .attempt_timeout(Duration::from_secs(1))
        .max_attempts(1);
    let (c, t) = client(Answer::After(Duration::from_millis(1_001)), policy);
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(t.sends.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_caps_the_attempt_timer() {
    let deadline = Duration::from_millis(2_500);
    let policy = RetryPolicy::default()
        .attempt_timeout(Duration::from_secs(1))
        .max_attempts(50)
        .deadline(deadline);
    let (c, t) = client(Answer::Never, policy);
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::DeadlineExceeded { .. } | Error::Transport { .. }
        ),
        "{err:?}"
    );
    assert!(start.elapsed() <= deadline, "{:?}", start.elapsed());
    assert!(t.sends.load(Ordering::SeqCst) >= 2, "it was retried");
}

//! Retry, rate-limit and deadline behaviour of the whole client over a scripted transport, on
//! tokio's paused clock so that nothing really sleeps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures::StreamExt;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{HeaderValue, StatusCode};
use hubspot_postal::transport::{
    Request, Response, ScriptedTransport, SendPhase, Transport, TransportError, TransportErrorKind,
};
use hubspot_postal::{Client, Error, GetOptions, RateLimiter};
use proptest::prelude::*;
use serde_json::json;
use tokio::time::Instant;

fn postal_mail(id: &str) -> serde_json::Value {
    json!({
        "id": id,
        "properties": {"hs_timestamp": "2021-11-12T00:00:00.000Z", "hs_object_id": id},
        "createdAt": "2026-01-05T10:00:00.000Z",
        "updatedAt": "2026-01-05T10:00:00.000Z",
        "archived": false
    })
}

fn rate_limited(policy: Option<&str>, message: &str) -> Response {
    let mut body = json!({"status": "error", "message": message, "errorType": "RATE_LIMIT",
        "category": "RATE_LIMITS", "correlationId": "c-429"});
    if let Some(p) = policy {
        body["policyName"] = json!(p);
    }
    Response::json(StatusCode::TOO_MANY_REQUESTS, &body)
}

fn ten_secondly() -> Response {
    rate_limited(
        Some("TEN_SECONDLY_ROLLING"),
        "You have reached your ten_secondly_rolling limit.",
    )
}

fn client(transport: &ScriptedTransport, policy: RetryPolicy, limiter: RateLimiter) -> Client {
    Client::builder()
        .token("resilience-token")
        .base_url("https://api.hubapi.com")
        .transport(Arc::new(transport.clone()))
        .retry_policy(policy)
        .rate_limiter(limiter)
        .build()
        .unwrap()
}

fn letter() -> CreatePostalMail {
    CreatePostalMail::new("2021-11-12".parse().unwrap()).body("Dear Ms Smith")
}

fn id() -> PostalMailId {
    PostalMailId::new("42").unwrap()
}

#[tokio::test(start_paused = true)]
async fn ten_secondly_rolling_waits_out_the_window_then_succeeds() {
    let t = ScriptedTransport::new();
    t.push_response(ten_secondly());
    t.push_json(201, postal_mail("1"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let start = Instant::now();
    let created = c.create(letter()).await.unwrap();
    assert_eq!(created.id.as_str(), "1");
    assert_eq!(
        t.request_count(),
        2,
        "a 429 means HubSpot did nothing, so the create is sent again"
    );
    // The unlimited limiter knows no window, so the client waits HubSpot's 10 s.
    assert!(
        start.elapsed() >= Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    assert!(start.elapsed() < Duration::from_secs(11));
}

#[tokio::test(start_paused = true)]
async fn daily_limit_fails_fast_without_retry() {
    let t = ScriptedTransport::new();
    t.push_response(rate_limited(
        Some("DAILY"),
        "You have reached your daily limit.",
    ));
    t.push_json(200, postal_mail("42"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert_eq!(t.request_count(), 1);
    assert_eq!(start.elapsed(), Duration::ZERO);
    assert_eq!(err.rate_limit_policy(), Some(&RateLimitPolicy::Daily));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("daily limit"), "{err}");
    assert_eq!(err.correlation_id(), Some("c-429"));
}

#[tokio::test(start_paused = true)]
async fn search_secondly_limit_waits_about_a_second() {
    let t = ScriptedTransport::new();
    t.push_response(rate_limited(None, "You have reached your secondly limit."));
    t.push_json(200, json!({"total": 0, "results": []}));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let start = Instant::now();
    let request = SearchRequest::builder()
        .filter(Filter::has_property("hs_timestamp"))
        .build()
        .unwrap();
    c.search_page(&request).await.unwrap();
    assert_eq!(t.request_count(), 2);
    assert!(start.elapsed() >= Duration::from_secs(1) && start.elapsed() < Duration::from_secs(3));
}

#[tokio::test(start_paused = true)]
async fn retry_after_is_honoured_and_capped() {
    let t = ScriptedTransport::new();
    t.push_response(
        Response::json(StatusCode::SERVICE_UNAVAILABLE, &json!({"message": "busy"})).with_header(
            "retry-after".parse().unwrap(),
            HeaderValue::from_static("3"),
        ),
    );
    t.push_json(200, postal_mail("42"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let start = Instant::now();
    c.get(&id(), &GetOptions::new()).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(3) && start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );

    t.push_response(
        Response::json(StatusCode::SERVICE_UNAVAILABLE, &json!({"message": "busy"})).with_header(
            "retry-after".parse().unwrap(),
            HeaderValue::from_static("3600"),
        ),
    );
    t.push_json(200, postal_mail("42"));
    let capped = client(
        &t,
        RetryPolicy::default().max_retry_after(Duration::from_secs(5)),
        RateLimiter::unlimited(),
    );
    let start = Instant::now();
    capped.get(&id(), &GetOptions::new()).await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_secs(5) && start.elapsed() < Duration::from_secs(6),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test(start_paused = true)]
async fn deadline_stops_retries() {
    let t = ScriptedTransport::from_fn(|_| {
        Ok(Response::json(
            StatusCode::BAD_GATEWAY,
            &json!({"message": "upstream"}),
        ))
    });
    let policy = RetryPolicy::default()
        .max_attempts(1_000)
        .deadline(Duration::from_secs(2));
    let c = client(&t, policy, RateLimiter::unlimited());
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert_eq!(err.status(), Some(502), "the last error is kept");
    assert!(start.elapsed() <= Duration::from_secs(2));
    assert!(
        t.request_count() > 1 && t.request_count() < 20,
        "{}",
        t.request_count()
    );
}

#[tokio::test(start_paused = true)]
async fn create_is_not_retried_after_maybe_sent_and_says_so() {
    let t = ScriptedTransport::new();
    t.push_error(TransportError::new(
        TransportErrorKind::Timeout,
        SendPhase::MaybeSent,
        "read timed out",
    ));
    t.push_json(201, postal_mail("1"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let err = c.create(letter()).await.unwrap_err();
    assert_eq!(t.request_count(), 1, "never resent");
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    assert_eq!(err.unreconciled_inputs().len(), 1);
    assert_eq!(
        err.unreconciled_inputs()[0]
            .properties
            .get("hs_postal_mail_body"),
        Some("Dear Ms Smith")
    );
    assert!(err.to_string().contains("may have been applied"), "{err}");
}

#[tokio::test(start_paused = true)]
async fn create_is_retried_after_not_sent() {
    let t = ScriptedTransport::new();
    t.push_error(TransportError::new(
        TransportErrorKind::Connect,
        SendPhase::NotSent,
        "refused",
    ));
    t.push_json(201, postal_mail("1"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    assert_eq!(c.create(letter()).await.unwrap().id.as_str(), "1");
    assert_eq!(t.request_count(), 2);
}

#[tokio::test(start_paused = true)]
async fn idempotent_update_is_retried_after_maybe_sent() {
    let t = ScriptedTransport::new();
    t.push_error(TransportError::new(
        TransportErrorKind::Io,
        SendPhase::MaybeSent,
        "reset",
    ));
    t.push_json(200, postal_mail("42"));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let update = hubspot_postal::model::engagement::UpdatePostalMail::new().body("new text");
    c.update(&id(), update).await.unwrap();
    assert_eq!(t.request_count(), 2);
    let bodies: Vec<_> = t.requests().iter().map(|r| r.body.clone()).collect();
    assert_eq!(bodies[0], bodies[1], "the same PATCH is repeated");
}

#[tokio::test(start_paused = true)]
async fn batch_create_chunk_with_503_is_not_resent() {
    let t = ScriptedTransport::new();
    t.push_json(503, json!({"message": "unavailable"}));
    let c = client(&t, RetryPolicy::default(), RateLimiter::unlimited());
    let outcome = c.batch_create(vec![letter(), letter()]).await.unwrap();
    assert_eq!(t.request_count(), 1);
    assert!(outcome.may_have_applied_failures());
    assert_eq!(outcome.failures().count(), 2);
}

#[tokio::test(start_paused = true)]
async fn limiter_wait_is_not_sending_and_respects_the_deadline() {
    let t =
        ScriptedTransport::from_fn(|_| Ok(Response::json(StatusCode::CREATED, &postal_mail("1"))));
    let limiter = RateLimiter::new(1, Duration::from_secs(60), 5).fixed();
    let c = client(
        &t,
        RetryPolicy::default().deadline(Duration::from_secs(5)),
        limiter,
    );
    c.create(letter()).await.unwrap();
    let start = Instant::now();
    let err = c.create(letter()).await.unwrap_err();
    assert!(matches!(err, Error::DeadlineExceeded { .. }), "{err:?}");
    assert!(!err.may_have_been_applied(), "nothing was sent");
    assert_eq!(t.request_count(), 1);
    assert!(start.elapsed() <= Duration::from_secs(5));
}

/// A transport that enforces HubSpot's burst window the way HubSpot does: `max` requests per
/// rolling `window`, a 429 `TEN_SECONDLY_ROLLING` beyond that.
fn window_enforcing(max: usize, window: Duration, rejected: Arc<AtomicUsize>) -> ScriptedTransport {
    let log = Arc::new(Mutex::new(VecDeque::<Instant>::new()));
    ScriptedTransport::from_fn(move |_req: &Request| {
        let now = Instant::now();
        let mut log = log.lock().unwrap();
        while log
            .front()
            .is_some_and(|t| now.duration_since(*t) >= window)
        {
            log.pop_front();
        }
        if log.len() >= max {
            rejected.fetch_add(1, Ordering::SeqCst);
            return Ok(ten_secondly());
        }
        log.push_back(now);
        Ok(Response::json(StatusCode::OK, &postal_mail("42")))
    })
}

#[tokio::test(start_paused = true)]
async fn limiter_keeps_a_thousand_request_burst_under_the_window() {
    let rejected = Arc::new(AtomicUsize::new(0));
    let t = window_enforcing(100, Duration::from_secs(10), rejected.clone());
    let c = client(
        &t,
        RetryPolicy::default().deadline(Duration::from_secs(600)),
        RateLimiter::free_starter().fixed(),
    );
    let start = Instant::now();
    let results: Vec<_> = futures::stream::iter(0..1_000)
        .map(|_| {
            let c = c.clone();
            async move { c.get(&id(), &GetOptions::new()).await }
        })
        .buffer_unordered(64)
        .collect()
        .await;
    assert!(results.iter().all(Result::is_ok));
    assert_eq!(rejected.load(Ordering::SeqCst), 0, "no 429 at all");
    assert_eq!(t.request_count(), 1_000);
    // 1,000 requests at 100 per 10 s: the first 100 go at once, then 9 more windows.
    let floor = Duration::from_secs(90);
    let elapsed = start.elapsed();
    assert!(elapsed >= floor, "{elapsed:?}");
    assert!(
        elapsed <= floor.mul_f64(1.1),
        "{elapsed:?} is more than 1.1x the floor"
    );
}

/// A transport whose sends never finish, and which counts the sends that were dropped.
#[derive(Debug, Default)]
struct Hanging {
    started: AtomicUsize,
    dropped: Arc<AtomicUsize>,
}

struct DropGuard(Arc<AtomicUsize>);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[async_trait::async_trait]
impl Transport for Hanging {
    async fn send(&self, _request: Request) -> Result<Response, TransportError> {
        self.started.fetch_add(1, Ordering::SeqCst);
        let _guard = DropGuard(self.dropped.clone());
        futures::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn dropping_the_future_cancels_the_request() {
    let hanging = Arc::new(Hanging::default());
    let c = Client::builder()
        .token("t")
        .transport(hanging.clone())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    let (id, options) = (id(), GetOptions::new());
    let call = c.get(&id, &options);
    assert!(
        tokio::time::timeout(Duration::from_millis(100), call)
            .await
            .is_err()
    );
    assert_eq!(hanging.started.load(Ordering::SeqCst), 1);
    assert_eq!(
        hanging.dropped.load(Ordering::SeqCst),
        1,
        "the in-flight send was dropped with the call"
    );
}

#[tokio::test(start_paused = true)]
async fn attempt_timeout_applies_to_transports_that_ignore_it() {
    let hanging = Arc::new(Hanging::default());
    let c = Client::builder()
        .token("t")
        .transport(hanging.clone())
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(
            RetryPolicy::default()
                .attempt_timeout(Duration::from_secs(1))
                .max_attempts(2),
        )
        .build()
        .unwrap();
    let err = c.create(letter()).await.unwrap_err();
    assert!(
        err.may_have_been_applied(),
        "a timed-out create may have been applied: {err:?}"
    );
    assert_eq!(
        hanging.started.load(Ordering::SeqCst),
        1,
        "and is not sent again"
    );
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(
        hanging.started.load(Ordering::SeqCst),
        3,
        "a read is tried max_attempts times"
    );
}

/// One scripted failure of an attempt.
#[derive(Debug, Clone, Copy)]
enum Failure {
    NotSent,
    MaybeSent,
    Status5xx(u16),
    TenSecondly,
    Secondly,
    Daily,
    NoPolicy429,
}

impl Failure {
    fn answer(self) -> Result<Response, TransportError> {
        match self {
            Failure::NotSent => Err(TransportError::new(
                TransportErrorKind::Connect,
                SendPhase::NotSent,
                "refused",
            )),
            Failure::MaybeSent => Err(TransportError::new(
                TransportErrorKind::Io,
                SendPhase::MaybeSent,
                "reset",
            )),
            Failure::Status5xx(s) => Ok(Response::json(
                StatusCode::from_u16(s).unwrap(),
                &json!({"message": "x"}),
            )),
            Failure::TenSecondly => Ok(ten_secondly()),
            Failure::Secondly => Ok(rate_limited(None, "You have reached your secondly limit.")),
            Failure::Daily => Ok(rate_limited(
                Some("DAILY"),
                "You have reached your daily limit.",
            )),
            Failure::NoPolicy429 => Ok(rate_limited(None, "slow down")),
        }
    }

    /// Whether a create may be sent again after this failure.
    fn allows_resend(self) -> bool {
        matches!(
            self,
            Failure::NotSent | Failure::TenSecondly | Failure::Secondly | Failure::NoPolicy429
        )
    }
}

fn failure() -> impl Strategy<Value = Failure> {
    prop_oneof![
        Just(Failure::NotSent),
        Just(Failure::MaybeSent),
        prop_oneof![Just(500u16), Just(502), Just(503), Just(504)].prop_map(Failure::Status5xx),
        Just(Failure::TenSecondly),
        Just(Failure::Secondly),
        Just(Failure::Daily),
        Just(Failure::NoPolicy429),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Over random failure sequences, a create is sent again only after a failure that proves
    /// nothing was applied (not sent, or a non-daily 429), and never after MaybeSent or a 5xx.
    #[test]
    fn create_is_resent_only_after_not_sent_or_429(failures in proptest::collection::vec(failure(), 0..8)) {
        let rt = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
        let t = ScriptedTransport::new();
        for f in &failures {
            t.push(f.answer());
        }
        t.push_json(201, postal_mail("1"));
        let policy = RetryPolicy::default().max_attempts(20).deadline(Duration::from_secs(3_600));
        let c = client(&t, policy, RateLimiter::unlimited());
        let result = rt.block_on(c.create(letter()));
        let sent = t.request_count();
        // Every resend followed a failure that allows it.
        for f in failures.iter().take(sent.saturating_sub(1)) {
            prop_assert!(f.allows_resend(), "resent after {:?}", f);
        }
        // The first failure that does not allow a resend is where sending stopped.
        match failures.iter().position(|f| !f.allows_resend()) {
            Some(stop) => {
                prop_assert_eq!(sent, stop + 1);
                let err = result.unwrap_err();
                match failures[stop] {
                    Failure::Daily => prop_assert_eq!(err.rate_limit_policy(), Some(&RateLimitPolicy::Daily)),
                    _ => {
                        prop_assert!(matches!(err, Error::MaybeApplied { .. }), "{:?}", err);
                        prop_assert_eq!(err.unreconciled_inputs().len(), 1);
                    }
                }
            }
            None => {
                prop_assert_eq!(sent, failures.len() + 1);
                prop_assert!(result.is_ok());
            }
        }
    }
}

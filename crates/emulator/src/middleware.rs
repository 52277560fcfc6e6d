//! What every HubSpot request goes through before and after its handler: authentication,
//! injected faults, rate limits, the body size cap, the correlation id and rate-limit
//! headers, HubSpot-shaped bodies for every error, and the request log.
//!
//! Order: auth (401s are not counted or faulted), faults (so an injected 429 or 503 never
//! reaches the store and is not counted against a window), rate limits, body cap, handler.

use hubspot_postal_model::headers;
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::Notify;

use crate::errors::{ApiError, category_for, new_uuid};
use crate::faults::FaultAction;
use crate::hostile::Hostile;
use crate::rate_limit::{RateFigures, Refusal};
use crate::state::{LoggedRequest, Shared, lock};

/// Closes the current connection without a response when notified (set per connection by the
/// accept loop).
#[derive(Clone, Debug)]
pub(crate) struct ConnKill(pub Arc<Notify>);

/// What HubSpot sends as the `Content-Type` of its JSON answers.
pub(crate) const JSON_CONTENT_TYPE: &str = "application/json;charset=utf-8";

/// Inspection routes skip auth, limits, faults and the log.
pub(crate) const INSPECT_PREFIX: &str = "/__emulator";

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

fn auth_error(shared: &Shared, headers: &HeaderMap) -> Option<ApiError> {
    match bearer(headers) {
        None => Some(ApiError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_AUTHENTICATION",
            "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
        )),
        Some(t) if !shared.tokens.is_empty() && !shared.tokens.iter().any(|k| k == t) => {
            Some(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "INVALID_AUTHENTICATION",
                "The OAuth token used to make this call expired 0 second(s) ago.",
            ))
        }
        Some(_) => None,
    }
}

/// The 429 body of each limit (G-USAGE; the exact body is our choice): both `errorType` and `category` are sent.
fn rate_limit_body(refusal: Refusal) -> Value {
    let (message, policy) = match refusal {
        Refusal::TenSecondly => (
            "You have reached your ten_secondly_rolling limit.",
            "TEN_SECONDLY_ROLLING",
        ),
        Refusal::Daily => ("You have reached your daily limit.", "DAILY"),
        Refusal::Secondly => ("You have reached your secondly limit.", "SECONDLY"),
    };
    json!({"status": "error", "message": message, "errorType": "RATE_LIMIT", "category": "RATE_LIMITS",
           "policyName": policy, "requestId": new_uuid()})
}

fn set_header(headers: &mut HeaderMap, name: &'static str, value: impl ToString) {
    if let Ok(v) = HeaderValue::from_str(&value.to_string()) {
        headers.insert(name, v);
    }
}

fn rate_headers(headers: &mut HeaderMap, f: &RateFigures, search: bool) {
    // "Responses from the search API endpoints will not include any of the rate limit
    // headers"; the real recording still carried the daily pair (FIX-GRP).
    if !search {
        set_header(headers, headers::RATE_LIMIT_MAX, f.max);
        set_header(headers, headers::RATE_LIMIT_REMAINING, f.remaining);
        set_header(headers, headers::RATE_LIMIT_INTERVAL_MS, f.interval_ms);
    }
    set_header(headers, headers::RATE_LIMIT_DAILY, f.daily);
    set_header(
        headers,
        headers::RATE_LIMIT_DAILY_REMAINING,
        f.daily_remaining,
    );
}

/// Stamps the correlation id and gives every error a HubSpot-shaped JSON body, including
/// axum's own rejections (405, bad path encoding) which come as plain text.
pub(crate) async fn finish(resp: Response, correlation: &str) -> Response {
    let (mut parts, body) = resp.into_parts();
    set_header(&mut parts.headers, headers::CORRELATION_ID, correlation);
    if parts.status.as_u16() < 400 {
        return Response::from_parts(parts, body);
    }
    let bytes = to_bytes(body, usize::MAX).await.unwrap_or_default();
    let mut value = match serde_json::from_slice::<Value>(&bytes) {
        Ok(v @ Value::Object(_)) => v,
        _ => {
            let text = String::from_utf8_lossy(&bytes).trim().to_owned();
            let message = if text.is_empty() {
                parts
                    .status
                    .canonical_reason()
                    .unwrap_or("error")
                    .to_owned()
            } else {
                text
            };
            json!({"status": "error", "message": message, "category": category_for(parts.status)})
        }
    };
    value["correlationId"] = json!(correlation);
    let bytes = serde_json::to_vec(&value).unwrap_or_default();
    parts.headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}

async fn sever(kill: Option<ConnKill>) -> Response {
    match kill {
        Some(k) => {
            k.0.notify_one();
            // The accept loop drops the connection, and this future with it.
            std::future::pending::<()>().await;
            StatusCode::BAD_GATEWAY.into_response()
        }
        // Not served by our accept loop (cannot happen in practice): fail loudly instead.
        None => StatusCode::BAD_GATEWAY.into_response(),
    }
}

pub(crate) async fn hubspot(
    State(shared): State<Arc<Shared>>,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path().to_owned();
    if path.starts_with(INSPECT_PREFIX) {
        return next.run(req).await;
    }
    let method = req.method().as_str().to_owned();
    let at = Instant::now();
    let correlation = new_uuid();
    let search = method == "POST" && path.ends_with("/search");
    let kill = req.extensions().get::<ConnKill>().cloned();
    let log = |status: u16, fault: Option<String>| {
        shared.record(LoggedRequest {
            method: method.clone(),
            path: path.clone(),
            status,
            fault,
            at,
        });
    };

    if let Some(err) = auth_error(&shared, req.headers()) {
        let resp = finish(err.into_response(), &correlation).await;
        log(resp.status().as_u16(), None);
        return resp;
    }

    let decision = lock(&shared.dice).decide(&method, &path);
    if let Some(latency) = decision.latency {
        tokio::time::sleep(latency).await;
    }
    match decision.action {
        Some(FaultAction::Status(code)) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let resp = if code == 429 {
                (status, axum::Json(rate_limit_body(Refusal::TenSecondly))).into_response()
            } else {
                ApiError::injected(status).into_response()
            };
            let mut resp = finish(resp, &correlation).await;
            let figures = lock(&shared.limiter).figures();
            let figures = if code == 429 {
                RateFigures {
                    remaining: 0,
                    ..figures
                }
            } else {
                figures
            };
            rate_headers(resp.headers_mut(), &figures, search);
            log(code, Some(code.to_string()));
            return resp;
        }
        Some(FaultAction::Drop) => {
            log(0, Some("drop".into()));
            return sever(kill).await;
        }
        _ => {}
    }

    // Bound first: a guard in a `match` scrutinee would live across the awaits below.
    let admitted = lock(&shared.limiter).admit(search, Instant::now());
    let figures = match admitted {
        Ok(f) => f,
        Err((refusal, f)) => {
            let mut resp = finish(
                (
                    StatusCode::TOO_MANY_REQUESTS,
                    axum::Json(rate_limit_body(refusal)),
                )
                    .into_response(),
                &correlation,
            )
            .await;
            rate_headers(resp.headers_mut(), &f, search);
            log(429, None);
            return resp;
        }
    };

    let mut hostile = Hostile::new(decision.action, decision.seed, &method, &path);
    let (parts, body) = req.into_parts();
    let too_big = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > shared.max_body as u64);
    let bytes = if too_big {
        None
    } else {
        to_bytes(body, shared.max_body).await.ok()
    };
    let Some(bytes) = bytes else {
        let err = ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "VALIDATION_ERROR",
            format!(
                "Request body exceeds the maximum of {} bytes",
                shared.max_body
            ),
        );
        let mut resp = finish(err.into_response(), &correlation).await;
        rate_headers(resp.headers_mut(), &figures, search);
        log(413, None);
        return resp;
    };
    let bytes = match &mut hostile {
        Some(h) => h.request_body(bytes),
        None => bytes,
    };
    let resp = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let mut resp = finish(resp, &correlation).await;
    // Figures after the handler so the remaining count includes this request.
    rate_headers(resp.headers_mut(), &figures, search);
    if decision.action == Some(FaultAction::ApplyDrop) {
        log(resp.status().as_u16(), Some("apply-drop".into()));
        return sever(kill).await;
    }
    if let Some(h) = hostile {
        let action = h.action();
        let (resp, happened) = h.answer(resp, &correlation).await;
        log(resp.status().as_u16(), happened.then(|| action.to_string()));
        return resp;
    }
    log(resp.status().as_u16(), None);
    resp
}

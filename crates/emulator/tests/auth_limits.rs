//! Authentication, rate limits (burst, daily, search), body size and unknown routes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use std::time::Duration;

use common::{Emu, TOKEN, assert_error};
use hubspot_postal_emulator::{EmulatorConfig, RateLimit};
use reqwest::Method;
use serde_json::json;

const PM: &str = "/crm/v3/objects/postal_mail";

#[tokio::test]
async fn auth_rules() {
    let emu =
        Emu::with(EmulatorConfig::default().tokens(vec![TOKEN.into(), "second".into()])).await;
    let r = emu.raw(Method::GET, PM, None, None).await.unwrap();
    assert_error(&r, 401, "INVALID_AUTHENTICATION");
    assert!(
        r.body["message"]
            .as_str()
            .unwrap()
            .starts_with("Authentication credentials not found")
    );
    let r = emu.raw(Method::GET, PM, None, Some("wrong")).await.unwrap();
    assert_error(&r, 401, "INVALID_AUTHENTICATION");
    let r = emu
        .http
        .get(format!("{}{PM}", emu.base))
        .header("authorization", "Bearer ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    let r = emu
        .http
        .get(format!("{}{PM}", emu.base))
        .header("authorization", "Basic abc")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        emu.raw(Method::GET, PM, None, Some("second"))
            .await
            .unwrap()
            .status,
        200
    );
    assert_eq!(emu.handle.count_status(401), 4);
    // Without a token list any non-empty bearer is accepted.
    let open = Emu::start().await;
    assert_eq!(
        open.raw(Method::GET, PM, None, Some("anything"))
            .await
            .unwrap()
            .status,
        200
    );
    assert_eq!(
        open.raw(Method::GET, PM, None, None).await.unwrap().status,
        401
    );
}

#[tokio::test]
async fn burst_window() {
    let emu =
        Emu::with(EmulatorConfig::default().rate_limit(RateLimit::new(5, Duration::from_secs(1))))
            .await;
    for i in 0..5 {
        let r = emu.get(PM).await;
        assert_eq!(r.status, 200);
        assert_eq!(r.header("x-hubspot-ratelimit-max"), Some("5"));
        assert_eq!(
            r.header("x-hubspot-ratelimit-interval-milliseconds"),
            Some("1000")
        );
        assert_eq!(
            r.header("x-hubspot-ratelimit-remaining"),
            Some((4 - i).to_string().as_str())
        );
    }
    let r = emu.get(PM).await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(
        r.body["message"],
        "You have reached your ten_secondly_rolling limit."
    );
    assert_eq!(r.body["errorType"], "RATE_LIMIT");
    assert_eq!(r.body["policyName"], "TEN_SECONDLY_ROLLING");
    assert!(r.body["requestId"].is_string());
    assert_eq!(r.header("x-hubspot-ratelimit-remaining"), Some("0"));
    // Refused requests do not count: after the window, requests pass again.
    tokio::time::sleep(Duration::from_millis(1050)).await;
    assert_eq!(emu.get(PM).await.status, 200);
    assert_eq!(emu.handle.count_status(429), 1);
    assert_eq!(emu.handle.request_log().last().unwrap().status, 200);
}

#[tokio::test]
async fn daily_limit_and_search_rate() {
    let emu = Emu::with(EmulatorConfig::default().daily_limit(3)).await;
    for _ in 0..3 {
        assert_eq!(emu.get(PM).await.status, 200);
    }
    let r = emu.get(PM).await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(r.body["message"], "You have reached your daily limit.");
    assert_eq!(r.body["policyName"], "DAILY");
    assert_eq!(r.header("x-hubspot-ratelimit-daily"), Some("3"));
    assert_eq!(r.header("x-hubspot-ratelimit-daily-remaining"), Some("0"));

    let emu = Emu::with(
        EmulatorConfig::default()
            .search_rate(2)
            .rate_limit(RateLimit::new(1, Duration::from_secs(10))),
    )
    .await;
    // Search is exempt from the burst window.
    assert_eq!(
        emu.post(&format!("{PM}/search"), json!({})).await.status,
        200
    );
    assert_eq!(
        emu.post(&format!("{PM}/search"), json!({})).await.status,
        200
    );
    let r = emu.post(&format!("{PM}/search"), json!({})).await;
    assert_error(&r, 429, "RATE_LIMITS");
    assert_eq!(r.body["message"], "You have reached your secondly limit.");
    assert_eq!(r.body["errorType"], "RATE_LIMIT");
    assert!(r.header("x-hubspot-ratelimit-max").is_none());
    assert_eq!(emu.get(PM).await.status, 200);
    assert_eq!(emu.get(PM).await.status, 429);
}

#[tokio::test]
async fn bodies_routes_and_methods() {
    let emu = Emu::with(EmulatorConfig::default().max_body_bytes(1000)).await;
    let big = json!({"properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": "x".repeat(2000)}});
    assert_error(&emu.post(PM, big).await, 413, "VALIDATION_ERROR");
    assert_eq!(emu.handle.postal_mails(true).len(), 0);
    assert_error(
        &emu.get("/crm/v3/nothing/here").await,
        404,
        "RESOURCE_NOT_FOUND",
    );
    assert_error(&emu.get("/").await, 404, "RESOURCE_NOT_FOUND");
    let r = emu.call(Method::PUT, PM, Some(json!({}))).await;
    assert_eq!(r.status, 405);
    assert_eq!(r.body["status"], "error");
    assert!(r.body["correlationId"].is_string());
    // Empty body on create.
    let r = emu
        .raw(Method::POST, PM, Some(Vec::new()), Some(TOKEN))
        .await
        .unwrap();
    assert_error(&r, 400, "VALIDATION_ERROR");
    // Every response carries a correlation id.
    assert!(
        emu.get(PM)
            .await
            .header("x-hubspot-correlation-id")
            .is_some()
    );
}

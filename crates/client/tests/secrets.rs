//! Secrets hygiene: the token never appears in Debug or Display of the client, its builder, a
//! request or an error, nor in tracing output at any level; letter text never appears in
//! tracing output, nor in the `Debug` of a raw response, a search request, a filter, or the
//! error of a create whose answer was cut off inside the letter.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::sync::{Arc, Mutex};

use hubspot_postal::model::engagement::{CreatePostalMail, UpdatePostalMail};
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::model::properties::BODY;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::transport::{
    Response, ScriptedTransport, SendPhase, TransportError, TransportErrorKind,
};
use hubspot_postal::{AccessToken, Client, GetOptions, RateLimiter};
use proptest::prelude::*;
use serde_json::json;
use tracing_subscriber::fmt::MakeWriter;

/// Collects everything the subscriber writes.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Captured {
    type Writer = Captured;
    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

fn postal_mail(body: &str) -> serde_json::Value {
    json!({"id": "7", "properties": {"hs_timestamp": "2021-11-12T00:00:00.000Z", "hs_postal_mail_body": body},
        "createdAt": "2026-01-05T10:00:00.000Z", "updatedAt": "2026-01-05T10:00:00.000Z", "archived": false})
}

/// Runs a representative set of calls (successes, an API error, a retried transport failure,
/// a maybe-applied create) with TRACE-level capture; returns everything printed.
fn exercise(token: &str, body: &str) -> (String, String) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(captured.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_ansi(false)
        .finish();
    let t = ScriptedTransport::new();
    t.push_json(201, postal_mail(body));
    t.push_error(TransportError::new(
        TransportErrorKind::Connect,
        SendPhase::NotSent,
        "refused",
    ));
    t.push_json(200, postal_mail(body));
    t.push_json(400, json!({"status": "error", "message": "Property values were not valid", "category": "VALIDATION_ERROR", "correlationId": "c1"}));
    t.push_error(TransportError::new(
        TransportErrorKind::Timeout,
        SendPhase::MaybeSent,
        "timed out",
    ));
    // A raw call whose answer carries the letter.
    t.push_json(200, postal_mail(body));
    // A create whose 2xx answer is cut off inside the letter text.
    let full = postal_mail(body).to_string();
    let cut = full.find(body).unwrap() + body.len() / 2;
    t.push(Ok(
        Response::new(StatusCode::CREATED).with_body(full[..cut].to_owned())
    ));
    let builder = Client::builder()
        .token(token)
        .transport(Arc::new(t.clone()))
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(RetryPolicy::default());
    let mut out = format!("{builder:?}\n");
    let client = builder.build().unwrap();
    out.push_str(&format!("{client:?}\n"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async {
            let id = PostalMailId::new("7").unwrap();
            let letter = CreatePostalMail::new("2021-11-12".parse().unwrap()).body(body);
            let created = client.create(letter.clone()).await.unwrap();
            out.push_str(&format!("{created:?}\n{letter:?}\n"));
            let got = client.get(&id, &GetOptions::new()).await.unwrap();
            out.push_str(&format!("{got:?}\n"));
            let err = client
                .update(&id, UpdatePostalMail::new().body(body))
                .await
                .unwrap_err();
            out.push_str(&format!("{err:?}\n{err}\n"));
            let err = client
                .create(CreatePostalMail::new("2021-11-12".parse().unwrap()).body(body))
                .await
                .unwrap_err();
            out.push_str(&format!("{err:?}\n{err}\n"));
            let raw = client
                .raw(Method::GET, "/crm/v3/objects/postal_mail/7", None, true)
                .await
                .unwrap();
            out.push_str(&format!("{raw:?}\n"));
            let err = client
                .create(CreatePostalMail::new("2021-11-12".parse().unwrap()).body(body))
                .await
                .unwrap_err();
            assert!(err.may_have_been_applied(), "{err}");
            out.push_str(&format!("{err:?}\n{err}\n"));
            let filter = Filter::contains_token(BODY, body);
            let search = SearchRequest::builder()
                .filter(filter.clone())
                .or_group(vec![Filter::is_in(BODY, [body, body])])
                .query(body);
            out.push_str(&format!("{filter:?}\n{search:?}\n"));
            out.push_str(&format!("{:?}\n", search.build().unwrap()));
        });
    });
    for request in t.requests() {
        out.push_str(&format!("{request:?}\n"));
    }
    (out, captured.text())
}

#[test]
fn tracing_names_operations_and_templates_not_urls() {
    let (_, out) = exercise("pat-na1-0000", "Letter text");
    assert!(
        out.contains("operation=\"create\"") || out.contains("operation=create"),
        "{out}"
    );
    assert!(
        out.contains(
            hubspot_postal::model::endpoints::GET
                .template(hubspot_postal::model::endpoints::ApiVersion::DEFAULT)
                .unwrap()
        ),
        "path templates are logged: {out}"
    );
    assert!(
        out.contains("retrying"),
        "retry decisions are logged: {out}"
    );
    assert!(
        !out.contains("/crm/v3/objects/postal_mail/7"),
        "raw URLs are not logged: {out}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn token_and_letter_text_never_leak(
        token in "[A-Za-z0-9_-]{12,40}",
        body in "[A-Za-z]{6,12} [A-Za-z]{6,12} [0-9]{3,5}",
    ) {
        let (debug, tracing) = exercise(&token, &body);
        prop_assert!(!debug.contains(&token), "token leaked in Debug/Display");
        prop_assert!(!tracing.contains(&token), "token leaked in tracing");
        prop_assert!(!debug.contains(&body), "letter text leaked in Debug/Display");
        prop_assert!(!tracing.contains(&body), "letter text leaked in tracing");
        let t = AccessToken::new(&token);
        let printed = format!("{t:?} {t}");
        prop_assert!(!printed.contains(&token));
    }
}

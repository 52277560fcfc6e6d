//! The two mock seams (feature `mock`): a service written against `&dyn PostalMailApi`, tested
//! with `MockPostalMailApi`, and `MockTransport` under a real `Client`.
//!
//! Run with `cargo test -p hubspot-postal --features mock --test mock_api`.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use std::sync::Arc;

use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::record::Record;
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::transport::http::{Method, StatusCode, header};
use hubspot_postal::transport::{MockTransport, Request, Response};
use hubspot_postal::{Client, Error, MockPostalMailApi, PostalMailApi, RateLimiter};
use mockall::Sequence;
use serde_json::json;
use support::{contact, created_example, postal_mail};

/// A small service: logs a letter against a contact and pins it on the contact's timeline.
async fn log_letter(
    api: &dyn PostalMailApi,
    contact: &RecordId,
    text: &str,
) -> Result<PostalMail, Error> {
    let association = AssociationInput::default_to(&ObjectType::Contact, contact.clone())
        .expect("contacts have a default association type");
    let letter = api
        .create(
            CreatePostalMail::new("2021-11-12".parse()?)
                .body(text)
                .associate(association),
        )
        .await?;
    api.pin(&Pin::new(
        letter.id.clone(),
        PinTarget::contact(contact.clone()),
    ))
    .await?;
    Ok(letter)
}

fn decoded_postal_mail(id: &str) -> PostalMail {
    serde_json::from_value(postal_mail(id, &[])).unwrap()
}

fn decoded_contact(id: &str, pinned: &str) -> Record {
    serde_json::from_value(contact(id, &[("hs_pinned_engagement_id", pinned)])).unwrap()
}

#[tokio::test]
async fn log_letter_creates_then_pins_the_new_letter_on_the_contact() {
    let mut api = MockPostalMailApi::new();
    let mut seq = Sequence::new();
    api.expect_create()
        .withf(|input: &CreatePostalMail| {
            input.properties.get("hs_postal_mail_body") == Some("Signed contract received")
                && input.properties.get("hs_timestamp") == Some("2021-11-12T00:00:00.000Z")
                && input.associations.len() == 1
                && input.associations[0].to.id.as_str() == "104901"
                && input.associations[0].types[0].association_type_id.0 == 453
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok(decoded_postal_mail("25727582880")));
    api.expect_pin()
        .withf(|pin: &Pin| {
            pin.engagement().as_str() == "25727582880"
                && pin.target() == &PinTarget::contact(RecordId::from(104_901))
        })
        .times(1)
        .in_sequence(&mut seq)
        .returning(|_| Ok(decoded_contact("104901", "25727582880")));

    let letter = log_letter(&api, &RecordId::from(104_901), "Signed contract received")
        .await
        .unwrap();
    assert_eq!(letter.id, PostalMailId::from(25_727_582_880));
}

#[tokio::test]
async fn log_letter_does_not_pin_when_the_create_fails() {
    let mut api = MockPostalMailApi::new();
    api.expect_create()
        .times(1)
        .returning(|_| Err(Error::Config("boom".into())));
    api.expect_pin().never();
    let err = log_letter(&api, &RecordId::from(1), "x").await.unwrap_err();
    assert!(matches!(err, Error::Config(_)), "{err:?}");
}

#[tokio::test]
async fn log_letter_reports_a_refused_pin() {
    let mut api = MockPostalMailApi::new();
    api.expect_create()
        .times(1)
        .returning(|_| Ok(decoded_postal_mail("7")));
    api.expect_pin().times(1).returning(|pin| {
        Err(Error::NotAssociated {
            engagement: pin.engagement().clone(),
            target: pin.target().clone(),
        })
    });
    let err = log_letter(&api, &RecordId::from(1), "x").await.unwrap_err();
    assert!(matches!(err, Error::NotAssociated { .. }), "{err:?}");
}

#[tokio::test]
async fn the_real_client_is_a_postal_mail_api() {
    // The same service runs unchanged over a Client (here over the scripted transport).
    let (client, scripted) = support::setup();
    scripted.push_json(201, created_example());
    scripted.push_json(200, support::association_page(&["104901"], None));
    scripted.push_json(
        200,
        contact("104901", &[("hs_pinned_engagement_id", "25727582880")]),
    );
    let api: &dyn PostalMailApi = &client;
    let letter = log_letter(api, &RecordId::from(104_901), "Signed contract received")
        .await
        .unwrap();
    assert_eq!(letter.id.as_str(), "25727582880");
    let methods: Vec<Method> = scripted.requests().into_iter().map(|r| r.method).collect();
    assert_eq!(methods, [Method::POST, Method::GET, Method::PATCH]);
}

fn client_over_mock(mock: MockTransport) -> Client {
    Client::builder()
        .token("test-token")
        .base_url("https://api.hubapi.com")
        .transport(Arc::new(mock))
        .rate_limiter(RateLimiter::unlimited())
        .retry_policy(RetryPolicy::never())
        .build()
        .unwrap()
}

#[tokio::test]
async fn mock_transport_under_the_client_builder() {
    let mut mock = MockTransport::new();
    mock.expect_send()
        .withf(|req: &Request| {
            req.method == Method::POST
                && req.path_and_query == "/crm/objects/2026-03/postal_mail"
                && req.headers.get(header::AUTHORIZATION).map(|v| v.as_bytes())
                    == Some(b"Bearer test-token".as_slice())
                && req.headers.get(header::CONTENT_TYPE).map(|v| v.as_bytes())
                    == Some(b"application/json".as_slice())
                && serde_json::from_slice::<serde_json::Value>(req.body.as_deref().unwrap_or(b""))
                    .ok()
                    == Some(json!({"properties":{"hs_timestamp":"2021-11-12T00:00:00.000Z"},"associations":[]}))
        })
        .times(1)
        .returning(|_| Ok(Response::json(StatusCode::CREATED, &created_example())));
    mock.expect_send()
        .withf(|req: &Request| {
            req.method == Method::DELETE
                && req.path_and_query == "/crm/objects/2026-03/postal_mail/25727582880"
                && req.headers.get(header::CONTENT_TYPE).is_none()
                && req.body.is_none()
        })
        .times(1)
        .returning(|_| Ok(Response::new(StatusCode::NO_CONTENT)));
    let client = client_over_mock(mock);

    let letter = client
        .create(CreatePostalMail::new("2021-11-12".parse().unwrap()))
        .await
        .unwrap();
    assert_eq!(letter.id.as_str(), "25727582880");
    client.archive(&letter.id).await.unwrap();
    // Dropping the client drops the mock, which checks `times(1)` on both expectations.
}

#[tokio::test]
async fn mock_transport_error_status_reaches_the_caller() {
    let mut mock = MockTransport::new();
    mock.expect_send().times(1).returning(|_| {
        Ok(Response::json(
            StatusCode::NOT_FOUND,
            &json!({"status":"error","category":"OBJECT_NOT_FOUND","message":"nope","correlationId":"c-9"}),
        ))
    });
    let client = client_over_mock(mock);
    let err = client
        .get(&PostalMailId::from(1), &Default::default())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.correlation_id(), Some("c-9"));
}

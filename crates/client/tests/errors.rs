//! Error paths: HubSpot's error bodies (reference §2.8, §7.4), bodies that are not JSON,
//! truncated or empty bodies, the correlation id fallback, the accessors, and validation that
//! fails before anything is sent.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hubspot_postal::model::association::{AssociationInput, types};
use hubspot_postal::model::engagement::{CreatePostalMail, UpdatePostalMail};
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::model::ids::PostalMailId;
use hubspot_postal::model::ids::RecordId;
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::search::{Filter, FilterGroup, SearchRequest};
use hubspot_postal::model::validation::ValidationError;
use hubspot_postal::transport::Response;
use hubspot_postal::transport::http::{HeaderName, HeaderValue, StatusCode};
use hubspot_postal::{Error, GetOptions, ListOptions};
use serde_json::json;
use support::*;

fn pm() -> PostalMailId {
    PostalMailId::new("25727582880").unwrap()
}

fn with_correlation_header(mut response: Response, id: &'static str) -> Response {
    response.headers.insert(
        HeaderName::from_static("x-hubspot-correlation-id"),
        HeaderValue::from_static(id),
    );
    response
}

#[tokio::test]
async fn validation_error_400_is_an_api_error_with_category_message_and_correlation_id() {
    let (client, scripted) = setup();
    scripted.push_json(400, validation_error_body());
    let err = client
        .create(letter().property("testproperty", "x"))
        .await
        .unwrap_err();

    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.operation, "create");
    assert_eq!(api.status, 400);
    assert_eq!(api.category(), Some("VALIDATION_ERROR"));
    assert!(
        api.message()
            .unwrap()
            .starts_with("Property values were not valid")
    );
    let details = api.body.errors.as_ref().unwrap();
    assert_eq!(details[0].code.as_deref(), Some("PROPERTY_DOESNT_EXIST"));
    assert_eq!(
        details[0].context.as_ref().unwrap()["propertyName"],
        ["testproperty"]
    );

    assert_eq!(err.status(), Some(400));
    assert_eq!(err.category(), Some("VALIDATION_ERROR"));
    assert_eq!(
        err.correlation_id(),
        Some("8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c")
    );
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_applied(), "a 400 was not applied");
    assert!(err.unreconciled_inputs().is_empty());
    let shown = err.to_string();
    for part in [
        "create",
        "400",
        "VALIDATION_ERROR",
        "Property values were not valid",
        "8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c",
    ] {
        assert!(shown.contains(part), "{part:?} missing from {shown:?}");
    }
    assert_eq!(scripted.request_count(), 1, "a 400 is not retried");
}

#[tokio::test]
async fn unauthorized_401() {
    let (client, scripted) = setup();
    scripted.push_response(with_correlation_header(
        Response::json(
            StatusCode::UNAUTHORIZED,
            &json!({"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION"}),
        ),
        "corr-401",
    ));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.category(), Some("INVALID_AUTHENTICATION"));
    assert_eq!(
        err.correlation_id(),
        Some("corr-401"),
        "falls back to the header"
    );
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_applied());
    assert!(
        err.to_string()
            .contains("Authentication credentials not found.")
    );
    assert!(!err.to_string().contains("test-token"));
}

#[tokio::test]
async fn missing_scopes_403() {
    let (client, scripted) = setup();
    scripted.push_json(
        403,
        json!({
            "status": "error",
            "message": "This app hasn't been granted all required scopes to make this call. Read more about required scopes here: https://developers.hubspot.com/scopes.",
            "correlationId": "0b7f7a0e-2c1d-4a7b-9d8e-1f2a3b4c5d6e",
            "errors": [ { "message": "One or more of the following scopes are required.",
                "context": { "requiredGranularScopes": ["crm.objects.contacts.write"] } } ],
            "links": { "scopes": "https://developers.hubspot.com/scopes" },
            "category": "MISSING_SCOPES"
        }),
    );
    let err = client
        .update(&pm(), UpdatePostalMail::new().body("x"))
        .await
        .unwrap_err();
    let api = err.api().expect("an API error");
    assert_eq!(api.status, 403);
    assert_eq!(err.category(), Some("MISSING_SCOPES"));
    assert_eq!(
        api.body.errors.as_ref().unwrap()[0]
            .context
            .as_ref()
            .unwrap()["requiredGranularScopes"],
        ["crm.objects.contacts.write"]
    );
    assert_eq!(
        api.body.links.as_ref().unwrap()["scopes"],
        "https://developers.hubspot.com/scopes"
    );
    assert_eq!(
        err.correlation_id(),
        Some("0b7f7a0e-2c1d-4a7b-9d8e-1f2a3b4c5d6e")
    );
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn not_found_404() {
    let (client, scripted) = setup();
    scripted.push_json(
        404,
        json!({"status":"error","message":"resource not found","correlationId":"corr-404","category":"OBJECT_NOT_FOUND"}),
    );
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.category(), Some("OBJECT_NOT_FOUND"));
    assert_eq!(err.correlation_id(), Some("corr-404"));
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_applied());
    // HubSpot's body does not say which record: the request does.
    assert!(
        matches!(&err, Error::NotFound { object_type: ObjectType::PostalMail, id, .. } if id == "25727582880"),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "get failed: postal mail 25727582880 does not exist: HTTP 404 OBJECT_NOT_FOUND: \
         resource not found (correlation id corr-404)"
    );
}

/// What the emulator (and HubSpot) answers to a create associated with a missing contact.
fn missing_contact_body() -> serde_json::Value {
    json!({"status":"error","message":"Object not found.  objectId are usually numeric.",
           "correlationId":"corr-1","category":"OBJECT_NOT_FOUND",
           "context":{"id":["424242"],"objectType":["contacts"]}})
}

fn associated_with(ids: &[(ObjectType, &str)]) -> CreatePostalMail {
    ids.iter().fold(letter(), |input, (object, id)| {
        input.associate(AssociationInput::default_to(object, RecordId::new(*id).unwrap()).unwrap())
    })
}

#[tokio::test]
async fn a_404_on_create_names_the_missing_contact() {
    let (client, scripted) = setup();
    scripted.push_json(404, missing_contact_body());
    let err = client
        .create(associated_with(&[(ObjectType::Contact, "424242")]))
        .await
        .unwrap_err();
    let text = err.to_string();
    assert!(
        text.starts_with("create failed: contact 424242 does not exist: HTTP 404 OBJECT_NOT_FOUND"),
        "{text}"
    );
    assert!(text.ends_with("(correlation id corr-1)"), "{text}");
    assert_eq!(err.status(), Some(404));
    assert!(!err.is_retryable() && !err.may_have_been_applied());
}

/// What a create associated with `records` prints when HubSpot answers 404 with `message`
/// and no `context`.
async fn create_answered_404(message: &str, records: &[(ObjectType, &str)]) -> Error {
    let (client, scripted) = setup();
    let body = json!({"status":"error","message":message,"category":"OBJECT_NOT_FOUND"});
    scripted.push_json(404, body);
    client.create(associated_with(records)).await.unwrap_err()
}

#[tokio::test]
async fn a_404_without_context_names_the_record_the_request_addressed() {
    let (company, deal) = ((ObjectType::Company, "77"), (ObjectType::Deal, "88"));
    // The body names no record: with one association, it is the one.
    let err = create_answered_404("resource not found", std::slice::from_ref(&company)).await;
    let text = err.to_string();
    assert!(
        text.starts_with("create failed: company 77 does not exist"),
        "{text}"
    );

    // With several, the one whose id the message mentions.
    let err = create_answered_404(
        "No object with id 88 exists",
        &[company.clone(), deal.clone()],
    )
    .await;
    let text = err.to_string();
    assert!(
        text.starts_with("create failed: deal 88 does not exist"),
        "{text}"
    );

    // With several and no clue, the record is not guessed.
    let err = create_answered_404("resource not found", &[company, deal]).await;
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert!(!err.to_string().contains("does not exist"), "{err}");
}

#[tokio::test]
async fn a_404_on_an_association_names_the_missing_side() {
    let (client, scripted) = setup();
    scripted.push_json(404, json!({"status":"error","message":"Object not found.","category":"OBJECT_NOT_FOUND","context":{"id":["5"]}}));
    let err = client
        .associate(
            &pm(),
            &ObjectType::Ticket,
            &RecordId::new("5").unwrap(),
            types::POSTAL_MAIL_TO_TICKET,
        )
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("associate failed: ticket 5 does not exist"),
        "{err}"
    );
}

#[tokio::test]
async fn a_401_says_hubspot_rejected_the_token() {
    let (client, scripted) = setup();
    scripted.push_json(401, json!({"status":"error","message":"Authentication credentials not found.","category":"INVALID_AUTHENTICATION","correlationId":"c-401"}));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        "get failed: HubSpot rejected the access token: HTTP 401 INVALID_AUTHENTICATION: \
         Authentication credentials not found. (correlation id c-401)"
    );
}

/// A port on which nothing listens.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test]
async fn a_refused_connection_is_reported_after_one_quick_retry() {
    let client = hubspot_postal::Client::builder()
        .token("pat-test")
        .base_url(format!("http://127.0.0.1:{}", closed_port()))
        .build()
        .unwrap();
    let started = std::time::Instant::now();
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let took = started.elapsed();
    assert!(err.to_string().contains("connection refused"), "{err}");
    // The default backoff would spend about 3 s on four retries; one quick retry is 200 ms.
    assert!(took < std::time::Duration::from_secs(1), "took {took:?}");
}

#[tokio::test]
async fn a_refused_connection_names_the_host_and_the_cause() {
    // A real socket: the classification comes from the reqwest transport.
    let port = closed_port();
    let client = hubspot_postal::Client::builder()
        .token("pat-test")
        .base_url(format!("http://127.0.0.1:{port}"))
        .retry_policy(hubspot_postal::retry::RetryPolicy::never())
        .build()
        .unwrap();
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "get failed: connection refused at 127.0.0.1:{port} (request not sent): \
             nothing accepts connections on that port"
        )
    );
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn rate_limited_429_carries_the_policy() {
    let (client, scripted) = setup();
    scripted.push_json(
        429,
        json!({ "status": "error", "message": "You have reached your ten_secondly_rolling limit.", "errorType": "RATE_LIMIT",
          "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24", "policyName": "TEN_SECONDLY_ROLLING",
          "requestId": "3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd" }),
    );
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::RateLimited(limited) = &err else {
        panic!("expected Error::RateLimited, got {err:?}")
    };
    assert_eq!(limited.policy, Some(RateLimitPolicy::TenSecondlyRolling));
    assert_eq!(
        err.rate_limit_policy(),
        Some(&RateLimitPolicy::TenSecondlyRolling)
    );
    assert_eq!(err.status(), Some(429));
    assert_eq!(
        err.correlation_id(),
        Some("c033cdaa-2c40-4a64-ae48-b4cec88dad24")
    );
    assert!(err.is_retryable());
    assert!(!err.may_have_been_applied());
}

#[tokio::test]
async fn daily_limit_429_is_not_retryable_and_says_so() {
    let (client, scripted) = setup();
    scripted.push_json(
        429,
        json!({ "status": "error", "message": "You have reached your daily limit.", "errorType": "RATE_LIMIT",
          "correlationId": "c033cdaa-2c40-4a64-ae48-b4cec88dad24", "policyName": "DAILY",
          "requestId": "3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd" }),
    );
    let err = client.archive(&pm()).await.unwrap_err();
    assert_eq!(err.rate_limit_policy(), Some(&RateLimitPolicy::Daily));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("daily limit"), "{err}");
    assert_eq!(scripted.request_count(), 1);
}

#[tokio::test]
async fn search_secondly_429_is_recognised_from_the_message() {
    let (client, scripted) = setup();
    scripted.push_json(
        429,
        json!({ "status": "error", "message": "You have reached your secondly limit.", "correlationId": "de61843f-b3ab-4bc1-8c54-358e37eb0621", "category": "RATE_LIMITS" }),
    );
    let err = client
        .search_page(&SearchRequest::default())
        .await
        .unwrap_err();
    assert_eq!(err.rate_limit_policy(), Some(&RateLimitPolicy::Secondly));
    assert_eq!(err.category(), Some("RATE_LIMITS"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn server_error_500() {
    let (client, scripted) = setup();
    scripted.push_json(
        500,
        json!({"status":"error","message":"internal error","correlationId":"corr-500","category":"INTERNAL_ERROR"}),
    );
    let err = client
        .update(&pm(), UpdatePostalMail::new().body("x"))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::Api(_)), "{err:?}");
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.correlation_id(), Some("corr-500"));
    assert!(err.is_retryable());
    assert!(
        err.may_have_been_applied(),
        "a PATCH answered 500 may have been applied"
    );
}

#[tokio::test]
async fn create_answered_500_may_have_been_applied_and_carries_its_input() {
    let (client, scripted) = setup();
    scripted.push_json(
        500,
        json!({"status":"error","message":"internal error","correlationId":"corr-500"}),
    );
    let err = client.create(letter().body("only once")).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::MaybeApplied {
                operation: "create",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.may_have_been_applied());
    assert!(!err.is_retryable());
    assert_eq!(err.status(), Some(500));
    assert_eq!(err.correlation_id(), Some("corr-500"));
    let inputs = err.unreconciled_inputs();
    assert_eq!(inputs.len(), 1);
    assert_eq!(
        inputs[0].properties.get("hs_postal_mail_body"),
        Some("only once")
    );
    assert_eq!(scripted.request_count(), 1);
}

#[tokio::test]
async fn html_body_with_200_is_a_decode_error_not_a_panic() {
    let (client, scripted) = setup();
    scripted.push_response(raw_response(200, "<html>502 Bad Gateway</html>"));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(decode.operation, "get");
    assert_eq!(decode.status, 200);
    assert!(decode.excerpt.contains("502 Bad Gateway"), "{decode:?}");
    assert_eq!(err.status(), Some(200));
    assert!(!err.is_retryable());
    assert!(err.to_string().contains("could not decode"), "{err}");
}

#[tokio::test]
async fn html_body_with_502_is_an_api_error_saying_non_json() {
    let (client, scripted) = setup();
    scripted.push_response(with_correlation_header(
        raw_response(502, "<html>502 Bad Gateway</html>"),
        "corr-502",
    ));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 502);
    assert_eq!(api.category(), None);
    let message = api.message().unwrap();
    assert!(message.contains("non-JSON"), "{message}");
    assert!(message.contains("502 Bad Gateway"), "{message}");
    assert_eq!(err.correlation_id(), Some("corr-502"));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn truncated_body_is_a_decode_error_with_a_path() {
    let (client, scripted) = setup();
    scripted.push_response(raw_response(200, r#"{"id":"1","prop"#));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert!(!decode.path.is_empty(), "{decode:?}");
    assert!(decode.message.contains("EOF"), "{decode:?}");
    assert_eq!(decode.excerpt, r#"{"id":"1","prop"#);
    assert!(
        err.to_string().contains(&format!("at {}", decode.path)),
        "{err}"
    );
}

#[tokio::test]
async fn wrong_shape_is_a_decode_error_naming_the_field() {
    let (client, scripted) = setup();
    let mut body = postal_mail("1", &[]);
    body["createdAt"] = json!("yesterday");
    scripted.push_json(200, body);
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(decode.path, "createdAt");
}

#[tokio::test]
async fn letter_text_is_masked_in_decode_excerpts() {
    let (client, scripted) = setup();
    scripted.push_response(raw_response(
        200,
        r#"{"id":"1","properties":{"hs_postal_mail_body":"Dear John, the signed contract"},"createdAt":5"#,
    ));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Decode(_)));
    assert!(!err.to_string().contains("Dear John"), "{err}");
    assert!(!format!("{err:?}").contains("Dear John"), "{err:?}");
}

#[tokio::test]
async fn empty_body_on_200_get_is_a_decode_error() {
    let (client, scripted) = setup();
    scripted.push_response(empty(200));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected Error::Decode, got {err:?}")
    };
    assert_eq!(decode.status, 200);
    assert!(decode.excerpt.is_empty());
}

#[tokio::test]
async fn empty_error_body_keeps_the_status_and_the_header_correlation_id() {
    let (client, scripted) = setup();
    scripted.push_response(with_correlation_header(empty(503), "corr-503"));
    let err = client.archive(&pm()).await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected Error::Api, got {err:?}")
    };
    assert_eq!(api.status, 503);
    assert_eq!(api.message(), None);
    assert_eq!(err.correlation_id(), Some("corr-503"));
    assert!(err.to_string().contains("corr-503"));
}

#[tokio::test]
async fn body_correlation_id_wins_over_the_header() {
    let (client, scripted) = setup();
    scripted.push_response(with_correlation_header(
        Response::json(
            StatusCode::NOT_FOUND,
            &json!({"status":"error","message":"nope","correlationId":"from-body"}),
        ),
        "from-header",
    ));
    let err = client.get(&pm(), &GetOptions::new()).await.unwrap_err();
    assert_eq!(err.correlation_id(), Some("from-body"));
}

#[tokio::test]
async fn correlation_id_falls_back_to_the_header_when_the_body_lacks_it() {
    let (client, scripted) = setup();
    scripted.push_response(with_correlation_header(
        Response::json(
            StatusCode::BAD_REQUEST,
            &json!({"status":"error","message":"bad","category":"VALIDATION_ERROR"}),
        ),
        "8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c",
    ));
    let err = client
        .update(&pm(), UpdatePostalMail::new().body("x"))
        .await
        .unwrap_err();
    assert_eq!(
        err.correlation_id(),
        Some("8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c")
    );
    assert!(
        err.to_string()
            .contains("(correlation id 8a3f6c3a-8296-4002-b0a6-2a06fecf7c0c)")
    );
}

// ---- validation before sending --------------------------------------------------------------

#[tokio::test]
async fn create_without_hs_timestamp_sends_nothing() {
    let (client, scripted) = setup();
    let mut input = letter().body("no date");
    input.properties.remove("hs_timestamp");
    let err = client.create(input).await.unwrap_err();
    assert!(
        matches!(err, Error::Validation(ValidationError::MissingTimestamp)),
        "{err:?}"
    );
    assert_eq!(err.status(), None);
    assert!(!err.is_retryable());
    assert!(!err.may_have_been_applied());
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn search_with_too_many_groups_sends_nothing() {
    let (client, scripted) = setup();
    let request = SearchRequest {
        filter_groups: vec![
            FilterGroup {
                filters: vec![Filter::eq("hubspot_owner_id", "1")]
            };
            6
        ],
        ..SearchRequest::default()
    };
    let err = client.search_page(&request).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::TooManyFilterGroups { count: 6, max: 5 })
        ),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn list_limit_101_sends_nothing() {
    let (client, scripted) = setup();
    let err = client
        .list_page(&ListOptions::new().limit(101))
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::PageSize {
                limit: 101,
                max: 100
            })
        ),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn empty_update_sends_nothing() {
    let (client, scripted) = setup();
    let err = client
        .update(&pm(), UpdatePostalMail::new())
        .await
        .unwrap_err();
    assert!(
        matches!(err, Error::Validation(ValidationError::EmptyUpdate)),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn malformed_update_value_sends_nothing() {
    let (client, scripted) = setup();
    let update = UpdatePostalMail::new().set("hs_timestamp", "soon").unwrap();
    let err = client.update(&pm(), update).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::Validation(ValidationError::InvalidTimestamp { .. })
        ),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[test]
fn a_token_pasted_with_bearer_is_refused_with_a_hint_not_its_value() {
    let err = hubspot_postal::Client::builder()
        .token("Bearer pat-na1-secret-value")
        .build()
        .unwrap_err();
    let text = err.to_string();
    assert!(text.contains("starts with \"Bearer \""), "{text}");
    assert!(!text.contains("secret-value"), "{text}");
}

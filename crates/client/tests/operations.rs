//! Single-record operations, associations, records and `raw`, over the scripted transport:
//! exact method, path, query, headers and body of each request, and decoding of the
//! documented responses (reference §2.2–§2.7).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hubspot_postal::model::association::{
    AssociationCategory, AssociationInput, AssociationSpec, AssociationTypeId, types,
};
use hubspot_postal::model::engagement::UpdatePostalMail;
use hubspot_postal::model::ids::{OwnerId, PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::validation::ValidationError;
use hubspot_postal::transport::http::{Method, StatusCode};
use hubspot_postal::{Error, GetOptions};
use serde_json::json;
use support::*;

const PM: &str = "25727582880";
const CONTACT: &str = "104901";

fn pm() -> PostalMailId {
    PostalMailId::new(PM).unwrap()
}

fn contact_id() -> RecordId {
    RecordId::new(CONTACT).unwrap()
}

#[tokio::test]
async fn create_posts_properties_and_associations_and_decodes_201() {
    let (client, scripted) = setup();
    scripted.push_json(201, created_example());

    let input = letter()
        .body("Sent copy of contract to decision maker John")
        .owner(OwnerId::new("9274996").unwrap())
        .attachments("24332474034".parse().unwrap())
        .associate(AssociationInput::default_to(&ObjectType::Contact, RecordId::from(501)).unwrap())
        .associate(AssociationInput::new(
            RecordId::from(502),
            vec![AssociationSpec::hubspot_defined(
                types::POSTAL_MAIL_TO_CONTACT,
            )],
        ));
    let created = client.create(input).await.unwrap();

    let requests = scripted.requests();
    assert_eq!(requests.len(), 1);
    assert_request(
        &requests[0],
        Method::POST,
        "/crm/v3/objects/postal_mail",
        &[],
        Some(json!({
            "properties": {
                "hs_timestamp": "2021-11-12T00:00:00.000Z",
                "hs_postal_mail_body": "Sent copy of contract to decision maker John",
                "hubspot_owner_id": "9274996",
                "hs_attachment_ids": "24332474034"
            },
            "associations": [
                { "to": { "id": "501" }, "types": [ { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 } ] },
                { "to": { "id": "502" }, "types": [ { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 } ] }
            ]
        })),
    );

    assert_eq!(created.id, pm());
    assert_eq!(
        created.body(),
        Some("Sent copy of contract to decision maker John")
    );
    assert_eq!(created.owner_id().unwrap().unwrap().as_str(), "9274996");
    assert_eq!(
        created.timestamp().unwrap().unwrap().to_string(),
        "2021-11-12T00:00:00.000Z"
    );
    assert_eq!(created.attachment_ids().unwrap().len(), 1);
    assert!(!created.archived);
}

#[tokio::test]
async fn get_sends_every_read_option_as_repeated_query_parameters() {
    let (client, scripted) = setup();
    let mut body = postal_mail(PM, &[("hs_timestamp", "2021-11-12T00:00:00Z")]);
    body["associations"] = json!({
        "contacts": { "results": [ { "id": "501", "type": "postal_mail_to_contact" },
                                   { "id": 502, "type": "postal_mail_to_contact" } ] }
    });
    body["propertiesWithHistory"] = json!({
        "hs_timestamp": [ { "value": "2021-11-12T00:00:00Z", "timestamp": "2026-01-05T10:00:00.000Z", "sourceType": "API" } ]
    });
    scripted.push_json(200, body);

    let options = GetOptions::new()
        .properties(["hs_postal_mail_body", "hs_timestamp"])
        .properties_with_history(["hs_timestamp"])
        .associations([ObjectType::Contact, ObjectType::Company])
        .archived(true);
    let read = client.get(&pm(), &options).await.unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail/25727582880",
        &[
            ("properties", "hs_postal_mail_body"),
            ("properties", "hs_timestamp"),
            ("propertiesWithHistory", "hs_timestamp"),
            ("associations", "contacts"),
            ("associations", "companies"),
            ("archived", "true"),
        ],
        None,
    );
    assert_eq!(read.id, pm());
    let ids: Vec<&str> = read
        .associated_ids("contacts")
        .into_iter()
        .map(RecordId::as_str)
        .collect();
    assert_eq!(ids, ["501", "502"]);
    let history = read.properties_with_history.as_ref().unwrap();
    assert_eq!(history["hs_timestamp"][0].source_type, "API");
}

/// The fixed headers are built once per kind of body and shared by every request (no map is
/// allocated per attempt); a request with a body points at its own shared map, which says
/// `Content-Type`.
#[tokio::test]
async fn requests_share_the_clients_fixed_headers() {
    let (client, scripted) = setup();
    for _ in 0..2 {
        scripted.push_json(200, postal_mail(PM, &[]));
        client.get(&pm(), &GetOptions::new()).await.unwrap();
    }
    for _ in 0..2 {
        scripted.push_json(200, postal_mail(PM, &[]));
        client
            .update(&pm(), UpdatePostalMail::new().body("x"))
            .await
            .unwrap();
    }
    let sent = scripted.requests();
    assert!(std::sync::Arc::ptr_eq(&sent[0].headers, &sent[1].headers));
    assert!(std::sync::Arc::ptr_eq(&sent[2].headers, &sent[3].headers));
    assert!(!std::sync::Arc::ptr_eq(&sent[0].headers, &sent[2].headers));
    assert!(sent[0].headers.get("content-type").is_none());
    assert_eq!(sent[2].headers["content-type"], "application/json");
}

#[tokio::test]
async fn get_with_default_options_sends_no_query() {
    let (client, scripted) = setup();
    scripted.push_json(200, postal_mail(PM, &[]));
    let read = client.get(&pm(), &GetOptions::new()).await.unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail/25727582880",
        &[],
        None,
    );
    assert_eq!(read.properties.get("hs_object_id"), Some(PM));
    // archived(false) is HubSpot's default and is not sent.
    scripted.push_json(200, postal_mail(PM, &[]));
    client
        .get(&pm(), &GetOptions::new().archived(false))
        .await
        .unwrap();
    assert_eq!(query_of(&scripted.requests()[1]), vec![]);
}

#[tokio::test]
async fn get_by_unique_encodes_the_value_as_one_path_segment() {
    let (client, scripted) = setup();
    scripted.push_json(200, postal_mail(PM, &[("letter_ref", "ext/42 a")]));

    let read = client
        .get_by_unique(
            "letter_ref",
            "ext/42 a",
            &GetOptions::new().properties(["letter_ref", "hs_timestamp"]),
        )
        .await
        .unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail/ext%2F42%20a",
        &[
            ("properties", "letter_ref"),
            ("properties", "hs_timestamp"),
            ("idProperty", "letter_ref"),
        ],
        None,
    );
    assert_eq!(read.id, pm());
    assert_eq!(read.properties.get("letter_ref"), Some("ext/42 a"));
}

#[tokio::test]
async fn get_by_unique_rejects_bad_names_and_empty_values_without_sending() {
    let (client, scripted) = setup();
    let bad_name = client
        .get_by_unique("Letter Ref", "x", &GetOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(
            bad_name,
            Error::Validation(ValidationError::InvalidPropertyName { .. })
        ),
        "{bad_name:?}"
    );
    let empty_value = client
        .get_by_unique("letter_ref", "", &GetOptions::new())
        .await
        .unwrap_err();
    assert!(
        matches!(empty_value, Error::Validation(_)),
        "{empty_value:?}"
    );
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn update_patches_set_and_cleared_properties_only() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        postal_mail(
            PM,
            &[
                ("hs_postal_mail_body", "Received a call in response."),
                ("hs_attachment_ids", ""),
            ],
        ),
    );

    let update = UpdatePostalMail::new()
        .body("Received a call in response.")
        .clear_attachments();
    let updated = client.update(&pm(), update).await.unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::PATCH,
        "/crm/v3/objects/postal_mail/25727582880",
        &[],
        Some(json!({ "properties": {
            "hs_postal_mail_body": "Received a call in response.",
            "hs_attachment_ids": ""
        } })),
    );
    assert_eq!(updated.body(), Some("Received a call in response."));
    assert!(updated.attachment_ids().unwrap().is_empty());
}

#[tokio::test]
async fn archive_deletes_and_accepts_204() {
    let (client, scripted) = setup();
    scripted.push_response(empty(204));
    client.archive(&pm()).await.unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::DELETE,
        "/crm/v3/objects/postal_mail/25727582880",
        &[],
        None,
    );
}

#[tokio::test]
async fn associate_v3_puts_without_body_and_decodes_the_postal_mail() {
    let (client, scripted) = setup();
    let mut body = postal_mail(PM, &[]);
    body["associations"] = json!({ "contacts": { "results": [ { "id": CONTACT, "type": "postal_mail_to_contact" } ] } });
    scripted.push_json(200, body);

    let read = client
        .associate(
            &pm(),
            &ObjectType::Contact,
            &contact_id(),
            types::POSTAL_MAIL_TO_CONTACT,
        )
        .await
        .unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::PUT,
        "/crm/v3/objects/postal_mail/25727582880/associations/contact/104901/453",
        &[],
        None,
    );
    assert_eq!(read.associated_ids("contacts"), [&contact_id()]);
}

#[tokio::test]
async fn dissociate_v3_deletes_the_type_and_accepts_204() {
    let (client, scripted) = setup();
    scripted.push_response(empty(204));
    client
        .dissociate(
            &pm(),
            &ObjectType::Company,
            &RecordId::from(77),
            types::POSTAL_MAIL_TO_COMPANY,
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::DELETE,
        "/crm/v3/objects/postal_mail/25727582880/associations/company/77/459",
        &[],
        None,
    );
}

#[tokio::test]
async fn associate_labelled_puts_the_specs_and_decodes_201() {
    let (client, scripted) = setup();
    // G-ASSOC's example, with numbers for the ids.
    scripted.push_json(
        201,
        json!({"fromObjectTypeId":"0-116","fromObjectId":25727582880_u64,"toObjectTypeId":"0-1","toObjectId":104901,"labels":["Point of contact"]}),
    );

    let specs = vec![
        AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_CONTACT),
        AssociationSpec::user_defined(AssociationTypeId(37)),
    ];
    let pair = client
        .associate_labelled(&pm(), &ObjectType::Contact, &contact_id(), specs)
        .await
        .unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::PUT,
        "/crm/v4/objects/postal_mail/25727582880/associations/contacts/104901",
        &[],
        Some(json!([
            {"associationCategory":"HUBSPOT_DEFINED","associationTypeId":453},
            {"associationCategory":"USER_DEFINED","associationTypeId":37}
        ])),
    );
    assert_eq!(pair.from_object_id.as_str(), PM);
    assert_eq!(pair.to_object_id, contact_id());
    assert_eq!(pair.to_object_type_id, "0-1");
    assert_eq!(pair.labels, ["Point of contact"]);
}

#[tokio::test]
async fn associate_default_puts_without_body_and_decodes_the_batch_response() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        batch_body(
            vec![json!({
                "from": { "id": PM }, "to": { "id": CONTACT },
                "associationSpec": { "associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453 }
            })],
            vec![],
        ),
    );

    let response = client
        .associate_default(&pm(), &ObjectType::Contact, &contact_id())
        .await
        .unwrap();

    assert_request(
        &scripted.requests()[0],
        Method::PUT,
        "/crm/v4/objects/postal_mail/25727582880/associations/default/contacts/104901",
        &[],
        None,
    );
    assert_eq!(response.results.len(), 1);
    let result = &response.results[0];
    assert_eq!(result.to.id, contact_id());
    assert_eq!(
        result.association_spec,
        AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_CONTACT)
    );
    assert!(response.errors().is_empty());
}

#[tokio::test]
async fn remove_associations_deletes_the_pair_and_accepts_204() {
    let (client, scripted) = setup();
    scripted.push_response(empty(204));
    client
        .remove_associations(&pm(), &ObjectType::Deal, &RecordId::from(9))
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::DELETE,
        "/crm/v4/objects/postal_mail/25727582880/associations/deals/9",
        &[],
        None,
    );
}

#[tokio::test]
async fn list_associations_sends_the_cursor_and_decodes_labels() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        json!({
            "results": [ { "toObjectId": 104901, "associationTypes": [
                { "category": "HUBSPOT_DEFINED", "typeId": 453, "label": null },
                { "category": "USER_DEFINED", "typeId": 37, "label": "Point of contact" } ] } ],
            "paging": { "next": { "after": "MTA0OTAx", "link": "?after=MTA0OTAx" } }
        }),
    );
    scripted.push_json(200, association_page(&["7"], None));

    let first = client
        .list_associations(
            &pm(),
            &ObjectType::Contact,
            &hubspot_postal::AssociationListOptions::new(),
        )
        .await
        .unwrap();
    let second = client
        .list_associations(
            &pm(),
            &ObjectType::Contact,
            &hubspot_postal::AssociationListOptions::new().after("MTA0OTAx"),
        )
        .await
        .unwrap();

    let requests = scripted.requests();
    assert_request(
        &requests[0],
        Method::GET,
        "/crm/v4/objects/postal_mail/25727582880/associations/contacts",
        &[],
        None,
    );
    assert_request(
        &requests[1],
        Method::GET,
        "/crm/v4/objects/postal_mail/25727582880/associations/contacts",
        &[("after", "MTA0OTAx")],
        None,
    );
    assert_eq!(first.results[0].to_object_id, contact_id());
    let types: Vec<_> = first.results[0]
        .association_types
        .iter()
        .map(|t| (t.category.clone(), t.type_id.0, t.label.clone()))
        .collect();
    assert_eq!(
        types,
        [
            (AssociationCategory::HubspotDefined, 453, None),
            (
                AssociationCategory::UserDefined,
                37,
                Some("Point of contact".to_owned())
            ),
        ]
    );
    assert_eq!(first.next_after(), Some("MTA0OTAx"));
    assert_eq!(second.next_after(), None);
    assert_eq!(second.results[0].to_object_id, RecordId::from(7));
}

#[tokio::test]
async fn association_labels_reads_the_label_list() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        json!({"results":[
            {"category":"HUBSPOT_DEFINED","typeId":453,"label":null},
            {"category":"USER_DEFINED","typeId":37,"label":"Point of contact"}
        ]}),
    );
    let labels = client
        .association_labels(&ObjectType::Contact)
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v4/associations/postal_mail/contacts/labels",
        &[],
        None,
    );
    assert_eq!(labels.len(), 2);
    assert_eq!(labels[0].type_id, types::POSTAL_MAIL_TO_CONTACT);
    assert_eq!(labels[0].label, None);
    assert_eq!(labels[1].label.as_deref(), Some("Point of contact"));
}

#[tokio::test]
async fn get_record_reads_any_object_with_repeated_properties() {
    let (client, scripted) = setup();
    scripted.push_json(
        200,
        contact("77", &[("name", "Acme"), ("domain", "acme.example")]),
    );
    let record = client
        .get_record(
            &ObjectType::Company,
            &RecordId::from(77),
            &["name".to_owned(), "domain".to_owned()],
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/companies/77",
        &[("properties", "name"), ("properties", "domain")],
        None,
    );
    assert_eq!(record.id, RecordId::from(77));
    assert_eq!(record.properties.get("domain"), Some("acme.example"));
}

#[tokio::test]
async fn raw_get_sends_the_path_and_query_as_given() {
    let (client, scripted) = setup();
    scripted.push_json(200, list_example());
    let response = client
        .raw(
            Method::GET,
            "/crm/v3/objects/postal_mail?limit=1&after=NTI1Cg%3D%3D",
            None,
            true,
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::GET,
        "/crm/v3/objects/postal_mail",
        &[("limit", "1"), ("after", "NTI1Cg%3D%3D")],
        None,
    );
    assert_eq!(response.status, StatusCode::OK);
    let value: serde_json::Value = response.json().unwrap();
    assert_eq!(value["results"][0]["id"], "513881705057");
}

#[tokio::test]
async fn raw_post_sends_the_body_as_json() {
    let (client, scripted) = setup();
    scripted.push_json(200, json!({ "id": "9", "properties": {} }));
    let body = json!({ "primaryObjectId": "1", "objectIdToMerge": "2" });
    let response = client
        .raw(
            Method::POST,
            "/crm/objects/2026-09-beta/postal_mail/merge",
            Some(body.clone()),
            false,
        )
        .await
        .unwrap();
    assert_request(
        &scripted.requests()[0],
        Method::POST,
        "/crm/objects/2026-09-beta/postal_mail/merge",
        &[],
        Some(body),
    );
    assert_eq!(&response.body[..], br#"{"id":"9","properties":{}}"#);
}

#[tokio::test]
async fn raw_returns_the_status_and_an_empty_body_of_a_204() {
    let (client, scripted) = setup();
    scripted.push_response(empty(204));
    let response = client
        .raw(
            Method::DELETE,
            "/crm/v3/objects/postal_mail/25727582880",
            None,
            true,
        )
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.body.is_empty());
    assert_eq!(scripted.requests()[0].method, Method::DELETE);
}

#[tokio::test]
async fn raw_rejects_paths_that_could_leave_the_api_without_sending() {
    let (client, scripted) = setup();
    for bad in [
        "/crm/v3/objects/../../admin",
        "/crm/v3/objects/postal_mail/..",
        "//evil.example/crm/v3/objects/postal_mail",
        "/crm/v3/objects/postal mail",
        "/crm/v3/objects/postal_mail\t",
        "/crm/v3/objects/postal_mail\r\nX-Injected: 1",
        "crm/v3/objects/postal_mail",
        "https://evil.example/x",
    ] {
        let err = client.raw(Method::GET, bad, None, true).await.unwrap_err();
        assert!(matches!(err, Error::Config(_)), "{bad:?}: {err:?}");
    }
    assert_eq!(scripted.request_count(), 0);
}

#[tokio::test]
async fn raw_surfaces_api_errors_like_any_operation() {
    let (client, scripted) = setup();
    scripted.push_json(404, json!({"status":"error","category":"OBJECT_NOT_FOUND","message":"nope","correlationId":"c-1"}));
    let err = client
        .raw(Method::GET, "/crm/v3/objects/postal_mail/1", None, true)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(err.category(), Some("OBJECT_NOT_FOUND"));
    assert_eq!(err.correlation_id(), Some("c-1"));
}

//! Pins (reference §5): `pin` checks the association first and never touches an unassociated
//! record; `unpin` clears the property; `pinned` reads it.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod support;

use hubspot_postal::Error;
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::transport::http::Method;
use serde_json::json;
use support::*;

const PM: &str = "25727582880";

fn pm() -> PostalMailId {
    PostalMailId::new(PM).unwrap()
}

fn list_path(plural: &str) -> String {
    format!("/crm/v4/objects/postal_mail/{PM}/associations/{plural}")
}

#[tokio::test]
async fn pin_refuses_an_unassociated_record_and_sends_no_patch() {
    let (client, scripted) = setup();
    scripted.push_json(200, association_page(&["1", "2"], Some("p2")));
    scripted.push_json(200, association_page(&["3"], None));
    // Would answer the PATCH if one were sent.
    scripted.push_json(200, contact("501", &[("hs_pinned_engagement_id", PM)]));

    let target = PinTarget::contact(RecordId::from(501));
    let err = client
        .pin(&Pin::new(pm(), target.clone()))
        .await
        .unwrap_err();

    let Error::NotAssociated {
        engagement,
        target: refused,
    } = &err
    else {
        panic!("expected NotAssociated, got {err:?}")
    };
    assert_eq!(engagement, &pm());
    assert_eq!(refused, &target);
    assert!(
        err.to_string().contains("not associated with contact 501"),
        "{err}"
    );
    assert!(!err.may_have_been_applied());
    let requests = scripted.requests();
    assert_eq!(requests.len(), 2, "only the association list pages");
    assert_request(
        &requests[0],
        Method::GET,
        &list_path("contacts"),
        &[("limit", "500")],
        None,
    );
    assert_request(
        &requests[1],
        Method::GET,
        &list_path("contacts"),
        &[("limit", "500"), ("after", "p2")],
        None,
    );
    assert!(requests.iter().all(|r| r.method == Method::GET));
}

#[tokio::test]
async fn pin_follows_association_pages_then_patches_the_record() {
    let (client, scripted) = setup();
    scripted.push_json(200, association_page(&["1", "2"], Some("p2")));
    scripted.push_json(200, association_page(&["3"], Some("p3")));
    // Numbers on the wire, as in HubSpot's docs.
    scripted.push_json(
        200,
        json!({"results":[{"toObjectId": 501, "associationTypes":[{"category":"HUBSPOT_DEFINED","typeId":453,"label":null}]}]}),
    );
    scripted.push_json(200, contact("501", &[("hs_pinned_engagement_id", PM)]));

    let record = client
        .pin(&Pin::new(pm(), PinTarget::contact(RecordId::from(501))))
        .await
        .unwrap();

    let requests = scripted.requests();
    assert_eq!(requests.len(), 4);
    assert_request(
        &requests[0],
        Method::GET,
        &list_path("contacts"),
        &[("limit", "500")],
        None,
    );
    assert_request(
        &requests[1],
        Method::GET,
        &list_path("contacts"),
        &[("limit", "500"), ("after", "p2")],
        None,
    );
    assert_request(
        &requests[2],
        Method::GET,
        &list_path("contacts"),
        &[("limit", "500"), ("after", "p3")],
        None,
    );
    assert_request(
        &requests[3],
        Method::PATCH,
        "/crm/v3/objects/contacts/501",
        &[],
        Some(json!({"properties":{"hs_pinned_engagement_id": PM}})),
    );
    assert_eq!(record.pinned_engagement_id(), Some(pm()));
}

#[tokio::test]
async fn pin_on_a_deal_checks_deal_associations_and_patches_the_deal() {
    let (client, scripted) = setup();
    scripted.push_json(200, association_page(&["9"], None));
    scripted.push_json(200, contact("9", &[("hs_pinned_engagement_id", PM)]));
    client
        .pin(&Pin::new(pm(), PinTarget::deal(RecordId::from(9))))
        .await
        .unwrap();
    let requests = scripted.requests();
    assert_request(
        &requests[0],
        Method::GET,
        &list_path("deals"),
        &[("limit", "500")],
        None,
    );
    assert_request(
        &requests[1],
        Method::PATCH,
        "/crm/v3/objects/deals/9",
        &[],
        Some(json!({"properties":{"hs_pinned_engagement_id": PM}})),
    );
}

#[tokio::test]
async fn pin_stops_on_a_repeated_association_cursor_without_patching() {
    let (client, scripted) = setup();
    scripted.push_json(200, association_page(&["1"], Some("p2")));
    scripted.push_json(200, association_page(&["2"], Some("p2")));
    scripted.push_json(200, association_page(&["501"], None));
    let err = client
        .pin(&Pin::new(pm(), PinTarget::contact(RecordId::from(501))))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::CursorRepeated { operation: "list_associations", cursor } if cursor == "p2"),
        "{err:?}"
    );
    assert_eq!(scripted.request_count(), 2);
}

#[tokio::test]
async fn pin_surfaces_an_association_lookup_failure_without_patching() {
    let (client, scripted) = setup();
    scripted.push_json(
        404,
        json!({"status":"error","category":"OBJECT_NOT_FOUND","message":"no such postal mail"}),
    );
    let err = client
        .pin(&Pin::new(pm(), PinTarget::ticket(RecordId::from(5))))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(scripted.request_count(), 1);
    assert_eq!(path_of(&scripted.requests()[0]), list_path("tickets"));
}

#[tokio::test]
async fn unpin_patches_an_empty_value() {
    let (client, scripted) = setup();
    scripted.push_json(200, contact("77", &[("hs_pinned_engagement_id", "")]));
    let record = client
        .unpin(&PinTarget::company(RecordId::from(77)))
        .await
        .unwrap();
    let requests = scripted.requests();
    assert_eq!(requests.len(), 1, "unpin needs no association check");
    assert_request(
        &requests[0],
        Method::PATCH,
        "/crm/v3/objects/companies/77",
        &[],
        Some(json!({"properties":{"hs_pinned_engagement_id": ""}})),
    );
    assert_eq!(record.pinned_engagement_id(), None);
}

#[tokio::test]
async fn pinned_reads_hs_pinned_engagement_id() {
    let (client, scripted) = setup();
    scripted.push_json(200, contact("501", &[("hs_pinned_engagement_id", PM)]));
    scripted.push_json(200, contact("501", &[("hs_pinned_engagement_id", "")]));
    scripted.push_json(200, contact("501", &[]));
    let target = PinTarget::contact(RecordId::from(501));

    assert_eq!(client.pinned(&target).await.unwrap(), Some(pm()));
    assert_eq!(client.pinned(&target).await.unwrap(), None);
    assert_eq!(client.pinned(&target).await.unwrap(), None);

    for r in scripted.requests() {
        assert_request(
            &r,
            Method::GET,
            "/crm/v3/objects/contacts/501",
            &[("properties", "hs_pinned_engagement_id")],
            None,
        );
    }
}

#[tokio::test]
async fn is_associated_answers_both_ways() {
    let (client, scripted) = setup();
    scripted.push_json(200, association_page(&["5"], None));
    scripted.push_json(200, association_page(&[], None));
    let company = RecordId::from(5);
    assert!(
        client
            .is_associated(&pm(), &ObjectType::Company, &company)
            .await
            .unwrap()
    );
    assert!(
        !client
            .is_associated(&pm(), &ObjectType::Company, &company)
            .await
            .unwrap()
    );
    assert_eq!(scripted.request_count(), 2);
}

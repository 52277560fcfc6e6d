//! Associations (v3 per object and batch, v4 labelled/default/list/batch/labels), records and
//! the pin rules.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

mod common;

use common::{Emu, assert_error};
use serde_json::json;

#[tokio::test]
async fn v3_put_delete_is_symmetric() {
    let emu = Emu::start().await;
    let c = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
    let pm = emu.create_pm("x").await;
    // Numeric or snake-case type, singular or plural object type, twice: one association.
    for path in [
        format!("/crm/v3/objects/postal_mail/{pm}/associations/contact/{c}/453"),
        format!(
            "/crm/v3/objects/postal_mail/{pm}/associations/contacts/{c}/postal_mail_to_contact"
        ),
    ] {
        let r = emu.put(&path, None).await;
        assert_eq!(r.status, 200, "{}", r.body);
        assert_eq!(r.body["id"], pm.as_str());
        assert_eq!(
            r.body["associations"]["contacts"]["results"],
            json!([{"id": c, "type": "postal_mail_to_contact"}])
        );
    }
    // Visible from the contact with the inverse type.
    let g = emu
        .get(&format!(
            "/crm/v3/objects/contacts/{c}?associations=postal_mail"
        ))
        .await;
    assert_eq!(
        g.body["associations"]["postal_mail"]["results"],
        json!([{"id": pm, "type": "contact_to_postal_mail"}])
    );
    let l = emu
        .get(&format!(
            "/crm/v4/objects/contacts/{c}/associations/postal_mail"
        ))
        .await;
    assert_eq!(
        l.body["results"][0]["associationTypes"],
        json!([{"category": "HUBSPOT_DEFINED", "typeId": 454, "label": null}])
    );
    assert_eq!(
        l.body["results"][0]["toObjectId"].as_u64(),
        Some(pm.parse().unwrap())
    );
    // Errors: wrong type for the pair, missing record.
    assert_error(
        &emu.put(
            &format!("/crm/v3/objects/postal_mail/{pm}/associations/contact/{c}/454"),
            None,
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.put(
            &format!("/crm/v3/objects/postal_mail/{pm}/associations/contact/9/453"),
            None,
        )
        .await,
        404,
        "OBJECT_NOT_FOUND",
    );
    assert_error(
        &emu.put(
            &format!("/crm/v3/objects/postal_mail/9/associations/contact/{c}/453"),
            None,
        )
        .await,
        404,
        "OBJECT_NOT_FOUND",
    );
    assert_error(
        &emu.put(
            &format!("/crm/v3/objects/postal_mail/{pm}/associations/contact/{c}/NOT_A_TYPE"),
            None,
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
    // DELETE → 204 and gone from both sides.
    let d = emu
        .delete(&format!(
            "/crm/v3/objects/postal_mail/{pm}/associations/contact/{c}/POSTAL_MAIL_TO_CONTACT"
        ))
        .await;
    assert_eq!(d.status, 204);
    let g = emu
        .get(&format!(
            "/crm/v3/objects/contacts/{c}?associations=postal_mail"
        ))
        .await;
    assert!(g.body.get("associations").is_none(), "{}", g.body);
    // Create with associations (numeric to.id as in the docs), then read with associations.
    let co = emu.handle.seed_record("companies", [("name", "ACME")]);
    let r = emu
        .post("/crm/v3/objects/postal_mail", json!({"properties": {"hs_timestamp": "2021-11-12"},
            "associations": [{"to": {"id": c.parse::<u64>().unwrap()}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453}]},
                             {"to": {"id": co}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 459}]}]}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.body["id"].as_str().unwrap();
    let g = emu
        .get(&format!(
            "/crm/v3/objects/postal_mail/{id}?associations=contacts,companies&associations=nonsense"
        ))
        .await;
    assert_eq!(
        g.body["associations"]["contacts"]["results"][0]["id"],
        c.as_str()
    );
    assert_eq!(
        g.body["associations"]["companies"]["results"][0]["type"],
        "postal_mail_to_company"
    );
    let l = emu
        .get(&format!(
            "/crm/v3/objects/postal_mail/{id}/associations/companies"
        ))
        .await;
    assert_eq!(l.body["results"][0]["id"], co.as_str());
}

#[tokio::test]
async fn v4_labels_default_list_delete() {
    let emu = Emu::start().await;
    let c = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
    let pm = emu.create_pm("x").await;
    // Labels between the types: the default, then a created label.
    let r = emu
        .get("/crm/v4/associations/postal_mail/contacts/labels")
        .await;
    assert_eq!(
        r.body["results"],
        json!([{"category": "HUBSPOT_DEFINED", "typeId": 453, "label": null}])
    );
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/labels",
            json!({"label": "Sender", "name": "sender"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let label_id = r.body["results"][0]["typeId"].as_u64().unwrap();
    let r = emu
        .get("/crm/associations/v4/contacts/postal_mail/labels")
        .await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 2);

    // Labelled PUT → 201 LabelsBetweenObjectPair; replaces the label set.
    let path = format!("/crm/v4/objects/postal_mail/{pm}/associations/contacts/{c}");
    let r = emu
        .put(
            &path,
            Some(json!([{"associationCategory": "USER_DEFINED", "associationTypeId": label_id}])),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["fromObjectTypeId"], "0-116");
    assert_eq!(r.body["toObjectTypeId"], "0-1");
    assert_eq!(r.body["labels"], json!(["Sender"]));
    let r = emu
        .put(
            &path,
            Some(json!([{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453}])),
        )
        .await;
    assert_eq!(r.body["labels"], json!([]));
    assert_error(
        &emu.put(
            &path,
            Some(json!([{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 1}])),
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
    assert_error(
        &emu.put(&path, Some(json!({"x": 1}))).await,
        400,
        "VALIDATION_ERROR",
    );

    // Default PUT → 200 batch envelope.
    let co = emu.handle.seed_record("companies", [("name", "ACME")]);
    let r = emu
        .put(
            &format!("/crm/v4/objects/companies/{co}/associations/default/postal_mail/{pm}"),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["status"], "COMPLETE");
    assert_eq!(
        r.body["results"][0]["associationSpec"],
        json!({"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 460})
    );
    assert_eq!(r.body["results"][0]["from"]["id"], co.as_str());

    // List with paging.
    for _ in 0..3 {
        let extra = emu.handle.seed_record("contacts", [("firstname", "x")]);
        emu.put(
            &format!("/crm/v4/objects/contacts/{extra}/associations/default/postal_mail/{pm}"),
            None,
        )
        .await;
    }
    let r = emu
        .get(&format!(
            "/crm/v4/objects/postal_mail/{pm}/associations/contacts?limit=3"
        ))
        .await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 3);
    let after = r.body["paging"]["next"]["after"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = emu
        .get(&format!(
            "/crm/v4/objects/postal_mail/{pm}/associations/contacts?limit=3&after={after}"
        ))
        .await;
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1);
    assert!(r.body.get("paging").is_none());

    // DELETE removes everything between the pair.
    assert_eq!(emu.delete(&path).await.status, 204);
    let r = emu
        .get(&format!(
            "/crm/v4/objects/contacts/{c}/associations/postal_mail"
        ))
        .await;
    assert_eq!(r.body["results"], json!([]));
}

#[tokio::test]
async fn v4_and_v3_batches() {
    let emu = Emu::start().await;
    let c1 = emu.handle.seed_record("contacts", [("firstname", "a")]);
    let c2 = emu.handle.seed_record("contacts", [("firstname", "b")]);
    let pm = emu.create_pm("x").await;
    let spec = json!([{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453}]);
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/create",
            json!({"inputs": [{"from": {"id": pm}, "to": {"id": c1}, "types": spec},
                                {"from": {"id": pm}, "to": {"id": "4040"}, "types": spec}]}),
        )
        .await;
    assert_eq!(r.status, 207, "{}", r.body);
    assert_eq!(r.body["results"].as_array().unwrap().len(), 1);
    assert_eq!(r.body["errors"][0]["category"], "OBJECT_NOT_FOUND");
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/associate/default",
            json!({"inputs": [{"from": {"id": pm}, "to": {"id": c2}}]}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/read",
            json!({"inputs": [{"id": pm}, {"id": "1"}]}),
        )
        .await;
    assert_eq!(r.status, 207);
    assert_eq!(r.body["results"][0]["to"].as_array().unwrap().len(), 2);
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/labels/archive",
            json!({"inputs": [{"from": {"id": pm}, "to": {"id": c1}, "types": spec}]}),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/archive",
            json!({"inputs": [{"from": {"id": pm}, "to": [{"id": c2}]}]}),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = emu
        .post(
            "/crm/v4/associations/postal_mail/contacts/batch/read",
            json!({"inputs": [{"id": pm}]}),
        )
        .await;
    assert_eq!(r.body["results"][0]["to"], json!([]));

    // v3 batch.
    let r = emu
        .post("/crm/v3/associations/postal_mail/contacts/batch/create",
              json!({"inputs": [{"from": {"id": pm}, "to": {"id": c1}, "type": "postal_mail_to_contact"}]}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.body["results"][0]["type"], "postal_mail_to_contact");
    let r = emu
        .post(
            "/crm/v3/associations/contacts/postal_mail/batch/read",
            json!({"inputs": [{"id": c1}]}),
        )
        .await;
    assert_eq!(
        r.body["results"][0]["to"],
        json!([{"id": pm, "type": "contact_to_postal_mail"}])
    );
    let r = emu
        .post(
            "/crm/v3/associations/postal_mail/contacts/batch/archive",
            json!({"inputs": [{"from": {"id": pm}, "to": {"id": c1}, "type": "453"}]}),
        )
        .await;
    assert_eq!(r.status, 204);
    let r = emu
        .post(
            "/crm/v3/associations/contacts/postal_mail/batch/read",
            json!({"inputs": [{"id": c1}]}),
        )
        .await;
    assert_eq!(r.body["results"][0]["to"], json!([]));
}

#[tokio::test]
async fn records_crud_and_pins() {
    let emu = Emu::start().await;
    for t in ["contacts", "companies", "deals", "tickets", "0-1"] {
        let r = emu
            .post(&format!("/crm/v3/objects/{t}"), json!({"properties": {}}))
            .await;
        assert_eq!(r.status, 201, "{t}: {}", r.body);
        let id = r.body["id"].as_str().unwrap();
        let g = emu.get(&format!("/crm/v3/objects/{t}/{id}")).await;
        assert_eq!(g.status, 200);
        assert!(
            g.body["properties"]
                .as_object()
                .unwrap()
                .contains_key("hs_object_id")
        );
        assert!(emu.get(&format!("/crm/v3/objects/{t}")).await.body["results"].is_array());
    }
    let r = emu
        .post(
            "/crm/v3/objects/contacts",
            json!({"properties": {"firstname": "Ada", "email": "ada@example.com"}}),
        )
        .await;
    let c = r.body["id"].as_str().unwrap().to_owned();
    let g = emu.get(&format!("/crm/v3/objects/contacts/{c}")).await;
    assert_eq!(g.body["properties"]["email"], "ada@example.com");
    assert!(g.body["properties"]["lastname"].is_null());
    assert_error(
        &emu.post(
            "/crm/v3/objects/contacts",
            json!({"properties": {"nope": "1"}}),
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );

    let pm = emu.create_pm("pin me").await;
    // Not associated → 400, record unchanged.
    let r = emu
        .patch(
            &format!("/crm/v3/objects/contacts/{c}"),
            json!({"properties": {"hs_pinned_engagement_id": pm.parse::<u64>().unwrap()}}),
        )
        .await;
    assert_error(&r, 400, "VALIDATION_ERROR");
    assert_eq!(
        r.body["errors"][0]["context"]["propertyName"][0],
        "hs_pinned_engagement_id"
    );
    assert!(
        emu.handle.record("contacts", &c).unwrap()["properties"]
            .get("hs_pinned_engagement_id")
            .is_none()
    );
    // Associated → pinned; "" clears.
    emu.put(
        &format!("/crm/v3/objects/postal_mail/{pm}/associations/contacts/{c}/453"),
        None,
    )
    .await;
    let r = emu
        .patch(
            &format!("/crm/v3/objects/contacts/{c}"),
            json!({"properties": {"hs_pinned_engagement_id": pm}}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.body["properties"]["hs_pinned_engagement_id"], pm.as_str());
    let r = emu
        .patch(
            &format!("/crm/v3/objects/contacts/{c}"),
            json!({"properties": {"hs_pinned_engagement_id": ""}}),
        )
        .await;
    assert!(
        r.body["properties"]
            .get("hs_pinned_engagement_id")
            .is_none()
    );
    // Pinned at creation together with the association.
    let r = emu
        .post("/crm/v3/objects/deals", json!({"properties": {"dealname": "D", "hs_pinned_engagement_id": pm},
            "associations": [{"to": {"id": pm}, "types": [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 458}]}]}))
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
    let deal = r.body["id"].as_str().unwrap().to_owned();
    assert_error(
        &emu.post(
            "/crm/v3/objects/deals",
            json!({"properties": {"hs_pinned_engagement_id": pm}}),
        )
        .await,
        400,
        "VALIDATION_ERROR",
    );
    // Archiving the postal mail clears the pin and hides the association.
    emu.delete(&format!("/crm/v3/objects/postal_mail/{pm}"))
        .await;
    let g = emu.get(&format!("/crm/v3/objects/deals/{deal}?properties=hs_pinned_engagement_id&associations=postal_mail")).await;
    assert!(
        g.body["properties"]["hs_pinned_engagement_id"].is_null(),
        "{}",
        g.body
    );
    assert!(g.body.get("associations").is_none());
    // Removing the association clears a pin too.
    let pm2 = emu.create_pm("again").await;
    emu.put(
        &format!(
            "/crm/v3/objects/contacts/{c}/associations/postal_mail/{pm2}/CONTACT_TO_POSTAL_MAIL"
        ),
        None,
    )
    .await;
    emu.patch(
        &format!("/crm/v3/objects/contacts/{c}"),
        json!({"properties": {"hs_pinned_engagement_id": pm2}}),
    )
    .await;
    emu.delete(&format!(
        "/crm/v4/objects/contacts/{c}/associations/postal_mail/{pm2}"
    ))
    .await;
    assert!(
        emu.handle.record("contacts", &c).unwrap()["properties"]
            .get("hs_pinned_engagement_id")
            .is_none()
    );
    // Records search.
    let r = emu
        .post("/crm/v3/objects/contacts/search", json!({"query": "ada"}))
        .await;
    assert_eq!(r.body["total"], 1);
}

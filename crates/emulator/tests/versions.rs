//! Every operation of the model's endpoint table, in every API version that has it, over real
//! HTTP; then what differs by version: unknown versions, required properties from 2026-09,
//! merge and GDPR delete, snake-case association names.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{Emu, Reply, assert_error};
use hubspot_postal_emulator::{EmulatorConfig, Fixtures};
use hubspot_postal_model::association::AssociationTypeId;
use hubspot_postal_model::endpoints::{self, ApiVersion, ENDPOINTS, Endpoint, HttpMethod, Segment};
use hubspot_postal_model::ids::{PostalMailId, RecordId};
use hubspot_postal_model::object_type::ObjectType;
use reqwest::Method;
use serde_json::{Value, json};

/// Fresh records for one case, so destructive operations cannot affect the next.
struct Ids {
    pm: String,
    pm2: String,
    contact: String,
}

fn props(body: &str) -> Value {
    json!({"hs_timestamp": "2021-11-12", "hs_postal_mail_body": body})
}

fn spec() -> Value {
    json!({"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 453})
}

/// Recognises the answer of the right handler (a status alone would not tell a search from a
/// list).
type Check = fn(&Value, &Ids) -> bool;

/// What one row's request carries and answers: `(body, expected status, answer check)`.
/// `None` for a row without a case, which fails the test, so a new row needs a case here.
fn case(name: &str, ids: &Ids) -> Option<(Option<Value>, u16, Check)> {
    let (pm, c) = (ids.pm.as_str(), ids.contact.as_str());
    let none: Check = |b, _| b.is_null();
    let first_from_pm: Check = |b, ids| b["results"][0]["from"]["id"] == ids.pm.as_str();
    let default_spec: Check = |b, _| b["results"][0]["associationSpec"]["associationTypeId"] == 453;
    let body_d: Check = |b, _| b["results"][0]["properties"]["hs_postal_mail_body"] == "d";
    Some(match name {
        "create" => (Some(json!({"properties": props("a")})), 201, |b, _| {
            b["id"].is_string() && b["properties"]["hs_postal_mail_body"] == "a"
        }),
        "get" => (None, 200, |b, ids| b["id"] == ids.pm.as_str()),
        "list" => (None, 200, |b, _| {
            b["results"].as_array().is_some_and(|r| !r.is_empty()) && b.get("total").is_none()
        }),
        "get_record" => (None, 200, |b, ids| b["id"] == ids.contact.as_str()),
        "list_associations" => (None, 200, |b, ids| {
            b["results"][0]["toObjectId"].to_string().trim_matches('"') == ids.contact
        }),
        "association_labels" => (None, 200, |b, _| b["results"][0]["typeId"] == 453),
        "update" => (
            Some(json!({"properties": {"hs_postal_mail_body": "b"}})),
            200,
            |b, _| b["properties"]["hs_postal_mail_body"] == "b",
        ),
        "update_record" => (
            Some(json!({"properties": {"firstname": "Grace"}})),
            200,
            |b, _| b["properties"]["firstname"] == "Grace",
        ),
        "archive" | "remove_associations" | "dissociate" => (None, 204, none),
        "batch_read" => (Some(json!({"inputs": [{"id": pm}]})), 200, |b, ids| {
            b["results"][0]["id"] == ids.pm.as_str()
        }),
        "batch_read_associations" | "v3_batch_read_associations" => {
            (Some(json!({"inputs": [{"id": pm}]})), 200, first_from_pm)
        }
        "batch_create" => (
            Some(json!({"inputs": [{"properties": props("c")}]})),
            201,
            |b, _| b["results"][0]["properties"]["hs_postal_mail_body"] == "c",
        ),
        "batch_update" | "batch_upsert" => (
            Some(json!({"inputs": [{"id": pm, "properties": {"hs_postal_mail_body": "d"}}]})),
            200,
            body_d,
        ),
        "batch_archive" => (Some(json!({"inputs": [{"id": pm}]})), 204, none),
        "search" => (Some(json!({"limit": 10})), 200, |b, _| b["total"].is_u64()),
        "merge" => (
            Some(json!({"primaryObjectId": pm, "objectIdToMerge": ids.pm2})),
            200,
            |b, ids| b["id"] == ids.pm.as_str(),
        ),
        "gdpr_delete" => (Some(json!({"objectId": pm})), 204, none),
        "associate" => (None, 200, |b, ids| {
            b["id"] == ids.pm.as_str() && b["associations"].is_object()
        }),
        "associate_default" => (None, 200, default_spec),
        "associate_labelled" => (Some(json!([spec()])), 201, |b, _| {
            b["toObjectTypeId"] == "0-1" && b["labels"].is_array()
        }),
        "batch_associate" => (
            Some(json!({"inputs": [{"from": {"id": pm}, "to": {"id": c}, "types": [spec()]}]})),
            201,
            |b, _| b["results"][0]["toObjectTypeId"] == "0-1",
        ),
        "batch_remove_associations" => (
            Some(json!({"inputs": [{"from": {"id": pm}, "to": [{"id": c}]}]})),
            204,
            none,
        ),
        "batch_remove_association_labels" => (
            Some(json!({"inputs": [{"from": {"id": pm}, "to": {"id": c}, "types": [spec()]}]})),
            204,
            none,
        ),
        "batch_associate_default" => (
            Some(json!({"inputs": [{"from": {"id": pm}, "to": {"id": c}}]})),
            200,
            default_spec,
        ),
        "v3_batch_associate" => (
            Some(
                json!({"inputs": [{"from": {"id": pm}, "to": {"id": c}, "type": "postal_mail_to_contact"}]}),
            ),
            201,
            first_from_pm,
        ),
        "v3_batch_remove_associations" => (
            Some(
                json!({"inputs": [{"from": {"id": pm}, "to": {"id": c}, "type": "postal_mail_to_contact"}]}),
            ),
            204,
            none,
        ),
        _ => return None,
    })
}

/// The row's path in `version`, filled through the model's own helper. Record rows target
/// the contact; every other row starts from the postal mail.
fn path(e: &Endpoint, version: ApiVersion, ids: &Ids) -> String {
    let template = e.template(version).unwrap();
    let pm = PostalMailId::new(ids.pm.as_str()).unwrap();
    let pm_record: RecordId = pm.clone().into();
    let contact = RecordId::new(ids.contact.as_str()).unwrap();
    let record_row = matches!(e.name(), "get_record" | "update_record");
    let (from_type, from_id) = if record_row {
        (&ObjectType::Contact, &contact)
    } else {
        (&ObjectType::PostalMail, &pm_record)
    };
    let all: Vec<(&str, Segment<'_>)> = vec![
        ("postalMailId", Segment::from(&pm)),
        ("objectType", Segment::plural(from_type)),
        ("fromObjectType", Segment::plural(&ObjectType::PostalMail)),
        ("objectId", Segment::from(from_id)),
        // The v3 per-object path takes the singular type name (G-PM example).
        (
            "toObjectType",
            if e.name() == "associate" || e.name() == "dissociate" {
                Segment::singular(&ObjectType::Contact)
            } else {
                Segment::plural(&ObjectType::Contact)
            },
        ),
        ("toObjectId", Segment::from(&contact)),
        ("associationTypeId", Segment::from(AssociationTypeId(453))),
    ];
    let args: Vec<_> = all
        .into_iter()
        .filter(|(name, _)| template.contains(&format!("{{{name}}}")))
        .collect();
    e.path(version, &args).unwrap()
}

fn method(m: HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
    }
}

async fn fresh_ids(emu: &Emu) -> Ids {
    let contact = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
    let pms = emu.handle.seed_postal_mails(2, "letter");
    assert!(
        emu.handle
            .seed_association("postal_mail", &pms[0], "contacts", &contact)
    );
    Ids {
        pm: pms[0].clone(),
        pm2: pms[1].clone(),
        contact,
    }
}

#[tokio::test]
async fn every_operation_answers_in_every_version_that_has_it() {
    let emu = Emu::start().await;
    let mut failures = Vec::new();
    let mut ran = 0;
    for version in ApiVersion::ALL {
        for e in ENDPOINTS.iter().filter(|e| e.template(version).is_some()) {
            let ids = fresh_ids(&emu).await;
            let Some((body, want, check)) = case(e.name(), &ids) else {
                failures.push(format!("{}: no test case", e.name()));
                continue;
            };
            let path = path(e, version, &ids);
            let r = emu.call(method(e.method()), &path, body).await;
            ran += 1;
            if r.status != want || !check(&r.body, &ids) {
                failures.push(format!(
                    "{version} {} {} {path}: {} {}",
                    e.name(),
                    e.method(),
                    r.status,
                    r.body
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    let expected: usize = ENDPOINTS.iter().map(|e| e.versions().count()).sum();
    assert_eq!(ran, expected);
}

/// A row a version lacks is not served there: its path from a version that has it, moved to
/// one that does not, is not a success.
#[tokio::test]
async fn operations_missing_from_a_version_are_not_served_there() {
    let emu = Emu::start().await;
    let mut checked = 0;
    for e in ENDPOINTS {
        let Some(has) = e.versions().find(|v| !v.is_legacy()) else {
            continue;
        };
        for lacks in ApiVersion::ALL
            .into_iter()
            .filter(|v| !v.is_legacy() && e.template(*v).is_none())
        {
            let ids = fresh_ids(&emu).await;
            let (body, ..) = case(e.name(), &ids).unwrap();
            let moved = path(e, has, &ids).replacen(has.as_str(), lacks.as_str(), 1);
            let r = emu.call(method(e.method()), &moved, body).await;
            assert!(
                (400..500).contains(&r.status),
                "{} {moved}: {}",
                e.name(),
                r.status
            );
            checked += 1;
        }
    }
    // merge, gdpr_delete and list_associations are each missing from 2026-03 and 2026-09.
    assert_eq!(checked, 6);
}

#[tokio::test]
async fn unknown_versions_answer_404() {
    let emu = Emu::start().await;
    let pm = emu.create_pm("x").await;
    for (m, path) in [
        (Method::GET, "/crm/objects/2024-01/postal_mail".to_owned()),
        (
            Method::GET,
            format!("/crm/objects/2024-01/postal_mail/{pm}"),
        ),
        (
            Method::POST,
            "/crm/objects/2026-03-beta/postal_mail/search".to_owned(),
        ),
        (
            Method::POST,
            "/crm/associations/2024-01/postal_mail/contacts/batch/read".to_owned(),
        ),
        (Method::GET, "/crm/v5/objects/postal_mail".to_owned()),
    ] {
        let body = (m == Method::POST).then(|| json!({"inputs": []}));
        let r = emu.call(m, &path, body).await;
        assert_error(&r, 404, "RESOURCE_NOT_FOUND");
    }
}

fn required_body_fixtures() -> EmulatorConfig {
    let fixtures = Fixtures::from_json_str(
        r#"{"requiredProperties": {"postal_mail": ["hs_postal_mail_body"]}}"#,
    )
    .unwrap();
    EmulatorConfig::default().fixtures(fixtures)
}

fn assert_required(r: &Reply, name: &str) {
    assert_error(r, 400, "VALIDATION_ERROR");
    assert_eq!(
        r.body["errors"][0]["code"], "REQUIRED_PROPERTY",
        "{}",
        r.body
    );
    assert_eq!(
        r.body["errors"][0]["context"]["propertyName"],
        json!([name])
    );
}

/// The portal's required properties bind creates and updates from 2026-09 (and its beta)
/// only; earlier versions accept the same requests.
#[tokio::test]
async fn required_properties_are_enforced_from_2026_09() {
    let emu = Emu::with(required_body_fixtures()).await;
    let enforcing = [ApiVersion::V2026_09, ApiVersion::V2026_09Beta];
    let no_body = json!({"properties": {"hs_timestamp": "2021-11-12"}});
    for version in ApiVersion::ALL {
        let create = endpoints_path(&endpoints::CREATE, version);
        let batch = endpoints_path(&endpoints::BATCH_CREATE, version);
        let r1 = emu.post(&create, no_body.clone()).await;
        let r2 = emu.post(&batch, json!({"inputs": [no_body.clone()]})).await;
        let pm = emu.handle.seed_postal_mails(1, "kept").remove(0);
        let item = endpoints::UPDATE
            .path(
                version,
                &[(
                    "postalMailId",
                    Segment::from(&PostalMailId::new(pm.as_str()).unwrap()),
                )],
            )
            .unwrap();
        let r3 = emu
            .patch(&item, json!({"properties": {"hs_postal_mail_body": ""}}))
            .await;
        let r4 = emu
            .patch(
                &item,
                json!({"properties": {"hs_postal_mail_direction": "OUTBOUND"}}),
            )
            .await;
        if enforcing.contains(&version) {
            assert_required(&r1, "hs_postal_mail_body");
            assert_required(&r2, "hs_postal_mail_body");
            assert_required(&r3, "hs_postal_mail_body");
        } else {
            assert_eq!(
                (r1.status, r2.status, r3.status),
                (201, 201, 200),
                "{version}"
            );
        }
        // An update that leaves the required property alone passes everywhere.
        assert_eq!(r4.status, 200, "{version}: {}", r4.body);
        let ok = emu
            .post(&create, json!({"properties": props("with body")}))
            .await;
        assert_eq!(ok.status, 201, "{version}: {}", ok.body);
    }
}

#[tokio::test]
async fn without_fixture_rules_2026_09_creates_as_before() {
    let emu = Emu::start().await;
    let create = endpoints_path(&endpoints::CREATE, ApiVersion::V2026_09);
    let r = emu
        .post(
            &create,
            json!({"properties": {"hs_timestamp": "2021-11-12"}}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.body);
}

#[test]
fn required_properties_must_name_writable_properties() {
    let f = Fixtures::from_json_str(r#"{"requiredProperties": {"postal_mail": ["no_such_prop"]}}"#)
        .unwrap();
    let started =
        hubspot_postal_emulator::Emulator::start_blocking(EmulatorConfig::default().fixtures(f));
    assert!(started.is_err());
}

fn endpoints_path(e: &Endpoint, version: ApiVersion) -> String {
    e.path(version, &[]).unwrap()
}

#[tokio::test]
async fn merge_archives_the_merged_mail_and_moves_its_associations_and_pins() {
    let emu = Emu::start().await;
    for version in endpoints::MERGE.versions() {
        let contact = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
        let pms = emu.handle.seed_postal_mails(2, "merge");
        let (primary, merged) = (&pms[0], &pms[1]);
        assert!(
            emu.handle
                .seed_association("postal_mail", merged, "contacts", &contact)
        );
        let r = emu
            .patch(
                &format!("/crm/v3/objects/contacts/{contact}"),
                json!({"properties": {"hs_pinned_engagement_id": merged}}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.body);

        let merge = endpoints_path(&endpoints::MERGE, version);
        let r = emu
            .post(
                &merge,
                json!({"primaryObjectId": primary, "objectIdToMerge": merged}),
            )
            .await;
        assert_eq!(r.status, 200, "{version}: {}", r.body);
        assert_eq!(r.body["id"], primary.as_str());

        assert_error(
            &emu.get(&format!("/crm/v3/objects/postal_mail/{merged}"))
                .await,
            404,
            "OBJECT_NOT_FOUND",
        );
        let r = emu
            .get(&format!(
                "/crm/v3/objects/postal_mail/{merged}?archived=true"
            ))
            .await;
        assert_eq!(r.body["archived"], true, "{}", r.body);
        let r = emu
            .get(&format!(
                "/crm/v4/objects/postal_mail/{primary}/associations/contacts"
            ))
            .await;
        assert_eq!(
            r.body["results"][0]["toObjectId"],
            json!(contact.parse::<u64>().unwrap())
        );
        // Seen from the contact, only the primary is left.
        let r = emu
            .get(&format!(
                "/crm/v4/objects/contacts/{contact}/associations/postal_mail"
            ))
            .await;
        let ids: Vec<&Value> = r.body["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| &a["toObjectId"])
            .collect();
        assert_eq!(ids, [&json!(primary.parse::<u64>().unwrap())], "{}", r.body);
        let r = emu
            .get(&format!(
                "/crm/v3/objects/contacts/{contact}?properties=hs_pinned_engagement_id"
            ))
            .await;
        assert_eq!(
            r.body["properties"]["hs_pinned_engagement_id"],
            primary.as_str()
        );

        // Merging into itself, a mail already merged away, or without both ids fails.
        let failures = [
            (
                json!({"primaryObjectId": primary, "objectIdToMerge": primary}),
                400,
                "VALIDATION_ERROR",
            ),
            (
                json!({"primaryObjectId": primary, "objectIdToMerge": merged}),
                404,
                "OBJECT_NOT_FOUND",
            ),
            (json!({"primaryObjectId": primary}), 400, "VALIDATION_ERROR"),
        ];
        for (body, status, category) in failures {
            assert_error(&emu.post(&merge, body).await, status, category);
        }
    }
}

#[tokio::test]
async fn gdpr_delete_removes_the_mail_for_good() {
    let emu = Emu::start().await;
    for version in endpoints::GDPR_DELETE.versions() {
        let contact = emu.handle.seed_record("contacts", [("firstname", "Ada")]);
        let pm = emu.handle.seed_postal_mails(1, "gdpr").remove(0);
        assert!(
            emu.handle
                .seed_association("postal_mail", &pm, "contacts", &contact)
        );
        let gdpr = endpoints_path(&endpoints::GDPR_DELETE, version);
        let r = emu.post(&gdpr, json!({"objectId": pm})).await;
        assert_eq!(r.status, 204, "{version}: {}", r.body);
        for q in ["", "?archived=true"] {
            let r = emu
                .get(&format!("/crm/v3/objects/postal_mail/{pm}{q}"))
                .await;
            assert_error(&r, 404, "OBJECT_NOT_FOUND");
        }
        let r = emu
            .get(&format!(
                "/crm/v4/objects/contacts/{contact}/associations/postal_mail"
            ))
            .await;
        assert_eq!(r.body["results"], json!([]), "{}", r.body);
        let r = emu.post(&gdpr, json!({"objectId": pm})).await;
        assert_error(&r, 404, "OBJECT_NOT_FOUND");
    }
    // An archived mail is still stored, so GDPR delete reaches it too.
    let pm = emu.handle.seed_postal_mails(1, "archived").remove(0);
    assert_eq!(
        emu.delete(&format!("/crm/v3/objects/postal_mail/{pm}"))
            .await
            .status,
        204
    );
    let r = emu
        .post(
            "/crm/objects/2025-09/postal_mail/gdpr-delete",
            json!({"objectId": pm}),
        )
        .await;
    assert_eq!(r.status, 204, "{}", r.body);
    let r = emu
        .get(&format!("/crm/v3/objects/postal_mail/{pm}?archived=true"))
        .await;
    assert_error(&r, 404, "OBJECT_NOT_FOUND");
}

/// Snake-case association type names resolve on the v3 per-object path, the one path that
/// takes a type in the path; the date-based versions have no such path at all.
#[tokio::test]
async fn snake_case_association_names_resolve_only_on_the_v3_path() {
    let emu = Emu::start().await;
    let ids = fresh_ids(&emu).await;
    let (pm, c) = (&ids.pm, &ids.contact);
    let r = emu
        .put(
            &format!(
                "/crm/v3/objects/postal_mail/{pm}/associations/contact/{c}/POSTAL_MAIL_TO_CONTACT"
            ),
            None,
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    for version in ["2025-09", "2026-03", "2026-09", "2026-09-beta"] {
        let r = emu
            .put(&format!("/crm/objects/{version}/postal_mail/{pm}/associations/contact/{c}/POSTAL_MAIL_TO_CONTACT"), None)
            .await;
        assert_error(&r, 404, "RESOURCE_NOT_FOUND");
    }
}

/// The list's paging link stays in the version the caller used.
#[tokio::test]
async fn paging_links_keep_the_version() {
    let emu = Emu::start().await;
    emu.handle.seed_postal_mails(3, "page");
    let r = emu.get("/crm/objects/2026-03/postal_mail?limit=2").await;
    let link = r.body["paging"]["next"]["link"].as_str().unwrap();
    assert!(
        link.contains("/crm/objects/2026-03/postal_mail?limit=2&after="),
        "{link}"
    );
}

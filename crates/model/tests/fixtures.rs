//! Every request and response example of HubSpot's documentation that this crate models, and
//! every example of HubSpot's OpenAPI file for the postal mail v3 API, each kept as a copy in
//! `tests/fixtures/` (the tests need nothing outside this repository), decoded into its model
//! type and encoded again. The re-encoded JSON must equal the fixture as a `serde_json::Value`,
//! except where the model normalises on purpose; each such test says so and compares against
//! the normalised form:
//!
//! * (a) ids sent as JSON numbers re-encode as strings (`"to": {"id": 501}` → `"501"`, v4
//!   `fromObjectId` / `toObjectId` likewise);
//! * (b) typed timestamps re-encode as `YYYY-MM-DDTHH:MM:SS.mmmZ`, while property values inside
//!   `properties` are kept verbatim;
//! * (c) `archived` defaults to `false` when absent;
//! * (d) `associations: []` is always written on create inputs;
//! * (e) spec placeholders that are not valid for a typed field (the id `"string"`, the map
//!   example `"{missingScopes=[scope1, scope2]}"`, `sorts: ["string"]`) fail to decode with an
//!   error that names the problem.
//!
//! `fixtures/doc/*.json` are copied from HubSpot's guides: the postal mail guide
//! (<https://developers.hubspot.com/docs/api/crm/postal-mail>), the object API guide
//! (<https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis>), the
//! search guide (<https://developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm>),
//! the associations v4 guide
//! (<https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide>),
//! error handling (<https://developers.hubspot.com/docs/api-reference/error-handling>) and the
//! usage guidelines (<https://developers.hubspot.com/docs/api/usage-details>). Test names keep
//! the section labels the examples were filed under (2.x objects, batches, associations and
//! errors; 3 search; 5 pinning; 7 limits). `…` placeholders are kept in the `*_verbatim` files
//! and filled with the create example's values in the others.
//! `fixtures/spec/<Schema>.json` were written once by a script (not run at test time) that takes
//! each component schema's `example`, or else synthesises one the way Swagger UI does: each
//! property's `example` when given, else `"string"`, `0`, `true`, the first enum value,
//! `"2019-08-24T14:15:22Z"` for date-times and `{"additionalProp1": …}` for maps.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::fmt::Debug;

use hubspot_postal_model::association::{
    AssociatedRecord, AssociationArchive, AssociationCategory, AssociationCreate,
    AssociationReadInput, AssociationReadResult, AssociationSpec, DefaultAssociation, LabelledType,
    LabelsBetweenObjectPair, ObjectRef, types,
};
use hubspot_postal_model::batch::{
    BatchId, BatchInput, BatchReadRequest, BatchResponse, BatchStatus,
};
use hubspot_postal_model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpdatePostalMail, UpsertPostalMail,
    UpsertedPostalMail,
};
use hubspot_postal_model::error::{ErrorBody, ErrorDetail, RateLimitPolicy, StandardError};
use hubspot_postal_model::paging::{NextPage, Page, Paging, PreviousPage, SearchPage};
use hubspot_postal_model::properties::{PropertyChange, PropertyPatch};
use hubspot_postal_model::record::{CrmObject, Record, ValueWithTimestamp, Warning};
use hubspot_postal_model::search::{Filter, FilterGroup, Operator, SearchRequest};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// Decodes `json` as `T` and encodes it again.
fn roundtrip<T: Serialize + DeserializeOwned>(json: &Value) -> Value {
    let typed: T = serde_json::from_value(json.clone())
        .unwrap_or_else(|e| panic!("decode as {}: {e}", std::any::type_name::<T>()));
    serde_json::to_value(&typed).expect("encode")
}

/// Parses fixture text and decodes it as `T` from the text too (the path the client takes),
/// checking it agrees with decoding from a `Value`.
fn load<T: DeserializeOwned + PartialEq + Debug>(text: &str) -> (Value, T) {
    let value: Value = serde_json::from_str(text).expect("fixture is JSON");
    let from_text: T = serde_json::from_str(text).expect("decode from text");
    let from_value: T = serde_json::from_value(value.clone()).expect("decode from value");
    assert_eq!(from_text, from_value);
    (value, from_text)
}

/// Asserts the fixture re-encodes to exactly itself and returns the decoded value.
fn exact<T: Serialize + DeserializeOwned + PartialEq + Debug>(text: &str) -> T {
    let (value, typed) = load::<T>(text);
    assert_eq!(roundtrip::<T>(&value), value);
    typed
}

/// Asserts decoding fails and the error message contains `needle`.
fn rejects<T: DeserializeOwned + Debug>(text: &str, needle: &str) {
    let err = serde_json::from_str::<T>(text).expect_err("placeholder must not decode");
    let msg = err.to_string();
    assert!(
        msg.contains(needle),
        "error {msg:?} should mention {needle:?}"
    );
}

fn set(v: &mut Value, pointer: &str, new: Value) {
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} in fixture")) = new;
}

macro_rules! doc {
    ($name:literal) => {
        include_str!(concat!("fixtures/doc/", $name, ".json"))
    };
}
macro_rules! spec {
    ($name:literal) => {
        include_str!(concat!("fixtures/spec/", $name, ".json"))
    };
}

// ---------------------------------------------------------------------------------------------
// HubSpot's guides (fixtures/doc)

#[test]
fn create_request_2_3_numeric_ids_become_strings() {
    let (value, create) = load::<CreatePostalMail>(doc!("create_request"));
    create.validate().unwrap();
    assert_eq!(create.associations.len(), 2);
    assert_eq!(create.associations[0].to.id.as_str(), "501");
    assert_eq!(
        create.associations[0].types,
        vec![AssociationSpec::hubspot_defined(
            types::POSTAL_MAIL_TO_CONTACT
        )]
    );
    // (b) the bare date stays verbatim inside `properties`; only the typed accessor parses it.
    assert_eq!(create.properties.get("hs_timestamp"), Some("2021-11-12"));
    assert_eq!(
        create.timestamp().unwrap().to_string(),
        "2021-11-12T00:00:00.000Z"
    );
    // (a) `"to": {"id": 501}` re-encodes as `"501"`.
    let mut want = value.clone();
    set(&mut want, "/associations/0/to/id", json!("501"));
    set(&mut want, "/associations/1/to/id", json!("502"));
    assert_ne!(want, value);
    assert_eq!(roundtrip::<CreatePostalMail>(&value), want);
}

#[test]
fn create_input_always_writes_associations() {
    // (d) no `associations` in, `associations: []` out.
    let value = json!({"properties": {"hs_timestamp": "2021-11-12"}});
    let mut want = value.clone();
    want["associations"] = json!([]);
    assert_eq!(roundtrip::<CreatePostalMail>(&value), want);
}

#[test]
fn create_response_2_3() {
    let pm: PostalMail = exact(doc!("create_response"));
    assert_eq!(pm.id.as_str(), "25727582880");
    assert_eq!(
        pm.created_at.map(|t| t.to_string()).as_deref(),
        Some("2026-01-05T10:00:00.000Z")
    );
    // (b) property values are kept verbatim, not canonicalised.
    assert_eq!(
        pm.properties.get("hs_timestamp"),
        Some("2021-11-12T00:00:00Z")
    );
    assert_eq!(
        pm.timestamp().unwrap().unwrap().to_string(),
        "2021-11-12T00:00:00.000Z"
    );
    assert_eq!(pm.owner_id().unwrap().unwrap().as_str(), "9274996");
    assert_eq!(pm.attachment_ids().unwrap().len(), 1);
    assert!(!pm.archived);
}

#[test]
fn archived_defaults_to_false() {
    // (c)
    let (mut value, _) = load::<PostalMail>(doc!("create_response"));
    value.as_object_mut().unwrap().remove("archived");
    let mut want = value.clone();
    want["archived"] = json!(false);
    assert_eq!(roundtrip::<PostalMail>(&value), want);
}

#[test]
fn list_response_2_2() {
    let page: Page<PostalMail> = exact(doc!("list_response"));
    assert_eq!(page.next_after(), Some("513881705058"));
    assert_eq!(page.results.len(), 1);
    assert!(page.results[0].url.as_deref().unwrap().contains("{HubId}"));
    // The same body is a page of any CRM record.
    exact::<Page<Record>>(doc!("list_response"));
}

#[test]
fn get_with_associations_2_4() {
    let pm: PostalMail = exact(doc!("get_with_associations"));
    let ids: Vec<&str> = pm
        .associated_ids("contacts")
        .into_iter()
        .map(|id| id.as_str())
        .collect();
    assert_eq!(ids, ["501"]);
    // A null property is kept as null, distinct from absent.
    assert!(pm.properties.contains("hs_postal_mail_body"));
    assert_eq!(pm.body(), None);
}

#[test]
fn get_with_associations_2_4_verbatim_placeholders_are_rejected() {
    // (e) the documentation writes `"id": "…"`: not a postal mail id.
    rejects::<PostalMail>(
        doc!("get_with_associations_verbatim"),
        "postal mail id contains '…'",
    );
}

#[test]
fn update_request_2_4() {
    let update: UpdatePostalMail = exact(doc!("update_request"));
    update.validate().unwrap();
    assert!(matches!(
        update.patch().get("hs_postal_mail_body"),
        Some(PropertyChange::Set(s)) if s.ends_with("Received a call in response.")
    ));
    exact::<PropertyPatch>(doc!("update_request"));
}

#[test]
fn pin_update_request_5_numeric_value() {
    // HubSpot's pinning example is `{"properties":{"hs_pinned_engagement_id":123456789}}`.
    // `Properties` accepts numbers (kept as their text) but `PropertyPatch` does not, so this
    // body cannot be decoded as an update. Expected after a fix: the number normalises to a
    // string.
    let (value, _) = load::<PropertyPatch>(doc!("pin_update_request"));
    let want = json!({"properties": {"hs_pinned_engagement_id": "123456789"}});
    assert_eq!(roundtrip::<PropertyPatch>(&value), want);
}

#[test]
fn batch_read_request_2_5() {
    let req: BatchReadRequest = exact(doc!("batch_read_request"));
    assert_eq!(
        req.inputs,
        vec![BatchId {
            id: "430001".into()
        }]
    );
    assert_eq!(req.id_property.as_deref(), Some("optional_unique_prop"));
    // Missing lists default to empty and are written out (the spec marks them required).
    let bare = json!({"inputs": [{"id": "1"}]});
    assert_eq!(
        roundtrip::<BatchReadRequest>(&bare),
        json!({"properties": [], "propertiesWithHistory": [], "inputs": [{"id": "1"}]})
    );
}

#[test]
fn batch_create_request_2_5() {
    let batch: BatchInput<CreatePostalMail> = exact(doc!("batch_create_request"));
    assert_eq!(
        batch.inputs[0].object_write_trace_id.as_deref(),
        Some("optional-unique")
    );
    batch.inputs[0].validate().unwrap();
}

#[test]
fn batch_update_request_2_5() {
    let batch: BatchInput<BatchUpdateItem> = exact(doc!("batch_update_request"));
    let item = &batch.inputs[0];
    assert_eq!(item.id, "123");
    assert_eq!(item.id_property.as_deref(), Some("optional"));
    assert_eq!(item.object_write_trace_id.as_deref(), Some("optional"));
    // `""` is a clear.
    assert_eq!(
        item.update.patch().get("hs_attachment_ids"),
        Some(&PropertyChange::Clear)
    );
}

#[test]
fn batch_upsert_request_2_5() {
    let batch: BatchInput<UpsertPostalMail> = exact(doc!("batch_upsert_request"));
    assert_eq!(batch.inputs[0].id_property, "my_unique_property_name");
}

#[test]
fn batch_archive_request_2_5() {
    let batch: BatchInput<BatchId> = exact(doc!("batch_archive_request"));
    assert_eq!(batch.inputs.len(), 2);
}

#[test]
fn batch_response_200_2_5() {
    let resp: BatchResponse<PostalMail> = exact(doc!("batch_response_200"));
    assert_eq!(resp.status, Some(BatchStatus::Complete));
    assert!(resp.errors().is_empty());
    assert_eq!(
        resp.started_at.map(|t| t.to_string()).as_deref(),
        Some("2022-02-17T19:14:14.673Z")
    );
    exact::<BatchResponse<Record>>(doc!("batch_response_200"));
}

#[test]
fn batch_create_207_2_5() {
    let resp: BatchResponse<PostalMail> = exact(doc!("batch_create_207"));
    assert_eq!(resp.num_errors, Some(1));
    assert_eq!(
        resp.errors()[0].context_values("objectWriteTraceId"),
        ["549b1c2a9351"]
    );
    assert_eq!(
        resp.errors()[0].category.as_deref(),
        Some("VALIDATION_ERROR")
    );
}

#[test]
fn batch_read_207_2_5() {
    let resp: BatchResponse<PostalMail> = exact(doc!("batch_read_207"));
    assert!(resp.results.is_empty());
    assert_eq!(resp.errors()[0].context_values("ids"), ["999"]);
}

#[test]
fn batch_upsert_response_2_5() {
    let resp: BatchResponse<UpsertedPostalMail> = exact(doc!("batch_upsert_response"));
    assert!(resp.results[0].new);
    assert!(!resp.results[1].new);
    assert_eq!(resp.results[0].postal_mail.id.as_str(), "25727582880");
}

#[test]
fn search_request_3() {
    let req: SearchRequest = exact(doc!("search_request"));
    req.validate().unwrap();
    let filters = &req.filter_groups[0].filters;
    assert_eq!(filters[0].operator, Operator::Between);
    assert_eq!(filters[0].high_value.as_deref(), Some("1642672800000"));
    assert_eq!(
        filters[1].values.as_deref(),
        Some(&["9274996".to_owned()][..])
    );
    assert_eq!(req.limit, Some(100));
}

#[test]
fn search_response_3() {
    let page: SearchPage<PostalMail> = exact(doc!("search_response"));
    assert_eq!(page.total, 38);
    assert_eq!(page.next_after(), Some("10"));
}

#[test]
fn search_response_3_verbatim_placeholders_are_rejected() {
    // (e) `"id": "…"`, `"createdAt": "…"`.
    rejects::<SearchPage<PostalMail>>(
        doc!("search_response_verbatim"),
        "postal mail id contains '…'",
    );
}

#[test]
fn v4_labels_between_object_pair_numeric_ids() {
    let (value, pair) = load::<LabelsBetweenObjectPair>(doc!("v4_labels_between_object_pair"));
    assert_eq!(pair.from_object_id.as_str(), "29851");
    assert_eq!(pair.to_object_id.as_str(), "21678228008");
    // (a)
    let mut want = value.clone();
    set(&mut want, "/fromObjectId", json!("29851"));
    set(&mut want, "/toObjectId", json!("21678228008"));
    assert_eq!(roundtrip::<LabelsBetweenObjectPair>(&value), want);
    // The normalised form is itself a fixed point.
    assert_eq!(roundtrip::<LabelsBetweenObjectPair>(&want), want);
}

#[test]
fn v4_labelled_put_request() {
    let specs: Vec<AssociationSpec> = exact(doc!("v4_labelled_put_request"));
    assert_eq!(
        specs[0].association_category,
        AssociationCategory::HubspotDefined
    );
}

#[test]
fn v4_list_response_numeric_ids() {
    let (value, page) = load::<Page<AssociatedRecord>>(doc!("v4_list_response"));
    assert_eq!(page.results[0].to_object_id.as_str(), "104901");
    assert_eq!(page.results[0].association_types[0].label, None);
    assert_eq!(
        page.results[0].association_types[1].label.as_deref(),
        Some("Recipient")
    );
    // (a); `label: null` stays null.
    let mut want = value.clone();
    set(&mut want, "/results/0/toObjectId", json!("104901"));
    let got = roundtrip::<Page<AssociatedRecord>>(&value);
    assert_eq!(got, want);
    assert_eq!(
        got["results"][0]["associationTypes"][0]["label"],
        Value::Null
    );
}

#[test]
fn v4_labels_response() {
    let page: Page<LabelledType> = exact(doc!("v4_labels_response"));
    assert_eq!(page.results[0].type_id, types::POSTAL_MAIL_TO_CONTACT);
}

#[test]
fn v4_default_association_response() {
    let resp: BatchResponse<DefaultAssociation> = exact(doc!("v4_default_association_response"));
    assert_eq!(resp.results[0].to.id.as_str(), "104901");
}

#[test]
fn v4_batch_bodies() {
    let read: BatchInput<AssociationReadInput> = exact(doc!("v4_batch_read_request"));
    assert_eq!(read.inputs[0].after.as_deref(), Some("optional"));
    assert_eq!(read.inputs[1].after, None);
    exact::<BatchInput<AssociationCreate>>(doc!("v4_batch_create_request"));
    let archive: BatchInput<AssociationArchive> = exact(doc!("v4_batch_archive_request"));
    assert_eq!(archive.inputs[0].to.len(), 2);
    exact::<BatchInput<AssociationCreate>>(doc!("v4_batch_labels_archive_request"));
}

#[test]
fn v4_batch_read_response_numeric_ids() {
    let (value, _) = load::<BatchResponse<AssociationReadResult>>(doc!("v4_batch_read_response"));
    let mut want = value.clone();
    set(&mut want, "/results/0/to/0/toObjectId", json!("104901"));
    assert_eq!(
        roundtrip::<BatchResponse<AssociationReadResult>>(&value),
        want
    );
}

#[test]
fn error_bodies_2_8() {
    let e400: ErrorBody = exact(doc!("error_400_validation"));
    assert_eq!(e400.category.as_deref(), Some("VALIDATION_ERROR"));
    let detail = &e400.errors.as_ref().unwrap()[0];
    assert_eq!(detail.code.as_deref(), Some("PROPERTY_DOESNT_EXIST"));
    assert_eq!(
        detail.context.as_ref().unwrap()["propertyName"],
        ["testproperty"]
    );
    assert_eq!(e400.rate_limit_policy(), None);

    let e403: ErrorBody = exact(doc!("error_403_missing_scopes"));
    assert_eq!(
        e403.links.as_ref().unwrap()["scopes"],
        "https://developers.hubspot.com/scopes"
    );
    assert_eq!(
        e403.errors.as_ref().unwrap()[0].context.as_ref().unwrap()["requiredGranularScopes"],
        ["crm.objects.contacts.write"]
    );

    let e401: ErrorBody = exact(doc!("error_401"));
    assert_eq!(e401.category.as_deref(), Some("INVALID_AUTHENTICATION"));

    let daily: ErrorBody = exact(doc!("error_429_daily"));
    assert_eq!(daily.rate_limit_policy(), Some(RateLimitPolicy::Daily));
    assert_eq!(daily.error_type.as_deref(), Some("RATE_LIMIT"));
    assert_eq!(
        daily.request_id.as_deref(),
        Some("3d3e35b7-0dae-4b9f-a6e3-9c230cbcf8dd")
    );

    let search: ErrorBody = exact(doc!("error_429_search"));
    assert_eq!(search.rate_limit_policy(), Some(RateLimitPolicy::Secondly));
}

#[test]
fn batch_errors_are_standard_errors() {
    let resp: Value = serde_json::from_str(doc!("batch_create_207")).unwrap();
    let entry = &resp["errors"][0];
    assert_eq!(roundtrip::<StandardError>(entry), *entry);
}

// ---------------------------------------------------------------------------------------------
// crm-objects-postal-mail-v3.json

/// The spec's date-time placeholder, canonicalised (b).
const SPEC_TIME: &str = "2019-08-24T14:15:22.000Z";

/// Replaces every string equal to the spec's date-time placeholder at typed timestamp keys.
fn canonical_times(v: &mut Value) {
    match v {
        Value::Object(map) => {
            for (k, x) in map.iter_mut() {
                let typed = matches!(
                    k.as_str(),
                    "createdAt"
                        | "updatedAt"
                        | "archivedAt"
                        | "timestamp"
                        | "startedAt"
                        | "completedAt"
                        | "requestedAt"
                );
                if typed && x == "2019-08-24T14:15:22Z" {
                    *x = json!(SPEC_TIME);
                } else {
                    canonical_times(x);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(canonical_times),
        _ => {}
    }
}

/// Decodes a spec example and checks it re-encodes to itself with only (b) applied.
fn spec_ok<T: Serialize + DeserializeOwned + PartialEq + Debug>(text: &str) -> T {
    let (value, typed) = load::<T>(text);
    let mut want = value.clone();
    canonical_times(&mut want);
    assert_eq!(roundtrip::<T>(&value), want);
    typed
}

#[test]
fn spec_explicit_examples() {
    // The four schemas with a whole `example`.
    let pm: PostalMail = spec_ok(spec!("SimplePublicObject"));
    assert_eq!(pm.id.as_str(), "512");
    assert_eq!(pm.properties.get("property_checkbox"), Some("false"));
    spec_ok::<Record>(spec!("SimplePublicObject"));
    let update: UpdatePostalMail = spec_ok(spec!("SimplePublicObjectInput"));
    assert_eq!(update.patch().iter().count(), 7);
    let err: ErrorBody = spec_ok(spec!("Error"));
    assert_eq!(err.category.as_deref(), Some("VALIDATION_ERROR"));
    let next: NextPage = spec_ok(spec!("NextPage"));
    assert_eq!(next.after, "NTI1Cg%3D%3D");
}

#[test]
fn spec_synthesised_examples_that_decode() {
    let spec: AssociationSpec = spec_ok(spec!("AssociationSpec"));
    assert_eq!(spec.association_type_id.0, 0);
    let update: BatchInput<BatchUpdateItem> =
        spec_ok(spec!("BatchInputSimplePublicObjectBatchInput"));
    assert_eq!(
        update.inputs[0].id_property.as_deref(),
        Some("my_unique_property_name")
    );
    spec_ok::<BatchUpdateItem>(spec!("SimplePublicObjectBatchInput"));
    spec_ok::<BatchInput<UpsertPostalMail>>(spec!("BatchInputSimplePublicObjectBatchInputUpsert"));
    spec_ok::<UpsertPostalMail>(spec!("SimplePublicObjectBatchInputUpsert"));
    let ids: BatchInput<BatchId> = spec_ok(spec!("BatchInputSimplePublicObjectId"));
    assert_eq!(ids.inputs[0].id, "430001");
    spec_ok::<BatchId>(spec!("SimplePublicObjectId"));
    spec_ok::<BatchReadRequest>(spec!("BatchReadInputSimplePublicObjectId"));
    // `results` holds the SimplePublicObject example; typed times canonicalise (b).
    let resp: BatchResponse<PostalMail> = spec_ok(spec!("BatchResponseSimplePublicObject"));
    assert_eq!(resp.status, Some(BatchStatus::Canceled));
    assert_eq!(resp.requested_at.unwrap().to_string(), SPEC_TIME);
    let page: SearchPage<PostalMail> =
        spec_ok(spec!("CollectionResponseWithTotalSimplePublicObject"));
    assert_eq!(page.next_after(), Some("NTI1Cg%3D%3D"));
    spec_ok::<Filter>(spec!("Filter"));
    spec_ok::<FilterGroup>(spec!("FilterGroup"));
    spec_ok::<Paging>(spec!("ForwardPaging"));
    spec_ok::<Paging>(spec!("Paging"));
    spec_ok::<PreviousPage>(spec!("PreviousPage"));
    let history: ValueWithTimestamp = spec_ok(spec!("ValueWithTimestamp"));
    assert_eq!(history.timestamp.to_string(), SPEC_TIME);
}

#[test]
fn spec_placeholders_that_cannot_decode() {
    // (e) `"id": "string"` is not a numeric CRM id.
    let id_err = "record id contains 's' at byte 0";
    rejects::<ObjectRef>(spec!("PublicObjectId"), id_err);
    rejects::<hubspot_postal_model::association::AssociationInput>(
        spec!("PublicAssociationsForObject"),
        id_err,
    );
    rejects::<CreatePostalMail>(spec!("SimplePublicObjectInputForCreate"), id_err);
    rejects::<CreatePostalMail>(spec!("SimplePublicObjectBatchInputForCreate"), id_err);
    rejects::<BatchInput<CreatePostalMail>>(
        spec!("BatchInputSimplePublicObjectBatchInputForCreate"),
        id_err,
    );
    rejects::<hubspot_postal_model::association::AssociatedId>(spec!("AssociatedId"), id_err);
    rejects::<hubspot_postal_model::association::AssociatedIds>(
        spec!("CollectionResponseAssociatedId"),
        id_err,
    );
    let pm_err = "postal mail id contains 's' at byte 0";
    // Keys are sorted: `associations` (with its `"id": "string"`) fails before `id`.
    rejects::<PostalMail>(spec!("SimplePublicObjectWithAssociations"), id_err);
    rejects::<UpsertedPostalMail>(spec!("SimplePublicUpsertObject"), pm_err);
    rejects::<Page<PostalMail>>(
        spec!("CollectionResponseSimplePublicObjectWithAssociationsForwardPaging"),
        id_err,
    );
    rejects::<BatchResponse<UpsertedPostalMail>>(
        spec!("BatchResponseSimplePublicUpsertObject"),
        pm_err,
    );
    // (e) the property-level example of `ErrorDetail.context` is the string
    // "{missingScopes=[scope1, scope2]}", not a map; it spreads to everything holding errors.
    let map_err = "expected a map";
    rejects::<ErrorDetail>(spec!("ErrorDetail"), map_err);
    rejects::<StandardError>(spec!("StandardError"), map_err);
    rejects::<BatchResponse<PostalMail>>(
        spec!("BatchResponseSimplePublicObjectWithErrors"),
        map_err,
    );
    rejects::<BatchResponse<UpsertedPostalMail>>(
        spec!("BatchResponseSimplePublicUpsertObjectWithErrors"),
        map_err,
    );
    // (e) the spec types `sorts` as `string[]`; the docs (and this model) use
    // `[{propertyName, direction}]`.
    rejects::<SearchRequest>(spec!("PublicObjectSearchRequest"), "expected struct Sort");
}

#[test]
fn spec_placeholders_with_ids_filled_decode() {
    // The rejected examples above fail only on their placeholders: with those replaced, they
    // decode and round-trip.
    let mut create: Value =
        serde_json::from_str(spec!("SimplePublicObjectInputForCreate")).unwrap();
    set(&mut create, "/associations/0/to/id", json!("501"));
    assert_eq!(roundtrip::<CreatePostalMail>(&create), create);

    let mut detail: Value = serde_json::from_str(spec!("ErrorDetail")).unwrap();
    set(
        &mut detail,
        "/context",
        json!({"missingScopes": ["scope1", "scope2"]}),
    );
    assert_eq!(roundtrip::<ErrorDetail>(&detail), detail);

    let mut std_err: Value = serde_json::from_str(spec!("StandardError")).unwrap();
    set(
        &mut std_err,
        "/errors/0/context",
        json!({"missingScopes": ["scope1"]}),
    );
    assert_eq!(roundtrip::<StandardError>(&std_err), std_err);

    let mut search: Value = serde_json::from_str(spec!("PublicObjectSearchRequest")).unwrap();
    set(
        &mut search,
        "/sorts",
        json!([{"propertyName": "hs_timestamp", "direction": "ASCENDING"}]),
    );
    assert_eq!(roundtrip::<SearchRequest>(&search), search);
}

#[test]
fn spec_public_object_warning() {
    // All four postal-mail / objects specs type PublicObjectWarning.context as
    // `additionalProperties: {type: string}`. A response carrying such a warning fails to
    // decode as a whole.
    spec_ok::<Warning>(spec!("PublicObjectWarning"));
    let mut pm: Value = serde_json::from_str(spec!("SimplePublicObjectWithAssociations")).unwrap();
    set(&mut pm, "/id", json!("512"));
    set(
        &mut pm,
        "/associations/additionalProp1/results/0/id",
        json!("501"),
    );
    spec_ok::<CrmObject<hubspot_postal_model::ids::PostalMailId>>(&pm.to_string());
}

#[test]
fn warning_with_list_context_round_trips() {
    // What the model does accept today.
    let w = json!({"category": "c", "message": "m", "context": {"k": ["v"]}});
    assert_eq!(roundtrip::<Warning>(&w), w);
}

#[test]
fn filter_operators_cover_spec_enum() {
    // The spec's operator enum, all 13, decode and re-encode unchanged.
    for op in [
        "BETWEEN",
        "CONTAINS_TOKEN",
        "EQ",
        "GT",
        "GTE",
        "HAS_PROPERTY",
        "IN",
        "LT",
        "LTE",
        "NEQ",
        "NOT_CONTAINS_TOKEN",
        "NOT_HAS_PROPERTY",
        "NOT_IN",
    ] {
        let f = json!({"propertyName": "p", "operator": op});
        assert_eq!(roundtrip::<Filter>(&f), f);
    }
    assert!(
        serde_json::from_value::<Filter>(json!({"propertyName": "p", "operator": "eq"})).is_err()
    );
}

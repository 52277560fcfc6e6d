//! Property tests: every public wire type, encoded then decoded, gives an equal value (through
//! JSON text and through `serde_json::Value`), and its encoding is a fixed point. Plus the string
//! forms of `Timestamp`, `AttachmentIds`, the id types and `ObjectType`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::fmt::Debug;

use hubspot_postal_model::association::{
    AssociatedId, AssociatedIds, AssociatedRecord, AssociationArchive, AssociationCategory,
    AssociationCreate, AssociationInput, AssociationReadInput, AssociationReadResult,
    AssociationSpec, AssociationTypeId, DefaultAssociation, LabelledType, LabelsBetweenObjectPair,
    ObjectRef,
};
use hubspot_postal_model::attachments::AttachmentIds;
use hubspot_postal_model::batch::{
    BatchId, BatchInput, BatchReadRequest, BatchResponse, BatchStatus,
};
use hubspot_postal_model::engagement::{
    BatchUpdateItem, CreatePostalMail, PostalMail, UpdatePostalMail, UpsertPostalMail,
    UpsertedPostalMail,
};
use hubspot_postal_model::error::{ErrorBody, ErrorDetail, StandardError};
use hubspot_postal_model::ids::{OwnerId, PostalMailId, RecordId};
use hubspot_postal_model::object_type::ObjectType;
use hubspot_postal_model::paging::{NextPage, Page, Paging, PreviousPage, SearchPage};
use hubspot_postal_model::properties::{Properties, PropertyChange, PropertyPatch};
use hubspot_postal_model::record::{CrmObject, Record, ValueWithTimestamp, Warning};
use hubspot_postal_model::search::{Direction, Filter, FilterGroup, Operator, SearchRequest, Sort};
use hubspot_postal_model::timestamp::Timestamp;
use proptest::collection::{btree_map, vec};
use proptest::option;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const MIN_MILLIS: i64 = -62_135_596_800_000; // 0001-01-01T00:00:00.000Z
const MAX_MILLIS: i64 = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z

/// Encode, decode, compare; via text and via `Value`; and the encoding is a fixed point.
fn check<T: Serialize + DeserializeOwned + PartialEq + Debug>(v: &T) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(v).unwrap();
    let back: T = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("decode {text}: {e}")))?;
    prop_assert_eq!(&back, v);
    let value = serde_json::to_value(v).unwrap();
    let back: T = serde_json::from_value(value.clone())
        .map_err(|e| TestCaseError::fail(format!("decode value {value}: {e}")))?;
    prop_assert_eq!(&back, v);
    prop_assert_eq!(serde_json::to_value(&back).unwrap(), value);
    Ok(())
}

// ---- leaves ---------------------------------------------------------------------------------

/// A string of `len` characters from `alphabet` (cheaper than a regex strategy).
fn from_alphabet(
    alphabet: &'static str,
    len: std::ops::RangeInclusive<usize>,
) -> impl Strategy<Value = String> + Clone {
    let chars: Vec<char> = alphabet.chars().collect();
    vec(proptest::sample::select(chars), len).prop_map(|cs| cs.into_iter().collect())
}

/// Free text: any characters, with JSON-significant ones made likely.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => from_alphabet("abcz019 _;", 0..=8),
        1 => vec(
            prop_oneof![any::<char>(), proptest::sample::select(vec!['"', '\\', '\n', '\0', '\u{1F4EC}'])],
            0..8,
        )
        .prop_map(|cs| cs.into_iter().collect::<String>()),
    ]
}

fn digits() -> impl Strategy<Value = String> {
    from_alphabet("0123456789", 1..=20)
}

fn record_id() -> impl Strategy<Value = RecordId> {
    prop_oneof![
        digits().prop_map(|s| RecordId::new(s).unwrap()),
        any::<u64>().prop_map(RecordId::from),
    ]
}

fn postal_mail_id() -> impl Strategy<Value = PostalMailId> {
    prop_oneof![
        digits().prop_map(|s| PostalMailId::new(s).unwrap()),
        any::<u64>().prop_map(PostalMailId::from),
    ]
}

fn timestamp() -> impl Strategy<Value = Timestamp> {
    prop_oneof![
        (MIN_MILLIS..=MAX_MILLIS),
        // Recent instants, HubSpot's actual range.
        (1_500_000_000_000i64..1_900_000_000_000),
        Just(MIN_MILLIS),
        Just(MAX_MILLIS),
    ]
    .prop_map(|ms| Timestamp::from_epoch_millis(ms).unwrap())
}

fn prop_name() -> impl Strategy<Value = String> {
    from_alphabet("abcdefghijklmnopqrstuvwxyz0123456789_", 1..=12)
}

fn properties() -> impl Strategy<Value = Properties> {
    btree_map(
        prop_oneof![
            3 => prop_name(),
            1 => Just("hs_postal_mail_body".to_owned()),
            1 => text(),
        ],
        option::weighted(0.8, text()),
        0..5,
    )
    .prop_map(|m| m.into_iter().collect())
}

fn string_map() -> impl Strategy<Value = BTreeMap<String, String>> {
    btree_map(text(), text(), 0..3)
}

fn context() -> impl Strategy<Value = BTreeMap<String, Vec<String>>> {
    btree_map(text(), vec(text(), 0..3), 0..3)
}

/// A `subCategory`: any JSON but `null` (which decodes as absent; see `sub_category_null`).
fn sub_category() -> impl Strategy<Value = Value> {
    prop_oneof![
        text().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        (text(), text()).prop_map(|(k, v)| json!({ k: v })),
        vec(text(), 0..3).prop_map(|v| json!(v)),
    ]
}

fn category() -> impl Strategy<Value = AssociationCategory> {
    prop_oneof![
        Just(AssociationCategory::HubspotDefined),
        Just(AssociationCategory::UserDefined),
        Just(AssociationCategory::IntegratorDefined),
        Just(AssociationCategory::Work),
        text()
            .prop_filter("not a known category", |s| !matches!(
                s.as_str(),
                "HUBSPOT_DEFINED" | "USER_DEFINED" | "INTEGRATOR_DEFINED" | "WORK"
            ))
            .prop_map(AssociationCategory::Other),
    ]
}

fn type_id() -> impl Strategy<Value = AssociationTypeId> {
    prop_oneof![
        (453u32..=460).prop_map(AssociationTypeId),
        any::<u32>().prop_map(AssociationTypeId),
    ]
}

fn batch_status() -> impl Strategy<Value = BatchStatus> {
    prop_oneof![
        Just(BatchStatus::Pending),
        Just(BatchStatus::Processing),
        Just(BatchStatus::Canceled),
        Just(BatchStatus::Complete),
        text()
            .prop_filter("not a known status", |s| !matches!(
                s.as_str(),
                "PENDING" | "PROCESSING" | "CANCELED" | "COMPLETE"
            ))
            .prop_map(BatchStatus::Other),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    proptest::sample::select(Operator::ALL.to_vec())
}

// ---- composites -----------------------------------------------------------------------------

prop_compose! {
    fn paging()(
        next in option::of((text(), option::of(text()))),
        prev in option::of((text(), option::of(text()))),
    ) -> Paging {
        Paging {
            next: next.map(|(after, link)| NextPage { after, link }),
            prev: prev.map(|(before, link)| PreviousPage { before, link }),
        }
    }
}

prop_compose! {
    fn value_with_timestamp()(
        value in text(),
        timestamp in timestamp(),
        source_type in prop_oneof![Just("API".to_owned()), Just("CRM_UI".to_owned()), text()],
        source_id in option::of(text()),
        source_label in option::of(text()),
        updated_by_user_id in option::of(any::<i64>()),
    ) -> ValueWithTimestamp {
        ValueWithTimestamp { value, timestamp, source_type, source_id, source_label, updated_by_user_id }
    }
}

prop_compose! {
    fn warning()(
        category in option::of(text()),
        message in option::of(text()),
        context in option::of(context()),
    ) -> Warning {
        let context = context.map(|c| {
            c.into_iter().map(|(k, v)| (k, serde_json::Value::from(v))).collect()
        });
        Warning { category, message, context }
    }
}

prop_compose! {
    fn associated_ids()(
        results in vec((record_id(), text()).prop_map(|(id, kind)| AssociatedId { id, kind }), 0..3),
        paging in option::of(paging()),
    ) -> AssociatedIds {
        AssociatedIds { results, paging }
    }
}

prop_compose! {
    fn crm_object_parts()(
        properties in properties(),
        history in option::of(btree_map(prop_name(), vec(value_with_timestamp(), 0..2), 0..2)),
        created_at in option::of(timestamp()),
        updated_at in option::of(timestamp()),
        archived in any::<bool>(),
        archived_at in option::of(timestamp()),
        associations in option::of(btree_map(
            prop_oneof![Just("contacts".to_owned()), Just("deals".to_owned()), text()],
            associated_ids(),
            0..2,
        )),
        trace in option::of(text()),
        url in option::of(text()),
        warnings in option::of(vec(warning(), 0..2)),
    ) -> CrmObject<()> {
        CrmObject {
            id: (),
            properties,
            properties_with_history: history,
            created_at,
            updated_at,
            archived,
            archived_at,
            associations,
            object_write_trace_id: trace,
            url,
            warnings,
        }
    }
}

fn with_id<Id>(o: CrmObject<()>, id: Id) -> CrmObject<Id> {
    CrmObject {
        id,
        properties: o.properties,
        properties_with_history: o.properties_with_history,
        created_at: o.created_at,
        updated_at: o.updated_at,
        archived: o.archived,
        archived_at: o.archived_at,
        associations: o.associations,
        object_write_trace_id: o.object_write_trace_id,
        url: o.url,
        warnings: o.warnings,
    }
}

fn postal_mail() -> impl Strategy<Value = PostalMail> {
    (crm_object_parts(), postal_mail_id()).prop_map(|(o, id)| with_id(o, id))
}

fn record() -> impl Strategy<Value = Record> {
    (crm_object_parts(), record_id()).prop_map(|(o, id)| with_id(o, id))
}

prop_compose! {
    fn association_spec()(c in category(), t in type_id()) -> AssociationSpec {
        AssociationSpec { association_category: c, association_type_id: t }
    }
}

fn object_ref() -> impl Strategy<Value = ObjectRef> {
    record_id().prop_map(|id| ObjectRef { id })
}

prop_compose! {
    fn association_input()(id in record_id(), types in vec(association_spec(), 0..3)) -> AssociationInput {
        AssociationInput::new(id, types)
    }
}

prop_compose! {
    fn create_postal_mail()(
        properties in properties(),
        associations in vec(association_input(), 0..3),
        trace in option::of(text()),
    ) -> CreatePostalMail {
        CreatePostalMail { properties, associations, object_write_trace_id: trace }
    }
}

prop_compose! {
    fn property_patch()(changes in vec((prop_name(), option::of(text())), 0..6)) -> PropertyPatch {
        let mut p = PropertyPatch::new();
        for (name, value) in changes {
            match value {
                Some(v) => { p.set(&name, v).unwrap(); }
                None => { p.clear(&name).unwrap(); }
            }
        }
        p
    }
}

fn update_postal_mail() -> impl Strategy<Value = UpdatePostalMail> {
    property_patch().prop_map(UpdatePostalMail::from)
}

prop_compose! {
    fn batch_update_item()(
        id in prop_oneof![digits(), text()],
        update in update_postal_mail(),
        id_property in option::of(prop_name()),
        trace in option::of(text()),
    ) -> BatchUpdateItem {
        BatchUpdateItem { id, update, id_property, object_write_trace_id: trace }
    }
}

prop_compose! {
    fn upsert_postal_mail()(
        id_property in prop_name(),
        id in text(),
        properties in properties(),
        trace in option::of(text()),
    ) -> UpsertPostalMail {
        let mut u = UpsertPostalMail::new(&id_property, id, properties).unwrap();
        u.object_write_trace_id = trace;
        u
    }
}

prop_compose! {
    fn upserted_postal_mail()(postal_mail in postal_mail(), new in any::<bool>()) -> UpsertedPostalMail {
        UpsertedPostalMail { postal_mail, new }
    }
}

fn batch_id() -> impl Strategy<Value = BatchId> {
    text().prop_map(|id| BatchId { id })
}

prop_compose! {
    fn batch_read_request()(
        properties in vec(prop_name(), 0..4),
        history in vec(prop_name(), 0..3),
        id_property in option::of(prop_name()),
        inputs in vec(batch_id(), 0..4),
    ) -> BatchReadRequest {
        BatchReadRequest { properties, properties_with_history: history, id_property, inputs }
    }
}

prop_compose! {
    fn error_detail()(
        message in option::of(text()),
        code in option::of(text()),
        location in option::of(text()),
        sub_category in option::of(sub_category()),
        context in option::of(context()),
    ) -> ErrorDetail {
        ErrorDetail { message, code, location, sub_category, context }
    }
}

prop_compose! {
    fn standard_error()(
        status in option::of(text()),
        id in option::of(text()),
        category in option::of(text()),
        sub_category in option::of(sub_category()),
        message in option::of(text()),
        errors in option::of(vec(error_detail(), 0..2)),
        context in option::of(context()),
        links in option::of(string_map()),
    ) -> StandardError {
        StandardError { status, id, category, sub_category, message, errors, context, links }
    }
}

prop_compose! {
    fn error_body()(
        (status, message, correlation_id, category) in (
            option::of(text()), option::of(text()), option::of(text()), option::of(text()),
        ),
        sub_category in option::of(sub_category()),
        errors in option::of(vec(error_detail(), 0..2)),
        context in option::of(context()),
        links in option::of(string_map()),
        (policy_name, error_type, request_id) in (
            option::of(prop_oneof![Just("DAILY".to_owned()), Just("TEN_SECONDLY_ROLLING".to_owned()), text()]),
            option::of(text()),
            option::of(text()),
        ),
    ) -> ErrorBody {
        ErrorBody {
            status, message, correlation_id, category, sub_category, errors, context, links,
            policy_name, error_type, request_id,
        }
    }
}

fn batch_response<T: Debug + Clone>(
    results: impl Strategy<Value = T>,
    with_errors: bool,
) -> impl Strategy<Value = BatchResponse<T>> {
    let errors = if with_errors {
        vec(standard_error(), 1..3).prop_map(Some).boxed()
    } else {
        Just(None).boxed()
    };
    (
        option::of(batch_status()),
        vec(results, 0..2),
        errors,
        option::of(timestamp()),
        option::of(timestamp()),
        option::of(timestamp()),
        option::of(string_map()),
    )
        .prop_map(
            |(status, results, errors, requested_at, started_at, completed_at, links)| {
                BatchResponse {
                    status,
                    results,
                    num_errors: errors.as_ref().map(|e: &Vec<_>| e.len() as u32),
                    errors,
                    requested_at,
                    started_at,
                    completed_at,
                    links,
                }
            },
        )
}

prop_compose! {
    /// Any operator with any combination of operands: the wire type carries invalid filters
    /// too (validation is separate).
    fn filter()(
        property_name in prop_oneof![prop_name(), Just("associations.contact".to_owned()), text()],
        operator in operator(),
        value in option::of(text()),
        high_value in option::of(text()),
        values in option::of(vec(text(), 0..3)),
    ) -> Filter {
        Filter { property_name, operator, value, high_value, values }
    }
}

prop_compose! {
    fn search_request()(
        filter_groups in vec(vec(filter(), 0..4).prop_map(|filters| FilterGroup { filters }), 0..4),
        sorts in vec(
            (prop_name(), prop_oneof![Just(Direction::Ascending), Just(Direction::Descending)])
                .prop_map(|(property_name, direction)| Sort { property_name, direction }),
            0..2,
        ),
        query in option::of(text()),
        properties in vec(prop_name(), 0..3),
        limit in option::of(any::<u32>()),
        after in option::of(prop_oneof![digits(), text()]),
    ) -> SearchRequest {
        SearchRequest { filter_groups, sorts, query, properties, limit, after }
    }
}

fn page<T: Debug + Clone>(results: impl Strategy<Value = T>) -> impl Strategy<Value = Page<T>> {
    (vec(results, 0..2), option::of(paging()))
        .prop_map(|(results, paging)| Page { results, paging })
}

fn search_page<T: Debug + Clone>(
    results: impl Strategy<Value = T>,
) -> impl Strategy<Value = SearchPage<T>> {
    (any::<u64>(), vec(results, 0..2), option::of(paging())).prop_map(|(total, results, paging)| {
        SearchPage {
            total,
            results,
            paging,
        }
    })
}

prop_compose! {
    fn labelled_type()(category in category(), type_id in type_id(), label in option::of(text())) -> LabelledType {
        LabelledType { category, type_id, label }
    }
}

prop_compose! {
    fn associated_record()(to_object_id in record_id(), association_types in vec(labelled_type(), 0..3)) -> AssociatedRecord {
        AssociatedRecord { to_object_id, association_types }
    }
}

prop_compose! {
    fn labels_between()(
        from_object_type_id in prop_oneof![Just("0-116".to_owned()), text()],
        from_object_id in record_id(),
        to_object_type_id in prop_oneof![Just("0-1".to_owned()), text()],
        to_object_id in record_id(),
        labels in vec(text(), 0..3),
    ) -> LabelsBetweenObjectPair {
        LabelsBetweenObjectPair { from_object_type_id, from_object_id, to_object_type_id, to_object_id, labels }
    }
}

prop_compose! {
    fn default_association()(from in object_ref(), to in object_ref(), association_spec in association_spec()) -> DefaultAssociation {
        DefaultAssociation { from, to, association_spec }
    }
}

prop_compose! {
    fn association_create()(from in object_ref(), to in object_ref(), types in vec(association_spec(), 0..3)) -> AssociationCreate {
        AssociationCreate { from, to, types }
    }
}

prop_compose! {
    fn association_archive()(from in object_ref(), to in vec(object_ref(), 0..3)) -> AssociationArchive {
        AssociationArchive { from, to }
    }
}

prop_compose! {
    fn association_read_input()(id in record_id(), after in option::of(text())) -> AssociationReadInput {
        AssociationReadInput { id, after }
    }
}

prop_compose! {
    fn association_read_result()(
        from in object_ref(),
        to in vec(associated_record(), 0..3),
        paging in option::of(paging()),
    ) -> AssociationReadResult {
        AssociationReadResult { from, to, paging }
    }
}

/// Strings that parse as an object type, in every accepted form.
fn object_type_string() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::sample::select(vec![
            "contact",
            "contacts",
            "0-1",
            "company",
            "companies",
            "0-2",
            "deal",
            "deals",
            "0-3",
            "ticket",
            "tickets",
            "0-5",
            "postal_mail",
            "0-116",
            "postal_mails",
            "postalmail",
            "CONTACTS",
            "Deal",
        ])
        .prop_map(str::to_owned),
        "[0-9]{1,4}-[0-9]{1,20}",
        "p[a-z0-9]{0,8}_[a-z0-9_]{1,20}",
    ]
}

// ---- properties -----------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn postal_mail_round_trips(v in postal_mail()) { check(&v)?; }

    #[test]
    fn record_round_trips(v in record()) { check(&v)?; }

    #[test]
    fn create_postal_mail_round_trips(v in create_postal_mail()) {
        check(&v)?;
        // (d) associations are always written.
        prop_assert!(serde_json::to_value(&v).unwrap()["associations"].is_array());
    }

    #[test]
    fn update_postal_mail_round_trips(v in update_postal_mail()) { check(&v)?; }

    #[test]
    fn property_patch_round_trips(v in property_patch()) {
        check(&v)?;
        // Every clear is written as "".
        let wire = serde_json::to_value(&v).unwrap();
        for (name, change) in v.iter() {
            if *change == PropertyChange::Clear {
                prop_assert_eq!(&wire["properties"][name], "");
            }
        }
    }

    #[test]
    fn batch_update_item_round_trips(v in batch_update_item()) { check(&v)?; }

    #[test]
    fn upsert_postal_mail_round_trips(v in upsert_postal_mail()) { check(&v)?; }

    #[test]
    fn upserted_postal_mail_round_trips(v in upserted_postal_mail()) { check(&v)?; }

    #[test]
    fn batch_inputs_round_trip(
        create in vec(create_postal_mail(), 0..3).prop_map(|inputs| BatchInput { inputs }),
        update in vec(batch_update_item(), 0..3).prop_map(|inputs| BatchInput { inputs }),
        upsert in vec(upsert_postal_mail(), 0..3).prop_map(|inputs| BatchInput { inputs }),
        archive in vec(batch_id(), 0..3).prop_map(|inputs| BatchInput { inputs }),
    ) {
        check(&create)?;
        check(&update)?;
        check(&upsert)?;
        check(&archive)?;
    }

    #[test]
    fn batch_read_request_round_trips(v in batch_read_request()) { check(&v)?; }

    #[test]
    fn batch_response_round_trips(
        ok in batch_response(postal_mail(), false),
        partial in batch_response(postal_mail(), true),
    ) {
        check(&ok)?;
        prop_assert!(ok.errors().is_empty());
        check(&partial)?;
        prop_assert!(!partial.errors().is_empty());
    }

    #[test]
    fn batch_response_of_upserts_and_defaults_round_trips(
        upserts in batch_response(upserted_postal_mail(), true),
        defaults in batch_response(default_association(), false),
        reads in batch_response(association_read_result(), true),
        records in batch_response(record(), false),
    ) {
        check(&upserts)?;
        check(&defaults)?;
        check(&reads)?;
        check(&records)?;
    }

    #[test]
    fn search_request_round_trips(v in search_request()) { check(&v)?; }

    #[test]
    fn pages_round_trip(p in page(postal_mail()), s in search_page(postal_mail()), a in page(associated_record())) {
        check(&p)?;
        check(&s)?;
        check(&a)?;
    }

    #[test]
    fn errors_round_trip(e in error_body(), s in standard_error()) {
        check(&e)?;
        check(&s)?;
    }

    #[test]
    fn association_types_round_trip(
        input in association_input(),
        spec in association_spec(),
        pair in labels_between(),
        record in associated_record(),
        default in default_association(),
        create in association_create(),
        archive in association_archive(),
        read in association_read_input(),
        result in association_read_result(),
        labels in page(labelled_type()),
    ) {
        check(&input)?;
        check(&spec)?;
        check(&pair)?;
        check(&record)?;
        check(&default)?;
        check(&create)?;
        check(&archive)?;
        check(&read)?;
        check(&result)?;
        check(&labels)?;
        check(&BatchInput { inputs: vec![create] })?;
    }

    #[test]
    fn association_category_wire_form(c in category()) {
        let wire = serde_json::to_value(&c).unwrap();
        prop_assert_eq!(&wire, c.as_str());
        prop_assert_eq!(AssociationCategory::from(c.as_str()), c);
    }

    #[test]
    fn numeric_ids_from_number_or_string(n in any::<u64>()) {
        let s = n.to_string();
        for raw in [json!(n), json!(s)] {
            let r: RecordId = serde_json::from_value(raw.clone()).unwrap();
            let p: PostalMailId = serde_json::from_value(raw.clone()).unwrap();
            let o: OwnerId = serde_json::from_value(raw).unwrap();
            // (a) always written as a string.
            prop_assert_eq!(serde_json::to_value(&r).unwrap(), json!(s));
            prop_assert_eq!(serde_json::to_value(&p).unwrap(), json!(s));
            prop_assert_eq!(serde_json::to_value(&o).unwrap(), json!(s));
            prop_assert_eq!(r.as_str(), s.as_str());
            prop_assert_eq!(RecordId::from(p.clone()), r.clone());
            prop_assert_eq!(PostalMailId::from(r), p);
        }
    }

    #[test]
    fn id_string_forms(s in digits()) {
        let r: RecordId = s.parse().unwrap();
        prop_assert_eq!(&r.to_string(), &s);
        prop_assert_eq!(&RecordId::try_from(s.as_str()).unwrap(), &r);
        let p = PostalMailId::new(s.clone()).unwrap();
        prop_assert_eq!(p.as_str(), s.as_str());
        let o = OwnerId::try_from(s.clone()).unwrap();
        prop_assert_eq!(o.as_ref(), s.as_str());
        check(&r)?;
        check(&PostalMailId::new(s.clone()).unwrap())?;
        check(&OwnerId::new(s).unwrap())?;
    }

    #[test]
    fn timestamp_round_trips(t in timestamp()) {
        check(&t)?;
        // (b) the canonical form.
        let s = t.to_string();
        prop_assert_eq!(s.len(), 24);
        prop_assert!(s.ends_with('Z'));
        prop_assert_eq!(s.as_bytes()[19], b'.');
        prop_assert_eq!(s.parse::<Timestamp>().unwrap(), t);
        prop_assert_eq!(Timestamp::from_epoch_millis(t.epoch_millis()).unwrap(), t);
        prop_assert_eq!(Timestamp::from_datetime(t.as_datetime()).unwrap(), t);
    }

    #[test]
    fn timestamp_string_forms(t in timestamp(), offset_minutes in -(23i32 * 60 + 59)..=(23 * 60 + 59)) {
        let ms = t.epoch_millis();
        // Epoch milliseconds, as a string and as a JSON number.
        prop_assert_eq!(ms.to_string().parse::<Timestamp>().unwrap(), t);
        prop_assert_eq!(serde_json::from_value::<Timestamp>(json!(ms)).unwrap(), t);
        // RFC 3339 in another offset, with and without a fraction.
        let dt = t.as_datetime();
        let offset = time::UtcOffset::from_whole_seconds(offset_minutes * 60).unwrap();
        if let Some(local) = dt.checked_to_offset(offset) {
            let (h, m) = (offset_minutes.abs() / 60, offset_minutes.abs() % 60);
            let sign = if offset_minutes < 0 { '-' } else { '+' };
            let s = format!(
                "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}{sign}{h:02}:{m:02}",
                local.year(), u8::from(local.month()), local.day(),
                local.hour(), local.minute(), local.second(), local.millisecond(),
            );
            if local.year() >= 0 {
                prop_assert_eq!(s.parse::<Timestamp>().unwrap(), t, "{}", s);
            }
        }
        // A bare date is midnight UTC.
        let date = format!("{:04}-{:02}-{:02}", dt.year(), u8::from(dt.month()), dt.day());
        let midnight = date.parse::<Timestamp>().unwrap();
        prop_assert_eq!(midnight.to_string(), format!("{date}T00:00:00.000Z"));
        prop_assert!(midnight <= t);
        prop_assert!(t.epoch_millis() - midnight.epoch_millis() < 86_400_000);
    }

    #[test]
    fn attachment_ids_string_forms(ids in vec("[0-9A-Za-z_.:-]{1,12}", 0..6)) {
        let list = AttachmentIds::try_from_iter(ids.clone()).unwrap();
        let wire = list.to_string();
        prop_assert_eq!(&wire, &ids.join(";"));
        prop_assert_eq!(&wire.parse::<AttachmentIds>().unwrap(), &list);
        prop_assert_eq!(list.len(), ids.len());
        prop_assert_eq!(list.is_empty(), ids.is_empty());
        let back: Vec<&str> = list.iter().map(|id| id.as_str()).collect();
        prop_assert_eq!(back, ids.iter().map(String::as_str).collect::<Vec<_>>());
    }

    #[test]
    fn object_type_string_forms(s in object_type_string()) {
        let t: ObjectType = s.parse().unwrap();
        // The written (plural) form parses back to the same type, from a string and as JSON.
        let plural = t.plural().to_owned();
        prop_assert_eq!(&plural.parse::<ObjectType>().unwrap(), &t);
        prop_assert_eq!(&t.singular().parse::<ObjectType>().unwrap(), &t);
        prop_assert_eq!(&t.to_string(), &plural);
        prop_assert_eq!(serde_json::to_value(&t).unwrap(), json!(plural));
        check(&t)?;
        if let Some(id) = t.type_id() {
            prop_assert_eq!(id.parse::<ObjectType>().unwrap(), t.clone());
        }
    }
}

#[test]
fn sub_category_null_normalises_to_absent() {
    // Documented normalisation: `"subCategory": null` decodes as `None` and is then omitted.
    let e: ErrorBody = serde_json::from_value(json!({"subCategory": null})).unwrap();
    assert_eq!(e, ErrorBody::default());
    assert_eq!(serde_json::to_value(&e).unwrap(), json!({}));
}

#[test]
fn custom_object_type_id_equal_to_a_built_in_is_the_built_in() {
    // `Custom("0-1")` can be constructed but never comes out of parsing: it re-reads as Contact.
    let t = ObjectType::Custom("0-1".into());
    let back: ObjectType = serde_json::from_value(serde_json::to_value(&t).unwrap()).unwrap();
    assert_eq!(back, ObjectType::Contact);
}

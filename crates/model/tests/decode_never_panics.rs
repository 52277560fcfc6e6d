//! Decoding any input into a response type returns `Ok` or `Err`; it never panics.
//!
//! Two sources per target: arbitrary bytes, and arbitrary JSON biased toward HubSpot's shapes
//! (keys like `id`, `properties`, `createdAt`, `results`, `paging`, `errors`, `status`; values
//! like digit strings, timestamps at the edges of the supported range, `;` lists).
//!
//! The case count is proptest's default, 256, overridable with `PROPTEST_CASES`:
//!
//! ```text
//! PROPTEST_CASES=100000 cargo test -p hubspot-postal-model --release --test decode_never_panics
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hubspot_postal_model::association::{
    AssociatedRecord, DefaultAssociation, LabelsBetweenObjectPair,
};
use hubspot_postal_model::batch::BatchResponse;
use hubspot_postal_model::engagement::{PostalMail, UpsertedPostalMail};
use hubspot_postal_model::error::ErrorBody;
use hubspot_postal_model::paging::{Page, SearchPage};
use hubspot_postal_model::record::Record;
use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Map, Number, Value};

/// proptest's default config: 256 cases unless `PROPTEST_CASES` says otherwise. (Using
/// `ProptestConfig::with_cases(n)` would ignore the variable.)
fn config() -> ProptestConfig {
    ProptestConfig::default()
}

const KEYS: &[&str] = &[
    "id",
    "properties",
    "propertiesWithHistory",
    "createdAt",
    "updatedAt",
    "archived",
    "archivedAt",
    "associations",
    "objectWriteTraceId",
    "url",
    "warnings",
    "results",
    "paging",
    "next",
    "prev",
    "after",
    "before",
    "link",
    "total",
    "status",
    "errors",
    "numErrors",
    "requestedAt",
    "startedAt",
    "completedAt",
    "links",
    "context",
    "category",
    "subCategory",
    "message",
    "correlationId",
    "policyName",
    "errorType",
    "requestId",
    "new",
    "type",
    "value",
    "timestamp",
    "sourceType",
    "updatedByUserId",
    "from",
    "to",
    "toObjectId",
    "fromObjectId",
    "fromObjectTypeId",
    "toObjectTypeId",
    "labels",
    "label",
    "typeId",
    "associationTypes",
    "associationSpec",
    "associationCategory",
    "associationTypeId",
    "hs_timestamp",
    "hs_attachment_ids",
    "hubspot_owner_id",
    "contacts",
];

const STRINGS: &[&str] = &[
    "",
    "0",
    "501",
    "25727582880",
    "18446744073709551615",
    "18446744073709551616",
    "99999999999999999999",
    "-1",
    "…",
    "../contacts",
    "2021-11-12",
    "2021-11-12T00:00:00Z",
    "2021-11-12T00:00:00.000Z",
    "1636675200000",
    "-62135596800000",
    "253402300799999",
    "253402300800000",
    "9999-12-31T23:59:59.999Z",
    "9999-12-31T23:00:00-05:00",
    "9999-12-31T23:59:59-23:59",
    "0001-01-01T00:00:00+23:59",
    "0000-01-01T00:00:00Z",
    "2016-12-31T23:59:60Z",
    "2021-02-30",
    "24332474034;24332474035",
    ";",
    "COMPLETE",
    "PENDING",
    "HUBSPOT_DEFINED",
    "USER_DEFINED",
    "error",
    "DAILY",
    "TEN_SECONDLY_ROLLING",
    "You have reached your secondly limit.",
];

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        prop_oneof![
            Just(-62_135_596_800_001i64),
            Just(-62_135_596_800_000),
            Just(253_402_300_799_999),
            Just(253_402_300_800_000),
            Just(i64::MIN),
            Just(i64::MAX),
        ]
        .prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        proptest::sample::select(STRINGS).prop_map(Value::from),
        "[0-9]{0,22}".prop_map(Value::from),
        ".{0,16}".prop_map(Value::from),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::sample::select(KEYS).prop_map(str::to_owned),
        1 => "[a-zA-Z_]{0,8}",
    ]
}

/// Recursive JSON, mostly objects with HubSpot keys.
fn hubspot_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(5, 64, 8, |inner| {
        prop_oneof![
            3 => btree_map(key(), inner.clone(), 0..8)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
            1 => vec(inner, 0..4).prop_map(Value::Array),
        ]
    })
}

/// A near-valid postal mail with some fields replaced: gets deeper into the decoders than
/// random objects do.
fn mutated_postal_mail() -> impl Strategy<Value = Value> {
    let base = serde_json::json!({
        "id": "25727582880",
        "properties": {"hs_timestamp": "2021-11-12", "hs_postal_mail_body": null},
        "createdAt": "2026-01-05T10:00:00.000Z",
        "updatedAt": "2026-01-05T10:00:00.000Z",
        "archived": false,
        "associations": {"contacts": {"results": [{"id": "501", "type": "postal_mail_to_contact"}]}},
        "new": true
    });
    let field = proptest::sample::select(
        &[
            "id",
            "properties",
            "createdAt",
            "updatedAt",
            "archived",
            "archivedAt",
            "associations",
            "new",
            "propertiesWithHistory",
            "warnings",
        ][..],
    )
    .prop_map(str::to_owned);
    let value = prop_oneof![
        2 => proptest::sample::select(STRINGS).prop_map(Value::from),
        1 => hubspot_json(),
    ];
    (btree_map(prop_oneof![3 => field, 1 => key()], value, 0..4), any::<bool>()).prop_map(move |(patch, wrap)| {
        let mut v = base.clone();
        for (k, x) in patch {
            v[k] = x;
        }
        if wrap {
            serde_json::json!({
                "status": "COMPLETE", "results": [v], "total": 1,
                "startedAt": "2026-01-05T10:00:00.000Z", "completedAt": "2026-01-05T10:00:00.000Z"
            })
        } else {
            v
        }
    })
}

fn input() -> impl Strategy<Value = Value> {
    prop_oneof![hubspot_json(), mutated_postal_mail()]
}

/// Decodes `value` as `T`, through `Value` and through text; either may fail, neither panics.
fn decode_value<T: DeserializeOwned>(value: &Value) {
    let _ = serde_json::from_value::<T>(value.clone());
    let _ = serde_json::from_str::<T>(&value.to_string());
}

fn decode_bytes<T: DeserializeOwned>(bytes: &[u8]) {
    let _ = serde_json::from_slice::<T>(bytes);
}

macro_rules! never_panics {
    ($bytes:ident, $json:ident, $t:ty) => {
        proptest! {
            #![proptest_config(config())]
            #[test]
            fn $bytes(bytes in prop_oneof![
                vec(any::<u8>(), 0..256),
                // JSON text with some bytes flipped.
                (input(), vec((any::<prop::sample::Index>(), any::<u8>()), 0..4)).prop_map(|(v, flips)| {
                    let mut b = v.to_string().into_bytes();
                    for (i, x) in flips {
                        if !b.is_empty() {
                            let i = i.index(b.len());
                            b[i] = x;
                        }
                    }
                    b
                }),
            ]) {
                decode_bytes::<$t>(&bytes);
            }

            #[test]
            fn $json(value in input()) {
                decode_value::<$t>(&value);
            }
        }
    };
}

never_panics!(postal_mail_bytes, postal_mail_json, PostalMail);
never_panics!(page_bytes, page_json, Page<PostalMail>);
never_panics!(search_page_bytes, search_page_json, SearchPage<PostalMail>);
never_panics!(batch_bytes, batch_json, BatchResponse<PostalMail>);
never_panics!(
    upsert_batch_bytes,
    upsert_batch_json,
    BatchResponse<UpsertedPostalMail>
);
never_panics!(error_bytes, error_json, ErrorBody);
never_panics!(labels_pair_bytes, labels_pair_json, LabelsBetweenObjectPair);
never_panics!(v4_list_bytes, v4_list_json, Page<AssociatedRecord>);
never_panics!(
    default_assoc_bytes,
    default_assoc_json,
    BatchResponse<DefaultAssociation>
);
never_panics!(record_bytes, record_json, Record);

/// The inputs that once panicked (`Timestamp::parse` converting an offset date-time near year
/// 9999 to UTC), on every path that reaches a timestamp.
#[test]
fn timestamp_edges_are_errors_not_panics() {
    for s in [
        "9999-12-31T23:00:00-05:00",
        "9999-12-31T23:59:59-23:59",
        "0001-01-01T00:00:00+23:59",
    ] {
        assert!(
            s.parse::<hubspot_postal_model::timestamp::Timestamp>()
                .is_err(),
            "{s}"
        );
        let pm = serde_json::json!({"id": "1", "properties": {}, "createdAt": s, "updatedAt": s});
        assert!(serde_json::from_value::<PostalMail>(pm).is_err());
    }
}

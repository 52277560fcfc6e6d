//! Every `ValidationError` the model raises, reached through the public API with a bad input,
//! and the boundary value that is still accepted.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hubspot_postal_model::attachments::{AttachmentId, AttachmentIds};
use hubspot_postal_model::engagement::{CreatePostalMail, UpdatePostalMail, UpsertPostalMail};
use hubspot_postal_model::ids::{IdError, OwnerId, PostalMailId, RecordId};
use hubspot_postal_model::limits::{BODY_MAX_CHARS, SEARCH_MAX_BODY_CHARS};
use hubspot_postal_model::object_type::{ObjectType, ObjectTypeError};
use hubspot_postal_model::pin::PinTarget;
use hubspot_postal_model::properties::{Properties, PropertyPatch, validate_name};
use hubspot_postal_model::search::{Filter, Operator, SearchRequest};
use hubspot_postal_model::timestamp::Timestamp;
use hubspot_postal_model::validation::ValidationError;

fn t0() -> Timestamp {
    Timestamp::from_epoch_millis(1_636_675_200_000).unwrap()
}

#[test]
fn ids() {
    assert_eq!(
        PostalMailId::new("").unwrap_err(),
        IdError::Empty {
            kind: "postal mail"
        }
    );
    assert_eq!(
        RecordId::new("12/34").unwrap_err(),
        IdError::InvalidCharacter {
            kind: "record",
            found: '/',
            position: 2
        }
    );
    assert_eq!(
        OwnerId::new("1".repeat(21)).unwrap_err(),
        IdError::TooLong {
            kind: "owner",
            len: 21
        }
    );
    assert!(RecordId::new("9".repeat(20)).is_ok());
    // Through the engagement API: a bad owner surfaces as ValidationError::Id.
    let bad = CreatePostalMail::new(t0()).property("hubspot_owner_id", "92x");
    assert_eq!(
        bad.validate(),
        Err(ValidationError::Id(IdError::InvalidCharacter {
            kind: "owner",
            found: 'x',
            position: 2
        }))
    );
    let update = UpdatePostalMail::new()
        .set("hubspot_owner_id", "../1")
        .unwrap();
    assert!(matches!(update.validate(), Err(ValidationError::Id(_))));
    // And on decode, with the reason in the message.
    let err = serde_json::from_str::<PostalMailId>("\"1 2\"").unwrap_err();
    assert!(err.to_string().contains("' '"), "{err}");
}

#[test]
fn object_types() {
    for bad in ["", "contacts/1", "..", "p_a/b", "x?y", "p_"] {
        let e = bad.parse::<ObjectType>().unwrap_err();
        assert_eq!(e, ObjectTypeError { input: bad.into() });
        assert_eq!(
            ValidationError::from(e.clone()),
            ValidationError::ObjectType(e)
        );
    }
    assert!(serde_json::from_str::<ObjectType>("\"contacts/1\"").is_err());
    assert!("p_letters".parse::<ObjectType>().is_ok());
}

#[test]
fn timestamps() {
    for bad in [
        "",
        "yesterday",
        "2021-02-30",
        "253402300800000",
        "2021-11-12T25:00:00Z",
    ] {
        assert_eq!(
            bad.parse::<Timestamp>().unwrap_err(),
            ValidationError::InvalidTimestamp { input: bad.into() }
        );
    }
    assert_eq!(
        Timestamp::from_epoch_millis(253_402_300_800_000).unwrap_err(),
        ValidationError::InvalidTimestamp {
            input: "253402300800000".into()
        }
    );
    assert!(Timestamp::from_epoch_millis(253_402_300_799_999).is_ok());
    // On create and update.
    let create = CreatePostalMail::new(t0()).property("hs_timestamp", "soon");
    assert_eq!(
        create.validate(),
        Err(ValidationError::InvalidTimestamp {
            input: "soon".into()
        })
    );
    let update = UpdatePostalMail::new().set("hs_timestamp", "soon").unwrap();
    assert_eq!(
        update.validate(),
        Err(ValidationError::InvalidTimestamp {
            input: "soon".into()
        })
    );
}

#[test]
fn missing_timestamp() {
    let mut create = CreatePostalMail::new(t0());
    create.properties.remove("hs_timestamp");
    assert_eq!(create.validate(), Err(ValidationError::MissingTimestamp));
    // A null value is as missing as an absent one.
    create.properties.insert_null("hs_timestamp");
    assert_eq!(create.validate(), Err(ValidationError::MissingTimestamp));
    let decoded: CreatePostalMail =
        serde_json::from_str(r#"{"properties":{"hs_postal_mail_body":"x"}}"#).unwrap();
    assert_eq!(decoded.validate(), Err(ValidationError::MissingTimestamp));
}

#[test]
fn attachments() {
    assert_eq!(
        AttachmentId::new("").unwrap_err(),
        ValidationError::InvalidAttachmentId {
            input: String::new(),
            reason: "it is empty"
        }
    );
    assert_eq!(
        AttachmentId::new("a b").unwrap_err(),
        ValidationError::InvalidAttachmentId {
            input: "a b".into(),
            reason: "it contains whitespace or a control character"
        }
    );
    assert_eq!(
        "1;;2".parse::<AttachmentIds>().unwrap_err(),
        ValidationError::InvalidAttachmentId {
            input: String::new(),
            reason: "it is empty"
        }
    );
    assert_eq!(
        AttachmentIds::try_from_iter(["1;2"]).unwrap_err(),
        ValidationError::InvalidAttachmentId {
            input: "1;2".into(),
            reason: "it contains the ';' separator"
        }
    );
    let create = CreatePostalMail::new(t0()).property("hs_attachment_ids", "1;");
    assert!(matches!(
        create.validate(),
        Err(ValidationError::InvalidAttachmentId { .. })
    ));
    let update = UpdatePostalMail::new()
        .set("hs_attachment_ids", "1; 2")
        .unwrap();
    assert!(matches!(
        update.validate(),
        Err(ValidationError::InvalidAttachmentId { .. })
    ));
}

#[test]
fn property_names() {
    for bad in ["", "Bad", "a b", "a/b", "a-b", &"a".repeat(101)] {
        let want = ValidationError::InvalidPropertyName { name: bad.into() };
        assert_eq!(validate_name(bad).unwrap_err(), want);
        assert_eq!(PropertyPatch::new().set(bad, "x").unwrap_err(), want);
        assert_eq!(PropertyPatch::new().clear(bad).unwrap_err(), want);
        assert_eq!(UpdatePostalMail::new().set(bad, "x").unwrap_err(), want);
        assert_eq!(
            UpsertPostalMail::new(bad, "1", Properties::new()).unwrap_err(),
            want
        );
        assert_eq!(
            CreatePostalMail::new(t0()).property(bad, "1").validate(),
            Err(want)
        );
    }
    assert!(validate_name(&"a".repeat(100)).is_ok());
}

#[test]
fn body_length() {
    let ok = "é".repeat(BODY_MAX_CHARS); // characters, not bytes
    assert!(
        CreatePostalMail::new(t0())
            .body(ok.clone())
            .validate()
            .is_ok()
    );
    assert!(UpdatePostalMail::new().body(ok).validate().is_ok());
    let long = "x".repeat(BODY_MAX_CHARS + 1);
    let want = ValidationError::BodyTooLong {
        chars: BODY_MAX_CHARS + 1,
        max: BODY_MAX_CHARS,
    };
    assert_eq!(
        CreatePostalMail::new(t0()).body(long.clone()).validate(),
        Err(want.clone())
    );
    assert_eq!(UpdatePostalMail::new().body(long).validate(), Err(want));
}

#[test]
fn empty_update() {
    assert_eq!(
        UpdatePostalMail::new().validate(),
        Err(ValidationError::EmptyUpdate)
    );
    let decoded: UpdatePostalMail = serde_json::from_str(r#"{"properties":{}}"#).unwrap();
    assert_eq!(decoded.validate(), Err(ValidationError::EmptyUpdate));
    // Leaving the only change alone empties it again.
    let mut patch = PropertyPatch::new();
    patch.set("hs_postal_mail_body", "x").unwrap();
    patch.leave("hs_postal_mail_body");
    assert_eq!(
        UpdatePostalMail::from(patch).validate(),
        Err(ValidationError::EmptyUpdate)
    );
    // A clear is a change.
    assert!(UpdatePostalMail::new().clear_body().validate().is_ok());
}

#[test]
fn pin_on_postal_mail() {
    for t in ["postal_mail", "0-116", "postal_mails"] {
        let object_type: ObjectType = t.parse().unwrap();
        assert_eq!(
            PinTarget::new(object_type, RecordId::from(1)).unwrap_err(),
            ValidationError::CannotPinOn {
                object_type: "postal_mail".into()
            }
        );
    }
    for t in ["contact", "company", "deal", "ticket", "2-123", "p_letters"] {
        assert!(
            PinTarget::new(t.parse().unwrap(), RecordId::from(1)).is_ok(),
            "{t}"
        );
    }
}

fn f() -> Filter {
    Filter::eq("hubspot_owner_id", "1")
}

#[test]
fn search_limits() {
    let mut b = SearchRequest::builder();
    for _ in 0..6 {
        b = b.or_group(vec![f()]);
    }
    assert_eq!(
        b.build().unwrap_err(),
        ValidationError::TooManyFilterGroups { count: 6, max: 5 }
    );
    assert_eq!(
        SearchRequest::builder()
            .filter(f())
            .or_group(vec![f(); 7])
            .build()
            .unwrap_err(),
        ValidationError::TooManyFiltersInGroup {
            group: 1,
            count: 7,
            max: 6
        }
    );
    let mut b = SearchRequest::builder();
    for _ in 0..3 {
        b = b.or_group(vec![f(); 6]);
    }
    assert!(b.clone().build().is_ok(), "18 filters are allowed");
    assert_eq!(
        b.or_group(vec![f()]).build().unwrap_err(),
        ValidationError::TooManyFilters { count: 19, max: 18 }
    );
}

#[test]
fn filter_operands() {
    let cases = [
        (
            Filter {
                high_value: None,
                ..Filter::between("hs_timestamp", "1", "2")
            },
            "BETWEEN",
            "needs value and highValue",
        ),
        (
            Filter::is_in("hubspot_owner_id", Vec::<String>::new()),
            "IN",
            "needs a non-empty values list",
        ),
        (
            Filter {
                values: None,
                ..Filter::not_in("hubspot_owner_id", ["1"])
            },
            "NOT_IN",
            "needs a non-empty values list",
        ),
        (
            Filter {
                value: Some("x".into()),
                ..Filter::has_property("hs_postal_mail_body")
            },
            "HAS_PROPERTY",
            "takes no value",
        ),
        (
            Filter {
                values: Some(vec![]),
                ..Filter::not_has_property("hs_postal_mail_body")
            },
            "NOT_HAS_PROPERTY",
            "takes no value",
        ),
        (
            Filter {
                value: None,
                ..Filter::contains_token("hs_postal_mail_body", "x")
            },
            "CONTAINS_TOKEN",
            "needs a value",
        ),
        (Filter::gt("", "1"), "GT", "needs a property name"),
    ];
    for (filter, operator, problem) in cases {
        let want = ValidationError::InvalidFilter {
            property: filter.property_name.clone(),
            operator,
            problem,
        };
        assert_eq!(filter.validate(), Err(want.clone()));
        assert_eq!(
            SearchRequest::builder().filter(filter).build().unwrap_err(),
            want
        );
    }
    // Every operator has a valid form.
    for op in Operator::ALL {
        let filter = match op {
            Operator::Between => Filter::between("p", "1", "2"),
            Operator::In => Filter::is_in("p", ["a"]),
            Operator::NotIn => Filter::not_in("p", ["a"]),
            Operator::HasProperty => Filter::has_property("p"),
            Operator::NotHasProperty => Filter::not_has_property("p"),
            other => Filter {
                operator: other,
                ..Filter::eq("p", "1")
            },
        };
        assert_eq!(filter.validate(), Ok(()), "{op:?}");
    }
}

#[test]
fn page_size() {
    for limit in [0, 201, u32::MAX] {
        assert_eq!(
            SearchRequest::builder().limit(limit).build().unwrap_err(),
            ValidationError::PageSize { limit, max: 200 }
        );
    }
    assert!(SearchRequest::builder().limit(1).build().is_ok());
    assert!(SearchRequest::builder().limit(200).build().is_ok());
}

#[test]
fn result_ceiling() {
    assert_eq!(
        SearchRequest::builder()
            .limit(200)
            .after("9801")
            .build()
            .unwrap_err(),
        ValidationError::SearchResultCeiling {
            offset: 9801,
            max: 10_000
        }
    );
    assert!(
        SearchRequest::builder()
            .limit(200)
            .after("9800")
            .build()
            .is_ok()
    );
    // The default page size (10) counts when no limit is sent.
    assert_eq!(
        SearchRequest::builder().after("9991").build().unwrap_err(),
        ValidationError::SearchResultCeiling {
            offset: 9991,
            max: 10_000
        }
    );
    // An offset near u64::MAX is rejected, not an overflow (search.rs used `+`).
    assert_eq!(
        SearchRequest::builder()
            .after(u64::MAX.to_string())
            .build()
            .unwrap_err(),
        ValidationError::SearchResultCeiling {
            offset: u64::MAX,
            max: 10_000
        }
    );
}

#[test]
fn body_chars() {
    // The limit counts characters of the encoded body, not bytes.
    let overhead = r#"{"query":""}"#.len();
    let fits = "é".repeat(SEARCH_MAX_BODY_CHARS - overhead);
    assert!(SearchRequest::builder().query(fits.clone()).build().is_ok());
    let e = SearchRequest::builder()
        .query(format!("{fits}x"))
        .build()
        .unwrap_err();
    assert_eq!(
        e,
        ValidationError::SearchTooLong {
            chars: SEARCH_MAX_BODY_CHARS + 1,
            max: SEARCH_MAX_BODY_CHARS
        }
    );
}

#[test]
fn errors_explain_themselves() {
    let e = ValidationError::SearchResultCeiling {
        offset: 9950,
        max: 10_000,
    };
    assert!(e.to_string().contains("hs_timestamp"), "{e}");
    let e = ValidationError::from(RecordId::new("1/2").unwrap_err());
    assert!(e.to_string().contains("'/'"), "{e}");
}

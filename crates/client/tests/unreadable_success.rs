//! A success HubSpot answered with a body nobody can read, over real HTTP, against the
//! emulator's `apply-garbage` (it applies the request, then answers a truncated, empty, HTML
//! or plain-text body with the success status).
//!
//! A write that got a 2xx happened, so its error must say "may have been applied", whatever
//! the write (update, batch update, association); the emulator's store shows that it did. A
//! read changed nothing: its error is a plain decode error that says "not applied".
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hubspot_postal::model::endpoints::{
    self, ApiVersion, BATCH_READ, BATCH_UPDATE, Endpoint, GET, SEARCH, UPDATE,
};
use hubspot_postal::model::engagement::{BatchUpdateItem, UpdatePostalMail};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::{BatchReadOptions, Client, Error, GetOptions, ItemError, RateLimiter};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle, FaultPlan};

/// `apply-garbage` on every request of `rows`, at their paths in the client's version.
fn garbage_on(rows: &[&Endpoint]) -> FaultPlan {
    rows.iter()
        .map(|row| {
            let path = row.template(ApiVersion::DEFAULT).unwrap();
            format!("{} {path}$: apply-garbage=1", row.method().as_str())
        })
        .collect::<Vec<_>>()
        .join("; ")
        .parse()
        .unwrap()
}

async fn setup(seed: u64) -> (EmulatorHandle, Client, Vec<PostalMailId>) {
    let emulator = Emulator::start(EmulatorConfig::default().seed(seed))
        .await
        .unwrap();
    let ids = emulator
        .seed_postal_mails(3, "letter")
        .into_iter()
        .map(|id| PostalMailId::new(id).unwrap())
        .collect();
    let client = Client::builder()
        .token("any")
        .base_url(emulator.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    (emulator, client, ids)
}

fn body_in_store(emulator: &EmulatorHandle, id: &PostalMailId) -> Option<String> {
    let record = emulator.record("postal_mail", id.as_str()).unwrap();
    record["properties"]["hs_postal_mail_body"]
        .as_str()
        .map(str::to_owned)
}

/// The answer was a 2xx (the emulator logged it with the fault), and the error says the write
/// may have been applied, around the decode error that says why it could not be read.
fn assert_applied_but_unreadable(emulator: &EmulatorHandle, err: &Error) {
    let faulted: Vec<_> = emulator
        .request_log()
        .into_iter()
        .filter(|r| r.fault.as_deref() == Some("apply-garbage"))
        .collect();
    assert!(!faulted.is_empty(), "the emulator answered garbage");
    assert!(faulted.iter().all(|r| (200..300).contains(&r.status)));
    assert!(err.may_have_been_applied(), "{err:?}");
    assert!(!err.is_retryable(), "{err:?}");
    assert!(
        matches!(err, Error::MaybeApplied { source, .. } if matches!(**source, Error::Decode(_))),
        "{err:?}"
    );
}

fn assert_read_not_applied(err: &Error) {
    assert!(matches!(err, Error::Decode(_)), "{err:?}");
    assert!(
        !err.may_have_been_applied(),
        "a read changes nothing: {err:?}"
    );
}

#[tokio::test]
async fn an_update_answered_with_garbage_may_have_been_applied_and_was() {
    for seed in 0..8 {
        let (emulator, client, ids) = setup(seed).await;
        emulator.set_faults(garbage_on(&[&UPDATE]));
        let err = client
            .update(&ids[0], UpdatePostalMail::new().body("changed"))
            .await
            .unwrap_err();
        assert_applied_but_unreadable(&emulator, &err);
        assert_eq!(
            body_in_store(&emulator, &ids[0]).as_deref(),
            Some("changed")
        );
    }
}

#[tokio::test]
async fn a_batch_update_answered_with_garbage_may_have_been_applied_for_every_input() {
    for seed in 0..8 {
        let (emulator, client, ids) = setup(seed).await;
        emulator.set_faults(garbage_on(&[&BATCH_UPDATE]));
        let updates = ids
            .iter()
            .map(|id| BatchUpdateItem::new(id, UpdatePostalMail::new().body(format!("new {id}"))))
            .collect();
        let outcome = client.batch_update(updates).await.unwrap();
        assert!(outcome.may_have_applied_failures());
        assert_eq!(outcome.items.len(), ids.len());
        for (item, id) in outcome.items.iter().zip(&ids) {
            match item {
                Err(ItemError::Request(err)) => assert_applied_but_unreadable(&emulator, err),
                other => panic!("seed {seed}: {other:?}"),
            }
            assert_eq!(body_in_store(&emulator, id), Some(format!("new {id}")));
        }
    }
}

#[tokio::test]
async fn an_association_answered_with_garbage_may_have_been_applied_and_was() {
    for seed in 0..8 {
        let (emulator, client, ids) = setup(seed).await;
        let contact =
            RecordId::new(emulator.seed_record("contacts", [("firstname", "Ada")])).unwrap();
        emulator.set_faults(garbage_on(&[&endpoints::ASSOCIATE_DEFAULT]));
        let err = client
            .associate_default(&ids[0], &ObjectType::Contact, &contact)
            .await
            .unwrap_err();
        assert_applied_but_unreadable(&emulator, &err);
        emulator.set_faults(FaultPlan::none());
        assert!(
            client
                .is_associated(&ids[0], &ObjectType::Contact, &contact)
                .await
                .unwrap()
        );
    }
}

#[tokio::test]
async fn reads_answered_with_garbage_are_decode_errors_that_applied_nothing() {
    for seed in 0..8 {
        let (emulator, client, ids) = setup(seed).await;
        emulator.set_faults(garbage_on(&[&GET, &SEARCH, &BATCH_READ]));

        let err = client.get(&ids[0], &GetOptions::new()).await.unwrap_err();
        assert_read_not_applied(&err);

        let search = SearchRequest::builder()
            .filter(Filter::contains_token("hs_postal_mail_body", "letter"))
            .build()
            .unwrap();
        let err = client.search_page(&search).await.unwrap_err();
        assert_read_not_applied(&err);

        let read = client
            .batch_read(ids.clone(), &BatchReadOptions::new())
            .await
            .unwrap();
        assert!(!read.may_have_applied_failures());
        for item in &read.items {
            match item {
                Err(ItemError::Request(err)) => assert_read_not_applied(err),
                other => panic!("seed {seed}: {other:?}"),
            }
        }
        let faulted = emulator
            .request_log()
            .iter()
            .filter(|r| r.fault.as_deref() == Some("apply-garbage"))
            .count();
        assert_eq!(
            faulted, 3,
            "each read met the garbage once and was not resent"
        );
    }
}

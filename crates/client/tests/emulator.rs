//! Every operation over real HTTP (reqwest, loopback) against the emulator: the client and the
//! offline HubSpot agree on paths, bodies, statuses and semantics.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use futures::TryStreamExt;
use hubspot_postal::model::association::{
    AssociationArchive, AssociationCreate, AssociationInput, AssociationReadInput, AssociationSpec,
    ObjectRef, types,
};
use hubspot_postal::model::engagement::{
    BatchUpdateItem, CreatePostalMail, UpdatePostalMail, UpsertPostalMail,
};
use hubspot_postal::model::ids::{OwnerId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::properties::Properties;
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::transport::http::Method;
use hubspot_postal::{BatchReadOptions, Client, Error, GetOptions, ListOptions, RateLimiter};
use hubspot_postal_emulator::{Emulator, EmulatorConfig, EmulatorHandle};

fn client(emulator: &EmulatorHandle, token: &str) -> Client {
    Client::builder()
        .token(token)
        .base_url(emulator.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap()
}

fn letter(body: &str) -> CreatePostalMail {
    CreatePostalMail::new("2021-11-12".parse().unwrap()).body(body)
}

#[tokio::test]
async fn single_records_associations_and_pins() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let contact =
        RecordId::new(emulator.seed_record("contacts", [("email", "ada@example.com")])).unwrap();
    let company = RecordId::new(emulator.seed_record("companies", [("name", "Acme")])).unwrap();
    let c = client(&emulator, "any-token");

    // Create with an association, then read it back with associations.
    let created = c
        .create(
            letter("Signed contract received")
                .owner(OwnerId::new("9274996").unwrap())
                .attachments("111;222".parse().unwrap())
                .associate(
                    AssociationInput::default_to(&ObjectType::Contact, contact.clone()).unwrap(),
                ),
        )
        .await
        .unwrap();
    // A read returns HubSpot's default properties unless others are named.
    let bare = c.get(&created.id, &GetOptions::new()).await.unwrap();
    assert_eq!(bare.body(), None);
    assert!(bare.properties.contains("hs_object_id"));
    let options = GetOptions::new()
        .properties(["hs_postal_mail_body", "hs_attachment_ids", "hs_timestamp"])
        .associations([ObjectType::Contact]);
    let read = c.get(&created.id, &options).await.unwrap();
    assert_eq!(read.body(), Some("Signed contract received"));
    assert_eq!(read.attachment_ids().unwrap().to_string(), "111;222");
    assert_eq!(
        read.timestamp().unwrap().unwrap().to_string(),
        "2021-11-12T00:00:00.000Z"
    );
    assert_eq!(read.associated_ids("contacts"), vec![&contact]);

    // Update leaves other properties alone.
    let updated = c
        .update(
            &created.id,
            UpdatePostalMail::new().body("Contract countersigned"),
        )
        .await
        .unwrap();
    assert_eq!(updated.body(), Some("Contract countersigned"));
    let again = c
        .get(
            &created.id,
            &GetOptions::new().properties(["hubspot_owner_id", "hs_postal_mail_body"]),
        )
        .await
        .unwrap();
    assert_eq!(again.owner_id().unwrap().unwrap().as_str(), "9274996");

    // The v3 per-object association is not in the default (date-based) version: refused
    // before anything is sent, naming the version that has it.
    let sent = emulator.request_log().len();
    let refused = c
        .associate(
            &created.id,
            &ObjectType::Company,
            &company,
            types::POSTAL_MAIL_TO_COMPANY,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::NotInVersion(e) if e.available == [hubspot_postal::model::endpoints::ApiVersion::V3]),
        "{refused}"
    );
    assert_eq!(emulator.request_log().len(), sent);
    // The default association, then v4 labelled with the labels the portal offers.
    c.associate_default(&created.id, &ObjectType::Company, &company)
        .await
        .unwrap();
    let with_company = c
        .get(
            &created.id,
            &GetOptions::new().associations([ObjectType::Company]),
        )
        .await
        .unwrap();
    assert_eq!(with_company.associated_ids("companies"), vec![&company]);
    let labels = c.association_labels(&ObjectType::Company).await.unwrap();
    assert!(
        labels
            .iter()
            .any(|l| l.type_id == types::POSTAL_MAIL_TO_COMPANY && l.label.is_none()),
        "{labels:?}"
    );
    let specs = vec![AssociationSpec::hubspot_defined(
        types::POSTAL_MAIL_TO_COMPANY,
    )];
    let pair = c
        .associate_labelled(&created.id, &ObjectType::Company, &company, specs)
        .await
        .unwrap();
    assert_eq!(pair.to_object_id, company);
    let page = c
        .list_associations(
            &created.id,
            &ObjectType::Company,
            &hubspot_postal::AssociationListOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(page.results.len(), 1);
    assert_eq!(page.results[0].to_object_id, company);

    // Pin: refused on a record it is not associated with (no PATCH sent), accepted on the contact.
    let other =
        RecordId::new(emulator.seed_record("contacts", [("email", "bob@example.com")])).unwrap();
    let refused = c
        .pin(&Pin::new(
            created.id.clone(),
            PinTarget::contact(other.clone()),
        ))
        .await
        .unwrap_err();
    assert!(
        matches!(refused, Error::NotAssociated { .. }),
        "{refused:?}"
    );
    assert!(
        !emulator
            .request_log()
            .iter()
            .any(|r| r.method == "PATCH" && r.path.contains(other.as_str()))
    );
    c.pin(&Pin::new(
        created.id.clone(),
        PinTarget::contact(contact.clone()),
    ))
    .await
    .unwrap();
    assert_eq!(
        c.pinned(&PinTarget::contact(contact.clone()))
            .await
            .unwrap(),
        Some(created.id.clone())
    );
    let record = c
        .get_record(&ObjectType::Contact, &contact, &["email".to_owned()])
        .await
        .unwrap();
    assert_eq!(record.properties.get("email"), Some("ada@example.com"));
    c.unpin(&PinTarget::contact(contact.clone())).await.unwrap();
    assert_eq!(
        c.pinned(&PinTarget::contact(contact.clone()))
            .await
            .unwrap(),
        None
    );

    // Remove the company association, and the contact one by its type (v4 label archive).
    c.remove_associations(&created.id, &ObjectType::Company, &company)
        .await
        .unwrap();
    assert!(
        !c.is_associated(&created.id, &ObjectType::Company, &company)
            .await
            .unwrap()
    );
    c.batch_remove_association_labels(
        &ObjectType::Contact,
        vec![AssociationCreate {
            from: ObjectRef {
                id: created.id.clone().into(),
            },
            to: ObjectRef {
                id: contact.clone(),
            },
            types: vec![AssociationSpec::hubspot_defined(
                types::POSTAL_MAIL_TO_CONTACT,
            )],
        }],
    )
    .await
    .unwrap();
    assert!(
        !c.is_associated(&created.id, &ObjectType::Contact, &contact)
            .await
            .unwrap()
    );
    // And the default association, from the other side's view.
    c.associate_default(&created.id, &ObjectType::Contact, &contact)
        .await
        .unwrap();
    let from_contact = c
        .list_associations_of(
            &ObjectType::Contact,
            &contact,
            &ObjectType::PostalMail,
            &hubspot_postal::AssociationListOptions::new(),
        )
        .await
        .unwrap();
    assert_eq!(
        from_contact.results[0].to_object_id.as_str(),
        created.id.as_str()
    );

    // Search by a word of the body.
    let request = SearchRequest::builder()
        .filter(Filter::contains_token(
            "hs_postal_mail_body",
            "countersigned",
        ))
        .build()
        .unwrap();
    let found = c.search_page(&request).await.unwrap();
    assert_eq!(found.total, 1);
    assert_eq!(found.results[0].id, created.id);

    // Archive: gone from reads and search, present in the recycling bin.
    c.archive(&created.id).await.unwrap();
    let gone = c.get(&created.id, &GetOptions::new()).await.unwrap_err();
    assert_eq!(gone.status(), Some(404));
    assert_eq!(gone.category(), Some("OBJECT_NOT_FOUND"));
    assert!(gone.correlation_id().is_some());
    let archived: Vec<_> = c
        .list_all(ListOptions::new().archived(true))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        archived.iter().map(|p| &p.id).collect::<Vec<_>>(),
        vec![&created.id]
    );
    assert_eq!(c.search_page(&request).await.unwrap().total, 0);

    // The raw escape hatch uses the same auth and errors.
    let raw = c
        .raw(
            Method::GET,
            "/crm/v3/objects/postal_mail?archived=true",
            None,
            true,
        )
        .await
        .unwrap();
    let json: serde_json::Value = raw.json().unwrap();
    assert_eq!(json["results"][0]["id"], created.id.as_str());
}

#[tokio::test]
async fn batches_lists_and_search_streams() {
    let emulator = Emulator::start(EmulatorConfig::default()).await.unwrap();
    let contact =
        RecordId::new(emulator.seed_record("contacts", [("email", "ada@example.com")])).unwrap();
    let c = client(&emulator, "any-token");

    let inputs: Vec<_> = (0..250)
        .map(|i| letter(&format!("bulk letter number{i:03}")))
        .collect();
    let created = c.batch_create(inputs).await.unwrap();
    assert!(created.is_success());
    let ids: Vec<_> = created.successes().map(|(_, pm)| pm.id.clone()).collect();
    for (i, (_, pm)) in created.successes().enumerate() {
        assert_eq!(
            pm.body(),
            Some(format!("bulk letter number{i:03}").as_str()),
            "results in input order"
        );
    }
    let batch_requests = emulator
        .request_log()
        .iter()
        .filter(|r| r.path.ends_with("/batch/create"))
        .count();
    assert_eq!(batch_requests, 3);

    // Read with one unknown id: that input alone is rejected.
    let mut read_ids = ids[..5].to_vec();
    read_ids.insert(2, "999999999".parse().unwrap());
    let read = c
        .batch_read(
            read_ids,
            &BatchReadOptions::new().properties(["hs_postal_mail_body"]),
        )
        .await
        .unwrap();
    assert_eq!(read.failures().map(|(i, _)| i).collect::<Vec<_>>(), vec![2]);
    assert_eq!(read.items[3].as_ref().unwrap().id, ids[2]);

    let updates: Vec<_> = ids[..120]
        .iter()
        .map(|id| BatchUpdateItem::new(id, UpdatePostalMail::new().body(format!("updated {id}"))))
        .collect();
    assert!(c.batch_update(updates).await.unwrap().is_success());

    let mut props = Properties::new();
    props.insert("hs_postal_mail_body", "upserted");
    let upsert = UpsertPostalMail::new("hs_object_id", ids[0].as_str(), props).unwrap();
    let upserted = c
        .batch_upsert(vec![upsert])
        .await
        .unwrap()
        .into_results()
        .unwrap();
    assert!(!upserted[0].new);
    assert_eq!(upserted[0].postal_mail.id, ids[0]);

    // list_all pages through everything, 100 at a time.
    let all: Vec<_> = c
        .list_all(ListOptions::new().limit(100))
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), 250);

    // search_all over a multi-page result.
    let request = SearchRequest::builder()
        .filter(Filter::contains_token("hs_postal_mail_body", "updated"))
        .limit(50)
        .build()
        .unwrap();
    let hits: Vec<_> = c.search_all(request).try_collect().await.unwrap();
    assert_eq!(hits.len(), 119);

    // v4 batch associations.
    let create = AssociationCreate {
        from: ObjectRef {
            id: ids[0].clone().into(),
        },
        to: ObjectRef {
            id: contact.clone(),
        },
        types: vec![AssociationSpec::hubspot_defined(
            types::POSTAL_MAIL_TO_CONTACT,
        )],
    };
    c.batch_associate(&ObjectType::Contact, vec![create])
        .await
        .unwrap();
    let read = c
        .batch_read_associations(
            &ObjectType::Contact,
            vec![AssociationReadInput {
                id: ids[0].clone().into(),
                after: None,
            }],
        )
        .await
        .unwrap();
    assert_eq!(read.results[0].to[0].to_object_id, contact);
    c.batch_remove_associations(
        &ObjectType::Contact,
        vec![AssociationArchive {
            from: ObjectRef {
                id: ids[0].clone().into(),
            },
            to: vec![ObjectRef {
                id: contact.clone(),
            }],
        }],
    )
    .await
    .unwrap();
    assert!(
        !c.is_associated(&ids[0], &ObjectType::Contact, &contact)
            .await
            .unwrap()
    );

    let archived = c.batch_archive(ids[..10].to_vec()).await.unwrap();
    assert!(archived.is_success());
    assert_eq!(emulator.postal_mails(false).len(), 240);
}

#[tokio::test]
async fn a_wrong_token_is_a_clear_401() {
    let emulator = Emulator::start(EmulatorConfig::default().tokens(vec!["right".into()]))
        .await
        .unwrap();
    let err = client(&emulator, "wrong-secret-token")
        .list_page(&ListOptions::new())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.category(), Some("INVALID_AUTHENTICATION"));
    assert!(!format!("{err} {err:?}").contains("wrong-secret-token"));
}

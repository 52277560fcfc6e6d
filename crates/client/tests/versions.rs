//! Every operation in every API version, against the emulator, through both clients: one table
//! of typed requests (`every_operation`), run by the async client and by the blocking one.
//!
//! In each version an operation either succeeds with a plausible result, or, where its
//! endpoint-table row lacks the version, is refused with `NotInVersion` before any request
//! is sent. The operations run here must be exactly the client's list
//! (`hubspot_postal::requests::ALL`), so a new operation fails this test until it is added.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

use std::collections::{BTreeMap, BTreeSet};

use hubspot_postal::model::association::{
    AssociationArchive, AssociationCreate, AssociationInput, AssociationPair, AssociationReadInput,
    AssociationSpec, ObjectRef, V3Association, types,
};
use hubspot_postal::model::endpoints::{self, ApiVersion, Segment};
use hubspot_postal::model::engagement::{
    BatchUpdateItem, CreatePostalMail, UpdatePostalMail, UpsertPostalMail,
};
use hubspot_postal::model::ids::{PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::pin::{Pin, PinTarget};
use hubspot_postal::model::properties::{BODY, Properties};
use hubspot_postal::model::search::{Filter, SearchRequest};
use hubspot_postal::requests::{self as req, Request};
use hubspot_postal::transport::http::Method;
use hubspot_postal::{
    AssociationListOptions, BatchReadOptions, Client, Error, GetOptions, ListOptions, RateLimiter,
    Result,
};
use hubspot_postal_emulator::{Emulator, EmulatorConfig};

/// The operations that send to their row where the version has it and fall back to another
/// row (v4 association batch read) where it does not, so no version refuses them.
const FALLS_BACK: [&str; 3] = ["list_associations", "list_associations_of", "is_associated"];

/// Runs a typed request on one of the two clients.
trait Runner {
    fn run<R>(&self, request: R) -> Result<R::Output>
    where
        R: Request + Send + 'static,
        R::Output: Send + 'static;
    fn version(&self) -> ApiVersion;
    fn label(&self) -> &'static str;
}

struct Async {
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl Runner for Async {
    fn run<R>(&self, request: R) -> Result<R::Output>
    where
        R: Request + Send + 'static,
        R::Output: Send + 'static,
    {
        self.runtime.block_on(self.client.execute(request))
    }
    fn version(&self) -> ApiVersion {
        self.client.api_version()
    }
    fn label(&self) -> &'static str {
        "async"
    }
}

struct Blocking(hubspot_postal_blocking::Client);

impl Runner for Blocking {
    fn run<R>(&self, request: R) -> Result<R::Output>
    where
        R: Request + Send + 'static,
        R::Output: Send + 'static,
    {
        self.0.execute(request)
    }
    fn version(&self) -> ApiVersion {
        self.0.api_version()
    }
    fn label(&self) -> &'static str {
        "blocking"
    }
}

/// What happened to each operation.
#[derive(Default)]
struct Seen {
    ran: BTreeSet<&'static str>,
    refused: BTreeSet<&'static str>,
}

/// Runs `request`, checks a success with `check`, and records the outcome: a refusal must be
/// `NotInVersion` naming other versions; any other error fails the test.
fn one<Rn: Runner, R>(
    seen: &mut Seen,
    runner: &Rn,
    request: R,
    check: impl FnOnce(R::Output),
) -> Option<()>
where
    R: Request + Send + 'static,
    R::Output: Send + 'static,
{
    let (name, version) = (R::NAME, runner.version());
    assert!(
        !seen.ran.contains(name) && !seen.refused.contains(name),
        "{name} is in the table twice"
    );
    match runner.run(request) {
        Ok(output) => {
            check(output);
            seen.ran.insert(name);
            Some(())
        }
        Err(Error::NotInVersion(e)) => {
            assert_eq!(
                (e.endpoint, e.version),
                (R::ENDPOINT.unwrap().name(), version)
            );
            assert!(
                !e.available.is_empty() && !e.available.contains(&version),
                "{e}"
            );
            seen.refused.insert(name);
            None
        }
        Err(other) => panic!(
            "{} client, {version}: {name} failed: {other}",
            runner.label()
        ),
    }
}

fn letter(body: &str) -> CreatePostalMail {
    CreatePostalMail::new("2026-11-30".parse().unwrap()).body(body)
}

fn pair(from: &PostalMailId, to: &RecordId) -> (ObjectRef, ObjectRef) {
    (
        ObjectRef {
            id: from.clone().into(),
        },
        ObjectRef { id: to.clone() },
    )
}

/// The table: every operation once, in an order where each finds what it needs.
fn every_operation<R: Runner>(r: &R, contact: &RecordId, company: &RecordId) -> Seen {
    let mut s = Seen::default();
    let version = r.version();
    let co = ObjectType::Company;
    let ct = ObjectType::Contact;
    let company_type = AssociationSpec::hubspot_defined(types::POSTAL_MAIL_TO_COMPANY);
    let marker = format!("versions-{}-{version}", r.label()).replace('.', "");

    // Single records.
    let mut a = None;
    let input = letter(&format!("{marker} first"))
        .associate(AssociationInput::default_to(&ct, contact.clone()).unwrap());
    one(&mut s, r, req::Create { input }, |l| a = Some(l.id));
    let a = a.expect("create runs in every version");
    let id = a.clone();
    one(
        &mut s,
        r,
        req::Get {
            id,
            options: GetOptions::new(),
        },
        |l| {
            assert_eq!(l.id, a);
        },
    );
    let update = UpdatePostalMail::new().body(format!("{marker} updated"));
    one(
        &mut s,
        r,
        req::Update {
            id: a.clone(),
            update,
        },
        |l| {
            assert_eq!(l.body(), Some(format!("{marker} updated").as_str()));
        },
    );
    let by_unique = req::GetByUnique {
        id_property: "hs_object_id".into(),
        value: a.to_string(),
        options: GetOptions::new(),
    };
    one(&mut s, r, by_unique, |l| assert_eq!(l.id, a));
    one(
        &mut s,
        r,
        req::ListPage {
            options: ListOptions::new().limit(100),
        },
        |p| {
            assert!(p.results.iter().any(|l| l.id == a), "list has the letter");
        },
    );
    let search = SearchRequest::builder()
        .filter(Filter::contains_token(BODY, marker.clone()))
        .build()
        .unwrap();
    one(&mut s, r, req::SearchPage { request: search }, |p| {
        assert!(
            p.results.iter().any(|l| l.id == a),
            "search finds the letter"
        );
    });

    // Batches.
    let mut made = Vec::new();
    let inputs = (0..3)
        .map(|i| letter(&format!("{marker} batch {i}")))
        .collect();
    one(&mut s, r, req::BatchCreate { inputs }, |o| {
        made = o.items.into_iter().map(|i| i.unwrap().id).collect();
    });
    assert_eq!(made.len(), 3);
    let (b1, b2, b3) = (made[0].clone(), made[1].clone(), made[2].clone());
    let read = req::BatchRead {
        ids: made.clone(),
        options: BatchReadOptions::new(),
    };
    one(&mut s, r, read, |o| assert_eq!(o.items.len(), 3));
    let inputs = vec![BatchUpdateItem::new(
        &b1,
        UpdatePostalMail::new().body("changed"),
    )];
    one(&mut s, r, req::BatchUpdate { inputs }, |o| {
        assert!(o.is_success())
    });
    let mut props = Properties::new();
    props.insert(BODY, "upserted");
    let inputs = vec![UpsertPostalMail::new("hs_object_id", b1.as_str(), props).unwrap()];
    one(&mut s, r, req::BatchUpsert { inputs }, |o| {
        assert_eq!(o.items[0].as_ref().unwrap().postal_mail.id, b1);
    });

    // Associations between two records.
    let (to, to_id) = (co.clone(), company.clone());
    let type_id = types::POSTAL_MAIL_TO_COMPANY;
    one(
        &mut s,
        r,
        req::Associate {
            id: a.clone(),
            to: to.clone(),
            to_id: to_id.clone(),
            type_id,
        },
        |l| assert_eq!(l.id, a),
    );
    one(
        &mut s,
        r,
        req::Dissociate {
            id: a.clone(),
            to: to.clone(),
            to_id: to_id.clone(),
            type_id,
        },
        |()| {},
    );
    let specs = vec![company_type.clone()];
    one(
        &mut s,
        r,
        req::AssociateLabelled {
            id: a.clone(),
            to: to.clone(),
            to_id: to_id.clone(),
            specs,
        },
        |p| assert_eq!(p.to_object_id, *company),
    );
    one(
        &mut s,
        r,
        req::AssociateDefault {
            id: a.clone(),
            to,
            to_id,
        },
        |b| assert_eq!(b.results.len(), 1),
    );
    let options = AssociationListOptions::new().limit(10);
    one(
        &mut s,
        r,
        req::ListAssociations {
            id: a.clone(),
            to: co.clone(),
            options: options.clone(),
        },
        |p| assert!(p.results.iter().any(|x| x.to_object_id == *company)),
    );
    let of = req::ListAssociationsOf {
        from: ct.clone(),
        from_id: contact.clone(),
        to: ObjectType::PostalMail,
        options,
    };
    one(&mut s, r, of, |p| {
        assert!(
            p.results
                .iter()
                .any(|x| x.to_object_id.as_str() == a.as_str())
        );
    });
    let is = req::IsAssociated {
        id: a.clone(),
        to: ct.clone(),
        to_id: contact.clone(),
    };
    one(&mut s, r, is, |yes| assert!(yes));

    // Association batches.
    let (from, to_ref) = pair(&b1, company);
    let create = AssociationCreate {
        from,
        to: to_ref,
        types: vec![company_type],
    };
    one(
        &mut s,
        r,
        req::BatchAssociate {
            to: co.clone(),
            inputs: vec![create.clone()],
        },
        |b| {
            assert_eq!(b.results.len(), 1);
        },
    );
    let inputs = vec![AssociationReadInput {
        id: b1.clone().into(),
        after: None,
    }];
    one(
        &mut s,
        r,
        req::BatchReadAssociations {
            to: co.clone(),
            inputs,
        },
        |b| {
            assert!(
                b.results
                    .iter()
                    .any(|x| x.to.iter().any(|t| t.to_object_id == *company))
            );
        },
    );
    let labels = req::BatchRemoveAssociationLabels {
        to: co.clone(),
        inputs: vec![create],
    };
    one(&mut s, r, labels, |()| {});
    let (from, to_ref) = pair(&b2, company);
    let inputs = vec![AssociationPair { from, to: to_ref }];
    one(
        &mut s,
        r,
        req::BatchAssociateDefault {
            to: co.clone(),
            inputs,
        },
        |b| {
            assert_eq!(b.results.len(), 1);
        },
    );
    let (from, to_ref) = pair(&b2, company);
    let inputs = vec![AssociationArchive {
        from,
        to: vec![to_ref],
    }];
    one(
        &mut s,
        r,
        req::BatchRemoveAssociations {
            to: co.clone(),
            inputs,
        },
        |()| {},
    );
    let (from, to_ref) = pair(&b1, contact);
    let v3 = V3Association {
        from,
        to: to_ref,
        kind: "postal_mail_to_contact".into(),
    };
    one(
        &mut s,
        r,
        req::V3BatchAssociate {
            to: ct.clone(),
            inputs: vec![v3.clone()],
        },
        |b| {
            assert_eq!(b.results.len(), 1);
        },
    );
    one(
        &mut s,
        r,
        req::V3BatchReadAssociations {
            to: ct.clone(),
            ids: vec![b1.clone()],
        },
        |b| {
            assert!(
                b.results
                    .iter()
                    .any(|x| x.to.iter().any(|t| t.id == *contact))
            );
        },
    );
    one(
        &mut s,
        r,
        req::V3BatchRemoveAssociations {
            to: ct.clone(),
            inputs: vec![v3],
        },
        |()| {},
    );
    let remove = req::RemoveAssociations {
        id: a.clone(),
        to: co.clone(),
        to_id: company.clone(),
    };
    one(&mut s, r, remove, |()| {});
    one(&mut s, r, req::AssociationLabels { to: co }, |l| {
        assert!(!l.is_empty())
    });

    // Records and pins.
    let record = req::GetRecord {
        object_type: ct,
        id: contact.clone(),
        properties: vec!["email".into()],
    };
    one(&mut s, r, record, |rec| {
        assert_eq!(rec.properties.get("email"), Some("ada@example.com"));
    });
    let target = PinTarget::contact(contact.clone());
    one(
        &mut s,
        r,
        req::PinRequest {
            pin: Pin::new(a.clone(), target.clone()),
        },
        |_| {},
    );
    one(
        &mut s,
        r,
        req::Pinned {
            target: target.clone(),
        },
        |p| {
            assert_eq!(p.as_ref(), Some(&a));
        },
    );
    one(&mut s, r, req::Unpin { target }, |_| {});

    // The escape hatch, to this version's list path (from the table).
    let path = endpoints::LIST
        .template(version)
        .map(str::to_owned)
        .unwrap_or_default();
    let raw = req::Raw {
        method: Method::GET,
        path_and_query: path,
        body: None,
        idempotent: true,
    };
    one(&mut s, r, raw, |resp| assert_eq!(resp.status.as_u16(), 200));

    // The lifecycle: merge, GDPR delete, archive.
    one(
        &mut s,
        r,
        req::Merge {
            primary: b1.clone(),
            to_merge: b2,
        },
        |l| {
            assert_eq!(l.id, b1);
        },
    );
    if one(&mut s, r, req::GdprDelete { id: b3.clone() }, |()| {}).is_some() {
        let gone = r.run(req::Get {
            id: b3,
            options: GetOptions::new(),
        });
        assert!(matches!(gone, Err(Error::NotFound { .. })), "{gone:?}");
    }
    one(&mut s, r, req::Archive { id: a.clone() }, |()| {});
    one(&mut s, r, req::BatchArchive { ids: vec![b1] }, |o| {
        assert!(o.is_success())
    });
    s
}

/// Checks one run against the table: every operation of the list, refused exactly where its
/// row lacks the version.
fn check_against_the_table(label: &str, version: ApiVersion, seen: &Seen) {
    let all: BTreeSet<&str> = hubspot_postal::requests::ALL
        .iter()
        .map(|(n, _)| *n)
        .collect();
    let run: BTreeSet<&str> = seen.ran.union(&seen.refused).copied().collect();
    assert_eq!(
        run, all,
        "{label}, {version}: the table and the client's operations differ"
    );
    let expected: BTreeSet<&str> = hubspot_postal::requests::ALL
        .iter()
        .filter(|(name, row)| {
            !FALLS_BACK.contains(name) && row.is_some_and(|row| row.template(version).is_none())
        })
        .map(|(n, _)| *n)
        .collect();
    assert_eq!(seen.refused, expected, "{label}, {version}: refused");
}

fn seeded() -> (
    hubspot_postal_emulator::BlockingEmulator,
    RecordId,
    RecordId,
) {
    let emulator = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let contact =
        RecordId::new(emulator.seed_record("contacts", [("email", "ada@example.com")])).unwrap();
    let company = RecordId::new(emulator.seed_record("companies", [("name", "Acme")])).unwrap();
    (emulator, contact, company)
}

#[test]
fn every_operation_in_every_version_through_the_async_client() {
    let mut outcomes = BTreeMap::new();
    for version in ApiVersion::ALL {
        let (emulator, contact, company) = seeded();
        let runner = Async {
            client: Client::builder()
                .token("pat-test")
                .base_url(emulator.base_url())
                .rate_limiter(RateLimiter::unlimited())
                .api_version(version)
                .build()
                .unwrap(),
            runtime: tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap(),
        };
        let sent_before = emulator.request_log().len();
        let seen = every_operation(&runner, &contact, &company);
        check_against_the_table("async", version, &seen);
        // Every request went to this version's paths (v4 ones on the legacy track).
        let log = emulator.request_log();
        let prefix = version.as_str();
        for entry in &log[sent_before..] {
            assert!(
                entry
                    .path
                    .split('/')
                    .any(|s| s == prefix || (version.is_legacy() && s == "v4")),
                "{version}: {} {} is not a {version} path",
                entry.method,
                entry.path
            );
        }
        outcomes.insert(version, seen.refused.len());
    }
    // The versions differ where the table says: v3 lacks merge and GDPR delete, the
    // date-based versions lack v3's association paths.
    assert!(outcomes.values().all(|n| *n > 0), "{outcomes:?}");
}

#[test]
fn every_operation_in_every_version_through_the_blocking_client() {
    for version in ApiVersion::ALL {
        let (emulator, contact, company) = seeded();
        let runner = Blocking(
            hubspot_postal_blocking::Client::builder()
                .token("pat-test")
                .base_url(emulator.base_url())
                .rate_limiter(RateLimiter::unlimited())
                .api_version(version)
                .build()
                .unwrap(),
        );
        let seen = every_operation(&runner, &contact, &company);
        check_against_the_table("blocking", version, &seen);
    }
}

/// The segment helper the raw path above relies on is the table's: a sanity check that the
/// list path really is this version's.
#[test]
fn the_list_path_differs_by_version() {
    let id = PostalMailId::new("1").unwrap();
    let paths: BTreeSet<String> = ApiVersion::ALL
        .iter()
        .map(|v| {
            endpoints::GET
                .path(*v, &[("postalMailId", Segment::from(&id))])
                .unwrap()
        })
        .collect();
    assert_eq!(paths.len(), ApiVersion::ALL.len());
}

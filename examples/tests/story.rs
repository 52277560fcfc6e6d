//! Both examples' stories against the emulator: every step is printed, and the emulator ends
//! in the state the story describes (letter archived with its new body, pinned on the contact,
//! no longer associated with the company). The process environment is never read: the target
//! is chosen from an empty set of variables, as when HUBSPOT_ACCESS_TOKEN is unset.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use hubspot_postal::model::ids::RecordId;
use hubspot_postal_emulator::{EmulatorConfig, EmulatorHandle, Fixtures};
use hubspot_postal_examples::target::Target;
use hubspot_postal_examples::{blocking, letter, quickstart};
use serde_json::Value;

const LABELS: &str = r#"{"labels": [{"from": "postal_mail", "to": "companies",
    "label": "Billing letter", "typeId": 20301, "inverseTypeId": 20302}]}"#;

fn config() -> EmulatorConfig {
    EmulatorConfig::default().fixtures(Fixtures::from_json_str(LABELS).unwrap())
}

fn no_env() -> Target {
    Target::from_vars(|_| None).unwrap()
}

fn assert_every_step(text: &str) {
    for n in 1..=9 {
        assert!(
            text.lines().any(|l| l.starts_with(&format!("{n}. "))),
            "step {n} missing:\n{text}"
        );
    }
    assert!(
        text.contains("is there"),
        "the list shows the letter:\n{text}"
    );
    assert!(text.contains("(attempt 1)"), "{text}");
    assert!(text.contains("the archived list shows it"), "{text}");
}

fn associated(emu: &EmulatorHandle, postal_mail: &str, object_type: &str, id: &str) -> bool {
    emu.state()["associations"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|a| {
            let ends = [&a["from"], &a["to"]];
            let has = |t: &str, i: &str| {
                ends.iter()
                    .any(|e| e["objectType"] == t && e["id"].as_str() == Some(i))
            };
            has("postal_mail", postal_mail) && has(object_type, id)
        })
}

fn assert_final_state(emu: &EmulatorHandle, id: &str, contact: &str, company: &str) {
    let letter: Value = emu.record("postal_mail", id).unwrap();
    assert_eq!(
        letter["archived"], true,
        "the letter is in the recycling bin"
    );
    let body = letter["properties"]["hs_postal_mail_body"]
        .as_str()
        .unwrap();
    assert!(
        body.contains("cover letter"),
        "the body was updated: {body}"
    );
    assert_eq!(
        letter["properties"]["hs_attachment_ids"].as_str(),
        Some(letter::ATTACHMENTS)
    );
    // The pin was set (step 6 read it back, see `assert_pinned`); archiving the letter then
    // unpins it, the emulator's documented choice where HubSpot's behaviour is unconfirmed.
    let c: Value = emu.record("contacts", contact).unwrap();
    assert!(
        c["properties"]["hs_pinned_engagement_id"]
            .as_str()
            .is_none_or(|p| p == id)
    );
    let pin_patches = emu
        .request_log()
        .iter()
        .filter(|r| r.method == "PATCH" && r.path == format!("/crm/v3/objects/contacts/{contact}"))
        .filter(|r| r.status == 200)
        .count();
    assert_eq!(pin_patches, 1, "one successful pin");
    assert!(associated(emu, id, "contacts", contact));
    assert!(!associated(emu, id, "companies", company));
}

fn assert_pinned(text: &str, id: &str, contact: &str) {
    assert!(
        text.contains(&format!("contact {contact} pins: {id}")),
        "step 6 shows the pin:\n{text}"
    );
}

fn seed(emu: &EmulatorHandle) -> (RecordId, RecordId) {
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let company = emu.seed_record("companies", [("name", "Engines")]);
    (
        RecordId::new(contact).unwrap(),
        RecordId::new(company).unwrap(),
    )
}

#[tokio::test]
async fn quickstart_runs_on_the_embedded_emulator_without_a_token() {
    let mut out = Vec::new();
    quickstart::run(no_env(), &mut out).await.unwrap();
    let text = String::from_utf8(out).unwrap();
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with(
            "No HUBSPOT_ACCESS_TOKEN set: running against the embedded HubSpot emulator at http://127.0.0.1:"
        ),
        "{first}"
    );
    assert_every_step(&text);
}

#[tokio::test]
async fn quickstart_story_leaves_the_state_it_tells() {
    let emu = hubspot_postal_emulator::Emulator::start(config())
        .await
        .unwrap();
    let (contact, company) = seed(&emu);
    let client = hubspot_postal::Client::builder()
        .token("t")
        .base_url(emu.base_url())
        .rate_limiter(hubspot_postal::RateLimiter::unlimited())
        .build()
        .unwrap();
    let mut out = Vec::new();
    let id = quickstart::story(&client, &contact, &company, &mut out)
        .await
        .unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_every_step(&text);
    assert!(text.contains("label \"Billing letter\""), "{text}");
    assert_pinned(&text, id.as_str(), contact.as_str());
    assert_final_state(&emu, id.as_str(), contact.as_str(), company.as_str());
}

#[test]
fn blocking_runs_on_the_embedded_emulator_without_a_token() {
    let mut out = Vec::new();
    blocking::run(no_env(), &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(
        text.starts_with("No HUBSPOT_ACCESS_TOKEN set: running against the embedded HubSpot emulator at http://127.0.0.1:"),
        "{text}"
    );
    assert_every_step(&text);
}

#[test]
fn blocking_story_leaves_the_state_it_tells() {
    let emu = hubspot_postal_emulator::Emulator::start_blocking(config()).unwrap();
    let (contact, company) = seed(&emu);
    let client = hubspot_postal_blocking::Client::builder()
        .token("t")
        .base_url(emu.base_url())
        .rate_limiter(hubspot_postal_blocking::RateLimiter::unlimited())
        .build()
        .unwrap();
    let mut out = Vec::new();
    let id = blocking::story(&client, &contact, &company, &mut out).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert_every_step(&text);
    assert!(text.contains("labels now: Billing letter"), "{text}");
    assert_pinned(&text, id.as_str(), contact.as_str());
    assert_final_state(&emu, id.as_str(), contact.as_str(), company.as_str());
}

#[test]
fn a_token_without_record_ids_is_a_setup_error() {
    let err = Target::from_vars(|n| (n == "HUBSPOT_ACCESS_TOKEN").then(|| "pat".into()))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(
        err.contains("HUBSPOT_CONTACT_ID") && err.contains("HUBSPOT_COMPANY_ID"),
        "{err}"
    );
}

//! The blocking emulator, fixtures, inspection routes, reset, and the binary.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failure report

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use hubspot_postal_emulator::{Emulator, EmulatorConfig, Fixtures};
use serde_json::{Value, json};

fn fixtures() -> Fixtures {
    Fixtures::from_file(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/example.json"
    ))
    .unwrap()
}

fn get(url: &str) -> (u16, Value) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let r = reqwest::Client::new()
            .get(url)
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(Value::Null))
    })
}

#[test]
fn blocking_emulator_with_fixtures() {
    let emu = Emulator::start_blocking(EmulatorConfig::default().fixtures(fixtures())).unwrap();
    let base = emu.base_url();
    let (status, body) = get(&format!(
        "{base}/crm/v3/objects/postal_mail/900001?properties=hs_postal_mail_body,external_ref&associations=contacts"
    ));
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["properties"]["external_ref"], "LTR-1");
    let types: Vec<&str> = body["associations"]["contacts"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["postal_mail_to_contact", "20001", "postal_mail_to_contact"]
    );
    let (_, labels) = get(&format!(
        "{base}/crm/v4/objects/contacts/501/associations/postal_mail"
    ));
    assert_eq!(
        labels["results"][0]["associationTypes"][1],
        json!({"category": "USER_DEFINED", "typeId": 20002, "label": "Sent letter"})
    );
    assert_eq!(
        get(&format!("{base}/crm/v3/objects/postal_mail/900002")).0,
        404
    );
    assert_eq!(
        emu.record("postal_mail", "900002").unwrap()["archived"],
        true
    );
    assert_eq!(
        emu.record("contacts", "501").unwrap()["properties"]["customer_tier"],
        "GOLD"
    );

    // Inspection routes need no token.
    let (status, log) = get(&format!("{base}/__emulator/requests"));
    assert_eq!(status, 200);
    assert_eq!(log.as_array().unwrap().len(), 3);
    let (_, state) = get(&format!("{base}/__emulator/state"));
    assert_eq!(state["objects"]["postal_mail"].as_array().unwrap().len(), 2);
    assert_eq!(state["associations"].as_array().unwrap().len(), 3);

    // Seeding, then reset back to the fixtures.
    let id = emu.seed_record(
        "deals",
        json!({"dealname": "x", "amount": 5})
            .as_object()
            .unwrap()
            .clone(),
    );
    assert_eq!(
        emu.record("deals", &id).unwrap()["properties"]["amount"],
        "5"
    );
    assert!(emu.seed_association("deals", &id, "postal_mail", "900001"));
    emu.reset();
    assert!(emu.record("deals", &id).is_none());
    assert!(emu.request_log().is_empty());
    assert_eq!(emu.postal_mails(true).len(), 2);
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let c = reqwest::Client::new();
        let r = c
            .put(format!("{base}/__emulator/faults"))
            .body("GET *: 503=1")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
        let r = c
            .get(format!("{base}/crm/v3/objects/contacts"))
            .bearer_auth("t")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        let r = c
            .put(format!("{base}/__emulator/faults"))
            .body("GET nonsense")
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 400);
        let r = c
            .post(format!("{base}/__emulator/reset"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 204);
    });
    drop(emu);
}

#[test]
fn invalid_fixtures_fail_start() {
    let f = Fixtures::from_json_str(r#"{"records": {"postal_mail": [{"id": "1", "properties": {"hs_postal_mail_body": "no timestamp"}}]}}"#).unwrap();
    let err = Emulator::start_blocking(EmulatorConfig::default().fixtures(f)).unwrap_err();
    assert!(err.to_string().contains("hs_timestamp"), "{err}");
}

#[test]
fn binary_prints_its_url_and_serves() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_hubspot-postal-emulator"))
        .args([
            "--port",
            "0",
            "--token",
            "abc",
            "--rate-limit",
            "100/10s",
            "--search-rate",
            "5/s",
            "--seed",
            "1",
        ])
        .args([
            "--faults",
            "POST /crm/v3/objects/postal_mail: 429=0.1; GET *: latency=1ms",
        ])
        .arg("--fixtures")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/example.json"
        ))
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .expect("listening line")
        .to_owned();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = rt.block_on(async {
        reqwest::Client::new()
            .get(format!("{url}/crm/v3/objects/contacts/501"))
            .bearer_auth("abc")
            .send()
            .await
            .unwrap()
            .status()
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(status, 200);
    let bad = Command::new(env!("CARGO_BIN_EXE_hubspot-postal-emulator"))
        .args(["--rate-limit", "lots"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
}

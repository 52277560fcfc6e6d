//! `import`: validation before sending, the report, and resuming without duplicates after an
//! interruption, a chunk that may have been applied, any answer that leaves a row's fate
//! unknown, and HubSpot's search lag; `--key-property` upserts.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::*;
use hubspot_postal_emulator::{BlockingEmulator, EmulatorConfig, FaultPlan};

const BATCH_CREATE: &str = "/crm/objects/2026-03/postal_mail/batch/create";
const BATCH_UPSERT: &str = "/crm/objects/2026-03/postal_mail/batch/upsert";
const KEY_FIXTURES: &str =
    r#"{"properties": {"postal_mail": [{"name": "import_key", "type": "string"}]}}"#;

/// Writes `n` valid rows (distinct bodies and timestamps, each associated with `contact`),
/// then replaces the rows named in `bad` (1-based) with the given raw CSV lines.
fn write_csv(dir: &Path, n: usize, contact: &str, bad: &[(usize, &str)]) -> PathBuf {
    let mut text = String::from("timestamp,body,owner,attachments,contact_ids\n");
    for i in 1..=n {
        match bad.iter().find(|(row, _)| *row == i) {
            Some((_, line)) => text.push_str(line),
            None => text.push_str(&format!(
                "{},\"Letter {i}, about the contract\",9274996,a{i};b{i},{contact}",
                1_700_000_000_000u64 + i as u64 * 60_000
            )),
        }
        text.push('\n');
    }
    let path = dir.join("letters.csv");
    std::fs::write(&path, text).unwrap();
    path
}

fn bodies(emu: &BlockingEmulator) -> Vec<String> {
    emu.postal_mails(false)
        .iter()
        .filter_map(|m| prop(m, "hs_postal_mail_body"))
        .collect()
}

/// Every letter exists exactly once.
fn assert_no_duplicates(emu: &BlockingEmulator, expected: usize) {
    let all = bodies(emu);
    let unique: HashSet<&String> = all.iter().collect();
    assert_eq!(all.len(), expected, "letters in the emulator");
    assert_eq!(unique.len(), expected, "duplicated letters");
}

fn batch_creates(emu: &BlockingEmulator) -> usize {
    emu.request_log()
        .iter()
        .filter(|r| r.method == "POST" && r.path == BATCH_CREATE)
        .count()
}

/// The rows of a state file (an append-only log of JSON lines after a header: the last
/// record of a key wins), key to record.
fn state_rows(path: &Path) -> HashMap<String, serde_json::Value> {
    let mut rows = HashMap::new();
    for line in read(path).lines().skip(1) {
        let record: serde_json::Value = serde_json::from_str(line).unwrap();
        let key = record["key"].as_str().map(str::to_owned);
        match (record["status"].as_str(), key) {
            (Some("forgotten"), Some(key)) => {
                rows.remove(&key);
            }
            (Some("sent_as"), _) => {}
            (_, Some(key)) => {
                rows.insert(key, record);
            }
            _ => panic!("not a record: {line}"),
        }
    }
    rows
}

/// How many rows of the state have this status.
fn with_status(path: &Path, status: &str) -> usize {
    state_rows(path)
        .values()
        .filter(|r| r["status"] == status)
        .count()
}

fn import(emu: &BlockingEmulator, file: &Path) -> assert_cmd::Command {
    let mut cmd = cli(emu);
    cmd.arg("import").arg(file);
    cmd
}

#[test]
fn a_thousand_rows_with_three_invalid_create_997_and_report_3() {
    let emu = emulator();
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(
        dir.path(),
        1000,
        &contact,
        &[
            (10, "yesterday,Bad timestamp,1,,"),
            (500, "2021-11-12,Bad owner,12x,,"),
            (900, "2021-11-12,Bad contact,1,,7/8"),
        ],
    );
    // The default client (rate limiter on): ten batch requests fit the 100 per 10 s window.
    let (stdout, stderr) = fails(&mut import(&emu, &file), 3);
    assert!(
        stdout.contains(
            "1000 rows: 997 created, 0 already imported, 3 invalid, 0 rejected, 0 maybe applied"
        ),
        "{stdout}"
    );
    assert!(
        stderr.contains("3 of 1000 rows were not created"),
        "{stderr}"
    );
    assert_no_duplicates(&emu, 997);
    assert_eq!(batch_creates(&emu), 10);
    // Associations written with each letter.
    let first = emu.postal_mails(false)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(associated(&emu, &first, "contacts", &contact));

    let report = read(&dir.path().join("letters.csv.report.csv"));
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines.len(), 4, "{report}");
    assert_eq!(lines[0], "row,line,status,reason,original");
    assert!(lines[1].starts_with("10,11,invalid,") && lines[1].contains("yesterday"));
    assert!(lines[2].starts_with("500,501,invalid,") && lines[2].contains("owner"));
    assert!(lines[3].starts_with("900,901,invalid,") && lines[3].contains("contact_ids"));

    // A second run creates nothing more.
    emu.clear_log();
    let (stdout, _) = fails(&mut import(&emu, &file), 3);
    assert!(
        stdout.contains("0 created, 997 already imported, 3 invalid"),
        "{stdout}"
    );
    assert_eq!(batch_creates(&emu), 0);
    assert_no_duplicates(&emu, 997);
}

#[test]
fn an_interrupted_import_resumes_without_duplicates() {
    let emu = emulator();
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 1000, &contact, &[]);
    // Killed after the third chunk was answered, before its answer was recorded.
    let (_, _) = fails(
        import(&emu, &file).args(["--no-rate-limit", "--interrupt-after-chunks", "3"]),
        130,
    );
    assert_no_duplicates(&emu, 300);
    let state = dir.path().join("letters.csv.state.json");
    assert_eq!(with_status(&state, "in_flight"), 100, "one chunk in flight");
    assert_eq!(with_status(&state, "done"), 200);

    let stdout = ok(import(&emu, &file).args(["--no-rate-limit", "--reconcile-delay", "0s"]));
    assert!(
        stdout.contains("reconciled 100 row(s) an earlier run left unsettled: 100 found in HubSpot, 0 to send again"),
        "{stdout}"
    );
    assert!(
        stdout.contains("1000 rows: 700 created, 300 already imported, 0 invalid"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 1000);
    assert!(!dir.path().join("letters.csv.report.csv").exists());
}

#[test]
fn chunks_that_may_have_been_applied_are_reconciled_on_the_next_run() {
    // apply-drop: HubSpot writes the chunk, then the connection dies before the answer.
    let faults: FaultPlan = format!("POST {BATCH_CREATE}: apply-drop=0.5")
        .parse()
        .unwrap();
    let emu = emulator_with(EmulatorConfig::default().faults(faults).seed(7));
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 1000, &contact, &[]);
    let (stdout, stderr) = fails(import(&emu, &file).arg("--no-rate-limit"), 3);
    let dropped = emu
        .request_log()
        .iter()
        .filter(|r| r.fault.is_some())
        .count();
    assert!(
        dropped > 0 && dropped < 10,
        "the seed drops some chunks: {dropped}"
    );
    let created = 1000 - dropped * 100;
    assert!(
        stdout.contains(&format!(
            "{created} created, 0 already imported, 0 invalid, 0 rejected, {} maybe applied",
            dropped * 100
        )),
        "{stdout}"
    );
    assert!(
        stderr.contains("run the same command again to reconcile"),
        "{stderr}"
    );
    let report = read(&dir.path().join("letters.csv.report.csv"));
    assert_eq!(report.matches(",maybe_applied,").count(), dropped * 100);
    // Every chunk was written, even those whose answer was lost.
    assert_no_duplicates(&emu, 1000);

    emu.set_faults(FaultPlan::none());
    let stdout = ok(import(&emu, &file).args(["--no-rate-limit", "--reconcile-delay", "0s"]));
    assert!(
        stdout.contains(&format!(
            "{0} found in HubSpot, 0 to send again",
            dropped * 100
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("0 created, 1000 already imported"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 1000);
}

#[test]
fn chunks_that_were_not_applied_are_sent_again() {
    // drop: the connection dies before HubSpot writes anything; the client cannot tell.
    let faults: FaultPlan = format!("POST {BATCH_CREATE}: drop=1").parse().unwrap();
    let emu = emulator_with(EmulatorConfig::default().faults(faults));
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 250, &contact, &[]);
    let (stdout, _) = fails(import(&emu, &file).arg("--no-rate-limit"), 3);
    assert!(
        stdout.contains("0 created, 0 already imported, 0 invalid, 0 rejected, 250 maybe applied"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 0);

    emu.set_faults(FaultPlan::none());
    let stdout = ok(import(&emu, &file).args(["--no-rate-limit", "--reconcile-delay", "0s"]));
    assert!(
        stdout.contains("0 found in HubSpot, 250 to send again"),
        "{stdout}"
    );
    assert!(
        stdout.contains("250 created, 0 already imported"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 250);
}

#[test]
fn identical_rows_are_distinct_letters_and_reconcile_one_to_one() {
    let emu = emulator();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("same.csv");
    let mut text = String::from("timestamp,body\n");
    for _ in 0..4 {
        text.push_str("2021-11-12,Same letter twice\n");
    }
    std::fs::write(&file, text).unwrap();
    fails(
        import(&emu, &file).args([
            "--no-rate-limit",
            "--chunk-size",
            "2",
            "--interrupt-after-chunks",
            "1",
        ]),
        130,
    );
    assert_eq!(emu.postal_mails(false).len(), 2);
    let stdout = ok(import(&emu, &file).args([
        "--no-rate-limit",
        "--reconcile-delay",
        "0s",
        "--chunk-size",
        "2",
    ]));
    assert!(stdout.contains("2 found in HubSpot"), "{stdout}");
    assert!(
        stdout.contains("4 rows: 2 created, 2 already imported"),
        "{stdout}"
    );
    assert_eq!(emu.postal_mails(false).len(), 4);
}

#[test]
fn json_lines_with_lists_numbers_and_a_bad_line() {
    let emu = emulator();
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let company = emu.seed_record("companies", [("name", "Engines")]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letters.ndjson");
    std::fs::write(
        &file,
        format!(
            "{{\"timestamp\": 1636675200000, \"body\": \"One\", \"owner\": 9274996, \"attachments\": [\"1\", 2], \"contact_ids\": [{contact}], \"company_ids\": \"{company}\", \"external_id\": \"L-1\"}}\n\
             \n\
             {{\"timestamp\": \"2021-11-13\", \"body\": \"Two\", \"colour\": \"red\"}}\n\
             {{\"timestamp\": \"2021-11-14\", \"body\": \"Three\", \"external_id\": \"L-1\"}}\n\
             not json\n"
        ),
    )
    .unwrap();
    let report = dir.path().join("out.csv");
    let (stdout, _) = fails(
        import(&emu, &file).args(["--report", report.to_str().unwrap()]),
        3,
    );
    assert!(
        stdout.contains("4 rows: 1 created, 0 already imported, 3 invalid"),
        "{stdout}"
    );
    let mails = emu.postal_mails(false);
    assert_eq!(mails.len(), 1);
    let id = mails[0]["id"].as_str().unwrap();
    assert_eq!(prop(&mails[0], "hs_attachment_ids").as_deref(), Some("1;2"));
    assert!(associated(&emu, id, "contacts", &contact));
    assert!(associated(&emu, id, "companies", &company));
    let report = read(&report);
    assert!(
        report.contains("2,3,invalid,") && report.contains("colour"),
        "{report}"
    );
    assert!(
        report.contains("3,4,invalid,") && report.contains("also on row 1"),
        "{report}"
    );
    assert!(report.contains("4,5,invalid,not JSON"), "{report}");
}

#[test]
fn rows_hubspot_rejects_are_reported_and_counted() {
    let emu = emulator();
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    // Row 3 names a contact that does not exist: the model cannot know, HubSpot refuses.
    let file = write_csv(
        dir.path(),
        5,
        &contact,
        &[(3, "2021-11-12,Unknown contact,1,,424242")],
    );
    let (stdout, _) = fails(import(&emu, &file).arg("--no-rate-limit"), 3);
    let report = read(&dir.path().join("letters.csv.report.csv"));
    let created = emu.postal_mails(false).len();
    let rejected = report.matches(",rejected,").count();
    assert!(rejected >= 1, "{report}");
    assert_eq!(created + rejected, 5, "{stdout}\n{report}");
    assert!(
        stdout.contains(&format!(
            "5 rows: {created} created, 0 already imported, 0 invalid, {rejected} rejected, 0 maybe applied"
        )),
        "{stdout}"
    );
    // Rejected rows are not in flight: the state lets a re-run send them again.
    let state = dir.path().join("letters.csv.state.json");
    assert_eq!(with_status(&state, "in_flight"), 0);
    assert_eq!(state_rows(&state).len(), created);
}

#[test]
fn a_refused_token_stops_the_import_and_reports_the_rest() {
    let emu = emulator_with(EmulatorConfig::default().tokens(vec!["right".into()]));
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 250, "1", &[]);
    let (stdout, stderr) = fails(
        import(&emu, &file).env("HUBSPOT_ACCESS_TOKEN", "pat-wrong-import-token"),
        1,
    );
    assert!(
        stdout.contains("250 rows: 0 created, 0 already imported, 0 invalid, 100 rejected, 0 maybe applied, 150 not sent"),
        "{stdout}"
    );
    assert!(stderr.contains("401"), "{stderr}");
    assert!(!stderr.contains("pat-wrong-import-token"));
    assert_eq!(batch_creates(&emu), 1);
    let state = dir.path().join("letters.csv.state.json");
    assert!(state_rows(&state).is_empty(), "{}", read(&state));
}

#[test]
fn unknown_columns_stop_before_anything_is_sent() {
    let emu = emulator();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("x.csv");
    std::fs::write(&file, "timestamp,bodyy\n2021-11-12,x\n").unwrap();
    let (_, stderr) = fails(&mut import(&emu, &file), 1);
    assert!(stderr.contains("unknown column \"bodyy\""), "{stderr}");
    assert!(emu.request_log().is_empty());
}

/// Every done row of the state names the letter with that row's own body: no row is recorded
/// under another row's letter.
fn assert_state_ids_match_rows(emu: &BlockingEmulator, state: &Path) {
    let mails = emu.postal_mails(false);
    for (key, row) in &state_rows(state) {
        assert_eq!(row["status"], "done", "{key}: {row}");
        let id = row["id"].as_str().unwrap();
        let n = row["row"].as_u64().unwrap();
        let letter = mails.iter().find(|m| m["id"].as_str() == Some(id));
        let body = letter.and_then(|m| prop(m, "hs_postal_mail_body"));
        assert_eq!(
            body.as_deref(),
            Some(format!("Letter {n}, about the contract").as_str()),
            "row {n} is recorded as letter {id}"
        );
    }
}

fn hostile(spec: &str, seed: u64) -> BlockingEmulator {
    let faults: FaultPlan = spec.parse().unwrap();
    emulator_with(EmulatorConfig::default().faults(faults).seed(seed))
}

/// Each mode applies the chunk and then answers in a way that does not say (or lies about)
/// which rows were written. None of them may count a row as rejected or forget it, and the
/// next run (without faults) ends with every row once, recorded under its own letter.
const UNSETTLING_ANSWERS: [&str; 7] = [
    "apply-garbage",
    "apply-drift",
    "apply-507",
    "apply-520-html",
    "omit-written",
    "shuffle",
    "anonymous-error",
];

fn unsettling_answers_end_settled(path: &str, modes: &[&str], args: &[&str]) {
    for &mode in modes {
        let emu = emulator_with(
            EmulatorConfig::default()
                .fixtures(hubspot_postal_emulator::Fixtures::from_json_str(KEY_FIXTURES).unwrap())
                .faults(format!("POST {path}: {mode}=1").parse().unwrap())
                .seed(3),
        );
        let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
        let dir = tempfile::tempdir().unwrap();
        let file = write_csv(dir.path(), 30, &contact, &[]);
        let first = import(&emu, &file)
            .args(["--no-rate-limit", "--chunk-size", "10"])
            .args(args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&first.stdout);
        let faulted = emu
            .request_log()
            .iter()
            .filter(|r| r.path == path && r.fault.as_deref() == Some(mode))
            .count();
        assert!(faulted >= 3, "{mode}: every chunk met the fault");
        assert!(
            stdout.contains(" 0 invalid, 0 rejected,"),
            "{mode}: {stdout}"
        );
        let written = bodies(&emu);
        let unique: HashSet<&String> = written.iter().collect();
        assert_eq!(unique.len(), written.len(), "{mode}: duplicated letters");

        emu.set_faults(FaultPlan::none());
        let stdout = ok(import(&emu, &file)
            .args(["--no-rate-limit", "--reconcile-max-wait", "0s"])
            .args(args));
        assert!(
            stdout.contains("0 invalid, 0 rejected, 0 maybe applied"),
            "{mode}: {stdout}"
        );
        assert_no_duplicates(&emu, 30);
        assert_state_ids_match_rows(&emu, &dir.path().join("letters.csv.state.json"));
    }
}

#[test]
fn answers_that_leave_a_create_unknown_are_kept_maybe_applied_and_reconciled() {
    unsettling_answers_end_settled(BATCH_CREATE, &UNSETTLING_ANSWERS, &[]);
}

#[test]
fn answers_that_leave_an_upsert_unknown_are_sent_again_and_never_duplicate() {
    // A 5xx to an upsert is retried by the client itself until its deadline (the 5xx modes
    // are covered by the key-property and kill tests, at lower rates).
    let modes: Vec<&str> = UNSETTLING_ANSWERS
        .into_iter()
        .filter(|m| !m.starts_with("apply-5"))
        .collect();
    unsettling_answers_end_settled(BATCH_UPSERT, &modes, &["--key-property", "import_key"]);
}

#[test]
fn rows_an_answer_omits_and_that_were_not_written_are_searched_again_then_sent() {
    let emu = hostile(&format!("POST {BATCH_CREATE}: omit-unwritten=1"), 5);
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 30, &contact, &[]);
    let (stdout, _) = fails(
        import(&emu, &file).args(["--no-rate-limit", "--chunk-size", "10"]),
        3,
    );
    // One row per chunk was neither written nor answered: unknown, not rejected.
    assert!(
        stdout.contains("27 created, 0 already imported, 0 invalid, 0 rejected, 3 maybe applied"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 27);

    emu.set_faults(FaultPlan::none());
    let started = Instant::now();
    let stdout = ok(import(&emu, &file).args(["--no-rate-limit", "--reconcile-max-wait", "3s"]));
    // Searched at once, after 1 s and after 2 more: only then taken as not created.
    assert!(
        stdout.contains("0 found in HubSpot, 3 to send again (searched 3 time(s), waited 3.0s"),
        "{stdout}"
    );
    assert!(started.elapsed() >= Duration::from_secs(3));
    assert!(
        stdout.contains("3 created, 27 already imported"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 30);
}

/// Interrupted after the second chunk was written, re-run at once against an emulator whose
/// search shows writes only after `lag`, with the default reconciliation settings.
fn resume_under_search_lag(lag: Duration) {
    let emu = emulator_with(EmulatorConfig::default().search_lag(lag));
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 200, &contact, &[]);
    fails(
        import(&emu, &file).args(["--interrupt-after-chunks", "2"]),
        130,
    );
    assert_no_duplicates(&emu, 200);
    let started = Instant::now();
    let stdout = ok(&mut import(&emu, &file));
    assert!(
        stdout.contains("reconciled 100 row(s) an earlier run left unsettled: 100 found in HubSpot, 0 to send again"),
        "{stdout}"
    );
    assert!(stdout.contains("waited "), "{stdout}");
    assert!(started.elapsed() >= lag / 2, "{:?}", started.elapsed());
    assert!(
        stdout.contains("0 created, 200 already imported"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 200);
}

#[test]
fn reconciliation_waits_out_a_3s_search_lag_with_the_default_settings() {
    resume_under_search_lag(Duration::from_secs(3));
}

#[test]
fn reconciliation_waits_out_a_10s_search_lag_with_the_default_settings() {
    resume_under_search_lag(Duration::from_secs(10));
}

#[test]
fn a_key_property_sends_upserts_that_a_resend_cannot_duplicate() {
    // The first run's answers are often lost after HubSpot applied them: upserts are sent
    // again at once, and nothing is duplicated.
    let emu = emulator_with(
        EmulatorConfig::default()
            .fixtures(hubspot_postal_emulator::Fixtures::from_json_str(KEY_FIXTURES).unwrap())
            .faults(
                format!("POST {BATCH_UPSERT}: apply-drop=0.3,apply-502-html=0.2")
                    .parse()
                    .unwrap(),
            )
            .seed(11),
    );
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 250, &contact, &[]);
    let args = ["--no-rate-limit", "--key-property", "import_key"];
    fails(
        import(&emu, &file)
            .args(args)
            .args(["--interrupt-after-chunks", "2"]),
        130,
    );
    assert_no_duplicates(&emu, 200);
    let never_a_create = |emu: &BlockingEmulator| {
        assert!(
            emu.request_log().iter().all(|r| r.path != BATCH_CREATE),
            "never a create"
        );
    };
    never_a_create(&emu);
    emu.set_faults(FaultPlan::none());
    emu.clear_log();
    let stdout = ok(import(&emu, &file).args(args));
    assert!(
        stdout.contains(
            "100 row(s) an earlier run left unsettled are sent again as upserts keyed by import_key"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("250 rows: 50 created, 200 already imported"),
        "{stdout}"
    );
    never_a_create(&emu);
    assert!(
        emu.request_log()
            .iter()
            .all(|r| !r.path.ends_with("/search")),
        "no search needed"
    );
    assert_no_duplicates(&emu, 250);
    let keys: HashSet<String> = emu
        .postal_mails(false)
        .iter()
        .filter_map(|m| prop(m, "import_key"))
        .collect();
    assert_eq!(keys.len(), 250);
    // The associations an upsert cannot carry were written after it.
    let first = emu.postal_mails(false)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(associated(&emu, &first, "contacts", &contact));

    // Even with the state file gone, a re-run finds every letter by its key.
    std::fs::remove_file(dir.path().join("letters.csv.state.json")).unwrap();
    let stdout = ok(import(&emu, &file).args(args));
    assert!(
        stdout.contains("250 rows: 0 created, 250 already imported"),
        "{stdout}"
    );
    assert_no_duplicates(&emu, 250);
}

#[test]
fn unsettled_rows_are_not_resent_another_way() {
    let emu = emulator_with_fixtures(KEY_FIXTURES);
    let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 20, &contact, &[]);
    fails(
        import(&emu, &file).args([
            "--no-rate-limit",
            "--chunk-size",
            "10",
            "--interrupt-after-chunks",
            "1",
        ]),
        130,
    );
    // Rows created without their key would not be found by an upsert on it.
    let (_, stderr) = fails(
        import(&emu, &file).args(["--no-rate-limit", "--key-property", "import_key"]),
        1,
    );
    assert!(stderr.contains("without --key-property"), "{stderr}");
    assert_no_duplicates(&emu, 10);
}

/// Runs `cmd` to its end, polling the child's peak RSS (`VmHWM`, KiB) while it runs.
fn peak_rss_kib(mut cmd: std::process::Command) -> (std::process::Output, u64) {
    let mut child = cmd
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let status = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        let hwm = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.split_whitespace().next()?.parse::<u64>().ok())
        });
        peak = peak.max(hwm.unwrap_or(0));
        std::thread::sleep(Duration::from_millis(5));
    }
    (child.wait_with_output().unwrap(), peak)
}

#[test]
fn a_large_file_is_streamed_not_held_in_memory() {
    // 120,000 rows (16 MB) that are read, keyed and checked (each fails on its owner, so that
    // nothing is sent): holding them all, as a whole-file read does, takes hundreds of MB.
    let emu = emulator();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("big.csv");
    let mut text = String::from("timestamp,body,owner\n");
    for i in 0..120_000u64 {
        text.push_str(&format!(
            "{},\"Letter {i}: the signed contract for account {i:08}, received by post and scanned\",12x\n",
            1_700_000_000_000u64 + i * 1_000
        ));
    }
    std::fs::write(&file, text).unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_hubspot-postal"));
    cmd.env("HUBSPOT_ACCESS_TOKEN", TOKEN)
        .env_remove("HUBSPOT_BASE_URL")
        .args(["--base-url", &emu.base_url(), "import"])
        .arg(&file);
    let (out, peak_kib) = peak_rss_kib(cmd);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    assert!(stdout.contains("120000 rows: 0 created, 0 already imported, 120000 invalid"));
    assert!(peak_kib > 0, "VmHWM was read");
    assert!(
        peak_kib < 64 * 1024,
        "peak RSS {peak_kib} KiB for a 16 MB file"
    );
    assert!(emu.request_log().is_empty());
}

#[test]
fn the_state_file_is_appended_per_chunk_not_rewritten() {
    use std::os::unix::fs::MetadataExt;
    let faults: FaultPlan = format!("POST {BATCH_CREATE}: latency=150ms")
        .parse()
        .unwrap();
    let emu = emulator_with(EmulatorConfig::default().faults(faults));
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 60, "", &[]);
    let state = dir.path().join("letters.csv.state.json");
    // Stopped as a kill would after the fifth answer, so that no compaction ends the run.
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_hubspot-postal"))
        .env("HUBSPOT_ACCESS_TOKEN", TOKEN)
        .env_remove("HUBSPOT_BASE_URL")
        .args(["--base-url", &emu.base_url(), "--no-rate-limit", "import"])
        .arg(&file)
        .args(["--chunk-size", "10", "--interrupt-after-chunks", "5"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut seen: Vec<(u64, Vec<u8>)> = Vec::new();
    while child.try_wait().unwrap().is_none() {
        if let (Ok(meta), Ok(bytes)) = (std::fs::metadata(&state), std::fs::read(&state))
            && seen.last().is_none_or(|(_, last)| *last != bytes)
        {
            seen.push((meta.ino(), bytes));
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(seen.len() >= 3, "the state changed while the import ran");
    for pair in seen.windows(2) {
        let ((ino_a, a), (ino_b, b)) = (&pair[0], &pair[1]);
        assert_eq!(ino_a, ino_b, "the same file, not a new one renamed over it");
        assert!(b.starts_with(a), "appended to, not rewritten");
    }
    let records = read(&state).lines().count();
    assert!(records > 50, "a record per row and change: {records}");
    assert_eq!(with_status(&state, "done"), 40);
    assert_eq!(with_status(&state, "in_flight"), 10);
}

#[test]
fn a_key_property_that_does_not_exist_or_is_not_unique_stops_before_anything_is_sent() {
    let emu = emulator_with_fixtures(KEY_FIXTURES);
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 20, "", &[]);
    let (_, stderr) = fails(
        import(&emu, &file).args(["--no-rate-limit", "--key-property", "no_such_key"]),
        1,
    );
    assert!(
        stderr.contains("postal mail has no property no_such_key"),
        "{stderr}"
    );
    // A built-in property exists but its values are not unique.
    let (_, stderr) = fails(
        import(&emu, &file).args(["--no-rate-limit", "--key-property", "hs_postal_mail_body"]),
        1,
    );
    assert!(stderr.contains("does not have unique values"), "{stderr}");
    assert!(
        emu.request_log()
            .iter()
            .all(|r| r.method == "GET" && r.path.starts_with("/crm/v3/properties/postal_mail/")),
        "nothing but the property checks: {:?}",
        emu.request_log()
    );
    assert!(emu.postal_mails(false).is_empty());
    // The unique one is accepted, checked once, before the first upsert.
    ok(import(&emu, &file).args(["--no-rate-limit", "--key-property", "import_key"]));
    let log = emu.request_log();
    let check = log
        .iter()
        .position(|r| r.path == "/crm/v3/properties/postal_mail/import_key");
    let first_upsert = log.iter().position(|r| r.path == BATCH_UPSERT);
    assert!(check.is_some() && check < first_upsert, "{log:?}");
    assert_no_duplicates(&emu, 20);
}

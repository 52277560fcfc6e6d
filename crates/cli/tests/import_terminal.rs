//! `import` at a terminal, recorded: the binary runs under a pseudo-terminal (`script` from
//! util-linux), and the tests read the transcript of what it drew. The progress bar on stderr
//! whenever stderr is a terminal, its counts including earlier runs, rate and ETA, the
//! spinner and its word while reconciling or waiting out the rate limit (predicted, after a
//! 429 only the client's budget heard of, or while a shared budget on Redis holds it), and
//! Ctrl-C: a clean screen, the answer recorded, and how to resume.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::*;
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::{Budget, RateBudget, Slot};
use hubspot_postal_emulator::{BlockingEmulator, EmulatorConfig, FaultPlan, RateLimit};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};

const SLOW_CREATES: &str = "POST /crm/objects/2026-03/postal_mail/batch/create: latency=200ms";

fn write_csv(dir: &Path, n: usize) -> PathBuf {
    let mut text = String::from("timestamp,body\n");
    for i in 1..=n {
        text.push_str(&format!(
            "{},Letter {i}\n",
            1_700_000_000_000u64 + i as u64 * 60_000
        ));
    }
    let path = dir.join("letters.csv");
    std::fs::write(&path, text).unwrap();
    path
}

/// What a run under a terminal left: its exit code and everything it drew.
struct Transcript {
    code: Option<i32>,
    text: String,
}

impl Transcript {
    /// Each state of the line as drawn: the text between carriage returns, escapes removed.
    fn frames(&self) -> Vec<String> {
        self.text.split(['\r', '\n']).map(plain).collect()
    }

    /// What is left on the screen after the last line erase.
    fn after_last_erase(&self) -> String {
        let tail = self.text.rsplit("\x1b[2K").next().unwrap_or_default();
        plain(tail)
    }
}

/// `text` without ANSI escape sequences.
fn plain(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            // CSI: ESC [ parameters, then one final letter.
            if chars.next() == Some('[') {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        out.push(c);
    }
    out.trim().to_owned()
}

/// Runs `hubspot-postal ARGS > stdout_file` under a pseudo-terminal; types Ctrl-C once
/// `interrupt` says so.
fn at_terminal(
    emu: &BlockingEmulator,
    args: &str,
    stdout_file: &Path,
    interrupt: impl Fn() -> bool,
) -> Transcript {
    let command = format!(
        "{} --base-url {} {args} > {}",
        env!("CARGO_BIN_EXE_hubspot-postal"),
        emu.base_url(),
        stdout_file.display()
    );
    let mut script = Command::new("script")
        .args(["-qfec", &command, "/dev/null"])
        .env("HUBSPOT_ACCESS_TOKEN", TOKEN)
        .env("TERM", "xterm")
        .env_remove("HUBSPOT_BASE_URL")
        .env_remove("HUBSPOT_API_VERSION")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("script (util-linux) runs");
    let mut out = script.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = out.read_to_end(&mut bytes);
        bytes
    });
    let mut stdin = script.stdin.take();
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = script.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the import did not end");
        if stdin.is_some() && interrupt() {
            // What the terminal sends when Ctrl-C is typed.
            let mut s = stdin.take().unwrap();
            s.write_all(b"\x03").unwrap();
            s.flush().unwrap();
            std::mem::forget(s);
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let text = String::from_utf8_lossy(&reader.join().unwrap()).into_owned();
    Transcript {
        code: status.code(),
        text,
    }
}

fn import(emu: &BlockingEmulator, file: &Path) -> assert_cmd::Command {
    let mut cmd = cli(emu);
    cmd.arg("import").arg(file);
    cmd
}

/// An emulator whose batch creates take 200 ms (so that a bar gets drawn, and Ctrl-C typed,
/// while one is out), and a file of 300 rows in a folder of its own.
fn slow_import_of_300() -> (BlockingEmulator, tempfile::TempDir, PathBuf) {
    let emu =
        emulator_with(EmulatorConfig::default().faults(SLOW_CREATES.parse::<FaultPlan>().unwrap()));
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 300);
    (emu, dir, file)
}

/// An earlier run stopped as a kill would: 50 rows done, 50 in flight (written, their answer
/// unrecorded).
fn earlier_run_with_50_done_and_50_in_flight(emu: &BlockingEmulator, file: &Path) {
    fails(
        import(emu, file).args([
            "--no-rate-limit",
            "--chunk-size",
            "50",
            "--interrupt-after-chunks",
            "2",
        ]),
        130,
    );
}

fn creates(emu: &BlockingEmulator) -> usize {
    emu.request_log()
        .iter()
        .filter(|r| r.path.ends_with("/batch/create") && (200..300).contains(&r.status))
        .count()
}

#[test]
fn the_bar_counts_earlier_runs_and_says_when_it_reconciles_with_stdout_redirected() {
    let (emu, dir, file) = slow_import_of_300();
    // HubSpot's search shows them only after a while: reconciliation waits, and says so.
    // Set before the writes: the emulator hides only what was written under a lag (set
    // after them, the first search found every row and the word was on the bar for a few
    // milliseconds, drawn or not by chance). 3 s from the writes outlasts the earlier run's
    // end and this run's start on a loaded machine.
    emu.set_search_lag(Duration::from_secs(3));
    earlier_run_with_50_done_and_50_in_flight(&emu, &file);
    let stdout = dir.path().join("stdout.txt");
    let args = format!(
        "--no-rate-limit import {} --chunk-size 50 --reconcile-max-wait 10s",
        file.display()
    );
    let t = at_terminal(&emu, &args, &stdout, || false);
    assert_eq!(t.code, Some(0), "{}", t.text);
    let frames = t.frames();
    let drawn: Vec<&String> = frames.iter().filter(|f| f.contains("/300 rows")).collect();
    assert!(
        !drawn.is_empty(),
        "the bar is drawn on stderr: {:?}",
        t.text
    );
    // The first frame counts the rows the earlier run did.
    assert!(drawn[0].contains(" 50/300 rows"), "{drawn:?}");
    assert!(
        drawn
            .iter()
            .any(|f| f.contains("50/300 rows  reconciling 50 row(s)")),
        "a spinner and a word while reconciling: {drawn:?}"
    );
    assert!(
        drawn.iter().any(|f| f.contains("[")
            && f.contains("rows/s")
            && f.contains("ETA ")
            && !f.contains(" 50/300")),
        "bar, rate and ETA while sending: {drawn:?}"
    );
    // The summary went to stdout, the file; the screen is left clean.
    let summary = read(&stdout);
    assert!(
        summary.contains("300 rows: 200 created, 100 already imported"),
        "{summary}"
    );
    assert_eq!(t.after_last_erase(), "", "{:?}", t.text);
    // Without a terminal, nothing is drawn.
    let out = import(&emu, &file).arg("--no-rate-limit").output().unwrap();
    assert!(!String::from_utf8_lossy(&out.stderr).contains("rows/s"));
}

#[test]
fn waiting_out_the_rate_limit_shows_a_spinner_and_a_word() {
    let emu = emulator_with(
        EmulatorConfig::default().rate_limit(RateLimit::new(2, Duration::from_secs(1))),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 60);
    let stdout = dir.path().join("stdout.txt");
    let args = format!("import {} --chunk-size 10", file.display());
    let t = at_terminal(&emu, &args, &stdout, || false);
    assert_eq!(t.code, Some(0), "{}", t.text);
    assert!(
        t.frames()
            .iter()
            .any(|f| f.contains("/60 rows  waiting out the rate limit")),
        "{:?}",
        t.text
    );
    assert!(read(&stdout).contains("60 rows: 60 created"));
}

#[test]
fn a_429_the_import_could_not_predict_shows_a_spinner_and_a_word() {
    // A generous window (100 per second, which the client learns from the headers, so that
    // its own guess never predicts a wait) and batch creates refused with 429 at random:
    // only the client's budget hears of these waits.
    let faults = "POST /crm/objects/2026-03/postal_mail/batch/create: 429=0.5";
    let emu = emulator_with(
        EmulatorConfig::default()
            .rate_limit(RateLimit::new(100, Duration::from_secs(1)))
            .faults(faults.parse::<FaultPlan>().unwrap()),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = write_csv(dir.path(), 60);
    let stdout = dir.path().join("stdout.txt");
    let args = format!("import {} --chunk-size 10", file.display());
    let t = at_terminal(&emu, &args, &stdout, || false);
    assert_eq!(t.code, Some(0), "{}", t.text);
    let refused = emu
        .request_log()
        .iter()
        .filter(|r| r.path.ends_with("/batch/create") && r.status == 429)
        .count();
    assert!(refused > 0, "the emulator answered 429");
    assert!(
        t.frames()
            .iter()
            .any(|f| f.contains("/60 rows  waiting out the rate limit (HubSpot answered 429)")),
        "{:?}",
        t.text
    );
    assert!(read(&stdout).contains("60 rows: 60 created"));
}

#[test]
fn a_pause_another_process_put_on_the_shared_budget_shows_a_spinner_and_a_word() {
    if !hubspot_postal_test_redis::redis_available() {
        return;
    }
    let redis = hubspot_postal_test_redis::RedisServer::start();
    let (emu, dir, file) = slow_import_of_300();
    let stdout = dir.path().join("stdout.txt");
    let args = format!(
        "import {} --chunk-size 20 --redis-url {} --portal-key acme",
        file.display(),
        redis.url()
    );
    let t = std::thread::scope(|scope| {
        // Another service of the portal hears a 429 while the import sends: the shared budget
        // pauses every process of the portal for 2 s. This import got no 429 and sent too
        // little to predict a wait; only its budget makes it wait.
        scope.spawn(|| {
            let deadline = Instant::now() + Duration::from_secs(30);
            while creates(&emu) < 2 {
                assert!(
                    Instant::now() < deadline,
                    "the import did not start sending"
                );
                std::thread::sleep(Duration::from_millis(10));
            }
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let config = RedisBudgetConfig::new(redis.url(), "acme");
                let other = RedisBudget::connect(config).await.unwrap();
                other.report_rate_limited(
                    Slot::new(Budget::General, 1),
                    Some(&RateLimitPolicy::TenSecondlyRolling),
                    Some(Duration::from_secs(2)),
                );
                // The pause is written by a task of its own.
                tokio::time::sleep(Duration::from_millis(300)).await;
            });
        });
        at_terminal(&emu, &args, &stdout, || false)
    });
    assert_eq!(t.code, Some(0), "{}", t.text);
    assert!(
        emu.request_log().iter().all(|r| r.status != 429),
        "the import itself met no 429"
    );
    assert!(
        t.frames()
            .iter()
            .any(|f| f.ends_with("/300 rows  waiting out the rate limit")),
        "{:?}",
        t.text
    );
    assert!(read(&stdout).contains("300 rows: 300 created"));
}

#[test]
fn ctrl_c_records_the_answer_in_flight_leaves_the_screen_clean_and_says_how_to_resume() {
    let (emu, dir, file) = slow_import_of_300();
    let stdout = dir.path().join("stdout.txt");
    let args = format!("--no-rate-limit import {} --chunk-size 20", file.display());
    // Typed while the third request is out.
    let t = at_terminal(&emu, &args, &stdout, || {
        emu.request_log()
            .iter()
            .filter(|r| r.path.ends_with("/batch/create"))
            .count()
            >= 3
    });
    assert_eq!(t.code, Some(130), "{}", t.text);
    let frames = t.frames();
    assert!(
        frames.iter().any(|f| f.contains("/300 rows")),
        "{:?}",
        t.text
    );
    // The bar is erased; the last thing on the screen is the summary.
    let screen = t.after_last_erase();
    let done = creates(&emu) * 20;
    assert_eq!(
        screen,
        format!("interrupted after {done} of 300 rows; run the same command to resume"),
        "{:?}",
        t.text
    );
    assert!(
        done >= 60,
        "the answer to the request in flight was awaited"
    );
    // Every answer is recorded; nothing is left in flight, not even the chunks recorded
    // ahead and never sent.
    let state = read(&dir.path().join("letters.csv.state.json"));
    assert!(!state.lines().last().unwrap_or("").is_empty());
    let mut in_flight = std::collections::HashMap::new();
    for line in state.lines().skip(1) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if let Some(key) = v["key"].as_str() {
            in_flight.insert(key.to_owned(), v["status"] == "in_flight");
        }
    }
    assert_eq!(in_flight.values().filter(|f| **f).count(), 0, "{state}");
    // The same command resumes, without searching and without duplicates.
    emu.clear_log();
    let stdout = ok(import(&emu, &file).arg("--no-rate-limit"));
    assert!(
        stdout.contains(&format!(
            "300 rows: {} created, {done} already imported",
            300 - done
        )),
        "{stdout}"
    );
    assert!(
        emu.request_log()
            .iter()
            .all(|r| !r.path.ends_with("/search"))
    );
    assert_eq!(emu.postal_mails(false).len(), 300);
}

#[test]
fn ctrl_c_while_reconciling_stops_at_once_and_changes_nothing() {
    let (emu, dir, file) = slow_import_of_300();
    // Searches show no letter for a minute: the next run waits, searching again.
    emu.set_search_lag(Duration::from_secs(60));
    earlier_run_with_50_done_and_50_in_flight(&emu, &file);
    let state = dir.path().join("letters.csv.state.json");
    let before = read(&state);
    let stdout = dir.path().join("stdout.txt");
    let args = format!("--no-rate-limit import {} --chunk-size 50", file.display());
    let t = at_terminal(&emu, &args, &stdout, || {
        emu.request_log()
            .iter()
            .any(|r| r.path.ends_with("/search"))
    });
    assert_eq!(t.code, Some(130), "{}", t.text);
    assert_eq!(
        t.after_last_erase(),
        "interrupted after 50 of 300 rows; run the same command to resume",
        "{:?}",
        t.text
    );
    assert_eq!(
        read(&state),
        before,
        "the state is as the earlier run left it"
    );
}

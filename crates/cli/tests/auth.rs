//! The token: where it comes from, and that it never shows in any output.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::*;
use hubspot_postal_emulator::EmulatorConfig;

const WRONG: &str = "pat-na1-wrong-secret-value";

#[test]
fn a_wrong_token_fails_without_printing_the_token() {
    let emu = emulator_with(EmulatorConfig::default().tokens(vec!["right".into()]));
    for args in [
        vec!["list"],
        vec!["--verbose", "get", "1"],
        vec!["create", "--timestamp", "2021-11-12"],
    ] {
        let out = cli(&emu)
            .env("HUBSPOT_ACCESS_TOKEN", WRONG)
            .args(&args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !stdout.contains(WRONG) && !stderr.contains(WRONG),
            "{stderr}"
        );
        let last = stderr.trim_end().lines().last().unwrap_or_default();
        assert!(last.starts_with("error: "), "{stderr}");
        assert!(
            last.contains("401") && last.contains("INVALID_AUTHENTICATION"),
            "{last}"
        );
        assert!(last.contains("correlation id"), "{last}");
    }
}

#[test]
fn the_token_file_wins_over_the_environment() {
    let emu = emulator();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, format!("{TOKEN}\n")).unwrap();
    ok(cli(&emu).env("HUBSPOT_ACCESS_TOKEN", WRONG).args([
        "--token-file",
        file.to_str().unwrap(),
        "list",
    ]));

    let secret_file = dir.path().join("bad");
    std::fs::write(&secret_file, WRONG).unwrap();
    let (_, err) = fails(
        cli(&emu).env_remove("HUBSPOT_ACCESS_TOKEN").args([
            "-v",
            "--token-file",
            secret_file.to_str().unwrap(),
            "list",
        ]),
        1,
    );
    assert!(err.contains("401"), "{err}");
    assert!(!err.contains(WRONG), "{err}");
}

#[test]
fn no_token_says_how_to_give_one() {
    let emu = emulator();
    let (_, err) = fails(cli(&emu).env_remove("HUBSPOT_ACCESS_TOKEN").arg("list"), 1);
    assert!(
        err.contains("HUBSPOT_ACCESS_TOKEN") && err.contains("--token-file"),
        "{err}"
    );
    let (_, err) = fails(
        cli(&emu).env_remove("HUBSPOT_ACCESS_TOKEN").args([
            "--token-file",
            "/nonexistent/token",
            "list",
        ]),
        1,
    );
    assert!(err.contains("/nonexistent/token"), "{err}");
    assert!(emu.request_log().is_empty());
}

#[test]
fn verbose_output_never_shows_the_token_or_letter_text() {
    let emu = emulator();
    let out = cli(&emu)
        .args([
            "--verbose",
            "create",
            "--timestamp",
            "2021-11-12",
            "--body",
            "Private letter text",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HUBSPOT_ACCESS_TOKEN"), "{stderr}");
    assert!(!stderr.contains(TOKEN), "{stderr}");
    assert!(!stderr.contains("Private letter text"), "{stderr}");
}

/// The last stderr line, where the CLI's one-line error is.
fn error_line(stderr: &str) -> &str {
    stderr.trim_end().lines().last().unwrap_or_default()
}

#[test]
fn a_rejected_token_names_the_variable_or_file_it_came_from_not_its_value() {
    let emu = emulator_with(EmulatorConfig::default().tokens(vec!["right".into()]));
    let (_, err) = fails(cli(&emu).env("HUBSPOT_ACCESS_TOKEN", WRONG).arg("list"), 1);
    let line = error_line(&err);
    assert!(
        line.starts_with("error: list failed: HubSpot rejected the access token: HTTP 401"),
        "{line}"
    );
    assert!(
        line.ends_with("; the token came from the HUBSPOT_ACCESS_TOKEN environment variable"),
        "{line}"
    );
    // Never printed, not even redacted.
    assert!(!err.contains(WRONG) && !err.contains("<token>"), "{err}");

    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, WRONG).unwrap();
    let (_, err) = fails(
        cli(&emu).env("HUBSPOT_ACCESS_TOKEN", "right").args([
            "--token-file",
            file.to_str().unwrap(),
            "list",
        ]),
        1,
    );
    let line = error_line(&err);
    assert!(
        line.ends_with(&format!(
            "; the token came from the file {}",
            file.display()
        )),
        "{line}"
    );
    assert!(!err.contains(WRONG) && !err.contains("<token>"), "{err}");
}

#[test]
fn a_token_pasted_with_bearer_gets_a_hint_and_sends_nothing() {
    let emu = emulator();
    let (_, err) = fails(
        cli(&emu)
            .env("HUBSPOT_ACCESS_TOKEN", format!("Bearer {TOKEN}"))
            .arg("list"),
        1,
    );
    assert_eq!(
        error_line(&err),
        "error: the access token in the HUBSPOT_ACCESS_TOKEN environment variable starts with \
         \"Bearer \": give the token alone, without the \"Bearer \" prefix (the client adds it)"
    );
    assert!(!err.contains(TOKEN) && !err.contains("<token>"), "{err}");
    assert!(emu.request_log().is_empty());
}

//! Shared helpers: an emulator on a free port and the `hubspot-postal` binary pointed at it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use assert_cmd::Command;
use hubspot_postal_emulator::{BlockingEmulator, Emulator, EmulatorConfig, Fixtures};
use serde_json::Value;

/// The token every test emulator accepts unless a test says otherwise.
pub const TOKEN: &str = "pat-cli-test-token";

/// Starts an emulator that accepts [`TOKEN`].
pub fn emulator() -> BlockingEmulator {
    emulator_with(EmulatorConfig::default())
}

/// Starts an emulator with `config`, accepting [`TOKEN`].
pub fn emulator_with(config: EmulatorConfig) -> BlockingEmulator {
    Emulator::start_blocking(config.tokens(vec![TOKEN.into()])).expect("emulator starts")
}

/// Starts an emulator with fixtures (custom properties, labels) given as JSON.
pub fn emulator_with_fixtures(json: &str) -> BlockingEmulator {
    emulator_with(
        EmulatorConfig::default().fixtures(Fixtures::from_json_str(json).expect("fixtures parse")),
    )
}

/// Starts an emulator with fixtures given as JSON that accepts any non-empty token, for
/// commands that bring their own (the docs' `HUBSPOT_ACCESS_TOKEN=pat-local …`).
pub fn emulator_open_with_fixtures(json: &str) -> BlockingEmulator {
    let fixtures = Fixtures::from_json_str(json).expect("fixtures parse");
    Emulator::start_blocking(EmulatorConfig::default().fixtures(fixtures)).expect("emulator starts")
}

/// The binary, with the test token and the emulator's base URL, and nothing inherited that
/// could point it elsewhere.
pub fn cli(emu: &BlockingEmulator) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_hubspot-postal"));
    cmd.env("HUBSPOT_ACCESS_TOKEN", TOKEN)
        .env_remove("HUBSPOT_BASE_URL")
        .env_remove("HUBSPOT_API_VERSION")
        .arg("--base-url")
        .arg(emu.base_url());
    cmd
}

/// Runs the binary, expects success, returns stdout.
pub fn ok(cmd: &mut Command) -> String {
    let out = cmd.output().expect("binary runs");
    assert!(
        out.status.success(),
        "expected success, got {:?}\nstdout: {}\nstderr: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 stdout")
}

/// Runs the binary, expects the exit code `code`, returns (stdout, stderr).
pub fn fails(cmd: &mut Command, code: i32) -> (String, String) {
    let out = cmd.output().expect("binary runs");
    assert_eq!(
        out.status.code(),
        Some(code),
        "stdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

/// A property of a stored object.
pub fn prop(record: &Value, name: &str) -> Option<String> {
    record["properties"][name].as_str().map(str::to_owned)
}

/// Whether the emulator holds an association between the postal mail and the record.
pub fn associated(emu: &BlockingEmulator, postal_mail: &str, object_type: &str, id: &str) -> bool {
    let state = emu.state();
    state["associations"]
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

/// Reads a file to a string.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("file reads")
}

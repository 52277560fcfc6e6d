//! P7. The CLI's streaming import.
//!
//! `cargo bench -p hubspot-postal-bench --bench p7_import_stream`
//! (the full size: `P7_ROWS=376079`, a 50 MB CSV)
//!
//! Runs the real `hubspot-postal import` binary (built with `cargo build --release` first,
//! or the one `P7_CLI` names) as a child process against an emulator in this process:
//!
//! 1. **unlimited emulator** (`--no-rate-limit`), a generated CSV of `P7_ROWS` rows (default
//!    100,000, 13 MB; about 133 bytes a row, so 376,079 rows are 50 MB):
//!    - peak RSS of the child, from `VmHWM` in `/proc/<pid>/status`, polled while it runs
//!      (target <= 64 MiB);
//!    - time to first request: the emulator's log time of the first batch create, from the
//!      spawn (target <= 1 s);
//!    - rows/s against the baseline measured in the same run on the same emulator (reset in
//!      between): a bare loop of `Client::batch_create` calls, 100 inputs each, one at a
//!      time, of the same inputs already in memory and already split into requests, each
//!      moved into its call (target >= 0.9 x);
//! 2. **emulator limited to 10 requests per rolling second**, `P7_LIMITED_ROWS` rows
//!    (default 10,000: 100 requests), the CLI's default limiter (which learns the window from
//!    the emulator's headers): wall against the exact floor, as in P3: (requests - 1) / 10 s
//!    plus one request's time (the bare loop's median), target <= 1.10 x.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use hubspot_postal::model::attachments::AttachmentIds;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::ids::OwnerId;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Client, RateLimiter};
use hubspot_postal_bench::{Goal, median, print_header, verdict};
use hubspot_postal_emulator::{BlockingEmulator, Emulator, EmulatorConfig, RateLimit};

const TOKEN: &str = "pat-na1-bench";
/// The batch create path the import sends to: the table's, in the client's default version.
fn batch_create_path() -> &'static str {
    hubspot_postal::model::endpoints::BATCH_CREATE
        .template(hubspot_postal::model::endpoints::ApiVersion::DEFAULT)
        .expect("batch create is in the default version")
}
const PER_REQUEST: usize = 100;
const LIMIT: u32 = 10;
const WINDOW: Duration = Duration::from_secs(1);
const PEAK_TARGET_MIB: f64 = 64.0;
const FIRST_REQUEST_TARGET: Duration = Duration::from_secs(1);
const RATE_TARGET: f64 = 0.9;
const FLOOR_TARGET: f64 = 1.10;
const OWNER: &str = "9274996";

fn env_rows(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Row `i`: its epoch-millisecond timestamp, body and attachments.
fn row(i: usize) -> (u64, String, String) {
    (
        1_700_000_000_000 + i as u64 * 1_000,
        format!(
            "Letter {i}: the signed contract for account {i:08}, received by post and scanned on arrival"
        ),
        format!("{};{}", 10 + i, 20 + i),
    )
}

fn write_csv(path: &Path, rows: usize) -> u64 {
    let mut w = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    writeln!(w, "timestamp,body,owner,attachments").unwrap();
    for i in 1..=rows {
        let (t, body, files) = row(i);
        writeln!(w, "{t},\"{body}\",{OWNER},{files}").unwrap();
    }
    w.flush().unwrap();
    std::fs::metadata(path).unwrap().len()
}

fn inputs(rows: usize) -> Vec<CreatePostalMail> {
    (1..=rows)
        .map(|i| {
            let (t, body, files) = row(i);
            CreatePostalMail::new(Timestamp::from_epoch_millis(t as i64).unwrap())
                .body(body)
                .owner(OwnerId::new(OWNER).unwrap())
                .attachments(files.parse::<AttachmentIds>().unwrap())
                .trace_id(format!("import-{i}"))
        })
        .collect()
}

/// The CLI binary: `P7_CLI`, or the release build next to this bench's own target folder.
fn cli_binary() -> PathBuf {
    if let Some(path) = std::env::var_os("P7_CLI") {
        return PathBuf::from(path);
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args([
            "build",
            "--release",
            "-p",
            "hubspot-postal-cli",
            "--bin",
            "hubspot-postal",
        ])
        .status()
        .unwrap();
    assert!(status.success(), "building the CLI failed");
    // target/release/deps/p7_import_stream-<hash> -> target/release/hubspot-postal
    let exe = std::env::current_exe().unwrap();
    exe.parent()
        .and_then(Path::parent)
        .unwrap()
        .join("hubspot-postal")
}

struct Run {
    wall: Duration,
    peak_kib: u64,
    first_request: Option<Duration>,
    /// From the spawn to the last batch request's arrival.
    last_request: Option<Duration>,
    stdout: String,
}

fn vm_hwm_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix("VmHWM:")?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

fn import(cli: &Path, emu: &BlockingEmulator, file: &Path, unlimited: bool) -> Run {
    let _ = std::fs::remove_file(with_suffix(file, ".state.json"));
    let _ = std::fs::remove_file(with_suffix(file, ".report.csv"));
    let mut cmd = Command::new(cli);
    cmd.env("HUBSPOT_ACCESS_TOKEN", TOKEN)
        .env_remove("HUBSPOT_BASE_URL")
        .args(["--base-url", &emu.base_url()]);
    if unlimited {
        cmd.arg("--no-rate-limit");
    }
    cmd.arg("import")
        .arg(file)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = cmd.spawn().unwrap();
    let pid = child.id();
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Some(kib) = vm_hwm_kib(pid) {
            peak = peak.max(kib);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let wall = started.elapsed();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "import failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = emu.request_log();
    let arrivals = || {
        log.iter()
            .filter(|r| r.path == batch_create_path())
            .map(|r| r.at)
    };
    let first_request = arrivals()
        .min()
        .map(|at| at.saturating_duration_since(started));
    let last_request = arrivals()
        .max()
        .map(|at| at.saturating_duration_since(started));
    Run {
        wall,
        peak_kib: peak,
        first_request,
        last_request,
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
    }
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn main() {
    print_header("P7 streaming import: the CLI against a bare batch_create loop");
    let rows = env_rows("P7_ROWS", 100_000);
    let limited_rows = env_rows("P7_LIMITED_ROWS", 10_000);
    let cli = cli_binary();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("letters.csv");
    let bytes = write_csv(&file, rows);
    println!(
        "{rows} rows, {:.1} MB of CSV; CLI {}",
        bytes as f64 / 1e6,
        cli.display()
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();

    // 1. Unlimited: the bare loop, then the import, on the same emulator.
    let emu = Emulator::start_blocking(EmulatorConfig::default()).unwrap();
    let client = Client::builder()
        .token(TOKEN)
        .base_url(emu.base_url())
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    // In requests already, so that the loop does nothing but send them (a copy of each
    // input per request, as `chunks(..).to_vec()` makes, is work neither side needs).
    let mut all = inputs(rows).into_iter();
    let requests: Vec<Vec<CreatePostalMail>> = std::iter::from_fn(|| {
        let chunk: Vec<CreatePostalMail> = all.by_ref().take(PER_REQUEST).collect();
        (!chunk.is_empty()).then_some(chunk)
    })
    .collect();
    let (bare, per_request) = rt.block_on(async {
        let mut times = Vec::new();
        let started = Instant::now();
        for chunk in requests {
            let t = Instant::now();
            let outcome = client.batch_create(chunk).await.unwrap();
            times.push(t.elapsed().as_secs_f64());
            assert!(outcome.is_success());
        }
        (started.elapsed(), median(&mut times))
    });
    emu.reset();
    let run = import(&cli, &emu, &file, true);
    let expected = format!("{rows} rows: {rows} created");
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    let peak_mib = run.peak_kib as f64 / 1024.0;
    let bare_rate = rows as f64 / bare.as_secs_f64();
    let import_rate = rows as f64 / run.wall.as_secs_f64();
    println!(
        "bare batch_create loop: {rows} rows in {:.3} s = {bare_rate:.0} rows/s (one request: {:.1} ms median)",
        bare.as_secs_f64(),
        per_request * 1e3
    );
    let ms = |d: Option<Duration>| d.map_or(f64::NAN, |d| d.as_secs_f64() * 1e3);
    println!(
        "import: {rows} rows in {:.3} s = {import_rate:.0} rows/s; peak RSS {peak_mib:.1} MiB; requests from {:.0} ms to {:.0} ms after the spawn",
        run.wall.as_secs_f64(),
        ms(run.first_request),
        ms(run.last_request),
    );
    let mut all_met = verdict(
        "P7 import rows/s / bare loop rows/s",
        import_rate / bare_rate,
        Goal::AtLeast,
        RATE_TARGET,
    );
    let peak_ok = peak_mib <= PEAK_TARGET_MIB;
    println!(
        "RESULT P7 peak RSS: {peak_mib:.1} MiB (target <= {PEAK_TARGET_MIB} MiB): {}",
        if peak_ok { "MET" } else { "MISSED" }
    );
    let first_ok = run.first_request.is_some_and(|d| d <= FIRST_REQUEST_TARGET);
    println!(
        "RESULT P7 first request: {} ms (target <= {} ms): {}",
        run.first_request
            .map_or("none".to_owned(), |d| d.as_millis().to_string()),
        FIRST_REQUEST_TARGET.as_millis(),
        if first_ok { "MET" } else { "MISSED" }
    );
    all_met &= peak_ok && first_ok;
    drop(emu);

    // 2. Limited to 10 requests per rolling second.
    let small = dir.path().join("limited.csv");
    write_csv(&small, limited_rows);
    let emu = Emulator::start_blocking(
        EmulatorConfig::default().rate_limit(RateLimit::new(LIMIT, WINDOW)),
    )
    .unwrap();
    let run = import(&cli, &emu, &small, false);
    let requests = limited_rows.div_ceil(PER_REQUEST);
    let floor = ((requests - 1) / LIMIT as usize) as f64 * WINDOW.as_secs_f64() + per_request;
    println!(
        "limited import: {limited_rows} rows over {requests} requests in {:.3} s; exact floor {floor:.3} s; {} answered 429",
        run.wall.as_secs_f64(),
        emu.count_status(429)
    );
    all_met &= verdict(
        "P7 limited import wall / exact floor",
        run.wall.as_secs_f64() / floor,
        Goal::AtMost,
        FLOOR_TARGET,
    );
    println!(
        "P7 summary: {}",
        if all_met {
            "every target met"
        } else {
            "a target was missed"
        }
    );
}

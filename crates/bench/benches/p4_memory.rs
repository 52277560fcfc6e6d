//! P4. Memory while streaming a listing.
//!
//! `cargo bench -p hubspot-postal-bench --bench p4_memory`
//!
//! Streams `list_all(ListOptions::new().limit(100))` over 10,000 and then 100,000 postal mails
//! and reports the client process's peak RSS for each, and their ratio (target <= 1.2: memory
//! stays flat however many records there are).
//!
//! The emulator holding the records is not in the measured process: this binary re-executes
//! itself (`--serve-emulator N`) as a child that starts an emulator, seeds N postal mails,
//! prints its base URL and serves until its stdin closes. The parent builds its client and
//! fetches one page (so lazy one-time set-up is not counted), resets its peak RSS by writing
//! `5` to `/proc/self/clear_refs`, streams every record, and reads `VmHWM` from
//! `/proc/self/status`. Where the reset is refused (or with `P4_CHILD=1`), each listing runs in
//! a child of its own (`--list URL`) that reports its own `VmHWM`. Arguments cargo passes (`--bench`) are ignored.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)] // a benchmark: a panic is the report

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::time::Instant;

use futures::TryStreamExt;
use hubspot_postal::{Client, ListOptions, RateLimiter};
use hubspot_postal_bench::{Goal, print_header, proc_status_kib, reset_peak_rss, verdict};
use hubspot_postal_emulator::{Emulator, EmulatorConfig};

const SIZES: [usize; 2] = [10_000, 100_000];
const TARGET: f64 = 1.2;
const TOKEN: &str = "pat-na1-bench";

fn arg_after(args: &[String], flag: &str) -> Option<String> {
    let at = args.iter().position(|a| a == flag)?;
    args.get(at + 1).cloned()
}

/// Child mode: an emulator with `n` postal mails until stdin closes.
fn serve_emulator(n: usize) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let emu = Emulator::start(EmulatorConfig::default()).await.unwrap();
        emu.seed_postal_mails(n, "Signed contract received by post");
        let mut out = std::io::stdout();
        writeln!(out, "{}", emu.base_url()).unwrap();
        out.flush().unwrap();
        // Serve until the parent closes our stdin (or dies).
        tokio::task::spawn_blocking(|| {
            let _ = std::io::stdin().read_to_end(&mut Vec::new());
        })
        .await
        .unwrap();
        drop(emu);
    });
}

fn spawn_emulator(n: usize) -> (Child, String) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--serve-emulator", &n.to_string()])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout: ChildStdout = child.stdout.take().unwrap();
    let mut line = String::new();
    BufReader::new(stdout).read_line(&mut line).unwrap();
    (child, line.trim().to_owned())
}

fn stop(mut child: Child) {
    drop(child.stdin.take());
    let _ = child.wait();
}

fn client(rt: &tokio::runtime::Runtime, base: &str) -> Client {
    let client = Client::builder()
        .token(TOKEN)
        .base_url(base)
        .rate_limiter(RateLimiter::unlimited())
        .build()
        .unwrap();
    // One page first: TLS roots, the connection pool and other lazy set-up are not the
    // listing's memory.
    rt.block_on(client.list_page(&ListOptions::new().limit(100)))
        .unwrap();
    client
}

/// Streams every record; returns (records, seconds).
fn list_all(rt: &tokio::runtime::Runtime, client: &Client) -> (usize, f64) {
    let t = Instant::now();
    let n = rt.block_on(async {
        let mut stream = client.list_all(ListOptions::new().limit(100));
        let mut n = 0usize;
        while let Some(letter) = stream.try_next().await.unwrap() {
            std::hint::black_box(&letter);
            n += 1;
        }
        n
    });
    (n, t.elapsed().as_secs_f64())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

struct Measured {
    records: usize,
    secs: f64,
    rss_before_kib: u64,
    peak_kib: u64,
}

/// Child mode for the fallback: list `base` once and print `records secs before peak`.
fn list_child(base: &str) {
    let rt = runtime();
    let client = client(&rt, base);
    let before = proc_status_kib("VmRSS").unwrap_or(0);
    let (records, secs) = list_all(&rt, &client);
    let peak = proc_status_kib("VmHWM").unwrap_or(0);
    println!("{records} {secs} {before} {peak}");
}

fn measure_in_child(base: &str) -> Measured {
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["--list", base])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    Measured {
        records: f[0].parse().unwrap(),
        secs: f[1].parse().unwrap(),
        rss_before_kib: f[2].parse().unwrap(),
        peak_kib: f[3].parse().unwrap(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(n) = arg_after(&args, "--serve-emulator") {
        serve_emulator(n.parse().unwrap());
        return;
    }
    if let Some(base) = arg_after(&args, "--list") {
        list_child(&base);
        return;
    }

    print_header("P4 peak RSS while streaming list_all(limit 100)");
    let rt = runtime();
    // `P4_CHILD=1` forces the child-per-listing way, to cross-check the in-process numbers.
    let in_process = std::env::var_os("P4_CHILD").is_none() && reset_peak_rss();
    println!(
        "peak RSS measured {}",
        if in_process {
            "in this process, reset with /proc/self/clear_refs before each listing"
        } else {
            "in a child process per listing (P4_CHILD set, or /proc/self/clear_refs refused)"
        }
    );
    let mut results = Vec::new();
    for n in SIZES {
        let (emu, base) = spawn_emulator(n);
        let m = if in_process {
            let client = client(&rt, &base);
            assert!(reset_peak_rss());
            let before = proc_status_kib("VmRSS").unwrap_or(0);
            let (records, secs) = list_all(&rt, &client);
            Measured {
                records,
                secs,
                rss_before_kib: before,
                peak_kib: proc_status_kib("VmHWM").unwrap_or(0),
            }
        } else {
            measure_in_child(&base)
        };
        stop(emu);
        assert_eq!(m.records, n, "the listing must see every record");
        println!(
            "{n:>7} records: streamed in {:.2} s ({:.0} records/s); RSS before {:.1} MiB, peak {:.1} MiB (growth {:.1} MiB)",
            m.secs,
            m.records as f64 / m.secs,
            m.rss_before_kib as f64 / 1024.0,
            m.peak_kib as f64 / 1024.0,
            (m.peak_kib.saturating_sub(m.rss_before_kib)) as f64 / 1024.0,
        );
        results.push(m);
    }
    let ratio = results[1].peak_kib as f64 / results[0].peak_kib as f64;
    println!(
        "peak RSS 100,000 / 10,000 records: {:.1} MiB / {:.1} MiB",
        results[1].peak_kib as f64 / 1024.0,
        results[0].peak_kib as f64 / 1024.0
    );
    verdict("P4 peak RSS 100k/10k", ratio, Goal::AtMost, TARGET);
}

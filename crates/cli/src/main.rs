//! `hubspot-postal`: HubSpot CRM postal mail from the command line. Log, read, list, update
//! and delete letters, associate and pin them, search them, import them in bulk from CSV or
//! JSON lines (resumably, without duplicates), and serve the local emulator.
//!
//! Usage is documented in `docs/cli.md`. Errors print on one line (`error: …`, with HubSpot's
//! category and correlation id) and never include the access token.
#![forbid(unsafe_code)]

mod api_args;
mod args;
mod auth;
mod commands;
mod connect;
mod error;
mod import;
mod output;
mod rate_waits;
mod timestamp_arg;

use std::process::ExitCode;

use crate::args::Cli;

/// What `-v` shows when `RUST_LOG` does not say otherwise.
const VERBOSE_FILTER: &str =
    "hubspot_postal=debug,hubspot_postal_http=debug,hubspot_postal_cli=debug";

/// Logs to stderr, filtered by `RUST_LOG` when it is set (the usual Rust convention), else by
/// [`VERBOSE_FILTER`]. The client's spans carry operation names and path templates, never the
/// token, the URL's query or letter text, so any level is safe to show.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(VERBOSE_FILTER));
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_env_filter(filter)
        .try_init();
}

fn main() -> ExitCode {
    let cli = Cli::parse_from_args(std::env::args_os()).unwrap_or_else(|e| e.exit());
    if cli.global.verbose || std::env::var_os("RUST_LOG").is_some() {
        init_tracing();
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut token = None;
    let mut stdout = std::io::stdout().lock();
    let result = runtime.block_on(commands::run(cli, &mut token, &mut stdout));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", output::error_line(&e, token.as_ref()));
            ExitCode::from(e.exit_code())
        }
    }
}

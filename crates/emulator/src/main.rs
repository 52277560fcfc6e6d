//! `hubspot-postal-emulator`: a local HubSpot on the command line.
#![forbid(unsafe_code)]

use clap::Parser;
use hubspot_postal_emulator::{ServeArgs, serve_config};

/// A local HubSpot CRM emulator for postal mail engagements.
#[derive(Debug, Parser)]
#[command(name = "hubspot-postal-emulator", version, about)]
struct Cli {
    #[command(flatten)]
    serve: ServeArgs,
    /// Print one line per request on stderr (method, path, status, injected fault; never a
    /// header or a body).
    #[arg(long, short)]
    verbose: bool,
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let config = match cli.serve.to_config() {
        Ok(config) => config.log_requests(cli.verbose),
        Err(e) => {
            eprintln!("error: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(serve_config(config)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

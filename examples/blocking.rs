//! The blocking client, through what only it has: three plain threads log six letters at once
//! through clones of one client, the list iterator fetches pages of two as the loop advances,
//! one batch read returns them all, a call to a server that never answers gives up at its
//! timeout, a call from inside an async runtime is refused with an error, and one batch
//! archive cleans up. No async runtime runs in this program; the client keeps its own on a
//! background thread.
//!
//! ```text
//! cargo run --example blocking                         # against the embedded emulator
//! HUBSPOT_ACCESS_TOKEN=pat-… HUBSPOT_CONTACT_ID=… HUBSPOT_COMPANY_ID=… \
//!     cargo run --example blocking                     # against your HubSpot portal
//! hubspot-postal emulator --port 8089 --fixtures crates/emulator/fixtures/example.json &
//! HUBSPOT_ACCESS_TOKEN=any HUBSPOT_BASE_URL=http://127.0.0.1:8089 \
//!     HUBSPOT_CONTACT_ID=501 HUBSPOT_COMPANY_ID=601 \
//!     cargo run --example blocking                     # against a standalone emulator
//! ```
//!
//! The story itself is `hubspot_postal_examples::blocking::story`, where tests run it too;
//! `hubspot_postal_examples::target` says how the environment picks where it runs.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use hubspot_postal_examples::blocking;
use hubspot_postal_examples::target::Target;

fn main() -> ExitCode {
    let mut out = std::io::stdout();
    let result = Target::from_env().and_then(|target| blocking::run(target, &mut out).map(|_| ()));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The error's Display carries HubSpot's category and correlation id.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

//! The same story as `quickstart`, with the blocking client: no async runtime anywhere.
//!
//! ```text
//! cargo run --example blocking                         # against the embedded emulator
//! HUBSPOT_ACCESS_TOKEN=pat-… HUBSPOT_CONTACT_ID=… HUBSPOT_COMPANY_ID=… \
//!     cargo run --example blocking                     # against your HubSpot portal
//! ```
//!
//! The story itself is `hubspot_postal_examples::blocking::story`, where tests run it too.
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

//! The quickstart, with the async client: log a letter received from a contact, read it,
//! list, update, associate, pin, dissociate, search and delete it, printing a timeline.
//!
//! ```text
//! cargo run --example quickstart                       # against the embedded emulator
//! HUBSPOT_ACCESS_TOKEN=pat-… HUBSPOT_CONTACT_ID=… HUBSPOT_COMPANY_ID=… \
//!     cargo run --example quickstart                   # against your HubSpot portal
//! hubspot-postal emulator --port 8089 --fixtures crates/emulator/fixtures/example.json &
//! HUBSPOT_ACCESS_TOKEN=any HUBSPOT_BASE_URL=http://127.0.0.1:8089 \
//!     HUBSPOT_CONTACT_ID=501 HUBSPOT_COMPANY_ID=601 \
//!     cargo run --example quickstart                   # against a standalone emulator
//! ```
//!
//! With `HUBSPOT_BASE_URL`, the story runs on that emulator, which keeps what it did:
//! `hubspot-postal list --archived` shows the letter it ended by deleting, and
//! `curl http://127.0.0.1:8089/__emulator/requests` every request it made.
//!
//! The story itself is `hubspot_postal_examples::quickstart::story`, where tests run it too;
//! `hubspot_postal_examples::target` says how the environment picks where it runs.
#![forbid(unsafe_code)]

use std::process::ExitCode;

use hubspot_postal_examples::quickstart;
use hubspot_postal_examples::target::Target;

#[tokio::main]
async fn main() -> ExitCode {
    let mut out = std::io::stdout();
    let result = match Target::from_env() {
        Ok(target) => quickstart::run(target, &mut out).await.map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // The error's Display carries HubSpot's category and correlation id.
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

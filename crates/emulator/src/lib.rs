//! A local HubSpot for the postal mail client: the CRM objects API for postal mail, contacts,
//! companies, deals and tickets in every API version of the model's endpoint table (`v3` and
//! the date-based `2025-09` to `2026-09-beta`, with merge, GDPR delete and required-property
//! enforcement where a version has them), associations (v3 and v4, labels), pins, search (with an
//! optional index lag), batch endpoints, authentication, HubSpot's rate limits, and seeded
//! fault injection, including hostile answers to requests it has applied (any 5xx, proxy HTML,
//! undecodable or drifted 2xx bodies, reordered or incomplete batch results, absurd rate-limit
//! headers).
//!
//! Start one per test on a free port and point the client at [`EmulatorHandle::base_url`]:
//!
//! ```no_run
//! # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
//! use hubspot_postal_emulator::{Emulator, EmulatorConfig, FaultPlan};
//!
//! let emu = Emulator::start(EmulatorConfig::default().tokens(vec!["pat-test".into()])).await?;
//! let contact = emu.seed_record("contacts", [("firstname", "Ada")]);
//! // ... run the client against emu.base_url() ...
//! assert_eq!(emu.count_status(500), 0);
//! emu.set_faults("POST /crm/v3/objects/postal_mail: apply-drop=1".parse::<FaultPlan>()?);
//! # let _ = contact;
//! # Ok(()) }
//! ```
//!
//! Behaviour follows HubSpot's public documentation: the
//! [postal mail guide](https://developers.hubspot.com/docs/api-reference/legacy/crm/activities/postal-mail/guide),
//! [using the object APIs](https://developers.hubspot.com/docs/api-reference/latest/crm/using-object-apis),
//! [CRM search](https://developers.hubspot.com/docs/api-reference/legacy/crm/search-the-crm),
//! [associations](https://developers.hubspot.com/docs/api-reference/latest/crm/associations/associate-records/guide),
//! [error handling](https://developers.hubspot.com/docs/api-reference/error-handling) and the
//! [API usage guidelines](https://developers.hubspot.com/docs/api/usage-details). Where those
//! pages leave a fact open, the choice made is listed in `docs/emulator.md` (the fidelity
//! table). Do not use this crate as evidence of HubSpot's behaviour for those rows. The
//! source keys in comments (`G-PM`, `G-OBJ`, `G-SEARCH`, `S-PM3`, …) are listed with their
//! public addresses in `docs/emulator.md` (Sources).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(feature = "cli")]
mod cli;
mod clock;
mod config;
mod errors;
mod faults;
mod fixtures;
mod hostile;
mod middleware;
mod query;
mod rate_limit;
mod render;
mod routes;
mod schema;
mod search;
mod server;
mod state;
mod store;
mod writes;

#[cfg(feature = "cli")]
pub use cli::{ServeArgs, serve, serve_config};
pub use config::{EmulatorConfig, RateLimit, parse_duration};
pub use errors::EmulatorError;
pub use faults::{FaultAction, FaultPlan, FaultRule};
pub use fixtures::Fixtures;
pub use server::{BlockingEmulator, Emulator, EmulatorHandle, SeedValue};
pub use state::LoggedRequest;

//! A local HubSpot for the postal mail client: the CRM objects API for postal mail, contacts,
//! companies, deals and tickets, associations (v3 and v4, labels), pins, search, batch
//! endpoints, authentication, HubSpot's rate limits and seeded fault injection.
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
//! Behaviour follows `shared/hubspot-api.md`; where that reference marks a fact UNCONFIRMED,
//! the choice made is listed in `docs/emulator.md` (the fidelity table). Do not use this crate
//! as evidence of HubSpot's behaviour for those rows.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod cli;
mod clock;
mod config;
mod errors;
mod faults;
mod fixtures;
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

pub use cli::{ServeArgs, serve};
pub use config::{EmulatorConfig, RateLimit, parse_duration};
pub use errors::EmulatorError;
pub use faults::{FaultAction, FaultPlan, FaultRule};
pub use fixtures::Fixtures;
pub use server::{BlockingEmulator, Emulator, EmulatorHandle, SeedValue};
pub use state::LoggedRequest;

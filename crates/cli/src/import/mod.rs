//! `import FILE`: letters from a CSV or JSON lines file, created in batches, resumable
//! without duplicates.
//!
//! - [`reader`] reads rows; [`row`] checks each and gives it a stable key;
//! - [`state`] records per key what was sent and created, atomically and durably, around
//!   every chunk;
//! - [`send`] sends a chunk (batch create, or batch upsert with `--key-property`) and says
//!   what became of each row, keeping every "may have been applied" as such;
//! - [`reconcile`] finds in HubSpot the rows an interrupted run left unsettled, searching
//!   again while HubSpot's search index catches up;
//! - [`report`] lists every row that was not created, and why;
//! - [`run`] ties them together and prints the summary.
//!
//! The design and its limits are documented for users in `docs/cli.md`.

mod reader;
mod reconcile;
mod report;
mod row;
mod run;
mod send;
mod state;

pub use run::run;

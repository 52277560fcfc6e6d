//! `import FILE`: letters from a CSV or JSON lines file, created in batches, resumable
//! without duplicates, streamed: memory does not grow with the file.
//!
//! - [`reader`] reads rows one at a time, lending each one's [`fields`] in its own buffer;
//!   [`row`] checks each and gives it a stable key;
//! - [`scan`] reads the file through once before anything is sent: it must be readable to its
//!   end, and the rows an earlier run left unsettled are picked out;
//! - [`key_property`] checks `--key-property` in HubSpot before anything is sent;
//! - [`state`] records per key what was sent and created, in an append-only log synced
//!   around every chunk ([`log_line`] writes its two per-row records);
//! - [`pipeline`] sends the rows of the second pass chunk by chunk, reading and checking them
//!   ([`feed`]) while each request is out;
//! - [`send`] sends a chunk (batch create, or batch upsert with `--key-property`) and says
//!   what became of each row, keeping every "may have been applied" as such;
//! - [`reconcile`] finds in HubSpot the rows an interrupted run left unsettled, searching
//!   again while HubSpot's search index catches up;
//! - [`report`] lists every row that was not created, and why; [`counts`] sums them up;
//! - [`progress`] draws the bar when stderr is a terminal;
//! - [`run`] ties them together, handles Ctrl-C and prints the summary.
//!
//! The design and its limits are documented for users in `docs/cli.md`.

mod counts;
mod feed;
mod fields;
mod key_property;
mod log_line;
mod pipeline;
mod progress;
mod reader;
mod reconcile;
mod report;
mod row;
mod run;
mod scan;
mod send;
mod state;

pub use run::run;

//! The stories the examples tell, as library code so that tests can run them.
//!
//! - [`quickstart`] (`examples/quickstart.rs`), the async client: a letter received from a
//!   contact is logged, read back, listed, updated, associated with a company (by v3 type id
//!   and by v4 label), pinned on the contact, dissociated from the company, found by search,
//!   and moved to the recycling bin;
//! - [`blocking`] (`examples/blocking.rs`), what is particular to the blocking client: plain
//!   threads sharing one client, the page iterator, a batch read, the per-call timeout, and
//!   the refusal to block inside an async runtime;
//! - [`target`]: HubSpot (or the URL in `HUBSPOT_BASE_URL`) when `HUBSPOT_ACCESS_TOKEN` is set,
//!   else the embedded emulator;
//! - [`letter`] and [`timeline`]: what the stories write and how they print it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod blocking;
pub mod error;
pub mod letter;
pub mod quickstart;
pub mod target;
pub mod timeline;

pub use error::StoryError;

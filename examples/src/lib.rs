//! The story the examples tell, as library code so that tests can run it: a letter received
//! from a contact is logged, read back, listed, updated, associated with a company (by v3
//! type id and by v4 label), pinned on the contact, dissociated from the company, found by
//! search, and moved to the recycling bin.
//!
//! - [`quickstart`]: the async client (`examples/quickstart.rs`);
//! - [`blocking`]: the blocking client (`examples/blocking.rs`);
//! - [`target`]: HubSpot when `HUBSPOT_ACCESS_TOKEN` is set, else the embedded emulator;
//! - [`letter`] and [`timeline`]: what both stories write and how they print it.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod blocking;
pub mod error;
pub mod letter;
pub mod quickstart;
pub mod target;
pub mod timeline;

pub use error::StoryError;

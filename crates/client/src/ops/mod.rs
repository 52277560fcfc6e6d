//! The operations of [`crate::Client`], one file per family.

mod associations;
mod batch;
mod batch_match;
mod pins;
mod postal_mail;
mod raw;
mod search;

pub use raw::RawResponse;

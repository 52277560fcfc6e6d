//! The operations of [`crate::Client`], one file per family.

mod association_batch;
mod associations;
mod batch;
mod batch_match;
mod lifecycle;
mod pins;
mod postal_mail;
mod raw;
mod search;

pub use raw::RawResponse;

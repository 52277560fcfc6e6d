//! The operations of [`crate::Client`], one file per family, as in the async client. Each
//! clones its borrowed arguments into a future of the async client's method of the same name
//! and runs it on the runtime thread.

mod associations;
mod batch;
mod pins;
mod raw;
mod records;

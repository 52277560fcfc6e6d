//! A blocking client for HubSpot CRM postal mail engagements: every operation of the async
//! [`hubspot_postal::Client`], for programs that do not run an async runtime.
//!
//! The blocking [`Client`] wraps the async client, with the same operations, arguments,
//! builder settings and [`Error`] type. Each client owns one tokio runtime (current-thread)
//! on a background thread of its own; a call hands its future to that thread and waits on a
//! channel for the result. Lists and searches are [`Iterator`]s that fetch pages lazily, and
//! batches are chunked by the async client.
//!
//! ```
//! use hubspot_postal_blocking::{Client, GetOptions, ListOptions, RateLimiter};
//! use hubspot_postal_blocking::model::engagement::CreatePostalMail;
//! # use hubspot_postal_emulator::{Emulator, EmulatorConfig};
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # let emulator = Emulator::start_blocking(EmulatorConfig::default())?;
//! # let base_url = emulator.base_url();
//! let client = Client::builder()
//!     .token("pat-na1-example")
//!     .base_url(base_url) // a local emulator here; HubSpot by default
//!     .rate_limiter(RateLimiter::unlimited())
//!     .build()?;
//!
//! let letter = client.create(CreatePostalMail::new("2026-11-30".parse()?).body("Contract received"))?;
//! let read = client.get(&letter.id, &GetOptions::new().properties(["hs_postal_mail_body"]))?;
//! assert_eq!(read.body(), Some("Contract received"));
//!
//! for letter in client.list_all(ListOptions::new().limit(100)) {
//!     println!("{}", letter?.id);
//! }
//! # Ok(()) }
//! ```
//!
//! # How not to use it
//!
//! This crate is not meant to be used in an async runtime. Every call blocks the calling
//! thread until HubSpot answers (retries and rate-limit waits included); on a thread that
//! drives async tasks, that would stall every other task of the executor. In async code, use
//! [`hubspot_postal::Client`] itself.
//!
//! Conditions that make other blocking clients panic or hang do not here:
//!
//! - **Calling it inside an async runtime** returns an error, in debug and release builds:
//!   [`Error::InAsyncRuntime`], whose message says what to do instead (also recognised by
//!   [`is_async_context_error`]). "Inside" means any thread in a tokio runtime context: a
//!   worker of a multi-thread runtime, a thread inside `block_on` or `#[tokio::main]`, and also
//!   the threads of `tokio::task::spawn_blocking`, which carry the context too (tokio offers no
//!   way to tell them apart without risking a panic). From `spawn_blocking`, use
//!   [`Client::async_client`] with `tokio::runtime::Handle::current().block_on(..)`; or call the
//!   blocking client from a thread of your own (`std::thread::spawn`). Advancing a
//!   [`PageIter`] or [`PostalMailIter`] is a call too.
//! - **Dropping the last clone anywhere**, inside an async runtime too, neither panics nor
//!   hangs: the runtime is shut down and dropped on its own thread, never on the caller's.
//!   Outside an async runtime the drop waits for that thread to finish (about a second at
//!   most), so connections are closed when it returns; inside one it does not wait.
//! - **A call never waits forever**: each has an overall timeout (30 s by default,
//!   [`ClientBuilder::timeout`]). When it passes, the work in flight is cancelled and the error
//!   is [`Error::CallTimedOut`] ([`is_timeout_error`] finds it inside other errors too). A `create` or `batch_create` cut off this
//!   way may still have logged its letters, so it comes back as [`Error::MaybeApplied`] with
//!   the inputs to reconcile, as the async client does.
//! - **A panic inside a call** (a test transport that panics, say) comes back as an error, not
//!   as a panic on the calling thread.
//!
//! Building a client is allowed anywhere, inside an async runtime too (for example in `main`
//! before handing clones to worker threads). Each client starts a thread: build one and clone
//! it; do not build a client per call.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod builder;
mod client;
mod errors;
mod iter;
mod methods;
mod worker;

pub use builder::{ClientBuilder, DEFAULT_TIMEOUT};
pub use client::Client;
pub use errors::{is_async_context_error, is_timeout_error};
pub use iter::{PageIter, PostalMailIter};

pub use hubspot_postal::{
    AccessToken, AssociationListOptions, BatchOutcome, BatchReadOptions, Error, GetOptions,
    ItemError, ItemResult, ListOptions, RateLimiter, RawResponse, Result, model, requests, retry,
    transport,
};

/// The README's snippets compile as doctests of this crate, which can name every crate they use.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
struct ReadmeDoctests;

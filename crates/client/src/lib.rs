//! Async client for HubSpot CRM postal mail engagements: letters sent or received, logged
//! against contacts, companies, deals and tickets.
//!
//! - **Every operation**: create, read, update, archive, list (as a stream), batch (any size,
//!   chunked), search (validated, as a stream), associations (v3 and v4), pins, and a raw
//!   escape hatch. See [`Client`].
//! - **Never duplicates a letter**: a create is repeated only when it provably never left the
//!   process or HubSpot answered 429; otherwise the caller gets [`Error::MaybeApplied`] with the
//!   inputs to reconcile. Reads and idempotent writes retry with jittered backoff under a
//!   deadline. See [`retry`].
//! - **Knows HubSpot's limits**: a shared [`RateLimiter`] keeps a process under the ten-second
//!   window and search's 5 per second; 429 policies are told apart (the daily limit fails fast).
//! - **Keeps secrets**: the token never prints; tracing spans carry the operation and path
//!   template, never the URL, token or letter text.
//! - **Mockable**: at the HTTP seam ([`transport::Transport`]) and at the API seam
//!   ([`PostalMailApi`], `MockPostalMailApi` with the `mock` feature).
//!
//! ```no_run
//! use hubspot_postal::{Client, GetOptions};
//! use hubspot_postal::model::{association::AssociationInput, engagement::CreatePostalMail,
//!     ids::RecordId, object_type::ObjectType};
//!
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let client = Client::new(std::env::var("HUBSPOT_ACCESS_TOKEN")?)?;
//! let contact = RecordId::new("104901")?;
//! let letter = client
//!     .create(
//!         CreatePostalMail::new("2026-11-30".parse()?)
//!             .body("Signed contract received by post")
//!             .associate(AssociationInput::default_to(&ObjectType::Contact, contact).unwrap()),
//!     )
//!     .await?;
//! let read = client.get(&letter.id, &GetOptions::new().associations([ObjectType::Contact])).await?;
//! println!("{} is associated with {:?}", read.id, read.associated_ids("contacts"));
//! # Ok(()) }
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod api;
mod builder;
mod client;
mod decode;
mod error;
mod execute;
mod limiter;
mod operation_list;
mod ops;
mod options;
mod outcome;
mod query;
pub mod requests;
pub mod retry;
mod stream;
mod token;

#[cfg(feature = "mock")]
pub use api::MockPostalMailApi;
pub use api::PostalMailApi;
pub use builder::ClientBuilder;
pub use client::Client;
pub use error::{ApiError, DecodeError, Error, RateLimitError, Result};
pub use limiter::{Budget, RateBudget, RateBudgetError, RateLimitHeaders, RateLimiter, Slot};
pub use ops::RawResponse;
pub use options::{AssociationListOptions, BatchReadOptions, GetOptions, ListOptions};
pub use outcome::{BatchOutcome, ItemError, ItemResult, UnknownOutcome, UnknownReason};
pub use token::AccessToken;

/// The domain model (`hubspot-postal-model`), re-exported.
pub use hubspot_postal_model as model;
/// The transport seam (`hubspot-postal-transport`), re-exported.
pub use hubspot_postal_transport as transport;
/// For the generated request types' `raw` body; not a public API.
#[doc(hidden)]
pub use serde_json as __serde_json;

//! The HTTP seam of hubspot-postal: one request in, one response out.
//!
//! A *transport* is the piece that puts a fully prepared [`Request`] on the wire and hands back
//! the [`Response`] the server sent, or a [`TransportError`] saying why there is none. It owns
//! exactly that: connecting, TLS, connection pooling, per-attempt timeouts and a cap on how much
//! of a response body it will hold in memory.
//!
//! A transport deliberately does **not** own:
//!
//! - **retries**: it sends once. Whether another attempt is safe depends on the operation's
//!   [`Idempotency`] and on the error's [`SendPhase`], and that decision belongs to the client's
//!   retry layer, which sees both;
//! - **authentication**: the client sets the `Authorization` header (marked sensitive) before the
//!   request reaches the transport; a transport never adds, changes or follows credentials;
//! - **status codes**: a `404` or a `429` is a successful exchange at this level and comes back as
//!   a [`Response`]; only a failure to obtain a response at all is a [`TransportError`];
//! - **JSON**: bodies are bytes. Encoding and decoding happen once, above the transport.
//!
//! Keeping the seam this small is what lets the same client run over reqwest
//! (`hubspot-postal-http`), over the [`ScriptedTransport`] in tests, or over a `MockTransport`
//! (feature `mock`) in the tests of a service that depends on this crate.
//!
//! # Writing a transport
//!
//! Implement [`Transport`] for a type that is `Send + Sync + Debug`. It must be object safe in
//! use: the client holds an `Arc<dyn Transport>`.
//!
//! ```
//! use async_trait::async_trait;
//! use hubspot_postal_transport::{Request, Response, Transport, TransportError};
//! use http::StatusCode;
//! use std::sync::Arc;
//!
//! /// Answers every request with `204 No Content`, without sending anything.
//! #[derive(Debug)]
//! struct AlwaysNoContent;
//!
//! #[async_trait]
//! impl Transport for AlwaysNoContent {
//!     async fn send(&self, _request: Request) -> Result<Response, TransportError> {
//!         Ok(Response::new(StatusCode::NO_CONTENT))
//!     }
//! }
//!
//! let transport: Arc<dyn Transport> = Arc::new(AlwaysNoContent);
//! # let _ = transport;
//! ```
//!
//! # What not to do
//!
//! - Do not retry inside a transport: a retried `POST` create after a
//!   [`SendPhase::MaybeSent`] failure can send a letter twice.
//! - Do not follow redirects: a redirect may point at another host and would carry the
//!   `Authorization` header there. Return the `3xx` as a [`Response`].
//! - Do not log request headers or bodies: they hold the token and the letter text. Use
//!   [`Operation::path_template`] to name a request.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod base_url;
mod error;
mod operation;
mod request;
mod response;
mod scripted;
mod transport;

pub use base_url::{BaseUrl, BaseUrlError};
pub use error::{SendPhase, TransportError, TransportErrorKind};
pub use operation::{Idempotency, Operation};
pub use request::Request;
pub use response::Response;
pub use scripted::ScriptedTransport;
#[cfg(feature = "mock")]
pub use transport::MockTransport;
pub use transport::Transport;

/// Re-exported so that users of this crate name the same `http` and `bytes` types it does.
pub use bytes;
/// Re-exported so that users of this crate name the same `http` and `bytes` types it does.
pub use http;

//! [`ReqwestTransport`]: the production [`Transport`] of hubspot-postal, over reqwest and rustls.
//!
//! It owns the connection-level concerns of talking to HubSpot and nothing else:
//!
//! - **TLS** with rustls (the aws-lc-rs provider) and the operating system's trust store,
//!   through reqwest 0.13's platform verifier, so a company's own root certificate works
//!   (never OpenSSL);
//! - **one connection pool** shared by every clone, so cloning is cheap and clones reuse
//!   connections;
//! - **timeouts**: a connect timeout and a per-attempt timeout covering the whole exchange,
//!   body included, which a [`Request::timeout`](hubspot_postal_transport::Request::timeout)
//!   overrides;
//! - **a response size cap**, enforced while the body streams in, so a huge or endless response
//!   fails with [`TransportErrorKind::BodyTooLarge`](hubspot_postal_transport::TransportErrorKind::BodyTooLarge)
//!   instead of exhausting memory;
//! - **gzip** decoding;
//! - **errors that say where and why**: every [`TransportError`](hubspot_postal_transport::TransportError)
//!   names the host (`host:port`, never the path) and, for a failed connection, the cause:
//!   [refused](hubspot_postal_transport::TransportErrorKind::ConnectRefused),
//!   [DNS](hubspot_postal_transport::TransportErrorKind::Dns),
//!   [TLS](hubspot_postal_transport::TransportErrorKind::Tls),
//!   [proxy](hubspot_postal_transport::TransportErrorKind::Proxy) or a
//!   [timeout](hubspot_postal_transport::TransportErrorKind::Timeout) while connecting.
//!
//! It sends every request exactly once and returns every status, `3xx` included, as a
//! [`Response`](hubspot_postal_transport::Response). Retries, rate limiting, authentication and
//! JSON belong to the client above it; this crate does not log either, so that nothing here can
//! print a token or a letter.
//!
//! # What not to do
//!
//! - Do not create a transport per request: each one owns a connection pool. Create one, clone
//!   it (or share it behind an `Arc<dyn Transport>`).
//! - Do not wrap it in a retry loop of your own: the client's retry layer knows which
//!   operations can be repeated after a failure that [may have been
//!   sent](hubspot_postal_transport::SendPhase::MaybeSent).
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod config;
mod errors;
mod reqwest_transport;

pub use config::HttpConfig;
pub use hubspot_postal_transport::Transport;
pub use reqwest_transport::{ReqwestTransport, USER_AGENT};

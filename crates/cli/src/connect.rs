//! Builds the client every networked subcommand uses from the global options.

use hubspot_postal::{AccessToken, Client, RateLimiter};

use crate::args::GlobalArgs;
use crate::auth;
use crate::error::CliError;

/// A client and the token it carries (kept so that error text can be scrubbed of it).
#[derive(Debug)]
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The token, for [`auth::redact`].
    pub token: AccessToken,
}

/// Resolves the token and builds the client. The default rate limiter (100 requests per 10 s,
/// search 5/s) learns the portal's real window from HubSpot's `X-HubSpot-RateLimit-*` headers.
pub fn connect(global: &GlobalArgs) -> Result<Connection, CliError> {
    let (token, source) = auth::resolve(global.token_file.as_deref())?;
    let mut builder = Client::builder()
        .token(token.clone())
        .base_url(global.base_url.clone());
    if global.no_rate_limit {
        builder = builder.rate_limiter(RateLimiter::unlimited());
    }
    let client = builder.build()?;
    if global.verbose {
        eprintln!(
            "using {} with the access token from {source}",
            client.base_url()
        );
    }
    Ok(Connection { client, token })
}

//! Builds the client every networked subcommand uses from its API options.

use std::sync::Arc;

use hubspot_postal::{AccessToken, Client, RateLimiter};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};

use crate::api_args::ApiArgs;
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
/// With `--redis-url` and `--portal-key` the budget is shared on Redis with every other
/// service of the portal; Redis must answer at start.
pub fn connect(api: &ApiArgs, verbose: bool) -> Result<Connection, CliError> {
    let (token, source) = auth::resolve(api.token_file.as_deref())?;
    let mut builder = Client::builder()
        .token(token.clone())
        .base_url(api.base_url.clone())
        .api_version(api.api_version);
    match (&api.redis_url, &api.portal_key, api.no_rate_limit) {
        (Some(_), _, true) => {
            return Err(CliError::Usage(
                "--redis-url shares a rate budget; it cannot be combined with --no-rate-limit"
                    .into(),
            ));
        }
        (Some(url), Some(portal), false) => {
            // A blocking PING (bounded by the connect timeout) before any request is made.
            let budget = RedisBudget::connect_blocking(RedisBudgetConfig::new(url, portal))
                .map_err(|e| CliError::Usage(e.to_string()))?;
            builder = builder.rate_budget(Arc::new(budget));
        }
        (Some(_), None, false) => {
            return Err(CliError::Usage(
                "--redis-url needs --portal-key (or HUBSPOT_POSTAL_PORTAL_KEY): the name every \
                 service of the portal uses for its shared budget"
                    .into(),
            ));
        }
        (None, _, true) => builder = builder.rate_limiter(RateLimiter::unlimited()),
        (None, _, false) => {}
    }
    let client = builder.build()?;
    if verbose {
        eprintln!(
            "using {} (API version {}) with the access token from {source}",
            client.base_url(),
            client.api_version()
        );
    }
    Ok(Connection { client, token })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubspot_postal::model::endpoints::ApiVersion;

    fn api(redis_url: Option<&str>, portal_key: Option<&str>, token: &std::path::Path) -> ApiArgs {
        ApiArgs {
            base_url: "http://127.0.0.1:9".into(),
            token_file: Some(token.to_path_buf()),
            api_version: ApiVersion::DEFAULT,
            no_rate_limit: false,
            redis_url: redis_url.map(str::to_owned),
            portal_key: portal_key.map(str::to_owned),
        }
    }

    fn error_text(api: &ApiArgs) -> String {
        connect(api, false)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    }

    fn token_file() -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let token = dir.path().join("token");
        std::fs::write(&token, "pat-na1-test").unwrap_or_else(|e| panic!("{e}"));
        (dir, token)
    }

    #[test]
    fn a_shared_budget_needs_a_portal_key_and_a_redis_that_answers() {
        let (_dir, token) = token_file();

        let text = error_text(&api(Some("redis://127.0.0.1:9"), None, &token));
        assert!(text.contains("--portal-key"), "{text}");

        // Nothing listens on a port just freed: a clear error before any request.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map(|a| a.port())
            .unwrap_or_else(|e| panic!("{e}"));
        let url = format!("redis://127.0.0.1:{port}");
        let text = error_text(&api(Some(&url), Some("acme"), &token));
        assert!(text.contains("unreachable"), "{text}");

        let mut no_limit = api(Some(&url), Some("acme"), &token);
        no_limit.no_rate_limit = true;
        assert!(error_text(&no_limit).contains("--no-rate-limit"));

        assert!(connect(&api(None, None, &token), false).is_ok());
    }

    #[test]
    fn the_client_goes_to_the_api_version_given() {
        let (_dir, token) = token_file();
        let default = connect(&api(None, None, &token), false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(default.client.api_version(), ApiVersion::DEFAULT);
        for version in ApiVersion::ALL {
            let mut args = api(None, None, &token);
            args.api_version = version;
            let conn = connect(&args, false).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(conn.client.api_version(), version);
        }
    }
}

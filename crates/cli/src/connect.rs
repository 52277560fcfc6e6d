//! Builds the client every networked subcommand uses from its API options.

use std::sync::Arc;

use hubspot_postal::{AccessToken, Client, RateBudget, RateLimiter};
use hubspot_postal_redis::{RedisBudget, RedisBudgetConfig};

use crate::api_args::ApiArgs;
use crate::auth;
use crate::error::CliError;
use crate::rate_waits::{RateWaits, WatchedBudget};

/// A client and the token it carries (kept so that error text can be scrubbed of it).
#[derive(Debug)]
pub struct Connection {
    /// The client.
    pub client: Client,
    /// The token, for [`auth::redact`].
    pub token: AccessToken,
    /// The client's waits for the rate limit, as its budget saw them (for the progress bar).
    pub waits: RateWaits,
}

/// Resolves the token and builds the client. The default rate limiter (100 requests per 10 s,
/// search 5/s) learns the portal's real window from HubSpot's `X-HubSpot-RateLimit-*` headers.
/// With `--redis-url` and `--portal-key` the budget is shared on Redis with every other
/// service of the portal; Redis must answer at start. Either budget is watched
/// ([`WatchedBudget`]) so that the import can say when the client waits for it.
pub fn connect(api: &ApiArgs, verbose: bool) -> Result<Connection, CliError> {
    let (token, source) = auth::resolve(api.token_file.as_deref())?;
    let mut builder = Client::builder()
        .token(token.clone())
        .base_url(api.base_url.clone())
        .api_version(api.api_version);
    let budget: Arc<dyn RateBudget> = match (&api.redis_url, &api.portal_key, api.no_rate_limit) {
        (Some(_), _, true) => {
            return Err(CliError::Usage(
                "--redis-url shares a rate budget; it cannot be combined with --no-rate-limit"
                    .into(),
            ));
        }
        (Some(url), Some(portal), false) => {
            // A blocking PING (bounded by the connect timeout) before any request is made.
            Arc::new(
                RedisBudget::connect_blocking(RedisBudgetConfig::new(url, portal))
                    .map_err(|e| CliError::Usage(e.to_string()))?,
            )
        }
        (Some(_), None, false) => {
            return Err(CliError::Usage(
                "--redis-url needs --portal-key (or HUBSPOT_POSTAL_PORTAL_KEY): the name every \
                 service of the portal uses for its shared budget"
                    .into(),
            ));
        }
        (None, _, no_rate_limit) => {
            let limiter = if no_rate_limit {
                RateLimiter::unlimited()
            } else {
                RateLimiter::default()
            };
            // The same limiter as `Client::rate_limiter()` (clones share it): the import's
            // `Pace` reads its learned window there. `rate_budget` must come after, since
            // `rate_limiter` replaces any budget set before it.
            builder = builder.rate_limiter(limiter.clone());
            Arc::new(limiter)
        }
    };
    let waits = RateWaits::default();
    let client = builder
        .rate_budget(Arc::new(WatchedBudget::new(budget, waits.clone())))
        .build()?;
    if verbose {
        eprintln!(
            "using {} (API version {}) with the access token from {source}",
            client.base_url(),
            client.api_version()
        );
    }
    Ok(Connection {
        client,
        token,
        waits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubspot_postal::model::endpoints::ApiVersion;
    use hubspot_postal::{Budget, Slot};

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

    #[test]
    fn the_watched_budget_paces_with_the_limiter_the_client_hands_out() {
        let (_dir, token) = token_file();
        let conn = connect(&api(None, None, &token), false).unwrap_or_else(|e| panic!("{e}"));
        let (client, waits) = (&conn.client, &conn.waits);
        // The import's `Pace` reads `rate_limiter()`: what the budget that paces learns from
        // HubSpot's headers must show there.
        let mut headers = http::HeaderMap::new();
        for (name, value) in [
            ("x-hubspot-ratelimit-max", "7"),
            ("x-hubspot-ratelimit-interval-milliseconds", "1000"),
            ("x-hubspot-ratelimit-remaining", "6"),
        ] {
            headers.insert(name, http::HeaderValue::from_static(value));
        }
        let slot = Slot::new(Budget::General, 0);
        client.rate_budget().observe_response(slot, &headers);
        assert_eq!(
            client.rate_limiter().window(),
            Some((7, std::time::Duration::from_secs(1)))
        );
        // And the budget that paces is the watched one.
        let now = std::time::Instant::now();
        client.rate_budget().report_rate_limited(
            slot,
            None,
            Some(std::time::Duration::from_secs(5)),
        );
        assert_eq!(
            waits.at(now + std::time::Duration::from_secs(1)),
            Some(crate::rate_waits::RateWait::RateLimited)
        );

        let mut unlimited = api(None, None, &token);
        unlimited.no_rate_limit = true;
        let conn = connect(&unlimited, false).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(conn.client.rate_limiter().window(), None);
        assert_eq!(
            conn.client.rate_budget().burst_window(),
            std::time::Duration::from_secs(10)
        );
    }
}

//! The options of every subcommand that talks to HubSpot (where it is, the token file, the
//! API version, the rate budget), and how those given before the subcommand are taken in.
//!
//! They are not clap `global` options: a global option is listed in the `--help` of every
//! subcommand, `emulator` and `completions` too, which take none of them. Instead each
//! networked subcommand flattens [`ApiArgs`], and the top level flattens it once more so that
//! `hubspot-postal --base-url URL list`, the form the docs and older scripts use, still parses.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::parser::ValueSource;
use clap::{ArgMatches, Args};
use hubspot_postal::model::endpoints::ApiVersion;

/// Where HubSpot is, how to authenticate, which API version, how requests are paced.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct ApiArgs {
    /// API base URL: https, or http on a loopback address (the emulator).
    #[arg(
        long,
        env = "HUBSPOT_BASE_URL",
        default_value = "https://api.hubapi.com",
        value_name = "URL"
    )]
    pub base_url: String,
    /// Read the access token from this file (instead of HUBSPOT_ACCESS_TOKEN).
    #[arg(long, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// The HubSpot API version every request goes to (see docs/api-versions.md); a `-beta` is
    /// used only when named.
    #[arg(
        long,
        env = "HUBSPOT_API_VERSION",
        default_value = ApiVersion::DEFAULT.as_str(),
        value_name = "VERSION",
        value_parser = api_version_parser()
    )]
    pub api_version: ApiVersion,
    /// Do not pace requests client-side (for the emulator and tests).
    #[arg(long, hide = true)]
    pub no_rate_limit: bool,
    /// Share the portal's rate budget with every other service of the portal through this
    /// Redis (`redis://[:password@]host:port`); needs --portal-key. Without it, this process
    /// paces itself alone.
    #[arg(
        long,
        env = "HUBSPOT_POSTAL_REDIS_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,
    /// The name of the portal's shared budget in Redis, the same in every service of the
    /// portal (for example `acme-prod`); never derived from the token.
    #[arg(long, env = "HUBSPOT_POSTAL_PORTAL_KEY", value_name = "NAME")]
    pub portal_key: Option<String>,
}

/// The version literals as clap's possible values, so that help lists them and a wrong one
/// is refused with the list.
fn api_version_parser() -> impl TypedValueParser<Value = ApiVersion> {
    PossibleValuesParser::new(ApiVersion::ALL.map(ApiVersion::as_str))
        .try_map(|s| ApiVersion::parse(&s))
}

/// Whether `id` was typed on the command line (not taken from the environment or a default).
fn typed(matches: &ArgMatches, id: &str) -> bool {
    matches.value_source(id) == Some(ValueSource::CommandLine)
}

impl ApiArgs {
    /// The long flags (`--base-url`, …) of the API options typed on the command line in
    /// `matches`: the ones a subcommand without API options must refuse.
    pub fn typed_flags(matches: &ArgMatches) -> Vec<String> {
        let options = <Self as clap::Args>::augment_args(clap::Command::new("api"));
        options
            .get_arguments()
            .filter(|arg| typed(matches, arg.get_id().as_str()))
            .map(|arg| format!("--{}", arg.get_long().unwrap_or(arg.get_id().as_str())))
            .collect()
    }

    /// Takes in what was typed before the subcommand (`leading`, parsed into
    /// `leading_matches`) and not after it (`own_matches`): after the subcommand wins, then
    /// before it, then the environment, then the default.
    pub fn take_leading(
        &mut self,
        own_matches: &ArgMatches,
        leading: ApiArgs,
        leading_matches: &ArgMatches,
    ) {
        // Destructured whole, so that a new option cannot be forgotten here.
        let ApiArgs {
            base_url,
            token_file,
            api_version,
            no_rate_limit,
            redis_url,
            portal_key,
        } = leading;
        let before = |id: &str| typed(leading_matches, id) && !typed(own_matches, id);
        if before("base_url") {
            self.base_url = base_url;
        }
        if before("token_file") {
            self.token_file = token_file;
        }
        if before("api_version") {
            self.api_version = api_version;
        }
        if before("no_rate_limit") {
            self.no_rate_limit = no_rate_limit;
        }
        if before("redis_url") {
            self.redis_url = redis_url;
        }
        if before("portal_key") {
            self.portal_key = portal_key;
        }
    }
}

//! Command-line options shared by the `hubspot-postal-emulator` binary and the project CLI's
//! `emulator` subcommand, and [`serve`], which runs until Ctrl-C. Only with the `cli`
//! feature, so that a service testing against the emulator library does not build clap.

use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{EmulatorConfig, RateLimit, parse_duration};
use crate::errors::EmulatorError;
use crate::faults::FaultPlan;
use crate::fixtures::Fixtures;
use crate::server::Emulator;

/// Options of the emulator server.
#[derive(Debug, Clone, clap::Args)]
#[non_exhaustive]
pub struct ServeArgs {
    /// Address to listen on: an IP address or a host name such as localhost.
    #[arg(long, default_value = "127.0.0.1", value_parser = parse_host)]
    pub host: IpAddr,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8089)]
    pub port: u16,
    /// Accepted bearer token (repeatable); without any, every non-empty token is accepted.
    #[arg(long = "token", value_name = "TOKEN")]
    pub tokens: Vec<String>,
    /// Burst limit as N/WINDOW, e.g. 100/10s or 10/1s (default: unlimited).
    #[arg(long, value_name = "N/WINDOW")]
    pub rate_limit: Option<RateLimit>,
    /// Requests per UTC day (default: unlimited).
    #[arg(long, value_name = "N")]
    pub daily_limit: Option<u64>,
    /// Search requests per second, as N/s or N (default: unlimited; HubSpot allows 5/s).
    #[arg(long, value_name = "N/s", value_parser = parse_search_rate)]
    pub search_rate: Option<u32>,
    /// Faults to inject, e.g. 'POST /crm/v3/objects/postal_mail: 429=0.1,apply-drop=0.05; GET *: drop=0.01'.
    #[arg(long, value_name = "SPEC")]
    pub faults: Option<FaultPlan>,
    /// Seed of the fault dice.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// JSON fixtures file (see docs/emulator.md).
    #[arg(long, value_name = "FILE")]
    pub fixtures: Option<PathBuf>,
    /// How long a write stays invisible to search, e.g. 3s or 500ms (default: 0s, at once).
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub search_lag: Option<Duration>,
    /// Largest request body in bytes.
    #[arg(long, value_name = "BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,
}

/// An IP address as is; a name such as `localhost` resolved, IPv4 first (what `127.0.0.1`
/// clients and the loopback rule of the client expect).
fn parse_host(s: &str) -> Result<IpAddr, String> {
    if let Ok(ip) = s.parse() {
        return Ok(ip);
    }
    let addrs: Vec<IpAddr> = (s, 0)
        .to_socket_addrs()
        .map_err(|e| format!("{s:?} is not an IP address and does not resolve: {e}"))?
        .map(|a| a.ip())
        .collect();
    addrs
        .iter()
        .find(|ip| ip.is_ipv4())
        .or_else(|| addrs.first())
        .copied()
        .ok_or_else(|| format!("{s:?} resolves to no address"))
}

fn parse_search_rate(s: &str) -> Result<u32, String> {
    let n = s.strip_suffix("/s").unwrap_or(s);
    n.trim()
        .parse()
        .map_err(|_| format!("{s:?}: expected N/s, e.g. 5/s"))
}

impl ServeArgs {
    /// The configuration these options describe (reads the fixtures file).
    pub fn to_config(&self) -> Result<EmulatorConfig, EmulatorError> {
        let mut config = EmulatorConfig::default()
            .addr(SocketAddr::new(self.host, self.port))
            .tokens(self.tokens.clone())
            .seed(self.seed)
            .max_body_bytes(self.max_body_bytes);
        if let Some(r) = self.rate_limit {
            config = config.rate_limit(r);
        }
        if let Some(d) = self.daily_limit {
            config = config.daily_limit(d);
        }
        if let Some(s) = self.search_rate {
            config = config.search_rate(s);
        }
        if let Some(lag) = self.search_lag {
            config = config.search_lag(lag);
        }
        if let Some(f) = &self.faults {
            config = config.faults(f.clone());
        }
        if let Some(path) = &self.fixtures {
            config = config.fixtures(Fixtures::from_file(path)?);
        }
        Ok(config)
    }
}

/// Starts the emulator, prints `listening on http://…`, and serves until Ctrl-C. `-v` is
/// not among [`ServeArgs`] because the project CLI's own global `-v` turns it on there; pass
/// `args.to_config()?.log_requests(true)` to [`serve_config`] for it.
pub async fn serve(args: ServeArgs) -> Result<(), EmulatorError> {
    serve_config(args.to_config()?).await
}

/// [`serve`] with a configuration already built.
pub async fn serve_config(config: EmulatorConfig) -> Result<(), EmulatorError> {
    let handle = Emulator::start(config).await?;
    println!("listening on {}", handle.base_url());
    let _ = tokio::signal::ctrl_c().await;
    drop(handle);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Debug, Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    #[test]
    fn search_lag_and_hostile_faults_come_from_flags() {
        let cli = Cli::try_parse_from([
            "emu",
            "--search-lag",
            "3s",
            "--faults",
            "POST /crm/v3/objects/postal_mail: apply-520-html=0.5,omit-written=0.5",
        ])
        .unwrap();
        let config = cli.serve.to_config().unwrap();
        assert_eq!(config.search_lag, Duration::from_secs(3));
        assert_eq!(config.faults.rules[0].actions.len(), 2);
        let default = Cli::try_parse_from(["emu"])
            .unwrap()
            .serve
            .to_config()
            .unwrap();
        assert_eq!(default.search_lag, Duration::ZERO);
        assert!(Cli::try_parse_from(["emu", "--search-lag", "soon"]).is_err());
    }

    #[test]
    fn host_takes_a_name_and_rate_limit_refuses_an_empty_window() {
        let cli = Cli::try_parse_from(["emu", "--host", "localhost"]).unwrap();
        assert!(cli.serve.host.is_loopback(), "{}", cli.serve.host);
        let err = Cli::try_parse_from(["emu", "--rate-limit", "0/10s"]).unwrap_err();
        assert!(err.to_string().contains("at least 1 request"), "{err}");
        assert!(Cli::try_parse_from(["emu", "--host", "no such host.invalid"]).is_err());
    }
}

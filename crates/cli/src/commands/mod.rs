//! One module per subcommand; [`run`] sends the parsed command line to the right one.
//!
//! Each subcommand writes its result to `out` (standard output) and returns a [`CliError`]
//! for `main` to print on one line.

mod associate;
mod create;
mod emulator;
mod get;
mod letters;
mod list;
mod pin;
pub mod search;
mod update;

use std::io::Write;

use hubspot_postal::AccessToken;

use crate::args::{Cli, Command};
use crate::connect::connect;
use crate::error::CliError;

/// Runs the command line. `token` is filled in as soon as it is known, so that `main` can
/// scrub it from any error text.
pub async fn run(
    cli: Cli,
    token: &mut Option<AccessToken>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    // The emulator and completions need no token and no client.
    let command = match cli.command {
        Command::Emulator(args) => return emulator::run(args, cli.global.verbose).await,
        Command::Completions(args) => return completions(args.shell, out),
        other => other,
    };
    let Some(api) = command.api() else {
        return Ok(());
    };
    let conn = connect(api, cli.global.verbose)?;
    *token = Some(conn.token.clone());
    let client = &conn.client;
    match command {
        Command::Create(args) => create::run(client, args, out).await,
        Command::Get(args) => get::run(client, args, out).await,
        Command::List(args) => list::run(client, args, out).await,
        Command::Update(args) => update::run(client, args, out).await,
        Command::Delete(args) => update::delete(client, args, out).await,
        Command::Associate(args) => associate::associate(client, args, out).await,
        Command::Dissociate(args) => associate::dissociate(client, args, out).await,
        Command::Pin(args) => pin::pin(client, args, out).await,
        Command::Unpin(args) => pin::unpin(client, args, out).await,
        Command::Search(args) => search::run(client, args, out).await,
        Command::Import(args) => {
            crate::import::run(client, args, cli.global.verbose, &conn.waits, out).await
        }
        Command::Emulator(_) | Command::Completions(_) => Ok(()),
    }
}

/// Writes the completion script for `shell`, generated from the same definition that parses
/// the command line, so it cannot drift from it.
fn completions(shell: clap_complete::Shell, out: &mut dyn Write) -> Result<(), CliError> {
    let mut command = <Cli as clap::CommandFactory>::command();
    clap_complete::generate(shell, &mut command, "hubspot-postal", out);
    out.flush().map_err(CliError::stdout)
}

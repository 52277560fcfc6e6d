//! `emulator`: the local HubSpot, with exactly the options of `hubspot-postal-emulator`.

use crate::args::EmulatorArgs;
use crate::error::CliError;

/// Serves until Ctrl-C; the global `-v` logs each request.
pub async fn run(args: EmulatorArgs, verbose: bool) -> Result<(), CliError> {
    let config = args.serve.to_config()?.log_requests(verbose);
    hubspot_postal_emulator::serve_config(config).await?;
    Ok(())
}

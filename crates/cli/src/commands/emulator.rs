//! `emulator`: the local HubSpot, with exactly the options of `hubspot-postal-emulator`.

use crate::args::EmulatorArgs;
use crate::error::CliError;

/// Serves until Ctrl-C.
pub async fn run(args: EmulatorArgs) -> Result<(), CliError> {
    hubspot_postal_emulator::serve(args.serve).await?;
    Ok(())
}

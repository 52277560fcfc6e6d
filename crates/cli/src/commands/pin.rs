//! `pin` and `unpin`: the letter at the top of a record's timeline.

use std::io::Write;

use hubspot_postal::Client;
use hubspot_postal::model::pin::{Pin, PinTarget};

use crate::args::{PinArgs, UnpinArgs};
use crate::error::CliError;

/// Runs `pin`. The client checks HubSpot's rule (the letter must be associated with the
/// record) before touching the record.
pub async fn pin(client: &Client, args: PinArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let pair = args.pair;
    let target = PinTarget::new(pair.object_type, pair.record_id)?;
    client
        .pin(&Pin::new(pair.id.clone(), target.clone()))
        .await?;
    writeln!(
        out,
        "pinned postal mail {} on {} {}",
        pair.id,
        target.object_type().singular(),
        target.id()
    )
    .map_err(CliError::stdout)
}

/// Runs `unpin`.
pub async fn unpin(client: &Client, args: UnpinArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let target = PinTarget::new(args.object_type, args.record_id)?;
    // Clearing an empty pin succeeds at HubSpot too, so look first: "removed" must be true.
    if client.pinned(&target).await?.is_none() {
        return writeln!(
            out,
            "nothing is pinned on {} {}; nothing changed",
            target.object_type().singular(),
            target.id()
        )
        .map_err(CliError::stdout);
    }
    client.unpin(&target).await?;
    writeln!(
        out,
        "removed the pin from {} {}",
        target.object_type().singular(),
        target.id()
    )
    .map_err(CliError::stdout)
}

//! `update` (set or clear properties) and `delete` (to the recycling bin).

use std::io::Write;

use hubspot_postal::model::engagement::UpdatePostalMail;
use hubspot_postal::{Client, GetOptions};

use super::letters::body_text;
use crate::args::{DeleteArgs, UpdateArgs};
use crate::error::CliError;
use crate::output::write_json_line;

/// Runs `update`.
pub async fn run(client: &Client, args: UpdateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut update = UpdatePostalMail::new();
    if let Some(t) = args.timestamp {
        update = update.timestamp(t.0);
    }
    if let Some(body) = body_text(args.body, args.body_file)? {
        update = update.body(body);
    }
    if args.clear_body {
        update = update.clear_body();
    }
    if let Some(owner) = &args.owner {
        update = update.owner(owner);
    }
    if args.clear_owner {
        update = update.clear_owner();
    }
    if let Some(files) = &args.attachments {
        update = update.attachments(files);
    }
    if args.clear_attachments {
        update = update.clear_attachments();
    }
    if update.patch().is_empty() {
        return Err(CliError::Usage(
            "nothing to update: pass --timestamp, --body, --owner, --attachments or a --clear-… flag"
                .into(),
        ));
    }
    let letter = client.update(&args.id, update).await?;
    if args.json {
        write_json_line(out, &letter)
    } else {
        writeln!(out, "updated postal mail {}", letter.id)
    }
    .map_err(CliError::stdout)
}

/// Runs `delete`.
pub async fn delete(
    client: &Client,
    args: DeleteArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    // HubSpot answers 204 for an id it does not have, so ask first: "deleted" must mean a
    // letter was there to delete.
    match client.get(&args.id, &GetOptions::new()).await {
        Err(e) if e.status() == Some(404) => {
            return Err(CliError::NotFound(format!(
                "postal mail {} does not exist (or is already in the recycling bin); nothing was deleted",
                args.id
            )));
        }
        other => other?,
    };
    client.archive(&args.id).await?;
    writeln!(out, "moved postal mail {} to the recycling bin", args.id).map_err(CliError::stdout)
}

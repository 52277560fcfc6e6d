//! `list`: every letter (or every archived one), fetched page by page as it is printed.

use std::io::Write;

use futures::TryStreamExt;
use hubspot_postal::{Client, ListOptions};

use crate::args::ListArgs;
use crate::error::CliError;
use crate::output::{LETTER_PROPERTIES, Table, write_json_line};

/// Runs `list`.
pub async fn run(client: &Client, args: ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let options = ListOptions::new()
        .limit(args.page_size)
        .properties(LETTER_PROPERTIES)
        .archived(args.archived);
    let mut letters = client.list_all(options);
    let mut table = Table::new();
    let mut printed = 0usize;
    while args.max.is_none_or(|max| printed < max) {
        let Some(letter) = letters.try_next().await? else {
            break;
        };
        printed += 1;
        if args.json {
            write_json_line(out, &letter)
        } else {
            table.row(out, &letter)
        }
        .map_err(CliError::stdout)?;
    }
    if !args.json {
        let what = if args.archived {
            "archived letters"
        } else {
            "letters"
        };
        table.finish(out, what).map_err(CliError::stdout)?;
    }
    Ok(())
}

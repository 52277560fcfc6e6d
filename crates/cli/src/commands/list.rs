//! `list`: every letter (or every archived one), fetched page by page as it is printed.

use std::io::Write;

use hubspot_postal::{Client, ListOptions};

use crate::args::ListArgs;
use crate::error::CliError;
use crate::output::{LETTER_PROPERTIES, print_letters};

/// Runs `list`.
pub async fn run(client: &Client, args: ListArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let options = ListOptions::new()
        .limit(args.page_size)
        .properties(LETTER_PROPERTIES)
        .archived(args.archived);
    let what = if args.archived {
        "archived letters"
    } else {
        "letters"
    };
    print_letters(client.list_all(options), args.json, args.max, what, out).await
}

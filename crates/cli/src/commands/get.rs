//! `get`: one letter with its associated contacts, companies, deals and tickets.

use std::io::Write;

use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::{Client, GetOptions};

use crate::args::GetArgs;
use crate::error::CliError;
use crate::output::{LETTER_PROPERTIES, write_detail, write_json_line};

/// Runs `get`.
pub async fn run(client: &Client, args: GetArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let options = GetOptions::new()
        .properties(LETTER_PROPERTIES)
        .associations([
            ObjectType::Contact,
            ObjectType::Company,
            ObjectType::Deal,
            ObjectType::Ticket,
        ])
        .archived(args.archived);
    let letter = client.get(&args.id, &options).await?;
    if args.json {
        write_json_line(out, &letter)
    } else {
        write_detail(out, &letter)
    }
    .map_err(CliError::stdout)
}

//! `create`: logs one letter, with its associations in the same request.

use std::io::Write;

use hubspot_postal::Client;
use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::object_type::ObjectType;

use super::letters::body_text;
use crate::args::{AssociateAtCreate, CreateArgs};
use crate::error::CliError;
use crate::output::write_json_line;

impl AssociateAtCreate {
    /// The default (HubSpot-defined) association to each named record.
    pub fn inputs(&self) -> Vec<AssociationInput> {
        [
            (ObjectType::Contact, &self.contacts),
            (ObjectType::Company, &self.companies),
            (ObjectType::Deal, &self.deals),
            (ObjectType::Ticket, &self.tickets),
        ]
        .iter()
        .flat_map(|(t, ids)| {
            ids.iter()
                .filter_map(move |id| AssociationInput::default_to(t, id.clone()))
        })
        .collect()
    }
}

/// Runs `create`.
pub async fn run(client: &Client, args: CreateArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut input = CreatePostalMail::new(args.timestamp.0);
    if let Some(body) = body_text(args.body, args.body_file)? {
        input = input.body(body);
    }
    if let Some(owner) = args.owner {
        input = input.owner(owner);
    }
    if let Some(files) = args.attachments {
        input = input.attachments(files);
    }
    for association in args.associate.inputs() {
        input = input.associate(association);
    }
    let letter = client.create(input).await?;
    if args.json {
        write_json_line(out, &letter)
    } else {
        writeln!(out, "created postal mail {}", letter.id)
    }
    .map_err(CliError::stdout)
}

//! `associate` and `dissociate`: a letter and a contact, company, deal or ticket, by the v3
//! type id or with v4 user-defined labels.

use std::io::Write;

use hubspot_postal::Client;
use hubspot_postal::model::association::{AssociationSpec, AssociationTypeId};

use crate::args::{AssociateArgs, DissociateArgs};
use crate::error::CliError;

/// Runs `associate`.
pub async fn associate(
    client: &Client,
    args: AssociateArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let pair = &args.pair;
    let what = format!(
        "postal mail {} with {} {}",
        pair.id,
        pair.object_type.singular(),
        pair.record_id
    );
    if !args.label_type_ids.is_empty() {
        // The v4 PUT replaces the label set, so the default type goes along to keep it.
        let mut specs: Vec<AssociationSpec> = AssociationSpec::default_to(&pair.object_type)
            .into_iter()
            .collect();
        specs.extend(
            args.label_type_ids
                .iter()
                .map(|id| AssociationSpec::user_defined(AssociationTypeId(*id))),
        );
        let labels = client
            .associate_labelled(&pair.id, &pair.object_type, &pair.record_id, specs)
            .await?;
        let labels = if labels.labels.is_empty() {
            "no labels".to_owned()
        } else {
            format!("labels: {}", labels.labels.join(", "))
        };
        return writeln!(out, "associated {what} ({labels})").map_err(CliError::stdout);
    }
    let type_id = match args.type_id {
        Some(t) => t,
        None => AssociationTypeId::postal_mail_to(&pair.object_type).ok_or_else(|| {
            CliError::Usage(format!(
                "HubSpot defines no default association from postal mail to {}; pass --type",
                pair.object_type
            ))
        })?,
    };
    client
        .associate(&pair.id, &pair.object_type, &pair.record_id, type_id)
        .await?;
    writeln!(out, "associated {what} (type {type_id})").map_err(CliError::stdout)
}

/// Runs `dissociate`.
pub async fn dissociate(
    client: &Client,
    args: DissociateArgs,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let pair = &args.pair;
    let what = format!(
        "postal mail {} and {} {}",
        pair.id,
        pair.object_type.singular(),
        pair.record_id
    );
    match args.type_id {
        Some(type_id) => {
            client
                .dissociate(&pair.id, &pair.object_type, &pair.record_id, type_id)
                .await?;
            writeln!(out, "removed association type {type_id} between {what}")
        }
        None => {
            client
                .remove_associations(&pair.id, &pair.object_type, &pair.record_id)
                .await?;
            writeln!(out, "removed every association between {what}")
        }
    }
    .map_err(CliError::stdout)
}

//! `associate` and `dissociate`: a letter and a contact, company, deal or ticket, by the v3
//! type id or with v4 user-defined labels.

use std::io::Write;

use hubspot_postal::Client;
use hubspot_postal::model::association::{
    AssociationCreate, AssociationSpec, AssociationTypeId, ObjectRef,
};
use hubspot_postal::model::error::StandardError;

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
    if client.api_version().is_legacy() {
        client
            .associate(&pair.id, &pair.object_type, &pair.record_id, type_id)
            .await?;
    } else {
        // The date-based versions have no v3 per-object path: the v4 batch create adds the
        // type and leaves the pair's other labels.
        let done = client
            .batch_associate(&pair.object_type, vec![one_pair(pair, type_id)])
            .await?;
        refused_by_hubspot(done.errors.as_deref(), &what)?;
    }
    writeln!(out, "associated {what} (type {type_id})").map_err(CliError::stdout)
}

/// The v4 batch input for one pair and one type: HubSpot-defined when the type id is one of
/// HubSpot's (it has a v3 name), the portal's own label otherwise.
fn one_pair(pair: &crate::args::Pair, type_id: AssociationTypeId) -> AssociationCreate {
    let spec = if type_id.v3_name().is_some() {
        AssociationSpec::hubspot_defined(type_id)
    } else {
        AssociationSpec::user_defined(type_id)
    };
    AssociationCreate {
        from: ObjectRef {
            id: pair.id.clone().into(),
        },
        to: ObjectRef {
            id: pair.record_id.clone(),
        },
        types: vec![spec],
    }
}

/// A batch answer's error for the one input, as the command's error.
fn refused_by_hubspot(errors: Option<&[StandardError]>, what: &str) -> Result<(), CliError> {
    match errors.and_then(<[StandardError]>::first) {
        None => Ok(()),
        Some(e) if e.category.as_deref() == Some("OBJECT_NOT_FOUND") => {
            Err(CliError::NotFound(format!(
                "{what}: {}",
                e.message.as_deref().unwrap_or("a record does not exist")
            )))
        }
        Some(e) => Err(CliError::Usage(format!(
            "HubSpot refused {what}: {}",
            e.message.as_deref().unwrap_or("no reason given")
        ))),
    }
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
        Some(type_id) if client.api_version().is_legacy() => {
            client
                .dissociate(&pair.id, &pair.object_type, &pair.record_id, type_id)
                .await?;
            writeln!(out, "removed association type {type_id} between {what}")
        }
        Some(type_id) => {
            client
                .batch_remove_association_labels(&pair.object_type, vec![one_pair(pair, type_id)])
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

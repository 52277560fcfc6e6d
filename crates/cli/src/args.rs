//! The command line: global options (where HubSpot is, where the token comes from) and one
//! struct of options per subcommand, parsed by clap's derive.
//!
//! Ids, object types, timestamps and attachment lists are parsed here with the model's own
//! types, so a malformed value is refused before anything is sent.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use hubspot_postal::model::association::AssociationTypeId;
use hubspot_postal::model::attachments::AttachmentIds;
use hubspot_postal::model::ids::{OwnerId, PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::search::Filter;
use hubspot_postal_emulator::ServeArgs;

use crate::commands::search::parse_filter;
use crate::timestamp_arg::TimestampArg;

/// HubSpot CRM postal mail from the command line.
///
/// Authenticate with a private app access token in HUBSPOT_ACCESS_TOKEN, or with
/// --token-file PATH. The token is never printed.
#[derive(Debug, Parser)]
#[command(name = "hubspot-postal", version, about, long_about = None)]
pub struct Cli {
    /// Options every subcommand takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Where HubSpot is and how to authenticate.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// API base URL: https, or http on a loopback address (the emulator).
    #[arg(
        long,
        global = true,
        env = "HUBSPOT_BASE_URL",
        default_value = "https://api.hubapi.com",
        value_name = "URL"
    )]
    pub base_url: String,
    /// Read the access token from this file (instead of HUBSPOT_ACCESS_TOKEN).
    #[arg(long, global = true, value_name = "PATH")]
    pub token_file: Option<PathBuf>,
    /// Say what is being done on stderr (never the token, never letter text).
    #[arg(long, short, global = true)]
    pub verbose: bool,
    /// Do not pace requests client-side (for the emulator and tests).
    #[arg(long, global = true, hide = true)]
    pub no_rate_limit: bool,
    /// Share the portal's rate budget with every other service of the portal through this
    /// Redis (`redis://[:password@]host:port`); needs --portal-key. Without it, this process
    /// paces itself alone.
    #[arg(
        long,
        global = true,
        env = "HUBSPOT_POSTAL_REDIS_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub redis_url: Option<String>,
    /// The name of the portal's shared budget in Redis, the same in every service of the
    /// portal (for example `acme-prod`); never derived from the token.
    #[arg(
        long,
        global = true,
        env = "HUBSPOT_POSTAL_PORTAL_KEY",
        value_name = "NAME"
    )]
    pub portal_key: Option<String>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Log one letter (a postal mail engagement).
    Create(CreateArgs),
    /// Show one letter with its associations.
    Get(GetArgs),
    /// List every letter, page after page.
    List(ListArgs),
    /// Change a letter's properties.
    Update(UpdateArgs),
    /// Move a letter to the recycling bin.
    Delete(DeleteArgs),
    /// Associate a letter with a contact, company, deal or ticket.
    Associate(AssociateArgs),
    /// Remove associations between a letter and a record.
    Dissociate(DissociateArgs),
    /// Pin a letter at the top of a record's timeline.
    Pin(PinArgs),
    /// Remove the pin from a record.
    Unpin(UnpinArgs),
    /// Search letters by filters and/or free text.
    Search(SearchArgs),
    /// Create letters from a CSV or JSON lines file, resumably.
    Import(ImportArgs),
    /// Serve the local HubSpot emulator (same options as hubspot-postal-emulator).
    Emulator(EmulatorArgs),
    /// Print a shell completion script: `hubspot-postal completions bash > ~/.local/share/bash-completion/completions/hubspot-postal`.
    Completions(CompletionsArgs),
}

/// `completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Which record a letter is associated with, given as `--contact 501 --company 601 …`.
#[derive(Debug, Args, Default)]
pub struct AssociateAtCreate {
    /// Contact to associate with (repeatable).
    #[arg(long = "contact", value_name = "ID")]
    pub contacts: Vec<RecordId>,
    /// Company to associate with (repeatable).
    #[arg(long = "company", value_name = "ID")]
    pub companies: Vec<RecordId>,
    /// Deal to associate with (repeatable).
    #[arg(long = "deal", value_name = "ID")]
    pub deals: Vec<RecordId>,
    /// Ticket to associate with (repeatable).
    #[arg(long = "ticket", value_name = "ID")]
    pub tickets: Vec<RecordId>,
}

/// `create`.
#[derive(Debug, Args)]
pub struct CreateArgs {
    /// When the letter was sent or received: ISO-8601, a date (2021-11-12), epoch millis, or now.
    #[arg(long, value_name = "WHEN")]
    pub timestamp: TimestampArg,
    /// The letter text.
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the letter text from this file.
    #[arg(long, value_name = "PATH")]
    pub body_file: Option<PathBuf>,
    /// Owner (HubSpot user id).
    #[arg(long, value_name = "ID")]
    pub owner: Option<OwnerId>,
    /// Attachment (file) ids, separated by ';'.
    #[arg(long, value_name = "ID;ID")]
    pub attachments: Option<AttachmentIds>,
    /// Records to associate with in the same request.
    #[command(flatten)]
    pub associate: AssociateAtCreate,
    /// Print the created record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `get`.
#[derive(Debug, Args)]
pub struct GetArgs {
    /// The letter's id.
    pub id: PostalMailId,
    /// Read it from the recycling bin.
    #[arg(long)]
    pub archived: bool,
    /// Print the record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// List the recycling bin instead.
    #[arg(long)]
    pub archived: bool,
    /// Stop after this many letters.
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
    /// Letters per request (1 to 100).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub page_size: u32,
}

/// `update`.
#[derive(Debug, Args)]
pub struct UpdateArgs {
    /// The letter's id.
    pub id: PostalMailId,
    /// New timestamp.
    #[arg(long, value_name = "WHEN")]
    pub timestamp: Option<TimestampArg>,
    /// New letter text.
    #[arg(long, conflicts_with_all = ["body_file", "clear_body"])]
    pub body: Option<String>,
    /// Read the new letter text from this file.
    #[arg(long, value_name = "PATH", conflicts_with = "clear_body")]
    pub body_file: Option<PathBuf>,
    /// Clear the letter text.
    #[arg(long)]
    pub clear_body: bool,
    /// New owner.
    #[arg(long, value_name = "ID", conflicts_with = "clear_owner")]
    pub owner: Option<OwnerId>,
    /// Clear the owner.
    #[arg(long)]
    pub clear_owner: bool,
    /// Replace the attachments (ids separated by ';').
    #[arg(long, value_name = "ID;ID", conflicts_with = "clear_attachments")]
    pub attachments: Option<AttachmentIds>,
    /// Remove every attachment.
    #[arg(long)]
    pub clear_attachments: bool,
    /// Print the updated record as JSON.
    #[arg(long)]
    pub json: bool,
}

/// `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The letter's id.
    pub id: PostalMailId,
}

/// A letter and a record: `ID OBJECT_TYPE RECORD_ID`.
#[derive(Debug, Args)]
pub struct Pair {
    /// The letter's id.
    pub id: PostalMailId,
    /// contact, company, deal, ticket (singular, plural or 0-1 style id).
    pub object_type: ObjectType,
    /// The record's id.
    pub record_id: RecordId,
}

/// `associate`.
#[derive(Debug, Args)]
pub struct AssociateArgs {
    /// The letter and the record.
    #[command(flatten)]
    pub pair: Pair,
    /// HubSpot-defined type, as an id (459) or a v3 name (POSTAL_MAIL_TO_COMPANY);
    /// default: the default type for the record's object type.
    #[arg(long = "type", value_name = "TYPE")]
    pub type_id: Option<AssociationTypeId>,
    /// A user-defined label's type id, set with the v4 API alongside the default type
    /// (repeatable; the set replaces the labels already between the two).
    #[arg(long = "label-type-id", value_name = "ID", conflicts_with = "type_id")]
    pub label_type_ids: Vec<u32>,
}

/// `dissociate`.
#[derive(Debug, Args)]
pub struct DissociateArgs {
    /// The letter and the record.
    #[command(flatten)]
    pub pair: Pair,
    /// Remove only this type (id or v3 name); default: every association between the two.
    #[arg(long = "type", value_name = "TYPE")]
    pub type_id: Option<AssociationTypeId>,
}

/// `pin`.
#[derive(Debug, Args)]
pub struct PinArgs {
    /// The letter and the record to pin it on.
    #[command(flatten)]
    pub pair: Pair,
}

/// `unpin`.
#[derive(Debug, Args)]
pub struct UnpinArgs {
    /// contact, company, deal or ticket.
    pub object_type: ObjectType,
    /// The record's id.
    pub record_id: RecordId,
}

/// `search`.
#[derive(Debug, Args)]
pub struct SearchArgs {
    /// A filter PROPERTY:OPERATOR[:VALUE], ANDed with the others (repeatable). IN and NOT_IN
    /// take values separated by ';', BETWEEN takes LOW;HIGH, HAS_PROPERTY takes none.
    #[arg(long = "filter", value_name = "PROP:OP[:VALUE]", value_parser = parse_filter)]
    pub filters: Vec<Filter>,
    /// Free text, matched against the letter text.
    #[arg(long)]
    pub query: Option<String>,
    /// One JSON object per line instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Stop after this many letters (HubSpot pages through at most 10,000).
    #[arg(long, value_name = "N")]
    pub max: Option<usize>,
}

/// The import file's format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// Comma-separated values with a header row.
    Csv,
    /// One JSON object per line (also .ndjson).
    Jsonl,
}

/// `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The CSV (.csv) or JSON lines (.jsonl, .ndjson) file.
    pub file: PathBuf,
    /// The file's format (default: from the extension).
    #[arg(long)]
    pub format: Option<ImportFormat>,
    /// Where to write rows that were not created (default: FILE.report.csv).
    #[arg(long, value_name = "PATH")]
    pub report: Option<PathBuf>,
    /// Where progress is kept between runs (default: FILE.state.json).
    #[arg(long, value_name = "PATH")]
    pub state: Option<PathBuf>,
    /// Rows per batch request recorded in the state file.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub chunk_size: u32,
    /// A custom unique text property of postal mail: rows are sent as batch upserts keyed by
    /// it (each row's import key), so a resend can never create a second letter.
    #[arg(long, value_name = "NAME")]
    pub key_property: Option<String>,
    /// How long reconciliation may wait for HubSpot's search index to show rows an earlier
    /// run left unsettled: it searches at once, then again after 1s, 2s, 4s, … until every
    /// row is found or this much time was waited. `--reconcile-delay` is the former name.
    #[arg(
        long,
        alias = "reconcile-delay",
        value_name = "DURATION",
        default_value = "30s",
        value_parser = parse_delay
    )]
    pub reconcile_max_wait: Duration,
    /// Test hook: exit (as if killed) once this many chunks got an answer, before recording it.
    #[arg(long, hide = true, value_name = "N")]
    pub interrupt_after_chunks: Option<u32>,
}

/// `emulator`.
#[derive(Debug, Args)]
pub struct EmulatorArgs {
    /// The emulator's own options.
    #[command(flatten)]
    pub serve: ServeArgs,
}

fn parse_delay(s: &str) -> Result<Duration, String> {
    hubspot_postal_emulator::parse_duration(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}

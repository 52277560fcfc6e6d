//! The command line: `-v`, one struct of options per subcommand, and the API options
//! ([`ApiArgs`]) of those that talk to HubSpot, parsed by clap's derive.
//!
//! Ids, object types, timestamps and attachment lists are parsed here with the model's own
//! types, so a malformed value is refused before anything is sent.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use hubspot_postal::model::association::AssociationTypeId;
use hubspot_postal::model::attachments::AttachmentIds;
use hubspot_postal::model::ids::{OwnerId, PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::search::Filter;
use hubspot_postal_emulator::ServeArgs;

use crate::api_args::ApiArgs;
use crate::commands::search::parse_filter;
use crate::timestamp_arg::TimestampArg;

/// HubSpot CRM postal mail from the command line.
///
/// Authenticate with a private app access token in HUBSPOT_ACCESS_TOKEN, or with
/// --token-file PATH. The token is never printed.
#[derive(Debug, Parser)]
#[command(name = "hubspot-postal", version, about, long_about = None)]
pub struct Cli {
    /// Options every subcommand takes, `emulator` and `completions` too.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The API options when given before the subcommand; [`Cli::parse_from_args`] hands
    /// them to the subcommand's own [`ApiArgs`].
    #[command(flatten)]
    pub leading: ApiArgs,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options of every subcommand.
#[derive(Debug, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// Say what is being done on stderr (never the token, never letter text).
    #[arg(long, short, global = true)]
    pub verbose: bool,
}

impl Cli {
    /// Parses `args` (the program name first), taking the API options typed before the
    /// subcommand into the subcommand's own (see [`ApiArgs::take_leading`]).
    pub fn parse_from_args<I, T>(args: I) -> Result<Self, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        let mut command = Self::command();
        let matches = command.try_get_matches_from_mut(args)?;
        let mut cli = Self::from_arg_matches(&matches).map_err(|e| e.format(&mut command))?;
        match (cli.command.api_mut(), matches.subcommand()) {
            (Some(api), Some((_, own))) => api.take_leading(own, cli.leading.clone(), &matches),
            // `emulator` and `completions` talk to no HubSpot: an API option typed before them
            // would be ignored in silence, so it is refused like one typed after them.
            (None, Some((name, _))) => {
                if let Some(flag) = ApiArgs::typed_flags(&matches).into_iter().next() {
                    let message = format!(
                        "{flag} applies to the subcommands that talk to HubSpot, not to '{name}'"
                    );
                    return Err(command.error(clap::error::ErrorKind::ArgumentConflict, message));
                }
            }
            (_, None) => {}
        }
        Ok(cli)
    }
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

impl Command {
    /// The API options of a subcommand that talks to HubSpot; `None` for `emulator` and
    /// `completions`.
    pub fn api(&self) -> Option<&ApiArgs> {
        match self {
            Command::Create(a) => Some(&a.api),
            Command::Get(a) => Some(&a.api),
            Command::List(a) => Some(&a.api),
            Command::Update(a) => Some(&a.api),
            Command::Delete(a) => Some(&a.api),
            Command::Associate(a) => Some(&a.api),
            Command::Dissociate(a) => Some(&a.api),
            Command::Pin(a) => Some(&a.api),
            Command::Unpin(a) => Some(&a.api),
            Command::Search(a) => Some(&a.api),
            Command::Import(a) => Some(&a.api),
            Command::Emulator(_) | Command::Completions(_) => None,
        }
    }

    /// [`Command::api`], to change.
    pub fn api_mut(&mut self) -> Option<&mut ApiArgs> {
        match self {
            Command::Create(a) => Some(&mut a.api),
            Command::Get(a) => Some(&mut a.api),
            Command::List(a) => Some(&mut a.api),
            Command::Update(a) => Some(&mut a.api),
            Command::Delete(a) => Some(&mut a.api),
            Command::Associate(a) => Some(&mut a.api),
            Command::Dissociate(a) => Some(&mut a.api),
            Command::Pin(a) => Some(&mut a.api),
            Command::Unpin(a) => Some(&mut a.api),
            Command::Search(a) => Some(&mut a.api),
            Command::Import(a) => Some(&mut a.api),
            Command::Emulator(_) | Command::Completions(_) => None,
        }
    }
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
}

/// `delete`.
#[derive(Debug, Args)]
pub struct DeleteArgs {
    /// The letter's id.
    pub id: PostalMailId,
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
}

/// `pin`.
#[derive(Debug, Args)]
pub struct PinArgs {
    /// The letter and the record to pin it on.
    #[command(flatten)]
    pub pair: Pair,
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
}

/// `unpin`.
#[derive(Debug, Args)]
pub struct UnpinArgs {
    /// contact, company, deal or ticket.
    pub object_type: ObjectType,
    /// The record's id.
    pub record_id: RecordId,
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    /// Where HubSpot is and how to reach it.
    #[command(flatten)]
    pub api: ApiArgs,
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
    use hubspot_postal::model::endpoints::ApiVersion;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }

    fn api_of(line: &str) -> ApiArgs {
        let cli =
            Cli::parse_from_args(line.split_whitespace()).unwrap_or_else(|e| panic!("{line}: {e}"));
        cli.command
            .api()
            .cloned()
            .unwrap_or_else(|| panic!("{line}: no API options"))
    }

    #[test]
    fn api_options_parse_before_and_after_the_subcommand_and_after_wins() {
        // Before the subcommand: the form of docs/cli.md and of older scripts.
        let before = api_of(
            "hubspot-postal --base-url http://127.0.0.1:1 --token-file t --api-version v3 \
             --no-rate-limit --redis-url redis://r --portal-key acme list --max 1",
        );
        let after = api_of(
            "hubspot-postal list --max 1 --base-url http://127.0.0.1:1 --token-file t \
             --api-version v3 --no-rate-limit --redis-url redis://r --portal-key acme",
        );
        for api in [&before, &after] {
            assert_eq!(api.base_url, "http://127.0.0.1:1");
            assert_eq!(api.token_file, Some(PathBuf::from("t")));
            assert_eq!(api.api_version, ApiVersion::V3);
            assert!(api.no_rate_limit);
            assert_eq!(api.redis_url.as_deref(), Some("redis://r"));
            assert_eq!(api.portal_key.as_deref(), Some("acme"));
        }
        let both = api_of(
            "hubspot-postal --base-url http://127.0.0.1:1 --portal-key a import f.csv \
             --base-url http://127.0.0.1:2",
        );
        assert_eq!(
            both.base_url, "http://127.0.0.1:2",
            "after the subcommand wins"
        );
        assert_eq!(
            both.portal_key.as_deref(),
            Some("a"),
            "before it still counts"
        );
        // Every networked subcommand takes them after its name.
        for line in [
            "create --timestamp now --portal-key p",
            "get 1 --portal-key p",
            "update 1 --portal-key p",
            "delete 1 --portal-key p",
            "associate 1 contact 2 --portal-key p",
            "dissociate 1 contact 2 --portal-key p",
            "pin 1 contact 2 --portal-key p",
            "unpin contact 2 --portal-key p",
            "search --query x --portal-key p",
        ] {
            let api = api_of(&format!("hubspot-postal {line}"));
            assert_eq!(api.portal_key.as_deref(), Some("p"), "{line}");
        }
    }

    #[test]
    fn api_version_takes_each_literal_and_refuses_others_with_the_list() {
        for version in ApiVersion::ALL {
            let api = api_of(&format!("hubspot-postal list --api-version {version}"));
            assert_eq!(api.api_version, version);
        }
        let error = Cli::parse_from_args(["hubspot-postal", "list", "--api-version", "2024-01"])
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            error.contains("2024-01")
                && error.contains("[possible values: v3, 2025-09, 2026-03, 2026-09, 2026-09-beta]"),
            "{error}"
        );
    }

    #[test]
    fn emulator_and_completions_take_no_api_options_but_v() {
        let cli = Cli::parse_from_args(["hubspot-postal", "emulator", "-v", "--port", "0"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(cli.global.verbose && cli.command.api().is_none());
        assert!(
            Cli::parse_from_args(["hubspot-postal", "emulator", "--redis-url", "redis://r"])
                .is_err()
        );
        assert!(
            Cli::parse_from_args(["hubspot-postal", "completions", "bash", "--base-url", "x"])
                .is_err()
        );
    }

    #[test]
    fn an_api_option_before_emulator_or_completions_is_refused_not_ignored() {
        for (line, flag, name) in [
            (
                "--base-url http://127.0.0.1:1 emulator",
                "--base-url",
                "emulator",
            ),
            (
                "--no-rate-limit emulator --port 0",
                "--no-rate-limit",
                "emulator",
            ),
            (
                "--api-version v3 completions bash",
                "--api-version",
                "completions",
            ),
            (
                "--portal-key p completions zsh",
                "--portal-key",
                "completions",
            ),
        ] {
            let args = std::iter::once("hubspot-postal").chain(line.split_whitespace());
            let error = Cli::parse_from_args(args).map(|_| ()).unwrap_err();
            assert_eq!(
                error.kind(),
                clap::error::ErrorKind::ArgumentConflict,
                "{line}"
            );
            let text = error.to_string();
            assert!(
                text.contains(&format!(
                    "{flag} applies to the subcommands that talk to HubSpot, not to '{name}'"
                )),
                "{line}: {text}"
            );
        }
        // `-v` is an option of every subcommand, before or after.
        let cli = Cli::parse_from_args(["hubspot-postal", "-v", "emulator", "--port", "0"])
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(cli.global.verbose);
    }
}

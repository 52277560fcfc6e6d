//! The import itself: check every row, reconcile what an earlier run left unsettled, send
//! the rest chunk by chunk with the state saved around each, report, summarise.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::model::properties::validate_name;
use hubspot_postal::{Client, ItemError};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::reader::{self, Position};
use super::reconcile::{self, Unsettled};
use super::report::{Report, Status};
use super::row;
use super::state::{ImportState, RowState};
use crate::args::ImportArgs;
use crate::error::CliError;

/// A row that passed every check, ready to send.
#[derive(Debug)]
struct Ready<'a> {
    at: Position,
    key: String,
    input: CreatePostalMail,
    original: &'a str,
}

/// What became of the rows; every row is counted exactly once.
#[derive(Debug, Default)]
struct Counts {
    total: usize,
    created: usize,
    already: usize,
    invalid: usize,
    rejected: usize,
    maybe_applied: usize,
    not_sent: usize,
}

impl Counts {
    fn not_created(&self) -> usize {
        self.invalid + self.rejected + self.maybe_applied + self.not_sent
    }

    fn summary(&self, file: &Path) -> String {
        let mut line = format!(
            "{}: {} rows: {} created, {} already imported, {} invalid, {} rejected, {} maybe applied",
            file.display(),
            self.total,
            self.created,
            self.already,
            self.invalid,
            self.rejected,
            self.maybe_applied
        );
        if self.not_sent > 0 {
            line.push_str(&format!(", {} not sent", self.not_sent));
        }
        line
    }
}

fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// Errors after which sending more chunks is pointless: the token is refused, or the daily
/// limit is spent (it resets at midnight in the portal's time zone).
fn is_fatal(error: &hubspot_postal::Error) -> bool {
    matches!(error.status(), Some(401 | 403))
        || error.rate_limit_policy() == Some(&RateLimitPolicy::Daily)
}

fn progress(len: usize) -> ProgressBar {
    // Drawn on stderr, and only for a person watching: piped or captured output stays clean.
    let target = if std::io::stdout().is_terminal() {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    };
    let bar = ProgressBar::with_draw_target(Some(len as u64), target);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows  {elapsed}  {msg}") {
        bar.set_style(style);
    }
    bar
}

/// Runs `import`.
pub async fn run(
    client: &Client,
    args: ImportArgs,
    verbose: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let format = reader::format_of(&args.file, args.format)?;
    let key_property = args.key_property.as_deref();
    if let Some(name) = key_property {
        validate_name(name)?;
    }
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| beside(&args.file, ".report.csv"));
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| beside(&args.file, ".state.json"));
    let rows = reader::read(&args.file, format)?;
    let mut state = ImportState::load(&state_path, &args.file)?;
    let mut report = Report::create(&report_path)?;
    let mut counts = Counts {
        total: rows.len(),
        ..Counts::default()
    };

    // Check every row before anything is sent.
    let readable: Vec<&reader::RawRow> = rows.iter().filter_map(|r| r.as_ref().ok()).collect();
    let mut keys = row::keys(&readable).into_iter();
    let mut ready: Vec<Ready<'_>> = Vec::new();
    for r in &rows {
        let raw = match r {
            Ok(raw) => raw,
            Err(bad) => {
                counts.invalid += 1;
                report.add(bad.at, Status::Invalid, &bad.reason, &bad.original)?;
                continue;
            }
        };
        let checked = keys
            .next()
            .unwrap_or_else(|| Err("internal error: no key for this row".to_owned()))
            .and_then(|key| row::to_input(raw, &key, key_property).map(|input| (key, input)));
        match checked {
            Ok((key, input)) => ready.push(Ready {
                at: raw.at,
                key,
                input,
                original: &raw.original,
            }),
            Err(reason) => {
                counts.invalid += 1;
                report.add(raw.at, Status::Invalid, &reason, &raw.original)?;
            }
        }
    }
    report.flush()?;

    // Rows an earlier run may have created without recording it: find them before resending.
    let unsettled_rows: Vec<&Ready<'_>> = ready
        .iter()
        .filter(|r| state.get(&r.key).is_some_and(RowState::is_unsettled))
        .collect();
    let unsettled: Vec<Unsettled<'_>> = unsettled_rows
        .iter()
        .map(|r| Unsettled {
            key: &r.key,
            input: &r.input,
        })
        .collect();
    if !unsettled.is_empty() {
        if verbose {
            eprintln!(
                "waiting {:?} for HubSpot's search index, then reconciling {} row(s)",
                args.reconcile_delay,
                unsettled.len()
            );
        }
        tokio::time::sleep(args.reconcile_delay).await;
        let taken: HashSet<String> = state.done_ids().map(str::to_owned).collect();
        let found = reconcile::find(client, &unsettled, key_property, &taken).await?;
        for r in &unsettled_rows {
            match found.get(&r.key) {
                Some(id) => state.set(
                    &r.key,
                    RowState::Done {
                        row: r.at.row,
                        id: id.clone(),
                    },
                ),
                None => state.forget(&r.key),
            }
        }
        state.save()?;
        writeln!(
            out,
            "reconciled {} row(s) an earlier run left unsettled: {} found in HubSpot, {} to send again",
            unsettled.len(),
            found.len(),
            unsettled.len() - found.len()
        )
        .map_err(CliError::stdout)?;
    }

    let (done, to_send): (Vec<&Ready<'_>>, Vec<&Ready<'_>>) = ready
        .iter()
        .partition(|r| matches!(state.get(&r.key), Some(RowState::Done { .. })));
    counts.already = done.len();
    let bar = progress(to_send.len());
    let chunk_size = usize::try_from(args.chunk_size).unwrap_or(100).max(1);
    let mut answered: u32 = 0;
    let mut fatal: Option<Arc<hubspot_postal::Error>> = None;
    let mut sent = 0usize;
    for chunk in to_send.chunks(chunk_size) {
        // Recorded before sending: if the process dies from here on, a re-run knows these rows
        // may exist and reconciles them instead of creating them again.
        for r in chunk {
            state.set(&r.key, RowState::InFlight { row: r.at.row });
        }
        state.save()?;
        let inputs: Vec<CreatePostalMail> = chunk.iter().map(|r| r.input.clone()).collect();
        let outcome = client.batch_create(inputs).await;
        answered += 1;
        if args.interrupt_after_chunks == Some(answered) {
            // The test hook: stop as a kill would, with this chunk's answer unrecorded.
            bar.abandon();
            std::process::exit(130);
        }
        let items: Vec<Result<String, ItemError>> = match outcome {
            Ok(outcome) => outcome
                .items
                .into_iter()
                .map(|item| item.map(|letter| letter.id.to_string()))
                .collect(),
            Err(e) => {
                let shared = Arc::new(e);
                chunk
                    .iter()
                    .map(|_| Err(ItemError::Request(shared.clone())))
                    .collect()
            }
        };
        let (mut created, mut rejected, mut maybe) = (0, 0, 0);
        for (r, item) in chunk.iter().zip(items) {
            match item {
                Ok(id) => {
                    created += 1;
                    state.set(&r.key, RowState::Done { row: r.at.row, id });
                }
                Err(ItemError::Request(e)) if e.may_have_been_applied() => {
                    maybe += 1;
                    let error = e.to_string();
                    report.add(
                        r.at,
                        Status::MaybeApplied,
                        &format!("{error}; run the import again to reconcile"),
                        r.original,
                    )?;
                    state.set(
                        &r.key,
                        RowState::MaybeApplied {
                            row: r.at.row,
                            error,
                        },
                    );
                }
                Err(e) => {
                    rejected += 1;
                    if let ItemError::Request(err) = &e
                        && is_fatal(err)
                    {
                        fatal.get_or_insert_with(|| err.clone());
                    }
                    report.add(r.at, Status::Rejected, &e.to_string(), r.original)?;
                    state.forget(&r.key);
                }
            }
        }
        state.save()?;
        report.flush()?;
        counts.created += created;
        counts.rejected += rejected;
        counts.maybe_applied += maybe;
        sent += chunk.len();
        bar.inc(chunk.len() as u64);
        if verbose {
            bar.suspend(|| {
                eprintln!(
                    "chunk {answered}: {} row(s): {created} created, {rejected} rejected, {maybe} maybe applied",
                    chunk.len()
                );
            });
        }
        if fatal.is_some() {
            break;
        }
    }
    bar.finish_and_clear();
    if let Some(error) = &fatal {
        let reason = format!("not sent: the import stopped after: {error}");
        for r in &to_send[sent..] {
            counts.not_sent += 1;
            report.add(r.at, Status::NotSent, &reason, r.original)?;
        }
    }
    let report_path = report.finish()?;
    writeln!(out, "{}", counts.summary(&args.file)).map_err(CliError::stdout)?;
    if let Some(path) = &report_path {
        writeln!(out, "report: {}", path.display()).map_err(CliError::stdout)?;
    }
    if let Some(error) = fatal {
        return Err(hubspot_postal::Error::Shared(error).into());
    }
    if counts.not_created() > 0 {
        let mut message = format!(
            "{} of {} rows were not created{}",
            counts.not_created(),
            counts.total,
            report_path
                .as_ref()
                .map(|p| format!("; see {}", p.display()))
                .unwrap_or_default()
        );
        if counts.maybe_applied > 0 {
            message.push_str(&format!(
                "; run the same command again to reconcile the {} row(s) that may have been applied",
                counts.maybe_applied
            ));
        }
        return Err(CliError::Incomplete(message));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_in_the_summary() {
        let c = Counts {
            total: 10,
            created: 4,
            already: 1,
            invalid: 2,
            rejected: 1,
            maybe_applied: 1,
            not_sent: 1,
        };
        assert_eq!(
            c.created + c.already + c.not_created(),
            c.total,
            "every row is counted once"
        );
        assert_eq!(
            c.summary(Path::new("a.csv")),
            "a.csv: 10 rows: 4 created, 1 already imported, 2 invalid, 1 rejected, 1 maybe applied, 1 not sent"
        );
        assert_eq!(
            beside(Path::new("dir/a.csv"), ".state.json"),
            PathBuf::from("dir/a.csv.state.json")
        );
    }
}

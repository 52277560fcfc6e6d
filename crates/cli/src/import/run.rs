//! The import itself: check every row, settle what an earlier run left unsettled, send the
//! rest chunk by chunk with the state saved around each, report, summarise.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use hubspot_postal::Client;
use hubspot_postal::model::properties::validate_name;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::reader;
use super::reconcile::{self, Unsettled};
use super::report::{Report, Status};
use super::row::{self, Ready};
use super::send::{self, Sent};
use super::state::{ImportState, RowState, SentAs};
use crate::args::ImportArgs;
use crate::error::CliError;

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

/// What to tell the user to do about a row that may have been applied.
fn again_hint(key_property: Option<&str>) -> &'static str {
    match key_property {
        Some(_) => {
            "run the import again: it sends the row again as an upsert, which cannot create it twice"
        }
        None => "run the import again to reconcile",
    }
}

/// Rows an earlier run left unsettled: found in HubSpot before anything is sent again (by
/// content), or, when rows are sent as upserts, simply sent again. Returns the line to print.
async fn settle(
    client: &Client,
    ready: &[Ready<'_>],
    state: &mut ImportState,
    args: &ImportArgs,
    verbose: bool,
) -> Result<Option<String>, CliError> {
    let unsettled_rows: Vec<&Ready<'_>> = ready
        .iter()
        .filter(|r| state.get(&r.key).is_some_and(RowState::is_unsettled))
        .collect();
    if unsettled_rows.is_empty() {
        return Ok(None);
    }
    if let Some(property) = &args.key_property {
        return Ok(Some(format!(
            "{} row(s) an earlier run left unsettled are sent again as upserts keyed by {property}, which cannot create them twice",
            unsettled_rows.len()
        )));
    }
    let unsettled: Vec<Unsettled<'_>> = unsettled_rows
        .iter()
        .map(|r| Unsettled {
            key: &r.key,
            input: &r.input,
        })
        .collect();
    if verbose {
        eprintln!(
            "reconciling {} row(s), searching again for up to {:?} while HubSpot's search index catches up",
            unsettled.len(),
            args.reconcile_max_wait
        );
    }
    let taken: HashSet<String> = state.done_ids().map(str::to_owned).collect();
    let found = reconcile::find(client, &unsettled, &taken, args.reconcile_max_wait).await?;
    for r in &unsettled_rows {
        match found.ids.get(&r.key) {
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
    Ok(Some(format!(
        "reconciled {} row(s) an earlier run left unsettled: {} found in HubSpot, {} to send again (searched {} time(s), waited {:.1}s for HubSpot's search index)",
        unsettled.len(),
        found.ids.len(),
        unsettled.len() - found.ids.len(),
        found.searches,
        found.waited.as_secs_f64()
    )))
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
    state.send_as(SentAs::of(key_property))?;
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
            .and_then(|key| row::check(raw, &key, key_property).map(|c| (key, c)));
        match checked {
            Ok((key, checked)) => ready.push(Ready {
                at: raw.at,
                key,
                input: checked.input,
                links: checked.links,
                original: &raw.original,
            }),
            Err(reason) => {
                counts.invalid += 1;
                report.add(raw.at, Status::Invalid, &reason, &raw.original)?;
            }
        }
    }
    report.flush()?;

    if let Some(line) = settle(client, &ready, &mut state, &args, verbose).await? {
        writeln!(out, "{line}").map_err(CliError::stdout)?;
    }

    let (done, to_send): (Vec<&Ready<'_>>, Vec<&Ready<'_>>) = ready
        .iter()
        .partition(|r| matches!(state.get(&r.key), Some(RowState::Done { .. })));
    counts.already = done.len();
    let bar = progress(to_send.len());
    let chunk_size = usize::try_from(args.chunk_size).unwrap_or(100).max(1);
    let hint = again_hint(key_property);
    let mut answered: u32 = 0;
    let mut fatal: Option<Arc<hubspot_postal::Error>> = None;
    let mut sent = 0usize;
    for chunk in to_send.chunks(chunk_size) {
        // Recorded (and on disk) before sending: if the process dies from here on, a re-run
        // knows these rows may exist and reconciles them instead of creating them again.
        for r in chunk {
            state.set(&r.key, RowState::InFlight { row: r.at.row });
        }
        state.save()?;
        let outcomes = match key_property {
            Some(property) => send::upsert(client, chunk, property).await,
            None => send::create(client, chunk).await,
        };
        answered += 1;
        if args.interrupt_after_chunks == Some(answered) {
            // The test hook: stop as a kill would, with this chunk's answer unrecorded.
            bar.abandon();
            std::process::exit(130);
        }
        let (mut created, mut existed, mut rejected, mut maybe) = (0, 0, 0, 0);
        for (r, outcome) in chunk.iter().zip(outcomes) {
            match outcome {
                Sent::Created(id) => {
                    state.set(&r.key, RowState::Done { row: r.at.row, id });
                    created += 1;
                }
                Sent::Existed(id) => {
                    state.set(&r.key, RowState::Done { row: r.at.row, id });
                    existed += 1;
                }
                Sent::Maybe(error) => {
                    maybe += 1;
                    report.add(
                        r.at,
                        Status::MaybeApplied,
                        &format!("{error}; {hint}"),
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
                Sent::Rejected { reason, fatal: f } => {
                    rejected += 1;
                    if let Some(f) = f {
                        fatal.get_or_insert(f);
                    }
                    report.add(r.at, Status::Rejected, &reason, r.original)?;
                    state.forget(&r.key);
                }
            }
        }
        state.save()?;
        report.flush()?;
        counts.created += created;
        counts.already += existed;
        counts.rejected += rejected;
        counts.maybe_applied += maybe;
        sent += chunk.len();
        bar.inc(chunk.len() as u64);
        if verbose {
            bar.suspend(|| {
                eprintln!(
                    "chunk {answered}: {} row(s): {created} created, {existed} already there, {rejected} rejected, {maybe} maybe applied",
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

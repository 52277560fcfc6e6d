//! The import itself: check `--key-property`, read the file through once, settle what an
//! earlier run left unsettled, then stream the rows to HubSpot chunk by chunk, report,
//! summarise; on Ctrl-C, record what was answered and say how to resume.

use std::ffi::OsString;
use std::io::Write;
use std::path::{Path, PathBuf};

use hubspot_postal::Client;
use hubspot_postal::model::properties::validate_name;

use super::counts::Counts;
use super::key_property;
use super::pipeline::{End, Pipeline};
use super::progress::Progress;
use super::reader;
use super::reconcile::{self, Unsettled};
use super::report::Report;
use super::row::{KeyIndex, Ready};
use super::scan;
use super::state::{ImportState, RowState, SentAs};
use crate::args::ImportArgs;
use crate::error::CliError;
use crate::rate_waits::RateWaits;

/// The exit code of an interrupted import, as a shell reports a process ended by SIGINT.
const EXIT_INTERRUPTED: i32 = 130;

fn beside(file: &Path, suffix: &str) -> PathBuf {
    let mut name = OsString::from(file.as_os_str());
    name.push(suffix);
    PathBuf::from(name)
}

/// Ctrl-C, from here on, counted: one listener for the whole import, so that none is lost
/// between its steps. (A Ctrl-C during the first pass, which sends nothing, is seen when it
/// ends.) Where the handler cannot be installed, Ctrl-C keeps its default: the process ends,
/// as after a kill, which the state file is made for.
fn listen_for_ctrl_c() -> tokio::sync::watch::Receiver<u32> {
    let (tx, rx) = tokio::sync::watch::channel(0u32);
    tokio::spawn(async move {
        let mut n: u32 = 0;
        while tokio::signal::ctrl_c().await.is_ok() {
            n = n.saturating_add(1);
            if tx.send(n).is_err() {
                break;
            }
        }
    });
    rx
}

/// Says how far an interrupted import got and how to resume it, and exits as a process
/// stopped by SIGINT does.
fn exit_interrupted(done: u64, rows: usize, report: Option<&Path>, out: &mut dyn Write) -> ! {
    eprintln!("interrupted after {done} of {rows} rows; run the same command to resume");
    if let Some(path) = report {
        eprintln!("report: {}", path.display());
    }
    let _ = out.flush();
    std::process::exit(EXIT_INTERRUPTED);
}

/// Rows an earlier run left unsettled: found in HubSpot before anything is sent again (by
/// content), or, when rows are sent as upserts, simply sent again. Returns the line to print.
async fn settle(
    client: &Client,
    unsettled_rows: &[Ready],
    state: &mut ImportState,
    args: &ImportArgs,
    verbose: bool,
    progress: &Progress,
) -> Result<Option<String>, CliError> {
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
            key: r.key,
            input: &r.input,
        })
        .collect();
    if verbose {
        progress.println(&format!(
            "reconciling {} row(s), searching again for up to {:?} while HubSpot's search index catches up",
            unsettled.len(),
            args.reconcile_max_wait
        ));
    }
    progress.word(format!(
        "reconciling {} row(s) an earlier run left unsettled",
        unsettled.len()
    ));
    let taken = state.done_ids();
    let found = reconcile::find(client, &unsettled, &taken, args.reconcile_max_wait).await?;
    for r in unsettled_rows {
        match found.ids.get(&r.key) {
            Some(id) => state.set(
                r.key,
                RowState::Done {
                    row: r.at.row,
                    id: id.clone(),
                },
            ),
            None => state.forget(&r.key),
        }
    }
    state.save()?;
    progress.inc(found.ids.len());
    progress.word("");
    Ok(Some(format!(
        "reconciled {} row(s) an earlier run left unsettled: {} found in HubSpot, {} to send again (searched {} time(s), waited {:.1}s for HubSpot's search index)",
        unsettled.len(),
        found.ids.len(),
        unsettled.len() - found.ids.len(),
        found.searches,
        found.waited.as_secs_f64()
    )))
}

/// Runs `import`; `waits` are the client's waits for the rate limit, for the bar.
pub async fn run(
    client: &Client,
    args: ImportArgs,
    verbose: bool,
    waits: &RateWaits,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let format = reader::format_of(&args.file, args.format)?;
    let key_property = args.key_property.as_deref();
    if let Some(name) = key_property {
        validate_name(name)?;
        if let Some(warning) = key_property::check(client, name).await? {
            eprintln!("{warning}");
        }
    }
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| beside(&args.file, ".report.csv"));
    let state_path = args
        .state
        .clone()
        .unwrap_or_else(|| beside(&args.file, ".state.json"));
    let mut state = ImportState::load(&state_path, &args.file)?;
    state.send_as(SentAs::of(key_property))?;

    let mut interrupts = listen_for_ctrl_c();
    // The first pass: nothing is sent from a file that cannot be read to its end.
    // Off the async threads; the state comes back with the result.
    let (file, property) = (args.file.clone(), args.key_property.clone());
    let (mut state, index, scanned) = tokio::task::spawn_blocking(move || {
        let mut index = KeyIndex::default();
        let scanned = scan::scan(&file, format, &state, property.as_deref(), &mut index);
        (state, index, scanned)
    })
    .await
    .map_err(|e| CliError::Usage(format!("internal error: the first pass failed: {e}")))?;
    let scanned = scanned?;
    state.reserve(scanned.rows);
    let progress = Progress::new(scanned.rows, scanned.done, waits.clone());

    // Ctrl-C while reconciling: nothing has changed yet (the state is written only once
    // reconciliation has its answer, without a pause in between), so stopping is clean.
    let settled = tokio::select! {
        settled = settle(
            client,
            &scanned.unsettled,
            &mut state,
            &args,
            verbose,
            &progress,
        ) => settled,
        Ok(()) = interrupts.changed() => {
            let done = progress.position();
            progress.clear();
            exit_interrupted(done, scanned.rows, None, out);
        }
    };
    let settled = match settled {
        Ok(line) => line,
        Err(e) => {
            progress.clear();
            return Err(e);
        }
    };
    drop(scanned.unsettled);
    let mut report = match Report::create(&report_path) {
        Ok(report) => report,
        Err(e) => {
            progress.clear();
            return Err(e);
        }
    };
    if let Some(line) = settled {
        progress.println_out(out, &line)?;
    }

    let mut counts = Counts::default();
    let mut pipeline = Pipeline {
        client,
        state: &mut state,
        report: &mut report,
        counts: &mut counts,
        progress: &progress,
        key_property,
        chunk_size: usize::try_from(args.chunk_size).unwrap_or(100).max(1),
        interrupt_after: args.interrupt_after_chunks,
        verbose,
        interrupts,
    };
    let end = pipeline.run(args.file.clone(), format, index).await;
    let done = progress.position();
    progress.clear();
    let end = end?;
    if matches!(end, End::Interrupted) {
        let report_path = report.finish()?;
        exit_interrupted(done, scanned.rows, report_path.as_deref(), out);
    }
    state.finish()?;
    let report_path = report.finish()?;
    writeln!(out, "{}", counts.summary(&args.file)).map_err(CliError::stdout)?;
    if let Some(path) = &report_path {
        writeln!(out, "report: {}", path.display()).map_err(CliError::stdout)?;
    }
    if let End::Fatal(error) = end {
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
    fn files_beside_the_import() {
        assert_eq!(
            beside(Path::new("dir/a.csv"), ".state.json"),
            PathBuf::from("dir/a.csv.state.json")
        );
    }
}

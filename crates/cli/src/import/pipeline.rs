//! The second pass: rows read, checked and keyed, chunked, recorded and sent, one request at
//! a time, while the file is still being read (by this loop, while a request is out).
//!
//! The order that makes it exactly-once: a chunk's rows are on disk as `in_flight` (its
//! [`Commit`](super::state::Commit) returned) before the chunk is handed to the client. To
//! keep the sync off the request's path, the next chunks (up to [`RECORD_AHEAD`]) are recorded
//! while the current one is in flight, and answers are recorded with the next commit (one
//! sync per chunk: a sync for answers alone would hold up the next chunk's). So a kill leaves
//! `in_flight` the chunks answered since the last sync, the one out and the ones recorded after
//! it, all reconciled by the next run (those never sent are not found, and are sent again
//! after `--reconcile-max-wait`). A chunk recorded but never handed to the client is known
//! unsent: a stop that is not a kill (Ctrl-C, a refused token) forgets it.
//!
//! A request leaves as soon as the answer before it is in (and its chunk is on disk as in
//! flight): everything else (checking and recording that answer, recording the next chunks,
//! reading rows, a few at a time) is done while it is out. Memory stays flat: rows are read
//! only while fewer than [`RECORD_AHEAD`] chunks wait to be sent.

use std::collections::VecDeque;
use std::mem;
use std::path::PathBuf;
use std::sync::Arc;
use std::task::Poll;
use std::time::{Duration, Instant};

use hubspot_postal::{Client, Error};
use tokio::task::{JoinError, JoinHandle};

use super::counts::Counts;
use super::feed::{Feed, Row};
use super::progress::{Pace, Progress};
use super::report::{Report, Status};
use super::row::{KeyIndex, Placed, Ready};
use super::send::{self, Answer, Sent};
use super::state::{Commit, ImportState, RowState, Status as Known};
use crate::args::ImportFormat;
use crate::error::CliError;

/// How long Ctrl-C waits for the answer to the request in flight, so that it is recorded.
const INTERRUPT_GRACE: Duration = Duration::from_secs(5);
/// Chunks recorded `in_flight` ahead of the one being sent, so that the state's sync runs
/// while a request is out (two: one sync may then cover two chunks when syncs are slower
/// than requests).
const RECORD_AHEAD: usize = 2;
/// Rows read between two looks at the request in flight (some 60 µs of reading and checking):
/// an answer that comes in meanwhile waits for no more than that before the next request
/// leaves.
const READ_STEP: usize = 20;
/// A predicted wait for the rate limit worth saying on the bar.
const WORTH_SAYING: Duration = Duration::from_millis(50);

/// How the second pass ended.
#[derive(Debug)]
pub enum End {
    /// Every row was read and every chunk answered.
    Complete,
    /// Sending more was pointless (refused token, daily limit); the rest is reported not sent.
    Fatal(Arc<Error>),
    /// Ctrl-C.
    Interrupted,
}

/// A chunk waiting to be sent.
#[derive(Debug)]
struct Queued {
    rows: Vec<Ready>,
    /// The commit that holds its `in_flight` records, once recorded.
    commit: Option<u64>,
    durable: bool,
}

/// Everything the second pass updates.
pub struct Pipeline<'a> {
    /// The client.
    pub client: &'a Client,
    /// The state.
    pub state: &'a mut ImportState,
    /// The report.
    pub report: &'a mut Report,
    /// The counts.
    pub counts: &'a mut Counts,
    /// The bar.
    pub progress: &'a Progress,
    /// `--key-property`.
    pub key_property: Option<&'a str>,
    /// Rows per request.
    pub chunk_size: usize,
    /// The test hook `--interrupt-after-chunks`.
    pub interrupt_after: Option<u32>,
    /// `-v`.
    pub verbose: bool,
    /// Ctrl-C, counted since the import started.
    pub interrupts: tokio::sync::watch::Receiver<u32>,
}

/// A chunk's request, polled by the loop itself (no task of its own: its answer wakes the
/// loop directly).
type Sending = std::pin::Pin<Box<dyn std::future::Future<Output = (Vec<Placed>, Answer)> + Send>>;

async fn polled(sending: &mut Option<Sending>) -> (Vec<Placed>, Answer) {
    match sending {
        Some(s) => s.await,
        None => std::future::pending().await,
    }
}

/// Polls a request just made once, so that it leaves now rather than after the bookkeeping
/// that follows it; an answer already there is kept for the loop to take.
async fn start(sending: &mut Option<Sending>) {
    let Some(request) = sending.as_mut() else {
        return;
    };
    let polled = std::future::poll_fn(|cx| Poll::Ready(request.as_mut().poll(cx))).await;
    if let Poll::Ready(answered) = polled {
        *sending = Some(Box::pin(std::future::ready(answered)));
    }
}

async fn joined<T>(handle: &mut Option<JoinHandle<T>>) -> Result<T, JoinError> {
    match handle {
        Some(h) => h.await,
        None => std::future::pending().await,
    }
}

fn writing_failed(path: &std::path::Path, e: JoinError) -> CliError {
    CliError::io("writing", path, std::io::Error::other(e.to_string()))
}

impl Pipeline<'_> {
    /// Runs the second pass over `path`, keying rows with `index` from its first row.
    pub async fn run(
        &mut self,
        path: PathBuf,
        format: ImportFormat,
        index: KeyIndex,
    ) -> Result<End, CliError> {
        let mut feed = Feed::open(&path, format, self.key_property, index)?;

        let mut building: Vec<Ready> = Vec::with_capacity(self.chunk_size);
        let mut queue: VecDeque<Queued> = VecDeque::new();
        let mut sending: Option<Sending> = None;
        let mut committing: Option<JoinHandle<Result<Commit, CliError>>> = None;
        let mut commits: u64 = 0;
        let mut reading = true;
        let mut stop: Option<End> = None;
        let mut answered: u32 = 0;
        let mut pace = Pace::default();
        let mut grace = Box::pin(tokio::time::sleep(Duration::MAX));

        loop {
            if stop.is_none() {
                // A sync is worth it when a chunk waits to be recorded in flight; the answers'
                // records ride along (a sync for them alone would hold up the next chunk's).
                let to_record = queue.iter().take(RECORD_AHEAD).any(|q| q.commit.is_none());
                if committing.is_none() && (to_record || !reading) {
                    commits += 1;
                    for q in queue
                        .iter_mut()
                        .take(RECORD_AHEAD)
                        .filter(|q| q.commit.is_none())
                    {
                        for r in &q.rows {
                            self.state.set(r.key, RowState::InFlight { row: r.at.row });
                        }
                        q.commit = Some(commits);
                    }
                    match self.state.commit()? {
                        Some(c) => committing = Some(tokio::task::spawn_blocking(move || c.run())),
                        // Nothing was pending, or it was written at once.
                        None => queue
                            .iter_mut()
                            .filter(|q| q.commit.is_some())
                            .for_each(|q| q.durable = true),
                    }
                }
                if sending.is_none() {
                    sending = self.next_send(&mut queue, &mut pace);
                    start(&mut sending).await;
                }
            }
            let drained = !reading && queue.is_empty() && building.is_empty();
            if sending.is_none() && committing.is_none() && (stop.is_some() || drained) {
                break;
            }
            let want_rows = reading && stop.is_none() && queue.len() < RECORD_AHEAD;
            // In this order: an answer first (the next request leaves with it), reading last.
            tokio::select! {
                biased;
                (rows, answer) = polled(&mut sending), if sending.is_some() => {
                    answered += 1;
                    if self.interrupt_after == Some(answered) {
                        self.exit_as_killed(committing.take(), &queue).await?;
                    }
                    self.progress.word("");
                    // The next request leaves before this answer is written down: recording
                    // it takes time the connection would otherwise sit idle.
                    sending = None;
                    if stop.is_none() && !answer.is_fatal() {
                        sending = self.next_send(&mut queue, &mut pace);
                        start(&mut sending).await;
                    }
                    let outcomes = answer.outcomes(&rows);
                    if let Some(fatal) = self.record(rows, outcomes, answered)? {
                        stop.get_or_insert(End::Fatal(fatal));
                    }
                }
                done = joined(&mut committing), if committing.is_some() => {
                    committing = None;
                    let commit = done.map_err(|e| writing_failed(self.state.path(), e))??;
                    self.state.committed(commit);
                    let covered = commits;
                    queue
                        .iter_mut()
                        .filter(|q| q.commit.is_some_and(|c| c <= covered))
                        .for_each(|q| q.durable = true);
                }
                Ok(()) = self.interrupts.changed() => {
                    if matches!(stop, Some(End::Interrupted)) {
                        // A second Ctrl-C: leave the request in flight to the next run.
                        break;
                    }
                    stop = Some(End::Interrupted);
                    self.progress.word("stopping: recording the answer in flight");
                    grace.as_mut().reset(tokio::time::Instant::now() + INTERRUPT_GRACE);
                }
                _ = &mut grace => break,
                () = std::future::ready(()), if want_rows => {
                    for _ in 0..READ_STEP {
                        let Some(row) = feed.next() else {
                            reading = false;
                            if !building.is_empty() {
                                queue.push_back(Queued { rows: mem::take(&mut building), commit: None, durable: false });
                            }
                            break;
                        };
                        if let Some(ready) = self.admit(row?)? {
                            building.push(ready);
                            if building.len() == self.chunk_size {
                                queue.push_back(Queued { rows: mem::take(&mut building), commit: None, durable: false });
                            }
                        }
                    }
                }
            }
        }

        if let Some(c) = committing.take() {
            let commit = c
                .await
                .map_err(|e| writing_failed(self.state.path(), e))??;
            self.state.committed(commit);
        }
        // Chunks recorded but never handed to the client were provably not sent.
        let unsent: Vec<Ready> = queue
            .into_iter()
            .flat_map(|q| {
                if q.commit.is_some() {
                    for r in &q.rows {
                        self.state.forget(&r.key);
                    }
                }
                q.rows
            })
            .chain(building)
            .collect();
        let end = stop.unwrap_or(End::Complete);
        if let End::Fatal(error) = &end {
            let reason = format!("not sent: the import stopped after: {error}");
            for r in unsent {
                self.not_sent(&r, &reason)?;
            }
            // The rest of the file is reported too.
            for row in feed {
                if let Some(r) = self.admit(row?)? {
                    self.not_sent(&r, &reason)?;
                }
            }
        }
        self.state.save()?;
        self.report.flush()?;
        Ok(end)
    }

    fn not_sent(&mut self, r: &Ready, reason: &str) -> Result<(), CliError> {
        self.counts.not_sent += 1;
        self.report.add(r.at, Status::NotSent, reason, &r.original)
    }

    /// A row read: reported when invalid, counted when done, returned when it is to be sent.
    fn admit(&mut self, row: Row) -> Result<Option<Ready>, CliError> {
        self.counts.total += 1;
        let ready = match row {
            Row::Invalid {
                at,
                reason,
                original,
            } => {
                self.counts.invalid += 1;
                self.report.add(at, Status::Invalid, &reason, &original)?;
                return Ok(None);
            }
            Row::Ready(r) => r,
        };
        match self.state.status(&ready.key) {
            // On the bar since the start: done by an earlier run or reconciled.
            Some(Known::Done) => {
                self.counts.already += 1;
                Ok(None)
            }
            // Only when the file changed since the first pass, which settled the rest: such a
            // row is left for the next run to reconcile, never sent blindly.
            Some(Known::Unsettled) if self.key_property.is_none() => {
                self.counts.maybe_applied += 1;
                self.report.add(
                    ready.at,
                    Status::MaybeApplied,
                    "an earlier run left it unsettled; run the import again to reconcile",
                    &ready.original,
                )?;
                Ok(None)
            }
            _ => Ok(Some(ready)),
        }
    }

    /// The request of the next chunk, when it is on disk as in flight.
    fn next_send(&self, queue: &mut VecDeque<Queued>, pace: &mut Pace) -> Option<Sending> {
        if !queue.front().is_some_and(|q| q.durable) {
            return None;
        }
        let q = queue.pop_front()?;
        let wait = pace.send(self.client.rate_limiter().window(), Instant::now());
        if wait > WORTH_SAYING {
            self.progress.word("waiting out the rate limit");
        }
        Some(send(self.client, self.key_property, q.rows))
    }

    /// Records a chunk's answer; returns the error after which nothing more is sent.
    fn record(
        &mut self,
        rows: Vec<Placed>,
        outcomes: Vec<Sent>,
        answered: u32,
    ) -> Result<Option<Arc<Error>>, CliError> {
        let hint = again_hint(self.key_property);
        let (mut created, mut existed, mut rejected, mut maybe) = (0, 0, 0, 0);
        let mut fatal = None;
        for (r, outcome) in rows.iter().zip(outcomes) {
            match outcome {
                Sent::Created(id) => {
                    created += 1;
                    self.state.set(r.key, RowState::Done { row: r.at.row, id });
                }
                Sent::Existed(id) => {
                    existed += 1;
                    self.state.set(r.key, RowState::Done { row: r.at.row, id });
                }
                Sent::Maybe(error) => {
                    maybe += 1;
                    self.report.add(
                        r.at,
                        Status::MaybeApplied,
                        &format!("{error}; {hint}"),
                        &r.original,
                    )?;
                    self.state.set(
                        r.key,
                        RowState::MaybeApplied {
                            row: r.at.row,
                            error: error.into(),
                        },
                    );
                }
                Sent::Rejected { reason, fatal: f } => {
                    rejected += 1;
                    if let Some(f) = f {
                        fatal.get_or_insert(f);
                    }
                    self.report
                        .add(r.at, Status::Rejected, &reason, &r.original)?;
                    self.state.forget(&r.key);
                }
            }
        }
        self.report.flush()?;
        self.counts.created += created;
        self.counts.already += existed;
        self.counts.rejected += rejected;
        self.counts.maybe_applied += maybe;
        self.progress.inc(created + existed);
        if self.verbose {
            self.progress.println(&format!(
                "chunk {answered}: {} row(s): {created} created, {existed} already there, {rejected} rejected, {maybe} maybe applied",
                rows.len()
            ));
        }
        Ok(fatal)
    }

    /// The test hook: stops as a kill would right after an answer, leaving it unrecorded.
    /// Chunks recorded ahead but never sent are forgotten first, so that exactly the chunk
    /// that was sent is left in flight (a real kill leaves them too: the kill test).
    async fn exit_as_killed(
        &mut self,
        committing: Option<JoinHandle<Result<Commit, CliError>>>,
        queue: &VecDeque<Queued>,
    ) -> Result<(), CliError> {
        if let Some(c) = committing {
            let commit = c
                .await
                .map_err(|e| writing_failed(self.state.path(), e))??;
            self.state.committed(commit);
        }
        for r in queue
            .iter()
            .filter(|q| q.commit.is_some())
            .flat_map(|q| &q.rows)
        {
            self.state.forget(&r.key);
        }
        self.state.save()?;
        self.progress.clear();
        std::process::exit(130);
    }
}

/// What to tell the user to do about a row that may have been applied.
pub fn again_hint(key_property: Option<&str>) -> &'static str {
    match key_property {
        Some(_) => {
            "run the import again: it sends the row again as an upsert, which cannot create it twice"
        }
        None => "run the import again to reconcile",
    }
}

fn send(client: &Client, key_property: Option<&str>, rows: Vec<Ready>) -> Sending {
    let client = client.clone();
    let key_property = key_property.map(str::to_owned);
    Box::pin(async move {
        match &key_property {
            Some(property) => {
                let chunk: Vec<&Ready> = rows.iter().collect();
                let answer = Answer::Outcomes(send::upsert(&client, &chunk, property).await);
                drop(chunk);
                (rows.into_iter().map(|r| r.place().1).collect(), answer)
            }
            // The inputs go into the request: a copy of each would cost the loop more than
            // the rest of the row's bookkeeping.
            None => {
                let (inputs, placed): (Vec<_>, Vec<_>) = rows.into_iter().map(Ready::place).unzip();
                let answer = send::create(&client, inputs, &placed).await;
                (placed, answer)
            }
        }
    })
}

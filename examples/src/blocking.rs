//! The blocking client's own story, told through what only it has: plain threads logging
//! letters at once through clones of one [`Client`] (one background runtime between them), a
//! list iterator that fetches each page only when the loop reaches it, a batch read, a
//! timeout on every call, and an error (not a stalled executor) when it is called from inside
//! an async runtime. `examples/blocking.rs` calls [`run`]; the walk through every operation is
//! [`crate::quickstart`]'s.

use std::collections::BTreeSet;
use std::io::Write;
use std::net::TcpListener;
use std::thread;
use std::time::{Duration, Instant};

use hubspot_postal::model::association::AssociationInput;
use hubspot_postal::model::engagement::CreatePostalMail;
use hubspot_postal::model::ids::{OwnerId, PostalMailId, RecordId};
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::properties::BODY;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal_blocking::{
    BatchReadOptions, Client, ClientBuilder, GetOptions, ListOptions, RateLimiter,
    is_async_context_error, is_timeout_error,
};
use hubspot_postal_emulator::Emulator;

use crate::error::StoryError;
use crate::letter::OWNER;
use crate::target::{
    Target, emulator_banner, emulator_client, emulator_config, portal_banner, portal_client,
    seed_records,
};
use crate::timeline::Timeline;

/// The first line the example prints, before saying where it runs.
pub const TITLE: &str = "The blocking client: plain threads sharing one client, pages fetched \
                         as the loop advances, a timeout on every call, no async runtime";

/// Threads that log letters at once, each through its own clone of the client.
pub const THREADS: usize = 3;

/// Letters each thread logs.
pub const LETTERS_PER_THREAD: usize = 2;

/// Letters per page when listing: small, so that the letters span several pages.
pub const PAGE_SIZE: u32 = 2;

/// Pages to look through at most, so that a large portal is not listed in full (listing goes
/// oldest first, and the new letters are the newest).
pub const PAGE_SCAN_LIMIT: usize = 50;

/// The timeout given to the client that calls a server that never answers.
pub const SHORT_TIMEOUT: Duration = Duration::from_millis(300);

/// A word unique to this run, in every letter's body.
pub fn marker(now: Timestamp) -> String {
    format!("mailroom{}", now.epoch_millis())
}

/// The body of letter `n` of thread `thread`.
pub fn body(marker: &str, thread: usize, n: usize) -> String {
    format!("Scanned in the mailroom by thread {thread}, item {n} (batch {marker}).")
}

/// Letter `n` of thread `thread`: received now, logged against `contact` and `company`.
fn mailroom_letter(
    contact: &RecordId,
    company: &RecordId,
    now: Timestamp,
    marker: &str,
    thread: usize,
    n: usize,
) -> Result<CreatePostalMail, StoryError> {
    let mut letter = CreatePostalMail::new(now)
        .body(body(marker, thread, n))
        .owner(OwnerId::new(OWNER)?);
    for (object_type, id) in [
        (ObjectType::Contact, contact),
        (ObjectType::Company, company),
    ] {
        let association = AssociationInput::default_to(&object_type, id.clone())
            .ok_or_else(|| StoryError::Unexpected(format!("no default {object_type:?} type")))?;
        letter = letter.associate(association);
    }
    Ok(letter)
}

fn list(ids: &[PostalMailId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Runs the story against `client`, logging against `contact` and `company`, printing the
/// timeline to `out`. Returns the ids of the letters, all in the recycling bin at the end.
pub fn story<W: Write + ?Sized>(
    client: &Client,
    contact: &RecordId,
    company: &RecordId,
    out: &mut W,
) -> Result<Vec<PostalMailId>, StoryError> {
    let mut t = Timeline::new(out);
    let now = Timestamp::now();
    let marker = marker(now);
    let total = THREADS * LETTERS_PER_THREAD;

    // 1. Plain threads, each with a clone: the clones share one runtime thread, one connection
    //    pool and one rate limiter, so this is how a blocking program fans out.
    let workers: Vec<_> = (1..=THREADS)
        .map(|thread| {
            let client = client.clone();
            let (contact, company, marker) = (contact.clone(), company.clone(), marker.clone());
            thread::spawn(move || -> Result<Vec<PostalMailId>, StoryError> {
                (1..=LETTERS_PER_THREAD)
                    .map(|n| {
                        let letter = mailroom_letter(&contact, &company, now, &marker, thread, n)?;
                        Ok(client.create(letter)?.id)
                    })
                    .collect()
            })
        })
        .collect();
    let mut by_thread = Vec::new();
    for (thread, worker) in (1..).zip(workers) {
        let logged = worker
            .join()
            .map_err(|_| StoryError::Unexpected(format!("thread {thread} panicked")))??;
        by_thread.push((thread, logged));
    }
    let ids: Vec<PostalMailId> = by_thread.iter().flat_map(|(_, l)| l.clone()).collect();
    t.step(format!(
        "{THREADS} plain threads logged {total} letters at once, each through its own clone of \
         one client (Clone + Send + Sync, one background runtime for all of them)"
    ))?;
    for (thread, logged) in &by_thread {
        t.detail(format!("thread {thread}: {}", list(logged)))?;
    }
    t.detail(format!(
        "each against contact {contact} and company {company}, batch {marker}"
    ))?;

    // 2. Pages on demand: each `next()` that needs a page fetches it; stopping the loop
    //    stops the fetching.
    let mut unseen: BTreeSet<&PostalMailId> = ids.iter().collect();
    let mut pages = client.list_pages(ListOptions::new().limit(PAGE_SIZE));
    let mut fetched = 0usize;
    let mut ours_by_page = Vec::new();
    while !unseen.is_empty() && fetched < PAGE_SCAN_LIMIT {
        let Some(page) = pages.next().transpose()? else {
            break;
        };
        fetched += 1;
        let ours: Vec<PostalMailId> = page
            .results
            .iter()
            .filter(|l| unseen.remove(&l.id))
            .map(|l| l.id.clone())
            .collect();
        if !ours.is_empty() {
            ours_by_page.push((fetched, ours));
        }
    }
    t.step(if unseen.is_empty() {
        format!(
            "Walked the list {PAGE_SIZE} letters per page: {fetched} page(s), each fetched \
             when the loop reached it, and none after the last of the {total} letters"
        )
    } else {
        format!(
            "Walked the list {PAGE_SIZE} letters per page: {} of the {total} letters are not \
             in the first {fetched} page(s) (listing goes oldest first); the loop stopped \
             there, so no further page was fetched",
            unseen.len()
        )
    })?;
    for (page, ours) in &ours_by_page {
        t.detail(format!("page {page}: {}", list(ours)))?;
    }

    // 3. One batch read for all of them (the client chunks by HubSpot's 100 per request).
    let read = client.batch_read(ids.clone(), &BatchReadOptions::new().properties([BODY]))?;
    if let Some((index, error)) = read.failures().next() {
        return Err(StoryError::Unexpected(format!(
            "batch read of {} failed: {error}",
            ids.get(index).map(ToString::to_string).unwrap_or_default()
        )));
    }
    t.step(format!(
        "Read all {} back in one batch read",
        read.successes().count()
    ))?;
    for (_, letter) in read.successes() {
        t.detail(format!("{}: {}", letter.id, letter.body().unwrap_or("")))?;
    }

    // 4. Every call has a deadline. A listener that is never accepted from completes TCP
    //    handshakes in the kernel and then says nothing: a server that hangs.
    let silent = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| Ok((l.local_addr()?, l)))
        .map_err(|e| StoryError::Setup(format!("cannot listen on 127.0.0.1: {e}")))?;
    let impatient = Client::builder()
        .token("any-token")
        .base_url(format!("http://{}", silent.0))
        .timeout(SHORT_TIMEOUT)
        .rate_limiter(RateLimiter::unlimited())
        .build()?;
    let started = Instant::now();
    let probe = ids
        .first()
        .ok_or_else(|| StoryError::Unexpected("no letter was logged".into()))?;
    match impatient.get(probe, &GetOptions::new()) {
        Err(e) if is_timeout_error(&e) => {
            t.step(format!(
                "Asked a server that never answers, with a {SHORT_TIMEOUT:?} timeout: the \
                 call gave up after {:.1?} instead of hanging",
                started.elapsed()
            ))?;
            t.detail(format!("error: {e}"))?;
            t.detail(format!(
                "the story's client allows {:?} per call (ClientBuilder::timeout)",
                client.timeout()
            ))?;
        }
        Err(e) => {
            return Err(StoryError::Unexpected(format!(
                "a server that never answers gave another error than a timeout: {e}"
            )));
        }
        Ok(_) => {
            return Err(StoryError::Unexpected(
                "a server that never answers answered".into(),
            ));
        }
    }

    // 5. Inside an async runtime a blocking call would stall the executor: it is refused.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .map_err(|e| StoryError::Setup(format!("cannot start an async runtime: {e}")))?;
    match runtime.block_on(async { client.get(probe, &GetOptions::new()) }) {
        Err(e) if is_async_context_error(&e) => {
            t.step(
                "Called it from inside an async runtime: it returned an error at once \
                 instead of blocking the executor",
            )?;
            t.detail(format!("error: {e}"))?;
        }
        Err(e) => return Err(e.into()),
        Ok(_) => {
            return Err(StoryError::Unexpected(
                "a blocking call inside an async runtime was not refused".into(),
            ));
        }
    }

    // 6. Clean up in one request.
    let archived = client.batch_archive(ids.clone())?;
    if let Some((_, error)) = archived.failures().next() {
        return Err(StoryError::Unexpected(format!(
            "batch archive failed: {error}"
        )));
    }
    t.step(format!(
        "Moved the {total} letters to the recycling bin with one batch archive"
    ))?;
    Ok(ids)
}

/// The blocking example: its title, where it runs, and the story.
pub fn run<W: Write + ?Sized>(
    target: Target,
    out: &mut W,
) -> Result<Vec<PostalMailId>, StoryError> {
    writeln!(out, "{TITLE}")?;
    match target {
        Target::HubSpot {
            token,
            base_url,
            contact,
            company,
        } => {
            let from_variable = base_url.is_some();
            let client = ClientBuilder::from(portal_client(token, base_url)).build()?;
            writeln!(out, "{}", portal_banner(client.base_url(), from_variable))?;
            story(&client, &contact, &company, out)
        }
        Target::Emulator => {
            let emulator = Emulator::start_blocking(emulator_config()?)?;
            writeln!(out, "{}", emulator_banner(&emulator.base_url()))?;
            let (contact, company) = seed_records(&emulator, out)?;
            let client = ClientBuilder::from(emulator_client(emulator.base_url())).build()?;
            story(&client, &contact, &company, out)
        }
    }
}

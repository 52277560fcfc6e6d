//! Sending one chunk of rows and saying, for each row, what became of it. Two ways:
//!
//! - **batch create** (the default): one request; a row whose fate the answer does not settle
//!   is [`Sent::Maybe`], left for the next run to reconcile, never sent again blindly;
//! - **batch upsert** keyed by `--key-property`: a resend finds the letter the first send
//!   wrote, so rows whose answer was lost are sent again at once (a few rounds). An upsert
//!   cannot carry associations, so they are written afterwards with the v4 batch association
//!   call, which is idempotent too.
//!
//! Every failure that may have written the letter is [`Sent::Maybe`]: whatever the client
//! reports as `may_have_been_applied()`, an input it could not match, and any failure kind
//! this program does not know. Only a failure that provably wrote nothing is a rejection.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use hubspot_postal::model::association::{AssociationCreate, AssociationSpec, ObjectRef};
use hubspot_postal::model::engagement::{CreatePostalMail, PostalMail, UpsertPostalMail};
use hubspot_postal::model::error::RateLimitPolicy;
use hubspot_postal::model::ids::RecordId;
use hubspot_postal::model::limits::ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS;
use hubspot_postal::model::object_type::ObjectType;
use hubspot_postal::model::properties::TIMESTAMP;
use hubspot_postal::model::timestamp::Timestamp;
use hubspot_postal::{Client, Error, ItemError, ItemResult};

use super::row::{Key, Placed, Ready};

/// How many times an upsert chunk is sent while some of its rows stay unsettled.
const UPSERT_ROUNDS: usize = 3;

/// Said of a result that names another row than the one it was placed against.
const MISMATCH: &str =
    "may have been applied: HubSpot's result for this row describes another letter";

/// What became of one row.
#[derive(Debug, Clone)]
pub enum Sent {
    /// Created by this run, as this postal mail.
    Created(String),
    /// Found by its upsert key: an earlier run created it.
    Existed(String),
    /// Provably not created (or, for an upsert, created but refused an association).
    Rejected {
        /// Why.
        reason: String,
        /// Set when sending more is pointless (refused token, daily limit).
        fatal: Option<Arc<Error>>,
    },
    /// May or may not exist.
    Maybe(String),
}

impl Sent {
    fn is_maybe(&self) -> bool {
        matches!(self, Sent::Maybe(_))
    }
}

/// Errors after which sending more chunks is pointless: the token is refused, or the daily
/// limit is spent (it resets at midnight in the portal's time zone).
fn is_fatal(error: &Error) -> bool {
    matches!(error.status(), Some(401 | 403))
        || error.rate_limit_policy() == Some(&RateLimitPolicy::Daily)
}

/// A failed input: rejected only when nothing can have been written.
fn failed(error: &ItemError) -> Sent {
    let rejected = match error {
        ItemError::Rejected(_) => Some(None),
        ItemError::Request(e) if !e.may_have_been_applied() => Some(is_fatal(e).then(|| e.clone())),
        // `Unknown`, `Missing` on a write, a request that may have reached HubSpot, and any
        // kind a newer client adds: the letter may exist.
        _ => None,
    };
    match rejected {
        Some(fatal) => Sent::Rejected {
            reason: error.to_string(),
            fatal,
        },
        None => Sent::Maybe(error.to_string()),
    }
}

/// One entry per row: the chunk's items, or the request's error for every row. A row the
/// answer has no entry for is unknown, not forgotten.
fn per_row<T>(
    rows: usize,
    outcome: Result<Vec<ItemResult<T>>, Error>,
) -> impl Iterator<Item = Result<T, Sent>> {
    let items: Vec<Result<T, Sent>> = match outcome {
        Ok(items) => items
            .into_iter()
            .map(|i| i.map_err(|e| failed(&e)))
            .collect(),
        Err(e) => {
            let e = ItemError::Request(Arc::new(e));
            (0..rows).map(|_| Err(failed(&e))).collect()
        }
    };
    let short = rows.saturating_sub(items.len());
    items.into_iter().take(rows).chain((0..short).map(|_| {
        Err(Sent::Maybe(
            "may have been applied: no answer for this row".into(),
        ))
    }))
}

/// What a row's letter must not contradict: the row's key and what its input was sent with.
#[derive(Debug, Clone, Copy)]
struct Expected<'a> {
    key: &'a Key,
    trace_id: Option<&'a str>,
    timestamp: Option<&'a str>,
}

impl<'a> From<&'a Ready> for Expected<'a> {
    fn from(row: &'a Ready) -> Self {
        Self {
            key: &row.key,
            trace_id: row.input.object_write_trace_id.as_deref(),
            timestamp: row.input.properties.get(TIMESTAMP),
        }
    }
}

impl<'a> From<&'a Placed> for Expected<'a> {
    fn from(row: &'a Placed) -> Self {
        Self {
            key: &row.key,
            trace_id: row.trace_id.as_deref(),
            timestamp: row.timestamp.as_deref(),
        }
    }
}

/// Whether a letter placed against a row contradicts it: another trace id, another key, or
/// another timestamp. Absent or unreadable values contradict nothing (HubSpot may drop them).
fn contradicts(letter: &PostalMail, row: Expected<'_>, key_property: Option<&str>) -> bool {
    let trace = letter
        .object_write_trace_id
        .as_deref()
        .is_some_and(|t| Some(t) != row.trace_id);
    let key = key_property
        .and_then(|p| letter.properties.get(p))
        .is_some_and(|k| *k != row.key.to_string());
    // The same text is the same time (HubSpot echoes the form it was sent); parsing both, which
    // costs more than the rest of this check, is for the texts that differ.
    let time = row.timestamp.is_none() || letter.properties.get(TIMESTAMP) != row.timestamp;
    let time = time
        && match (letter.timestamp(), row.timestamp.map(Timestamp::parse)) {
            (Ok(Some(a)), Some(Ok(b))) => a != b,
            _ => false,
        };
    trace || key || time
}

/// A chunk's answer, read only as far as deciding whether to send on: a batch create whose
/// every row came back is checked row by row once the next chunk's request has left.
#[derive(Debug)]
pub enum Answer {
    /// What became of each row.
    Outcomes(Vec<Sent>),
    /// One letter per row, in order, still to be checked against the rows.
    Letters(Vec<PostalMail>),
}

impl Answer {
    /// Whether sending more is pointless (refused token, daily limit).
    pub fn is_fatal(&self) -> bool {
        match self {
            Self::Outcomes(sent) => sent
                .iter()
                .any(|s| matches!(s, Sent::Rejected { fatal: Some(_), .. })),
            Self::Letters(_) => false,
        }
    }

    /// What became of each row of `chunk`, the chunk this answers.
    pub fn outcomes(self, chunk: &[Placed]) -> Vec<Sent> {
        match self {
            Self::Outcomes(sent) => sent,
            Self::Letters(letters) => created(chunk, Ok(letters.into_iter().map(Ok).collect())),
        }
    }
}

/// Sends the chunk as one batch create: `inputs`, which `chunk` keeps the rest of.
pub async fn create(client: &Client, inputs: Vec<CreatePostalMail>, chunk: &[Placed]) -> Answer {
    match client.batch_create(inputs).await.map(|o| o.items) {
        Ok(items) if items.len() == chunk.len() && items.iter().all(Result::is_ok) => {
            Answer::Letters(items.into_iter().filter_map(Result::ok).collect())
        }
        outcome => Answer::Outcomes(created(chunk, outcome)),
    }
}

/// What a batch create's answer says of each row.
fn created(chunk: &[Placed], outcome: Result<Vec<ItemResult<PostalMail>>, Error>) -> Vec<Sent> {
    chunk
        .iter()
        .zip(per_row(chunk.len(), outcome))
        .map(|(row, item)| match item {
            Ok(letter) if contradicts(&letter, row.into(), None) => Sent::Maybe(MISMATCH.into()),
            Ok(letter) => Sent::Created(letter.id.to_string()),
            Err(sent) => sent,
        })
        .collect()
}

fn upsert_input(row: &Ready, property: &str) -> Result<UpsertPostalMail, Sent> {
    let mut input =
        UpsertPostalMail::new(property, row.key.to_string(), row.input.properties.clone())
            .map_err(|e| Sent::Rejected {
                reason: e.to_string(),
                fatal: None,
            })?;
    input.object_write_trace_id = row.input.object_write_trace_id.clone();
    Ok(input)
}

/// Sends the chunk as batch upserts keyed by `property`, again for the rows whose answer
/// did not settle them, then writes their associations.
pub async fn upsert(client: &Client, chunk: &[&Ready], property: &str) -> Vec<Sent> {
    let mut out: Vec<Option<Sent>> = vec![None; chunk.len()];
    let mut prepared: Vec<Option<UpsertPostalMail>> = Vec::with_capacity(chunk.len());
    for (i, row) in chunk.iter().enumerate() {
        match upsert_input(row, property) {
            Ok(input) => prepared.push(Some(input)),
            Err(sent) => {
                prepared.push(None);
                out[i] = Some(sent);
            }
        }
    }
    let mut pending: Vec<usize> = (0..chunk.len())
        .filter(|&i| prepared[i].is_some())
        .collect();
    for _ in 0..UPSERT_ROUNDS {
        let (sent_rows, inputs): (Vec<usize>, Vec<UpsertPostalMail>) = pending
            .iter()
            .filter_map(|&i| prepared[i].clone().map(|input| (i, input)))
            .unzip();
        let answered = per_row(
            sent_rows.len(),
            client.batch_upsert(inputs).await.map(|o| o.items),
        );
        let mut again = Vec::new();
        for (i, item) in sent_rows.iter().copied().zip(answered) {
            let sent_before = out[i].as_ref().is_some_and(Sent::is_maybe);
            let row = chunk[i];
            let sent = match item {
                Ok(u) if contradicts(&u.postal_mail, row.into(), Some(property)) => {
                    Sent::Maybe(MISMATCH.into())
                }
                // Its earlier send in this run may be what wrote it.
                Ok(u) if u.new || sent_before => Sent::Created(u.postal_mail.id.to_string()),
                Ok(u) => Sent::Existed(u.postal_mail.id.to_string()),
                // An earlier send of this run may have written it: a refusal now says nothing
                // about that one.
                Err(Sent::Rejected { reason, .. }) if sent_before => Sent::Maybe(format!(
                    "may have been applied by an earlier attempt; then: {reason}"
                )),
                Err(sent) => sent,
            };
            if sent.is_maybe() {
                again.push(i);
            }
            out[i] = Some(sent);
        }
        let fatal = out
            .iter()
            .any(|s| matches!(s, Some(Sent::Rejected { fatal: Some(_), .. })));
        pending = again;
        if pending.is_empty() || fatal {
            break;
        }
    }
    let mut out: Vec<Sent> = out
        .into_iter()
        .map(|s| s.unwrap_or_else(|| Sent::Maybe("not answered".into())))
        .collect();
    associate(client, chunk, &mut out).await;
    out
}

/// A letter was written, but its association with a record was not: what the row becomes.
fn link_failed(letter: &str, to: &ObjectType, error: Option<&Arc<Error>>, refused: bool) -> Sent {
    let what = format!(
        "letter {letter} was written, but its association with a {} is",
        to.singular()
    );
    match error {
        Some(e) if !e.may_have_been_applied() && !e.is_retryable() => Sent::Rejected {
            reason: format!("{what} refused: {e}"),
            fatal: is_fatal(e).then(|| e.clone()),
        },
        Some(e) => Sent::Maybe(format!("{what} not confirmed: {e}")),
        None if refused => Sent::Rejected {
            reason: format!("{what} refused by HubSpot"),
            fatal: None,
        },
        None => Sent::Maybe(format!("{what} not confirmed")),
    }
}

/// Writes the default associations of every row whose letter exists; a row whose
/// association is not confirmed is no longer done.
async fn associate(client: &Client, chunk: &[&Ready], out: &mut [Sent]) {
    let mut by_type: BTreeMap<String, (ObjectType, Vec<(usize, AssociationCreate)>)> =
        BTreeMap::new();
    for (i, row) in chunk.iter().enumerate() {
        let (Sent::Created(id) | Sent::Existed(id)) = &out[i] else {
            continue;
        };
        let Ok(from) = RecordId::new(id) else {
            out[i] = Sent::Maybe(format!("letter {id} was written under an unreadable id"));
            continue;
        };
        for (to_type, to) in &row.links {
            let Some(spec) = AssociationSpec::default_to(to_type) else {
                continue;
            };
            by_type
                .entry(to_type.plural().to_owned())
                .or_insert_with(|| (to_type.clone(), Vec::new()))
                .1
                .push((
                    i,
                    AssociationCreate {
                        from: ObjectRef { id: from.clone() },
                        to: ObjectRef { id: to.clone() },
                        types: vec![spec],
                    },
                ));
        }
    }
    for (to_type, pairs) in by_type.into_values() {
        for part in pairs.chunks(ASSOCIATIONS_BATCH_CREATE_MAX_INPUTS) {
            let inputs = part.iter().map(|(_, c)| c.clone()).collect();
            let answer = client
                .batch_associate(&to_type, inputs)
                .await
                .map_err(Arc::new);
            let (done, refused): (HashSet<(String, String)>, bool) = match &answer {
                Ok(r) => (
                    r.results
                        .iter()
                        .map(|p| (p.from_object_id.to_string(), p.to_object_id.to_string()))
                        .collect(),
                    !r.errors().is_empty(),
                ),
                Err(_) => (HashSet::new(), false),
            };
            for (i, pair) in part {
                let key = (pair.from.id.to_string(), pair.to.id.to_string());
                let settled = matches!(out[*i], Sent::Created(_) | Sent::Existed(_));
                if settled && !done.contains(&key) {
                    out[*i] = link_failed(&key.0, &to_type, answer.as_ref().err(), refused);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use hubspot_postal::model::engagement::CreatePostalMail;
    use hubspot_postal::model::error::ErrorBody;
    use hubspot_postal::model::timestamp::Timestamp;
    use hubspot_postal::{ApiError, DecodeError};

    use super::super::reader::Position;
    use super::*;

    fn api(status: u16) -> ItemError {
        ItemError::Request(Arc::new(Error::Api(Box::new(ApiError {
            operation: "batch_create",
            status,
            body: ErrorBody::default(),
            correlation_id: None,
        }))))
    }

    #[test]
    fn only_a_failure_that_wrote_nothing_is_a_rejection() {
        assert!(matches!(failed(&ItemError::Missing), Sent::Maybe(_)));
        for status in [500, 507, 520, 524, 599] {
            assert!(matches!(failed(&api(status)), Sent::Maybe(_)), "{status}");
        }
        assert!(matches!(
            failed(&api(400)),
            Sent::Rejected { fatal: None, .. }
        ));
        assert!(matches!(
            failed(&api(401)),
            Sent::Rejected { fatal: Some(_), .. }
        ));
        // What the client makes of an upsert answered 2xx with a body it cannot read.
        let garbage = ItemError::Request(Arc::new(Error::MaybeApplied {
            operation: "batch_upsert",
            inputs: Vec::new(),
            source: Box::new(Error::Decode(Box::new(DecodeError {
                operation: "batch_upsert",
                status: 200,
                path: ".".into(),
                message: "EOF".into(),
                excerpt: String::new(),
            }))),
        }));
        assert!(matches!(failed(&garbage), Sent::Maybe(_)));
    }

    #[test]
    fn a_result_for_another_row_is_not_taken() {
        let key = super::super::row::Key::parse("e00000000000000aa").unwrap();
        let input = CreatePostalMail::new(Timestamp::from_epoch_millis(1_000).unwrap())
            .trace_id(format!("import-{key}"));
        let row = Ready {
            at: Position { row: 1, line: 2 },
            key,
            input,
            links: Vec::new(),
            original: String::new(),
        };
        let letter = |json: &str| serde_json::from_str::<PostalMail>(json).unwrap();
        let same = letter(r#"{"id": "1", "properties": {"hs_timestamp": "1000"}}"#);
        let bare = letter(r#"{"id": "1", "properties": {"hs_timestamp": null}}"#);
        let other_time = letter(r#"{"id": "1", "properties": {"hs_timestamp": "2000"}}"#);
        let other_key = letter(r#"{"id": "1", "properties": {"k": "b"}}"#);
        let other_trace =
            letter(r#"{"id": "1", "properties": {}, "objectWriteTraceId": "import-b"}"#);
        let placed = Ready {
            at: row.at,
            key: row.key,
            input: row.input.clone(),
            links: Vec::new(),
            original: String::new(),
        }
        .place()
        .1;
        for expected in [Expected::from(&row), Expected::from(&placed)] {
            assert!(!contradicts(&same, expected, Some("k")));
            assert!(!contradicts(&bare, expected, Some("k")));
            assert!(contradicts(&other_time, expected, None));
            assert!(contradicts(&other_key, expected, Some("k")));
            assert!(contradicts(&other_trace, expected, None));
        }
    }

    #[test]
    fn a_short_answer_leaves_the_rest_unknown() {
        let rows: Vec<Result<u8, Sent>> = per_row(3, Ok(vec![Ok(1)])).collect();
        assert!(matches!(
            rows.as_slice(),
            [Ok(1), Err(Sent::Maybe(_)), Err(Sent::Maybe(_))]
        ));
    }
}

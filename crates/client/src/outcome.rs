//! `BatchOutcome`: one entry per input, in input order, saying what became of it. No input
//! disappears: HubSpot's per-input errors, a chunk that failed as a whole, and an input HubSpot
//! answered nothing for are all reported.

use std::sync::Arc;

use hubspot_postal_model::engagement::CreatePostalMail;
use hubspot_postal_model::error::StandardError;

use crate::error::Error;

/// Why one input of a batch failed.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum ItemError {
    /// HubSpot rejected this input (a 207 `errors[]` entry that names it).
    Rejected(Box<StandardError>),
    /// The request carrying this input failed as a whole; shared by its chunk. For batch
    /// create, check [`Error::may_have_been_applied`] before writing again.
    Request(Arc<Error>),
    /// HubSpot returned neither a result nor an error for this input, on a read (nothing was
    /// written either way).
    Missing,
    /// HubSpot answered the write, but whether this input was written cannot be told from the
    /// answer: no result names it, or the results could not be matched to inputs with
    /// certainty. Counted by [`BatchOutcome::may_have_applied_failures`]; reconcile before
    /// writing it again.
    Unknown(Box<UnknownOutcome>),
}

/// Why the outcome of one input of a write is unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum UnknownReason {
    /// The 2xx answer carried neither a result nor an error for this input.
    NoResult,
    /// A result or error could belong to this input or to another one with different content.
    Unmatched,
}

/// An input of a batch write whose fate HubSpot's answer does not settle.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct UnknownOutcome {
    /// Why it is unknown.
    pub reason: UnknownReason,
    /// The input, for batch create (the one write that is not safe to repeat); `None` for
    /// idempotent writes, whose input is at the same index of the caller's list.
    pub input: Option<CreatePostalMail>,
}

impl UnknownOutcome {
    /// An unknown outcome, for code that reports its own (and for tests of code that reads
    /// a [`BatchOutcome`]).
    ///
    /// ```
    /// use hubspot_postal::{ItemError, UnknownOutcome, UnknownReason};
    /// let e = ItemError::Unknown(Box::new(UnknownOutcome::new(UnknownReason::NoResult, None)));
    /// assert!(e.may_have_been_applied());
    /// ```
    pub fn new(reason: UnknownReason, input: Option<CreatePostalMail>) -> Self {
        Self { reason, input }
    }
}

impl ItemError {
    /// Whether this input may have been written although it is reported as failed: its
    /// request may have reached HubSpot, or HubSpot's answer does not say.
    pub fn may_have_been_applied(&self) -> bool {
        match self {
            ItemError::Request(e) => e.may_have_been_applied(),
            ItemError::Unknown(_) => true,
            ItemError::Rejected(_) | ItemError::Missing => false,
        }
    }
}

impl std::fmt::Display for ItemError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ItemError::Rejected(e) => write!(
                f,
                "rejected: {} {}",
                e.category.as_deref().unwrap_or("ERROR"),
                e.message.as_deref().unwrap_or("")
            ),
            ItemError::Request(e) => write!(f, "request failed: {e}"),
            ItemError::Missing => {
                f.write_str("HubSpot returned no result and no error for this input")
            }
            ItemError::Unknown(u) => match u.reason {
                UnknownReason::NoResult => f.write_str(
                    "may have been applied: HubSpot's answer has no result and no error for this input",
                ),
                UnknownReason::Unmatched => f.write_str(
                    "may have been applied: HubSpot's results could not be matched to this input with certainty",
                ),
            },
        }
    }
}

/// The outcome of one input.
pub type ItemResult<T> = Result<T, ItemError>;

/// The outcome of a batch call, one entry per input, in input order.
#[derive(Debug, Clone)]
pub struct BatchOutcome<T> {
    /// Entry `i` belongs to input `i`.
    pub items: Vec<ItemResult<T>>,
}

impl<T> BatchOutcome<T> {
    /// Whether every input succeeded.
    pub fn is_success(&self) -> bool {
        self.items.iter().all(Result::is_ok)
    }

    /// The successes, with their input index.
    pub fn successes(&self) -> impl Iterator<Item = (usize, &T)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().ok().map(|t| (i, t)))
    }

    /// The failures, with their input index.
    pub fn failures(&self) -> impl Iterator<Item = (usize, &ItemError)> {
        self.items
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.as_ref().err().map(|e| (i, e)))
    }

    /// Whether any failed input may nevertheless have been written (batch create).
    pub fn may_have_applied_failures(&self) -> bool {
        self.failures().any(|(_, e)| e.may_have_been_applied())
    }

    /// All results, or the first failure with its input index.
    pub fn into_results(self) -> Result<Vec<T>, (usize, ItemError)> {
        self.items
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.map_err(|e| (i, e)))
            .collect()
    }
}

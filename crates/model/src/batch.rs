//! Batch envelopes: `{"inputs": [...]}` requests and the 200/201/207 responses, whose `errors[]`
//! say which inputs failed.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::StandardError;
use crate::timestamp::Timestamp;

/// `{"inputs": [...]}`: the body of batch create, update, upsert and archive.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchInput<T> {
    /// The inputs, at most [`crate::limits::BATCH_MAX_INPUTS`] per request.
    pub inputs: Vec<T>,
}

/// `{"id": "…"}`: an input of batch read and batch archive. With `idProperty` the id is the
/// unique property's value, so it is a plain string here.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct BatchId {
    /// The id.
    pub id: String,
}

/// The body of batch read (`BatchReadInputSimplePublicObjectId`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchReadRequest {
    /// Properties to return.
    #[serde(default)]
    pub properties: Vec<String>,
    /// Properties to return with their history.
    #[serde(default)]
    pub properties_with_history: Vec<String>,
    /// Unique property the ids refer to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_property: Option<String>,
    /// The ids.
    pub inputs: Vec<BatchId>,
}

/// Status of a batch job.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BatchStatus {
    /// `PENDING`.
    Pending,
    /// `PROCESSING`.
    Processing,
    /// `CANCELED`.
    Canceled,
    /// `COMPLETE`.
    Complete,
    /// A status this version does not know, kept as sent.
    Other(String),
}

impl BatchStatus {
    /// The wire form.
    pub fn as_str(&self) -> &str {
        match self {
            Self::Pending => "PENDING",
            Self::Processing => "PROCESSING",
            Self::Canceled => "CANCELED",
            Self::Complete => "COMPLETE",
            Self::Other(s) => s,
        }
    }
}

impl Serialize for BatchStatus {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for BatchStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match String::deserialize(d)?.as_str() {
            "PENDING" => Self::Pending,
            "PROCESSING" => Self::Processing,
            "CANCELED" => Self::Canceled,
            "COMPLETE" => Self::Complete,
            other => Self::Other(other.to_owned()),
        })
    }
}

/// `BatchResponse*` and `BatchResponse*WithErrors`: results, and for a 207 the errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchResponse<T> {
    /// Job status; `None` when the answer did not say. Nothing depends on it: the results and
    /// errors say what happened to each input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<BatchStatus>,
    /// The inputs that succeeded. HubSpot does not promise input order. Absent counts as none,
    /// so that every input is then reported as unanswered rather than the answer as unreadable.
    #[serde(default = "Vec::new")]
    pub results: Vec<T>,
    /// Number of failed inputs (207 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub num_errors: Option<u32>,
    /// Errors per failed input or group of inputs (207 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<StandardError>>,
    /// When the request was received.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested_at: Option<Timestamp>,
    /// When processing started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_at: Option<Timestamp>,
    /// When processing finished.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completed_at: Option<Timestamp>,
    /// Related links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, String>>,
}

impl<T> BatchResponse<T> {
    /// The errors, empty for a full success.
    pub fn errors(&self) -> &[StandardError] {
        self.errors.as_deref().unwrap_or(&[])
    }
}

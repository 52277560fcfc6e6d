//! HubSpot's error bodies: the top-level `Error` of a failed request (4xx/5xx, 429 included)
//! and the `StandardError` entries of a 207. Every field is optional on decode, as G-ERR says.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// `ErrorDetail`: one entry of an error's `errors[]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Machine code, e.g. `PROPERTY_DOESNT_EXIST`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Where the problem is.
    #[serde(default, rename = "in", skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Sub-category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_category: Option<serde_json::Value>,
    /// Context, e.g. `propertyName`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<BTreeMap<String, Vec<String>>>,
}

/// The body of a failed request. 429 bodies add `policyName`, `errorType` and `requestId`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorBody {
    /// Usually `"error"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Human-readable message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// HubSpot's id for this request, for support tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub correlation_id: Option<String>,
    /// e.g. `VALIDATION_ERROR`, `OBJECT_NOT_FOUND`, `RATE_LIMITS`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Finer category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_category: Option<serde_json::Value>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ErrorDetail>>,
    /// Context.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<BTreeMap<String, Vec<String>>>,
    /// Links, e.g. to docs or scopes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, String>>,
    /// Which rate limit was hit (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy_name: Option<String>,
    /// `RATE_LIMIT` on 429s.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_type: Option<String>,
    /// Request id (429).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
}

/// Which of HubSpot's rate limits a 429 reports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RateLimitPolicy {
    /// The burst window (`TEN_SECONDLY_ROLLING`): wait it out.
    TenSecondlyRolling,
    /// The search limit of 5 per second (`SECONDLY`, or the message "secondly limit").
    Secondly,
    /// The daily limit (`DAILY`): nothing helps until it resets.
    Daily,
    /// A policy this version does not know.
    Other(String),
}

/// The 429 message for the search per-second limit (FIX-GRP, NODE-RETRY).
pub const SECONDLY_LIMIT_MESSAGE: &str = "You have reached your secondly limit.";

impl RateLimitPolicy {
    /// The `policyName` wire form.
    pub fn as_str(&self) -> &str {
        match self {
            Self::TenSecondlyRolling => "TEN_SECONDLY_ROLLING",
            Self::Secondly => "SECONDLY",
            Self::Daily => "DAILY",
            Self::Other(s) => s,
        }
    }

    /// From a `policyName`.
    pub fn from_name(name: &str) -> Self {
        match name {
            "TEN_SECONDLY_ROLLING" => Self::TenSecondlyRolling,
            "SECONDLY" => Self::Secondly,
            "DAILY" => Self::Daily,
            other => Self::Other(other.to_owned()),
        }
    }
}

impl ErrorBody {
    /// The rate limit a 429 body reports: `policyName` when present, otherwise recognised from
    /// the message (real search 429s carry no `policyName`).
    pub fn rate_limit_policy(&self) -> Option<RateLimitPolicy> {
        if let Some(name) = &self.policy_name {
            return Some(RateLimitPolicy::from_name(name));
        }
        let message = self.message.as_deref()?.to_ascii_lowercase();
        if message.contains("secondly limit") && !message.contains("ten_secondly") {
            Some(RateLimitPolicy::Secondly)
        } else if message.contains("daily limit") {
            Some(RateLimitPolicy::Daily)
        } else if message.contains("ten_secondly") || message.contains("ten secondly") {
            Some(RateLimitPolicy::TenSecondlyRolling)
        } else {
            None
        }
    }
}

/// `StandardError`: one failure inside a 207 batch response.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StandardError {
    /// Usually `"error"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Input id, when HubSpot gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// e.g. `OBJECT_NOT_FOUND`, `VALIDATION_ERROR`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// Finer category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_category: Option<serde_json::Value>,
    /// Message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// Details.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub errors: Option<Vec<ErrorDetail>>,
    /// Which inputs: `ids` or `objectWriteTraceId`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<BTreeMap<String, Vec<String>>>,
    /// Links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<BTreeMap<String, String>>,
}

impl StandardError {
    /// Values of one context key (`ids`, `objectWriteTraceId`).
    pub fn context_values(&self, key: &str) -> &[String] {
        self.context
            .as_ref()
            .and_then(|c| c.get(key))
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_from_name_or_message() {
        let daily: ErrorBody = serde_json::from_str(
            r#"{"status":"error","message":"You have reached your daily limit.","errorType":"RATE_LIMIT","policyName":"DAILY"}"#,
        )
        .unwrap();
        assert_eq!(daily.rate_limit_policy(), Some(RateLimitPolicy::Daily));
        let search: ErrorBody =
            serde_json::from_str(r#"{"status":"error","message":"You have reached your secondly limit.","category":"RATE_LIMITS"}"#)
                .unwrap();
        assert_eq!(search.rate_limit_policy(), Some(RateLimitPolicy::Secondly));
        let burst: ErrorBody =
            serde_json::from_str(r#"{"policyName":"TEN_SECONDLY_ROLLING"}"#).unwrap();
        assert_eq!(
            burst.rate_limit_policy(),
            Some(RateLimitPolicy::TenSecondlyRolling)
        );
        assert_eq!(ErrorBody::default().rate_limit_policy(), None);
    }

    #[test]
    fn empty_object_decodes() {
        assert_eq!(
            serde_json::from_str::<ErrorBody>("{}").unwrap(),
            ErrorBody::default()
        );
        assert_eq!(
            serde_json::from_str::<StandardError>("{}").unwrap(),
            StandardError::default()
        );
    }
}

//! Decoding, done once above the transport: JSON into model types with the failing JSON path,
//! and non-success responses into [`Error`]s.

use std::time::SystemTime;

use hubspot_postal_model::error::{ErrorBody, RateLimitPolicy};
use hubspot_postal_model::properties::BODY;
use hubspot_postal_transport::{Operation, Response};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, DecodeError, Error, RateLimitError};
use crate::retry::parse_retry_after;

const EXCERPT_CHARS: usize = 160;

/// The start of a body for error messages, with any letter text masked.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let mut out: String = text.chars().take(EXCERPT_CHARS).collect();
    let key = format!("\"{BODY}\"");
    if let Some(at) = out.find(&key) {
        out.truncate(at + key.len());
        out.push_str(":<redacted>…");
    } else if text.chars().count() > EXCERPT_CHARS {
        out.push('…');
    }
    out
}

/// Decodes a success body into `T`, reporting where it failed. Every answer of HubSpot's
/// CRM API is a JSON object; anything else is refused here, because serde's derived decoders
/// also read a struct from a JSON array (`["0", {}]` would be a letter with id `0`).
///
/// For an operation that writes (creates, updates, upserts, associates, merges), a success
/// status means HubSpot did the work, so a body that cannot be read is
/// [`Error::MaybeApplied`], never a plain failure: reading a create's as "not created" would
/// lead the caller to create the letter again, and any other write's as "not applied" would
/// report a change that happened as one that did not. Only for a read is it a plain
/// [`Error::Decode`].
pub(crate) fn decode<T: DeserializeOwned>(op: &Operation, response: &Response) -> Result<T, Error> {
    let first = response.body.iter().find(|b| !b.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(decode_failure(
            op,
            response,
            ".".to_owned(),
            "expected a JSON object".to_owned(),
        ));
    }
    decode_any(op, response)
}

/// The failure of decoding `response` for `op`: a [`DecodeError`], wrapped in
/// [`Error::MaybeApplied`] for an operation that creates records.
fn decode_failure(op: &Operation, response: &Response, path: String, message: String) -> Error {
    let error = Error::Decode(Box::new(DecodeError {
        operation: op.name,
        status: response.status.as_u16(),
        path,
        message,
        excerpt: excerpt(&response.body),
    }));
    if !op.idempotency.writes() {
        error
    } else {
        Error::MaybeApplied {
            operation: op.name,
            inputs: Vec::new(),
            source: Box::new(error),
        }
    }
}

/// [`decode`] for any JSON shape (the raw escape hatch, whose caller names the type).
pub(crate) fn decode_any<T: DeserializeOwned>(
    op: &Operation,
    response: &Response,
) -> Result<T, Error> {
    let fail = |path, message| decode_failure(op, response, path, message);
    // The plain decode is the fast path (it also rejects trailing garbage); only a failure is
    // decoded again, path-tracking, to say where it broke.
    let plain = match serde_json::from_slice(&response.body) {
        Ok(value) => return Ok(value),
        Err(e) => e,
    };
    let mut de = serde_json::Deserializer::from_slice(&response.body);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Err(e) => Err(fail(e.path().to_string(), e.inner().to_string())),
        Ok(_) => Err(fail(".".to_owned(), plain.to_string())),
    }
}

/// The error for a non-success response: a 429 becomes [`Error::RateLimited`], anything else
/// [`Error::Api`]. A body that is not HubSpot's JSON (a proxy's HTML page) leaves the body
/// fields empty and says so in the message.
pub(crate) fn error_from_response(op: &Operation, response: &Response) -> Error {
    let body: ErrorBody = serde_json::from_slice(&response.body).unwrap_or_else(|_| ErrorBody {
        message: (!response.body.is_empty()).then(|| {
            format!(
                "unexpected non-JSON error body: {}",
                excerpt(&response.body)
            )
        }),
        ..ErrorBody::default()
    });
    let correlation_id = body.correlation_id.clone().or_else(|| {
        response
            .header(hubspot_postal_model::headers::CORRELATION_ID)
            .map(str::to_owned)
    });
    let api = ApiError {
        operation: op.name,
        status: response.status.as_u16(),
        body,
        correlation_id,
    };
    if api.status == 429 {
        let policy = api.body.rate_limit_policy();
        let retry_after = parse_retry_after(&response.headers, SystemTime::now());
        return Error::RateLimited(Box::new(RateLimitError {
            api,
            policy,
            retry_after,
        }));
    }
    Error::Api(Box::new(api))
}

/// The 429 policy of an error, for the retry decision.
pub(crate) fn policy_of(error: &Error) -> Option<&RateLimitPolicy> {
    match error {
        Error::RateLimited(r) => r.policy.as_ref(),
        _ => None,
    }
}

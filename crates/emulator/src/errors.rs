//! HubSpot-shaped error bodies (G-ERR; sources in docs/emulator.md) and the emulator's own startup error.
//!
//! Handlers build an [`ApiError`] without a correlation id; the request middleware stamps the
//! same id into the body and the `X-HubSpot-Correlation-Id` header, so the two always agree.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

/// Portal id written into validation messages, like HubSpot's `portalId`.
pub(crate) const PORTAL_ID: u64 = 12_345_678;

/// Why the emulator could not start.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmulatorError {
    /// Binding the listening socket failed.
    #[error("could not listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: std::net::SocketAddr,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The fixtures file could not be read or is not valid.
    #[error("invalid fixtures: {0}")]
    Fixtures(String),
    /// The background runtime of [`crate::Emulator::start_blocking`] could not be built.
    #[error("could not start the emulator runtime: {0}")]
    Runtime(#[source] std::io::Error),
    /// A command-line option was not valid.
    #[error("invalid option: {0}")]
    Option(String),
}

/// One invalid property, as HubSpot lists it inside a `VALIDATION_ERROR`.
#[derive(Debug, Clone)]
pub(crate) struct PropertyProblem {
    pub name: String,
    pub code: &'static str,
    pub message: String,
}

impl PropertyProblem {
    pub fn doesnt_exist(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            code: "PROPERTY_DOESNT_EXIST",
            message: format!("Property \"{name}\" does not exist"),
        }
    }

    pub fn new(name: &str, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            name: name.to_owned(),
            code,
            message: message.into(),
        }
    }
}

/// A failed request: a status and a HubSpot error body (without `correlationId`).
#[derive(Debug, Clone)]
pub(crate) struct ApiError {
    pub status: StatusCode,
    pub body: Value,
}

pub(crate) type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub fn new(status: StatusCode, category: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            body: json!({"status": "error", "message": message.into(), "category": category}),
        }
    }

    /// Adds `context` (map of string to string list).
    pub fn with_context(mut self, key: &str, values: Vec<String>) -> Self {
        if let Some(obj) = self.body.as_object_mut() {
            let ctx = obj.entry("context").or_insert_with(|| json!({}));
            if let Some(ctx) = ctx.as_object_mut() {
                ctx.insert(key.to_owned(), json!(values));
            }
        }
        self
    }

    pub fn validation(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "VALIDATION_ERROR", message)
    }

    /// Malformed or wrongly typed JSON, worded like HubSpot's "Invalid input JSON".
    pub fn invalid_json(detail: impl std::fmt::Display) -> Self {
        Self::validation(format!("Invalid input JSON: {detail}"))
    }

    /// The body of an injected 4xx/5xx fault (`503=p`, `apply-507=p`), HubSpot-shaped.
    pub fn injected(status: StatusCode) -> Self {
        let message = format!(
            "Injected fault: {} {}",
            status.as_u16(),
            status.canonical_reason().unwrap_or("")
        );
        Self::new(status, category_for(status), message.trim_end())
    }

    pub fn not_found(id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "OBJECT_NOT_FOUND",
            "Object not found.  objectId are usually numeric.",
        )
        .with_context("id", vec![id.to_owned()])
    }

    /// The G-OBJ `Property values were not valid: [...]` shape.
    pub fn properties(problems: &[PropertyProblem]) -> Self {
        // Written by hand to keep HubSpot's key order (serde_json maps are sorted).
        let q = |s: &str| Value::String(s.to_owned()).to_string();
        let inner: Vec<String> = problems
            .iter()
            .map(|p| {
                format!(
                    "{{\"isValid\":false,\"message\":{m},\"error\":{c},\"name\":{n},\"localizedErrorMessage\":{m},\"portalId\":{PORTAL_ID}}}",
                    m = q(&p.message),
                    c = q(p.code),
                    n = q(&p.name),
                )
            })
            .collect();
        let message = format!("Property values were not valid: [{}]", inner.join(","));
        let errors: Vec<Value> = problems
            .iter()
            .map(|p| json!({"message": p.message, "code": p.code, "context": {"propertyName": [p.name]}}))
            .collect();
        let mut e = Self::validation(message);
        if let Some(obj) = e.body.as_object_mut() {
            obj.insert("errors".into(), Value::Array(errors));
        }
        e
    }

    /// The same error as a batch `StandardError` entry (no correlation id, `context` kept).
    pub fn to_standard_error(&self) -> Value {
        let mut v = self.body.clone();
        if let Some(obj) = v.as_object_mut() {
            obj.remove("errors");
            obj.entry("context").or_insert_with(|| json!({}));
        }
        v
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, axum::Json(self.body)).into_response()
    }
}

/// The category HubSpot-like bodies carry for a bare status (used when the router itself
/// rejects a request and for injected faults).
pub(crate) fn category_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 | 411 | 413 | 415 | 422 => "VALIDATION_ERROR",
        401 => "INVALID_AUTHENTICATION",
        403 => "MISSING_SCOPES",
        404 => "RESOURCE_NOT_FOUND",
        405 => "METHOD_NOT_ALLOWED",
        429 => "RATE_LIMITS",
        s if s >= 500 => "INTERNAL_ERROR",
        _ => "ERROR",
    }
}

/// A uuid-v4-looking id for `correlationId` and `requestId`.
pub(crate) fn new_uuid() -> String {
    let a: u128 = rand::random();
    let hex = format!("{a:032x}");
    format!(
        "{}-{}-4{}-a{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[13..16],
        &hex[17..20],
        &hex[20..32]
    )
}

//! The endpoint table: one row per HubSpot operation this project uses, with its HTTP method,
//! its path template in each [`ApiVersion`] (or none where the version lacks it), whether
//! repeating it is safe, and which rate budget it spends.
//!
//! The client builds every request from a row, the emulator builds its router from the same
//! rows, and a test checks every row against HubSpot's OpenAPI files, so a path is spelled in
//! exactly one place: the row (see [`table`]).
//!
//! ```
//! use hubspot_postal_model::endpoints::{self, ApiVersion, HttpMethod, Segment};
//! use hubspot_postal_model::ids::PostalMailId;
//!
//! let id = PostalMailId::new("25727582880")?;
//! let get = &endpoints::GET;
//! assert_eq!(get.method(), HttpMethod::Get);
//! assert_eq!(
//!     get.template(ApiVersion::V2026_03),
//!     Some("/crm/objects/2026-03/postal_mail/{postalMailId}")
//! );
//! assert_eq!(
//!     get.path(ApiVersion::V3, &[("postalMailId", Segment::from(&id))])?,
//!     "/crm/v3/objects/postal_mail/25727582880"
//! );
//! // An operation a version lacks is an error before any request, naming where it exists.
//! let err = endpoints::MERGE.require(ApiVersion::V2026_03).unwrap_err();
//! assert_eq!(err.available, [ApiVersion::V2025_09, ApiVersion::V2026_09Beta]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Do not build paths with `format!` next to a row: take the template from the row and fill
//! it with [`Endpoint::path`], whose [`Segment`]s can only come from validated ids and
//! object types.

mod fill;
pub mod table;
mod version;

use std::fmt;

pub use fill::{PathError, Segment};
pub use table::*;
pub use version::{ApiVersion, UnknownApiVersion};

/// The HTTP method of an operation (the model's own type: it depends on no HTTP crate).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HttpMethod {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `PATCH`.
    Patch,
    /// `DELETE`.
    Delete,
}

impl HttpMethod {
    /// The method name as sent (`GET`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
        }
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

/// What repeating a request can do, which decides whether a retry is safe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Idempotency {
    /// It changes nothing (a GET, search, batch read): retried with backoff, and an answer
    /// that cannot be read is only a failure to read.
    Read,
    /// A write that leaves the same state when sent twice (PATCH of the same values, DELETE,
    /// association writes, upsert): retried with backoff. A success whose body cannot be read
    /// still wrote, so it is "may have been applied".
    Idempotent,
    /// Each request makes new records: retried only when it provably never left the process
    /// or HubSpot said it did nothing (429); otherwise "may have been applied".
    CreatesRecord,
    /// Sending it twice cannot make new records, but a repeat after a success fails or acts
    /// on a changed state (merge): retried under the same rule as [`Idempotency::CreatesRecord`].
    NotRepeatable,
}

impl Idempotency {
    /// Whether a request that may have been applied can be sent again blindly.
    pub const fn is_retry_safe(self) -> bool {
        matches!(self, Self::Read | Self::Idempotent)
    }

    /// Whether the request may change data in HubSpot (everything but [`Idempotency::Read`]).
    ///
    /// ```
    /// use hubspot_postal_model::endpoints::{GET, SEARCH, UPDATE};
    /// assert!(!GET.idempotency().writes() && !SEARCH.idempotency().writes());
    /// assert!(UPDATE.idempotency().writes());
    /// ```
    pub const fn writes(self) -> bool {
        !matches!(self, Self::Read)
    }
}

/// The HubSpot rate limit a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RateBudget {
    /// The app's ten-second and daily limits.
    General,
    /// The CRM search limit (5 requests per second), exempt from the ten-second window.
    Search,
}

/// One operation: a row of the endpoint table.
///
/// Rows are constants in [`table`]; [`ENDPOINTS`] lists them all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Endpoint {
    name: &'static str,
    method: HttpMethod,
    idempotency: Idempotency,
    budget: RateBudget,
    /// Indexed by [`ApiVersion::index`].
    paths: [Option<&'static str>; ApiVersion::ALL.len()],
}

impl Endpoint {
    /// The operation's name (`batch_read`), stable, for logs, metrics and errors.
    pub const fn name(&self) -> &'static str {
        self.name
    }

    /// The HTTP method.
    pub const fn method(&self) -> HttpMethod {
        self.method
    }

    /// Whether repeating it is safe.
    pub const fn idempotency(&self) -> Idempotency {
        self.idempotency
    }

    /// Which rate limit it spends.
    pub const fn budget(&self) -> RateBudget {
        self.budget
    }

    /// The path template in `version` (`{name}` placeholders, which is also axum's route
    /// syntax), or `None` when the version lacks the operation. Templates are static, so a
    /// client can use them as tracing fields and metric labels instead of raw URLs.
    pub const fn template(&self, version: ApiVersion) -> Option<&'static str> {
        self.paths[version.index()]
    }

    /// The versions that have this operation, oldest first.
    pub fn versions(&self) -> impl Iterator<Item = ApiVersion> + '_ {
        ApiVersion::ALL
            .into_iter()
            .filter(|v| self.template(*v).is_some())
    }

    /// The template in `version`, or an error naming the versions that have the operation.
    pub fn require(&self, version: ApiVersion) -> Result<&'static str, NotInVersion> {
        self.template(version).ok_or_else(|| NotInVersion {
            endpoint: self.name,
            version,
            available: self.versions().collect(),
        })
    }

    /// The path in `version` with every placeholder filled from `args`.
    ///
    /// Fails when the version lacks the operation or when `args` does not name exactly the
    /// template's placeholders.
    pub fn path(
        &self,
        version: ApiVersion,
        args: &[(&str, Segment<'_>)],
    ) -> Result<String, PathError> {
        fill::fill(self.require(version)?, args)
    }

    /// [`path`](Self::path) and the template it filled, for a caller that needs both (the
    /// client logs the template): one look-up of the version.
    pub fn path_and_template(
        &self,
        version: ApiVersion,
        args: &[(&str, Segment<'_>)],
    ) -> Result<(String, &'static str), PathError> {
        let template = self.require(version)?;
        Ok((fill::fill(template, args)?, template))
    }
}

/// An operation asked for in a version that does not have it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{endpoint} is not available in HubSpot API version {version}; it is in: {}",
    list(available)
)]
pub struct NotInVersion {
    /// The row's name.
    pub endpoint: &'static str,
    /// The version asked for.
    pub version: ApiVersion,
    /// The versions that have it, oldest first (empty for none).
    pub available: Vec<ApiVersion>,
}

fn list(versions: &[ApiVersion]) -> String {
    if versions.is_empty() {
        return "no version".to_owned();
    }
    versions
        .iter()
        .map(|v| v.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The row named `name`.
///
/// ```
/// use hubspot_postal_model::endpoints;
/// assert_eq!(endpoints::by_name("search"), Some(&endpoints::SEARCH));
/// assert_eq!(endpoints::by_name("nope"), None);
/// ```
pub fn by_name(name: &str) -> Option<&'static Endpoint> {
    ENDPOINTS.iter().find(|e| e.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_every_row_is_in_some_version() {
        let mut names = HashSet::new();
        for e in ENDPOINTS {
            assert!(names.insert(e.name()), "duplicate row {}", e.name());
            assert!(
                e.versions().next().is_some(),
                "{} is in no version",
                e.name()
            );
        }
    }

    /// Whether an unreadable success was a write (so "may have been applied") rests on this
    /// class: a GET only reads, a PUT, PATCH or DELETE always writes, and the POSTs that read
    /// are exactly HubSpot's search and batch reads (their paths end in `/search` or `/read`).
    #[test]
    fn reads_are_the_gets_searches_and_batch_reads() {
        for e in ENDPOINTS {
            let template = e.versions().find_map(|v| e.template(v)).unwrap_or_default();
            let reads = match e.method() {
                HttpMethod::Get => true,
                HttpMethod::Post => template.ends_with("/search") || template.ends_with("/read"),
                HttpMethod::Put | HttpMethod::Patch | HttpMethod::Delete => false,
            };
            assert_eq!(!e.idempotency().writes(), reads, "{}: {template}", e.name());
            assert!(e.idempotency().is_retry_safe() || e.idempotency().writes());
        }
    }

    #[test]
    fn method_and_template_identify_one_row_per_version() {
        for v in ApiVersion::ALL {
            let mut seen = HashSet::new();
            for e in ENDPOINTS {
                if let Some(t) = e.template(v) {
                    assert!(
                        seen.insert((e.method(), t)),
                        "{v}: {} {t} twice",
                        e.method()
                    );
                }
            }
        }
    }

    #[test]
    fn dated_templates_carry_their_version_and_legacy_ones_a_numeric_one() {
        for e in ENDPOINTS {
            for v in e.versions() {
                let t = e.template(v).unwrap_or_default();
                let segment = t.split('/').nth(if v.is_legacy() { 2 } else { 3 });
                let expected: &[&str] = if v.is_legacy() {
                    &["v3", "v4"]
                } else {
                    &[v.as_str()]
                };
                assert!(
                    segment.is_some_and(|s| expected.contains(&s)),
                    "{} in {v}: {t}",
                    e.name()
                );
            }
        }
    }

    #[test]
    fn not_in_version_names_the_versions_that_have_it() {
        let err = GDPR_DELETE.require(ApiVersion::V3).unwrap_err();
        assert_eq!(
            err.to_string(),
            "gdpr_delete is not available in HubSpot API version v3; it is in: 2025-09, 2026-09-beta"
        );
    }
}

//! [`ApiVersion`]: which of HubSpot's API versions a request targets, the version literals
//! used in paths, and the behaviour changes a version brings.

use std::fmt;
use std::str::FromStr;

/// The path literal of each version, spelled once: [`ApiVersion::as_str`] and the endpoint
/// table's path macros both expand it.
macro_rules! version_literal {
    (V3) => {
        "v3"
    };
    (V2025_09) => {
        "2025-09"
    };
    (V2026_03) => {
        "2026-03"
    };
    (V2026_09) => {
        "2026-09"
    };
    (V2026_09Beta) => {
        "2026-09-beta"
    };
}
pub(crate) use version_literal;

/// A HubSpot API version: the legacy numeric track or one date-based release.
///
/// HubSpot releases a date-based version every March and September, supports each for 18
/// months, and marks previews with `-beta`. Every request of a client goes to one version,
/// so one setting picks the version for every call (HubSpot's migration advice: centralize
/// versioning).
///
/// Betas are never chosen implicitly: [`ApiVersion::STABLE`] leaves them out and only an
/// explicit [`ApiVersion::parse`] of the `-beta` literal (or naming the variant) selects one.
///
/// ```
/// use hubspot_postal_model::endpoints::ApiVersion;
///
/// assert_eq!(ApiVersion::DEFAULT, ApiVersion::V2026_03);
/// assert_eq!(ApiVersion::parse("2026-09-beta")?, ApiVersion::V2026_09Beta);
/// assert!(!ApiVersion::STABLE.contains(&ApiVersion::V2026_09Beta));
/// assert_eq!(ApiVersion::V2026_09.to_string(), "2026-09");
/// assert!(ApiVersion::parse("2024-01").is_err());
/// # Ok::<(), hubspot_postal_model::endpoints::UnknownApiVersion>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ApiVersion {
    /// The legacy numeric track: `/crm/v3/objects/...` and, for associations, `/crm/v4/...`
    /// and `/crm/v3/associations/...`. HubSpot ends support for it in 2027.
    V3,
    /// `2025-09`, the first date-based release (published while date-based versions were in
    /// beta).
    V2025_09,
    /// `2026-03`, the first generally available date-based release.
    V2026_03,
    /// `2026-09`.
    V2026_09,
    /// `2026-09-beta`: a preview, selected only by explicit opt-in.
    V2026_09Beta,
}

/// A version string that is not one of [`ApiVersion::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "{input:?} is not a supported HubSpot API version: use v3, 2025-09, 2026-03, 2026-09 or 2026-09-beta"
)]
pub struct UnknownApiVersion {
    /// What was given.
    pub input: String,
}

impl ApiVersion {
    /// Every version, the beta included, oldest first.
    pub const ALL: [ApiVersion; 5] = [
        Self::V3,
        Self::V2025_09,
        Self::V2026_03,
        Self::V2026_09,
        Self::V2026_09Beta,
    ];

    /// The versions a client may pick without opting into a preview.
    pub const STABLE: [ApiVersion; 4] = [Self::V3, Self::V2025_09, Self::V2026_03, Self::V2026_09];

    /// The version used when none is chosen: `2026-03`.
    ///
    /// It is the newest version whose postal-mail operations, schemas and status codes
    /// HubSpot documents as the same as v3's, so moving from v3 changes paths only. `2026-09`
    /// adds behaviour changes (see [`ApiVersion::enforces_required_properties`]) that a
    /// caller should take on knowingly, by choosing it. The default changes only in a
    /// semver-major release.
    pub const DEFAULT: ApiVersion = Self::V2026_03;

    /// The literal in paths and on the command line (`v3`, `2026-03`, `2026-09-beta`).
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::V3 => version_literal!(V3),
            Self::V2025_09 => version_literal!(V2025_09),
            Self::V2026_03 => version_literal!(V2026_03),
            Self::V2026_09 => version_literal!(V2026_09),
            Self::V2026_09Beta => version_literal!(V2026_09Beta),
        }
    }

    /// Parses a version literal; betas parse too, as the explicit opt-in.
    pub fn parse(s: &str) -> Result<Self, UnknownApiVersion> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| UnknownApiVersion {
                input: s.to_owned(),
            })
    }

    /// Whether this is a `-beta` preview.
    pub const fn is_beta(self) -> bool {
        matches!(self, Self::V2026_09Beta)
    }

    /// Whether this is the legacy numeric track rather than a date-based release.
    pub const fn is_legacy(self) -> bool {
        matches!(self, Self::V3)
    }

    /// Whether HubSpot enforces the portal's required-property rules on creates and
    /// updates: from `2026-09` (the beta previews it).
    ///
    /// HubSpot's changelog announced write validation for `/2026-09/`; integrators report
    /// that it covers required properties. The exact rule set is UNCONFIRMED, see
    /// `docs/api-versions.md`.
    pub const fn enforces_required_properties(self) -> bool {
        self.is_2026_09_or_its_beta()
    }

    /// Whether legacy snake-case association type names (`POSTAL_MAIL_TO_CONTACT`) resolve
    /// where a path takes an association type: up to `2026-03` (UNCONFIRMED, reported by
    /// integrators for `2026-09`).
    pub const fn resolves_snake_case_association_names(self) -> bool {
        !self.is_2026_09_or_its_beta()
    }

    /// The releases whose reported behaviour changes start with `2026-09`; the beta previews
    /// `2026-09`, so it behaves the same.
    const fn is_2026_09_or_its_beta(self) -> bool {
        matches!(self, Self::V2026_09 | Self::V2026_09Beta)
    }

    /// The position in [`ApiVersion::ALL`].
    pub(crate) const fn index(self) -> usize {
        self as usize
    }
}

impl Default for ApiVersion {
    fn default() -> Self {
        Self::DEFAULT
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(self.as_str())
    }
}

impl FromStr for ApiVersion {
    type Err = UnknownApiVersion;
    fn from_str(s: &str) -> Result<Self, UnknownApiVersion> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_literal_round_trips_and_index_matches_all() {
        for (i, v) in ApiVersion::ALL.into_iter().enumerate() {
            assert_eq!(ApiVersion::parse(v.as_str()), Ok(v));
            assert_eq!(v.index(), i);
        }
    }

    #[test]
    fn stable_is_all_but_the_betas() {
        let non_beta: Vec<_> = ApiVersion::ALL
            .into_iter()
            .filter(|v| !v.is_beta())
            .collect();
        assert_eq!(non_beta, ApiVersion::STABLE);
        assert!(!ApiVersion::DEFAULT.is_beta() && !ApiVersion::DEFAULT.is_legacy());
    }

    #[test]
    fn behaviour_changes_start_with_2026_09() {
        use ApiVersion::*;
        let enforcing = [
            (V3, false),
            (V2025_09, false),
            (V2026_03, false),
            (V2026_09, true),
            (V2026_09Beta, true),
        ];
        for (v, enforces) in enforcing {
            assert_eq!(v.enforces_required_properties(), enforces, "{v}");
            assert_eq!(v.resolves_snake_case_association_names(), !enforces, "{v}");
        }
    }

    #[test]
    fn unknown_versions_are_errors() {
        for s in ["2024-01", "V3", "v4", "2026-03-beta", "", "2026-3"] {
            assert!(ApiVersion::parse(s).is_err(), "{s}");
        }
    }
}

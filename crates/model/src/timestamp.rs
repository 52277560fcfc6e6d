//! `Timestamp`: the instant a letter was sent or received (`hs_timestamp`), and the record
//! times HubSpot returns.
//!
//! HubSpot accepts several forms on input; this type parses all of them and always writes one
//! canonical form, RFC 3339 in UTC with milliseconds (`2021-11-12T00:00:00.000Z`), the form
//! HubSpot itself returns. Precision is milliseconds, as in HubSpot.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, UtcOffset};

use crate::validation::ValidationError;

/// An instant with millisecond precision, in UTC.
///
/// ```
/// use hubspot_postal_model::timestamp::Timestamp;
/// let a: Timestamp = "2021-11-12".parse()?;                 // HubSpot's own example
/// let b: Timestamp = "2021-11-12T00:00:00Z".parse()?;       // ISO-8601
/// let c: Timestamp = "1636675200000".parse()?;              // epoch milliseconds
/// assert_eq!(a, b);
/// assert_eq!(b, c);
/// assert_eq!(a.to_string(), "2021-11-12T00:00:00.000Z");
/// # Ok::<(), hubspot_postal_model::validation::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

/// Earliest and latest instants the canonical form can write (years 1 to 9999).
const MIN_MILLIS: i64 = -62_135_596_800_000;
const MAX_MILLIS: i64 = 253_402_300_799_999;

impl Timestamp {
    /// From milliseconds since the Unix epoch; years 1 to 9999.
    pub fn from_epoch_millis(millis: i64) -> Result<Self, ValidationError> {
        if !(MIN_MILLIS..=MAX_MILLIS).contains(&millis) {
            return Err(ValidationError::InvalidTimestamp {
                input: millis.to_string(),
            });
        }
        OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000)
            .map(Self)
            .map_err(|_| ValidationError::InvalidTimestamp {
                input: millis.to_string(),
            })
    }

    /// From a `time` date-time; sub-millisecond precision is dropped.
    pub fn from_datetime(dt: OffsetDateTime) -> Result<Self, ValidationError> {
        let millis = dt.unix_timestamp_nanos().div_euclid(1_000_000);
        let millis = i64::try_from(millis).map_err(|_| ValidationError::InvalidTimestamp {
            input: dt.to_string(),
        })?;
        Self::from_epoch_millis(millis)
    }

    /// The current time.
    pub fn now() -> Self {
        // The clock is always within years 1..9999, so this cannot fail in practice; fall back
        // to the epoch rather than panic.
        Self::from_datetime(OffsetDateTime::now_utc()).unwrap_or(Self(OffsetDateTime::UNIX_EPOCH))
    }

    /// Milliseconds since the Unix epoch, the form search filters take.
    pub fn epoch_millis(self) -> i64 {
        // In range by construction (years 1..9999).
        (self.0.unix_timestamp_nanos() / 1_000_000) as i64
    }

    /// The instant as a `time` date-time in UTC.
    pub fn as_datetime(self) -> OffsetDateTime {
        self.0
    }

    /// Parses any accepted form: RFC 3339 / ISO-8601 date-time with an offset, a bare date
    /// (midnight UTC), or epoch milliseconds.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let invalid = || ValidationError::InvalidTimestamp {
            input: input.to_owned(),
        };
        let s = input.trim();
        if s.is_empty() {
            return Err(invalid());
        }
        let digits = s.strip_prefix('-').unwrap_or(s);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            let millis: i64 = s.parse().map_err(|_| invalid())?;
            return Self::from_epoch_millis(millis).map_err(|_| invalid());
        }
        if s.len() == 10 {
            let date = Date::parse(s, format_description!("[year]-[month]-[day]"))
                .map_err(|_| invalid())?;
            return Self::from_datetime(date.midnight().assume_utc()).map_err(|_| invalid());
        }
        let dt = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| invalid())?;
        Self::from_datetime(dt.checked_to_offset(UtcOffset::UTC).ok_or_else(invalid)?)
            .map_err(|_| invalid())
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.0;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            d.year(),
            u8::from(d.month()),
            d.day(),
            d.hour(),
            d.minute(),
            d.second(),
            d.millisecond()
        )
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl FromStr for Timestamp {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, ValidationError> {
        Self::parse(s)
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            S(String),
            N(i64),
        }
        match Raw::deserialize(d)? {
            Raw::S(s) => Self::parse(&s),
            Raw::N(n) => Self::from_epoch_millis(n),
        }
        .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepts_every_documented_form() {
        let want = Timestamp::from_epoch_millis(1_636_675_200_000).unwrap();
        for s in [
            "2021-11-12",
            "2021-11-12T00:00:00Z",
            "2021-11-12T00:00:00.000Z",
            "2021-11-12T01:00:00+01:00",
            "1636675200000",
        ] {
            assert_eq!(s.parse::<Timestamp>().unwrap(), want, "{s}");
        }
    }

    #[test]
    fn rejects_garbage_with_the_input_in_the_error() {
        for s in [
            "",
            "yesterday",
            "2021-13-01",
            "2021-11-12T25:00:00Z",
            "12:00",
            "99999999999999999999",
        ] {
            let e = s.parse::<Timestamp>().unwrap_err();
            assert_eq!(e, ValidationError::InvalidTimestamp { input: s.into() });
        }
    }

    #[test]
    fn truncates_to_millis() {
        let t: Timestamp = "2021-11-12T00:00:00.123456789Z".parse().unwrap();
        assert_eq!(t.to_string(), "2021-11-12T00:00:00.123Z");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]
        #[test]
        fn canonical_form_round_trips(ms in MIN_MILLIS..=MAX_MILLIS) {
            let t = Timestamp::from_epoch_millis(ms).unwrap();
            prop_assert_eq!(t.epoch_millis(), ms);
            prop_assert_eq!(t.to_string().parse::<Timestamp>().unwrap(), t);
            prop_assert_eq!(ms.to_string().parse::<Timestamp>().unwrap(), t);
            let json = serde_json::to_string(&t).unwrap();
            prop_assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), t);
        }

        #[test]
        fn parse_never_panics(s in ".{0,40}") {
            let _ = s.parse::<Timestamp>();
        }
    }
}

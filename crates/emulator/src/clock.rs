//! Time on the wire: epoch milliseconds in the store, RFC 3339 with milliseconds and `Z` in
//! responses, and the `hs_timestamp` input forms (date-time, bare date, epoch millis).

use std::time::{SystemTime, UNIX_EPOCH};

use time::format_description::well_known::Rfc3339;
use time::macros::format_description;
use time::{Date, OffsetDateTime, PrimitiveDateTime};

/// Milliseconds since the Unix epoch, now.
pub(crate) fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `2026-01-05T10:00:00.000Z`.
pub(crate) fn format_ms(ms: i64) -> String {
    let fmt =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&fmt).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// Parses what HubSpot accepts for a date-time property: epoch milliseconds, an RFC 3339
/// date-time, a date-time without offset (taken as UTC) or a bare `YYYY-MM-DD` (midnight UTC).
pub(crate) fn parse_timestamp(s: &str) -> Option<i64> {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 16 && s.bytes().all(|b| b.is_ascii_digit()) {
        return s.parse().ok();
    }
    if let Ok(t) = OffsetDateTime::parse(s, &Rfc3339) {
        return to_ms(t);
    }
    let naive = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let naive_frac =
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond]");
    if let Ok(t) =
        PrimitiveDateTime::parse(s, &naive).or_else(|_| PrimitiveDateTime::parse(s, &naive_frac))
    {
        return to_ms(t.assume_utc());
    }
    let date = format_description!("[year]-[month]-[day]");
    if let Ok(d) = Date::parse(s, &date) {
        return to_ms(d.midnight().assume_utc());
    }
    None
}

fn to_ms(t: OffsetDateTime) -> Option<i64> {
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        assert_eq!(format_ms(0), "1970-01-01T00:00:00.000Z");
        let d = parse_timestamp("2021-11-12").unwrap();
        assert_eq!(format_ms(d), "2021-11-12T00:00:00.000Z");
        assert_eq!(parse_timestamp("2021-11-12T00:00:00Z"), Some(d));
        assert_eq!(parse_timestamp("2021-11-12T01:00:00+01:00"), Some(d));
        assert_eq!(parse_timestamp("2021-11-12T00:00:00.000"), Some(d));
        assert_eq!(parse_timestamp(&d.to_string()), Some(d));
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp(""), None);
    }
}

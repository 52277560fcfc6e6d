//! `Retry-After` parsing: delta-seconds, an HTTP-date, or `Retry-After-Ms`.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// How long the response asks the client to wait, if it says.
///
/// `Retry-After-Ms` wins over `Retry-After`; an HTTP-date in the past means "now".
///
/// ```
/// use http::{HeaderMap, HeaderValue};
/// use hubspot_postal::retry::parse_retry_after;
/// use std::time::{Duration, SystemTime};
/// let mut h = HeaderMap::new();
/// h.insert("retry-after", HeaderValue::from_static("3"));
/// assert_eq!(parse_retry_after(&h, SystemTime::now()), Some(Duration::from_secs(3)));
/// h.insert("retry-after-ms", HeaderValue::from_static("1500"));
/// assert_eq!(parse_retry_after(&h, SystemTime::now()), Some(Duration::from_millis(1500)));
/// ```
pub fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    if let Some(ms) = headers
        .get(hubspot_postal_model::headers::RETRY_AFTER_MS)
        .and_then(|v| v.to_str().ok())
        && let Ok(ms) = ms.trim().parse::<u64>()
    {
        return Some(Duration::from_millis(ms));
    }
    let value = headers
        .get(http::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(name: &'static str, value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(name, HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn http_date_is_relative_to_now() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        assert_eq!(
            parse_retry_after(&headers("retry-after", &later), now),
            Some(Duration::from_secs(7))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(7));
        assert_eq!(
            parse_retry_after(&headers("retry-after", &earlier), now),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn garbage_is_ignored() {
        let now = SystemTime::now();
        assert_eq!(
            parse_retry_after(&headers("retry-after", "soon"), now),
            None
        );
        assert_eq!(parse_retry_after(&headers("retry-after", "-1"), now), None);
        assert_eq!(parse_retry_after(&HeaderMap::new(), now), None);
    }
}

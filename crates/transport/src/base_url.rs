//! The validated root URL that every request path is appended to.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The root URL requests are sent to, such as `https://api.hubapi.com`.
///
/// A `BaseUrl` can only be built through validation, so code that holds one knows that:
///
/// - the scheme is `https`, or `http` only when the host is a loopback address
///   (`127.0.0.0/8`, `::1` or `localhost`), as for the local emulator. A bearer token is never
///   sent in clear text across a network;
/// - it has no user name or password, no query and no fragment, so appending a path and query
///   gives exactly the intended URL;
/// - it has no trailing slash (it is trimmed), so `base + "/crm/v3/..."` never doubles one.
///
/// ```
/// use hubspot_postal_transport::BaseUrl;
///
/// let emulator = BaseUrl::parse("http://127.0.0.1:8080/")?;
/// assert_eq!(emulator.as_str(), "http://127.0.0.1:8080");
/// assert_eq!(BaseUrl::hubspot().as_str(), BaseUrl::HUBSPOT);
///
/// // Plain HTTP to anything but this machine is refused.
/// assert!(BaseUrl::parse("http://api.hubapi.com").is_err());
/// # Ok::<(), hubspot_postal_transport::BaseUrlError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct BaseUrl {
    /// Shared: every request of a client carries a clone.
    url: Arc<str>,
    loopback: bool,
}

impl BaseUrl {
    /// HubSpot's public API root.
    pub const HUBSPOT: &'static str = "https://api.hubapi.com";

    /// HubSpot's public API root, [`BaseUrl::HUBSPOT`].
    #[must_use]
    pub fn hubspot() -> Self {
        Self {
            url: Arc::from(Self::HUBSPOT),
            loopback: false,
        }
    }

    /// Validates `input` as a base URL (see the type's docs for the rules).
    pub fn parse(input: &str) -> Result<Self, BaseUrlError> {
        let url =
            url::Url::parse(input.trim()).map_err(|e| BaseUrlError::Invalid(e.to_string()))?;
        let loopback = match url.host() {
            None => return Err(BaseUrlError::NoHost),
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            // The parser lower-cases domains of special schemes, so this comparison is exact.
            Some(url::Host::Domain(domain)) => domain == "localhost",
        };
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            "http" => {
                return Err(BaseUrlError::InsecureHttp(
                    url.host_str().unwrap_or_default().to_owned(),
                ));
            }
            other => return Err(BaseUrlError::UnsupportedScheme(other.to_owned())),
        }
        if !url.username().is_empty() || url.password().is_some() {
            return Err(BaseUrlError::HasCredentials);
        }
        if url.query().is_some() {
            return Err(BaseUrlError::HasQuery);
        }
        if url.fragment().is_some() {
            return Err(BaseUrlError::HasFragment);
        }
        Ok(Self {
            url: Arc::from(url.as_str().trim_end_matches('/')),
            loopback,
        })
    }

    /// The URL as text, without a trailing slash.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// `true` when the host is this machine (`127.0.0.0/8`, `::1` or `localhost`).
    #[must_use]
    pub fn is_loopback(&self) -> bool {
        self.loopback
    }

    /// `true` when the scheme is `https`.
    #[must_use]
    pub fn is_https(&self) -> bool {
        self.url.starts_with("https://")
    }
}

impl Default for BaseUrl {
    /// HubSpot's public API root.
    fn default() -> Self {
        Self::hubspot()
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.url)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.url).finish()
    }
}

impl AsRef<str> for BaseUrl {
    fn as_ref(&self) -> &str {
        &self.url
    }
}

impl FromStr for BaseUrl {
    type Err = BaseUrlError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Why a text is not a usable [`BaseUrl`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BaseUrlError {
    /// The text is not an absolute URL.
    #[error("invalid base URL: {0}")]
    Invalid(String),
    /// The URL has no host.
    #[error("base URL has no host")]
    NoHost,
    /// The scheme is neither `https` nor `http`.
    #[error("base URL scheme `{0}` is not supported; use https")]
    UnsupportedScheme(String),
    /// Plain `http` to a host that is not this machine.
    #[error(
        "base URL uses plain http to `{0}`; http is only allowed to a loopback host, use https"
    )]
    InsecureHttp(String),
    /// The URL carries a user name or password.
    #[error("base URL must not contain a user name or password")]
    HasCredentials,
    /// The URL has a query string.
    #[error("base URL must not have a query string")]
    HasQuery,
    /// The URL has a fragment.
    #[error("base URL must not have a fragment")]
    HasFragment,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http() {
        for (input, expected, loopback) in [
            ("https://api.hubapi.com", "https://api.hubapi.com", false),
            ("https://api.hubapi.com/", "https://api.hubapi.com", false),
            (
                "HTTPS://API.HubApi.com:443",
                "https://api.hubapi.com",
                false,
            ),
            ("http://127.0.0.1:8080", "http://127.0.0.1:8080", true),
            ("http://127.9.8.7:1/", "http://127.9.8.7:1", true),
            ("http://[::1]:1", "http://[::1]:1", true),
            ("http://localhost:3000", "http://localhost:3000", true),
            ("https://localhost:3000", "https://localhost:3000", true),
            (
                "http://127.0.0.1:8080/prefix/",
                "http://127.0.0.1:8080/prefix",
                true,
            ),
        ] {
            let url = BaseUrl::parse(input).unwrap_or_else(|e| panic!("{input}: {e}"));
            assert_eq!(url.as_str(), expected, "{input}");
            assert_eq!(url.to_string(), expected, "{input}");
            assert_eq!(url.is_loopback(), loopback, "{input}");
        }
    }

    #[test]
    fn rejects_insecure_or_ambiguous_urls() {
        for (input, expected) in [
            (
                "http://example.com",
                BaseUrlError::InsecureHttp("example.com".into()),
            ),
            (
                "http://127.0.0.1.evil.com",
                BaseUrlError::InsecureHttp("127.0.0.1.evil.com".into()),
            ),
            (
                "http://localhost.evil.com",
                BaseUrlError::InsecureHttp("localhost.evil.com".into()),
            ),
            (
                "http://10.0.0.1",
                BaseUrlError::InsecureHttp("10.0.0.1".into()),
            ),
            ("http://[::2]", BaseUrlError::InsecureHttp("[::2]".into())),
            (
                "ftp://api.hubapi.com",
                BaseUrlError::UnsupportedScheme("ftp".into()),
            ),
            ("https://api.hubapi.com?a=b", BaseUrlError::HasQuery),
            ("https://api.hubapi.com/?", BaseUrlError::HasQuery),
            ("https://api.hubapi.com#top", BaseUrlError::HasFragment),
            (
                "https://user:secret@api.hubapi.com",
                BaseUrlError::HasCredentials,
            ),
            ("https://user@api.hubapi.com", BaseUrlError::HasCredentials),
        ] {
            assert_eq!(BaseUrl::parse(input), Err(expected), "{input}");
        }
        for input in ["", "   ", "api.hubapi.com", "/crm/v3", "https://"] {
            assert!(
                matches!(BaseUrl::parse(input), Err(BaseUrlError::Invalid(_))),
                "{input:?}: {:?}",
                BaseUrl::parse(input)
            );
        }
        assert!(matches!(
            BaseUrl::parse("mailto:someone@example.com"),
            Err(BaseUrlError::NoHost | BaseUrlError::UnsupportedScheme(_))
        ));
    }

    #[test]
    fn credentials_never_show_in_the_error() {
        let err = BaseUrl::parse("https://user:secret@api.hubapi.com").unwrap_err();
        assert!(!err.to_string().contains("secret"));
    }

    #[test]
    fn hubspot_constant_is_a_valid_base_url() {
        assert_eq!(BaseUrl::parse(BaseUrl::HUBSPOT), Ok(BaseUrl::hubspot()));
        assert_eq!(BaseUrl::default(), BaseUrl::hubspot());
        assert!(BaseUrl::hubspot().is_https());
        assert_eq!(
            "https://api.hubapi.com".parse::<BaseUrl>(),
            Ok(BaseUrl::hubspot())
        );
    }
}

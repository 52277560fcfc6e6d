//! `AccessToken`: the bearer credential, which never prints.

use std::fmt;
use std::sync::Arc;

use http::HeaderValue;

/// The scheme the token is sent under; pasted in front of a token, it is a mistake.
const BEARER: &str = "Bearer ";

/// A HubSpot private-app, service-key or OAuth access token.
///
/// `Debug` and `Display` print `AccessToken(***)`; the value only leaves this type as a
/// sensitive `Authorization` header value.
///
/// ```
/// use hubspot_postal::AccessToken;
/// let token = AccessToken::new("pat-na1-secret");
/// assert_eq!(format!("{token:?}"), "AccessToken(***)");
/// assert!(!token.to_string().contains("secret"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Arc<str>);

impl AccessToken {
    /// Wraps a token. Surrounding whitespace (say, from a token file) is trimmed.
    pub fn new(token: impl AsRef<str>) -> Self {
        Self(Arc::from(token.as_ref().trim()))
    }

    /// Whether the token is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// What makes this token unusable, said without its value: `None` when it can be sent.
    ///
    /// A token pasted with its `Bearer ` prefix (copied from a header or a curl command) gets a
    /// hint of its own, since the client adds the prefix itself.
    ///
    /// ```
    /// use hubspot_postal::AccessToken;
    /// assert_eq!(AccessToken::new("pat-na1-secret").problem(), None);
    /// let pasted = AccessToken::new("Bearer pat-na1-secret").problem().unwrap();
    /// assert!(pasted.contains("without the \"Bearer \" prefix") && !pasted.contains("secret"));
    /// assert_eq!(AccessToken::new(" ").problem(), Some("is empty"));
    /// ```
    pub fn problem(&self) -> Option<&'static str> {
        let token = &*self.0;
        let prefix = token.get(..BEARER.len());
        if token.is_empty() {
            Some("is empty")
        } else if prefix.is_some_and(|p| p.eq_ignore_ascii_case(BEARER)) {
            Some(
                "starts with \"Bearer \": give the token alone, without the \"Bearer \" prefix \
                 (the client adds it)",
            )
        } else if !token.bytes().all(|b| b.is_ascii_graphic()) {
            Some("must be visible ASCII characters only, without spaces")
        } else {
            None
        }
    }

    /// The token itself, for callers that must hand it to another system.
    pub fn expose_secret(&self) -> &str {
        &self.0
    }

    /// `Bearer <token>`, marked sensitive so that `http` and tracing layers do not print it.
    /// `None` when the token has characters a header cannot carry.
    pub(crate) fn header_value(&self) -> Option<HeaderValue> {
        // Tokens are visible ASCII; anything else would be mangled on the wire.
        if !self.0.bytes().all(|b| b.is_ascii_graphic()) {
            return None;
        }
        let mut v = HeaderValue::from_str(&format!("{BEARER}{}", self.0)).ok()?;
        v.set_sensitive(true);
        Some(v)
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessToken(***)")
    }
}

impl fmt::Display for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl From<&str> for AccessToken {
    fn from(s: &str) -> Self {
        Self::new(s)
    }
}

impl From<String> for AccessToken {
    fn from(s: String) -> Self {
        Self::new(s)
    }
}

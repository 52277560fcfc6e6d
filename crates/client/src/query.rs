//! Query strings: percent-encoded once, with list parameters repeated (`properties=a&properties=b`)
//! the way HubSpot's spec declares them (`style=form`, `explode=true`).

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Everything but unreserved characters (RFC 3986) is encoded.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Builds `path?name=value&…`.
#[derive(Debug, Default)]
pub(crate) struct Query {
    out: String,
}

impl Query {
    pub(crate) fn new() -> Self {
        Self::default()
    }

    pub(crate) fn push(&mut self, name: &str, value: &str) -> &mut Self {
        self.out.push(if self.out.is_empty() { '?' } else { '&' });
        self.out.extend(utf8_percent_encode(name, COMPONENT));
        self.out.push('=');
        self.out.extend(utf8_percent_encode(value, COMPONENT));
        self
    }

    pub(crate) fn push_opt(&mut self, name: &str, value: Option<&str>) -> &mut Self {
        if let Some(v) = value {
            self.push(name, v);
        }
        self
    }

    pub(crate) fn push_all<S: AsRef<str>>(&mut self, name: &str, values: &[S]) -> &mut Self {
        for v in values {
            self.push(name, v.as_ref());
        }
        self
    }

    /// Appends the query to `path`, reusing `path`'s allocation when it is owned.
    pub(crate) fn finish(&self, path: impl Into<String>) -> String {
        let mut out = path.into();
        out.push_str(&self.out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_and_encodes() {
        let mut q = Query::new();
        q.push_all("properties", &["a", "b c"])
            .push("after", "NTI1Cg==")
            .push_opt("x", None);
        assert_eq!(
            q.finish("/p"),
            "/p?properties=a&properties=b%20c&after=NTI1Cg%3D%3D"
        );
        assert_eq!(Query::new().finish("/p"), "/p");
    }
}

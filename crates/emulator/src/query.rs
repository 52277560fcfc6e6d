//! Query strings the way HubSpot reads them: repeated and comma-joined lists
//! (`properties=a&properties=b,c`), booleans in any case (`archived=False`, as the Python SDK
//! sends), and numeric limits with HubSpot-shaped 400s for nonsense.

use percent_encoding::percent_decode_str;

use crate::errors::{ApiError, ApiResult};

#[derive(Debug, Default, Clone)]
pub(crate) struct Query {
    pairs: Vec<(String, String)>,
}

fn decode(s: &str) -> String {
    let plus = s.replace('+', " ");
    percent_decode_str(&plus).decode_utf8_lossy().into_owned()
}

impl Query {
    pub fn parse(raw: Option<&str>) -> Self {
        let pairs = raw
            .unwrap_or("")
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((k, v)) => (decode(k), decode(v)),
                None => (decode(p), String::new()),
            })
            .collect();
        Self { pairs }
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated or comma-joined parameter, trimmed, empties dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for (_, v) in self.pairs.iter().filter(|(k, _)| k == name) {
            for item in v.split(',').map(str::trim).filter(|s| !s.is_empty()) {
                if !out.iter().any(|o| o == item) {
                    out.push(item.to_owned());
                }
            }
        }
        out
    }

    pub fn bool(&self, name: &str) -> ApiResult<bool> {
        match self.get(name) {
            None | Some("") => Ok(false),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(true),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(false),
            Some(v) => Err(ApiError::validation(format!(
                "Invalid boolean value for {name}: {v}"
            ))),
        }
    }

    /// A page size: `default` when absent, clamped to `max`, at least 1.
    pub fn limit(&self, default: u32, max: u32) -> ApiResult<u32> {
        match self.get("limit") {
            None | Some("") => Ok(default),
            Some(v) => match v.parse::<u64>() {
                Ok(n) if n >= 1 => Ok(u32::try_from(n.min(u64::from(max))).unwrap_or(max)),
                _ => Err(ApiError::validation(format!(
                    "limit must be a positive integer, got {v:?}"
                ))),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_bools() {
        let q = Query::parse(Some("properties=a&properties=b,%20c&archived=False&x"));
        assert_eq!(q.list("properties"), ["a", "b", "c"]);
        assert!(!q.bool("archived").unwrap());
        assert!(
            Query::parse(Some("archived=TRUE"))
                .bool("archived")
                .unwrap()
        );
        assert!(Query::parse(Some("archived=yes")).bool("archived").is_err());
        assert_eq!(Query::parse(Some("limit=500")).limit(10, 100).unwrap(), 100);
        assert!(Query::parse(Some("limit=0")).limit(10, 100).is_err());
        assert!(Query::parse(Some("limit=-1")).limit(10, 100).is_err());
    }
}

//! `Keys`: the Redis keys of one portal's budget, all under one user-given portal key.
//!
//! Every key is `hubspot-postal:{<portal key>}:<what>`. The braces are a Redis Cluster hash tag,
//! so every key of a portal lives in one slot and one script may touch them all.

/// The keys one portal's scripts use, in the order the scripts expect them.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub(crate) general: String,
    pub(crate) search: String,
    pub(crate) learned: String,
    pub(crate) pauses: String,
    pub(crate) daily: String,
    pub(crate) sequence: String,
}

impl Keys {
    pub(crate) fn new(portal_key: &str) -> Self {
        let key = |what: &str| format!("hubspot-postal:{{{portal_key}}}:{what}");
        Self {
            general: key("general"),
            search: key("search"),
            learned: key("learned"),
            pauses: key("pauses"),
            daily: key("daily"),
            sequence: key("seq"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_carries_the_portal_as_a_hash_tag() {
        let keys = Keys::new("acme-prod");
        for key in [
            &keys.general,
            &keys.search,
            &keys.learned,
            &keys.pauses,
            &keys.daily,
            &keys.sequence,
        ] {
            assert!(key.starts_with("hubspot-postal:{acme-prod}:"), "{key}");
        }
    }
}

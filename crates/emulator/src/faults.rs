//! Fault injection: which requests fail, how, and the seeded dice that make a run repeatable.
//!
//! A [`FaultPlan`] is a list of [`FaultRule`]s; the first rule whose method and path match a
//! request decides its fate with one roll of a seeded [`StdRng`]. Injected statuses and `drop`
//! happen before anything is applied; `apply-drop` applies the request and then cuts the
//! connection before any response byte is written, the "maybe sent" case a client must handle.
//!
//! Text form (for `--faults`), rules separated by `;`:
//!
//! ```text
//! [METHOD] PATH: KEY=VALUE,KEY=VALUE
//! POST /crm/v3/objects/postal_mail: 429=0.1,503=0.05,apply-drop=0.05,latency=5ms; GET *: drop=0.01
//! ```
//!
//! `METHOD` is optional (`*` or absent = any). `PATH` is `*` (any), or a path prefix matched
//! segment by segment where a `*` or `{name}` segment matches any one segment; a trailing `$`
//! makes it exact. Keys: an HTTP status 400..=599 (`429` gets the ten-secondly body), `drop`,
//! `apply-drop`, each with a probability; `latency=DURATION` delays every matching request.
//!
//! ```
//! use hubspot_postal_emulator::FaultPlan;
//! let plan: FaultPlan = "POST /crm/v3/objects/postal_mail$: 429=0.5; *: latency=1ms".parse()?;
//! assert_eq!(plan.rules.len(), 2);
//! # Ok::<(), String>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::parse_duration;

/// What an injected fault does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FaultAction {
    /// Answer with this status and a HubSpot-shaped body; nothing is applied.
    Status(u16),
    /// Close the connection without a response; nothing is applied.
    Drop,
    /// Apply the request, then close the connection without a response.
    ApplyDrop,
}

impl fmt::Display for FaultAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(s) => write!(f, "{s}"),
            Self::Drop => f.write_str("drop"),
            Self::ApplyDrop => f.write_str("apply-drop"),
        }
    }
}

/// One rule: which requests it matches and the chances of each fault.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct FaultRule {
    /// HTTP method (upper case); `None` matches any.
    pub method: Option<String>,
    /// Path pattern (see the module docs); `None` matches any path.
    pub path: Option<String>,
    /// Each fault with its probability; they add up to at most 1.
    pub actions: Vec<(FaultAction, f64)>,
    /// Delay added before the request is handled.
    pub latency: Option<Duration>,
}

impl FaultRule {
    /// A rule for `method` (None = any) and `path` pattern (None = any).
    pub fn new(method: Option<&str>, path: Option<&str>) -> Self {
        Self {
            method: method.map(str::to_ascii_uppercase),
            path: path.map(str::to_owned),
            ..Self::default()
        }
    }

    /// Adds a fault with probability `p`.
    pub fn with(mut self, action: FaultAction, p: f64) -> Self {
        self.actions.push((action, p));
        self
    }

    /// Adds latency.
    pub fn latency(mut self, d: Duration) -> Self {
        self.latency = Some(d);
        self
    }

    /// Whether this rule applies to a request.
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method
            && !m.eq_ignore_ascii_case(method)
        {
            return false;
        }
        match &self.path {
            None => true,
            Some(p) => path_matches(p, path),
        }
    }
}

fn path_matches(pattern: &str, path: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let (pattern, exact) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let want: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    if got.len() < want.len() || (exact && got.len() != want.len()) {
        return false;
    }
    want.iter()
        .zip(&got)
        .all(|(w, g)| *w == "*" || (w.starts_with('{') && w.ends_with('}')) || w == g)
}

/// Every fault rule of an emulator; empty (the default) injects nothing.
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct FaultPlan {
    /// Rules, first match wins.
    pub rules: Vec<FaultRule>,
}

impl FaultPlan {
    /// No faults.
    pub fn none() -> Self {
        Self::default()
    }

    /// Adds a rule.
    pub fn rule(mut self, rule: FaultRule) -> Self {
        self.rules.push(rule);
        self
    }
}

impl FromStr for FaultPlan {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut plan = FaultPlan::default();
        for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (target, settings) = part
                .rsplit_once(':')
                .ok_or_else(|| format!("{part:?}: expected '[METHOD] PATH: key=value,...'"))?;
            let words: Vec<&str> = target.split_whitespace().collect();
            let (method, path) = match words.as_slice() {
                [path] => (None, *path),
                [method, path] => (Some(*method), *path),
                _ => return Err(format!("{target:?}: expected '[METHOD] PATH'")),
            };
            let method = method.filter(|m| *m != "*");
            if let Some(m) = method
                && !m.chars().all(|c| c.is_ascii_alphabetic())
            {
                return Err(format!("{m:?} is not an HTTP method"));
            }
            if path != "*" && !path.starts_with('/') {
                return Err(format!("{path:?}: a path starts with / (or is *)"));
            }
            let mut rule = FaultRule::new(method, (path != "*").then_some(path));
            let mut total = 0.0;
            for kv in settings
                .split(',')
                .map(str::trim)
                .filter(|kv| !kv.is_empty())
            {
                let (k, v) = kv
                    .split_once('=')
                    .ok_or_else(|| format!("{kv:?}: expected key=value"))?;
                let (k, v) = (k.trim(), v.trim());
                if k == "latency" {
                    rule.latency = Some(parse_duration(v)?);
                    continue;
                }
                let action = match k {
                    "drop" => FaultAction::Drop,
                    "apply-drop" | "apply_drop" => FaultAction::ApplyDrop,
                    status => match status.parse::<u16>() {
                        Ok(code) if (400..=599).contains(&code) => FaultAction::Status(code),
                        _ => {
                            return Err(format!(
                                "{k:?}: unknown fault (use a status 400..599, drop, apply-drop or latency)"
                            ));
                        }
                    },
                };
                let p: f64 = v
                    .parse()
                    .map_err(|_| format!("{kv:?}: {v:?} is not a probability"))?;
                if !(0.0..=1.0).contains(&p) {
                    return Err(format!("{kv:?}: a probability is between 0 and 1"));
                }
                total += p;
                rule.actions.push((action, p));
            }
            if total > 1.0 + 1e-9 {
                return Err(format!(
                    "{part:?}: probabilities add up to {total}, more than 1"
                ));
            }
            plan.rules.push(rule);
        }
        Ok(plan)
    }
}

impl fmt::Display for FaultPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, r) in self.rules.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            if let Some(m) = &r.method {
                write!(f, "{m} ")?;
            }
            write!(f, "{}:", r.path.as_deref().unwrap_or("*"))?;
            let mut parts: Vec<String> =
                r.actions.iter().map(|(a, p)| format!("{a}={p}")).collect();
            if let Some(l) = r.latency {
                parts.push(format!("latency={}ms", l.as_secs_f64() * 1e3));
            }
            write!(f, " {}", parts.join(","))?;
        }
        Ok(())
    }
}

/// What the dice decided for one request.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub(crate) struct FaultDecision {
    pub action: Option<FaultAction>,
    pub latency: Option<Duration>,
}

/// A plan with its seeded random source.
#[derive(Debug)]
pub(crate) struct FaultDice {
    plan: FaultPlan,
    rng: StdRng,
}

impl FaultDice {
    pub fn new(plan: FaultPlan, seed: u64) -> Self {
        Self {
            plan,
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// Rolls once for a matching request; requests no rule matches do not consume a roll, so
    /// unrelated traffic (inspection, other routes) does not shift a test's fault sequence.
    pub fn decide(&mut self, method: &str, path: &str) -> FaultDecision {
        let Some(rule) = self.plan.rules.iter().find(|r| r.matches(method, path)) else {
            return FaultDecision::default();
        };
        let mut decision = FaultDecision {
            action: None,
            latency: rule.latency,
        };
        if rule.actions.is_empty() {
            return decision;
        }
        let roll: f64 = self.rng.random();
        let mut acc = 0.0;
        for (action, p) in &rule.actions {
            acc += p;
            if roll < acc {
                decision.action = Some(*action);
                break;
            }
        }
        decision
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_form() {
        let plan: FaultPlan =
            "POST /crm/v3/objects/postal_mail: 429=0.1,503=0.05,apply-drop=0.05,latency=5ms; GET *: drop=0.01"
                .parse()
                .unwrap();
        assert_eq!(plan.rules.len(), 2);
        assert_eq!(plan.rules[0].method.as_deref(), Some("POST"));
        assert_eq!(plan.rules[0].latency, Some(Duration::from_millis(5)));
        assert_eq!(plan.rules[0].actions[2], (FaultAction::ApplyDrop, 0.05));
        assert!(plan.rules[1].matches("GET", "/anything"));
        assert!(!plan.rules[1].matches("POST", "/anything"));
        let again: FaultPlan = plan.to_string().parse().unwrap();
        assert_eq!(again, plan);
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "POST",
            "GET /x: 200=0.1",
            "GET /x: 429=2",
            "GET /x: 429=0.6,503=0.6",
            "GET x: drop=1",
            "/x: latency=fast",
        ] {
            assert!(bad.parse::<FaultPlan>().is_err(), "{bad}");
        }
    }

    #[test]
    fn paths_match_by_segment() {
        assert!(path_matches(
            "/crm/v3/objects/postal_mail",
            "/crm/v3/objects/postal_mail/batch/create"
        ));
        assert!(!path_matches(
            "/crm/v3/objects/postal_mail$",
            "/crm/v3/objects/postal_mail/1"
        ));
        assert!(path_matches(
            "/crm/v3/objects/{objectType}/{id}$",
            "/crm/v3/objects/contacts/1"
        ));
        assert!(!path_matches(
            "/crm/v3/objects/postal",
            "/crm/v3/objects/postal_mail"
        ));
    }

    #[test]
    fn same_seed_same_sequence() {
        let plan: FaultPlan = "*: 429=0.3,drop=0.3".parse().unwrap();
        let run = |seed| {
            let mut d = FaultDice::new(plan.clone(), seed);
            (0..100)
                .map(|_| d.decide("GET", "/x").action)
                .collect::<Vec<_>>()
        };
        assert_eq!(run(1), run(1));
        assert_ne!(run(1), run(2));
    }
}

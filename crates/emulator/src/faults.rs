//! Fault injection: which requests fail, how, and the seeded dice that make a run repeatable.
//!
//! A [`FaultPlan`] is a list of [`FaultRule`]s; the first rule whose method and path match a
//! request decides its fate with one roll of a seeded [`StdRng`]. Injected statuses and `drop`
//! happen before anything is applied; `apply-drop` applies the request and then cuts the
//! connection before any response byte is written, the "maybe sent" case a client must handle.
//! The hostile answers (`apply-5xx`, `apply-garbage`, `apply-drift`, the batch modes and
//! `absurd-limit-headers`, carried out by `hostile.rs`) apply the request and then lie about it.
//!
//! Text form (for `--faults`), rules separated by `;`:
//!
//! ```text
//! [METHOD] PATH: KEY=VALUE,KEY=VALUE
//! POST /crm/v3/objects/postal_mail: 429=0.1,503=0.05,apply-drop=0.05,latency=5ms; GET *: drop=0.01
//! POST /crm/v3/objects/postal_mail/batch/create: apply-520-html=0.1,shuffle=0.2,omit-written=0.1
//! ```
//!
//! `METHOD` is optional (`*` or absent = any). `PATH` is `*` (any), or a path prefix matched
//! segment by segment where a `*` or `{name}` segment matches any one segment; a trailing `$`
//! makes it exact. Keys, each with a probability: an HTTP status 400..=599 (`429` gets the
//! ten-secondly body), `drop`, `apply-drop`, `apply-STATUS` and `apply-STATUS-html` (STATUS
//! 500..=599), `apply-garbage`, `apply-drift`, `shuffle`, `omit-written`, `omit-unwritten`,
//! `anonymous-error`, `absurd-limit-headers`; and `latency=DURATION`, which delays every
//! matching request.
//!
//! ```
//! use hubspot_postal_emulator::{FaultAction, FaultPlan};
//! let plan: FaultPlan = "POST /crm/v3/objects/postal_mail$: 429=0.5,apply-524-html=0.5; *: latency=1ms".parse()?;
//! assert_eq!(plan.rules.len(), 2);
//! assert_eq!(plan.rules[0].actions[1].0, FaultAction::ApplyStatusHtml(524));
//! # Ok::<(), String>(())
//! ```

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

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
    /// Apply the request, then answer this status (500..=599) with a HubSpot-shaped JSON body.
    ApplyStatus(u16),
    /// Apply the request, then answer this status (500..=599) with the HTML page a proxy or
    /// CDN sends (Cloudflare-style), `Content-Type: text/html`.
    ApplyStatusHtml(u16),
    /// Apply the request, then answer its success status with a body that does not decode
    /// (seeded among truncated JSON, an empty body, an HTML page and plain text).
    ApplyGarbage,
    /// Apply the request, then answer with valid JSON that drifted as HubSpot's breaking
    /// change definition allows: unknown fields, numeric ids, no `createdAt`, null property
    /// values, an unknown enum value.
    ApplyDrift,
    /// Batch answers: results in a seeded other order, without `objectWriteTraceId`.
    Shuffle,
    /// Batch answers: one seeded input is written but its result is left out.
    OmitWritten,
    /// Batch answers: one seeded input is not written, and nothing in the answer names it.
    OmitUnwritten,
    /// Batch answers: one seeded input is not written, and the 207 error for it names no input.
    AnonymousError,
    /// The normal answer, with absurd `X-HubSpot-RateLimit-*` values.
    AbsurdLimitHeaders,
}

/// The fixed-name keys of the text form; statuses are spelled out by [`FaultAction::parse_key`].
const KEYWORDS: [(&str, FaultAction); 9] = [
    ("drop", FaultAction::Drop),
    ("apply-drop", FaultAction::ApplyDrop),
    ("apply-garbage", FaultAction::ApplyGarbage),
    ("apply-drift", FaultAction::ApplyDrift),
    ("shuffle", FaultAction::Shuffle),
    ("omit-written", FaultAction::OmitWritten),
    ("omit-unwritten", FaultAction::OmitUnwritten),
    ("anonymous-error", FaultAction::AnonymousError),
    ("absurd-limit-headers", FaultAction::AbsurdLimitHeaders),
];

/// Statuses an `apply-STATUS` fault may answer.
const APPLY_STATUSES: std::ops::RangeInclusive<u16> = 500..=599;

impl FaultAction {
    /// The action a key of the text form names (`503`, `apply-drop`, `apply-520-html`, …).
    pub fn parse_key(key: &str) -> Option<Self> {
        // `apply_drop` was accepted before the names were settled; kept for old specs.
        let key = if key == "apply_drop" {
            "apply-drop"
        } else {
            key
        };
        if let Some((_, action)) = KEYWORDS.iter().find(|(name, _)| *name == key) {
            return Some(*action);
        }
        if let Some(rest) = key.strip_prefix("apply-") {
            let (code, html) = match rest.strip_suffix("-html") {
                Some(code) => (code, true),
                None => (rest, false),
            };
            let code: u16 = code.parse().ok().filter(|c| APPLY_STATUSES.contains(c))?;
            return Some(if html {
                Self::ApplyStatusHtml(code)
            } else {
                Self::ApplyStatus(code)
            });
        }
        key.parse::<u16>()
            .ok()
            .filter(|c| (400..=599).contains(c))
            .map(Self::Status)
    }

    /// Whether the request is applied and the answer then changed (the work of `hostile.rs`).
    pub(crate) fn is_hostile(self) -> bool {
        !matches!(self, Self::Status(_) | Self::Drop | Self::ApplyDrop)
    }

    /// Whether the fault only concerns batch create, update, upsert and read answers.
    pub(crate) fn batch_only(self) -> bool {
        matches!(
            self,
            Self::Shuffle | Self::OmitWritten | Self::OmitUnwritten | Self::AnonymousError
        )
    }
}

impl fmt::Display for FaultAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Status(s) => write!(f, "{s}"),
            Self::ApplyStatus(s) => write!(f, "apply-{s}"),
            Self::ApplyStatusHtml(s) => write!(f, "apply-{s}-html"),
            other => match KEYWORDS.iter().find(|(_, a)| a == other) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{other:?}"),
            },
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

pub(crate) fn path_matches(pattern: &str, path: &str) -> bool {
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
                let action = FaultAction::parse_key(k).ok_or_else(|| {
                    format!(
                        "{k:?}: unknown fault (use a status 400..599, drop, apply-drop, \
                         apply-STATUS[-html] for 500..599, apply-garbage, apply-drift, shuffle, \
                         omit-written, omit-unwritten, anonymous-error, absurd-limit-headers \
                         or latency)"
                    )
                })?;
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
    /// Seed of the choices a hostile answer makes (which input, which garbage), drawn from
    /// the dice so they too repeat for a seed and request sequence.
    pub seed: u64,
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
            latency: rule.latency,
            ..FaultDecision::default()
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
                // Drawn only for hostile answers, so plans without them roll as before.
                if action.is_hostile() {
                    decision.seed = self.rng.random();
                }
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
    fn every_hostile_key_parses_and_prints_back() {
        let spec = "POST /crm/v3/objects/postal_mail: apply-507=0.05,apply-520-html=0.05,\
                    apply-garbage=0.1,apply-drift=0.1,shuffle=0.1,omit-written=0.1,\
                    omit-unwritten=0.1,anonymous-error=0.1,absurd-limit-headers=0.1";
        let plan: FaultPlan = spec.parse().unwrap();
        let actions: Vec<FaultAction> = plan.rules[0].actions.iter().map(|(a, _)| *a).collect();
        assert_eq!(
            actions,
            [
                FaultAction::ApplyStatus(507),
                FaultAction::ApplyStatusHtml(520),
                FaultAction::ApplyGarbage,
                FaultAction::ApplyDrift,
                FaultAction::Shuffle,
                FaultAction::OmitWritten,
                FaultAction::OmitUnwritten,
                FaultAction::AnonymousError,
                FaultAction::AbsurdLimitHeaders,
            ]
        );
        let again: FaultPlan = plan.to_string().parse().unwrap();
        assert_eq!(again, plan);
        assert_eq!(
            FaultAction::parse_key("apply_drop"),
            Some(FaultAction::ApplyDrop)
        );
    }

    #[test]
    fn rejects_nonsense() {
        for bad in [
            "POST",
            "GET /x: 200=0.1",
            "GET /x: apply-499=0.1",
            "GET /x: apply-600=0.1",
            "GET /x: apply-5xx-html=0.1",
            "GET /x: apply-520-json=0.1",
            "GET /x: shuffled=0.1",
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

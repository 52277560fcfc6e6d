//! Matching a batch answer to its inputs by what identifies them, never by position.
//!
//! HubSpot does not promise the order of batch results, and its success results carry no
//! `objectWriteTraceId`. So an answer is placed against its inputs by, in turn:
//! 1. what names an input with certainty: a record id, a unique property value, or a trace id
//!    (HubSpot echoes trace ids in 207 errors);
//! 2. for writes whose results echo what was sent, the content: a result belongs to an input
//!    when it carries the same value for every property that any unplaced input of the chunk
//!    sent. Inputs with identical content are interchangeable, so any of them is right.
//!
//! Whatever is left is never guessed. On a write, an input that no result or error names is
//! [`ItemError::Unknown`]: it may have been written. On a read it is [`ItemError::Missing`].

use std::collections::BTreeSet;

use hubspot_postal_model::batch::BatchResponse;
use hubspot_postal_model::properties::{Properties, TIMESTAMP};
use hubspot_postal_model::timestamp::Timestamp;

use crate::outcome::{ItemError, ItemResult, UnknownOutcome, UnknownReason};

/// How an input or a result is recognised: its id, its `objectWriteTraceId`, and for writes
/// whose results echo the input, the properties that were sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Key {
    pub(crate) id: Option<String>,
    pub(crate) trace: Option<String>,
    pub(crate) content: Option<Properties>,
}

impl Key {
    fn names(&self, other: &Key) -> bool {
        (self.id.is_some() && self.id == other.id)
            || (self.trace.is_some() && self.trace == other.trace)
    }
}

/// How the results of one operation are recognised.
pub(crate) struct Recognise<'a, R> {
    /// The id and trace id a result names.
    pub(crate) key: &'a (dyn Fn(&R) -> Key + Sync),
    /// The properties a result echoes, for content matching; `None` where results do not
    /// echo the input (reads, updates).
    pub(crate) properties: Option<&'a (dyn Fn(&R) -> &Properties + Sync)>,
    /// Whether the operation writes: an unanswered input may then have been written.
    pub(crate) writes: bool,
}

/// Places HubSpot's results and errors against the inputs they belong to; see the module docs.
pub(crate) fn merge<R>(
    keys: &[Key],
    response: BatchResponse<R>,
    recognise: &Recognise<'_, R>,
) -> Vec<ItemResult<R>> {
    let mut out: Vec<Option<ItemResult<R>>> = keys.iter().map(|_| None).collect();
    let mut anonymous_errors = 0_usize;
    for error in response.errors() {
        let ids = error.context_values("ids");
        let traces = error.context_values("objectWriteTraceId");
        let mut named_any = false;
        for (i, key) in keys.iter().enumerate() {
            // 207 errors list the bare values (`context.ids`), not `property=value`.
            let bare = |id: &String| {
                id.rsplit_once('=')
                    .map_or(id.clone(), |(_, v)| v.to_owned())
            };
            let named = key.id.as_ref().is_some_and(|id| {
                ids.contains(id) || ids.contains(&bare(id)) || error.id.as_ref() == Some(id)
            }) || key.trace.as_ref().is_some_and(|t| traces.contains(t));
            if named {
                named_any = true;
                if out[i].is_none() {
                    out[i] = Some(Err(ItemError::Rejected(Box::new(error.clone()))));
                }
            }
        }
        if !named_any {
            anonymous_errors += 1;
        }
    }

    let mut leftover = Vec::new();
    for result in response.results {
        let k = (recognise.key)(&result);
        match (0..keys.len()).find(|&i| out[i].is_none() && keys[i].names(&k)) {
            Some(i) => out[i] = Some(Ok(result)),
            None => leftover.push(result),
        }
    }

    if let Some(properties_of) = recognise.properties {
        let universe: BTreeSet<&str> = keys
            .iter()
            .enumerate()
            .filter(|(i, _)| out[*i].is_none())
            .filter_map(|(_, k)| k.content.as_ref())
            .flat_map(|c| c.iter().map(|(name, _)| name))
            .collect();
        let mut unmatched = Vec::new();
        for result in leftover {
            let echoed = properties_of(&result);
            let slot = (0..keys.len()).find(|&i| {
                out[i].is_none()
                    && keys[i]
                        .content
                        .as_ref()
                        .is_some_and(|sent| same_content(&universe, sent, echoed))
            });
            match slot {
                Some(i) => out[i] = Some(Ok(result)),
                None => unmatched.push(result),
            }
        }
        leftover = unmatched;
    }

    let reason = if leftover.is_empty() && anonymous_errors == 0 {
        UnknownReason::NoResult
    } else {
        UnknownReason::Unmatched
    };
    out.into_iter()
        .map(|slot| {
            slot.unwrap_or_else(|| {
                Err(if recognise.writes {
                    ItemError::Unknown(Box::new(UnknownOutcome {
                        reason,
                        input: None,
                    }))
                } else {
                    ItemError::Missing
                })
            })
        })
        .collect()
}

/// Whether `echoed` carries what `sent` sent, for every property in `universe`; a property
/// one side lacks must be empty on the other too.
fn same_content(universe: &BTreeSet<&str>, sent: &Properties, echoed: &Properties) -> bool {
    universe.iter().all(|name| {
        let sent = sent.get(name).filter(|v| !v.is_empty());
        let echoed = echoed.get(name).filter(|v| !v.is_empty());
        match (sent, echoed) {
            (None, None) => true,
            (Some(a), Some(b)) => a == b || (*name == TIMESTAMP && same_instant(a, b)),
            _ => false,
        }
    })
}

/// HubSpot may write a timestamp back in another of its accepted forms.
fn same_instant(a: &str, b: &str) -> bool {
    matches!((Timestamp::parse(a), Timestamp::parse(b)), (Ok(a), Ok(b)) if a == b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hubspot_postal_model::error::StandardError;

    #[derive(Debug, Clone, PartialEq)]
    struct R {
        trace: Option<String>,
        properties: Properties,
    }

    fn props(pairs: &[(&str, &str)]) -> Properties {
        let mut p = Properties::new();
        for (k, v) in pairs {
            p.insert(*k, *v);
        }
        p
    }

    fn input(trace: &str, pairs: &[(&str, &str)]) -> Key {
        Key {
            id: None,
            trace: Some(trace.to_owned()),
            content: Some(props(pairs)),
        }
    }

    fn result(pairs: &[(&str, &str)]) -> R {
        R {
            trace: None,
            properties: props(pairs),
        }
    }

    fn response(results: Vec<R>, errors: Vec<StandardError>) -> BatchResponse<R> {
        serde_json::from_value::<BatchResponse<serde_json::Value>>(serde_json::json!({
            "results": [],
            "errors": errors,
        }))
        .map(|r| BatchResponse {
            status: r.status,
            results,
            num_errors: r.num_errors,
            errors: r.errors,
            requested_at: None,
            started_at: None,
            completed_at: None,
            links: None,
        })
        .unwrap()
    }

    fn create_recognise<'a>(
        key: &'a (dyn Fn(&R) -> Key + Sync),
        properties: &'a (dyn Fn(&R) -> &Properties + Sync),
    ) -> Recognise<'a, R> {
        Recognise {
            key,
            properties: Some(properties),
            writes: true,
        }
    }

    fn key_of(r: &R) -> Key {
        Key {
            id: None,
            trace: r.trace.clone(),
            content: None,
        }
    }

    fn properties_of(r: &R) -> &Properties {
        &r.properties
    }

    fn body(item: &ItemResult<R>) -> Option<&str> {
        item.as_ref().ok().and_then(|r| r.properties.get("b"))
    }

    #[test]
    fn shuffled_results_without_trace_ids_find_their_inputs_by_content() {
        let keys = [
            input("t0", &[("b", "a")]),
            input("t1", &[("b", "b")]),
            input("t2", &[("b", "c")]),
        ];
        let results = vec![
            result(&[("b", "c"), ("hs_object_id", "3")]),
            result(&[("b", "a"), ("hs_object_id", "1")]),
            result(&[("b", "b"), ("hs_object_id", "2")]),
        ];
        let merged = merge(
            &keys,
            response(results, vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        let bodies: Vec<_> = merged.iter().map(body).collect();
        assert_eq!(bodies, [Some("a"), Some("b"), Some("c")]);
    }

    /// The reviewer's probe: a, b, c sent; one error names nobody; two results come back
    /// without trace ids. Position said a→first, b→second, c→missing.
    #[test]
    fn an_anonymous_error_leaves_the_unplaced_input_unknown_not_misassigned() {
        let keys = [
            input("t0", &[("b", "a")]),
            input("t1", &[("b", "b")]),
            input("t2", &[("b", "c")]),
        ];
        let anonymous: StandardError = serde_json::from_value(serde_json::json!({
            "status": "error", "category": "VALIDATION_ERROR", "message": "something failed"
        }))
        .unwrap();
        let results = vec![result(&[("b", "b")]), result(&[("b", "c")])];
        let merged = merge(
            &keys,
            response(results, vec![anonymous]),
            &create_recognise(&key_of, &properties_of),
        );
        assert_eq!(body(&merged[1]), Some("b"));
        assert_eq!(body(&merged[2]), Some("c"));
        assert!(matches!(
            &merged[0],
            Err(ItemError::Unknown(u)) if u.reason == UnknownReason::Unmatched
        ));
    }

    #[test]
    fn a_result_that_matches_no_input_leaves_the_rest_unknown() {
        let keys = [input("t0", &[("b", "a")]), input("t1", &[("b", "b")])];
        // HubSpot rewrote the text: it can no longer be told which input it was.
        let results = vec![result(&[("b", "A")]), result(&[("b", "b")])];
        let merged = merge(
            &keys,
            response(results, vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        assert_eq!(body(&merged[1]), Some("b"));
        assert!(
            matches!(&merged[0], Err(ItemError::Unknown(u)) if u.reason == UnknownReason::Unmatched)
        );
    }

    #[test]
    fn a_property_only_some_inputs_sent_must_agree_too() {
        // a's content is a subset of b's: b's result must not be taken for a.
        let keys = [
            input("t0", &[("b", "x")]),
            input("t1", &[("b", "x"), ("owner", "7")]),
        ];
        let results = vec![result(&[("b", "x"), ("owner", "7")])];
        let merged = merge(
            &keys,
            response(results, vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        assert!(merged[1].is_ok());
        assert!(
            matches!(&merged[0], Err(ItemError::Unknown(u)) if u.reason == UnknownReason::NoResult)
        );
    }

    #[test]
    fn identical_inputs_are_interchangeable_and_each_gets_one_result() {
        let keys = [input("t0", &[("b", "same")]), input("t1", &[("b", "same")])];
        let results = vec![result(&[("b", "same")]), result(&[("b", "same")])];
        let merged = merge(
            &keys,
            response(results, vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        assert!(merged.iter().all(Result::is_ok));
    }

    #[test]
    fn timestamps_written_back_in_another_form_still_match() {
        let keys = [input("t0", &[(TIMESTAMP, "2026-11-30T00:00:00.000Z")])];
        let results = vec![result(&[(TIMESTAMP, "2026-11-30T00:00:00Z")])];
        let merged = merge(
            &keys,
            response(results, vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        assert!(merged[0].is_ok());
    }

    #[test]
    fn trace_ids_win_over_content() {
        let keys = [
            input("t0", &[("b", "same")]),
            input("t1", &[("b", "other")]),
        ];
        let mut r = result(&[("b", "other")]);
        r.trace = Some("t1".to_owned());
        let merged = merge(
            &keys,
            response(vec![r], vec![]),
            &create_recognise(&key_of, &properties_of),
        );
        assert!(merged[1].is_ok());
        assert!(merged[0].is_err());
    }

    #[test]
    fn reads_report_missing_not_unknown() {
        let keys = [Key {
            id: Some("1".to_owned()),
            ..Key::default()
        }];
        let merged = merge(
            &keys,
            response(vec![], vec![]),
            &Recognise {
                key: &key_of,
                properties: None,
                writes: false,
            },
        );
        assert!(matches!(merged[0], Err(ItemError::Missing)));
    }
}

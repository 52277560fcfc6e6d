//! Shared helpers of the `hubspot-postal` benchmarks (`benches/p*.rs`): canned HubSpot JSON,
//! medians, the machine's load, peak RSS from `/proc`, and the one-line verdicts every bench
//! prints.
//!
//! The benchmarks never fail because a machine is slow: each prints its measurement, the
//! baseline measured in the same run, the ratio, the target and whether it was met. See
//! `docs/performance.md`.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

use serde_json::{Value, json};

/// Which way a ratio must go to meet its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    /// The ratio must be at most the target (overhead, time, memory).
    AtMost,
    /// The ratio must be at least the target (throughput).
    AtLeast,
}

/// Whether `ratio` meets `target`.
pub fn met(ratio: f64, goal: Goal, target: f64) -> bool {
    match goal {
        Goal::AtMost => ratio <= target,
        Goal::AtLeast => ratio >= target,
    }
}

/// Prints the verdict line: `RESULT name: ratio R (target <= T): MET` (or `MISSED`).
pub fn verdict(name: &str, ratio: f64, goal: Goal, target: f64) -> bool {
    let ok = met(ratio, goal, target);
    let sign = match goal {
        Goal::AtMost => "<=",
        Goal::AtLeast => ">=",
    };
    println!(
        "RESULT {name}: ratio {ratio:.3} (target {sign} {target}): {}",
        if ok { "MET" } else { "MISSED" }
    );
    ok
}

/// The median of `values` (sorted in place); 0 when empty.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        f64::midpoint(values[mid - 1], values[mid])
    }
}

/// `/proc/loadavg`'s three load averages, or `"unknown"` off Linux.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// Prints the bench's header line: its name, the logical CPUs and the load average.
pub fn print_header(name: &str) {
    let cpus = std::thread::available_parallelism().map_or(0, std::num::NonZero::get);
    println!("== {name} (cpus {cpus}, load average {})", load_average());
}

/// A field of `/proc/self/status` in KiB (`VmHWM`, `VmRSS`), `None` off Linux.
pub fn proc_status_kib(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.split_whitespace().next()?.parse().ok()
    })
}

/// Resets this process's peak RSS (`VmHWM`) to its current RSS by writing `5` to
/// `/proc/self/clear_refs` (Linux 4.0 and later). False when that is not possible.
pub fn reset_peak_rss() -> bool {
    std::fs::write("/proc/self/clear_refs", "5").is_ok()
}

/// The timestamp HubSpot-shaped responses carry.
pub const STAMP: &str = "2026-11-30T09:15:00.000Z";

/// One postal mail as HubSpot returns it from a create (201) or a get (200):
/// `SimplePublicObject` with the default properties and the system ones.
pub fn postal_mail_json(id: u64, body: &str) -> Value {
    json!({
        "id": id.to_string(),
        "properties": {
            "hs_createdate": STAMP,
            "hs_lastmodifieddate": STAMP,
            "hs_object_id": id.to_string(),
            "hs_postal_mail_body": body,
            "hs_timestamp": "2026-11-30T00:00:00.000Z",
            "hubspot_owner_id": "9274996",
            "hs_attachment_ids": null,
        },
        "createdAt": STAMP,
        "updatedAt": STAMP,
        "archived": false,
    })
}

/// A list page of `count` postal mails with ids from `first_id`, and a `paging.next` cursor.
pub fn list_page_json(first_id: u64, count: u64) -> Value {
    let results: Vec<Value> = (first_id..first_id + count)
        .map(|id| postal_mail_json(id, &format!("Signed contract {id} received by post")))
        .collect();
    let next = first_id + count;
    json!({
        "results": results,
        "paging": {"next": {
            "after": next.to_string(),
            "link": format!("https://api.hubapi.com/crm/v3/objects/postal_mail?limit={count}&after={next}"),
        }},
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_and_verdicts() {
        assert!((median(&mut [3.0, 1.0, 2.0]) - 2.0).abs() < f64::EPSILON);
        assert!((median(&mut [4.0, 1.0, 2.0, 3.0]) - 2.5).abs() < f64::EPSILON);
        assert!(met(1.2, Goal::AtMost, 1.5));
        assert!(!met(0.8, Goal::AtLeast, 0.9));
    }

    #[test]
    fn canned_page_has_the_asked_size() {
        let page = list_page_json(1, 100);
        assert_eq!(page["results"].as_array().map(Vec::len), Some(100));
        assert_eq!(page["paging"]["next"]["after"], "101");
    }
}

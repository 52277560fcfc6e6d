//! What became of the rows of one run, and the summary line that says it.

use std::path::Path;

/// What became of the rows; every row is counted exactly once.
#[derive(Debug, Default)]
pub struct Counts {
    /// Rows read.
    pub total: usize,
    /// Created by this run.
    pub created: usize,
    /// Created by an earlier run, found by reconciliation or by an upsert.
    pub already: usize,
    /// Refused before sending.
    pub invalid: usize,
    /// Refused by HubSpot.
    pub rejected: usize,
    /// Whose fate is unknown.
    pub maybe_applied: usize,
    /// Not sent because the import stopped early.
    pub not_sent: usize,
}

impl Counts {
    /// Rows that were not created.
    pub fn not_created(&self) -> usize {
        self.invalid + self.rejected + self.maybe_applied + self.not_sent
    }

    /// The last line of a run.
    pub fn summary(&self, file: &Path) -> String {
        let mut line = format!(
            "{}: {} rows: {} created, {} already imported, {} invalid, {} rejected, {} maybe applied",
            file.display(),
            self.total,
            self.created,
            self.already,
            self.invalid,
            self.rejected,
            self.maybe_applied
        );
        if self.not_sent > 0 {
            line.push_str(&format!(", {} not sent", self.not_sent));
        }
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_add_up_in_the_summary() {
        let c = Counts {
            total: 10,
            created: 4,
            already: 1,
            invalid: 2,
            rejected: 1,
            maybe_applied: 1,
            not_sent: 1,
        };
        assert_eq!(
            c.created + c.already + c.not_created(),
            c.total,
            "every row is counted once"
        );
        assert_eq!(
            c.summary(Path::new("a.csv")),
            "a.csv: 10 rows: 4 created, 1 already imported, 2 invalid, 1 rejected, 1 maybe applied, 1 not sent"
        );
    }
}

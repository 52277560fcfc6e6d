//! The progress bar of an import, on stderr, drawn only when stderr is a terminal (whatever
//! stdout is: `import … > log` still shows it): rows done out of the file's rows, counting
//! those done by earlier runs, this run's rate and the time left, and a spinner with a word
//! while the import is not sending (reconciling, waiting out the rate limit).
//!
//! Also [`Pace`], which tells from the client's rate window when the next request will wait.

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::error::CliError;

/// How often the spinner turns while nothing else redraws the bar.
const TICK: Duration = Duration::from_millis(120);

/// The bar, or nothing when stderr is not a terminal.
pub struct Progress {
    bar: ProgressBar,
    /// While sending: the bar, counts, rate and time left (79 columns at most for a file of
    /// under a million rows).
    sending: Option<ProgressStyle>,
    /// While not sending: a spinner, the counts and a word saying why.
    waiting: Option<ProgressStyle>,
    /// Whether a word is shown (restyling costs allocations: only on a change).
    worded: std::cell::Cell<bool>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress").field("bar", &self.bar).finish()
    }
}

fn left(secs: f64) -> String {
    // Whole seconds; a bar updated ten times a second need not say more.
    let s = secs.round() as u64;
    match (s / 3600, s / 60 % 60, s % 60) {
        (0, 0, s) => format!("{s}s"),
        (0, m, s) => format!("{m}m {s:02}s"),
        (h, m, _) => format!("{h}h {m:02}m"),
    }
}

impl Progress {
    /// A bar for `total` rows of which `done` were done by earlier runs.
    pub fn new(total: usize, done: usize) -> Self {
        let target = if std::io::stderr().is_terminal() {
            ProgressDrawTarget::stderr()
        } else {
            ProgressDrawTarget::hidden()
        };
        let bar =
            ProgressBar::with_draw_target(Some(total as u64), target).with_position(done as u64);
        let start = done as u64;
        // This run's rate: rows done by earlier runs took no time in this one.
        let rate = move |s: &ProgressState| {
            let secs = s.elapsed().as_secs_f64();
            let rows = s.pos().saturating_sub(start) as f64;
            (secs > 0.0 && rows > 0.0).then(|| rows / secs)
        };
        let sending = ProgressStyle::with_template(
            "{spinner} [{bar:30}] {pos}/{len} rows  {rate}  ETA {left}",
        )
        .ok()
        .map(|style| {
            style
                .progress_chars("=> ")
                .with_key(
                    "rate",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let _ = match rate(s) {
                            Some(r) => write!(w, "{r:.0} rows/s"),
                            None => write!(w, "- rows/s"),
                        };
                    },
                )
                .with_key(
                    "left",
                    move |s: &ProgressState, w: &mut dyn std::fmt::Write| {
                        let todo = s.len().unwrap_or(0).saturating_sub(s.pos()) as f64;
                        let _ = match rate(s) {
                            Some(r) => w.write_str(&left(todo / r)),
                            None => w.write_str("-"),
                        };
                    },
                )
        });
        let waiting = ProgressStyle::with_template("{spinner} {pos}/{len} rows  {msg}").ok();
        if let Some(style) = &sending {
            bar.set_style(style.clone());
        }
        bar.enable_steady_tick(TICK);
        Self {
            bar,
            sending,
            waiting,
            worded: std::cell::Cell::new(false),
        }
    }

    /// Says what the import is doing while it does not send; an empty word: sending again.
    pub fn word(&self, word: impl Into<std::borrow::Cow<'static, str>>) {
        let word = word.into();
        if word.is_empty() && !self.worded.get() {
            return;
        }
        self.worded.set(!word.is_empty());
        let style = if word.is_empty() {
            &self.sending
        } else {
            &self.waiting
        };
        self.bar.set_message(word);
        if let Some(style) = style {
            self.bar.set_style(style.clone());
        }
    }

    /// `n` more rows done.
    pub fn inc(&self, n: usize) {
        self.bar.inc(n as u64);
    }

    /// Rows done, this run and earlier ones.
    pub fn position(&self) -> u64 {
        self.bar.position()
    }

    /// Prints on stderr, above the bar.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    /// Prints on `out` (stdout), with the bar out of the way should both be the terminal.
    pub fn println_out(&self, out: &mut dyn std::io::Write, line: &str) -> Result<(), CliError> {
        self.bar
            .suspend(|| writeln!(out, "{line}"))
            .map_err(CliError::stdout)
    }

    /// Erases the bar, leaving the terminal as it was (and the position at the end: read it
    /// first).
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }
}

/// When this process's requests will wait for the rate limit: the send times of the last
/// window's requests against the window the client's limiter holds (learned from HubSpot's
/// headers). Only for the word on the bar; the client does the pacing.
#[derive(Debug, Default)]
pub struct Pace {
    sent: VecDeque<Instant>,
}

impl Pace {
    /// Notes a request about to be sent, and says how long it will likely wait first.
    pub fn send(&mut self, window: Option<(u32, Duration)>, now: Instant) -> Duration {
        let Some((max, length)) = window else {
            return Duration::ZERO;
        };
        while self
            .sent
            .front()
            .is_some_and(|t| now.saturating_duration_since(*t) >= length)
        {
            self.sent.pop_front();
        }
        let wait = match self.sent.len().checked_sub(max as usize) {
            // The oldest request the window still counts must leave it first.
            Some(over) => self.sent.get(over).map_or(Duration::ZERO, |t| {
                (*t + length).saturating_duration_since(now)
            }),
            None => Duration::ZERO,
        };
        self.sent.push_back(now + wait);
        wait
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_window_makes_the_next_request_wait() {
        let mut pace = Pace::default();
        let t0 = Instant::now();
        let window = Some((2, Duration::from_secs(1)));
        assert_eq!(pace.send(window, t0), Duration::ZERO);
        assert_eq!(pace.send(window, t0), Duration::ZERO);
        let third = pace.send(window, t0 + Duration::from_millis(100));
        assert_eq!(third, Duration::from_millis(900));
        assert_eq!(pace.send(None, t0), Duration::ZERO);
        assert_eq!(left(65.0), "1m 05s");
        assert_eq!(left(7.4), "7s");
        assert_eq!(left(7_300.0), "2h 01m");
    }
}

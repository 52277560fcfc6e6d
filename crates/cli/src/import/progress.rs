//! The progress bar of an import, on stderr, drawn only when stderr is a terminal (whatever
//! stdout is: `import … > log` still shows it): rows done out of the file's rows, counting
//! those done by earlier runs, this run's rate and the time left, and a spinner with a word
//! while the import is not sending (reconciling, waiting out the rate limit).
//!
//! The word comes from the import itself ([`Progress::word`]) or, while the import has none,
//! from the client's waits for the rate limit ([`RateWaits`]): a 429, or a slot of the budget
//! that is slow to come (another process of the portal sharing it, a learned `Remaining: 0`).
//! A thread looks at those waits every [`LOOK`], since nothing else tells the bar of them.
//!
//! Also [`Pace`], which tells from the client's rate window when the next request will wait.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::io::IsTerminal;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError, Weak};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use crate::error::CliError;
use crate::rate_waits::{RateWait, RateWaits};

/// How often the spinner turns while nothing else redraws the bar.
const TICK: Duration = Duration::from_millis(120);
/// How often the client's waits for the rate limit are looked at.
const LOOK: Duration = Duration::from_millis(40);
/// The word while the client waits for a slot of the rate budget.
const WAITING_FOR_A_SLOT: &str = "waiting out the rate limit";
/// The word while the client waits after HubSpot answered 429.
const WAITING_AFTER_429: &str = "waiting out the rate limit (HubSpot answered 429)";

/// The word shown: the import's own, else the client's wait for the rate limit, else none
/// (sending: the bar).
fn shown_word(own: &str, wait: Option<RateWait>) -> &str {
    if !own.is_empty() {
        return own;
    }
    match wait {
        Some(RateWait::RateLimited) => WAITING_AFTER_429,
        Some(RateWait::ForSlot) => WAITING_FOR_A_SLOT,
        None => "",
    }
}

/// The words, under one lock so that the bar is restyled in one order.
#[derive(Debug, Default)]
struct Words {
    /// The import's own word; empty while it sends.
    own: Cow<'static, str>,
    /// The word on the bar; empty: the bar itself.
    shown: Cow<'static, str>,
    /// Once the bar is erased nothing redraws it.
    cleared: bool,
}

/// The bar and what decides its look; shared with the thread that looks at the waits.
struct Shared {
    bar: ProgressBar,
    /// While sending: the bar, counts, rate and time left (79 columns at most for a file of
    /// under a million rows).
    sending: Option<ProgressStyle>,
    /// While not sending: a spinner, the counts and a word saying why.
    waiting: Option<ProgressStyle>,
    waits: RateWaits,
    words: Mutex<Words>,
}

impl Shared {
    fn words(&self) -> MutexGuard<'_, Words> {
        // Plain data under the lock: a panic elsewhere cannot leave it torn.
        self.words.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Restyles the bar when the word to show changed (restyling costs allocations: only on
    /// a change). Returns false once the bar is erased.
    fn refresh(&self, words: &mut Words, now: Instant) -> bool {
        if words.cleared {
            return false;
        }
        let wanted = shown_word(&words.own, self.waits.at(now));
        if wanted != words.shown {
            // Allocates only on a change, not on every look.
            let word: Cow<'static, str> = Cow::Owned(wanted.to_owned());
            // Each change draws: the word goes in before the spinner that shows it, and the
            // bar comes back before the word goes, so that no frame shows a spinner without
            // its word.
            if word.is_empty() {
                if let Some(style) = &self.sending {
                    self.bar.set_style(style.clone());
                }
                self.bar.set_message(word.clone());
            } else {
                self.bar.set_message(word.clone());
                if let Some(style) = &self.waiting {
                    self.bar.set_style(style.clone());
                }
            }
            words.shown = word;
        }
        true
    }
}

/// The bar, or nothing when stderr is not a terminal.
pub struct Progress {
    shared: Arc<Shared>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("bar", &self.shared.bar)
            .finish()
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

/// Looks at the client's waits every [`LOOK`] until the bar is erased or dropped.
fn look_at_waits(shared: Weak<Shared>) {
    loop {
        std::thread::sleep(LOOK);
        let Some(shared) = shared.upgrade() else {
            return;
        };
        let mut words = shared.words();
        if !shared.refresh(&mut words, Instant::now()) {
            return;
        }
    }
}

impl Progress {
    /// A bar for `total` rows of which `done` were done by earlier runs; `waits` are the
    /// client's waits for the rate limit.
    pub fn new(total: usize, done: usize, waits: RateWaits) -> Self {
        let drawn = std::io::stderr().is_terminal();
        let target = if drawn {
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
        let shared = Arc::new(Shared {
            bar,
            sending,
            waiting,
            waits,
            words: Mutex::new(Words::default()),
        });
        if drawn {
            let weak = Arc::downgrade(&shared);
            // Without the thread the bar still works; it only misses the waits it alone sees.
            let _ = std::thread::Builder::new()
                .name("progress-waits".into())
                .spawn(move || look_at_waits(weak));
        }
        Self { shared }
    }

    /// Says what the import is doing while it does not send; an empty word: sending again.
    pub fn word(&self, word: impl Into<Cow<'static, str>>) {
        let mut words = self.shared.words();
        words.own = word.into();
        self.shared.refresh(&mut words, Instant::now());
    }

    /// `n` more rows done.
    pub fn inc(&self, n: usize) {
        self.shared.bar.inc(n as u64);
    }

    /// Rows done, this run and earlier ones.
    pub fn position(&self) -> u64 {
        self.shared.bar.position()
    }

    /// Prints on stderr, above the bar.
    pub fn println(&self, line: &str) {
        self.shared.bar.suspend(|| eprintln!("{line}"));
    }

    /// Prints on `out` (stdout), with the bar out of the way should both be the terminal.
    pub fn println_out(&self, out: &mut dyn std::io::Write, line: &str) -> Result<(), CliError> {
        self.shared
            .bar
            .suspend(|| writeln!(out, "{line}"))
            .map_err(CliError::stdout)
    }

    /// Erases the bar, leaving the terminal as it was (and the position at the end: read it
    /// first). Nothing draws it again.
    pub fn clear(&self) {
        let mut words = self.shared.words();
        words.cleared = true;
        self.shared.bar.finish_and_clear();
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

    #[test]
    fn the_import_s_own_word_wins_over_the_client_s_wait() {
        assert_eq!(shown_word("", None), "");
        assert_eq!(
            shown_word("", Some(RateWait::ForSlot)),
            "waiting out the rate limit"
        );
        assert_eq!(
            shown_word("", Some(RateWait::RateLimited)),
            "waiting out the rate limit (HubSpot answered 429)"
        );
        let own = "reconciling 3 row(s) an earlier run left unsettled";
        assert_eq!(shown_word(own, Some(RateWait::RateLimited)), own);
    }

    #[test]
    fn the_word_follows_the_waits_and_stops_once_cleared() {
        use crate::rate_waits::WatchedBudget;
        use hubspot_postal::{Budget, RateBudget, RateLimiter, Slot};

        let waits = RateWaits::default();
        let budget = WatchedBudget::new(std::sync::Arc::new(RateLimiter::default()), waits.clone());
        let progress = Progress::new(10, 0, waits);
        let shown = || progress.shared.words().shown.clone();
        let look = || {
            let mut words = progress.shared.words();
            progress.shared.refresh(&mut words, Instant::now())
        };
        progress.word("reconciling");
        assert_eq!(shown(), "reconciling");
        progress.word("");
        assert_eq!(shown(), "");
        budget.report_rate_limited(
            Slot::new(Budget::General, 0),
            None,
            Some(Duration::from_secs(30)),
        );
        assert!(look());
        assert_eq!(shown(), "waiting out the rate limit (HubSpot answered 429)");
        progress.word("stopping");
        assert_eq!(shown(), "stopping", "the import's own word wins");
        progress.clear();
        assert!(!look(), "the thread stops looking once the bar is erased");
        progress.word("");
        assert_eq!(shown(), "stopping", "an erased bar is not restyled");
    }
}

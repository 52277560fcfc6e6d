//! `Window`: one sliding request window kept as counts per time slot, so its memory and the
//! work of each call are fixed, whatever the window's maximum.

use std::time::Duration;

use hubspot_postal_model::limits::WINDOW_MARGIN_PERCENT;
use tokio::time::Instant;

/// Slots per window. A request is counted in the slot it was sent in and leaves the window
/// with the whole slot, so a full window waits at most one slot (1/64 of it) longer than an
/// exact log would.
const SLOTS: u64 = 64;
/// The ring holds the current slot and the `SLOTS` before it.
const RING: usize = SLOTS as usize + 1;

#[derive(Debug)]
pub(super) struct Window {
    max: u32,
    window: Duration,
    slot: Duration,
    /// `slot` in nanoseconds, at least 1: slot numbers are computed in `u64`, because a
    /// `u128` division costs several times as much and nanoseconds since the epoch fit in a
    /// `u64` for 584 years.
    slot_nanos: u64,
    epoch: Instant,
    /// `counts[i]` is the number of requests sent in absolute slot `stamps[i]`.
    counts: [u32; RING],
    stamps: [u64; RING],
    /// The live count as of a slot, kept up to date by `add`: most requests fall in the slot
    /// of the one before, and then the ring need not be summed again.
    tally: Option<(u64, u64)>,
}

impl Window {
    pub(super) fn new(max: u32, window: Duration, now: Instant) -> Self {
        let mut w = Self {
            max: max.max(1),
            window,
            slot: Duration::ZERO,
            slot_nanos: 1,
            epoch: now,
            counts: [0; RING],
            stamps: [0; RING],
            tally: None,
        };
        w.slot = w.slot_length();
        w.slot_nanos = u64::try_from(w.slot.as_nanos()).unwrap_or(u64::MAX).max(1);
        w
    }

    pub(super) fn max(&self) -> u32 {
        self.max
    }

    pub(super) fn length(&self) -> Duration {
        self.window
    }

    /// A margin so that our window and the server's never disagree at the boundary; rounded up
    /// per slot so that `SLOTS` slots always cover it.
    fn slot_length(&self) -> Duration {
        let span = self.window + self.window * WINDOW_MARGIN_PERCENT / 100;
        let nanos = span.as_nanos().div_ceil(u128::from(SLOTS)).max(1);
        Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
    }

    fn slot_of(&self, now: Instant) -> u64 {
        let elapsed = now.saturating_duration_since(self.epoch).as_nanos();
        u64::try_from(elapsed).unwrap_or(u64::MAX) / self.slot_nanos
    }

    fn is_live(stamp: u64, current: u64) -> bool {
        stamp <= current && current - stamp <= SLOTS
    }

    /// The requests counted in the window that ends with slot `current`.
    fn count(&mut self, current: u64) -> u64 {
        match self.tally {
            Some((slot, n)) if slot == current => n,
            _ => {
                let n = self.sum(current);
                self.tally = Some((current, n));
                n
            }
        }
    }

    /// [`Self::count`] without the tally: the sum over the ring.
    fn sum(&self, current: u64) -> u64 {
        self.stamps
            .iter()
            .zip(self.counts)
            .filter(|(stamp, _)| Self::is_live(**stamp, current))
            .map(|(_, count)| u64::from(count))
            .sum()
    }

    fn add(&mut self, current: u64, n: u32) {
        let i = usize::try_from(current % RING as u64).unwrap_or(0);
        if self.stamps[i] != current {
            self.stamps[i] = current;
            self.counts[i] = 0;
        }
        let before = self.counts[i];
        self.counts[i] = before.saturating_add(n);
        // The slot written to is live at `current` (and the one it replaced was not), so the
        // tally of `current` grows by what was added; a tally of another slot is stale.
        self.tally = match self.tally {
            Some((slot, total)) if slot == current => {
                Some((slot, total + u64::from(self.counts[i] - before)))
            }
            _ => None,
        };
    }

    /// `None` when a slot was taken, else how long to wait before trying again.
    pub(super) fn try_take(&mut self, now: Instant) -> Option<Duration> {
        let current = self.slot_of(now);
        if self.count(current) < u64::from(self.max) {
            self.add(current, 1);
            return None;
        }
        // The oldest counted slot leaves first; waiting for it is enough to try again.
        let oldest = self
            .stamps
            .iter()
            .zip(self.counts)
            .filter(|(stamp, count)| *count > 0 && Self::is_live(**stamp, current))
            .map(|(stamp, _)| *stamp)
            .min()
            .unwrap_or(current);
        let leaves = self
            .slot
            .as_nanos()
            .saturating_mul(u128::from(oldest.saturating_add(SLOTS + 1)));
        let leaves = Duration::from_nanos(u64::try_from(leaves).unwrap_or(u64::MAX));
        Some(
            leaves
                .saturating_sub(now.saturating_duration_since(self.epoch))
                .max(Duration::from_millis(1)),
        )
    }

    /// Adopts a learned maximum and length. A new length re-slots the window: what was counted
    /// moves into the current slot, which can only make us slower, never faster.
    pub(super) fn set(&mut self, max: u32, window: Duration, now: Instant) {
        self.max = max.max(1);
        if window != self.window {
            let counted = self.count(self.slot_of(now));
            let mut fresh = Self::new(self.max, window, now);
            fresh.add(0, u32::try_from(counted).unwrap_or(u32::MAX));
            *self = fresh;
        }
    }

    /// The server says only `remaining` requests are left: count the difference as sent now
    /// (other processes of the portal sent them), so we slow down to match.
    pub(super) fn match_remaining(&mut self, remaining: u32, now: Instant) {
        let current = self.slot_of(now);
        let counted = u32::try_from(self.count(current)).unwrap_or(u32::MAX);
        let ours = self.max.saturating_sub(counted);
        if remaining < ours {
            self.add(current, ours - remaining);
        }
    }

    #[cfg(test)]
    pub(super) fn counted(&self, now: Instant) -> u64 {
        self.sum(self.slot_of(now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tally_matches_the_ring() {
        let start = Instant::now();
        let mut w = Window::new(1_000, Duration::from_secs(1), start);
        for step in 0..5_000u64 {
            // Irregular steps, some within a slot, some across several, some past the window.
            let at = start + Duration::from_micros(step * 7_919 % 3_000_000 + step * 1_000);
            let _ = w.try_take(at);
            if step % 97 == 0 {
                w.match_remaining(500, at);
            }
            let current = w.slot_of(at);
            assert_eq!(w.count(current), w.sum(current), "step {step}");
        }
    }
}

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
    epoch: Instant,
    /// `counts[i]` is the number of requests sent in absolute slot `stamps[i]`.
    counts: [u32; RING],
    stamps: [u64; RING],
}

impl Window {
    pub(super) fn new(max: u32, window: Duration, now: Instant) -> Self {
        let mut w = Self {
            max: max.max(1),
            window,
            slot: Duration::ZERO,
            epoch: now,
            counts: [0; RING],
            stamps: [0; RING],
        };
        w.slot = w.slot_length();
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
        u64::try_from(elapsed / self.slot.as_nanos().max(1)).unwrap_or(u64::MAX)
    }

    fn is_live(stamp: u64, current: u64) -> bool {
        stamp <= current && current - stamp <= SLOTS
    }

    fn count(&self, current: u64) -> u64 {
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
        self.counts[i] = self.counts[i].saturating_add(n);
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
        self.count(self.slot_of(now))
    }
}

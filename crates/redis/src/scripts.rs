//! The Lua scripts, one atomic call each, and the replies they give. The scripts live in
//! `src/lua/` and read the time from Redis (`TIME`), never from the calling machine.

use std::sync::LazyLock;
use std::time::Duration;

use redis::Script;

/// Takes a slot: pauses, daily budget, then the budget's sliding window.
pub(crate) static ACQUIRE: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("lua/acquire.lua")));
/// Counts an answered slot from its answer, and shares a learned window and HubSpot's count of
/// the requests left in it.
pub(crate) static OBSERVE: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("lua/observe.lua")));
/// Pauses every process after a 429.
pub(crate) static PAUSE: LazyLock<Script> =
    LazyLock::new(|| Script::new(include_str!("lua/pause.lua")));

/// What the acquire script answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Acquired {
    /// A slot was taken, named by this member of the window: send.
    Granted(u64),
    /// Try again after this long.
    Wait(Duration),
    /// The daily budget is used up; it resets after this long.
    DailyUsedUp(Duration),
}

impl Acquired {
    /// Reads `{status, microseconds}`; anything else is not our script's answer.
    pub(crate) fn from_reply(reply: &[i64]) -> Option<Self> {
        let micros = |us: i64| Duration::from_micros(u64::try_from(us).unwrap_or(0));
        match *reply {
            [0, member] => u64::try_from(member).ok().map(Self::Granted),
            [1, us] => Some(Self::Wait(micros(us))),
            [2, us] => Some(Self::DailyUsedUp(micros(us))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replies_are_read_and_strangers_refused() {
        assert_eq!(Acquired::from_reply(&[0, 42]), Some(Acquired::Granted(42)));
        assert_eq!(Acquired::from_reply(&[0, -1]), None);
        assert_eq!(
            Acquired::from_reply(&[1, 1_500]),
            Some(Acquired::Wait(Duration::from_micros(1_500)))
        );
        assert_eq!(
            Acquired::from_reply(&[2, -4]),
            Some(Acquired::DailyUsedUp(Duration::ZERO))
        );
        assert_eq!(Acquired::from_reply(&[3, 0]), None);
        assert_eq!(Acquired::from_reply(&[0]), None);
    }
}

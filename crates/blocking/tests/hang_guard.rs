//! The hang guard the other tests rely on (`support::within`) can fail: work that outlives
//! its bound fails the test promptly instead of stalling the run, and a panic inside comes
//! back with its message. The guard used to join the worker after a timeout, so a hung worker
//! hung the test as well; against that guard the first test here never finishes.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

mod support;

use std::time::Duration;

use support::{HANG_LIMIT, within};

#[test]
#[should_panic(expected = "hang: the work did not finish within 50ms")]
fn work_that_outlives_its_bound_fails_the_test() {
    // An hour: far past any test run, so only a guard that does not wait for it can return.
    within(Duration::from_millis(50), || {
        std::thread::sleep(Duration::from_secs(3600));
    });
}

#[test]
#[should_panic(expected = "the letter exploded")]
fn a_panic_inside_the_guard_is_raised_with_its_message() {
    within(HANG_LIMIT, || panic!("the letter exploded"));
}

#[test]
fn work_within_its_bound_returns_its_value() {
    let worker = within(HANG_LIMIT, || std::thread::current().id());
    assert_ne!(
        worker,
        std::thread::current().id(),
        "the work runs on a thread of its own"
    );
}

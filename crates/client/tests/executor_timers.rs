//! The executor's fast path arms no timer for an answer that is ready at once; these tests pin
//! down that the per-attempt timeout and the deadline still hold for answers that are not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executor_support;

use std::sync::atomic::Ordering;
use std::time::Duration;

use executor_support::{Answer, client, id};
use hubspot_postal::retry::RetryPolicy;
use hubspot_postal::{Error, GetOptions};
use tokio::time::Instant;

#[tokio::test(start_paused = true)]
async fn an_answer_within_the_attempt_timeout_is_kept() {
    let policy = RetryPolicy::default().attempt_timeout(Duration::from_secs(1));
    let (c, t) = client(Answer::After(Duration::from_millis(999)), policy);
    let start = Instant::now();
    let letter = c.get(&id(), &GetOptions::new()).await.unwrap();
    assert_eq!(letter.id.as_str(), "7");
    assert_eq!(start.elapsed(), Duration::from_millis(999));
    assert_eq!(t.sends.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn the_attempt_timer_fires_at_the_attempt_timeout() {
    let policy = RetryPolicy::default()
        .attempt_timeout(Duration::from_secs(1))
        .max_attempts(1);
    let (c, t) = client(Answer::After(Duration::from_millis(1_001)), policy);
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(matches!(err, Error::Transport { .. }), "{err:?}");
    assert_eq!(start.elapsed(), Duration::from_secs(1));
    assert_eq!(t.sends.load(Ordering::SeqCst), 1);
}

#[tokio::test(start_paused = true)]
async fn the_deadline_caps_the_attempt_timer() {
    let deadline = Duration::from_millis(2_500);
    let policy = RetryPolicy::default()
        .attempt_timeout(Duration::from_secs(1))
        .max_attempts(50)
        .deadline(deadline);
    let (c, t) = client(Answer::Never, policy);
    let start = Instant::now();
    let err = c.get(&id(), &GetOptions::new()).await.unwrap_err();
    assert!(
        matches!(
            err,
            Error::DeadlineExceeded { .. } | Error::Transport { .. }
        ),
        "{err:?}"
    );
    assert!(start.elapsed() <= deadline, "{:?}", start.elapsed());
    assert!(t.sends.load(Ordering::SeqCst) >= 2, "it was retried");
}

//! The call timeout: a server that never answers gives a timely error that says so, the work
//! in flight is cancelled, a create that timed out says it may have been applied, and even a
//! transport that blocks the runtime thread cannot make a call hang.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

mod support;

use std::io::Read;
use std::net::TcpListener;
use std::time::{Duration, Instant};

use hubspot_postal_blocking::model::engagement::CreatePostalMail;
use hubspot_postal_blocking::model::ids::PostalMailId;
use hubspot_postal_blocking::{Client, Error, GetOptions, RateLimiter, is_timeout_error};
use support::{Answer, Probe, Seen, within};

/// A server that accepts connections and never writes a byte. Reports when a connection is
/// closed by the client (its read sees end of file).
fn silent_server() -> (String, std::sync::mpsc::Receiver<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (closed, closes) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let closed = closed.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 4096];
                while matches!(stream.read(&mut buf), Ok(n) if n > 0) {}
                let _ = closed.send(());
            });
        }
    });
    (url, closes)
}

#[test]
fn a_server_that_never_answers_gives_a_timeout_error_within_a_second() {
    within(Duration::from_secs(20), || {
        let (url, closes) = silent_server();
        let client = Client::builder()
            .token("pat-test")
            .base_url(url)
            .rate_limiter(RateLimiter::unlimited())
            .timeout(Duration::from_millis(200))
            .build()
            .unwrap();

        let started = Instant::now();
        let error = client
            .get(&PostalMailId::new("512").unwrap(), &GetOptions::new())
            .unwrap_err();
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "took {took:?}");
        assert!(took >= Duration::from_millis(200), "took {took:?}");
        assert!(is_timeout_error(&error), "{error:?}");
        let message = error.to_string();
        assert!(message.contains("timed out"), "{message}");
        assert!(message.contains("200ms"), "{message}");
        assert!(message.starts_with("get failed"), "{message}");

        // The request in flight was cancelled: its connection is closed.
        closes
            .recv_timeout(Duration::from_secs(5))
            .expect("the connection is closed");

        // A create that timed out may have been logged: it says so, with the input.
        let input = CreatePostalMail::new("2026-11-30".parse().unwrap()).body("maybe logged");
        let error = client.create(input.clone()).unwrap_err();
        assert!(is_timeout_error(&error), "{error:?}");
        assert!(error.may_have_been_applied());
        assert!(matches!(error, Error::MaybeApplied { .. }), "{error:?}");
        assert_eq!(error.unreconciled_inputs(), [input]);
    });
}

#[test]
fn the_default_timeout_is_thirty_seconds() {
    let client = Client::builder()
        .token("t")
        .base_url("http://127.0.0.1:9")
        .build()
        .unwrap();
    assert_eq!(client.timeout(), Duration::from_secs(30));
    assert_eq!(
        hubspot_postal_blocking::DEFAULT_TIMEOUT,
        Duration::from_secs(30)
    );
}

#[test]
fn the_future_of_a_timed_out_call_is_dropped() {
    within(Duration::from_secs(10), || {
        let (probe, seen) = Probe::new(Answer::Never);
        let client = support::client(probe, Duration::from_millis(100));
        let error = client
            .get(&PostalMailId::new("1").unwrap(), &GetOptions::new())
            .unwrap_err();
        assert!(is_timeout_error(&error));
        assert_eq!(
            seen.recv_timeout(Duration::from_secs(2)).unwrap(),
            Seen::Cancelled
        );
        // The client still works for the next call (here: times out again, promptly).
        let started = Instant::now();
        assert!(is_timeout_error(
            &client
                .get(&PostalMailId::new("2").unwrap(), &GetOptions::new())
                .unwrap_err()
        ));
        assert!(started.elapsed() < Duration::from_secs(1));
    });
}

#[test]
fn a_transport_that_blocks_the_runtime_thread_cannot_make_a_call_hang() {
    within(Duration::from_secs(20), || {
        let (probe, _seen) = Probe::new(Answer::BlockThread(Duration::from_secs(4)));
        let client = support::client(probe, Duration::from_millis(200));
        let started = Instant::now();
        let error = client
            .get(&PostalMailId::new("1").unwrap(), &GetOptions::new())
            .unwrap_err();
        // The runtime's own timer cannot fire while its thread is blocked: the caller's
        // backstop (timeout + 1 s) does.
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "took {:?}",
            started.elapsed()
        );
        assert!(is_timeout_error(&error), "{error:?}");
        // Dropping does not wait for the blocked thread longer than its bound.
        let started = Instant::now();
        drop(client);
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "drop took {:?}",
            started.elapsed()
        );
    });
}

#[test]
fn a_panic_inside_a_call_comes_back_as_an_error() {
    within(Duration::from_secs(10), || {
        let (probe, _seen) = Probe::new(Answer::Panic);
        let client = support::client(probe, Duration::from_secs(5));
        let error = client
            .get(&PostalMailId::new("1").unwrap(), &GetOptions::new())
            .unwrap_err();
        assert!(!is_timeout_error(&error));
        assert!(
            error.to_string().contains("ended without a result"),
            "{error}"
        );
        // And the client keeps working.
        let error = client
            .get(&PostalMailId::new("1").unwrap(), &GetOptions::new())
            .unwrap_err();
        assert!(
            error.to_string().contains("ended without a result"),
            "{error}"
        );
    });
}

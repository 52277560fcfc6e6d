//! The executor records a span's fields only when some span wants them; these tests pin down
//! that the operation span (and, at DEBUG, the attempt span) still gets its status, correlation
//! id and attempts, on the path where the answer is ready at once and on the one where it is not.
//!
//! Alone in its test binary on purpose: tracing caches a callsite's interest globally, and a
//! test without a subscriber running on another thread can race with this one's subscriber.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod executor_support;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use executor_support::{Answer, client, id};
use hubspot_postal::GetOptions;
use hubspot_postal::retry::RetryPolicy;

/// Everything a `fmt` subscriber prints, at `level`, with span closes (and their fields).
fn captured_spans(level: tracing::Level, answer: Answer) -> String {
    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || writer.clone())
        .with_max_level(level)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let (c, _) = client(answer, RetryPolicy::default());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        rt.block_on(async { c.get(&id(), &GetOptions::new()).await.unwrap() });
    });
    String::from_utf8(captured.0.lock().unwrap().clone()).unwrap()
}

#[test]
fn spans_get_status_correlation_id_and_attempts() {
    for answer in [Answer::AtOnce, Answer::After(Duration::from_millis(5))] {
        // At DEBUG both spans are on; at INFO only the operation span is.
        for level in [tracing::Level::DEBUG, tracing::Level::INFO] {
            let out = captured_spans(level, answer);
            let operation = out
                .lines()
                .find(|l| l.contains("hubspot_postal.operation{") && l.contains("close"))
                .unwrap_or_else(|| panic!("no operation span at {level}: {out}"));
            for field in ["status=200", "correlation_id=\"corr-42\"", "attempts=1"] {
                assert!(
                    operation.contains(field),
                    "{field} at {level}, {answer:?}: {operation}"
                );
            }
            let attempt = out
                .lines()
                .find(|l| l.contains("hubspot_postal.attempt{") && l.contains("close"));
            if level == tracing::Level::DEBUG {
                let attempt = attempt.unwrap_or_else(|| panic!("no attempt span: {out}"));
                for field in ["status=200", "correlation_id=\"corr-42\""] {
                    assert!(attempt.contains(field), "{field}: {attempt}");
                }
            } else {
                assert!(attempt.is_none(), "{out}");
            }
        }
    }
}

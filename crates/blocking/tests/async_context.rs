//! Inside an async runtime every call returns the documented error (never a panic, never a
//! silently blocked executor), and dropping the client there neither panics nor hangs.
//! CI also runs this file with `--release`: the check must not be a debug assertion.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test set-up failures should panic

mod support;

use std::time::Duration;

use hubspot_postal::transport::ScriptedTransport;
use hubspot_postal_blocking::model::ids::PostalMailId;
use hubspot_postal_blocking::model::object_type::ObjectType;
use hubspot_postal_blocking::{Client, Error, GetOptions, ListOptions, is_async_context_error};
use support::{Answer, Flavour, HANG_LIMIT, Probe, Seen, on_runtime, within};

fn scripted() -> (ScriptedTransport, Client) {
    let transport = ScriptedTransport::from_fn(|_| {
        Ok(hubspot_postal::transport::Response::json(
            hubspot_postal::transport::http::StatusCode::OK,
            &serde_json::json!({ "results": [] }),
        ))
    });
    let client = support::client(
        std::sync::Arc::new(transport.clone()),
        Duration::from_secs(5),
    );
    (transport, client)
}

/// The error of a call made here, checked against what the docs promise.
fn assert_documented(error: &Error) {
    assert!(is_async_context_error(error), "{error:?}");
    assert!(matches!(error, Error::InAsyncRuntime { .. }), "{error:?}");
    let message = error.to_string();
    for names_the_fix in [
        "inside an async runtime",
        "get: hubspot-postal-blocking was called",
        "async hubspot_postal::Client",
        "std::thread::spawn",
        "spawn_blocking",
    ] {
        assert!(
            message.contains(names_the_fix),
            "{names_the_fix:?} missing from: {message}"
        );
    }
}

fn every_kind_of_call_is_refused(client: &Client, transport: &ScriptedTransport) {
    let id = PostalMailId::new("512").unwrap();
    assert_documented(&client.get(&id, &GetOptions::new()).unwrap_err());
    assert!(is_async_context_error(
        &client.association_labels(&ObjectType::Contact).unwrap_err()
    ));
    let mut letters = client.list_all(ListOptions::new());
    assert!(is_async_context_error(
        &letters.next().unwrap().unwrap_err()
    ));
    assert!(
        letters.next().is_none(),
        "the iterator ends after the error"
    );
    assert_eq!(transport.request_count(), 0, "nothing was sent");
}

// The async tests run on a guarded thread (`on_runtime`): a blocking call that blocked its
// executor instead of refusing would fail the test, not stall the run.

#[test]
fn a_call_on_a_current_thread_runtime_returns_the_documented_error() {
    on_runtime(Flavour::CurrentThread, || async {
        let (transport, client) = scripted();
        every_kind_of_call_is_refused(&client, &transport);
        drop(client); // inside the runtime: no panic
    });
}

#[test]
fn a_call_on_a_multi_thread_runtime_returns_the_documented_error() {
    on_runtime(Flavour::MultiThread, multi_thread_refusals);
}

async fn multi_thread_refusals() {
    let (transport, client) = scripted();
    every_kind_of_call_is_refused(&client, &transport);
    // From a spawned task on a worker thread as well.
    let in_task = client.clone();
    let error =
        tokio::spawn(
            async move { in_task.get(&PostalMailId::new("1").unwrap(), &GetOptions::new()) },
        )
        .await
        .unwrap()
        .unwrap_err();
    assert!(is_async_context_error(&error));
    drop(client);
}

#[test]
fn spawn_blocking_is_refused_too_and_the_documented_alternatives_work() {
    on_runtime(Flavour::MultiThread, spawn_blocking_and_alternatives);
}

async fn spawn_blocking_and_alternatives() {
    let (transport, client) = scripted();
    let id = PostalMailId::new("512").unwrap();

    // spawn_blocking threads carry the runtime context, so they are refused like workers...
    let blocking = client.clone();
    let error =
        tokio::task::spawn_blocking(move || blocking.association_labels(&ObjectType::Contact))
            .await
            .unwrap()
            .unwrap_err();
    assert!(is_async_context_error(&error));

    // ...where the async client inside works with Handle::block_on, as the message says.
    let blocking = client.clone();
    let labels = tokio::task::spawn_blocking(move || {
        tokio::runtime::Handle::current().block_on(
            blocking
                .async_client()
                .association_labels(&ObjectType::Contact),
        )
    })
    .await
    .unwrap()
    .unwrap();
    assert!(labels.is_empty());

    // A plain thread is outside the runtime: the blocking call works there.
    let blocking = client.clone();
    let labels = within(HANG_LIMIT, move || {
        blocking.association_labels(&ObjectType::Contact)
    })
    .unwrap();
    assert!(labels.is_empty());
    assert_eq!(transport.request_count(), 2);
    let _ = id;
}

/// Drops the last clone inside a runtime of the given flavour, and reports the thread the
/// transport (inside the async client) was finally dropped on.
fn drop_inside(flavour: Flavour, answer: Answer) -> Option<String> {
    let (probe, seen) = Probe::new(answer);
    let client = support::client(probe, Duration::from_secs(30));
    on_runtime(flavour, || async move {
        // On a worker thread, inside a task, where blocking is not allowed.
        tokio::spawn(async move { drop(client) }).await.unwrap();
    });
    match seen.recv_timeout(Duration::from_secs(5)) {
        Ok(Seen::Dropped(thread)) => thread,
        other => panic!("the transport was not dropped: {other:?}"),
    }
}

#[test]
fn dropping_the_last_clone_inside_a_current_thread_runtime_neither_panics_nor_hangs() {
    let thread = drop_inside(Flavour::CurrentThread, Answer::Empty);
    assert_eq!(thread.as_deref(), Some("hubspot-postal-blocking"));
}

#[test]
fn dropping_the_last_clone_inside_a_multi_thread_runtime_neither_panics_nor_hangs() {
    let thread = drop_inside(Flavour::MultiThread, Answer::Empty);
    assert_eq!(thread.as_deref(), Some("hubspot-postal-blocking"));
}

#[test]
fn dropping_outside_a_runtime_while_a_call_is_cut_off_neither_panics_nor_hangs() {
    within(Duration::from_secs(10), || {
        let (probe, seen) = Probe::new(Answer::Never);
        let client = support::client(probe, Duration::from_millis(100));
        let error = client
            .get(&PostalMailId::new("1").unwrap(), &GetOptions::new())
            .unwrap_err();
        assert!(hubspot_postal_blocking::is_timeout_error(&error), "{error}");
        drop(client);
        // The cut-off call was cancelled, then the transport dropped on the runtime thread,
        // before `drop` returned.
        assert_eq!(seen.try_recv().unwrap(), Seen::Cancelled);
        assert_eq!(
            seen.try_recv().unwrap(),
            Seen::Dropped(Some("hubspot-postal-blocking".into()))
        );
    });
}

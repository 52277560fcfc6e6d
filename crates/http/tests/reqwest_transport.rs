//! `ReqwestTransport` over real HTTP on 127.0.0.1, against a server whose bytes we control.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers: a failed unwrap is a failed test with its cause"
)]

mod support;

use std::io::Write;
use std::time::{Duration, Instant};

use hubspot_postal_http::{HttpConfig, ReqwestTransport, USER_AGENT};
use hubspot_postal_transport::http::{HeaderValue, Method, StatusCode, header};
use hubspot_postal_transport::{
    BaseUrl, Idempotency, Operation, Request, SendPhase, Transport, TransportError,
    TransportErrorKind,
};
use support::{Reply, TestServer, closed_port, response};

const READ: Operation = Operation::new(
    "postal_mail.read",
    "/crm/v3/objects/postal_mail/{postalMailId}",
    Idempotency::Idempotent,
);
const CREATE: Operation = Operation::new(
    "postal_mail.create",
    "/crm/v3/objects/postal_mail",
    Idempotency::CreatesRecord,
);

/// Short enough to keep the suite fast, long enough for a loaded 2-core machine.
const SHORT: Duration = Duration::from_millis(300);

fn transport() -> ReqwestTransport {
    ReqwestTransport::new().unwrap()
}

fn get(base: BaseUrl, path: &str) -> Request {
    Request::new(Method::GET, base, path, READ)
}

fn assert_error(err: &TransportError, kind: TransportErrorKind, phase: SendPhase) {
    assert_eq!(err.kind(), kind, "{err}");
    assert_eq!(err.phase(), phase, "{err}");
}

#[tokio::test]
async fn status_headers_and_body_pass_through() {
    let server = TestServer::start(|_| {
        Reply::Close(response(
            "200 OK",
            &[
                ("content-type", "application/json;charset=utf-8"),
                ("x-hubspot-correlation-id", "c0ffee"),
                ("x-hubspot-ratelimit-remaining", "99"),
            ],
            br#"{"id":"512","properties":{}}"#,
        ))
    })
    .await;
    let response = transport()
        .send(get(server.base_url(), "/crm/v3/objects/postal_mail/512"))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(
        response.header("content-type"),
        Some("application/json;charset=utf-8")
    );
    assert_eq!(response.header("X-HubSpot-Correlation-Id"), Some("c0ffee"));
    assert_eq!(response.header("x-hubspot-ratelimit-remaining"), Some("99"));
    assert_eq!(&response.body[..], br#"{"id":"512","properties":{}}"#);
}

#[tokio::test]
async fn no_content_204_has_an_empty_body() {
    let server =
        TestServer::start(|_| Reply::Close(b"HTTP/1.1 204 No Content\r\n\r\n".to_vec())).await;
    let request = Request::new(
        Method::DELETE,
        server.base_url(),
        "/crm/v3/objects/postal_mail/512",
        READ,
    );
    let response = transport().send(request).await.unwrap();
    assert_eq!(response.status, StatusCode::NO_CONTENT);
    assert!(response.body.is_empty());
    assert_eq!(server.received()[0].method, "DELETE");
}

#[tokio::test]
async fn multi_status_207_passes_through() {
    let body = br#"{"status":"COMPLETE","results":[],"errors":[{"status":"error"}],"numErrors":1}"#;
    let server = TestServer::start(move |_| {
        Reply::Close(response(
            "207 Multi-Status",
            &[("content-type", "application/json")],
            body,
        ))
    })
    .await;
    let response = transport()
        .send(get(
            server.base_url(),
            "/crm/v3/objects/postal_mail/batch/read",
        ))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::MULTI_STATUS);
    assert_eq!(&response.body[..], body);
}

#[tokio::test]
async fn error_statuses_are_responses_not_transport_errors() {
    for (line, status) in [
        ("400 Bad Request", StatusCode::BAD_REQUEST),
        ("404 Not Found", StatusCode::NOT_FOUND),
        ("429 Too Many Requests", StatusCode::TOO_MANY_REQUESTS),
        ("503 Service Unavailable", StatusCode::SERVICE_UNAVAILABLE),
    ] {
        let server = TestServer::start(move |_| {
            Reply::Close(response(
                line,
                &[("retry-after", "1")],
                br#"{"status":"error"}"#,
            ))
        })
        .await;
        let response = transport()
            .send(get(server.base_url(), "/x"))
            .await
            .unwrap();
        assert_eq!(response.status, status);
        assert_eq!(response.header("retry-after"), Some("1"));
        assert_eq!(&response.body[..], br#"{"status":"error"}"#);
    }
}

/// The client sends a bodiless PUT with an empty body and `Content-Length: 0`, as HubSpot's
/// official SDKs do; the header reaches the wire (without it hyper sends no length at all).
#[tokio::test]
async fn an_empty_body_goes_out_as_content_length_zero() {
    let server = TestServer::start(|_| Reply::Close(response("200 OK", &[], b"{}"))).await;
    let put = |body: Option<bytes::Bytes>| {
        let request = Request::new(
            Method::PUT,
            server.base_url(),
            "/crm/objects/2026-03/postal_mail/1/associations/default/contacts/2",
            CREATE,
        );
        match body {
            Some(b) => request
                .with_header(header::CONTENT_LENGTH, HeaderValue::from_static("0"))
                .with_body(b),
            None => request.with_body(bytes::Bytes::new()),
        }
    };
    transport()
        .send(put(Some(bytes::Bytes::new())))
        .await
        .unwrap();
    transport().send(put(None)).await.unwrap();
    let received = server.received();
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].header("content-length").as_deref(), Some("0"));
    assert!(received[0].body.is_empty());
    // The control: the same empty body without the header.
    assert_eq!(received[1].header("content-length"), None);
}

#[tokio::test]
async fn request_method_path_headers_and_body_arrive_as_sent() {
    let server = TestServer::start(|_| Reply::Close(response("201 Created", &[], b"{}"))).await;
    let mut token = HeaderValue::from_static("Bearer pat-na1-11111111-2222");
    token.set_sensitive(true);
    let body = r#"{"properties":{"hs_timestamp":"2021-11-12T00:00:00.000Z","hs_postal_mail_body":"Grüße"}}"#;
    let request = Request::new(
        Method::POST,
        server.base_url(),
        "/crm/v3/objects/postal_mail?archived=false&q=a%20b",
        CREATE,
    )
    .with_header(header::AUTHORIZATION, token)
    .with_header(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    )
    .with_header(header::ACCEPT, HeaderValue::from_static("application/json"))
    .with_body(body);

    let response = transport().send(request).await.unwrap();
    assert_eq!(response.status, StatusCode::CREATED);

    let received = server.received();
    assert_eq!(received.len(), 1);
    let got = &received[0];
    assert_eq!(got.method, "POST");
    assert_eq!(
        got.target,
        "/crm/v3/objects/postal_mail?archived=false&q=a%20b"
    );
    assert_eq!(
        got.header("authorization").as_deref(),
        Some("Bearer pat-na1-11111111-2222")
    );
    assert_eq!(
        got.header("content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(got.header("accept").as_deref(), Some("application/json"));
    assert_eq!(got.header("content-length"), Some(body.len().to_string()));
    assert_eq!(got.body, body.as_bytes());
    assert!(
        got.header("accept-encoding")
            .is_some_and(|v| v.contains("gzip")),
        "{:?}",
        got.header("accept-encoding")
    );
}

#[tokio::test]
async fn user_agent_names_the_library_and_version() {
    let server = TestServer::start(|_| Reply::Close(response("200 OK", &[], b""))).await;
    transport()
        .send(get(server.base_url(), "/a"))
        .await
        .unwrap();
    let with_suffix =
        ReqwestTransport::with_config(HttpConfig::default().with_user_agent_suffix("billing/2.3"))
            .unwrap();
    with_suffix
        .send(get(server.base_url(), "/b"))
        .await
        .unwrap();

    let received = server.received();
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(USER_AGENT, format!("hubspot-postal-rust/{version}"));
    assert_eq!(
        received[0].header("user-agent"),
        Some(format!("hubspot-postal-rust/{version}"))
    );
    assert_eq!(
        received[1].header("user-agent"),
        Some(format!("hubspot-postal-rust/{version} billing/2.3"))
    );
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

#[tokio::test]
async fn gzip_response_is_decoded() {
    let json = br#"{"results":[{"id":"1"},{"id":"2"}],"paging":{"next":{"after":"2"}}}"#.repeat(20);
    let compressed = gzip(&json);
    assert!(compressed.len() < json.len());
    let server = TestServer::start(move |_| {
        Reply::Close(response(
            "200 OK",
            &[
                ("content-type", "application/json"),
                ("content-encoding", "gzip"),
            ],
            &compressed,
        ))
    })
    .await;
    let response = transport()
        .send(get(server.base_url(), "/x"))
        .await
        .unwrap();
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(&response.body[..], &json[..]);
    // The headers describe the body we return, which is no longer compressed.
    assert_eq!(response.header("content-encoding"), None);
}

#[tokio::test]
async fn decompressed_size_is_capped_too() {
    let bomb = gzip(&vec![0u8; 1024 * 1024]);
    assert!(bomb.len() < 16 * 1024);
    let server = TestServer::start(move |_| {
        Reply::Close(response("200 OK", &[("content-encoding", "gzip")], &bomb))
    })
    .await;
    let transport =
        ReqwestTransport::with_config(HttpConfig::default().with_max_response_bytes(64 * 1024))
            .unwrap();
    let err = transport
        .send(get(server.base_url(), "/x"))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::BodyTooLarge, SendPhase::MaybeSent);
}

#[tokio::test]
async fn per_request_timeout_against_a_silent_server() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let started = Instant::now();
    let err = transport()
        .send(get(server.base_url(), "/slow").with_timeout(SHORT))
        .await
        .unwrap_err();
    let elapsed = started.elapsed();
    assert_error(&err, TransportErrorKind::Timeout, SendPhase::MaybeSent);
    assert!(elapsed >= SHORT, "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
    assert_eq!(
        server.received().len(),
        1,
        "the server did read the request"
    );
    assert!(std::error::Error::source(&err).is_some());
}

#[tokio::test]
async fn configured_request_timeout_applies_when_the_request_has_none() {
    let server = TestServer::start(|_| Reply::Hang).await;
    let transport =
        ReqwestTransport::with_config(HttpConfig::default().with_request_timeout(SHORT)).unwrap();
    let started = Instant::now();
    let err = transport
        .send(get(server.base_url(), "/slow"))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::Timeout, SendPhase::MaybeSent);
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn timeout_also_covers_a_body_that_stops_arriving() {
    // The head and half the body arrive, then nothing: the attempt must still end.
    let server = TestServer::start(|_| {
        Reply::KeepAlive(b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n{\"partial\":".to_vec())
    })
    .await;
    let started = Instant::now();
    let err = transport()
        .send(get(server.base_url(), "/x").with_timeout(SHORT))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::Timeout, SendPhase::MaybeSent);
    assert!(started.elapsed() < Duration::from_secs(5));
}

fn capped(max: u64) -> ReqwestTransport {
    ReqwestTransport::with_config(HttpConfig::default().with_max_response_bytes(max)).unwrap()
}

#[tokio::test]
async fn content_length_over_the_cap_is_rejected_before_reading() {
    // The server announces 10 MB but never sends it; only the header can end this quickly.
    let server = TestServer::start(|_| {
        Reply::KeepAlive(b"HTTP/1.1 200 OK\r\ncontent-length: 10000000\r\n\r\n{".to_vec())
    })
    .await;
    let err = capped(1024)
        .send(get(server.base_url(), "/x").with_timeout(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::BodyTooLarge, SendPhase::MaybeSent);
    assert!(err.to_string().contains("10000000"), "{err}");
}

#[tokio::test]
async fn chunked_body_over_the_cap_stops_reading() {
    let server = TestServer::start(|_| {
        Reply::EndlessChunks(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n".to_vec())
    })
    .await;
    let err = capped(64 * 1024)
        .send(get(server.base_url(), "/endless").with_timeout(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::BodyTooLarge, SendPhase::MaybeSent);
}

#[tokio::test]
async fn body_exactly_at_the_cap_is_accepted() {
    let server = TestServer::start(|request| {
        let body = if request.target == "/exact" {
            vec![b'a'; 1024]
        } else {
            vec![b'a'; 1025]
        };
        Reply::Close(response("200 OK", &[], &body))
    })
    .await;
    let transport = capped(1024);
    let response = transport
        .send(get(server.base_url(), "/exact"))
        .await
        .unwrap();
    assert_eq!(response.body.len(), 1024);
    let err = transport
        .send(get(server.base_url(), "/over"))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::BodyTooLarge, SendPhase::MaybeSent);
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error_that_was_not_sent() {
    let port = closed_port().await;
    let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let request =
        Request::new(Method::POST, base, "/crm/v3/objects/postal_mail", CREATE).with_body("{}");
    let err = transport().send(request).await.unwrap_err();
    assert_error(&err, TransportErrorKind::ConnectRefused, SendPhase::NotSent);
    assert!(err.kind().is_connect());
    assert!(!err.is_maybe_sent());
    assert!(std::error::Error::source(&err).is_some());
    let host = format!("127.0.0.1:{port}");
    assert_eq!(err.host(), Some(host.as_str()));
    assert_eq!(
        err.to_string(),
        format!(
            "connection refused at {host} (request not sent): nothing accepts connections on that port"
        )
    );
}

#[tokio::test]
async fn tls_against_a_plain_http_server_is_a_tls_error_that_was_not_sent() {
    // What a plain HTTP server does with a TLS ClientHello: answer 400 in clear text.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            use tokio::io::AsyncWriteExt;
            let _ = stream
                .write_all(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n")
                .await;
        }
    });
    let base = BaseUrl::parse(&format!("https://127.0.0.1:{port}")).unwrap();
    let err = transport()
        .send(get(base, "/crm/v3/objects/postal_mail"))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::Tls, SendPhase::NotSent);
    let text = err.to_string();
    assert!(
        text.starts_with(&format!(
            "TLS handshake failed at 127.0.0.1:{port} (request not sent)"
        )),
        "{text}"
    );
    assert!(text.contains("https server"), "{text}");
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_error_that_names_the_host() {
    // `.invalid` never resolves (RFC 6761), online or off.
    let base = BaseUrl::parse("https://hubspot-postal-test.invalid").unwrap();
    let err = transport().send(get(base, "/x")).await.unwrap_err();
    assert_error(&err, TransportErrorKind::Dns, SendPhase::NotSent);
    assert_eq!(err.host(), Some("hubspot-postal-test.invalid:443"));
    assert!(
        err.to_string()
            .starts_with("host name not resolved (DNS) at hubspot-postal-test.invalid:443"),
        "{err}"
    );
}

#[tokio::test]
async fn a_connect_timeout_is_a_timeout_that_was_not_sent() {
    // A listener that never accepts, with its accept queue filled: the kernel drops further
    // handshakes, so the next connect hangs until the connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(0).unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut fillers = Vec::new();
    for _ in 0..4 {
        let connect = tokio::net::TcpStream::connect(("127.0.0.1", port));
        if let Ok(Ok(stream)) = tokio::time::timeout(Duration::from_millis(200), connect).await {
            fillers.push(stream);
        }
    }
    let transport =
        ReqwestTransport::with_config(HttpConfig::default().with_connect_timeout(SHORT)).unwrap();
    let base = BaseUrl::parse(&format!("http://127.0.0.1:{port}")).unwrap();
    let request =
        Request::new(Method::POST, base, "/crm/v3/objects/postal_mail", CREATE).with_body("{}");
    let err = transport
        .send(request.with_timeout(Duration::from_secs(30)))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::Timeout, SendPhase::NotSent);
    assert_eq!(
        err.to_string(),
        format!(
            "timed out at 127.0.0.1:{port} (request not sent): could not connect within {SHORT:?}"
        )
    );
    drop(listener);
}

#[tokio::test]
async fn connection_closed_after_the_request_may_have_been_sent() {
    let server = TestServer::start(|_| Reply::Drop).await;
    let request = Request::new(
        Method::POST,
        server.base_url(),
        "/crm/v3/objects/postal_mail",
        CREATE,
    )
    .with_body("{}");
    let err = transport()
        .send(request.with_timeout(Duration::from_secs(10)))
        .await
        .unwrap_err();
    assert_error(&err, TransportErrorKind::Io, SendPhase::MaybeSent);
    assert_eq!(
        server.received().len(),
        1,
        "the server read the request before closing"
    );
}

#[tokio::test]
async fn redirects_are_returned_not_followed() {
    let elsewhere = TestServer::start(|_| Reply::Close(response("200 OK", &[], b"stolen"))).await;
    let location = format!("http://127.0.0.1:{}/landing", elsewhere.port());
    let server = TestServer::start(move |_| {
        Reply::Close(response(
            "302 Found",
            &[("location", location.as_str())],
            b"",
        ))
    })
    .await;
    let mut token = HeaderValue::from_static("Bearer pat-na1-secret");
    token.set_sensitive(true);
    let request = get(server.base_url(), "/crm/v3/objects/postal_mail")
        .with_header(header::AUTHORIZATION, token);

    let response = transport().send(request).await.unwrap();
    assert_eq!(response.status, StatusCode::FOUND);
    assert_eq!(
        response.header("location"),
        Some(format!("http://127.0.0.1:{}/landing", elsewhere.port()).as_str())
    );
    assert_eq!(elsewhere.connections(), 0);
    assert!(elsewhere.received().is_empty());
}

#[tokio::test]
async fn clones_share_one_connection_pool() {
    let server = TestServer::start(|_| Reply::KeepAlive(response("200 OK", &[], b"{}"))).await;
    let first = transport();
    let second = first.clone();
    first.send(get(server.base_url(), "/1")).await.unwrap();
    // The pool takes the connection back just after the body ends; give it a moment.
    tokio::time::sleep(Duration::from_millis(50)).await;
    second.send(get(server.base_url(), "/2")).await.unwrap();
    assert_eq!(server.received().len(), 2);
    assert_eq!(
        server.connections(),
        1,
        "the clone reused the pooled connection"
    );
}

#[tokio::test]
async fn invalid_path_is_refused_before_anything_is_sent() {
    let server = TestServer::start(|_| Reply::Close(response("200 OK", &[], b""))).await;
    for path in ["no-slash", "/a b", "/a\r\nx-injected: 1"] {
        let err = transport()
            .send(get(server.base_url(), path))
            .await
            .unwrap_err();
        assert_error(&err, TransportErrorKind::InvalidRequest, SendPhase::NotSent);
    }
    assert_eq!(server.connections(), 0);
}

//! Hostile and malformed requests over real mTLS: each gets a 4xx OVHcloud error body,
//! the server stays up and nothing is created. Also the transport: no client
//! certificate or one from another CA gets no HTTP answer, the connection cap, HTTP/1.1
//! with chunked bodies, the rate limit, graceful shutdown.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::time::Duration;

use kms_rest::{RateLimit, RestConfig};
use support::TestServer;

fn count(s: &TestServer) -> usize {
    s.list_all("alice", "state=all").len()
}

#[test]
fn bad_requests_are_refused_and_create_nothing() {
    let s = TestServer::start();
    s.create("alice", r#"{"name":"keep","type":"oct","size":256}"#);
    let before = count(&s);

    let deep = "[".repeat(10_000) + &"]".repeat(10_000);
    let deep_object = format!("{}1{}", r#"{"n":"#.repeat(10_000), "}".repeat(10_000));
    let long_name = format!(r#"{{"name":"{}","type":"oct","size":256}}"#, "n".repeat(33));
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "malformed JSON",
            r#"{"name":"x","type":"oct""#.into(),
            "malformed JSON",
        ),
        ("not an object", r#"["name"]"#.into(), "JSON object"),
        ("empty", String::new(), "empty"),
        ("deep arrays", deep, "nested deeper"),
        ("deep objects", deep_object, "nested deeper"),
        (
            "wrong type",
            r#"{"name":"x","type":"oct","size":"SECRET-256"}"#.into(),
            "size: wrong type",
        ),
        (
            "wrong type in array",
            r#"{"name":"x","type":"oct","size":256,"operations":[7]}"#.into(),
            "operations[0]",
        ),
        (
            "unknown field",
            r#"{"name":"x","type":"oct","size":256,"colour":"red"}"#.into(),
            "unknown field `colour`",
        ),
        (
            "bad enum",
            r#"{"name":"x","type":"DES","size":256}"#.into(),
            "type: unknown value",
        ),
        (
            "bad operation",
            r#"{"name":"x","type":"oct","size":256,"operations":["fly"]}"#.into(),
            "operations[0]: unknown value",
        ),
        ("name too long", long_name, "name"),
        (
            "empty name",
            r#"{"name":"","type":"oct","size":256}"#.into(),
            "name",
        ),
        (
            "missing name",
            r#"{"type":"oct","size":256}"#.into(),
            "missing field `name`",
        ),
        (
            "duplicate member",
            r#"{"name":"x","name":"y","type":"oct","size":256}"#.into(),
            "duplicate",
        ),
        ("missing type", r#"{"name":"x"}"#.into(), "type"),
        (
            "oct size",
            r#"{"name":"x","type":"oct","size":2048}"#.into(),
            "size",
        ),
        (
            "RSA size",
            r#"{"name":"x","type":"RSA","size":1024}"#.into(),
            "size",
        ),
        (
            "EC without curve",
            r#"{"name":"x","type":"EC"}"#.into(),
            "curve",
        ),
        (
            "EC with size",
            r#"{"name":"x","type":"EC","curve":"P-256","size":256}"#.into(),
            "size",
        ),
        (
            "oct with sign",
            r#"{"name":"x","type":"oct","size":256,"operations":["sign"]}"#.into(),
            "operations",
        ),
        (
            "EC with encrypt",
            r#"{"name":"x","type":"EC","curve":"P-256","operations":["encrypt"]}"#.into(),
            "operations",
        ),
        (
            "context too long",
            format!(
                r#"{{"name":"x","type":"oct","size":256,"context":"{}"}}"#,
                "c".repeat(65)
            ),
            "context",
        ),
        (
            "HSM",
            r#"{"name":"x","type":"oct","size":256,"protectionLevel":"HSM"}"#.into(),
            "protectionLevel",
        ),
        (
            "id not a UUID",
            r#"{"name":"x","type":"oct","size":256,"id":"nope"}"#.into(),
            "id",
        ),
        (
            "unknown JWK member",
            r#"{"name":"x","keys":[{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAA","x5c":[]}]}"#.into(),
            "keys[0]: unknown field",
        ),
        (
            "float",
            r#"{"name":"x","type":"oct","size":256.0}"#.into(),
            "size",
        ),
    ];
    for (what, body, expect) in &cases {
        let a = s.call("alice", "POST", "/v1/servicekey", Some(body));
        assert_eq!(a.status, 400, "{what}: {a:?}");
        let err = a.assert_error(400);
        let message = err["errors"].to_string();
        assert!(message.contains(expect), "{what}: {message}");
        assert!(
            !message.contains("SECRET"),
            "{what}: echoes a value: {message}"
        );
    }

    // Over the body limit: Content-Length refused before reading, and a chunked body
    // counted while reading.
    let big = format!(r#"{{"name":"{}"}}"#, "x".repeat(70 * 1024));
    let file = s.dir.join("big");
    std::fs::write(&file, &big).unwrap();
    let a = s.curl(
        "alice",
        "POST",
        "/v1/servicekey",
        &[
            "--http1.1".into(),
            "-H".into(),
            "content-type: application/json".into(),
            "--data-binary".into(),
            format!("@{}", file.display()),
        ],
    );
    a.assert_error(413);
    // Over HTTP/2 the answer is the same 413, except that a client still uploading when
    // it arrives may see the stream reset instead (curl exit 92): refused either way,
    // and the server stays up.
    let a = s.call("alice", "POST", "/v1/servicekey", Some(&big));
    if a.curl_exit != 92 {
        a.assert_error(413);
    }
    let file = s.dir.join("big-chunked");
    std::fs::write(&file, &big).unwrap();
    let a = s.curl(
        "alice",
        "POST",
        "/v1/servicekey",
        &[
            "--http1.1".into(),
            "-H".into(),
            "content-type: application/json".into(),
            "-H".into(),
            "transfer-encoding: chunked".into(),
            "--data-binary".into(),
            format!("@{}", file.display()),
        ],
    );
    a.assert_error(413);

    // Not JSON.
    let a = s.curl(
        "alice",
        "POST",
        "/v1/servicekey",
        &[
            "-H".into(),
            "content-type: text/plain".into(),
            "--data-binary".into(),
            r#"{"name":"x","type":"oct","size":256}"#.into(),
        ],
    );
    a.assert_error(400);
    // Patch and deactivate bodies are checked the same way.
    let id = s.list_all("alice", "")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (path, body) in [
        (format!("/v1/servicekey/{id}"), r#"{"name":""}"#),
        (
            format!("/v1/servicekey/{id}"),
            r#"{"name":"x","extra":true}"#,
        ),
        (format!("/v1/servicekey/{id}"), r#"{"name":123}"#),
    ] {
        s.call("alice", "PATCH", &path, Some(body))
            .assert_error(400);
    }
    for body in [
        r#"{"reason":"bored"}"#,
        r#"{}"#,
        r#"{"reason":"unspecified","x":1}"#,
    ] {
        s.call(
            "alice",
            "POST",
            &format!("/v1/servicekey/{id}/deactivate"),
            Some(body),
        )
        .assert_error(400);
    }
    // PATCH also takes text/json.
    let a = s.curl(
        "alice",
        "PATCH",
        &format!("/v1/servicekey/{id}"),
        &[
            "-H".into(),
            "content-type: text/json".into(),
            "--data-binary".into(),
            r#"{"name":"renamed"}"#.into(),
        ],
    );
    assert_eq!(a.status, 200, "{}", a.body);

    // Still up, and nothing was created.
    assert_eq!(count(&s), before);
    assert_eq!(s.call("alice", "GET", "/healthz", None).status, 200);
    assert_eq!(
        s.list_all("alice", "state=active")[0]["attributes"]["state"],
        "active"
    );
}

#[test]
fn no_http_answer_without_a_trusted_client_certificate() {
    let s = TestServer::start();
    for who in ["", "mallory"] {
        let a = s.call(who, "GET", "/healthz", None);
        assert_eq!(a.status, 0, "{who}: {a:?}");
        assert_ne!(a.curl_exit, 0);
    }
    assert_eq!(s.call("alice", "GET", "/healthz", None).status, 200);
}

#[test]
fn http1_keeps_working_and_the_cap_closes_extra_connections() {
    let s = TestServer::start_with(RestConfig {
        max_connections: 1,
        ..RestConfig::default()
    });
    let a = s.curl("alice", "GET", "/healthz", &["--http1.1".into()]);
    assert_eq!(a.status, 200);
    // Let the server release that connection's slot before taking it.
    std::thread::sleep(Duration::from_millis(300));
    // Hold the only slot with a connection that never handshakes.
    let held = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    let a = s.call("alice", "GET", "/healthz", None);
    assert_eq!(a.status, 0, "{a:?}");
    drop(held);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(s.call("alice", "GET", "/healthz", None).status, 200);
}

#[test]
fn rate_limit_per_identity() {
    let s = TestServer::start_with(RestConfig {
        rate_limit: Some(RateLimit {
            requests_per_second: 0.5,
            burst: 2,
        }),
        ..RestConfig::default()
    });
    let path = "/v1/random";
    assert_eq!(s.call("alice", "GET", path, None).status, 200);
    assert_eq!(s.call("alice2", "GET", path, None).status, 200);
    let a = s.call("alice", "GET", path, None);
    a.assert_error(429);
    assert_eq!(a.header("retry-after"), Some("1"));
    // Another identity has its own bucket.
    assert_eq!(s.call("bob", "GET", path, None).status, 200);
}

#[test]
fn shutdown_stops_accepting() {
    let s = TestServer::start();
    assert_eq!(s.call("alice", "GET", "/healthz", None).status, 200);
    let port = s.port;
    let started = std::time::Instant::now();
    drop(s);
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());
}

/// Waits for `child` to exit, at most `limit`; true when it did.
fn exits_within(child: &mut std::process::Child, limit: Duration) -> bool {
    let started = std::time::Instant::now();
    while started.elapsed() < limit {
        if child.try_wait().unwrap().is_some() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = child.kill();
    let _ = child.wait();
    false
}

#[test]
fn silent_peers_are_dropped() {
    let s = TestServer::start_with(RestConfig {
        handshake_timeout: Duration::from_secs(1),
        header_read_timeout: Duration::from_secs(1),
        ..RestConfig::default()
    });
    // A TCP peer that never starts the handshake.
    let mut tcp = std::net::TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let started = std::time::Instant::now();
    let mut buf = [0u8; 16];
    let n = std::io::Read::read(&mut tcp, &mut buf).unwrap_or(0);
    assert_eq!(n, 0, "closed, not answered");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A TLS peer that completes the handshake and then sends no request (neither
    // HTTP/1.1 headers nor the HTTP/2 preface).
    let dir = &s.dir;
    for alpn in ["http/1.1", "h2"] {
        let mut child = std::process::Command::new("openssl")
            .args(["s_client", "-quiet", "-alpn", alpn, "-connect"])
            .arg(format!("127.0.0.1:{}", s.port))
            .arg("-cert")
            .arg(dir.join("alice.pem"))
            .arg("-key")
            .arg(dir.join("alice.key"))
            .arg("-CAfile")
            .arg(dir.join("ca.pem"))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("openssl must be installed");
        // Keep stdin open (s_client would otherwise close the connection itself).
        let _stdin = child.stdin.take();
        assert!(
            exits_within(&mut child, Duration::from_secs(8)),
            "{alpn}: the server should close a connection that sends nothing"
        );
    }
    assert_eq!(s.call("alice", "GET", "/healthz", None).status, 200);
}

/// A caller-chosen id is used; a second create with it is 409 and creates nothing.
#[test]
fn a_caller_chosen_id_is_used_once() {
    let s = TestServer::start();
    let body =
        r#"{"name":"x","type":"oct","size":256,"id":"6B1E2C3D-4F5A-4B6C-8D7E-9F0A1B2C3D4E"}"#;
    let a = s.call("alice", "POST", "/v1/servicekey", Some(body));
    assert_eq!(a.status, 201, "{a:?}");
    assert!(
        a.body
            .contains("\"id\":\"6b1e2c3d-4f5a-4b6c-8d7e-9f0a1b2c3d4e\""),
        "{a:?}"
    );
    let again = s.call("alice", "POST", "/v1/servicekey", Some(body));
    again.assert_error(409);
    let bad = s.call(
        "alice",
        "POST",
        "/v1/servicekey",
        Some(r#"{"name":"x","type":"oct","size":256,"id":""}"#),
    );
    bad.assert_error(400);
}

//! End-to-end tests of the `kms-server` binary: zero-configuration first start, restart,
//! shutdown, configuration errors, logs, and the PostgreSQL store. Each test runs the
//! built binary in a scratch directory on a port of its own and talks to it with curl
//! over mutual TLS.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::fs;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use support::{Sandbox, Server, base64, field, have, mode, parse_curl, run};

const AES_KEY: &str = r#"{"name":"k","type":"oct","size":256,"operations":["encrypt","decrypt"]}"#;

fn encrypt(server: &Server, key: &str, plaintext_b64: &str, context: &str) -> String {
    let body = format!(r#"{{"plaintext":"{plaintext_b64}","context":"{context}"}}"#);
    let r = server.request(
        "POST",
        &format!("/v1/servicekey/{key}/encrypt"),
        Some(&body),
    );
    assert_eq!(r.status, 200, "encrypt: {}", r.body);
    r.json()["ciphertext"]
        .as_str()
        .expect("ciphertext")
        .to_owned()
}

fn decrypt(server: &Server, key: &str, ciphertext: &str, context: &str) -> String {
    let body = format!(r#"{{"ciphertext":"{ciphertext}","context":"{context}"}}"#);
    let r = server.request(
        "POST",
        &format!("/v1/servicekey/{key}/decrypt"),
        Some(&body),
    );
    assert_eq!(r.status, 200, "decrypt: {}", r.body);
    r.json()["plaintext"]
        .as_str()
        .expect("plaintext")
        .to_owned()
}

#[test]
fn first_start_writes_private_files_and_prints_a_curl_line_that_works() {
    let sandbox = Sandbox::new("first");
    // No --data-dir: the default ./kms-data, in the working directory.
    let mut server = Server::start(&sandbox.root, &[], &[]);
    let data = sandbox.path("kms-data");

    assert_eq!(mode(&data), 0o700, "data directory");
    assert_eq!(mode(&data.join("pki")), 0o700, "pki directory");
    for secret in [
        "master.key",
        "pki/ca.key",
        "pki/server.key",
        "pki/admin.key",
        "pki/admin.p12",
        "pki/admin.p12.password",
    ] {
        assert_eq!(mode(&data.join(secret)), 0o600, "{secret}");
    }
    for public in [
        "kms.db",
        "domain",
        "pki/ca.pem",
        "pki/server.pem",
        "pki/admin.pem",
    ] {
        assert!(data.join(public).is_file(), "{public} exists");
    }
    assert_eq!(fs::metadata(data.join("master.key")).unwrap().len(), 32);

    // The banner: the files, the PKCS#12 password (printed this once), a curl line.
    let stdout = server.stdout();
    let password = fs::read_to_string(data.join("pki/admin.p12.password")).unwrap();
    let password = password.trim();
    assert!(password.len() >= 32, "a long random password");
    assert!(stdout.contains(password), "password printed: {stdout}");
    assert!(stdout.contains("kms-data/pki/ca.pem"), "{stdout}");
    let line = stdout
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("curl "))
        .unwrap_or_else(|| panic!("no curl line in: {stdout}"));
    let out = Command::new("sh")
        .args(["-c", line])
        .current_dir(&sandbox.root)
        .output()
        .expect("run the printed curl line");
    assert!(
        out.status.success(),
        "{line}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listing: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON listing");
    assert!(listing["objects_list"].is_array(), "{listing}");

    // The admin certificate's domain opens the /api/{okmsId} paths.
    let domain = fs::read_to_string(data.join("domain")).unwrap();
    let domain = domain.trim();
    let r = server.request("GET", &format!("/api/{domain}/v1/servicekey"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let other = "00000000-0000-4000-8000-000000000000";
    let r = server.request("GET", &format!("/api/{other}/v1/servicekey"), None);
    assert_eq!(r.status, 403, "another domain: {}", r.body);

    // The PKCS#12 file is one OpenSSL reads with the stored password.
    if have("openssl") {
        let out = Command::new("openssl")
            .args(["pkcs12", "-info", "-noout", "-in"])
            .arg(data.join("pki/admin.p12"))
            .arg("-passin")
            .arg(format!(
                "file:{}",
                data.join("pki/admin.p12.password").display()
            ))
            .output()
            .expect("run openssl");
        assert!(
            out.status.success(),
            "openssl pkcs12 -info: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    } else {
        eprintln!("skipped: openssl not found, admin.p12 not checked");
    }
    server.stop();
}

#[test]
fn a_restart_reuses_the_pki_the_master_key_and_the_keys() {
    let sandbox = Sandbox::new("restart");
    let data = sandbox.path("kms-data");
    let mut first = Server::start(&sandbox.root, &[], &[]);
    let key = first.create_key(AES_KEY);
    let plaintext = base64(b"kept across restarts");
    let ciphertext = encrypt(&first, &key, &plaintext, "restart");
    first.stop();
    let files = [
        "master.key",
        "domain",
        "pki/ca.pem",
        "pki/ca.key",
        "pki/server.pem",
        "pki/admin.pem",
        "pki/admin.p12",
    ];
    let before: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(data.join(f)).unwrap())
        .collect();

    let mut second = Server::start(&sandbox.root, &[], &[]);
    let after: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(data.join(f)).unwrap())
        .collect();
    for ((name, b), a) in files.iter().zip(&before).zip(&after) {
        assert!(a == b, "{name} changed on restart");
    }
    let stdout = second.stdout();
    assert!(stdout.contains("reused"), "{stdout}");
    let password = fs::read_to_string(data.join("pki/admin.p12.password")).unwrap();
    assert!(
        !stdout.contains(password.trim()),
        "the password is printed once only"
    );
    let r = second.request("GET", &format!("/v1/servicekey/{key}"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(decrypt(&second, &key, &ciphertext, "restart"), plaintext);
    second.stop();
}

#[test]
fn sigterm_lets_an_in_flight_request_finish_then_exits_0() {
    let sandbox = Sandbox::new("sigterm");
    let mut server = Server::start(&sandbox.root, &[], &[]);
    let key = server.create_key(AES_KEY);
    let plaintext = base64(&[7u8; 3000]);
    let body = format!(r#"{{"plaintext":"{plaintext}","context":"inflight"}}"#);
    let (head, tail) = body.split_at(body.len() / 2);

    // Stream the body from a pipe: half now, half after the signal.
    let mut curl = server
        .curl_command("POST", &format!("/v1/servicekey/{key}/encrypt"))
        .args(["-T", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run curl");
    let mut stdin = curl.stdin.take().expect("stdin");
    stdin.write_all(head.as_bytes()).unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(1000));

    server.signal("TERM");
    let signalled = Instant::now();
    std::thread::sleep(Duration::from_millis(500));
    stdin.write_all(tail.as_bytes()).unwrap();
    drop(stdin);

    let out = curl.wait_with_output().expect("curl output");
    let r = parse_curl(&out);
    assert_eq!(
        r.status,
        200,
        "the in-flight request completes: {} {}",
        r.body,
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(r.json()["ciphertext"].is_string());
    let status = server.wait(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "stderr:\n{}", server.stderr());
    assert!(signalled.elapsed() < Duration::from_secs(10));
    assert!(server.stderr().contains("SIGTERM"));
}

#[test]
fn sigint_stops_an_idle_server_with_status_0() {
    let sandbox = Sandbox::new("sigint");
    let mut server = Server::start(&sandbox.root, &[], &[]);
    server.signal("INT");
    let status = server.wait(Duration::from_secs(10));
    assert_eq!(status.code(), Some(0), "stderr:\n{}", server.stderr());
}

#[test]
fn help_documents_every_option() {
    let sandbox = Sandbox::new("help");
    let out = run(&sandbox.root, &["--help"], &[]);
    assert_eq!(out.status.code(), Some(0));
    let help = String::from_utf8(out.stdout).unwrap();
    for (flag, env) in [
        ("--config", "KMS_CONFIG"),
        ("--data-dir", "KMS_DATA_DIR"),
        ("--rest-addr", "KMS_REST_ADDR"),
        ("--kmip-addr", "KMS_KMIP_ADDR"),
        ("--tls-cert", "KMS_TLS_CERT"),
        ("--tls-key", "KMS_TLS_KEY"),
        ("--client-ca", "KMS_CLIENT_CA"),
        ("--store", "KMS_STORE"),
        ("--master-key", "KMS_MASTER_KEY"),
        ("--log-level", "KMS_LOG_LEVEL"),
        ("--log-format", "KMS_LOG_FORMAT"),
        ("--max-connections", "KMS_MAX_CONNECTIONS"),
        ("--max-body-bytes", "KMS_MAX_BODY_BYTES"),
        ("--handshake-timeout", "KMS_HANDSHAKE_TIMEOUT"),
        ("--header-read-timeout", "KMS_HEADER_READ_TIMEOUT"),
        ("--request-timeout", "KMS_REQUEST_TIMEOUT"),
        ("--shutdown-timeout", "KMS_SHUTDOWN_TIMEOUT"),
        ("--rate-limit", "KMS_RATE_LIMIT"),
    ] {
        assert!(help.contains(flag), "{flag} missing from --help");
        assert!(help.contains(env), "{env} missing from --help");
    }
    for text in [
        "--print-config",
        "./kms-data",
        "127.0.0.1:8443",
        "443",
        "127.0.0.1:5696",
        "sqlite:",
        "postgres://",
        "text",
        "json",
    ] {
        assert!(help.contains(text), "{text} missing from --help:\n{help}");
    }
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    let sandbox = Sandbox::new("precedence");
    let file = sandbox.path("kms.toml");
    fs::write(
        &file,
        "rest-addr = \"127.0.0.1:1001\"\nkmip-addr = \"127.0.0.1:2001\"\n\
         log-format = \"json\"\nmax-connections = 7\n",
    )
    .unwrap();
    let out = run(
        &sandbox.root,
        &["--rest-addr", "127.0.0.1:1003", "--print-config"],
        &[
            ("KMS_CONFIG", file.to_str().unwrap()),
            ("KMS_REST_ADDR", "127.0.0.1:1002"),
            ("KMS_KMIP_ADDR", "127.0.0.1:2002"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    for line in [
        "rest-addr = \"127.0.0.1:1003\"",       // flag
        "kmip-addr = \"127.0.0.1:2002\"",       // environment
        "log-format = \"json\"",                // file
        "max-connections = 7",                  // file
        "data-dir = \"./kms-data\"",            // default
        "store = \"sqlite:./kms-data/kms.db\"", // default, from the data dir
    ] {
        assert!(printed.contains(line), "{line} in:\n{printed}");
    }
    assert!(
        !sandbox.path("kms-data").exists(),
        "--print-config creates nothing"
    );
}

#[test]
fn an_unusable_configuration_exits_2_with_a_message() {
    let sandbox = Sandbox::new("badconfig");
    let unknown = sandbox.path("unknown.toml");
    fs::write(&unknown, "rest_adr = \"127.0.0.1:8443\"\n").unwrap();
    let bad_addr = sandbox.path("addr.toml");
    fs::write(&bad_addr, "rest-addr = \"localhost\"\n").unwrap();
    let unknown = unknown.to_str().unwrap();
    let bad_addr = bad_addr.to_str().unwrap();

    // (flags, environment, what the message must name)
    type Case<'a> = (&'a [&'a str], &'a [(&'a str, &'a str)], &'a str);
    let cases: &[Case] = &[
        (&["--config", unknown], &[], "rest_adr"),
        (&["--config", bad_addr], &[], "addr.toml"),
        (&["--config", "missing.toml"], &[], "missing.toml"),
        (&["--rest-addr", "nowhere"], &[], "--rest-addr"),
        (&["--kmip-addr", "127.0.0.1:99999"], &[], "--kmip-addr"),
        (&[], &[("KMS_REST_ADDR", "nowhere")], "nowhere"),
        (&["--tls-cert", "server.pem"], &[], "--client-ca"),
        (&["--store", "sqlite:"], &[], "store"),
        (&["--max-connections", "0"], &[], "max-connections"),
        (&["--log-level", "verbose"], &[], "verbose"),
        (&["--log-format", "xml"], &[], "xml"),
        (&["--no-such-flag"], &[], "--no-such-flag"),
    ];
    for (args, env, needle) in cases {
        let out = run(&sandbox.root, args, env);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{args:?} {env:?}: stderr:\n{stderr}"
        );
        assert!(
            stderr.contains(needle),
            "{args:?} {env:?}: {needle:?} not in:\n{stderr}"
        );
    }
    assert!(
        !sandbox.path("kms-data").exists(),
        "a refused configuration creates nothing"
    );
}

#[test]
fn operator_tls_files_replace_the_development_pki() {
    let sandbox = Sandbox::new("tlsfiles");
    let dev_root = sandbox.path("dev");
    let prod_root = sandbox.path("prod");
    fs::create_dir_all(&dev_root).unwrap();
    fs::create_dir_all(&prod_root).unwrap();
    let mut dev = Server::start(&dev_root, &[], &[]);
    dev.stop();
    let pki = dev_root.join("kms-data/pki");
    let file = |name: &str| pki.join(name).to_str().unwrap().to_owned();
    let (cert, key, ca) = (file("server.pem"), file("server.key"), file("ca.pem"));
    let mut prod = Server::start_with_pki(
        &prod_root,
        &pki,
        &["--tls-cert", &cert, "--tls-key", &key, "--client-ca", &ca],
        &[],
    );
    assert!(
        !prod_root.join("kms-data/pki").exists(),
        "no development PKI"
    );
    assert!(prod_root.join("kms-data/master.key").exists());
    assert!(!prod.stdout().contains("curl "), "no banner");
    let id = prod.create_key(AES_KEY);
    let r = prod.request("GET", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    prod.stop();

    // A server key that does not parse, or a file that is missing, is the operator's
    // configuration: status 2, and nothing written.
    let refused_root = sandbox.path("refused");
    fs::create_dir_all(&refused_root).unwrap();
    let bad = refused_root.join("bad.key");
    fs::write(&bad, "not a key\n").unwrap();
    let bad = bad.to_str().unwrap();
    for (cert, key, needle) in [
        (cert.as_str(), bad, "server key"),
        ("missing.pem", key.as_str(), "missing.pem"),
    ] {
        let out = run(
            &refused_root,
            &[
                "--rest-addr",
                "127.0.0.1:0",
                "--tls-cert",
                cert,
                "--tls-key",
                key,
                "--client-ca",
                &ca,
            ],
            &[],
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(needle), "{needle:?} not in: {stderr}");
        assert!(!refused_root.join("kms-data").exists(), "nothing written");
    }
}

#[test]
fn logs_carry_a_request_id_and_no_key_material() {
    let sandbox = Sandbox::new("logs");
    let mut server = Server::start(
        &sandbox.root,
        &["--log-level", "debug", "--log-format", "json"],
        &[],
    );
    let key = server.create_key(AES_KEY);
    let secret = b"the launch codes are 0000 0000";
    let plaintext = base64(secret);
    let ciphertext = encrypt(&server, &key, &plaintext, "logs");
    assert_eq!(decrypt(&server, &key, &ciphertext, "logs"), plaintext);
    let r = server.request(
        "POST",
        &format!("/v1/servicekey/{key}/datakey"),
        Some(r#"{"name":"dk","size":256}"#),
    );
    assert!(
        r.status == 200 || r.status == 201,
        "datakey: {} {}",
        r.status,
        r.body
    );
    let data_key = r.json()["plaintext"]
        .as_str()
        .expect("plaintext")
        .to_owned();

    // The request id the server answered with is in its logs.
    let headers = sandbox.path("headers.txt");
    let out = server
        .curl_command("GET", &format!("/v1/servicekey/{key}"))
        .arg("-D")
        .arg(&headers)
        .output()
        .expect("curl");
    assert_eq!(parse_curl(&out).status, 200);
    let headers = fs::read_to_string(headers).unwrap();
    let request_id = headers
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("x-request-id")
                .then(|| value.trim().to_owned())
        })
        .unwrap_or_else(|| panic!("no X-Request-Id in:\n{headers}"));
    server.stop();

    let logs = server.stderr();
    for line in logs.lines() {
        let _: serde_json::Value = serde_json::from_str(line)
            .unwrap_or_else(|e| panic!("a log line that is not JSON ({e}): {line}"));
    }
    assert!(
        logs.contains(&request_id),
        "request id {request_id} not in the logs:\n{logs}"
    );
    let data = sandbox.path("kms-data");
    let master_key = fs::read(data.join("master.key")).unwrap();
    let admin_key = fs::read_to_string(data.join("pki/admin.key")).unwrap();
    let admin_key_body = admin_key.lines().nth(1).expect("a PEM body line");
    let password = fs::read_to_string(data.join("pki/admin.p12.password")).unwrap();
    for (what, needle) in [
        ("plaintext (base64)", plaintext.as_str()),
        ("plaintext", std::str::from_utf8(secret).unwrap()),
        ("data key (base64)", data_key.as_str()),
        ("master key (base64)", &base64(&master_key)),
        ("admin key (PEM)", admin_key_body),
        ("PKCS#12 password", password.trim()),
    ] {
        assert_eq!(logs.matches(needle).count(), 0, "{what} found in the logs");
    }
}

#[test]
fn text_logs_name_the_listener_and_the_request() {
    let sandbox = Sandbox::new("textlogs");
    let mut server = Server::start(&sandbox.root, &[], &[]);
    let r = server.request("GET", "/v1/servicekey", None);
    assert_eq!(r.status, 200, "{}", r.body);
    server.stop();
    let logs = server.stderr();
    let listening = logs
        .lines()
        .find(|l| l.contains("REST API listening"))
        .expect("listening line");
    assert_eq!(field(listening, "rest_addr"), Some(server.addr.to_string()));
    assert!(logs.contains("request_id"), "{logs}");
    assert!(logs.contains("KMIP"), "the KMIP listener's state is logged");
}

#[test]
fn a_postgres_store_keeps_keys_across_restarts() {
    let Ok(url) = std::env::var("KMS_TEST_POSTGRES_URL") else {
        eprintln!("skipped: KMS_TEST_POSTGRES_URL not set");
        return;
    };
    // A schema of its own, picked by the connection's search_path.
    let schema = format!(
        "kms_server_{}_{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos()
    );
    psql(&url, &format!("CREATE SCHEMA {schema}"));
    // Dropped however the test ends.
    struct DropSchema<'a>(&'a str, &'a str);
    impl Drop for DropSchema<'_> {
        fn drop(&mut self) {
            psql(self.0, &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.1));
        }
    }
    let _cleanup = DropSchema(&url, &schema);
    let sep = if url.contains('?') { '&' } else { '?' };
    let store = format!("{url}{sep}options=-csearch_path%3D{schema}");

    let sandbox = Sandbox::new("postgres");
    let mut first = Server::start(&sandbox.root, &["--store", &store], &[]);
    let key = first.create_key(AES_KEY);
    let plaintext = base64(b"in postgres");
    let ciphertext = encrypt(&first, &key, &plaintext, "pg");
    first.stop();
    assert!(!sandbox.path("kms-data/kms.db").exists(), "no SQLite file");
    assert!(first.stderr().contains("postgres"), "the store is logged");

    let mut second = Server::start(&sandbox.root, &["--store", &store], &[]);
    assert_eq!(decrypt(&second, &key, &ciphertext, "pg"), plaintext);
    second.stop();
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql")
        .env("PGOPTIONS", "--client-min-messages=warning")
        .arg(url)
        .args(["-q", "-c", sql])
        .status()
        .expect("run psql");
    assert!(status.success(), "psql {sql}");
}

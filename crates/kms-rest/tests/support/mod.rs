//! A REST server on loopback for integration tests: a development PKI from
//! `kms_tls::pki`, a SQLite store in a temporary directory, [`kms_rest::serve`] on its
//! own runtime thread, and `curl` as the client (real mTLS, HTTP/2 by ALPN or
//! HTTP/1.1).
//!
//! Clients (certificate and key in the server's directory):
//! - `alice`: domain [`DOMAIN_A`]; `alice2`: a second certificate of the same domain;
//! - `bob`: domain [`DOMAIN_B`];
//! - `carol`: no domain (owner `cn:carol`, `/v1` paths only);
//! - `mallory`: domain [`DOMAIN_A`] but issued by another CA.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::thread::JoinHandle;

use kms_rest::RestConfig;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{ObjectId, Store, StoreConfig};
use kms_tls::pki::{ClientValidity, Issued};
use serde_json::Value;

/// The domain of `alice` and `alice2`.
pub const DOMAIN_A: &str = "6d3a8c2e-5b1f-4c3a-9e7d-2f1b0a9c8d7e";
/// The domain of `bob`.
pub const DOMAIN_B: &str = "0f9e8d7c-6b5a-4938-8271-605f4e3d2c1b";

/// A running server.
pub struct TestServer {
    /// Its port on 127.0.0.1.
    pub port: u16,
    /// Its directory: PEM files, the database.
    pub dir: PathBuf,
    /// The server's store, to look at what the API does not show (a pair's public half).
    pub store: Store<SqliteBackend>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

/// What curl got back.
#[derive(Debug)]
pub struct Answer {
    /// The HTTP status; 0 when there was no HTTP answer (handshake refused, connection
    /// closed).
    pub status: u16,
    /// The body.
    pub body: String,
    /// The response headers, lower-cased names.
    pub headers: Vec<(String, String)>,
    /// curl's exit code.
    pub curl_exit: i32,
}

impl Answer {
    /// The body as JSON (panics when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?} (status {})", self.body, self.status))
    }

    /// A response header.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Asserts an OVHcloud error body with this status: `error_code` packed for the
    /// REST system, `errors` non-empty, `request_id` equal to the `X-Request-Id` header.
    pub fn assert_error(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(self.header("content-type"), Some("application/json"));
        let body = self.json();
        let code = body["error_code"].as_u64().expect("error_code");
        assert_eq!(code >> 24, 3, "system REST");
        let errors = body["errors"].as_array().expect("errors");
        assert!(!errors.is_empty());
        let request_id = body["request_id"].as_str().expect("request_id");
        assert_eq!(Some(request_id), self.header("x-request-id"));
        body
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

fn write_issued(dir: &Path, name: &str, issued: &Issued) {
    write(dir, &format!("{name}.pem"), &issued.cert_pem);
    write(dir, &format!("{name}.key"), &issued.key_pem);
}

impl TestServer {
    /// A server with the default configuration.
    pub fn start() -> TestServer {
        TestServer::start_with(RestConfig::default())
    }

    /// A server with `config`.
    pub fn start_with(config: RestConfig) -> TestServer {
        let dir = std::env::temp_dir().join(format!("kms-rest-test-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir).unwrap();

        let ca = kms_tls::new_ca("kms-rest test CA").unwrap();
        let server = ca
            .issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 30)
            .unwrap();
        write(&dir, "ca.pem", ca.cert_pem());
        let days = ClientValidity::days(30);
        for (name, domain) in [
            ("alice", Some(DOMAIN_A)),
            ("alice2", Some(DOMAIN_A)),
            ("bob", Some(DOMAIN_B)),
            ("carol", None),
        ] {
            write_issued(&dir, name, &ca.issue_client(name, domain, days).unwrap());
        }
        let other_ca = kms_tls::new_ca("another CA").unwrap();
        write_issued(
            &dir,
            "mallory",
            &other_ca
                .issue_client("mallory", Some(DOMAIN_A), days)
                .unwrap(),
        );

        let tls = kms_tls::server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        )
        .unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let db = dir.join("kms.db");
        let (store_tx, store_rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                let backend = SqliteBackend::open(&db).unwrap();
                let store = Store::new(
                    backend,
                    Box::new(MasterKey::generate().unwrap()),
                    StoreConfig::default(),
                );
                store_tx.send(store.clone()).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                kms_rest::serve(listener, Arc::clone(&tls), store, config, async {
                    let _ = rx.await;
                })
                .await
                .unwrap();
            });
        });
        let store = store_rx.recv().unwrap();
        TestServer {
            port,
            dir,
            store,
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    /// Runs `f` (calls on [`TestServer::store`]) to completion.
    pub fn run<F: std::future::Future>(&self, f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    /// The URL of `path`.
    pub fn url(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.port)
    }

    /// `method path` as `who`, with a JSON `body` if any.
    pub fn call(&self, who: &str, method: &str, path: &str, body: Option<&str>) -> Answer {
        let mut args: Vec<String> = Vec::new();
        if let Some(body) = body {
            let file = self.dir.join(format!("body-{}", ObjectId::generate()));
            std::fs::write(&file, body).unwrap();
            args.extend([
                "-H".into(),
                "content-type: application/json".into(),
                "--data-binary".into(),
                format!("@{}", file.display()),
            ]);
        }
        self.curl(who, method, path, &args)
    }

    /// curl with extra arguments (`-H`, `--data-binary`, `--http1.1`, ...).
    pub fn curl(&self, who: &str, method: &str, path: &str, extra: &[String]) -> Answer {
        let id = ObjectId::generate();
        let body_file = self.dir.join(format!("out-{id}"));
        let header_file = self.dir.join(format!("hdr-{id}"));
        let mut cmd = Command::new("curl");
        cmd.args(["-sS", "--max-time", "30", "--cacert"])
            .arg(self.dir.join("ca.pem"));
        if !who.is_empty() {
            cmd.arg("--cert")
                .arg(self.dir.join(format!("{who}.pem")))
                .arg("--key")
                .arg(self.dir.join(format!("{who}.key")));
        }
        cmd.args(["-X", method, "-o"])
            .arg(&body_file)
            .arg("-D")
            .arg(&header_file)
            .args(["-w", "%{http_code}"])
            .args(extra)
            .arg(self.url(path));
        let out = cmd.output().expect("curl must be installed");
        let status = String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse()
            .unwrap_or(0);
        let body = std::fs::read_to_string(&body_file).unwrap_or_default();
        let headers = std::fs::read_to_string(&header_file)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        let _ = std::fs::remove_file(&body_file);
        let _ = std::fs::remove_file(&header_file);
        Answer {
            status,
            body,
            headers,
            curl_exit: out.status.code().unwrap_or(-1),
        }
    }

    /// Creates a key and returns its id (asserts 201).
    pub fn create(&self, who: &str, body: &str) -> String {
        let a = self.call(who, "POST", "/v1/servicekey", Some(body));
        assert_eq!(a.status, 201, "create {body}: {}", a.body);
        a.json()["id"].as_str().unwrap().to_owned()
    }

    /// Every key `who` lists with `query` (following continuation tokens).
    pub fn list_all(&self, who: &str, query: &str) -> Vec<Value> {
        let mut out = Vec::new();
        let mut token = String::new();
        for _ in 0..1000 {
            let sep = if query.is_empty() { "" } else { "&" };
            let path = if token.is_empty() {
                format!("/v1/servicekey?{query}")
            } else {
                format!("/v1/servicekey?{query}{sep}continuation-token={token}")
            };
            let a = self.call(who, "GET", &path, None);
            assert_eq!(a.status, 200, "{}", a.body);
            let page = a.json();
            out.extend(page["objects_list"].as_array().unwrap().iter().cloned());
            if !page["is_truncated"].as_bool().unwrap() {
                return out;
            }
            token = page["continuation_token"].as_str().unwrap().to_owned();
        }
        panic!("pagination does not end");
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs a Python 3 script (with the `cryptography` package) and returns its stdout.
pub fn python(script: &str, args: &[&str]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 must be installed");
    assert!(
        out.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

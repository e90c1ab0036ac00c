//! A fresh server per test file (SQLite store in a temporary directory, certificates
//! from `kms_tls::pki`), one mTLS connection, and the replay of the file's conversation.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use kmip_ttlv::xml::{self, MessageKind, TestMessage, XmlOptions};
use kmip_ttlv::{FrameHeader, HEADER_LEN, Limits, Ttlv};
use kms_kmip::KmipConfig;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{Store, StoreConfig};
use kms_tls::ClientValidity;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;

use crate::compare::{self, Bindings};

/// Time allowed for one response.
const RESPONSE_TIMEOUT: Duration = Duration::from_secs(30);

/// Server and client TLS configurations from one test CA.
pub struct Pki {
    server: Arc<rustls::ServerConfig>,
    client: Arc<rustls::ClientConfig>,
}

impl Pki {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate (`conformance`,
    /// the owner of everything the tests create).
    pub fn new() -> Result<Pki, String> {
        let err = |e: &dyn std::fmt::Display| e.to_string();
        let ca = kms_tls::new_ca("kms-kmip conformance CA").map_err(|e| err(&e))?;
        let server = ca
            .issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 30)
            .map_err(|e| err(&e))?;
        let client = ca
            .issue_client("conformance", None, ClientValidity::days(30))
            .map_err(|e| err(&e))?;
        let server_tls = kms_tls::server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            Vec::new(),
        )
        .map_err(|e| err(&e))?;
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from(ca.cert_der().to_vec()))
            .map_err(|e| err(&e))?;
        let key: PrivateKeyDer<'static> = client.private_key_der().map_err(|e| err(&e))?;
        let client_tls = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .map_err(|e| err(&e))?
        .with_root_certificates(roots)
        .with_client_auth_cert(vec![CertificateDer::from(client.cert_der.clone())], key)
        .map_err(|e| err(&e))?;
        Ok(Pki {
            server: server_tls,
            client: Arc::new(client_tls),
        })
    }
}

/// Parses a corpus file with placeholders marked (see [`compare::mark_placeholder`]).
pub fn load(corpus: &Path, relative: &str) -> Result<Vec<TestMessage>, String> {
    let text = kmip_vectors::read_file(corpus, relative)?;
    let collapse = kmip_vectors::WHITESPACE_DAMAGED
        .iter()
        .any(|f| relative.starts_with(f));
    let options = XmlOptions::new()
        .with_collapse_whitespace(collapse)
        .with_placeholder(&compare::mark_placeholder);
    xml::parse_test_case(&text, &options).map_err(|e| format!("parse: {e}"))
}

static NEXT_DIR: AtomicUsize = AtomicUsize::new(0);

fn temp_dir() -> PathBuf {
    std::env::temp_dir().join(format!(
        "kms-kmip-conformance-{}-{}",
        std::process::id(),
        NEXT_DIR.fetch_add(1, Ordering::Relaxed)
    ))
}

/// Files that work on objects an earlier file of the same profile left on the server:
/// `(this file's prefix, the earlier file's prefix)`, both followed by the same version
/// digits. SASED-M-3 locates the secret data SASED-M-2 registered (Object Group
/// `SASED-M-2-<v>-group`), TL-M-3 the key TL-M-2 created (its Application Specific
/// Information), TC-CREG-2 and -3 the keys and certificates TC-CREG-1 registered. The
/// kmip-go copies spell the prefixes with underscores and add a title after the version.
const PREREQUISITES: &[(&str, &str)] = &[
    ("SASED-M-3-", "SASED-M-2-"),
    ("TL-M-3-", "TL-M-2-"),
    ("SASED_M_3_", "SASED_M_2_"),
    ("TL_M_3_", "TL_M_2_"),
    ("TC-CREG-2-", "TC-CREG-1-"),
    ("TC-CREG-3-", "TC-CREG-1-"),
];

/// The earlier file `relative` needs on the same server, if any.
fn prerequisite(corpus: &Path, relative: &str) -> Option<String> {
    let (folder, file) = relative.rsplit_once('/')?;
    PREREQUISITES.iter().find_map(|(this, earlier)| {
        let rest = file.strip_prefix(this)?;
        let version: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let wanted = format!("{earlier}{version}");
        let mut names: Vec<String> = std::fs::read_dir(corpus.join(folder))
            .ok()?
            .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
            .filter(|name| {
                name.strip_prefix(&wanted)
                    .is_some_and(|tail| !tail.starts_with(|c: char| c.is_ascii_digit()))
            })
            .collect();
        names.sort();
        names.first().map(|name| format!("{folder}/{name}"))
    })
}

/// Runs one file against a fresh server; the error is the first difference.
pub async fn run_file(pki: &Pki, corpus: &Path, relative: &str) -> Result<(), String> {
    let mut conversations = Vec::new();
    if let Some(earlier) = prerequisite(corpus, relative) {
        conversations.push((Some(earlier.clone()), load(corpus, &earlier)?));
    }
    conversations.push((None, load(corpus, relative)?));
    let dir = temp_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("temp dir: {e}"))?;
    let result = run_in(pki, &dir, &conversations).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Runs the conversations in order on one server, each on its own connection.
async fn run_in(
    pki: &Pki,
    dir: &Path,
    conversations: &[(Option<String>, Vec<TestMessage>)],
) -> Result<(), String> {
    let backend = SqliteBackend::open(&dir.join("kms.db")).map_err(|e| format!("store: {e}"))?;
    let master = MasterKey::generate().map_err(|e| format!("master key: {e}"))?;
    let store = Store::new(backend, Box::new(master), StoreConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .map_err(|e| format!("bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| format!("bind: {e}"))?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let tls = Arc::clone(&pki.server);
    let server = tokio::spawn(async move {
        kms_kmip::serve(listener, tls, store, KmipConfig::default(), async {
            let _ = stopped.await;
        })
        .await
    });

    let mut result = Ok(());
    let mut bindings = Bindings::default();
    for (earlier, messages) in conversations {
        bindings = bindings.next_conversation();
        result = converse(pki, addr, messages, &mut bindings)
            .await
            .map_err(|e| match earlier {
                Some(file) => format!("prerequisite {file}: {e}"),
                None => e,
            });
        if result.is_err() {
            break;
        }
    }

    let _ = stop.send(());
    match tokio::time::timeout(Duration::from_secs(30), server).await {
        Ok(Ok(Ok(()))) => result,
        Ok(Ok(Err(e))) => result.and(Err(format!("serve: {e}"))),
        Ok(Err(e)) => result.and(Err(format!("server task: {e}"))),
        Err(_) => result.and(Err("server did not shut down within 30 s".to_owned())),
    }
}

async fn converse(
    pki: &Pki,
    addr: std::net::SocketAddr,
    messages: &[TestMessage],
    bindings: &mut Bindings,
) -> Result<(), String> {
    let tcp = TcpStream::connect(addr)
        .await
        .map_err(|e| format!("connect: {e}"))?;
    let name = ServerName::try_from("localhost").map_err(|e| e.to_string())?;
    let mut tls = TlsConnector::from(Arc::clone(&pki.client))
        .connect(name, tcp)
        .await
        .map_err(|e| format!("TLS handshake: {e}"))?;
    let limits = Limits::DEFAULT;
    let mut pending: Option<(Ttlv, usize)> = None;
    for message in messages {
        match message.kind {
            MessageKind::Request => {
                let request = bindings
                    .bind_request(&message.message, unix_now())
                    .map_err(|e| format!("line {}: {e}", message.line))?;
                let bytes = request
                    .to_bytes()
                    .map_err(|e| format!("line {}: encode: {e}", message.line))?;
                tls.write_all(&bytes)
                    .await
                    .map_err(|e| format!("line {}: send: {e}", message.line))?;
                pending = Some((request, message.line));
            }
            MessageKind::Response => {
                let Some((request, line)) = pending.take() else {
                    return Err(format!("line {}: response without request", message.line));
                };
                let actual =
                    tokio::time::timeout(RESPONSE_TIMEOUT, read_message(&mut tls, &limits))
                        .await
                        .map_err(|_| format!("line {line}: no response within 30 s"))?
                        .map_err(|e| format!("line {line}: {e}"))?;
                bindings
                    .compare_response(&request, &message.message, &actual)
                    .map_err(|e| format!("line {}: {e}", message.line))?;
            }
        }
    }
    let _ = tls.shutdown().await;
    Ok(())
}

async fn read_message<S: AsyncReadExt + Unpin>(
    stream: &mut S,
    limits: &Limits,
) -> Result<Ttlv, String> {
    let mut header = [0u8; HEADER_LEN];
    stream
        .read_exact(&mut header)
        .await
        .map_err(|e| format!("read response header: {e}"))?;
    let frame = FrameHeader::parse(&header, limits).map_err(|e| format!("response header: {e}"))?;
    let mut message = vec![0u8; frame.message_len()];
    let (head, body) = message.split_at_mut(HEADER_LEN);
    head.copy_from_slice(&header);
    stream
        .read_exact(body)
        .await
        .map_err(|e| format!("read response: {e}"))?;
    kmip_ttlv::decode_message(&message, limits).map_err(|e| format!("decode response: {e}"))
}

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

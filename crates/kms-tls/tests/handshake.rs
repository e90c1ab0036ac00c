//! The mTLS policy over real loopback TCP (RELIABILITY checks 3 and 18): rustls and
//! `openssl s_client` clients against [`kms_tls::accept`] with [`kms_tls::server_config`].

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use kms_tls::pki::{CertificateAuthority, ClientCertSpec, ClientEku, ClientValidity, Issued};
use kms_tls::{ALLOWED_CIPHER_SUITES, ClientIdentity, ConnectionLimit, TlsError, new_ca};
use rustls::crypto::CryptoProvider;
use rustls::crypto::ring::{cipher_suite, default_provider};
use rustls::{
    CertificateError, ClientConfig, HandshakeKind, ProtocolVersion, RootCertStore,
    SupportedProtocolVersion,
};
use rustls_pki_types::ServerName;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio_rustls::{TlsAcceptor, TlsConnector};

const UUID: &str = "0b8e7f2a-53c1-4d0e-9a7b-3c2d1e0f9a8b";
const GREETING: &[u8] = b"hello";
/// How long a test waits for the server to report a connection's outcome.
const REPORT_WAIT: Duration = Duration::from_secs(10);
const TLS13: &[&SupportedProtocolVersion] = &[&rustls::version::TLS13];
const TLS12: &[&SupportedProtocolVersion] = &[&rustls::version::TLS12];

/// A CA and a server certificate for `localhost` signed by it.
struct Pki {
    ca: CertificateAuthority,
    server: Issued,
}

impl Pki {
    fn new() -> Pki {
        let ca = new_ca("handshake test CA").unwrap();
        let server = ca
            .issue_server(&["localhost"], &["127.0.0.1".parse().unwrap()], 1)
            .unwrap();
        Pki { ca, server }
    }

    fn acceptor(&self) -> TlsAcceptor {
        let config = kms_tls::server_config(
            self.server.cert_pem.as_bytes(),
            self.server.key_pem.as_bytes(),
            self.ca.cert_pem().as_bytes(),
            vec![b"h2".to_vec(), b"http/1.1".to_vec()],
        )
        .unwrap();
        TlsAcceptor::from(config)
    }

    fn client(&self, spec: &ClientCertSpec) -> Issued {
        self.ca.issue_client_custom(spec).unwrap()
    }
}

/// An accept loop like a frontend's: a cap checked without waiting, one task per
/// connection running [`kms_tls::accept`]. Each outcome is reported on a channel; an
/// accepted client is sent [`GREETING`] and the connection closed.
struct Server {
    addr: SocketAddr,
    outcomes: mpsc::UnboundedReceiver<Result<ClientIdentity, TlsError>>,
    refused_over_cap: Arc<AtomicUsize>,
}

impl Server {
    async fn start(pki: &Pki, limit: ConnectionLimit, timeout: Duration) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let acceptor = pki.acceptor();
        let (tx, outcomes) = mpsc::unbounded_channel();
        let refused_over_cap = Arc::new(AtomicUsize::new(0));
        let refused = refused_over_cap.clone();
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else {
                    continue;
                };
                let Some(permit) = limit.try_acquire() else {
                    refused.fetch_add(1, Ordering::SeqCst);
                    drop(tcp);
                    continue;
                };
                let acceptor = acceptor.clone();
                let tx = tx.clone();
                tokio::spawn(async move {
                    let _permit = permit;
                    let outcome = match kms_tls::accept(&acceptor, tcp, timeout).await {
                        Ok((mut tls, identity)) => {
                            let _ = tls.write_all(GREETING).await;
                            let _ = tls.shutdown().await;
                            Ok(identity)
                        }
                        Err(e) => Err(e),
                    };
                    let _ = tx.send(outcome);
                });
            }
        });
        Server {
            addr,
            outcomes,
            refused_over_cap,
        }
    }

    async fn one(pki: &Pki) -> Server {
        Server::start(pki, ConnectionLimit::new(64), Duration::from_secs(5)).await
    }

    async fn outcome(&mut self) -> Result<ClientIdentity, TlsError> {
        tokio::time::timeout(REPORT_WAIT, self.outcomes.recv())
            .await
            .expect("the server reports every connection")
            .expect("the accept loop runs")
    }
}

fn roots(pki: &Pki) -> RootCertStore {
    let mut roots = RootCertStore::empty();
    roots
        .add(rustls_pki_types::CertificateDer::from(
            pki.ca.cert_der().to_vec(),
        ))
        .unwrap();
    roots
}

fn client_config(
    pki: &Pki,
    cert: Option<&Issued>,
    provider: CryptoProvider,
    versions: &[&'static SupportedProtocolVersion],
) -> Arc<ClientConfig> {
    let builder = ClientConfig::builder_with_provider(Arc::new(provider))
        .with_protocol_versions(versions)
        .unwrap()
        .with_root_certificates(roots(pki));
    let mut config = match cert {
        Some(cert) => builder
            .with_client_auth_cert(
                vec![cert.certificate_der()],
                cert.private_key_der().unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec()];
    Arc::new(config)
}

/// What the client saw: the negotiated version, suite and ALPN, and what it read.
#[derive(Debug)]
struct Session {
    version: ProtocolVersion,
    suite: rustls::CipherSuite,
    alpn: Option<Vec<u8>>,
    kind: Option<HandshakeKind>,
    read: Vec<u8>,
}

async fn connect(addr: SocketAddr, config: Arc<ClientConfig>) -> std::io::Result<Session> {
    let tcp = TcpStream::connect(addr).await?;
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = TlsConnector::from(config).connect(name, tcp).await?;
    let (_, conn) = tls.get_ref();
    let version = conn.protocol_version().unwrap();
    let suite = conn.negotiated_cipher_suite().unwrap().suite();
    let alpn = conn.alpn_protocol().map(<[u8]>::to_vec);
    let kind = conn.handshake_kind();
    let mut read = Vec::new();
    tls.read_to_end(&mut read).await?;
    Ok(Session {
        version,
        suite,
        alpn,
        kind,
        read,
    })
}

/// Connects with `cert` over `versions`, expects the server to refuse the handshake, and
/// returns the server's reason.
async fn refused(
    pki: &Pki,
    cert: Option<&Issued>,
    versions: &[&'static SupportedProtocolVersion],
) -> rustls::Error {
    let mut server = Server::one(pki).await;
    let client = connect(
        server.addr,
        client_config(pki, cert, default_provider(), versions),
    )
    .await;
    // In TLS 1.3 the client finishes its side before the server has checked its
    // certificate, so the refusal shows as an alert on the first read.
    assert!(
        client.as_ref().map_or(true, |s| s.read != GREETING),
        "client got through: {client:?}"
    );
    let err = server
        .outcome()
        .await
        .expect_err("the server refuses the client");
    err.rustls_error()
        .unwrap_or_else(|| panic!("not a TLS refusal: {err:?}"))
        .clone()
}

#[tokio::test]
async fn valid_client_gets_its_identity_over_tls13() {
    let pki = Pki::new();
    let mut server = Server::one(&pki).await;
    let cert = pki
        .ca
        .issue_client("alice", Some(UUID), ClientValidity::days(1))
        .unwrap();
    let session = connect(
        server.addr,
        client_config(&pki, Some(&cert), default_provider(), TLS13),
    )
    .await
    .unwrap();
    let identity = server.outcome().await.unwrap();
    assert_eq!(identity.common_name, "alice");
    assert_eq!(identity.domain.as_deref(), Some(UUID));
    assert_eq!(session.read, GREETING);
    assert_eq!(session.version, ProtocolVersion::TLSv1_3);
    assert!(ALLOWED_CIPHER_SUITES.contains(&session.suite));
    assert_eq!(session.alpn.as_deref(), Some(&b"h2"[..]));
}

#[tokio::test]
async fn every_connection_is_a_full_handshake() {
    let pki = Pki::new();
    let cert = pki.client(&ClientCertSpec::new("again"));
    for versions in [TLS13, TLS12] {
        let mut server = Server::one(&pki).await;
        // One client config, so a session it cached would be offered for resumption.
        let config = client_config(&pki, Some(&cert), default_provider(), versions);
        for _ in 0..2 {
            let session = connect(server.addr, config.clone()).await.unwrap();
            assert_eq!(session.kind, Some(HandshakeKind::Full), "{versions:?}");
            assert_eq!(server.outcome().await.unwrap().common_name, "again");
        }
    }
}

#[tokio::test]
async fn tls12_client_with_ecdhe_aead_suites_is_accepted() {
    let pki = Pki::new();
    let cert = pki.client(&ClientCertSpec::new("bob"));
    for suite in [
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ] {
        let mut server = Server::one(&pki).await;
        let provider = CryptoProvider {
            cipher_suites: vec![suite],
            ..default_provider()
        };
        let session = connect(
            server.addr,
            client_config(&pki, Some(&cert), provider, TLS12),
        )
        .await
        .unwrap();
        let identity = server.outcome().await.unwrap();
        assert_eq!(identity.common_name, "bob");
        assert_eq!(identity.domain, None);
        assert_eq!(session.version, ProtocolVersion::TLSv1_2);
        assert_eq!(session.suite, suite.suite());
        assert_eq!(session.read, GREETING);
    }
}

#[tokio::test]
async fn no_client_certificate_is_refused() {
    let pki = Pki::new();
    for versions in [TLS13, TLS12] {
        let err = refused(&pki, None, versions).await;
        assert_eq!(err, rustls::Error::NoCertificatesPresented, "{versions:?}");
    }
}

#[tokio::test]
async fn certificate_from_another_ca_is_refused() {
    let pki = Pki::new();
    let other = new_ca("another CA").unwrap();
    let cert = other
        .issue_client("mallory", None, ClientValidity::days(1))
        .unwrap();
    for versions in [TLS13, TLS12] {
        let err = refused(&pki, Some(&cert), versions).await;
        assert_eq!(
            err,
            rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer),
            "{versions:?}"
        );
    }
}

#[tokio::test]
async fn expired_and_not_yet_valid_certificates_are_refused() {
    let pki = Pki::new();
    let expired = pki.client(&ClientCertSpec::new("old").validity(ClientValidity::expired()));
    let early = pki.client(&ClientCertSpec::new("early").validity(ClientValidity::not_yet_valid()));
    for versions in [TLS13, TLS12] {
        let err = refused(&pki, Some(&expired), versions).await;
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(
                    CertificateError::Expired | CertificateError::ExpiredContext { .. }
                )
            ),
            "{err:?}"
        );
        let err = refused(&pki, Some(&early), versions).await;
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(
                    CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. }
                )
            ),
            "{err:?}"
        );
    }
}

#[tokio::test]
async fn certificate_without_client_auth_eku_is_refused() {
    let pki = Pki::new();
    let server_only = pki.client(&ClientCertSpec::new("s").eku(ClientEku::ServerAuthOnly));
    let no_eku = pki.client(&ClientCertSpec::new("n").eku(ClientEku::None));
    for versions in [TLS13, TLS12] {
        for cert in [&server_only, &no_eku] {
            let err = refused(&pki, Some(cert), versions).await;
            assert!(
                matches!(
                    err,
                    rustls::Error::InvalidCertificate(
                        CertificateError::InvalidPurpose
                            | CertificateError::InvalidPurposeContext { .. }
                    )
                ),
                "{err:?}"
            );
        }
    }
}

#[tokio::test]
async fn certificate_with_two_or_no_common_names_is_refused() {
    let pki = Pki::new();
    let two = pki.client(&ClientCertSpec::new("a").common_names(&["a", "b"]));
    let none = pki.client(&ClientCertSpec::new("a").common_names(&[]).domain(UUID));
    for versions in [TLS13, TLS12] {
        for (cert, count) in [(&two, 2), (&none, 0)] {
            let err = refused(&pki, Some(cert), versions).await;
            let rustls::Error::InvalidCertificate(CertificateError::Other(other)) = &err else {
                panic!("{err:?}");
            };
            assert!(
                matches!(
                    other.0.downcast_ref::<TlsError>(),
                    Some(TlsError::CommonNameCount(n)) if *n == count
                ),
                "{err:?}"
            );
        }
    }
}

#[tokio::test]
async fn malformed_domain_is_refused() {
    let pki = Pki::new();
    let cert = pki.client(&ClientCertSpec::new("a").domain("not-a-uuid"));
    let err = refused(&pki, Some(&cert), TLS13).await;
    let rustls::Error::InvalidCertificate(CertificateError::Other(other)) = &err else {
        panic!("{err:?}");
    };
    assert!(matches!(
        other.0.downcast_ref::<TlsError>(),
        Some(TlsError::MalformedDomain(_))
    ));
}

#[tokio::test]
async fn silent_client_is_dropped_after_the_timeout() {
    let pki = Pki::new();
    let timeout = Duration::from_millis(300);
    let mut server = Server::start(&pki, ConnectionLimit::new(8), timeout).await;
    let started = Instant::now();
    let mut tcp = TcpStream::connect(server.addr).await.unwrap();
    let err = server.outcome().await.unwrap_err();
    let elapsed = started.elapsed();
    assert!(
        matches!(err, TlsError::HandshakeTimeout(t) if t == timeout),
        "{err:?}"
    );
    assert!(elapsed >= timeout && elapsed < timeout * 5, "{elapsed:?}");
    // The server closed its end: the client reads end-of-file, not a hang.
    let mut buf = [0u8; 16];
    let n = tokio::time::timeout(Duration::from_secs(2), tcp.read(&mut buf))
        .await
        .expect("closed, not hanging")
        .unwrap_or(0);
    assert_eq!(n, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn handshake_succeeds_while_200_silent_connections_are_pending() {
    let pki = Pki::new();
    let timeout = Duration::from_secs(3);
    let mut server = Server::start(&pki, ConnectionLimit::new(1000), timeout).await;
    let mut silent = Vec::new();
    for _ in 0..200 {
        silent.push(TcpStream::connect(server.addr).await.unwrap());
    }
    let opened = Instant::now();
    let cert = pki.client(&ClientCertSpec::new("busy").domain(UUID));
    let config = client_config(&pki, Some(&cert), default_provider(), TLS13);
    let started = Instant::now();
    let session = connect(server.addr, config).await.unwrap();
    let took = started.elapsed();
    assert_eq!(session.read, GREETING);
    assert!(took < Duration::from_secs(1), "handshake took {took:?}");
    assert!(
        opened.elapsed() < timeout,
        "the silent connections were still pending during the handshake"
    );
    // The one success, then 200 timeouts.
    let mut ok = 0;
    let mut timed_out = 0;
    for _ in 0..201 {
        match server.outcome().await {
            Ok(identity) => {
                assert_eq!(identity.common_name, "busy");
                ok += 1;
            }
            Err(TlsError::HandshakeTimeout(_)) => timed_out += 1,
            Err(e) => panic!("{e:?}"),
        }
    }
    assert_eq!((ok, timed_out), (1, 200));
    for mut tcp in silent {
        let mut buf = [0u8; 1];
        assert_eq!(tcp.read(&mut buf).await.unwrap_or(0), 0);
    }
}

#[tokio::test]
async fn connections_over_the_cap_are_closed_and_accept_keeps_running() {
    let pki = Pki::new();
    let timeout = Duration::from_millis(500);
    let mut server = Server::start(&pki, ConnectionLimit::new(2), timeout).await;
    let _a = TcpStream::connect(server.addr).await.unwrap();
    let _b = TcpStream::connect(server.addr).await.unwrap();
    let mut over = TcpStream::connect(server.addr).await.unwrap();
    let mut buf = [0u8; 1];
    let n = tokio::time::timeout(Duration::from_millis(250), over.read(&mut buf))
        .await
        .expect("closed at once, well before the handshake timeout")
        .unwrap_or(0);
    assert_eq!(n, 0);
    assert_eq!(server.refused_over_cap.load(Ordering::SeqCst), 1);
    // Once the two silent ones time out, their slots free and a real client gets in.
    for _ in 0..2 {
        assert!(matches!(
            server.outcome().await,
            Err(TlsError::HandshakeTimeout(_))
        ));
    }
    let cert = pki.client(&ClientCertSpec::new("later"));
    let session = connect(
        server.addr,
        client_config(&pki, Some(&cert), default_provider(), TLS13),
    )
    .await
    .unwrap();
    assert_eq!(session.read, GREETING);
    assert_eq!(server.outcome().await.unwrap().common_name, "later");
}

/// PEM files for `openssl s_client`, removed on drop.
struct TempFiles(PathBuf);

impl TempFiles {
    fn new(pki: &Pki, client: &Issued) -> TempFiles {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kms-tls-handshake-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::SeqCst)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("ca.pem"), pki.ca.cert_pem()).unwrap();
        std::fs::write(dir.join("client.pem"), &client.cert_pem).unwrap();
        std::fs::write(dir.join("client.key"), client.key_pem.as_bytes()).unwrap();
        TempFiles(dir)
    }
}

impl Drop for TempFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn openssl_present() -> bool {
    let present = Command::new("openssl")
        .arg("version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !present {
        eprintln!("openssl not found: skipping");
    }
    present
}

/// Runs `openssl s_client` with the client certificate and `args`; returns whether it
/// exited successfully, its output, and the server's outcome.
async fn s_client(pki: &Pki, args: &[&str]) -> (bool, String, Result<ClientIdentity, TlsError>) {
    let mut server = Server::one(pki).await;
    let client = pki.client(&ClientCertSpec::new("openssl"));
    let files = TempFiles::new(pki, &client);
    let mut command = Command::new("openssl");
    command
        .arg("s_client")
        .arg("-connect")
        .arg(server.addr.to_string())
        .arg("-CAfile")
        .arg(files.0.join("ca.pem"))
        .arg("-cert")
        .arg(files.0.join("client.pem"))
        .arg("-key")
        .arg(files.0.join("client.key"))
        .args(args)
        .stdin(std::process::Stdio::null());
    let output = tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
        .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    let outcome = server.outcome().await;
    drop(files);
    (output.status.success(), text, outcome)
}

#[tokio::test]
async fn openssl_tls12_aead_client_is_accepted() {
    if !openssl_present() {
        return;
    }
    let pki = Pki::new();
    let (_, text, outcome) = s_client(
        &pki,
        &["-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256"],
    )
    .await;
    assert_eq!(outcome.unwrap().common_name, "openssl", "{text}");
    assert!(text.contains("ECDHE-ECDSA-AES128-GCM-SHA256"), "{text}");
}

#[tokio::test]
async fn openssl_tls11_and_tls10_get_no_handshake() {
    if !openssl_present() {
        return;
    }
    let pki = Pki::new();
    // SECLEVEL=0, else OpenSSL 3 refuses TLS 1.0/1.1 itself and never asks the server.
    for version in ["-tls1_1", "-tls1"] {
        let (ok, text, outcome) =
            s_client(&pki, &[version, "-cipher", "DEFAULT:@SECLEVEL=0"]).await;
        let err = outcome.expect_err(version);
        assert!(
            matches!(err.rustls_error(), Some(rustls::Error::PeerIncompatible(_))),
            "{version}: {err:?}\n{text}"
        );
        assert!(!ok, "{version}: {text}");
        assert!(
            !text.contains("BEGIN CERTIFICATE"),
            "{version}: the server sent its certificate"
        );
    }
}

#[tokio::test]
async fn openssl_tls12_suites_outside_the_allow_list_get_no_handshake() {
    if !openssl_present() {
        return;
    }
    let pki = Pki::new();
    for suite in [
        "ECDHE-ECDSA-AES128-SHA256",
        "ECDHE-ECDSA-AES256-SHA",
        "AES128-GCM-SHA256",
        "DHE-RSA-AES128-GCM-SHA256",
    ] {
        let (ok, text, outcome) = s_client(&pki, &["-tls1_2", "-cipher", suite]).await;
        let err = outcome.expect_err(suite);
        assert!(
            matches!(err.rustls_error(), Some(rustls::Error::PeerIncompatible(_))),
            "{suite}: {err:?}\n{text}"
        );
        assert!(!ok, "{suite}: {text}");
    }
}

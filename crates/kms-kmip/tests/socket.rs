//! The KMIP listener over real mutual TLS on loopback: a development PKI from
//! `kms_tls::pki`, a SQLite store in a temporary directory, [`kms_kmip::serve`] on its
//! own runtime thread, and a blocking rustls client.
//!
//! Covers framing (oversized and truncated frames), the request header rules (protocol
//! version, batch count and cap, error continuation, asynchronous indicator, maximum
//! response size, correlation value, batch item ids), Discover Versions and Query.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kmip_ttlv::Limits;
use kmip_types::attributes::{Attribute, AttributeValue, TemplateAttribute};
use kmip_types::payloads::{CreateRequest, DiscoverVersionsRequest, LocateRequest, QueryRequest};
use kmip_types::{
    BatchErrorContinuationOption, CryptographicAlgorithm, CryptographicUsageMask, KmipVersion,
    ObjectType, Operation, ProtocolVersion, QueryFunction, RequestBatchItem, RequestHeader,
    RequestMessage, RequestPayload, ResponseMessage, ResponsePayload, ResultReason, ResultStatus,
    Tag, Ttlv,
};
use kms_kmip::KmipConfig;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{ObjectId, Store, StoreConfig};
use kms_tls::pki::ClientValidity;
use rustls::pki_types::{CertificateDer, ServerName};

/// A running server and a client configuration trusted by it.
struct TestServer {
    port: u16,
    dir: PathBuf,
    client: Arc<rustls::ClientConfig>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl TestServer {
    fn start(config: KmipConfig) -> TestServer {
        let dir = std::env::temp_dir().join(format!("kms-kmip-test-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir).unwrap();
        let ca = kms_tls::new_ca("kms-kmip test CA").unwrap();
        let server = ca
            .issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 30)
            .unwrap();
        let alice = ca
            .issue_client("alice", None, ClientValidity::days(30))
            .unwrap();
        let tls = kms_tls::server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            Vec::new(),
        )
        .unwrap();
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from(ca.cert_der().to_vec()))
            .unwrap();
        let client = rustls::ClientConfig::builder_with_provider(Arc::new(
            kms_tls::policy::crypto_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![alice.certificate_der()],
            alice.private_key_der().unwrap(),
        )
        .unwrap();

        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let db = dir.join("kms.db");
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
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                kms_kmip::serve(listener, tls, store, config, async {
                    let _ = rx.await;
                })
                .await
                .unwrap();
            });
        });
        TestServer {
            port,
            dir,
            client: Arc::new(client),
            shutdown: Some(tx),
            thread: Some(thread),
        }
    }

    fn connect(&self) -> Client {
        self.try_connect().expect("a TLS connection")
    }

    /// A client after a completed handshake; `None` when the server closed the
    /// connection first.
    fn try_connect(&self) -> Option<Client> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let conn = rustls::ClientConnection::new(Arc::clone(&self.client), name).unwrap();
        let mut stream = rustls::StreamOwned::new(conn, tcp);
        while stream.conn.is_handshaking() {
            stream.conn.complete_io(&mut stream.sock).ok()?;
        }
        Some(Client { stream })
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

struct Client {
    stream: rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
}

impl Client {
    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
        self.stream.flush().unwrap();
    }

    /// The next response frame; `None` when the server closed the connection.
    fn receive(&mut self) -> Option<Vec<u8>> {
        let mut header = [0u8; 8];
        if self.stream.read_exact(&mut header).is_err() {
            return None;
        }
        let len = u32::from_be_bytes(header[4..8].try_into().unwrap()) as usize;
        let mut body = vec![0u8; 8 + len];
        body[..8].copy_from_slice(&header);
        self.stream.read_exact(&mut body[8..]).ok()?;
        Some(body)
    }

    fn call(&mut self, request: &RequestMessage) -> ResponseMessage {
        self.send(&request.to_bytes().unwrap());
        let bytes = self.receive().expect("a response");
        ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT).unwrap()
    }

    /// True when the server closes the connection (EOF or reset) before `within`.
    fn closed_within(&mut self, within: Duration) -> bool {
        self.stream.sock.set_read_timeout(Some(within)).unwrap();
        let mut byte = [0u8; 1];
        match self.stream.read(&mut byte) {
            Ok(0) => true,
            Ok(_) => false,
            Err(e) => !matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ),
        }
    }
}

fn header(version: KmipVersion, batch_count: i32) -> RequestHeader {
    RequestHeader {
        protocol_version: ProtocolVersion::of(version),
        maximum_response_size: None,
        client_correlation_value: None,
        server_correlation_value: None,
        asynchronous_indicator: None,
        attestation_capable_indicator: None,
        attestation_type: Vec::new(),
        authentication: None,
        batch_error_continuation_option: None,
        batch_order_option: None,
        time_stamp: None,
        batch_count,
    }
}

fn item(operation: Operation, payload: RequestPayload) -> RequestBatchItem {
    RequestBatchItem {
        operation,
        ephemeral: None,
        unique_batch_item_id: None,
        payload,
        message_extension: None,
    }
}

fn message(version: KmipVersion, items: Vec<RequestBatchItem>) -> RequestMessage {
    RequestMessage {
        header: header(version, i32::try_from(items.len()).unwrap()),
        batch_items: items,
    }
}

fn discover(versions: &[KmipVersion]) -> RequestBatchItem {
    item(
        Operation::DISCOVER_VERSIONS,
        RequestPayload::DiscoverVersions(Box::new(DiscoverVersionsRequest {
            protocol_versions: versions.iter().map(|v| ProtocolVersion::of(*v)).collect(),
        })),
    )
}

fn query(functions: &[QueryFunction]) -> RequestBatchItem {
    item(
        Operation::QUERY,
        RequestPayload::Query(Box::new(QueryRequest {
            query_functions: functions.to_vec(),
        })),
    )
}

fn unknown_operation() -> RequestBatchItem {
    item(
        Operation(0xFF),
        RequestPayload::Other(Ttlv::structure(Tag::REQUEST_PAYLOAD, Vec::new())),
    )
}

fn create_aes() -> RequestBatchItem {
    item(
        Operation::CREATE,
        RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute::new(vec![
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::AES,
                )),
                Attribute::new(AttributeValue::CryptographicLength(256)),
                Attribute::new(AttributeValue::CryptographicUsageMask(
                    CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
                )),
            ])),
            attributes: None,
            protection_storage_masks: None,
        })),
    )
}

fn all_versions() -> Vec<ProtocolVersion> {
    [
        KmipVersion::V1_4,
        KmipVersion::V1_3,
        KmipVersion::V1_2,
        KmipVersion::V1_1,
        KmipVersion::V1_0,
    ]
    .into_iter()
    .map(ProtocolVersion::of)
    .collect()
}

/// Asserts a failed item with `reason`.
#[track_caller]
fn assert_failed(response: &ResponseMessage, index: usize, reason: ResultReason) {
    let item = &response.batch_items[index];
    assert_eq!(
        item.result_status,
        ResultStatus::OPERATION_FAILED,
        "{item:?}"
    );
    assert_eq!(item.result_reason, Some(reason), "{item:?}");
}

#[test]
fn discover_versions_in_a_1_1_header_is_answered_in_1_1() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    // As OVHcloud's client asks: a 1.1 header listing 1.4 down to 1.0.
    let versions = [
        KmipVersion::V1_4,
        KmipVersion::V1_3,
        KmipVersion::V1_2,
        KmipVersion::V1_1,
        KmipVersion::V1_0,
    ];
    let r = c.call(&message(KmipVersion::V1_1, vec![discover(&versions)]));
    assert_eq!(
        r.header.protocol_version,
        ProtocolVersion::of(KmipVersion::V1_1)
    );
    assert_eq!(r.header.batch_count, 1);
    assert!(r.header.time_stamp.0 > 1_700_000_000);
    let item = &r.batch_items[0];
    assert_eq!(item.result_status, ResultStatus::SUCCESS, "{item:?}");
    assert_eq!(item.operation, Some(Operation::DISCOVER_VERSIONS));
    let Some(ResponsePayload::DiscoverVersions(p)) = &item.payload else {
        panic!("{item:?}");
    };
    assert_eq!(p.protocol_versions, all_versions());

    // No list: all of ours. A list without ours: none.
    let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
    let Some(ResponsePayload::DiscoverVersions(p)) = &r.batch_items[0].payload else {
        panic!("{r:?}");
    };
    assert_eq!(p.protocol_versions, all_versions());
    let r = c.call(&message(
        KmipVersion::V1_2,
        vec![discover(&[KmipVersion::V2_0])],
    ));
    let Some(ResponsePayload::DiscoverVersions(p)) = &r.batch_items[0].payload else {
        panic!("{r:?}");
    };
    assert!(p.protocol_versions.is_empty());
}

#[test]
fn query_lists_operations_objects_and_server_information() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let r = c.call(&message(
        KmipVersion::V1_4,
        vec![query(&[
            QueryFunction::QUERY_OPERATIONS,
            QueryFunction::QUERY_OBJECTS,
            QueryFunction::QUERY_SERVER_INFORMATION,
            QueryFunction::QUERY_CAPABILITIES,
        ])],
    ));
    let item = &r.batch_items[0];
    assert_eq!(item.result_status, ResultStatus::SUCCESS, "{item:?}");
    let Some(ResponsePayload::Query(q)) = &item.payload else {
        panic!("{item:?}");
    };
    for op in [
        Operation::QUERY,
        Operation::DISCOVER_VERSIONS,
        Operation::CREATE,
    ] {
        assert!(q.operations.contains(&op), "{op:?} in {:?}", q.operations);
    }
    assert!(q.object_types.contains(&ObjectType::SYMMETRIC_KEY));
    assert_eq!(q.vendor_identification.as_deref(), Some("kms"));
    assert_eq!(q.capability_information.len(), 1);

    // In a 1.0 header, only 1.0 operations (no Discover Versions, no Encrypt).
    let r = c.call(&message(
        KmipVersion::V1_0,
        vec![query(&[QueryFunction::QUERY_OPERATIONS])],
    ));
    let Some(ResponsePayload::Query(q)) = &r.batch_items[0].payload else {
        panic!("{r:?}");
    };
    assert!(q.operations.contains(&Operation::QUERY));
    assert!(!q.operations.contains(&Operation::DISCOVER_VERSIONS));
    assert!(!q.operations.contains(&Operation::ENCRYPT));
}

fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn an_oversized_declared_length_is_refused_after_the_header() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let before = rss_kib();
    let started = Instant::now();
    c.send(&[0x42, 0x00, 0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xF8]);
    if let Some(bytes) = c.receive() {
        let r = ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT).unwrap();
        assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
        assert!(c.closed_within(Duration::from_secs(1)));
    }
    assert!(started.elapsed() < Duration::from_secs(1));
    let grown = rss_kib().saturating_sub(before);
    assert!(grown < 16 * 1024, "RSS grew by {grown} KiB");
    // The server still serves.
    let mut c = s.connect();
    let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
}

#[test]
fn a_truncated_message_is_closed_after_the_read_timeout_while_others_are_served() {
    let s = TestServer::start(KmipConfig {
        read_timeout: Duration::from_millis(500),
        ..KmipConfig::default()
    });
    let mut slow = s.connect();
    // Declares 64 bytes of body, sends 8, then nothing.
    slow.send(&[
        0x42, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x40, 0x42, 0x00, 0x77, 0x01, 0x00, 0x00, 0x00,
        0x38,
    ]);
    let started = Instant::now();
    let mut other = s.connect();
    for _ in 0..5 {
        let r = other.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
        assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    }
    assert!(
        started.elapsed() < Duration::from_millis(500),
        "served meanwhile"
    );
    assert!(slow.closed_within(Duration::from_secs(3)));
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(400),
        "closed after {waited:?}"
    );
    assert!(waited < Duration::from_secs(3), "closed after {waited:?}");
}

#[test]
fn a_batch_count_that_does_not_match_the_items_is_an_invalid_message() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    for count in [0, 3, i32::MAX] {
        let mut m = message(KmipVersion::V1_4, vec![discover(&[])]);
        m.header.batch_count = count;
        let r = c.call(&m);
        assert_eq!(r.batch_items.len(), 1);
        assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
    }
}

#[test]
fn a_batch_over_the_cap_is_refused_before_any_item_runs() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let mut items = vec![create_aes()];
    items.extend((1..10_000).map(|_| query(&[])));
    let m = message(KmipVersion::V1_4, items);
    let bytes = m.to_bytes().unwrap();
    assert!(bytes.len() <= 1 << 20, "{} bytes", bytes.len());
    c.send(&bytes);
    let r = ResponseMessage::from_bytes(&c.receive().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(r.batch_items.len(), 1);
    assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
    // The Create did not run: there is nothing to locate.
    let r = c.call(&message(
        KmipVersion::V1_4,
        vec![item(
            Operation::LOCATE,
            RequestPayload::Locate(Box::new(LocateRequest {
                maximum_items: None,
                offset_items: None,
                storage_status_mask: None,
                object_group_member: None,
                attribute: Vec::new(),
                attributes: None,
            })),
        )],
    ));
    let item = &r.batch_items[0];
    assert_eq!(item.result_status, ResultStatus::SUCCESS, "{item:?}");
    let Some(ResponsePayload::Locate(l)) = &item.payload else {
        panic!("{item:?}");
    };
    assert!(l.unique_identifiers.is_empty(), "{l:?}");
}

#[test]
fn an_unknown_operation_is_not_supported() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let mut unknown = unknown_operation();
    unknown.unique_batch_item_id = Some(vec![0, 0, 0, 0, 0, 0, 0, 1]);
    let r = c.call(&message(KmipVersion::V1_4, vec![unknown]));
    assert_failed(&r, 0, ResultReason::OPERATION_NOT_SUPPORTED);
    assert_eq!(r.batch_items[0].operation, Some(Operation(0xFF)));
    assert_eq!(
        r.batch_items[0].unique_batch_item_id,
        Some(vec![0, 0, 0, 0, 0, 0, 0, 1])
    );
    // Discover Versions is a 1.1 operation (written by hand: the codec will not).
    let discover_10 = item(
        Operation::DISCOVER_VERSIONS,
        RequestPayload::Other(Ttlv::structure(Tag::REQUEST_PAYLOAD, Vec::new())),
    );
    let r = c.call(&message(KmipVersion::V1_0, vec![discover_10]));
    assert_eq!(
        r.header.protocol_version,
        ProtocolVersion::of(KmipVersion::V1_0)
    );
    assert_failed(&r, 0, ResultReason::OPERATION_NOT_SUPPORTED);
}

#[test]
fn the_asynchronous_indicator_and_undo_are_refused_cleanly() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let mut m = message(KmipVersion::V1_4, vec![query(&[]), create_aes()]);
    m.header.asynchronous_indicator = Some(true);
    let r = c.call(&m);
    assert_eq!(r.batch_items.len(), 2);
    assert_failed(&r, 0, ResultReason::FEATURE_NOT_SUPPORTED);
    assert_failed(&r, 1, ResultReason::FEATURE_NOT_SUPPORTED);
    let mut m = message(KmipVersion::V1_4, vec![query(&[])]);
    m.header.batch_error_continuation_option = Some(BatchErrorContinuationOption::UNDO);
    let r = c.call(&m);
    assert_failed(&r, 0, ResultReason::FEATURE_NOT_SUPPORTED);
    // The connection still serves.
    let r = c.call(&message(KmipVersion::V1_4, vec![query(&[])]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
}

#[test]
fn stop_cancels_the_rest_of_the_batch_and_continue_runs_it() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let items = || {
        let mut items = vec![query(&[]), unknown_operation(), query(&[])];
        for (i, item) in items.iter_mut().enumerate() {
            item.unique_batch_item_id = Some(vec![u8::try_from(i).unwrap()]);
        }
        items
    };
    let r = c.call(&message(KmipVersion::V1_4, items()));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    assert_failed(&r, 1, ResultReason::OPERATION_NOT_SUPPORTED);
    assert_failed(&r, 2, ResultReason::OPERATION_CANCELED_BY_REQUESTER);
    for (i, item) in r.batch_items.iter().enumerate() {
        assert_eq!(
            item.unique_batch_item_id,
            Some(vec![u8::try_from(i).unwrap()])
        );
    }
    let mut m = message(KmipVersion::V1_4, items());
    m.header.batch_error_continuation_option = Some(BatchErrorContinuationOption::CONTINUE);
    let r = c.call(&m);
    assert_failed(&r, 1, ResultReason::OPERATION_NOT_SUPPORTED);
    assert_eq!(r.batch_items[2].result_status, ResultStatus::SUCCESS);
}

#[test]
fn the_client_correlation_value_is_echoed() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let mut m = message(KmipVersion::V1_4, vec![discover(&[])]);
    m.header.client_correlation_value = Some("req-42".to_owned());
    let r = c.call(&m);
    assert_eq!(r.header.client_correlation_value.as_deref(), Some("req-42"));
}

#[test]
fn unsupported_protocol_versions_are_an_invalid_message() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let r = c.call(&message(KmipVersion::V2_0, vec![discover(&[])]));
    assert_eq!(
        r.header.protocol_version,
        ProtocolVersion::of(KmipVersion::V1_4)
    );
    assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
}

#[test]
fn an_answer_over_the_maximum_response_size_is_response_too_large() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let mut m = message(
        KmipVersion::V1_4,
        vec![query(&[QueryFunction::QUERY_OPERATIONS])],
    );
    m.header.maximum_response_size = Some(64);
    let r = c.call(&m);
    assert_failed(&r, 0, ResultReason::RESPONSE_TOO_LARGE);
}

#[test]
fn a_frame_that_is_not_a_request_closes_the_connection() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    // A well-framed structure of 8 bytes of garbage.
    c.send(&[0x42, 0x00, 0x78, 0x01, 0, 0, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8]);
    assert!(c.receive().is_none());
}

#[test]
fn many_requests_on_one_connection() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    for i in 0..100 {
        let version = [KmipVersion::V1_1, KmipVersion::V1_4][i % 2];
        let r = c.call(&message(version, vec![discover(&[])]));
        assert_eq!(r.header.protocol_version, ProtocolVersion::of(version));
        assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    }
}

#[test]
fn an_unknown_field_in_a_payload_is_invalid_field_and_the_batch_goes_on() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let bad_query = item(
        Operation::QUERY,
        RequestPayload::Other(Ttlv::structure(
            Tag::REQUEST_PAYLOAD,
            vec![Ttlv::new(
                Tag::UNIQUE_IDENTIFIER,
                kmip_ttlv::Value::TextString("x".to_owned()),
            )],
        )),
    );
    let mut m = message(KmipVersion::V1_4, vec![bad_query, query(&[])]);
    m.header.batch_error_continuation_option = Some(BatchErrorContinuationOption::CONTINUE);
    let r = c.call(&m);
    assert_failed(&r, 0, ResultReason::INVALID_FIELD);
    assert_eq!(r.batch_items[0].operation, Some(Operation::QUERY));
    assert_eq!(r.batch_items[1].result_status, ResultStatus::SUCCESS);
}

#[test]
fn the_connection_cap_and_the_handshake_timeout() {
    let s = TestServer::start(KmipConfig {
        max_connections: 2,
        handshake_timeout: Duration::from_millis(500),
        ..KmipConfig::default()
    });
    // Two connections that never send a ClientHello hold both slots...
    let held: Vec<TcpStream> = (0..2)
        .map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap())
        .collect();
    std::thread::sleep(Duration::from_millis(100));
    // ...so a third is closed at once, and accepting goes on.
    assert!(s.try_connect().is_none(), "over the cap");
    // The handshake timeout frees them.
    std::thread::sleep(Duration::from_millis(800));
    let started = Instant::now();
    let mut c = s.connect();
    assert!(started.elapsed() < Duration::from_secs(1));
    let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    drop(held);
}

#[test]
fn an_idle_connection_is_closed_after_the_idle_timeout() {
    let s = TestServer::start(KmipConfig {
        idle_timeout: Duration::from_millis(300),
        ..KmipConfig::default()
    });
    let mut c = s.connect();
    let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    let started = Instant::now();
    assert!(c.closed_within(Duration::from_secs(3)));
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[test]
fn stalled_clients_do_not_slow_the_others() {
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    let round_trips = |c: &mut Client| {
        let started = Instant::now();
        for _ in 0..20 {
            let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
            assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
        }
        started.elapsed()
    };
    let baseline = round_trips(&mut c);
    // 50 clients each declare a 1 KiB message, send its first 8 bytes and stall.
    let stalled: Vec<Client> = (0..50)
        .map(|_| {
            let mut stalled = s.connect();
            stalled.send(&[
                0x42, 0x00, 0x78, 0x01, 0, 0, 0x04, 0, 0x42, 0x00, 0x77, 0x01,
            ]);
            stalled
        })
        .collect();
    let loaded = round_trips(&mut c);
    assert!(
        loaded < baseline * 4 + Duration::from_millis(200),
        "baseline {baseline:?}, with stalled clients {loaded:?}"
    );
    drop(stalled);
}

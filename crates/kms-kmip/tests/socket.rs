//! The KMIP listener over real mutual TLS on loopback: a development PKI from
//! `kms_tls::pki`, a SQLite store in a temporary directory, [`kms_kmip::serve`] on its
//! own runtime thread, and a blocking rustls client.
//!
//! Covers framing (oversized and truncated frames), the request header rules (protocol
//! version, batch count and cap, error continuation, asynchronous indicator, maximum
//! response size, correlation value, batch item ids), Discover Versions and Query, and
//! bad input: deep nesting, children overrunning their parent, wrong fixed lengths,
//! padding and values, unknown enumerations and tags, every prefix of a request,
//! hundreds of half-open connections, and the memory that hostile lengths can hold.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};
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

/// Tests that measure the process's RSS run alone: every other server holds this lock
/// shared while it runs (the servers are in this process). A test runs one server at a
/// time, so no test waits on itself.
static MEMORY: RwLock<()> = RwLock::new(());

/// A server's hold on [`MEMORY`].
enum Turn {
    Shared {
        _guard: RwLockReadGuard<'static, ()>,
    },
    Alone {
        _guard: RwLockWriteGuard<'static, ()>,
    },
}

/// A running server and a client configuration trusted by it.
struct TestServer {
    port: u16,
    dir: PathBuf,
    client: Arc<rustls::ClientConfig>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
    // Released after the server has stopped (fields drop after `Drop::drop`).
    _turn: Turn,
}

impl TestServer {
    fn start(config: KmipConfig) -> TestServer {
        let turn = Turn::Shared {
            _guard: MEMORY.read().unwrap_or_else(PoisonError::into_inner),
        };
        TestServer::start_with(config, turn)
    }

    /// A server while no other test runs one, for tests that measure memory.
    fn start_alone(config: KmipConfig) -> TestServer {
        let turn = Turn::Alone {
            _guard: MEMORY.write().unwrap_or_else(PoisonError::into_inner),
        };
        TestServer::start_with(config, turn)
    }

    fn start_with(config: KmipConfig, turn: Turn) -> TestServer {
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

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind((Ipv4Addr::LOCALHOST, 0).into()).unwrap();
        // A backlog for the hundreds of connections some tests open at once: a full one
        // drops SYNs, and the client retries only after a second.
        let listener = {
            let _runtime = runtime.enter();
            socket.listen(1024).unwrap()
        };
        let port = listener.local_addr().unwrap().port();
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let db = dir.join("kms.db");
        let thread = std::thread::spawn(move || {
            runtime.block_on(async move {
                let backend = SqliteBackend::open(&db).unwrap();
                let store = Store::new(
                    backend,
                    Box::new(MasterKey::generate().unwrap()),
                    StoreConfig::default(),
                );
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
            _turn: turn,
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
    let s = TestServer::start_alone(KmipConfig::default());
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

// ---------------------------------------------------------------------------------------
// Bad input, written byte by byte.

/// TTLV item type bytes (KMIP 1.4 §9.1.1.2).
const STRUCTURE: u8 = 0x01;
const INTEGER: u8 = 0x02;
const LONG_INTEGER: u8 = 0x03;
const BIG_INTEGER: u8 = 0x04;
const ENUMERATION: u8 = 0x05;
const BOOLEAN: u8 = 0x06;
const TEXT_STRING: u8 = 0x07;
const DATE_TIME: u8 = 0x09;
const INTERVAL: u8 = 0x0A;

/// One item as written: `declared` as its length whatever `value` holds, then `value`
/// padded with zeros to a multiple of 8.
fn raw(tag: Tag, item_type: u8, declared: u32, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + value.len());
    out.extend(tag.to_be_bytes());
    out.push(item_type);
    out.extend(declared.to_be_bytes());
    out.extend(value);
    out.resize(out.len().next_multiple_of(8), 0);
    out
}

/// A structure whose length is that of its children.
fn raw_structure(tag: Tag, children: &[Vec<u8>]) -> Vec<u8> {
    let body = children.concat();
    raw(tag, STRUCTURE, u32::try_from(body.len()).unwrap(), &body)
}

fn raw_integer(tag: Tag, value: i32) -> Vec<u8> {
    raw(tag, INTEGER, 4, &value.to_be_bytes())
}

fn raw_enumeration(tag: Tag, value: u32) -> Vec<u8> {
    raw(tag, ENUMERATION, 4, &value.to_be_bytes())
}

/// A 1.4 request message: a header of the protocol version then `header`, and one
/// batch item of `item`. Lengths are consistent unless an item says otherwise.
fn raw_request_with(header: &[Vec<u8>], item: &[Vec<u8>]) -> Vec<u8> {
    let version = raw_structure(
        Tag::PROTOCOL_VERSION,
        &[
            raw_integer(Tag::PROTOCOL_VERSION_MAJOR, 1),
            raw_integer(Tag::PROTOCOL_VERSION_MINOR, 4),
        ],
    );
    let mut fields = vec![version];
    fields.extend_from_slice(header);
    raw_structure(
        Tag::REQUEST_MESSAGE,
        &[
            raw_structure(Tag::REQUEST_HEADER, &fields),
            raw_structure(Tag::BATCH_ITEM, item),
        ],
    )
}

/// A request message whose header is the protocol version and Batch Count 1.
fn raw_request(item: &[Vec<u8>]) -> Vec<u8> {
    raw_request_with(&[raw_integer(Tag::BATCH_COUNT, 1)], item)
}

/// A Query batch item with `payload` in its Request Payload.
fn raw_query(payload: &[Vec<u8>]) -> Vec<Vec<u8>> {
    vec![
        raw_enumeration(Tag::OPERATION, Operation::QUERY.0),
        raw_structure(Tag::REQUEST_PAYLOAD, payload),
    ]
}

/// Sends `bytes` and returns the one failed item's reason and message; fails the test
/// when the server answers anything else or closes the connection.
#[track_caller]
fn refused(c: &mut Client, bytes: &[u8], what: &str) -> (ResultReason, String) {
    c.send(bytes);
    let answer = c
        .receive()
        .unwrap_or_else(|| panic!("{what}: closed without an answer"));
    let r = ResponseMessage::from_bytes(&answer, &Limits::DEFAULT).unwrap();
    assert_eq!(r.batch_items.len(), 1, "{what}: {r:?}");
    let item = &r.batch_items[0];
    assert_eq!(
        item.result_status,
        ResultStatus::OPERATION_FAILED,
        "{what}: {item:?}"
    );
    (
        item.result_reason
            .unwrap_or_else(|| panic!("{what}: {item:?}")),
        item.result_message.clone().unwrap_or_default(),
    )
}

/// Asserts that `c` is still served: a Discover Versions succeeds.
#[track_caller]
fn assert_served(c: &mut Client) {
    let r = c.call(&message(KmipVersion::V1_4, vec![discover(&[])]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
}

/// The time 10 Discover Versions round trips take on `c`.
fn round_trips(c: &mut Client) -> Duration {
    let started = Instant::now();
    for _ in 0..10 {
        assert_served(c);
    }
    started.elapsed()
}

/// The objects the client can locate.
fn located(c: &mut Client) -> Vec<String> {
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
    l.unique_identifiers
        .iter()
        .map(|id| format!("{id:?}"))
        .collect()
}

#[test]
fn hand_written_requests_are_served_when_they_are_valid() {
    // The control for the tests below: the same writer, without a fault, is served.
    let s = TestServer::start(KmipConfig::default());
    let mut c = s.connect();
    c.send(&raw_request(&raw_query(&[])));
    let r = ResponseMessage::from_bytes(&c.receive().unwrap(), &Limits::DEFAULT).unwrap();
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
}

/// `depth` nested structures, each declaring exactly the ones inside it.
fn nested(tag: Tag, depth: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(depth * 8);
    for level in 1..=depth {
        out.extend(raw(
            tag,
            STRUCTURE,
            u32::try_from((depth - level) * 8).unwrap(),
            &[],
        ));
    }
    out
}

#[test]
fn a_structure_nested_10_000_deep_is_an_invalid_message() {
    // The configured depth, and a configured depth past the codec's hard cap.
    for limits in [
        Limits::DEFAULT,
        Limits {
            max_depth: usize::MAX,
            ..Limits::DEFAULT
        },
    ] {
        let s = TestServer::start(KmipConfig {
            limits,
            ..KmipConfig::default()
        });
        let mut good = s.connect();
        let mut c = s.connect();
        let bytes = raw_request(&[
            raw_enumeration(Tag::OPERATION, Operation::QUERY.0),
            nested(Tag::REQUEST_PAYLOAD, 10_000),
        ]);
        assert!(bytes.len() > 80_000 && bytes.len() < 1 << 20);
        let started = Instant::now();
        let (reason, text) = refused(&mut c, &bytes, "10,000 deep");
        assert_eq!(reason, ResultReason::INVALID_MESSAGE, "{text}");
        assert!(text.contains("nesting deeper than"), "{text}");
        assert!(started.elapsed() < Duration::from_secs(1));
        // The same connection, and another, are still served.
        assert_served(&mut c);
        assert_served(&mut good);
    }
}

#[test]
fn a_child_that_overruns_its_parent_is_an_invalid_message() {
    let s = TestServer::start(KmipConfig::default());
    let mut good = s.connect();
    let mut c = s.connect();
    let operation = raw_enumeration(Tag::OPERATION, Operation::QUERY.0);
    let version = raw_structure(
        Tag::PROTOCOL_VERSION,
        &[
            raw_integer(Tag::PROTOCOL_VERSION_MAJOR, 1),
            raw_integer(Tag::PROTOCOL_VERSION_MINOR, 4),
        ],
    );
    let header_body = [version, raw_integer(Tag::BATCH_COUNT, 1)].concat();
    let short_header = raw(
        Tag::REQUEST_HEADER,
        STRUCTURE,
        u32::try_from(header_body.len() - 8).unwrap(),
        &header_body,
    );
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            // A 16-byte payload holding a text string that declares 100 bytes.
            "text string past its payload",
            raw_request(&[
                operation.clone(),
                raw(
                    Tag::REQUEST_PAYLOAD,
                    STRUCTURE,
                    16,
                    &raw(Tag::UNIQUE_IDENTIFIER, TEXT_STRING, 100, b"abcdefgh"),
                ),
            ]),
        ),
        (
            // A batch item declaring 8 bytes whose Operation alone takes 16.
            "operation past its batch item",
            raw_structure(
                Tag::REQUEST_MESSAGE,
                &[
                    raw_structure(Tag::REQUEST_HEADER, std::slice::from_ref(&header_body)),
                    raw(
                        Tag::BATCH_ITEM,
                        STRUCTURE,
                        8,
                        &[operation.clone(), raw_structure(Tag::REQUEST_PAYLOAD, &[])].concat(),
                    ),
                ],
            ),
        ),
        (
            // A header 8 bytes shorter than its children: Batch Count overruns it.
            "batch count past its header",
            raw_structure(
                Tag::REQUEST_MESSAGE,
                &[
                    short_header,
                    raw_structure(Tag::BATCH_ITEM, &raw_query(&[])),
                ],
            ),
        ),
        (
            // A payload longer than its children: the rest is not an item.
            "payload longer than its children",
            raw_request(&[
                operation.clone(),
                raw(
                    Tag::REQUEST_PAYLOAD,
                    STRUCTURE,
                    24,
                    &[raw_integer(Tag::BATCH_COUNT, 1), vec![0; 8]].concat(),
                ),
            ]),
        ),
    ];
    for (what, bytes) in &cases {
        let (reason, text) = refused(&mut c, bytes, what);
        assert_eq!(reason, ResultReason::INVALID_MESSAGE, "{what}: {text}");
        assert_served(&mut good);
    }
    assert_served(&mut c);
}

/// Requests whose encoding breaks one TTLV rule each: wrong fixed lengths, non-zero
/// padding, bad values and type bytes, in the header or in a payload.
fn malformed_requests() -> Vec<(&'static str, Vec<u8>)> {
    let count = raw_integer(Tag::BATCH_COUNT, 1);
    let in_header = |field: Vec<u8>| raw_request_with(&[field, count.clone()], &raw_query(&[]));
    let in_payload = |field: Vec<u8>| raw_request(&raw_query(&[field]));
    vec![
        (
            "Integer of length 8",
            raw_request_with(
                &[raw(Tag::BATCH_COUNT, INTEGER, 8, &1u64.to_be_bytes())],
                &raw_query(&[]),
            ),
        ),
        (
            "Integer of length 0",
            raw_request_with(&[raw(Tag::BATCH_COUNT, INTEGER, 0, &[])], &raw_query(&[])),
        ),
        (
            "Enumeration of length 2",
            raw_request(&[
                raw(Tag::OPERATION, ENUMERATION, 2, &[0, 0x18]),
                raw_structure(Tag::REQUEST_PAYLOAD, &[]),
            ]),
        ),
        (
            "Enumeration of length 8",
            raw_request(&[
                raw(Tag::OPERATION, ENUMERATION, 8, &0x18u64.to_be_bytes()),
                raw_structure(Tag::REQUEST_PAYLOAD, &[]),
            ]),
        ),
        (
            "Boolean of length 4",
            in_header(raw(Tag::ASYNCHRONOUS_INDICATOR, BOOLEAN, 4, &[0; 4])),
        ),
        (
            "Date-Time of length 4",
            in_header(raw(Tag::TIME_STAMP, DATE_TIME, 4, &[0, 0, 0, 1])),
        ),
        (
            "Long Integer of length 4",
            in_payload(raw(Tag::CRYPTOGRAPHIC_LENGTH, LONG_INTEGER, 4, &[0; 4])),
        ),
        (
            "Interval of length 8",
            in_payload(raw(Tag::CRYPTOGRAPHIC_LENGTH, INTERVAL, 8, &[0; 8])),
        ),
        (
            "Big Integer of length 4",
            in_payload(raw(Tag::CRYPTOGRAPHIC_LENGTH, BIG_INTEGER, 4, &[0; 4])),
        ),
        (
            "non-zero padding after an Integer",
            raw_request_with(
                &[raw(
                    Tag::BATCH_COUNT,
                    INTEGER,
                    4,
                    &[0, 0, 0, 1, 0, 0, 0, 0xFF],
                )],
                &raw_query(&[]),
            ),
        ),
        (
            "non-zero padding after a Text String",
            in_header(raw(
                Tag::CLIENT_CORRELATION_VALUE,
                TEXT_STRING,
                3,
                b"abc\0\0\0\0\x01",
            )),
        ),
        (
            "Boolean value 2",
            in_header(raw(
                Tag::ASYNCHRONOUS_INDICATOR,
                BOOLEAN,
                8,
                &2u64.to_be_bytes(),
            )),
        ),
        (
            "Text String that is not UTF-8",
            in_header(raw(
                Tag::CLIENT_CORRELATION_VALUE,
                TEXT_STRING,
                2,
                &[0xC3, 0x28],
            )),
        ),
        (
            "type byte 0x00",
            in_header(raw(Tag::TIME_STAMP, 0x00, 8, &[0; 8])),
        ),
        (
            "type byte 0x0C",
            in_header(raw(Tag::TIME_STAMP, 0x0C, 8, &[0; 8])),
        ),
        (
            "type byte 0xFF",
            in_payload(raw(Tag::CRYPTOGRAPHIC_LENGTH, 0xFF, 4, &[0; 4])),
        ),
    ]
}

#[test]
fn wrong_fixed_lengths_padding_and_values_are_an_invalid_message_every_time() {
    let s = TestServer::start(KmipConfig::default());
    let mut good = s.connect();
    let mut c = s.connect();
    let cases = malformed_requests();
    let mut first = Vec::new();
    for (what, bytes) in &cases {
        let (reason, text) = refused(&mut c, bytes, what);
        assert_eq!(reason, ResultReason::INVALID_MESSAGE, "{what}: {text}");
        first.push(text);
    }
    assert_served(&mut good);
    // The same answer every time, on another connection.
    let mut again = s.connect();
    for ((what, bytes), text) in cases.iter().zip(&first) {
        assert_eq!(&refused(&mut again, bytes, what).1, text, "{what}");
    }
    assert_served(&mut c);
    assert_served(&mut good);
}

/// Applies `f` to every item of `tree`.
fn visit(tree: &mut Ttlv, f: &mut impl FnMut(&mut Ttlv)) {
    f(tree);
    if let kmip_ttlv::Value::Structure(children) = &mut tree.value {
        for child in children {
            visit(child, f);
        }
    }
}

/// The Create of [`create_aes`] with `f` applied to every item of the message.
fn create_with(f: &mut impl FnMut(&mut Ttlv)) -> Vec<u8> {
    let mut tree = message(KmipVersion::V1_4, vec![create_aes()])
        .to_ttlv()
        .unwrap();
    visit(&mut tree, f);
    tree.to_bytes().unwrap()
}

#[test]
fn unknown_enumerations_and_tags_are_answered_and_create_nothing() {
    let s = TestServer::start(KmipConfig::default());
    let mut good = s.connect();
    let mut c = s.connect();
    let unknown_tag = Tag::from_be_bytes([0x42, 0xFF, 0xFF]);
    let with_unknown_tag = |parent: Tag| {
        create_with(&mut |t: &mut Ttlv| {
            if t.tag == parent
                && let kmip_ttlv::Value::Structure(children) = &mut t.value
            {
                children.push(Ttlv::new(unknown_tag, kmip_ttlv::Value::Integer(1)));
            }
        })
    };
    let cases: Vec<(&str, Vec<u8>, ResultReason)> = vec![
        (
            "Operation 0xFFFF",
            message(
                KmipVersion::V1_4,
                vec![item(
                    Operation(0xFFFF),
                    RequestPayload::Other(Ttlv::structure(Tag::REQUEST_PAYLOAD, Vec::new())),
                )],
            )
            .to_bytes()
            .unwrap(),
            ResultReason::OPERATION_NOT_SUPPORTED,
        ),
        (
            "Object Type 0xFFFF",
            create_with(&mut |t: &mut Ttlv| {
                if t.tag == Tag::OBJECT_TYPE {
                    t.value = kmip_ttlv::Value::Enumeration(0xFFFF);
                }
            }),
            ResultReason::INVALID_FIELD,
        ),
        (
            "Cryptographic Algorithm 0xFFFF",
            create_with(&mut |t: &mut Ttlv| {
                if t.tag == Tag::ATTRIBUTE_VALUE
                    && t.value == kmip_ttlv::Value::Enumeration(CryptographicAlgorithm::AES.0)
                {
                    t.value = kmip_ttlv::Value::Enumeration(0xFFFF);
                }
            }),
            // Not a value KMIP defines (a defined one the store does not offer, such as
            // SKIPJACK for a cipher, is Feature Not Supported).
            ResultReason::INVALID_FIELD,
        ),
        (
            "unknown tag in the Create payload",
            with_unknown_tag(Tag::REQUEST_PAYLOAD),
            ResultReason::INVALID_FIELD,
        ),
        (
            "unknown tag in the Template-Attribute",
            with_unknown_tag(Tag::TEMPLATE_ATTRIBUTE),
            ResultReason::INVALID_FIELD,
        ),
        (
            "unknown tag in the batch item",
            with_unknown_tag(Tag::BATCH_ITEM),
            ResultReason::INVALID_FIELD,
        ),
        (
            "unknown tag in the request header",
            with_unknown_tag(Tag::REQUEST_HEADER),
            ResultReason::INVALID_MESSAGE,
        ),
    ];
    for (what, bytes, expected) in &cases {
        let (reason, text) = refused(&mut c, bytes, what);
        assert_eq!(reason, *expected, "{what}: {text}");
        assert_served(&mut good);
    }
    assert!(located(&mut c).is_empty());
    // The unchanged Create is served on the same connection.
    let r = c.call(&message(KmipVersion::V1_4, vec![create_aes()]));
    assert_eq!(r.batch_items[0].result_status, ResultStatus::SUCCESS);
    assert_eq!(located(&mut c).len(), 1);
}

/// True when the server closes `tcp` (EOF or reset) before `within`.
fn tcp_closed_within(tcp: &mut TcpStream, within: Duration) -> bool {
    tcp.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 64];
    loop {
        match tcp.read(&mut buf) {
            Ok(0) => return true,
            // An alert or other bytes: read on to the close.
            Ok(_) => continue,
            Err(e) => {
                return !matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                );
            }
        }
    }
}

#[test]
fn hundreds_of_half_open_connections_do_not_stop_a_good_client() {
    let timeout = Duration::from_secs(2);
    let s = TestServer::start(KmipConfig {
        max_connections: 310,
        handshake_timeout: timeout,
        read_timeout: timeout,
        ..KmipConfig::default()
    });
    let mut good = s.connect();
    let baseline = round_trips(&mut good);
    // 20 clients complete TLS first (their handshakes are the slow part).
    let mut stalled: Vec<Client> = (0..20).map(|_| s.connect()).collect();
    let attack = Instant::now();
    // Each sends 3 bytes of a message header and stalls.
    for c in &mut stalled {
        c.send(&[0x42, 0x00, 0x78]);
    }
    // 280 complete TCP and send the first 8 bytes of a ClientHello: a handshake record
    // header declaring 512 bytes, then the start of the handshake message.
    let mut half_open: Vec<TcpStream> = (0..280)
        .map(|_| {
            let mut tcp = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
            tcp.write_all(&[0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01])
                .unwrap();
            tcp
        })
        .collect();
    // Meanwhile a new client completes its handshake at once.
    let started = Instant::now();
    let mut fresh = s.connect();
    let handshake = started.elapsed();
    assert!(
        handshake < Duration::from_secs(1),
        "handshake {handshake:?}"
    );
    // 302 connections are open: 8 more fill the cap, and the next is closed at once.
    let filler: Vec<TcpStream> = (0..8)
        .map(|_| TcpStream::connect(("127.0.0.1", s.port)).unwrap())
        .collect();
    let mut over = TcpStream::connect(("127.0.0.1", s.port)).unwrap();
    let closed = tcp_closed_within(&mut over, Duration::from_secs(1));
    let set_up = attack.elapsed();
    assert!(
        set_up < timeout,
        "the attack took {set_up:?} to set up: the first connections may have timed out"
    );
    assert!(closed, "a connection over the cap is closed at once");
    // Before their timeout, the half-open connections are still open (the server sends
    // nothing before a whole ClientHello).
    for tcp in &half_open {
        tcp.set_nonblocking(true).unwrap();
        let open = matches!(
            (&*tcp).read(&mut [0u8; 1]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock
        );
        assert!(open, "closed before the handshake timeout");
        tcp.set_nonblocking(false).unwrap();
    }
    // The new client is served as fast as before while the stalled connections are held.
    drop(filler);
    let loaded = round_trips(&mut fresh);
    assert!(
        loaded < baseline * 4 + Duration::from_millis(200),
        "baseline {baseline:?}, under attack {loaded:?}"
    );
    assert_served(&mut good);
    // Every stalled connection is dropped at its timeout, not before.
    for tcp in &mut half_open {
        assert!(tcp_closed_within(tcp, timeout * 2));
    }
    for c in &mut stalled {
        assert!(c.closed_within(timeout * 2));
    }
    let dropped = attack.elapsed();
    assert!(dropped >= timeout, "dropped after {dropped:?}");
    assert!(dropped < timeout * 3, "dropped after {dropped:?}");
    // A new client is served, the old ones still are.
    let mut after = s.connect();
    assert_served(&mut after);
    assert_served(&mut fresh);
    assert_served(&mut good);
}

#[test]
fn every_prefix_of_a_create_is_refused_and_creates_nothing() {
    let read_timeout = Duration::from_secs(2);
    let s = TestServer::start(KmipConfig {
        read_timeout,
        ..KmipConfig::default()
    });
    let mut good = s.connect();
    let bytes = message(KmipVersion::V1_4, vec![create_aes()])
        .to_bytes()
        .unwrap();
    // Each prefix on its own connection, then the end of the stream: the server closes
    // at once (it has nothing to wait for), and answers no success.
    let lengths: Vec<usize> = (0..bytes.len()).collect();
    std::thread::scope(|scope| {
        for chunk in lengths.chunks(lengths.len().div_ceil(4)) {
            let (s, bytes) = (&s, &bytes);
            scope.spawn(move || {
                for &n in chunk {
                    let mut c = s.connect();
                    c.send(&bytes[..n]);
                    c.stream.conn.send_close_notify();
                    c.stream.flush().unwrap();
                    c.stream.sock.shutdown(std::net::Shutdown::Write).unwrap();
                    let started = Instant::now();
                    if let Some(answer) = c.receive() {
                        let r = ResponseMessage::from_bytes(&answer, &Limits::DEFAULT).unwrap();
                        assert!(
                            r.batch_items
                                .iter()
                                .all(|i| i.result_status != ResultStatus::SUCCESS),
                            "prefix of {n} bytes: {r:?}"
                        );
                    }
                    let waited = started.elapsed();
                    assert!(
                        waited < read_timeout / 2,
                        "prefix of {n} bytes: closed after {waited:?}"
                    );
                }
            });
        }
    });
    assert_served(&mut good);
    // Each prefix as a whole frame (the root's length cut to match): an error answer,
    // or a close when not even the protocol version can be read.
    let mut c = s.connect();
    let mut answered = 0;
    for n in (8..bytes.len()).step_by(8) {
        let mut framed = bytes[..n].to_vec();
        framed[4..8].copy_from_slice(&u32::try_from(n - 8).unwrap().to_be_bytes());
        c.send(&framed);
        match c.receive() {
            Some(answer) => {
                let r = ResponseMessage::from_bytes(&answer, &Limits::DEFAULT).unwrap();
                assert_eq!(r.batch_items.len(), 1, "frame of {n} bytes: {r:?}");
                assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
                answered += 1;
            }
            None => c = s.connect(),
        }
    }
    assert!(answered > bytes.len() / 16, "{answered} answered");
    // No prefix created anything, and the good client is still served.
    assert!(located(&mut good).is_empty());
    assert_served(&mut good);
}

#[test]
fn hostile_lengths_on_many_connections_hold_no_memory() {
    let s = TestServer::start_alone(KmipConfig::default());
    let mut good = s.connect();
    let mut clients: Vec<Client> = (0..60).map(|_| s.connect()).collect();
    // Each connection is set up on both sides before memory is measured.
    for c in &mut clients {
        assert_served(c);
    }
    assert_served(&mut good);
    let before = rss_kib();
    let header = |len: u32| {
        let mut h = vec![0x42, 0x00, 0x78, 0x01];
        h.extend(len.to_be_bytes());
        h
    };
    // A whole frame whose batch item declares 0x7FFFFFF0 bytes.
    let version = raw_structure(
        Tag::PROTOCOL_VERSION,
        &[
            raw_integer(Tag::PROTOCOL_VERSION_MAJOR, 1),
            raw_integer(Tag::PROTOCOL_VERSION_MINOR, 4),
        ],
    );
    let inner = raw_structure(
        Tag::REQUEST_MESSAGE,
        &[
            raw_structure(
                Tag::REQUEST_HEADER,
                &[version, raw_integer(Tag::BATCH_COUNT, 1)],
            ),
            raw(Tag::BATCH_ITEM, STRUCTURE, 0x7FFF_FFF0, &[]),
        ],
    );
    for (i, c) in clients.iter_mut().enumerate() {
        match i % 3 {
            // The message declares 0x7FFFFFF0 bytes.
            0 => c.send(&header(0x7FFF_FFF0)),
            1 => c.send(&inner),
            // The message declares the 1 MiB limit, and nothing more comes.
            _ => c.send(&header((1 << 20) - 8)),
        }
    }
    for (i, c) in clients.iter_mut().enumerate() {
        if i % 3 == 2 {
            continue;
        }
        let answer = c.receive().expect("an answer");
        let r = ResponseMessage::from_bytes(&answer, &Limits::DEFAULT).unwrap();
        assert_failed(&r, 0, ResultReason::INVALID_MESSAGE);
        if i % 3 == 0 {
            // The stream cannot be resynchronised after a refused header.
            assert!(c.closed_within(Duration::from_secs(1)));
        }
    }
    // The server has read every header by the time it serves the good client again.
    std::thread::sleep(Duration::from_millis(200));
    assert_served(&mut good);
    let grown = rss_kib().saturating_sub(before);
    assert!(grown < 4 * 1024, "RSS grew by {grown} KiB");
    drop(clients);
    assert_served(&mut good);
}

//! End-to-end test of the KMIP frontend of the `kms-server` binary: a client with the
//! development PKI's admin certificate speaks KMIP over mutual TLS to `--kmip-addr`, and
//! the key it creates is the one the REST API serves (one store, two frontends).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kmip_ttlv::Limits;
use kmip_types::attributes::{Attribute, TemplateAttribute};
use kmip_types::payloads::{CreateRequest, DiscoverVersionsRequest, GetRequest, IdRequest};
use kmip_types::{
    AttributeValue, CryptographicAlgorithm, CryptographicUsageMask, KmipVersion, Name, Object,
    ObjectType, ProtocolVersion, RequestBatchItem, RequestHeader, RequestMessage, RequestPayload,
    ResponseMessage, ResponsePayload, ResultStatus, UniqueId,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use support::{Sandbox, Server, field};

/// The address from the "KMIP listening kmip_addr=..." log line.
fn kmip_addr(server: &Server) -> SocketAddr {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let log = server.stderr();
        if let Some(addr) = log
            .lines()
            .filter(|l| l.contains("KMIP listening"))
            .find_map(|l| field(l, "kmip_addr"))
        {
            return addr.parse().expect("kmip_addr is an address");
        }
        assert!(Instant::now() < deadline, "no KMIP listening line:\n{log}");
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// A KMIP client over mutual TLS with the admin certificate the server generated.
struct Client {
    stream: rustls::StreamOwned<rustls::ClientConnection, TcpStream>,
}

impl Client {
    fn connect(addr: SocketAddr, pki: &Path) -> Client {
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_file(pki.join("ca.pem")).unwrap())
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![CertificateDer::from_pem_file(pki.join("admin.pem")).unwrap()],
            PrivateKeyDer::from_pem_file(pki.join("admin.key")).unwrap(),
        )
        .unwrap();
        let tcp = TcpStream::connect(addr).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let name = ServerName::try_from("localhost").unwrap();
        let conn = rustls::ClientConnection::new(Arc::new(config), name).unwrap();
        Client {
            stream: rustls::StreamOwned::new(conn, tcp),
        }
    }

    /// One request of one batch item; the item's response, which must be a success.
    fn call(&mut self, payload: RequestPayload) -> ResponsePayload {
        let operation = payload.operation().unwrap();
        let request = RequestMessage {
            header: RequestHeader {
                protocol_version: ProtocolVersion::of(KmipVersion::V1_4),
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
                batch_count: 1,
            },
            batch_items: vec![RequestBatchItem {
                operation,
                ephemeral: None,
                unique_batch_item_id: None,
                payload,
                message_extension: None,
            }],
        };
        self.stream.write_all(&request.to_bytes().unwrap()).unwrap();
        self.stream.flush().unwrap();
        let mut header = [0u8; 8];
        self.stream.read_exact(&mut header).unwrap();
        let len = u32::from_be_bytes(header[4..8].try_into().unwrap()) as usize;
        let mut frame = vec![0u8; 8 + len];
        frame[..8].copy_from_slice(&header);
        self.stream.read_exact(&mut frame[8..]).unwrap();
        let mut response = ResponseMessage::from_bytes(&frame, &Limits::DEFAULT).unwrap();
        assert_eq!(response.batch_items.len(), 1);
        let item = response.batch_items.remove(0);
        assert_eq!(
            item.result_status,
            ResultStatus::SUCCESS,
            "{operation:?}: {:?} {:?}",
            item.result_reason,
            item.result_message
        );
        assert_eq!(item.operation, Some(operation));
        item.payload.expect("a response payload")
    }
}

fn by_id(id: &str) -> Box<IdRequest> {
    Box::new(IdRequest {
        unique_identifier: Some(UniqueId::Text(id.to_owned())),
    })
}

#[test]
fn kmip_over_mtls_shares_its_store_with_the_rest_api() {
    let sandbox = Sandbox::new("kmip");
    let server = Server::start(&sandbox.root, &[], &[]);
    let addr = kmip_addr(&server);
    assert_ne!(addr.port(), 0);
    let mut client = Client::connect(addr, &server.pki);

    let ResponsePayload::DiscoverVersions(versions) = client.call(
        RequestPayload::DiscoverVersions(Box::new(DiscoverVersionsRequest {
            protocol_versions: Vec::new(),
        })),
    ) else {
        panic!("not a Discover Versions response")
    };
    assert_eq!(
        versions.protocol_versions.first(),
        Some(&ProtocolVersion::of(KmipVersion::V1_4)),
        "most preferred first"
    );
    assert!(
        versions
            .protocol_versions
            .contains(&ProtocolVersion::of(KmipVersion::V1_0))
    );

    let attribute = |value| Attribute::new(value);
    let ResponsePayload::Create(created) =
        client.call(RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute::new(vec![
                attribute(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::AES,
                )),
                attribute(AttributeValue::CryptographicLength(256)),
                attribute(AttributeValue::CryptographicUsageMask(
                    CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
                )),
                attribute(AttributeValue::Name(Name::text("made-over-kmip"))),
            ])),
            attributes: None,
            protection_storage_masks: None,
        })))
    else {
        panic!("not a Create response")
    };
    let UniqueId::Text(id) = created.unique_identifier else {
        panic!("a text Unique Identifier")
    };

    let ResponsePayload::Get(got) = client.call(get(&id)) else {
        panic!("not a Get response")
    };
    assert_eq!(got.object_type, ObjectType::SYMMETRIC_KEY);
    let Object::SymmetricKey(key) = &got.object else {
        panic!("not a Symmetric Key")
    };
    assert_eq!(key.key_block.cryptographic_length, Some(256));

    // The REST API serves the same object under the same id, for the same client.
    let r = server.request("GET", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(r.status, 200, "{}", r.body);
    let json = r.json();
    assert_eq!(json["id"].as_str(), Some(id.as_str()), "{json}");
    assert_eq!(json["name"].as_str(), Some("made-over-kmip"), "{json}");

    // Destroyed over KMIP, gone over REST.
    let ResponsePayload::Destroy(destroyed) = client.call(RequestPayload::Destroy(by_id(&id)))
    else {
        panic!("not a Destroy response")
    };
    assert_eq!(destroyed.unique_identifier, UniqueId::Text(id.clone()));
    let r = server.request("GET", &format!("/v1/servicekey/{id}"), None);
    assert_eq!(r.status, 404, "{}", r.body);

    // And the other way: a key created over REST is served over KMIP.
    let rest_id = server.create_key(
        r#"{"name":"made-over-rest","type":"oct","size":256,"operations":["encrypt","decrypt"]}"#,
    );
    let ResponsePayload::Get(got) = client.call(get(&rest_id)) else {
        panic!("not a Get response")
    };
    assert_eq!(got.unique_identifier, UniqueId::Text(rest_id));
    let Object::SymmetricKey(key) = &got.object else {
        panic!("not a Symmetric Key")
    };
    assert_eq!(key.key_block.cryptographic_length, Some(256));
}

fn get(id: &str) -> RequestPayload {
    RequestPayload::Get(Box::new(GetRequest {
        unique_identifier: Some(UniqueId::Text(id.to_owned())),
        key_format_type: None,
        key_wrap_type: None,
        key_compression_type: None,
        key_wrapping_specification: None,
    }))
}

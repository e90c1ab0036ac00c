//! The TLS server policy both frontends use: TLS 1.3 and TLS 1.2 with ECDHE and AEAD
//! suites only, and a client certificate that is mandatory and checked beyond what
//! WebPKI checks (the clientAuth extended key usage must be present, the subject must
//! name exactly one identity).

use std::sync::Arc;

use rustls::client::danger::HandshakeSignatureValid;
use rustls::crypto::CryptoProvider;
use rustls::crypto::ring::{cipher_suite, default_provider};
use rustls::server::WebPkiClientVerifier;
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, CipherSuite, DigitallySignedStruct, DistinguishedName, OtherError,
    RootCertStore, ServerConfig, SignatureScheme, SupportedCipherSuite,
};
use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::{CertificateDer, PrivateKeyDer, UnixTime};

use crate::error::{TlsError, x509_error};
use crate::identity::ClientIdentity;

/// The cipher suites the server offers, in its order of preference: the three TLS 1.3
/// suites, then TLS 1.2 ECDHE with AES-GCM or ChaCha20-Poly1305 (RFC 5289, RFC 7905).
/// No CBC, no static RSA key exchange, no finite-field Diffie-Hellman.
pub const ALLOWED_CIPHER_SUITES: &[CipherSuite] = &[
    CipherSuite::TLS13_AES_256_GCM_SHA384,
    CipherSuite::TLS13_AES_128_GCM_SHA256,
    CipherSuite::TLS13_CHACHA20_POLY1305_SHA256,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
    CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
    CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
];

/// The ring provider restricted to [`ALLOWED_CIPHER_SUITES`]. Listed by name rather than
/// filtered from the default, so a suite added to rustls's defaults later is not offered
/// without a change here.
pub fn crypto_provider() -> CryptoProvider {
    let suites: [SupportedCipherSuite; 9] = [
        cipher_suite::TLS13_AES_256_GCM_SHA384,
        cipher_suite::TLS13_AES_128_GCM_SHA256,
        cipher_suite::TLS13_CHACHA20_POLY1305_SHA256,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        cipher_suite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        cipher_suite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        cipher_suite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        cipher_suite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
    ];
    CryptoProvider {
        cipher_suites: suites.to_vec(),
        ..default_provider()
    }
}

/// Builds the server configuration.
///
/// - `cert_chain_pem`: the server certificate, then any intermediates (PEM).
/// - `key_pem`: its private key (PKCS#8, SEC1 or PKCS#1 PEM).
/// - `client_ca_pem`: the CA certificate(s) client certificates must chain to.
/// - `alpn`: the ALPN protocols offered (e.g. `h2`, `http/1.1`; empty for KMIP).
///
/// Protocol versions TLS 1.3 and 1.2; [`ALLOWED_CIPHER_SUITES`]; the server's suite
/// order wins. A client certificate is required. It must chain to a CA in
/// `client_ca_pem` and be within its validity period (WebPKI), carry the clientAuth
/// extended key usage (WebPKI alone accepts a certificate without any EKU extension,
/// RFC 5280 §4.2.1.12; KMIP deployments, PyKMIP among them, require the EKU, and so do
/// we), and yield a [`ClientIdentity`]: exactly one subject CN, at most one well-formed
/// `okms.domain` UPN. Any failure aborts the handshake with a TLS alert. Sessions are
/// not resumed: each connection verifies its certificate.
pub fn server_config(
    cert_chain_pem: &[u8],
    key_pem: &[u8],
    client_ca_pem: &[u8],
    alpn: Vec<Vec<u8>>,
) -> Result<Arc<ServerConfig>, TlsError> {
    let provider = Arc::new(crypto_provider());
    let chain = certificates(cert_chain_pem, "server certificate chain")?;
    let key = PrivateKeyDer::from_pem_slice(key_pem).map_err(|e| pem_error(e, "server key"))?;

    let mut roots = RootCertStore::empty();
    for ca in certificates(client_ca_pem, "client CA")? {
        roots.add(ca)?;
    }
    let webpki =
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone()).build()?;
    let verifier = Arc::new(ClientPolicyVerifier { webpki });

    let mut config = ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)?;
    config.alpn_protocols = alpn;
    config.ignore_client_order = true;
    // No session resumption: every connection's identity comes from a certificate
    // verified on that connection, so an expired certificate or a replaced client CA
    // takes effect at once. A full handshake is cheap next to a KMS session.
    config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    config.send_tls13_tickets = 0;
    Ok(Arc::new(config))
}

/// Every certificate in a PEM input; at least one.
fn certificates(
    pem_input: &[u8],
    what: &'static str,
) -> Result<Vec<CertificateDer<'static>>, TlsError> {
    let certs = CertificateDer::pem_slice_iter(pem_input)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| pem_error(e, what))?;
    if certs.is_empty() {
        return Err(TlsError::PemEmpty {
            what,
            expected: "CERTIFICATE",
        });
    }
    Ok(certs)
}

fn pem_error(e: pem::Error, what: &'static str) -> TlsError {
    match e {
        pem::Error::NoItemsFound => TlsError::PemEmpty {
            what,
            expected: "PRIVATE KEY",
        },
        source => TlsError::Pem { what, source },
    }
}

/// WebPKI's verification, then this server's own rules on the end-entity certificate.
#[derive(Debug)]
struct ClientPolicyVerifier {
    webpki: Arc<dyn ClientCertVerifier>,
}

impl ClientCertVerifier for ClientPolicyVerifier {
    fn offer_client_auth(&self) -> bool {
        true
    }

    fn client_auth_mandatory(&self) -> bool {
        true
    }

    fn root_hint_subjects(&self) -> &[DistinguishedName] {
        self.webpki.root_hint_subjects()
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        // Chain, signature and validity first: nothing is parsed from an untrusted
        // certificate beyond what WebPKI already did.
        let verified = self
            .webpki
            .verify_client_cert(end_entity, intermediates, now)?;
        check_end_entity(end_entity).map_err(|e| {
            rustls::Error::InvalidCertificate(match e {
                TlsError::MissingClientAuthEku => CertificateError::InvalidPurpose,
                other => CertificateError::Other(OtherError(Arc::new(other))),
            })
        })?;
        Ok(verified)
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.webpki.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.webpki.supported_verify_schemes()
    }
}

/// The clientAuth EKU is present, and an identity can be read.
fn check_end_entity(der: &[u8]) -> Result<ClientIdentity, TlsError> {
    let (_, x509) = x509_parser::parse_x509_certificate(der).map_err(x509_error)?;
    let eku = x509
        .extended_key_usage()
        .map_err(TlsError::Certificate)?
        .ok_or(TlsError::MissingClientAuthEku)?;
    if !eku.value.client_auth {
        return Err(TlsError::MissingClientAuthEku);
    }
    ClientIdentity::from_der(der)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::pki::{CertificateAuthority, ClientCertSpec, ClientEku, Issued, new_ca};

    fn config_for(ca: &CertificateAuthority) -> Arc<ServerConfig> {
        let server = ca.issue_server(&["localhost"], &[], 1).unwrap();
        server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            vec![],
        )
        .unwrap()
    }

    fn webpki_alone(ca: &CertificateAuthority) -> Arc<dyn ClientCertVerifier> {
        let mut roots = RootCertStore::empty();
        roots
            .add(CertificateDer::from(ca.cert_der().to_vec()))
            .unwrap();
        WebPkiClientVerifier::builder_with_provider(Arc::new(roots), Arc::new(crypto_provider()))
            .build()
            .unwrap()
    }

    fn ours(ca: &CertificateAuthority) -> ClientPolicyVerifier {
        ClientPolicyVerifier {
            webpki: webpki_alone(ca),
        }
    }

    fn verify(v: &dyn ClientCertVerifier, issued: &Issued) -> Result<(), rustls::Error> {
        v.verify_client_cert(&issued.certificate_der(), &[], UnixTime::now())
            .map(|_| ())
    }

    #[test]
    fn offers_only_the_allowed_suites() {
        let config = config_for(&new_ca("CA").unwrap());
        let offered: Vec<CipherSuite> = config
            .crypto_provider()
            .cipher_suites
            .iter()
            .map(|s| s.suite())
            .collect();
        assert_eq!(offered, ALLOWED_CIPHER_SUITES);
        for suite in &config.crypto_provider().cipher_suites {
            let name = format!("{:?}", suite.suite());
            match suite.version().version {
                rustls::ProtocolVersion::TLSv1_3 => assert!(name.starts_with("TLS13_")),
                rustls::ProtocolVersion::TLSv1_2 => {
                    assert!(name.starts_with("TLS_ECDHE_"), "{name}");
                    assert!(name.contains("_GCM_") || name.contains("_CHACHA20_POLY1305_"));
                }
                other => panic!("suite {name} for {other:?}"),
            }
        }
    }

    #[test]
    fn requires_a_client_certificate() {
        let verifier = ours(&new_ca("CA").unwrap());
        assert!(verifier.offer_client_auth() && verifier.client_auth_mandatory());
    }

    #[test]
    fn webpki_alone_accepts_a_certificate_without_eku_and_ours_refuses_it() {
        // Why the wrapper exists: webpki requires clientAuth only "if present".
        let ca = new_ca("CA").unwrap();
        let no_eku = ca
            .issue_client_custom(&ClientCertSpec::new("a").eku(ClientEku::None))
            .unwrap();
        assert!(verify(webpki_alone(&ca).as_ref(), &no_eku).is_ok());
        assert!(matches!(
            verify(&ours(&ca), &no_eku),
            Err(rustls::Error::InvalidCertificate(
                CertificateError::InvalidPurpose
            ))
        ));
    }

    #[test]
    fn webpki_refuses_server_auth_only() {
        let ca = new_ca("CA").unwrap();
        let server_only = ca
            .issue_client_custom(&ClientCertSpec::new("a").eku(ClientEku::ServerAuthOnly))
            .unwrap();
        assert!(verify(webpki_alone(&ca).as_ref(), &server_only).is_err());
        assert!(verify(&ours(&ca), &server_only).is_err());
    }

    #[test]
    fn accepts_client_and_server_auth() {
        let ca = new_ca("CA").unwrap();
        let both = ca
            .issue_client_custom(&ClientCertSpec::new("a").eku(ClientEku::ClientAndServerAuth))
            .unwrap();
        verify(&ours(&ca), &both).unwrap();
    }

    #[test]
    fn refuses_two_common_names_with_the_reason() {
        let ca = new_ca("CA").unwrap();
        let two = ca
            .issue_client_custom(&ClientCertSpec::new("a").common_names(&["a", "b"]))
            .unwrap();
        assert!(verify(webpki_alone(&ca).as_ref(), &two).is_ok());
        let err = verify(&ours(&ca), &two).unwrap_err();
        let rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(reason))) = &err
        else {
            panic!("{err:?}");
        };
        assert!(
            matches!(
                reason.downcast_ref::<TlsError>(),
                Some(TlsError::CommonNameCount(2))
            ),
            "{err:?}"
        );
    }

    #[test]
    fn refuses_bad_pem() {
        let ca = new_ca("CA").unwrap();
        let server = ca.issue_server(&["localhost"], &[], 1).unwrap();
        let no_ca = server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            b"",
            vec![],
        );
        assert!(matches!(
            no_ca,
            Err(TlsError::PemEmpty {
                what: "client CA",
                ..
            })
        ));
        let no_key = server_config(
            server.cert_pem.as_bytes(),
            server.cert_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            vec![],
        );
        assert!(matches!(
            no_key,
            Err(TlsError::PemEmpty {
                what: "server key",
                ..
            })
        ));
        let other = ca.issue_server(&["localhost"], &[], 1).unwrap();
        let mismatched = server_config(
            server.cert_pem.as_bytes(),
            other.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            vec![],
        );
        assert!(
            matches!(mismatched, Err(TlsError::Config(_))),
            "{mismatched:?}"
        );
    }
}

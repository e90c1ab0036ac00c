//! The one error type of this crate.

use std::time::Duration;

use x509_parser::error::X509Error;

/// What can go wrong building the TLS policy, during a handshake, reading a client's
/// identity, or generating development certificates.
///
/// Messages name the field or step that failed, never key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TlsError {
    /// A PEM input could not be decoded.
    #[error("{what}: invalid PEM: {source}")]
    Pem {
        /// Which input (e.g. "server certificate chain").
        what: &'static str,
        /// The decoder's error.
        #[source]
        source: rustls_pki_types::pem::Error,
    },
    /// A PEM input held no item of the expected kind.
    #[error("{what}: no {expected} found in the PEM input")]
    PemEmpty {
        /// Which input.
        what: &'static str,
        /// What was looked for ("CERTIFICATE", "PRIVATE KEY").
        expected: &'static str,
    },
    /// rustls refused the configuration (e.g. a key that does not match the certificate).
    #[error("TLS configuration: {0}")]
    Config(#[from] rustls::Error),
    /// The client certificate verifier could not be built (e.g. no usable CA).
    #[error("client certificate verifier: {0}")]
    Verifier(#[from] rustls::server::VerifierBuilderError),
    /// The TLS handshake failed (I/O error, or a TLS alert: see [`TlsError::rustls_error`]).
    #[error("TLS handshake failed: {0}")]
    Handshake(#[source] std::io::Error),
    /// The peer did not complete the handshake in time.
    #[error("TLS handshake not completed within {0:?}")]
    HandshakeTimeout(Duration),
    /// The peer presented no certificate.
    #[error("the peer presented no client certificate")]
    NoClientCertificate,
    /// The certificate is not well-formed X.509 DER.
    #[error("malformed X.509 certificate: {0}")]
    Certificate(#[source] X509Error),
    /// The subject does not have exactly one Common Name: the identity would be ambiguous.
    #[error("the certificate subject has {0} common names, exactly one is required")]
    CommonNameCount(usize),
    /// The subject's single Common Name is unusable as an identity.
    #[error("the certificate subject's common name is invalid: {0}")]
    InvalidCommonName(&'static str),
    /// An `okms.domain:` UPN otherName SAN is malformed or ambiguous.
    #[error("the certificate's okms.domain UPN is malformed: {0}")]
    MalformedDomain(&'static str),
    /// The certificate has no extended key usage extension, or one without clientAuth.
    #[error("the client certificate lacks the clientAuth extended key usage")]
    MissingClientAuthEku,
    /// Certificate or key generation failed.
    #[error("certificate generation: {0}")]
    Generate(#[from] rcgen::Error),
    /// A [`ClientCertSpec`](crate::pki::ClientCertSpec) asks for what cannot be generated.
    #[error("certificate spec: {0}")]
    InvalidSpec(&'static str),
    /// The CA private key does not belong to the CA certificate.
    #[error("the CA private key does not match the CA certificate's public key")]
    CaKeyMismatch,
}

impl TlsError {
    /// The TLS-level cause of a failed handshake, when there is one (a refused
    /// certificate, an unsupported protocol version, an alert from the peer...).
    pub fn rustls_error(&self) -> Option<&rustls::Error> {
        match self {
            TlsError::Handshake(io) => io.get_ref()?.downcast_ref::<rustls::Error>(),
            TlsError::Config(e) => Some(e),
            _ => None,
        }
    }
}

/// The parser's error from a nom result, `Incomplete` counted as a malformed certificate.
pub(crate) fn x509_error(e: x509_parser::nom::Err<X509Error>) -> TlsError {
    match e {
        x509_parser::nom::Err::Error(e) | x509_parser::nom::Err::Failure(e) => {
            TlsError::Certificate(e)
        }
        x509_parser::nom::Err::Incomplete(_) => {
            TlsError::Certificate(X509Error::InvalidCertificate)
        }
    }
}

//! A development PKI: a CA, a server certificate and client certificates, generated on the
//! server's first start and by tests.
//!
//! Every key is ECDSA P-256. Client certificates carry the clientAuth extended key usage
//! and, for an OVHcloud KMS domain, a critical subjectAltName with a Microsoft UPN
//! otherName `okms.domain:<uuid>` (what [`ClientIdentity`](crate::ClientIdentity) reads).
//! [`ClientCertSpec`] also makes the certificates the server must refuse (expired, no
//! clientAuth, two Common Names...), for negative tests here and in other crates.

use std::fmt;
use std::net::IpAddr;

use rcgen::{
    BasicConstraints, CertificateParams, CustomExtension, DistinguishedName, DnType,
    ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair, KeyUsagePurpose, PKCS_ECDSA_P256_SHA256,
    PublicKeyData, SanType,
};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivateKeyDer};
use time::{Duration, OffsetDateTime};
use zeroize::Zeroizing;

use crate::error::{TlsError, x509_error};
use crate::identity::{DOMAIN_UPN_PREFIX, UPN_OID};

/// How long a new CA is valid: ten years.
const CA_VALIDITY_DAYS: i64 = 3650;

/// Certificates start an hour in the past, so a peer whose clock is slightly behind
/// accepts a certificate issued a moment ago.
const CLOCK_SKEW: Duration = Duration::hours(1);

/// id-ce-subjectAltName, RFC 5280 §4.2.1.6.
const SUBJECT_ALT_NAME_OID: &[u64] = &[2, 5, 29, 17];

/// id-at-commonName, RFC 5280 appendix A.1. rcgen keeps one value per attribute type, so
/// the second Common Name of a test certificate goes in under this "custom" type.
const COMMON_NAME_OID: &[u64] = &[2, 5, 4, 3];

/// A certificate with its private key, both PEM, and the certificate in DER.
pub struct Issued {
    /// The certificate, PEM (`CERTIFICATE`).
    pub cert_pem: String,
    /// The private key, PEM (PKCS#8 `PRIVATE KEY`), wiped from memory on drop.
    pub key_pem: Zeroizing<String>,
    /// The certificate, DER.
    pub cert_der: Vec<u8>,
}

impl Issued {
    /// The certificate, as rustls takes it.
    pub fn certificate_der(&self) -> CertificateDer<'static> {
        CertificateDer::from(self.cert_der.clone())
    }

    /// The private key, as rustls takes it.
    pub fn private_key_der(&self) -> Result<PrivateKeyDer<'static>, TlsError> {
        PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).map_err(|source| TlsError::Pem {
            what: "issued private key",
            source,
        })
    }
}

impl fmt::Debug for Issued {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Issued")
            .field("cert_pem", &self.cert_pem)
            .field("key_pem", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A certificate authority: its certificate and signing key.
pub struct CertificateAuthority {
    issuer: Issuer<'static, KeyPair>,
    cert_pem: String,
    cert_der: Vec<u8>,
}

/// Creates a CA: ECDSA P-256, valid ten years, basic constraints CA with path length 0
/// (it signs end-entity certificates only), key usage keyCertSign and cRLSign.
pub fn new_ca(common_name: &str) -> Result<CertificateAuthority, TlsError> {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
    let now = OffsetDateTime::now_utc();
    let mut params = CertificateParams::default();
    params.distinguished_name = single_dn(common_name);
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    params.not_before = now - CLOCK_SKEW;
    params.not_after = now + Duration::days(CA_VALIDITY_DAYS);
    let cert = params.self_signed(&key)?;
    Ok(CertificateAuthority {
        cert_pem: cert.pem(),
        cert_der: cert.der().to_vec(),
        issuer: Issuer::new(params, key),
    })
}

impl CertificateAuthority {
    /// Reloads a CA saved with [`cert_pem`](Self::cert_pem) and [`key_pem`](Self::key_pem),
    /// refusing a key that does not belong to the certificate.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<CertificateAuthority, TlsError> {
        let key = KeyPair::from_pem(key_pem)?;
        let cert_der = CertificateDer::from_pem_slice(cert_pem.as_bytes())
            .map_err(|source| TlsError::Pem {
                what: "CA certificate",
                source,
            })?
            .to_vec();
        let (_, x509) = x509_parser::parse_x509_certificate(&cert_der).map_err(x509_error)?;
        if x509.public_key().raw != key.subject_public_key_info().as_slice() {
            return Err(TlsError::CaKeyMismatch);
        }
        Ok(CertificateAuthority {
            issuer: Issuer::from_ca_cert_der(&CertificateDer::from(cert_der.as_slice()), key)?,
            cert_pem: cert_pem.to_owned(),
            cert_der,
        })
    }

    /// The CA certificate, PEM: what a server trusts client certificates by, and what a
    /// client trusts the server by.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The CA certificate, DER.
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// The CA private key, PEM (PKCS#8), to save next to the certificate.
    pub fn key_pem(&self) -> Zeroizing<String> {
        Zeroizing::new(self.issuer.key().serialize_pem())
    }

    /// Issues a server certificate: subject CN the first DNS name (else `kms`), the DNS
    /// names and IP addresses as subjectAltNames, serverAuth extended key usage, valid
    /// `validity_days` from now.
    pub fn issue_server(
        &self,
        dns_names: &[&str],
        ips: &[IpAddr],
        validity_days: u32,
    ) -> Result<Issued, TlsError> {
        let mut params = CertificateParams::default();
        params.distinguished_name = single_dn(dns_names.first().copied().unwrap_or("kms"));
        for name in dns_names {
            params
                .subject_alt_names
                .push(SanType::DnsName((*name).try_into()?));
        }
        params
            .subject_alt_names
            .extend(ips.iter().copied().map(SanType::IpAddress));
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        let validity = ClientValidity::days(validity_days);
        self.sign(params, validity)
    }

    /// Issues a client certificate for `common_name`, with the clientAuth extended key
    /// usage and, when `domain` is given, the critical subjectAltName UPN
    /// `okms.domain:<domain>`.
    pub fn issue_client(
        &self,
        common_name: &str,
        domain: Option<&str>,
        validity: ClientValidity,
    ) -> Result<Issued, TlsError> {
        let mut spec = ClientCertSpec::new(common_name).validity(validity);
        if let Some(domain) = domain {
            spec = spec.domain(domain);
        }
        self.issue_client_custom(&spec)
    }

    /// Issues a client certificate as `spec` describes, including ones a server must
    /// refuse.
    pub fn issue_client_custom(&self, spec: &ClientCertSpec) -> Result<Issued, TlsError> {
        let mut params = CertificateParams::default();
        let mut dn = DistinguishedName::new();
        match spec.common_names.as_slice() {
            [] => {}
            [one] => dn.push(DnType::CommonName, one.as_str()),
            [first, second] => {
                dn.push(DnType::CommonName, first.as_str());
                dn.push(
                    DnType::CustomDnType(COMMON_NAME_OID.to_vec()),
                    second.as_str(),
                );
            }
            _ => return Err(TlsError::InvalidSpec("at most two common names")),
        }
        params.distinguished_name = dn;
        params.extended_key_usages = match spec.eku {
            ClientEku::ClientAuth => vec![ExtendedKeyUsagePurpose::ClientAuth],
            ClientEku::ServerAuthOnly => vec![ExtendedKeyUsagePurpose::ServerAuth],
            ClientEku::ClientAndServerAuth => vec![
                ExtendedKeyUsagePurpose::ClientAuth,
                ExtendedKeyUsagePurpose::ServerAuth,
            ],
            ClientEku::None => Vec::new(),
        };
        if !spec.upns.is_empty() {
            // rcgen marks the SAN critical only when the subject is empty; OVHcloud's
            // client certificates mark it critical always, so it is written here.
            let mut san =
                CustomExtension::from_oid_content(SUBJECT_ALT_NAME_OID, upn_san(&spec.upns));
            san.set_criticality(true);
            params.custom_extensions.push(san);
        }
        self.sign(params, spec.validity)
    }

    /// Signs `params` for a new P-256 key: key usage digitalSignature, an authority key
    /// identifier, the given validity.
    fn sign(
        &self,
        mut params: CertificateParams,
        validity: ClientValidity,
    ) -> Result<Issued, TlsError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)?;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.use_authority_key_identifier_extension = true;
        params.not_before = validity.not_before;
        params.not_after = validity.not_after;
        let cert = params.signed_by(&key, &self.issuer)?;
        Ok(Issued {
            cert_pem: cert.pem(),
            key_pem: Zeroizing::new(key.serialize_pem()),
            cert_der: cert.der().to_vec(),
        })
    }
}

impl fmt::Debug for CertificateAuthority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CertificateAuthority")
            .field("cert_pem", &self.cert_pem)
            .field("key", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// When a client certificate is valid.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientValidity {
    /// Not valid before.
    pub not_before: OffsetDateTime,
    /// Not valid after.
    pub not_after: OffsetDateTime,
}

impl ClientValidity {
    /// From an hour ago (clock skew) to `days` days from now.
    pub fn days(days: u32) -> ClientValidity {
        let now = OffsetDateTime::now_utc();
        ClientValidity {
            not_before: now - CLOCK_SKEW,
            not_after: now + Duration::days(i64::from(days)),
        }
    }

    /// Expired yesterday (valid from thirty days ago until one day ago).
    pub fn expired() -> ClientValidity {
        let now = OffsetDateTime::now_utc();
        ClientValidity {
            not_before: now - Duration::days(30),
            not_after: now - Duration::days(1),
        }
    }

    /// Valid from tomorrow for thirty days.
    pub fn not_yet_valid() -> ClientValidity {
        let now = OffsetDateTime::now_utc();
        ClientValidity {
            not_before: now + Duration::days(1),
            not_after: now + Duration::days(30),
        }
    }
}

impl Default for ClientValidity {
    /// One year.
    fn default() -> ClientValidity {
        ClientValidity::days(365)
    }
}

/// The extended key usages a client certificate carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientEku {
    /// clientAuth only: what a client certificate should have.
    ClientAuth,
    /// serverAuth only: refused by the server.
    ServerAuthOnly,
    /// clientAuth and serverAuth.
    ClientAndServerAuth,
    /// No extended key usage extension at all: refused by the server.
    None,
}

/// What a client certificate holds; by default a valid one (one CN, clientAuth, a year).
/// The other settings make certificates the server must refuse, for tests.
///
/// ```
/// use kms_tls::pki::{ClientCertSpec, ClientEku, ClientValidity, new_ca};
///
/// let ca = new_ca("test CA")?;
/// let expired = ca.issue_client_custom(
///     &ClientCertSpec::new("alice").validity(ClientValidity::expired()),
/// )?;
/// let two_cns = ca.issue_client_custom(&ClientCertSpec::new("a").common_names(&["a", "b"]))?;
/// let no_eku = ca.issue_client_custom(&ClientCertSpec::new("a").eku(ClientEku::None))?;
/// # Ok::<(), kms_tls::TlsError>(())
/// ```
#[derive(Debug, Clone)]
pub struct ClientCertSpec {
    common_names: Vec<String>,
    /// DER of each UPN otherName's `[0] EXPLICIT` value, in order.
    upns: Vec<Vec<u8>>,
    eku: ClientEku,
    validity: ClientValidity,
}

impl ClientCertSpec {
    /// A valid client certificate for `common_name`, without a domain.
    pub fn new(common_name: &str) -> ClientCertSpec {
        ClientCertSpec {
            common_names: vec![common_name.to_owned()],
            upns: Vec::new(),
            eku: ClientEku::ClientAuth,
            validity: ClientValidity::default(),
        }
    }

    /// Replaces the subject's Common Names: none, one, or two (the server refuses zero
    /// and two). More than two is refused at issue time.
    pub fn common_names(mut self, names: &[&str]) -> ClientCertSpec {
        self.common_names = names.iter().map(|n| (*n).to_owned()).collect();
        self
    }

    /// Adds the UPN `okms.domain:<domain>` (the domain is not checked here).
    pub fn domain(self, domain: &str) -> ClientCertSpec {
        self.upn(&format!("{DOMAIN_UPN_PREFIX}{domain}"))
    }

    /// Adds a UPN otherName with any UTF-8 value.
    pub fn upn(mut self, value: &str) -> ClientCertSpec {
        self.upns
            .push(der(0xA0, &der(UTF8_STRING, value.as_bytes())));
        self
    }

    /// Adds a UPN otherName whose value is these raw bytes in place of the
    /// `[0] EXPLICIT UTF8String`, to test malformed encodings.
    pub fn upn_der(mut self, value: Vec<u8>) -> ClientCertSpec {
        self.upns.push(value);
        self
    }

    /// Sets the extended key usages.
    pub fn eku(mut self, eku: ClientEku) -> ClientCertSpec {
        self.eku = eku;
        self
    }

    /// Sets the validity period.
    pub fn validity(mut self, validity: ClientValidity) -> ClientCertSpec {
        self.validity = validity;
        self
    }
}

/// A distinguished name with one Common Name.
fn single_dn(common_name: &str) -> DistinguishedName {
    let mut dn = DistinguishedName::new();
    dn.push(DnType::CommonName, common_name);
    dn
}

const UTF8_STRING: u8 = 0x0C;
const OBJECT_IDENTIFIER: u8 = 0x06;
const SEQUENCE: u8 = 0x30;
/// `[0]` constructed: otherName in GeneralName (IMPLICIT), and the value inside it
/// (EXPLICIT).
const CONTEXT_0: u8 = 0xA0;

/// The subjectAltName extension value: one otherName of type UPN per value.
/// RFC 5280 §4.2.1.6: `OtherName ::= SEQUENCE { type-id OID, value [0] EXPLICIT ANY }`.
fn upn_san(values: &[Vec<u8>]) -> Vec<u8> {
    let oid = der(OBJECT_IDENTIFIER, &oid_content(UPN_OID));
    let mut names = Vec::new();
    for value in values {
        let mut other_name = oid.clone();
        other_name.extend_from_slice(value);
        names.extend(der(CONTEXT_0, &other_name));
    }
    der(SEQUENCE, &names)
}

/// One DER TLV with a single-byte tag.
fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let first = bytes
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(bytes.len() - 1);
        let significant = bytes.get(first..).unwrap_or_default();
        out.push(0x80 | significant.len() as u8);
        out.extend_from_slice(significant);
    }
    out.extend_from_slice(content);
    out
}

/// The content octets of an OBJECT IDENTIFIER (X.690 §8.19).
fn oid_content(arcs: &[u64]) -> Vec<u8> {
    let mut out = Vec::new();
    let (first, rest) = match arcs {
        [a, b, rest @ ..] => (a * 40 + b, rest),
        _ => return out,
    };
    for arc in std::iter::once(first).chain(rest.iter().copied()) {
        let mut groups = vec![(arc & 0x7F) as u8];
        let mut v = arc >> 7;
        while v > 0 {
            groups.push((v & 0x7F) as u8 | 0x80);
            v >>= 7;
        }
        out.extend(groups.iter().rev());
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use x509_parser::extensions::GeneralName;

    #[test]
    fn encodes_the_upn_oid() {
        assert_eq!(
            oid_content(UPN_OID),
            [0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03]
        );
    }

    #[test]
    fn encodes_long_lengths() {
        assert_eq!(der(0x04, &[0; 0x7F])[..2], [0x04, 0x7F]);
        assert_eq!(der(0x04, &[0; 0x80])[..3], [0x04, 0x81, 0x80]);
        assert_eq!(der(0x04, &[0; 0x1234])[..4], [0x04, 0x82, 0x12, 0x34]);
    }

    #[test]
    fn ca_is_a_ten_year_p256_ca() {
        let ca = new_ca("dev CA").unwrap();
        let (_, x509) = x509_parser::parse_x509_certificate(ca.cert_der()).unwrap();
        assert!(x509.is_ca());
        let bc = x509.basic_constraints().unwrap().unwrap();
        assert!(bc.critical);
        assert_eq!(bc.value.path_len_constraint, Some(0));
        let ku = x509.key_usage().unwrap().unwrap();
        assert!(ku.value.key_cert_sign());
        let validity = x509.validity().time_to_expiration().unwrap();
        assert!(validity > Duration::days(3649) && validity <= Duration::days(3650));
        assert_eq!(
            x509.public_key()
                .algorithm
                .parameters
                .as_ref()
                .map(|p| p.as_oid().unwrap().to_id_string()),
            Some("1.2.840.10045.3.1.7".to_owned())
        );
    }

    #[test]
    fn client_certificate_has_client_auth_and_a_critical_upn() {
        let ca = new_ca("dev CA").unwrap();
        let issued = ca
            .issue_client(
                "alice",
                Some("6f1f3a52-8a3e-4f7e-9c1d-0b2a4c6e8f10"),
                ClientValidity::days(30),
            )
            .unwrap();
        let (_, x509) = x509_parser::parse_x509_certificate(&issued.cert_der).unwrap();
        let eku = x509.extended_key_usage().unwrap().unwrap();
        assert!(eku.value.client_auth && !eku.value.server_auth);
        let san = x509.subject_alternative_name().unwrap().unwrap();
        assert!(san.critical);
        assert!(matches!(
            san.value.general_names.as_slice(),
            [GeneralName::OtherName(oid, _)] if oid.to_id_string() == "1.3.6.1.4.1.311.20.2.3"
        ));
        let (_, root) = x509_parser::parse_x509_certificate(ca.cert_der()).unwrap();
        assert_eq!(x509.issuer().as_raw(), root.subject().as_raw());
    }

    #[test]
    fn server_certificate_has_server_auth_and_names() {
        let ca = new_ca("dev CA").unwrap();
        let ip: IpAddr = "127.0.0.1".parse().unwrap();
        let issued = ca.issue_server(&["localhost"], &[ip], 30).unwrap();
        let (_, x509) = x509_parser::parse_x509_certificate(&issued.cert_der).unwrap();
        let eku = x509.extended_key_usage().unwrap().unwrap();
        assert!(eku.value.server_auth && !eku.value.client_auth);
        let san = x509.subject_alternative_name().unwrap().unwrap();
        assert_eq!(
            san.value.general_names,
            vec![
                GeneralName::DNSName("localhost"),
                GeneralName::IPAddress(&[127, 0, 0, 1])
            ]
        );
    }

    #[test]
    fn client_without_eku_has_no_eku_extension() {
        let ca = new_ca("dev CA").unwrap();
        let issued = ca
            .issue_client_custom(&ClientCertSpec::new("a").eku(ClientEku::None))
            .unwrap();
        let (_, x509) = x509_parser::parse_x509_certificate(&issued.cert_der).unwrap();
        assert!(x509.extended_key_usage().unwrap().is_none());
    }

    #[test]
    fn reloaded_ca_issues_certificates_that_chain_to_it() {
        let ca = new_ca("dev CA").unwrap();
        let reloaded = CertificateAuthority::from_pem(ca.cert_pem(), &ca.key_pem()).unwrap();
        assert_eq!(reloaded.cert_der(), ca.cert_der());
        let issued = reloaded
            .issue_client("a", None, ClientValidity::days(1))
            .unwrap();
        let (_, leaf) = x509_parser::parse_x509_certificate(&issued.cert_der).unwrap();
        let (_, root) = x509_parser::parse_x509_certificate(ca.cert_der()).unwrap();
        assert_eq!(leaf.issuer().as_raw(), root.subject().as_raw());
        leaf.verify_signature(Some(root.public_key())).unwrap();
        // The authority key identifier still names the CA's subject key identifier.
        let aki = leaf
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::AuthorityKeyIdentifier(a) => {
                    a.key_identifier.clone()
                }
                _ => None,
            })
            .unwrap();
        let ski = root
            .extensions()
            .iter()
            .find_map(|e| match e.parsed_extension() {
                x509_parser::extensions::ParsedExtension::SubjectKeyIdentifier(k) => {
                    Some(k.clone())
                }
                _ => None,
            })
            .unwrap();
        assert_eq!(aki.0, ski.0);
    }

    #[test]
    fn refuses_a_ca_key_that_does_not_match() {
        let ca = new_ca("dev CA").unwrap();
        let other = new_ca("other CA").unwrap();
        assert!(matches!(
            CertificateAuthority::from_pem(ca.cert_pem(), &other.key_pem()),
            Err(TlsError::CaKeyMismatch)
        ));
    }

    #[test]
    fn debug_redacts_keys() {
        let ca = new_ca("dev CA").unwrap();
        let issued = ca.issue_client("a", None, ClientValidity::days(1)).unwrap();
        for text in [format!("{ca:?}"), format!("{issued:?}")] {
            assert!(text.contains("[redacted]"));
            assert!(!text.contains("PRIVATE KEY"));
        }
    }
}

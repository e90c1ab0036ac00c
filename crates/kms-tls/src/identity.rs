//! The client identity, taken from the verified client certificate only.

use std::fmt;

use x509_parser::asn1_rs::{Any, Class, FromDer, Tag};
use x509_parser::certificate::X509Certificate;
use x509_parser::error::X509Error;
use x509_parser::extensions::GeneralName;
use x509_parser::x509::X509Name;

use crate::error::{TlsError, x509_error};

/// The prefix of the UPN value that names an OVHcloud KMS domain: `okms.domain:<uuid>`.
pub const DOMAIN_UPN_PREFIX: &str = "okms.domain:";

/// The Microsoft User Principal Name otherName type, OID 1.3.6.1.4.1.311.20.2.3.
pub const UPN_OID: &[u64] = &[1, 3, 6, 1, 4, 1, 311, 20, 2, 3];

/// [`UPN_OID`] as DER content octets, to compare with a parsed OID without allocating.
const UPN_OID_DER: &[u8] = &[0x2B, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03];

/// Who a connection belongs to.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientIdentity {
    /// The subject's single Common Name.
    pub common_name: String,
    /// The OVHcloud KMS domain (`okms.domain:<uuid>` in a UPN otherName SAN), if any.
    pub domain: Option<String>,
}

impl ClientIdentity {
    /// Reads the identity from a DER client certificate.
    ///
    /// - The subject must have exactly one Common Name, a non-empty string without control
    ///   characters: zero or several would make the identity ambiguous (the PyKMIP rule).
    /// - The domain is the value of the otherName SAN of type Microsoft UPN
    ///   (OID 1.3.6.1.4.1.311.20.2.3, RFC 5280 §4.2.1.6) that reads
    ///   `okms.domain:<uuid>`, the UUID in its hyphenated form, returned in lower case.
    ///   UPNs with other values are ignored. A UPN that is not a UTF8String inside its
    ///   `[0] EXPLICIT` wrapper, an `okms.domain:` value that is not a UUID, and two
    ///   different domains are refused.
    ///
    /// This reads names only: chain, validity and key usage are the verifier's job
    /// (see [`crate::server_config`], which also calls this during the handshake).
    pub fn from_der(cert: &[u8]) -> Result<ClientIdentity, TlsError> {
        let (rest, x509) = x509_parser::parse_x509_certificate(cert).map_err(x509_error)?;
        if !rest.is_empty() {
            return Err(TlsError::Certificate(X509Error::InvalidCertificate));
        }
        Ok(ClientIdentity {
            common_name: single_common_name(x509.subject())?,
            domain: domain(&x509)?,
        })
    }

    /// Reads the identity from the first (end-entity) certificate the peer presented on a
    /// completed handshake.
    pub fn from_connection(conn: &rustls::ServerConnection) -> Result<ClientIdentity, TlsError> {
        let cert = conn
            .peer_certificates()
            .and_then(|chain| chain.first())
            .ok_or(TlsError::NoClientCertificate)?;
        ClientIdentity::from_der(cert)
    }

    /// The owner name objects are stored under: `domain:<uuid>` when the certificate
    /// names a domain (all of a domain's certificates share its keys), else `cn:<CN>`.
    pub fn owner(&self) -> String {
        match &self.domain {
            Some(d) => format!("domain:{d}"),
            None => format!("cn:{}", self.common_name),
        }
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("common_name", &self.common_name)
            .field("domain", &self.domain)
            .finish()
    }
}

/// The subject's only Common Name. Several CNs in one multi-valued RDN count too.
fn single_common_name(subject: &X509Name<'_>) -> Result<String, TlsError> {
    let mut names = subject.iter_common_name();
    let cn = match (names.next(), names.next()) {
        (Some(cn), None) => cn,
        (None, _) => return Err(TlsError::CommonNameCount(0)),
        (Some(_), Some(_)) => return Err(TlsError::CommonNameCount(2 + names.count())),
    };
    // PrintableString, UTF8String, IA5String and NumericString; BMPString and the like are
    // refused rather than guessed at.
    let cn = cn
        .as_str()
        .map_err(|_| TlsError::InvalidCommonName("not a UTF-8 string type"))?;
    if cn.is_empty() {
        return Err(TlsError::InvalidCommonName("empty"));
    }
    if cn.chars().any(char::is_control) {
        return Err(TlsError::InvalidCommonName("control characters"));
    }
    Ok(cn.to_owned())
}

/// The `okms.domain:<uuid>` UPN's UUID, if the certificate has one.
fn domain(x509: &X509Certificate<'_>) -> Result<Option<String>, TlsError> {
    let Some(san) = x509
        .subject_alternative_name()
        .map_err(TlsError::Certificate)?
    else {
        return Ok(None);
    };
    let mut found: Option<String> = None;
    for name in &san.value.general_names {
        let GeneralName::OtherName(oid, value) = name else {
            continue;
        };
        if oid.as_bytes() != UPN_OID_DER {
            continue;
        }
        let Some(uuid) = upn_value(value)?.strip_prefix(DOMAIN_UPN_PREFIX) else {
            continue;
        };
        let uuid = canonical_uuid(uuid)?;
        match &found {
            Some(previous) if *previous != uuid => {
                return Err(TlsError::MalformedDomain("two different domains"));
            }
            _ => found = Some(uuid),
        }
    }
    Ok(found)
}

/// The UPN string: `[0] EXPLICIT UTF8String`, in DER, with nothing after it.
fn upn_value(value: &[u8]) -> Result<&str, TlsError> {
    const MALFORMED: TlsError = TlsError::MalformedDomain("UPN is not [0] EXPLICIT UTF8String");
    let (rest, wrapper) = Any::from_der(value).map_err(|_| MALFORMED)?;
    if !rest.is_empty()
        || wrapper.header.class() != Class::ContextSpecific
        || wrapper.header.tag() != Tag(0)
        || !wrapper.header.is_constructed()
    {
        return Err(MALFORMED);
    }
    let (rest, inner) = Any::from_der(wrapper.data).map_err(|_| MALFORMED)?;
    if !rest.is_empty()
        || inner.header.class() != Class::Universal
        || inner.header.tag() != Tag::Utf8String
        || inner.header.is_constructed()
    {
        return Err(MALFORMED);
    }
    std::str::from_utf8(inner.data).map_err(|_| MALFORMED)
}

/// A UUID in the hyphenated 8-4-4-4-12 hex form, lower-cased so one domain has one owner
/// name whatever case the issuing CA used.
fn canonical_uuid(s: &str) -> Result<String, TlsError> {
    let well_formed = s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
    if !well_formed {
        return Err(TlsError::MalformedDomain("okms.domain value is not a UUID"));
    }
    Ok(s.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::pki::{CertificateAuthority, ClientCertSpec, ClientValidity, new_ca};

    const UUID: &str = "6f1f3a52-8a3e-4f7e-9c1d-0b2a4c6e8f10";

    fn ca() -> CertificateAuthority {
        new_ca("identity test CA").unwrap()
    }

    fn identity(spec: &ClientCertSpec) -> Result<ClientIdentity, TlsError> {
        let issued = ca().issue_client_custom(spec).unwrap();
        ClientIdentity::from_der(&issued.cert_der)
    }

    #[test]
    fn reads_common_name_and_domain() {
        let issued = ca()
            .issue_client("alice", Some(UUID), ClientValidity::days(1))
            .unwrap();
        let id = ClientIdentity::from_der(&issued.cert_der).unwrap();
        assert_eq!(id.common_name, "alice");
        assert_eq!(id.domain.as_deref(), Some(UUID));
        assert_eq!(id.owner(), format!("domain:{UUID}"));
    }

    #[test]
    fn without_domain_the_owner_is_the_common_name() {
        let id = identity(&ClientCertSpec::new("bob")).unwrap();
        assert_eq!(id.domain, None);
        assert_eq!(id.owner(), "cn:bob");
    }

    #[test]
    fn lower_cases_the_domain() {
        let id = identity(&ClientCertSpec::new("c").domain(&UUID.to_uppercase())).unwrap();
        assert_eq!(id.domain.as_deref(), Some(UUID));
    }

    #[test]
    fn ignores_other_upn_values() {
        let spec = ClientCertSpec::new("c")
            .upn("alice@example.com")
            .domain(UUID)
            .upn("okms.other:x");
        assert_eq!(identity(&spec).unwrap().domain.as_deref(), Some(UUID));
        let only_other = ClientCertSpec::new("c").upn("alice@example.com");
        assert_eq!(identity(&only_other).unwrap().domain, None);
    }

    #[test]
    fn accepts_the_same_domain_twice() {
        let spec = ClientCertSpec::new("c").domain(UUID).domain(UUID);
        assert_eq!(identity(&spec).unwrap().domain.as_deref(), Some(UUID));
    }

    #[test]
    fn rejects_two_different_domains() {
        let spec = ClientCertSpec::new("c")
            .domain(UUID)
            .domain("00000000-0000-4000-8000-000000000000");
        assert!(matches!(
            identity(&spec),
            Err(TlsError::MalformedDomain("two different domains"))
        ));
    }

    #[test]
    fn rejects_a_domain_that_is_not_a_uuid() {
        for bad in [
            "",
            "not-a-uuid",
            "6f1f3a528a3e4f7e9c1d0b2a4c6e8f10",
            "{6f1f3a52-8a3e-4f7e-9c1d-0b2a4c6e8f10}",
            "6f1f3a52-8a3e-4f7e-9c1d-0b2a4c6e8f1g",
            "6f1f3a52-8a3e-4f7e-9c1d-0b2a4c6e8f10 ",
        ] {
            let result = identity(&ClientCertSpec::new("c").domain(bad));
            assert!(
                matches!(result, Err(TlsError::MalformedDomain(_))),
                "{bad:?}: {result:?}"
            );
        }
    }

    #[test]
    fn rejects_a_upn_that_is_not_a_utf8_string() {
        // IA5String (0x16) instead of UTF8String (0x0C) inside the [0] wrapper.
        let mut value = vec![0xA0, 0x0E, 0x16, 0x0C];
        value.extend_from_slice(b"okms.domain:");
        let spec = ClientCertSpec::new("c").upn_der(value);
        assert!(matches!(identity(&spec), Err(TlsError::MalformedDomain(_))));
    }

    #[test]
    fn rejects_a_upn_without_its_explicit_wrapper() {
        let mut value = vec![0x0C, 0x0C];
        value.extend_from_slice(b"okms.domain:");
        let spec = ClientCertSpec::new("c").upn_der(value);
        assert!(matches!(identity(&spec), Err(TlsError::MalformedDomain(_))));
    }

    #[test]
    fn rejects_trailing_bytes_after_the_upn() {
        let mut value = vec![0xA0, 0x03, 0x0C, 0x01, b'x'];
        value.push(0x00);
        let spec = ClientCertSpec::new("c").upn_der(value);
        assert!(matches!(identity(&spec), Err(TlsError::MalformedDomain(_))));
    }

    #[test]
    fn rejects_two_common_names() {
        let spec = ClientCertSpec::new("a").common_names(&["a", "b"]);
        assert!(matches!(identity(&spec), Err(TlsError::CommonNameCount(2))));
    }

    #[test]
    fn rejects_no_common_name() {
        let spec = ClientCertSpec::new("a").common_names(&[]).domain(UUID);
        assert!(matches!(identity(&spec), Err(TlsError::CommonNameCount(0))));
    }

    #[test]
    fn rejects_an_empty_or_control_character_common_name() {
        for cn in ["", "a\nb", "a\u{0}"] {
            let result = identity(&ClientCertSpec::new(cn));
            assert!(
                matches!(result, Err(TlsError::InvalidCommonName(_))),
                "{cn:?}: {result:?}"
            );
        }
    }

    #[test]
    fn rejects_garbage_and_trailing_bytes() {
        assert!(matches!(
            ClientIdentity::from_der(b"not a certificate"),
            Err(TlsError::Certificate(_))
        ));
        let mut der = ca()
            .issue_client("c", None, ClientValidity::days(1))
            .unwrap()
            .cert_der;
        der.push(0);
        assert!(matches!(
            ClientIdentity::from_der(&der),
            Err(TlsError::Certificate(_))
        ));
    }
}

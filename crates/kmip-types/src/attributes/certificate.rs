//! Attribute values that describe a certificate: the X.509 identifier, subject and issuer
//! (KMIP 1.1 and later) and the KMIP 1.0 forms they replaced.

kmip_struct! {
    /// X.509 Certificate Identifier (KMIP 1.4 §3.10, KMIP 2.0 §4).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct X509CertificateIdentifier {
        /// DER-encoded issuer distinguished name.
        req issuer_distinguished_name: Vec<u8> = ISSUER_DISTINGUISHED_NAME,
        /// The certificate serial number.
        req certificate_serial_number: Vec<u8> = CERTIFICATE_SERIAL_NUMBER,
    }
}

kmip_struct! {
    /// X.509 Certificate Subject (KMIP 1.4 §3.11, KMIP 2.0 §4).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct X509CertificateSubject {
        /// DER-encoded subject distinguished name.
        req subject_distinguished_name: Vec<u8> = SUBJECT_DISTINGUISHED_NAME,
        /// DER-encoded subject alternative names.
        vec subject_alternative_name: Vec<u8> = SUBJECT_ALTERNATIVE_NAME,
    }
}

kmip_struct! {
    /// X.509 Certificate Issuer (KMIP 1.4 §3.12, KMIP 2.0 §4).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct X509CertificateIssuer {
        /// DER-encoded issuer distinguished name.
        req issuer_distinguished_name: Vec<u8> = ISSUER_DISTINGUISHED_NAME,
        /// DER-encoded issuer alternative names.
        vec issuer_alternative_name: Vec<u8> = ISSUER_ALTERNATIVE_NAME,
    }
}

kmip_struct! {
    /// Certificate Identifier (KMIP 1.4 §3.13; deprecated in 1.1, gone in 2.0).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct CertificateIdentifier {
        /// Issuer distinguished name, as text.
        req issuer: String = ISSUER,
        /// Serial number, as text.
        opt serial_number: String = SERIAL_NUMBER,
    }
}

kmip_struct! {
    /// Certificate Subject (KMIP 1.4 §3.14; deprecated in 1.1, gone in 2.0).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct CertificateSubject {
        /// Subject distinguished name, as text.
        req certificate_subject_distinguished_name: String = CERTIFICATE_SUBJECT_DISTINGUISHED_NAME,
        /// Subject alternative names, as text.
        vec certificate_subject_alternative_name: String = CERTIFICATE_SUBJECT_ALTERNATIVE_NAME,
    }
}

kmip_struct! {
    /// Certificate Issuer (KMIP 1.4 §3.15; deprecated in 1.1, gone in 2.0).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct CertificateIssuer {
        /// Issuer distinguished name, as text.
        req certificate_issuer_distinguished_name: String = CERTIFICATE_ISSUER_DISTINGUISHED_NAME,
        /// Issuer alternative names, as text.
        vec certificate_issuer_alternative_name: String = CERTIFICATE_ISSUER_ALTERNATIVE_NAME,
    }
}

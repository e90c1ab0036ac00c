//! Certify and Re-certify (KMIP 1.4 §4.7–4.8, KMIP 2.0 §6.1): a certificate for a public
//! key, from a certificate request or an existing certificate.
//!
//! KMIP 1.x sends the request as a Byte String under the Certificate Request tag; KMIP 2.0
//! made Certificate Request a managed object and sends its value under Certificate
//! Request Value, or names a registered one.

use super::ProtectionStorageMasks;
use crate::UniqueId;
use crate::attributes::{Attributes, TemplateAttribute};
use crate::{CertificateRequestType, Interval};

kmip_struct! {
    /// Certify request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct CertifyRequest {
        /// The public key to certify (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// A registered Certificate Request object (KMIP 2.0).
        opt [V2_0..] certificate_request_unique_identifier: UniqueId = CERTIFICATE_REQUEST_UNIQUE_IDENTIFIER,
        /// The format of the certificate request (required with one).
        opt certificate_request_type: CertificateRequestType = CERTIFICATE_REQUEST_TYPE,
        /// The certificate request (KMIP 1.x).
        opt [..V2_0] certificate_request: Vec<u8> = CERTIFICATE_REQUEST,
        /// The certificate request (KMIP 2.0).
        opt [V2_0..] certificate_request_value: Vec<u8> = CERTIFICATE_REQUEST_VALUE,
        /// Attributes of the new certificate (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the new certificate (KMIP 2.0).
        opt [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

kmip_struct! {
    /// Certify and Re-certify response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct CertifyResponse {
        /// The new certificate's identifier.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Attributes the server set implicitly (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
    }
}

kmip_struct! {
    /// Re-certify request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct ReCertifyRequest {
        /// The certificate to renew (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// A registered Certificate Request object (KMIP 2.0).
        opt [V2_0..] certificate_request_unique_identifier: UniqueId = CERTIFICATE_REQUEST_UNIQUE_IDENTIFIER,
        /// The format of the certificate request (required with one).
        opt certificate_request_type: CertificateRequestType = CERTIFICATE_REQUEST_TYPE,
        /// The certificate request (KMIP 1.x).
        opt [..V2_0] certificate_request: Vec<u8> = CERTIFICATE_REQUEST,
        /// The certificate request (KMIP 2.0).
        opt [V2_0..] certificate_request_value: Vec<u8> = CERTIFICATE_REQUEST_VALUE,
        /// Time between the new certificate's Initial Date and its Activation Date.
        opt offset: Interval = OFFSET,
        /// Attributes of the new certificate (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the new certificate (KMIP 2.0).
        opt [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

/// Re-certify response.
pub type ReCertifyResponse = CertifyResponse;

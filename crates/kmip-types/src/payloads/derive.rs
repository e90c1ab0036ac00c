//! Derive Key (KMIP 1.4 §4.6, KMIP 2.0 §6.1): a new key or secret derived from one or
//! more existing objects.

use super::ProtectionStorageMasks;
use crate::UniqueId;
use crate::attributes::{Attributes, CryptographicParameters, TemplateAttribute};
use crate::{DerivationMethod, ObjectType};

kmip_struct! {
    /// Derive Key request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DeriveKeyRequest {
        /// The type of object to derive.
        req object_type: ObjectType = OBJECT_TYPE,
        /// The objects to derive from (at least one; `vec` does not count them).
        vec unique_identifiers: UniqueId = UNIQUE_IDENTIFIER,
        /// How to derive.
        req derivation_method: DerivationMethod = DERIVATION_METHOD,
        /// The method's parameters.
        req derivation_parameters: DerivationParameters = DERIVATION_PARAMETERS,
        /// Attributes of the new object (KMIP 1.x; required there).
        ver [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the new object (KMIP 2.0; required there, with at least the
        /// length and algorithm of a new key).
        ver [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

kmip_struct! {
    /// Derivation Parameters (KMIP 1.4 §4.6).
    #[derive(Debug, PartialEq, Eq)]
    pub struct DerivationParameters {
        /// Hash or encryption parameters of the method.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// Initialization vector of an encryption-based method.
        opt initialization_vector: Vec<u8> = INITIALIZATION_VECTOR,
        /// Data to hash or encrypt.
        opt derivation_data: Vec<u8> = DERIVATION_DATA,
        /// Salt of PBKDF2.
        opt salt: Vec<u8> = SALT,
        /// Iteration count of PBKDF2.
        opt iteration_count: i32 = ITERATION_COUNT,
    }
}

kmip_struct! {
    /// Derive Key response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DeriveKeyResponse {
        /// The new object's identifier.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Attributes the server set implicitly (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
    }
}

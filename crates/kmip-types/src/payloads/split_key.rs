//! Create Split Key and Join Split Key (KMIP 1.4 §4.38–4.39, KMIP 2.0 §6.1): a key split
//! into parts, any threshold of which rebuild it.

use kmip_ttlv::BigInteger;

use super::ProtectionStorageMasks;
use crate::UniqueId;
use crate::attributes::{Attributes, TemplateAttribute};
use crate::{ObjectType, SecretDataType, SplitKeyMethod};

kmip_struct! {
    /// Create Split Key request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct CreateSplitKeyRequest {
        /// The type of the key to split.
        req object_type: ObjectType = OBJECT_TYPE,
        /// An existing key to split; the server generates one when absent.
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// How many parts.
        req split_key_parts: i32 = SPLIT_KEY_PARTS,
        /// How many parts rebuild the key.
        req split_key_threshold: i32 = SPLIT_KEY_THRESHOLD,
        /// How to split.
        req split_key_method: SplitKeyMethod = SPLIT_KEY_METHOD,
        /// The prime field of a polynomial sharing method.
        opt prime_field_size: BigInteger = PRIME_FIELD_SIZE,
        /// Attributes of the parts (KMIP 1.x; required there).
        ver [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the parts (KMIP 2.0; required there).
        ver [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

kmip_struct! {
    /// Create Split Key response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CreateSplitKeyResponse {
        /// The parts, in order.
        vec unique_identifiers: UniqueId = UNIQUE_IDENTIFIER,
    }
}

kmip_struct! {
    /// Join Split Key request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct JoinSplitKeyRequest {
        /// The type of the rebuilt object.
        req object_type: ObjectType = OBJECT_TYPE,
        /// The parts.
        vec unique_identifiers: UniqueId = UNIQUE_IDENTIFIER,
        /// The type of rebuilt secret data.
        opt secret_data_type: SecretDataType = SECRET_DATA_TYPE,
        /// Attributes of the rebuilt object (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the rebuilt object (KMIP 2.0).
        opt [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

kmip_struct! {
    /// Join Split Key response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct JoinSplitKeyResponse {
        /// The rebuilt object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Attributes the server set implicitly (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
    }
}

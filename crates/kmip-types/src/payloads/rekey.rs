//! Re-key and Re-key Key Pair (KMIP 1.4 §4.4–4.5, KMIP 2.0 §6.1): a replacement for an
//! existing key, or key pair, with new key material.

use super::ProtectionStorageMasks;
use crate::Interval;
use crate::UniqueId;
use crate::attributes::{Attributes, TemplateAttribute};

kmip_struct! {
    /// Re-key request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct ReKeyRequest {
        /// The key to replace (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Time between the new key's Initial Date and its Activation Date.
        opt offset: Interval = OFFSET,
        /// Attributes of the new key (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
        /// Attributes of the new key (KMIP 2.0).
        opt [V2_0..] attributes: Attributes = ATTRIBUTES,
        /// Acceptable storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

kmip_struct! {
    /// Re-key response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct ReKeyResponse {
        /// The new key's identifier.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Attributes the server set implicitly (KMIP 1.x).
        opt [..V2_0] template_attribute: TemplateAttribute = TEMPLATE_ATTRIBUTE,
    }
}

kmip_struct! {
    /// Re-key Key Pair request (KMIP 1.1 and later).
    #[derive(Debug, PartialEq, Eq)]
    pub struct ReKeyKeyPairRequest {
        /// The private key to replace (the ID Placeholder when absent).
        opt private_key_unique_identifier: UniqueId = PRIVATE_KEY_UNIQUE_IDENTIFIER,
        /// Time between the new keys' Initial Date and their Activation Date.
        opt offset: Interval = OFFSET,
        /// Attributes of both new keys (KMIP 1.x).
        opt [..V2_0] common_template_attribute: TemplateAttribute = COMMON_TEMPLATE_ATTRIBUTE,
        /// Attributes of the new private key (KMIP 1.x).
        opt [..V2_0] private_key_template_attribute: TemplateAttribute = PRIVATE_KEY_TEMPLATE_ATTRIBUTE,
        /// Attributes of the new public key (KMIP 1.x).
        opt [..V2_0] public_key_template_attribute: TemplateAttribute = PUBLIC_KEY_TEMPLATE_ATTRIBUTE,
        /// Attributes of both new keys (KMIP 2.0).
        opt [V2_0..] common_attributes: Attributes = COMMON_ATTRIBUTES,
        /// Attributes of the new private key (KMIP 2.0).
        opt [V2_0..] private_key_attributes: Attributes = PRIVATE_KEY_ATTRIBUTES,
        /// Attributes of the new public key (KMIP 2.0).
        opt [V2_0..] public_key_attributes: Attributes = PUBLIC_KEY_ATTRIBUTES,
        /// Storage protections for both keys (KMIP 2.0).
        opt [V2_0..] common_protection_storage_masks: ProtectionStorageMasks = COMMON_PROTECTION_STORAGE_MASKS,
        /// Storage protections for the private key (KMIP 2.0).
        opt [V2_0..] private_protection_storage_masks: ProtectionStorageMasks = PRIVATE_PROTECTION_STORAGE_MASKS,
        /// Storage protections for the public key (KMIP 2.0).
        opt [V2_0..] public_protection_storage_masks: ProtectionStorageMasks = PUBLIC_PROTECTION_STORAGE_MASKS,
    }
}

/// Re-key Key Pair response.
pub type ReKeyKeyPairResponse = super::CreateKeyPairResponse;

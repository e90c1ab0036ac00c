//! Key wrapping (KMIP 1.4 §2.1.5–2.1.6, KMIP 2.0 §2.1.5–2.1.6): how a key block was
//! wrapped, and how a client asks for one to be wrapped.

use crate::attributes::CryptographicParameters;
use crate::{EncodingOption, UniqueId, WrappingMethod};

kmip_struct! {
    /// Encryption Key Information (KMIP 1.4 §2.1.5): the key a key block is encrypted
    /// with.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EncryptionKeyInformation {
        /// The wrapping key (in KMIP 2.x also a batch reference or an index).
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// How it is used.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
    }
}

kmip_struct! {
    /// MAC/Signature Key Information (KMIP 1.4 §2.1.5): the key a key block is MACed or
    /// signed with.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MacSignatureKeyInformation {
        /// The MAC or signing key (in KMIP 2.x also a batch reference or an index).
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// How it is used.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
    }
}

kmip_struct! {
    /// Key Wrapping Data (KMIP 1.4 §2.1.5): how the Key Value of a key block was wrapped.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct KeyWrappingData {
        /// Encrypt, MAC/sign, or both in some order.
        req wrapping_method: WrappingMethod = WRAPPING_METHOD,
        /// The encryption key.
        opt encryption_key_information: EncryptionKeyInformation = ENCRYPTION_KEY_INFORMATION,
        /// The MAC or signing key.
        opt mac_signature_key_information: MacSignatureKeyInformation = MAC_SIGNATURE_KEY_INFORMATION,
        /// The MAC or signature.
        opt mac_signature: Vec<u8> = MAC_SIGNATURE,
        /// IV, counter or nonce of the wrapping.
        opt iv_counter_nonce: Vec<u8> = IV_COUNTER_NONCE,
        /// Whether the Key Value was TTLV-encoded before wrapping (KMIP 1.1).
        opt [V1_1..] encoding_option: EncodingOption = ENCODING_OPTION,
    }
}

kmip_struct! {
    /// Key Wrapping Specification (KMIP 1.4 §2.1.6): how a client asks the server to wrap
    /// a key it returns.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct KeyWrappingSpecification {
        /// Encrypt, MAC/sign, or both in some order.
        req wrapping_method: WrappingMethod = WRAPPING_METHOD,
        /// The encryption key.
        opt encryption_key_information: EncryptionKeyInformation = ENCRYPTION_KEY_INFORMATION,
        /// The MAC or signing key.
        opt mac_signature_key_information: MacSignatureKeyInformation = MAC_SIGNATURE_KEY_INFORMATION,
        /// Names of attributes to wrap along with the key (KMIP 1.x).
        vec [..V2_0] attribute_names: String = ATTRIBUTE_NAME,
        /// Whether to TTLV-encode the Key Value before wrapping (KMIP 1.1).
        opt [V1_1..] encoding_option: EncodingOption = ENCODING_OPTION,
    }
}

//! Cryptographic operations with a managed key: Encrypt, Decrypt, Sign, Signature Verify,
//! MAC, MAC Verify and Hash (KMIP 1.4 §4.29–4.34, §4.37, KMIP 2.0 §6.1).
//!
//! Each may run in one request, or as a stream (KMIP 1.3 and later): the first request
//! sets Init Indicator, the server answers with a Correlation Value that every later
//! request repeats, and the last request sets Final Indicator.
//!
//! The data fields (Data, Signature Data, MAC Data, Validity Indicator) are required in
//! a single-part operation and optional in the parts of a stream, so they are optional
//! here: whether a message is a stream part is only known from its other fields.
//!
//! Plaintext is a [`SecretBytes`]: zeroized, redacted in `Debug`, compared in constant
//! time. That is the Data of the Encrypt request and Decrypt response, of the Sign, MAC
//! and Hash requests, of the Signature Verify and MAC Verify requests (the same data),
//! and of the Signature Verify response (data recovered from the signature).

use crate::UniqueId;
use crate::ValidityIndicator;
use crate::attributes::CryptographicParameters;
use crate::secret::SecretBytes;

kmip_struct! {
    /// Encrypt request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct EncryptRequest {
        /// The key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Mode, padding and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The plaintext.
        opt data: SecretBytes = DATA,
        /// IV, counter or nonce; the server may generate one.
        opt iv_counter_nonce: Vec<u8> = IV_COUNTER_NONCE,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
        /// Additional authenticated data of an AEAD mode (KMIP 1.4 and later).
        opt [V1_4..] authenticated_encryption_additional_data: Vec<u8> = AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA,
    }
}

kmip_struct! {
    /// Encrypt response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct EncryptResponse {
        /// The key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The ciphertext.
        opt data: Vec<u8> = DATA,
        /// The IV, counter or nonce the server generated.
        opt iv_counter_nonce: Vec<u8> = IV_COUNTER_NONCE,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// The tag of an AEAD mode (KMIP 1.4 and later).
        opt [V1_4..] authenticated_encryption_tag: Vec<u8> = AUTHENTICATED_ENCRYPTION_TAG,
    }
}

kmip_struct! {
    /// Decrypt request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DecryptRequest {
        /// The key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Mode, padding and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The ciphertext.
        opt data: Vec<u8> = DATA,
        /// IV, counter or nonce.
        opt iv_counter_nonce: Vec<u8> = IV_COUNTER_NONCE,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
        /// Additional authenticated data of an AEAD mode (KMIP 1.4 and later).
        opt [V1_4..] authenticated_encryption_additional_data: Vec<u8> = AUTHENTICATED_ENCRYPTION_ADDITIONAL_DATA,
        /// The tag of an AEAD mode (KMIP 1.4 and later).
        opt [V1_4..] authenticated_encryption_tag: Vec<u8> = AUTHENTICATED_ENCRYPTION_TAG,
    }
}

kmip_struct! {
    /// Decrypt response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DecryptResponse {
        /// The key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The plaintext.
        opt data: SecretBytes = DATA,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// Sign request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SignRequest {
        /// The private key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Signature algorithm and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The data to sign.
        opt data: SecretBytes = DATA,
        /// Its digest, when the client hashed it (KMIP 1.4 and later).
        opt [V1_4..] digested_data: Vec<u8> = DIGESTED_DATA,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
    }
}

kmip_struct! {
    /// Sign response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SignResponse {
        /// The private key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The signature, once all the data is in.
        opt signature_data: Vec<u8> = SIGNATURE_DATA,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// Signature Verify request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SignatureVerifyRequest {
        /// The public key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// Signature algorithm and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The signed data.
        opt data: SecretBytes = DATA,
        /// Its digest, when the client hashed it (KMIP 1.4 and later).
        opt [V1_4..] digested_data: Vec<u8> = DIGESTED_DATA,
        /// The signature.
        opt signature_data: Vec<u8> = SIGNATURE_DATA,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
    }
}

kmip_struct! {
    /// Signature Verify response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SignatureVerifyResponse {
        /// The public key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The verdict, once all the data is in.
        opt validity_indicator: ValidityIndicator = VALIDITY_INDICATOR,
        /// Data recovered from the signature (a message signed with recovery).
        opt data: SecretBytes = DATA,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// MAC request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct MacRequest {
        /// The key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// MAC algorithm and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The data to authenticate.
        opt data: SecretBytes = DATA,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
    }
}

kmip_struct! {
    /// MAC response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MacResponse {
        /// The key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The MAC, once all the data is in.
        opt mac_data: Vec<u8> = MAC_DATA,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// MAC Verify request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct MacVerifyRequest {
        /// The key (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// MAC algorithm and so on; the key's own when absent.
        opt cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The authenticated data.
        opt data: SecretBytes = DATA,
        /// The MAC to check.
        opt mac_data: Vec<u8> = MAC_DATA,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
    }
}

kmip_struct! {
    /// MAC Verify response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct MacVerifyResponse {
        /// The key.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The verdict, once all the data is in.
        opt validity_indicator: ValidityIndicator = VALIDITY_INDICATOR,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// Hash request (no key involved).
    #[derive(Debug, PartialEq, Eq)]
    pub struct HashRequest {
        /// The hashing algorithm.
        req cryptographic_parameters: CryptographicParameters = CRYPTOGRAPHIC_PARAMETERS,
        /// The data to hash.
        opt data: SecretBytes = DATA,
        /// The stream this request continues (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// First request of a stream (KMIP 1.3 and later).
        opt [V1_3..] init_indicator: bool = INIT_INDICATOR,
        /// Last request of a stream (KMIP 1.3 and later).
        opt [V1_3..] final_indicator: bool = FINAL_INDICATOR,
    }
}

kmip_struct! {
    /// Hash response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct HashResponse {
        /// The digest, once all the data is in.
        opt data: Vec<u8> = DATA,
        /// The stream's handle (KMIP 1.3 and later).
        opt [V1_3..] correlation_value: Vec<u8> = CORRELATION_VALUE,
    }
}

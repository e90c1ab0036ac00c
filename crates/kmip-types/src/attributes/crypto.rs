//! Attribute values that describe cryptographic use: Cryptographic Parameters,
//! Cryptographic Domain Parameters, Digest, Random Number Generator.

use crate::{
    BlockCipherMode, CryptographicAlgorithm, DRBGAlgorithm, DigitalSignatureAlgorithm,
    FIPS186Variation, HashingAlgorithm, KeyFormatType, KeyRoleType, MaskGenerator, PaddingMethod,
    RNGAlgorithm, RecommendedCurve,
};

kmip_struct! {
    /// Cryptographic Parameters (KMIP 1.4 §3.6, KMIP 2.0 §4): how a key is used by an
    /// operation. Also carried by operations (Encrypt, Sign, ...) and by key wrapping.
    #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
    pub struct CryptographicParameters {
        /// Block cipher mode (CBC, GCM, ...).
        opt block_cipher_mode: BlockCipherMode = BLOCK_CIPHER_MODE,
        /// Padding method.
        opt padding_method: PaddingMethod = PADDING_METHOD,
        /// Hashing algorithm.
        opt hashing_algorithm: HashingAlgorithm = HASHING_ALGORITHM,
        /// Role of the key (KEK, data encryption key, ...).
        opt key_role_type: KeyRoleType = KEY_ROLE_TYPE,
        /// Signature algorithm (KMIP 1.2).
        opt [V1_2..] digital_signature_algorithm: DigitalSignatureAlgorithm = DIGITAL_SIGNATURE_ALGORITHM,
        /// Algorithm (KMIP 1.2).
        opt [V1_2..] cryptographic_algorithm: CryptographicAlgorithm = CRYPTOGRAPHIC_ALGORITHM,
        /// Whether the server generates the IV (KMIP 1.2).
        opt [V1_2..] random_iv: bool = RANDOM_IV,
        /// IV length in bits (KMIP 1.2).
        opt [V1_2..] iv_length: i32 = IV_LENGTH,
        /// Authentication tag length in bytes (KMIP 1.2).
        opt [V1_2..] tag_length: i32 = TAG_LENGTH,
        /// Fixed field length of a deterministic IV, in bits (KMIP 1.2).
        opt [V1_2..] fixed_field_length: i32 = FIXED_FIELD_LENGTH,
        /// Invocation field length of a deterministic IV, in bits (KMIP 1.2).
        opt [V1_2..] invocation_field_length: i32 = INVOCATION_FIELD_LENGTH,
        /// Counter length in bits (KMIP 1.2).
        opt [V1_2..] counter_length: i32 = COUNTER_LENGTH,
        /// Initial counter value (KMIP 1.2).
        opt [V1_2..] initial_counter_value: i32 = INITIAL_COUNTER_VALUE,
        /// PSS salt length in bits (KMIP 1.4).
        opt [V1_4..] salt_length: i32 = SALT_LENGTH,
        /// OAEP/PSS mask generation function (KMIP 1.4).
        opt [V1_4..] mask_generator: MaskGenerator = MASK_GENERATOR,
        /// Hash of the mask generation function (KMIP 1.4).
        opt [V1_4..] mask_generator_hashing_algorithm: HashingAlgorithm = MASK_GENERATOR_HASHING_ALGORITHM,
        /// OAEP encoding parameter (KMIP 1.4).
        opt [V1_4..] p_source: Vec<u8> = P_SOURCE,
        /// PSS trailer field (KMIP 1.4).
        opt [V1_4..] trailer_field: i32 = TRAILER_FIELD,
    }
}

kmip_struct! {
    /// Cryptographic Domain Parameters (KMIP 1.4 §3.7, KMIP 2.0 §4).
    #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
    pub struct CryptographicDomainParameters {
        /// Bit length of the subgroup order Q (DSA, DH).
        opt qlength: i32 = QLENGTH,
        /// Named curve.
        opt recommended_curve: RecommendedCurve = RECOMMENDED_CURVE,
    }
}

kmip_struct! {
    /// Digest (KMIP 1.4 §3.17, KMIP 2.0 §4): a hash of the object's value.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Digest {
        /// The hash function.
        req hashing_algorithm: HashingAlgorithm = HASHING_ALGORITHM,
        /// The hash; absent for an object without a value.
        opt digest_value: Vec<u8> = DIGEST_VALUE,
        /// The key format the hash was computed over (KMIP 1.1).
        opt [V1_1..] key_format_type: KeyFormatType = KEY_FORMAT_TYPE,
    }
}

kmip_struct! {
    /// RNG Parameters (KMIP 1.4 §2.1.18): the value of the Random
    /// Number Generator attribute, and of RNG Parameters in Query.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct RngParameters {
        /// The kind of generator.
        req rng_algorithm: RNGAlgorithm = RNG_ALGORITHM,
        /// Underlying algorithm.
        opt cryptographic_algorithm: CryptographicAlgorithm = CRYPTOGRAPHIC_ALGORITHM,
        /// Its strength in bits.
        opt cryptographic_length: i32 = CRYPTOGRAPHIC_LENGTH,
        /// Underlying hash.
        opt hashing_algorithm: HashingAlgorithm = HASHING_ALGORITHM,
        /// DRBG mechanism.
        opt drbg_algorithm: DRBGAlgorithm = DRBG_ALGORITHM,
        /// Curve of a Dual EC DRBG.
        opt recommended_curve: RecommendedCurve = RECOMMENDED_CURVE,
        /// FIPS 186 variation.
        opt fips186_variation: FIPS186Variation = FIPS186_VARIATION,
        /// Whether prediction resistance is on.
        opt prediction_resistance: bool = PREDICTION_RESISTANCE,
    }
}

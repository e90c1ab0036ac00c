//! Keys shared by the unit tests of this module.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::OnceLock;

use kmip_types::objects::SymmetricKey;
use kmip_types::{
    CryptographicAlgorithm, KeyBlock, KeyFormatType, KeyMaterial, Object, RecommendedCurve,
    SecretBytes,
};

use super::{UsableKey, generate_key_pair, usable_key};

pub(crate) fn hex(text: &str) -> Vec<u8> {
    hex::decode(text).expect("test hex")
}

/// A Raw Symmetric Key object.
pub(crate) fn symmetric(bytes: &[u8], algorithm: CryptographicAlgorithm) -> Object {
    Object::SymmetricKey(SymmetricKey {
        key_block: KeyBlock::new(
            KeyFormatType::RAW,
            KeyMaterial::Bytes(SecretBytes::new(bytes.to_vec())),
            Some(algorithm),
            i32::try_from(bytes.len() * 8).ok(),
        ),
    })
}

/// One RSA-2048 key pair for the whole test run (generation is the slow part).
pub(crate) fn rsa_pair() -> (Object, Object) {
    static PAIR: OnceLock<(Object, Object)> = OnceLock::new();
    let (private, public) = PAIR
        .get_or_init(|| generate_key_pair(CryptographicAlgorithm::RSA, Some(2048), None).unwrap());
    (private.duplicate(), public.duplicate())
}

pub(crate) fn ec_pair(curve: RecommendedCurve) -> (Object, Object) {
    generate_key_pair(CryptographicAlgorithm::EC, None, Some(curve)).unwrap()
}

pub(crate) fn usable(object: &Object) -> UsableKey {
    usable_key(object).unwrap()
}

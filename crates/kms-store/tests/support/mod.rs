//! Helpers shared by `crash.rs` and `no_plaintext.rs`: keys with bytes the test knows,
//! reading the bytes back out of a Get, and listing every record of an owner.

// Test code: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::panic)]
#![allow(dead_code)]

use kmip_types::objects::SymmetricKey;
use kmip_types::{
    CryptographicAlgorithm, KeyBlock, KeyFormatType, KeyMaterial, Object, SecretBytes,
};
use kms_store::backend::{Backend, IndexQuery, Storage};
use kms_store::{Identity, ObjectRecord};

/// `len` bytes from the system CSPRNG.
pub fn random_bytes(len: usize) -> Vec<u8> {
    kms_crypto::rng::random_bytes(len)
        .expect("system random generator")
        .expose()
        .to_vec()
}

/// A uniform-enough number in `from..=to` (test timing, not cryptography).
pub fn random_in(from: u64, to: u64) -> u64 {
    let bytes = kms_crypto::rng::random_array::<8>().expect("system random generator");
    from + u64::from_le_bytes(bytes) % (to - from + 1)
}

/// A Symmetric Key object: AES-256, Raw format, exactly `bytes` (as Register gets it).
pub fn aes_256(bytes: &[u8]) -> Object {
    assert_eq!(bytes.len(), 32, "an AES-256 key is 32 bytes");
    Object::SymmetricKey(SymmetricKey {
        key_block: KeyBlock::new(
            KeyFormatType::RAW,
            KeyMaterial::Bytes(SecretBytes::new(bytes.to_vec())),
            Some(CryptographicAlgorithm::AES),
            Some(256),
        ),
    })
}

/// The bytes of a key in an encoded format (Raw, PKCS#1, ECPrivateKey, ...).
pub fn key_bytes(object: &Object) -> Option<&[u8]> {
    match object.key_block()?.key_material()? {
        KeyMaterial::Bytes(bytes) => Some(bytes.expose()),
        _ => None,
    }
}

/// Every record `owner` has, live or archived, in `seq` order, straight from the backend.
pub async fn all_records<B: Backend>(backend: &B, owner: &Identity) -> Vec<ObjectRecord> {
    let mut out: Vec<ObjectRecord> = Vec::new();
    loop {
        let query = IndexQuery {
            storage: Storage::Any,
            after_seq: out.last().map_or(0, |r| r.seq),
            limit: 1000,
            ..IndexQuery::owned_by(owner.clone(), 0)
        };
        let page = backend
            .locate(&query)
            .await
            .expect("list the owner's records");
        let done = page.len() < 1000;
        out.extend(page);
        if done {
            return out;
        }
    }
}

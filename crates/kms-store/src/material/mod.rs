//! Key material: the bridge between KMIP objects ([`kmip_types::Object`]) and the keys
//! of [`kms_crypto`]. Conversions and cryptography only — no storage, no lifecycle, no
//! usage-mask or policy check: the callers in this crate apply those first.
//!
//! - [`generate_symmetric`], [`generate_key_pair`]: new keys as KMIP objects.
//! - [`usable_key`]: a KMIP key object, in any format a register may carry, as a
//!   [`UsableKey`] that can compute.
//! - [`convert`]: a key object in another Key Format Type (Get with Key Format Type).
//! - [`wrap`] / [`unwrap`]: Get with a Key Wrapping Specification, Register of a wrapped
//!   key.
//! - [`encrypt`], [`decrypt`], [`sign`], [`verify`], [`mac`], [`mac_verify`]: the
//!   cryptographic operations under KMIP Cryptographic Parameters.
//!
//! The Cryptographic Parameters these functions take are the ones that apply: the
//! request's, or else the key's Cryptographic Parameters attribute (CS-BC-M-1 and
//! CS-AC-M-1 send none and rely on the attribute). Merging the two is the caller's job.
//!
//! Key bytes never appear in an error or a `Debug` output, and every copy of a secret is
//! held in a zeroizing type ([`kms_crypto::Secret`], [`kmip_types::SecretBytes`],
//! [`kmip_types::SecretBigInteger`]).

mod algorithms;
mod cipher;
mod export;
mod generate;
mod mac;
mod rng;
mod signature;
mod stream;
mod symmetric_lengths;
mod ttlv;
mod usable;
mod wrap;

pub use algorithms::hash as hash_algorithm;
pub use cipher::{EncryptOutput, decrypt, encrypt};
pub use export::convert;
pub use generate::{
    aes_key_object, generate_key_pair, generate_secret_data, generate_symmetric, key_pair_objects,
    public_key_object,
};
pub use mac::{mac, mac_verify};
pub use rng::server_rng;
pub use signature::{sign, verify};
pub use stream::{BlockStream, StartedEncryption, decrypt_stream, encrypt_stream};
pub use usable::{UsableKey, usable_key};
pub use wrap::{unwrap, wrap};

use kmip_types::objects::{PgpKey, PrivateKey, PublicKey, SecretData, SplitKey, SymmetricKey};
use kmip_types::{KeyBlock, Object, SecretBytes};
use kms_crypto::{CryptoError, Secret};

use crate::error::{Result, StoreError};

/// Maps a crypto-core error to the store's. Crypto errors carry no secret: their texts
/// are static descriptions.
fn crypto_error(e: CryptoError) -> StoreError {
    match e {
        CryptoError::Failed | CryptoError::Rng => StoreError::CryptoFailure,
        CryptoError::Invalid { what, reason } => {
            StoreError::InvalidField(format!("{what}: {reason}"))
        }
        CryptoError::Unsupported(what) => StoreError::NotSupported(what.to_owned()),
        CryptoError::Encoding(what) => {
            StoreError::InvalidField(format!("malformed {what} key encoding"))
        }
        _ => StoreError::CryptoFailure,
    }
}

/// Moves the bytes of a crypto-core secret into a KMIP one, without a copy.
fn secret_bytes(secret: Secret) -> SecretBytes {
    let mut bytes = secret.into_zeroizing();
    SecretBytes::new(core::mem::take(&mut *bytes))
}

/// The key block of `object`, or the error for objects that have none.
fn key_block(object: &Object) -> Result<&KeyBlock> {
    object.key_block().ok_or_else(|| no_key_block(object))
}

fn no_key_block(object: &Object) -> StoreError {
    StoreError::InvalidField(format!(
        "Object Type {:?} has no key block",
        object.object_type()
    ))
}

/// The refusal of a wrapped key block where an unwrapped key is needed.
fn wrapped_refused() -> StoreError {
    StoreError::InvalidField(
        "Key Wrapping Data: the key block is wrapped; unwrap it first".to_owned(),
    )
}

/// A copy of `object` with `block` as its key block, every other field kept.
fn with_key_block(object: &Object, block: KeyBlock) -> Result<Object> {
    Ok(match object {
        Object::SymmetricKey(_) => Object::SymmetricKey(SymmetricKey { key_block: block }),
        Object::PublicKey(_) => Object::PublicKey(PublicKey { key_block: block }),
        Object::PrivateKey(_) => Object::PrivateKey(PrivateKey { key_block: block }),
        Object::SecretData(o) => Object::SecretData(SecretData {
            secret_data_type: o.secret_data_type,
            key_block: block,
        }),
        Object::SplitKey(o) => Object::SplitKey(SplitKey {
            split_key_parts: o.split_key_parts,
            key_part_identifier: o.key_part_identifier,
            split_key_threshold: o.split_key_threshold,
            split_key_method: o.split_key_method,
            prime_field_size: o.prime_field_size.clone(),
            key_block: block,
        }),
        Object::PgpKey(o) => Object::PgpKey(PgpKey {
            pgp_key_version: o.pgp_key_version,
            key_block: block,
        }),
        other => return Err(no_key_block(other)),
    })
}

#[cfg(test)]
mod testing;

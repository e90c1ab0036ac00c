//! [`KmsJose`]: this crate as the crypto backend of the `jwk` crate.

use jwk::alg::{GCM_IV_LEN, GCM_TAG_LEN};
use jwk::{
    ContentEncryption, CryptoError as JoseError, JweDecryptor, JweEncryptor, JwsAlgorithm,
    JwsSigner, JwsVerifier, Sealed, SecretBytes,
};

use super::convert::hmac_hash;
use crate::aead::{self, TagLength};
use crate::keys::{PrivateKey, PublicKey};
use crate::mac::HmacKey;
use crate::signature::{Message, SignatureAlgorithm, SignatureFormat};
use crate::symmetric::AesKey;
use crate::{CryptoError, rng};

/// The crypto backend of `jwk`'s compact JWS, JWT and JWE, on this crate's keys. Stateless:
/// pass `&KmsJose` wherever `jwk` takes a backend.
///
/// - [`JwsSigner`] for [`PrivateKey`], [`JwsVerifier`] for [`PublicKey`] and
///   [`PrivateKey`] (its public part): RS256/384/512 (RSASSA-PKCS1-v1_5, RFC 7518 §3.3),
///   PS256/384/512 (RSASSA-PSS, salt as long as the hash, §3.5), ES256/384/512 (ECDSA as
///   `r‖s`, §3.4). RSA keys under 2048 bits (legacy verify-only keys) are refused
///   (§3.3).
/// - [`JwsSigner`] and [`JwsVerifier`] for [`HmacKey`]: HS256/384/512 (§3.2), with a key
///   bound to the algorithm's hash and at least as long as its output; tags are compared
///   in constant time.
/// - [`JweEncryptor`] and [`JweDecryptor`] for [`AesKey`]: `dir` with A128GCM, A192GCM or
///   A256GCM (RFC 7518 §4.5, §5.3); the key size must be the one `enc` names. `jwk`
///   draws each 96-bit IV through [`JweEncryptor::fill_random`], which is
///   [`rng::fill`].
///
/// An algorithm the key cannot serve is [`jwk::CryptoError::Key`]; a signature that
/// does not verify or a ciphertext that does not decrypt, for whatever reason, is
/// [`jwk::CryptoError::Failed`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct KmsJose;

/// This crate's error as the one `jwk` takes. The reasons are `&'static str` that never
/// hold key material.
fn jose_error(error: CryptoError) -> JoseError {
    match error {
        CryptoError::Failed => JoseError::Failed,
        CryptoError::Invalid { reason, .. } => JoseError::Key(reason),
        CryptoError::Unsupported(what) => JoseError::Unsupported(what),
        CryptoError::Encoding(_) => JoseError::Key("key encoding"),
        CryptoError::Rng => JoseError::Rng,
    }
}

/// RS*, PS* or ES*; an HS* algorithm does not fit an asymmetric key.
fn signature_algorithm(alg: JwsAlgorithm) -> Result<SignatureAlgorithm, JoseError> {
    SignatureAlgorithm::try_from(alg).map_err(|_| JoseError::Key("HS* algorithms take an HMAC key"))
}

impl JwsSigner<PrivateKey> for KmsJose {
    fn sign(
        &self,
        alg: JwsAlgorithm,
        key: &PrivateKey,
        signing_input: &[u8],
    ) -> Result<Vec<u8>, JoseError> {
        let alg = signature_algorithm(alg)?;
        key.sign(alg, Message::Data(signing_input), SignatureFormat::Raw)
            .map_err(jose_error)
    }
}

impl JwsVerifier<PublicKey> for KmsJose {
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &PublicKey,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), JoseError> {
        let alg = signature_algorithm(alg)?;
        if key.is_legacy() {
            return Err(JoseError::Key(
                "RSA key smaller than 2048 bits (RFC 7518 §3.3)",
            ));
        }
        key.verify(
            alg,
            Message::Data(signing_input),
            signature,
            SignatureFormat::Raw,
        )
        .map_err(jose_error)
    }
}

impl JwsVerifier<PrivateKey> for KmsJose {
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &PrivateKey,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), JoseError> {
        self.verify(alg, &key.public_key(), signing_input, signature)
    }
}

/// RFC 7518 §3.2: the key is bound to the algorithm's hash and at least as long as its
/// output.
fn check_hmac(alg: JwsAlgorithm, key: &HmacKey) -> Result<(), JoseError> {
    let Some(hash) = hmac_hash(alg) else {
        return Err(JoseError::Key("an HMAC key takes HS256, HS384 or HS512"));
    };
    if key.algorithm() != hash {
        return Err(JoseError::Key("the HMAC key is bound to another hash"));
    }
    if key.key_len() < alg.hash_len() {
        return Err(JoseError::Key(
            "HMAC key shorter than the hash output (RFC 7518 §3.2)",
        ));
    }
    Ok(())
}

impl JwsSigner<HmacKey> for KmsJose {
    fn sign(
        &self,
        alg: JwsAlgorithm,
        key: &HmacKey,
        signing_input: &[u8],
    ) -> Result<Vec<u8>, JoseError> {
        check_hmac(alg, key)?;
        key.sign(signing_input).map_err(jose_error)
    }
}

impl JwsVerifier<HmacKey> for KmsJose {
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &HmacKey,
        signing_input: &[u8],
        signature: &[u8],
    ) -> Result<(), JoseError> {
        check_hmac(alg, key)?;
        // Full-length tag, compared in constant time.
        key.verify(signing_input, signature)
            .map_err(|_| JoseError::Failed)
    }
}

fn check_enc(enc: ContentEncryption, key: &AesKey) -> Result<(), JoseError> {
    if key.size().bytes() == enc.key_len() {
        Ok(())
    } else {
        Err(JoseError::Key("AES key size does not match enc"))
    }
}

impl JweEncryptor<AesKey> for KmsJose {
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), JoseError> {
        rng::fill(dest).map_err(|_| JoseError::Rng)
    }

    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &AesKey,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, JoseError> {
        check_enc(enc, key)?;
        // The IV was drawn by `fill_random` above, from the system RNG: `jwk` asks for it
        // before calling here, so this is the caller-IV entry point.
        let sealed = aead::encrypt_with_caller_iv(key, iv, TagLength::Bytes16, aad, plaintext)
            .map_err(jose_error)?;
        let (_, ciphertext, tag) = sealed.into_parts();
        let tag = <[u8; GCM_TAG_LEN]>::try_from(tag).map_err(|_| JoseError::Failed)?;
        Ok(Sealed { ciphertext, tag })
    }
}

impl JweDecryptor<AesKey> for KmsJose {
    fn decrypt(
        &self,
        enc: ContentEncryption,
        key: &AesKey,
        iv: &[u8; GCM_IV_LEN],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; GCM_TAG_LEN],
    ) -> Result<SecretBytes, JoseError> {
        // Every failure is the same one; `jwk` makes it `Error::DecryptionFailed` anyway.
        check_enc(enc, key).map_err(|_| JoseError::Failed)?;
        let plaintext =
            aead::decrypt(key, iv, aad, ciphertext, tag).map_err(|_| JoseError::Failed)?;
        Ok(SecretBytes::from(plaintext.into_zeroizing()))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::hash::HashAlgorithm;
    use crate::symmetric::AesKeySize;
    use crate::{EcCurve, KeySpec};

    #[test]
    fn errors_map_to_the_opaque_ones() {
        assert_eq!(jose_error(CryptoError::Failed), JoseError::Failed);
        assert_eq!(jose_error(CryptoError::Rng), JoseError::Rng);
        assert!(matches!(
            jose_error(CryptoError::Invalid {
                what: "key",
                reason: "r"
            }),
            JoseError::Key("r")
        ));
    }

    #[test]
    fn hmac_keys_must_fit_the_algorithm() {
        let key = HmacKey::from_slice(HashAlgorithm::Sha384, &[7; 48]).unwrap();
        assert!(check_hmac(JwsAlgorithm::Hs384, &key).is_ok());
        assert!(check_hmac(JwsAlgorithm::Hs256, &key).is_err());
        assert!(check_hmac(JwsAlgorithm::Es384, &key).is_err());
        let short = HmacKey::from_slice(HashAlgorithm::Sha384, &[7; 47]).unwrap();
        assert!(matches!(
            KmsJose.sign(JwsAlgorithm::Hs384, &short, b"x"),
            Err(JoseError::Key(_))
        ));
    }

    #[test]
    fn asymmetric_keys_refuse_hmac_and_other_curves() {
        let key = PrivateKey::generate(KeySpec::Ec(EcCurve::P256)).unwrap();
        assert!(matches!(
            KmsJose.sign(JwsAlgorithm::Hs256, &key, b"x"),
            Err(JoseError::Key(_))
        ));
        assert!(matches!(
            KmsJose.sign(JwsAlgorithm::Es384, &key, b"x"),
            Err(JoseError::Key(_))
        ));
        let sig = KmsJose.sign(JwsAlgorithm::Es256, &key, b"x").unwrap();
        assert_eq!(sig.len(), 64);
        assert_eq!(
            KmsJose.verify(JwsAlgorithm::Es256, &key, b"x", &sig),
            Ok(())
        );
        assert_eq!(
            KmsJose.verify(JwsAlgorithm::Es256, &key, b"y", &sig),
            Err(JoseError::Failed)
        );
    }

    #[test]
    fn aes_key_size_must_match_enc() {
        let key = AesKey::generate(AesKeySize::Aes128).unwrap();
        let iv = [0u8; GCM_IV_LEN];
        assert!(matches!(
            KmsJose.encrypt(ContentEncryption::A256Gcm, &key, &iv, b"", b"m"),
            Err(JoseError::Key(_))
        ));
        let sealed = KmsJose
            .encrypt(ContentEncryption::A128Gcm, &key, &iv, b"a", b"m")
            .unwrap();
        let open = |enc| KmsJose.decrypt(enc, &key, &iv, b"a", &sealed.ciphertext, &sealed.tag);
        assert_eq!(open(ContentEncryption::A128Gcm).unwrap().expose(), b"m");
        assert_eq!(
            open(ContentEncryption::A192Gcm).unwrap_err(),
            JoseError::Failed
        );
    }
}

//! A crypto backend for this crate's tests, on RustCrypto: it implements the traits for
//! [`Jwk`] keys so that the RFC examples can be checked end to end. Test code only.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod vectors;

use aes_gcm::AesGcm;
use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::aes::{Aes128, Aes192, Aes256};
use hmac::{Hmac, Mac};
use jwk::alg::JwsFamily;
use jwk::key::{EcKey, RsaKey};
use jwk::{
    ContentEncryption, CryptoError, Curve, JweDecryptor, JweEncryptor, Jwk, JwsAlgorithm,
    JwsSigner, JwsVerifier, KeyOp, KeyParams, Sealed, SecretBytes,
};
use rsa::BoxedUint;
use rsa::signature::{SignatureEncoding, Signer, Verifier};
use sha2::{Sha256, Sha384, Sha512};

/// Signs, verifies, encrypts and decrypts with JWKs.
#[derive(Debug, Default, Clone, Copy)]
pub struct TestBackend;

/// [`TestBackend`] with a fixed IV, to reproduce published JWE examples byte for byte.
#[derive(Debug, Clone, Copy)]
pub struct FixedIv(pub [u8; 12]);

/// The backend to use, keeping the error opaque as the traits ask.
fn failed<E>(_: E) -> CryptoError {
    CryptoError::Failed
}

fn hmac_tag(alg: JwsAlgorithm, key: &[u8], input: &[u8]) -> Vec<u8> {
    fn run<M: Mac + KeyInit>(key: &[u8], input: &[u8]) -> Vec<u8> {
        let mut mac = <M as KeyInit>::new_from_slice(key).unwrap();
        mac.update(input);
        mac.finalize().into_bytes().to_vec()
    }
    match alg.hash_len() {
        32 => run::<Hmac<Sha256>>(key, input),
        48 => run::<Hmac<Sha384>>(key, input),
        _ => run::<Hmac<Sha512>>(key, input),
    }
}

fn uint(bytes: &[u8], bits: u32) -> BoxedUint {
    BoxedUint::from_be_slice(bytes, bits).unwrap()
}

fn rsa_public(key: &RsaKey) -> Result<rsa::PublicKey, CryptoError> {
    rsa::PublicKey::new(
        BoxedUint::from_be_slice_vartime(key.n()),
        BoxedUint::from_be_slice_vartime(key.e()),
    )
    .map_err(|_| CryptoError::Key("RSA public key"))
}

fn rsa_private(key: &RsaKey) -> Result<rsa::PrivateKey, CryptoError> {
    let private = key.private().ok_or(CryptoError::Key("no private key"))?;
    let bits = u32::try_from(key.n().len() * 8).unwrap();
    let primes = match private.crt() {
        Some(crt) => vec![uint(crt.p().expose(), bits), uint(crt.q().expose(), bits)],
        None => Vec::new(),
    };
    rsa::PrivateKey::from_components(
        BoxedUint::from_be_slice_vartime(key.n()),
        BoxedUint::from_be_slice_vartime(key.e()),
        uint(private.d().expose(), bits),
        primes,
    )
    .map_err(|_| CryptoError::Key("RSA private key"))
}

/// Calls `$f::<Sha256|Sha384|Sha512>` as `$alg` says (concrete types: the RSA padding
/// modules need each hash's OID).
macro_rules! by_hash {
    ($alg:expr, $f:ident($($arg:expr),*)) => {
        match $alg.hash_len() {
            32 => $f!(Sha256, $($arg),*),
            48 => $f!(Sha384, $($arg),*),
            _ => $f!(Sha512, $($arg),*),
        }
    };
}

macro_rules! pkcs1_sign {
    ($d:ty, $key:expr, $input:expr) => {
        rsa::pkcs1v15::SigningKey::<$d>::new($key)
            .try_sign($input)
            .map(|s| s.to_vec())
            .map_err(failed)
    };
}

macro_rules! pkcs1_verify {
    ($d:ty, $key:expr, $input:expr, $sig:expr) => {
        rsa::pkcs1v15::Signature::try_from($sig)
            .map_err(failed)
            .and_then(|sig| {
                rsa::pkcs1v15::VerifyingKey::<$d>::new($key)
                    .verify($input, &sig)
                    .map_err(failed)
            })
    };
}

macro_rules! pss_sign {
    ($d:ty, $key:expr, $input:expr) => {
        rsa::pss::SigningKey::<$d>::new_with_salt_len($key, <$d as sha2::Digest>::output_size())
            .try_sign($input)
            .map(|s| s.to_vec())
            .map_err(failed)
    };
}

macro_rules! pss_verify {
    ($d:ty, $key:expr, $input:expr, $sig:expr) => {
        rsa::pss::Signature::try_from($sig)
            .map_err(failed)
            .and_then(|sig| {
                rsa::pss::VerifyingKey::<$d>::new_with_salt_len(
                    $key,
                    <$d as sha2::Digest>::output_size(),
                )
                .verify($input, &sig)
                .map_err(failed)
            })
    };
}

fn ecdsa_sign(key: &EcKey, input: &[u8]) -> Result<Vec<u8>, CryptoError> {
    let d = key.d().ok_or(CryptoError::Key("no private key"))?.expose();
    let bad = |_| CryptoError::Key("EC private key");
    Ok(match key.curve() {
        Curve::P256 => {
            let sk = p256::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let sig: p256::ecdsa::Signature = sk.try_sign(input).map_err(failed)?;
            sig.to_bytes().to_vec()
        }
        Curve::P384 => {
            let sk = p384::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let sig: p384::ecdsa::Signature = sk.try_sign(input).map_err(failed)?;
            sig.to_bytes().to_vec()
        }
        Curve::P521 => {
            let sk = p521::ecdsa::SigningKey::from_slice(d).map_err(bad)?;
            let sig: p521::ecdsa::Signature = sk.try_sign(input).map_err(failed)?;
            sig.to_bytes().to_vec()
        }
        _ => return Err(CryptoError::Unsupported("curve")),
    })
}

fn ecdsa_verify(key: &EcKey, input: &[u8], sig: &[u8]) -> Result<(), CryptoError> {
    let point = key.sec1_uncompressed();
    match key.curve() {
        Curve::P256 => {
            let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(failed)?;
            let sig = p256::ecdsa::Signature::from_slice(sig).map_err(failed)?;
            vk.verify(input, &sig).map_err(failed)
        }
        Curve::P384 => {
            let vk = p384::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(failed)?;
            let sig = p384::ecdsa::Signature::from_slice(sig).map_err(failed)?;
            vk.verify(input, &sig).map_err(failed)
        }
        Curve::P521 => {
            let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).map_err(failed)?;
            let sig = p521::ecdsa::Signature::from_slice(sig).map_err(failed)?;
            vk.verify(input, &sig).map_err(failed)
        }
        _ => Err(CryptoError::Unsupported("curve")),
    }
}

impl JwsSigner<Jwk> for TestBackend {
    fn sign(&self, alg: JwsAlgorithm, key: &Jwk, input: &[u8]) -> Result<Vec<u8>, CryptoError> {
        key.check_jws(alg, KeyOp::Sign)?;
        match (alg.family(), key.params()) {
            (JwsFamily::Hmac, KeyParams::Oct(k)) => Ok(hmac_tag(alg, k.k().expose(), input)),
            (JwsFamily::RsaPkcs1, KeyParams::Rsa(k)) => {
                by_hash!(alg, pkcs1_sign(rsa_private(k)?, input))
            }
            (JwsFamily::RsaPss, KeyParams::Rsa(k)) => {
                by_hash!(alg, pss_sign(rsa_private(k)?, input))
            }
            (JwsFamily::Ecdsa, KeyParams::Ec(k)) => ecdsa_sign(k, input),
            _ => Err(CryptoError::Key("key type")),
        }
    }
}

impl JwsVerifier<Jwk> for TestBackend {
    fn verify(
        &self,
        alg: JwsAlgorithm,
        key: &Jwk,
        input: &[u8],
        signature: &[u8],
    ) -> Result<(), CryptoError> {
        key.check_jws(alg, KeyOp::Verify)?;
        match (alg.family(), key.params()) {
            (JwsFamily::Hmac, KeyParams::Oct(k)) => {
                let mut mac = match alg.hash_len() {
                    32 => HmacAny::S256(
                        <Hmac<Sha256> as KeyInit>::new_from_slice(k.k().expose()).unwrap(),
                    ),
                    48 => HmacAny::S384(
                        <Hmac<Sha384> as KeyInit>::new_from_slice(k.k().expose()).unwrap(),
                    ),
                    _ => HmacAny::S512(
                        <Hmac<Sha512> as KeyInit>::new_from_slice(k.k().expose()).unwrap(),
                    ),
                };
                mac.verify(input, signature)
            }
            (JwsFamily::RsaPkcs1, KeyParams::Rsa(k)) => {
                by_hash!(alg, pkcs1_verify(rsa_public(k)?, input, signature))
            }
            (JwsFamily::RsaPss, KeyParams::Rsa(k)) => {
                by_hash!(alg, pss_verify(rsa_public(k)?, input, signature))
            }
            (JwsFamily::Ecdsa, KeyParams::Ec(k)) => ecdsa_verify(k, input, signature),
            _ => Err(CryptoError::Key("key type")),
        }
    }
}

/// HMAC verification in constant time (`verify_slice`).
enum HmacAny {
    S256(Hmac<Sha256>),
    S384(Hmac<Sha384>),
    S512(Hmac<Sha512>),
}

impl HmacAny {
    fn verify(&mut self, input: &[u8], tag: &[u8]) -> Result<(), CryptoError> {
        match self {
            HmacAny::S256(m) => {
                m.update(input);
                m.clone().verify_slice(tag).map_err(failed)
            }
            HmacAny::S384(m) => {
                m.update(input);
                m.clone().verify_slice(tag).map_err(failed)
            }
            HmacAny::S512(m) => {
                m.update(input);
                m.clone().verify_slice(tag).map_err(failed)
            }
        }
    }
}

fn gcm_encrypt(
    enc: ContentEncryption,
    key: &[u8],
    iv: &[u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let nonce = (*iv).into();
    let payload = Payload {
        msg: plaintext,
        aad,
    };
    let bad = |_| CryptoError::Key("AES key size");
    match enc {
        ContentEncryption::A128Gcm => AesGcm::<Aes128, U12>::new_from_slice(key)
            .map_err(bad)?
            .encrypt(&nonce, payload),
        ContentEncryption::A192Gcm => AesGcm::<Aes192, U12>::new_from_slice(key)
            .map_err(bad)?
            .encrypt(&nonce, payload),
        ContentEncryption::A256Gcm => AesGcm::<Aes256, U12>::new_from_slice(key)
            .map_err(bad)?
            .encrypt(&nonce, payload),
        _ => return Err(CryptoError::Unsupported("enc")),
    }
    .map_err(failed)
}

fn gcm_decrypt(
    enc: ContentEncryption,
    key: &[u8],
    iv: &[u8; 12],
    aad: &[u8],
    combined: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let nonce = (*iv).into();
    let payload = Payload { msg: combined, aad };
    match enc {
        ContentEncryption::A128Gcm => AesGcm::<Aes128, U12>::new_from_slice(key)
            .map_err(failed)?
            .decrypt(&nonce, payload),
        ContentEncryption::A192Gcm => AesGcm::<Aes192, U12>::new_from_slice(key)
            .map_err(failed)?
            .decrypt(&nonce, payload),
        ContentEncryption::A256Gcm => AesGcm::<Aes256, U12>::new_from_slice(key)
            .map_err(failed)?
            .decrypt(&nonce, payload),
        _ => return Err(CryptoError::Failed),
    }
    .map_err(failed)
}

fn oct(key: &Jwk) -> Result<&SecretBytes, CryptoError> {
    match key.params() {
        KeyParams::Oct(k) => Ok(k.k()),
        _ => Err(CryptoError::Key("oct key expected")),
    }
}

impl JweEncryptor<Jwk> for TestBackend {
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), CryptoError> {
        getrandom::fill(dest).map_err(|_| CryptoError::Rng)
    }

    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &Jwk,
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, CryptoError> {
        key.check_jwe_dir(enc, KeyOp::Encrypt)?;
        Sealed::from_combined(gcm_encrypt(enc, oct(key)?.expose(), iv, aad, plaintext)?)
    }
}

impl JweDecryptor<Jwk> for TestBackend {
    fn decrypt(
        &self,
        enc: ContentEncryption,
        key: &Jwk,
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Result<SecretBytes, CryptoError> {
        key.check_jwe_dir(enc, KeyOp::Decrypt)?;
        let mut combined = ciphertext.to_vec();
        combined.extend_from_slice(tag);
        Ok(SecretBytes::new(gcm_decrypt(
            enc,
            oct(key)?.expose(),
            iv,
            aad,
            &combined,
        )?))
    }
}

impl JweEncryptor<Jwk> for FixedIv {
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), CryptoError> {
        dest.copy_from_slice(&self.0);
        Ok(())
    }

    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &Jwk,
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, CryptoError> {
        TestBackend.encrypt(enc, key, iv, aad, plaintext)
    }
}

/// A backend that takes raw AES keys, to show the traits over a non-JWK key type.
impl JweEncryptor<[u8]> for TestBackend {
    fn fill_random(&self, dest: &mut [u8]) -> Result<(), CryptoError> {
        getrandom::fill(dest).map_err(|_| CryptoError::Rng)
    }

    fn encrypt(
        &self,
        enc: ContentEncryption,
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        plaintext: &[u8],
    ) -> Result<Sealed, CryptoError> {
        if key.len() != enc.key_len() {
            return Err(CryptoError::Key("AES key size"));
        }
        Sealed::from_combined(gcm_encrypt(enc, key, iv, aad, plaintext)?)
    }
}

impl JweDecryptor<[u8]> for TestBackend {
    fn decrypt(
        &self,
        enc: ContentEncryption,
        key: &[u8],
        iv: &[u8; 12],
        aad: &[u8],
        ciphertext: &[u8],
        tag: &[u8; 16],
    ) -> Result<SecretBytes, CryptoError> {
        if key.len() != enc.key_len() {
            return Err(CryptoError::Failed);
        }
        let mut combined = ciphertext.to_vec();
        combined.extend_from_slice(tag);
        Ok(SecretBytes::new(gcm_decrypt(enc, key, iv, aad, &combined)?))
    }
}

/// Decodes unpadded base64url (test helper).
pub fn b64d(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .unwrap()
}

/// Encodes unpadded base64url (test helper).
pub fn b64e(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

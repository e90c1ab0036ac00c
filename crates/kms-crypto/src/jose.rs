//! JOSE (feature `jose`, on by default): this crate's keys to and from JSON Web Keys, and
//! [`KmsJose`], the crypto backend of the `jwk` crate's compact JWS, JWT and JWE.
//!
//! # Keys ⇄ JWKs (RFC 7517, RFC 7518 §6)
//!
//! - [`PrivateKey`] ⇄ `RSA` JWK with `d` and the CRT members, `EC` JWK with `d`:
//!   [`PrivateKey::to_jwk`], [`PrivateKey::from_jwk`].
//! - [`PublicKey`] ⇄ `RSA` JWK (`n`, `e`), `EC` JWK (`crv`, `x`, `y`):
//!   [`PublicKey::to_jwk`], [`PublicKey::from_jwk`].
//! - [`AesKey`] ⇄ `oct` JWK of 16, 24 or 32 octets: [`AesKey::to_jwk`],
//!   [`AesKey::from_jwk`], [`AesKey::from_jwk_sized`].
//! - [`HmacKey`] ⇄ `oct` JWK (HS256, HS384, HS512): [`HmacKey::to_jwk`],
//!   [`HmacKey::from_jwk`].
//! - Algorithms and curves: `From`/`TryFrom` between [`SignatureAlgorithm`] and
//!   [`JwsAlgorithm`](jwk::JwsAlgorithm), [`EcCurve`] and [`Curve`](jwk::Curve), and from
//!   [`AesKeySize`] to [`ContentEncryption`](jwk::ContentEncryption).
//!
//! The JWKs made here carry key material only: `kid`, `use`, `key_ops` and `alg` are the
//! caller's, set with the `jwk` crate's own checked builders ([`Jwk::with_kid`],
//! [`Jwk::with_use`], [`Jwk::with_key_ops`], [`Jwk::with_alg`]). Imports validate twice:
//! `jwk` checks the JWK's form when it is parsed (sizes, consistency of its members), and
//! this crate checks the key (the RSA import policy of [`rsa`](crate::rsa), EC points on
//! the curve, `x`/`y` the public key of `d`, AES sizes). What `jwk` tolerates, the import
//! accepts: the OVHcloud Go SDK's shortened EC coordinates and scalars are padded back by
//! `jwk`, RSA integers with leading zero octets are normalized, and a shortened AES `k`
//! is padded when the size is known ([`AesKey::from_jwk_sized`]).
//!
//! # Tokens
//!
//! [`KmsJose`] implements `jwk`'s [`JwsSigner`](jwk::JwsSigner) and
//! [`JwsVerifier`](jwk::JwsVerifier) for [`PrivateKey`] and [`PublicKey`] (RS*, PS*, ES*;
//! ECDSA signatures as `r‖s`, RFC 7518 §3.4) and for [`HmacKey`] (HS*), and
//! [`JweEncryptor`](jwk::JweEncryptor) and [`JweDecryptor`](jwk::JweDecryptor) for
//! [`AesKey`] (`dir` with A128GCM, A192GCM or A256GCM; the key size must be the one `enc`
//! names; the 96-bit IV comes from [`rng`](crate::rng)). A signature that does not verify
//! and a JWE that does not decrypt are each one opaque error.
//!
//! ```
//! use jwk::jws::{self, CompactJws};
//! use jwk::{JwsAlgorithm, JwsHeader, TokenPolicy};
//! use kms_crypto::{EcCurve, KeySpec, KmsJose, PrivateKey, PublicKey};
//!
//! let key = PrivateKey::generate(KeySpec::Ec(EcCurve::P256))?;
//! let public_jwk = key.public_key().to_jwk()?.with_kid("k1");
//!
//! let header = JwsHeader::builder(JwsAlgorithm::Es256).kid("k1").build()?;
//! let token = jws::sign(&KmsJose, &key, &header, b"hello")?;
//!
//! let verifier = PublicKey::from_jwk(&public_jwk)?;
//! let parsed = CompactJws::parse(&token, &TokenPolicy::new())?;
//! assert_eq!(parsed.verify(&KmsJose, &verifier, JwsAlgorithm::Es256)?, b"hello");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! [`PrivateKey`]: crate::PrivateKey
//! [`PublicKey`]: crate::PublicKey
//! [`AesKey`]: crate::AesKey
//! [`HmacKey`]: crate::HmacKey
//! [`SignatureAlgorithm`]: crate::SignatureAlgorithm
//! [`EcCurve`]: crate::EcCurve
//! [`AesKeySize`]: crate::AesKeySize
//! [`PrivateKey::to_jwk`]: crate::PrivateKey::to_jwk
//! [`PrivateKey::from_jwk`]: crate::PrivateKey::from_jwk
//! [`PublicKey::to_jwk`]: crate::PublicKey::to_jwk
//! [`PublicKey::from_jwk`]: crate::PublicKey::from_jwk
//! [`AesKey::to_jwk`]: crate::AesKey::to_jwk
//! [`AesKey::from_jwk`]: crate::AesKey::from_jwk
//! [`AesKey::from_jwk_sized`]: crate::AesKey::from_jwk_sized
//! [`HmacKey::to_jwk`]: crate::HmacKey::to_jwk
//! [`HmacKey::from_jwk`]: crate::HmacKey::from_jwk
//! [`Jwk::with_kid`]: jwk::Jwk::with_kid
//! [`Jwk::with_use`]: jwk::Jwk::with_use
//! [`Jwk::with_key_ops`]: jwk::Jwk::with_key_ops
//! [`Jwk::with_alg`]: jwk::Jwk::with_alg

mod backend;
mod convert;

pub use backend::KmsJose;

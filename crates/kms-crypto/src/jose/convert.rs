//! Keys and algorithms to and from their `jwk` counterparts.

use jwk::key::{EcKey, KeyParams, OctKey, RsaCrtParams, RsaKey, RsaPrivateParams};
use jwk::{Algorithm, ContentEncryption, Curve, Jwk, JwsAlgorithm, SecretBytes};

use crate::ec::{EcCurve, PointFormat};
use crate::hash::HashAlgorithm;
use crate::keys::{PrivateKey, PublicKey};
use crate::mac::HmacKey;
use crate::rsa::{RsaPrivateComponents, RsaPublicComponents};
use crate::signature::SignatureAlgorithm;
use crate::symmetric::{AesKey, AesKeySize};
use crate::{CryptoError, Result, Secret};

impl From<SignatureAlgorithm> for JwsAlgorithm {
    fn from(alg: SignatureAlgorithm) -> Self {
        match alg {
            SignatureAlgorithm::Rs256 => JwsAlgorithm::Rs256,
            SignatureAlgorithm::Rs384 => JwsAlgorithm::Rs384,
            SignatureAlgorithm::Rs512 => JwsAlgorithm::Rs512,
            SignatureAlgorithm::Ps256 => JwsAlgorithm::Ps256,
            SignatureAlgorithm::Ps384 => JwsAlgorithm::Ps384,
            SignatureAlgorithm::Ps512 => JwsAlgorithm::Ps512,
            SignatureAlgorithm::Es256 => JwsAlgorithm::Es256,
            SignatureAlgorithm::Es384 => JwsAlgorithm::Es384,
            SignatureAlgorithm::Es512 => JwsAlgorithm::Es512,
        }
    }
}

impl TryFrom<JwsAlgorithm> for SignatureAlgorithm {
    type Error = CryptoError;

    /// RS*, PS* and ES*; the HS* algorithms are MACs ([`HmacKey`]), not signatures:
    /// [`CryptoError::Unsupported`].
    fn try_from(alg: JwsAlgorithm) -> Result<Self> {
        match alg {
            JwsAlgorithm::Rs256 => Ok(SignatureAlgorithm::Rs256),
            JwsAlgorithm::Rs384 => Ok(SignatureAlgorithm::Rs384),
            JwsAlgorithm::Rs512 => Ok(SignatureAlgorithm::Rs512),
            JwsAlgorithm::Ps256 => Ok(SignatureAlgorithm::Ps256),
            JwsAlgorithm::Ps384 => Ok(SignatureAlgorithm::Ps384),
            JwsAlgorithm::Ps512 => Ok(SignatureAlgorithm::Ps512),
            JwsAlgorithm::Es256 => Ok(SignatureAlgorithm::Es256),
            JwsAlgorithm::Es384 => Ok(SignatureAlgorithm::Es384),
            JwsAlgorithm::Es512 => Ok(SignatureAlgorithm::Es512),
            _ => Err(CryptoError::Unsupported(
                "JWS algorithm other than RS*, PS* and ES* as a signature algorithm",
            )),
        }
    }
}

impl TryFrom<EcCurve> for Curve {
    type Error = CryptoError;

    /// The JWK curve of a NIST curve; a secp256k1 key has no JWK here, as the `jwk` crate
    /// and the OVHcloud API know only the NIST curves.
    fn try_from(curve: EcCurve) -> Result<Self> {
        match curve {
            EcCurve::P256 => Ok(Curve::P256),
            EcCurve::P384 => Ok(Curve::P384),
            EcCurve::P521 => Ok(Curve::P521),
            _ => Err(CryptoError::Unsupported("JWK of a key on this curve")),
        }
    }
}

impl TryFrom<Curve> for EcCurve {
    type Error = CryptoError;

    fn try_from(curve: Curve) -> Result<Self> {
        match curve {
            Curve::P256 => Ok(EcCurve::P256),
            Curve::P384 => Ok(EcCurve::P384),
            Curve::P521 => Ok(EcCurve::P521),
            _ => Err(CryptoError::Unsupported("JWK curve")),
        }
    }
}

impl From<AesKeySize> for ContentEncryption {
    /// The AES-GCM `enc` (RFC 7518 §5.3) for keys of this size.
    fn from(size: AesKeySize) -> Self {
        match size {
            AesKeySize::Aes128 => ContentEncryption::A128Gcm,
            AesKeySize::Aes192 => ContentEncryption::A192Gcm,
            AesKeySize::Aes256 => ContentEncryption::A256Gcm,
        }
    }
}

/// The hash of an HS* algorithm (RFC 7518 §3.2).
pub(super) fn hmac_hash(alg: JwsAlgorithm) -> Option<HashAlgorithm> {
    match alg {
        JwsAlgorithm::Hs256 => Some(HashAlgorithm::Sha256),
        JwsAlgorithm::Hs384 => Some(HashAlgorithm::Sha384),
        JwsAlgorithm::Hs512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

fn invalid(reason: &'static str) -> CryptoError {
    CryptoError::Invalid {
        what: "JWK",
        reason,
    }
}

/// `jwk` refusing material this crate produced is a bug, not the caller's input.
fn not_representable(_: jwk::Error) -> CryptoError {
    CryptoError::Encoding("JWK")
}

fn to_secret_bytes(secret: Secret) -> SecretBytes {
    SecretBytes::from(secret.into_zeroizing())
}

fn to_secret(bytes: &SecretBytes) -> Secret {
    Secret::from_slice(bytes.expose())
}

/// `x` and `y` of an uncompressed SEC 1 point `04 ‖ x ‖ y`.
fn coordinates(curve: EcCurve, point: &[u8]) -> Result<(Vec<u8>, Vec<u8>)> {
    let len = curve.scalar_len();
    match point.split_first() {
        Some((0x04, xy)) if xy.len() == 2 * len => xy
            .split_at_checked(len)
            .map(|(x, y)| (x.to_vec(), y.to_vec()))
            .ok_or(CryptoError::Encoding("EC point")),
        _ => Err(CryptoError::Encoding("EC point")),
    }
}

fn ec_params(key: &PublicKey, curve: EcCurve, d: Option<Secret>) -> Result<KeyParams> {
    let (x, y) = coordinates(curve, &key.ec_point(PointFormat::Uncompressed)?)?;
    let ec = EcKey::new(Curve::try_from(curve)?, x, y, d.map(to_secret_bytes))
        .map_err(not_representable)?;
    Ok(KeyParams::Ec(ec))
}

fn curve_of(ec: &EcKey) -> Result<EcCurve> {
    EcCurve::try_from(ec.curve())
}

impl PrivateKey {
    /// The private JWK (RFC 7518 §6.2.2, §6.3.2): `kty`, then for RSA `n`, `e`, `d` and
    /// the CRT members `p`, `q`, `dp`, `dq`, `qi`, for EC `crv`, `x`, `y` and `d` at the
    /// curve's full size. No metadata: see the [module docs](crate::jose). Serialize it
    /// with [`Jwk::to_private_json`].
    pub fn to_jwk(&self) -> Result<Jwk> {
        let params = match self.key_type() {
            crate::KeyType::Rsa { .. } => {
                let c = self.rsa_components()?;
                let crt = match (c.p, c.q, c.dp, c.dq, c.qi) {
                    (Some(p), Some(q), Some(dp), Some(dq), Some(qi)) => Some(RsaCrtParams::new(
                        to_secret_bytes(p),
                        to_secret_bytes(q),
                        to_secret_bytes(dp),
                        to_secret_bytes(dq),
                        to_secret_bytes(qi),
                    )),
                    _ => None,
                };
                let private = RsaPrivateParams::new(to_secret_bytes(c.d), crt);
                KeyParams::Rsa(RsaKey::new(c.n, c.e, Some(private)).map_err(not_representable)?)
            }
            crate::KeyType::Ec(curve) => {
                ec_params(&self.public_key(), curve, Some(self.ec_scalar()?))?
            }
        };
        Ok(Jwk::new(params))
    }

    /// Imports the private key of an `RSA` or `EC` JWK (RFC 7518 §6.2.2, §6.3.2).
    ///
    /// RSA: `n`, `e` and `d` with all the CRT members or none (the primes are then
    /// recovered), under this crate's RSA import policy. EC: `d` must be a valid scalar
    /// and `x`/`y` exactly its public key. A JWK without private members, or an `oct`
    /// one, is [`CryptoError::Invalid`]; metadata (`kid`, `use`, `key_ops`, `alg`) is
    /// ignored.
    pub fn from_jwk(jwk: &Jwk) -> Result<PrivateKey> {
        match jwk.params() {
            KeyParams::Rsa(k) => {
                let private = k
                    .private()
                    .ok_or_else(|| invalid("no private members (d)"))?;
                let crt = private.crt();
                PrivateKey::from_rsa_components(&RsaPrivateComponents {
                    n: k.n().to_vec(),
                    e: k.e().to_vec(),
                    d: to_secret(private.d()),
                    p: crt.map(|c| to_secret(c.p())),
                    q: crt.map(|c| to_secret(c.q())),
                    dp: crt.map(|c| to_secret(c.dp())),
                    dq: crt.map(|c| to_secret(c.dq())),
                    qi: crt.map(|c| to_secret(c.qi())),
                })
            }
            KeyParams::Ec(k) => {
                let curve = curve_of(k)?;
                let d = k.d().ok_or_else(|| invalid("no private member (d)"))?;
                let key = PrivateKey::from_ec_scalar(curve, d.expose())?;
                // `x` and `y` are public, so a plain comparison is fine.
                if key.public_key().ec_point(PointFormat::Uncompressed)? != k.sec1_uncompressed() {
                    return Err(invalid("x and y are not the public key of d"));
                }
                Ok(key)
            }
            KeyParams::Oct(_) => Err(invalid("an oct JWK is a symmetric key")),
            _ => Err(CryptoError::Unsupported("JWK key type")),
        }
    }
}

impl PublicKey {
    /// The public JWK (RFC 7518 §6.2.1, §6.3.1): RSA `n` and `e`, minimal; EC `crv`, `x`
    /// and `y` at the curve's full size. No metadata: see the [module docs](crate::jose).
    pub fn to_jwk(&self) -> Result<Jwk> {
        let params = match self.key_type() {
            crate::KeyType::Rsa { .. } => {
                let RsaPublicComponents { n, e } = self.rsa_components()?;
                KeyParams::Rsa(RsaKey::new(n, e, None).map_err(not_representable)?)
            }
            crate::KeyType::Ec(curve) => ec_params(self, curve, None)?,
        };
        Ok(Jwk::new(params))
    }

    /// Imports the public key of an `RSA` or `EC` JWK (RFC 7518 §6.2.1, §6.3.1), under
    /// this crate's public-key policy (RSA 2048 to 8192 bits; the point on the curve).
    ///
    /// A JWK that holds private members is refused rather than silently stripped: import
    /// it with [`PrivateKey::from_jwk`], or pass [`Jwk::to_public`] explicitly.
    pub fn from_jwk(jwk: &Jwk) -> Result<PublicKey> {
        match jwk.params() {
            KeyParams::Oct(_) => Err(invalid("an oct JWK is a symmetric key")),
            _ if jwk.has_private() => Err(invalid(
                "holds private members where a public key is expected",
            )),
            KeyParams::Rsa(k) => PublicKey::from_rsa_components(&RsaPublicComponents {
                n: k.n().to_vec(),
                e: k.e().to_vec(),
            }),
            KeyParams::Ec(k) => PublicKey::from_ec_point(curve_of(k)?, &k.sec1_uncompressed()),
            _ => Err(CryptoError::Unsupported("JWK key type")),
        }
    }
}

/// The `oct` key of a JWK meant for AES: its `alg`, if any, is not an HMAC algorithm
/// (`jwk` has already checked that an AES `alg` fits the size).
fn aes_oct(jwk: &Jwk) -> Result<&OctKey> {
    let KeyParams::Oct(k) = jwk.params() else {
        return Err(invalid("an AES key is an oct JWK"));
    };
    if matches!(jwk.alg(), Some(Algorithm::Signature(_))) {
        return Err(invalid("alg names an HMAC algorithm, not AES"));
    }
    Ok(k)
}

fn oct_jwk(k: &[u8]) -> Result<Jwk> {
    let oct = OctKey::new(SecretBytes::from_slice(k)).map_err(not_representable)?;
    Ok(Jwk::new(KeyParams::Oct(oct)))
}

impl AesKey {
    /// The `oct` JWK (RFC 7518 §6.4) of the key. No metadata: see the
    /// [module docs](crate::jose); an `alg` of `A128GCM`, `A256KW`, ... also tells a
    /// reader the size.
    pub fn to_jwk(&self) -> Result<Jwk> {
        oct_jwk(self.expose())
    }

    /// Imports the `k` of an `oct` JWK: 16, 24 or 32 octets as parsed. `jwk` has already
    /// padded a shortened `k` back when the JWK's `alg` or
    /// [`ParseOptions::oct_key_len`](jwk::ParseOptions::oct_key_len) gave the size; when
    /// only the caller knows it (an import request's `size`), use
    /// [`AesKey::from_jwk_sized`]. A JWK whose `alg` is an HMAC algorithm is refused.
    pub fn from_jwk(jwk: &Jwk) -> Result<AesKey> {
        AesKey::from_slice(aes_oct(jwk)?.k().expose())
    }

    /// Imports the `k` of an `oct` JWK as a key of `size`. A `k` that lost up to four
    /// leading zero octets (the OVHcloud Go SDK writes it through a big integer) is
    /// padded back, exactly as `jwk` does when it knows the size; anything else that is
    /// not `size` is [`CryptoError::Invalid`].
    pub fn from_jwk_sized(jwk: &Jwk, size: AesKeySize) -> Result<AesKey> {
        let k = aes_oct(jwk)?;
        let fitted = OctKey::with_len(k.k().duplicate(), size.bytes())
            .map_err(|_| invalid("k is not of the expected size"))?;
        AesKey::from_slice(fitted.k().expose())
    }
}

impl HmacKey {
    /// The `oct` JWK (RFC 7518 §6.4) of the key. No metadata: see the
    /// [module docs](crate::jose). JOSE names HMAC with SHA-256, SHA-384 and SHA-512 only
    /// (`HS256`, `HS384`, `HS512`).
    pub fn to_jwk(&self) -> Result<Jwk> {
        oct_jwk(self.expose())
    }

    /// Imports the `k` of an `oct` JWK as an HMAC key for `algorithm`, as is (HMAC keys
    /// are never padded: a leading zero octet changes the key). The JWK's `alg`, if any,
    /// must be the HS* algorithm of that hash.
    pub fn from_jwk(jwk: &Jwk, algorithm: HashAlgorithm) -> Result<HmacKey> {
        let KeyParams::Oct(k) = jwk.params() else {
            return Err(invalid("an HMAC key is an oct JWK"));
        };
        match jwk.alg() {
            None => {}
            Some(Algorithm::Signature(alg)) if hmac_hash(alg) == Some(algorithm) => {}
            Some(_) => return Err(invalid("alg is not the HMAC algorithm of this hash")),
        }
        HmacKey::from_slice(algorithm, k.k().expose())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    #[test]
    fn signature_algorithms_map_both_ways() {
        for alg in SignatureAlgorithm::ALL {
            let jose = JwsAlgorithm::from(alg);
            assert_eq!(jose.name(), alg.jose_name());
            assert_eq!(SignatureAlgorithm::try_from(jose), Ok(alg));
            assert_eq!(hmac_hash(jose), None);
        }
        for alg in [
            JwsAlgorithm::Hs256,
            JwsAlgorithm::Hs384,
            JwsAlgorithm::Hs512,
        ] {
            assert!(SignatureAlgorithm::try_from(alg).is_err());
            assert_eq!(
                hmac_hash(alg).map(HashAlgorithm::output_len),
                Some(alg.hash_len())
            );
        }
    }

    #[test]
    fn curves_and_aes_sizes_map() {
        assert!(Curve::try_from(EcCurve::Secp256k1).is_err());
        for curve in EcCurve::NIST {
            let jose = Curve::try_from(curve).unwrap();
            assert_eq!(jose.name(), curve.jose_name());
            assert_eq!(jose.coordinate_len(), curve.scalar_len());
            assert_eq!(EcCurve::try_from(jose), Ok(curve));
        }
        for size in [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256] {
            assert_eq!(ContentEncryption::from(size).key_len(), size.bytes());
        }
    }

    #[test]
    fn splits_only_uncompressed_points_of_the_curve() {
        let mut point = vec![4u8];
        point.extend_from_slice(&[1; 32]);
        point.extend_from_slice(&[2; 32]);
        let (x, y) = coordinates(EcCurve::P256, &point).unwrap();
        assert_eq!((x, y), (vec![1; 32], vec![2; 32]));
        assert!(coordinates(EcCurve::P384, &point).is_err());
        point[0] = 2;
        assert!(coordinates(EcCurve::P256, &point).is_err());
        assert!(coordinates(EcCurve::P256, &[]).is_err());
    }
}

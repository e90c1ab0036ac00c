//! Key parameters by key type (RFC 7518 §6), validated on construction.
//!
//! # Tolerance for shortened values
//!
//! The OVHcloud Go SDK writes fixed-size values through a big integer, which drops leading
//! zero octets. The members below therefore accept a value shorter than its fixed size and
//! left-pad it with zeros; a longer value is always refused, and so is a value more than
//! [`MAX_OMITTED_LEADING_ZEROS`] octets short (a uniformly random value is that short with
//! probability 2⁻⁴⁰, so such a value is a key of another size, not a shortened one):
//!
//! - EC `x`, `y` and `d`: padded to the curve's coordinate size (32, 48 or 66 octets);
//! - `oct` `k`: padded only when the size is known, from an AES `alg` (`A128GCM`,
//!   `A256KW`, ...) or from [`ParseOptions::oct_key_len`](crate::ParseOptions::oct_key_len).
//!   HMAC keys are never padded: a leading zero octet changes an HMAC key.
//!
//! RSA members are Base64urlUInt (RFC 7518 §2): leading zero octets, which some libraries
//! emit (a sign octet before the modulus, or CRT values padded to the prime size), are
//! accepted and stripped, so the stored value is always the minimal encoding.

use crate::alg::{Curve, KeyType};
use crate::error::{Error, Name, Result};
use crate::secret::SecretBytes;

/// How many leading zero octets a shortened fixed-size value may have lost.
pub const MAX_OMITTED_LEADING_ZEROS: usize = 4;

/// Largest RSA modulus accepted: 16384 bits.
pub const MAX_RSA_MODULUS_LEN: usize = 2048;

/// Largest `oct` key accepted: 8192 bits (HMAC keys longer than a hash block are hashed
/// first, so nothing larger is useful).
pub const MAX_OCT_KEY_LEN: usize = 1024;

/// The key material of a JWK, by key type.
#[derive(Debug)]
#[non_exhaustive]
pub enum KeyParams {
    /// A symmetric key (RFC 7518 §6.4).
    Oct(OctKey),
    /// An RSA public key, or key pair (RFC 7518 §6.3).
    Rsa(RsaKey),
    /// An EC public key, or key pair (RFC 7518 §6.2).
    Ec(EcKey),
}

impl KeyParams {
    /// The `kty`.
    pub fn key_type(&self) -> KeyType {
        match self {
            KeyParams::Oct(_) => KeyType::Oct,
            KeyParams::Rsa(_) => KeyType::Rsa,
            KeyParams::Ec(_) => KeyType::Ec,
        }
    }

    /// True when private members are present (always for `oct`).
    pub fn has_private(&self) -> bool {
        match self {
            KeyParams::Oct(_) => true,
            KeyParams::Rsa(k) => k.private.is_some(),
            KeyParams::Ec(k) => k.d.is_some(),
        }
    }

    /// An explicit deep copy, secrets included.
    pub fn duplicate(&self) -> Self {
        match self {
            KeyParams::Oct(k) => KeyParams::Oct(OctKey { k: k.k.duplicate() }),
            KeyParams::Rsa(k) => KeyParams::Rsa(RsaKey {
                n: k.n.clone(),
                e: k.e.clone(),
                private: k.private.as_ref().map(RsaPrivateParams::duplicate),
            }),
            KeyParams::Ec(k) => KeyParams::Ec(EcKey {
                crv: k.crv,
                x: k.x.clone(),
                y: k.y.clone(),
                d: k.d.as_ref().map(SecretBytes::duplicate),
            }),
        }
    }

    /// The public part, or `None` for a symmetric key.
    pub fn to_public(&self) -> Option<Self> {
        match self {
            KeyParams::Oct(_) => None,
            KeyParams::Rsa(k) => Some(KeyParams::Rsa(RsaKey {
                n: k.n.clone(),
                e: k.e.clone(),
                private: None,
            })),
            KeyParams::Ec(k) => Some(KeyParams::Ec(EcKey {
                crv: k.crv,
                x: k.x.clone(),
                y: k.y.clone(),
                d: None,
            })),
        }
    }
}

/// A symmetric key: `k` (RFC 7518 §6.4.1).
#[derive(Debug)]
pub struct OctKey {
    k: SecretBytes,
}

impl OctKey {
    /// A key of 1 to [`MAX_OCT_KEY_LEN`] octets, taken as is.
    pub fn new(k: SecretBytes) -> Result<Self> {
        if k.is_empty() {
            return Err(invalid("k", "empty"));
        }
        if k.len() > MAX_OCT_KEY_LEN {
            return Err(invalid("k", "longer than 1024 octets"));
        }
        Ok(OctKey { k })
    }

    /// A key of exactly `len` octets, left-padding a shortened one (see the module docs).
    pub fn with_len(k: SecretBytes, len: usize) -> Result<Self> {
        let k = fit_secret("k", k, len)?;
        OctKey::new(k)
    }

    /// The key octets.
    pub fn k(&self) -> &SecretBytes {
        &self.k
    }

    /// Length in octets.
    pub fn len(&self) -> usize {
        self.k.len()
    }

    /// Never true: an empty key is refused.
    pub fn is_empty(&self) -> bool {
        self.k.is_empty()
    }
}

/// An RSA public key (`n`, `e`) with optional private parameters (RFC 7518 §6.3).
#[derive(Debug)]
pub struct RsaKey {
    n: Vec<u8>,
    e: Vec<u8>,
    private: Option<RsaPrivateParams>,
}

impl RsaKey {
    /// Validates and normalizes the parameters: every integer loses its leading zero
    /// octets and must then be non-zero; `n` is odd and at most [`MAX_RSA_MODULUS_LEN`]
    /// octets; `e` is odd, greater than 1 and no longer than `n`; private integers are no
    /// longer than `n`. Whether they form a valid key is the crypto backend's to check.
    pub fn new(n: Vec<u8>, e: Vec<u8>, private: Option<RsaPrivateParams>) -> Result<Self> {
        let n = minimal_uint("n", n)?;
        if n.len() > MAX_RSA_MODULUS_LEN {
            return Err(invalid("n", "longer than 16384 bits"));
        }
        if n.last().is_some_and(|b| b & 1 == 0) {
            return Err(invalid("n", "an RSA modulus is odd"));
        }
        let e = minimal_uint("e", e)?;
        if e.len() > n.len() {
            return Err(invalid("e", "longer than the modulus"));
        }
        if e.last().is_some_and(|b| b & 1 == 0) || e.as_slice() == [1] {
            return Err(invalid(
                "e",
                "an RSA public exponent is odd and greater than 1",
            ));
        }
        let private = match private {
            None => None,
            Some(p) => Some(p.normalized(n.len())?),
        };
        Ok(RsaKey { n, e, private })
    }

    /// The modulus, big-endian, minimal.
    pub fn n(&self) -> &[u8] {
        &self.n
    }

    /// The public exponent, big-endian, minimal.
    pub fn e(&self) -> &[u8] {
        &self.e
    }

    /// The private parameters, if present.
    pub fn private(&self) -> Option<&RsaPrivateParams> {
        self.private.as_ref()
    }

    /// Size of the modulus in bits.
    pub fn modulus_bits(&self) -> usize {
        match self.n.first() {
            Some(first) => (self.n.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
            None => 0,
        }
    }
}

/// The private exponent `d` and, optionally, the CRT parameters (RFC 7518 §6.3.2).
#[derive(Debug)]
pub struct RsaPrivateParams {
    d: SecretBytes,
    crt: Option<RsaCrtParams>,
}

impl RsaPrivateParams {
    /// `d` with the CRT parameters when known (RFC 7518 §6.3.2: all of them or none).
    /// Validated when given to [`RsaKey::new`].
    pub fn new(d: SecretBytes, crt: Option<RsaCrtParams>) -> Self {
        RsaPrivateParams { d, crt }
    }

    /// The private exponent.
    pub fn d(&self) -> &SecretBytes {
        &self.d
    }

    /// The CRT parameters, if present.
    pub fn crt(&self) -> Option<&RsaCrtParams> {
        self.crt.as_ref()
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        RsaPrivateParams {
            d: self.d.duplicate(),
            crt: self.crt.as_ref().map(RsaCrtParams::duplicate),
        }
    }

    fn normalized(self, n_len: usize) -> Result<Self> {
        let d = private_uint("d", self.d, n_len)?;
        let crt = match self.crt {
            None => None,
            Some(c) => Some(RsaCrtParams {
                p: private_uint("p", c.p, n_len)?,
                q: private_uint("q", c.q, n_len)?,
                dp: private_uint("dp", c.dp, n_len)?,
                dq: private_uint("dq", c.dq, n_len)?,
                qi: private_uint("qi", c.qi, n_len)?,
            }),
        };
        Ok(RsaPrivateParams { d, crt })
    }
}

/// The CRT parameters of a two-prime RSA key: `p`, `q`, `dp`, `dq`, `qi`
/// (RFC 7518 §6.3.2.2-§6.3.2.6). Multi-prime keys (`oth`) are not supported.
#[derive(Debug)]
pub struct RsaCrtParams {
    p: SecretBytes,
    q: SecretBytes,
    dp: SecretBytes,
    dq: SecretBytes,
    qi: SecretBytes,
}

impl RsaCrtParams {
    /// The five parameters. Validated when given to [`RsaKey::new`].
    pub fn new(
        p: SecretBytes,
        q: SecretBytes,
        dp: SecretBytes,
        dq: SecretBytes,
        qi: SecretBytes,
    ) -> Self {
        RsaCrtParams { p, q, dp, dq, qi }
    }

    /// First prime factor.
    pub fn p(&self) -> &SecretBytes {
        &self.p
    }

    /// Second prime factor.
    pub fn q(&self) -> &SecretBytes {
        &self.q
    }

    /// `d mod (p - 1)`.
    pub fn dp(&self) -> &SecretBytes {
        &self.dp
    }

    /// `d mod (q - 1)`.
    pub fn dq(&self) -> &SecretBytes {
        &self.dq
    }

    /// `q⁻¹ mod p`.
    pub fn qi(&self) -> &SecretBytes {
        &self.qi
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        RsaCrtParams {
            p: self.p.duplicate(),
            q: self.q.duplicate(),
            dp: self.dp.duplicate(),
            dq: self.dq.duplicate(),
            qi: self.qi.duplicate(),
        }
    }
}

/// An EC public key (`crv`, `x`, `y`) with an optional private scalar `d`
/// (RFC 7518 §6.2). Coordinates and `d` are stored at the curve's full size.
#[derive(Debug)]
pub struct EcKey {
    crv: Curve,
    x: Vec<u8>,
    y: Vec<u8>,
    d: Option<SecretBytes>,
}

impl EcKey {
    /// Validates the sizes, left-padding shortened values (see the module docs). Whether
    /// the point is on the curve and matches `d` is the crypto backend's to check.
    pub fn new(crv: Curve, x: Vec<u8>, y: Vec<u8>, d: Option<SecretBytes>) -> Result<Self> {
        let len = crv.coordinate_len();
        let x = fit_public("x", x, len)?;
        let y = fit_public("y", y, len)?;
        let d = match d {
            None => None,
            Some(d) => Some(fit_secret("d", d, len)?),
        };
        Ok(EcKey { crv, x, y, d })
    }

    /// The curve.
    pub fn curve(&self) -> Curve {
        self.crv
    }

    /// The x coordinate, full size.
    pub fn x(&self) -> &[u8] {
        &self.x
    }

    /// The y coordinate, full size.
    pub fn y(&self) -> &[u8] {
        &self.y
    }

    /// The private scalar, full size, if present.
    pub fn d(&self) -> Option<&SecretBytes> {
        self.d.as_ref()
    }

    /// The SEC 1 uncompressed point `0x04 ‖ x ‖ y`, as most crypto libraries take it.
    pub fn sec1_uncompressed(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(1 + self.x.len() + self.y.len());
        out.push(0x04);
        out.extend_from_slice(&self.x);
        out.extend_from_slice(&self.y);
        out
    }
}

fn invalid(member: &'static str, reason: &'static str) -> Error {
    Error::InvalidValue {
        member: Name::Borrowed(member),
        reason,
    }
}

/// A fixed-size public value: exactly `len` octets, or up to
/// [`MAX_OMITTED_LEADING_ZEROS`] fewer, left-padded.
fn fit_public(member: &'static str, bytes: Vec<u8>, len: usize) -> Result<Vec<u8>> {
    check_fit(member, bytes.len(), len)?;
    if bytes.len() == len {
        return Ok(bytes);
    }
    let mut out = vec![0u8; len - bytes.len()];
    out.extend_from_slice(&bytes);
    Ok(out)
}

/// [`fit_public`] for a secret.
fn fit_secret(member: &'static str, bytes: SecretBytes, len: usize) -> Result<SecretBytes> {
    check_fit(member, bytes.len(), len)?;
    if bytes.len() == len {
        return Ok(bytes);
    }
    Ok(bytes.left_padded(len))
}

fn check_fit(member: &'static str, actual: usize, len: usize) -> Result<()> {
    if actual > len {
        return Err(invalid(member, "longer than the key size"));
    }
    if actual == 0 {
        return Err(invalid(member, "empty"));
    }
    if len - actual > MAX_OMITTED_LEADING_ZEROS {
        return Err(invalid(
            member,
            "shorter than the key size by more than 4 octets",
        ));
    }
    Ok(())
}

/// A public Base64urlUInt without leading zeros, non-zero.
fn minimal_uint(member: &'static str, bytes: Vec<u8>) -> Result<Vec<u8>> {
    let start = bytes.iter().take_while(|b| **b == 0).count();
    if start == bytes.len() {
        return Err(invalid(member, "zero or empty"));
    }
    if start == 0 {
        return Ok(bytes);
    }
    Ok(bytes.get(start..).unwrap_or_default().to_vec())
}

/// A private Base64urlUInt without leading zeros, non-zero, no longer than the modulus.
fn private_uint(member: &'static str, bytes: SecretBytes, n_len: usize) -> Result<SecretBytes> {
    let bytes = if bytes.expose().first() == Some(&0) {
        bytes.strip_leading_zeros()
    } else {
        bytes
    };
    if bytes.is_empty() {
        return Err(invalid(member, "zero or empty"));
    }
    if bytes.len() > n_len {
        return Err(invalid(member, "longer than the modulus"));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ec_coordinates_are_padded_within_the_tolerance() {
        let k = EcKey::new(Curve::P256, vec![1; 31], vec![2; 28], None).unwrap();
        assert_eq!(k.x().len(), 32);
        assert_eq!(k.x().first(), Some(&0));
        assert_eq!(k.y().get(..4), Some(&[0u8; 4][..]));
        assert!(EcKey::new(Curve::P256, vec![1; 27], vec![2; 32], None).is_err());
        assert!(EcKey::new(Curve::P256, vec![1; 33], vec![2; 32], None).is_err());
        assert!(EcKey::new(Curve::P256, vec![], vec![2; 32], None).is_err());
        let d = SecretBytes::new(vec![3; 65]);
        let k = EcKey::new(Curve::P521, vec![1; 66], vec![2; 66], Some(d)).unwrap();
        assert_eq!(k.d().unwrap().len(), 66);
    }

    #[test]
    fn rsa_integers_are_normalized() {
        let k = RsaKey::new(vec![0, 0x43, 0, 0x01], vec![0, 1, 0, 1], None).unwrap();
        assert_eq!(k.n(), &[0x43, 0, 0x01]);
        assert_eq!(k.e(), &[1, 0, 1]);
        assert_eq!(k.modulus_bits(), 23);
        assert!(
            RsaKey::new(vec![0xc3, 0x02], vec![1, 0, 1], None).is_err(),
            "even n"
        );
        assert!(
            RsaKey::new(vec![0xc3, 0x01], vec![1], None).is_err(),
            "e = 1"
        );
        assert!(RsaKey::new(vec![0, 0], vec![3], None).is_err(), "zero n");
        let private = RsaPrivateParams::new(SecretBytes::new(vec![0, 0, 9]), None);
        let k = RsaKey::new(vec![0xc3, 0x01], vec![3], Some(private)).unwrap();
        assert_eq!(k.private().unwrap().d().expose(), &[9]);
        let private = RsaPrivateParams::new(SecretBytes::new(vec![9, 9, 9]), None);
        assert!(RsaKey::new(vec![0xc3, 0x01], vec![3], Some(private)).is_err());
    }

    #[test]
    fn oct_keys_are_padded_only_to_a_known_size() {
        let k = OctKey::with_len(SecretBytes::new(vec![7; 31]), 32).unwrap();
        assert_eq!(k.k().expose().first(), Some(&0));
        assert!(OctKey::with_len(SecretBytes::new(vec![7; 16]), 32).is_err());
        assert!(OctKey::with_len(SecretBytes::new(vec![7; 33]), 32).is_err());
        assert_eq!(OctKey::new(SecretBytes::new(vec![7; 5])).unwrap().len(), 5);
        assert!(OctKey::new(SecretBytes::new(vec![])).is_err());
    }
}

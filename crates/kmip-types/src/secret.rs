//! Containers for key material and other secrets: zeroized on drop, not `Clone`
//! (copies are explicit and greppable), `Debug` redacted, compared in constant time.
//!
//! `==` on these types is [`subtle`]'s constant-time comparison, so it is also what the
//! derived `PartialEq` of every structure holding one (Key Block, Key Material,
//! payloads) uses for the secret part: only the lengths may leak. It is still exact
//! equality, so `Eq` holds.

use kmip_ttlv::{BigInteger, ItemType, KmipVersion, Tag, Ttlv, Value};
use subtle::{Choice, ConstantTimeEq};
use zeroize::{Zeroize, Zeroizing};

use crate::codec::{KmipCodec, wrong_type};
use crate::error::Error;

/// Secret bytes: key material, plaintext, secret data.
#[derive(Default)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Takes ownership of the bytes.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(Zeroizing::new(bytes))
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SecretBytes::new(self.0.to_vec())
    }

    /// Constant-time equality (only the lengths may leak).
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        self.0.as_slice().ct_eq(other).into()
    }
}

/// Constant time, see the module documentation.
impl PartialEq for SecretBytes {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other.expose())
    }
}

impl Eq for SecretBytes {}

impl core::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "[redacted {} bytes]", self.0.len())
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SecretBytes::new(bytes)
    }
}

impl KmipCodec for SecretBytes {
    fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        match item.value {
            Value::ByteString(v) => Ok(SecretBytes::new(v)),
            _ => Err(wrong_type(ItemType::ByteString, &item)),
        }
    }
    fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
        Ok(Ttlv::new(tag, Value::ByteString(self.0.to_vec())))
    }
}

/// A secret Big Integer (private exponent, prime factors, private scalar).
pub struct SecretBigInteger(BigInteger);

impl SecretBigInteger {
    /// Takes ownership of the value.
    pub fn new(value: BigInteger) -> Self {
        SecretBigInteger(value)
    }

    /// The value.
    pub fn expose(&self) -> &BigInteger {
        &self.0
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SecretBigInteger(self.0.clone())
    }

    /// Constant-time equality of the wire bytes (only the lengths may leak), as a
    /// [`Choice`] that structures with several secrets combine without an early exit.
    pub(crate) fn ct_choice(&self, other: &Self) -> Choice {
        self.0.as_wire_bytes().ct_eq(other.0.as_wire_bytes())
    }
}

/// Constant time, see the module documentation. [`BigInteger`] keeps its wire bytes, so
/// comparing those is the same equality as [`BigInteger`]'s.
impl PartialEq for SecretBigInteger {
    fn eq(&self, other: &Self) -> bool {
        self.ct_choice(other).into()
    }
}

impl Eq for SecretBigInteger {}

/// Constant-time equality of two optional secrets: whether each is present is not
/// secret, their values are.
pub(crate) fn ct_eq_optional(a: Option<&SecretBigInteger>, b: Option<&SecretBigInteger>) -> Choice {
    match (a, b) {
        (Some(a), Some(b)) => a.ct_choice(b),
        (None, None) => Choice::from(1),
        (Some(_), None) | (None, Some(_)) => Choice::from(0),
    }
}

impl Drop for SecretBigInteger {
    fn drop(&mut self) {
        let mut bytes = core::mem::replace(&mut self.0, BigInteger::from_i128(0)).into_wire_bytes();
        bytes.zeroize();
    }
}

impl core::fmt::Debug for SecretBigInteger {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "[redacted {} bytes]", self.0.as_wire_bytes().len())
    }
}

impl KmipCodec for SecretBigInteger {
    fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        match item.value {
            Value::BigInteger(v) => Ok(SecretBigInteger(v)),
            _ => Err(wrong_type(ItemType::BigInteger, &item)),
        }
    }
    fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
        Ok(Ttlv::new(tag, Value::BigInteger(self.0.clone())))
    }
}

/// A secret text (password, one-time password).
#[derive(Default)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Takes ownership of the text.
    pub fn new(text: String) -> Self {
        SecretString(Zeroizing::new(text))
    }

    /// The text.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SecretString::new(self.0.to_string())
    }

    /// Constant-time equality (only the lengths may leak).
    pub fn ct_eq(&self, other: &str) -> bool {
        self.0.as_bytes().ct_eq(other.as_bytes()).into()
    }
}

/// Constant time, see the module documentation.
impl PartialEq for SecretString {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other.expose())
    }
}

impl Eq for SecretString {}

impl core::fmt::Debug for SecretString {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("[redacted]")
    }
}

impl KmipCodec for SecretString {
    fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        match item.value {
            Value::TextString(v) => Ok(SecretString::new(v)),
            _ => Err(wrong_type(ItemType::TextString, &item)),
        }
    }
    fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
        Ok(Ttlv::new(tag, Value::TextString(self.0.to_string())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_bytes() {
        let s = SecretBytes::new(vec![0xAB; 4]);
        assert_eq!(format!("{s:?}"), "[redacted 4 bytes]");
    }

    #[test]
    fn constant_time_comparison_checks_length_and_content() {
        let s = SecretBytes::new(vec![1, 2, 3]);
        assert!(s.ct_eq(&[1, 2, 3]));
        assert!(!s.ct_eq(&[1, 2, 4]));
        assert!(!s.ct_eq(&[1, 2]));
    }

    #[test]
    fn equality_is_exact_for_every_secret_type() {
        let bytes = |b: &[u8]| SecretBytes::new(b.to_vec());
        assert_eq!(bytes(&[1, 2, 3]), bytes(&[1, 2, 3]));
        assert_ne!(bytes(&[1, 2, 3]), bytes(&[1, 2, 4]));
        assert_ne!(bytes(&[1, 2, 3]), bytes(&[1, 2, 3, 0]));
        assert_eq!(bytes(&[]), SecretBytes::default());

        let text = |s: &str| SecretString::new(s.to_owned());
        assert_eq!(text("hunter2"), text("hunter2"));
        assert_ne!(text("hunter2"), text("hunter3"));
        assert!(text("hunter2").ct_eq("hunter2"));
        assert!(!text("hunter2").ct_eq("hunter"));

        let big = |v: i128| SecretBigInteger::new(BigInteger::from_i128(v));
        assert_eq!(big(65537), big(65537));
        assert_ne!(big(65537), big(65538));
        assert_ne!(big(1), big(-1));
        assert!(bool::from(ct_eq_optional(None, None)));
        assert!(!bool::from(ct_eq_optional(Some(&big(1)), None)));
        assert!(bool::from(ct_eq_optional(Some(&big(1)), Some(&big(1)))));
    }
}

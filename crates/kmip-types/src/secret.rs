//! Containers for key material and other secrets: zeroized on drop, not `Clone`
//! (copies are explicit and greppable), `Debug` redacted, compared in constant time.

use kmip_ttlv::{BigInteger, ItemType, KmipVersion, Tag, Ttlv, Value};
use zeroize::{Zeroize, Zeroizing};

use crate::codec::{KmipCodec, wrong_type};
use crate::error::Error;

/// Secret bytes: key material, plaintext, secret data.
#[derive(Default, PartialEq, Eq)]
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
        use subtle::ConstantTimeEq;
        self.0.as_slice().ct_eq(other).into()
    }
}

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
#[derive(PartialEq, Eq)]
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
#[derive(Default, PartialEq, Eq)]
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
}

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
}

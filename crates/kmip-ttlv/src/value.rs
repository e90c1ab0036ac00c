//! The TTLV tree: an item is a tag and a typed value (KMIP 1.4 §9.1.1).

use crate::{ItemType, Tag};

/// One TTLV item.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ttlv {
    /// The item's tag.
    pub tag: Tag,
    /// The item's value; its variant is the item type.
    pub value: Value,
}

/// A TTLV value. The variant determines the item type byte.
///
/// `Debug` prints byte strings and big integers in full: use [`crate::pretty`] for
/// anything that may carry key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Child items, in order.
    Structure(Vec<Ttlv>),
    /// Signed 32-bit integer (also masks such as Cryptographic Usage Mask).
    Integer(i32),
    /// Signed 64-bit integer.
    LongInteger(i64),
    /// Two's-complement big-endian integer.
    BigInteger(BigInteger),
    /// Enumeration value.
    Enumeration(u32),
    /// Boolean.
    Boolean(bool),
    /// UTF-8 text.
    TextString(String),
    /// Raw bytes.
    ByteString(Vec<u8>),
    /// Seconds since the Unix epoch.
    DateTime(i64),
    /// Seconds.
    Interval(u32),
    /// Microseconds since the Unix epoch (KMIP 2.0).
    DateTimeExtended(i64),
}

impl Value {
    /// The item type this value encodes as.
    pub const fn item_type(&self) -> ItemType {
        match self {
            Value::Structure(_) => ItemType::Structure,
            Value::Integer(_) => ItemType::Integer,
            Value::LongInteger(_) => ItemType::LongInteger,
            Value::BigInteger(_) => ItemType::BigInteger,
            Value::Enumeration(_) => ItemType::Enumeration,
            Value::Boolean(_) => ItemType::Boolean,
            Value::TextString(_) => ItemType::TextString,
            Value::ByteString(_) => ItemType::ByteString,
            Value::DateTime(_) => ItemType::DateTime,
            Value::Interval(_) => ItemType::Interval,
            Value::DateTimeExtended(_) => ItemType::DateTimeExtended,
        }
    }
}

impl Ttlv {
    /// Builds an item.
    pub fn new(tag: Tag, value: Value) -> Self {
        Ttlv { tag, value }
    }

    /// Builds a structure item.
    pub fn structure(tag: Tag, children: Vec<Ttlv>) -> Self {
        Ttlv {
            tag,
            value: Value::Structure(children),
        }
    }

    /// The item type.
    pub const fn item_type(&self) -> ItemType {
        self.value.item_type()
    }

    /// The children of a structure, `None` for a primitive.
    pub fn children(&self) -> Option<&[Ttlv]> {
        match &self.value {
            Value::Structure(children) => Some(children),
            _ => None,
        }
    }

    /// The first child with this tag, if this is a structure that has one.
    pub fn child(&self, tag: Tag) -> Option<&Ttlv> {
        self.children()?.iter().find(|c| c.tag == tag)
    }

    /// Number of items in this tree, this one included.
    pub fn item_count(&self) -> usize {
        match &self.value {
            Value::Structure(children) => 1 + children.iter().map(Ttlv::item_count).sum::<usize>(),
            _ => 1,
        }
    }
}

/// A Big Integer as carried on the wire: two's complement, big-endian, sign-extended to
/// a multiple of 8 bytes (KMIP 1.4 §9.1.1.4).
///
/// The bytes are kept exactly as received so that decode → encode is the identity.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct BigInteger(Vec<u8>);

impl BigInteger {
    /// Wraps wire bytes; `None` unless the length is a non-zero multiple of 8.
    pub fn from_wire_bytes(bytes: Vec<u8>) -> Option<Self> {
        if bytes.is_empty() || !bytes.len().is_multiple_of(8) {
            None
        } else {
            Some(BigInteger(bytes))
        }
    }

    /// Encodes a non-negative magnitude (big-endian, leading zeros allowed), adding
    /// the sign byte and padding the spec requires.
    pub fn from_unsigned_be(magnitude: &[u8]) -> Self {
        let first = magnitude
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(magnitude.len());
        let digits = magnitude.get(first..).unwrap_or_default();
        let needs_sign_byte = digits.first().is_some_and(|&b| b & 0x80 != 0);
        let len = digits.len() + usize::from(needs_sign_byte);
        let padded = len.div_ceil(8).max(1) * 8;
        let mut bytes = vec![0u8; padded - digits.len()];
        bytes.extend_from_slice(digits);
        BigInteger(bytes)
    }

    /// Encodes a signed 128-bit value.
    pub fn from_i128(value: i128) -> Self {
        let bytes = value.to_be_bytes();
        // Shortest sign-extended form, then padded back to a multiple of 8.
        let sign = if value < 0 { 0xFF } else { 0x00 };
        let skip = bytes
            .windows(2)
            .take_while(|w| matches!(w, [a, b] if *a == sign && (*b & 0x80) == (sign & 0x80)))
            .count();
        let significant = bytes.len() - skip;
        let padded = significant.div_ceil(8) * 8;
        let mut out = vec![sign; padded - significant];
        out.extend_from_slice(bytes.get(skip..).unwrap_or_default());
        BigInteger(out)
    }

    /// The wire bytes (two's complement, a multiple of 8 bytes).
    pub fn as_wire_bytes(&self) -> &[u8] {
        &self.0
    }

    /// Consumes the value, returning its wire bytes.
    pub fn into_wire_bytes(self) -> Vec<u8> {
        self.0
    }

    /// True when the sign bit is set.
    pub fn is_negative(&self) -> bool {
        self.0.first().is_some_and(|b| b & 0x80 != 0)
    }

    /// The magnitude of a non-negative value without leading zeros; `None` if negative.
    pub fn to_unsigned_be(&self) -> Option<&[u8]> {
        if self.is_negative() {
            return None;
        }
        let first = self.0.iter().position(|&b| b != 0).unwrap_or(self.0.len());
        self.0.get(first..)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integer_pads_to_eight_bytes() {
        let b = BigInteger::from_unsigned_be(&[0x80]);
        assert_eq!(b.as_wire_bytes(), &[0, 0, 0, 0, 0, 0, 0, 0x80]);
        assert_eq!(b.to_unsigned_be(), Some(&[0x80][..]));
        let zero = BigInteger::from_unsigned_be(&[]);
        assert_eq!(zero.as_wire_bytes(), &[0; 8]);
    }

    #[test]
    fn big_integer_from_i128_sign_extends() {
        assert_eq!(BigInteger::from_i128(-1).as_wire_bytes(), &[0xFF; 8]);
        assert_eq!(
            BigInteger::from_i128(1).as_wire_bytes(),
            &[0, 0, 0, 0, 0, 0, 0, 1]
        );
        let big = BigInteger::from_i128(1_234_567_890_000_000_000_000_000_000);
        assert_eq!(
            big.as_wire_bytes(),
            &[
                0, 0, 0, 0, 0x03, 0xFD, 0x35, 0xEB, 0x6B, 0xC2, 0xDF, 0x46, 0x18, 0x08, 0, 0
            ]
        );
    }

    #[test]
    fn big_integer_rejects_unaligned_wire_bytes() {
        assert!(BigInteger::from_wire_bytes(vec![1, 2, 3]).is_none());
        assert!(BigInteger::from_wire_bytes(Vec::new()).is_none());
    }
}

//! The TTLV tree: an item is a tag and a typed value (KMIP 1.4 §9.1.1).

use core::fmt;

use crate::{ItemType, Tag};

/// One TTLV item.
///
/// `Debug` never prints key material: Byte Strings and Big Integers show as their
/// length, and Text Strings at or below a secret-bearing tag
/// ([`Tag::is_secret_bearing`]: Password, Credential Value, ...) as `[redacted]`.
/// Equality still compares every byte.
#[derive(Clone, PartialEq, Eq)]
pub struct Ttlv {
    /// The item's tag.
    pub tag: Tag,
    /// The item's value; its variant is the item type.
    pub value: Value,
}

/// A TTLV value. The variant determines the item type byte.
///
/// `Debug` shows Byte Strings and Big Integers as their length only. A value does not
/// know its tag, so a Text String is redacted only when printed as part of a [`Ttlv`]
/// under a secret-bearing tag.
#[derive(Clone, PartialEq, Eq)]
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
/// `Debug` shows their length only: a Big Integer may be a private key component.
#[derive(Clone, PartialEq, Eq, Hash)]
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

impl fmt::Debug for Ttlv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&ItemDebug::new(self, false), f)
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(
            &ValueDebug {
                value: self,
                secret: false,
            },
            f,
        )
    }
}

impl fmt::Debug for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BigInteger")
            .field(&Redacted::Bytes(self.0.len()))
            .finish()
    }
}

/// The `Debug` form of an item, knowing whether an ancestor is secret-bearing.
struct ItemDebug<'a> {
    item: &'a Ttlv,
    /// The item or an ancestor is secret-bearing: its text is redacted.
    secret: bool,
}

impl<'a> ItemDebug<'a> {
    fn new(item: &'a Ttlv, parent_secret: bool) -> Self {
        ItemDebug {
            item,
            secret: parent_secret || item.tag.is_secret_bearing(),
        }
    }
}

impl fmt::Debug for ItemDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ttlv")
            .field("tag", &self.item.tag)
            .field(
                "value",
                &ValueDebug {
                    value: &self.item.value,
                    secret: self.secret,
                },
            )
            .finish()
    }
}

struct ValueDebug<'a> {
    value: &'a Value,
    secret: bool,
}

impl fmt::Debug for ValueDebug<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = self.secret;
        match self.value {
            Value::Structure(children) => f
                .debug_tuple("Structure")
                .field(&Children { children, secret })
                .finish(),
            Value::Integer(v) => f.debug_tuple("Integer").field(v).finish(),
            Value::LongInteger(v) => f.debug_tuple("LongInteger").field(v).finish(),
            Value::BigInteger(v) => f
                .debug_tuple("BigInteger")
                .field(&Redacted::Bytes(v.as_wire_bytes().len()))
                .finish(),
            Value::Enumeration(v) => f.debug_tuple("Enumeration").field(v).finish(),
            Value::Boolean(v) => f.debug_tuple("Boolean").field(v).finish(),
            Value::TextString(_) if secret => {
                f.debug_tuple("TextString").field(&Redacted::Text).finish()
            }
            Value::TextString(v) => f.debug_tuple("TextString").field(v).finish(),
            Value::ByteString(v) => f
                .debug_tuple("ByteString")
                .field(&Redacted::Bytes(v.len()))
                .finish(),
            Value::DateTime(v) => f.debug_tuple("DateTime").field(v).finish(),
            Value::Interval(v) => f.debug_tuple("Interval").field(v).finish(),
            Value::DateTimeExtended(v) => f.debug_tuple("DateTimeExtended").field(v).finish(),
        }
    }
}

struct Children<'a> {
    children: &'a [Ttlv],
    secret: bool,
}

impl fmt::Debug for Children<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(
                self.children
                    .iter()
                    .map(|child| ItemDebug::new(child, self.secret)),
            )
            .finish()
    }
}

/// What `Debug` prints in place of a value it withholds.
enum Redacted {
    /// Bytes, shown as their number.
    Bytes(usize),
    /// Secret text, not even its length.
    Text,
}

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Redacted::Bytes(len) => write!(f, "[{len} bytes redacted]"),
            Redacted::Text => f.write_str("[redacted]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A recognisable AES-256 test key, never a real one.
    const KEY: [u8; 32] = [
        0x3C, 0x55, 0xAA, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C,
        0x0D, 0x0E, 0x0F, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B,
        0x1C, 0x1D,
    ];

    fn text(tag: Tag, text: &str) -> Ttlv {
        Ttlv::new(tag, Value::TextString(text.to_owned()))
    }

    #[test]
    fn debug_shows_byte_strings_and_big_integers_as_their_length() {
        let tree = Ttlv::structure(
            Tag::KEY_VALUE,
            vec![
                Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(KEY.to_vec())),
                Ttlv::new(
                    Tag::PRIVATE_EXPONENT,
                    Value::BigInteger(BigInteger::from_unsigned_be(&KEY[..20])),
                ),
            ],
        );
        for text in [format!("{tree:?}"), format!("{tree:#?}")] {
            assert!(text.contains("[32 bytes redacted]"), "{text}");
            assert!(text.contains("[24 bytes redacted]"), "{text}");
            for needle in ["60, 85, 170", "3C", "3c", "170", "0x"] {
                assert!(!text.contains(needle), "{needle} in {text}");
            }
        }
        assert_eq!(
            format!("{:?}", BigInteger::from_i128(-1)),
            "BigInteger([8 bytes redacted])"
        );
        assert_eq!(
            format!("{:?}", Value::ByteString(KEY.to_vec())),
            "ByteString([32 bytes redacted])"
        );
    }

    #[test]
    fn debug_redacts_text_under_password_and_credential_value() {
        let credential = Ttlv::structure(
            Tag::CREDENTIAL,
            vec![
                Ttlv::new(Tag::CREDENTIAL_TYPE, Value::Enumeration(1)),
                Ttlv::structure(
                    Tag::CREDENTIAL_VALUE,
                    vec![
                        text(Tag::USERNAME, "alice-the-user"),
                        text(Tag::PASSWORD, "hunter2-password"),
                    ],
                ),
            ],
        );
        let otp = text(Tag::ONE_TIME_PASSWORD, "123456-otp");
        let password = text(Tag::PASSWORD, "hunter2-password");
        for item in [&credential, &otp, &password] {
            for text in [format!("{item:?}"), format!("{item:#?}")] {
                for secret in ["alice-the-user", "hunter2-password", "123456-otp"] {
                    assert!(!text.contains(secret), "{secret} in {text}");
                }
                assert!(text.contains("[redacted]"), "{text}");
            }
        }
        assert_eq!(
            format!("{password:?}"),
            "Ttlv { tag: Password, value: TextString([redacted]) }"
        );
        // Text elsewhere, and everything that is not key material, is shown.
        let name = text(Tag::NAME_VALUE, "my-key");
        assert_eq!(
            format!("{name:?}"),
            "Ttlv { tag: NameValue, value: TextString(\"my-key\") }"
        );
        assert!(format!("{credential:?}").contains("Enumeration(1)"));
    }

    #[test]
    fn equality_still_compares_the_bytes() {
        let a = Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(vec![1, 2]));
        let b = Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(vec![1, 3]));
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), format!("{b:?}"));
        assert_ne!(text(Tag::PASSWORD, "a"), text(Tag::PASSWORD, "b"));
    }

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

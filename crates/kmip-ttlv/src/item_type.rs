//! The TTLV item type byte (KMIP 1.4 §9.1.1.2, KMIP 2.0 §9.1.1.2).

use core::fmt;

/// The type of a TTLV item.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ItemType {
    /// A sequence of items.
    Structure = 0x01,
    /// Signed 32-bit integer.
    Integer = 0x02,
    /// Signed 64-bit integer.
    LongInteger = 0x03,
    /// Two's-complement big-endian integer, a multiple of 8 bytes.
    BigInteger = 0x04,
    /// Unsigned 32-bit enumeration value.
    Enumeration = 0x05,
    /// Boolean encoded on 8 bytes, 0 or 1.
    Boolean = 0x06,
    /// UTF-8 text.
    TextString = 0x07,
    /// Raw bytes.
    ByteString = 0x08,
    /// Seconds since the Unix epoch, signed 64-bit.
    DateTime = 0x09,
    /// Unsigned 32-bit number of seconds.
    Interval = 0x0A,
    /// Microseconds since the Unix epoch, signed 64-bit (KMIP 2.0).
    DateTimeExtended = 0x0B,
}

impl ItemType {
    /// Every item type, in wire order.
    pub const ALL: [ItemType; 11] = [
        ItemType::Structure,
        ItemType::Integer,
        ItemType::LongInteger,
        ItemType::BigInteger,
        ItemType::Enumeration,
        ItemType::Boolean,
        ItemType::TextString,
        ItemType::ByteString,
        ItemType::DateTime,
        ItemType::Interval,
        ItemType::DateTimeExtended,
    ];

    /// Decodes the wire byte; `None` for 0x00 and 0x0C..=0xFF.
    pub const fn from_byte(byte: u8) -> Option<Self> {
        Some(match byte {
            0x01 => ItemType::Structure,
            0x02 => ItemType::Integer,
            0x03 => ItemType::LongInteger,
            0x04 => ItemType::BigInteger,
            0x05 => ItemType::Enumeration,
            0x06 => ItemType::Boolean,
            0x07 => ItemType::TextString,
            0x08 => ItemType::ByteString,
            0x09 => ItemType::DateTime,
            0x0A => ItemType::Interval,
            0x0B => ItemType::DateTimeExtended,
            _ => return None,
        })
    }

    /// The wire byte.
    pub const fn to_byte(self) -> u8 {
        self as u8
    }

    /// The one length a fixed-size type must declare, `None` for variable-length types.
    pub const fn fixed_length(self) -> Option<u32> {
        match self {
            ItemType::Integer | ItemType::Enumeration | ItemType::Interval => Some(4),
            ItemType::LongInteger
            | ItemType::Boolean
            | ItemType::DateTime
            | ItemType::DateTimeExtended => Some(8),
            ItemType::Structure
            | ItemType::BigInteger
            | ItemType::TextString
            | ItemType::ByteString => None,
        }
    }

    /// The name used by the XML and JSON encodings (`"TextString"`).
    pub const fn name(self) -> &'static str {
        match self {
            ItemType::Structure => "Structure",
            ItemType::Integer => "Integer",
            ItemType::LongInteger => "LongInteger",
            ItemType::BigInteger => "BigInteger",
            ItemType::Enumeration => "Enumeration",
            ItemType::Boolean => "Boolean",
            ItemType::TextString => "TextString",
            ItemType::ByteString => "ByteString",
            ItemType::DateTime => "DateTime",
            ItemType::Interval => "Interval",
            ItemType::DateTimeExtended => "DateTimeExtended",
        }
    }

    /// Parses the XML/JSON type name.
    pub fn from_name(name: &str) -> Option<Self> {
        ItemType::ALL.into_iter().find(|t| t.name() == name)
    }
}

impl fmt::Display for ItemType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_byte_round_trips() {
        for t in ItemType::ALL {
            assert_eq!(ItemType::from_byte(t.to_byte()), Some(t));
            assert_eq!(ItemType::from_name(t.name()), Some(t));
        }
    }

    #[test]
    fn rejects_reserved_type_bytes() {
        assert_eq!(ItemType::from_byte(0x00), None);
        for b in 0x0C..=0xFF {
            assert_eq!(ItemType::from_byte(b), None, "type byte {b:#04x}");
        }
    }
}

//! TTLV encoding (KMIP 1.4 §9.1).

use crate::error::EncodeError;
use crate::{Ttlv, Value};

impl Ttlv {
    /// Encodes this item and returns the bytes.
    pub fn to_bytes(&self) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::with_capacity(self.encoded_len());
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the encoding of this item to `out`. On error `out` is left as it was.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        let result = self.encode_unchecked(out);
        if result.is_err() {
            // Drop the partial item so a caller reusing the buffer never sends half of it.
            out.truncate(start);
        }
        result
    }

    /// Appends the encoding, leaving a partial item behind on error.
    fn encode_unchecked(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let header_at = out.len();
        out.extend_from_slice(&self.tag.to_be_bytes());
        out.push(self.item_type().to_byte());
        out.extend_from_slice(&[0; 4]);
        let body_at = out.len();
        match &self.value {
            Value::Structure(children) => {
                for child in children {
                    child.encode_unchecked(out)?;
                }
            }
            Value::Integer(v) => out.extend_from_slice(&v.to_be_bytes()),
            Value::Enumeration(v) | Value::Interval(v) => out.extend_from_slice(&v.to_be_bytes()),
            Value::LongInteger(v) | Value::DateTime(v) | Value::DateTimeExtended(v) => {
                out.extend_from_slice(&v.to_be_bytes());
            }
            Value::Boolean(v) => out.extend_from_slice(&u64::from(*v).to_be_bytes()),
            Value::TextString(v) => out.extend_from_slice(v.as_bytes()),
            Value::ByteString(v) => out.extend_from_slice(v),
            Value::BigInteger(v) => {
                let bytes = v.as_wire_bytes();
                if bytes.is_empty() || bytes.len() % 8 != 0 {
                    return Err(EncodeError::BigIntegerLength(bytes.len()));
                }
                out.extend_from_slice(bytes);
            }
        }
        let len = out.len() - body_at;
        let len32 = u32::try_from(len).map_err(|_| EncodeError::TooLong(len))?;
        if let Some(slot) = out.get_mut(header_at + 4..header_at + 8) {
            slot.copy_from_slice(&len32.to_be_bytes());
        }
        let padding = (8 - len % 8) % 8;
        out.resize(out.len() + padding, 0);
        Ok(())
    }

    /// Length of the encoding in bytes, header and padding included.
    pub fn encoded_len(&self) -> usize {
        let body = match &self.value {
            Value::Structure(children) => children.iter().map(Ttlv::encoded_len).sum(),
            Value::Integer(_) | Value::Enumeration(_) | Value::Interval(_) => 4,
            Value::LongInteger(_)
            | Value::DateTime(_)
            | Value::DateTimeExtended(_)
            | Value::Boolean(_) => 8,
            Value::TextString(v) => v.len(),
            Value::ByteString(v) => v.len(),
            Value::BigInteger(v) => v.as_wire_bytes().len(),
        };
        8 + body.div_ceil(8) * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BigInteger, Limits, Tag, decode};

    /// The specification's encoding examples (KMIP 1.4 §9.1.2), all with tag 0x420020:
    /// description, value, and the full item as hex. `tests/spec_examples.rs` checks the
    /// same examples against the shared corpus when it is present.
    fn spec_examples() -> [(&'static str, Value, &'static str); 10] {
        let tag = |t| Tag::new(t).unwrap();
        [
            (
                "An Integer containing the decimal value 8",
                Value::Integer(8),
                "42002002000000040000000800000000",
            ),
            (
                "A Long Integer containing the decimal value 123456789000000000",
                Value::LongInteger(123_456_789_000_000_000),
                "420020030000000801B69B4BA5749200",
            ),
            (
                "A Big Integer containing the decimal value 1234567890000000000000000000",
                Value::BigInteger(BigInteger::from_i128(1_234_567_890_000_000_000_000_000_000)),
                "42002004000000100000000003FD35EB6BC2DF4618080000",
            ),
            (
                "An Enumeration with value 255",
                Value::Enumeration(255),
                "4200200500000004000000FF00000000",
            ),
            (
                "A Boolean with the value True",
                Value::Boolean(true),
                "42002006000000080000000000000001",
            ),
            (
                "A Text String with the value \"Hello World\"",
                Value::TextString("Hello World".to_owned()),
                "420020070000000B48656C6C6F20576F726C640000000000",
            ),
            (
                "A Byte String with the value { 0x01, 0x02, 0x03 }",
                Value::ByteString(vec![1, 2, 3]),
                "42002008000000030102030000000000",
            ),
            (
                "A Date-Time, containing the value for Friday, March 14, 2008, 11:56:40 GMT",
                Value::DateTime(1_205_495_800),
                "42002009000000080000000047DA67F8",
            ),
            (
                "An Interval, containing the value for 10 days",
                Value::Interval(10 * 24 * 3600),
                "4200200A00000004000D2F0000000000",
            ),
            (
                "A Structure containing an Enumeration, value 254, followed by an Integer, \
                 value 255, having tags 420004 and 420005 respectively",
                Value::Structure(vec![
                    Ttlv::new(tag(0x42_0004), Value::Enumeration(254)),
                    Ttlv::new(tag(0x42_0005), Value::Integer(255)),
                ]),
                "42002001000000204200040500000004000000FE000000004200050200000004000000FF00000000",
            ),
        ]
    }

    #[test]
    fn encodes_and_decodes_the_specification_examples() {
        for (description, value, hex_text) in spec_examples() {
            let item = Ttlv::new(Tag::new(0x42_0020).unwrap(), value);
            let expected = hex::decode(hex_text).unwrap();
            assert_eq!(item.to_bytes().unwrap(), expected, "{description}");
            assert_eq!(item.encoded_len(), expected.len(), "{description}");
            assert_eq!(
                decode(&expected, &Limits::DEFAULT).unwrap(),
                item,
                "{description}"
            );
        }
    }

    #[test]
    fn encode_into_appends_after_existing_bytes() {
        let item = Ttlv::new(Tag::new(0x42_0020).unwrap(), Value::Integer(8));
        let mut out = vec![0xAA; 3];
        item.encode_into(&mut out).unwrap();
        assert_eq!(out.len(), 3 + 16);
        assert_eq!(out.get(..3), Some(&[0xAA; 3][..]));
        assert_eq!(out.get(3..), Some(item.to_bytes().unwrap().as_slice()));
    }
}

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

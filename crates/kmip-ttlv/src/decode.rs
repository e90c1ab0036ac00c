//! Strict TTLV decoding (KMIP 1.4 §9.1).
//!
//! Every length is checked against the bytes actually present before anything is
//! allocated, so a hostile length costs nothing. Non-canonical encodings (wrong fixed
//! lengths, non-zero padding, booleans other than 0/1, invalid UTF-8, structures whose
//! children do not fill them exactly, trailing bytes) are errors, which makes
//! `encode(decode(x)) == x` hold for every accepted input.

use crate::error::{DecodeError, DecodeErrorKind};
use crate::value::BigInteger;
use crate::{ItemType, Limits, Tag, Ttlv, Value};

/// Length of an item header: tag (3), type (1), length (4).
pub const HEADER_LEN: usize = 8;

/// Decodes one item of any type that spans the whole input.
///
/// Use [`decode_message`] for KMIP messages, whose root must be a structure.
pub fn decode(input: &[u8], limits: &Limits) -> Result<Ttlv, DecodeError> {
    if input.len() > limits.max_message_len {
        return Err(DecodeError::new(
            0,
            DecodeErrorKind::TooLong {
                declared: input.len() as u64,
                limit: limits.max_message_len,
            },
        ));
    }
    let mut decoder = Decoder {
        input,
        pos: 0,
        items: 0,
        limits,
    };
    let item = decoder.item(input.len(), 1, false)?;
    if decoder.pos != input.len() {
        return Err(DecodeError::new(
            decoder.pos,
            DecodeErrorKind::TrailingBytes(input.len() - decoder.pos),
        ));
    }
    Ok(item)
}

/// Decodes a KMIP message: one structure spanning the whole input.
pub fn decode_message(input: &[u8], limits: &Limits) -> Result<Ttlv, DecodeError> {
    if let Some(&[t0, t1, t2, type_byte]) = input.get(..4)
        && let Some(item_type) = ItemType::from_byte(type_byte)
        && item_type != ItemType::Structure
    {
        // Same error, offset and path as `FrameHeader::parse` for this header.
        let mut e = DecodeError::new(0, DecodeErrorKind::RootNotStructure(item_type));
        e.path.push(Tag::from_be_bytes([t0, t1, t2]));
        return Err(e);
    }
    decode(input, limits)
}

struct Decoder<'a, 'l> {
    input: &'a [u8],
    pos: usize,
    items: usize,
    limits: &'l Limits,
}

/// Rounds a length up to the 8-byte alignment every item value is padded to.
const fn padded(len: u64) -> u64 {
    (len + 7) & !7
}

impl Decoder<'_, '_> {
    /// Decodes the item at `self.pos`, which must end by `end`.
    /// `in_parent` tells whether running past `end` means overrunning a parent
    /// structure or running out of input.
    ///
    /// Everything the 8-byte header alone can refute (type, fixed and aligned lengths,
    /// the message limit, depth) is checked before the body is looked at, in the same
    /// order as [`crate::FrameHeader::parse`], so a truncated input and its complete
    /// form get the same error whenever the header is wrong.
    fn item(&mut self, end: usize, depth: usize, in_parent: bool) -> Result<Ttlv, DecodeError> {
        let start = self.pos;
        let available = end - start;
        let header = self
            .input
            .get(start..start + HEADER_LEN)
            .filter(|_| available >= HEADER_LEN);
        let Some(&[t0, t1, t2, type_byte, l0, l1, l2, l3]) = header else {
            let kind = if in_parent {
                DecodeErrorKind::ChildOverrunsParent
            } else {
                DecodeErrorKind::Truncated {
                    needed: HEADER_LEN as u64,
                    available,
                }
            };
            return Err(DecodeError::new(start, kind));
        };
        let tag = Tag::from_be_bytes([t0, t1, t2]);
        let at = |kind| {
            let mut e = DecodeError::new(start, kind);
            e.path.push(tag);
            e
        };
        self.items += 1;
        if self.items > self.limits.max_items {
            return Err(at(DecodeErrorKind::TooManyItems(self.limits.max_items)));
        }
        // The root is depth 1; an item deeper than the limit is refused whatever its
        // type, and before any of its children could be reached.
        if depth > self.limits.depth_limit() {
            return Err(at(DecodeErrorKind::TooDeep(self.limits.depth_limit())));
        }
        let item_type = ItemType::from_byte(type_byte)
            .ok_or_else(|| at(DecodeErrorKind::InvalidItemType(type_byte)))?;
        let length = u32::from_be_bytes([l0, l1, l2, l3]);
        if let Some(fixed) = item_type.fixed_length()
            && length != fixed
        {
            return Err(at(DecodeErrorKind::InvalidLength { item_type, length }));
        }
        let value_len = u64::from(length);
        // The message length this item implies: no accepted message can be shorter.
        let implied_len = (start + HEADER_LEN) as u64 + value_len;
        if implied_len > self.limits.max_message_len as u64 {
            return Err(at(DecodeErrorKind::TooLong {
                declared: implied_len,
                limit: self.limits.max_message_len,
            }));
        }
        let aligned = match item_type {
            ItemType::Structure => value_len % 8 == 0,
            ItemType::BigInteger => value_len != 0 && value_len % 8 == 0,
            _ => true,
        };
        if !aligned {
            return Err(at(DecodeErrorKind::InvalidLength { item_type, length }));
        }
        let padded_len = padded(value_len);
        let body_available = available - HEADER_LEN;
        if padded_len > body_available as u64 {
            let kind = if in_parent {
                DecodeErrorKind::ChildOverrunsParent
            } else {
                DecodeErrorKind::Truncated {
                    needed: HEADER_LEN as u64 + padded_len,
                    available,
                }
            };
            return Err(at(kind));
        }
        // Both fit in usize: they are bounded by `body_available`.
        let value_len = value_len as usize;
        let padded_len = padded_len as usize;
        let body_start = start + HEADER_LEN;
        let body_end = body_start + padded_len;
        let body = self
            .input
            .get(body_start..body_start + value_len)
            .ok_or_else(|| at(DecodeErrorKind::ChildOverrunsParent))?;
        let padding = self
            .input
            .get(body_start + value_len..body_end)
            .ok_or_else(|| at(DecodeErrorKind::ChildOverrunsParent))?;
        if let Some(bad) = padding.iter().position(|&b| b != 0) {
            let mut e = at(DecodeErrorKind::NonZeroPadding);
            e.offset = body_start + value_len + bad;
            return Err(e);
        }

        let value = match item_type {
            ItemType::Structure => {
                self.pos = body_start;
                // Most structures have a handful of children: reserving up to 8 (never more
                // than the body could hold) saves the first reallocations without letting a
                // declared length reserve memory the input does not back.
                let mut children = Vec::with_capacity((value_len / 16).min(8));
                while self.pos < body_end {
                    let child = self.item(body_end, depth + 1, true).map_err(|mut e| {
                        e.path.push_front(tag);
                        e
                    })?;
                    children.push(child);
                }
                Value::Structure(children)
            }
            ItemType::Integer => Value::Integer(i32::from_be_bytes(fixed4(body))),
            ItemType::Enumeration => Value::Enumeration(u32::from_be_bytes(fixed4(body))),
            ItemType::Interval => Value::Interval(u32::from_be_bytes(fixed4(body))),
            ItemType::LongInteger => Value::LongInteger(i64::from_be_bytes(fixed8(body))),
            ItemType::DateTime => Value::DateTime(i64::from_be_bytes(fixed8(body))),
            ItemType::DateTimeExtended => Value::DateTimeExtended(i64::from_be_bytes(fixed8(body))),
            ItemType::Boolean => match u64::from_be_bytes(fixed8(body)) {
                0 => Value::Boolean(false),
                1 => Value::Boolean(true),
                other => return Err(at(DecodeErrorKind::InvalidBoolean(other))),
            },
            ItemType::TextString => match core::str::from_utf8(body) {
                Ok(text) => Value::TextString(text.to_owned()),
                Err(_) => return Err(at(DecodeErrorKind::InvalidUtf8)),
            },
            ItemType::ByteString => Value::ByteString(body.to_vec()),
            ItemType::BigInteger => match BigInteger::from_wire_bytes(body.to_vec()) {
                Some(big) => Value::BigInteger(big),
                None => return Err(at(DecodeErrorKind::InvalidLength { item_type, length })),
            },
        };
        self.pos = body_end;
        Ok(Ttlv { tag, value })
    }
}

/// The first four bytes of a value whose length was checked to be 4.
fn fixed4(body: &[u8]) -> [u8; 4] {
    let mut out = [0u8; 4];
    for (o, b) in out.iter_mut().zip(body) {
        *o = *b;
    }
    out
}

/// The first eight bytes of a value whose length was checked to be 8.
fn fixed8(body: &[u8]) -> [u8; 8] {
    let mut out = [0u8; 8];
    for (o, b) in out.iter_mut().zip(body) {
        *o = *b;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::FrameHeader;

    const EMPTY_REQUEST: [u8; 8] = [0x42, 0x00, 0x78, 0x01, 0, 0, 0, 0];

    #[test]
    fn depth_limit_counts_the_root_as_depth_one() {
        let one = Limits::DEFAULT.with_max_depth(1);
        assert!(decode(&EMPTY_REQUEST, &one).is_ok());
        let nested = [
            0x42, 0x00, 0x78, 0x01, 0, 0, 0, 8, //
            0x42, 0x00, 0x79, 0x01, 0, 0, 0, 0,
        ];
        let err = decode(&nested, &one).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::TooDeep(1));
        assert_eq!(err.offset, 8);
        assert!(decode(&nested, &Limits::DEFAULT.with_max_depth(2)).is_ok());
        let zero = Limits::DEFAULT.with_max_depth(0);
        assert_eq!(
            decode(&EMPTY_REQUEST, &zero).unwrap_err().kind,
            DecodeErrorKind::TooDeep(0)
        );
    }

    #[test]
    fn header_errors_match_frame_header_even_when_truncated() {
        let headers: [[u8; 8]; 3] = [
            // Unaligned structure length.
            [0x42, 0x00, 0x78, 0x01, 0, 0, 0, 0x0C],
            // One byte more than the default limit once the header is counted.
            [0x42, 0x00, 0x78, 0x01, 0x00, 0x0F, 0xFF, 0xF9],
            // 4 GiB.
            [0x42, 0x00, 0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xF8],
        ];
        for header in headers {
            let framed = FrameHeader::parse(&header, &Limits::DEFAULT).unwrap_err();
            let mut input = header.to_vec();
            input.extend_from_slice(&[0; 8]);
            assert_eq!(decode(&input, &Limits::DEFAULT).unwrap_err(), framed);
            assert_eq!(
                decode_message(&input, &Limits::DEFAULT).unwrap_err(),
                framed
            );
        }
    }

    #[test]
    fn root_not_structure_names_the_root_tag() {
        let int = [0x42, 0x00, 0x20, 0x02, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 0];
        let header: [u8; 8] = [0x42, 0x00, 0x20, 0x02, 0, 0, 0, 4];
        let framed = FrameHeader::parse(&header, &Limits::DEFAULT).unwrap_err();
        assert_eq!(decode_message(&int, &Limits::DEFAULT).unwrap_err(), framed);
    }

    #[test]
    fn non_zero_padding_points_at_the_bad_byte() {
        // "abc" then five padding bytes, the fourth of which is set.
        let input = [
            0x42, 0x00, 0x20, 0x07, 0, 0, 0, 3, b'a', b'b', b'c', 0, 0, 0, 0x80, 0,
        ];
        let err = decode(&input, &Limits::DEFAULT).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::NonZeroPadding);
        assert_eq!(err.offset, 14);
    }

    #[test]
    fn unaligned_big_integer_is_refused_from_its_header() {
        // Declares 12 bytes, carries 4: the length alone is wrong.
        let input = [0x42, 0x00, 0x20, 0x04, 0, 0, 0, 0x0C, 0, 0, 0, 1];
        let err = decode(&input, &Limits::DEFAULT).unwrap_err();
        assert_eq!(
            err.kind,
            DecodeErrorKind::InvalidLength {
                item_type: ItemType::BigInteger,
                length: 12
            }
        );
    }
}

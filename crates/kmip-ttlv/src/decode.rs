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
    if let Some(&type_byte) = input.get(3) {
        if let Some(item_type) = ItemType::from_byte(type_byte) {
            if item_type != ItemType::Structure {
                return Err(DecodeError::new(
                    0,
                    DecodeErrorKind::RootNotStructure(item_type),
                ));
            }
        }
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
        let item_type = ItemType::from_byte(type_byte)
            .ok_or_else(|| at(DecodeErrorKind::InvalidItemType(type_byte)))?;
        let length = u32::from_be_bytes([l0, l1, l2, l3]);
        if let Some(fixed) = item_type.fixed_length() {
            if length != fixed {
                return Err(at(DecodeErrorKind::InvalidLength { item_type, length }));
            }
        }
        let value_len = u64::from(length);
        let padded_len = padded(value_len);
        let body_available = available - HEADER_LEN;
        if padded_len > body_available as u64 {
            if value_len > self.limits.max_message_len as u64 {
                return Err(at(DecodeErrorKind::TooLong {
                    declared: value_len,
                    limit: self.limits.max_message_len,
                }));
            }
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
        if item_type != ItemType::Structure && padding.iter().any(|&b| b != 0) {
            let mut e = at(DecodeErrorKind::NonZeroPadding);
            e.offset = body_start + value_len;
            return Err(e);
        }

        let value = match item_type {
            ItemType::Structure => {
                if value_len % 8 != 0 {
                    return Err(at(DecodeErrorKind::InvalidLength { item_type, length }));
                }
                if depth >= self.limits.max_depth {
                    return Err(at(DecodeErrorKind::TooDeep(self.limits.max_depth)));
                }
                self.pos = body_start;
                let mut children = Vec::new();
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

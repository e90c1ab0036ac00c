//! Message framing: read the 8-byte header, check it, then read exactly the body.
//!
//! A KMIP message on a stream is one TTLV structure. [`FrameHeader::parse`] validates the
//! header against [`Limits`] before the caller reads (or allocates for) the body, so a
//! header declaring 4 GiB is refused after 8 bytes. This module does no I/O itself and
//! serves blocking and async readers alike:
//!
//! ```
//! use kmip_ttlv::{FrameHeader, Limits};
//! let header = [0x42, 0x00, 0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xF8];
//! assert!(FrameHeader::parse(&header, &Limits::DEFAULT).is_err());
//! ```

use crate::decode::HEADER_LEN;
use crate::error::{DecodeError, DecodeErrorKind};
use crate::{ItemType, Limits, Tag};

/// A checked message header.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// Tag of the root structure (Request Message, Response Message, ...).
    pub tag: Tag,
    /// Length of the body that follows the header.
    pub body_len: usize,
}

impl FrameHeader {
    /// Validates a message header: the root must be a structure whose length is a
    /// multiple of 8 and whose whole message fits `limits.max_message_len`.
    pub fn parse(header: &[u8; HEADER_LEN], limits: &Limits) -> Result<Self, DecodeError> {
        let [t0, t1, t2, type_byte, l0, l1, l2, l3] = *header;
        let tag = Tag::from_be_bytes([t0, t1, t2]);
        let at = |kind| {
            let mut e = DecodeError::new(0, kind);
            e.path.push(tag);
            e
        };
        let item_type = ItemType::from_byte(type_byte)
            .ok_or_else(|| at(DecodeErrorKind::InvalidItemType(type_byte)))?;
        if item_type != ItemType::Structure {
            return Err(at(DecodeErrorKind::RootNotStructure(item_type)));
        }
        let length = u32::from_be_bytes([l0, l1, l2, l3]);
        let total = u64::from(length) + HEADER_LEN as u64;
        if total > limits.max_message_len as u64 {
            return Err(at(DecodeErrorKind::TooLong {
                declared: total,
                limit: limits.max_message_len,
            }));
        }
        if length % 8 != 0 {
            return Err(at(DecodeErrorKind::InvalidLength { item_type, length }));
        }
        Ok(FrameHeader {
            tag,
            body_len: length as usize,
        })
    }

    /// Length of the whole message, header included.
    pub const fn message_len(&self) -> usize {
        HEADER_LEN + self.body_len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_a_four_gigabyte_header_before_any_body() {
        let header = [0x42, 0x00, 0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xF8];
        let err = FrameHeader::parse(&header, &Limits::DEFAULT).unwrap_err();
        assert!(
            matches!(err.kind, DecodeErrorKind::TooLong { declared, .. } if declared == 0xFFFF_FFF8 + 8)
        );
    }

    #[test]
    fn accepts_a_message_within_limits() {
        let header = [0x42, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x10];
        let frame = FrameHeader::parse(&header, &Limits::DEFAULT).unwrap();
        assert_eq!(frame.message_len(), 24);
    }

    #[test]
    fn refuses_primitive_roots_and_unaligned_lengths() {
        let primitive = [0x42, 0x00, 0x78, 0x02, 0x00, 0x00, 0x00, 0x04];
        assert!(FrameHeader::parse(&primitive, &Limits::DEFAULT).is_err());
        let unaligned = [0x42, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x0C];
        assert!(FrameHeader::parse(&unaligned, &Limits::DEFAULT).is_err());
    }
}

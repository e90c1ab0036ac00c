//! Decode and encode errors.

use crate::{ItemType, TagPath};

/// Why a byte sequence is not a valid TTLV message, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} at byte {offset} (in {path})")]
pub struct DecodeError {
    /// Offset of the offending item's first byte (or of the bad byte) from the start of
    /// the input.
    pub offset: usize,
    /// Tags from the root to the offending item.
    pub path: TagPath,
    /// What is wrong.
    pub kind: DecodeErrorKind,
}

impl DecodeError {
    pub(crate) fn new(offset: usize, kind: DecodeErrorKind) -> Self {
        DecodeError {
            offset,
            path: TagPath::new(),
            kind,
        }
    }
}

/// The classes of malformed input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ends before the item does.
    #[error("truncated input: {needed} bytes needed, {available} available")]
    Truncated {
        /// Bytes the item needs from its start.
        needed: u64,
        /// Bytes present from its start.
        available: usize,
    },
    /// The type byte is not a TTLV type.
    #[error("invalid item type byte 0x{0:02X}")]
    InvalidItemType(u8),
    /// A fixed-size type declares another length, or a Big Integer is not a multiple of 8.
    #[error("invalid length {length} for {item_type}")]
    InvalidLength {
        /// The item's type.
        item_type: ItemType,
        /// The declared length.
        length: u32,
    },
    /// Padding bytes after a value are not zero.
    #[error("non-zero padding")]
    NonZeroPadding,
    /// A Boolean other than 0 or 1.
    #[error("invalid boolean value {0}")]
    InvalidBoolean(u64),
    /// A Text String that is not UTF-8.
    #[error("text string is not valid UTF-8")]
    InvalidUtf8,
    /// A child item extends past the end of its parent structure.
    #[error("child item overruns its parent structure")]
    ChildOverrunsParent,
    /// Bytes remain after the root item.
    #[error("{0} trailing bytes after the message")]
    TrailingBytes(usize),
    /// The message, or the message length an item's declared length implies, exceeds
    /// [`crate::Limits::max_message_len`].
    #[error("declared length {declared} exceeds the limit of {limit} bytes")]
    TooLong {
        /// Message length in bytes: the input's length, or the offset at which the
        /// offending item would end (header and declared value length, before padding).
        declared: u64,
        /// The limit.
        limit: usize,
    },
    /// Nesting deeper than [`crate::Limits::depth_limit`].
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// More items than [`crate::Limits::max_items`].
    #[error("more than {0} items")]
    TooManyItems(usize),
    /// The outermost item must be a structure.
    #[error("root item is a {0}, not a Structure")]
    RootNotStructure(ItemType),
}

/// Why a tree cannot be encoded.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// A value or structure longer than the 32-bit length field allows.
    #[error("value of {0} bytes does not fit a TTLV length")]
    TooLong(usize),
    /// A Big Integer whose byte length is not a non-zero multiple of 8.
    #[error("big integer of {0} bytes is not a multiple of 8")]
    BigIntegerLength(usize),
}

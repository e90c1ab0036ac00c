//! The 3-byte TTLV tag (KMIP 1.4 §9.1.1.1).

use core::fmt;

/// A TTLV tag: three bytes on the wire, kept in the low 24 bits of a `u32`.
///
/// KMIP tags live in `0x420000..=0x42FFFF`; `0x540000..=0x54FFFF` is reserved for
/// extensions. Named constants (`Tag::UNIQUE_IDENTIFIER`, ...) are generated from the
/// dictionary; any other value round-trips losslessly.
#[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Tag(u32);

impl Tag {
    /// The largest value a 3-byte tag can hold.
    pub const MAX: u32 = 0x00FF_FFFF;

    /// Builds a tag from its numeric value; `None` when it does not fit in 3 bytes.
    pub const fn new(value: u32) -> Option<Self> {
        if value > Self::MAX {
            None
        } else {
            Some(Tag(value))
        }
    }

    /// Builds a tag from its three wire bytes.
    pub const fn from_be_bytes(bytes: [u8; 3]) -> Self {
        let [high, mid, low] = bytes;
        Tag(((high as u32) << 16) | ((mid as u32) << 8) | low as u32)
    }

    /// Builds a tag known at compile time; used by the generated dictionary.
    pub(crate) const fn from_const(value: u32) -> Self {
        Tag(value & Self::MAX)
    }

    /// The numeric value.
    pub const fn value(self) -> u32 {
        self.0
    }

    /// The three wire bytes.
    pub const fn to_be_bytes(self) -> [u8; 3] {
        [(self.0 >> 16) as u8, (self.0 >> 8) as u8, self.0 as u8]
    }

    /// True for tags in the extension range `0x54xxxx` (KMIP 1.4 §9.1.3.1).
    pub const fn is_extension(self) -> bool {
        self.0 >> 16 == 0x54
    }

    /// The specification name ("Unique Identifier"), if the dictionary knows the tag.
    pub fn name(self) -> Option<&'static str> {
        crate::dictionary::tag_info(self).map(|info| info.name)
    }

    /// True when a Text String with this tag, or anywhere below an item with this tag,
    /// may be a secret: Password and Credential Value (KMIP 1.4 §2.1.2), One Time
    /// Password, Hashed Password and Server Hashed Password (KMIP 2.0 §2.1.2).
    ///
    /// This is the one rule for text: the `Debug` of [`crate::Ttlv`], the
    /// [`crate::pretty`] printer and the XML and JSON error messages redact such text.
    /// Byte Strings and Big Integers, which may be key material, they never show at all.
    pub const fn is_secret_bearing(self) -> bool {
        matches!(
            self,
            Tag::PASSWORD
                | Tag::CREDENTIAL_VALUE
                | Tag::ONE_TIME_PASSWORD
                | Tag::HASHED_PASSWORD
                | Tag::SERVER_HASHED_PASSWORD
        )
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match crate::dictionary::tag_info(*self) {
            Some(info) => write!(f, "{}", info.xml_name),
            None => write!(f, "0x{:06X}", self.0),
        }
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self, f)
    }
}

/// A path of tags from the root to an item, for error messages
/// (`RequestMessage/BatchItem/RequestPayload`).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TagPath(Vec<Tag>);

impl TagPath {
    /// An empty path.
    pub const fn new() -> Self {
        TagPath(Vec::new())
    }

    /// Adds a tag at the root end of the path (errors are built from the leaf up).
    pub fn push_front(&mut self, tag: Tag) {
        self.0.insert(0, tag);
    }

    /// Adds a tag at the leaf end of the path.
    pub fn push(&mut self, tag: Tag) {
        self.0.push(tag);
    }

    /// Removes the tag at the leaf end of the path.
    pub fn pop(&mut self) -> Option<Tag> {
        self.0.pop()
    }

    /// The tags from root to leaf.
    pub fn tags(&self) -> &[Tag] {
        &self.0
    }
}

impl FromIterator<Tag> for TagPath {
    fn from_iter<I: IntoIterator<Item = Tag>>(tags: I) -> Self {
        TagPath(tags.into_iter().collect())
    }
}

impl fmt::Debug for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl fmt::Display for TagPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("<root>");
        }
        for (i, tag) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("/")?;
            }
            write!(f, "{tag}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_values_wider_than_three_bytes() {
        assert!(Tag::new(0x0100_0000).is_none());
        assert_eq!(Tag::new(0x42_0001).map(Tag::value), Some(0x42_0001));
    }

    #[test]
    fn wire_bytes_round_trip() {
        let tag = Tag::from_be_bytes([0x54, 0x00, 0x01]);
        assert!(tag.is_extension());
        assert_eq!(tag.to_be_bytes(), [0x54, 0x00, 0x01]);
    }

    #[test]
    fn unknown_tags_print_as_hex() {
        assert_eq!(
            format!("{:?}", Tag::from_be_bytes([0x54, 0, 1])),
            "0x540001"
        );
    }
}

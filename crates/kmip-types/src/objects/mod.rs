//! Managed objects and key blocks (KMIP 1.4 §2.2, §2.1.3–2.1.7). Placeholder definitions.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::error::Error;
use crate::raw_stub::raw_struct;

raw_struct! {
    /// Key Wrapping Specification.
    KeyWrappingSpecification,
    /// Key Wrapping Data.
    KeyWrappingData,
    /// Key Block.
    KeyBlock,
}

/// A managed object, by type.
#[derive(Debug)]
pub struct Object(pub Ttlv);

impl Object {
    /// True for the tags of managed objects (Certificate, Symmetric Key, ...).
    pub fn is_object_tag(tag: Tag) -> bool {
        [
            Tag::CERTIFICATE,
            Tag::SYMMETRIC_KEY,
            Tag::PUBLIC_KEY,
            Tag::PRIVATE_KEY,
            Tag::SPLIT_KEY,
            Tag::TEMPLATE,
            Tag::SECRET_DATA,
            Tag::OPAQUE_OBJECT,
            Tag::PGP_KEY,
            Tag::CERTIFICATE_REQUEST,
        ]
        .contains(&tag)
    }

    /// Decodes an object item; its tag says which object it is.
    pub fn from_item(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        Ok(Object(item))
    }

    /// The tag this object is written under.
    pub fn tag(&self) -> Tag {
        self.0.tag
    }

    /// Encodes the object under its own tag.
    pub fn to_item(&self, _version: KmipVersion) -> Result<Ttlv, Error> {
        Ok(self.0.clone())
    }
}

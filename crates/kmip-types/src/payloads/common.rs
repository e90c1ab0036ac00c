//! Values shared by many payloads: the Unique Identifier field and Protection Storage
//! Masks.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::KmipCodec;
use crate::error::{Error, ErrorKind};
use crate::{ProtectionStorageMask, UniqueIdentifier};

/// A Unique Identifier field of a request or response payload.
///
/// KMIP 1.x only has the Text String form. KMIP 2.0 also lets a request name an object
/// by reference: an Enumeration (the ID Placeholder, or the object an earlier batch item
/// created, e.g. `Create`) or an Integer index.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum UniqueId {
    /// The identifier a server assigned.
    Text(String),
    /// A reference to an identifier of this batch (KMIP 2.0).
    Reference(UniqueIdentifier),
    /// An Integer index (KMIP 2.0).
    Index(i32),
}

impl UniqueId {
    /// The identifier text, for the Text String form.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            UniqueId::Text(s) => Some(s),
            UniqueId::Reference(_) | UniqueId::Index(_) => None,
        }
    }
}

impl From<String> for UniqueId {
    fn from(s: String) -> Self {
        UniqueId::Text(s)
    }
}

impl From<&str> for UniqueId {
    fn from(s: &str) -> Self {
        UniqueId::Text(s.to_owned())
    }
}

impl KmipCodec for UniqueId {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let found = item.item_type();
        match item.value {
            Value::TextString(s) => Ok(UniqueId::Text(s)),
            Value::Enumeration(e) if version >= KmipVersion::V2_0 => {
                Ok(UniqueId::Reference(UniqueIdentifier(e)))
            }
            Value::Integer(i) if version >= KmipVersion::V2_0 => Ok(UniqueId::Index(i)),
            _ => Err(Error::new(ErrorKind::WrongType {
                expected: ItemType::TextString,
                found,
            })),
        }
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let value = match self {
            UniqueId::Text(s) => Value::TextString(s.clone()),
            UniqueId::Reference(_) | UniqueId::Index(_) if version < KmipVersion::V2_0 => {
                return Err(Error::new(ErrorKind::NotInVersion { tag, version }));
            }
            UniqueId::Reference(e) => Value::Enumeration(e.0),
            UniqueId::Index(i) => Value::Integer(*i),
        };
        Ok(Ttlv::new(tag, value))
    }
}

kmip_struct! {
    /// Protection Storage Masks (KMIP 2.0): the storage protections a client accepts, any
    /// of which the server may use.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProtectionStorageMasks {
        vec masks: ProtectionStorageMask = PROTECTION_STORAGE_MASK,
    }
}

//! Values shared by many payloads: the Unique Identifier field, Protection Storage Masks,
//! and the reading and writing of a managed object whose tag is its type.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::{Error, ErrorKind};
use crate::objects::Object;
use crate::{ObjectType, ProtectionStorageMask, UniqueIdentifier};

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

/// Reads the managed object at the reader's position, if the next field is one (its tag
/// is its type: Symmetric Key, Certificate, ...).
pub(crate) fn read_any_object(r: &mut StructReader) -> Result<Option<Object>, Error> {
    let Some(tag) = r.peek_tag().filter(|t| Object::is_object_tag(*t)) else {
        return Ok(None);
    };
    match r.take_raw(tag) {
        Some(item) => Object::from_item(item, r.version())
            .map(Some)
            .map_err(|e| e.within(tag)),
        None => Ok(None),
    }
}

/// Reads the managed object that follows an Object Type field: it must be there, of the
/// type `object_type` names.
pub(crate) fn read_object(r: &mut StructReader, object_type: ObjectType) -> Result<Object, Error> {
    let object = read_any_object(r)?.ok_or_else(|| {
        Error::new(ErrorKind::Missing(
            Object::tag_for(object_type).unwrap_or(Tag::OBJECT_TYPE),
        ))
    })?;
    check_object_type(object_type, &object)?;
    Ok(object)
}

/// Writes a managed object under its own tag.
pub(crate) fn write_any_object(w: &mut StructWriter, object: &Object) -> Result<(), Error> {
    let tag = object.tag();
    w.raw(object.to_item(w.version()).map_err(|e| e.within(tag))?);
    Ok(())
}

/// Writes a managed object, which must be of the type `object_type` names.
pub(crate) fn write_object(
    w: &mut StructWriter,
    object_type: ObjectType,
    object: &Object,
) -> Result<(), Error> {
    check_object_type(object_type, object)?;
    write_any_object(w, object)
}

/// Fails when the object is not of the type the Object Type field names.
fn check_object_type(object_type: ObjectType, object: &Object) -> Result<(), Error> {
    if object.object_type() != object_type {
        return Err(Error::new(ErrorKind::InvalidValue(
            "the object is not of the type Object Type names",
        ))
        .within(object.tag()));
    }
    Ok(())
}

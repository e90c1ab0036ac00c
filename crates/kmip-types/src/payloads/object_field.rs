//! A managed object as a payload field (Register, Get, Import, Export, Put, Validate):
//! its tag is its type (Symmetric Key, Certificate, ...), so it is read and written by
//! tag rather than as a field of a fixed tag, and checked against the Object Type field
//! that precedes it.

use kmip_ttlv::Tag;

use crate::ObjectType;
use crate::codec::{StructReader, StructWriter};
use crate::error::{Error, ErrorKind};
use crate::objects::Object;

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

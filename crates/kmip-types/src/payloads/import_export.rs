//! Import and Export (KMIP 1.4 §4, KMIP 2.0 §6.1): a managed object moved between
//! servers together with all of its attributes. The Export request is a
//! [`GetRequest`](super::GetRequest).

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::object_field::{read_object, write_object};
use crate::UniqueId;
use crate::attributes::{Attribute, Attributes};
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::Error;
use crate::objects::Object;
use crate::{KeyWrapType, ObjectType};

const V2_0: Option<KmipVersion> = Some(KmipVersion::V2_0);

/// Import request.
///
/// Written by hand because the object's tag is its type.
#[derive(Debug, PartialEq, Eq)]
pub struct ImportRequest {
    /// The identifier the object gets.
    pub unique_identifier: UniqueId,
    /// The type of the object.
    pub object_type: ObjectType,
    /// Replace an existing object with the same identifier.
    pub replace_existing: Option<bool>,
    /// Store the object as it comes, or unwrap it first.
    pub key_wrap_type: Option<KeyWrapType>,
    /// The object's attributes (KMIP 1.4).
    pub attribute: Vec<Attribute>,
    /// The object's attributes (KMIP 2.0): present in every 2.x message (the codec
    /// refuses one without), absent in 1.x.
    pub attributes: Option<Attributes>,
    /// The object.
    pub object: Object,
}

impl KmipCodec for ImportRequest {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let unique_identifier = r.required(Tag::UNIQUE_IDENTIFIER)?;
        let object_type = r.required(Tag::OBJECT_TYPE)?;
        let replace_existing = r.optional(Tag::REPLACE_EXISTING)?;
        let key_wrap_type = r.optional(Tag::KEY_WRAP_TYPE)?;
        let attribute = r.repeated_in(Tag::ATTRIBUTE, None, V2_0)?;
        let attributes = r.required_in(Tag::ATTRIBUTES, V2_0, None)?;
        let object = read_object(&mut r, object_type)?;
        r.finish()?;
        Ok(ImportRequest {
            unique_identifier,
            object_type,
            replace_existing,
            key_wrap_type,
            attribute,
            attributes,
            object,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::UNIQUE_IDENTIFIER, &self.unique_identifier)?;
        w.field(Tag::OBJECT_TYPE, &self.object_type)?;
        w.optional(
            Tag::REPLACE_EXISTING,
            self.replace_existing.as_ref(),
            None,
            None,
        )?;
        w.optional(Tag::KEY_WRAP_TYPE, self.key_wrap_type.as_ref(), None, None)?;
        w.repeated(Tag::ATTRIBUTE, &self.attribute, None, V2_0)?;
        w.required_in(Tag::ATTRIBUTES, self.attributes.as_ref(), V2_0, None)?;
        write_object(&mut w, self.object_type, &self.object)?;
        Ok(w.finish(tag))
    }
}

/// Import response.
pub type ImportResponse = super::IdResponse;

/// Export request.
pub type ExportRequest = super::GetRequest;

/// Export response.
///
/// Written by hand because the object's tag is its type.
#[derive(Debug, PartialEq, Eq)]
pub struct ExportResponse {
    /// The type of the object.
    pub object_type: ObjectType,
    /// The object's identifier.
    pub unique_identifier: UniqueId,
    /// The object's attributes (KMIP 1.4).
    pub attribute: Vec<Attribute>,
    /// All of the object's attributes (KMIP 2.0): present in every 2.x message (the
    /// codec refuses one without), absent in 1.x.
    pub attributes: Option<Attributes>,
    /// The object.
    pub object: Object,
}

impl KmipCodec for ExportResponse {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let object_type = r.required(Tag::OBJECT_TYPE)?;
        let unique_identifier = r.required(Tag::UNIQUE_IDENTIFIER)?;
        let attribute = r.repeated_in(Tag::ATTRIBUTE, None, V2_0)?;
        let attributes = r.required_in(Tag::ATTRIBUTES, V2_0, None)?;
        let object = read_object(&mut r, object_type)?;
        r.finish()?;
        Ok(ExportResponse {
            object_type,
            unique_identifier,
            attribute,
            attributes,
            object,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::OBJECT_TYPE, &self.object_type)?;
        w.field(Tag::UNIQUE_IDENTIFIER, &self.unique_identifier)?;
        w.repeated(Tag::ATTRIBUTE, &self.attribute, None, V2_0)?;
        w.required_in(Tag::ATTRIBUTES, self.attributes.as_ref(), V2_0, None)?;
        write_object(&mut w, self.object_type, &self.object)?;
        Ok(w.finish(tag))
    }
}

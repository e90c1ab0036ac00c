//! Get (KMIP 1.4 §4.11, KMIP 2.0 §6.1): a managed object, in the format and wrapping the
//! client asks for.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::object_field::{read_object, write_object};
use crate::UniqueId;
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::Error;
use crate::objects::{KeyWrappingSpecification, Object};
use crate::{KeyCompressionType, KeyFormatType, KeyWrapType, ObjectType};

kmip_struct! {
    /// Get request; also the Export request (KMIP 1.4 and later).
    #[derive(Debug, PartialEq, Eq)]
    pub struct GetRequest {
        /// The object to return (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The key format to return.
        opt key_format_type: KeyFormatType = KEY_FORMAT_TYPE,
        /// Return the key as stored, or unwrapped (KMIP 1.4 and later).
        opt [V1_4..] key_wrap_type: KeyWrapType = KEY_WRAP_TYPE,
        /// Point compression of elliptic curve public keys.
        opt key_compression_type: KeyCompressionType = KEY_COMPRESSION_TYPE,
        /// Wrap the returned key this way.
        opt key_wrapping_specification: KeyWrappingSpecification = KEY_WRAPPING_SPECIFICATION,
    }
}

/// Get response.
///
/// Written by hand because the object's tag is its type.
#[derive(Debug, PartialEq, Eq)]
pub struct GetResponse {
    /// The type of the object returned.
    pub object_type: ObjectType,
    /// The object's identifier.
    pub unique_identifier: UniqueId,
    /// The object.
    pub object: Object,
}

impl KmipCodec for GetResponse {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let object_type = r.required(Tag::OBJECT_TYPE)?;
        let unique_identifier = r.required(Tag::UNIQUE_IDENTIFIER)?;
        let object = read_object(&mut r, object_type)?;
        r.finish()?;
        Ok(GetResponse {
            object_type,
            unique_identifier,
            object,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::OBJECT_TYPE, &self.object_type)?;
        w.field(Tag::UNIQUE_IDENTIFIER, &self.unique_identifier)?;
        write_object(&mut w, self.object_type, &self.object)?;
        Ok(w.finish(tag))
    }
}

//! Server-to-client operations Notify and Put (KMIP 1.4 §5.1–5.2, KMIP 2.0 §6).

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::object_field::{read_any_object, write_any_object};
use crate::PutFunction;
use crate::UniqueId;
use crate::attributes::{Attribute, Attributes};
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::{Error, ErrorKind};
use crate::objects::Object;

const V2_0: Option<KmipVersion> = Some(KmipVersion::V2_0);

kmip_struct! {
    /// Notify request: an object's attributes changed.
    #[derive(Debug, PartialEq, Eq)]
    pub struct NotifyRequest {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The changed attributes (KMIP 1.x).
        vec [..V2_0] attribute: Attribute = ATTRIBUTE,
        /// The changed attributes (KMIP 2.0; required there).
        ver [V2_0..] attributes: Attributes = ATTRIBUTES,
    }
}

kmip_struct! {
    /// The payload of a request or response without fields: the Notify, Put, Log, Logout,
    /// Interop and Set Constraints responses, the Get Constraints request.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct EmptyPayload {}
}

/// Notify response.
pub type NotifyResponse = EmptyPayload;
/// Put response.
pub type PutResponse = EmptyPayload;

/// Put request: the server pushes an object to the client.
///
/// Written by hand because the object's tag is its type.
#[derive(Debug, PartialEq, Eq)]
pub struct PutRequest {
    /// The object's identifier.
    pub unique_identifier: UniqueId,
    /// New, or a replacement for another object.
    pub put_function: PutFunction,
    /// The object replaced.
    pub replaced_unique_identifier: Option<UniqueId>,
    /// The object.
    pub object: Object,
    /// The object's attributes (KMIP 1.x).
    pub attribute: Vec<Attribute>,
    /// The object's attributes (KMIP 2.0).
    pub attributes: Option<Attributes>,
}

impl KmipCodec for PutRequest {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let unique_identifier = r.required(Tag::UNIQUE_IDENTIFIER)?;
        let put_function = r.required(Tag::PUT_FUNCTION)?;
        let replaced_unique_identifier = r.optional(Tag::REPLACED_UNIQUE_IDENTIFIER)?;
        let object = read_any_object(&mut r)?
            .ok_or_else(|| Error::new(ErrorKind::InvalidValue("Put carries no managed object")))?;
        let attribute = r.repeated_in(Tag::ATTRIBUTE, None, V2_0)?;
        let attributes = r.optional_in(Tag::ATTRIBUTES, V2_0, None)?;
        r.finish()?;
        Ok(PutRequest {
            unique_identifier,
            put_function,
            replaced_unique_identifier,
            object,
            attribute,
            attributes,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::UNIQUE_IDENTIFIER, &self.unique_identifier)?;
        w.field(Tag::PUT_FUNCTION, &self.put_function)?;
        w.optional(
            Tag::REPLACED_UNIQUE_IDENTIFIER,
            self.replaced_unique_identifier.as_ref(),
            None,
            None,
        )?;
        write_any_object(&mut w, &self.object)?;
        w.repeated(Tag::ATTRIBUTE, &self.attribute, None, V2_0)?;
        w.optional(Tag::ATTRIBUTES, self.attributes.as_ref(), V2_0, None)?;
        Ok(w.finish(tag))
    }
}

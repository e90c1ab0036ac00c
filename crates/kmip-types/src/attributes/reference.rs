//! Attribute Reference (KMIP 2.0): how KMIP 2.x names an attribute without giving a value
//! (Get Attributes, Delete Attribute, Get Attribute List responses).

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use super::value::{AttributeDef, AttributeValue};
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::{Error, ErrorKind};

/// Attribute Reference (KMIP 2.0): a standard attribute by tag (an Enumeration whose
/// value is the tag number), or a vendor attribute by vendor and name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum AttributeReference {
    /// A standard (or extension) attribute.
    Tag(Tag),
    /// A vendor attribute.
    Vendor {
        /// Vendor Identification.
        vendor_identification: String,
        /// Attribute Name.
        attribute_name: String,
    },
}

impl AttributeReference {
    /// The reference to this attribute value's attribute (`None` for a KMIP 1.x custom
    /// attribute whose name has no vendor prefix).
    pub fn of(value: &AttributeValue) -> Option<Self> {
        match value {
            AttributeValue::Vendor {
                vendor_identification,
                name,
                ..
            } => Some(AttributeReference::Vendor {
                vendor_identification: vendor_identification.clone(),
                attribute_name: name.clone(),
            }),
            AttributeValue::Custom { name, .. } => {
                name.split_once('-')
                    .map(|(vendor, rest)| AttributeReference::Vendor {
                        vendor_identification: vendor.to_owned(),
                        attribute_name: rest.to_owned(),
                    })
            }
            other => other.tag().map(AttributeReference::Tag),
        }
    }

    /// True when this reference designates the attribute of `value`.
    pub fn matches(&self, value: &AttributeValue) -> bool {
        AttributeReference::of(value).as_ref() == Some(self)
    }
}

impl KmipCodec for AttributeReference {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        if !version.is_2x() {
            return Err(Error::new(ErrorKind::NotInVersion {
                tag: Tag::ATTRIBUTE_REFERENCE,
                version,
            }));
        }
        match item.value {
            Value::Enumeration(number) => {
                let tag = Tag::new(number)
                    .ok_or(ErrorKind::InvalidValue("Attribute Reference is not a tag"))?;
                match AttributeDef::by_tag(tag) {
                    Some(def) if def.defined_in(version) => Ok(AttributeReference::Tag(tag)),
                    Some(_) => Err(Error::new(ErrorKind::NotInVersion { tag, version })),
                    None if tag.is_extension() => Ok(AttributeReference::Tag(tag)),
                    None => Err(Error::new(ErrorKind::InvalidValue(
                        "Attribute Reference names a tag that is not an attribute",
                    ))),
                }
            }
            Value::Structure(_) => {
                let mut r = StructReader::new(item, version)?;
                let vendor_identification = r.required(Tag::VENDOR_IDENTIFICATION)?;
                let attribute_name = r.required(Tag::ATTRIBUTE_NAME)?;
                r.finish()?;
                Ok(AttributeReference::Vendor {
                    vendor_identification,
                    attribute_name,
                })
            }
            _ => Err(Error::new(ErrorKind::WrongType {
                expected: ItemType::Enumeration,
                found: item.item_type(),
            })),
        }
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        if !version.is_2x() {
            return Err(Error::new(ErrorKind::NotInVersion {
                tag: Tag::ATTRIBUTE_REFERENCE,
                version,
            }));
        }
        match self {
            AttributeReference::Tag(t) => Ok(Ttlv::new(tag, Value::Enumeration(t.value()))),
            AttributeReference::Vendor {
                vendor_identification,
                attribute_name,
            } => {
                let mut w = StructWriter::new(version);
                w.field(Tag::VENDOR_IDENTIFICATION, vendor_identification)?;
                w.field(Tag::ATTRIBUTE_NAME, attribute_name)?;
                Ok(w.finish(tag))
            }
        }
    }
}

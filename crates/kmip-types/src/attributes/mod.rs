//! Attributes (KMIP 1.4 §2.1.1, §2.1.8, §3; KMIP 2.0 §2.1.1, §4).
//!
//! One model serves both encodings. KMIP 1.x writes an attribute as an Attribute
//! structure {Attribute Name, Attribute Index?, Attribute Value} whose value is typed by
//! the name; KMIP 2.x writes it under its own tag inside an Attributes structure, and
//! vendor attributes as Attribute {Vendor Identification, Attribute Name, Attribute
//! Value}. [`Attribute`]'s codec picks the form from the version it is given.
//!
//! Encoding a container for a version leaves out the attributes that version does not
//! define (a KMIP 1.0 client never sees Fresh or Sensitive); decoding refuses a standard
//! attribute the message's version does not define.

mod certificate;
mod crypto;
mod lifecycle;
mod naming;
mod reference;
mod value;

pub use certificate::{
    CertificateIdentifier, CertificateIssuer, CertificateSubject, X509CertificateIdentifier,
    X509CertificateIssuer, X509CertificateSubject,
};
pub use crypto::{CryptographicDomainParameters, CryptographicParameters, Digest, RngParameters};
pub use lifecycle::{RevocationReason, RotateName, UsageLimits};
pub use naming::{AlternativeName, ApplicationSpecificInformation, KeyValueLocation, Link, Name};
pub use reference::AttributeReference;
pub use value::{AttributeDef, AttributeValue, STANDARD_ATTRIBUTES};

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::{KmipCodec, StructReader, StructWriter, wrong_type};
use crate::error::{Error, ErrorKind};

/// One attribute of a managed object: its value (which says which attribute it is) and,
/// in KMIP 1.x, the index that tells instances of a multi-instance attribute apart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Attribute {
    /// Attribute Index (KMIP 1.x; absent means 0). Not written in KMIP 2.x, which has
    /// no index.
    pub index: Option<i32>,
    /// The value.
    pub value: AttributeValue,
}

impl From<AttributeValue> for Attribute {
    fn from(value: AttributeValue) -> Self {
        Attribute { index: None, value }
    }
}

impl Attribute {
    /// An attribute without an index.
    pub fn new(value: AttributeValue) -> Self {
        Attribute::from(value)
    }

    /// The name a KMIP 1.x message gives it (see [`AttributeValue::name`]).
    pub fn name(&self) -> String {
        self.value.name()
    }

    /// The tag KMIP 2.x writes it under, for standard and extension attributes.
    pub fn tag(&self) -> Option<Tag> {
        self.value.tag()
    }

    /// True when `version` defines this attribute.
    pub fn defined_in(&self, version: KmipVersion) -> bool {
        self.value.defined_in(version)
    }

    fn decode_1x(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let name: String = r.required(Tag::ATTRIBUTE_NAME)?;
        let index = r.optional(Tag::ATTRIBUTE_INDEX)?;
        let raw = r
            .take_raw(Tag::ATTRIBUTE_VALUE)
            .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::ATTRIBUTE_VALUE)))?;
        r.finish()?;
        let value = match AttributeDef::by_name(&name) {
            Some(def) => {
                if !def.defined_in(version) {
                    return Err(Error::new(ErrorKind::NotInVersion {
                        tag: def.tag,
                        version,
                    })
                    .within(Tag::ATTRIBUTE_NAME));
                }
                decode_standard(def.tag, raw, version)
                    .map_err(|e| e.within(Tag::ATTRIBUTE_VALUE))?
            }
            // KMIP 1.4 §3.39 reserves `x-` and `y-` for custom attributes; any other
            // name the specification does not define is an invalid field.
            None => {
                check_custom_name(&name)?;
                let value =
                    Ttlv::decode(raw, version).map_err(|e| e.within(Tag::ATTRIBUTE_VALUE))?;
                AttributeValue::Custom { name, value }
            }
        };
        Ok(Attribute { index, value })
    }

    fn decode_2x(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let tag = item.tag;
        let value = if tag == Tag::ATTRIBUTE {
            let mut r = StructReader::new(item, version)?;
            let vendor_identification = r.required(Tag::VENDOR_IDENTIFICATION)?;
            let name = r.required(Tag::ATTRIBUTE_NAME)?;
            let value = r.required(Tag::ATTRIBUTE_VALUE)?;
            r.finish()?;
            AttributeValue::Vendor {
                vendor_identification,
                name,
                value,
            }
        } else if let Some(def) = AttributeDef::by_tag(tag) {
            if !def.defined_in(version) {
                return Err(Error::new(ErrorKind::NotInVersion { tag, version }));
            }
            decode_standard(tag, item, version)?
        } else if tag.is_extension() {
            AttributeValue::Extension(Ttlv::decode(item, version)?)
        } else {
            return Err(Error::new(ErrorKind::Unexpected(tag)));
        };
        Ok(Attribute { index: None, value })
    }

    fn encode_1x(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let (name, value) = match &self.value {
            AttributeValue::Custom { name, value } => {
                check_custom_name(name)?;
                (name.clone(), value.encode(Tag::ATTRIBUTE_VALUE, version)?)
            }
            AttributeValue::Vendor { value, .. } => (
                self.value.name(),
                value.encode(Tag::ATTRIBUTE_VALUE, version)?,
            ),
            AttributeValue::Extension(item) => {
                return Err(Error::new(ErrorKind::NotInVersion {
                    tag: item.tag,
                    version,
                }));
            }
            standard => (
                standard.name(),
                encode_standard(standard, Tag::ATTRIBUTE_VALUE, version)
                    .map_err(|e| e.within(Tag::ATTRIBUTE_VALUE))?,
            ),
        };
        let mut w = StructWriter::new(version);
        w.field(Tag::ATTRIBUTE_NAME, &name)?;
        w.optional(Tag::ATTRIBUTE_INDEX, self.index.as_ref(), None, None)?;
        w.raw(value);
        Ok(w.finish(tag))
    }

    fn encode_2x(&self, version: KmipVersion) -> Result<Ttlv, Error> {
        match &self.value {
            AttributeValue::Vendor {
                vendor_identification,
                name,
                value,
            } => vendor_attribute(vendor_identification, name, value, version),
            AttributeValue::Custom { name, value } => {
                // KMIP 2.0 §2.1.1: vendor "x" and "y" carry the 1.x "x-" and "y-" names.
                let (vendor, rest) = check_custom_name(name)?;
                vendor_attribute(vendor, rest, value, version)
            }
            AttributeValue::Extension(item) => item.encode(item.tag, version),
            standard => match standard.tag() {
                Some(tag) => encode_standard(standard, tag, version),
                None => Err(Error::new(ErrorKind::InvalidValue(
                    "attribute without a tag",
                ))),
            },
        }
    }
}

/// The value of the standard attribute with this tag.
fn decode_standard(tag: Tag, item: Ttlv, version: KmipVersion) -> Result<AttributeValue, Error> {
    AttributeValue::decode_standard(tag, item, version)?
        .ok_or_else(|| Error::new(ErrorKind::Unexpected(tag)))
}

/// A standard attribute's value written under `tag`.
fn encode_standard(value: &AttributeValue, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
    value
        .encode_standard(tag, version)?
        .ok_or_else(|| Error::new(ErrorKind::InvalidValue("not a standard attribute")))
}

/// A custom attribute's name: `x-` (client) or `y-` (server) and at least one more
/// character (KMIP 1.4 §3.39), never a standard attribute's name. Returns the prefix
/// without its dash and the rest, the KMIP 2.x vendor and name.
fn check_custom_name(name: &str) -> Result<(&str, &str), Error> {
    let invalid = |why| Err(Error::new(ErrorKind::InvalidValue(why)).within(Tag::ATTRIBUTE_NAME));
    if AttributeDef::by_name(name).is_some() {
        return invalid("a custom attribute has the name of a standard attribute");
    }
    match name.split_once('-') {
        Some((vendor @ ("x" | "y"), rest)) if !rest.is_empty() => Ok((vendor, rest)),
        _ => invalid("an attribute name is neither standard nor `x-`/`y-` custom"),
    }
}

/// The KMIP 2.x vendor attribute structure.
fn vendor_attribute(
    vendor_identification: &str,
    name: &str,
    value: &Ttlv,
    version: KmipVersion,
) -> Result<Ttlv, Error> {
    let mut w = StructWriter::new(version);
    w.field(
        Tag::VENDOR_IDENTIFICATION,
        &vendor_identification.to_owned(),
    )?;
    w.field(Tag::ATTRIBUTE_NAME, &name.to_owned())?;
    w.field(Tag::ATTRIBUTE_VALUE, value)?;
    Ok(w.finish(Tag::ATTRIBUTE))
}

/// KMIP 1.x: an Attribute structure under the given tag. KMIP 2.x: the value under the
/// attribute's own tag (the vendor form under Attribute), whatever `tag` says, because
/// in 2.x the tag is what names the attribute.
///
/// Encoding an attribute the version does not define fails with
/// [`ErrorKind::NotInVersion`]; containers leave such attributes out instead.
impl KmipCodec for Attribute {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        if version.is_2x() {
            Attribute::decode_2x(item, version)
        } else {
            Attribute::decode_1x(item, version)
        }
    }

    /// A list of attributes encoded for a version leaves out those it does not define.
    fn kept_in_list(&self, version: KmipVersion) -> bool {
        self.defined_in(version)
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        if !self.defined_in(version) {
            return Err(Error::new(ErrorKind::NotInVersion {
                tag: self.tag().unwrap_or(tag),
                version,
            }));
        }
        if version.is_2x() {
            self.encode_2x(version)
        } else {
            self.encode_1x(tag, version)
        }
    }
}

/// Template-Attribute (KMIP 1.4 §2.1.8): names of Template objects to apply and
/// attributes. Also the Common, Private Key and Public Key Template-Attribute of Create
/// Key Pair and Re-key Key Pair.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TemplateAttribute {
    /// Names of Template objects whose attributes apply (deprecated since KMIP 1.3).
    pub names: Vec<Name>,
    /// The attributes.
    pub attributes: Vec<Attribute>,
}

impl TemplateAttribute {
    /// A Template-Attribute with these attributes and no template names.
    pub fn new(attributes: Vec<Attribute>) -> Self {
        TemplateAttribute {
            names: Vec::new(),
            attributes,
        }
    }
}

impl KmipCodec for TemplateAttribute {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let names = r.repeated(Tag::NAME)?;
        let attributes = r.repeated(Tag::ATTRIBUTE)?;
        r.finish()?;
        Ok(TemplateAttribute { names, attributes })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.repeated(Tag::NAME, &self.names, None, None)?;
        w.repeated(Tag::ATTRIBUTE, &self.attributes, None, None)?;
        Ok(w.finish(tag))
    }
}

/// Attributes (KMIP 2.0 §2.1.1): each attribute under its own tag, vendor attributes as
/// Attribute structures. Also Common, Private Key and Public Key Attributes, and the
/// single-attribute New Attribute and Current Attribute structures.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Attributes {
    /// The attributes, in message order.
    pub attributes: Vec<Attribute>,
}

impl Attributes {
    /// These attributes.
    pub fn new(attributes: Vec<Attribute>) -> Self {
        Attributes { attributes }
    }

    /// The values, in order.
    pub fn values(&self) -> impl Iterator<Item = &AttributeValue> {
        self.attributes.iter().map(|a| &a.value)
    }
}

impl From<Vec<Attribute>> for Attributes {
    fn from(attributes: Vec<Attribute>) -> Self {
        Attributes { attributes }
    }
}

impl KmipCodec for Attributes {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let children = match item.value {
            Value::Structure(children) => children,
            _ => return Err(wrong_type(ItemType::Structure, &item)),
        };
        let mut attributes = Vec::with_capacity(children.len());
        for child in children {
            let tag = child.tag;
            // In 1.x only Attribute structures can stand here.
            if !version.is_2x() && tag != Tag::ATTRIBUTE {
                return Err(Error::new(ErrorKind::Unexpected(tag)));
            }
            attributes.push(Attribute::decode(child, version).map_err(|e| e.within(tag))?);
        }
        Ok(Attributes { attributes })
    }

    /// Leaves out the attributes `version` does not define, except under New Attribute
    /// and Current Attribute: those name the one attribute an operation changes, and
    /// without it the request would mean nothing, so it is refused instead.
    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let single = matches!(tag, Tag::NEW_ATTRIBUTE | Tag::CURRENT_ATTRIBUTE);
        let mut w = StructWriter::new(version);
        for attribute in self
            .attributes
            .iter()
            .filter(|a| single || a.kept_in_list(version))
        {
            let item_tag = match (version.is_2x(), attribute.tag()) {
                (true, Some(t)) => t,
                _ => Tag::ATTRIBUTE,
            };
            w.raw(
                attribute
                    .encode(Tag::ATTRIBUTE, version)
                    .map_err(|e| e.within(item_tag))?,
            );
        }
        Ok(w.finish(tag))
    }
}

#[cfg(test)]
mod tests;

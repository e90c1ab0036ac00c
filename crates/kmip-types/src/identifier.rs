//! The Unique Identifier value (KMIP 1.4 §2.1.1, §3.1; KMIP 2.0 §4, §6): how payloads,
//! Key Wrapping Data and Link attributes name a managed object.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::{KmipCodec, check_enum_value, not_in_version};
use crate::dictionary::UniqueIdentifier;
use crate::error::{Error, ErrorKind};

/// A Unique Identifier: a payload's Unique Identifier fields, the Linked Object
/// Identifier of a Link, the key of Encryption and MAC/Signature Key Information.
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

/// The forms other than text are KMIP 2.x; a reference must be one the version defines.
impl KmipCodec for UniqueId {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let found = item.item_type();
        match item.value {
            Value::TextString(s) => Ok(UniqueId::Text(s)),
            Value::Enumeration(e) if version.is_2x() => {
                let reference = UniqueIdentifier(e);
                check_enum_value(reference.info(), item.tag, version)?;
                Ok(UniqueId::Reference(reference))
            }
            Value::Integer(i) if version.is_2x() => Ok(UniqueId::Index(i)),
            _ => Err(Error::new(ErrorKind::WrongType {
                expected: ItemType::TextString,
                found,
            })),
        }
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let value = match self {
            UniqueId::Text(s) => Value::TextString(s.clone()),
            UniqueId::Reference(_) | UniqueId::Index(_) if !version.is_2x() => {
                return Err(not_in_version(tag, version));
            }
            UniqueId::Reference(e) => {
                check_enum_value(e.info(), tag, version)?;
                Value::Enumeration(e.0)
            }
            UniqueId::Index(i) => Value::Integer(*i),
        };
        Ok(Ttlv::new(tag, value))
    }
}

#[cfg(test)]
mod tests {
    use kmip_ttlv::{KmipVersion, Tag, Ttlv, Value};

    use super::UniqueId;
    use crate::LinkType;
    use crate::attributes::Link;
    use crate::codec::KmipCodec;
    use crate::dictionary::UniqueIdentifier;

    #[test]
    fn payload_and_link_identifiers_take_the_same_forms_in_each_version() {
        let forms = [
            Value::TextString("key-1".into()),
            Value::Enumeration(UniqueIdentifier::ID_PLACEHOLDER.0),
            Value::Integer(-1),
        ];
        for version in KmipVersion::ALL {
            for form in &forms {
                let uid = Ttlv::new(Tag::UNIQUE_IDENTIFIER, form.clone());
                let as_payload_field = UniqueId::decode(uid, version);
                let link = Ttlv::structure(
                    Tag::LINK,
                    vec![
                        Ttlv::new(
                            Tag::LINK_TYPE,
                            Value::Enumeration(LinkType::PUBLIC_KEY_LINK.0),
                        ),
                        Ttlv::new(Tag::LINKED_OBJECT_IDENTIFIER, form.clone()),
                    ],
                );
                let in_link = Link::decode(link, version).map(|l| l.linked_object_identifier);
                assert_eq!(
                    as_payload_field.is_ok(),
                    in_link.is_ok(),
                    "{version} {form:?}"
                );
                let text_only = matches!(form, Value::TextString(_));
                assert_eq!(in_link.is_ok(), text_only || version.is_2x(), "{version}");
                if let Ok(id) = in_link {
                    let encoded = id.encode(Tag::LINKED_OBJECT_IDENTIFIER, version).unwrap();
                    assert_eq!(&encoded.value, form);
                }
            }
        }
    }
}

//! Attribute values that name, place or relate an object: Name, Alternative Name, Link,
//! Application Specific Information, Key Value Location.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::KmipCodec;
use crate::error::{Error, ErrorKind};
use crate::{AlternativeNameType, KeyValueLocationType, LinkType, NameType, UniqueIdentifier};

kmip_struct! {
    /// Name (KMIP 1.4 §3.2, KMIP 2.0 §4): a name that identifies and locates the object.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Name {
        /// The name.
        req name_value: String = NAME_VALUE,
        /// How to interpret it (uninterpreted text, URI).
        req name_type: NameType = NAME_TYPE,
    }
}

impl Name {
    /// An uninterpreted text name.
    pub fn text(value: impl Into<String>) -> Self {
        Name {
            name_value: value.into(),
            name_type: NameType::UNINTERPRETED_TEXT_STRING,
        }
    }
}

kmip_struct! {
    /// Alternative Name (KMIP 1.4 §3.40, KMIP 2.0 §4).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct AlternativeName {
        /// The name.
        req alternative_name_value: String = ALTERNATIVE_NAME_VALUE,
        /// What kind of name it is (text, URI, serial number, DNS name, ...).
        req alternative_name_type: AlternativeNameType = ALTERNATIVE_NAME_TYPE,
    }
}

kmip_struct! {
    /// Link (KMIP 1.4 §3.35, KMIP 2.0 §4): a relation to another managed object.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct Link {
        /// The relation (public key, parent, replacement, ...).
        req link_type: LinkType = LINK_TYPE,
        /// The object linked to.
        req linked_object_identifier: LinkedObjectIdentifier = LINKED_OBJECT_IDENTIFIER,
    }
}

/// Linked Object Identifier: a Text String, and in KMIP 2.0 and later also a reference to
/// an object of the same batch (Enumeration) or an index (Integer) (KMIP 2.0 §4).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkedObjectIdentifier {
    /// A Unique Identifier.
    Text(String),
    /// An object of this batch (ID Placeholder, the result of Create, ...), KMIP 2.0.
    Reference(UniqueIdentifier),
    /// An index, KMIP 2.0.
    Index(i32),
}

impl From<&str> for LinkedObjectIdentifier {
    fn from(s: &str) -> Self {
        LinkedObjectIdentifier::Text(s.to_owned())
    }
}

impl From<String> for LinkedObjectIdentifier {
    fn from(s: String) -> Self {
        LinkedObjectIdentifier::Text(s)
    }
}

impl KmipCodec for LinkedObjectIdentifier {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let found = item.item_type();
        match item.value {
            Value::TextString(s) => Ok(LinkedObjectIdentifier::Text(s)),
            Value::Enumeration(e) if version.is_2x() => {
                Ok(LinkedObjectIdentifier::Reference(UniqueIdentifier(e)))
            }
            Value::Integer(i) if version.is_2x() => Ok(LinkedObjectIdentifier::Index(i)),
            _ => Err(Error::new(ErrorKind::WrongType {
                expected: ItemType::TextString,
                found,
            })),
        }
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let value = match self {
            LinkedObjectIdentifier::Text(s) => Value::TextString(s.clone()),
            LinkedObjectIdentifier::Reference(_) | LinkedObjectIdentifier::Index(_)
                if !version.is_2x() =>
            {
                return Err(Error::new(ErrorKind::NotInVersion { tag, version }));
            }
            LinkedObjectIdentifier::Reference(e) => Value::Enumeration(e.0),
            LinkedObjectIdentifier::Index(i) => Value::Integer(*i),
        };
        Ok(Ttlv::new(tag, value))
    }
}

kmip_struct! {
    /// Application Specific Information (KMIP 1.4 §3.36, KMIP 2.0 §4).
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct ApplicationSpecificInformation {
        /// The application's namespace ("ssl", "smime", ...).
        req application_namespace: String = APPLICATION_NAMESPACE,
        /// The data; a client may leave it out for the server to generate (KMIP 1.x text;
        /// the 2.x table marks it optional).
        opt application_data: String = APPLICATION_DATA,
    }
}

kmip_struct! {
    /// Key Value Location (KMIP 1.4 §3.42, KMIP 2.0 §4): where a key value held
    /// outside the server is.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct KeyValueLocation {
        /// The location (a URI, a serial number, ...).
        req key_value_location_value: String = KEY_VALUE_LOCATION_VALUE,
        /// How to read the location.
        req key_value_location_type: KeyValueLocationType = KEY_VALUE_LOCATION_TYPE,
    }
}

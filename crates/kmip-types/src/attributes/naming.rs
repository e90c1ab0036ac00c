//! Attribute values that name, place or relate an object: Name, Alternative Name, Link,
//! Application Specific Information, Key Value Location.

use crate::{AlternativeNameType, KeyValueLocationType, LinkType, NameType, UniqueId};

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
        /// The object linked to: a Unique Identifier, or in KMIP 2.x a reference to an
        /// object of the same batch or an index (KMIP 2.0 §4).
        req linked_object_identifier: UniqueId = LINKED_OBJECT_IDENTIFIER,
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

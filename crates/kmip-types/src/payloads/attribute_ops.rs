//! Reading and changing an object's attributes: Get Attributes, Get Attribute List, Add,
//! Modify, Delete, Set and Adjust Attribute (KMIP 1.4 §4.12–4.16, KMIP 2.0 §6.1).
//!
//! KMIP 1.x names attributes by their Attribute Name text and carries values in Attribute
//! structures; KMIP 2.0 names them by Attribute Reference, carries values under their own
//! tags inside Attributes, Current Attribute and New Attribute structures, and no longer
//! echoes the attribute in the responses.

use kmip_ttlv::{BigInteger, ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::UniqueId;
use crate::attributes::{Attribute, AttributeReference, Attributes};
use crate::codec::{KmipCodec, wrong_type};
use crate::error::Error;
use crate::{AdjustmentType, DateTime, Interval};

kmip_struct! {
    /// Get Attributes request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct GetAttributesRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attributes wanted, all when none (KMIP 1.x).
        vec [..V2_0] attribute_names: String = ATTRIBUTE_NAME,
        /// The attributes wanted, all when none (KMIP 2.0).
        vec [V2_0..] attribute_references: AttributeReference = ATTRIBUTE_REFERENCE,
    }
}

kmip_struct! {
    /// Get Attributes response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct GetAttributesResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attributes (KMIP 1.x).
        vec [..V2_0] attribute: Attribute = ATTRIBUTE,
        /// The attributes (KMIP 2.0; required there, possibly empty).
        ver [V2_0..] attributes: Attributes = ATTRIBUTES,
    }
}

/// Get Attribute List request.
pub type GetAttributeListRequest = super::IdRequest;

kmip_struct! {
    /// Get Attribute List response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct GetAttributeListResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The names of the object's attributes (KMIP 1.x).
        vec [..V2_0] attribute_names: String = ATTRIBUTE_NAME,
        /// The object's attributes (KMIP 2.0).
        vec [V2_0..] attribute_references: AttributeReference = ATTRIBUTE_REFERENCE,
    }
}

kmip_struct! {
    /// Add Attribute request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct AddAttributeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attribute to add (KMIP 1.x; required there).
        ver [..V2_0] attribute: Attribute = ATTRIBUTE,
        /// The attribute to add (KMIP 2.0; required there).
        ver [V2_0..] new_attribute: Attributes = NEW_ATTRIBUTE,
    }
}

kmip_struct! {
    /// Add Attribute response; the Modify, Delete, Set and Adjust Attribute responses have
    /// the same fields.
    #[derive(Debug, PartialEq, Eq)]
    pub struct AddAttributeResponse {
        /// The object.
        req unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attribute added, modified or deleted, with its index (KMIP 1.x; required
        /// there by all three operations).
        ver [..V2_0] attribute: Attribute = ATTRIBUTE,
    }
}

kmip_struct! {
    /// Modify Attribute request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct ModifyAttributeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attribute, with its index, and its new value (KMIP 1.x; required there).
        ver [..V2_0] attribute: Attribute = ATTRIBUTE,
        /// The value to replace, when the attribute has several (KMIP 2.0).
        opt [V2_0..] current_attribute: Attributes = CURRENT_ATTRIBUTE,
        /// The new value (KMIP 2.0; required there).
        ver [V2_0..] new_attribute: Attributes = NEW_ATTRIBUTE,
    }
}

kmip_struct! {
    /// Delete Attribute request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DeleteAttributeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attribute to delete (KMIP 1.x; required there).
        ver [..V2_0] attribute_name: String = ATTRIBUTE_NAME,
        /// Which of its values, the first when absent (KMIP 1.x).
        opt [..V2_0] attribute_index: i32 = ATTRIBUTE_INDEX,
        /// The value to delete (KMIP 2.0). The spec marks both 2.0 fields optional,
        /// though one of them has to name the attribute.
        opt [V2_0..] current_attribute: Attributes = CURRENT_ATTRIBUTE,
        /// The attribute to delete, every value of it (KMIP 2.0).
        opt [V2_0..] attribute_reference: AttributeReference = ATTRIBUTE_REFERENCE,
    }
}

kmip_struct! {
    /// Set Attribute request (KMIP 2.0): sets a single-valued attribute, adding it if absent.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SetAttributeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The new value.
        req new_attribute: Attributes = NEW_ATTRIBUTE,
    }
}

kmip_struct! {
    /// Adjust Attribute request (KMIP 2.0): increments, decrements or negates a numeric or
    /// date attribute.
    #[derive(Debug, PartialEq, Eq)]
    pub struct AdjustAttributeRequest {
        /// The object (the ID Placeholder when absent).
        opt unique_identifier: UniqueId = UNIQUE_IDENTIFIER,
        /// The attribute to adjust.
        req attribute_reference: AttributeReference = ATTRIBUTE_REFERENCE,
        /// How to adjust it.
        req adjustment_type: AdjustmentType = ADJUSTMENT_TYPE,
        /// By how much, when the adjustment type takes a value.
        opt adjustment_value: AdjustmentValue = ADJUSTMENT_VALUE,
    }
}

/// Adjustment Value (KMIP 2.0): its type is the adjusted attribute's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AdjustmentValue {
    /// For Integer attributes.
    Integer(i32),
    /// For Long Integer attributes.
    LongInteger(i64),
    /// For Big Integer attributes.
    BigInteger(BigInteger),
    /// For Date-Time attributes.
    DateTime(DateTime),
    /// For Interval attributes.
    Interval(Interval),
}

impl KmipCodec for AdjustmentValue {
    fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
        Ok(match item.value {
            Value::Integer(v) => AdjustmentValue::Integer(v),
            Value::LongInteger(v) => AdjustmentValue::LongInteger(v),
            Value::BigInteger(v) => AdjustmentValue::BigInteger(v),
            Value::DateTime(v) => AdjustmentValue::DateTime(DateTime(v)),
            Value::Interval(v) => AdjustmentValue::Interval(Interval(v)),
            _ => return Err(wrong_type(ItemType::Integer, &item)),
        })
    }

    fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
        let value = match self {
            AdjustmentValue::Integer(v) => Value::Integer(*v),
            AdjustmentValue::LongInteger(v) => Value::LongInteger(*v),
            AdjustmentValue::BigInteger(v) => Value::BigInteger(v.clone()),
            AdjustmentValue::DateTime(v) => Value::DateTime(v.0),
            AdjustmentValue::Interval(v) => Value::Interval(v.0),
        };
        Ok(Ttlv::new(tag, value))
    }
}

/// Modify Attribute response.
pub type ModifyAttributeResponse = AddAttributeResponse;
/// Delete Attribute response: the deleted attribute in KMIP 1.x.
pub type DeleteAttributeResponse = AddAttributeResponse;
/// Set Attribute response (KMIP 2.0).
pub type SetAttributeResponse = AddAttributeResponse;
/// Adjust Attribute response (KMIP 2.0).
pub type AdjustAttributeResponse = AddAttributeResponse;

//! How an [`AttributeSet`] is stored: one TTLV structure whose children are the
//! attributes, each in the KMIP 1.4 Attribute form when KMIP 1.4 defines it (custom
//! attributes included) and in the KMIP 2.1 form otherwise, so that every attribute of
//! every version round-trips. The bytes are not secret (no attribute holds key material).

use kmip_ttlv::{KmipVersion, Limits, Tag, Ttlv, Value};
use kmip_types::{Attribute, KmipCodec};

use super::AttributeSet;
use crate::error::{Result, StoreError};

const ROOT: Tag = Tag::ATTRIBUTES;

/// The stored form of `set`.
pub fn encode(set: &AttributeSet) -> Result<Vec<u8>> {
    let mut children = Vec::with_capacity(set.len());
    for attribute in set.iter() {
        let item = if attribute.defined_in(KmipVersion::V1_4) {
            attribute.encode(Tag::ATTRIBUTE, KmipVersion::V1_4)
        } else {
            attribute
                .encode(Tag::ATTRIBUTE, KmipVersion::V2_1)
                .map(|item| {
                    // The 2.x form has no index; keep it beside the item.
                    Ttlv::structure(
                        Tag::ATTRIBUTE_REFERENCE,
                        vec![
                            Ttlv::new(
                                Tag::ATTRIBUTE_INDEX,
                                Value::Integer(attribute.index.unwrap_or(0)),
                            ),
                            item,
                        ],
                    )
                })
        }
        .map_err(|e| StoreError::InvalidField(e.to_string()))?;
        children.push(item);
    }
    let mut out = Vec::new();
    Ttlv::structure(ROOT, children)
        .encode_into(&mut out)
        .map_err(|e| StoreError::InvalidField(e.to_string()))?;
    Ok(out)
}

/// Reads back what [`encode`] wrote. A stored set that does not decode is corruption.
pub fn decode(bytes: &[u8]) -> Result<AttributeSet> {
    let corrupt = |what: &str| StoreError::Corrupt(format!("attributes: {what}"));
    let limits = Limits {
        max_message_len: bytes.len().max(8),
        ..Limits::DEFAULT
    };
    let root = kmip_ttlv::decode(bytes, &limits).map_err(|e| corrupt(&e.to_string()))?;
    let Value::Structure(children) = root.value else {
        return Err(corrupt("not a structure"));
    };
    let mut set = AttributeSet::new();
    for child in children {
        let attribute = if child.tag == Tag::ATTRIBUTE_REFERENCE {
            let Value::Structure(parts) = child.value else {
                return Err(corrupt("2.x attribute"));
            };
            let mut parts = parts.into_iter();
            let (Some(index), Some(item)) = (parts.next(), parts.next()) else {
                return Err(corrupt("2.x attribute"));
            };
            let Value::Integer(index) = index.value else {
                return Err(corrupt("2.x attribute index"));
            };
            let mut a =
                Attribute::decode(item, KmipVersion::V2_1).map_err(|e| corrupt(&e.to_string()))?;
            a.index = Some(index);
            a
        } else {
            let mut a =
                Attribute::decode(child, KmipVersion::V1_4).map_err(|e| corrupt(&e.to_string()))?;
            a.index = Some(a.index.unwrap_or(0));
            a
        };
        set.items.push(attribute);
    }
    Ok(set)
}

//! Attribute values about an object's life and use: Revocation Reason, Usage Limits,
//! Rotate Name.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::codec::{KmipCodec, StructReader, StructWriter, wrong_type};
use crate::error::{Error, ErrorKind};
use crate::{RevocationReasonCode, RotateNameType, UsageLimitsUnit};

kmip_struct! {
    /// Revocation Reason (KMIP 1.4 §3.31, KMIP 2.0 §4). Also the Revoke request field.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct RevocationReason {
        /// Why the object was revoked.
        req revocation_reason_code: RevocationReasonCode = REVOCATION_REASON_CODE,
        /// Free text.
        opt revocation_message: String = REVOCATION_MESSAGE,
    }
}

kmip_struct! {
    /// Usage Limits (KMIP 1.4 §3.21, KMIP 2.0 §4): how much the key may still be used.
    #[derive(Clone, Debug, PartialEq, Eq, Hash)]
    pub struct UsageLimits {
        /// The total allowed.
        req usage_limits_total: i64 = USAGE_LIMITS_TOTAL,
        /// What is left; set by the server. The 2.x table marks it required, but clients
        /// leave it out when they set the attribute (OASIS test cases, 1.x and 2.x).
        opt usage_limits_count: i64 = USAGE_LIMITS_COUNT,
        /// What is counted (bytes or objects).
        req usage_limits_unit: UsageLimitsUnit = USAGE_LIMITS_UNIT,
    }
}

/// Rotate Name (KMIP 2.1): the name a key rotation is known by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RotateName {
    /// The name.
    pub rotate_name_value: String,
    /// How to interpret it.
    pub rotate_name_type: RotateNameType,
}

// Written by hand rather than with `kmip_struct!`: the codec module has no
// implementation for the Rotate Name Type enumeration, and this one field does not
// justify a second one here.
impl KmipCodec for RotateName {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let rotate_name_value = r.required(Tag::ROTATE_NAME_VALUE)?;
        let raw = r
            .take_raw(Tag::ROTATE_NAME_TYPE)
            .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::ROTATE_NAME_TYPE)))?;
        let rotate_name_type = match raw.value {
            Value::Enumeration(v) => RotateNameType(v),
            _ => return Err(wrong_type(ItemType::Enumeration, &raw).within(Tag::ROTATE_NAME_TYPE)),
        };
        r.finish()?;
        Ok(RotateName {
            rotate_name_value,
            rotate_name_type,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::ROTATE_NAME_VALUE, &self.rotate_name_value)?;
        w.raw(Ttlv::new(
            Tag::ROTATE_NAME_TYPE,
            Value::Enumeration(self.rotate_name_type.0),
        ));
        Ok(w.finish(tag))
    }
}

//! [`ManagedObject`]: a record decoded for the rules to work on. Its attributes are the
//! truth; the record's columns (state, dates, index entries) are derived from them when
//! it is written back, in [`ManagedObject::to_record`] only.

use kmip_ttlv::{KmipVersion, Limits, Value};
use kmip_types::{AttributeValue, DateTime, Object, ObjectType, State};
use zeroize::Zeroizing;

use crate::attributes::{self, AttributeSet};
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::lifecycle;
use crate::record::{IndexEntry, ObjectRecord};
use crate::sealing::KeyProtector;

/// A managed object's metadata, as the rules see it.
#[derive(Clone, Debug)]
pub struct ManagedObject {
    /// Unique Identifier.
    pub id: ObjectId,
    /// Owner.
    pub owner: Identity,
    /// Object Type.
    pub object_type: ObjectType,
    /// Archived.
    pub archived: bool,
    /// Attributes, server-owned ones included (State, dates, ...).
    pub attributes: AttributeSet,
    /// The sealed material, as stored.
    pub(crate) material: Option<Vec<u8>>,
    pub(crate) seq: i64,
    pub(crate) revision: i64,
}

impl ManagedObject {
    /// Decodes a record, applying the date-driven transitions due at `now` to the State
    /// attribute (so the rules always see the effective state).
    pub(crate) fn from_record(record: ObjectRecord, now: i64) -> Result<ManagedObject> {
        let mut attributes = attributes::decode(&record.attributes)?;
        let effective = lifecycle::effective_state(
            record.state,
            record.activation_date,
            record.deactivation_date,
            now,
        );
        if effective != record.state {
            attributes.set_server(AttributeValue::State(effective));
        }
        Ok(ManagedObject {
            id: record.id,
            owner: record.owner,
            object_type: record.object_type,
            archived: record.archived,
            attributes,
            material: record.material,
            seq: record.seq,
            revision: record.revision,
        })
    }

    /// The effective state.
    pub fn state(&self) -> State {
        self.attributes
            .find(|v| match v {
                AttributeValue::State(s) => Some(*s),
                _ => None,
            })
            .unwrap_or(State::PRE_ACTIVE)
    }

    /// A date attribute, in seconds.
    pub fn date(&self, pick: fn(&AttributeValue) -> Option<DateTime>) -> Option<i64> {
        self.attributes.find(pick).map(|d| d.0)
    }

    /// True when the object still holds material.
    pub fn has_material(&self) -> bool {
        self.material.is_some()
    }

    /// The record to write: columns and index entries derived from the attributes, the
    /// revision one more than the one loaded.
    pub(crate) fn to_record(&self) -> Result<ObjectRecord> {
        let date = |pick: fn(&AttributeValue) -> Option<DateTime>| self.date(pick);
        Ok(ObjectRecord {
            id: self.id.clone(),
            seq: self.seq,
            owner: self.owner.clone(),
            object_type: self.object_type,
            state: self.state(),
            activation_date: date(|v| match v {
                AttributeValue::ActivationDate(d) => Some(*d),
                _ => None,
            }),
            deactivation_date: date(|v| match v {
                AttributeValue::DeactivationDate(d) => Some(*d),
                _ => None,
            }),
            archived: self.archived,
            created: date(|v| match v {
                AttributeValue::InitialDate(d) => Some(*d),
                _ => None,
            })
            .unwrap_or(0),
            last_change: date(|v| match v {
                AttributeValue::LastChangeDate(d) => Some(*d),
                _ => None,
            })
            .unwrap_or(0),
            revision: self.revision + 1,
            index: index_entries(&self.attributes),
            attributes: attributes::encode(&self.attributes)?,
            material: self.material.clone(),
        })
    }

    /// Opens the material.
    pub(crate) fn open_material(&self, protector: &dyn KeyProtector) -> Result<Object> {
        let sealed = self.material.as_ref().ok_or(StoreError::Destroyed)?;
        let plain = protector.open(&self.id, sealed)?;
        decode_object(&self.id, plain.expose())
    }

    /// Seals `object` as this object's material.
    pub(crate) fn seal_material(
        &mut self,
        protector: &dyn KeyProtector,
        object: &Object,
    ) -> Result<()> {
        let plain = encode_object(object)?;
        self.material = Some(protector.seal(&self.id, &plain)?);
        Ok(())
    }
}

/// The version an object is kept in: KMIP 1.4 for every 1.x object, 2.1 for the 2.x
/// ones (Certificate Request). The first byte of the sealed plaintext says which.
fn storage_version(object: &Object) -> KmipVersion {
    if matches!(object, Object::CertificateRequest(_)) {
        KmipVersion::V2_1
    } else {
        KmipVersion::V1_4
    }
}

fn encode_object(object: &Object) -> Result<Zeroizing<Vec<u8>>> {
    let version = storage_version(object);
    let item = object
        .to_item(version)
        .map_err(|e| StoreError::InvalidField(e.to_string()))?;
    let mut out = Zeroizing::new(Vec::with_capacity(256));
    out.push(if version == KmipVersion::V2_1 {
        0x21
    } else {
        0x14
    });
    item.encode_into(&mut out)
        .map_err(|e| StoreError::InvalidField(e.to_string()))?;
    Ok(out)
}

fn decode_object(id: &ObjectId, plain: &[u8]) -> Result<Object> {
    let corrupt = || StoreError::Corrupt(id.to_string());
    let (version, body) = plain.split_first().ok_or_else(corrupt)?;
    let version = match version {
        0x14 => KmipVersion::V1_4,
        0x21 => KmipVersion::V2_1,
        _ => return Err(corrupt()),
    };
    let limits = Limits {
        max_message_len: body.len().max(8),
        ..Limits::DEFAULT
    };
    let item = kmip_ttlv::decode(body, &limits).map_err(|_| corrupt())?;
    Object::from_item(item, version).map_err(|_| corrupt())
}

/// Index keys.
pub(crate) mod keys {
    /// Name values.
    pub const NAME: &str = "name";
    /// Object Group values.
    pub const GROUP: &str = "group";
    /// Cryptographic Algorithm, as its number.
    pub const ALGORITHM: &str = "alg";
    /// Cryptographic Length.
    pub const LENGTH: &str = "len";
    /// A Link, as `link:<type number>` → linked id.
    pub const LINK_PREFIX: &str = "link:";
    /// A custom attribute with a text or integer value, as `custom:<name>`.
    pub const CUSTOM_PREFIX: &str = "custom:";
}

/// The searchable pairs of a set of attributes.
pub(crate) fn index_entries(attributes: &AttributeSet) -> Vec<IndexEntry> {
    let mut out = Vec::new();
    for a in attributes.iter() {
        if let Some(entry) = index_entry(&a.value)
            && !out.contains(&entry)
        {
            out.push(entry);
        }
    }
    out
}

/// The searchable pair of one attribute value, if it has one.
pub(crate) fn index_entry(value: &AttributeValue) -> Option<IndexEntry> {
    Some(match value {
        AttributeValue::Name(n) => IndexEntry::new(keys::NAME, n.name_value.clone()),
        AttributeValue::ObjectGroup(g) => IndexEntry::new(keys::GROUP, g.clone()),
        AttributeValue::CryptographicAlgorithm(a) => {
            IndexEntry::new(keys::ALGORITHM, a.0.to_string())
        }
        AttributeValue::CryptographicLength(l) => IndexEntry::new(keys::LENGTH, l.to_string()),
        AttributeValue::Link(l) => IndexEntry::new(
            format!("{}{}", keys::LINK_PREFIX, l.link_type.0),
            l.linked_object_identifier.as_text()?.to_owned(),
        ),
        AttributeValue::Custom { name, value } => {
            let text = match &value.value {
                Value::TextString(s) => s.clone(),
                Value::Integer(i) => i.to_string(),
                Value::LongInteger(i) => i.to_string(),
                Value::Enumeration(e) => e.to_string(),
                _ => return None,
            };
            IndexEntry::new(format!("{}{name}", keys::CUSTOM_PREFIX), text)
        }
        _ => return None,
    })
}

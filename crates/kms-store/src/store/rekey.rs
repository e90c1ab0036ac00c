//! Re-key and Re-key Key Pair: a replacement object with fresh material and the old
//! one's attributes, its dates shifted by the Offset, linked both ways (Replacement /
//! Replaced Object Link), the names moved to it. Old and new are written in one
//! transaction.

use kmip_types::{Attribute, AttributeValue, DateTime, LinkType, Object, ObjectType};

use super::create::{CreateOptions, Issue, link, new_object};
use super::lifecycle_ops::not_archived;
use super::object::ManagedObject;
use super::{Store, locked};
use crate::access::Operation;
use crate::attributes::{AttributeSet, policy};
use crate::backend::{Backend, Changes};
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::material;

/// Date attributes carried over shifted, relative to the Activation Date.
const SHIFTED: [&str; 3] = [
    "Process Start Date",
    "Protect Stop Date",
    "Deactivation Date",
];

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Re-key a symmetric key. `offset` (seconds) places the new key's Activation Date
    /// after its Initial Date; `attributes` override the copied ones.
    pub async fn rekey(
        &self,
        caller: &Identity,
        id: &ObjectId,
        offset: Option<i64>,
        attributes: Vec<Attribute>,
    ) -> Result<ObjectId> {
        let inner = std::sync::Arc::clone(&self.inner);
        let caller = caller.clone();
        let (new_id, old, new) = self
            .inner
            .backend
            .transact(
                vec![id.clone()],
                Box::new(move |records| {
                    let now = inner.clock.now();
                    let mut old = locked(
                        records.into_iter().next().flatten(),
                        &caller,
                        Operation::Manage,
                        now,
                    )?;
                    not_archived(&old)?;
                    if old.object_type != ObjectType::SYMMETRIC_KEY {
                        return Err(StoreError::InvalidField(
                            "Re-key applies to symmetric keys".into(),
                        ));
                    }
                    if !old.has_material() {
                        return Err(StoreError::WrongState {
                            operation: "Re-key",
                            state: old.state(),
                        });
                    }
                    let current = old.open_material(inner.protector.as_ref())?;
                    let block = current
                        .key_block()
                        .ok_or_else(|| StoreError::InvalidField("no key block".into()))?;
                    let algorithm = block
                        .cryptographic_algorithm
                        .ok_or_else(|| StoreError::MissingData("Cryptographic Algorithm".into()))?;
                    let length = block
                        .cryptographic_length
                        .ok_or_else(|| StoreError::MissingData("Cryptographic Length".into()))?;
                    let fresh: Object = material::generate_symmetric(algorithm, length)?;
                    let carried = carried_attributes(&old.attributes, &attributes, offset, now);
                    let mut new = new_object(
                        &old.owner,
                        &fresh,
                        carried,
                        &CreateOptions::default(),
                        &Issue::new(&inner, now).generated(),
                    )?;
                    move_names(&mut old, &mut new);
                    link(&mut old, LinkType::REPLACEMENT_OBJECT_LINK, &new.id);
                    link(&mut new, LinkType::REPLACED_OBJECT_LINK, &old.id);
                    old.attributes
                        .set_server(AttributeValue::LastChangeDate(DateTime(now)));
                    let old_record = old.to_record()?;
                    old.revision = old_record.revision;
                    let new_record = new.to_record()?;
                    let new_id = new.id.clone();
                    Ok((
                        (new_id, old, new),
                        Changes {
                            updated: vec![old_record],
                            inserted: vec![new_record],
                        },
                    ))
                }),
            )
            .await?;
        self.remember(old);
        drop(new);
        Ok(new_id)
    }
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Re-key Key Pair: a replacement pair for the private key `id` and the public key it
    /// links to, each linked to its predecessor, names moved, dates shifted by `offset`.
    /// `common`, `private` and `public` override the copied attributes.
    pub async fn rekey_key_pair(
        &self,
        caller: &Identity,
        id: &ObjectId,
        offset: Option<i64>,
        private: Vec<Attribute>,
        public: Vec<Attribute>,
    ) -> Result<(ObjectId, ObjectId)> {
        let current = self.load(caller, id, Operation::Manage).await?;
        if current.object_type != ObjectType::PRIVATE_KEY {
            return Err(StoreError::InvalidField(
                "Re-key Key Pair names a private key".into(),
            ));
        }
        let public_id = linked(&current, LinkType::PUBLIC_KEY_LINK)
            .ok_or_else(|| StoreError::MissingData("the private key's Public Key Link".into()))?;
        let inner = std::sync::Arc::clone(&self.inner);
        let caller = caller.clone();
        let ids = vec![id.clone(), public_id.clone()];
        let (result, olds) = self
            .inner
            .backend
            .transact(
                ids,
                Box::new(move |records| {
                    let now = inner.clock.now();
                    let mut olds = Vec::new();
                    for record in records {
                        let old = locked(record, &caller, Operation::Manage, now)?;
                        not_archived(&old)?;
                        if !old.has_material() {
                            return Err(StoreError::WrongState {
                                operation: "Re-key Key Pair",
                                state: old.state(),
                            });
                        }
                        olds.push(old);
                    }
                    let [mut old_private, mut old_public]: [ManagedObject; 2] =
                        olds.try_into().map_err(|_| StoreError::Conflict)?;
                    if linked(&old_private, LinkType::PUBLIC_KEY_LINK).as_ref()
                        != Some(&old_public.id)
                    {
                        return Err(StoreError::Conflict);
                    }
                    let key = old_private.open_material(inner.protector.as_ref())?;
                    let block = key
                        .key_block()
                        .ok_or_else(|| StoreError::InvalidField("no key block".into()))?;
                    let algorithm = block
                        .cryptographic_algorithm
                        .ok_or_else(|| StoreError::MissingData("Cryptographic Algorithm".into()))?;
                    let (new_sk, new_pk) =
                        material::generate_key_pair(algorithm, block.cryptographic_length, None)?;
                    let issue = Issue::new(&inner, now).generated();
                    let mut sk = new_object(
                        &old_private.owner,
                        &new_sk,
                        carried_attributes(&old_private.attributes, &private, offset, now),
                        &CreateOptions::default(),
                        &issue,
                    )?;
                    let mut pk = new_object(
                        &old_public.owner,
                        &new_pk,
                        carried_attributes(&old_public.attributes, &public, offset, now),
                        &CreateOptions::default(),
                        &issue,
                    )?;
                    // The pair's links come first, then the link to the replaced key:
                    // the kmip-go TC_133 cases read the Public/Private Key Link at index 0.
                    link(&mut sk, LinkType::PUBLIC_KEY_LINK, &pk.id);
                    link(&mut pk, LinkType::PRIVATE_KEY_LINK, &sk.id);
                    for (old, new) in [(&mut old_private, &mut sk), (&mut old_public, &mut pk)] {
                        move_names(old, new);
                        link(old, LinkType::REPLACEMENT_OBJECT_LINK, &new.id);
                        link(new, LinkType::REPLACED_OBJECT_LINK, &old.id);
                        old.attributes
                            .set_server(AttributeValue::LastChangeDate(DateTime(now)));
                    }
                    let mut updated = Vec::new();
                    for old in [&mut old_private, &mut old_public] {
                        let record = old.to_record()?;
                        old.revision = record.revision;
                        updated.push(record);
                    }
                    let inserted = vec![sk.to_record()?, pk.to_record()?];
                    Ok((
                        ((sk.id.clone(), pk.id.clone()), [old_private, old_public]),
                        Changes { updated, inserted },
                    ))
                }),
            )
            .await?;
        for old in olds {
            self.remember(old);
        }
        Ok(result)
    }
}

fn linked(object: &ManagedObject, link_type: LinkType) -> Option<ObjectId> {
    object.attributes.find(|v| match v {
        AttributeValue::Link(l) if l.link_type == link_type => l
            .linked_object_identifier
            .as_text()
            .and_then(ObjectId::parse),
        _ => None,
    })
}

/// The names of the replaced object move to its replacement (KMIP 1.4 §4.4, §4.5), ahead
/// of the names the request gives it: the OASIS TC-REKEY-1 cases read them back in that
/// order, the original name at index 0.
fn move_names(old: &mut ManagedObject, new: &mut ManagedObject) {
    let given = new.attributes.remove_all("Name");
    for name in old.attributes.remove_all("Name").into_iter().chain(given) {
        new.attributes.set_server(name.value);
    }
}

/// The attributes the replacement starts with: the client-settable ones of the old
/// object (names excepted: they move; Fresh too: the new key has not been served), the
/// request's overriding them, and the dates
/// shifted so the new key keeps the old one's schedule from its own activation.
fn carried_attributes(
    old: &AttributeSet,
    overrides: &[Attribute],
    offset: Option<i64>,
    now: i64,
) -> Vec<Attribute> {
    let overridden = |name: &str| overrides.iter().any(|a| a.name() == name);
    let old_activation = old.find(|v| match v {
        AttributeValue::ActivationDate(d) => Some(d.0),
        _ => None,
    });
    let mut out: Vec<Attribute> = Vec::new();
    for a in old.iter() {
        let name = a.name();
        let rule = policy::rule(&a.value);
        if !rule.client_sets
            || name == "Name"
            || name == "Fresh"
            || name == "Activation Date"
            || name == "Link"
            || SHIFTED.contains(&name.as_str())
            || overridden(&name)
        {
            continue;
        }
        let mut value = a.value.clone();
        if let AttributeValue::UsageLimits(l) = &mut value {
            l.usage_limits_count = None;
        }
        out.push(Attribute::new(value));
    }
    let new_activation = offset
        .map(|o| now.saturating_add(o))
        .or(old_activation.map(|_| now));
    if let Some(activation) = new_activation.filter(|_| !overridden("Activation Date")) {
        out.push(Attribute::new(AttributeValue::ActivationDate(DateTime(
            activation,
        ))));
        for a in old.iter() {
            let name = a.name();
            if !SHIFTED.contains(&name.as_str()) || overridden(&name) {
                continue;
            }
            let shifted = |d: DateTime| {
                DateTime(
                    activation.saturating_add(d.0.saturating_sub(old_activation.unwrap_or(d.0))),
                )
            };
            let value = match &a.value {
                AttributeValue::ProcessStartDate(d) => {
                    AttributeValue::ProcessStartDate(shifted(*d))
                }
                AttributeValue::ProtectStopDate(d) => AttributeValue::ProtectStopDate(shifted(*d)),
                AttributeValue::DeactivationDate(d) => {
                    AttributeValue::DeactivationDate(shifted(*d))
                }
                _ => continue,
            };
            out.push(Attribute::new(value));
        }
    }
    out.extend(overrides.iter().cloned());
    out
}

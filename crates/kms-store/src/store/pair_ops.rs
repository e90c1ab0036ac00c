//! Key pairs as one unit: a private key and the public key its Public Key Link names
//! share a lifecycle and a name (the OVHcloud REST API's service keys). Each operation
//! applies the same step as its single-object form (`lifecycle_ops`, the one state
//! machine) to both halves, authorized on both, in one backend transaction: when either
//! half refuses, neither changes.
//!
//! A KMIP client may destroy the public half alone. A pair whose public half is
//! Destroyed or Destroyed Compromised is still managed through its private key, by one
//! rule per step ([`DestroyedPublic`]): Destroy and a non-compromise Revoke act on the
//! private key alone (the public half is left as is and never blocks them), a
//! compromise Revoke marks both (the public half becomes Destroyed Compromised), a
//! rename names both, and Activate is refused: a pair cannot be put back in use once
//! its public key is gone.

use std::sync::Arc;

use kmip_types::{Attribute, AttributeValue, DateTime, LinkType, Name, ObjectType, State};

use super::attribute_ops::check_client_value;
use super::lifecycle_ops::{self, RevokeRequest, not_archived};
use super::object::ManagedObject;
use super::{Store, locked};
use crate::access::Operation;
use crate::backend::{Backend, Changes};
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::lifecycle::Rules;

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// [`Store::activate`] on `id` and, when `id` is a private key with a Public Key
    /// Link, on that public key, in one transaction.
    pub async fn activate_pair(
        &self,
        caller: &Identity,
        id: &ObjectId,
        rules: Rules,
    ) -> Result<()> {
        let step =
            move |object: &mut ManagedObject, now| lifecycle_ops::activate(object, now, rules);
        self.update_pair(
            caller,
            id,
            Operation::Manage,
            DestroyedPublic::Refuse("Activate (the public key of the pair)"),
            step,
        )
        .await
    }

    /// [`Store::revoke`] on `id` and its linked public key, in one transaction (see
    /// [`Store::activate_pair`]). When the public key is already destroyed, a
    /// compromise reason makes it Destroyed Compromised and any other reason leaves it
    /// as is (the private key alone is revoked).
    pub async fn revoke_pair(
        &self,
        caller: &Identity,
        id: &ObjectId,
        request: RevokeRequest,
        rules: Rules,
    ) -> Result<()> {
        let destroyed_public = if request.is_compromise() {
            DestroyedPublic::Apply
        } else {
            DestroyedPublic::Leave
        };
        self.update_pair(
            caller,
            id,
            Operation::Manage,
            destroyed_public,
            move |object, now| lifecycle_ops::revoke(object, &request, now, rules),
        )
        .await
    }

    /// [`Store::destroy`] on `id` and its linked public key, in one transaction (see
    /// [`Store::activate_pair`]): a pair whose public half is still Active is refused
    /// whole. A public half already Destroyed or Destroyed Compromised (by a KMIP
    /// client) is left as is and does not block: the private key is destroyed alone.
    pub async fn destroy_pair(&self, caller: &Identity, id: &ObjectId, rules: Rules) -> Result<()> {
        self.update_pair(
            caller,
            id,
            Operation::Manage,
            DestroyedPublic::Leave,
            move |object, now| lifecycle_ops::destroy(object, now, rules),
        )
        .await
    }

    /// Sets the Name at index 0 to `name` on `id` and its linked public key, in one
    /// transaction (see [`Store::activate_pair`]): modified on a half that has a Name,
    /// added to one that has none. The same checks as Modify and Add Attribute. A
    /// destroyed public half is renamed too (its metadata stays, so it keeps the
    /// pair's name).
    pub async fn rename_pair(&self, caller: &Identity, id: &ObjectId, name: String) -> Result<()> {
        let value = AttributeValue::Name(Name::text(name));
        check_client_value(&value)?;
        let step = move |object: &mut ManagedObject, _| {
            not_archived(object)?;
            if object.attributes.all("Name").next().is_some() {
                let state = object.state();
                let attribute = Attribute {
                    index: Some(0),
                    value: value.clone(),
                };
                object.attributes.modify_client(attribute, state)?;
            } else {
                object
                    .attributes
                    .add_client(Attribute::new(value.clone()))?;
            }
            Ok(())
        };
        self.update_pair(caller, id, Operation::Modify, DestroyedPublic::Apply, step)
            .await
    }

    /// Runs `f` on `id` and, when `id` is a private key with a Public Key Link, on the
    /// public key it names: both locked and authorized for `operation` in one
    /// transaction, both committed (with a new Last Change Date) or neither. A public
    /// key already destroyed is handled as `destroyed_public` says.
    async fn update_pair<F>(
        &self,
        caller: &Identity,
        id: &ObjectId,
        operation: Operation,
        destroyed_public: DestroyedPublic,
        f: F,
    ) -> Result<()>
    where
        F: Fn(&mut ManagedObject, i64) -> Result<()> + Send + 'static,
    {
        // The link is read first to know which records to lock, and read again under the
        // lock: a pair relinked in between is a conflict, never a half-applied change.
        let public = public_half(&*self.load(caller, id, operation).await?);
        let mut ids = vec![id.clone()];
        ids.extend(public.clone());
        let inner = Arc::clone(&self.inner);
        let caller = caller.clone();
        let written = self
            .inner
            .backend
            .transact(
                ids,
                Box::new(move |records| {
                    let now = inner.clock.now();
                    let mut records = records.into_iter();
                    let private = locked(records.next().flatten(), &caller, operation, now)?;
                    if public_half(&private) != public {
                        return Err(StoreError::Conflict);
                    }
                    let mut objects = vec![private];
                    if public.is_some() {
                        let public = locked(records.next().flatten(), &caller, operation, now)?;
                        if public.object_type != ObjectType::PUBLIC_KEY {
                            return Err(StoreError::InvalidField(
                                "the Public Key Link does not name a public key".into(),
                            ));
                        }
                        let state = public.state();
                        let destroyed =
                            matches!(state, State::DESTROYED | State::DESTROYED_COMPROMISED);
                        match destroyed_public {
                            _ if !destroyed => objects.push(public),
                            DestroyedPublic::Apply => objects.push(public),
                            DestroyedPublic::Leave => {}
                            DestroyedPublic::Refuse(operation) => {
                                return Err(StoreError::WrongState { operation, state });
                            }
                        }
                    }
                    let mut updated = Vec::with_capacity(objects.len());
                    for object in &mut objects {
                        f(object, now)?;
                        object
                            .attributes
                            .set_server(AttributeValue::LastChangeDate(DateTime(now)));
                        let record = object.to_record()?;
                        object.revision = record.revision;
                        updated.push(record);
                    }
                    Ok((
                        objects,
                        Changes {
                            updated,
                            inserted: Vec::new(),
                        },
                    ))
                }),
            )
            .await?;
        for object in written {
            self.remember(object);
        }
        Ok(())
    }
}

/// What a pair step does with a public half that is already Destroyed or Destroyed
/// Compromised (a KMIP client destroyed it alone).
#[derive(Clone, Copy, Debug)]
enum DestroyedPublic {
    /// Apply the step to it as well (its own checks still apply).
    Apply,
    /// Leave it as is: the step acts on the private key alone.
    Leave,
    /// Refuse the whole step (`WrongState` with this operation and the public key's
    /// state).
    Refuse(&'static str),
}

/// The public key a private key's Public Key Link names (`None` for any other object,
/// or a link to itself).
fn public_half(object: &ManagedObject) -> Option<ObjectId> {
    if object.object_type != ObjectType::PRIVATE_KEY {
        return None;
    }
    object
        .attributes
        .find(|v| match v {
            AttributeValue::Link(l) if l.link_type == LinkType::PUBLIC_KEY_LINK => l
                .linked_object_identifier
                .as_text()
                .and_then(ObjectId::parse),
            _ => None,
        })
        .filter(|public| *public != object.id)
}

//! Key pairs as one unit: a private key and the public key its Public Key Link names
//! share a lifecycle and a name (the OVHcloud REST API's service keys). Each operation
//! applies the same step as its single-object form (`lifecycle_ops`, the one state
//! machine) to both halves, authorized on both, in one backend transaction: when either
//! half refuses, neither changes.

use std::sync::Arc;

use kmip_types::{Attribute, AttributeValue, DateTime, LinkType, Name, ObjectType};

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
        self.update_pair(caller, id, Operation::Manage, move |object, now| {
            lifecycle_ops::activate(object, now, rules)
        })
        .await
    }

    /// [`Store::revoke`] on `id` and its linked public key, in one transaction (see
    /// [`Store::activate_pair`]).
    pub async fn revoke_pair(
        &self,
        caller: &Identity,
        id: &ObjectId,
        request: RevokeRequest,
        rules: Rules,
    ) -> Result<()> {
        self.update_pair(caller, id, Operation::Manage, move |object, now| {
            lifecycle_ops::revoke(object, &request, now, rules)
        })
        .await
    }

    /// [`Store::destroy`] on `id` and its linked public key, in one transaction (see
    /// [`Store::activate_pair`]): a pair whose public half is still Active is refused
    /// whole.
    pub async fn destroy_pair(&self, caller: &Identity, id: &ObjectId, rules: Rules) -> Result<()> {
        self.update_pair(caller, id, Operation::Manage, move |object, now| {
            lifecycle_ops::destroy(object, now, rules)
        })
        .await
    }

    /// Sets the Name at index 0 to `name` on `id` and its linked public key, in one
    /// transaction (see [`Store::activate_pair`]): modified on a half that has a Name,
    /// added to one that has none. The same checks as Modify and Add Attribute.
    pub async fn rename_pair(&self, caller: &Identity, id: &ObjectId, name: String) -> Result<()> {
        let value = AttributeValue::Name(Name::text(name));
        check_client_value(&value)?;
        self.update_pair(caller, id, Operation::Modify, move |object, _| {
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
        })
        .await
    }

    /// Runs `f` on `id` and, when `id` is a private key with a Public Key Link, on the
    /// public key it names: both locked and authorized for `operation` in one
    /// transaction, both committed (with a new Last Change Date) or neither.
    async fn update_pair<F>(
        &self,
        caller: &Identity,
        id: &ObjectId,
        operation: Operation,
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
                        objects.push(public);
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

//! Activate, Revoke, Destroy, Archive, Recover: the explicit transitions, each through
//! [`crate::lifecycle::transition`] inside one transaction. The transitions on a locked
//! object are functions of their own, so a key pair's halves (`pair_ops`) go through
//! the very same steps.

use kmip_types::{AttributeValue, DateTime, RevocationReason, RevocationReasonCode, State};

use super::Store;
use super::object::ManagedObject;
use crate::access::Operation;
use crate::backend::Backend;
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::lifecycle::{self, Event, Rules};

/// A Revoke: the reason, and for a compromise when it happened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevokeRequest {
    /// Revocation Reason.
    pub reason: RevocationReason,
    /// Compromise Occurrence Date (compromise reasons only; now when absent).
    pub compromise_occurrence_date: Option<i64>,
}

impl RevokeRequest {
    /// A revocation for `code` without a message.
    pub fn new(code: RevocationReasonCode) -> RevokeRequest {
        RevokeRequest {
            reason: RevocationReason {
                revocation_reason_code: code,
                revocation_message: None,
            },
            compromise_occurrence_date: None,
        }
    }

    pub(super) fn is_compromise(&self) -> bool {
        matches!(
            self.reason.revocation_reason_code,
            RevocationReasonCode::KEY_COMPROMISE | RevocationReasonCode::CA_COMPROMISE
        )
    }
}

pub(super) fn not_archived(object: &ManagedObject) -> Result<()> {
    if object.archived {
        Err(StoreError::Archived)
    } else {
        Ok(())
    }
}

fn remove(object: &mut ManagedObject, name: &str) {
    object.attributes.remove_all(name);
}

/// Activate on a locked object (see [`Store::activate`]).
pub(super) fn activate(object: &mut ManagedObject, now: i64, rules: Rules) -> Result<()> {
    not_archived(object)?;
    let from = object.state();
    let to = lifecycle::transition(from, Event::Activate, rules)?;
    if from != to {
        if from != State::PRE_ACTIVE {
            for name in [
                "Deactivation Date",
                "Compromise Date",
                "Compromise Occurrence Date",
                "Revocation Reason",
            ] {
                remove(object, name);
            }
        }
        object
            .attributes
            .set_server(AttributeValue::ActivationDate(DateTime(now)));
        object.attributes.set_server(AttributeValue::State(to));
    }
    Ok(())
}

/// Revoke on a locked object (see [`Store::revoke`]).
pub(super) fn revoke(
    object: &mut ManagedObject,
    request: &RevokeRequest,
    now: i64,
    rules: Rules,
) -> Result<()> {
    not_archived(object)?;
    let compromise = request.is_compromise();
    let from = object.state();
    let to = lifecycle::transition(from, Event::Revoke { compromise }, rules)?;
    if from == to && !compromise {
        return Ok(());
    }
    object
        .attributes
        .set_server(AttributeValue::RevocationReason(request.reason.clone()));
    if compromise {
        if from != to {
            object
                .attributes
                .set_server(AttributeValue::CompromiseDate(DateTime(now)));
        }
        let occurred = request.compromise_occurrence_date.unwrap_or(now);
        object
            .attributes
            .set_server(AttributeValue::CompromiseOccurrenceDate(DateTime(occurred)));
    } else {
        let due = object.date(|v| match v {
            AttributeValue::DeactivationDate(d) => Some(*d),
            _ => None,
        });
        if due.is_none_or(|d| d > now) {
            object
                .attributes
                .set_server(AttributeValue::DeactivationDate(DateTime(now)));
        }
    }
    object.attributes.set_server(AttributeValue::State(to));
    Ok(())
}

/// Destroy on a locked object (see [`Store::destroy`]).
pub(super) fn destroy(object: &mut ManagedObject, now: i64, rules: Rules) -> Result<()> {
    not_archived(object)?;
    let to = lifecycle::transition(object.state(), Event::Destroy, rules)?;
    object.material = None;
    object.attributes.set_server(AttributeValue::State(to));
    object
        .attributes
        .set_server(AttributeValue::DestroyDate(DateTime(now)));
    Ok(())
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Activate: Pre-Active → Active, Activation Date set to now. With [`Rules::REST`]
    /// an Active key stays Active and a Deactivated or Compromised one becomes Active
    /// again (its Deactivation and Compromise dates and Revocation Reason removed).
    pub async fn activate(&self, caller: &Identity, id: &ObjectId, rules: Rules) -> Result<()> {
        self.update(
            caller,
            id,
            Operation::Manage,
            true,
            move |object, _, now| activate(object, now, rules),
        )
        .await
    }

    /// Revoke: a compromise reason makes the object Compromised (or Destroyed
    /// Compromised), any other makes an Active object Deactivated.
    pub async fn revoke(
        &self,
        caller: &Identity,
        id: &ObjectId,
        request: RevokeRequest,
        rules: Rules,
    ) -> Result<()> {
        self.update(
            caller,
            id,
            Operation::Manage,
            true,
            move |object, _, now| revoke(object, &request, now, rules),
        )
        .await
    }

    /// Destroy: the material is erased from the live store, the metadata stays with
    /// State Destroyed (or Destroyed Compromised) and a Destroy Date. An Active object
    /// cannot be destroyed (revoke it first).
    pub async fn destroy(&self, caller: &Identity, id: &ObjectId, rules: Rules) -> Result<()> {
        self.update(
            caller,
            id,
            Operation::Manage,
            true,
            move |object, _, now| destroy(object, now, rules),
        )
        .await
    }

    /// Archive: the object leaves live storage (Locate skips it by default; every
    /// operation but Recover and reading attributes answers Object Archived).
    pub async fn archive(&self, caller: &Identity, id: &ObjectId) -> Result<()> {
        self.update(
            caller,
            id,
            Operation::Manage,
            true,
            move |object, _, now| {
                not_archived(object)?;
                object.archived = true;
                object
                    .attributes
                    .set_server(AttributeValue::ArchiveDate(DateTime(now)));
                Ok(())
            },
        )
        .await
    }

    /// Recover: back from archive. Recovering an object that is not archived succeeds
    /// and changes nothing.
    pub async fn recover(&self, caller: &Identity, id: &ObjectId) -> Result<()> {
        self.update(caller, id, Operation::Manage, true, move |object, _, _| {
            object.archived = false;
            remove(object, "Archive Date");
            Ok(())
        })
        .await
    }
}

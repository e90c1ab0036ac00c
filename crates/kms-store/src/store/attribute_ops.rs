//! Reading and changing attributes; grants; leases and usage allocations.

use kmip_ttlv::{Tag, Ttlv, Value};
use kmip_types::attributes::UsageLimits;
use kmip_types::{Attribute, AttributeValue, CryptographicUsageMask, DateTime, Interval, State};

use super::lifecycle_ops::not_archived;
use super::{Store, StoreConfig};
use crate::access::{self, GRANT_ATTRIBUTE, Operation};
use crate::backend::Backend;
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};

/// Which attributes Get Attributes returns.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributeSelector {
    /// Attribute names; empty means all.
    pub names: Vec<String>,
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Get Attributes: every instance of the named attributes (all when none named).
    /// Names the object lacks are skipped; a name given twice is refused. Works on
    /// destroyed and archived objects (their metadata stays).
    pub async fn get_attributes(
        &self,
        caller: &Identity,
        id: &ObjectId,
        selector: &AttributeSelector,
    ) -> Result<Vec<Attribute>> {
        let names = &selector.names;
        let repeated = names
            .iter()
            .enumerate()
            .find_map(|(i, name)| names.iter().take(i).any(|n| n == name).then_some(name));
        if let Some(name) = repeated {
            return Err(StoreError::RepeatedAttributeName(name.clone()));
        }
        let object = self.load(caller, id, Operation::Read).await?;
        let pick = |a: &&Attribute| selector.names.is_empty() || selector.names.contains(&a.name());
        Ok(object.attributes.iter().filter(pick).cloned().collect())
    }

    /// Get Attribute List: the names of the attributes the object has.
    pub async fn get_attribute_list(
        &self,
        caller: &Identity,
        id: &ObjectId,
    ) -> Result<Vec<String>> {
        let object = self.load(caller, id, Operation::Read).await?;
        Ok(object.attributes.names())
    }

    /// Add Attribute: a new instance (single-instance attributes only when absent).
    pub async fn add_attribute(
        &self,
        caller: &Identity,
        id: &ObjectId,
        attribute: Attribute,
    ) -> Result<Attribute> {
        check_client_value(&attribute.value)?;
        self.update(caller, id, Operation::Modify, true, move |object, _, _| {
            not_archived(object)?;
            object.attributes.add_client(attribute)
        })
        .await
    }

    /// Modify Attribute: replaces the instance at the attribute's index.
    pub async fn modify_attribute(
        &self,
        caller: &Identity,
        id: &ObjectId,
        attribute: Attribute,
    ) -> Result<Attribute> {
        check_client_value(&attribute.value)?;
        self.update(caller, id, Operation::Modify, true, move |object, _, _| {
            not_archived(object)?;
            let state = object.state();
            object.attributes.modify_client(attribute, state)
        })
        .await
    }

    /// Delete Attribute: removes the instance of `name` at `index`.
    pub async fn delete_attribute(
        &self,
        caller: &Identity,
        id: &ObjectId,
        name: String,
        index: Option<i32>,
    ) -> Result<Attribute> {
        self.update(caller, id, Operation::Modify, true, move |object, _, _| {
            not_archived(object)?;
            object.attributes.delete_client(&name, index)
        })
        .await
    }

    /// Lets `grantee` do `operation` on the caller's object `id`. Only the owner grants.
    pub async fn grant(
        &self,
        caller: &Identity,
        id: &ObjectId,
        grantee: &Identity,
        operation: Operation,
    ) -> Result<()> {
        let value = access::grant_value(grantee, operation);
        let owner_only = caller.clone();
        self.update(caller, id, Operation::Manage, false, move |object, _, _| {
            if object.owner != owner_only {
                return Err(StoreError::PermissionDenied("only the owner grants"));
            }
            let exists = object
                .attributes
                .iter()
                .any(|a| grant_text(&a.value) == Some(&value));
            if !exists {
                object.attributes.set_server(AttributeValue::Custom {
                    name: GRANT_ATTRIBUTE.to_owned(),
                    value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::TextString(value)),
                });
            }
            Ok(())
        })
        .await
    }

    /// Obtain Lease: the Lease Time the caller may use the object for without asking
    /// again, and the Last Change Date. Only for Active objects.
    pub async fn obtain_lease(&self, caller: &Identity, id: &ObjectId) -> Result<(u32, i64)> {
        let lease = lease_time(&self.inner.config);
        self.update(caller, id, Operation::Use, false, move |object, _, _| {
            not_archived(object)?;
            if object.state() != State::ACTIVE {
                return Err(StoreError::WrongState {
                    operation: "Obtain Lease",
                    state: object.state(),
                });
            }
            object
                .attributes
                .set_server(AttributeValue::LeaseTime(lease));
            let last_change = object
                .date(|v| match v {
                    AttributeValue::LastChangeDate(d) => Some(*d),
                    _ => None,
                })
                .unwrap_or(0);
            Ok((lease.0, last_change))
        })
        .await
    }

    /// Get Usage Allocation: reserves `count` units of the object's Usage Limits (the
    /// count left goes down durably before the answer). An object without Usage Limits
    /// has no limit.
    pub async fn get_usage_allocation(
        &self,
        caller: &Identity,
        id: &ObjectId,
        count: i64,
    ) -> Result<()> {
        if count <= 0 {
            return Err(StoreError::InvalidField(
                "Usage Limits Count must be positive".into(),
            ));
        }
        self.update(caller, id, Operation::Use, false, move |object, _, _| {
            not_archived(object)?;
            let state = object.state();
            if state != State::ACTIVE && state != State::PRE_ACTIVE {
                return Err(StoreError::WrongState {
                    operation: "Get Usage Allocation",
                    state,
                });
            }
            consume_usage(object, count)
        })
        .await
    }
}

/// What a Check (KMIP 1.4 §4.10) asks of an object: each field is a use the client
/// intends; absent fields are not checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CheckRequest {
    /// Units of the object's Usage Limits the client will need.
    pub usage_limits_count: Option<i64>,
    /// Operations the client will do with the object.
    pub cryptographic_usage_mask: Option<CryptographicUsageMask>,
    /// How long, in seconds, the client wants to use the object.
    pub lease_time: Option<u32>,
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// Check: the fields of `request` that the object or the server's policy refuses
    /// (the request is allowed when the answer is all `None`). Nothing is reserved or
    /// changed. A count beyond the Usage Limits left, a usage mask the object's
    /// Cryptographic Usage Mask does not cover (or an object without one), a lease longer
    /// than Obtain Lease grants are refused; an archived object is
    /// [`StoreError::Archived`], a destroyed one [`StoreError::Destroyed`].
    pub async fn check(
        &self,
        caller: &Identity,
        id: &ObjectId,
        request: &CheckRequest,
    ) -> Result<CheckRequest> {
        let object = self.load(caller, id, Operation::Use).await?;
        not_archived(&object)?;
        if matches!(
            object.state(),
            State::DESTROYED | State::DESTROYED_COMPROMISED
        ) {
            return Err(StoreError::Destroyed);
        }
        let limits = object.attributes.find(|v| match v {
            AttributeValue::UsageLimits(l) => Some(l.clone()),
            _ => None,
        });
        let mask = object.attributes.find(|v| match v {
            AttributeValue::CryptographicUsageMask(m) => Some(*m),
            _ => None,
        });
        let lease = lease_time(&self.inner.config).0;
        Ok(CheckRequest {
            usage_limits_count: request.usage_limits_count.filter(|count| {
                limits
                    .as_ref()
                    .is_some_and(|l| *count > l.usage_limits_count.unwrap_or(l.usage_limits_total))
            }),
            cryptographic_usage_mask: request
                .cryptographic_usage_mask
                .filter(|asked| !mask.is_some_and(|m| m.contains(*asked))),
            lease_time: request.lease_time.filter(|asked| *asked > lease),
        })
    }
}

/// The Lease Time the server grants (KMIP 1.4 §3.20): every new cryptographic object
/// starts with it and Obtain Lease renews it. One setting, [`StoreConfig::lease_seconds`].
pub(super) fn lease_time(config: &StoreConfig) -> Interval {
    Interval(config.lease_seconds)
}

/// Takes `count` units from the object's Usage Limits, if it has any.
pub(super) fn consume_usage(object: &mut super::ManagedObject, count: i64) -> Result<()> {
    let Some(limits) = object.attributes.find(|v| match v {
        AttributeValue::UsageLimits(l) => Some(l.clone()),
        _ => None,
    }) else {
        return Ok(());
    };
    let left = limits
        .usage_limits_count
        .unwrap_or(limits.usage_limits_total);
    if count > left {
        return Err(StoreError::UsageLimitExceeded);
    }
    object
        .attributes
        .set_server(AttributeValue::UsageLimits(UsageLimits {
            usage_limits_count: Some(left - count),
            ..limits
        }));
    Ok(())
}

fn grant_text(value: &AttributeValue) -> Option<&String> {
    match value {
        AttributeValue::Custom { name, value } if name == GRANT_ATTRIBUTE => match &value.value {
            Value::TextString(s) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Value checks that do not depend on the object: bounded text, sane dates.
pub(super) fn check_client_value(value: &AttributeValue) -> Result<()> {
    const MAX_TEXT: usize = 4096;
    let too_long = |what: &str| {
        Err(StoreError::InvalidField(format!(
            "{what} longer than {MAX_TEXT} bytes"
        )))
    };
    match value {
        AttributeValue::Name(n) if n.name_value.len() > MAX_TEXT => too_long("Name"),
        AttributeValue::ObjectGroup(g) if g.len() > MAX_TEXT => too_long("Object Group"),
        AttributeValue::Description(t)
        | AttributeValue::Comment(t)
        | AttributeValue::ContactInformation(t)
            if t.len() > MAX_TEXT =>
        {
            too_long("text attribute")
        }
        AttributeValue::ActivationDate(DateTime(d))
        | AttributeValue::DeactivationDate(DateTime(d))
        | AttributeValue::ProcessStartDate(DateTime(d))
        | AttributeValue::ProtectStopDate(DateTime(d))
            if *d < 0 =>
        {
            Err(StoreError::InvalidField("a date before 1970".into()))
        }
        AttributeValue::UsageLimits(l) if l.usage_limits_total <= 0 => Err(
            StoreError::InvalidField("Usage Limits Total must be positive".into()),
        ),
        _ => Ok(()),
    }
}

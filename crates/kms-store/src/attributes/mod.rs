//! An object's attributes: the set, the client's rights over each attribute
//! ([`policy`]), how the set is stored ([`storage`]) and which values Locate finds
//! through an index.
//!
//! Every instance carries its Attribute Index. Indexes start at 0 per attribute name and
//! never change when other instances come or go (KMIP 1.4 §2.1.1); a new instance takes
//! one more than the highest index in use.

pub mod policy;
mod storage;

pub use policy::{Modify, Rule};
pub use storage::{decode, encode};

use kmip_types::{Attribute, AttributeValue, State};

use crate::error::{Result, StoreError};

/// The most instances of one attribute an object may carry, and the most attributes in
/// all: bounds on what a client can make the server store.
pub const MAX_INSTANCES: usize = 64;
/// See [`MAX_INSTANCES`].
pub const MAX_ATTRIBUTES: usize = 512;

/// The attributes of one object.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AttributeSet {
    items: Vec<Attribute>,
}

impl AttributeSet {
    /// An empty set.
    pub fn new() -> AttributeSet {
        AttributeSet::default()
    }

    /// Every instance, in insertion order, each with its index.
    pub fn iter(&self) -> impl Iterator<Item = &Attribute> {
        self.items.iter()
    }

    /// Number of instances.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Every instance of the attribute called `name`.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Attribute> + 'a {
        self.items.iter().filter(move |a| same_name(a, name))
    }

    /// The first value matching `pick` (e.g. `|v| match v { AttributeValue::State(s) =>
    /// Some(*s), _ => None }`).
    pub fn find<T>(&self, pick: impl Fn(&AttributeValue) -> Option<T>) -> Option<T> {
        self.items.iter().find_map(|a| pick(&a.value))
    }

    /// Every value matching `pick`.
    pub fn find_all<'a, T: 'a>(
        &'a self,
        pick: impl Fn(&'a AttributeValue) -> Option<T> + 'a,
    ) -> impl Iterator<Item = T> + 'a {
        self.items.iter().filter_map(move |a| pick(&a.value))
    }

    /// The distinct attribute names present, in first-seen order.
    pub fn names(&self) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for a in &self.items {
            let n = a.name();
            if !names.contains(&n) {
                names.push(n);
            }
        }
        names
    }

    /// Sets a single-instance attribute on behalf of the server (replacing any value), or
    /// appends an instance of a multi-instance one.
    pub fn set_server(&mut self, value: AttributeValue) {
        let name = value.name();
        if policy::rule(&value).multiple {
            let index = self.next_index(&name);
            self.items.push(Attribute {
                index: Some(index),
                value,
            });
        } else if let Some(existing) = self.items.iter_mut().find(|a| same_name(a, &name)) {
            existing.value = value;
        } else {
            self.items.push(Attribute {
                index: Some(0),
                value,
            });
        }
    }

    /// Removes every instance of `name` (server side: Destroy removing nothing of the
    /// sort, Re-key moving names).
    pub fn remove_all(&mut self, name: &str) -> Vec<Attribute> {
        let (gone, kept) = std::mem::take(&mut self.items)
            .into_iter()
            .partition(|a| same_name(a, name));
        self.items = kept;
        gone
    }

    /// Adds attributes a client supplied (at Create or Register, or through Add
    /// Attribute): each must be one a client may set, a single-instance attribute may
    /// appear once, and the bounds hold. Indexes the client gave are ignored; each
    /// instance gets the next free one.
    pub fn add_client(&mut self, attribute: Attribute) -> Result<Attribute> {
        let rule = policy::rule(&attribute.value);
        let name = attribute.name();
        if !rule.client_sets {
            return Err(StoreError::ReadOnlyAttribute(name));
        }
        let count = self.all(&name).count();
        if count > 0 && !rule.multiple {
            return Err(StoreError::InvalidField(format!(
                "{name} is single-instance and already set"
            )));
        }
        if count >= MAX_INSTANCES || self.items.len() >= MAX_ATTRIBUTES {
            return Err(StoreError::InvalidField(format!(
                "too many attributes (at most {MAX_INSTANCES} instances of one, {MAX_ATTRIBUTES} in all)"
            )));
        }
        let index = self.next_index(&name);
        let stored = Attribute {
            index: Some(index),
            value: counting_from_total(attribute.value),
        };
        self.items.push(stored.clone());
        Ok(stored)
    }

    /// Modify Attribute from a client, for an object in `state` (effective): replaces
    /// the instance at the given index (0 when absent). Returns the new instance.
    pub fn modify_client(&mut self, attribute: Attribute, state: State) -> Result<Attribute> {
        let rule = policy::rule(&attribute.value);
        let name = attribute.name();
        let index = attribute.index.unwrap_or(0);
        let allowed = match rule.modify {
            Modify::Never => false,
            Modify::Always | Modify::OneWay => true,
            Modify::WhilePreActive => state == State::PRE_ACTIVE,
            Modify::BeforeDeactivation => state == State::PRE_ACTIVE || state == State::ACTIVE,
        };
        if !allowed {
            return Err(match rule.modify {
                Modify::Never => StoreError::ReadOnlyAttribute(name),
                _ => StoreError::WrongState {
                    operation: "Modify Attribute",
                    state,
                },
            });
        }
        let existing = self
            .items
            .iter_mut()
            .find(|a| same_name(a, &name) && a.index.unwrap_or(0) == index)
            .ok_or_else(|| StoreError::IndexOutOfBounds {
                name: name.clone(),
                index,
            })?;
        if rule.modify == Modify::OneWay && !one_way_ok(&existing.value, &attribute.value) {
            return Err(StoreError::ReadOnlyAttribute(format!(
                "{name} (may only become safer)"
            )));
        }
        existing.value = attribute.value;
        Ok(existing.clone())
    }

    /// Delete Attribute from a client: removes the instance of `name` at `index` (0 when
    /// absent) and returns it.
    pub fn delete_client(&mut self, name: &str, index: Option<i32>) -> Result<Attribute> {
        let index = index.unwrap_or(0);
        let position = self
            .items
            .iter()
            .position(|a| same_name(a, name) && a.index.unwrap_or(0) == index);
        let Some(position) = position else {
            return Err(if self.all(name).next().is_some() {
                StoreError::IndexOutOfBounds {
                    name: name.to_owned(),
                    index,
                }
            } else {
                StoreError::AttributeNotFound(name.to_owned())
            });
        };
        let rule = self
            .items
            .get(position)
            .map(|a| policy::rule(&a.value))
            .ok_or_else(|| StoreError::AttributeNotFound(name.to_owned()))?;
        if !rule.client_deletes {
            return Err(StoreError::ReadOnlyAttribute(name.to_owned()));
        }
        Ok(self.items.remove(position))
    }

    fn next_index(&self, name: &str) -> i32 {
        self.all(name)
            .filter_map(|a| a.index)
            .max()
            .map_or(0, |m| m.saturating_add(1))
    }
}

/// Usage Limits set by a client count down from the Total: the server sets Usage Limits
/// Count to the Total when the attribute is first set (KMIP 1.4 §3.21; the OASIS test
/// case 5.1 reads it back so).
fn counting_from_total(value: AttributeValue) -> AttributeValue {
    match value {
        AttributeValue::UsageLimits(mut limits) => {
            limits.usage_limits_count = limits
                .usage_limits_count
                .or(Some(limits.usage_limits_total));
            AttributeValue::UsageLimits(limits)
        }
        other => other,
    }
}

fn same_name(a: &Attribute, name: &str) -> bool {
    match &a.value {
        AttributeValue::Custom { name: n, .. } => n == name,
        AttributeValue::Vendor { .. } | AttributeValue::Extension(_) => a.name() == name,
        other => other
            .tag()
            .and_then(|t| t.name())
            .is_some_and(|n| n == name),
    }
}

fn one_way_ok(old: &AttributeValue, new: &AttributeValue) -> bool {
    match (old, new) {
        (AttributeValue::Sensitive(o), AttributeValue::Sensitive(n)) => *n || !*o,
        (AttributeValue::Extractable(o), AttributeValue::Extractable(n)) => !*n || *o,
        _ => false,
    }
}

#[cfg(test)]
mod tests;

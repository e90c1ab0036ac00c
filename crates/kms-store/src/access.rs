//! Who may do what to an object: the one place the authorization decision is made.
//!
//! The owner (the identity that created or registered the object) may do everything.
//! Another identity may do an operation only if the owner granted it that operation;
//! without any grant the object does not exist for it ([`StoreError::NotFound`], the
//! same answer as for an unknown identifier: no existence oracle). With a grant for
//! another operation it sees [`StoreError::PermissionDenied`].
//!
//! Grants are kept as the server-owned custom attribute `y-kms-grant`, one instance per
//! (identity, operation), written `operation:identity`.

use kmip_types::AttributeValue;

use crate::attributes::AttributeSet;
use crate::error::{Result, StoreError};
use crate::ids::Identity;

/// The name of the grant attribute.
pub const GRANT_ATTRIBUTE: &str = "y-kms-grant";

/// An operation on an existing object, as far as authorization is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Get (the key material).
    Get,
    /// Get Attributes, Get Attribute List, Locate.
    Read,
    /// Add, Modify, Delete Attribute.
    Modify,
    /// Activate, Revoke, Destroy, Archive, Recover, Re-key.
    Manage,
    /// Encrypt, Decrypt, Sign, Verify, MAC, wrapping; Obtain Lease, Get Usage Allocation.
    Use,
}

impl Operation {
    /// The name used in grants.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Get => "get",
            Operation::Read => "read",
            Operation::Modify => "modify",
            Operation::Manage => "manage",
            Operation::Use => "use",
        }
    }

    /// Parses a grant's operation name.
    pub fn parse(text: &str) -> Option<Operation> {
        [
            Operation::Get,
            Operation::Read,
            Operation::Modify,
            Operation::Manage,
            Operation::Use,
        ]
        .into_iter()
        .find(|o| o.as_str() == text)
    }
}

/// The grant attribute's value for (`identity`, `operation`).
pub fn grant_value(identity: &Identity, operation: Operation) -> String {
    format!("{}:{}", operation.as_str(), identity.as_str())
}

/// Decides whether `caller` may do `operation` on an object owned by `owner` with these
/// attributes.
pub fn authorize(
    caller: &Identity,
    owner: &Identity,
    attributes: &AttributeSet,
    operation: Operation,
) -> Result<()> {
    if caller == owner {
        return Ok(());
    }
    let mut any = false;
    for grant in grants(attributes) {
        if let Some((op, who)) = grant.split_once(':')
            && who == caller.as_str()
        {
            if Operation::parse(op) == Some(operation) {
                return Ok(());
            }
            any = true;
        }
    }
    if any {
        Err(StoreError::PermissionDenied("no grant for this operation"))
    } else {
        Err(StoreError::NotFound)
    }
}

fn grants(attributes: &AttributeSet) -> impl Iterator<Item = &str> {
    attributes.find_all(|v| match v {
        AttributeValue::Custom { name, value } if name == GRANT_ATTRIBUTE => match &value.value {
            kmip_ttlv::Value::TextString(s) => Some(s.as_str()),
            _ => None,
        },
        _ => None,
    })
}

//! Identifiers: of managed objects and of the clients that own them.

use std::fmt;

/// The Unique Identifier of a managed object: a UUID (version 4) in its hyphenated
/// lower-case text form, as both KMIP and the REST API show it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ObjectId(String);

impl ObjectId {
    /// A fresh random identifier.
    pub fn generate() -> ObjectId {
        ObjectId(uuid::Uuid::new_v4().hyphenated().to_string())
    }

    /// An identifier as a client or the database gave it. Any text is accepted (objects
    /// are looked up by it, and an unknown one is simply not found); its length is
    /// bounded so that a hostile identifier cannot grow a query.
    pub fn parse(text: &str) -> Option<ObjectId> {
        if text.is_empty() || text.len() > Self::MAX_LEN {
            return None;
        }
        Some(ObjectId(text.to_owned()))
    }

    /// The longest identifier accepted.
    pub const MAX_LEN: usize = 128;

    /// The text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An authenticated client identity (from its certificate), the owner of the objects it
/// creates. Owners are compared exactly.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Identity(String);

impl Identity {
    /// An identity; `None` for an empty or over-long text.
    pub fn new(text: &str) -> Option<Identity> {
        if text.is_empty() || text.len() > Self::MAX_LEN {
            return None;
        }
        Some(Identity(text.to_owned()))
    }

    /// The longest identity accepted.
    pub const MAX_LEN: usize = 512;

    /// The text form.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Identity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

//! [`ObjectRecord`]: a managed object as a backend stores it. Backends persist records
//! and answer indexed queries; they know nothing of attributes, lifecycle rules or
//! crypto. The store layer builds records from objects and reads them back.

use kmip_types::{ObjectType, State};

use crate::ids::{Identity, ObjectId};

/// One stored managed object.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectRecord {
    /// Unique Identifier (primary key).
    pub id: ObjectId,
    /// Position in creation order, assigned by the backend when the record is first
    /// inserted (0 before); the order of Locate results and the REST continuation token.
    pub seq: i64,
    /// The identity that created or registered it. Never changes.
    pub owner: Identity,
    /// Object Type.
    pub object_type: ObjectType,
    /// State as last written. The state at a given time can differ when an Activation
    /// or Deactivation Date has passed since: see [`crate::lifecycle`].
    pub state: State,
    /// Activation Date, seconds since the Unix epoch.
    pub activation_date: Option<i64>,
    /// Deactivation Date, seconds since the Unix epoch.
    pub deactivation_date: Option<i64>,
    /// Archived (Storage Status Mask: archived storage) until recovered.
    pub archived: bool,
    /// Initial Date, seconds since the Unix epoch.
    pub created: i64,
    /// Last Change Date, seconds since the Unix epoch.
    pub last_change: i64,
    /// Incremented by every committed change; the store uses it to keep its cache
    /// monotonic, backends to detect a lost update.
    pub revision: i64,
    /// Searchable (key, value) pairs: names, object groups, custom attributes, ...
    /// Locate matches them by equality through an index.
    pub index: Vec<IndexEntry>,
    /// The object's attributes in the store's encoding (not secret).
    pub attributes: Vec<u8>,
    /// The object itself (key block, certificate, ...) sealed under the master key with
    /// the object id as associated data; `None` once destroyed.
    pub material: Option<Vec<u8>>,
}

/// One searchable (key, value) pair of a record.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IndexEntry {
    /// What the value is ("name", "group", "x-custom", ...).
    pub key: String,
    /// The value, in a canonical text form.
    pub value: String,
}

impl IndexEntry {
    /// A pair.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> IndexEntry {
        IndexEntry {
            key: key.into(),
            value: value.into(),
        }
    }
}

//! The store's errors. Each says which rule refused the request, in terms both
//! frontends can map (KMIP Result Reason, HTTP status) without inspecting messages.
//! Messages name attributes, states and operations, never values or key bytes.

use kmip_types::State;

/// Why an operation was refused or failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// No such object, or one the caller may not see (the two are indistinguishable to
    /// the caller on purpose: no existence oracle).
    #[error("object not found")]
    NotFound,
    /// The caller may see the object but not do this to it (a grant it lacks).
    #[error("permission denied: {0}")]
    PermissionDenied(&'static str),
    /// The object's lifecycle state does not allow the operation (KMIP 1.x: Permission
    /// Denied; KMIP 2.x: Wrong Key Lifecycle State; REST: 409 or 400).
    #[error("{operation} not allowed in state {}", state_name(*.state))]
    WrongState {
        /// The operation refused.
        operation: &'static str,
        /// The state the object is in.
        state: State,
    },
    /// The object is archived; Recover it first.
    #[error("object archived")]
    Archived,
    /// An object with the identifier the caller chose already exists.
    #[error("an object with this identifier already exists")]
    AlreadyExists,
    /// A field or attribute value the operation does not accept.
    #[error("invalid field: {0}")]
    InvalidField(String),
    /// A required field or attribute is absent.
    #[error("missing data: {0}")]
    MissingData(String),
    /// The request lacks a field that its other fields make necessary: an IV/Counter/
    /// Nonce to decrypt in a mode that takes one, a tag to decrypt GCM. The message is
    /// inconsistent rather than short of an attribute (KMIP: Invalid Message, as the OASIS
    /// CS-BC-M-11..13 cases expect for a CBC Decrypt without an IV; REST: 400).
    #[error("incomplete request: {0}")]
    IncompleteRequest(String),
    /// A request names the same attribute twice where each name selects something (Get
    /// Attributes): KMIP Invalid Message, as the OASIS test case 17.1 expects.
    #[error("attribute {0} named more than once")]
    RepeatedAttributeName(String),
    /// An attribute the client may not set, modify or delete.
    #[error("attribute {0} is read-only for clients")]
    ReadOnlyAttribute(String),
    /// The object has no attribute of that name.
    #[error("attribute {0} not found")]
    AttributeNotFound(String),
    /// An attribute index that does not exist.
    #[error("attribute {name} has no instance at index {index}")]
    IndexOutOfBounds {
        /// The attribute.
        name: String,
        /// The index asked for.
        index: i32,
    },
    /// An algorithm, length, format or option the store does not offer.
    #[error("not supported: {0}")]
    NotSupported(String),
    /// The key format asked for cannot express this key.
    #[error("key format type not supported: {0}")]
    KeyFormatNotSupported(String),
    /// The key's usage mask does not include the operation.
    #[error("the key's usage mask does not allow {0}")]
    UsageNotAllowed(&'static str),
    /// Usage Limits exhausted.
    #[error("usage limits exhausted")]
    UsageLimitExceeded,
    /// The object was destroyed: its metadata remains, its material is gone (KMIP:
    /// Item Not Found for Get, as the OASIS test cases expect; REST: 404).
    #[error("object destroyed")]
    Destroyed,
    /// The object has no key material (registered without a value).
    #[error("key value not present")]
    KeyValueNotPresent,
    /// Export refused: the key is Sensitive.
    #[error("the key is sensitive")]
    Sensitive,
    /// Export refused: the key is not Extractable.
    #[error("the key is not extractable")]
    NotExtractable,
    /// A cryptographic operation failed (bad tag, bad signature input, ...). Opaque.
    #[error("cryptographic failure")]
    CryptoFailure,
    /// A concurrent writer changed the object first (a lost-update guard fired); the
    /// operation had no effect and may be retried.
    #[error("concurrent modification")]
    Conflict,
    /// A stored record failed its integrity check (tampered or corrupted). The object
    /// is never served.
    #[error("stored object {0} is corrupt")]
    Corrupt(String),
    /// The database failed. The message names the failing step, not data.
    #[error("storage backend: {0}")]
    Backend(String),
    /// The master key could not be loaded or created.
    #[error("master key: {0}")]
    MasterKey(String),
}

fn state_name(state: State) -> &'static str {
    state.info().map(|i| i.name).unwrap_or("unknown")
}

/// Shorthand for results of this crate.
pub type Result<T> = std::result::Result<T, StoreError>;

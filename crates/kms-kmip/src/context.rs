//! What an operation knows besides its payload.

use std::sync::Arc;

use kmip_types::KmipVersion;
use kms_store::{Identity, ObjectId};

use crate::stream::Streams;

/// The per-batch-item context.
#[derive(Clone, Debug)]
pub struct OpContext {
    /// The store owner of the connection's client certificate (never a Credential from
    /// the request).
    pub owner: Identity,
    /// The protocol version of the request (answers are written in it).
    pub version: KmipVersion,
    /// The ID Placeholder: the object the last batch item created or named; an operation
    /// without a Unique Identifier uses it, and one that creates or names an object
    /// sets it (KMIP 1.4 §6.x ID Placeholder).
    pub id_placeholder: Option<ObjectId>,
    /// The server's open streams of multi-part cryptographic operations.
    pub streams: Arc<Streams>,
}

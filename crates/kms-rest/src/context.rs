//! What a handler knows about the request beyond its body.

use kms_store::Identity;
use kms_tls::ClientIdentity;

/// The request's id and the caller.
#[derive(Clone, Debug)]
pub struct RequestContext {
    /// A fresh UUID per request: in the error body, the `X-Request-Id` header and logs.
    pub request_id: String,
    /// The identity from the client certificate.
    pub client: ClientIdentity,
    /// The store owner that identity maps to.
    pub owner: Identity,
}

//! The cryptographic operations (encrypt, decrypt, datakey, datakey/decrypt, sign,
//! verify). Placeholder until the real handlers land: every one answers 501.

use std::fmt::Debug;

use http::StatusCode;
use kms_store::Store;
use kms_store::backend::Backend;

use crate::context::RequestContext;
use crate::error::{ApiError, Category};
use crate::response::Response;

fn not_implemented() -> ApiError {
    ApiError::new(
        StatusCode::NOT_IMPLEMENTED,
        Category::Internal,
        2,
        "not implemented",
    )
}

/// POST /servicekey/{keyId}/encrypt
pub(crate) async fn encrypt<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

/// POST /servicekey/{keyId}/decrypt
pub(crate) async fn decrypt<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

/// POST /servicekey/{keyId}/datakey
pub(crate) async fn datakey<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

/// POST /servicekey/{keyId}/datakey/decrypt
pub(crate) async fn datakey_decrypt<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

/// POST /servicekey/{keyId}/sign?format=raw|jws|jwt
pub(crate) async fn sign<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _query: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

/// POST /servicekey/{keyId}/verify
pub(crate) async fn verify<B: Backend + Debug>(
    _store: &Store<B>,
    _ctx: &RequestContext,
    _key_id: &str,
    _body: &[u8],
) -> Result<Response, ApiError> {
    Err(not_implemented())
}

//! The handlers, one module per group of operations, and [`dispatch`]: from a
//! [`Route`] to its handler.

pub(crate) mod crypto;
pub(crate) mod keys;

use std::fmt::Debug;

use kms_store::Store;
use kms_store::backend::Backend;

use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::Response;
use crate::router::Route;

/// Runs the operation `route` names. The caller has already checked the path's domain
/// against the certificate's and that a body is JSON.
pub(crate) async fn dispatch<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    route: &Route,
    query: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    match route {
        Route::CreateKey => keys::create(store, ctx, query, body).await,
        Route::ListKeys => keys::list(store, ctx, query).await,
        Route::GetKey(id) => keys::get(store, ctx, id, query).await,
        Route::PatchKey(id) => keys::patch(store, ctx, id, body).await,
        Route::DeleteKey(id) => keys::delete(store, ctx, id).await,
        Route::Activate(id) => keys::activate(store, ctx, id).await,
        Route::Deactivate(id) => keys::deactivate(store, ctx, id, body).await,
        Route::Encrypt(id) => crypto::encrypt(store, ctx, id, body).await,
        Route::Decrypt(id) => crypto::decrypt(store, ctx, id, body).await,
        Route::DataKey(id) => crypto::datakey(store, ctx, id, body).await,
        Route::DataKeyDecrypt(id) => crypto::datakey_decrypt(store, ctx, id, body).await,
        Route::Sign(id) => crypto::sign(store, ctx, id, query, body).await,
        Route::Verify(id) => crypto::verify(store, ctx, id, body).await,
        Route::Random => keys::random(query),
        Route::Health => keys::health(),
        Route::OpenApi => Ok(keys::openapi()),
    }
}

/// Whether the route takes a JSON request body.
pub(crate) fn takes_body(route: &Route) -> bool {
    matches!(
        route,
        Route::CreateKey
            | Route::PatchKey(_)
            | Route::Deactivate(_)
            | Route::Encrypt(_)
            | Route::Decrypt(_)
            | Route::DataKey(_)
            | Route::DataKeyDecrypt(_)
            | Route::Sign(_)
            | Route::Verify(_)
    )
}

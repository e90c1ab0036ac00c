//! Check (KMIP 1.4 §4.10): whether the caller could use an object as it intends (a
//! number of uses, some operations, a lease), without reserving anything.

use kmip_types::payloads::{CheckRequest, CheckResponse};
use kmip_types::{ResponsePayload, ResultReason};
use kms_store::Store;
use kms_store::backend::Backend;

use super::{resolve, store_error, uid};
use crate::{KmipError, OpContext};

/// Check (KMIP 1.4 §4.10): the Unique Identifier when every intended use is allowed.
/// Otherwise Operation Failed with Permission Denied (KMIP 1.4 §11.10), the message
/// naming the refused fields, and the ID Placeholder emptied so that a batch going on to
/// Get does not use the object.
pub(super) async fn check<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: CheckRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let asked = kms_store::CheckRequest {
        usage_limits_count: request.usage_limits_count,
        cryptographic_usage_mask: request.cryptographic_usage_mask,
        lease_time: request.lease_time.map(|l| l.0),
    };
    let refused = match store.check(&ctx.owner, &id, &asked).await {
        Ok(refused) => refused,
        Err(e) => {
            ctx.id_placeholder = None;
            return Err(store_error(ctx.version)(e));
        }
    };
    let fields: Vec<&str> = [
        refused.usage_limits_count.map(|_| "Usage Limits Count"),
        refused
            .cryptographic_usage_mask
            .map(|_| "Cryptographic Usage Mask"),
        refused.lease_time.map(|_| "Lease Time"),
    ]
    .into_iter()
    .flatten()
    .collect();
    if !fields.is_empty() {
        ctx.id_placeholder = None;
        return Err(KmipError::new(
            ResultReason::PERMISSION_DENIED,
            format!("the object may not be used as asked: {}", fields.join(", ")),
        ));
    }
    ctx.id_placeholder = Some(id.clone());
    Ok(ResponsePayload::Check(Box::new(CheckResponse {
        unique_identifier: uid(&id),
        usage_limits_count: None,
        cryptographic_usage_mask: None,
        lease_time: None,
    })))
}

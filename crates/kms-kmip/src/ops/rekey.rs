//! Re-key and Re-key Key Pair (KMIP 1.4 §4.4, §4.5): the store makes the replacement;
//! the ID Placeholder becomes the new key (the new private key of a pair).

use kmip_types::attributes::Attribute;
use kmip_types::payloads::{
    CreateKeyPairResponse, ReKeyKeyPairRequest, ReKeyRequest, ReKeyResponse,
};
use kmip_types::{Interval, ResponsePayload};
use kms_store::Store;
use kms_store::backend::Backend;

use super::{request_attributes, resolve, store_error, uid};
use crate::{KmipError, OpContext};

fn seconds(offset: Option<Interval>) -> Option<i64> {
    offset.map(|o| i64::from(o.0))
}

/// Re-key (KMIP 1.4 §4.4).
pub(super) async fn rekey<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: ReKeyRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let attributes =
        request_attributes(store, ctx, request.template_attribute, request.attributes).await?;
    let new_id = store
        .rekey(&ctx.owner, &id, seconds(request.offset), attributes)
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(new_id.clone());
    Ok(ResponsePayload::ReKey(Box::new(ReKeyResponse {
        unique_identifier: uid(&new_id),
        template_attribute: None,
    })))
}

/// Re-key Key Pair (KMIP 1.4 §4.5). The store takes private and public overrides only,
/// so the common attributes go to both, unless a key-specific one of the same name
/// overrides them.
pub(super) async fn rekey_key_pair<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: ReKeyKeyPairRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.private_key_unique_identifier.as_ref())?;
    let common = request_attributes(
        store,
        ctx,
        request.common_template_attribute,
        request.common_attributes,
    )
    .await?;
    let private = with_common(
        &common,
        request_attributes(
            store,
            ctx,
            request.private_key_template_attribute,
            request.private_key_attributes,
        )
        .await?,
    );
    let public = with_common(
        &common,
        request_attributes(
            store,
            ctx,
            request.public_key_template_attribute,
            request.public_key_attributes,
        )
        .await?,
    );
    let (private_id, public_id) = store
        .rekey_key_pair(&ctx.owner, &id, seconds(request.offset), private, public)
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(private_id.clone());
    Ok(ResponsePayload::ReKeyKeyPair(Box::new(
        CreateKeyPairResponse {
            private_key_unique_identifier: uid(&private_id),
            public_key_unique_identifier: uid(&public_id),
            private_key_template_attribute: None,
            public_key_template_attribute: None,
        },
    )))
}

/// `specific` preceded by the common attributes it does not name.
fn with_common(common: &[Attribute], specific: Vec<Attribute>) -> Vec<Attribute> {
    let mut out: Vec<Attribute> = common
        .iter()
        .filter(|c| !specific.iter().any(|s| s.name() == c.name()))
        .cloned()
        .collect();
    out.extend(specific);
    out
}

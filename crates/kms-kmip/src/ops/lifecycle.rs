//! Activate, Revoke, Destroy, Archive, Recover, Obtain Lease and Get Usage Allocation
//! (KMIP 1.4 §4.17–4.23), with the KMIP lifecycle rules ([`Rules::KMIP`]): a transition
//! §3.22 does not allow is the store's `WrongState` (KMIP 1.x Permission Denied, as
//! SKLC-M-2-14 expects).

use kmip_types::payloads::{
    GetUsageAllocationRequest, IdRequest, IdResponse, ObtainLeaseResponse, RevokeRequest,
};
use kmip_types::{DateTime, Interval, ResponsePayload};
use kms_store::backend::Backend;
use kms_store::{ObjectId, Rules, Store};

use super::{resolve, store_error, uid};
use crate::{KmipError, OpContext};

fn done(ctx: &mut OpContext, id: ObjectId) -> Box<IdResponse> {
    let response = IdResponse {
        unique_identifier: uid(&id),
    };
    ctx.id_placeholder = Some(id);
    Box::new(response)
}

/// Activate (KMIP 1.4 §4.19).
pub(super) async fn activate<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: IdRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    store
        .activate(&ctx.owner, &id, Rules::KMIP)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::Activate(done(ctx, id)))
}

/// Revoke (KMIP 1.4 §4.20), with the Compromise Occurrence Date when given.
pub(super) async fn revoke<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: RevokeRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let revocation = kms_store::RevokeRequest {
        reason: request.revocation_reason,
        compromise_occurrence_date: request.compromise_occurrence_date.map(|d| d.0),
    };
    store
        .revoke(&ctx.owner, &id, revocation, Rules::KMIP)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::Revoke(done(ctx, id)))
}

/// Destroy (KMIP 1.4 §4.21): an Active object is refused (revoke it first).
pub(super) async fn destroy<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: IdRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    store
        .destroy(&ctx.owner, &id, Rules::KMIP)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::Destroy(done(ctx, id)))
}

/// Archive (KMIP 1.4 §4.22).
pub(super) async fn archive<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: IdRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    store
        .archive(&ctx.owner, &id)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::Archive(done(ctx, id)))
}

/// Recover (KMIP 1.4 §4.23).
pub(super) async fn recover<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: IdRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    store
        .recover(&ctx.owner, &id)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::Recover(done(ctx, id)))
}

/// Obtain Lease (KMIP 1.4 §4.17).
pub(super) async fn obtain_lease<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: IdRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let (lease, last_change) = store
        .obtain_lease(&ctx.owner, &id)
        .await
        .map_err(store_error(ctx.version))?;
    let response = ObtainLeaseResponse {
        unique_identifier: uid(&id),
        lease_time: Interval(lease),
        last_change_date: DateTime(last_change),
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::ObtainLease(Box::new(response)))
}

/// Get Usage Allocation (KMIP 1.4 §4.18).
pub(super) async fn get_usage_allocation<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: GetUsageAllocationRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    store
        .get_usage_allocation(&ctx.owner, &id, request.usage_limits_count)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(ResponsePayload::GetUsageAllocation(done(ctx, id)))
}

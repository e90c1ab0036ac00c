//! Locate (KMIP 1.4 §4.9): the request becomes a [`kms_store::LocateRequest`]; the store
//! matches only the caller's objects.

use kmip_types::payloads::{LocateRequest, LocateResponse};
use kmip_types::{KmipVersion, ResponsePayload, ResultReason, StorageStatusMask};
use kms_store::backend::Backend;
use kms_store::{LocateResult, Storage, Store};

use super::{store_error, uid};
use crate::{KmipError, OpContext};

/// Locate. The ID Placeholder becomes the located object when exactly one is returned.
pub(super) async fn locate<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: LocateRequest,
) -> Result<ResponsePayload, KmipError> {
    if request.object_group_member.is_some() {
        return Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "Object Group Member",
        ));
    }
    let mut attributes = request.attribute;
    attributes.extend(request.attributes.map(|a| a.attributes).unwrap_or_default());
    let offset = count(request.offset_items, "Offset Items")?.unwrap_or(0);
    let query = kms_store::LocateRequest {
        attributes,
        storage: storage(request.storage_status_mask),
        offset,
        max_items: count(request.maximum_items, "Maximum Items")?,
        after: 0,
    };
    let result = store
        .locate(&ctx.owner, &query)
        .await
        .map_err(store_error(ctx.version))?;
    if let [only] = result.ids.as_slice() {
        ctx.id_placeholder = Some(only.clone());
    }
    // Located Items is what lets a client page with Offset Items; the OASIS test cases
    // (TC-OFFSET-1-14) expect it exactly when Offset Items is given.
    let located_items = match request.offset_items {
        Some(_) if ctx.version >= KmipVersion::V1_3 => {
            Some(located(store, ctx, &query, &result).await?)
        }
        _ => None,
    };
    Ok(ResponsePayload::Locate(Box::new(LocateResponse {
        located_items,
        unique_identifiers: result.ids.iter().map(uid).collect(),
    })))
}

/// How many objects match in all: known from the page itself when the store did not stop
/// early and the offset was used up, else counted page by page.
async fn located<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    query: &kms_store::LocateRequest,
    page: &LocateResult,
) -> Result<i32, KmipError> {
    let total = if page.next.is_none() && (query.offset == 0 || !page.ids.is_empty()) {
        page.ids.len() as u64 + u64::from(query.offset)
    } else {
        let mut all = kms_store::LocateRequest {
            offset: 0,
            max_items: None,
            after: 0,
            ..query.clone()
        };
        let mut total = 0u64;
        loop {
            let result = store
                .locate(&ctx.owner, &all)
                .await
                .map_err(store_error(ctx.version))?;
            total += result.ids.len() as u64;
            match result.next {
                Some(next) => all.after = next,
                None => break total,
            }
        }
    };
    Ok(i32::try_from(total).unwrap_or(i32::MAX))
}

fn count(value: Option<i32>, field: &str) -> Result<Option<u32>, KmipError> {
    value
        .map(|v| {
            u32::try_from(v).map_err(|_| {
                KmipError::new(ResultReason::INVALID_FIELD, format!("{field} is negative"))
            })
        })
        .transpose()
}

/// Storage Status Mask: on-line objects when absent.
fn storage(mask: Option<StorageStatusMask>) -> Storage {
    let Some(mask) = mask else {
        return Storage::Live;
    };
    let online = mask.contains(StorageStatusMask::ON_LINE_STORAGE);
    let archived = mask.contains(StorageStatusMask::ARCHIVAL_STORAGE);
    match (online, archived) {
        (true, true) => Storage::Any,
        (false, true) => Storage::Archived,
        _ => Storage::Live,
    }
}

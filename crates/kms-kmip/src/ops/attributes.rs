//! Add, Modify and Delete Attribute (KMIP 1.4 §4.14–4.16). The store applies the
//! attribute policy (who may set what, single or multiple instances); KMIP 1.x names an
//! instance by its index, KMIP 2.x by its current value, which is looked up here.

use kmip_types::attributes::{Attribute, Attributes};
use kmip_types::payloads::{
    AddAttributeRequest, AddAttributeResponse, DeleteAttributeRequest, ModifyAttributeRequest,
};
use kmip_types::{ResponsePayload, ResultReason};
use kms_store::backend::Backend;
use kms_store::{AttributeSelector, ObjectId, Store, StoreError};

use super::get::reference_name;
use super::{resolve, store_error, uid, wire_attribute};
use crate::{KmipError, OpContext};

/// Add Attribute (KMIP 1.4 §4.14).
pub(super) async fn add<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: AddAttributeRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let attribute = one(request.attribute, request.new_attribute, "New Attribute")?;
    let added = store
        .add_attribute(&ctx.owner, &id, attribute)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(answer(ctx, id, added, ResponsePayload::AddAttribute))
}

/// Modify Attribute (KMIP 1.4 §4.15): the instance at the attribute's index (1.x), or
/// the one whose value is the Current Attribute (2.x; the first when absent).
pub(super) async fn modify<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: ModifyAttributeRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let mut attribute = one(request.attribute, request.new_attribute, "New Attribute")?;
    if let Some(current) = request.current_attribute {
        let current = one(None, Some(current), "Current Attribute")?;
        attribute.index = index_of(store, ctx, &id, &current).await?;
    }
    let modified = store
        .modify_attribute(&ctx.owner, &id, attribute)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(answer(ctx, id, modified, ResponsePayload::ModifyAttribute))
}

/// Delete Attribute (KMIP 1.4 §4.16): the instance at Attribute Index (1.x, 0 when
/// absent); in 2.x the instance with the Current Attribute's value, or every instance of
/// the Attribute Reference.
pub(super) async fn delete<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: DeleteAttributeRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let to_error = store_error(ctx.version);
    let deleted = if let Some(name) = request.attribute_name {
        store
            .delete_attribute(&ctx.owner, &id, name, request.attribute_index)
            .await
            .map_err(to_error)?
    } else if let Some(current) = request.current_attribute {
        let current = one(None, Some(current), "Current Attribute")?;
        let index = index_of(store, ctx, &id, &current).await?;
        store
            .delete_attribute(&ctx.owner, &id, current.name(), index)
            .await
            .map_err(to_error)?
    } else if let Some(reference) = request.attribute_reference {
        let name = reference_name(&reference);
        let selector = AttributeSelector {
            names: vec![name.clone()],
        };
        let instances = store
            .get_attributes(&ctx.owner, &id, &selector)
            .await
            .map_err(&to_error)?;
        let mut last = Err(StoreError::AttributeNotFound(name.clone()));
        for instance in instances {
            last = store
                .delete_attribute(&ctx.owner, &id, name.clone(), instance.index)
                .await;
            if last.is_err() {
                break;
            }
        }
        last.map_err(to_error)?
    } else {
        return Err(KmipError::new(
            ResultReason::MISSING_DATA,
            "Delete Attribute names no attribute",
        ));
    };
    Ok(answer(ctx, id, deleted, ResponsePayload::DeleteAttribute))
}

/// The one attribute of a request: the KMIP 1.x Attribute or the single attribute of a
/// KMIP 2.x structure.
fn one(
    attribute: Option<Attribute>,
    structure: Option<Attributes>,
    field: &str,
) -> Result<Attribute, KmipError> {
    if let Some(a) = attribute {
        return Ok(a);
    }
    match structure.map(|s| s.attributes).as_deref() {
        Some([a]) => Ok(a.clone()),
        Some(_) => Err(KmipError::new(
            ResultReason::INVALID_FIELD,
            format!("{field} holds one attribute"),
        )),
        None => Err(KmipError::new(
            ResultReason::MISSING_DATA,
            format!("{field} is missing"),
        )),
    }
}

/// The index of the instance of `current`'s attribute whose value is `current`'s.
async fn index_of<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    id: &ObjectId,
    current: &Attribute,
) -> Result<Option<i32>, KmipError> {
    let name = current.name();
    let selector = AttributeSelector {
        names: vec![name.clone()],
    };
    let instances = store
        .get_attributes(&ctx.owner, id, &selector)
        .await
        .map_err(store_error(ctx.version))?;
    instances
        .into_iter()
        .find(|a| a.value == current.value)
        .map(|a| a.index)
        .ok_or_else(|| KmipError::from_store(StoreError::AttributeNotFound(name), ctx.version))
}

/// The response: the object, and in KMIP 1.x the attribute with its index.
fn answer(
    ctx: &mut OpContext,
    id: ObjectId,
    attribute: Attribute,
    wrap: fn(Box<AddAttributeResponse>) -> ResponsePayload,
) -> ResponsePayload {
    let attribute = (!ctx.version.is_2x()).then(|| wire_attribute(attribute));
    let response = AddAttributeResponse {
        unique_identifier: uid(&id),
        attribute,
    };
    ctx.id_placeholder = Some(id);
    wrap(Box::new(response))
}

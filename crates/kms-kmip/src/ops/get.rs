//! Get, Get Attributes and Get Attribute List (KMIP 1.4 §4.11–4.13).

use kmip_types::attributes::{Attribute, AttributeDef, AttributeReference, Attributes};
use kmip_types::payloads::{
    GetAttributeListRequest, GetAttributeListResponse, GetAttributesRequest, GetAttributesResponse,
    GetRequest, GetResponse,
};
use kmip_types::{KeyCompressionType, KmipVersion, ResponsePayload, ResultReason};
use kms_store::backend::Backend;
use kms_store::{AttributeSelector, GetOptions, Store};

use super::{resolve, store_error, uid, wire_attribute};
use crate::{KmipError, OpContext};

/// Get (KMIP 1.4 §4.11): in the Key Format Type asked for, wrapped when a Key Wrapping
/// Specification is given. Keys are served uncompressed only: any other Key Compression
/// Type is refused. A destroyed object is Item Not Found (the store says Destroyed).
pub(super) async fn get<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: GetRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    if let Some(compression) = request.key_compression_type
        && compression != KeyCompressionType::EC_PUBLIC_KEY_TYPE_UNCOMPRESSED
    {
        return Err(KmipError::new(
            ResultReason::KEY_COMPRESSION_TYPE_NOT_SUPPORTED,
            "only uncompressed keys are served",
        ));
    }
    let options = GetOptions {
        format: request.key_format_type,
        wrapping: request.key_wrapping_specification,
    };
    let object = store
        .get(&ctx.owner, &id, &options)
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(id.clone());
    Ok(ResponsePayload::Get(Box::new(GetResponse {
        object_type: object.object_type(),
        unique_identifier: uid(&id),
        object,
    })))
}

/// Get Attributes (KMIP 1.4 §4.12): the named attributes (all when none), in the order
/// the request names them; in KMIP 1.x each with its index (0 left out).
pub(super) async fn get_attributes<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: GetAttributesRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let mut names = request.attribute_names;
    names.extend(request.attribute_references.iter().map(reference_name));
    let selector = AttributeSelector { names };
    let mut found = store
        .get_attributes(&ctx.owner, &id, &selector)
        .await
        .map_err(store_error(ctx.version))?;
    if !selector.names.is_empty() {
        let position = |a: &Attribute| {
            let name = a.name();
            selector.names.iter().position(|n| *n == name)
        };
        found.sort_by_key(position);
    }
    let version = ctx.version;
    let found: Vec<Attribute> = found
        .into_iter()
        .filter(|a| a.defined_in(version))
        .map(|a| for_version(a, version))
        .collect();
    ctx.id_placeholder = Some(id.clone());
    let response = if version.is_2x() {
        GetAttributesResponse {
            unique_identifier: uid(&id),
            attribute: Vec::new(),
            attributes: Some(Attributes::new(found)),
        }
    } else {
        GetAttributesResponse {
            unique_identifier: uid(&id),
            attribute: found.into_iter().map(wire_attribute).collect(),
            attributes: None,
        }
    };
    Ok(ResponsePayload::GetAttributes(Box::new(response)))
}

/// Get Attribute List (KMIP 1.4 §4.13): the names of the object's attributes that the
/// request's version defines.
pub(super) async fn get_attribute_list<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: GetAttributeListRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let names = store
        .get_attribute_list(&ctx.owner, &id)
        .await
        .map_err(store_error(ctx.version))?;
    let version = ctx.version;
    let names: Vec<String> = names
        .into_iter()
        .filter(|n| AttributeDef::by_name(n).is_none_or(|d| d.defined_in(version)))
        .collect();
    ctx.id_placeholder = Some(id.clone());
    let response = if version.is_2x() {
        GetAttributeListResponse {
            unique_identifier: uid(&id),
            attribute_names: Vec::new(),
            attribute_references: names.iter().filter_map(|n| name_reference(n)).collect(),
        }
    } else {
        GetAttributeListResponse {
            unique_identifier: uid(&id),
            attribute_names: names,
            attribute_references: Vec::new(),
        }
    };
    Ok(ResponsePayload::GetAttributeList(Box::new(response)))
}

/// The KMIP 1.x name of a KMIP 2.x Attribute Reference (`vendor-name` for a vendor
/// attribute, as [`kmip_types::AttributeValue::name`] writes it).
pub(super) fn reference_name(reference: &AttributeReference) -> String {
    match reference {
        AttributeReference::Tag(tag) => AttributeDef::by_tag(*tag)
            .map(|d| d.name().to_owned())
            .or_else(|| tag.name().map(str::to_owned))
            .unwrap_or_default(),
        AttributeReference::Vendor {
            vendor_identification,
            attribute_name,
        } => format!("{vendor_identification}-{attribute_name}"),
    }
}

/// The KMIP 2.x reference of an attribute name.
fn name_reference(name: &str) -> Option<AttributeReference> {
    match AttributeDef::by_name(name) {
        Some(def) => Some(AttributeReference::Tag(def.tag)),
        None => name
            .split_once('-')
            .map(|(vendor, rest)| AttributeReference::Vendor {
                vendor_identification: vendor.to_owned(),
                attribute_name: rest.to_owned(),
            }),
    }
}

/// An attribute as `version` can carry it: a KMIP 1.0 Digest has no Key Format Type
/// (added in 1.1).
fn for_version(mut attribute: Attribute, version: KmipVersion) -> Attribute {
    if version == KmipVersion::V1_0
        && let kmip_types::AttributeValue::Digest(d) = &mut attribute.value
    {
        d.key_format_type = None;
    }
    attribute
}

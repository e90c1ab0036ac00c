//! Create, Create Key Pair and Register (KMIP 1.4 §4.1–4.3). Each sets the ID
//! Placeholder to the new object (the private key of a pair). The responses echo no
//! Template-Attribute, as the OASIS test cases expect.

use kmip_types::payloads::{
    CreateKeyPairRequest, CreateKeyPairResponse, CreateRequest, CreateResponse, RegisterRequest,
    RegisterResponse,
};
use kmip_types::{ObjectType, ResponsePayload, ResultReason};
use kms_store::backend::Backend;
use kms_store::{CreateOptions, Store};

use super::{request_attributes, store_error, uid};
use crate::{KmipError, OpContext};

/// Create (KMIP 1.4 §4.1): symmetric keys and secret data; any other Object Type is an
/// Invalid Field.
pub(super) async fn create<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: CreateRequest,
) -> Result<ResponsePayload, KmipError> {
    if request.object_type != ObjectType::SYMMETRIC_KEY
        && request.object_type != ObjectType::SECRET_DATA
    {
        return Err(KmipError::new(
            ResultReason::INVALID_FIELD,
            "Create makes Symmetric Keys and Secret Data only",
        ));
    }
    let attributes =
        request_attributes(store, ctx, request.template_attribute, request.attributes).await?;
    let id = store
        .create(
            &ctx.owner,
            request.object_type,
            attributes,
            CreateOptions::default(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(id.clone());
    Ok(ResponsePayload::Create(Box::new(CreateResponse {
        object_type: request.object_type,
        unique_identifier: uid(&id),
        template_attribute: None,
    })))
}

/// Create Key Pair (KMIP 1.4 §4.2).
pub(super) async fn create_key_pair<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: CreateKeyPairRequest,
) -> Result<ResponsePayload, KmipError> {
    let common = request_attributes(
        store,
        ctx,
        request.common_template_attribute,
        request.common_attributes,
    )
    .await?;
    let private = request_attributes(
        store,
        ctx,
        request.private_key_template_attribute,
        request.private_key_attributes,
    )
    .await?;
    let public = request_attributes(
        store,
        ctx,
        request.public_key_template_attribute,
        request.public_key_attributes,
    )
    .await?;
    let (private_id, public_id) = store
        .create_key_pair(
            &ctx.owner,
            common,
            private,
            public,
            CreateOptions::default(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(private_id.clone());
    Ok(ResponsePayload::CreateKeyPair(Box::new(
        CreateKeyPairResponse {
            private_key_unique_identifier: uid(&private_id),
            public_key_unique_identifier: uid(&public_id),
            private_key_template_attribute: None,
            public_key_template_attribute: None,
        },
    )))
}

/// Register (KMIP 1.4 §4.3): the object as the client gave it.
pub(super) async fn register<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: RegisterRequest,
) -> Result<ResponsePayload, KmipError> {
    let attributes =
        request_attributes(store, ctx, request.template_attribute, request.attributes).await?;
    let id = store
        .register(
            &ctx.owner,
            request.object,
            attributes,
            CreateOptions::default(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    ctx.id_placeholder = Some(id.clone());
    Ok(ResponsePayload::Register(Box::new(RegisterResponse {
        unique_identifier: uid(&id),
        template_attribute: None,
    })))
}

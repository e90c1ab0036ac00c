//! The operations: each translates its request payload into calls on the store and the
//! result into its response payload. [`IMPLEMENTED`] is the one registry Query reports.
//!
//! Every rule about objects (lifecycle, attribute policy, usage, ownership) is the
//! store's; this module only reads payloads, resolves the Unique Identifier (the ID
//! Placeholder when absent, KMIP 1.4 §6.x), writes responses in the request's version,
//! and maps store errors through [`KmipError::from_store`], the one mapping.

mod attributes;
mod check;
mod create;
mod crypto;
mod discover;
mod get;
mod lifecycle;
mod locate;
mod query;
mod rekey;
mod template;

use kmip_types::attributes::{Attribute, Attributes, TemplateAttribute};
use kmip_types::dictionary::UniqueIdentifier;
use kmip_types::{KmipVersion, Operation, RequestPayload, ResponsePayload, ResultReason, UniqueId};
use kms_store::backend::Backend;
use kms_store::{ObjectId, Store, StoreError};

use crate::{KmipError, OpContext};

pub use query::{PROFILES, ProfileClaim};

/// The operations this server implements, in KMIP 1.4 §4 order: the one list Query
/// reports and [`execute`] serves.
pub const IMPLEMENTED: &[Operation] = &[
    Operation::CREATE,
    Operation::CREATE_KEY_PAIR,
    Operation::REGISTER,
    Operation::RE_KEY,
    Operation::RE_KEY_KEY_PAIR,
    Operation::LOCATE,
    Operation::CHECK,
    Operation::GET,
    Operation::GET_ATTRIBUTES,
    Operation::GET_ATTRIBUTE_LIST,
    Operation::ADD_ATTRIBUTE,
    Operation::MODIFY_ATTRIBUTE,
    Operation::DELETE_ATTRIBUTE,
    Operation::OBTAIN_LEASE,
    Operation::GET_USAGE_ALLOCATION,
    Operation::ACTIVATE,
    Operation::REVOKE,
    Operation::DESTROY,
    Operation::ARCHIVE,
    Operation::RECOVER,
    Operation::QUERY,
    Operation::DISCOVER_VERSIONS,
    Operation::ENCRYPT,
    Operation::DECRYPT,
    Operation::SIGN,
    Operation::SIGNATURE_VERIFY,
    Operation::MAC,
    Operation::MAC_VERIFY,
    Operation::RNG_RETRIEVE,
    Operation::HASH,
];

/// Runs one batch item: `payload` of `operation`, for `ctx.owner`, updating the ID
/// Placeholder. Any operation not in [`IMPLEMENTED`] is Operation Not Supported.
///
/// Public (and hidden from the docs) only so that the integration tests can drive the
/// operations in-process on a real store; the connection layer's dispatcher is the
/// caller in the server.
#[doc(hidden)]
pub async fn execute<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    operation: Operation,
    payload: RequestPayload,
) -> Result<ResponsePayload, KmipError> {
    if payload.operation().is_some_and(|op| op != operation) {
        return Err(KmipError::new(
            ResultReason::INVALID_MESSAGE,
            "the payload is not of the batch item's operation",
        ));
    }
    use RequestPayload as P;
    match payload {
        P::Create(r) => create::create(store, ctx, *r).await,
        P::CreateKeyPair(r) => create::create_key_pair(store, ctx, *r).await,
        P::Register(r) => create::register(store, ctx, *r).await,
        P::ReKey(r) => rekey::rekey(store, ctx, *r).await,
        P::ReKeyKeyPair(r) => rekey::rekey_key_pair(store, ctx, *r).await,
        P::Locate(r) => locate::locate(store, ctx, *r).await,
        P::Check(r) => check::check(store, ctx, *r).await,
        P::Get(r) => get::get(store, ctx, *r).await,
        P::GetAttributes(r) => get::get_attributes(store, ctx, *r).await,
        P::GetAttributeList(r) => get::get_attribute_list(store, ctx, *r).await,
        P::AddAttribute(r) => attributes::add(store, ctx, *r).await,
        P::ModifyAttribute(r) => attributes::modify(store, ctx, *r).await,
        P::DeleteAttribute(r) => attributes::delete(store, ctx, *r).await,
        P::ObtainLease(r) => lifecycle::obtain_lease(store, ctx, *r).await,
        P::GetUsageAllocation(r) => lifecycle::get_usage_allocation(store, ctx, *r).await,
        P::Activate(r) => lifecycle::activate(store, ctx, *r).await,
        P::Revoke(r) => lifecycle::revoke(store, ctx, *r).await,
        P::Destroy(r) => lifecycle::destroy(store, ctx, *r).await,
        P::Archive(r) => lifecycle::archive(store, ctx, *r).await,
        P::Recover(r) => lifecycle::recover(store, ctx, *r).await,
        P::Encrypt(r) => crypto::encrypt(store, ctx, *r).await,
        P::Decrypt(r) => crypto::decrypt(store, ctx, *r).await,
        P::Sign(r) => crypto::sign(store, ctx, *r).await,
        P::SignatureVerify(r) => crypto::verify(store, ctx, *r).await,
        P::Mac(r) => crypto::mac(store, ctx, *r).await,
        P::MacVerify(r) => crypto::mac_verify(store, ctx, *r).await,
        P::RngRetrieve(r) => crypto::rng_retrieve(ctx, *r),
        P::Hash(r) => crypto::hash(ctx, *r),
        p @ P::DiscoverVersions(_) => discover::execute(ctx, p),
        p @ P::Query(_) => query::execute(ctx, p),
        _ => Err(not_supported(operation)),
    }
}

fn not_supported(operation: Operation) -> KmipError {
    let name = operation.info().map_or("this operation", |i| i.name);
    KmipError::new(
        ResultReason::OPERATION_NOT_SUPPORTED,
        format!("{name} is not supported"),
    )
}

/// The store error mapper for a message of `version`.
pub(crate) fn store_error(version: KmipVersion) -> impl Fn(StoreError) -> KmipError {
    move |e| KmipError::from_store(e, version)
}

/// The object a request names: its Unique Identifier, or the ID Placeholder when absent
/// (KMIP 1.4 §4: "If omitted, then the ID Placeholder value is used"); Missing Data when
/// there is neither.
pub(crate) fn resolve(ctx: &OpContext, id: Option<&UniqueId>) -> Result<ObjectId, KmipError> {
    let placeholder = || {
        ctx.id_placeholder.clone().ok_or_else(|| {
            KmipError::new(
                ResultReason::MISSING_DATA,
                "no Unique Identifier and no ID Placeholder",
            )
        })
    };
    match id {
        None => placeholder(),
        Some(UniqueId::Text(text)) => ObjectId::parse(text).ok_or_else(|| {
            KmipError::new(ResultReason::INVALID_FIELD, "Unique Identifier: bad length")
        }),
        Some(UniqueId::Reference(r)) if *r == UniqueIdentifier::ID_PLACEHOLDER => placeholder(),
        Some(_) => Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "Unique Identifier references other than the ID Placeholder",
        )),
    }
}

/// An identifier as a payload writes it.
pub(crate) fn uid(id: &ObjectId) -> UniqueId {
    UniqueId::Text(id.as_str().to_owned())
}

/// The attributes of a Create, Register or Re-key request: those of the Templates its
/// KMIP 1.x Template-Attribute names (KMIP 1.x Template objects, deprecated since 1.3),
/// overridden by its own Template-Attribute attributes, then its KMIP 2.x Attributes,
/// as given (the store applies the attribute policy).
pub(crate) async fn request_attributes<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    template: Option<TemplateAttribute>,
    attributes: Option<Attributes>,
) -> Result<Vec<Attribute>, KmipError> {
    let mut out = match template {
        Some(t) if !t.names.is_empty() => {
            template::merge(store, ctx, &t.names, t.attributes).await?
        }
        Some(t) => t.attributes,
        None => Vec::new(),
    };
    if let Some(a) = attributes {
        out.extend(a.attributes);
    }
    Ok(out)
}

/// An attribute as a KMIP 1.x response writes it: an Attribute Index of 0 is left out,
/// as the OASIS test cases expect (KMIP 1.4 §2.1.1: absent means 0).
pub(crate) fn wire_attribute(mut attribute: Attribute) -> Attribute {
    if attribute.index == Some(0) {
        attribute.index = None;
    }
    attribute
}

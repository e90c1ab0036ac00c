//! The service-key operations (create or import, list, get, patch, delete, activate,
//! deactivate), `random`, `healthz` and the OpenAPI document, each a translation to and
//! from calls on [`kms_store::Store`] (docs/kms-rest.md, "Service keys on the store").
//!
//! A service key is a KMIP managed object: `oct` a Symmetric Key (AES); `RSA` and `EC`
//! a key pair whose private key's id is the service key's id, the public key linked to
//! it (Public Key Link, and back with Private Key Link); an imported public-only key a
//! Public Key. Lifecycle calls and renames use the store's pair operations
//! (`activate_pair`, ...), which change both halves in one transaction or neither, so
//! KMIP clients see the same state on each.

use std::fmt::Debug;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use http::StatusCode;
use kmip_ttlv::{Tag, Ttlv, Value};
use kmip_types::attributes::{CryptographicDomainParameters, Link, Name};
use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, CryptographicUsageMask, LinkType,
    ObjectType, RecommendedCurve, RevocationReasonCode, State,
};
use kms_crypto::{AesKey, AesKeySize, EcCurve, KeyType as CryptoKeyType, PrivateKey, PublicKey};
use kms_store::backend::Backend;
use kms_store::material::{self, UsableKey, usable_key};
use kms_store::{
    AttributeSelector, CreateOptions, GetOptions, LocateRequest, ObjectId, RevokeRequest, Rules,
    Store, StoreError,
};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::context::RequestContext;
use crate::dto::{
    self, CreateImportServiceKeyRequest, CryptographicUsage, Curve, DeactivateServicekeyRequest,
    GetRandomResponse, GetServiceKeyResponse, HealthResponse, JsonWebKeyRequest,
    JsonWebKeyResponse, KeyAttributes, KeyFormat, KeyState, KeyType, ListServiceKeysResponse,
    PatchServiceKeyRequest, ProtectionLevel, RevocationReason, SecretText,
};
use crate::error::ApiError;
use crate::json;
use crate::query;
use crate::response::Response;

/// The custom attribute that holds a service key's `context`.
pub(crate) const CONTEXT_ATTRIBUTE: &str = "x-okms-context";

/// The OpenAPI document this server implements (spec 2.14.0, verbatim).
const OPENAPI: &str = include_str!("../../openapi/okms-openapi.yaml");

/// Longest `continuation-token`.
const MAX_TOKEN_CHARS: usize = 500;
/// `max` bounds and default.
const MAX_PAGE: u32 = 100;
const MIN_PAGE: u32 = 10;
/// Most random bytes one call returns.
const MAX_RANDOM: usize = 4096;

// ---------------------------------------------------------------------------------
// The service-key view of a managed object

/// What the REST API shows of a managed object, read from its attributes.
#[derive(Debug)]
pub(crate) struct ServiceKey {
    /// Unique Identifier.
    pub(crate) id: ObjectId,
    /// Object Type.
    pub(crate) object_type: ObjectType,
    /// The REST key type (`None`: not a service key, e.g. a certificate).
    pub(crate) key_type: Option<KeyType>,
    name: Option<String>,
    length: Option<i32>,
    /// The curve an EC key is shown with (set by [`ServiceKey::resolve_curve`]).
    curve: Option<Curve>,
    /// The Recommended Curve of its Cryptographic Domain Parameters, when it has them.
    domain_curve: Option<RecommendedCurve>,
    mask: u32,
    /// Effective state.
    pub(crate) state: State,
    created: Option<i64>,
    activated: Option<i64>,
    deactivated: Option<i64>,
    compromised: Option<i64>,
    /// Public Key Link (a private key's public half).
    pub(crate) public_link: Option<ObjectId>,
    /// Private Key Link (a public key's private half).
    pub(crate) private_link: Option<ObjectId>,
}

impl ServiceKey {
    fn from_attributes(id: ObjectId, attributes: &[Attribute]) -> ServiceKey {
        let mut key = ServiceKey {
            id,
            object_type: ObjectType::SYMMETRIC_KEY,
            key_type: None,
            name: None,
            length: None,
            curve: None,
            domain_curve: None,
            mask: 0,
            state: State::PRE_ACTIVE,
            created: None,
            activated: None,
            deactivated: None,
            compromised: None,
            public_link: None,
            private_link: None,
        };
        let mut algorithm = None;
        let mut original_creation = None;
        for a in attributes {
            match &a.value {
                AttributeValue::ObjectType(t) => key.object_type = *t,
                AttributeValue::CryptographicAlgorithm(alg) => algorithm = Some(*alg),
                AttributeValue::CryptographicLength(l) => key.length = Some(*l),
                AttributeValue::CryptographicDomainParameters(p) => {
                    key.domain_curve = p.recommended_curve;
                }
                AttributeValue::CryptographicUsageMask(m) => key.mask = m.0,
                AttributeValue::Name(n) if key.name.is_none() || a.index.unwrap_or(0) == 0 => {
                    key.name = Some(n.name_value.clone());
                }
                AttributeValue::State(s) => key.state = *s,
                AttributeValue::InitialDate(d) => key.created = Some(d.0),
                AttributeValue::OriginalCreationDate(d) => original_creation = Some(d.0),
                AttributeValue::ActivationDate(d) => key.activated = Some(d.0),
                AttributeValue::DeactivationDate(d) => key.deactivated = Some(d.0),
                AttributeValue::CompromiseDate(d) => key.compromised = Some(d.0),
                AttributeValue::Link(Link {
                    link_type,
                    linked_object_identifier,
                }) => {
                    let target = linked_object_identifier.as_text().and_then(ObjectId::parse);
                    if *link_type == LinkType::PUBLIC_KEY_LINK {
                        key.public_link = target;
                    } else if *link_type == LinkType::PRIVATE_KEY_LINK {
                        key.private_link = target;
                    }
                }
                _ => {}
            }
        }
        if original_creation.is_some() {
            key.created = original_creation;
        }
        key.key_type = match (key.object_type, algorithm) {
            (ObjectType::SYMMETRIC_KEY, Some(CryptographicAlgorithm::AES)) => Some(KeyType::Oct),
            (
                ObjectType::PRIVATE_KEY | ObjectType::PUBLIC_KEY,
                Some(CryptographicAlgorithm::RSA),
            ) => Some(KeyType::Rsa),
            (
                ObjectType::PRIVATE_KEY | ObjectType::PUBLIC_KEY,
                Some(
                    CryptographicAlgorithm::EC
                    | CryptographicAlgorithm::ECDSA
                    | CryptographicAlgorithm::ECDH,
                ),
            ) => Some(KeyType::Ec),
            _ => None,
        };
        key
    }

    /// Sets the curve of an EC key from the key itself: its material (the public
    /// half's, else its own), else its Cryptographic Domain Parameters, else a length
    /// only one supported curve has (384, 521). Never from a length of 256 alone, which
    /// P-256 and secp256k1 share. A curve the OVHcloud API does not define (secp256k1)
    /// makes the object no service key (not listed, 404); a curve that cannot be known
    /// (material destroyed, no parameters, 256 bits) is left out of the answer.
    async fn resolve_curve<B: Backend + Debug>(
        &mut self,
        store: &Store<B>,
        ctx: &RequestContext,
    ) -> Result<(), ApiError> {
        if self.key_type != Some(KeyType::Ec) || !self.is_service_key() {
            return Ok(());
        }
        let mut known = None;
        for half in [self.public_link.as_ref(), Some(&self.id)]
            .into_iter()
            .flatten()
        {
            match store.key_type(&ctx.owner, half).await {
                Ok(Some(CryptoKeyType::Ec(curve))) => {
                    known = Some(match curve {
                        EcCurve::P256 => Some(Curve::P256),
                        EcCurve::P384 => Some(Curve::P384),
                        EcCurve::P521 => Some(Curve::P521),
                        _ => None,
                    });
                    break;
                }
                Err(e @ (StoreError::Backend(_) | StoreError::Corrupt(_))) => {
                    return Err(e.into());
                }
                // Destroyed, without a value, not this caller's, not EC: the next source.
                _ => {}
            }
        }
        let from_attributes = match (self.domain_curve, self.length) {
            (Some(RecommendedCurve::P_256), _) => Some(Some(Curve::P256)),
            (Some(RecommendedCurve::P_384), _) => Some(Some(Curve::P384)),
            (Some(RecommendedCurve::P_521), _) => Some(Some(Curve::P521)),
            (Some(_), _) => Some(None),
            (None, Some(384)) => Some(Some(Curve::P384)),
            (None, Some(521)) => Some(Some(Curve::P521)),
            (None, _) => None,
        };
        // Some(Some(curve)): shown; Some(None): a curve the API does not define;
        // None: unknown.
        let known = known.or(from_attributes);
        match known {
            Some(Some(curve)) => self.curve = Some(curve),
            Some(None) => self.key_type = None,
            None => self.curve = None,
        }
        Ok(())
    }

    /// True for the objects the API shows as service keys: AES keys, RSA and EC private
    /// keys, and public keys that are not the public half of a pair.
    pub(crate) fn is_service_key(&self) -> bool {
        self.key_type.is_some()
            && !(self.object_type == ObjectType::PUBLIC_KEY && self.private_link.is_some())
    }

    fn is_destroyed(&self) -> bool {
        self.state == State::DESTROYED || self.state == State::DESTROYED_COMPROMISED
    }

    fn operations(&self) -> Vec<CryptographicUsage> {
        CryptographicUsage::ALL
            .iter()
            .copied()
            .filter(|u| self.mask & usage_bit(*u) != 0)
            .collect()
    }

    fn response(&self) -> Result<GetServiceKeyResponse, ApiError> {
        let key_type = self.key_type.ok_or_else(ApiError::not_found)?;
        let (curve, size) = match key_type {
            KeyType::Ec => (self.curve, None),
            _ => (None, self.length.and_then(|l| u32::try_from(l).ok())),
        };
        let compromised = matches!(
            self.state,
            State::COMPROMISED | State::DESTROYED_COMPROMISED
        );
        Ok(GetServiceKeyResponse {
            id: self.id.to_string(),
            name: self.name.clone().unwrap_or_else(|| self.id.to_string()),
            key_type,
            curve,
            operations: self.operations(),
            size,
            protection_level: ProtectionLevel::Software,
            attributes: Some(KeyAttributes {
                state: state_name(self.state),
                original_creation_date: self.created.and_then(rfc3339),
                activation_date: self.activated.and_then(rfc3339),
                deactivation_date: self.deactivated.and_then(rfc3339),
                compromise_date: self.compromised.filter(|_| compromised).and_then(rfc3339),
            }),
            keys: None,
        })
    }
}

fn state_name(state: State) -> KeyState {
    match state {
        State::ACTIVE => KeyState::Active,
        State::DEACTIVATED => KeyState::Deactivated,
        State::COMPROMISED => KeyState::Compromised,
        State::DESTROYED => KeyState::Destroyed,
        State::DESTROYED_COMPROMISED => KeyState::DestroyedCompromised,
        _ => KeyState::PreActive,
    }
}

fn state_of(state: KeyState) -> Option<State> {
    match state {
        KeyState::PreActive => Some(State::PRE_ACTIVE),
        KeyState::Active => Some(State::ACTIVE),
        KeyState::Deactivated => Some(State::DEACTIVATED),
        KeyState::Compromised => Some(State::COMPROMISED),
        KeyState::Destroyed => Some(State::DESTROYED),
        KeyState::DestroyedCompromised => Some(State::DESTROYED_COMPROMISED),
        KeyState::All => None,
    }
}

fn rfc3339(seconds: i64) -> Option<String> {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()?
        .format(&Rfc3339)
        .ok()
}

/// The KMIP usage-mask bit of an operation.
pub(crate) fn usage_bit(usage: CryptographicUsage) -> u32 {
    match usage {
        CryptographicUsage::Sign => CryptographicUsageMask::SIGN.0,
        CryptographicUsage::Verify => CryptographicUsageMask::VERIFY.0,
        CryptographicUsage::Encrypt => CryptographicUsageMask::ENCRYPT.0,
        CryptographicUsage::Decrypt => CryptographicUsageMask::DECRYPT.0,
        CryptographicUsage::WrapKey => CryptographicUsageMask::WRAP_KEY.0,
        CryptographicUsage::UnwrapKey => CryptographicUsageMask::UNWRAP_KEY.0,
    }
}

fn usage_mask(operations: &[CryptographicUsage]) -> CryptographicUsageMask {
    CryptographicUsageMask(operations.iter().fold(0, |m, u| m | usage_bit(*u)))
}

/// The key id of a path: unknown to the store when it is not a valid identifier.
fn object_id(key_id: &str) -> Result<ObjectId, ApiError> {
    ObjectId::parse(key_id).ok_or_else(ApiError::not_found)
}

/// Loads the service key `key_id`: 404 when it does not exist for this caller, is not a
/// service key, or is destroyed.
pub(crate) async fn load<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
) -> Result<ServiceKey, ApiError> {
    let id = object_id(key_id)?;
    let attributes = store
        .get_attributes(&ctx.owner, &id, &AttributeSelector::default())
        .await?;
    let mut key = ServiceKey::from_attributes(id, &attributes);
    key.resolve_curve(store, ctx).await?;
    if !key.is_service_key() || key.is_destroyed() {
        return Err(ApiError::not_found());
    }
    Ok(key)
}

// ---------------------------------------------------------------------------------
// Create and import

/// POST /servicekey: generate (no `keys`) or import (one JWK in `keys`). 201 with the
/// new key.
pub(crate) async fn create<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    query: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let format = key_format(query)?;
    let request: CreateImportServiceKeyRequest = json::parse(body)?;
    let chosen = match &request.id {
        Some(id) => Some(
            ObjectId::parse(&id.to_lowercase())
                .ok_or_else(|| ApiError::bad_request("id: not a key identifier"))?,
        ),
        None => None,
    };
    let options = CreateOptions {
        activate: true,
        id: chosen,
    };
    let id = match &request.keys {
        None => generate(store, ctx, &request, options).await?,
        Some(keys) => {
            let jwk = keys
                .first()
                .ok_or_else(|| ApiError::bad_request("keys: exactly one key to import"))?;
            import(store, ctx, &request, jwk, options).await?
        }
    };
    let key = load(store, ctx, id.as_str()).await?;
    let mut response = key.response()?;
    if format.is_some() && key.key_type != Some(KeyType::Oct) {
        response.keys = Some(vec![public_jwk(store, ctx, &key).await?]);
    }
    Response::json(StatusCode::CREATED, &response)
}

/// The `format` query parameter of create and get: absent or `jwk`.
fn key_format(query: &str) -> Result<Option<KeyFormat>, ApiError> {
    match query::param(query, "format")? {
        None => Ok(None),
        Some(f) => KeyFormat::parse(&f)
            .map(Some)
            .ok_or_else(|| ApiError::bad_request("format: must be jwk")),
    }
}

/// The attributes every new service key object gets: name, context, usage mask.
fn common_attributes(
    request: &CreateImportServiceKeyRequest,
    operations: &[CryptographicUsage],
) -> Vec<Attribute> {
    let mut attributes = vec![
        Attribute::new(AttributeValue::Name(Name::text(request.name.clone()))),
        Attribute::new(AttributeValue::CryptographicUsageMask(usage_mask(
            operations,
        ))),
    ];
    if let Some(context) = &request.context {
        attributes.push(Attribute::new(AttributeValue::Custom {
            name: CONTEXT_ATTRIBUTE.to_owned(),
            value: Ttlv::new(Tag::ATTRIBUTE_VALUE, Value::TextString(context.clone())),
        }));
    }
    attributes
}

async fn generate<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    request: &CreateImportServiceKeyRequest,
    options: CreateOptions,
) -> Result<ObjectId, ApiError> {
    // `validate` has checked type, size, curve and operations.
    let key_type = request
        .key_type
        .ok_or_else(|| ApiError::bad_request("type: required to generate a key"))?;
    let operations = request
        .operations
        .clone()
        .unwrap_or_else(|| dto::default_operations(key_type, true).to_vec());
    let mut attributes = common_attributes(request, &operations);
    let size = request
        .size
        .and_then(|s| i32::try_from(s).ok())
        .unwrap_or_default();
    match key_type {
        KeyType::Oct => {
            attributes.push(Attribute::new(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::AES,
            )));
            attributes.push(Attribute::new(AttributeValue::CryptographicLength(size)));
            Ok(store
                .create(&ctx.owner, ObjectType::SYMMETRIC_KEY, attributes, options)
                .await?)
        }
        KeyType::Rsa => {
            attributes.push(Attribute::new(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::RSA,
            )));
            attributes.push(Attribute::new(AttributeValue::CryptographicLength(size)));
            let (private, _) = store
                .create_key_pair(&ctx.owner, attributes, Vec::new(), Vec::new(), options)
                .await?;
            Ok(private)
        }
        KeyType::Ec => {
            let curve = request
                .curve
                .ok_or_else(|| ApiError::bad_request("curve: required for EC keys"))?;
            attributes.push(Attribute::new(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::ECDSA,
            )));
            attributes.push(Attribute::new(
                AttributeValue::CryptographicDomainParameters(CryptographicDomainParameters {
                    qlength: None,
                    recommended_curve: Some(recommended_curve(curve)),
                }),
            ));
            let (private, _) = store
                .create_key_pair(&ctx.owner, attributes, Vec::new(), Vec::new(), options)
                .await?;
            Ok(private)
        }
    }
}

fn recommended_curve(curve: Curve) -> RecommendedCurve {
    match curve {
        Curve::P256 => RecommendedCurve::P_256,
        Curve::P384 => RecommendedCurve::P_384,
        Curve::P521 => RecommendedCurve::P_521,
    }
}

/// A JWK refused: the `jwk` and `kms-crypto` messages name members and reasons, never
/// values.
fn bad_jwk(e: impl std::fmt::Display) -> ApiError {
    ApiError::bad_request(format!("keys[0]: {e}"))
}

async fn import<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    request: &CreateImportServiceKeyRequest,
    jwk_request: &JsonWebKeyRequest,
    options: CreateOptions,
) -> Result<ObjectId, ApiError> {
    let key_type = jwk_request.kty;
    if let Some(t) = request.key_type
        && t != key_type
    {
        return Err(ApiError::bad_request("type: does not match keys[0].kty"));
    }
    let private = jwk_request.has_private();
    let operations = request
        .operations
        .clone()
        .or_else(|| jwk_request.key_ops.clone())
        .unwrap_or_else(|| dto::default_operations(key_type, private).to_vec());
    dto::check_operations(Some(&operations), key_type, private)?;
    let jwk = jwk::ParseOptions::new()
        .parse(&jwk_request.key_json())
        .map_err(bad_jwk)?;
    let attributes = common_attributes(request, &operations);
    match key_type {
        KeyType::Oct => {
            if request.curve.is_some() {
                return Err(ApiError::bad_request("curve: only for EC keys"));
            }
            let key = match request.size {
                Some(bits) => {
                    let size = AesKeySize::from_bits(bits).map_err(|_| {
                        ApiError::bad_request("size: an oct key is 128, 192 or 256 bits")
                    })?;
                    AesKey::from_jwk_sized(&jwk, size)
                }
                None => AesKey::from_jwk(&jwk),
            }
            .map_err(bad_jwk)?;
            let object = material::aes_key_object(key);
            Ok(store
                .register(&ctx.owner, object, attributes, options)
                .await?)
        }
        KeyType::Rsa | KeyType::Ec => {
            if private {
                let key = PrivateKey::from_jwk(&jwk).map_err(bad_jwk)?;
                check_asymmetric_size(request, key.key_type())?;
                let (private_object, public_object) =
                    material::key_pair_objects(&key, algorithm_of(key.key_type())?)?;
                let (id, _) = store
                    .register_key_pair(
                        &ctx.owner,
                        private_object,
                        public_object,
                        attributes,
                        options,
                    )
                    .await?;
                Ok(id)
            } else {
                let key = PublicKey::from_jwk(&jwk).map_err(bad_jwk)?;
                check_asymmetric_size(request, key.key_type())?;
                let object = material::public_key_object(&key, algorithm_of(key.key_type())?)?;
                Ok(store
                    .register(&ctx.owner, object, attributes, options)
                    .await?)
            }
        }
    }
}

/// `size` and `curve`, when given with an import, must describe the imported key.
fn check_asymmetric_size(
    request: &CreateImportServiceKeyRequest,
    key_type: CryptoKeyType,
) -> Result<(), ApiError> {
    match key_type {
        CryptoKeyType::Rsa { bits } => {
            if request.curve.is_some() {
                return Err(ApiError::bad_request("curve: only for EC keys"));
            }
            if let Some(size) = request.size
                && size != bits
            {
                return Err(ApiError::bad_request(
                    "size: does not match the imported key",
                ));
            }
        }
        CryptoKeyType::Ec(curve) => {
            if request.size.is_some() {
                return Err(ApiError::bad_request(
                    "size: not for EC keys (the curve sets it)",
                ));
            }
            let bits = i32::try_from(curve.bits()).unwrap_or_default();
            if let Some(c) = request.curve
                && c.bits() != bits
            {
                return Err(ApiError::bad_request(
                    "curve: does not match the imported key",
                ));
            }
        }
        _ => return Err(ApiError::bad_request("keys[0]: unsupported key type")),
    }
    Ok(())
}

/// The KMIP algorithm an imported asymmetric key is registered under.
fn algorithm_of(key_type: CryptoKeyType) -> Result<CryptographicAlgorithm, ApiError> {
    match key_type {
        CryptoKeyType::Rsa { .. } => Ok(CryptographicAlgorithm::RSA),
        CryptoKeyType::Ec(_) => Ok(CryptographicAlgorithm::ECDSA),
        _ => Err(ApiError::bad_request("keys[0]: unsupported key type")),
    }
}

// ---------------------------------------------------------------------------------
// Read

/// GET /servicekey/{keyId}[?format=jwk]
pub(crate) async fn get<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    query: &str,
) -> Result<Response, ApiError> {
    let format = key_format(query)?;
    let key = load(store, ctx, key_id).await?;
    let mut response = key.response()?;
    if format.is_some() {
        if key.key_type == Some(KeyType::Oct) {
            return Err(ApiError::bad_argument(
                "format: a symmetric key has no public JWK",
            ));
        }
        response.keys = Some(vec![public_jwk(store, ctx, &key).await?]);
    }
    Response::json(StatusCode::OK, &response)
}

/// The public JWK of an asymmetric service key: its public half (the linked Public Key,
/// or the key itself for a public-only key), `kid` the service key's id.
async fn public_jwk<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key: &ServiceKey,
) -> Result<JsonWebKeyResponse, ApiError> {
    let public_id = if key.object_type == ObjectType::PUBLIC_KEY {
        key.id.clone()
    } else {
        key.public_link
            .clone()
            .ok_or_else(|| ApiError::bad_argument("format: this key has no linked public key"))?
    };
    let object = store
        .get(&ctx.owner, &public_id, &GetOptions::default())
        .await?;
    let UsableKey::Public(public) = usable_key(&object)? else {
        return Err(ApiError::internal());
    };
    let jwk = public.to_jwk().map_err(|_| ApiError::internal())?;
    let b64 = |bytes: &[u8]| URL_SAFE_NO_PAD.encode(bytes);
    let mut out = JsonWebKeyResponse {
        kid: key.id.to_string(),
        kty: KeyType::Rsa,
        key_use: None,
        key_ops: Some(key.operations()),
        alg: None,
        n: None,
        e: None,
        crv: None,
        x: None,
        y: None,
    };
    match jwk.params() {
        jwk::KeyParams::Rsa(k) => {
            out.n = Some(b64(k.n()));
            out.e = Some(b64(k.e()));
        }
        jwk::KeyParams::Ec(k) => {
            out.kty = KeyType::Ec;
            out.crv = Curve::parse(k.curve().name());
            out.x = Some(b64(k.x()));
            out.y = Some(b64(k.y()));
        }
        _ => return Err(ApiError::internal()),
    }
    Ok(out)
}

/// GET /servicekey?state=&max=&continuation-token=
pub(crate) async fn list<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    query: &str,
) -> Result<Response, ApiError> {
    let state = match query::param(query, "state")? {
        None => KeyState::All,
        Some(s) => KeyState::parse(&s).ok_or_else(|| {
            ApiError::bad_request(format!(
                "state: must be one of {}",
                KeyState::ALL
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?,
    };
    let max = match query::param(query, "max")? {
        None => MAX_PAGE,
        Some(m) => m
            .parse::<u32>()
            .ok()
            .filter(|m| (MIN_PAGE..=MAX_PAGE).contains(m))
            .ok_or_else(|| {
                ApiError::bad_request(format!("max: must be {MIN_PAGE} to {MAX_PAGE}"))
            })?,
    };
    let mut after = match query::param(query, "continuation-token")? {
        None => 0,
        Some(t) if t.is_empty() => 0,
        Some(t) => decode_token(&t)?,
    };
    let wanted_state = state_of(state);
    let mut request = LocateRequest::default();
    if let Some(s) = wanted_state {
        request
            .attributes
            .push(Attribute::new(AttributeValue::State(s)));
    }
    let mut objects = Vec::new();
    let mut next = None;
    loop {
        let remaining = max.saturating_sub(u32::try_from(objects.len()).unwrap_or(max));
        if remaining == 0 {
            break;
        }
        request.after = after;
        request.max_items = Some(remaining);
        let found = store.locate(&ctx.owner, &request).await?;
        for id in found.ids {
            let attributes = match store
                .get_attributes(&ctx.owner, &id, &AttributeSelector::default())
                .await
            {
                Ok(a) => a,
                // Removed or changed hands since the locate: skip it.
                Err(StoreError::NotFound) => continue,
                Err(e) => return Err(e.into()),
            };
            let mut key = ServiceKey::from_attributes(id, &attributes);
            key.resolve_curve(store, ctx).await?;
            if !key.is_service_key() || (wanted_state.is_none() && key.is_destroyed()) {
                continue;
            }
            objects.push(key.response()?);
        }
        match found.next {
            Some(n) => {
                after = n;
                next = Some(n);
            }
            None => {
                next = None;
                break;
            }
        }
    }
    let response = ListServiceKeysResponse {
        objects_list: objects,
        continuation_token: next.map(encode_token).unwrap_or_default(),
        is_truncated: next.is_some(),
    };
    Response::json(StatusCode::OK, &response)
}

/// The opaque continuation token of a store position: base64url of its 8 bytes.
fn encode_token(seq: i64) -> String {
    URL_SAFE_NO_PAD.encode(seq.to_be_bytes())
}

fn decode_token(token: &str) -> Result<i64, ApiError> {
    let bad = || ApiError::bad_request("continuation-token: not a token this server issued");
    if token.len() > MAX_TOKEN_CHARS {
        return Err(ApiError::bad_request(format!(
            "continuation-token: at most {MAX_TOKEN_CHARS} characters"
        )));
    }
    let bytes = URL_SAFE_NO_PAD.decode(token).map_err(|_| bad())?;
    let bytes: [u8; 8] = bytes.try_into().map_err(|_| bad())?;
    let seq = i64::from_be_bytes(bytes);
    if seq < 0 { Err(bad()) } else { Ok(seq) }
}

// ---------------------------------------------------------------------------------
// Update and lifecycle

/// PATCH /servicekey/{keyId}: rename (both halves of a pair, in one transaction).
pub(crate) async fn patch<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: PatchServiceKeyRequest = json::parse(body)?;
    let key = load(store, ctx, key_id).await?;
    store.rename_pair(&ctx.owner, &key.id, request.name).await?;
    let key = load(store, ctx, key_id).await?;
    Response::json(StatusCode::OK, &key.response()?)
}

/// DELETE /servicekey/{keyId}: Destroy, both halves of a pair (409 while either is
/// Active; a public half already destroyed is left as is). 204.
pub(crate) async fn delete<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
) -> Result<Response, ApiError> {
    let key = load(store, ctx, key_id).await?;
    store.destroy_pair(&ctx.owner, &key.id, Rules::REST).await?;
    Ok(Response::no_content())
}

/// POST /servicekey/{keyId}/activate: idempotent, reactivates; both halves of a pair.
/// 204.
pub(crate) async fn activate<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
) -> Result<Response, ApiError> {
    let key = load(store, ctx, key_id).await?;
    store
        .activate_pair(&ctx.owner, &key.id, Rules::REST)
        .await?;
    Ok(Response::no_content())
}

/// POST /servicekey/{keyId}/deactivate: Revoke with the reason (a compromise reason
/// makes the key compromised); both halves of a pair. 204.
pub(crate) async fn deactivate<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: DeactivateServicekeyRequest = json::parse(body)?;
    let key = load(store, ctx, key_id).await?;
    let code = revocation_code(request.reason);
    store
        .revoke_pair(&ctx.owner, &key.id, RevokeRequest::new(code), Rules::REST)
        .await?;
    Ok(Response::no_content())
}

fn revocation_code(reason: RevocationReason) -> RevocationReasonCode {
    match reason {
        RevocationReason::Unspecified => RevocationReasonCode::UNSPECIFIED,
        RevocationReason::KeyCompromise => RevocationReasonCode::KEY_COMPROMISE,
        RevocationReason::CaCompromise => RevocationReasonCode::CA_COMPROMISE,
        RevocationReason::AffiliationChanged => RevocationReasonCode::AFFILIATION_CHANGED,
        RevocationReason::Superseded => RevocationReasonCode::SUPERSEDED,
        RevocationReason::CessationOfOperation => RevocationReasonCode::CESSATION_OF_OPERATION,
        RevocationReason::PrivilegeWithdrawn => RevocationReasonCode::PRIVILEGE_WITHDRAWN,
    }
}

// ---------------------------------------------------------------------------------
// Random, health, OpenAPI

/// GET /random?length=N (1–4096, default 1): standard base64 of N random bytes.
pub(crate) fn random(query: &str) -> Result<Response, ApiError> {
    let length = match query::param(query, "length")? {
        None => 1,
        Some(l) => l
            .parse::<usize>()
            .ok()
            .filter(|l| (1..=MAX_RANDOM).contains(l))
            .ok_or_else(|| ApiError::bad_request(format!("length: must be 1 to {MAX_RANDOM}")))?,
    };
    let bytes = kms_crypto::rng::random_bytes(length).map_err(|_| ApiError::internal())?;
    Response::json(
        StatusCode::OK,
        &GetRandomResponse {
            bytes: SecretText::base64(bytes.expose()),
        },
    )
}

/// GET /healthz
pub(crate) fn health() -> Result<Response, ApiError> {
    Response::json(
        StatusCode::OK,
        &HealthResponse {
            status: "ok".to_owned(),
        },
    )
}

/// GET /api/openapi.yaml
pub(crate) fn openapi() -> Response {
    Response::bytes(
        StatusCode::OK,
        OPENAPI.as_bytes().to_vec(),
        "application/yaml",
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn tokens_round_trip_and_refuse_forgeries() {
        for seq in [0, 1, 255, 1 << 40, i64::MAX] {
            assert_eq!(decode_token(&encode_token(seq)).unwrap(), seq);
        }
        assert!(decode_token("!!").is_err());
        assert!(decode_token("AAAA").is_err());
        assert!(decode_token(&"A".repeat(501)).is_err());
        assert!(decode_token(&encode_token(-1)).is_err());
    }

    #[test]
    fn usage_masks_map_both_ways() {
        let ops = [CryptographicUsage::Encrypt, CryptographicUsage::UnwrapKey];
        let mask = usage_mask(&ops);
        assert_eq!(
            mask.0,
            CryptographicUsageMask::ENCRYPT.0 | CryptographicUsageMask::UNWRAP_KEY.0
        );
        let key = ServiceKey::from_attributes(
            ObjectId::parse("k").unwrap(),
            &[
                Attribute::new(AttributeValue::ObjectType(ObjectType::SYMMETRIC_KEY)),
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::AES,
                )),
                Attribute::new(AttributeValue::CryptographicLength(256)),
                Attribute::new(AttributeValue::CryptographicUsageMask(mask)),
                Attribute::new(AttributeValue::State(State::ACTIVE)),
            ],
        );
        let r = key.response().unwrap();
        assert_eq!(r.operations, ops);
        assert_eq!(r.key_type, KeyType::Oct);
        assert_eq!(r.size, Some(256));
        assert_eq!(r.attributes.unwrap().state, KeyState::Active);
    }

    #[test]
    fn the_public_half_of_a_pair_is_not_a_service_key() {
        let public = ServiceKey::from_attributes(
            ObjectId::parse("p").unwrap(),
            &[
                Attribute::new(AttributeValue::ObjectType(ObjectType::PUBLIC_KEY)),
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::RSA,
                )),
                Attribute::new(AttributeValue::Link(Link {
                    link_type: LinkType::PRIVATE_KEY_LINK,
                    linked_object_identifier: kmip_types::UniqueId::Text("k".into()),
                })),
            ],
        );
        assert!(!public.is_service_key());
    }
}

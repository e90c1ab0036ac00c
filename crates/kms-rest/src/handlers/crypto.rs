//! The cryptographic operations of a service key: encrypt, decrypt, datakey,
//! datakey/decrypt, sign and verify (docs/kms-rest.md, "Formats").
//!
//! Each handler parses and validates its body, makes the checks that belong to the API
//! (sizes, algorithm names, formats), and calls the store, which applies the key's
//! state, usage mask and usage limits. Bodies hold plaintexts and are never logged;
//! decoded plaintexts live in zeroizing buffers.

use std::fmt::Debug;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::StatusCode;
use kms_crypto::rng;
use kms_store::backend::Backend;
use kms_store::{ObjectId, Store};

use crate::context::RequestContext;
use crate::dto::{
    DecryptDataKeyRequest, DecryptDataKeyResponse, DecryptRequest, DecryptResponse, EncryptRequest,
    EncryptResponse, GenerateDataKeyRequest, GenerateDataKeyResponse, MAX_PLAINTEXT_BYTES,
    SecretText, SignRequest, SignResponse, SignatureFormat, VerifyRequest, VerifyResponse,
    decode_base64_field,
};
use crate::error::ApiError;
use crate::response::Response;
use crate::signature::{self, Compact, MAX_MESSAGE_LEN};
use crate::{json, jwe, query};

/// The smallest data key, in bits. The spec allows 64, but a 64-bit key is no key
/// (SP 800-131A asks for at least 112 bits) and the SDK documents 128, 192 and 256.
const MIN_DATA_KEY_BITS: i32 = 128;
/// The largest data key, in bits.
const MAX_DATA_KEY_BITS: i32 = 4096;

/// POST /servicekey/{keyId}/encrypt: `plaintext` (standard base64, 1 to 4096 bytes) and
/// an optional `context` → `{"ciphertext": JWE}`.
pub(crate) async fn encrypt<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: EncryptRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let plaintext = decode_base64_field("plaintext", &request.plaintext, MAX_PLAINTEXT_BYTES)?;
    if plaintext.is_empty() {
        return Err(ApiError::bad_request("plaintext: at least 1 byte"));
    }
    let context = request.context.as_deref();
    let ciphertext = jwe::seal(store, &ctx.owner, &id, &plaintext, context).await?;
    Response::json(StatusCode::OK, &EncryptResponse { ciphertext })
}

/// POST /servicekey/{keyId}/decrypt: `ciphertext` and the `context` given at encryption
/// → `{"plaintext": base64}`. Every ciphertext that does not open is the one generic
/// error.
pub(crate) async fn decrypt<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: DecryptRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let context = request.context.as_deref();
    let plaintext = jwe::open(store, &ctx.owner, &id, &request.ciphertext, context).await?;
    let plaintext = SecretText::base64(plaintext.expose());
    Response::json(StatusCode::OK, &DecryptResponse { plaintext })
}

/// POST /servicekey/{keyId}/datakey: `size` in bits (128 to 4096, whole bytes), an
/// optional `name` → 201 `{"key": JWE, "plaintext": base64}`.
///
/// The data key is sealed like an Encrypt ciphertext without a context. The `name` is
/// validated but neither stored nor bound into the blob: datakey/decrypt receives only
/// the blob, so a name bound as AAD could never be supplied again.
pub(crate) async fn datakey<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: GenerateDataKeyRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let bits = request.size;
    if !(MIN_DATA_KEY_BITS..=MAX_DATA_KEY_BITS).contains(&bits) || bits % 8 != 0 {
        return Err(ApiError::bad_request(format!(
            "size: a multiple of 8 from {MIN_DATA_KEY_BITS} to {MAX_DATA_KEY_BITS} bits"
        )));
    }
    let len = usize::try_from(bits / 8).map_err(|_| ApiError::internal())?;
    let data_key = rng::random_bytes(len).map_err(|_| ApiError::internal())?;
    let key = jwe::seal(store, &ctx.owner, &id, data_key.expose(), None).await?;
    let plaintext = Some(SecretText::base64(data_key.expose()));
    Response::json(
        StatusCode::CREATED,
        &GenerateDataKeyResponse { key, plaintext },
    )
}

/// POST /servicekey/{keyId}/datakey/decrypt: `key` (a blob from datakey) →
/// `{"plaintext": base64}`.
pub(crate) async fn datakey_decrypt<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: DecryptDataKeyRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let data_key = jwe::open(store, &ctx.owner, &id, &request.key, None).await?;
    let plaintext = SecretText::base64(data_key.expose());
    Response::json(StatusCode::OK, &DecryptDataKeyResponse { plaintext })
}

/// POST /servicekey/{keyId}/sign?format=raw|jws|jwt: `message` (standard base64), `alg`,
/// `isdigest` → `{"signature": …}`.
///
/// - `raw` (the default): standard base64 of the signature, ECDSA as `r‖s`. With
///   `isdigest` the message is the digest, as long as the algorithm's hash.
/// - `jws`: a compact JWS over the message, header `{"alg":…,"kid":<key id>}`.
/// - `jwt`: the same with `"typ":"JWT"`; the message must be a JSON object (the claims).
///
/// A digest cannot be put in a JWS (the signature covers the header too), so `isdigest`
/// is only for `raw`.
pub(crate) async fn sign<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    query: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let format = match query::param(query, "format")? {
        None => SignatureFormat::Raw,
        Some(value) => SignatureFormat::parse(&value)
            .ok_or_else(|| ApiError::bad_request("format: expected raw, jws or jwt"))?,
    };
    let request: SignRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let alg = signature::algorithm(request.alg.as_str())?;
    let message = decode_base64_field("message", &request.message, MAX_MESSAGE_LEN)?;
    if message.is_empty() {
        return Err(ApiError::bad_request("message: at least 1 byte"));
    }
    let is_digest = request.isdigest.unwrap_or(false);
    if is_digest {
        if format != SignatureFormat::Raw {
            return Err(ApiError::bad_argument(
                "isdigest: only with format raw (a JWS signs its header too)",
            ));
        }
        signature::check_digest(alg, &message)?;
    }
    let params = signature::parameters(alg);
    let signature = match format {
        SignatureFormat::Raw => {
            let der = store
                .sign(&ctx.owner, &id, Some(&params), &message, is_digest)
                .await?;
            STANDARD.encode(signature::to_wire(alg, der)?)
        }
        SignatureFormat::Jws | SignatureFormat::Jwt => {
            let jwt = format == SignatureFormat::Jwt;
            if jwt && jwk::jwt::Claims::from_json(&message).is_err() {
                return Err(ApiError::bad_request(
                    "message: a JWT's claims are a JSON object without duplicate members",
                ));
            }
            let input = signature::signing_input(alg, &id, jwt, &message)?;
            let der = store
                .sign(&ctx.owner, &id, Some(&params), input.as_bytes(), false)
                .await?;
            signature::compact(input, &signature::to_wire(alg, der)?)
        }
    };
    Response::json(StatusCode::OK, &SignResponse { signature })
}

/// POST /servicekey/{keyId}/verify: `signature`, and `message` and `alg` unless the
/// signature is a compact JWS/JWT (which carries them), `isdigest` → `{"result": bool}`.
///
/// A signature that does not verify — wrong, tampered, malformed octets, or over another
/// message — is 200 `{"result": false}`. An algorithm that does not fit the key, a JWS
/// `alg` other than the request's, or a text that is not base64 or not a JWS is a 400.
pub(crate) async fn verify<B: Backend + Debug>(
    store: &Store<B>,
    ctx: &RequestContext,
    key_id: &str,
    body: &[u8],
) -> Result<Response, ApiError> {
    let request: VerifyRequest = json::parse(body)?;
    let id = object_id(key_id)?;
    let is_digest = request.isdigest.unwrap_or(false);
    let requested = request
        .alg
        .map(|a| signature::algorithm(a.as_str()))
        .transpose()?;
    let message = request
        .message
        .as_ref()
        .map(|m| decode_base64_field("message", m, MAX_MESSAGE_LEN))
        .transpose()?;
    // Standard base64 never holds a '.'; a compact JWS always does.
    let result = if request.signature.contains('.') {
        if is_digest {
            return Err(ApiError::bad_argument(
                "isdigest: not with a JWS or JWT signature",
            ));
        }
        let token = Compact::parse(&request.signature)?;
        if requested.is_some_and(|alg| alg != token.alg) {
            return Err(ApiError::bad_argument("alg: differs from the JWS header's"));
        }
        // Detached content (an empty payload part) takes the message; otherwise a message,
        // when given, must be the payload.
        let (payload, matches) = match (&message, token.payload.is_empty()) {
            (Some(m), true) => (signature::base64url(m), true),
            (None, true) => {
                return Err(ApiError::bad_request(
                    "message: required with a detached JWS",
                ));
            }
            (Some(m), false) => (
                token.payload.clone(),
                signature::base64url(m) == token.payload,
            ),
            (None, false) => (token.payload.clone(), true),
        };
        let input = token.signing_input(&payload);
        let params = signature::parameters(token.alg);
        let wire = signature::from_wire(token.alg, &token.signature);
        let valid = store
            .verify(
                &ctx.owner,
                &id,
                Some(&params),
                input.as_bytes(),
                false,
                &wire,
            )
            .await?;
        valid && matches
    } else {
        let alg = requested.ok_or_else(|| {
            ApiError::bad_request("alg: required unless the signature is a JWS or JWT")
        })?;
        let message = message.ok_or_else(|| {
            ApiError::bad_request("message: required unless the signature is a JWS or JWT")
        })?;
        let octets = STANDARD
            .decode(&request.signature)
            .map_err(|_| ApiError::bad_request("signature: not standard base64"))?;
        if is_digest {
            signature::check_digest(alg, &message)?;
        }
        let params = signature::parameters(alg);
        let wire = signature::from_wire(alg, &octets);
        store
            .verify(&ctx.owner, &id, Some(&params), &message, is_digest, &wire)
            .await?
    };
    Response::json(StatusCode::OK, &VerifyResponse { result })
}

/// The store's id for the path's key id; one the store could never hold is not found.
fn object_id(key_id: &str) -> Result<ObjectId, ApiError> {
    ObjectId::parse(key_id).ok_or_else(ApiError::not_found)
}

//! Encrypt, Decrypt, Sign, Signature Verify, MAC, MAC Verify (KMIP 1.4 §4.29–4.34) on
//! the store's keys, and RNG Retrieve and Hash (§4.35, §4.37), which need no key.
//!
//! Single-part only: a request that opens or continues a stream (Correlation Value,
//! Init Indicator without Final Indicator) is Feature Not Supported. Nothing here logs
//! a request or response body.

use kmip_types::payloads::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, HashRequest, HashResponse,
    MacRequest, MacResponse, MacVerifyRequest, MacVerifyResponse, RngRetrieveRequest,
    RngRetrieveResponse, SignRequest, SignResponse, SignatureVerifyRequest,
    SignatureVerifyResponse,
};
use kmip_types::{KmipVersion, ResponsePayload, ResultReason, SecretBytes, ValidityIndicator};
use kms_store::backend::Backend;
use kms_store::{Store, StoreError};

use super::{resolve, store_error, uid};
use crate::{KmipError, OpContext};

/// The most bytes one RNG Retrieve returns.
const MAX_RANDOM: usize = 1 << 16;

fn single_part(
    correlation: Option<&Vec<u8>>,
    init: Option<bool>,
    last: Option<bool>,
) -> Result<(), KmipError> {
    if correlation.is_none() && init.unwrap_or(false) == last.unwrap_or(false) {
        Ok(())
    } else {
        Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "streamed (multi-part) cryptographic operations",
        ))
    }
}

fn missing(field: &str) -> KmipError {
    KmipError::new(ResultReason::MISSING_DATA, format!("{field} is missing"))
}

fn required<T>(value: Option<T>, field: &str) -> Result<T, KmipError> {
    value.ok_or_else(|| missing(field))
}

fn validity(valid: bool) -> ValidityIndicator {
    if valid {
        ValidityIndicator::VALID
    } else {
        ValidityIndicator::INVALID
    }
}

/// Encrypt (KMIP 1.4 §4.29): with the request's Cryptographic Parameters (the key's
/// when absent), IV/Counter/Nonce, and for AEAD the Additional Data; the tag comes back
/// as Authenticated Encryption Tag (KMIP 1.4).
pub(super) async fn encrypt<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: EncryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let data = required(request.data, "Data")?;
    let out = store
        .encrypt(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            data.expose(),
            request.iv_counter_nonce.as_deref(),
            request.authenticated_encryption_additional_data.as_deref(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    if out.tag.is_some() && ctx.version < KmipVersion::V1_4 {
        // Before 1.4 the response cannot carry the tag, and ciphertext without it is
        // useless to the client.
        return Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "authenticated encryption needs KMIP 1.4",
        ));
    }
    let response = EncryptResponse {
        unique_identifier: uid(&id),
        data: Some(out.data),
        iv_counter_nonce: out.iv_counter_nonce,
        correlation_value: None,
        authenticated_encryption_tag: out.tag,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Encrypt(Box::new(response)))
}

/// Decrypt (KMIP 1.4 §4.30).
pub(super) async fn decrypt<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: DecryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let data = required(request.data, "Data")?;
    let plain = store
        .decrypt(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            &data,
            request.iv_counter_nonce.as_deref(),
            request.authenticated_encryption_additional_data.as_deref(),
            request.authenticated_encryption_tag.as_deref(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    let mut plain = plain.into_zeroizing();
    let response = DecryptResponse {
        unique_identifier: uid(&id),
        data: Some(SecretBytes::new(std::mem::take(&mut *plain))),
        correlation_value: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Decrypt(Box::new(response)))
}

/// Sign (KMIP 1.4 §4.31): Data, or Digested Data (KMIP 1.4) that the client hashed.
pub(super) async fn sign<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let (input, is_digest) = match (&request.digested_data, &request.data) {
        (Some(digest), _) => (digest.as_slice(), true),
        (None, Some(data)) => (data.expose(), false),
        (None, None) => return Err(missing("Data")),
    };
    let signature = store
        .sign(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            input,
            is_digest,
        )
        .await
        .map_err(store_error(ctx.version))?;
    let response = SignResponse {
        unique_identifier: uid(&id),
        signature_data: Some(signature),
        correlation_value: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Sign(Box::new(response)))
}

/// Signature Verify (KMIP 1.4 §4.32): a signature that does not verify is Validity
/// Indicator Invalid, not an error.
pub(super) async fn verify<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignatureVerifyRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let (input, is_digest) = match (&request.digested_data, &request.data) {
        (Some(digest), _) => (digest.as_slice(), true),
        (None, Some(data)) => (data.expose(), false),
        (None, None) => return Err(missing("Data")),
    };
    let signature = required(request.signature_data.as_ref(), "Signature Data")?;
    let valid = store
        .verify(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            input,
            is_digest,
            signature,
        )
        .await
        .map_err(store_error(ctx.version))?;
    let response = SignatureVerifyResponse {
        unique_identifier: uid(&id),
        validity_indicator: Some(validity(valid)),
        data: None,
        correlation_value: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::SignatureVerify(Box::new(response)))
}

/// MAC (KMIP 1.4 §4.33).
pub(super) async fn mac<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: MacRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let data = required(request.data, "Data")?;
    let mac = store
        .mac(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            data.expose(),
        )
        .await
        .map_err(store_error(ctx.version))?;
    let response = MacResponse {
        unique_identifier: uid(&id),
        mac_data: Some(mac),
        correlation_value: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Mac(Box::new(response)))
}

/// MAC Verify (KMIP 1.4 §4.34): a MAC that does not match is Validity Indicator
/// Invalid.
pub(super) async fn mac_verify<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: MacVerifyRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let data = required(request.data, "Data")?;
    let mac = required(request.mac_data, "MAC Data")?;
    let valid = store
        .mac_verify(
            &ctx.owner,
            &id,
            request.cryptographic_parameters.as_ref(),
            data.expose(),
            &mac,
        )
        .await
        .map_err(store_error(ctx.version))?;
    let response = MacVerifyResponse {
        unique_identifier: uid(&id),
        validity_indicator: Some(validity(valid)),
        correlation_value: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::MacVerify(Box::new(response)))
}

/// RNG Retrieve (KMIP 1.4 §4.35): at most [`MAX_RANDOM`] bytes from the system CSPRNG.
pub(super) fn rng_retrieve(
    ctx: &OpContext,
    request: RngRetrieveRequest,
) -> Result<ResponsePayload, KmipError> {
    let len = usize::try_from(request.data_length)
        .ok()
        .filter(|l| (1..=MAX_RANDOM).contains(l))
        .ok_or_else(|| {
            KmipError::new(
                ResultReason::INVALID_FIELD,
                format!("Data Length must be between 1 and {MAX_RANDOM}"),
            )
        })?;
    let random = kms_crypto::rng::random_bytes(len)
        .map_err(|_| KmipError::from_store(StoreError::CryptoFailure, ctx.version))?;
    let mut random = random.into_zeroizing();
    Ok(ResponsePayload::RngRetrieve(Box::new(
        RngRetrieveResponse {
            data: SecretBytes::new(std::mem::take(&mut *random)),
        },
    )))
}

/// Hash (KMIP 1.4 §4.37): the Hashing Algorithm of the Cryptographic Parameters, SHA-1
/// and SHA-2 only.
pub(super) fn hash(ctx: &OpContext, request: HashRequest) -> Result<ResponsePayload, KmipError> {
    single_part(
        request.correlation_value.as_ref(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let to_error = store_error(ctx.version);
    let algorithm = request
        .cryptographic_parameters
        .hashing_algorithm
        .ok_or_else(|| to_error(StoreError::MissingData("Hashing Algorithm".into())))?;
    let algorithm = kms_store::material::hash_algorithm(algorithm).map_err(&to_error)?;
    let data = required(request.data, "Data")?;
    let digest = kms_crypto::hash::digest(algorithm, data.expose());
    Ok(ResponsePayload::Hash(Box::new(HashResponse {
        data: Some(digest.as_bytes().to_vec()),
        correlation_value: None,
    })))
}

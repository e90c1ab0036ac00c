//! Encrypt, Decrypt, Sign, Signature Verify, MAC, MAC Verify (KMIP 1.4 §4.29–4.34) on
//! the store's keys, and RNG Retrieve and Hash (§4.35, §4.37), which need no key.
//!
//! Each runs in one request, or streamed (KMIP 1.3 and later): Init Indicator opens a
//! stream ([`crate::stream`]) whose Correlation Value the later parts repeat, and Final
//! Indicator closes it. Encrypt and Decrypt (CBC, ECB) return each part's output as it
//! completes; the others return their result at the last part. Nothing here logs a
//! request or response body.

use kmip_types::payloads::{
    DecryptRequest, DecryptResponse, EncryptRequest, EncryptResponse, HashRequest, HashResponse,
    MacRequest, MacResponse, MacVerifyRequest, MacVerifyResponse, RngRetrieveRequest,
    RngRetrieveResponse, SignRequest, SignResponse, SignatureVerifyRequest,
    SignatureVerifyResponse,
};
use kmip_types::{
    CryptographicParameters, KmipVersion, Operation, ResponsePayload, ResultReason, SecretBytes,
    UniqueId, ValidityIndicator,
};
use kms_crypto::Secret;
use kms_store::backend::Backend;
use kms_store::material::{self, BlockStream};
use kms_store::{ObjectId, Store, StoreError, StreamUse};
use zeroize::Zeroizing;

use super::{resolve, store_error, uid};
use crate::stream::{KeyedState, Stream, StreamState};
use crate::{KmipError, OpContext};

/// The most bytes one RNG Retrieve returns.
const MAX_RANDOM: usize = 1 << 16;

/// Which part of an operation a request is.
enum Part {
    /// The whole operation.
    Single,
    /// The first part of a stream.
    Init,
    /// A later part, not the last.
    Next(Vec<u8>),
    /// The last part.
    Last(Vec<u8>),
}

impl Part {
    fn of(
        correlation: Option<Vec<u8>>,
        init: Option<bool>,
        last: Option<bool>,
    ) -> Result<Part, KmipError> {
        let (init, last) = (init.unwrap_or(false), last.unwrap_or(false));
        match correlation {
            None if init == last => Ok(Part::Single),
            None if init => Ok(Part::Init),
            None => Err(missing("Correlation Value")),
            Some(_) if init => Err(KmipError::new(
                ResultReason::INVALID_FIELD,
                "Init Indicator with a Correlation Value",
            )),
            Some(c) if last => Ok(Part::Last(c)),
            Some(c) => Ok(Part::Next(c)),
        }
    }
}

/// Takes out the stream a later part continues: the caller's, of `operation`, on the
/// request's key when it names one; the store checks that the key is still usable and
/// counts the part's `bytes`. A stream whose key fails the checks is dropped.
async fn continued<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &OpContext,
    correlation: &[u8],
    operation: Operation,
    usage: StreamUse,
    id: Option<&UniqueId>,
    bytes: usize,
) -> Result<Stream, KmipError> {
    let id = id.map(|id| resolve(ctx, Some(id))).transpose()?;
    let stream = ctx
        .streams
        .take(&ctx.owner, correlation, operation, id.as_ref())?;
    let key = stream.key().ok_or_else(wrong_state)?;
    store
        .continue_stream(&ctx.owner, key, usage, bytes)
        .await
        .map_err(store_error(ctx.version))?;
    Ok(stream)
}

/// The stream's key, for the response.
fn stream_uid(stream: &Stream) -> Result<UniqueId, KmipError> {
    stream
        .key()
        .map(uid)
        .ok_or_else(|| KmipError::new(ResultReason::GENERAL_FAILURE, "a keyed stream has no key"))
}

/// Output bytes as a response carries them: absent when there are none.
fn output(out: Secret) -> Option<Vec<u8>> {
    let mut out = out.into_zeroizing();
    (!out.is_empty()).then(|| std::mem::take(&mut *out))
}

/// Appends a part's data to a buffering stream, within the registry's bound.
fn append(
    ctx: &OpContext,
    held: &mut Zeroizing<Vec<u8>>,
    data: Option<&[u8]>,
) -> Result<(), KmipError> {
    let data = data.unwrap_or_default();
    ctx.streams.check_buffer(held.len(), data.len())?;
    held.extend_from_slice(data);
    Ok(())
}

fn wrong_state() -> KmipError {
    KmipError::new(
        ResultReason::GENERAL_FAILURE,
        "the stream does not run this operation",
    )
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

/// A later part of a streamed Encrypt or Decrypt (`usage`): the stream's key, the
/// part's output (the whole blocks it completes; at the last part, the rest) and the
/// Correlation Value to repeat (none after the last part). A failed part drops the
/// stream.
async fn block_part<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    (correlation, last): (Vec<u8>, bool),
    usage: StreamUse,
    unique_identifier: Option<&UniqueId>,
    data: &[u8],
) -> Result<(UniqueId, Secret, Option<Vec<u8>>), KmipError> {
    let (operation, wrap): (Operation, fn(BlockStream) -> StreamState) = match usage {
        StreamUse::Encrypt => (Operation::ENCRYPT, StreamState::Encrypt),
        StreamUse::Decrypt => (Operation::DECRYPT, StreamState::Decrypt),
        _ => return Err(wrong_state()),
    };
    let mut stream = continued(
        store,
        ctx,
        &correlation,
        operation,
        usage,
        unique_identifier,
        data.len(),
    )
    .await?;
    let unique_identifier = stream_uid(&stream)?;
    let mut block = match stream.state {
        StreamState::Encrypt(s) if operation == Operation::ENCRYPT => s,
        StreamState::Decrypt(s) if operation == Operation::DECRYPT => s,
        _ => return Err(wrong_state()),
    };
    let version = ctx.version;
    if last {
        let out = block.finish(data).map_err(store_error(version))?;
        return Ok((unique_identifier, out, None));
    }
    let out = block.update(data).map_err(store_error(version))?;
    stream.state = wrap(block);
    ctx.streams.put_back(correlation.clone(), stream);
    Ok((unique_identifier, out, Some(correlation)))
}

/// Encrypt (KMIP 1.4 §4.29): with the request's Cryptographic Parameters (the key's
/// when absent), IV/Counter/Nonce, and for AEAD the Additional Data; the tag comes back
/// as Authenticated Encryption Tag (KMIP 1.4). Streamed in CBC and ECB.
pub(super) async fn encrypt<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: EncryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let (correlation, last) = match part {
        Part::Single => return encrypt_single(store, ctx, request).await,
        Part::Init => return encrypt_init(store, ctx, request).await,
        Part::Next(c) => (c, false),
        Part::Last(c) => (c, true),
    };
    let data = request
        .data
        .as_ref()
        .map(|d| d.expose())
        .unwrap_or_default();
    let (unique_identifier, out, correlation_value) = block_part(
        store,
        ctx,
        (correlation, last),
        StreamUse::Encrypt,
        request.unique_identifier.as_ref(),
        data,
    )
    .await?;
    Ok(ResponsePayload::Encrypt(Box::new(EncryptResponse {
        unique_identifier,
        data: output(out),
        iv_counter_nonce: None,
        correlation_value,
        authenticated_encryption_tag: None,
    })))
}

async fn encrypt_single<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: EncryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
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

async fn encrypt_init<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: EncryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let to_error = store_error(ctx.version);
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    let data = request
        .data
        .as_ref()
        .map(|d| d.expose())
        .unwrap_or_default();
    ctx.streams.check_room(&ctx.owner)?;
    let (key, params) = store
        .stream_key(
            &ctx.owner,
            &id,
            StreamUse::Encrypt,
            request.cryptographic_parameters.as_ref(),
            data.len(),
        )
        .await
        .map_err(&to_error)?;
    let started = material::encrypt_stream(
        key,
        params.as_ref(),
        request.iv_counter_nonce.as_deref(),
        request.authenticated_encryption_additional_data.as_deref(),
    )
    .map_err(&to_error)?;
    let mut stream = started.stream;
    let out = stream.update(data).map_err(&to_error)?;
    let correlation = ctx.streams.open(
        &ctx.owner,
        Operation::ENCRYPT,
        Some(id.clone()),
        StreamState::Encrypt(stream),
    )?;
    let response = EncryptResponse {
        unique_identifier: uid(&id),
        data: output(out),
        iv_counter_nonce: started.generated_iv,
        correlation_value: Some(correlation),
        authenticated_encryption_tag: None,
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Encrypt(Box::new(response)))
}

/// Decrypt (KMIP 1.4 §4.30). Streamed in CBC and ECB; with padding, the last block
/// waits for the last part.
pub(super) async fn decrypt<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: DecryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let (correlation, last) = match part {
        Part::Single => return decrypt_single(store, ctx, request).await,
        Part::Init => return decrypt_init(store, ctx, request).await,
        Part::Next(c) => (c, false),
        Part::Last(c) => (c, true),
    };
    let data = request.data.as_deref().unwrap_or_default();
    let (unique_identifier, out, correlation_value) = block_part(
        store,
        ctx,
        (correlation, last),
        StreamUse::Decrypt,
        request.unique_identifier.as_ref(),
        data,
    )
    .await?;
    Ok(ResponsePayload::Decrypt(Box::new(DecryptResponse {
        unique_identifier,
        data: output(out).map(SecretBytes::new),
        correlation_value,
    })))
}

async fn decrypt_single<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: DecryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
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

async fn decrypt_init<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: DecryptRequest,
) -> Result<ResponsePayload, KmipError> {
    let to_error = store_error(ctx.version);
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
    if request.authenticated_encryption_tag.is_some() {
        return Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "streamed authenticated decryption",
        ));
    }
    let data = request.data.as_deref().unwrap_or_default();
    ctx.streams.check_room(&ctx.owner)?;
    let (key, params) = store
        .stream_key(
            &ctx.owner,
            &id,
            StreamUse::Decrypt,
            request.cryptographic_parameters.as_ref(),
            data.len(),
        )
        .await
        .map_err(&to_error)?;
    let mut stream = material::decrypt_stream(
        key,
        params.as_ref(),
        request.iv_counter_nonce.as_deref(),
        request.authenticated_encryption_additional_data.as_deref(),
    )
    .map_err(&to_error)?;
    let out = stream.update(data).map_err(&to_error)?;
    let correlation = ctx.streams.open(
        &ctx.owner,
        Operation::DECRYPT,
        Some(id.clone()),
        StreamState::Decrypt(stream),
    )?;
    let response = DecryptResponse {
        unique_identifier: uid(&id),
        data: output(out).map(SecretBytes::new),
        correlation_value: Some(correlation),
    };
    ctx.id_placeholder = Some(id);
    Ok(ResponsePayload::Decrypt(Box::new(response)))
}

/// A part of a Sign, Signature Verify, MAC or MAC Verify stream: the data it adds, the
/// MAC or signature it carries. The first part opens the stream (after the store's
/// checks); the last takes it out for the one-shot computation.
struct KeyedPart<'a> {
    operation: Operation,
    usage: StreamUse,
    id: Option<&'a UniqueId>,
    params: Option<&'a CryptographicParameters>,
    data: Option<&'a [u8]>,
    expected: Option<&'a Vec<u8>>,
}

/// What a keyed stream part leads to.
enum KeyedStep {
    /// The stream is open or continues: its key and Correlation Value.
    Open(UniqueId, Vec<u8>),
    /// The last part: the key and the stream's state, to compute with.
    Done(ObjectId, Box<KeyedState>),
}

async fn keyed_part<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    part: Part,
    request: KeyedPart<'_>,
) -> Result<KeyedStep, KmipError> {
    let (correlation, last) = match part {
        Part::Single => return Err(wrong_state()),
        Part::Init => {
            let id = resolve(ctx, request.id)?;
            let data = request.data.unwrap_or_default();
            ctx.streams.check_buffer(0, data.len())?;
            ctx.streams.check_room(&ctx.owner)?;
            let (key, params) = store
                .stream_key(&ctx.owner, &id, request.usage, request.params, data.len())
                .await
                .map_err(store_error(ctx.version))?;
            let state = KeyedState {
                key,
                params,
                data: Zeroizing::new(data.to_vec()),
                expected: request.expected.cloned(),
            };
            let correlation = ctx.streams.open(
                &ctx.owner,
                request.operation,
                Some(id.clone()),
                StreamState::Keyed(Box::new(state)),
            )?;
            let unique_identifier = uid(&id);
            ctx.id_placeholder = Some(id);
            return Ok(KeyedStep::Open(unique_identifier, correlation));
        }
        Part::Next(c) => (c, false),
        Part::Last(c) => (c, true),
    };
    let mut stream = continued(
        store,
        ctx,
        &correlation,
        request.operation,
        request.usage,
        request.id,
        request.data.map_or(0, <[u8]>::len),
    )
    .await?;
    let id = stream.key().cloned().ok_or_else(wrong_state)?;
    let StreamState::Keyed(mut state) = stream.state else {
        return Err(wrong_state());
    };
    append(ctx, &mut state.data, request.data)?;
    if let Some(expected) = request.expected {
        state.expected = Some(expected.clone());
    }
    if last {
        return Ok(KeyedStep::Done(id, state));
    }
    stream.state = StreamState::Keyed(state);
    ctx.streams.put_back(correlation.clone(), stream);
    Ok(KeyedStep::Open(uid(&id), correlation))
}

/// Sign (KMIP 1.4 §4.31): Data, or Digested Data (KMIP 1.4) that the client hashed.
/// Streamed: the signature comes with the last part.
pub(super) async fn sign<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    if matches!(part, Part::Single) {
        return sign_single(store, ctx, request).await;
    }
    if request.digested_data.is_some() {
        return Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "Digested Data in a stream",
        ));
    }
    let step = keyed_part(
        store,
        ctx,
        part,
        KeyedPart {
            operation: Operation::SIGN,
            usage: StreamUse::Sign,
            id: request.unique_identifier.as_ref(),
            params: request.cryptographic_parameters.as_ref(),
            data: request.data.as_ref().map(|d| d.expose()),
            expected: None,
        },
    )
    .await?;
    let response = match step {
        KeyedStep::Open(unique_identifier, correlation) => SignResponse {
            unique_identifier,
            signature_data: None,
            correlation_value: Some(correlation),
        },
        KeyedStep::Done(id, state) => SignResponse {
            unique_identifier: uid(&id),
            signature_data: Some(
                material::sign(&state.key, state.params.as_ref(), &state.data, false)
                    .map_err(store_error(ctx.version))?,
            ),
            correlation_value: None,
        },
    };
    Ok(ResponsePayload::Sign(Box::new(response)))
}

async fn sign_single<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
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
/// Indicator Invalid, not an error. Streamed: the signature may come with any part,
/// the verdict comes with the last.
pub(super) async fn verify<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignatureVerifyRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    if matches!(part, Part::Single) {
        return verify_single(store, ctx, request).await;
    }
    if request.digested_data.is_some() {
        return Err(KmipError::new(
            ResultReason::FEATURE_NOT_SUPPORTED,
            "Digested Data in a stream",
        ));
    }
    let step = keyed_part(
        store,
        ctx,
        part,
        KeyedPart {
            operation: Operation::SIGNATURE_VERIFY,
            usage: StreamUse::Verify,
            id: request.unique_identifier.as_ref(),
            params: request.cryptographic_parameters.as_ref(),
            data: request.data.as_ref().map(|d| d.expose()),
            expected: request.signature_data.as_ref(),
        },
    )
    .await?;
    let response = match step {
        KeyedStep::Open(unique_identifier, correlation) => SignatureVerifyResponse {
            unique_identifier,
            validity_indicator: None,
            data: None,
            correlation_value: Some(correlation),
        },
        KeyedStep::Done(id, state) => {
            let signature = required(state.expected.as_ref(), "Signature Data")?;
            let valid = material::verify(
                &state.key,
                state.params.as_ref(),
                &state.data,
                false,
                signature,
            )
            .map_err(store_error(ctx.version))?;
            SignatureVerifyResponse {
                unique_identifier: uid(&id),
                validity_indicator: Some(validity(valid)),
                data: None,
                correlation_value: None,
            }
        }
    };
    Ok(ResponsePayload::SignatureVerify(Box::new(response)))
}

async fn verify_single<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: SignatureVerifyRequest,
) -> Result<ResponsePayload, KmipError> {
    let id = resolve(ctx, request.unique_identifier.as_ref())?;
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

/// MAC (KMIP 1.4 §4.33). Streamed: the MAC comes with the last part.
pub(super) async fn mac<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: MacRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    if matches!(part, Part::Single) {
        let id = resolve(ctx, request.unique_identifier.as_ref())?;
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
        return Ok(ResponsePayload::Mac(Box::new(response)));
    }
    let step = keyed_part(
        store,
        ctx,
        part,
        KeyedPart {
            operation: Operation::MAC,
            usage: StreamUse::Mac,
            id: request.unique_identifier.as_ref(),
            params: request.cryptographic_parameters.as_ref(),
            data: request.data.as_ref().map(|d| d.expose()),
            expected: None,
        },
    )
    .await?;
    let response = match step {
        KeyedStep::Open(unique_identifier, correlation) => MacResponse {
            unique_identifier,
            mac_data: None,
            correlation_value: Some(correlation),
        },
        KeyedStep::Done(id, state) => MacResponse {
            unique_identifier: uid(&id),
            mac_data: Some(
                material::mac(&state.key, state.params.as_ref(), &state.data)
                    .map_err(store_error(ctx.version))?,
            ),
            correlation_value: None,
        },
    };
    Ok(ResponsePayload::Mac(Box::new(response)))
}

/// MAC Verify (KMIP 1.4 §4.34): a MAC that does not match is Validity Indicator
/// Invalid. Streamed: the MAC may come with any part, the verdict comes with the last.
pub(super) async fn mac_verify<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    ctx: &mut OpContext,
    request: MacVerifyRequest,
) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    if matches!(part, Part::Single) {
        let id = resolve(ctx, request.unique_identifier.as_ref())?;
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
        return Ok(ResponsePayload::MacVerify(Box::new(response)));
    }
    let step = keyed_part(
        store,
        ctx,
        part,
        KeyedPart {
            operation: Operation::MAC_VERIFY,
            usage: StreamUse::MacVerify,
            id: request.unique_identifier.as_ref(),
            params: request.cryptographic_parameters.as_ref(),
            data: request.data.as_ref().map(|d| d.expose()),
            expected: request.mac_data.as_ref(),
        },
    )
    .await?;
    let response = match step {
        KeyedStep::Open(unique_identifier, correlation) => MacVerifyResponse {
            unique_identifier,
            validity_indicator: None,
            correlation_value: Some(correlation),
        },
        KeyedStep::Done(id, state) => {
            let mac = required(state.expected.as_ref(), "MAC Data")?;
            let valid = material::mac_verify(&state.key, state.params.as_ref(), &state.data, mac)
                .map_err(store_error(ctx.version))?;
            MacVerifyResponse {
                unique_identifier: uid(&id),
                validity_indicator: Some(validity(valid)),
                correlation_value: None,
            }
        }
    };
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
/// and SHA-2 only. Streamed: the algorithm is the first part's, the digest comes with
/// the last part.
pub(super) fn hash(ctx: &OpContext, request: HashRequest) -> Result<ResponsePayload, KmipError> {
    let part = Part::of(
        request.correlation_value.clone(),
        request.init_indicator,
        request.final_indicator,
    )?;
    let data = request.data.as_ref().map(|d| d.expose());
    let (correlation, last) = match part {
        Part::Single | Part::Init => {
            let to_error = store_error(ctx.version);
            let algorithm = request
                .cryptographic_parameters
                .hashing_algorithm
                .ok_or_else(|| to_error(StoreError::MissingData("Hashing Algorithm".into())))?;
            let algorithm = kms_store::material::hash_algorithm(algorithm).map_err(&to_error)?;
            if matches!(part, Part::Single) {
                let data = required(data, "Data")?;
                let digest = kms_crypto::hash::digest(algorithm, data);
                return Ok(ResponsePayload::Hash(Box::new(HashResponse {
                    data: Some(digest.as_bytes().to_vec()),
                    correlation_value: None,
                })));
            }
            let mut held = Zeroizing::new(Vec::new());
            append(ctx, &mut held, data)?;
            let correlation = ctx.streams.open(
                &ctx.owner,
                Operation::HASH,
                None,
                StreamState::Hash {
                    algorithm,
                    data: held,
                },
            )?;
            return Ok(ResponsePayload::Hash(Box::new(HashResponse {
                data: None,
                correlation_value: Some(correlation),
            })));
        }
        Part::Next(c) => (c, false),
        Part::Last(c) => (c, true),
    };
    let mut stream = ctx
        .streams
        .take(&ctx.owner, &correlation, Operation::HASH, None)?;
    let StreamState::Hash {
        algorithm,
        data: mut held,
    } = stream.state
    else {
        return Err(wrong_state());
    };
    append(ctx, &mut held, data)?;
    if last {
        let digest = kms_crypto::hash::digest(algorithm, &held);
        return Ok(ResponsePayload::Hash(Box::new(HashResponse {
            data: Some(digest.as_bytes().to_vec()),
            correlation_value: None,
        })));
    }
    stream.state = StreamState::Hash {
        algorithm,
        data: held,
    };
    ctx.streams.put_back(correlation.clone(), stream);
    Ok(ResponsePayload::Hash(Box::new(HashResponse {
        data: None,
        correlation_value: Some(correlation),
    })))
}

//! Compact JWS (RFC 7515 §7.1): sign, parse, verify; detached content (RFC 7515
//! Appendix F).

use crate::alg::JwsAlgorithm;
use crate::b64;
use crate::crypto::{JwsSigner, JwsVerifier};
use crate::error::{CryptoError, Error, Result};
use crate::header::{JwsHeader, TokenPolicy};

/// Signs `payload` and returns `header.payload.signature` (RFC 7515 §5.1).
pub fn sign<K, B>(backend: &B, key: &K, header: &JwsHeader, payload: &[u8]) -> Result<String>
where
    K: ?Sized,
    B: JwsSigner<K> + ?Sized,
{
    let mut token = signing_input(header, &b64::encode(payload));
    let signature = signature(backend, key, header.alg(), token.as_bytes())?;
    token.push('.');
    token.push_str(&b64::encode(&signature));
    Ok(token)
}

/// Signs `payload` and returns `header..signature`: the payload is left out of the token
/// and travels separately (RFC 7515 Appendix F).
pub fn sign_detached<K, B>(
    backend: &B,
    key: &K,
    header: &JwsHeader,
    payload: &[u8],
) -> Result<String>
where
    K: ?Sized,
    B: JwsSigner<K> + ?Sized,
{
    let input = signing_input(header, &b64::encode(payload));
    let signature = signature(backend, key, header.alg(), input.as_bytes())?;
    Ok(format!("{}..{}", header.encoded(), b64::encode(&signature)))
}

fn signing_input(header: &JwsHeader, payload_b64: &str) -> String {
    // Room for the signature that `sign` appends (an RSA-16384 one is 2731 characters).
    let mut input =
        String::with_capacity(header.encoded().len() + 1 + payload_b64.len() + 1 + 2731);
    input.push_str(header.encoded());
    input.push('.');
    input.push_str(payload_b64);
    input
}

fn signature<K, B>(backend: &B, key: &K, alg: JwsAlgorithm, input: &[u8]) -> Result<Vec<u8>>
where
    K: ?Sized,
    B: JwsSigner<K> + ?Sized,
{
    let signature = backend.sign(alg, key, input)?;
    // A DER ECDSA signature or a truncated MAC here is a backend bug; never emit it.
    if alg
        .fixed_signature_len()
        .is_some_and(|len| len != signature.len())
    {
        return Err(Error::Crypto(CryptoError::Failed));
    }
    Ok(signature)
}

/// A parsed compact JWS, not yet verified.
#[derive(Debug, Clone)]
pub struct CompactJws {
    header: JwsHeader,
    payload_b64: String,
    payload: Vec<u8>,
    signature: Vec<u8>,
}

impl CompactJws {
    /// Splits and decodes a compact JWS: the length limit first, then exactly three parts,
    /// a valid protected header (see [`JwsHeader::parse`]) and base64url payload and
    /// signature. Nothing is verified yet.
    pub fn parse(token: &str, policy: &TokenPolicy) -> Result<Self> {
        policy.check_len(token)?;
        let mut parts = token.split('.');
        let (Some(header), Some(payload_b64), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(Error::Malformed("a compact JWS has three parts"));
        };
        let header = JwsHeader::parse(header, policy)?;
        let payload =
            b64::decode(payload_b64).ok_or(Error::Malformed("payload is not base64url"))?;
        let signature =
            b64::decode(signature).ok_or(Error::Malformed("signature is not base64url"))?;
        Ok(CompactJws {
            header,
            payload_b64: payload_b64.to_owned(),
            payload,
            signature,
        })
    }

    /// The protected header: pick the key by `kid` here, before verifying.
    pub fn header(&self) -> &JwsHeader {
        &self.header
    }

    /// The payload, before verification. Do not act on it.
    pub fn unverified_payload(&self) -> &[u8] {
        &self.payload
    }

    /// The signature octets.
    pub fn signature(&self) -> &[u8] {
        &self.signature
    }

    /// Verifies the signature with `key` and returns the payload. The token's `alg` must be
    /// `expected`: the caller states what the key is for, the token does not choose
    /// ([`Error::AlgorithmNotAllowed`]). Any verification failure is
    /// [`Error::InvalidSignature`].
    pub fn verify<K, B>(&self, backend: &B, key: &K, expected: JwsAlgorithm) -> Result<&[u8]>
    where
        K: ?Sized,
        B: JwsVerifier<K> + ?Sized,
    {
        self.verify_any(backend, key, &[expected])
    }

    /// [`CompactJws::verify`] for a key that may serve several algorithms.
    pub fn verify_any<K, B>(&self, backend: &B, key: &K, allowed: &[JwsAlgorithm]) -> Result<&[u8]>
    where
        K: ?Sized,
        B: JwsVerifier<K> + ?Sized,
    {
        let input = signing_input(&self.header, &self.payload_b64);
        self.check(backend, key, allowed, input.as_bytes())?;
        Ok(&self.payload)
    }

    /// Verifies a detached-content JWS (`header..signature`, RFC 7515 Appendix F) over
    /// `payload`. A token that carries its payload is refused.
    pub fn verify_detached<K, B>(
        &self,
        backend: &B,
        key: &K,
        expected: JwsAlgorithm,
        payload: &[u8],
    ) -> Result<()>
    where
        K: ?Sized,
        B: JwsVerifier<K> + ?Sized,
    {
        if !self.payload_b64.is_empty() {
            return Err(Error::Malformed(
                "the token carries a payload: not detached",
            ));
        }
        let input = signing_input(&self.header, &b64::encode(payload));
        self.check(backend, key, &[expected], input.as_bytes())
    }

    fn check<K, B>(
        &self,
        backend: &B,
        key: &K,
        allowed: &[JwsAlgorithm],
        input: &[u8],
    ) -> Result<()>
    where
        K: ?Sized,
        B: JwsVerifier<K> + ?Sized,
    {
        let alg = self.header.alg();
        if !allowed.contains(&alg) {
            return Err(Error::AlgorithmNotAllowed(alg.name().into()));
        }
        if alg
            .fixed_signature_len()
            .is_some_and(|len| len != self.signature.len())
        {
            return Err(Error::InvalidSignature);
        }
        match backend.verify(alg, key, input, &self.signature) {
            Ok(()) => Ok(()),
            Err(CryptoError::Failed) => Err(Error::InvalidSignature),
            Err(other) => Err(Error::Crypto(other)),
        }
    }
}

//! The cryptographic operations, with every check made before the key is touched: the
//! caller's right to use it, not archived, the state (Active to protect; Active, or
//! retired when policy allows, to process) and the Process Start / Protect Stop Dates,
//! the Cryptographic Usage Mask, and Usage Limits (counted durably before the answer).
//! The Cryptographic Parameters used are the request's, or else the key's attribute.

use std::sync::Arc;

use kmip_types::{
    AttributeValue, CryptographicParameters, CryptographicUsageMask, KeyWrappingSpecification,
    Object, UsageLimitsUnit,
};
use kms_crypto::Secret;

use super::Store;
use super::attribute_ops::consume_usage;
use super::lifecycle_ops::not_archived;
use super::object::ManagedObject;
use crate::access::Operation;
use crate::backend::Backend;
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::lifecycle::{self, Use};
use crate::material::{self, EncryptOutput, UsableKey};

/// The operation a stream runs, for [`Store::stream_key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamUse {
    /// Encrypt.
    Encrypt,
    /// Decrypt.
    Decrypt,
    /// Sign.
    Sign,
    /// Signature Verify.
    Verify,
    /// MAC.
    Mac,
    /// MAC Verify.
    MacVerify,
}

impl StreamUse {
    /// The lifecycle use, the usage mask bit and the operation's name.
    fn rule(self) -> (Use, CryptographicUsageMask, &'static str) {
        match self {
            StreamUse::Encrypt => (Use::Protect, CryptographicUsageMask::ENCRYPT, "Encrypt"),
            StreamUse::Decrypt => (Use::Process, CryptographicUsageMask::DECRYPT, "Decrypt"),
            StreamUse::Sign => (Use::Protect, CryptographicUsageMask::SIGN, "Sign"),
            StreamUse::Verify => (
                Use::Process,
                CryptographicUsageMask::VERIFY,
                "Signature Verify",
            ),
            StreamUse::Mac => (Use::Protect, CryptographicUsageMask::MAC_GENERATE, "MAC"),
            StreamUse::MacVerify => (
                Use::Process,
                CryptographicUsageMask::MAC_VERIFY,
                "MAC Verify",
            ),
        }
    }
}

/// A key checked for one use.
struct Checked {
    key: UsableKey,
    params: Option<CryptographicParameters>,
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    #[allow(clippy::too_many_arguments)]
    async fn use_key(
        &self,
        caller: &Identity,
        id: &ObjectId,
        usage: Use,
        mask: CryptographicUsageMask,
        operation: &'static str,
        params: Option<&CryptographicParameters>,
        units: i64,
    ) -> Result<Checked> {
        let object = self.load(caller, id, Operation::Use).await?;
        check_use(
            &object,
            usage,
            mask,
            operation,
            self.inner.config.process_retired,
            self.now(),
        )?;
        if has_usage_limits(&object) {
            self.count_usage(caller, id, usage, mask, operation, units)
                .await?;
        }
        let key = material::usable_key(&object.open_material(self.inner.protector.as_ref())?)?;
        let params = params.cloned().or_else(|| {
            object.attributes.find(|v| match v {
                AttributeValue::CryptographicParameters(p) => Some(p.clone()),
                _ => None,
            })
        });
        Ok(Checked { key, params })
    }

    /// Consumes Usage Limits in a transaction, re-checking the rules on the locked
    /// object.
    async fn count_usage(
        &self,
        caller: &Identity,
        id: &ObjectId,
        usage: Use,
        mask: CryptographicUsageMask,
        operation: &'static str,
        bytes: i64,
    ) -> Result<()> {
        let retired = self.inner.config.process_retired;
        self.update(caller, id, Operation::Use, false, move |object, _, now| {
            check_use(object, usage, mask, operation, retired, now)?;
            let unit = object.attributes.find(|v| match v {
                AttributeValue::UsageLimits(l) => Some(l.usage_limits_unit),
                _ => None,
            });
            let units = if unit == Some(UsageLimitsUnit::BYTE) {
                bytes
            } else {
                1
            };
            consume_usage(object, units)
        })
        .await
    }

    /// Encrypt.
    pub async fn encrypt(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
        iv_counter_nonce: Option<&[u8]>,
        aad: Option<&[u8]>,
    ) -> Result<EncryptOutput> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Protect,
                CryptographicUsageMask::ENCRYPT,
                "Encrypt",
                params,
                len(data),
            )
            .await?;
        material::encrypt(&k.key, k.params.as_ref(), data, iv_counter_nonce, aad)
    }

    /// Decrypt.
    #[allow(clippy::too_many_arguments)]
    pub async fn decrypt(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
        iv_counter_nonce: Option<&[u8]>,
        aad: Option<&[u8]>,
        tag: Option<&[u8]>,
    ) -> Result<Secret> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Process,
                CryptographicUsageMask::DECRYPT,
                "Decrypt",
                params,
                len(data),
            )
            .await?;
        material::decrypt(&k.key, k.params.as_ref(), data, iv_counter_nonce, aad, tag)
    }

    /// Sign `data` (or a digest of it when `is_digest`).
    pub async fn sign(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
        is_digest: bool,
    ) -> Result<Vec<u8>> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Protect,
                CryptographicUsageMask::SIGN,
                "Sign",
                params,
                len(data),
            )
            .await?;
        material::sign(&k.key, k.params.as_ref(), data, is_digest)
    }

    /// Signature Verify: `Ok(false)` for a signature that does not verify.
    pub async fn verify(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
        is_digest: bool,
        signature: &[u8],
    ) -> Result<bool> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Process,
                CryptographicUsageMask::VERIFY,
                "Signature Verify",
                params,
                len(data),
            )
            .await?;
        material::verify(&k.key, k.params.as_ref(), data, is_digest, signature)
    }

    /// MAC.
    pub async fn mac(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
    ) -> Result<Vec<u8>> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Protect,
                CryptographicUsageMask::MAC_GENERATE,
                "MAC",
                params,
                len(data),
            )
            .await?;
        material::mac(&k.key, k.params.as_ref(), data)
    }

    /// MAC Verify: `Ok(false)` for a MAC that does not match.
    pub async fn mac_verify(
        &self,
        caller: &Identity,
        id: &ObjectId,
        params: Option<&CryptographicParameters>,
        data: &[u8],
        mac_data: &[u8],
    ) -> Result<bool> {
        let k = self
            .use_key(
                caller,
                id,
                Use::Process,
                CryptographicUsageMask::MAC_VERIFY,
                "MAC Verify",
                params,
                len(data),
            )
            .await?;
        material::mac_verify(&k.key, k.params.as_ref(), data, mac_data)
    }

    /// The key and Cryptographic Parameters for a streamed operation (KMIP 1.4 §4.29–4.34
    /// with Init Indicator): the same checks as the single-part operation `usage` names,
    /// at the stream's start; `units` is what the first part counts against Usage
    /// Limits. The caller keeps the key for the stream's life only, and checks each later
    /// part with [`Store::continue_stream`].
    pub async fn stream_key(
        &self,
        caller: &Identity,
        id: &ObjectId,
        usage: StreamUse,
        params: Option<&CryptographicParameters>,
        units: usize,
    ) -> Result<(UsableKey, Option<CryptographicParameters>)> {
        let (lifecycle_use, mask, operation) = usage.rule();
        let units = i64::try_from(units).unwrap_or(i64::MAX);
        let k = self
            .use_key(caller, id, lifecycle_use, mask, operation, params, units)
            .await?;
        Ok((k.key, k.params))
    }

    /// Checks a later part of a stream opened with [`Store::stream_key`]: the key is
    /// still the caller's and still usable (a key revoked or destroyed mid-stream ends
    /// the stream), and the part's `bytes` count against Usage Limits counted in bytes
    /// (limits counted in uses were counted once, at the start).
    pub async fn continue_stream(
        &self,
        caller: &Identity,
        id: &ObjectId,
        usage: StreamUse,
        bytes: usize,
    ) -> Result<()> {
        let (lifecycle_use, mask, operation) = usage.rule();
        let object = self.load(caller, id, Operation::Use).await?;
        check_use(
            &object,
            lifecycle_use,
            mask,
            operation,
            self.inner.config.process_retired,
            self.now(),
        )?;
        let in_bytes = object.attributes.find(|v| match v {
            AttributeValue::UsageLimits(l) => Some(l.usage_limits_unit),
            _ => None,
        }) == Some(UsageLimitsUnit::BYTE);
        if in_bytes && bytes > 0 {
            let units = i64::try_from(bytes).unwrap_or(i64::MAX);
            self.count_usage(caller, id, lifecycle_use, mask, operation, units)
                .await?;
        }
        Ok(())
    }

    /// Wraps `value` as `spec` says, under a key the caller may use for Wrap Key.
    pub(super) async fn wrap_for(
        &self,
        caller: &Identity,
        value: Object,
        spec: &KeyWrappingSpecification,
    ) -> Result<Object> {
        let info = spec
            .encryption_key_information
            .as_ref()
            .ok_or_else(|| StoreError::MissingData("Encryption Key Information".into()))?;
        let wrapping_id = info
            .unique_identifier
            .as_text()
            .and_then(ObjectId::parse)
            .ok_or_else(|| StoreError::InvalidField("wrapping key identifier".into()))?;
        let k = self
            .use_key(
                caller,
                &wrapping_id,
                Use::Protect,
                CryptographicUsageMask::WRAP_KEY,
                "Wrap Key",
                None,
                1,
            )
            .await?;
        material::wrap(&value, spec, &k.key, wrapping_id.as_str())
    }
}

fn len(data: &[u8]) -> i64 {
    i64::try_from(data.len()).unwrap_or(i64::MAX)
}

fn has_usage_limits(object: &Arc<ManagedObject>) -> bool {
    object.attributes.all("Usage Limits").next().is_some()
}

/// The rules for using `object`'s key, at `now`.
fn check_use(
    object: &ManagedObject,
    usage: Use,
    mask: CryptographicUsageMask,
    operation: &'static str,
    process_retired: bool,
    now: i64,
) -> Result<()> {
    not_archived(object)?;
    let state = object.state();
    if !object.has_material() || !lifecycle::allows(state, usage, process_retired) {
        return Err(StoreError::WrongState { operation, state });
    }
    let date = |pick: fn(&AttributeValue) -> Option<kmip_types::DateTime>| object.date(pick);
    let too_early = usage == Use::Process
        && date(|v| match v {
            AttributeValue::ProcessStartDate(d) => Some(*d),
            _ => None,
        })
        .is_some_and(|d| now < d);
    let too_late = usage == Use::Protect
        && date(|v| match v {
            AttributeValue::ProtectStopDate(d) => Some(*d),
            _ => None,
        })
        .is_some_and(|d| now >= d);
    if too_early || too_late {
        return Err(StoreError::WrongState { operation, state });
    }
    let allowed = object
        .attributes
        .find(|v| match v {
            AttributeValue::CryptographicUsageMask(m) => Some(*m),
            _ => None,
        })
        .is_some_and(|m| m.contains(mask));
    if !allowed {
        return Err(StoreError::UsageNotAllowed(operation));
    }
    Ok(())
}

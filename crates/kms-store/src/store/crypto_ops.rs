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
    key: Arc<UsableKey>,
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
        let key = self.usable_key(&object)?;
        let params = params.cloned().or_else(|| {
            object.attributes.find(|v| match v {
                AttributeValue::CryptographicParameters(p) => Some(p.clone()),
                _ => None,
            })
        });
        Ok(Checked { key, params })
    }

    /// The key of `object`, whose rules were checked: from the key cache when it holds
    /// the key opened from this very revision and sealed material, else opened and
    /// parsed (and kept).
    pub(super) fn usable_key(&self, object: &ManagedObject) -> Result<Arc<UsableKey>> {
        let sealed = object.material.as_deref().ok_or(StoreError::Destroyed)?;
        let keys = self.inner.keys.as_ref();
        if let Some(key) = keys.and_then(|k| k.get(&object.id, object.revision, sealed)) {
            return Ok(key);
        }
        let opened = object.open_material(self.inner.protector.as_ref())?;
        let key = Arc::new(material::usable_key(&opened)?);
        if let Some(keys) = keys {
            keys.put(&object.id, object.revision, sealed, Arc::clone(&key));
        }
        Ok(key)
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
    ) -> Result<(Arc<UsableKey>, Option<CryptographicParameters>)> {
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use kmip_types::objects::SymmetricKey;
    use kmip_types::{
        Attribute, CryptographicAlgorithm, KeyBlock, KeyFormatType, KeyMaterial,
        RevocationReasonCode, SecretBytes,
    };

    use super::*;
    use crate::backend::Changes;
    use crate::backend::sqlite::SqliteBackend;
    use crate::lifecycle::Rules;
    use crate::sealing::MasterKey;
    use crate::store::{CreateOptions, RevokeRequest, StoreConfig};

    const DATA: &[u8] = b"attack at dawn";

    /// A Raw AES key object.
    fn symmetric(bytes: &[u8], algorithm: CryptographicAlgorithm) -> Object {
        Object::SymmetricKey(SymmetricKey {
            key_block: KeyBlock::new(
                KeyFormatType::RAW,
                KeyMaterial::Bytes(SecretBytes::new(bytes.to_vec())),
                Some(algorithm),
                Some(128),
            ),
        })
    }

    struct Fixture {
        store: Store<SqliteBackend>,
        alice: Identity,
        dir: std::path::PathBuf,
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            drop(std::fs::remove_dir_all(&self.dir));
        }
    }

    /// A store on a real SQLite file; `cache_capacity` 0 makes every load read the
    /// database, as a store sharing it with other nodes does.
    fn fixture(cache_capacity: usize) -> Fixture {
        let dir = std::env::temp_dir().join(format!("kms-key-cache-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir).unwrap();
        let backend = SqliteBackend::open(&dir.join("kms.db")).unwrap();
        let config = StoreConfig {
            cache_capacity,
            ..StoreConfig::default()
        };
        let store = Store::new(backend, Box::new(MasterKey::generate().unwrap()), config);
        Fixture {
            store,
            alice: Identity::new("alice").unwrap(),
            dir,
        }
    }

    fn aes_attributes() -> Vec<Attribute> {
        vec![
            Attribute::new(AttributeValue::CryptographicAlgorithm(
                CryptographicAlgorithm::AES,
            )),
            Attribute::new(AttributeValue::CryptographicLength(128)),
            Attribute::new(AttributeValue::CryptographicUsageMask(
                CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
            )),
        ]
    }

    impl Fixture {
        fn keys(&self) -> &super::super::cache::KeyCache {
            self.store.inner.keys.as_ref().expect("key cache on")
        }

        async fn active_aes(&self, bytes: &[u8]) -> ObjectId {
            let id = self
                .store
                .register(
                    &self.alice,
                    symmetric(bytes, CryptographicAlgorithm::AES),
                    aes_attributes(),
                    CreateOptions::default(),
                )
                .await
                .unwrap();
            self.store
                .activate(&self.alice, &id, Rules::KMIP)
                .await
                .unwrap();
            id
        }

        async fn encrypt(&self, id: &ObjectId) -> Result<EncryptOutput> {
            self.store
                .encrypt(&self.alice, id, None, DATA, None, None)
                .await
        }
    }

    /// Whether `out` decrypts under the raw AES key `bytes`.
    fn opens_under(bytes: &[u8], out: &EncryptOutput) -> bool {
        let key = material::usable_key(&symmetric(bytes, CryptographicAlgorithm::AES)).unwrap();
        material::decrypt(
            &key,
            None,
            &out.data,
            out.iv_counter_nonce.as_deref(),
            None,
            out.tag.as_deref(),
        )
        .is_ok_and(|plain| plain.expose() == DATA)
    }

    #[tokio::test]
    async fn a_used_key_is_kept_and_serves_the_next_request() {
        let f = fixture(100);
        let id = f.active_aes(&[1; 16]).await;
        assert!(!f.keys().holds_key(&id));
        let first = f.encrypt(&id).await.unwrap();
        assert!(f.keys().holds_key(&id));
        let second = f.encrypt(&id).await.unwrap();
        assert!(opens_under(&[1; 16], &first) && opens_under(&[1; 16], &second));
    }

    #[tokio::test]
    async fn a_revoked_or_destroyed_key_is_dropped_and_refused() {
        let f = fixture(100);
        let revoked = f.active_aes(&[2; 16]).await;
        let destroyed = f.active_aes(&[3; 16]).await;
        for id in [&revoked, &destroyed] {
            f.encrypt(id).await.unwrap();
            assert!(f.keys().holds_key(id));
        }
        f.store
            .revoke(
                &f.alice,
                &revoked,
                RevokeRequest::new(RevocationReasonCode::CESSATION_OF_OPERATION),
                Rules::KMIP,
            )
            .await
            .unwrap();
        assert!(!f.keys().holds_key(&revoked));
        assert!(matches!(
            f.encrypt(&revoked).await,
            Err(StoreError::WrongState { .. })
        ));
        f.store
            .revoke(
                &f.alice,
                &destroyed,
                RevokeRequest::new(RevocationReasonCode::KEY_COMPROMISE),
                Rules::KMIP,
            )
            .await
            .unwrap();
        f.store
            .destroy(&f.alice, &destroyed, Rules::KMIP)
            .await
            .unwrap();
        assert!(!f.keys().holds_key(&destroyed));
        assert!(f.encrypt(&destroyed).await.is_err());
        // Nothing put the key back while refusing.
        assert!(!f.keys().holds_key(&revoked) && !f.keys().holds_key(&destroyed));
    }

    #[tokio::test]
    async fn a_usage_date_change_is_seen_by_the_next_request() {
        let f = fixture(100);
        let id = f.active_aes(&[4; 16]).await;
        f.encrypt(&id).await.unwrap();
        f.store
            .add_attribute(
                &f.alice,
                &id,
                Attribute::new(AttributeValue::ProtectStopDate(kmip_types::DateTime(
                    f.store.now() - 1,
                ))),
            )
            .await
            .unwrap();
        assert!(matches!(
            f.encrypt(&id).await,
            Err(StoreError::WrongState { .. })
        ));
    }

    #[tokio::test]
    async fn a_rekeyed_key_uses_its_replacement_material() {
        let f = fixture(100);
        let old = f.active_aes(&[5; 16]).await;
        let by_old = f.encrypt(&old).await.unwrap();
        let new = f
            .store
            .rekey(&f.alice, &old, None, Vec::new())
            .await
            .unwrap();
        assert!(!f.keys().holds_key(&old));
        f.store
            .activate(&f.alice, &new, Rules::KMIP)
            .await
            .unwrap_or(());
        let by_new = f.encrypt(&new).await.unwrap();
        assert!(opens_under(&[5; 16], &by_old));
        assert!(!opens_under(&[5; 16], &by_new));
    }

    /// Another node rewrites the material in the shared database: this store's record
    /// cache is off, and its key cache must not serve the key it opened before.
    #[tokio::test]
    async fn material_rewritten_by_another_writer_is_never_served_stale() {
        let f = fixture(0);
        let id = f.active_aes(&[6; 16]).await;
        assert!(opens_under(&[6; 16], &f.encrypt(&id).await.unwrap()));
        assert!(f.keys().holds_key(&id));

        let record = f.store.backend().get(&id).await.unwrap().unwrap();
        let mut object = ManagedObject::from_record(record, f.store.now()).unwrap();
        let replacement = symmetric(&[7; 16], CryptographicAlgorithm::AES);
        object
            .seal_material(f.store.inner.protector.as_ref(), &replacement)
            .unwrap();
        let written = object.to_record().unwrap();
        f.store
            .backend()
            .transact(
                vec![id.clone()],
                Box::new(move |_| {
                    Ok((
                        (),
                        Changes {
                            updated: vec![written],
                            inserted: Vec::new(),
                        },
                    ))
                }),
            )
            .await
            .unwrap();

        // Written behind the store's back: the cached key is still there, unused.
        assert!(f.keys().holds_key(&id));
        let out = f.encrypt(&id).await.unwrap();
        assert!(opens_under(&[7; 16], &out));
        assert!(!opens_under(&[6; 16], &out));
    }

    #[test]
    fn the_key_cache_needs_the_same_revision_and_sealed_bytes() {
        let keys = super::super::cache::KeyCache::new(2);
        let id = ObjectId::generate();
        let key = Arc::new(
            material::usable_key(&symmetric(&[8; 16], CryptographicAlgorithm::AES)).unwrap(),
        );
        keys.put(&id, 3, b"sealed", Arc::clone(&key));
        assert!(keys.get(&id, 3, b"sealed").is_some());
        assert!(keys.get(&id, 3, b"other!").is_none());
        assert!(keys.get(&id, 4, b"sealed").is_none());
        keys.advance(&id, 4);
        assert!(keys.get(&id, 3, b"sealed").is_none());
        // A key opened from the revision before the write is refused.
        keys.put(&id, 3, b"sealed", Arc::clone(&key));
        assert!(!keys.holds_key(&id));
        keys.put(&id, 4, b"sealed", Arc::clone(&key));
        assert!(keys.get(&id, 4, b"sealed").is_some());
        // Bounded: a third id evicts one of the first two.
        let (b, c) = (ObjectId::generate(), ObjectId::generate());
        keys.put(&b, 1, b"b", Arc::clone(&key));
        keys.put(&c, 1, b"c", Arc::clone(&key));
        let held = [&id, &b, &c].iter().filter(|i| keys.holds_key(i)).count();
        assert_eq!(held, 2);
    }
}

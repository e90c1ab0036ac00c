//! [`Store`]: the operations both frontends call. Each operation loads the object,
//! asks [`crate::access`] whether the caller may, applies the rules (lifecycle,
//! attributes, usage) and, for writes, commits inside one backend transaction so the
//! check and the write are atomic across nodes.

mod attribute_ops;
mod cache;
mod create;
mod crypto_ops;
mod get;
mod lifecycle_ops;
mod locate;
mod object;
mod pair_ops;
mod rekey;

pub use attribute_ops::{AttributeSelector, CheckRequest};
pub use create::CreateOptions;
pub use crypto_ops::StreamUse;
pub use get::GetOptions;
pub use lifecycle_ops::RevokeRequest;
pub use locate::{LocateRequest, LocateResult};
pub use object::ManagedObject;

use std::sync::Arc;

use kmip_types::{AttributeValue, DateTime};

use crate::access::{self, Operation};
use crate::backend::{Backend, Changes};
use crate::clock::{Clock, SystemClock};
use crate::error::{Result, StoreError};
use crate::ids::{Identity, ObjectId};
use crate::record::ObjectRecord;
use crate::sealing::KeyProtector;
use cache::{Cache, KeyCache};

/// Server policy the store applies.
#[derive(Clone, Debug)]
pub struct StoreConfig {
    /// Deactivated and Compromised keys may still decrypt and verify (KMIP: "under
    /// extraordinary circumstances"). Off by default.
    pub process_retired: bool,
    /// The most identifiers one Locate returns, whatever Maximum Items asks.
    pub max_locate: u32,
    /// The Lease Time, in seconds, every new cryptographic object starts with and Obtain
    /// Lease grants (3600 by default, the value the KMIP 1.0 profiles expect).
    pub lease_seconds: u32,
    /// How many objects the cache holds (exclusive backends only; 0 disables it).
    pub cache_capacity: usize,
    /// How many parsed keys the key cache holds, so a repeated Encrypt or Sign neither
    /// unseals nor re-parses its key (any backend; 0 disables it).
    pub key_cache_capacity: usize,
}

impl Default for StoreConfig {
    fn default() -> Self {
        StoreConfig {
            process_retired: false,
            max_locate: 1000,
            lease_seconds: 3600,
            cache_capacity: 100_000,
            key_cache_capacity: 4096,
        }
    }
}

/// The store. Cheap to clone (shared state behind an `Arc`).
#[derive(Debug)]
pub struct Store<B: Backend> {
    inner: Arc<Inner<B>>,
}

impl<B: Backend> Clone for Store<B> {
    fn clone(&self) -> Self {
        Store {
            inner: Arc::clone(&self.inner),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Inner<B> {
    pub(crate) backend: B,
    pub(crate) protector: Box<dyn KeyProtector>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) config: StoreConfig,
    cache: Option<Cache>,
    keys: Option<KeyCache>,
}

impl<B: Backend + std::fmt::Debug> Store<B> {
    /// A store over `backend`, sealing material with `protector`.
    pub fn new(backend: B, protector: Box<dyn KeyProtector>, config: StoreConfig) -> Store<B> {
        Store::with_clock(backend, protector, config, Arc::new(SystemClock))
    }

    /// Like [`Store::new`] with another clock (tests).
    pub fn with_clock(
        backend: B,
        protector: Box<dyn KeyProtector>,
        config: StoreConfig,
        clock: Arc<dyn Clock>,
    ) -> Store<B> {
        let cache = (backend.exclusive() && config.cache_capacity > 0)
            .then(|| Cache::new(config.cache_capacity));
        let keys =
            (config.key_cache_capacity > 0).then(|| KeyCache::new(config.key_cache_capacity));
        Store {
            inner: Arc::new(Inner {
                backend,
                protector,
                clock,
                config,
                cache,
                keys,
            }),
        }
    }

    /// The backend.
    pub fn backend(&self) -> &B {
        &self.inner.backend
    }

    /// The current time of the store's clock.
    pub fn now(&self) -> i64 {
        self.inner.clock.now()
    }

    /// Loads `id` for `caller` doing `operation`: [`StoreError::NotFound`] when there is
    /// no such object or the caller may not see it.
    pub(crate) async fn load(
        &self,
        caller: &Identity,
        id: &ObjectId,
        operation: Operation,
    ) -> Result<Arc<ManagedObject>> {
        let now = self.now();
        let object = match self.inner.cache.as_ref().and_then(|c| c.get(id)) {
            Some(cached) => refresh(cached, now)?,
            None => {
                let record = self
                    .inner
                    .backend
                    .get(id)
                    .await?
                    .ok_or(StoreError::NotFound)?;
                let object = Arc::new(ManagedObject::from_record(record, now)?);
                if let Some(cache) = &self.inner.cache {
                    cache.put(Arc::clone(&object));
                }
                object
            }
        };
        access::authorize(caller, &object.owner, &object.attributes, operation)?;
        Ok(object)
    }

    /// Runs `f` on `id`, locked, for `caller` doing `operation`, and commits the
    /// object as `f` left it (with a new Last Change Date when `touch`).
    pub(crate) async fn update<T, F>(
        &self,
        caller: &Identity,
        id: &ObjectId,
        operation: Operation,
        touch: bool,
        f: F,
    ) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut ManagedObject, &Inner<B>, i64) -> Result<T> + Send + 'static,
    {
        let inner = Arc::clone(&self.inner);
        let caller = caller.clone();
        let (result, written) = self
            .inner
            .backend
            .transact(
                vec![id.clone()],
                Box::new(move |records| {
                    let now = inner.clock.now();
                    let mut object = locked(
                        records.into_iter().next().flatten(),
                        &caller,
                        operation,
                        now,
                    )?;
                    let result = f(&mut object, &inner, now)?;
                    if touch {
                        object
                            .attributes
                            .set_server(AttributeValue::LastChangeDate(DateTime(now)));
                    }
                    let record = object.to_record()?;
                    object.revision = record.revision;
                    Ok((
                        (result, object),
                        Changes {
                            updated: vec![record],
                            inserted: Vec::new(),
                        },
                    ))
                }),
            )
            .await?;
        self.remember(written);
        Ok(result)
    }

    /// Inserts new objects in one transaction.
    pub(crate) async fn insert(&self, objects: Vec<ManagedObject>) -> Result<()> {
        let records = objects
            .iter()
            .map(ManagedObject::to_record)
            .collect::<Result<Vec<ObjectRecord>>>()?;
        // The new ids are looked up (and locked where the backend locks) in the same
        // transaction: a caller-chosen id that exists is refused, not overwritten.
        let ids = records.iter().map(|r| r.id.clone()).collect();
        self.inner
            .backend
            .transact(
                ids,
                Box::new(move |existing| {
                    if existing.iter().any(Option::is_some) {
                        return Err(StoreError::AlreadyExists);
                    }
                    Ok((
                        (),
                        Changes {
                            updated: Vec::new(),
                            inserted: records,
                        },
                    ))
                }),
            )
            .await?;
        // Not cached here: the backend assigned the seq; the first load caches them.
        Ok(())
    }

    pub(crate) fn remember(&self, object: ManagedObject) {
        if let Some(keys) = &self.inner.keys {
            keys.advance(&object.id, object.revision);
        }
        if let Some(cache) = &self.inner.cache {
            cache.put(Arc::new(object));
        }
    }
}

/// A record loaded inside a transaction, decoded, for `caller` doing `operation`.
pub(crate) fn locked(
    record: Option<ObjectRecord>,
    caller: &Identity,
    operation: Operation,
    now: i64,
) -> Result<ManagedObject> {
    let object = ManagedObject::from_record(record.ok_or(StoreError::NotFound)?, now)?;
    access::authorize(caller, &object.owner, &object.attributes, operation)?;
    Ok(object)
}

/// Re-applies the date-driven transitions to a cached object (time has moved since it
/// was cached).
fn refresh(cached: Arc<ManagedObject>, now: i64) -> Result<Arc<ManagedObject>> {
    let state = cached.state();
    let activation = cached.date(|v| match v {
        AttributeValue::ActivationDate(d) => Some(*d),
        _ => None,
    });
    let deactivation = cached.date(|v| match v {
        AttributeValue::DeactivationDate(d) => Some(*d),
        _ => None,
    });
    let effective = crate::lifecycle::effective_state(state, activation, deactivation, now);
    if effective == state {
        return Ok(cached);
    }
    let mut object = (*cached).clone();
    object
        .attributes
        .set_server(AttributeValue::State(effective));
    Ok(Arc::new(object))
}

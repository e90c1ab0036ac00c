//! Two bounded caches.
//!
//! [`Cache`] holds decoded objects for a store that is the only writer of its database
//! (embedded SQLite). Entries only move forward: an entry is replaced only by a higher
//! revision, so two writers finishing out of order cannot leave a stale one. Material
//! stays sealed in it.
//!
//! [`KeyCache`] holds keys ready to compute, so a repeated Encrypt or Sign neither
//! unseals nor re-parses its key. It stands in for opening the material only: every
//! rule (access, state, dates, usage mask, usage limits) still runs on the object
//! loaded for the request before the lookup.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::object::ManagedObject;
use crate::ids::ObjectId;
use crate::material::UsableKey;

#[derive(Debug)]
pub(crate) struct Cache {
    map: RwLock<HashMap<ObjectId, Arc<ManagedObject>>>,
    capacity: usize,
}

impl Cache {
    pub(crate) fn new(capacity: usize) -> Cache {
        Cache {
            map: RwLock::new(HashMap::with_capacity(capacity.min(1 << 16))),
            capacity,
        }
    }

    pub(crate) fn get(&self, id: &ObjectId) -> Option<Arc<ManagedObject>> {
        self.map.read().ok()?.get(id).cloned()
    }

    pub(crate) fn put(&self, object: Arc<ManagedObject>) {
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if let Some(existing) = map.get(&object.id) {
            if existing.revision >= object.revision {
                return;
            }
        } else if map.len() >= self.capacity {
            evict_one(&mut map);
        }
        map.insert(object.id.clone(), object);
    }
}

/// Parsed keys by object id. An entry serves a request only when the loaded object has
/// the entry's revision *and* the very sealed bytes the key was opened from, so a
/// rekeyed, destroyed or otherwise rewritten object (even one written by another node
/// of a shared database) never gets an older key. Every write through this store also
/// raises the entry's revision ([`KeyCache::advance`]), dropping the key at once, and
/// a key opened from an older revision is then refused. A key is zeroized when the
/// last request using it and the cache have both let it go.
pub(crate) struct KeyCache {
    map: RwLock<HashMap<ObjectId, KeyEntry>>,
    capacity: usize,
}

struct KeyEntry {
    revision: i64,
    /// The sealed material the key was opened from (not secret), with the key; `None`
    /// once the object was written after it.
    key: Option<(Vec<u8>, Arc<UsableKey>)>,
}

impl KeyCache {
    pub(crate) fn new(capacity: usize) -> KeyCache {
        KeyCache {
            map: RwLock::new(HashMap::with_capacity(capacity.min(1 << 12))),
            capacity,
        }
    }

    /// The key opened from `sealed`, the material of revision `revision` of `id`.
    pub(crate) fn get(
        &self,
        id: &ObjectId,
        revision: i64,
        sealed: &[u8],
    ) -> Option<Arc<UsableKey>> {
        let map = self.map.read().ok()?;
        let entry = map.get(id)?;
        if entry.revision != revision {
            return None;
        }
        let (opened_from, key) = entry.key.as_ref()?;
        (opened_from.as_slice() == sealed).then(|| Arc::clone(key))
    }

    /// Keeps `key`, opened from `sealed` of revision `revision` of `id`, unless the
    /// object has been written since.
    pub(crate) fn put(&self, id: &ObjectId, revision: i64, sealed: &[u8], key: Arc<UsableKey>) {
        let Ok(mut map) = self.map.write() else {
            return;
        };
        if let Some(existing) = map.get(id) {
            let current = existing.revision == revision && existing.key.is_some();
            if existing.revision > revision || current {
                return;
            }
        } else if map.len() >= self.capacity {
            evict_one(&mut map);
        }
        map.insert(
            id.clone(),
            KeyEntry {
                revision,
                key: Some((sealed.to_vec(), key)),
            },
        );
    }

    /// `id` was written at `revision`: drops its key and refuses keys opened from an
    /// earlier revision.
    pub(crate) fn advance(&self, id: &ObjectId, revision: i64) {
        let Ok(mut map) = self.map.write() else {
            return;
        };
        match map.get_mut(id) {
            Some(entry) if entry.revision < revision => {
                entry.revision = revision;
                entry.key = None;
            }
            Some(_) => {}
            None => {
                if map.len() >= self.capacity {
                    evict_one(&mut map);
                }
                map.insert(
                    id.clone(),
                    KeyEntry {
                        revision,
                        key: None,
                    },
                );
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn holds_key(&self, id: &ObjectId) -> bool {
        self.map
            .read()
            .is_ok_and(|map| map.get(id).is_some_and(|e| e.key.is_some()))
    }
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let len = self.map.read().map_or(0, |map| map.len());
        f.debug_struct("KeyCache")
            .field("len", &len)
            .field("capacity", &self.capacity)
            .finish()
    }
}

/// Full: drops an arbitrary entry (cheap, and good enough for a warm set smaller than
/// the capacity).
fn evict_one<V>(map: &mut HashMap<ObjectId, V>) {
    if let Some(victim) = map.keys().next().cloned() {
        map.remove(&victim);
    }
}

//! A bounded cache of decoded objects for a store that is the only writer of its
//! database (embedded SQLite). Entries only move forward: an entry is replaced only by
//! a higher revision, so two writers finishing out of order cannot leave a stale one.
//! Material stays sealed in the cache.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use super::object::ManagedObject;
use crate::ids::ObjectId;

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
            // Full: drop an arbitrary entry (cheap, and good enough for a warm set
            // smaller than the capacity).
            if let Some(victim) = map.keys().next().cloned() {
                map.remove(&victim);
            }
        }
        map.insert(object.id.clone(), object);
    }
}

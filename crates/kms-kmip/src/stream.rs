//! The open streams of streamed (multi-part) cryptographic operations (KMIP 1.3 and
//! later; KMIP 1.4 §4.29–4.35 Init Indicator, Final Indicator, Correlation Value).
//!
//! A stream is frontend state: the Correlation Value is a KMIP notion, and a stream
//! lives in the memory of the server that opened it, for one client, between
//! messages. The store keeps every rule about the key; it checks them once, when the
//! stream starts ([`kms_store::Store::stream_key`]), and the stream keeps the key it
//! was given.
//!
//! Bounds, so that streams cannot exhaust the server: a cap on open streams, per server
//! and per identity; a cap on the bytes a stream holds; an idle timeout after which a
//! stream is dropped (expired streams are swept whenever a stream opens or is looked
//! up). A stream is bound to the identity that opened it, its operation and its key:
//! anyone else presenting its Correlation Value is told no such stream exists. Keys,
//! cipher states and buffered data are zeroized when a stream is dropped.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use kmip_types::{CryptographicParameters, Operation, ResultReason};
use kms_crypto::HashAlgorithm;
use kms_store::material::{BlockStream, UsableKey};
use kms_store::{Identity, ObjectId};
use zeroize::Zeroizing;

use crate::KmipError;

/// Length of a Correlation Value: 128 random bits.
const CORRELATION_LEN: usize = 16;

/// The bounds on streams.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StreamLimits {
    /// Streams open at once on the server (1024 by default).
    pub max_open: usize,
    /// Streams open at once for one identity (32 by default).
    pub max_per_identity: usize,
    /// Bytes a stream may hold: the data of a Sign, Signature Verify, MAC, MAC Verify or
    /// Hash stream, computed at the last part (1 MiB by default).
    pub max_buffered: usize,
    /// Time a stream may wait for its next part (5 minutes by default).
    pub idle_timeout: Duration,
}

impl Default for StreamLimits {
    fn default() -> Self {
        StreamLimits {
            max_open: 1024,
            max_per_identity: 32,
            max_buffered: 1 << 20,
            idle_timeout: Duration::from_secs(300),
        }
    }
}

/// What a stream has computed so far. `Debug` shows no data.
pub(crate) enum StreamState {
    /// A CBC or ECB encryption.
    Encrypt(BlockStream),
    /// A CBC or ECB decryption.
    Decrypt(BlockStream),
    /// Sign, Signature Verify, MAC or MAC Verify: the data so far, signed or MACed at
    /// the last part with the one-shot operation.
    Keyed(Box<KeyedState>),
    /// Hash: the data so far.
    Hash {
        /// The hash function.
        algorithm: HashAlgorithm,
        /// The data so far.
        data: Zeroizing<Vec<u8>>,
    },
}

/// The state of a Sign, Signature Verify, MAC or MAC Verify stream.
pub(crate) struct KeyedState {
    /// The key, checked when the stream opened.
    pub key: Arc<UsableKey>,
    /// The Cryptographic Parameters that apply.
    pub params: Option<CryptographicParameters>,
    /// The data so far.
    pub data: Zeroizing<Vec<u8>>,
    /// The MAC Data or Signature Data to check, from whichever part carried it.
    pub expected: Option<Vec<u8>>,
}

impl fmt::Debug for StreamState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamState::Encrypt(s) => f.debug_tuple("Encrypt").field(s).finish(),
            StreamState::Decrypt(s) => f.debug_tuple("Decrypt").field(s).finish(),
            StreamState::Keyed(k) => f
                .debug_struct("Keyed")
                .field("key", &k.key)
                .field("buffered", &k.data.len())
                .finish_non_exhaustive(),
            StreamState::Hash { algorithm, data } => f
                .debug_struct("Hash")
                .field("algorithm", algorithm)
                .field("buffered", &data.len())
                .finish(),
        }
    }
}

impl StreamState {
    fn buffered(&self) -> usize {
        match self {
            StreamState::Encrypt(s) | StreamState::Decrypt(s) => s.pending_len(),
            StreamState::Keyed(k) => k.data.len(),
            StreamState::Hash { data, .. } => data.len(),
        }
    }
}

/// One open stream.
#[derive(Debug)]
pub(crate) struct Stream {
    owner: Identity,
    operation: Operation,
    key: Option<ObjectId>,
    last_used: Instant,
    /// The computation.
    pub state: StreamState,
}

impl Stream {
    /// The key the stream uses (none for Hash).
    pub fn key(&self) -> Option<&ObjectId> {
        self.key.as_ref()
    }
}

/// The registry of open streams, shared by every connection of a server.
pub struct Streams {
    limits: StreamLimits,
    open: Mutex<HashMap<Vec<u8>, Stream>>,
}

impl fmt::Debug for Streams {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Streams")
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl Default for Streams {
    fn default() -> Self {
        Streams::new(StreamLimits::default())
    }
}

impl Streams {
    /// An empty registry with these bounds.
    pub fn new(limits: StreamLimits) -> Self {
        Streams {
            limits,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Streams open now, expired ones included until the next sweep.
    pub fn len(&self) -> usize {
        self.lock().len()
    }

    /// Whether no stream is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Refuses `len` bytes more in a stream that holds `held`.
    pub(crate) fn check_buffer(&self, held: usize, len: usize) -> Result<(), KmipError> {
        if held.saturating_add(len) > self.limits.max_buffered {
            return Err(KmipError::new(
                ResultReason::INVALID_FIELD,
                format!(
                    "Data: a stream holds at most {} bytes",
                    self.limits.max_buffered
                ),
            ));
        }
        Ok(())
    }

    /// Refuses a new stream for `owner` when a cap is reached: checked before the store
    /// counts the first part against the key's Usage Limits, and again on opening.
    pub(crate) fn check_room(&self, owner: &Identity) -> Result<(), KmipError> {
        let mut open = self.lock();
        self.sweep(&mut open);
        self.room(&open, owner)
    }

    fn room(&self, open: &HashMap<Vec<u8>, Stream>, owner: &Identity) -> Result<(), KmipError> {
        if open.len() >= self.limits.max_open {
            return Err(KmipError::new(
                ResultReason::GENERAL_FAILURE,
                "too many open streams on this server",
            ));
        }
        let mine = open.values().filter(|s| s.owner == *owner).count();
        if mine >= self.limits.max_per_identity {
            return Err(KmipError::new(
                ResultReason::GENERAL_FAILURE,
                format!(
                    "at most {} open streams per client",
                    self.limits.max_per_identity
                ),
            ));
        }
        Ok(())
    }

    /// Opens a stream for `owner` and returns its new Correlation Value.
    pub(crate) fn open(
        &self,
        owner: &Identity,
        operation: Operation,
        key: Option<ObjectId>,
        state: StreamState,
    ) -> Result<Vec<u8>, KmipError> {
        self.check_buffer(state.buffered(), 0)?;
        let correlation = kms_crypto::rng::random_bytes(CORRELATION_LEN)
            .map_err(|_| KmipError::new(ResultReason::CRYPTOGRAPHIC_FAILURE, "no random bytes"))?
            .expose()
            .to_vec();
        let mut open = self.lock();
        self.sweep(&mut open);
        self.room(&open, owner)?;
        if open.contains_key(&correlation) {
            // 128 random bits do not collide; if they ever did, no stream is replaced.
            return Err(KmipError::new(
                ResultReason::GENERAL_FAILURE,
                "Correlation Value in use",
            ));
        }
        open.insert(
            correlation.clone(),
            Stream {
                owner: owner.clone(),
                operation,
                key,
                last_used: Instant::now(),
                state,
            },
        );
        Ok(correlation)
    }

    /// Takes out the stream `correlation` names, if it is `owner`'s, of `operation`,
    /// on `key` when the request names one. Anything else, an expired stream included,
    /// is Item Not Found, and leaves the stream as it was. The caller puts the stream
    /// back with [`Streams::put_back`] unless the part was the last or failed.
    pub(crate) fn take(
        &self,
        owner: &Identity,
        correlation: &[u8],
        operation: Operation,
        key: Option<&ObjectId>,
    ) -> Result<Stream, KmipError> {
        let mut open = self.lock();
        self.sweep(&mut open);
        let matches = open.get(correlation).is_some_and(|s| {
            s.owner == *owner
                && s.operation == operation
                && key.is_none_or(|k| s.key.as_ref() == Some(k))
        });
        match open.remove(correlation) {
            Some(stream) if matches => Ok(stream),
            Some(stream) => {
                open.insert(correlation.to_vec(), stream);
                Err(not_found())
            }
            None => Err(not_found()),
        }
    }

    /// Puts back a stream taken out by [`Streams::take`], its idle time restarted.
    pub(crate) fn put_back(&self, correlation: Vec<u8>, mut stream: Stream) {
        stream.last_used = Instant::now();
        self.lock().insert(correlation, stream);
    }

    fn sweep(&self, open: &mut HashMap<Vec<u8>, Stream>) {
        let timeout = self.limits.idle_timeout;
        open.retain(|_, s| s.last_used.elapsed() < timeout);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Vec<u8>, Stream>> {
        // A panic while holding the lock leaves no half-made stream (insert and remove
        // are atomic), so a poisoned map is still consistent.
        self.open
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn not_found() -> KmipError {
    KmipError::new(
        ResultReason::ITEM_NOT_FOUND,
        "Correlation Value: no open stream of this client has it",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_no_buffered_data() {
        let state = StreamState::Hash {
            algorithm: HashAlgorithm::Sha256,
            data: Zeroizing::new(b"se".to_vec()),
        };
        let shown = format!("{state:?}");
        assert!(shown.contains("buffered: 2"), "{shown}");
        assert!(!shown.contains("115, 101"), "{shown}");
    }
}

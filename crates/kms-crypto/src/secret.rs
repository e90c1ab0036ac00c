//! Secret bytes: zeroized on drop, not `Clone` (copies are explicit), `Debug` redacted,
//! compared in constant time.

use zeroize::{Zeroize, Zeroizing};

/// Secret bytes (symmetric keys, private key encodings, plaintexts, shared secrets).
#[derive(Default)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Takes ownership of `bytes`; they are wiped when the `Secret` is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        Secret(bytes)
    }

    /// Copies `bytes` into a new secret (the caller remains responsible for its copy).
    pub fn from_slice(bytes: &[u8]) -> Self {
        Secret::new(bytes.to_vec())
    }

    /// The bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, to be written in place (decryption into the secret it returns).
    pub(crate) fn expose_mut(&mut self) -> &mut [u8] {
        &mut self.0
    }

    /// Shortens the secret to `len` bytes; the cut bytes stay in the allocation, which
    /// the drop wipes whole.
    pub(crate) fn truncate(&mut self, len: usize) {
        self.0.truncate(len);
    }

    /// Length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        Secret::from_slice(&self.0)
    }

    /// Constant-time equality (length is not secret).
    pub fn ct_eq(&self, other: &[u8]) -> bool {
        ct_eq(&self.0, other)
    }

    /// Consumes the secret, handing its bytes to the caller (who must wipe them).
    pub fn into_zeroizing(self) -> Zeroizing<Vec<u8>> {
        let mut this = self;
        Zeroizing::new(core::mem::take(&mut this.0))
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        wipe(&mut self.0);
    }
}

/// Zeroes the whole allocation of `bytes`, spare capacity included, and empties it.
///
/// This is what `Zeroizing<Vec<u8>>` does on drop, but the `zeroize` crate wipes a `Vec`
/// element by element, one volatile store per byte: for a 1 MiB plaintext that took as
/// long as decrypting it. Its `[u8]` impl is one fill behind an optimisation barrier.
pub(crate) fn wipe(bytes: &mut Vec<u8>) {
    zero_allocation(bytes);
    bytes.clear();
}

/// Extends `bytes` to its capacity (no reallocation, which would leave a copy behind) and
/// zeroes all of it.
fn zero_allocation(bytes: &mut Vec<u8>) {
    bytes.resize(bytes.capacity(), 0);
    bytes.as_mut_slice().zeroize();
}

impl core::fmt::Debug for Secret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Secret([redacted {} bytes])", self.0.len())
    }
}

impl From<Vec<u8>> for Secret {
    fn from(bytes: Vec<u8>) -> Self {
        Secret::new(bytes)
    }
}

impl Zeroize for Secret {
    fn zeroize(&mut self) {
        wipe(&mut self.0);
    }
}

/// Constant-time comparison of two byte strings (only their lengths may leak).
pub fn ct_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", Secret::new(vec![7; 3])),
            "Secret([redacted 3 bytes])"
        );
    }

    #[test]
    fn wipe_zeroes_the_whole_allocation_then_empties() {
        let mut bytes = Vec::with_capacity(64);
        bytes.extend_from_slice(&[0xa5; 40]);
        let capacity = bytes.capacity();
        zero_allocation(&mut bytes);
        assert_eq!(bytes.len(), capacity);
        assert!(bytes.iter().all(|&b| b == 0));
        bytes.fill(0xa5);
        wipe(&mut bytes);
        assert!(bytes.is_empty());
        assert_eq!(bytes.capacity(), capacity, "not reallocated");
    }

    #[test]
    fn constant_time_equality() {
        let s = Secret::from_slice(b"abc");
        assert!(s.ct_eq(b"abc"));
        assert!(!s.ct_eq(b"abd"));
        assert!(!s.ct_eq(b"ab"));
    }
}

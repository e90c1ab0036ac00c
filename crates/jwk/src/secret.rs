//! Secret bytes: zeroized on drop, not `Clone` (copies are explicit), `Debug` redacted.

use zeroize::{Zeroize, Zeroizing};

/// Secret octets: the private members of a JWK (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) and
/// decrypted plaintexts.
#[derive(Default)]
pub struct SecretBytes(Zeroizing<Vec<u8>>);

impl SecretBytes {
    /// Takes ownership of `bytes`; they are wiped when the value is dropped.
    pub fn new(bytes: Vec<u8>) -> Self {
        SecretBytes(Zeroizing::new(bytes))
    }

    /// Copies `bytes` (the caller stays responsible for its own copy).
    pub fn from_slice(bytes: &[u8]) -> Self {
        SecretBytes::new(bytes.to_vec())
    }

    /// The octets.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }

    /// Length in octets (not secret: it follows from the key type and size).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SecretBytes::from_slice(&self.0)
    }

    /// Hands the octets to the caller, still wiped on drop.
    pub fn into_zeroizing(self) -> Zeroizing<Vec<u8>> {
        let mut this = self;
        core::mem::take(&mut this.0)
    }

    /// A copy left-padded with zero octets to `len` (`len` ≥ the current length).
    pub(crate) fn left_padded(&self, len: usize) -> Self {
        let mut out = Zeroizing::new(Vec::with_capacity(len));
        out.resize(len.saturating_sub(self.0.len()), 0);
        out.extend_from_slice(&self.0);
        SecretBytes(out)
    }

    /// A copy without leading zero octets.
    pub(crate) fn strip_leading_zeros(&self) -> Self {
        let start = self.0.iter().take_while(|b| **b == 0).count();
        SecretBytes::from_slice(self.0.get(start..).unwrap_or_default())
    }
}

impl core::fmt::Debug for SecretBytes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecretBytes([redacted {} bytes])", self.0.len())
    }
}

impl From<Vec<u8>> for SecretBytes {
    fn from(bytes: Vec<u8>) -> Self {
        SecretBytes::new(bytes)
    }
}

impl From<Zeroizing<Vec<u8>>> for SecretBytes {
    fn from(bytes: Zeroizing<Vec<u8>>) -> Self {
        SecretBytes(bytes)
    }
}

impl Zeroize for SecretBytes {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_is_redacted() {
        assert_eq!(
            format!("{:?}", SecretBytes::new(vec![7; 3])),
            "SecretBytes([redacted 3 bytes])"
        );
    }

    #[test]
    fn left_pads_and_strips() {
        let s = SecretBytes::from_slice(&[1, 2]);
        assert_eq!(s.left_padded(4).expose(), &[0, 0, 1, 2]);
        assert_eq!(s.left_padded(2).expose(), &[1, 2]);
        let z = SecretBytes::from_slice(&[0, 0, 5]);
        assert_eq!(z.strip_leading_zeros().expose(), &[5]);
    }
}

//! The system CSPRNG: ring's `SystemRandom`, which reads the operating system's generator
//! (`getrandom(2)` on Linux). It has no state of its own to seed, fork or reseed.
//!
//! Every failure is [`CryptoError::Rng`]; callers must treat it as fatal for the operation
//! at hand and never fall back to a weaker source.

use ring::rand::{SecureRandom, SystemRandom};
use zeroize::Zeroizing;

use crate::{CryptoError, Result, Secret};

/// Fills `buf` with random bytes.
pub fn fill(buf: &mut [u8]) -> Result<()> {
    SystemRandom::new().fill(buf).map_err(|_| CryptoError::Rng)
}

/// `len` random bytes as a [`Secret`]: for key material, seeds and the KMIP RNG Retrieve
/// operation.
pub fn random_bytes(len: usize) -> Result<Secret> {
    // Filled in a buffer that is wiped if the generator fails half-way.
    let mut buf = Zeroizing::new(vec![0u8; len]);
    fill(&mut buf)?;
    Ok(Secret::new(core::mem::take(&mut *buf)))
}

/// `N` random bytes for public values (IVs, nonces, salts).
pub fn random_array<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_bytes_has_the_asked_length() {
        for len in [0, 1, 16, 32, 1000] {
            assert_eq!(random_bytes(len).map(|s| s.len()), Ok(len));
        }
    }

    #[test]
    fn two_draws_differ() {
        // 2^-256 chance of a false failure.
        let a = random_array::<32>();
        let b = random_array::<32>();
        assert!(a.is_ok());
        assert_ne!(a, b);
    }
}

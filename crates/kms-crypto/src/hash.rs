//! Hash functions: SHA-1 (legacy) and the SHA-2 family (FIPS 180-4).
//!
//! ring computes SHA-1, SHA-256, SHA-384, SHA-512 and SHA-512/256; the `sha2` crate
//! computes SHA-224 and SHA-512/224, which ring does not offer.
//!
//! SHA-1 is here only to verify old signatures and to answer the KMIP Hash operation
//! (the KMIP Hash operation); it is [legacy](HashAlgorithm::is_legacy) and must not be used to make
//! new signatures.

use core::fmt;

use sha2::Digest as _;

/// A hash function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum HashAlgorithm {
    /// SHA-1. Legacy: collisions are practical (SHAttered, 2017).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
    /// SHA-512/224.
    Sha512_224,
    /// SHA-512/256.
    Sha512_256,
}

impl HashAlgorithm {
    /// Every algorithm, in a fixed order.
    pub const ALL: [HashAlgorithm; 7] = [
        HashAlgorithm::Sha1,
        HashAlgorithm::Sha224,
        HashAlgorithm::Sha256,
        HashAlgorithm::Sha384,
        HashAlgorithm::Sha512,
        HashAlgorithm::Sha512_224,
        HashAlgorithm::Sha512_256,
    ];

    /// Length of the output in bytes.
    pub const fn output_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 => 20,
            HashAlgorithm::Sha224 | HashAlgorithm::Sha512_224 => 28,
            HashAlgorithm::Sha256 | HashAlgorithm::Sha512_256 => 32,
            HashAlgorithm::Sha384 => 48,
            HashAlgorithm::Sha512 => 64,
        }
    }

    /// Length of the input block in bytes (the `B` of HMAC, RFC 2104 §2).
    pub const fn block_len(self) -> usize {
        match self {
            HashAlgorithm::Sha1 | HashAlgorithm::Sha224 | HashAlgorithm::Sha256 => 64,
            HashAlgorithm::Sha384
            | HashAlgorithm::Sha512
            | HashAlgorithm::Sha512_224
            | HashAlgorithm::Sha512_256 => 128,
        }
    }

    /// True for SHA-1: accept it only to verify existing signatures or MACs and for the
    /// KMIP Hash operation, never to create a new signature.
    pub const fn is_legacy(self) -> bool {
        matches!(self, HashAlgorithm::Sha1)
    }
}

/// Longest output of any [`HashAlgorithm`], in bytes.
pub const MAX_OUTPUT_LEN: usize = 64;

/// A hash value, tagged with the algorithm that made it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Digest {
    algorithm: HashAlgorithm,
    value: [u8; MAX_OUTPUT_LEN],
}

impl Digest {
    fn new(algorithm: HashAlgorithm, bytes: &[u8]) -> Self {
        let mut value = [0u8; MAX_OUTPUT_LEN];
        for (dst, src) in value.iter_mut().zip(bytes) {
            *dst = *src;
        }
        Digest { algorithm, value }
    }

    /// The algorithm that made this value.
    pub fn algorithm(&self) -> HashAlgorithm {
        self.algorithm
    }

    /// The hash value (`algorithm().output_len()` bytes).
    pub fn as_bytes(&self) -> &[u8] {
        let len = self.algorithm.output_len();
        self.value.get(..len).unwrap_or(&self.value)
    }
}

impl AsRef<[u8]> for Digest {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

impl fmt::Debug for Digest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Digest({:?}, ", self.algorithm)?;
        for byte in self.as_bytes() {
            write!(f, "{byte:02x}")?;
        }
        f.write_str(")")
    }
}

/// Hashes `data` in one shot.
pub fn digest(algorithm: HashAlgorithm, data: &[u8]) -> Digest {
    let with_ring = |alg| Digest::new(algorithm, ring::digest::digest(alg, data).as_ref());
    match algorithm {
        HashAlgorithm::Sha1 => with_ring(&ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
        HashAlgorithm::Sha224 => Digest::new(algorithm, &sha2::Sha224::digest(data)),
        HashAlgorithm::Sha256 => with_ring(&ring::digest::SHA256),
        HashAlgorithm::Sha384 => with_ring(&ring::digest::SHA384),
        HashAlgorithm::Sha512 => with_ring(&ring::digest::SHA512),
        HashAlgorithm::Sha512_224 => Digest::new(algorithm, &sha2::Sha512_224::digest(data)),
        HashAlgorithm::Sha512_256 => with_ring(&ring::digest::SHA512_256),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// FIPS 180-4 examples for the message "abc" (NIST CSRC example values).
    #[test]
    fn abc_matches_the_nist_examples() {
        let cases = [
            (
                HashAlgorithm::Sha1,
                "a9993e364706816aba3e25717850c26c9cd0d89d",
            ),
            (
                HashAlgorithm::Sha224,
                "23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7",
            ),
            (
                HashAlgorithm::Sha256,
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            ),
            (
                HashAlgorithm::Sha384,
                "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
                 8086072ba1e7cc2358baeca134c825a7",
            ),
            (
                HashAlgorithm::Sha512,
                "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a\
                 2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
            ),
            (
                HashAlgorithm::Sha512_224,
                "4634270f707b6a54daae7530460842e20e37ed265ceee9a43e8924aa",
            ),
            (
                HashAlgorithm::Sha512_256,
                "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23",
            ),
        ];
        for (alg, expected) in cases {
            let d = digest(alg, b"abc");
            assert_eq!(hex(d.as_bytes()), expected, "{alg:?}");
            assert_eq!(d.algorithm(), alg);
        }
    }

    #[test]
    fn output_length_matches_the_digest() {
        for alg in HashAlgorithm::ALL {
            assert_eq!(digest(alg, b"").as_bytes().len(), alg.output_len());
            assert!(alg.output_len() <= MAX_OUTPUT_LEN);
        }
    }

    #[test]
    fn only_sha1_is_legacy() {
        for alg in HashAlgorithm::ALL {
            assert_eq!(alg.is_legacy(), alg == HashAlgorithm::Sha1);
        }
    }

    #[test]
    fn block_length_matches_ring() {
        let pairs: [(HashAlgorithm, &ring::digest::Algorithm); 5] = [
            (HashAlgorithm::Sha1, &ring::digest::SHA1_FOR_LEGACY_USE_ONLY),
            (HashAlgorithm::Sha256, &ring::digest::SHA256),
            (HashAlgorithm::Sha384, &ring::digest::SHA384),
            (HashAlgorithm::Sha512, &ring::digest::SHA512),
            (HashAlgorithm::Sha512_256, &ring::digest::SHA512_256),
        ];
        for (alg, r) in pairs {
            assert_eq!(alg.block_len(), r.block_len());
            assert_eq!(alg.output_len(), r.output_len());
        }
    }

    #[test]
    fn debug_prints_hex() {
        let d = digest(HashAlgorithm::Sha1, b"abc");
        assert_eq!(
            format!("{d:?}"),
            "Digest(Sha1, a9993e364706816aba3e25717850c26c9cd0d89d)"
        );
    }
}

//! The symmetric algorithms the store makes keys for, and the Cryptographic Lengths each
//! allows: the one table Create and Re-key consult.
//!
//! A KMS keeps keys for algorithms it never computes with: the table holds legacy and
//! regional ciphers (SKIPJACK, IDEA, CAST5, SEED, ...) as key-management-only entries.
//! Which keys compute is [`usable_key`](super::usable_key)'s business: AES, Triple DES
//! and HMAC; any other key is refused there as not supported.

use kmip_types::CryptographicAlgorithm;
use kms_crypto::HashAlgorithm;
use kms_crypto::mac::STRICT_MIN_KEY_BITS;

use super::algorithms::{self, invalid};
use crate::error::Result;

/// The key lengths an algorithm allows.
enum Lengths {
    /// These Cryptographic Lengths (bits), each with its key length in bytes.
    Listed(&'static [(i32, usize)]),
    /// Any multiple of 8 bits from `min` to `max`.
    Range { min: i32, max: i32 },
    /// An HMAC key: a multiple of 8 bits from 112 (NIST SP 800-131A's floor for HMAC
    /// keys) up to the hash's block size (512 bits, 1024 for SHA-384 and SHA-512): a
    /// longer key is hashed first and adds nothing (RFC 2104 §3).
    Hmac(HashAlgorithm),
}

const AES_LIKE: &[(i32, usize)] = &[(128, 16), (192, 24), (256, 32)];
const ONE_28: &[(i32, usize)] = &[(128, 16)];

/// The table: the lengths of each algorithm's keys, `None` for an algorithm the store
/// makes no symmetric key of.
fn lengths(algorithm: CryptographicAlgorithm) -> Option<Lengths> {
    use CryptographicAlgorithm as A;
    if let Some(hash) = algorithms::hmac_hash(algorithm) {
        return Some(Lengths::Hmac(hash));
    }
    Some(match algorithm {
        A::AES | A::CAMELLIA | A::ARIA | A::TWOFISH => Lengths::Listed(AES_LIKE),
        // DES keys carry a parity bit in each byte: 56 key bits, 64 with the parity.
        A::DES => Lengths::Listed(&[(56, 8), (64, 8)]),
        // Two-key (keying option 2) and three-key (option 1) Triple DES, SP 800-67.
        A::DES3 => Lengths::Listed(&[(112, 16), (168, 24)]),
        A::SKIPJACK => Lengths::Listed(&[(80, 10)]),
        A::IDEA | A::SEED | A::SM4 => Lengths::Listed(ONE_28),
        A::CHA_CHA20 | A::CHA_CHA20_POLY1305 => Lengths::Listed(&[(256, 32)]),
        A::CAST5 => Lengths::Range { min: 40, max: 128 },
        A::BLOWFISH => Lengths::Range { min: 32, max: 448 },
        A::RC4 => Lengths::Range { min: 40, max: 2048 },
        _ => return None,
    })
}

/// A new symmetric key's length in bytes, for `algorithm` and the Cryptographic Length
/// `length_bits`; and whether each byte carries DES odd parity (DES and Triple DES).
///
/// A length the algorithm does not allow is [`StoreError::InvalidField`]; an algorithm
/// outside the table [`StoreError::NotSupported`].
///
/// [`StoreError::InvalidField`]: crate::error::StoreError::InvalidField
/// [`StoreError::NotSupported`]: crate::error::StoreError::NotSupported
pub(crate) fn new_key_len(
    algorithm: CryptographicAlgorithm,
    length_bits: i32,
) -> Result<(usize, bool)> {
    let parity = matches!(
        algorithm,
        CryptographicAlgorithm::DES | CryptographicAlgorithm::DES3
    );
    let wrong_length = |rule: String| invalid("Cryptographic Length", &rule);
    match lengths(algorithm) {
        None => Err(algorithms::not_supported(
            "Cryptographic Algorithm",
            algorithm,
        )),
        Some(Lengths::Listed(listed)) => listed
            .iter()
            .find(|(bits, _)| *bits == length_bits)
            .map(|(_, bytes)| (*bytes, parity))
            .ok_or_else(|| {
                let bits: Vec<String> = listed.iter().map(|(b, _)| b.to_string()).collect();
                wrong_length(format!("a {algorithm:?} key is {} bits", bits.join(" or ")))
            }),
        Some(Lengths::Range { min, max }) => whole_bytes(length_bits, min, max)
            .map(|len| (len, parity))
            .ok_or_else(|| {
                wrong_length(format!(
                    "a {algorithm:?} key is a multiple of 8 bits from {min} to {max}"
                ))
            }),
        Some(Lengths::Hmac(hash)) => {
            let min = i32::try_from(STRICT_MIN_KEY_BITS).unwrap_or(i32::MAX);
            let max = i32::try_from(8 * hash.block_len()).unwrap_or(i32::MAX);
            whole_bytes(length_bits, min, max)
                .map(|len| (len, parity))
                .ok_or_else(|| {
                    wrong_length(
                        "an HMAC key is a multiple of 8 bits from 112 to the hash's block size"
                            .to_owned(),
                    )
                })
        }
    }
}

/// `bits / 8` when `bits` is a multiple of 8 within `min..=max`.
fn whole_bytes(bits: i32, min: i32, max: i32) -> Option<usize> {
    (bits >= min && bits <= max && bits % 8 == 0)
        .then(|| usize::try_from(bits / 8).ok())
        .flatten()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::error::StoreError;

    #[test]
    fn lists_the_fixed_lengths_of_each_block_cipher() {
        use CryptographicAlgorithm as A;
        for (algorithm, bits, bytes, parity) in [
            (A::AES, 128, 16, false),
            (A::AES, 256, 32, false),
            (A::DES, 56, 8, true),
            (A::DES, 64, 8, true),
            (A::DES3, 112, 16, true),
            (A::DES3, 168, 24, true),
            (A::SKIPJACK, 80, 10, false),
            (A::CAMELLIA, 192, 24, false),
            (A::CHA_CHA20, 256, 32, false),
            (A::CAST5, 40, 5, false),
            (A::HMACSHA256, 256, 32, false),
            (A::HMACSHA512, 1024, 128, false),
        ] {
            assert_eq!(
                new_key_len(algorithm, bits).unwrap(),
                (bytes, parity),
                "{algorithm:?} {bits}"
            );
        }
    }

    #[test]
    fn refuses_lengths_outside_the_table() {
        use CryptographicAlgorithm as A;
        for (algorithm, bits) in [
            (A::AES, 64),
            (A::DES3, 128),
            (A::DES3, 192),
            (A::SKIPJACK, 64),
            (A::CAST5, 44),
            (A::CAST5, 136),
            (A::HMACSHA256, 104),
            (A::HMACSHA256, 1024),
            (A::HMACSHA1, -8),
        ] {
            assert!(
                matches!(
                    new_key_len(algorithm, bits),
                    Err(StoreError::InvalidField(_))
                ),
                "{algorithm:?} {bits}"
            );
        }
        match new_key_len(A::DES3, 128) {
            Err(StoreError::InvalidField(message)) => {
                assert!(message.contains("112 or 168"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn refuses_algorithms_that_make_no_symmetric_key() {
        use CryptographicAlgorithm as A;
        for algorithm in [A::RSA, A::EC, A::HMACMD5, A::SHA3_256, A::MARS] {
            assert!(matches!(
                new_key_len(algorithm, 128),
                Err(StoreError::NotSupported(_))
            ));
        }
    }
}

//! MAC and MAC Verify (KMIP 1.4 §4.33, §4.34): HMAC.

use kmip_types::CryptographicParameters;
use kms_crypto::{CryptoError, HmacKey};

use super::algorithms::{self, invalid};
use super::crypto_error;
use super::usable::UsableKey;
use crate::error::{Result, StoreError};

/// The full-length HMAC of `data`.
///
/// The HMAC hash is the key's (a Symmetric Key of Cryptographic Algorithm HMAC-SHA*), or
/// the one the Cryptographic Parameters name: an AES key MACs with HMAC when the
/// parameters say HMAC-SHA256, as CS-AC-M-4-14 to CS-AC-M-6-14 do. CMAC is not offered.
///
/// Refused: an asymmetric key, a Cryptographic Algorithm other than the HMAC key's
/// ([`StoreError::InvalidField`]); an AES key without an HMAC Cryptographic Algorithm in
/// the parameters ([`StoreError::NotSupported`]: that would be CMAC).
pub fn mac(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
) -> Result<Vec<u8>> {
    with_hmac_key(key, params, |k| k.sign(data).map_err(crypto_error))
}

/// Whether `mac_data` is the full-length HMAC of `data`, compared in constant time.
/// The refusals of [`mac`] apply.
pub fn mac_verify(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    data: &[u8],
    mac_data: &[u8],
) -> Result<bool> {
    with_hmac_key(key, params, |k| match k.verify(data, mac_data) {
        Ok(()) => Ok(true),
        Err(CryptoError::Failed) => Ok(false),
        Err(e) => Err(crypto_error(e)),
    })
}

fn with_hmac_key<T>(
    key: &UsableKey,
    params: Option<&CryptographicParameters>,
    f: impl FnOnce(&HmacKey) -> Result<T>,
) -> Result<T> {
    let requested = params.and_then(|p| p.cryptographic_algorithm);
    match key {
        UsableKey::Hmac(k) => match requested {
            Some(algorithm) if algorithms::hmac_hash(algorithm) != Some(k.algorithm()) => Err(
                invalid("Cryptographic Algorithm", "does not match the HMAC key"),
            ),
            _ => f(k),
        },
        UsableKey::Aes(k) => match requested {
            Some(algorithm) => match algorithms::hmac_hash(algorithm) {
                Some(hash) => f(&HmacKey::from_slice(hash, k.expose()).map_err(crypto_error)?),
                None => Err(algorithms::not_supported("MAC with", algorithm)),
            },
            None => Err(StoreError::NotSupported(
                "MAC with an AES key needs an HMAC Cryptographic Algorithm (CMAC is not offered)"
                    .to_owned(),
            )),
        },
        UsableKey::Tdes(_) => Err(StoreError::NotSupported(
            "MAC with a Triple DES key".to_owned(),
        )),
        UsableKey::Private(_) | UsableKey::Public(_) => Err(StoreError::InvalidField(format!(
            "MAC needs a symmetric key, not {}",
            key.describe()
        ))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::CryptographicAlgorithm;

    use super::*;
    use crate::material::testing::{hex, rsa_pair, symmetric, usable};

    fn hmac_sha256() -> CryptographicParameters {
        CryptographicParameters {
            cryptographic_algorithm: Some(CryptographicAlgorithm::HMACSHA256),
            ..CryptographicParameters::default()
        }
    }

    #[test]
    fn an_aes_key_macs_with_the_hmac_its_parameters_name() {
        // CS-AC-M-4-14: an AES key whose Cryptographic Parameters say HMAC-SHA256.
        let key = usable(&symmetric(
            &hex("0123456789abcdef0123456789abcdef"),
            CryptographicAlgorithm::AES,
        ));
        let data = hex("01020304050607080910111213141516");
        let tag = mac(&key, Some(&hmac_sha256()), &data).unwrap();
        assert_eq!(
            tag,
            hex("c911e78196d64c30f631bb079ea37b97a95936d4da764d6a171df030c895ecf9")
        );
        assert!(mac_verify(&key, Some(&hmac_sha256()), &data, &tag).unwrap());
        assert!(matches!(
            mac(&key, None, &data),
            Err(StoreError::NotSupported(_))
        ));
    }

    #[test]
    fn hmac_keys_mac_and_verify() {
        let key = usable(&symmetric(&[0x0b; 20], CryptographicAlgorithm::HMACSHA256));
        // RFC 4231 test case 1.
        let tag = mac(&key, None, b"Hi There").unwrap();
        assert_eq!(
            tag,
            hex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
        );
        assert!(mac_verify(&key, Some(&hmac_sha256()), b"Hi There", &tag).unwrap());
        let mut tampered = tag.clone();
        tampered[31] ^= 1;
        assert!(!mac_verify(&key, None, b"Hi There", &tampered).unwrap());
        assert!(!mac_verify(&key, None, b"Hi there", &tag).unwrap());
        assert!(!mac_verify(&key, None, b"Hi There", &tag[..16]).unwrap());
    }

    #[test]
    fn refuses_keys_and_algorithms_that_do_not_fit() {
        let key = usable(&symmetric(&[1; 32], CryptographicAlgorithm::HMACSHA512));
        assert!(matches!(
            mac(&key, Some(&hmac_sha256()), b"x"),
            Err(StoreError::InvalidField(_))
        ));
        let (private, public) = rsa_pair();
        for key in [usable(&private), usable(&public)] {
            assert!(matches!(
                mac(&key, None, b"x"),
                Err(StoreError::InvalidField(_))
            ));
        }
    }
}

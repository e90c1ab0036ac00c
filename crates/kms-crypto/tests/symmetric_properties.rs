//! Property tests for the symmetric half: encryption and wrapping round-trip, and any
//! single-bit change of an AES-GCM ciphertext, tag, IV or AAD, or of a wrapped key, is
//! rejected with the one opaque error (RELIABILITY check 20 asks for 10,000 flips).

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use kms_crypto::aead::{self, TagLength};
use kms_crypto::legacy::{self, Padding};
use kms_crypto::{AesKey, AesKeySize, CryptoError, keywrap};
use proptest::prelude::*;

fn key_size() -> impl Strategy<Value = AesKeySize> {
    prop_oneof![
        Just(AesKeySize::Aes128),
        Just(AesKeySize::Aes192),
        Just(AesKeySize::Aes256),
    ]
}

fn tag_length() -> impl Strategy<Value = TagLength> {
    (12usize..=16).prop_map(|n| TagLength::from_bytes(n).unwrap())
}

fn iv() -> impl Strategy<Value = Vec<u8>> {
    proptest::sample::select(aead::SUPPORTED_IV_LENS.to_vec())
        .prop_flat_map(|len| proptest::collection::vec(any::<u8>(), len))
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..max)
}

/// Which input of a decryption a bit flip lands in.
#[derive(Debug, Clone, Copy)]
enum Part {
    Iv,
    Aad,
    Ciphertext,
    Tag,
}

type WrapFn = fn(&AesKey, &[u8]) -> kms_crypto::Result<Vec<u8>>;
type UnwrapFn = fn(&AesKey, &[u8]) -> kms_crypto::Result<kms_crypto::Secret>;

fn flip(bytes: &mut [u8], bit: usize) {
    bytes[(bit / 8) % bytes.len()] ^= 1 << (bit % 8);
}

proptest! {
    #[test]
    fn gcm_round_trips(
        size in key_size(),
        iv in iv(),
        tag_length in tag_length(),
        aad in bytes(64),
        pt in bytes(200),
    ) {
        let key = AesKey::generate(size).unwrap();
        let sealed = aead::encrypt_with_caller_iv(&key, &iv, tag_length, &aad, &pt).unwrap();
        prop_assert_eq!(sealed.ciphertext().len(), pt.len());
        prop_assert_eq!(sealed.tag().len(), tag_length.bytes());
        let opened = aead::decrypt(&key, sealed.iv(), &aad, sealed.ciphertext(), sealed.tag());
        prop_assert!(opened.unwrap().ct_eq(&pt));
        let combined = aead::decrypt_ciphertext_and_tag(
            &key, &iv, &aad, &sealed.ciphertext_and_tag(), tag_length,
        );
        prop_assert!(combined.unwrap().ct_eq(&pt));
    }

    #[test]
    fn gcm_default_draws_a_fresh_96_bit_iv(size in key_size(), aad in bytes(32), pt in bytes(64)) {
        let key = AesKey::generate(size).unwrap();
        let a = aead::encrypt(&key, &aad, &pt).unwrap();
        let b = aead::encrypt(&key, &aad, &pt).unwrap();
        prop_assert_eq!(a.iv().len(), aead::IV_LEN);
        prop_assert_eq!(a.tag().len(), 16);
        prop_assert_ne!(a.iv(), b.iv());
        let opened = aead::decrypt(&key, a.iv(), &aad, a.ciphertext(), a.tag());
        prop_assert!(opened.unwrap().ct_eq(&pt));
    }

    #[test]
    fn gcm_rejects_a_wrong_key(size in key_size(), pt in bytes(64)) {
        let key = AesKey::generate(size).unwrap();
        let other = AesKey::generate(size).unwrap();
        let sealed = aead::encrypt(&key, b"", &pt).unwrap();
        let opened = aead::decrypt(&other, sealed.iv(), b"", sealed.ciphertext(), sealed.tag());
        prop_assert_eq!(opened.err(), Some(CryptoError::Failed));
    }

    #[test]
    fn kw_round_trips(size in key_size(), blocks in 2usize..=8, seed in any::<u8>()) {
        let kek = AesKey::generate(size).unwrap();
        let data: Vec<u8> = (0..blocks * 8).map(|i| (i as u8).wrapping_add(seed)).collect();
        let wrapped = keywrap::wrap(&kek, &data).unwrap();
        prop_assert_eq!(wrapped.len(), data.len() + keywrap::OVERHEAD);
        prop_assert!(keywrap::unwrap(&kek, &wrapped).unwrap().ct_eq(&data));
    }

    #[test]
    fn kwp_round_trips(size in key_size(), data in proptest::collection::vec(any::<u8>(), 1..80)) {
        let kek = AesKey::generate(size).unwrap();
        let wrapped = keywrap::wrap_with_padding(&kek, &data).unwrap();
        prop_assert_eq!(wrapped.len(), data.len().div_ceil(8) * 8 + keywrap::OVERHEAD);
        prop_assert!(keywrap::unwrap_with_padding(&kek, &wrapped).unwrap().ct_eq(&data));
    }

    #[test]
    fn any_bit_flip_of_a_wrapped_key_is_rejected(
        size in key_size(),
        data in proptest::collection::vec(any::<u8>(), 16..48),
        padded in any::<bool>(),
        bit in any::<usize>(),
    ) {
        let kek = AesKey::generate(size).unwrap();
        let (wrap, unwrap): (WrapFn, UnwrapFn) = if padded {
            (keywrap::wrap_with_padding, keywrap::unwrap_with_padding)
        } else {
            (keywrap::wrap, keywrap::unwrap)
        };
        let data = if padded { data } else { data[..data.len() / 8 * 8].to_vec() };
        let mut wrapped = wrap(&kek, &data).unwrap();
        flip(&mut wrapped, bit);
        prop_assert_eq!(unwrap(&kek, &wrapped).err(), Some(CryptoError::Failed));
    }

    #[test]
    fn legacy_modes_round_trip(size in key_size(), pt in bytes(100), blocks in 0usize..4) {
        let key = AesKey::generate(size).unwrap();
        let cbc = legacy::cbc_encrypt(&key, Padding::Pkcs7, &pt).unwrap();
        prop_assert_eq!(cbc.ciphertext.len(), (pt.len() / 16 + 1) * 16);
        let back = legacy::cbc_decrypt(&key, &cbc.iv, Padding::Pkcs7, &cbc.ciphertext);
        prop_assert!(back.unwrap().ct_eq(&pt));
        let ecb = legacy::ecb_encrypt(&key, Padding::Pkcs7, &pt).unwrap();
        prop_assert!(legacy::ecb_decrypt(&key, Padding::Pkcs7, &ecb).unwrap().ct_eq(&pt));

        let aligned = vec![0x5a; blocks * 16];
        let ecb = legacy::ecb_encrypt(&key, Padding::None, &aligned).unwrap();
        prop_assert_eq!(ecb.len(), aligned.len());
        prop_assert!(legacy::ecb_decrypt(&key, Padding::None, &ecb).unwrap().ct_eq(&aligned));
        let cbc = legacy::cbc_encrypt(&key, Padding::None, &aligned).unwrap();
        let back = legacy::cbc_decrypt(&key, &cbc.iv, Padding::None, &cbc.ciphertext);
        prop_assert!(back.unwrap().ct_eq(&aligned));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn any_single_bit_flip_is_rejected(
        size in key_size(),
        iv in iv(),
        tag_length in tag_length(),
        aad in proptest::collection::vec(any::<u8>(), 1..32),
        pt in proptest::collection::vec(any::<u8>(), 1..64),
        part in prop_oneof![
            Just(Part::Iv),
            Just(Part::Aad),
            Just(Part::Ciphertext),
            Just(Part::Tag),
        ],
        bit in any::<usize>(),
    ) {
        let key = AesKey::generate(size).unwrap();
        let sealed = aead::encrypt_with_caller_iv(&key, &iv, tag_length, &aad, &pt).unwrap();
        let (mut iv, mut ct, mut tag) = sealed.into_parts();
        let mut aad = aad;
        match part {
            Part::Iv => flip(&mut iv, bit),
            Part::Aad => flip(&mut aad, bit),
            Part::Ciphertext => flip(&mut ct, bit),
            Part::Tag => flip(&mut tag, bit),
        }
        prop_assert_eq!(
            aead::decrypt(&key, &iv, &aad, &ct, &tag).err(),
            Some(CryptoError::Failed)
        );
    }
}

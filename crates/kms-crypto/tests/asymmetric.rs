//! Asymmetric keys through the public API: round trips (sign → verify, encrypt →
//! decrypt, export → import) as properties, single-bit flips rejected, key/algorithm
//! mismatches, and the import policy.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::sync::OnceLock;

use kms_crypto::hash::{self, HashAlgorithm};
use kms_crypto::{
    CryptoError, EcCurve, KeySpec, KeyType, Message, PointFormat, PrivateKey, PrivateKeyFormat,
    PublicKey, PublicKeyFormat, RsaKeySize, RsaPrivateComponents, RsaPublicComponents, Secret,
    SignatureAlgorithm, SignatureFormat,
};
use proptest::prelude::*;

/// One key of each kind, generated once per test binary (RSA generation is the slow part).
fn keys() -> &'static [PrivateKey] {
    static KEYS: OnceLock<Vec<PrivateKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            KeySpec::Rsa(RsaKeySize::Rsa2048),
            KeySpec::Rsa(RsaKeySize::Rsa3072),
            KeySpec::Rsa(RsaKeySize::Rsa4096),
            KeySpec::Ec(EcCurve::P256),
            KeySpec::Ec(EcCurve::P384),
            KeySpec::Ec(EcCurve::P521),
            KeySpec::Ec(EcCurve::Secp256k1),
        ]
        .into_iter()
        .map(|spec| PrivateKey::generate(spec).unwrap())
        .collect()
    })
}

fn rsa_key() -> &'static PrivateKey {
    &keys()[0]
}

fn ec_key(curve: EcCurve) -> &'static PrivateKey {
    keys()
        .iter()
        .find(|k| k.key_type() == KeyType::Ec(curve))
        .unwrap()
}

/// A key that can sign with `alg` (RSA algorithms cycle through the three RSA sizes).
fn key_for(alg: SignatureAlgorithm, pick: usize) -> &'static PrivateKey {
    match alg.curve() {
        Some(curve) => ec_key(curve),
        None => &keys()[pick % 3],
    }
}

fn formats() -> impl Strategy<Value = SignatureFormat> {
    prop_oneof![Just(SignatureFormat::Raw), Just(SignatureFormat::Der)]
}

fn algorithms() -> impl Strategy<Value = SignatureAlgorithm> {
    proptest::sample::select(SignatureAlgorithm::ALL.to_vec())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A signature over the message, or over its digest, verifies either way.
    #[test]
    fn sign_then_verify(
        alg in algorithms(),
        pick in 0usize..3,
        msg in proptest::collection::vec(any::<u8>(), 0..300),
        format in formats(),
        sign_digest in any::<bool>(),
    ) {
        let key = key_for(alg, pick);
        let public = key.public_key();
        let digest = hash::digest(alg.hash(), &msg);
        let to_sign = if sign_digest { Message::Digest(digest.as_bytes()) } else { Message::Data(&msg) };
        let sig = key.sign(alg, to_sign, format).unwrap();
        prop_assert_eq!(public.verify(alg, Message::Data(&msg), &sig, format), Ok(()));
        prop_assert_eq!(public.verify(alg, Message::Digest(digest.as_bytes()), &sig, format), Ok(()));
        if alg.curve().is_some() && format == SignatureFormat::Raw {
            prop_assert_eq!(sig.len(), 2 * alg.curve().unwrap().scalar_len());
        }
    }

    /// Flipping any single bit of the signature or of the message makes verification fail
    /// with the one opaque error.
    #[test]
    fn single_bit_flips_are_rejected(
        alg in algorithms(),
        pick in 0usize..3,
        msg in proptest::collection::vec(any::<u8>(), 1..100),
        format in formats(),
        sig_bit in any::<prop::sample::Index>(),
        msg_bit in any::<prop::sample::Index>(),
    ) {
        let key = key_for(alg, pick);
        let public = key.public_key();
        let sig = key.sign(alg, Message::Data(&msg), format).unwrap();

        let mut bad_sig = sig.clone();
        let bit = sig_bit.index(bad_sig.len() * 8);
        bad_sig[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(public.verify(alg, Message::Data(&msg), &bad_sig, format), Err(CryptoError::Failed));

        let mut bad_msg = msg.clone();
        let bit = msg_bit.index(bad_msg.len() * 8);
        bad_msg[bit / 8] ^= 1 << (bit % 8);
        prop_assert_eq!(public.verify(alg, Message::Data(&bad_msg), &sig, format), Err(CryptoError::Failed));
        let digest = hash::digest(alg.hash(), &bad_msg);
        prop_assert_eq!(
            public.verify(alg, Message::Digest(digest.as_bytes()), &sig, format),
            Err(CryptoError::Failed)
        );
    }

    /// OAEP: what the public key encrypts, the private key decrypts, with the same label.
    #[test]
    fn oaep_encrypt_then_decrypt(
        hash in proptest::sample::select(vec![
            HashAlgorithm::Sha1, HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha512,
        ]),
        pick in 0usize..3,
        label in proptest::collection::vec(any::<u8>(), 0..40),
        plaintext in proptest::collection::vec(any::<u8>(), 0..=126),
    ) {
        // 126 bytes is the most a 2048-bit key takes with SHA-512 (k − 2·hLen − 2).
        let key = &keys()[pick];
        let ct = key.public_key().encrypt_oaep(hash, &label, &plaintext).unwrap();
        prop_assert!(key.decrypt_oaep(hash, &label, &ct).unwrap().ct_eq(&plaintext));
        let mut other_label = label.clone();
        other_label.push(0);
        prop_assert_eq!(key.decrypt_oaep(hash, &other_label, &ct).map(|_| ()), Err(CryptoError::Failed));
    }

    /// ECDSA raw ↔ DER conversion is lossless for real signatures.
    #[test]
    fn ecdsa_encodings_convert_both_ways(
        curve in proptest::sample::select(EcCurve::NIST.to_vec()),
        msg in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        use kms_crypto::signature::{ecdsa_der_to_raw, ecdsa_raw_to_der};
        let alg = SignatureAlgorithm::ALL.into_iter().find(|a| a.curve() == Some(curve)).unwrap();
        let raw = ec_key(curve).sign(alg, Message::Data(&msg), SignatureFormat::Raw).unwrap();
        let der = ecdsa_raw_to_der(curve, &raw).unwrap();
        prop_assert_eq!(ecdsa_der_to_raw(curve, &der).unwrap(), raw);
        prop_assert_eq!(
            ec_key(curve).public_key().verify(alg, Message::Data(&msg), &der, SignatureFormat::Der),
            Ok(())
        );
    }
}

/// Every export format of every key imports back to the same key, which still signs.
#[test]
fn export_then_import_every_format() {
    for key in keys() {
        let public = key.public_key();
        let mut imported = Vec::new();
        let mut recovered = usize::MAX;
        let formats: &[PrivateKeyFormat] = match key.key_type() {
            KeyType::Rsa { .. } => &[PrivateKeyFormat::Pkcs8, PrivateKeyFormat::Pkcs1],
            _ => &[PrivateKeyFormat::Pkcs8, PrivateKeyFormat::Sec1],
        };
        for &format in formats {
            let der = key.to_der(format).unwrap();
            imported.push(PrivateKey::from_der(format, der.expose()).unwrap());
            let pem = key.to_pem(format).unwrap();
            imported.push(PrivateKey::from_pem(&pem).unwrap());
        }
        match key.key_type() {
            KeyType::Rsa { .. } => {
                let c = key.rsa_components().unwrap();
                imported.push(PrivateKey::from_rsa_components(&c).unwrap());
                // Without the CRT values, and without the primes.
                let partial = RsaPrivateComponents {
                    n: c.n.clone(),
                    e: c.e.clone(),
                    d: c.d.duplicate(),
                    p: c.p.as_ref().map(Secret::duplicate),
                    q: c.q.as_ref().map(Secret::duplicate),
                    ..Default::default()
                };
                imported.push(PrivateKey::from_rsa_components(&partial).unwrap());
                let minimal = RsaPrivateComponents {
                    n: c.n.clone(),
                    e: c.e.clone(),
                    d: c.d.duplicate(),
                    ..Default::default()
                };
                recovered = imported.len();
                imported.push(PrivateKey::from_rsa_components(&minimal).unwrap());
            }
            KeyType::Ec(curve) => {
                let scalar = key.ec_scalar().unwrap();
                assert_eq!(scalar.len(), curve.scalar_len());
                imported.push(PrivateKey::from_ec_scalar(curve, scalar.expose()).unwrap());
            }
            _ => unreachable!(),
        }
        imported.push(key.duplicate().unwrap());
        for other in &imported {
            assert_eq!(other.public_key(), public, "{key:?}");
            assert_eq!(other.key_type(), key.key_type());
        }
        // Exports are canonical: exporting the re-imported key gives the same bytes (but
        // primes recovered from n, e, d may come back in the other order).
        let pkcs8 = key.to_der(PrivateKeyFormat::Pkcs8).unwrap();
        for (i, other) in imported.iter().enumerate() {
            if i == recovered {
                continue;
            }
            assert!(
                other
                    .to_der(PrivateKeyFormat::Pkcs8)
                    .unwrap()
                    .ct_eq(pkcs8.expose()),
                "{key:?} import {i}"
            );
        }

        let mut publics = vec![
            PublicKey::from_der(
                PublicKeyFormat::Spki,
                &public.to_der(PublicKeyFormat::Spki).unwrap(),
            )
            .unwrap(),
            PublicKey::from_pem(&public.to_pem(PublicKeyFormat::Spki).unwrap()).unwrap(),
        ];
        match public.key_type() {
            KeyType::Rsa { .. } => {
                let der = public.to_der(PublicKeyFormat::Pkcs1).unwrap();
                publics.push(PublicKey::from_der(PublicKeyFormat::Pkcs1, &der).unwrap());
                publics.push(
                    PublicKey::from_pem(&public.to_pem(PublicKeyFormat::Pkcs1).unwrap()).unwrap(),
                );
                let c = public.rsa_components().unwrap();
                assert_ne!(c.n[0], 0, "no leading zero on output");
                publics.push(PublicKey::from_rsa_components(&c).unwrap());
            }
            KeyType::Ec(curve) => {
                for format in [PointFormat::Uncompressed, PointFormat::Compressed] {
                    let point = public.ec_point(format).unwrap();
                    let expected = match format {
                        PointFormat::Uncompressed => 1 + 2 * curve.scalar_len(),
                        PointFormat::Compressed => 1 + curve.scalar_len(),
                    };
                    assert_eq!(point.len(), expected);
                    publics.push(PublicKey::from_ec_point(curve, &point).unwrap());
                }
            }
            _ => unreachable!(),
        }
        for other in &publics {
            assert_eq!(other, &public);
        }
    }
}

#[test]
fn oaep_plaintext_longer_than_the_key_allows_is_invalid() {
    let public = rsa_key().public_key();
    assert!(
        public
            .encrypt_oaep(HashAlgorithm::Sha256, b"", &[7; 190])
            .is_ok()
    );
    assert!(matches!(
        public.encrypt_oaep(HashAlgorithm::Sha256, b"", &[7; 191]),
        Err(CryptoError::Invalid {
            what: "plaintext",
            ..
        })
    ));
    assert!(matches!(
        public.encrypt_oaep(HashAlgorithm::Sha224, b"", b"k"),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn algorithm_must_fit_the_key() {
    let msg = Message::Data(b"m");
    let raw = SignatureFormat::Raw;
    let mismatch = |r: Result<Vec<u8>, CryptoError>| {
        assert!(
            matches!(r, Err(CryptoError::Invalid { what: "key", .. })),
            "{r:?}"
        );
    };
    mismatch(rsa_key().sign(SignatureAlgorithm::Es256, msg, raw));
    mismatch(ec_key(EcCurve::P384).sign(SignatureAlgorithm::Es256, msg, raw));
    mismatch(ec_key(EcCurve::P256).sign(SignatureAlgorithm::Rs256, msg, raw));
    mismatch(ec_key(EcCurve::P521).sign(SignatureAlgorithm::Es384, msg, raw));
    let sig = ec_key(EcCurve::P384)
        .sign(SignatureAlgorithm::Es384, msg, raw)
        .unwrap();
    assert!(matches!(
        ec_key(EcCurve::P384)
            .public_key()
            .verify(SignatureAlgorithm::Es256, msg, &sig, raw),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(matches!(
        rsa_key()
            .public_key()
            .verify(SignatureAlgorithm::Es256, msg, &sig, raw),
        Err(CryptoError::Invalid { .. })
    ));
    // EC keys do no RSA encryption.
    assert!(matches!(
        ec_key(EcCurve::P256).decrypt_oaep(HashAlgorithm::Sha256, b"", &[0; 256]),
        Err(CryptoError::Invalid { .. })
    ));
}

#[test]
fn digest_length_must_match_the_hash() {
    for alg in SignatureAlgorithm::ALL {
        let key = key_for(alg, 0);
        let len = alg.hash().output_len();
        for wrong in [0, len - 1, len + 1, 20] {
            let digest = vec![1u8; wrong];
            assert!(matches!(
                key.sign(alg, Message::Digest(&digest), SignatureFormat::Raw),
                Err(CryptoError::Invalid { what: "digest", .. })
            ));
            assert!(matches!(
                key.public_key().verify(
                    alg,
                    Message::Digest(&digest),
                    &[0; 64],
                    SignatureFormat::Raw
                ),
                Err(CryptoError::Invalid { what: "digest", .. })
            ));
        }
    }
}

#[test]
fn malformed_signatures_fail_opaquely() {
    for alg in SignatureAlgorithm::ALL {
        let public = key_for(alg, 0).public_key();
        for format in [SignatureFormat::Raw, SignatureFormat::Der] {
            for sig in [&[][..], &[0u8; 1][..], &[0x30, 0x00][..], &[0xff; 600][..]] {
                assert_eq!(
                    public.verify(alg, Message::Data(b"m"), sig, format),
                    Err(CryptoError::Failed),
                    "{alg} {format:?}"
                );
            }
        }
    }
}

#[test]
fn rsa_generation_sizes() {
    for bits in [1024, 1536, 2047, 2049, 8192, 0] {
        assert!(matches!(
            RsaKeySize::try_from(bits),
            Err(CryptoError::Unsupported(_))
        ));
    }
    for (size, key) in [
        RsaKeySize::Rsa2048,
        RsaKeySize::Rsa3072,
        RsaKeySize::Rsa4096,
    ]
    .into_iter()
    .zip(keys())
    {
        assert_eq!(RsaKeySize::try_from(size.bits()), Ok(size));
        assert_eq!(key.key_type(), KeyType::Rsa { bits: size.bits() });
        assert_eq!(key.rsa_components().unwrap().e, vec![1, 0, 1]);
    }
}

/// A 1024-bit key made by the `rsa` crate directly (this crate refuses to make one).
fn legacy_key() -> &'static rsa::PrivateKey {
    static KEY: OnceLock<rsa::PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| rsa::PrivateKey::new(&mut getrandom::SysRng, 1024).unwrap())
}

#[test]
fn rsa_1024_is_legacy_and_verify_only() {
    use rsa::pkcs1::EncodeRsaPrivateKey as _;
    use rsa::pkcs8::EncodePublicKey as _;
    let legacy = legacy_key();
    let spki = legacy.to_public_key().to_public_key_der().unwrap();
    assert!(matches!(
        PublicKey::from_der(PublicKeyFormat::Spki, spki.as_bytes()),
        Err(CryptoError::Unsupported(_))
    ));
    let pkcs1 = legacy.to_pkcs1_der().unwrap();
    assert!(matches!(
        PrivateKey::from_der(PrivateKeyFormat::Pkcs1, pkcs1.as_bytes()),
        Err(CryptoError::Unsupported(_))
    ));

    let public = PublicKey::from_legacy_rsa_der(PublicKeyFormat::Spki, spki.as_bytes()).unwrap();
    assert!(public.is_legacy());
    assert!(!rsa_key().public_key().is_legacy());
    let msg = b"an old signed document";
    let sig = legacy.pkcs1v15_sign::<rsa::sha2::Sha256>(msg).unwrap();
    let alg = SignatureAlgorithm::Rs256;
    assert_eq!(
        public.verify(alg, Message::Data(msg), &sig, SignatureFormat::Raw),
        Ok(())
    );
    let digest = hash::digest(HashAlgorithm::Sha256, msg);
    assert_eq!(
        public.verify(
            alg,
            Message::Digest(digest.as_bytes()),
            &sig,
            SignatureFormat::Raw
        ),
        Ok(())
    );
    assert_eq!(
        public.verify(alg, Message::Data(b"another"), &sig, SignatureFormat::Raw),
        Err(CryptoError::Failed)
    );
    assert!(matches!(
        public.encrypt_oaep(HashAlgorithm::Sha256, b"", b"key"),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn inconsistent_rsa_components_are_rejected() {
    let c = rsa_key().rsa_components().unwrap();
    let with = |edit: &dyn Fn(&mut RsaPrivateComponents)| {
        let mut c2 = RsaPrivateComponents {
            n: c.n.clone(),
            e: c.e.clone(),
            d: c.d.duplicate(),
            p: c.p.as_ref().map(Secret::duplicate),
            q: c.q.as_ref().map(Secret::duplicate),
            dp: c.dp.as_ref().map(Secret::duplicate),
            dq: c.dq.as_ref().map(Secret::duplicate),
            qi: c.qi.as_ref().map(Secret::duplicate),
        };
        edit(&mut c2);
        PrivateKey::from_rsa_components(&c2)
    };
    let bump = |s: &Secret| {
        let mut v = s.expose().to_vec();
        let last = v.len() - 1;
        v[last] ^= 2;
        Secret::new(v)
    };
    assert!(with(&|_| {}).is_ok());
    for (name, result) in [
        ("dp", with(&|c| c.dp = c.dp.as_ref().map(bump))),
        ("dq", with(&|c| c.dq = c.dq.as_ref().map(bump))),
        ("qi", with(&|c| c.qi = c.qi.as_ref().map(bump))),
        ("d", with(&|c| c.d = bump(&c.d))),
        ("p", with(&|c| c.p = c.p.as_ref().map(bump))),
        ("n", with(&|c| c.n[10] ^= 1)),
        ("p alone", with(&|c| c.q = None)),
        (
            "dp without p",
            with(&|c| {
                c.p = None;
                c.q = None;
            }),
        ),
    ] {
        assert!(
            matches!(result, Err(CryptoError::Invalid { .. })),
            "{name}: {result:?}"
        );
    }
    // e = 3 is refused for private keys, an even e everywhere.
    assert!(with(&|c| c.e = vec![3]).is_err());
    assert!(matches!(
        PublicKey::from_rsa_components(&RsaPublicComponents {
            n: c.n.clone(),
            e: vec![1, 0, 0],
        }),
        Err(CryptoError::Invalid { .. })
    ));
}

#[test]
fn invalid_ec_material_is_rejected() {
    for curve in EcCurve::ALL {
        let len = curve.scalar_len();
        assert!(PrivateKey::from_ec_scalar(curve, &vec![0; len]).is_err());
        assert!(PrivateKey::from_ec_scalar(curve, &vec![0xff; len]).is_err());
        assert!(PrivateKey::from_ec_scalar(curve, &vec![1; len + 1]).is_err());
        // Shorter scalars are big-endian integers missing their leading zeros.
        let short = PrivateKey::from_ec_scalar(curve, &[7]).unwrap();
        let mut padded = vec![0; len - 1];
        padded.push(7);
        assert!(short.ec_scalar().unwrap().ct_eq(&padded));

        let mut point = ec_key(curve)
            .public_key()
            .ec_point(PointFormat::Uncompressed)
            .unwrap();
        let last = point.len() - 1;
        point[last] ^= 1;
        assert!(matches!(
            PublicKey::from_ec_point(curve, &point),
            Err(CryptoError::Invalid { .. })
        ));
    }
    // A P-384 point is not a P-256 point.
    let p384 = ec_key(EcCurve::P384)
        .public_key()
        .ec_point(PointFormat::Uncompressed)
        .unwrap();
    assert!(PublicKey::from_ec_point(EcCurve::P256, &p384).is_err());
    // Formats that do not hold the key's type.
    assert!(matches!(
        ec_key(EcCurve::P256).to_der(PrivateKeyFormat::Pkcs1),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(matches!(
        rsa_key().to_der(PrivateKeyFormat::Sec1),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(
        ec_key(EcCurve::P256)
            .public_key()
            .to_der(PublicKeyFormat::Pkcs1)
            .is_err()
    );
    let sec1 = ec_key(EcCurve::P256)
        .to_der(PrivateKeyFormat::Sec1)
        .unwrap();
    assert!(PrivateKey::from_der(PrivateKeyFormat::Pkcs1, sec1.expose()).is_err());
    let pkcs1 = rsa_key().to_der(PrivateKeyFormat::Pkcs1).unwrap();
    assert!(PrivateKey::from_der(PrivateKeyFormat::Sec1, pkcs1.expose()).is_err());
}

#[test]
fn a_sec1_key_must_match_its_embedded_public_key() {
    use sec1::der::{Decode as _, Encode as _};
    let a = ec_key(EcCurve::P256)
        .to_der(PrivateKeyFormat::Sec1)
        .unwrap();
    let b = PrivateKey::generate(KeySpec::Ec(EcCurve::P256))
        .unwrap()
        .to_der(PrivateKeyFormat::Sec1)
        .unwrap();
    let parsed_a = sec1::EcPrivateKey::from_der(a.expose()).unwrap();
    let parsed_b = sec1::EcPrivateKey::from_der(b.expose()).unwrap();
    let mixed = sec1::EcPrivateKey {
        public_key: parsed_b.public_key,
        ..parsed_a.clone()
    }
    .to_der()
    .unwrap();
    assert!(matches!(
        PrivateKey::from_der(PrivateKeyFormat::Sec1, &mixed),
        Err(CryptoError::Invalid { .. })
    ));
    let anonymous = sec1::EcPrivateKey {
        parameters: None,
        ..parsed_a
    }
    .to_der()
    .unwrap();
    assert!(matches!(
        PrivateKey::from_der(PrivateKeyFormat::Sec1, &anonymous),
        Err(CryptoError::Encoding(_))
    ));
}

#[test]
fn pkcs1v15_decryption_uses_implicit_rejection() {
    use rsa::pkcs1::DecodeRsaPrivateKey as _;
    let key = rsa_key();
    let der = key.to_der(PrivateKeyFormat::Pkcs1).unwrap();
    let theirs = rsa::PrivateKey::from_pkcs1_der(der.expose()).unwrap();
    let ct = theirs
        .to_public_key()
        .pkcs1v15_encrypt(b"a wrapped AES key")
        .unwrap();
    assert!(
        key.decrypt_pkcs1v15(&ct)
            .unwrap()
            .ct_eq(b"a wrapped AES key")
    );

    // A tampered ciphertext gives a stable pseudo-random answer, not an error.
    let mut bad = ct.clone();
    bad[5] ^= 0x40;
    let first = key.decrypt_pkcs1v15(&bad).unwrap();
    let second = key.decrypt_pkcs1v15(&bad).unwrap();
    assert_eq!(first.expose(), second.expose());
    assert!(!first.ct_eq(b"a wrapped AES key"));
    // Only a wrong length, which is public, fails.
    assert_eq!(
        key.decrypt_pkcs1v15(&ct[1..]).map(|_| ()),
        Err(CryptoError::Failed)
    );
}

#[test]
fn unsupported_encodings_are_refused() {
    assert!(matches!(
        PrivateKey::from_pem(
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n"
        ),
        Err(CryptoError::Unsupported(_))
    ));
    assert!(matches!(
        PrivateKey::from_der(PrivateKeyFormat::Pkcs8, b"not DER"),
        Err(CryptoError::Encoding(_))
    ));
    assert!(matches!(
        PublicKey::from_der(PublicKeyFormat::Spki, b"not DER"),
        Err(CryptoError::Encoding(_))
    ));
    // A private PEM is not a public one.
    let pem = rsa_key().to_pem(PrivateKeyFormat::Pkcs8).unwrap();
    assert!(PublicKey::from_pem(&pem).is_err());
}

#[test]
fn debug_output_hides_private_material() {
    let key = rsa_key();
    let components = key.rsa_components().unwrap();
    let printed = format!("{key:?} {components:?}");
    assert!(printed.contains("redacted"));
    let d_hex: String = components.d.expose()[..8]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert!(!printed.contains(&d_hex));
    assert!(!printed.contains(&format!("{:?}", &components.d.expose()[..4])));
    assert_eq!(
        format!("{:?}", ec_key(EcCurve::P521)),
        "PrivateKey(Ec(P521), [redacted])"
    );
}

#[test]
fn algorithm_names_are_jose_names() {
    for alg in SignatureAlgorithm::ALL {
        assert_eq!(alg.jose_name().parse::<SignatureAlgorithm>(), Ok(alg));
        assert_eq!(alg.to_string(), alg.jose_name());
    }
    assert!("es256".parse::<SignatureAlgorithm>().is_err());
    assert!("HS256".parse::<SignatureAlgorithm>().is_err());
    for curve in EcCurve::ALL {
        assert_eq!(EcCurve::from_jose_name(curve.jose_name()), Some(curve));
    }
}

#[test]
fn pss_salts_from_empty_to_the_longest_the_modulus_allows() {
    let key = rsa_key();
    let public = key.public_key();
    let msg = Message::Data(b"\x01\x02\x03\x04");
    // 2048-bit modulus, SHA-256: emLen 256, the longest salt 256 - 32 - 2 = 222
    // (CS-AC-M-1-14 signs with it).
    for salt in [0, 20, 32, 222] {
        let sig = key.sign_pss(HashAlgorithm::Sha256, salt, msg).unwrap();
        assert_eq!(sig.len(), 256);
        public
            .verify_pss(HashAlgorithm::Sha256, Some(salt), msg, &sig)
            .unwrap();
        public
            .verify_pss(HashAlgorithm::Sha256, None, msg, &sig)
            .unwrap();
        let digest = hash::digest(HashAlgorithm::Sha256, b"\x01\x02\x03\x04");
        public
            .verify_pss(
                HashAlgorithm::Sha256,
                None,
                Message::Digest(digest.as_bytes()),
                &sig,
            )
            .unwrap();
        let wrong_salt = if salt == 32 { 20 } else { 32 };
        assert_eq!(
            public.verify_pss(HashAlgorithm::Sha256, Some(wrong_salt), msg, &sig),
            Err(CryptoError::Failed)
        );
        assert_eq!(
            public.verify_pss(HashAlgorithm::Sha256, None, Message::Data(b"other"), &sig),
            Err(CryptoError::Failed)
        );
        // PS256 is PSS with a salt as long as the hash.
        let ps256 = public.verify(SignatureAlgorithm::Ps256, msg, &sig, SignatureFormat::Raw);
        assert_eq!(ps256.is_ok(), salt == 32, "salt {salt}");
    }
    assert!(matches!(
        key.sign_pss(HashAlgorithm::Sha256, 223, msg),
        Err(CryptoError::Invalid {
            what: "salt length",
            ..
        })
    ));
    assert!(matches!(
        key.sign_pss(HashAlgorithm::Sha256, 32, Message::Digest(&[0; 31])),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(matches!(
        key.sign_pss(HashAlgorithm::Sha1, 20, msg),
        Err(CryptoError::Unsupported(_))
    ));
    assert!(
        ec_key(EcCurve::P256)
            .sign_pss(HashAlgorithm::Sha256, 32, msg)
            .is_err()
    );
}

#[test]
fn oaep_with_a_separate_mgf1_hash_round_trips_and_binds_both_hashes() {
    let key = rsa_key();
    let public = key.public_key();
    let ct = public
        .encrypt_oaep_with_mgf(HashAlgorithm::Sha384, HashAlgorithm::Sha256, b"", b"key")
        .unwrap();
    let plain = key
        .decrypt_oaep_with_mgf(HashAlgorithm::Sha384, HashAlgorithm::Sha256, b"", &ct)
        .unwrap();
    assert!(plain.ct_eq(b"key"));
    for (hash, mgf) in [
        (HashAlgorithm::Sha384, HashAlgorithm::Sha384),
        (HashAlgorithm::Sha256, HashAlgorithm::Sha256),
        (HashAlgorithm::Sha256, HashAlgorithm::Sha384),
    ] {
        assert_eq!(
            key.decrypt_oaep_with_mgf(hash, mgf, b"", &ct).map(|_| ()),
            Err(CryptoError::Failed)
        );
    }
    // The same hash twice is plain OAEP.
    let same = public
        .encrypt_oaep_with_mgf(HashAlgorithm::Sha256, HashAlgorithm::Sha256, b"l", b"k")
        .unwrap();
    assert!(
        key.decrypt_oaep(HashAlgorithm::Sha256, b"l", &same)
            .unwrap()
            .ct_eq(b"k")
    );
    assert!(matches!(
        public.encrypt_oaep_with_mgf(HashAlgorithm::Sha256, HashAlgorithm::Sha224, b"", b"k"),
        Err(CryptoError::Unsupported(_))
    ));
}

/// The SEC 1 key of the OASIS test cases TC-ECC-1-14 and CS-AC-M-3-ECC-13: its
/// parameters name secp256k1 (1.3.132.0.10).
const OASIS_SECP256K1_SEC1: &str = "30740201010420db4d128c30ca309e62c4019758c00ba244dd64d9bf52a31078866b8a00c19c68a00706052b8104000aa14403420004dab5d3c253113db414abfc1c0ebf5a02559e656aa1c8b0aa8d870aa0324cda4899925ea1e6dbc259a6c7825cf46592ac7594cc40bd604b728d88b636f317d366";

#[test]
fn secp256k1_keys_are_read_on_the_curve_their_encoding_names() {
    let sec1 = hex::decode(OASIS_SECP256K1_SEC1).unwrap();
    let key = PrivateKey::from_der(PrivateKeyFormat::Sec1, &sec1).unwrap();
    assert_eq!(key.key_type(), KeyType::Ec(EcCurve::Secp256k1));
    assert_eq!(EcCurve::Secp256k1.bits(), 256);
    // The embedded public key is the scalar's on secp256k1 (the import checks it).
    let point = key
        .public_key()
        .ec_point(PointFormat::Uncompressed)
        .unwrap();
    assert_eq!(point[..], sec1[sec1.len() - 65..]);
    // The same 32-byte scalar on P-256 is another key: the curve must come from the OID.
    let on_p256 =
        PrivateKey::from_ec_scalar(EcCurve::P256, key.ec_scalar().unwrap().expose()).unwrap();
    assert_ne!(
        on_p256
            .public_key()
            .ec_point(PointFormat::Uncompressed)
            .unwrap(),
        point
    );
    assert!(PublicKey::from_ec_point(EcCurve::P256, &point).is_err());
    // PKCS#8 and SPKI name the curve too.
    let pkcs8 = key.to_der(PrivateKeyFormat::Pkcs8).unwrap();
    let back = PrivateKey::from_der(PrivateKeyFormat::Pkcs8, pkcs8.expose()).unwrap();
    assert_eq!(back.key_type(), KeyType::Ec(EcCurve::Secp256k1));
    let spki = key.public_key().to_der(PublicKeyFormat::Spki).unwrap();
    assert_eq!(
        PublicKey::from_der(PublicKeyFormat::Spki, &spki)
            .unwrap()
            .key_type(),
        KeyType::Ec(EcCurve::Secp256k1)
    );
    assert_eq!(
        key.to_der(PrivateKeyFormat::Sec1).unwrap().expose(),
        &sec1[..]
    );
    // A size alone names a NIST curve.
    assert_eq!(EcCurve::nist_of_bits(256), Some(EcCurve::P256));
    assert!(!EcCurve::NIST.contains(&EcCurve::Secp256k1));
}

#[test]
fn secp256k1_signs_ecdsa_with_sha256_and_no_jose_algorithm() {
    let key = ec_key(EcCurve::Secp256k1);
    let public = key.public_key();
    let msg = b"secp256k1 message";
    let digest = hash::digest(HashAlgorithm::Sha256, msg);
    for format in [SignatureFormat::Raw, SignatureFormat::Der] {
        let sig = key.sign_ecdsa(Message::Data(msg), format).unwrap();
        // RFC 6979: the same signature from the message and from its digest.
        assert_eq!(
            key.sign_ecdsa(Message::Digest(digest.as_bytes()), format)
                .unwrap(),
            sig
        );
        public
            .verify_ecdsa(Message::Data(msg), &sig, format)
            .unwrap();
        public
            .verify_ecdsa(Message::Digest(digest.as_bytes()), &sig, format)
            .unwrap();
        assert_eq!(
            public.verify_ecdsa(Message::Data(b"another message"), &sig, format),
            Err(CryptoError::Failed)
        );
        // Another secp256k1 key does not verify it.
        let other = PrivateKey::generate(KeySpec::Ec(EcCurve::Secp256k1)).unwrap();
        assert_eq!(
            other
                .public_key()
                .verify_ecdsa(Message::Data(msg), &sig, format),
            Err(CryptoError::Failed)
        );
    }
    let raw = key
        .sign_ecdsa(Message::Data(msg), SignatureFormat::Raw)
        .unwrap();
    assert_eq!(raw.len(), 64);
    // ES256 is P-256's: refused on secp256k1, whose key is also 256 bits.
    assert!(matches!(
        key.sign(
            SignatureAlgorithm::Es256,
            Message::Data(msg),
            SignatureFormat::Raw
        ),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(matches!(
        public.verify(
            SignatureAlgorithm::Es256,
            Message::Data(msg),
            &raw,
            SignatureFormat::Raw
        ),
        Err(CryptoError::Invalid { .. })
    ));
    // A digest of another length, and an RSA key, are the caller's mistakes.
    assert!(matches!(
        key.sign_ecdsa(Message::Digest(&[0; 48]), SignatureFormat::Raw),
        Err(CryptoError::Invalid { .. })
    ));
    assert!(matches!(
        rsa_key().sign_ecdsa(Message::Data(msg), SignatureFormat::Raw),
        Err(CryptoError::Invalid { .. })
    ));
}

#[test]
fn sign_ecdsa_on_a_nist_curve_is_its_es_algorithm() {
    for (curve, alg) in [
        (EcCurve::P256, SignatureAlgorithm::Es256),
        (EcCurve::P384, SignatureAlgorithm::Es384),
        (EcCurve::P521, SignatureAlgorithm::Es512),
    ] {
        assert_eq!(alg.hash(), curve.hash());
        let key = ec_key(curve);
        let digest = hash::digest(curve.hash(), b"abc");
        let message = Message::Digest(digest.as_bytes());
        // Digests are signed deterministically on every curve.
        let ours = key.sign_ecdsa(message, SignatureFormat::Der).unwrap();
        assert_eq!(ours, key.sign(alg, message, SignatureFormat::Der).unwrap());
        key.public_key()
            .verify(alg, Message::Data(b"abc"), &ours, SignatureFormat::Der)
            .unwrap();
    }
}

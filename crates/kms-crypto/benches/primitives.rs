//! The crate's primitives next to the bare ring or RustCrypto calls that do the same
//! work, in the same run, so that the cost of the wrapper shows: each group has an `ours`
//! and a `bare` function over the same key and input.
//!
//! "The same work" includes what the caller of our API gets: an owned output (the bare
//! functions allocate it too) and, for [`aead::encrypt`], a fresh random IV. It does not
//! include preparing a key: the bare functions use a key prepared once, as a caller of
//! ring or RustCrypto would. A decrypted plaintext is a `Secret`, wiped when dropped;
//! `bare+wipe` is the bare decryption with that wipe.
//!
//! `cargo bench -p kms-crypto -- --warm-up-time 1 --measurement-time 3`; RSA 4096 key
//! generation runs only with `KMS_BENCH_RSA4096=1` (it takes seconds per key).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::Duration;

use aes_kw::{AesKw, KeyInit as _};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use kms_crypto::aead::{self, TagLength};
use kms_crypto::{
    AesKey, AesKeySize, EcCurve, KeySpec, Message, PrivateKey, PrivateKeyFormat, PublicKeyFormat,
    RsaKeySize, SignatureAlgorithm, SignatureFormat, keywrap,
};
use p521::ecdsa::signature::{Signer as _, Verifier as _};
use ring::aead::{AES_256_GCM, Aad, LessSafeKey, Nonce, Tag, UnboundKey};
use ring::rand::{SecureRandom as _, SystemRandom};
use ring::signature::{self as ring_sig, EcdsaKeyPair, RsaKeyPair};

const MESSAGE: &[u8] = b"a message of the length of a JWS signing input, say a JWT header and \
    claims, base64url-encoded and joined by a dot: a few hundred bytes at most";

fn aes_gcm(c: &mut Criterion) {
    let key = AesKey::generate(AesKeySize::Aes256).unwrap();
    let ring_key = LessSafeKey::new(UnboundKey::new(&AES_256_GCM, key.expose()).unwrap());
    let rng = SystemRandom::new();
    let aad = b"object id and version";
    for size in [64, 4096, 1 << 20] {
        let plaintext = vec![0x5a; size];
        let mut group = c.benchmark_group("aes256gcm_encrypt");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("ours", size), &plaintext, |b, pt| {
            b.iter(|| aead::encrypt(&key, aad, black_box(pt)).unwrap());
        });
        group.bench_with_input(BenchmarkId::new("bare", size), &plaintext, |b, pt| {
            b.iter(|| {
                let mut iv = [0u8; 12];
                rng.fill(&mut iv).unwrap();
                let mut buf = black_box(pt).to_vec();
                let tag = ring_key
                    .seal_in_place_separate_tag(
                        Nonce::assume_unique_for_key(iv),
                        Aad::from(aad),
                        &mut buf,
                    )
                    .unwrap();
                (iv, buf, tag)
            });
        });
        group.finish();

        let sealed = aead::encrypt(&key, aad, &plaintext).unwrap();
        let iv: [u8; 12] = sealed.iv().try_into().unwrap();
        let mut group = c.benchmark_group("aes256gcm_decrypt");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("ours", size), &sealed, |b, s| {
            b.iter(|| {
                aead::decrypt(&key, s.iv(), aad, black_box(s.ciphertext()), s.tag()).unwrap()
            });
        });
        group.bench_with_input(BenchmarkId::new("bare", size), &sealed, |b, s| {
            b.iter(|| {
                let mut buf = black_box(s.ciphertext()).to_vec();
                let tag = Tag::try_from(s.tag()).unwrap();
                ring_key
                    .open_in_place_separate_tag(
                        Nonce::assume_unique_for_key(iv),
                        Aad::from(aad),
                        tag,
                        &mut buf,
                        0..,
                    )
                    .unwrap();
                buf
            });
        });
        // Our plaintext is a `Secret`, wiped when dropped: the same with the wipe.
        group.bench_with_input(BenchmarkId::new("bare+wipe", size), &sealed, |b, s| {
            b.iter(|| {
                let mut buf = black_box(s.ciphertext()).to_vec();
                let tag = Tag::try_from(s.tag()).unwrap();
                ring_key
                    .open_in_place_separate_tag(
                        Nonce::assume_unique_for_key(iv),
                        Aad::from(aad),
                        tag,
                        &mut buf,
                        0..,
                    )
                    .unwrap();
                zeroize::Zeroize::zeroize(buf.as_mut_slice());
                buf
            });
        });
        group.finish();
    }
    // A caller-chosen IV: the same without drawing it.
    let plaintext = vec![0x5a; 64];
    let iv = [7u8; 12];
    let mut group = c.benchmark_group("aes256gcm_encrypt_caller_iv");
    group.bench_function(BenchmarkId::new("ours", 64), |b| {
        b.iter(|| {
            aead::encrypt_with_caller_iv(&key, &iv, TagLength::Bytes16, aad, black_box(&plaintext))
                .unwrap()
        });
    });
    group.bench_function(BenchmarkId::new("bare", 64), |b| {
        b.iter(|| {
            let mut buf = black_box(&plaintext).to_vec();
            let tag = ring_key
                .seal_in_place_separate_tag(
                    Nonce::assume_unique_for_key(iv),
                    Aad::from(aad),
                    &mut buf,
                )
                .unwrap();
            (buf, tag)
        });
    });
    group.finish();
}

/// The bare signer for one of our keys, built from the same key material.
enum BareSigner {
    Ring(EcdsaKeyPair),
    P521(p521::ecdsa::SigningKey),
}

fn bare_ec_signer(key: &PrivateKey, curve: EcCurve) -> BareSigner {
    let scalar = key.ec_scalar().unwrap();
    let point = key
        .public_key()
        .ec_point(kms_crypto::PointFormat::Uncompressed)
        .unwrap();
    let alg = match curve {
        EcCurve::P256 => &ring_sig::ECDSA_P256_SHA256_FIXED_SIGNING,
        EcCurve::P384 => &ring_sig::ECDSA_P384_SHA384_FIXED_SIGNING,
        _ => {
            return BareSigner::P521(p521::ecdsa::SigningKey::from_slice(scalar.expose()).unwrap());
        }
    };
    let pair = EcdsaKeyPair::from_private_key_and_public_key(
        alg,
        scalar.expose(),
        &point,
        &SystemRandom::new(),
    )
    .unwrap();
    BareSigner::Ring(pair)
}

fn ecdsa_signatures(c: &mut Criterion) {
    let rng = SystemRandom::new();
    for (alg, curve) in [
        (SignatureAlgorithm::Es256, EcCurve::P256),
        (SignatureAlgorithm::Es384, EcCurve::P384),
        (SignatureAlgorithm::Es512, EcCurve::P521),
    ] {
        let key = PrivateKey::generate(KeySpec::Ec(curve)).unwrap();
        let public = key.public_key();
        let bare = bare_ec_signer(&key, curve);
        let name = alg.jose_name().to_lowercase();

        let mut group = c.benchmark_group(format!("{name}_sign"));
        group.bench_function("ours", |b| {
            b.iter(|| {
                key.sign(alg, Message::Data(black_box(MESSAGE)), SignatureFormat::Raw)
                    .unwrap()
            });
        });
        group.bench_function("bare", |b| match &bare {
            BareSigner::Ring(pair) => b.iter(|| {
                pair.sign(&rng, black_box(MESSAGE))
                    .unwrap()
                    .as_ref()
                    .to_vec()
            }),
            BareSigner::P521(sk) => b.iter(|| {
                let sig: p521::ecdsa::Signature = sk.sign(black_box(MESSAGE));
                sig.to_vec()
            }),
        });
        group.finish();

        let signature = key
            .sign(alg, Message::Data(MESSAGE), SignatureFormat::Raw)
            .unwrap();
        let point = public
            .ec_point(kms_crypto::PointFormat::Uncompressed)
            .unwrap();
        let mut group = c.benchmark_group(format!("{name}_verify"));
        group.bench_function("ours", |b| {
            b.iter(|| {
                public
                    .verify(
                        alg,
                        Message::Data(black_box(MESSAGE)),
                        black_box(&signature),
                        SignatureFormat::Raw,
                    )
                    .unwrap();
            });
        });
        match curve {
            EcCurve::P256 | EcCurve::P384 => {
                let ring_alg = if curve == EcCurve::P256 {
                    &ring_sig::ECDSA_P256_SHA256_FIXED
                } else {
                    &ring_sig::ECDSA_P384_SHA384_FIXED
                };
                group.bench_function("bare", |b| {
                    b.iter(|| {
                        ring_sig::UnparsedPublicKey::new(ring_alg, &point)
                            .verify(black_box(MESSAGE), black_box(&signature))
                            .unwrap();
                    });
                });
            }
            _ => {
                let vk = p521::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
                group.bench_function("bare", |b| {
                    b.iter(|| {
                        let sig =
                            p521::ecdsa::Signature::from_slice(black_box(&signature)).unwrap();
                        vk.verify(black_box(MESSAGE), &sig).unwrap();
                    });
                });
            }
        }
        group.finish();
    }
}

fn rsa_signatures(c: &mut Criterion) {
    let rng = SystemRandom::new();
    let key = PrivateKey::generate(KeySpec::Rsa(RsaKeySize::Rsa2048)).unwrap();
    let public = key.public_key();
    let ring_pair =
        RsaKeyPair::from_der(key.to_der(PrivateKeyFormat::Pkcs1).unwrap().expose()).unwrap();
    let public_pkcs1 = public.to_der(PublicKeyFormat::Pkcs1).unwrap();
    assert_eq!(ring_pair.public().as_ref(), public_pkcs1.as_slice());
    for (alg, padding, params) in [
        (
            SignatureAlgorithm::Rs256,
            &ring_sig::RSA_PKCS1_SHA256 as &'static dyn ring_sig::RsaEncoding,
            &ring_sig::RSA_PKCS1_2048_8192_SHA256,
        ),
        (
            SignatureAlgorithm::Ps256,
            &ring_sig::RSA_PSS_SHA256,
            &ring_sig::RSA_PSS_2048_8192_SHA256,
        ),
    ] {
        let name = alg.jose_name().to_lowercase();
        let mut group = c.benchmark_group(format!("{name}_sign"));
        group.bench_function("ours", |b| {
            b.iter(|| {
                key.sign(alg, Message::Data(black_box(MESSAGE)), SignatureFormat::Raw)
                    .unwrap()
            });
        });
        group.bench_function("bare", |b| {
            b.iter(|| {
                let mut sig = vec![0u8; ring_pair.public().modulus_len()];
                ring_pair
                    .sign(padding, &rng, black_box(MESSAGE), &mut sig)
                    .unwrap();
                sig
            });
        });
        group.finish();

        let signature = key
            .sign(alg, Message::Data(MESSAGE), SignatureFormat::Raw)
            .unwrap();
        let mut group = c.benchmark_group(format!("{name}_verify"));
        group.bench_function("ours", |b| {
            b.iter(|| {
                public
                    .verify(
                        alg,
                        Message::Data(black_box(MESSAGE)),
                        black_box(&signature),
                        SignatureFormat::Raw,
                    )
                    .unwrap();
            });
        });
        group.bench_function("bare", |b| {
            b.iter(|| {
                ring_sig::UnparsedPublicKey::new(params, &public_pkcs1)
                    .verify(black_box(MESSAGE), black_box(&signature))
                    .unwrap();
            });
        });
        group.finish();
    }
}

fn key_generation(c: &mut Criterion) {
    let rng = SystemRandom::new();
    let mut sizes = vec![RsaKeySize::Rsa2048, RsaKeySize::Rsa3072];
    if std::env::var_os("KMS_BENCH_RSA4096").is_some() {
        sizes.push(RsaKeySize::Rsa4096);
    }
    for size in sizes {
        let mut group = c.benchmark_group(format!("rsa{}_generate", size.bits()));
        group.sample_size(10);
        group.measurement_time(Duration::from_secs(if size == RsaKeySize::Rsa2048 {
            10
        } else {
            30
        }));
        group.bench_function("ours", |b| {
            b.iter(|| PrivateKey::generate(KeySpec::Rsa(size)).unwrap());
        });
        group.bench_function("bare", |b| {
            b.iter(|| rsa::PrivateKey::new(&mut getrandom::SysRng, size.bits() as usize).unwrap());
        });
        group.finish();
    }
    // What generation adds after the prime search, without its variance: the new key is
    // imported into both libraries and checked (`bare`: parsed by both, unchecked).
    let key = PrivateKey::generate(KeySpec::Rsa(RsaKeySize::Rsa2048)).unwrap();
    let pkcs1 = key.to_der(PrivateKeyFormat::Pkcs1).unwrap();
    let mut group = c.benchmark_group("rsa2048_import_pkcs1");
    group.bench_function("ours", |b| {
        b.iter(|| {
            PrivateKey::from_der(PrivateKeyFormat::Pkcs1, black_box(pkcs1.expose())).unwrap()
        });
    });
    group.bench_function("bare", |b| {
        b.iter(|| {
            use pkcs1::DecodeRsaPrivateKey as _;
            let der = black_box(pkcs1.expose());
            let key = rsa::PrivateKey::from_pkcs1_der(der).unwrap();
            (key, RsaKeyPair::from_der(der).unwrap())
        });
    });
    group.finish();

    for curve in EcCurve::NIST {
        let mut group = c.benchmark_group(format!(
            "{}_generate",
            curve.jose_name().replace('-', "").to_lowercase()
        ));
        group.bench_function("ours", |b| {
            b.iter(|| PrivateKey::generate(KeySpec::Ec(curve)).unwrap());
        });
        match curve {
            EcCurve::P256 | EcCurve::P384 => {
                let alg = if curve == EcCurve::P256 {
                    &ring_sig::ECDSA_P256_SHA256_FIXED_SIGNING
                } else {
                    &ring_sig::ECDSA_P384_SHA384_FIXED_SIGNING
                };
                // A key pair ready to sign: ring generates PKCS#8, then parses it.
                group.bench_function("bare", |b| {
                    b.iter(|| {
                        let pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).unwrap();
                        EcdsaKeyPair::from_pkcs8(alg, pkcs8.as_ref(), &rng).unwrap()
                    });
                });
            }
            _ => {
                group.bench_function("bare", |b| {
                    b.iter(|| {
                        use p521::elliptic_curve::Generate as _;
                        p521::ecdsa::SigningKey::try_generate_from_rng(&mut getrandom::SysRng)
                            .unwrap()
                    });
                });
            }
        }
        group.finish();
    }
}

fn key_wrap(c: &mut Criterion) {
    let kek = AesKey::generate(AesKeySize::Aes256).unwrap();
    let bare = AesKw::<aes::Aes256>::new_from_slice(kek.expose()).unwrap();
    let key = AesKey::generate(AesKeySize::Aes256).unwrap();
    let mut group = c.benchmark_group("aes256kw_wrap_32");
    group.bench_function("ours", |b| {
        b.iter(|| keywrap::wrap(&kek, black_box(key.expose())).unwrap());
    });
    group.bench_function("bare", |b| {
        b.iter(|| {
            let mut out = vec![0u8; 40];
            bare.wrap_key(black_box(key.expose()), &mut out).unwrap();
            out
        });
    });
    group.finish();

    let wrapped = keywrap::wrap(&kek, key.expose()).unwrap();
    let mut group = c.benchmark_group("aes256kw_unwrap_32");
    group.bench_function("ours", |b| {
        b.iter(|| keywrap::unwrap(&kek, black_box(&wrapped)).unwrap());
    });
    group.bench_function("bare", |b| {
        b.iter(|| {
            let mut out = zeroize::Zeroizing::new(vec![0u8; 32]);
            bare.unwrap_key(black_box(&wrapped), &mut out).unwrap();
            out
        });
    });
    group.finish();
}

criterion_group!(
    benches,
    aes_gcm,
    ecdsa_signatures,
    rsa_signatures,
    key_wrap,
    key_generation
);
criterion_main!(benches);

//! The key-material bridge through its public API: keys made here cross the KMIP wire
//! wrapped and come back usable, and the `openssl` command checks our signatures and RSA
//! wrapping independently.
//!
//! A missing `openssl` prints `skipped: openssl not found` and the test passes, unless
//! the `CI` variable is set: then it fails.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use kmip_ttlv::{KmipVersion, Limits};
use kmip_types::objects::EncryptionKeyInformation;
use kmip_types::{
    BlockCipherMode, CryptographicAlgorithm, CryptographicParameters, DigitalSignatureAlgorithm,
    EncodingOption, HashingAlgorithm, KeyFormatType, KeyValue, KeyWrappingSpecification, Object,
    PaddingMethod, RecommendedCurve, UniqueId, WrappingMethod,
};
use kms_store::StoreError;
use kms_store::material::{
    UsableKey, convert, decrypt, encrypt, generate_key_pair, generate_symmetric, sign, unwrap,
    usable_key, verify, wrap,
};

const DATA: &[u8] = b"kms-store material: signed here, checked there";

fn spec(
    params: CryptographicParameters,
    encoding: Option<EncodingOption>,
) -> KeyWrappingSpecification {
    KeyWrappingSpecification {
        wrapping_method: WrappingMethod::ENCRYPT,
        encryption_key_information: Some(EncryptionKeyInformation {
            unique_identifier: UniqueId::from("kek"),
            cryptographic_parameters: Some(params),
        }),
        mac_signature_key_information: None,
        attribute_names: Vec::new(),
        encoding_option: encoding,
    }
}

/// Encodes the object as KMIP TTLV bytes and decodes it back, as a client and the server
/// would see it.
fn over_the_wire(object: &Object, version: KmipVersion) -> Object {
    let bytes = object.to_item(version).unwrap().to_bytes().unwrap();
    let item = kmip_ttlv::decode(&bytes, &Limits::DEFAULT).unwrap();
    Object::from_item(item, version).unwrap()
}

fn der(object: &Object) -> Vec<u8> {
    match &object.key_block().unwrap().key_value {
        Some(KeyValue::Structure { key_material, .. }) => match key_material {
            kmip_types::KeyMaterial::Bytes(b) => b.expose().to_vec(),
            other => panic!("not DER: {other:?}"),
        },
        other => panic!("no key value: {other:?}"),
    }
}

#[test]
fn a_private_key_travels_wrapped_and_signs_after_unwrapping() {
    let kek = generate_symmetric(CryptographicAlgorithm::AES, 256).unwrap();
    let kek = usable_key(&kek).unwrap();
    let (private, public) = generate_key_pair(
        CryptographicAlgorithm::ECDSA,
        None,
        Some(RecommendedCurve::P_384),
    )
    .unwrap();
    let pkcs8 = convert(&private, KeyFormatType::PKCS_8).unwrap();
    for encoding in [
        None,
        Some(EncodingOption::NO_ENCODING),
        Some(EncodingOption::TTLV_ENCODING),
    ] {
        let params = CryptographicParameters {
            block_cipher_mode: Some(BlockCipherMode::AES_KEY_WRAP_PADDING),
            ..CryptographicParameters::default()
        };
        let wrapped = wrap(&pkcs8, &spec(params, encoding), &kek, "kek-7").unwrap();
        assert!(matches!(
            usable_key(&wrapped),
            Err(StoreError::InvalidField(_))
        ));
        for version in [KmipVersion::V1_2, KmipVersion::V1_4, KmipVersion::V2_1] {
            let received = over_the_wire(&wrapped, version);
            let unwrapped = unwrap(&received, &kek).unwrap();
            assert_eq!(unwrapped, pkcs8);
            let signature = sign(&usable_key(&unwrapped).unwrap(), None, DATA, false).unwrap();
            let transparent = convert(&public, KeyFormatType::TRANSPARENT_EC_PUBLIC_KEY).unwrap();
            assert!(
                verify(
                    &usable_key(&transparent).unwrap(),
                    None,
                    DATA,
                    false,
                    &signature
                )
                .unwrap()
            );
        }
    }
}

#[test]
fn an_aes_key_encrypts_after_a_trip_through_every_format() {
    let key = generate_symmetric(CryptographicAlgorithm::AES, 192).unwrap();
    let transparent = convert(&key, KeyFormatType::TRANSPARENT_SYMMETRIC_KEY).unwrap();
    let received = over_the_wire(&transparent, KmipVersion::V1_0);
    let (a, b) = (usable_key(&key).unwrap(), usable_key(&received).unwrap());
    let out = encrypt(&a, None, b"plaintext", None, Some(b"aad")).unwrap();
    let iv = out.iv_counter_nonce.unwrap();
    let plain = decrypt(
        &b,
        None,
        &out.data,
        Some(&iv),
        Some(b"aad"),
        out.tag.as_deref(),
    )
    .unwrap();
    assert_eq!(plain.expose(), b"plaintext");
}

// ---------------------------------------------------------------------------------------
// openssl

fn openssl_found() -> bool {
    let found = Command::new("openssl")
        .arg("version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "openssl not found under CI"
        );
        eprintln!("skipped: openssl not found");
    }
    found
}

/// A fresh file under the temporary directory holding `bytes`.
fn temp_file(name: &str, bytes: &[u8]) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!(
        "kms-store-material-{}-{n}-{name}",
        std::process::id()
    ));
    std::fs::write(&path, bytes).unwrap();
    path
}

fn openssl(args: &[&str]) -> (bool, Vec<u8>) {
    let output = Command::new("openssl").args(args).output().unwrap();
    (output.status.success(), output.stdout)
}

/// `openssl dgst -sha*` verifies `signature` over [`DATA`] with the X.509 public key.
fn openssl_verifies(public: &Object, digest: &str, signature: &[u8]) -> bool {
    let x509 = convert(public, KeyFormatType::X_509).unwrap();
    let key = temp_file("public.der", &der(&x509));
    let data = temp_file("data", DATA);
    let sig = temp_file("signature", signature);
    let (ok, _) = openssl(&[
        "dgst",
        digest,
        "-verify",
        key.to_str().unwrap(),
        "-keyform",
        "DER",
        "-signature",
        sig.to_str().unwrap(),
        data.to_str().unwrap(),
    ]);
    for path in [key, data, sig] {
        let _ = std::fs::remove_file(path);
    }
    ok
}

#[test]
fn openssl_verifies_our_rsa_and_ecdsa_signatures() {
    if !openssl_found() {
        return;
    }
    let (rsa_private, rsa_public) =
        generate_key_pair(CryptographicAlgorithm::RSA, Some(2048), None).unwrap();
    let (ec_private, ec_public) =
        generate_key_pair(CryptographicAlgorithm::EC, Some(256), None).unwrap();
    let cases = [
        (
            &rsa_private,
            &rsa_public,
            DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION,
            "-sha256",
        ),
        (
            &rsa_private,
            &rsa_public,
            DigitalSignatureAlgorithm::SHA_512_WITH_RSA_ENCRYPTION,
            "-sha512",
        ),
        (
            &ec_private,
            &ec_public,
            DigitalSignatureAlgorithm::ECDSA_WITH_SHA256,
            "-sha256",
        ),
    ];
    for (private, public, algorithm, digest) in cases {
        let params = CryptographicParameters {
            digital_signature_algorithm: Some(algorithm),
            ..CryptographicParameters::default()
        };
        let signature = sign(&usable_key(private).unwrap(), Some(&params), DATA, false).unwrap();
        assert!(
            openssl_verifies(public, digest, &signature),
            "{algorithm:?}"
        );
        let mut tampered = signature.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 1;
        assert!(
            !openssl_verifies(public, digest, &tampered),
            "{algorithm:?} tampered"
        );
    }
}

#[test]
fn secp256k1_pairs_keep_their_curve_and_sign_ecdsa_with_sha256() {
    let (private, public) = generate_key_pair(
        CryptographicAlgorithm::EC,
        Some(256),
        Some(RecommendedCurve::SECP256_K1),
    )
    .unwrap();
    // The curve travels in the encodings (SEC 1 and SPKI name it), not in the length.
    let private = usable_key(&over_the_wire(&private, KmipVersion::V1_4)).unwrap();
    let public_key = usable_key(&over_the_wire(&public, KmipVersion::V1_4)).unwrap();
    let UsableKey::Private(k) = &private else {
        panic!("not a private key")
    };
    assert_eq!(
        k.key_type(),
        kms_crypto::KeyType::Ec(kms_crypto::EcCurve::Secp256k1)
    );
    let ecdsa_sha256 = CryptographicParameters {
        digital_signature_algorithm: Some(DigitalSignatureAlgorithm::ECDSA_WITH_SHA256),
        ..CryptographicParameters::default()
    };
    let signature = sign(&private, Some(&ecdsa_sha256), DATA, false).unwrap();
    assert_eq!(signature.first(), Some(&0x30), "a DER Ecdsa-Sig-Value");
    assert!(verify(&public_key, Some(&ecdsa_sha256), DATA, false, &signature).unwrap());
    // No parameters: SHA-256, the curve's hash; a digest verifies the same signature.
    let by_default = sign(&private, None, DATA, false).unwrap();
    assert_eq!(
        by_default, signature,
        "RFC 6979 signatures are deterministic"
    );
    let digest = kms_crypto::hash::digest(kms_crypto::HashAlgorithm::Sha256, DATA);
    assert!(verify(&public_key, None, digest.as_bytes(), true, &signature).unwrap());
    let mut tampered = signature.clone();
    let last = tampered.len() - 1;
    tampered[last] ^= 1;
    assert!(!verify(&public_key, None, DATA, false, &tampered).unwrap());
    // Another hash is not paired with secp256k1.
    let ecdsa_sha384 = CryptographicParameters {
        digital_signature_algorithm: Some(DigitalSignatureAlgorithm::ECDSA_WITH_SHA384),
        ..CryptographicParameters::default()
    };
    assert!(matches!(
        sign(&private, Some(&ecdsa_sha384), DATA, false),
        Err(StoreError::NotSupported(_))
    ));
    if openssl_found() {
        assert!(openssl_verifies(&public, "-sha256", &signature));
        assert!(!openssl_verifies(&public, "-sha256", &tampered));
    }
}

#[test]
fn openssl_unwraps_our_rsa_oaep_wrapping() {
    if !openssl_found() {
        return;
    }
    let (private, public) =
        generate_key_pair(CryptographicAlgorithm::RSA, Some(3072), None).unwrap();
    let key = generate_symmetric(CryptographicAlgorithm::AES, 256).unwrap();
    let params = CryptographicParameters {
        padding_method: Some(PaddingMethod::OAEP),
        hashing_algorithm: Some(HashingAlgorithm::SHA_256),
        ..CryptographicParameters::default()
    };
    let wrapped = wrap(
        &key,
        &spec(params, Some(EncodingOption::NO_ENCODING)),
        &usable_key(&public).unwrap(),
        "rsa-kek",
    )
    .unwrap();
    let pkcs8 = convert(&private, KeyFormatType::PKCS_8).unwrap();
    let inkey = temp_file("private.der", &der(&pkcs8));
    let input = temp_file("wrapped", &der(&wrapped));
    let (ok, unwrapped) = openssl(&[
        "pkeyutl",
        "-decrypt",
        "-inkey",
        inkey.to_str().unwrap(),
        "-keyform",
        "DER",
        "-in",
        input.to_str().unwrap(),
        "-pkeyopt",
        "rsa_padding_mode:oaep",
        "-pkeyopt",
        "rsa_oaep_md:sha256",
        "-pkeyopt",
        "rsa_mgf1_md:sha256",
    ]);
    for path in [inkey, input] {
        let _ = std::fs::remove_file(path);
    }
    assert!(ok, "openssl pkeyutl -decrypt failed");
    assert_eq!(unwrapped, der(&key));
    let UsableKey::Aes(_) =
        usable_key(&unwrap(&wrapped, &usable_key(&private).unwrap()).unwrap()).unwrap()
    else {
        panic!("not an AES key");
    };
}

//! Compact JWE `dir` + AES-GCM: RFC 7520 §5.6 reproduced byte for byte, the OVHcloud
//! data-key layout, and the single opaque decryption error.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::vectors::*;
use common::{FixedIv, TestBackend, b64d, b64e};
use jwk::jwe::{self, CompactJwe};
use jwk::{ContentEncryption, Error, JweHeader, Jwk, TokenPolicy};

fn policy() -> TokenPolicy {
    TokenPolicy::new()
}

#[test]
fn rfc7520_5_6_decrypts() {
    let key = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    let jwe = CompactJwe::parse(RFC7520_5_6, &policy()).unwrap();
    assert_eq!(jwe.header().enc(), ContentEncryption::A128Gcm);
    assert_eq!(
        jwe.header().kid(),
        Some("77c7e2b8-6e13-45cf-8672-617b5b45243a")
    );
    let plaintext = jwe.decrypt(&TestBackend, &key).unwrap();
    assert_eq!(plaintext.expose(), RFC7520_5_PLAINTEXT.as_bytes());
}

#[test]
fn rfc7520_5_6_is_reproduced_with_its_iv() {
    let key = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    // The RFC's header puts `kid` between `alg` and `enc`: the builder keeps that order.
    let header = JweHeader::dir()
        .kid("77c7e2b8-6e13-45cf-8672-617b5b45243a")
        .enc(ContentEncryption::A128Gcm)
        .build()
        .unwrap();
    assert_eq!(header.encoded(), RFC7520_5_6_HEADER);
    let iv: [u8; 12] = b64d(RFC7520_5_6_IV).try_into().unwrap();
    let token = jwe::encrypt(&FixedIv(iv), &key, &header, RFC7520_5_PLAINTEXT.as_bytes()).unwrap();
    assert_eq!(token, RFC7520_5_6);
}

#[test]
fn okms_data_key_layout() {
    // A 256-bit service key and a 256-bit data key, as GenerateDataKey returns them.
    let service_key = Jwk::from_json(RFC7520_3_6).unwrap();
    let header = JweHeader::builder(ContentEncryption::A256Gcm)
        .kid("0d6ab2c4-5f1e-4a7b-9c3d-2e8f6a1b0c9d")
        .member("x-key-ver", 0)
        .build()
        .unwrap();
    assert_eq!(
        String::from_utf8(b64d(header.encoded())).unwrap(),
        r#"{"alg":"dir","enc":"A256GCM","kid":"0d6ab2c4-5f1e-4a7b-9c3d-2e8f6a1b0c9d","x-key-ver":0}"#
    );
    let data_key = [0x5a_u8; 32];
    let token = jwe::encrypt(&TestBackend, &service_key, &header, &data_key).unwrap();
    // 203 characters: the length measured on the real service.
    assert_eq!(token.len(), 203);
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 5);
    assert_eq!(parts[1], "");
    assert_eq!(b64d(parts[2]).len(), 12);
    assert_eq!(b64d(parts[4]).len(), 16);
    // A recipient reads the key id and version before it picks the key.
    let parsed = CompactJwe::parse(&token, &policy()).unwrap();
    assert_eq!(
        parsed.header().kid(),
        Some("0d6ab2c4-5f1e-4a7b-9c3d-2e8f6a1b0c9d")
    );
    assert_eq!(
        parsed.header().header().get("x-key-ver"),
        Some(&serde_json::Value::from(0))
    );
    assert_eq!(
        parsed.decrypt(&TestBackend, &service_key).unwrap().expose(),
        &data_key
    );
    // Two encryptions draw two IVs.
    let again = jwe::encrypt(&TestBackend, &service_key, &header, &data_key).unwrap();
    assert_ne!(again.split('.').nth(2), Some(parts[2]));
}

#[test]
fn every_decryption_failure_is_the_same_error() {
    let key = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    let parts: Vec<&str> = RFC7520_5_6.split('.').collect();
    let with = |i: usize, part: &str| {
        let mut p = parts.clone();
        p[i] = part;
        p.join(".")
    };
    let other_key = Jwk::from_json(r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODw"}"#).unwrap();
    let long_key = Jwk::from_json(RFC7520_3_6).unwrap();
    let cases: Vec<(String, &Jwk)> = vec![
        (RFC7520_5_6.to_owned(), &other_key),
        (RFC7520_5_6.to_owned(), &long_key),
        (with(1, "AAAA"), &key),
        (with(2, "refa467QzzKx6QA"), &key),
        (with(2, &b64e(&[0; 16])), &key),
        (with(3, "JW_i"), &key),
        (with(3, "not*base64"), &key),
        (with(4, "vbb32Xvllea2OtmHAdccRA"), &key),
        (with(4, "vbb32Xvllea2OtmHAdcc"), &key),
        (with(4, ""), &key),
    ];
    for (token, k) in cases {
        let jwe = CompactJwe::parse(&token, &policy()).unwrap();
        assert_eq!(
            jwe.decrypt(&TestBackend, k).unwrap_err(),
            Error::DecryptionFailed
        );
    }
}

#[test]
fn the_header_is_authenticated() {
    let key = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    let (_, rest) = RFC7520_5_6.split_once('.').unwrap();
    // Same members, another kid: a valid header, but not the one authenticated.
    let header = JweHeader::dir()
        .kid("77c7e2b8-6e13-45cf-8672-617b5b45243b")
        .enc(ContentEncryption::A128Gcm)
        .build()
        .unwrap();
    let swapped = format!("{}.{rest}", header.encoded());
    let jwe = CompactJwe::parse(&swapped, &policy()).unwrap();
    assert_eq!(
        jwe.decrypt(&TestBackend, &key).unwrap_err(),
        Error::DecryptionFailed
    );
}

#[test]
fn structure_and_header_errors_are_reported_before_decryption() {
    let p = policy();
    assert!(matches!(
        CompactJwe::parse("a.b.c.d", &p),
        Err(Error::Malformed(_))
    ));
    assert!(matches!(
        CompactJwe::parse(&format!("{RFC7520_5_6}."), &p),
        Err(Error::Malformed(_))
    ));
    let none = format!("{}....", b64e(br#"{"alg":"none","enc":"A128GCM"}"#));
    assert_eq!(CompactJwe::parse(&none, &p).unwrap_err(), Error::AlgNone);
    let crit = JweHeader::builder(ContentEncryption::A128Gcm)
        .critical_member("x-ext", true)
        .build()
        .unwrap();
    let token = format!("{}....", crit.encoded());
    assert_eq!(
        CompactJwe::parse(&token, &p).unwrap_err(),
        Error::Critical("x-ext".into())
    );
    assert!(CompactJwe::parse(&token, &TokenPolicy::new().understand_critical("x-ext")).is_ok());
    assert_eq!(
        CompactJwe::parse(RFC7520_5_6, &TokenPolicy::new().max_len(64)).unwrap_err(),
        Error::TooLong { limit: 64 }
    );
}

#[test]
fn raw_key_backend() {
    let key = [7u8; 24];
    let header = JweHeader::builder(ContentEncryption::A192Gcm)
        .build()
        .unwrap();
    let token = jwe::encrypt(&TestBackend, &key[..], &header, b"secret").unwrap();
    let jwe = CompactJwe::parse(&token, &policy()).unwrap();
    assert_eq!(
        jwe.decrypt(&TestBackend, &key[..]).unwrap().expose(),
        b"secret"
    );
    assert_eq!(
        jwe.decrypt(&TestBackend, &[7u8; 16][..]).unwrap_err(),
        Error::DecryptionFailed
    );
    assert!(jwe::encrypt(&TestBackend, &[7u8; 16][..], &header, b"x").is_err());
}

#[test]
fn a_key_declared_for_another_use_is_refused() {
    let mac = Jwk::from_json(RFC7520_3_5).unwrap();
    let header = JweHeader::builder(ContentEncryption::A256Gcm)
        .build()
        .unwrap();
    assert!(matches!(
        jwe::encrypt(&TestBackend, &mac, &header, b"x"),
        Err(Error::Crypto(_))
    ));
}

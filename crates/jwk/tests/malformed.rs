//! Hostile input: nothing panics, and the strictness rules hold on crafted cases.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::vectors::*;
use common::{TestBackend, b64e};
use jwk::jwe::CompactJwe;
use jwk::jws::CompactJws;
use jwk::jwt::Claims;
use jwk::{Error, Jwk, JwkSet, JwsAlgorithm, ParseOptions, TokenPolicy, UnknownMembers};
use proptest::prelude::*;

/// Parses `text` every way the crate can, verifying or decrypting whatever parses.
fn try_everything(text: &str) {
    let _ = Jwk::from_json(text);
    let _ = ParseOptions::new()
        .unknown_members(UnknownMembers::Preserve)
        .oct_key_len(32)
        .parse(text);
    let _ = JwkSet::from_json(text);
    let _ = Claims::from_json(text.as_bytes());
    let policy = TokenPolicy::new().understand_critical("x-a");
    if let Ok(jws) = CompactJws::parse(text, &policy) {
        let key = Jwk::from_json(RFC7520_3_5).unwrap();
        let _ = jws.verify(&TestBackend, &key, JwsAlgorithm::Hs256);
        let _ = jws.verify_detached(&TestBackend, &key, JwsAlgorithm::Hs256, b"x");
    }
    if let Ok(jwe) = CompactJwe::parse(text, &policy) {
        let key = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
        assert_eq!(
            jwe.decrypt(&TestBackend, &key).unwrap_err(),
            Error::DecryptionFailed
        );
    }
}

/// Text shaped like a token: segments of base64url-ish characters joined by dots, the
/// first often a real header.
fn token_like() -> impl Strategy<Value = String> {
    let header = prop_oneof![
        Just(b64e(br#"{"alg":"HS256"}"#)),
        Just(b64e(br#"{"alg":"dir","enc":"A128GCM"}"#)),
        Just(b64e(br#"{"alg":"HS256","crit":["x-a"],"x-a":1}"#)),
        "[A-Za-z0-9_=+/-]{0,40}",
    ];
    (
        header,
        proptest::collection::vec("[A-Za-z0-9_=+/-]{0,40}", 0..6),
    )
        .prop_map(|(h, rest)| {
            let mut parts = vec![h];
            parts.extend(rest);
            parts.join(".")
        })
}

/// JSON objects made of JWK member names with odd values.
fn jwk_like() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        Just("kty"),
        Just("crv"),
        Just("x"),
        Just("y"),
        Just("d"),
        Just("n"),
        Just("e"),
        Just("p"),
        Just("q"),
        Just("dp"),
        Just("dq"),
        Just("qi"),
        Just("k"),
        Just("alg"),
        Just("use"),
        Just("key_ops"),
        Just("kid"),
        Just("x5c"),
        Just("oth"),
        Just("zzz"),
    ];
    let value = prop_oneof![
        Just("\"EC\"".to_owned()),
        Just("\"RSA\"".to_owned()),
        Just("\"oct\"".to_owned()),
        Just("\"P-256\"".to_owned()),
        Just("\"P-521\"".to_owned()),
        Just("\"ES256\"".to_owned()),
        Just("\"A128GCM\"".to_owned()),
        Just("\"none\"".to_owned()),
        Just("null".to_owned()),
        Just("[\"sign\",\"verify\"]".to_owned()),
        Just("1e400".to_owned()),
        Just("{}".to_owned()),
        "\"[A-Za-z0-9_-]{0,90}\"",
    ];
    proptest::collection::vec((name, value), 0..10).prop_map(|members| {
        let body: Vec<String> = members
            .iter()
            .map(|(n, v)| format!("\"{n}\":{v}"))
            .collect();
        format!("{{{}}}", body.join(","))
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        try_everything(&text);
    }

    #[test]
    fn token_like_text_never_panics(text in token_like()) {
        try_everything(&text);
    }

    #[test]
    fn jwk_like_objects_never_panic(text in jwk_like()) {
        try_everything(&text);
    }
}

#[test]
fn deep_nesting_is_an_error_not_a_crash() {
    let deep = format!(
        "{{\"kty\":\"oct\",\"k\":\"AA\",\"z\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(Jwk::from_json(&deep).is_err());
    let header = b64e(
        format!(
            "{{\"alg\":\"HS256\",\"z\":{}{}}}",
            "[".repeat(5_000),
            "]".repeat(5_000)
        )
        .as_bytes(),
    );
    assert!(CompactJws::parse(&format!("{header}.e30.AA"), &TokenPolicy::new()).is_err());
}

#[test]
fn base64_must_be_canonical_unpadded_url_safe() {
    let ok = r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODw"}"#;
    assert!(Jwk::from_json(ok).is_ok());
    for bad in [
        r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODw=="}"#,
        r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODx"}"#,
        r#"{"kty":"oct","k":"AAECAwQFBgcICQoL+A0ODw"}"#,
        r#"{"kty":"oct","k":"AAECAwQFBgcICQoL/A0ODw"}"#,
        r#"{"kty":"oct","k":"AAECAwQFBgcI CQoLDA0ODw"}"#,
        r#"{"kty":"oct","k":""}"#,
    ] {
        assert!(Jwk::from_json(bad).is_err(), "{bad}");
    }
    // The same rule for token parts.
    let token = RFC7520_4_4.replace(
        "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0",
        "s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0=",
    );
    assert!(CompactJws::parse(&token, &TokenPolicy::new()).is_err());
}

#[test]
fn errors_never_echo_key_material() {
    let secret = "c2VjcmV0LWtleS1tYXRlcmlhbA";
    for text in [
        format!(r#"{{"kty":"EC","crv":"P-256","d":"{secret}"}}"#),
        format!(r#"{{"kty":"RSA","k":"{secret}"}}"#),
        format!(r#"{{"kty":"oct","k":"{secret}=="}}"#),
        format!(r#"{{"kty":"oct","k":["{secret}"]}}"#),
        format!(r#"{{"kty":"oct","k":"{secret}","k":"{secret}"}}"#),
        format!(r#"{{"kty":"oct","k":"{secret}""#),
    ] {
        let e = Jwk::from_json(&text).unwrap_err();
        assert!(!e.to_string().contains(secret), "{e}");
        assert!(!format!("{e:?}").contains(secret), "{e:?}");
    }
    let key = Jwk::from_json(RFC7520_3_6).unwrap();
    assert!(!format!("{key:?}").contains("AAPapAv4"));
}

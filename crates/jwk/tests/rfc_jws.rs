//! The JWS and JWT examples of RFC 7515 Appendix A, RFC 7519 §3.1 and RFC 7520 §4.
//! Deterministic ones (HMAC, RSASSA-PKCS1-v1_5) are reproduced byte for byte; randomized
//! ones (ECDSA, PSS) are verified.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::vectors::*;
use common::{TestBackend, b64d};
use jwk::jws::{self, CompactJws};
use jwk::jwt::{self, Claims, Validation};
use jwk::{Error, Jwk, JwsAlgorithm, JwsHeader, TokenPolicy};

fn policy() -> TokenPolicy {
    TokenPolicy::new()
}

/// Signs the RFC's own header and payload and compares with the RFC's token.
fn reproduces(header: &str, payload: &str, key: &Jwk, expected_token: &str) {
    let header = JwsHeader::parse(header, &policy()).unwrap();
    let token = jws::sign(&TestBackend, key, &header, &b64d(payload)).unwrap();
    assert_eq!(token, expected_token);
}

fn verifies(token: &str, key: &Jwk, alg: JwsAlgorithm) -> Vec<u8> {
    let parsed = CompactJws::parse(token, &policy()).unwrap();
    assert_eq!(parsed.header().alg(), alg);
    parsed.verify(&TestBackend, key, alg).unwrap().to_vec()
}

/// Flips one bit of the signature: the token must no longer verify.
fn tampered_fails(token: &str, key: &Jwk, alg: JwsAlgorithm) {
    let (input, signature) = token.rsplit_once('.').unwrap();
    let mut sig = b64d(signature);
    let last = sig.len() - 1;
    sig[last] ^= 1;
    let forged = format!("{input}.{}", common::b64e(&sig));
    let parsed = CompactJws::parse(&forged, &policy()).unwrap();
    assert_eq!(
        parsed.verify(&TestBackend, key, alg).unwrap_err(),
        Error::InvalidSignature
    );
}

#[test]
fn rfc7515_a1_hs256() {
    let key = Jwk::from_json(RFC7515_A1_KEY).unwrap();
    let token = format!("{RFC7515_A1_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A1_SIGNATURE}");
    reproduces(RFC7515_A1_HEADER, RFC7515_PAYLOAD, &key, &token);
    assert_eq!(
        verifies(&token, &key, JwsAlgorithm::Hs256),
        RFC7515_PAYLOAD_JSON
    );
    tampered_fails(&token, &key, JwsAlgorithm::Hs256);
    let parsed = CompactJws::parse(&token, &policy()).unwrap();
    assert_eq!(parsed.header().header().typ(), Some("JWT"));
}

#[test]
fn rfc7519_3_1_jwt_is_the_rfc7515_a1_token() {
    let key = Jwk::from_json(RFC7515_A1_KEY).unwrap();
    let token = format!("{RFC7515_A1_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A1_SIGNATURE}");
    let (header, claims) =
        jwt::verify(&token, &policy(), &TestBackend, &key, JwsAlgorithm::Hs256).unwrap();
    assert_eq!(header.header().typ(), Some("JWT"));
    assert_eq!(claims.iss(), Some("joe"));
    assert_eq!(claims.exp(), Some(1300819380));
    assert_eq!(
        claims.get("http://example.com/is_root"),
        Some(&serde_json::Value::Bool(true))
    );
    assert!(
        claims
            .validate(&Validation::at(1300819379).issuer("joe"))
            .is_ok()
    );
    assert!(claims.validate(&Validation::at(1300819380)).is_err());
}

#[test]
fn rfc7515_a2_rs256() {
    let key = Jwk::from_json(RFC7515_A2_KEY).unwrap();
    let token = format!("{RFC7515_A2_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A2_SIGNATURE}");
    reproduces(RFC7515_A2_HEADER, RFC7515_PAYLOAD, &key, &token);
    let public = key.to_public().unwrap();
    assert_eq!(
        verifies(&token, &public, JwsAlgorithm::Rs256),
        RFC7515_PAYLOAD_JSON
    );
    tampered_fails(&token, &public, JwsAlgorithm::Rs256);
}

#[test]
fn rfc7515_a3_es256() {
    let key = Jwk::from_json(RFC7515_A3_KEY).unwrap();
    let public = key.to_public().unwrap();
    let token = format!("{RFC7515_A3_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A3_SIGNATURE}");
    assert_eq!(
        verifies(&token, &public, JwsAlgorithm::Es256),
        RFC7515_PAYLOAD_JSON
    );
    tampered_fails(&token, &public, JwsAlgorithm::Es256);
    // Our own signature over the same input is r‖s of 64 octets and verifies.
    let header = JwsHeader::parse(RFC7515_A3_HEADER, &policy()).unwrap();
    let ours = jws::sign(&TestBackend, &key, &header, &b64d(RFC7515_PAYLOAD)).unwrap();
    assert_eq!(b64d(ours.rsplit('.').next().unwrap()).len(), 64);
    verifies(&ours, &public, JwsAlgorithm::Es256);
}

#[test]
fn rfc7515_a4_es512() {
    let key = Jwk::from_json(RFC7515_A4_KEY).unwrap();
    let token = format!("{RFC7515_A4_HEADER}.{RFC7515_A4_PAYLOAD}.{RFC7515_A4_SIGNATURE}");
    assert_eq!(verifies(&token, &key, JwsAlgorithm::Es512), b"Payload");
    tampered_fails(&token, &key, JwsAlgorithm::Es512);
}

#[test]
fn rfc7515_a5_unsecured_jws_is_refused() {
    assert_eq!(
        CompactJws::parse(RFC7515_A5_TOKEN, &policy()).unwrap_err(),
        Error::AlgNone
    );
    let key = Jwk::from_json(RFC7515_A1_KEY).unwrap();
    assert_eq!(
        jwt::verify(
            RFC7515_A5_TOKEN,
            &policy(),
            &TestBackend,
            &key,
            JwsAlgorithm::Hs256
        )
        .unwrap_err(),
        Error::AlgNone
    );
}

#[test]
fn rfc7520_4_1_rs256() {
    let key = Jwk::from_json(&rfc7520_3_4()).unwrap();
    let (header, rest) = RFC7520_4_1.split_once('.').unwrap();
    let payload = rest.split_once('.').unwrap().0;
    assert_eq!(payload, RFC7520_4_PAYLOAD);
    reproduces(header, payload, &key, RFC7520_4_1);
    let public = Jwk::from_json(&rfc7520_3_3()).unwrap();
    let text = verifies(RFC7520_4_1, &public, JwsAlgorithm::Rs256);
    assert_eq!(String::from_utf8(text).unwrap(), RFC7520_4_PAYLOAD_TEXT);
    let parsed = CompactJws::parse(RFC7520_4_1, &policy()).unwrap();
    assert_eq!(
        parsed.header().kid(),
        Some("bilbo.baggins@hobbiton.example")
    );
    // The same header built by the builder is the same text.
    let built = JwsHeader::builder(JwsAlgorithm::Rs256)
        .kid("bilbo.baggins@hobbiton.example")
        .build()
        .unwrap();
    assert_eq!(built.encoded(), header);
}

#[test]
fn rfc7520_4_2_ps384() {
    let public = Jwk::from_json(&rfc7520_3_3()).unwrap();
    verifies(RFC7520_4_2, &public, JwsAlgorithm::Ps384);
    tampered_fails(RFC7520_4_2, &public, JwsAlgorithm::Ps384);
    // A PS384 token is not an RS384 or PS256 one: the verifier names the algorithm.
    let parsed = CompactJws::parse(RFC7520_4_2, &policy()).unwrap();
    assert!(matches!(
        parsed.verify(&TestBackend, &public, JwsAlgorithm::Ps256),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    assert!(
        parsed
            .verify_any(
                &TestBackend,
                &public,
                &[JwsAlgorithm::Rs384, JwsAlgorithm::Ps384]
            )
            .is_ok()
    );
}

#[test]
fn rfc7520_4_3_es512() {
    let public = Jwk::from_json(RFC7520_3_1).unwrap();
    verifies(RFC7520_4_3, &public, JwsAlgorithm::Es512);
    tampered_fails(RFC7520_4_3, &public, JwsAlgorithm::Es512);
}

#[test]
fn rfc7520_4_4_hs256() {
    let key = Jwk::from_json(RFC7520_3_5).unwrap();
    let (header, _) = RFC7520_4_4.split_once('.').unwrap();
    reproduces(header, RFC7520_4_PAYLOAD, &key, RFC7520_4_4);
    verifies(RFC7520_4_4, &key, JwsAlgorithm::Hs256);
    tampered_fails(RFC7520_4_4, &key, JwsAlgorithm::Hs256);
}

#[test]
fn rfc7520_4_5_detached_content() {
    let key = Jwk::from_json(RFC7520_3_5).unwrap();
    let payload = b64d(RFC7520_4_PAYLOAD);
    let header = JwsHeader::parse(RFC7520_4_5.split('.').next().unwrap(), &policy()).unwrap();
    assert_eq!(
        jws::sign_detached(&TestBackend, &key, &header, &payload).unwrap(),
        RFC7520_4_5
    );
    let parsed = CompactJws::parse(RFC7520_4_5, &policy()).unwrap();
    parsed
        .verify_detached(&TestBackend, &key, JwsAlgorithm::Hs256, &payload)
        .unwrap();
    assert_eq!(
        parsed
            .verify_detached(&TestBackend, &key, JwsAlgorithm::Hs256, b"other")
            .unwrap_err(),
        Error::InvalidSignature
    );
    // A token with an attached payload is not a detached one.
    let attached = CompactJws::parse(RFC7520_4_4, &policy()).unwrap();
    assert!(
        attached
            .verify_detached(&TestBackend, &key, JwsAlgorithm::Hs256, &payload)
            .is_err()
    );
}

#[test]
fn hmac_key_is_not_accepted_as_an_rsa_public_key_or_the_reverse() {
    // The classic confusion: a token signed with HS256 using the RSA public key's text.
    let rsa_public = Jwk::from_json(&rfc7520_3_3()).unwrap();
    let parsed = CompactJws::parse(RFC7520_4_4, &policy()).unwrap();
    assert!(matches!(
        parsed.verify(&TestBackend, &rsa_public, JwsAlgorithm::Rs256),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    assert!(matches!(
        parsed.verify(&TestBackend, &rsa_public, JwsAlgorithm::Hs256),
        Err(Error::Crypto(_))
    ));
}

#[test]
fn jwt_sign_and_verify() {
    let key = Jwk::from_json(RFC7520_3_2).unwrap();
    let header = JwsHeader::builder(JwsAlgorithm::Es512)
        .typ("JWT")
        .kid(key.kid().unwrap())
        .build()
        .unwrap();
    let claims = Claims::new()
        .issuer("kms")
        .unwrap()
        .audience("client")
        .unwrap()
        .expires_at(2_000_000_000)
        .unwrap();
    let token = jwt::sign(&TestBackend, &key, &header, &claims).unwrap();
    let public = key.to_public().unwrap();
    let (h, c) = jwt::verify(
        &token,
        &policy(),
        &TestBackend,
        &public,
        JwsAlgorithm::Es512,
    )
    .unwrap();
    assert_eq!(h.kid(), Some("bilbo.baggins@hobbiton.example"));
    assert_eq!(c, claims);
    c.validate(
        &Validation::at(1_900_000_000)
            .issuer("kms")
            .audience("client"),
    )
    .unwrap();
}

#[test]
fn length_limit_applies_before_decoding() {
    let limited = TokenPolicy::new().max_len(100);
    assert_eq!(
        CompactJws::parse(RFC7520_4_4, &limited).unwrap_err(),
        Error::TooLong { limit: 100 }
    );
}

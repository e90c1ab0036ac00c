//! The JWK examples of RFC 7517, RFC 7520 §3 and RFC 7638: parsed, written back, and for
//! private keys checked against the test backend (a key that does not sign and verify is
//! a key typed in wrong).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::vectors::*;
use common::{TestBackend, b64d, b64e};
use jwk::jws::{self, CompactJws};
use jwk::{
    Algorithm, Curve, Jwk, JwkSet, JwsAlgorithm, JwsHeader, KeyManagementAlgorithm, KeyOp,
    KeyParams, KeyType, KeyUse, TokenPolicy,
};

/// Parse → write (private members included) → parse → write gives the same text.
fn round_trips(key: &Jwk) {
    let once = key.to_private_json().unwrap();
    let again = Jwk::from_json(&once).unwrap();
    assert_eq!(*again.to_private_json().unwrap(), *once);
    assert_eq!(again.thumbprint_sha256(), key.thumbprint_sha256());
    if let Ok(public) = key.to_public() {
        let text = public.to_json().unwrap();
        assert_eq!(Jwk::from_json(&text).unwrap().to_json().unwrap(), text);
    }
}

/// Signs and verifies with every algorithm the key can serve.
fn signs_and_verifies(key: &Jwk) {
    let algs: Vec<JwsAlgorithm> = match key.params() {
        KeyParams::Ec(k) => vec![k.curve().jws_algorithm()],
        KeyParams::Rsa(_) => vec![
            JwsAlgorithm::Rs256,
            JwsAlgorithm::Ps256,
            JwsAlgorithm::Ps512,
        ],
        KeyParams::Oct(_) => vec![JwsAlgorithm::Hs256],
        _ => unreachable!(),
    };
    let public = key.to_public().unwrap_or_else(|_| key.duplicate());
    for alg in algs {
        if key.alg().is_some_and(|a| a != Algorithm::Signature(alg)) {
            continue;
        }
        let header = JwsHeader::builder(alg).build().unwrap();
        let token = jws::sign(&TestBackend, key, &header, b"check").unwrap();
        let parsed = CompactJws::parse(&token, &TokenPolicy::new()).unwrap();
        assert_eq!(parsed.verify(&TestBackend, &public, alg).unwrap(), b"check");
    }
}

#[test]
fn rfc7517_a1_public_keys() {
    let set = JwkSet::from_json(&rfc7517_a1()).unwrap();
    let [ec, rsa] = set.keys() else { panic!() };
    assert_eq!(ec.key_type(), KeyType::Ec);
    assert_eq!(ec.key_use(), Some(KeyUse::Enc));
    assert_eq!(ec.kid(), Some("1"));
    let KeyParams::Ec(k) = ec.params() else {
        panic!()
    };
    assert_eq!(k.curve(), Curve::P256);
    assert_eq!(
        hex::encode(k.x()),
        "30a0424cd21c2944838a2d75c92b37e76ea20d9f00893a3b4eee8a3c0aafec3e"
    );
    assert_eq!(rsa.alg(), Some(Algorithm::Signature(JwsAlgorithm::Rs256)));
    assert_eq!(set.find("2011-04-29").unwrap().key_type(), KeyType::Rsa);
    let KeyParams::Rsa(r) = rsa.params() else {
        panic!()
    };
    assert_eq!(r.modulus_bits(), 2048);
    assert_eq!(r.e(), &[1, 0, 1]);
    // Written back compactly, in the crate's member order, and parsed again.
    let text = set.to_json().unwrap();
    assert_eq!(JwkSet::from_json(&text).unwrap().to_json().unwrap(), text);
    assert!(
        text.starts_with(r#"{"keys":[{"kty":"EC","use":"enc","kid":"1","crv":"P-256","x":"MKBC"#)
    );
    round_trips(ec);
    round_trips(rsa);
}

#[test]
fn rfc7517_a2_private_keys() {
    let set = JwkSet::from_json(&rfc7517_a2()).unwrap();
    let [ec, rsa] = set.keys() else { panic!() };
    assert!(ec.has_private() && rsa.has_private());
    let KeyParams::Rsa(r) = rsa.params() else {
        panic!()
    };
    assert!(r.private().unwrap().crt().is_some());
    // A set holding private keys is not written by plain serialization.
    assert_eq!(set.to_json(), Err(jwk::Error::PrivateMembers));
    round_trips(ec);
    round_trips(rsa);
    // The EC key is declared for encryption: it may not sign.
    let header = JwsHeader::builder(JwsAlgorithm::Es256).build().unwrap();
    assert!(jws::sign(&TestBackend, ec, &header, b"x").is_err());
    signs_and_verifies(rsa);
    // The public parts are the A.1 keys.
    let a1 = JwkSet::from_json(&rfc7517_a1()).unwrap();
    assert_eq!(
        rsa.to_public().unwrap().to_json().unwrap(),
        a1.keys()[1].to_json().unwrap()
    );
    assert_eq!(ec.thumbprint_sha256(), a1.keys()[0].thumbprint_sha256());
}

#[test]
fn rfc7517_a3_symmetric_keys() {
    let set = JwkSet::from_json(RFC7517_A3).unwrap();
    let [aes, hmac] = set.keys() else { panic!() };
    assert_eq!(
        aes.alg(),
        Some(Algorithm::KeyManagement(KeyManagementAlgorithm::A128Kw))
    );
    let KeyParams::Oct(k) = aes.params() else {
        panic!()
    };
    assert_eq!(k.len(), 16);
    assert_eq!(
        hmac.kid(),
        Some("HMAC key used in JWS spec Appendix A.1 example")
    );
    assert_eq!(aes.to_public().unwrap_err(), jwk::Error::NoPublicKey);
    round_trips(aes);
    round_trips(hmac);
    signs_and_verifies(hmac);
}

#[test]
fn rfc7517_b_x5c() {
    let key = Jwk::from_json(RFC7517_B).unwrap();
    assert_eq!(key.kid(), Some("1b94c"));
    let certs = key.x5c().unwrap();
    assert_eq!(certs.len(), 1);
    // The certificate is standard base64 and holds the key's modulus: typed in right.
    use base64::Engine as _;
    let der = base64::engine::general_purpose::STANDARD
        .decode(&certs[0])
        .unwrap();
    let KeyParams::Rsa(r) = key.params() else {
        panic!()
    };
    assert!(der.windows(r.n().len()).any(|w| w == r.n()));
    let text = key.to_json().unwrap();
    assert!(text.contains(r#""x5c":["MIIDQjCCAiqgAwIBAgIGATz/FuLiMA0GCSqGSIb3DQEBBQUA"#));
    round_trips(&key);
    // x5c is standard base64: the URL-safe alphabet or a missing padding is refused.
    let bad = RFC7517_B.replace("MIIDQjCCAiqgAwIBAgIGATz/", "MIIDQjCCAiqgAwIBAgIGATz_");
    assert!(Jwk::from_json(&bad).is_err());
}

#[test]
fn rfc7638_3_1_thumbprint() {
    let key = Jwk::from_json(&rfc7638_key()).unwrap();
    assert_eq!(
        *key.thumbprint_input(),
        format!(r#"{{"e":"AQAB","kty":"RSA","n":"{RFC7517_RSA_N}"}}"#)
    );
    assert_eq!(key.thumbprint_sha256(), RFC7638_THUMBPRINT_OCTETS);
    assert_eq!(key.thumbprint_sha256_b64(), RFC7638_THUMBPRINT);
}

#[test]
fn thumbprints_of_ec_and_oct_keys_use_the_required_members_only() {
    let ec = Jwk::from_json(RFC7520_3_2).unwrap();
    let input = ec.thumbprint_input();
    assert!(input.starts_with(r#"{"crv":"P-521","kty":"EC","x":"AHKZ"#));
    assert!(!input.contains("kid") && !input.contains("\"d\""));
    assert_eq!(
        ec.thumbprint_sha256(),
        Jwk::from_json(RFC7520_3_1).unwrap().thumbprint_sha256()
    );
    let oct = Jwk::from_json(RFC7520_3_5).unwrap();
    assert_eq!(
        *oct.thumbprint_input(),
        r#"{"k":"hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg","kty":"oct"}"#
    );
}

#[test]
fn rfc7520_3_keys() {
    let ec_public = Jwk::from_json(RFC7520_3_1).unwrap();
    let ec = Jwk::from_json(RFC7520_3_2).unwrap();
    let rsa_public = Jwk::from_json(&rfc7520_3_3()).unwrap();
    let rsa = Jwk::from_json(&rfc7520_3_4()).unwrap();
    let mac = Jwk::from_json(RFC7520_3_5).unwrap();
    let aes = Jwk::from_json(RFC7520_3_6).unwrap();
    assert!(!ec_public.has_private() && !rsa_public.has_private());
    assert_eq!(
        ec.to_public().unwrap().to_json().unwrap(),
        ec_public.to_json().unwrap()
    );
    assert_eq!(
        rsa.to_public().unwrap().to_json().unwrap(),
        rsa_public.to_json().unwrap()
    );
    for key in [&ec_public, &ec, &rsa_public, &rsa, &mac, &aes] {
        round_trips(key);
    }
    signs_and_verifies(&ec);
    signs_and_verifies(&rsa);
    signs_and_verifies(&mac);
    // The P-521 `d` and the AES `k` start with a zero octet: kept at full size.
    let KeyParams::Ec(k) = ec.params() else {
        panic!()
    };
    assert_eq!(k.d().unwrap().expose()[0], 0);
    assert_eq!(k.d().unwrap().len(), 66);
    let KeyParams::Oct(k) = aes.params() else {
        panic!()
    };
    assert_eq!(k.k().expose()[0], 0);
    assert!(aes.to_private_json().unwrap().contains(r#""k":"AAPapAv4"#));
}

/// The OVHcloud Go SDK writes EC members and `k` through a big integer and drops their
/// leading zero octets; such keys are the same keys.
#[test]
fn shortened_members_from_the_go_sdk_are_padded_back() {
    // RFC 7520 §3.2: x = 00 72 99 ..., d = 00 08 51 ... (P-521, 66 octets).
    let full = Jwk::from_json(RFC7520_3_2).unwrap();
    let strip = |b64: &str| {
        let bytes = b64d(b64);
        let start = bytes.iter().take_while(|b| **b == 0).count();
        b64e(&bytes[start..])
    };
    let x =
        "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt";
    let d =
        "AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt";
    assert_eq!(b64d(&strip(x)).len(), 65);
    assert_eq!(b64d(&strip(d)).len(), 65);
    let go = RFC7520_3_2.replace(x, &strip(x)).replace(d, &strip(d));
    let short = Jwk::from_json(&go).unwrap();
    assert_eq!(
        *short.to_private_json().unwrap(),
        *full.to_private_json().unwrap()
    );
    assert_eq!(short.thumbprint_sha256(), full.thumbprint_sha256());
    // It verifies the RFC's own signature, and what it signs verifies with the original.
    let parsed = CompactJws::parse(RFC7520_4_3, &TokenPolicy::new()).unwrap();
    parsed
        .verify(&TestBackend, &short, JwsAlgorithm::Es512)
        .unwrap();
    signs_and_verifies(&short);

    // RFC 7520 §3.6: `k` = 00 03 da ...; A256GCM says 32 octets.
    let k = "AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8";
    let go = RFC7520_3_6.replace(k, &strip(k));
    let short = Jwk::from_json(&go).unwrap();
    assert_eq!(
        *short.to_private_json().unwrap(),
        *Jwk::from_json(RFC7520_3_6)
            .unwrap()
            .to_private_json()
            .unwrap()
    );
    // Without an `alg`, the caller gives the size (from the import request).
    let no_alg = go.replace(r#""alg": "A256GCM","#, "");
    let unsized_key = Jwk::from_json(&no_alg).unwrap();
    let KeyParams::Oct(k31) = unsized_key.params() else {
        panic!()
    };
    assert_eq!(k31.len(), 31, "HMAC-or-unknown keys are never padded");
    let sized = jwk::ParseOptions::new()
        .oct_key_len(32)
        .parse(&no_alg)
        .unwrap();
    let KeyParams::Oct(k32) = sized.params() else {
        panic!()
    };
    assert_eq!(k32.len(), 32);
}

#[test]
fn longer_than_size_is_never_accepted() {
    let x = "MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4";
    let mut long = vec![0u8];
    long.extend(b64d(x));
    let text = rfc7517_a1().replace(x, &b64e(&long));
    assert!(JwkSet::from_json(&text).is_err());
    let k = "GawgguFyGrWKav7AX4VKUg";
    let mut long = vec![0u8];
    long.extend(b64d(k));
    assert!(JwkSet::from_json(&RFC7517_A3.replace(k, &b64e(&long))).is_err());
}

#[test]
fn key_usage_is_enforced_by_check_jws() {
    let mac = Jwk::from_json(RFC7520_3_5).unwrap();
    assert!(mac.check_jws(JwsAlgorithm::Hs256, KeyOp::Sign).is_ok());
    assert!(
        mac.check_jws(JwsAlgorithm::Hs384, KeyOp::Sign).is_err(),
        "alg is HS256"
    );
    let public = Jwk::from_json(RFC7520_3_1).unwrap();
    assert!(public.check_jws(JwsAlgorithm::Es512, KeyOp::Verify).is_ok());
    assert!(
        public.check_jws(JwsAlgorithm::Es512, KeyOp::Sign).is_err(),
        "no d"
    );
    assert!(
        public
            .check_jws(JwsAlgorithm::Es256, KeyOp::Verify)
            .is_err(),
        "curve"
    );
    let aes = Jwk::from_json(RFC7520_3_6).unwrap();
    assert!(
        aes.check_jws(JwsAlgorithm::Hs256, KeyOp::Sign).is_err(),
        "use enc"
    );
}

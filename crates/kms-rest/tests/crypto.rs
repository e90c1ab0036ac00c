//! The cryptographic endpoints over real mTLS on loopback, driven by curl: encrypt and
//! decrypt with and without a context (RELIABILITY check 20 over HTTP), data keys, and
//! signatures cross-checked by an independent implementation (Python's
//! `cryptography`, with the public key exported as a JWK).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use kms_crypto::HashAlgorithm;
use serde_json::{Value, json};
use support::{Answer, DOMAIN_A, TestServer, python};

fn post(s: &TestServer, who: &str, path: &str, body: &Value) -> Answer {
    s.call(who, "POST", path, Some(&body.to_string()))
}

fn oct_key(s: &TestServer) -> String {
    s.create(
        "alice",
        r#"{"name":"aes","type":"oct","size":256,"operations":["encrypt","decrypt"]}"#,
    )
}

fn encrypt(s: &TestServer, id: &str, plaintext: &[u8], context: Option<&str>) -> String {
    let mut body = json!({ "plaintext": STANDARD.encode(plaintext) });
    if let Some(c) = context {
        body["context"] = json!(c);
    }
    let a = post(s, "alice", &format!("/v1/servicekey/{id}/encrypt"), &body);
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["ciphertext"].as_str().unwrap().to_owned()
}

fn decrypt(s: &TestServer, id: &str, ciphertext: &str, context: Option<&str>) -> Answer {
    let mut body = json!({ "ciphertext": ciphertext });
    if let Some(c) = context {
        body["context"] = json!(c);
    }
    post(s, "alice", &format!("/v1/servicekey/{id}/decrypt"), &body)
}

fn plaintext_of(a: &Answer) -> Vec<u8> {
    assert_eq!(a.status, 200, "{}", a.body);
    STANDARD
        .decode(a.json()["plaintext"].as_str().unwrap())
        .unwrap()
}

/// The one answer for a ciphertext that does not open: status, code and messages
/// (the ids differ per request).
fn generic(a: &Answer) -> (u16, Value, Value) {
    let body = a.assert_error(400);
    (a.status, body["error_code"].clone(), body["errors"].clone())
}

fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64url(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

#[test]
fn encrypt_and_decrypt_round_trip_with_and_without_context() {
    let s = TestServer::start();
    let id = oct_key(&s);
    for context in [None, Some("tenant=42;env=prod"), Some("é€漢字")] {
        let token = encrypt(&s, &id, b"attack at dawn", context);
        let parts: Vec<&str> = token.split('.').collect();
        assert_eq!(parts.len(), 5, "{token}");
        let header = String::from_utf8(unb64url(parts[0])).unwrap();
        assert_eq!(
            header,
            format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{id}","x-key-ver":0}}"#)
        );
        assert_eq!(parts[1], "");
        assert_eq!(unb64url(parts[2]).len(), 12);
        assert_eq!(unb64url(parts[4]).len(), 16);
        let a = decrypt(&s, &id, &token, context);
        assert_eq!(plaintext_of(&a), b"attack at dawn");
    }
    // The /api/{okmsId} family reaches the same key.
    let token = encrypt(&s, &id, b"x", None);
    let a = post(
        &s,
        "alice",
        &format!("/api/{DOMAIN_A}/v1/servicekey/{id}/decrypt"),
        &json!({ "ciphertext": token }),
    );
    assert_eq!(plaintext_of(&a), b"x");
    // Another certificate of the same domain decrypts too; another domain does not see
    // the key.
    let body = json!({ "ciphertext": token });
    let a = post(&s, "alice2", &format!("/v1/servicekey/{id}/decrypt"), &body);
    assert_eq!(plaintext_of(&a), b"x");
    let a = post(&s, "bob", &format!("/v1/servicekey/{id}/decrypt"), &body);
    a.assert_error(404);
}

#[test]
fn the_largest_plaintext_round_trips() {
    let s = TestServer::start();
    let id = oct_key(&s);
    let big: Vec<u8> = (0..4096u32).map(|i| (i * 7) as u8).collect();
    let token = encrypt(&s, &id, &big, Some("big"));
    assert_eq!(plaintext_of(&decrypt(&s, &id, &token, Some("big"))), big);
}

#[test]
fn every_wrong_context_or_token_is_one_generic_error() {
    let s = TestServer::start();
    let id = oct_key(&s);
    let other = oct_key(&s);
    let context = "Tenant=42;env=prod";
    let token = encrypt(&s, &id, b"secret", Some(context));
    assert_eq!(
        plaintext_of(&decrypt(&s, &id, &token, Some(context))),
        b"secret"
    );

    // The reference: one tag byte flipped.
    let parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let mut tag = unb64url(&parts[4]);
    tag[0] ^= 1;
    let flipped = format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], b64url(&tag));
    let reference = generic(&decrypt(&s, &id, &flipped, Some(context)));

    // Contexts: one byte changed, letter case, missing, empty, extra or reordered
    // pairs (the context is an opaque string: reordering is another context).
    for wrong in [
        Some("Tenant=43;env=prod"),
        Some("tenant=42;env=prod"),
        Some("TENANT=42;ENV=PROD"),
        None,
        Some(""),
        Some("Tenant=42;env=prod;x=1"),
        Some("Tenant=42"),
        Some("env=prod;Tenant=42"),
    ] {
        let a = decrypt(&s, &id, &token, wrong);
        assert_eq!(generic(&a), reference, "context {wrong:?}");
    }
    // A token made without a context does not open with one.
    let plain = encrypt(&s, &id, b"secret", None);
    assert_eq!(generic(&decrypt(&s, &id, &plain, Some("x"))), reference);

    // Malformed and foreign tokens.
    let mut truncated = token.clone();
    truncated.truncate(token.len() - 5);
    for bad in [
        "not base64 at all!".to_owned(),
        "a.b.c.d.e".to_owned(),
        parts[..4].join("."),
        truncated,
        format!("{token}=="),
        token.replacen("..", ".AAAA.", 1),
        format!("{}..{}.{}.{}", parts[0], parts[2], parts[3], parts[2]),
    ] {
        let a = decrypt(&s, &id, &bad, Some(context));
        assert_eq!(generic(&a), reference, "token {bad}");
    }
    // The right token under another key.
    let a = decrypt(&s, &other, &token, Some(context));
    assert_eq!(generic(&a), reference);
    // A key that does not exist is 404, not the generic error.
    let missing = "0f8b6a52-3c1e-4c9a-9f3e-2b1c0d9e8f7a";
    decrypt(&s, missing, &token, Some(context)).assert_error(404);
    decrypt(&s, missing, "garbage", Some(context)).assert_error(404);
}

#[test]
fn single_bit_flips_over_http_are_rejected() {
    // The 10,000-flip run is in-process (`jwe::tests`); here a handful over the wire.
    let s = TestServer::start();
    let id = oct_key(&s);
    let token = encrypt(&s, &id, &[0x5a; 48], Some("ctx"));
    let parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    let (iv, ct, tag) = (
        unb64url(&parts[2]),
        unb64url(&parts[3]),
        unb64url(&parts[4]),
    );
    let total = (iv.len() + ct.len() + tag.len()) * 8;
    let seed = u64::from_le_bytes(kms_crypto::rng::random_array::<8>().unwrap());
    println!("seed {seed:#x}");
    let mut reference = None;
    for i in 0..24u64 {
        // Spread over the three parts: the first IV bit, the last tag bit, and random
        // ones.
        let bit = match i {
            0 => 0,
            1 => total - 1,
            _ => usize::try_from(seed.wrapping_mul(i * 2 + 1).rotate_left(i as u32) % total as u64)
                .unwrap(),
        };
        let (mut iv, mut ct, mut tag) = (iv.clone(), ct.clone(), tag.clone());
        let (byte, mask) = (bit / 8, 1u8 << (bit % 8));
        if byte < iv.len() {
            iv[byte] ^= mask;
        } else if byte < iv.len() + ct.len() {
            ct[byte - iv.len()] ^= mask;
        } else {
            tag[byte - iv.len() - ct.len()] ^= mask;
        }
        let forged = format!(
            "{}..{}.{}.{}",
            parts[0],
            b64url(&iv),
            b64url(&ct),
            b64url(&tag)
        );
        let answer = generic(&decrypt(&s, &id, &forged, Some("ctx")));
        assert_eq!(reference.get_or_insert_with(|| answer.clone()), &answer);
    }
}

#[test]
fn data_keys_round_trip() {
    let s = TestServer::start();
    let id = oct_key(&s);
    let path = format!("/v1/servicekey/{id}/datakey");
    for bits in [128usize, 256, 4096] {
        let a = post(&s, "alice", &path, &json!({ "size": bits, "name": "dk" }));
        assert_eq!(a.status, 201, "{}", a.body);
        let body = a.json();
        let key = body["key"].as_str().unwrap();
        let plaintext = STANDARD
            .decode(body["plaintext"].as_str().unwrap())
            .unwrap();
        assert_eq!(plaintext.len(), bits / 8);
        if bits == 256 {
            // As measured on the real service for a 256-bit data key.
            assert_eq!(key.len(), 203);
        }
        let a = post(
            &s,
            "alice",
            &format!("/v1/servicekey/{id}/datakey/decrypt"),
            &json!({ "key": key }),
        );
        assert_eq!(plaintext_of(&a), plaintext);
    }
    // Two data keys differ.
    let a1 = post(&s, "alice", &path, &json!({ "size": 256 })).json();
    let a2 = post(&s, "alice", &path, &json!({ "size": 256 })).json();
    assert_ne!(a1["plaintext"], a2["plaintext"]);
    // Sizes: 64 (allowed by the spec, refused here), not whole bytes, too large; a name
    // over 32 characters.
    for body in [
        json!({ "size": 64 }),
        json!({ "size": 136 + 4 }),
        json!({ "size": 8192 }),
        json!({ "size": 0 }),
        json!({ "size": 256, "name": "n".repeat(33) }),
        json!({ "size": 256, "extra": 1 }),
        json!({ "name": "no size" }),
    ] {
        post(&s, "alice", &path, &body).assert_error(400);
    }
    // A tampered blob: the generic error.
    let blob = a1["key"].as_str().unwrap();
    let mut chars: Vec<char> = blob.chars().collect();
    let last = chars.len() - 3;
    chars[last] = if chars[last] == 'A' { 'B' } else { 'A' };
    let tampered: String = chars.into_iter().collect();
    let a = post(
        &s,
        "alice",
        &format!("/v1/servicekey/{id}/datakey/decrypt"),
        &json!({ "key": tampered }),
    );
    let body = a.assert_error(400);
    let flipped = decrypt(&s, &id, &tampered, None);
    assert_eq!(body["error_code"], flipped.assert_error(400)["error_code"]);
}

#[test]
fn deactivated_keys_and_bad_inputs() {
    let s = TestServer::start();
    let id = oct_key(&s);
    let token = encrypt(&s, &id, b"before", None);
    let a = post(
        &s,
        "alice",
        &format!("/v1/servicekey/{id}/deactivate"),
        &json!({ "reason": "unspecified" }),
    );
    assert!(a.status == 200 || a.status == 204, "{}", a.body);
    let body = json!({ "plaintext": STANDARD.encode(b"after") });
    let refused = post(&s, "alice", &format!("/v1/servicekey/{id}/encrypt"), &body);
    refused.assert_error(409);
    post(
        &s,
        "alice",
        &format!("/v1/servicekey/{id}/datakey"),
        &json!({ "size": 256 }),
    )
    .assert_error(409);
    // Decrypt is refused for the state too, good token or not: no oracle.
    let good = decrypt(&s, &id, &token, None).assert_error(409);
    let bad = decrypt(&s, &id, "garbage", None).assert_error(409);
    assert_eq!(good["error_code"], bad["error_code"]);
    assert_eq!(good["errors"], bad["errors"]);
    // Reactivated, it works again.
    let a = s.call(
        "alice",
        "POST",
        &format!("/v1/servicekey/{id}/activate"),
        None,
    );
    assert!(a.status == 200 || a.status == 204, "{}", a.body);
    assert_eq!(plaintext_of(&decrypt(&s, &id, &token, None)), b"before");

    let path = format!("/v1/servicekey/{id}/encrypt");
    for body in [
        json!({ "plaintext": "not base64!" }),
        json!({ "plaintext": "YQ" }),
        json!({ "plaintext": "" }),
        json!({ "plaintext": STANDARD.encode([0u8; 4097]) }),
        json!({ "plaintext": "YQ==", "context": "c".repeat(65) }),
        json!({ "plaintext": "YQ==", "extra": true }),
        json!({ "context": "no plaintext" }),
    ] {
        post(&s, "alice", &path, &body).assert_error(400);
    }
    // 64 characters of context are fine, counted as characters.
    let context = "é".repeat(64);
    let token = encrypt(&s, &id, b"x", Some(&context));
    assert_eq!(
        plaintext_of(&decrypt(&s, &id, &token, Some(&context))),
        b"x"
    );
    // An RSA key does not encrypt JWEs.
    let rsa = s.create("alice", r#"{"name":"rsa","type":"RSA","size":2048}"#);
    post(
        &s,
        "alice",
        &format!("/v1/servicekey/{rsa}/encrypt"),
        &body_ok(),
    )
    .assert_error(400);
}

fn body_ok() -> Value {
    json!({ "plaintext": "YQ==" })
}

/// Verifies a signature with Python's `cryptography` and prints `valid` or `invalid`.
/// Arguments: the public JWK, the alg, then either `raw MESSAGE_B64 SIGNATURE_B64` or
/// `jws TOKEN` (which also prints the header and payload).
const VERIFY: &str = r#"
import base64, json, sys
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa, utils
def u(s): return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def n(s): return int.from_bytes(u(s), "big")
k, alg, kind = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
h = {"256": hashes.SHA256(), "384": hashes.SHA384(), "512": hashes.SHA512()}[alg[2:]]
if kind == "jws":
    head, body, sig = sys.argv[4].split(".")
    header = json.loads(u(head))
    assert header["alg"] == alg, header
    print(json.dumps({"header": header, "payload": u(body).decode()}))
    data, sig = (head + "." + body).encode(), u(sig)
else:
    data, sig = base64.b64decode(sys.argv[4]), base64.b64decode(sys.argv[5])
if k["kty"] == "RSA":
    pub = rsa.RSAPublicNumbers(n(k["e"]), n(k["n"])).public_key()
else:
    curve = {"P-256": ec.SECP256R1(), "P-384": ec.SECP384R1(), "P-521": ec.SECP521R1()}[k["crv"]]
    pub = ec.EllipticCurvePublicNumbers(n(k["x"]), n(k["y"]), curve).public_key()
try:
    if alg.startswith("ES"):
        size = (pub.curve.key_size + 7) // 8
        assert len(sig) == 2 * size, len(sig)
        der = utils.encode_dss_signature(int.from_bytes(sig[:size], "big"), int.from_bytes(sig[size:], "big"))
        pub.verify(der, data, ec.ECDSA(h))
    elif alg.startswith("RS"):
        pub.verify(sig, data, padding.PKCS1v15(), h)
    else:
        pub.verify(sig, data, padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size), h)
    print("valid")
except InvalidSignature:
    print("invalid")
"#;

fn public_jwk(s: &TestServer, id: &str) -> String {
    let a = s.call(
        "alice",
        "GET",
        &format!("/v1/servicekey/{id}?format=jwk"),
        None,
    );
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["keys"][0].to_string()
}

fn sign(s: &TestServer, id: &str, format: &str, body: &Value) -> Answer {
    post(
        s,
        "alice",
        &format!("/v1/servicekey/{id}/sign{format}"),
        body,
    )
}

fn verify(s: &TestServer, id: &str, body: &Value) -> Answer {
    post(s, "alice", &format!("/v1/servicekey/{id}/verify"), body)
}

fn verified(a: &Answer) -> bool {
    assert_eq!(a.status, 200, "{}", a.body);
    a.json()["result"].as_bool().unwrap()
}

fn hash_of(alg: &str) -> HashAlgorithm {
    match &alg[2..] {
        "384" => HashAlgorithm::Sha384,
        "512" => HashAlgorithm::Sha512,
        _ => HashAlgorithm::Sha256,
    }
}

#[test]
fn signatures_verify_with_an_independent_implementation() {
    let s = TestServer::start();
    let rsa = s.create(
        "alice",
        r#"{"name":"rsa","type":"RSA","size":2048,"operations":["sign","verify"]}"#,
    );
    let keys = [
        (
            "ES256",
            s.create("alice", r#"{"name":"p256","type":"EC","curve":"P-256"}"#),
        ),
        (
            "ES384",
            s.create("alice", r#"{"name":"p384","type":"EC","curve":"P-384"}"#),
        ),
        (
            "ES512",
            s.create("alice", r#"{"name":"p521","type":"EC","curve":"P-521"}"#),
        ),
        ("RS256", rsa.clone()),
        ("PS256", rsa.clone()),
        ("RS512", rsa.clone()),
        ("PS384", rsa.clone()),
    ];
    let message = b"the quick brown fox jumps over the lazy dog";
    let message_b64 = STANDARD.encode(message);
    for (alg, id) in &keys {
        let jwk = public_jwk(&s, id);

        // raw, over the message.
        let body = json!({ "message": message_b64, "alg": alg });
        let a = sign(&s, id, "", &body);
        assert_eq!(a.status, 200, "{alg}: {}", a.body);
        let signature = a.json()["signature"].as_str().unwrap().to_owned();
        let out = python(VERIFY, &[&jwk, alg, "raw", &message_b64, &signature]);
        assert_eq!(out.trim(), "valid", "{alg} raw");
        let body = json!({ "message": message_b64, "alg": alg, "signature": signature });
        assert!(verified(&verify(&s, id, &body)), "{alg}");

        // raw, over a digest computed here: verifies over the message.
        let digest = kms_crypto::hash::digest(hash_of(alg), message);
        let digest_b64 = STANDARD.encode(digest.as_bytes());
        let body = json!({ "message": digest_b64, "alg": alg, "isdigest": true });
        let a = sign(&s, id, "?format=raw", &body);
        assert_eq!(a.status, 200, "{alg}: {}", a.body);
        let signature = a.json()["signature"].as_str().unwrap().to_owned();
        let out = python(VERIFY, &[&jwk, alg, "raw", &message_b64, &signature]);
        assert_eq!(out.trim(), "valid", "{alg} digest");
        let body = json!({ "message": digest_b64, "alg": alg, "signature": signature,
                           "isdigest": true });
        assert!(verified(&verify(&s, id, &body)), "{alg} digest");
        // The same signature also verifies over the message itself.
        let body = json!({ "message": message_b64, "alg": alg, "signature": signature });
        assert!(verified(&verify(&s, id, &body)), "{alg}");
        // A digest of the wrong length is refused.
        let body = json!({ "message": STANDARD.encode([1u8; 20]), "alg": alg,
                           "isdigest": true });
        sign(&s, id, "", &body).assert_error(400);

        // Tampered signature and other message: false, not an error.
        let mut octets = STANDARD.decode(&signature).unwrap();
        let middle = octets.len() / 2;
        octets[middle] ^= 0x10;
        let body = json!({ "message": message_b64, "alg": alg,
                           "signature": STANDARD.encode(&octets) });
        assert!(!verified(&verify(&s, id, &body)), "{alg} tampered");
        let body = json!({ "message": STANDARD.encode(b"another"), "alg": alg,
                           "signature": signature });
        assert!(!verified(&verify(&s, id, &body)), "{alg} other message");
        let body = json!({ "message": message_b64, "alg": alg,
                           "signature": STANDARD.encode([7u8; 5]) });
        assert!(!verified(&verify(&s, id, &body)), "{alg} short");

        // JWS: python checks it and sees our header and payload.
        let body = json!({ "message": message_b64, "alg": alg });
        let a = sign(&s, id, "?format=jws", &body);
        assert_eq!(a.status, 200, "{alg}: {}", a.body);
        let jws = a.json()["signature"].as_str().unwrap().to_owned();
        let out = python(VERIFY, &[&jwk, alg, "jws", &jws]);
        let mut lines = out.lines();
        let seen: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(seen["header"], json!({ "alg": alg, "kid": id }));
        assert_eq!(seen["payload"], String::from_utf8_lossy(message).as_ref());
        assert_eq!(lines.next(), Some("valid"), "{alg} jws");
        // Verify takes the JWS alone, or with the same alg and message.
        assert!(verified(&verify(&s, id, &json!({ "signature": jws }))));
        let body = json!({ "signature": jws, "alg": alg, "message": message_b64 });
        assert!(verified(&verify(&s, id, &body)));
        let body = json!({ "signature": jws, "message": STANDARD.encode(b"other") });
        assert!(!verified(&verify(&s, id, &body)));
        let mut tampered: Vec<char> = jws.chars().collect();
        let at = jws.find('.').unwrap() + 3;
        tampered[at] = if tampered[at] == 'A' { 'B' } else { 'A' };
        let tampered: String = tampered.into_iter().collect();
        assert!(!verified(&verify(
            &s,
            id,
            &json!({ "signature": tampered })
        )));
        // isdigest does not go with a JWS.
        let body = json!({ "message": digest_b64, "alg": alg, "isdigest": true });
        sign(&s, id, "?format=jws", &body).assert_error(400);
    }

    // JWT: the message is the claims, the header says so.
    let (alg, id) = (&keys[0].0, &keys[0].1);
    let jwk = public_jwk(&s, id);
    let claims = r#"{"sub":"alice","n":1}"#;
    let body = json!({ "message": STANDARD.encode(claims), "alg": alg });
    let a = sign(&s, id, "?format=jwt", &body);
    assert_eq!(a.status, 200, "{}", a.body);
    let jwt = a.json()["signature"].as_str().unwrap().to_owned();
    let out = python(VERIFY, &[&jwk, alg, "jws", &jwt]);
    let mut lines = out.lines();
    let seen: Value = serde_json::from_str(lines.next().unwrap()).unwrap();
    assert_eq!(
        seen["header"],
        json!({ "alg": alg, "kid": id, "typ": "JWT" })
    );
    assert_eq!(seen["payload"], claims);
    assert_eq!(lines.next(), Some("valid"));
    assert!(verified(&verify(&s, id, &json!({ "signature": jwt }))));
    // Claims must be a JSON object.
    for not_claims in ["[1,2]", "not json", r#"{"a":1,"a":2}"#] {
        let body = json!({ "message": STANDARD.encode(not_claims), "alg": alg });
        sign(&s, id, "?format=jwt", &body).assert_error(400);
    }
    sign(
        &s,
        id,
        "?format=xml",
        &json!({ "message": message_b64, "alg": alg }),
    )
    .assert_error(400);
}

#[test]
fn algorithms_must_fit_the_key() {
    let s = TestServer::start();
    let p256 = s.create("alice", r#"{"name":"p256","type":"EC","curve":"P-256"}"#);
    let rsa = s.create("alice", r#"{"name":"rsa","type":"RSA","size":2048}"#);
    let aes = oct_key(&s);
    let message = STANDARD.encode(b"message");
    for (id, alg) in [
        (&p256, "ES384"),
        (&p256, "ES512"),
        (&p256, "RS256"),
        (&p256, "PS256"),
        (&rsa, "ES256"),
        (&aes, "RS256"),
    ] {
        let body = json!({ "message": message, "alg": alg });
        sign(&s, id, "", &body).assert_error(400);
        let body = json!({ "message": message, "alg": alg,
                           "signature": STANDARD.encode([1u8; 64]) });
        verify(&s, id, &body).assert_error(400);
    }
    // An unknown alg, and HS256, are refused.
    for alg in ["ES257", "HS256", "none"] {
        let body = json!({ "message": message, "alg": alg });
        sign(&s, &p256, "", &body).assert_error(400);
    }
    // A good ES256 signature checked as ES384: an error, not false.
    let a = sign(
        &s,
        &p256,
        "",
        &json!({ "message": message, "alg": "ES256" }),
    );
    let signature = a.json()["signature"].as_str().unwrap().to_owned();
    let body = json!({ "message": message, "alg": "ES384", "signature": signature });
    verify(&s, &p256, &body).assert_error(400);
    // Verify's raw form needs alg and message; the signature must be base64.
    for body in [
        json!({ "message": message, "signature": signature }),
        json!({ "alg": "ES256", "signature": signature }),
        json!({ "alg": "ES256", "message": message, "signature": "%%%" }),
        json!({ "alg": "ES256", "message": message }),
    ] {
        verify(&s, &p256, &body).assert_error(400);
    }
    // A JWS whose alg differs from the request's.
    let a = sign(
        &s,
        &p256,
        "?format=jws",
        &json!({ "message": message, "alg": "ES256" }),
    );
    let jws = a.json()["signature"].as_str().unwrap().to_owned();
    verify(&s, &p256, &json!({ "signature": jws, "alg": "ES384" })).assert_error(400);
}

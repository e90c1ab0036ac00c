//! Properties: JWK parse → write → parse round trips for every key type, shortened members
//! padded back, JWS and JWE round trips with the test backend, every single-bit change of
//! a JWE refused, header member order kept.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::vectors::*;
use common::{TestBackend, b64d, b64e};
use jwk::jwe::{self, CompactJwe};
use jwk::jws::{self, CompactJws};
use jwk::{ContentEncryption, JweHeader, Jwk, JwsAlgorithm, JwsHeader, KeyParams, TokenPolicy};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn bytes(len: impl Into<proptest::collection::SizeRange>) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), len)
}

/// A big-endian integer of `len` octets without a leading zero (and odd, if asked).
fn uint(len: std::ops::RangeInclusive<usize>, odd: bool) -> impl Strategy<Value = Vec<u8>> {
    bytes(len).prop_map(move |mut b| {
        if let Some(first) = b.first_mut() {
            *first |= 1;
        }
        if odd && let Some(last) = b.last_mut() {
            *last |= 1;
        }
        b
    })
}

fn metadata() -> impl Strategy<Value = Map<String, Value>> {
    (proptest::option::of("[a-zA-Z0-9._-]{1,40}"), any::<bool>()).prop_map(|(kid, x5t)| {
        let mut m = Map::new();
        if let Some(kid) = kid {
            m.insert("kid".into(), kid.into());
        }
        if x5t {
            m.insert("x5t#S256".into(), b64e(&[9; 32]).into());
        }
        m
    })
}

fn oct_key() -> impl Strategy<Value = Value> {
    (bytes(1..=96), metadata(), any::<bool>()).prop_map(|(k, mut m, with_alg)| {
        m.insert("kty".into(), "oct".into());
        if with_alg {
            let alg = match k.len() {
                16 => Some("A128GCM"),
                24 => Some("A192KW"),
                32 => Some("A256GCM"),
                64.. => Some("HS512"),
                48.. => Some("HS384"),
                _ => None,
            };
            if let Some(alg) = alg {
                m.insert("alg".into(), alg.into());
            }
        }
        m.insert("k".into(), b64e(&k).into());
        Value::Object(m)
    })
}

fn ec_key() -> impl Strategy<Value = Value> {
    (
        0usize..3,
        bytes(66),
        bytes(66),
        proptest::option::of(bytes(66)),
        metadata(),
    )
        .prop_map(|(c, x, y, d, mut m)| {
            let (crv, len) = [("P-256", 32), ("P-384", 48), ("P-521", 66)][c];
            m.insert("kty".into(), "EC".into());
            m.insert("crv".into(), crv.into());
            m.insert("x".into(), b64e(&x[..len]).into());
            m.insert("y".into(), b64e(&y[..len]).into());
            if let Some(d) = d {
                m.insert("d".into(), b64e(&d[..len]).into());
            }
            Value::Object(m)
        })
}

fn rsa_key() -> impl Strategy<Value = Value> {
    (64usize..=512)
        .prop_flat_map(|n_len| {
            (
                uint(n_len..=n_len, true),
                prop_oneof![Just(vec![3u8]), Just(vec![1, 0, 1]), uint(1..=4, true)],
                proptest::option::of((
                    uint(1..=n_len, false),
                    proptest::option::of(proptest::collection::vec(uint(1..=n_len / 2, false), 5)),
                )),
                metadata(),
            )
        })
        .prop_filter("e = 1 is not an RSA exponent", |(_, e, _, _)| {
            e.as_slice() != [1]
        })
        .prop_map(|(n, e, private, mut m)| {
            m.insert("kty".into(), "RSA".into());
            m.insert("n".into(), b64e(&n).into());
            m.insert("e".into(), b64e(&e).into());
            if let Some((d, crt)) = private {
                m.insert("d".into(), b64e(&d).into());
                if let Some(crt) = crt {
                    for (name, v) in ["p", "q", "dp", "dq", "qi"].iter().zip(crt) {
                        m.insert((*name).into(), b64e(&v).into());
                    }
                }
            }
            Value::Object(m)
        })
}

fn any_key() -> impl Strategy<Value = Value> {
    prop_oneof![oct_key(), ec_key(), rsa_key()]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn jwk_parse_write_parse(value in any_key()) {
        let text = serde_json::to_string(&value).unwrap();
        let key = Jwk::from_json(&text).unwrap();
        // Every member survives: the written key, read as JSON, is the generated one.
        let written = key.to_private_json().unwrap();
        let reread: Value = serde_json::from_str(&written).unwrap();
        prop_assert_eq!(&reread, &value);
        let again = Jwk::from_json(&written).unwrap();
        prop_assert_eq!(&*again.to_private_json().unwrap(), &*written);
        prop_assert_eq!(again.thumbprint_sha256(), key.thumbprint_sha256());
        // Public keys: plain serialization round trips and matches the public part.
        match key.to_public() {
            Ok(public) => {
                let text = public.to_json().unwrap();
                // No private member (a `kid` may well be the string "d": look at keys).
                let members: Value = serde_json::from_str(&text).unwrap();
                prop_assert!(members.get("d").is_none());
                prop_assert_eq!(Jwk::from_json(&text).unwrap().to_json().unwrap(), text.clone());
                prop_assert_eq!(public.thumbprint_sha256(), key.thumbprint_sha256());
                if !key.has_private() {
                    prop_assert_eq!(key.to_json().unwrap(), text);
                }
            }
            Err(_) => prop_assert_eq!(key.key_type(), jwk::KeyType::Oct),
        }
        let copy = key.duplicate();
        prop_assert_eq!(&*copy.to_private_json().unwrap(), &*written);
    }

    /// Go SDK style: EC members and AES keys that lost up to 4 leading zero octets are the
    /// same key; 5 or more is refused.
    #[test]
    fn shortened_members_are_padded(
        c in 0usize..3,
        x in bytes(66), y in bytes(66), d in bytes(66),
        zeros in 0usize..=6,
        member in 0usize..3,
    ) {
        let (crv, len) = [("P-256", 32), ("P-384", 48), ("P-521", 66)][c];
        let mut parts = [x[..len].to_vec(), y[..len].to_vec(), d[..len].to_vec()];
        // Give the chosen member exactly `zeros` leading zero octets.
        let target = &mut parts[member];
        for b in target.iter_mut().take(zeros) {
            *b = 0;
        }
        target[zeros.min(len - 1)] |= 1;
        let full = json!({"kty":"EC","crv":crv,"x":b64e(&parts[0]),"y":b64e(&parts[1]),"d":b64e(&parts[2])});
        let mut short = full.clone();
        let name = ["x", "y", "d"][member];
        short[name] = b64e(&parts[member][zeros..]).into();
        let full_key = Jwk::from_json(&full.to_string()).unwrap();
        let parsed = Jwk::from_json(&short.to_string());
        if zeros <= 4 {
            let short_key = parsed.unwrap();
            prop_assert_eq!(&*short_key.to_private_json().unwrap(), &*full_key.to_private_json().unwrap());
        } else {
            prop_assert!(parsed.is_err());
        }
    }

    #[test]
    fn shortened_aes_keys_are_padded(enc in 0usize..3, k in bytes(32), zeros in 0usize..=6) {
        let (alg, len) = [("A128GCM", 16), ("A192GCM", 24), ("A256GCM", 32)][enc];
        let mut k = k[..len].to_vec();
        for b in k.iter_mut().take(zeros) {
            *b = 0;
        }
        k[zeros] |= 1;
        let full = Jwk::from_json(&json!({"kty":"oct","alg":alg,"k":b64e(&k)}).to_string()).unwrap();
        let short = Jwk::from_json(&json!({"kty":"oct","alg":alg,"k":b64e(&k[zeros..])}).to_string());
        if zeros <= 4 {
            prop_assert_eq!(&*short.unwrap().to_private_json().unwrap(), &*full.to_private_json().unwrap());
        } else {
            prop_assert!(short.is_err());
        }
    }
}

/// Keys from the RFCs that can sign, with the algorithms each serves.
fn signing_keys() -> Vec<(Jwk, Vec<JwsAlgorithm>)> {
    use JwsAlgorithm::*;
    // RFC 7520 §5.4.1 (Figure 108): a P-384 key, its `use` (enc) left out to sign with it.
    let p384 = r#"{"kty":"EC","crv":"P-384",
        "x":"YU4rRUzdmVqmRtWOs2OpDE_T5fsNIodcG8G5FWPrTPMyxpzsSOGaQLpe2FpxBmu2",
        "y":"A8-yxCHxkfBz3hKZfI1jUYMjUhsEveZ9THuwFjH2sCNdtksRJU7D5-SkgaFL1ETP",
        "d":"iTx2pk7wW-GqJkHcEkFQb2EFyYcO7RugmaW3mRrQVAOUiPommT0IdnYK2xDlZh-j"}"#;
    vec![
        (
            Jwk::from_json(RFC7515_A1_KEY).unwrap(),
            vec![Hs256, Hs384, Hs512],
        ),
        (
            Jwk::from_json(&rfc7520_3_4()).unwrap(),
            vec![Rs256, Rs384, Rs512, Ps256, Ps384, Ps512],
        ),
        (Jwk::from_json(RFC7515_A3_KEY).unwrap(), vec![Es256]),
        (Jwk::from_json(p384).unwrap(), vec![Es384]),
        (Jwk::from_json(RFC7520_3_2).unwrap(), vec![Es512]),
    ]
}

fn flip_bit(bytes: &mut [u8], bit: usize) {
    let at = (bit / 8) % bytes.len();
    bytes[at] ^= 1 << (bit % 8);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn jws_sign_verify(
        key in 0usize..5,
        alg in any::<prop::sample::Index>(),
        payload in bytes(0..512),
        kid in proptest::option::of("[a-z0-9-]{1,36}"),
        bit in any::<usize>(),
    ) {
        let keys = signing_keys();
        let (key, algs) = &keys[key];
        let alg = algs[alg.index(algs.len())];
        let mut builder = JwsHeader::builder(alg);
        if let Some(kid) = &kid {
            builder = builder.kid(kid.clone());
        }
        let header = builder.member("x-n", 1).build().unwrap();
        let token = jws::sign(&TestBackend, key, &header, &payload).unwrap();
        let verifier = key.to_public().unwrap_or_else(|_| key.duplicate());
        let parsed = CompactJws::parse(&token, &TokenPolicy::new()).unwrap();
        prop_assert_eq!(parsed.header().kid(), kid.as_deref());
        prop_assert_eq!(parsed.verify(&TestBackend, &verifier, alg).unwrap(), payload.as_slice());
        // One bit flipped in the signature: refused.
        let mut sig = parsed.signature().to_vec();
        flip_bit(&mut sig, bit);
        let (input, _) = token.rsplit_once('.').unwrap();
        let forged = CompactJws::parse(&format!("{input}.{}", b64e(&sig)), &TokenPolicy::new()).unwrap();
        prop_assert_eq!(forged.verify(&TestBackend, &verifier, alg).unwrap_err(), jwk::Error::InvalidSignature);
    }

    #[test]
    fn jwe_encrypt_decrypt_and_every_bit_flip_is_refused(
        enc in 0usize..3,
        k in bytes(32),
        plaintext in bytes(0..1024),
        kid in "[a-f0-9-]{36}",
        version in 0u32..1000,
        part in 0usize..4,
        bit in any::<usize>(),
        char_at in any::<usize>(),
        char_bit in 0u32..7,
    ) {
        let (alg, enc) = [("A128GCM", ContentEncryption::A128Gcm), ("A192GCM", ContentEncryption::A192Gcm), ("A256GCM", ContentEncryption::A256Gcm)][enc];
        let key = Jwk::from_json(&json!({"kty":"oct","alg":alg,"k":b64e(&k[..enc.key_len()])}).to_string()).unwrap();
        let header = JweHeader::builder(enc).kid(kid.clone()).member("x-key-ver", version).build().unwrap();
        let token = jwe::encrypt(&TestBackend, &key, &header, &plaintext).unwrap();
        let parsed = CompactJwe::parse(&token, &TokenPolicy::new()).unwrap();
        prop_assert_eq!(parsed.header().kid(), Some(kid.as_str()));
        let decrypted = parsed.decrypt(&TestBackend, &key).unwrap();
        prop_assert_eq!(decrypted.expose(), plaintext.as_slice());

        let rejected = |t: &str| match CompactJwe::parse(t, &TokenPolicy::new()) {
            Err(_) => true,
            Ok(jwe) => jwe.decrypt(&TestBackend, &key).is_err(),
        };

        // One bit of one decoded part (header, IV, ciphertext, tag). The encrypted key is
        // empty: anything put there is refused too.
        let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
        let index = [0, 2, 3, 4][part];
        let mut decoded = b64d(&parts[index]);
        if decoded.is_empty() {
            parts[1] = "AA".into();
        } else {
            flip_bit(&mut decoded, bit);
            parts[index] = b64e(&decoded);
        }
        prop_assert!(rejected(&parts.join(".")));

        // One bit of one character of the token text (kept ASCII).
        let mut text = token.clone().into_bytes();
        let at = char_at % text.len();
        text[at] ^= 1 << char_bit;
        let text = String::from_utf8(text).unwrap();
        prop_assert!(rejected(&text));
    }

    #[test]
    fn header_builder_keeps_member_order(
        names in proptest::collection::btree_set("x-[a-z]{1,8}", 0..8),
        shuffle in any::<prop::sample::Index>(),
    ) {
        let mut names: Vec<String> = names.into_iter().collect();
        if !names.is_empty() {
            let at = shuffle.index(names.len());
            names.rotate_left(at);
        }
        let mut builder = JweHeader::builder(ContentEncryption::A256Gcm).kid("k");
        for (i, name) in names.iter().enumerate() {
            builder = builder.member(name.clone(), i);
        }
        let header = builder.build().unwrap();
        let got: Vec<&str> = header.header().members().map(|(n, _)| n).collect();
        let mut expected = vec!["alg", "enc", "kid"];
        expected.extend(names.iter().map(String::as_str));
        prop_assert_eq!(got, expected);
        // And the encoded text has them in that order too.
        let json = String::from_utf8(b64d(header.encoded())).unwrap();
        let positions: Vec<usize> = names.iter().map(|n| json.find(&format!("\"{n}\"")).unwrap()).collect();
        prop_assert!(positions.windows(2).all(|w| w[0] < w[1]));
    }
}

/// A P-256 key whose x coordinate starts with a zero octet, found by walking scalars (one
/// in 256 has one): the Go SDK would send it 31 octets long.
#[test]
fn real_key_with_a_short_coordinate_signs_and_verifies() {
    for seed in 1u32.. {
        let mut d = [0x42u8; 32];
        d[28..].copy_from_slice(&seed.to_be_bytes());
        let sk = p256::ecdsa::SigningKey::from_slice(&d).unwrap();
        let point = sk.verifying_key().to_sec1_point(false);
        let point = point.as_bytes();
        let (x, y) = (&point[1..33], &point[33..65]);
        if x[0] != 0 {
            continue;
        }
        let go = json!({"kty":"EC","crv":"P-256","x":b64e(&x[1..]),"y":b64e(y),"d":b64e(&d)});
        let short = Jwk::from_json(&go.to_string()).unwrap();
        let KeyParams::Ec(k) = short.params() else {
            panic!()
        };
        assert_eq!(k.x(), x);
        let full = json!({"kty":"EC","crv":"P-256","x":b64e(x),"y":b64e(y)});
        let full = Jwk::from_json(&full.to_string()).unwrap();
        let header = JwsHeader::builder(JwsAlgorithm::Es256).build().unwrap();
        let token = jws::sign(&TestBackend, &short, &header, b"padded").unwrap();
        let parsed = CompactJws::parse(&token, &TokenPolicy::new()).unwrap();
        parsed
            .verify(&TestBackend, &full, JwsAlgorithm::Es256)
            .unwrap();
        return;
    }
}

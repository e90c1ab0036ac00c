//! The compact JWE of ciphertexts and data-key blobs (docs/kms-rest.md, "Formats";
//! RFC 7516 §7.1, RFC 7518 §4.5 `dir` and §5.3 `A256GCM`):
//!
//! ```text
//! BASE64URL(header) "." "" "." BASE64URL(IV, 96 bits) "." BASE64URL(ciphertext)
//!     "." BASE64URL(tag, 128 bits)
//! header = {"alg":"dir","enc":"A256GCM","kid":"<service key id>","x-key-ver":0}
//! ```
//!
//! The GCM additional data is `ASCII(BASE64URL(header))`, followed by
//! `"." ‖ BASE64URL(UTF-8(context))` when a non-empty context is given: the rule of
//! RFC 7516 §5.1 step 14 for the JSON serialization's `aad` member, with the context
//! carried out of band. Encryption and decryption are the store's, so its state,
//! usage-mask and usage-limit rules apply to every token.
//!
//! The header names `A256GCM` whatever the service key's length, as the design fixes
//! it: a 128- or 192-bit service key encrypts with AES-128/192-GCM under that label
//! (no client parses the header; it is authenticated, not interpreted).
//!
//! Decryption answers one generic error for every token it cannot open, whatever the
//! reason (no oracle): a token that does not parse takes the same path through the store
//! as a forged one, so the answer depends on the key alone.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwk::{ContentEncryption, JweHeader};
use kmip_types::{BlockCipherMode, CryptographicAlgorithm, CryptographicParameters};
use kms_crypto::Secret;
use kms_store::backend::Backend;
use kms_store::{Identity, ObjectId, Store, StoreError};

use crate::error::ApiError;

/// GCM IV length in bytes (96 bits, NIST SP 800-38D §8.2 with a random IV).
pub(crate) const IV_LEN: usize = 12;
/// GCM tag length in bytes (128 bits).
pub(crate) const TAG_LEN: usize = 16;
/// [`TAG_LEN`] as KMIP's Tag Length.
const TAG_LENGTH: i32 = 16;
/// The largest plaintext sealed: 4096 bytes, the API's limit for Encrypt, above the
/// largest data key (4096 bits). A token with a longer ciphertext is not ours.
pub(crate) const MAX_PLAINTEXT_LEN: usize = 4096;
/// The longest token parsed: a header naming a 128-character key id and a ciphertext of
/// [`MAX_PLAINTEXT_LEN`] bytes make 5,746 characters.
///
/// The OpenAPI document caps `ciphertext` at 5,464 characters, which this layout
/// exceeds above a plaintext of 3,978 bytes (with a UUID key id); the bound here is the
/// layout's, not the spec's.
pub(crate) const MAX_TOKEN_LEN: usize = 6 * 1024;
/// The version of the service key's material: always 0 (no rotation of material yet).
const KEY_VERSION: u8 = 0;

/// The parts of a token after strict parsing.
#[derive(Debug)]
struct Parsed {
    iv: [u8; IV_LEN],
    ciphertext: Vec<u8>,
    tag: [u8; TAG_LEN],
}

/// The base64url protected header for service key `kid`, members in the documented order.
pub(crate) fn header(kid: &ObjectId) -> Result<String, ApiError> {
    let header = JweHeader::dir()
        .enc(ContentEncryption::A256Gcm)
        .kid(kid.as_str())
        .member("x-key-ver", KEY_VERSION)
        .build()
        .map_err(|_| ApiError::internal())?;
    Ok(header.encoded().to_owned())
}

/// The GCM additional data for `header` (base64url) and an optional context.
pub(crate) fn aad(header: &str, context: Option<&str>) -> Vec<u8> {
    let mut aad = header.as_bytes().to_vec();
    if let Some(context) = context.filter(|c| !c.is_empty()) {
        aad.push(b'.');
        aad.extend_from_slice(URL_SAFE_NO_PAD.encode(context.as_bytes()).as_bytes());
    }
    aad
}

/// The one answer for a token that does not open, the same as the store's for a wrong
/// tag.
pub(crate) fn decryption_failed() -> ApiError {
    ApiError::from(StoreError::CryptoFailure)
}

/// The parameters of every JWE operation: AES-GCM with a 16-byte tag; the store draws a
/// random 96-bit IV. The algorithm is named so that a non-AES key is refused rather than
/// used in another mode.
fn gcm() -> CryptographicParameters {
    CryptographicParameters {
        cryptographic_algorithm: Some(CryptographicAlgorithm::AES),
        block_cipher_mode: Some(BlockCipherMode::GCM),
        tag_length: Some(TAG_LENGTH),
        ..CryptographicParameters::default()
    }
}

/// Encrypts `plaintext` under service key `key` into a compact JWE, binding `context`.
pub(crate) async fn seal<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    caller: &Identity,
    key: &ObjectId,
    plaintext: &[u8],
    context: Option<&str>,
) -> Result<String, ApiError> {
    let header = header(key)?;
    let aad = aad(&header, context);
    let out = store
        .encrypt(caller, key, Some(&gcm()), plaintext, None, Some(&aad))
        .await?;
    let (Some(iv), Some(tag)) = (out.iv_counter_nonce, out.tag) else {
        return Err(ApiError::internal());
    };
    if iv.len() != IV_LEN || tag.len() != TAG_LEN {
        return Err(ApiError::internal());
    }
    Ok(compact(&header, &iv, &out.data, &tag))
}

/// Decrypts a compact JWE made by [`seal`] for service key `key` with the same context.
///
/// Every token that does not open — malformed, for another key, tampered, or with
/// another context — is [`decryption_failed`]. Only the key's own refusals (not found,
/// state, usage) differ.
pub(crate) async fn open<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    caller: &Identity,
    key: &ObjectId,
    token: &str,
    context: Option<&str>,
) -> Result<Secret, ApiError> {
    let header = header(key)?;
    let aad = aad(&header, context);
    // A token that does not parse still goes to the store, as an empty ciphertext under
    // a zero IV and tag, which cannot authenticate: the key's checks run and the answer
    // is the one for a forged token.
    let parsed = parse(token, &header);
    let well_formed = parsed.is_some();
    let parsed = parsed.unwrap_or(Parsed {
        iv: [0; IV_LEN],
        ciphertext: Vec::new(),
        tag: [0; TAG_LEN],
    });
    let opened = store
        .decrypt(
            caller,
            key,
            Some(&gcm()),
            &parsed.ciphertext,
            Some(&parsed.iv),
            Some(&aad),
            Some(&parsed.tag),
        )
        .await;
    match opened {
        Ok(plaintext) if well_formed => Ok(plaintext),
        // The stand-in authenticated (a 2^-128 event): still no.
        Ok(_) | Err(StoreError::CryptoFailure) => Err(decryption_failed()),
        Err(e) => Err(ApiError::from(e)),
    }
}

/// `header..iv.ciphertext.tag`.
fn compact(header: &str, iv: &[u8], ciphertext: &[u8], tag: &[u8]) -> String {
    let mut token = String::with_capacity(
        header.len() + 4 + (iv.len() + ciphertext.len() + tag.len()) * 4 / 3 + 3,
    );
    token.push_str(header);
    token.push_str("..");
    URL_SAFE_NO_PAD.encode_string(iv, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(ciphertext, &mut token);
    token.push('.');
    URL_SAFE_NO_PAD.encode_string(tag, &mut token);
    token
}

/// Strict parsing against the expected header text: five parts; the header exactly the
/// one [`header`] writes for the key of the path (so `alg`, `enc`, `kid`, `x-key-ver`,
/// their order and nothing else); an empty encrypted key; canonical unpadded base64url;
/// a 12-byte IV, a ciphertext of at most [`MAX_PLAINTEXT_LEN`] bytes and a 16-byte tag.
fn parse(token: &str, expected_header: &str) -> Option<Parsed> {
    if token.len() > MAX_TOKEN_LEN {
        return None;
    }
    let mut parts = token.split('.');
    let (Some(header), Some(encrypted_key), Some(iv), Some(ciphertext), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    if header != expected_header || !encrypted_key.is_empty() {
        return None;
    }
    let iv: [u8; IV_LEN] = URL_SAFE_NO_PAD.decode(iv).ok()?.try_into().ok()?;
    let tag: [u8; TAG_LEN] = URL_SAFE_NO_PAD.decode(tag).ok()?.try_into().ok()?;
    let ciphertext = URL_SAFE_NO_PAD.decode(ciphertext).ok()?;
    if ciphertext.len() > MAX_PLAINTEXT_LEN {
        return None;
    }
    Some(Parsed {
        iv,
        ciphertext,
        tag,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use http::StatusCode;
    use kmip_types::{
        Attribute, AttributeValue, CryptographicUsageMask, ObjectType, RevocationReasonCode,
    };
    use kms_store::backend::sqlite::SqliteBackend;
    use kms_store::sealing::MasterKey;
    use kms_store::{CreateOptions, RevokeRequest, Rules, StoreConfig};

    use super::*;

    struct Fixture {
        store: Store<SqliteBackend>,
        owner: Identity,
        dir: std::path::PathBuf,
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            drop(std::fs::remove_dir_all(&self.dir));
        }
    }

    fn fixture() -> Fixture {
        let dir = std::env::temp_dir().join(format!("kms-rest-jwe-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir).unwrap();
        let backend = SqliteBackend::open(&dir.join("kms.db")).unwrap();
        let store = Store::new(
            backend,
            Box::new(MasterKey::generate().unwrap()),
            StoreConfig::default(),
        );
        Fixture {
            store,
            owner: Identity::new("domain:test").unwrap(),
            dir,
        }
    }

    impl Fixture {
        async fn aes(&self, bits: i32, mask: CryptographicUsageMask) -> ObjectId {
            let attributes = vec![
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::AES,
                )),
                Attribute::new(AttributeValue::CryptographicLength(bits)),
                Attribute::new(AttributeValue::CryptographicUsageMask(mask)),
            ];
            self.store
                .create(
                    &self.owner,
                    ObjectType::SYMMETRIC_KEY,
                    attributes,
                    CreateOptions {
                        activate: true,
                        id: None,
                    },
                )
                .await
                .unwrap()
        }

        async fn key(&self) -> ObjectId {
            self.aes(
                256,
                CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
            )
            .await
        }

        async fn seal(&self, key: &ObjectId, data: &[u8], context: Option<&str>) -> String {
            seal(&self.store, &self.owner, key, data, context)
                .await
                .unwrap()
        }

        async fn open(
            &self,
            key: &ObjectId,
            token: &str,
            context: Option<&str>,
        ) -> Result<Vec<u8>, ApiError> {
            open(&self.store, &self.owner, key, token, context)
                .await
                .map(|s| s.expose().to_vec())
        }
    }

    /// A small deterministic generator for the mutation tests (splitmix64), seeded from
    /// the system generator and printed so a failure can be replayed.
    struct Mix(u64);

    impl Mix {
        fn seeded() -> Mix {
            let seed = u64::from_le_bytes(kms_crypto::rng::random_array::<8>().unwrap());
            println!("mutation seed {seed:#x}");
            Mix(seed)
        }

        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }

        fn below(&mut self, n: usize) -> usize {
            usize::try_from(self.next() % u64::try_from(n).unwrap()).unwrap()
        }
    }

    fn b64(bytes: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(bytes)
    }

    fn parts(token: &str) -> Vec<String> {
        token.split('.').map(str::to_owned).collect()
    }

    #[test]
    fn header_is_the_documented_json_in_order() {
        let kid = ObjectId::parse("0f8b6a52-3c1e-4c9a-9f3e-2b1c0d9e8f7a").unwrap();
        let json = URL_SAFE_NO_PAD.decode(header(&kid).unwrap()).unwrap();
        assert_eq!(
            String::from_utf8(json).unwrap(),
            r#"{"alg":"dir","enc":"A256GCM","kid":"0f8b6a52-3c1e-4c9a-9f3e-2b1c0d9e8f7a","x-key-ver":0}"#
        );
    }

    #[test]
    fn aad_appends_the_base64url_context_after_a_dot() {
        assert_eq!(aad("HDR", None), b"HDR");
        assert_eq!(
            aad("HDR", Some("")),
            b"HDR",
            "an empty context is no context"
        );
        // BASE64URL("ctx?>") = "Y3R4Pz4": the URL-safe alphabet, no padding.
        assert_eq!(aad("HDR", Some("ctx?>")), b"HDR.Y3R4Pz4");
    }

    #[tokio::test]
    async fn round_trips_with_the_documented_layout() {
        let f = fixture();
        let key = f.key().await;
        for context in [None, Some("tenant=42"), Some("é€漢字")] {
            let token = f.seal(&key, b"attack at dawn", context).await;
            let p = parts(&token);
            assert_eq!(p.len(), 5);
            assert_eq!(p[0], header(&key).unwrap());
            assert_eq!(p[1], "");
            assert_eq!(URL_SAFE_NO_PAD.decode(&p[2]).unwrap().len(), IV_LEN);
            assert_eq!(URL_SAFE_NO_PAD.decode(&p[3]).unwrap().len(), 14);
            assert_eq!(URL_SAFE_NO_PAD.decode(&p[4]).unwrap().len(), TAG_LEN);
            assert_eq!(
                f.open(&key, &token, context).await.unwrap(),
                b"attack at dawn"
            );
        }
        // A 256-bit data key gives a 203-character blob with a 36-character key id, as
        // measured on the real service.
        let token = f.seal(&key, &[7; 32], None).await;
        assert_eq!(token.len(), 203);
        // The largest plaintext fits the parser's bound.
        let token = f.seal(&key, &[1; MAX_PLAINTEXT_LEN], None).await;
        assert!(token.len() <= MAX_TOKEN_LEN);
        assert_eq!(
            f.open(&key, &token, None).await.unwrap().len(),
            MAX_PLAINTEXT_LEN
        );
    }

    #[tokio::test]
    async fn gcm_aad_is_the_header_then_the_context() {
        // Decrypt the JWE independently of `open`, with the store's decrypt and the AAD
        // spelled out, to pin the AAD rule rather than only its round trip.
        let f = fixture();
        let key = f.key().await;
        let token = f.seal(&key, b"pinned", Some("ctx")).await;
        let p = parts(&token);
        let spelled = format!("{}.{}", p[0], b64(b"ctx"));
        let out = f
            .store
            .decrypt(
                &f.owner,
                &key,
                Some(&gcm()),
                &URL_SAFE_NO_PAD.decode(&p[3]).unwrap(),
                Some(&URL_SAFE_NO_PAD.decode(&p[2]).unwrap()),
                Some(spelled.as_bytes()),
                Some(&URL_SAFE_NO_PAD.decode(&p[4]).unwrap()),
            )
            .await
            .unwrap();
        assert_eq!(out.expose(), b"pinned");
    }

    #[tokio::test]
    async fn every_wrong_context_is_the_generic_error() {
        let f = fixture();
        let key = f.key().await;
        let generic = decryption_failed();
        assert_eq!(generic.status, StatusCode::BAD_REQUEST);
        let token = f.seal(&key, b"secret", Some("Tenant=42;env=prod")).await;
        for wrong in [
            None,
            Some(""),
            Some("Tenant=43;env=prod"),
            Some("tenant=42;env=prod"),
            Some("TENANT=42;ENV=PROD"),
            Some("Tenant=42;env=prod;x=1"),
            Some("Tenant=42"),
            Some("env=prod;Tenant=42"),
            Some("Tenant=42;env=prod "),
        ] {
            assert_eq!(f.open(&key, &token, wrong).await.unwrap_err(), generic);
        }
        // A token sealed without a context does not open with one.
        let plain = f.seal(&key, b"secret", None).await;
        assert_eq!(f.open(&key, &plain, Some("x")).await.unwrap_err(), generic);
        assert_eq!(f.open(&key, &plain, Some("")).await.unwrap(), b"secret");
    }

    #[tokio::test]
    async fn ten_thousand_single_bit_flips_are_all_rejected() {
        let f = fixture();
        let key = f.key().await;
        let generic = decryption_failed();
        let token = f.seal(&key, &[0x5a; 64], Some("ctx")).await;
        let p = parts(&token);
        let iv = URL_SAFE_NO_PAD.decode(&p[2]).unwrap();
        let ciphertext = URL_SAFE_NO_PAD.decode(&p[3]).unwrap();
        let tag = URL_SAFE_NO_PAD.decode(&p[4]).unwrap();
        let total_bits = (iv.len() + ciphertext.len() + tag.len()) * 8;
        let mut mix = Mix::seeded();
        let mut rejected = 0;
        for _ in 0..10_000 {
            let bit = mix.below(total_bits);
            let (mut iv, mut ciphertext, mut tag) = (iv.clone(), ciphertext.clone(), tag.clone());
            let byte = bit / 8;
            let mask = 1u8 << (bit % 8);
            if byte < iv.len() {
                iv[byte] ^= mask;
            } else if byte < iv.len() + ciphertext.len() {
                ciphertext[byte - iv.len()] ^= mask;
            } else {
                tag[byte - iv.len() - ciphertext.len()] ^= mask;
            }
            let forged = format!("{}..{}.{}.{}", p[0], b64(&iv), b64(&ciphertext), b64(&tag));
            if f.open(&key, &forged, Some("ctx")).await.unwrap_err() == generic {
                rejected += 1;
            }
        }
        assert_eq!(rejected, 10_000);
        assert_eq!(f.open(&key, &token, Some("ctx")).await.unwrap(), [0x5a; 64]);
    }

    #[tokio::test]
    async fn malformed_tokens_are_the_generic_error() {
        let f = fixture();
        let key = f.key().await;
        let other = f.key().await;
        let generic = decryption_failed();
        let token = f.seal(&key, b"secret", None).await;
        let p = parts(&token);
        let header_json = |json: &str| b64(json.as_bytes());
        let kid = key.as_str();
        let with_header = |h: String| format!("{h}..{}.{}.{}", p[2], p[3], p[4]);
        let mut bad = vec![
            String::new(),
            ".".to_owned(),
            "not a jwe".to_owned(),
            p[..4].join("."),
            format!("{token}."),
            format!("{token}.x"),
            token[..token.len() - 1].to_owned(),
            token.replacen("..", ".AA.", 1),
            format!("{token}="),
            format!("{}..{}.{}.{}", p[0], p[2], p[3], b64(&[0; 12])),
            format!("{}..{}.{}.{}", p[0], b64(&[0; 16]), p[3], p[4]),
            format!("{}..{}..{}", p[0], p[2], p[4]),
            format!(
                "{}..{}.{}.{}",
                p[0],
                p[2],
                b64(&[0; MAX_PLAINTEXT_LEN + 1]),
                p[4]
            ),
            format!(" {token}"),
            "a".repeat(MAX_TOKEN_LEN + 1),
            with_header(header(&other).unwrap()),
            with_header(header_json(&format!(
                r#"{{"alg":"dir","enc":"A256GCM","kid":"{kid}","x-key-ver":1}}"#
            ))),
            with_header(header_json(&format!(
                r#"{{"enc":"A256GCM","alg":"dir","kid":"{kid}","x-key-ver":0}}"#
            ))),
            with_header(header_json(&format!(
                r#"{{"alg":"dir", "enc":"A256GCM","kid":"{kid}","x-key-ver":0}}"#
            ))),
            with_header(header_json(&format!(
                r#"{{"alg":"dir","enc":"A128GCM","kid":"{kid}","x-key-ver":0}}"#
            ))),
            with_header(header_json(&format!(
                r#"{{"alg":"dir","enc":"A256GCM","kid":"{kid}","x-key-ver":0,"zip":"DEF"}}"#
            ))),
            with_header(header_json(&format!(
                r#"{{"alg":"dir","enc":"A256GCM","kid":"{kid}"}}"#
            ))),
        ];
        // The standard alphabet instead of the URL-safe one (when the token has a
        // character where they differ).
        let standard = token.replace('-', "+").replace('_', "/");
        if standard != token {
            bad.push(standard);
        }
        // Any one character of the token replaced by another base64url character.
        let mut mix = Mix::seeded();
        let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for _ in 0..500 {
            let mut bytes = token.clone().into_bytes();
            let at = mix.below(bytes.len());
            let c = alphabet[mix.below(alphabet.len())];
            if bytes[at] == b'.' || bytes[at] == c {
                continue;
            }
            bytes[at] = c;
            bad.push(String::from_utf8(bytes).unwrap());
        }
        for token in &bad {
            assert_eq!(
                f.open(&key, token, None).await.unwrap_err(),
                generic,
                "{token}"
            );
        }
        // The right token under another key of the same owner: the same error.
        assert_eq!(f.open(&other, &token, None).await.unwrap_err(), generic);
    }

    #[tokio::test]
    async fn only_the_keys_own_refusals_differ() {
        let f = fixture();
        let key = f.key().await;
        let token = f.seal(&key, b"secret", None).await;
        let missing = ObjectId::generate();
        for t in [token.as_str(), "garbage"] {
            let e = f.open(&missing, t, None).await.unwrap_err();
            assert_eq!(e.status, StatusCode::NOT_FOUND);
        }
        // Someone else's key is not found either.
        let mallory = Identity::new("domain:other").unwrap();
        let e = open(&f.store, &mallory, &key, &token, None)
            .await
            .unwrap_err();
        assert_eq!(e.status, StatusCode::NOT_FOUND);
        // Deactivated: the state refusal, for a good token and a malformed one alike.
        f.store
            .revoke(
                &f.owner,
                &key,
                RevokeRequest::new(RevocationReasonCode::UNSPECIFIED),
                Rules::REST,
            )
            .await
            .unwrap();
        let good = f.open(&key, &token, None).await.unwrap_err();
        let bad = f.open(&key, "garbage", None).await.unwrap_err();
        assert_eq!(good.status, StatusCode::CONFLICT);
        assert_eq!(good, bad);
        let e = seal(&f.store, &f.owner, &key, b"x", None)
            .await
            .unwrap_err();
        assert_eq!(e.status, StatusCode::CONFLICT);
        // Encrypt-only key: decrypt is a usage refusal, not the generic error.
        let encrypt_only = f.aes(256, CryptographicUsageMask::ENCRYPT).await;
        let token = f.seal(&encrypt_only, b"x", None).await;
        let e = f.open(&encrypt_only, &token, None).await.unwrap_err();
        assert_ne!(e, decryption_failed());
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
    }
}

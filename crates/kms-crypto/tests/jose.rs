//! JOSE with this crate as the backend of `jwk` (feature `jose`):
//!
//! - the RFC 7515 Appendix A and RFC 7520 §4 JWS examples verify (and the deterministic
//!   ones are reproduced byte for byte), the RFC 7520 §5.6 JWE decrypts;
//! - sign → verify through `jwk::jws` and `jwk::jwt` for every algorithm, JWE `dir`
//!   round trips for every AES size, the OVHcloud data-key blob (203 characters);
//! - key → JWK → key for RSA, EC, AES and HMAC keys, shortened members as the OVHcloud Go
//!   SDK writes them, inconsistent JWKs refused;
//! - tampered tokens refused with the one opaque error;
//! - Python `cryptography` loads the JWKs exported here and verifies or decrypts the tokens
//!   made here, and its tokens verify and decrypt here (skipped with a message when
//!   python3 or `cryptography` is missing, unless `CI` is set);
//! - property tests: random payloads for each family, JWE with random headers (the AAD).

#![cfg(feature = "jose")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write as _;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jwk::jwe::{self, CompactJwe};
use jwk::jws::{self, CompactJws};
use jwk::jwt::{self, Claims, Validation};
use jwk::{
    ContentEncryption, Error, JweHeader, Jwk, JwsAlgorithm, JwsHeader, JwsSigner, JwsVerifier,
    KeyOp, KeyUse, ParseOptions, TokenPolicy,
};
use kms_crypto::{
    AesKey, AesKeySize, CryptoError, EcCurve, HashAlgorithm, HmacKey, KeySpec, KmsJose,
    PointFormat, PrivateKey, PublicKey, RsaKeySize, RsaPrivateComponents, SignatureAlgorithm,
};

// ---------------------------------------------------------------------------------------
// Examples typed in from the RFCs (display line breaks removed, nothing else changed).

/// RFC 7515 A.1.1: the JWS payload, encoded; shared by A.1 to A.3.
const RFC7515_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";

/// RFC 7515 A.1.1: the decoded payload.
const RFC7515_PAYLOAD_JSON: &[u8] =
    b"{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

/// RFC 7515 A.1.1: header `{"typ":"JWT",\r\n "alg":"HS256"}`, key and HMAC.
const RFC7515_A1_HEADER: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
const RFC7515_A1_KEY: &str = r#"{"kty":"oct",
 "k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
}"#;
const RFC7515_A1_SIGNATURE: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// RFC 7515 A.2.1: header `{"alg":"RS256"}`, RSA key and signature.
const RFC7515_A2_HEADER: &str = "eyJhbGciOiJSUzI1NiJ9";
const RFC7515_A2_KEY: &str = r#"{"kty":"RSA",
 "n":"ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ",
 "e":"AQAB",
 "d":"Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ",
 "p":"4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc",
 "q":"uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc",
 "dp":"BwKfV3Akq5_MFZDFZCnW-wzl-CCo83WoZvnLQwCTeDv8uzluRSnm71I3QCLdhrqE2e9YkxvuxdBfpT_PI7Yz-FOKnu1R6HsJeDCjn12Sk3vmAktV2zb34MCdy7cpdTh_YVr7tss2u6vneTwrA86rZtu5Mbr1C1XsmvkxHQAdYo0",
 "dq":"h_96-mK1R_7glhsum81dZxjTnYynPbZpHziZjeeHcXYsXaaMwkOlODsWa7I9xXDoRwbKgB719rrmI2oKr6N3Do9U0ajaHF-NKJnwgjMd2w9cjz3_-kyNlxAr2v4IKhGNpmM5iIgOS1VZnOZ68m6_pbLBSp3nssTdlqvd0tIiTHU",
 "qi":"IYd7DHOhrWvxkwPQsRM2tOgrjbcrfvtQJipd-DlcxyVuuM9sQLdgjVk2oy26F0EmpScGLq2MowX7fhd_QJQ3ydy5cY7YIBi87w93IKLEdfnbJtoOPLUW0ITrJReOgo1cq9SbsxYawBgfp_gh6A5603k2-ZQwVK0JKSHuLFkuQ3U"
}"#;
const RFC7515_A2_SIGNATURE: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 A.3.1: header `{"alg":"ES256"}`, P-256 key and signature `r ‖ s`.
const RFC7515_A3_HEADER: &str = "eyJhbGciOiJFUzI1NiJ9";
const RFC7515_A3_KEY: &str = r#"{"kty":"EC",
 "crv":"P-256",
 "x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU",
 "y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0",
 "d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"
}"#;
const RFC7515_A3_SIGNATURE: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7515 A.4.1: header `{"alg":"ES512"}`, payload `Payload`, P-521 key and signature.
const RFC7515_A4_HEADER: &str = "eyJhbGciOiJFUzUxMiJ9";
const RFC7515_A4_PAYLOAD: &str = "UGF5bG9hZA";
const RFC7515_A4_KEY: &str = r#"{"kty":"EC",
 "crv":"P-521",
 "x":"AekpBQ8ST8a8VcfVOTNl353vSrDCLLJXmPk06wTjxrrjcBpXp5EOnYG_NjFZ6OvLFV1jSfS9tsz4qUxcWceqwQGk",
 "y":"ADSmRA43Z1DSNx_RvcLI87cdL07l6jQyyBXMoxVg_l2Th-x3S1WDhjDly79ajL4Kkd0AZMaZmh9ubmf63e3kyMj2",
 "d":"AY5pb7A0UFiB3RELSD64fTLOSV_jazdF7fLYyuTw8lOfRhWg6Y6rUrPAxerEzgdRhajnu0ferB0d53vM9mE15j2C"
}"#;
const RFC7515_A4_SIGNATURE: &str = "AdwMgeerwtHoh-l192l60hp9wAHZFVJbLfD_UxMi70cwnZOYaRI1bKPWROc-mZZqwqT2SI-KGDKB34XO0aw_7XdtAG8GaSwFKdCAPZgoXD2YBJZCPEX3xKpRwcdOO8KpEHwJjyqOgzDO7iKvU8vcnwNrmxYbSW9ERBXukOXolLzeO_Jn";

/// RFC 7520 §3.2: EC private key (P-521); its `d` starts with a zero octet.
const RFC7520_3_2: &str = r#"{
     "kty": "EC",
     "kid": "bilbo.baggins@hobbiton.example",
     "use": "sig",
     "crv": "P-521",
     "x": "AHKZLLOsCOzz5cY97ewNUajB957y-C-U88c3v13nmGZx6sYl_oJXu9A5RkTKqjqvjyekWF-7ytDyRXYgCF5cj0Kt",
     "y": "AdymlHvOiLxXkEhayXQnNCvDX4h9htZaCJN34kfmC6pV5OhQHiraVySsUdaQkAgDPrwQrJmbnX9cwlGfP-HqHZR1",
     "d": "AAhRON2r9cqXX1hg-RoI6R1tX5p2rUAYdmpHZoC1XNM56KtscrX6zbKipQrCW9CGZH3T4ubpnoTKLDYJ_fF3_rJt"
   }"#;

/// RFC 7520 §3.4: RSA private key.
const RFC7520_3_4: &str = r#"{
     "kty": "RSA",
     "kid": "bilbo.baggins@hobbiton.example",
     "use": "sig",
     "n": "n4EPtAOCc9AlkeQHPzHStgAbgs7bTZLwUBZdR8_KuKPEHLd4rHVTeT-O-XV2jRojdNhxJWTDvNd7nqQ0VEiZQHz_AJmSCpMaJMRBSFKrKb2wqVwGU_NsYOYL-QtiWN2lbzcEe6XC0dApr5ydQLrHqkHHig3RBordaZ6Aj-oBHqFEHYpPe7Tpe-OfVfHd1E6cS6M1FZcD1NNLYD5lFHpPI9bTwJlsde3uhGqC0ZCuEHg8lhzwOHrtIQbS0FVbb9k3-tVTU4fg_3L_vniUFAKwuCLqKnS2BYwdq_mzSnbLY7h_qixoR7jig3__kRhuaxwUkRz5iaiQkqgc5gHdrNP5zw",
     "e": "AQAB",
     "d": "bWUC9B-EFRIo8kpGfh0ZuyGPvMNKvYWNtB_ikiH9k20eT-O1q_I78eiZkpXxXQ0UTEs2LsNRS-8uJbvQ-A1irkwMSMkK1J3XTGgdrhCku9gRldY7sNA_AKZGh-Q661_42rINLRCe8W-nZ34ui_qOfkLnK9QWDDqpaIsA-bMwWWSDFu2MUBYwkHTMEzLYGqOe04noqeq1hExBTHBOBdkMXiuFhUq1BU6l-DqEiWxqg82sXt2h-LMnT3046AOYJoRioz75tSUQfGCshWTBnP5uDjd18kKhyv07lhfSJdrPdM5Plyl21hsFf4L_mHCuoFau7gdsPfHPxxjVOcOpBrQzwQ",
     "p": "3Slxg_DwTXJcb6095RoXygQCAZ5RnAvZlno1yhHtnUex_fp7AZ_9nRaO7HX_-SFfGQeutao2TDjDAWU4Vupk8rw9JR0AzZ0N2fvuIAmr_WCsmGpeNqQnev1T7IyEsnh8UMt-n5CafhkikzhEsrmndH6LxOrvRJlsPp6Zv8bUq0k",
     "q": "uKE2dh-cTf6ERF4k4e_jy78GfPYUIaUyoSSJuBzp3Cubk3OCqs6grT8bR_cu0Dm1MZwWmtdqDyI95HrUeq3MP15vMMON8lHTeZu2lmKvwqW7anV5UzhM1iZ7z4yMkuUwFWoBvyY898EXvRD-hdqRxHlSqAZ192zB3pVFJ0s7pFc",
     "dp": "B8PVvXkvJrj2L-GYQ7v3y9r6Kw5g9SahXBwsWUzp19TVlgI-YV85q1NIb1rxQtD-IsXXR3-TanevuRPRt5OBOdiMGQp8pbt26gljYfKU_E9xn-RULHz0-ed9E9gXLKD4VGngpz-PfQ_q29pk5xWHoJp009Qf1HvChixRX59ehik",
     "dq": "CLDmDGduhylc9o7r84rEUVn7pzQ6PF83Y-iBZx5NT-TpnOZKF1pErAMVeKzFEl41DlHHqqBLSM0W1sOFbwTxYWZDm6sI6og5iTbwQGIC3gnJKbi_7k_vJgGHwHxgPaX2PnvP-zyEkDERuf-ry4c_Z11Cq9AqC2yeL6kdKT1cYF8",
     "qi": "3PiqvXQN0zwMeE-sBvZgi289XP9XCQF3VWqPzMKnIgQp7_Tugo6-NZBKCQsMf3HaEGBjTVJs_jcK8-TRXvaKe-7ZMaQj8VfBdYkssbu0NKDDhjJ-GtiseaDVWt7dcH0cfwxgFUHpQh7FoCrjFJ6h6ZEpMF6xmujs4qMpPz8aaI4"
   }"#;

/// RFC 7520 §3.5: symmetric key for MAC computation.
const RFC7520_3_5: &str = r#"{
     "kty": "oct",
     "kid": "018c0ae5-4d9b-471b-bfd6-eef314bc7037",
     "use": "sig",
     "alg": "HS256",
     "k": "hJtXIZ2uSN5kbQfbtTNWbpdmhkV8FJG-Onbc6mxCcYg"
   }"#;

/// RFC 7520 §3.6: `k` of the symmetric encryption key, which starts with a zero octet.
const RFC7520_3_6_K: &str = "AAPapAv4LbFbiVawEjagUBluYqN5rhna-8nuldDvOx8";

/// RFC 7520 §4 (Figure 7): the JWS payload, with U+2019 apostrophes.
const RFC7520_4_PAYLOAD_TEXT: &str = "It\u{2019}s a dangerous business, Frodo, going out your door. You step onto the road, and if you don't keep your feet, there\u{2019}s no knowing where you might be swept off to.";

/// RFC 7520 §4.1.3 (Figure 13): RS256.
const RFC7520_4_1: &str = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.MRjdkly7_-oTPTS3AXP41iQIGKa80A0ZmTuV5MEaHoxnW2e5CZ5NlKtainoFmKZopdHM1O2U4mwzJdQx996ivp83xuglII7PNDi84wnB-BDkoBwA78185hX-Es4JIwmDLJK3lfWRa-XtL0RnltuYv746iYTh_qHRD68BNt1uSNCrUCTJDt5aAE6x8wW1Kt9eRo4QPocSadnHXFxnt8Is9UzpERV0ePPQdLuW3IS_de3xyIrDaLGdjluPxUAhb6L2aXic1U12podGU0KLUQSE_oI-ZnmKJ3F4uOZDnd6QZWJushZ41Axf_fcIe8u9ipH84ogoree7vjbU5y18kDquDg";

/// RFC 7520 §4.2.3 (Figure 20): PS384 (randomized: verify only).
const RFC7520_4_2: &str = "eyJhbGciOiJQUzM4NCIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.cu22eBqkYDKgIlTpzDXGvaFfz6WGoz7fUDcfT0kkOy42miAh2qyBzk1xEsnk2IpN6-tPid6VrklHkqsGqDqHCdP6O8TTB5dDDItllVo6_1OLPpcbUrhiUSMxbbXUvdvWXzg-UD8biiReQFlfz28zGWVsdiNAUf8ZnyPEgVFn442ZdNqiVJRmBqrYRXe8P_ijQ7p8Vdz0TTrxUeT3lm8d9shnr2lfJT8ImUjvAA2Xez2Mlp8cBE5awDzT0qI0n6uiP1aCN_2_jLAeQTlqRHtfa64QQSUmFAAjVKPbByi7xho0uTOcbH510a6GYmJUAfmWjwZ6oD4ifKo8DYM-X72Eaw";

/// RFC 7520 §4.3.3 (Figure 27): ES512 (randomized: verify only).
const RFC7520_4_3: &str = "eyJhbGciOiJFUzUxMiIsImtpZCI6ImJpbGJvLmJhZ2dpbnNAaG9iYml0b24uZXhhbXBsZSJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.AE_R_YZCChjn4791jSQCrdPZCNYqHXCTZH0-JZGYNlaAjP2kqaluUIIUnC9qvbu9Plon7KRTzoNEuT4Va2cmL1eJAQy3mtPBu_u_sDDyYjnAMDxXPn7XrT0lw-kvAD890jl8e2puQens_IEKBpHABlsbEPX6sFY8OcGDqoRuBomu9xQ2";

/// RFC 7520 §4.4.3 (Figure 34): HS256.
const RFC7520_4_4: &str = "eyJhbGciOiJIUzI1NiIsImtpZCI6IjAxOGMwYWU1LTRkOWItNDcxYi1iZmQ2LWVlZjMxNGJjNzAzNyJ9.SXTigJlzIGEgZGFuZ2Vyb3VzIGJ1c2luZXNzLCBGcm9kbywgZ29pbmcgb3V0IHlvdXIgZG9vci4gWW91IHN0ZXAgb250byB0aGUgcm9hZCwgYW5kIGlmIHlvdSBkb24ndCBrZWVwIHlvdXIgZmVldCwgdGhlcmXigJlzIG5vIGtub3dpbmcgd2hlcmUgeW91IG1pZ2h0IGJlIHN3ZXB0IG9mZiB0by4.s0h6KThzkfBBBkLspW1h84VsJZFTsPPqMDA7g1Md7p0";

/// RFC 7520 §5 (Figure 72): the JWE plaintext, with U+2013 en dashes.
const RFC7520_5_PLAINTEXT: &str = "You can trust us to stick with you through thick and thin\u{2013}to the bitter end. And you can trust us to keep any secret of yours\u{2013}closer than you keep it yourself. But you cannot trust us to let you face trouble alone, and go off without a word. We are your friends, Frodo.";

/// RFC 7520 §5.6.1 (Figure 130): the AES-128 key for direct encryption.
const RFC7520_5_6_KEY: &str = r#"{
     "kty": "oct",
     "kid": "77c7e2b8-6e13-45cf-8672-617b5b45243a",
     "use": "enc",
     "alg": "A128GCM",
     "k": "XctOhJAkA-pD9Lh7ZgW_2A"
   }"#;

/// RFC 7520 §5.6.4 (Figure 136): dir + A128GCM, compact.
const RFC7520_5_6: &str = "eyJhbGciOiJkaXIiLCJraWQiOiI3N2M3ZTJiOC02ZTEzLTQ1Y2YtODY3Mi02MTdiNWI0NTI0M2EiLCJlbmMiOiJBMTI4R0NNIn0..refa467QzzKx6QAB.JW_i_f52hww_ELQPGaYyeAB6HYGcR559l9TYnSovc23XJoBcW29rHP8yZOZG7YhLpT1bjFuvZPjQS-m0IFtVcXkZXdH_lr_FrdYt9HRUYkshtrMmIUAyGmUnd9zMDB2n0cRDIHAzFVeJUDxkUwVAE7_YGRPdcqMyiBoCO-FBdE-Nceb4h3-FtBP-c_BIwCPTjb9o0SbdcdREEMJMyZBH8ySWMVi1gPD9yxi-aQpGbSv_F9N4IZAxscj5g-NJsUPbjk29-s7LJAGb15wEBtXphVCgyy53CoIKLHHeJHXex45Uz9aKZSRSInZI-wjsY0yu3cT4_aQ3i1o-tiE-F8Ios61EKgyIQ4CWao8PFMj8TTnp.vbb32Xvllea2OtmHAdccRQ";

// ---------------------------------------------------------------------------------------
// Helpers

fn b64e(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn b64d(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap()
}

fn policy() -> TokenPolicy {
    TokenPolicy::new()
}

/// One RSA 2048 key for the whole file: generating one takes a while.
fn rsa_key() -> &'static PrivateKey {
    static KEY: OnceLock<PrivateKey> = OnceLock::new();
    KEY.get_or_init(|| PrivateKey::generate(KeySpec::Rsa(RsaKeySize::Rsa2048)).unwrap())
}

fn ec_key(curve: EcCurve) -> &'static PrivateKey {
    static KEYS: OnceLock<[PrivateKey; 3]> = OnceLock::new();
    let keys =
        KEYS.get_or_init(|| EcCurve::NIST.map(|c| PrivateKey::generate(KeySpec::Ec(c)).unwrap()));
    &keys[EcCurve::NIST.iter().position(|c| *c == curve).unwrap()]
}

/// The key for an RS*, PS* or ES* algorithm.
fn signing_key(alg: SignatureAlgorithm) -> &'static PrivateKey {
    match alg.curve() {
        Some(curve) => ec_key(curve),
        None => rsa_key(),
    }
}

fn hmac_hash(alg: JwsAlgorithm) -> HashAlgorithm {
    match alg {
        JwsAlgorithm::Hs256 => HashAlgorithm::Sha256,
        JwsAlgorithm::Hs384 => HashAlgorithm::Sha384,
        _ => HashAlgorithm::Sha512,
    }
}

fn hmac_key(alg: JwsAlgorithm) -> HmacKey {
    HmacKey::generate(hmac_hash(alg)).unwrap()
}

const HMAC_ALGORITHMS: [JwsAlgorithm; 3] = [
    JwsAlgorithm::Hs256,
    JwsAlgorithm::Hs384,
    JwsAlgorithm::Hs512,
];

/// Signs `payload` under `alg` with `key` and verifies it with `verifier`.
fn jws_round_trip<S, V>(alg: JwsAlgorithm, key: &S, verifier: &V, payload: &[u8])
where
    S: ?Sized,
    V: ?Sized,
    KmsJose: JwsSigner<S> + JwsVerifier<V>,
{
    let header = JwsHeader::builder(alg).kid("k-1").build().unwrap();
    let token = jws::sign(&KmsJose, key, &header, payload).unwrap();
    let parsed = CompactJws::parse(&token, &policy()).unwrap();
    assert_eq!(parsed.header().kid(), Some("k-1"));
    if let Some(len) = alg.fixed_signature_len() {
        assert_eq!(parsed.signature().len(), len, "{alg}");
    }
    assert_eq!(parsed.verify(&KmsJose, verifier, alg).unwrap(), payload);

    let detached = jws::sign_detached(&KmsJose, key, &header, payload).unwrap();
    let parsed = CompactJws::parse(&detached, &policy()).unwrap();
    parsed
        .verify_detached(&KmsJose, verifier, alg, payload)
        .unwrap();
}

/// Every change a forger could make to `token` is refused with `Error::InvalidSignature`.
fn assert_tampering_refused<V>(token: &str, verifier: &V, alg: JwsAlgorithm)
where
    V: ?Sized,
    KmsJose: JwsVerifier<V>,
{
    let refused = |forged: &str| {
        let parsed = CompactJws::parse(forged, &policy()).unwrap();
        assert_eq!(
            parsed.verify(&KmsJose, verifier, alg).unwrap_err(),
            Error::InvalidSignature,
            "{alg}: {forged}"
        );
    };
    let mut parts = token.split('.');
    let (header, payload, signature) = (
        parts.next().unwrap(),
        parts.next().unwrap(),
        b64d(parts.next().unwrap()),
    );
    // Each bit of the first, a middle and the last signature octet.
    for at in [0, signature.len() / 2, signature.len() - 1] {
        for bit in 0..8 {
            let mut forged = signature.clone();
            forged[at] ^= 1 << bit;
            refused(&format!("{header}.{payload}.{}", b64e(&forged)));
        }
    }
    refused(&format!("{header}.{payload}.{}", b64e(&signature[1..])));
    refused(&format!("{header}.{payload}."));
    refused(&format!("{header}.{}.{}", b64e(b"other"), b64e(&signature)));
    let other_header = JwsHeader::builder(alg).kid("other").build().unwrap();
    refused(&format!(
        "{}.{payload}.{}",
        other_header.encoded(),
        b64e(&signature)
    ));
}

// ---------------------------------------------------------------------------------------
// RFC examples

/// Signs the RFC's own header and payload and compares with the RFC's token.
fn reproduces<K: ?Sized>(key: &K, header: &str, payload: &str, expected: &str)
where
    KmsJose: JwsSigner<K>,
{
    let header = JwsHeader::parse(header, &policy()).unwrap();
    let token = jws::sign(&KmsJose, key, &header, &b64d(payload)).unwrap();
    assert_eq!(token, expected);
}

fn verifies<K: ?Sized>(token: &str, key: &K, alg: JwsAlgorithm) -> Vec<u8>
where
    KmsJose: JwsVerifier<K>,
{
    let parsed = CompactJws::parse(token, &policy()).unwrap();
    parsed.verify(&KmsJose, key, alg).unwrap().to_vec()
}

fn public_of(jwk: &Jwk) -> PublicKey {
    PublicKey::from_jwk(&jwk.to_public().unwrap()).unwrap()
}

#[test]
fn rfc7515_a1_hs256_is_reproduced() {
    let jwk = Jwk::from_json(RFC7515_A1_KEY).unwrap();
    let key = HmacKey::from_jwk(&jwk, HashAlgorithm::Sha256).unwrap();
    let token = format!("{RFC7515_A1_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A1_SIGNATURE}");
    reproduces(&key, RFC7515_A1_HEADER, RFC7515_PAYLOAD, &token);
    assert_eq!(
        verifies(&token, &key, JwsAlgorithm::Hs256),
        RFC7515_PAYLOAD_JSON
    );
    assert_tampering_refused(&token, &key, JwsAlgorithm::Hs256);
    let (_, claims) = jwt::verify(&token, &policy(), &KmsJose, &key, JwsAlgorithm::Hs256).unwrap();
    assert_eq!(claims.iss(), Some("joe"));
}

#[test]
fn rfc7515_a2_rs256_is_reproduced_and_verifies() {
    let jwk = Jwk::from_json(RFC7515_A2_KEY).unwrap();
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    let token = format!("{RFC7515_A2_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A2_SIGNATURE}");
    reproduces(&key, RFC7515_A2_HEADER, RFC7515_PAYLOAD, &token);
    let public = public_of(&jwk);
    assert_eq!(public, key.public_key());
    assert_eq!(
        verifies(&token, &public, JwsAlgorithm::Rs256),
        RFC7515_PAYLOAD_JSON
    );
    assert_tampering_refused(&token, &public, JwsAlgorithm::Rs256);
}

#[test]
fn rfc7515_a3_es256_verifies() {
    let jwk = Jwk::from_json(RFC7515_A3_KEY).unwrap();
    let public = public_of(&jwk);
    let token = format!("{RFC7515_A3_HEADER}.{RFC7515_PAYLOAD}.{RFC7515_A3_SIGNATURE}");
    assert_eq!(
        verifies(&token, &public, JwsAlgorithm::Es256),
        RFC7515_PAYLOAD_JSON
    );
    assert_tampering_refused(&token, &public, JwsAlgorithm::Es256);
    // Our own signature over the same input, with the imported private key.
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    let header = JwsHeader::parse(RFC7515_A3_HEADER, &policy()).unwrap();
    let ours = jws::sign(&KmsJose, &key, &header, &b64d(RFC7515_PAYLOAD)).unwrap();
    assert_eq!(b64d(ours.rsplit('.').next().unwrap()).len(), 64);
    verifies(&ours, &public, JwsAlgorithm::Es256);
}

#[test]
fn rfc7515_a4_es512_verifies() {
    let jwk = Jwk::from_json(RFC7515_A4_KEY).unwrap();
    let token = format!("{RFC7515_A4_HEADER}.{RFC7515_A4_PAYLOAD}.{RFC7515_A4_SIGNATURE}");
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    assert_eq!(verifies(&token, &key, JwsAlgorithm::Es512), b"Payload");
    assert_tampering_refused(&token, &public_of(&jwk), JwsAlgorithm::Es512);
}

#[test]
fn rfc7520_4_1_rs256_is_reproduced_and_verifies() {
    let jwk = Jwk::from_json(RFC7520_3_4).unwrap();
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    let (header, rest) = RFC7520_4_1.split_once('.').unwrap();
    let (payload, _) = rest.split_once('.').unwrap();
    reproduces(&key, header, payload, RFC7520_4_1);
    let text = verifies(RFC7520_4_1, &public_of(&jwk), JwsAlgorithm::Rs256);
    assert_eq!(text, RFC7520_4_PAYLOAD_TEXT.as_bytes());
    assert_tampering_refused(RFC7520_4_1, &public_of(&jwk), JwsAlgorithm::Rs256);
}

#[test]
fn rfc7520_4_2_ps384_verifies() {
    let jwk = Jwk::from_json(RFC7520_3_4).unwrap();
    let public = public_of(&jwk);
    let text = verifies(RFC7520_4_2, &public, JwsAlgorithm::Ps384);
    assert_eq!(text, RFC7520_4_PAYLOAD_TEXT.as_bytes());
    assert_tampering_refused(RFC7520_4_2, &public, JwsAlgorithm::Ps384);
}

#[test]
fn rfc7520_4_3_es512_verifies() {
    let jwk = Jwk::from_json(RFC7520_3_2).unwrap();
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    let public = public_of(&jwk);
    assert_eq!(key.public_key(), public);
    let text = verifies(RFC7520_4_3, &public, JwsAlgorithm::Es512);
    assert_eq!(text, RFC7520_4_PAYLOAD_TEXT.as_bytes());
    assert_tampering_refused(RFC7520_4_3, &public, JwsAlgorithm::Es512);
}

#[test]
fn rfc7520_4_4_hs256_is_reproduced() {
    let jwk = Jwk::from_json(RFC7520_3_5).unwrap();
    let key = HmacKey::from_jwk(&jwk, HashAlgorithm::Sha256).unwrap();
    let (header, rest) = RFC7520_4_4.split_once('.').unwrap();
    let (payload, _) = rest.split_once('.').unwrap();
    reproduces(&key, header, payload, RFC7520_4_4);
    assert_tampering_refused(RFC7520_4_4, &key, JwsAlgorithm::Hs256);
    // The key's `alg` is HS256: it is not an HMAC-SHA-384 key.
    assert!(HmacKey::from_jwk(&jwk, HashAlgorithm::Sha384).is_err());
}

#[test]
fn rfc7520_5_6_dir_a128gcm_decrypts() {
    let jwk = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    let key = AesKey::from_jwk(&jwk).unwrap();
    let parsed = CompactJwe::parse(RFC7520_5_6, &policy()).unwrap();
    assert_eq!(parsed.header().enc(), ContentEncryption::A128Gcm);
    let plaintext = parsed.decrypt(&KmsJose, &key).unwrap();
    assert_eq!(plaintext.expose(), RFC7520_5_PLAINTEXT.as_bytes());
}

// ---------------------------------------------------------------------------------------
// Round trips through jws, jwt and jwe

#[test]
fn every_algorithm_signs_and_verifies_through_jws() {
    for alg in SignatureAlgorithm::ALL {
        let key = signing_key(alg);
        let jose = JwsAlgorithm::from(alg);
        // The verifier is the public key as a relying party gets it: through its JWK.
        let public = PublicKey::from_jwk(&key.public_key().to_jwk().unwrap()).unwrap();
        for payload in [&b""[..], b"x", RFC7520_4_PAYLOAD_TEXT.as_bytes()] {
            jws_round_trip(jose, key, &public, payload);
            jws_round_trip(jose, key, key, payload);
        }
    }
    for alg in HMAC_ALGORITHMS {
        let key = hmac_key(alg);
        jws_round_trip(alg, &key, &key, b"a MAC, not a signature");
    }
}

/// Signs `claims` as a JWT under `alg` and verifies and validates it with `verifier`.
fn jwt_round_trip<S, V>(alg: JwsAlgorithm, key: &S, verifier: &V, claims: &Claims)
where
    S: ?Sized,
    V: ?Sized,
    KmsJose: JwsSigner<S> + JwsVerifier<V>,
{
    let header = JwsHeader::builder(alg).typ("JWT").build().unwrap();
    let token = jwt::sign(&KmsJose, key, &header, claims).unwrap();
    let (header, got) = jwt::verify(&token, &policy(), &KmsJose, verifier, alg).unwrap();
    assert_eq!(header.header().typ(), Some("JWT"));
    assert_eq!(&got, claims, "{alg}");
    let rules = Validation::at(1_900_000_000).issuer("kms").audience("okms");
    got.validate(&rules).unwrap();
    assert!(got.validate(&Validation::at(2_000_000_000)).is_err());
}

#[test]
fn every_algorithm_signs_and_verifies_jwts() {
    let claims = Claims::new()
        .issuer("kms")
        .unwrap()
        .subject("service-key")
        .unwrap()
        .audience("okms")
        .unwrap()
        .expires_at(2_000_000_000)
        .unwrap()
        .claim("x-key-ver", 0)
        .unwrap();
    for alg in SignatureAlgorithm::ALL {
        let key = signing_key(alg);
        jwt_round_trip(alg.into(), key, &key.public_key(), &claims);
    }
    for alg in HMAC_ALGORITHMS {
        let key = hmac_key(alg);
        jwt_round_trip(alg, &key, &key, &claims);
    }
}

#[test]
fn a_key_that_does_not_fit_the_algorithm_is_refused() {
    let p256 = ec_key(EcCurve::P256);
    let header = |alg| JwsHeader::builder(alg).build().unwrap();
    for alg in [
        JwsAlgorithm::Es384,
        JwsAlgorithm::Rs256,
        JwsAlgorithm::Hs256,
    ] {
        assert!(matches!(
            jws::sign(&KmsJose, p256, &header(alg), b"m"),
            Err(Error::Crypto(jwk::CryptoError::Key(_)))
        ));
    }
    // A P-256 signature checked with a P-384 key: the key is refused, not the signature.
    let token = jws::sign(&KmsJose, p256, &header(JwsAlgorithm::Es256), b"m").unwrap();
    let parsed = CompactJws::parse(&token, &policy()).unwrap();
    let p384 = ec_key(EcCurve::P384).public_key();
    assert!(matches!(
        parsed.verify(&KmsJose, &p384, JwsAlgorithm::Es256),
        Err(Error::Crypto(jwk::CryptoError::Key(_)))
    ));
    // The token does not choose its algorithm.
    assert!(matches!(
        parsed.verify(&KmsJose, &p256.public_key(), JwsAlgorithm::Es384),
        Err(Error::AlgorithmNotAllowed(_))
    ));
    // Another key of the right kind: the signature is simply invalid.
    let other = PrivateKey::generate(KeySpec::Ec(EcCurve::P256)).unwrap();
    assert_eq!(
        parsed
            .verify(&KmsJose, &other.public_key(), JwsAlgorithm::Es256)
            .unwrap_err(),
        Error::InvalidSignature
    );
    // HMAC: a key bound to SHA-256 does not serve HS512, nor a 31-octet key HS256.
    let key = HmacKey::generate(HashAlgorithm::Sha256).unwrap();
    assert!(jws::sign(&KmsJose, &key, &header(JwsAlgorithm::Hs512), b"m").is_err());
    let short = HmacKey::from_slice(HashAlgorithm::Sha256, &[1; 31]).unwrap();
    assert!(jws::sign(&KmsJose, &short, &header(JwsAlgorithm::Hs256), b"m").is_err());
}

#[test]
fn legacy_rsa_keys_do_not_verify_jws() {
    use rsa::pkcs8::EncodePublicKey as _;
    let legacy = rsa::PrivateKey::new(&mut getrandom::SysRng, 1024).unwrap();
    let spki = legacy.to_public_key().to_public_key_der().unwrap();
    let public =
        PublicKey::from_legacy_rsa_der(kms_crypto::PublicKeyFormat::Spki, spki.as_bytes()).unwrap();
    assert!(public.is_legacy());
    assert!(matches!(
        KmsJose.verify(JwsAlgorithm::Rs256, &public, b"m", &[0; 128]),
        Err(jwk::CryptoError::Key(_))
    ));
}

const AES_SIZES: [AesKeySize; 3] = [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256];

#[test]
fn jwe_dir_round_trips_for_every_aes_size() {
    for size in AES_SIZES {
        let key = AesKey::generate(size).unwrap();
        let enc = ContentEncryption::from(size);
        let header = JweHeader::builder(enc).kid("kid-1").build().unwrap();
        for plaintext in [&b""[..], b"x", RFC7520_5_PLAINTEXT.as_bytes()] {
            let token = jwe::encrypt(&KmsJose, &key, &header, plaintext).unwrap();
            let parts: Vec<&str> = token.split('.').collect();
            assert_eq!(parts.len(), 5);
            assert_eq!(parts[1], "", "dir: no encrypted key");
            assert_eq!(b64d(parts[2]).len(), 12, "96-bit IV");
            assert_eq!(b64d(parts[4]).len(), 16, "128-bit tag");
            let parsed = CompactJwe::parse(&token, &policy()).unwrap();
            assert_eq!(parsed.header().enc(), enc);
            assert_eq!(parsed.decrypt(&KmsJose, &key).unwrap().expose(), plaintext);
        }
        // Two encryptions of the same plaintext use two IVs.
        let a = jwe::encrypt(&KmsJose, &key, &header, b"same").unwrap();
        let b = jwe::encrypt(&KmsJose, &key, &header, b"same").unwrap();
        assert_ne!(a.split('.').nth(2), b.split('.').nth(2));
    }
}

#[test]
fn jwe_key_size_must_match_enc() {
    let key = AesKey::generate(AesKeySize::Aes128).unwrap();
    let header = JweHeader::builder(ContentEncryption::A256Gcm)
        .build()
        .unwrap();
    assert!(matches!(
        jwe::encrypt(&KmsJose, &key, &header, b"m"),
        Err(Error::Crypto(jwk::CryptoError::Key(_)))
    ));
    let a128 = JweHeader::builder(ContentEncryption::A128Gcm)
        .build()
        .unwrap();
    let token = jwe::encrypt(&KmsJose, &key, &a128, b"m").unwrap();
    let wrong_size = AesKey::generate(AesKeySize::Aes256).unwrap();
    let parsed = CompactJwe::parse(&token, &policy()).unwrap();
    assert_eq!(
        parsed.decrypt(&KmsJose, &wrong_size).unwrap_err(),
        Error::DecryptionFailed
    );
}

const DATA_KEY_KID: &str = "2f0d6c1e-8a54-4b7b-9a0e-5c3d2b1a0f9e";

/// The header of an OVHcloud data key (notes §1.5), member order included.
fn okms_data_key_header() -> JweHeader {
    JweHeader::builder(ContentEncryption::A256Gcm)
        .kid(DATA_KEY_KID)
        .member("x-key-ver", 0)
        .build()
        .unwrap()
}

#[test]
fn okms_data_key_blob_is_203_characters_and_decrypts() {
    let service_key = AesKey::generate(AesKeySize::Aes256).unwrap();
    let data_key = AesKey::generate(AesKeySize::Aes256).unwrap();
    let header = okms_data_key_header();
    let blob = jwe::encrypt(&KmsJose, &service_key, &header, data_key.expose()).unwrap();
    assert_eq!(blob.len(), 203);
    let header_json = String::from_utf8(b64d(blob.split('.').next().unwrap())).unwrap();
    assert_eq!(
        header_json,
        format!(r#"{{"alg":"dir","enc":"A256GCM","kid":"{DATA_KEY_KID}","x-key-ver":0}}"#)
    );
    let parts: Vec<&str> = blob.split('.').collect();
    assert_eq!(
        parts.iter().map(|p| b64d(p).len()).collect::<Vec<_>>(),
        [88, 0, 12, 32, 16]
    );

    let parsed = CompactJwe::parse(&blob, &policy()).unwrap();
    assert_eq!(parsed.header().kid(), Some(DATA_KEY_KID));
    assert_eq!(
        parsed
            .header()
            .header()
            .get("x-key-ver")
            .and_then(|v| v.as_u64()),
        Some(0)
    );
    let plaintext = parsed.decrypt(&KmsJose, &service_key).unwrap();
    assert_eq!(plaintext.expose(), data_key.expose());
    assert!(AesKey::from_slice(plaintext.expose()).is_ok());
}

#[test]
fn tampered_jwe_is_refused_with_the_one_error() {
    let key = AesKey::generate(AesKeySize::Aes256).unwrap();
    let blob = jwe::encrypt(&KmsJose, &key, &okms_data_key_header(), b"a data key").unwrap();
    let refused = |forged: &str, key: &AesKey| {
        let parsed = CompactJwe::parse(forged, &policy()).unwrap();
        assert_eq!(
            parsed.decrypt(&KmsJose, key).unwrap_err(),
            Error::DecryptionFailed,
            "{forged}"
        );
    };
    let parts: Vec<String> = blob.split('.').map(str::to_owned).collect();
    // Every bit of the IV, the ciphertext and the tag.
    for part in 2..5 {
        let bytes = b64d(&parts[part]);
        for at in 0..bytes.len() {
            for bit in 0..8 {
                let mut forged_bytes = bytes.clone();
                forged_bytes[at] ^= 1 << bit;
                let mut forged = parts.clone();
                forged[part] = b64e(&forged_bytes);
                refused(&forged.join("."), &key);
            }
        }
    }
    // Another header (the AAD): a different key version.
    let mut forged = parts.clone();
    forged[0] = JweHeader::builder(ContentEncryption::A256Gcm)
        .kid(DATA_KEY_KID)
        .member("x-key-ver", 1)
        .build()
        .unwrap()
        .encoded()
        .to_owned();
    refused(&forged.join("."), &key);
    // A non-empty encrypted key, a truncated ciphertext, another key.
    let mut forged = parts.clone();
    forged[1] = b64e(&[0; 32]);
    refused(&forged.join("."), &key);
    let mut forged = parts.clone();
    forged[3] = b64e(&b64d(&parts[3])[1..]);
    refused(&forged.join("."), &key);
    refused(&blob, &AesKey::generate(AesKeySize::Aes256).unwrap());
}

// ---------------------------------------------------------------------------------------
// Keys ⇄ JWKs

/// Private key → JWK → JSON → JWK → private key gives the same key.
fn private_round_trip(key: &PrivateKey) -> Jwk {
    let jwk = key.to_jwk().unwrap();
    assert!(jwk.has_private());
    assert!(jwk.kid().is_none() && jwk.alg().is_none() && jwk.key_use().is_none());
    let json = jwk.to_private_json().unwrap();
    let back = PrivateKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
    assert_eq!(back.key_type(), key.key_type());
    assert_eq!(back.public_key(), key.public_key());
    assert_eq!(*back.to_jwk().unwrap().to_private_json().unwrap(), *json);
    jwk
}

#[test]
fn private_keys_round_trip_through_jwks() {
    let jwk = private_round_trip(rsa_key());
    let json = jwk.to_private_json().unwrap();
    for member in [
        "\"n\"", "\"e\"", "\"d\"", "\"p\"", "\"q\"", "\"dp\"", "\"dq\"", "\"qi\"",
    ] {
        assert!(json.contains(member), "{member}");
    }
    let components = rsa_key().rsa_components().unwrap();
    let jwk::KeyParams::Rsa(rsa) = jwk.params() else {
        panic!("not RSA")
    };
    assert_eq!(rsa.n(), components.n);
    assert_eq!(rsa.e(), [1, 0, 1]);
    assert_eq!(rsa.modulus_bits(), 2048);

    for curve in EcCurve::NIST {
        let key = ec_key(curve);
        let jwk = private_round_trip(key);
        let jwk::KeyParams::Ec(ec) = jwk.params() else {
            panic!("not EC")
        };
        assert_eq!(ec.curve().name(), curve.jose_name());
        assert_eq!(ec.d().unwrap().expose(), key.ec_scalar().unwrap().expose());
        assert_eq!(ec.d().unwrap().len(), curve.scalar_len());
        assert_eq!(
            ec.sec1_uncompressed(),
            key.public_key()
                .ec_point(PointFormat::Uncompressed)
                .unwrap()
        );
    }
}

#[test]
fn public_keys_round_trip_through_jwks() {
    for key in [rsa_key()].into_iter().chain(EcCurve::NIST.map(ec_key)) {
        let public = key.public_key();
        let jwk = public.to_jwk().unwrap();
        assert!(!jwk.has_private());
        let json = jwk.to_json().unwrap();
        let back = PublicKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
        assert_eq!(back, public);
        // The public JWK is the public part of the private JWK.
        let from_private = key.to_jwk().unwrap().to_public().unwrap();
        assert_eq!(from_private.to_json().unwrap(), json);
        assert_eq!(from_private.thumbprint_sha256(), jwk.thumbprint_sha256());
    }
}

#[test]
fn secp256k1_keys_have_no_jwk() {
    // The OVHcloud API and the `jwk` crate name the NIST curves only.
    let key = PrivateKey::generate(KeySpec::Ec(EcCurve::Secp256k1)).unwrap();
    assert!(matches!(key.to_jwk(), Err(CryptoError::Unsupported(_))));
    assert!(matches!(
        key.public_key().to_jwk(),
        Err(CryptoError::Unsupported(_))
    ));
}

#[test]
fn aes_and_hmac_keys_round_trip_through_jwks() {
    for size in AES_SIZES {
        let key = AesKey::generate(size).unwrap();
        let jwk = key.to_jwk().unwrap();
        let json = jwk.to_private_json().unwrap();
        let back = AesKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
        assert_eq!(back.size(), size);
        assert_eq!(back.expose(), key.expose());
        // With the `alg` a caller would add.
        let labelled = jwk.with_alg(ContentEncryption::from(size)).unwrap();
        let json = labelled.to_private_json().unwrap();
        assert!(json.contains(ContentEncryption::from(size).name()));
        let back = AesKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
        assert_eq!(back.expose(), key.expose());
        assert!(HmacKey::from_jwk(&labelled, HashAlgorithm::Sha256).is_err());
    }
    for alg in HMAC_ALGORITHMS {
        let key = hmac_key(alg);
        let jwk = key.to_jwk().unwrap().with_alg(alg).unwrap();
        let json = jwk.to_private_json().unwrap();
        let back = HmacKey::from_jwk(&Jwk::from_json(&json).unwrap(), key.algorithm()).unwrap();
        assert_eq!(back.expose(), key.expose());
        assert_eq!(back.algorithm(), key.algorithm());
        assert!(
            AesKey::from_jwk(&jwk).is_err(),
            "an HS* key is not an AES key"
        );
    }
}

#[test]
fn metadata_is_set_by_the_caller_and_checked_by_jwk() {
    let key = ec_key(EcCurve::P256);
    let jwk = key
        .public_key()
        .to_jwk()
        .unwrap()
        .with_kid("0b5c6c52-4f1b-4b5e-9a25-3f2f2f1e5d8c")
        .with_use(KeyUse::Sig)
        .unwrap()
        .with_key_ops(vec![KeyOp::Verify])
        .unwrap()
        .with_alg(JwsAlgorithm::Es256)
        .unwrap();
    let json = jwk.to_json().unwrap();
    assert!(json.starts_with(
        r#"{"kty":"EC","use":"sig","key_ops":["verify"],"alg":"ES256","kid":"0b5c6c52-"#
    ));
    // The metadata does not change the key.
    assert_eq!(PublicKey::from_jwk(&jwk).unwrap(), key.public_key());
    // `jwk` checks it against the key.
    let p256 = key.public_key().to_jwk().unwrap();
    assert!(p256.with_alg(JwsAlgorithm::Es384).is_err());
    let aes = AesKey::generate(AesKeySize::Aes128)
        .unwrap()
        .to_jwk()
        .unwrap();
    assert!(aes.with_alg(ContentEncryption::A256Gcm).is_err());
}

/// A JWK of `key` with every fixed-size member (`x`, `y`, `d`) written without its leading
/// zero octets, as the OVHcloud Go SDK writes them.
fn stripped_ec_jwk(key: &PrivateKey, curve: EcCurve) -> String {
    let strip = |bytes: &[u8]| {
        let start = bytes.iter().take_while(|b| **b == 0).count();
        b64e(&bytes[start..])
    };
    let point = key
        .public_key()
        .ec_point(PointFormat::Uncompressed)
        .unwrap();
    let (x, y) = point[1..].split_at(curve.scalar_len());
    let d = key.ec_scalar().unwrap();
    format!(
        r#"{{"kty":"EC","crv":"{}","x":"{}","y":"{}","d":"{}"}}"#,
        curve.jose_name(),
        strip(x),
        strip(y),
        strip(d.expose())
    )
}

/// Generates keys until `pick` accepts one (for P-256, a zero first octet of `x`, `y` or
/// `d` comes once in 256 keys).
fn key_where(curve: EcCurve, pick: impl Fn(&[u8], &[u8], &[u8]) -> bool) -> PrivateKey {
    for _ in 0..100_000 {
        let key = PrivateKey::generate(KeySpec::Ec(curve)).unwrap();
        let point = key
            .public_key()
            .ec_point(PointFormat::Uncompressed)
            .unwrap();
        let (x, y) = point[1..].split_at(curve.scalar_len());
        if pick(x, y, key.ec_scalar().unwrap().expose()) {
            return key;
        }
    }
    panic!("no such key in 100000 tries");
}

#[test]
fn ec_jwks_with_stripped_leading_zeros_import() {
    let cases = [
        (EcCurve::P256, key_where(EcCurve::P256, |x, _, _| x[0] == 0)),
        (EcCurve::P256, key_where(EcCurve::P256, |_, y, _| y[0] == 0)),
        (EcCurve::P256, key_where(EcCurve::P256, |_, _, d| d[0] == 0)),
        (
            EcCurve::P384,
            key_where(EcCurve::P384, |x, y, d| x[0] == 0 || y[0] == 0 || d[0] == 0),
        ),
        // P-521 values are 66 octets for 521 bits: the first octet is 0 or 1.
        (
            EcCurve::P521,
            key_where(EcCurve::P521, |x, y, d| x[0] == 0 && y[0] == 0 && d[0] == 0),
        ),
    ];
    for (curve, key) in cases {
        let json = stripped_ec_jwk(&key, curve);
        let full = key.to_jwk().unwrap();
        assert!(json.len() < full.to_private_json().unwrap().len(), "{json}");
        let jwk = Jwk::from_json(&json).unwrap();
        let private = PrivateKey::from_jwk(&jwk).unwrap();
        assert_eq!(private.public_key(), key.public_key());
        assert_eq!(
            private.ec_scalar().unwrap().expose(),
            key.ec_scalar().unwrap().expose()
        );
        let public = PublicKey::from_jwk(&jwk.to_public().unwrap()).unwrap();
        assert_eq!(public, key.public_key());
    }
    // The RFC 7520 §3.2 P-521 key, with the leading zero octets of `x` and `d` dropped.
    let jwk = Jwk::from_json(RFC7520_3_2).unwrap();
    let key = PrivateKey::from_jwk(&jwk).unwrap();
    let shortened = Jwk::from_json(&stripped_ec_jwk(&key, EcCurve::P521)).unwrap();
    assert_eq!(
        PrivateKey::from_jwk(&shortened).unwrap().public_key(),
        key.public_key()
    );
}

#[test]
fn oct_jwk_with_a_stripped_leading_zero_imports_when_the_size_is_known() {
    let full = b64d(RFC7520_3_6_K);
    assert_eq!((full.len(), full[0]), (32, 0));
    let short_k = b64e(&full[1..]);

    // The size from the JWK's `alg`: `jwk` pads it back.
    let with_alg = Jwk::from_json(&format!(
        r#"{{"kty":"oct","alg":"A256GCM","k":"{short_k}"}}"#
    ))
    .unwrap();
    assert_eq!(AesKey::from_jwk(&with_alg).unwrap().expose(), full);

    // The size from the caller, at parse time or at import time.
    let bare = format!(r#"{{"kty":"oct","k":"{short_k}"}}"#);
    let parsed = ParseOptions::new().oct_key_len(32).parse(&bare).unwrap();
    assert_eq!(AesKey::from_jwk(&parsed).unwrap().expose(), full);
    let jwk = Jwk::from_json(&bare).unwrap();
    assert!(
        AesKey::from_jwk(&jwk).is_err(),
        "31 octets, size unknown: not guessed"
    );
    let key = AesKey::from_jwk_sized(&jwk, AesKeySize::Aes256).unwrap();
    assert_eq!(key.expose(), full);
    assert!(AesKey::from_jwk_sized(&jwk, AesKeySize::Aes128).is_err());
    assert!(AesKey::from_jwk_sized(&jwk, AesKeySize::Aes192).is_err());
}

/// A private RSA JWK written by hand from `c`, every integer encoded by `encode`.
fn rsa_private_json(c: &RsaPrivateComponents, encode: impl Fn(&[u8]) -> String) -> String {
    let crt = |v: &Option<kms_crypto::Secret>| encode(v.as_ref().unwrap().expose());
    format!(
        r#"{{"kty":"RSA","n":"{}","e":"{}","d":"{}","p":"{}","q":"{}","dp":"{}","dq":"{}","qi":"{}"}}"#,
        encode(&c.n),
        encode(&c.e),
        encode(c.d.expose()),
        crt(&c.p),
        crt(&c.q),
        crt(&c.dp),
        crt(&c.dq),
        crt(&c.qi),
    )
}

#[test]
fn rsa_jwk_with_leading_zero_octets_imports() {
    let reference = PrivateKey::from_jwk(&Jwk::from_json(RFC7515_A2_KEY).unwrap()).unwrap();
    let c = reference.rsa_components().unwrap();
    let json = rsa_private_json(&c, |bytes| {
        let mut out = vec![0];
        out.extend_from_slice(bytes);
        b64e(&out)
    });
    let key = PrivateKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
    assert_eq!(key.public_key(), reference.public_key());
    // Without the CRT members the primes are recovered.
    let json = format!(
        r#"{{"kty":"RSA","n":"{}","e":"AQAB","d":"{}"}}"#,
        b64e(&c.n),
        b64e(c.d.expose())
    );
    let key = PrivateKey::from_jwk(&Jwk::from_json(&json).unwrap()).unwrap();
    assert_eq!(
        *key.to_jwk().unwrap().to_private_json().unwrap(),
        *reference.to_jwk().unwrap().to_private_json().unwrap()
    );
}

fn invalid_jwk(result: kms_crypto::Result<impl std::fmt::Debug>) {
    assert!(
        matches!(
            result,
            Err(CryptoError::Invalid { .. } | CryptoError::Unsupported(_))
        ),
        "{result:?}"
    );
}

#[test]
fn inconsistent_or_misplaced_jwks_are_refused() {
    // EC: `d` of one key with `x`/`y` of another.
    let a = ec_key(EcCurve::P256).to_jwk().unwrap();
    let b = PrivateKey::generate(KeySpec::Ec(EcCurve::P256))
        .unwrap()
        .to_jwk()
        .unwrap();
    let (jwk::KeyParams::Ec(a), jwk::KeyParams::Ec(b)) = (a.params(), b.params()) else {
        panic!("not EC")
    };
    let mixed = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}","d":"{}"}}"#,
        b64e(a.x()),
        b64e(a.y()),
        b64e(b.d().unwrap().expose())
    );
    invalid_jwk(PrivateKey::from_jwk(&Jwk::from_json(&mixed).unwrap()));
    // EC: a point off the curve.
    let mut y = a.y().to_vec();
    y[31] ^= 1;
    let off_curve = format!(
        r#"{{"kty":"EC","crv":"P-256","x":"{}","y":"{}"}}"#,
        b64e(a.x()),
        b64e(&y)
    );
    invalid_jwk(PublicKey::from_jwk(&Jwk::from_json(&off_curve).unwrap()));

    // RSA: a CRT value that does not belong to the key.
    let components = |json| {
        PrivateKey::from_jwk(&Jwk::from_json(json).unwrap())
            .unwrap()
            .rsa_components()
            .unwrap()
    };
    let mut mixed = components(RFC7515_A2_KEY);
    mixed.qi = components(RFC7520_3_4).qi;
    let json = rsa_private_json(&mixed, b64e);
    invalid_jwk(PrivateKey::from_jwk(&Jwk::from_json(&json).unwrap()));

    // Public where private is expected and the reverse; symmetric where asymmetric is.
    let rsa_private = Jwk::from_json(RFC7515_A2_KEY).unwrap();
    invalid_jwk(PublicKey::from_jwk(&rsa_private));
    invalid_jwk(PrivateKey::from_jwk(&rsa_private.to_public().unwrap()));
    let oct = Jwk::from_json(RFC7520_5_6_KEY).unwrap();
    invalid_jwk(PrivateKey::from_jwk(&oct));
    invalid_jwk(PublicKey::from_jwk(&oct));
    invalid_jwk(AesKey::from_jwk(&rsa_private));
    invalid_jwk(HmacKey::from_jwk(&rsa_private, HashAlgorithm::Sha256));

    // AES sizes: 20 octets is no AES key.
    let odd = Jwk::from_json(&format!(r#"{{"kty":"oct","k":"{}"}}"#, b64e(&[7; 20]))).unwrap();
    invalid_jwk(AesKey::from_jwk(&odd));
    assert!(HmacKey::from_jwk(&odd, HashAlgorithm::Sha256).is_ok());
}

#[test]
fn tampered_jws_is_refused_with_the_one_error() {
    for alg in [
        SignatureAlgorithm::Rs256,
        SignatureAlgorithm::Ps256,
        SignatureAlgorithm::Es256,
        SignatureAlgorithm::Es384,
        SignatureAlgorithm::Es512,
    ] {
        let key = signing_key(alg);
        let jose = JwsAlgorithm::from(alg);
        let header = JwsHeader::builder(jose).build().unwrap();
        let token = jws::sign(&KmsJose, key, &header, b"signed by the KMS").unwrap();
        assert_tampering_refused(&token, &key.public_key(), jose);
    }
    let key = hmac_key(JwsAlgorithm::Hs512);
    let header = JwsHeader::builder(JwsAlgorithm::Hs512).build().unwrap();
    let token = jws::sign(&KmsJose, &key, &header, b"MACed by the KMS").unwrap();
    assert_tampering_refused(&token, &key, JwsAlgorithm::Hs512);
}

// ---------------------------------------------------------------------------------------
// Python `cryptography`

/// Builds every key from the JWK's base64url numbers with `cryptography`'s primitives
/// (checking that the public numbers are those of the private key), verifies or decrypts
/// our token, and answers with a token of its own per case: `<index> <token>` lines.
const PYTHON: &str = r#"
import base64, json, os, sys
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature, encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

def b64d(s):
    assert "=" not in s and "+" not in s and "/" not in s, s
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))
def b64e(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()
def num(s): return int.from_bytes(b64d(s), "big")
def compact(obj): return b64e(json.dumps(obj, separators=(",", ":")).encode())

CURVES = {"P-256": (ec.SECP256R1(), 32), "P-384": (ec.SECP384R1(), 48), "P-521": (ec.SECP521R1(), 66)}
HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}

def load(jwk):
    if jwk["kty"] == "RSA":
        public = rsa.RSAPublicNumbers(num(jwk["e"]), num(jwk["n"]))
        private = rsa.RSAPrivateNumbers(
            p=num(jwk["p"]), q=num(jwk["q"]), d=num(jwk["d"]), dmp1=num(jwk["dp"]),
            dmq1=num(jwk["dq"]), iqmp=num(jwk["qi"]), public_numbers=public).private_key()
    else:
        curve, size = CURVES[jwk["crv"]]
        for member in ("x", "y", "d"):
            assert len(b64d(jwk[member])) == size, member
        public = ec.EllipticCurvePublicNumbers(num(jwk["x"]), num(jwk["y"]), curve)
        private = ec.EllipticCurvePrivateNumbers(num(jwk["d"]), public).private_key()
    assert private.public_key().public_numbers() == public
    return private, public.public_key()

def pss(h): return padding.PSS(mgf=padding.MGF1(h), salt_length=h.digest_size)

def verify(key, alg, data, sig):
    h = HASHES[alg[2:]]()
    if alg.startswith("RS"):
        key.verify(sig, data, padding.PKCS1v15(), h)
    elif alg.startswith("PS"):
        key.verify(sig, data, pss(h), h)
    else:
        half = (key.curve.key_size + 7) // 8
        assert len(sig) == 2 * half
        der = encode_dss_signature(int.from_bytes(sig[:half], "big"), int.from_bytes(sig[half:], "big"))
        key.verify(der, data, ec.ECDSA(h))

def sign(key, alg, data):
    h = HASHES[alg[2:]]()
    if alg.startswith("RS"):
        return key.sign(data, padding.PKCS1v15(), h)
    if alg.startswith("PS"):
        return key.sign(data, pss(h), h)
    half = (key.curve.key_size + 7) // 8
    r, s = decode_dss_signature(key.sign(data, ec.ECDSA(h)))
    return r.to_bytes(half, "big") + s.to_bytes(half, "big")

for index, case in enumerate(json.load(sys.stdin)):
    jwk = case["jwk"]
    if jwk["kty"] == "oct":
        aead = AESGCM(b64d(jwk["k"]))
        header, encrypted_key, iv, ciphertext, tag = case["jwe"].split(".")
        assert encrypted_key == "" and len(b64d(iv)) == 12 and len(b64d(tag)) == 16
        plaintext = aead.decrypt(b64d(iv), b64d(ciphertext) + b64d(tag), header.encode())
        assert plaintext == b64d(case["plaintext"])
        enc = json.loads(b64d(header))["enc"]
        ours = compact({"alg": "dir", "enc": enc, "kid": "python"})
        iv = os.urandom(12)
        sealed = aead.encrypt(iv, b"sealed by python", ours.encode())
        print(index, ".".join([ours, "", b64e(iv), b64e(sealed[:-16]), b64e(sealed[-16:])]))
    else:
        private, public = load(jwk)
        alg = case["alg"]
        header, payload, signature = case["token"].split(".")
        verify(public, alg, (header + "." + payload).encode(), b64d(signature))
        ours = compact({"alg": alg, "kid": "python"}) + "." + b64e(b"signed by python")
        print(index, ours + "." + b64e(sign(private, alg, ours.encode())))
"#;

/// True when python3 with `cryptography` is there. Otherwise says so (past the test
/// harness's capture, so that it shows in a normal run) and fails under CI.
fn python_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import cryptography"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI is set: python3 with the `cryptography` package is required for tests/jose.rs"
        );
        let _ = writeln!(
            std::io::stderr(),
            "skipped: python3 with `cryptography` not found (pip install cryptography); \
             the JOSE cross-checks did not run"
        );
    }
    found
}

/// Runs the script on `input` and returns its answer per case.
fn run_python(input: &str) -> Vec<String> {
    let mut child = Command::new("python3")
        .args(["-c", PYTHON])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let (index, token) = line.split_once(' ').unwrap();
            assert_eq!(index.parse::<usize>().unwrap(), i);
            token.to_owned()
        })
        .collect()
}

#[test]
fn python_cryptography_loads_our_jwks_and_checks_our_tokens_both_ways() {
    if !python_available() {
        return;
    }
    enum Case {
        Jws(SignatureAlgorithm),
        Jwe(AesKey),
    }
    let mut cases: Vec<Case> = SignatureAlgorithm::ALL.into_iter().map(Case::Jws).collect();
    cases.extend(AES_SIZES.map(|size| Case::Jwe(AesKey::generate(size).unwrap())));

    let mut input = Vec::new();
    for case in &cases {
        input.push(match case {
            Case::Jws(alg) => {
                let key = signing_key(*alg);
                let header = JwsHeader::builder((*alg).into()).build().unwrap();
                let token = jws::sign(&KmsJose, key, &header, b"signed by kms-crypto").unwrap();
                format!(
                    r#"{{"jwk":{},"alg":"{}","token":"{token}"}}"#,
                    *key.to_jwk().unwrap().to_private_json().unwrap(),
                    alg.jose_name()
                )
            }
            Case::Jwe(key) => {
                let header = JweHeader::builder(key.size().into())
                    .kid("kms")
                    .member("x-key-ver", 0)
                    .build()
                    .unwrap();
                let plaintext = b"sealed by kms-crypto";
                let token = jwe::encrypt(&KmsJose, key, &header, plaintext).unwrap();
                format!(
                    r#"{{"jwk":{},"jwe":"{token}","plaintext":"{}"}}"#,
                    *key.to_jwk().unwrap().to_private_json().unwrap(),
                    b64e(plaintext)
                )
            }
        });
    }
    let answers = run_python(&format!("[{}]", input.join(",")));
    assert_eq!(answers.len(), cases.len());

    for (case, answer) in cases.iter().zip(&answers) {
        match case {
            Case::Jws(alg) => {
                let parsed = CompactJws::parse(answer, &policy()).unwrap();
                assert_eq!(parsed.header().kid(), Some("python"));
                let public = signing_key(*alg).public_key();
                let payload = parsed.verify(&KmsJose, &public, (*alg).into()).unwrap();
                assert_eq!(payload, b"signed by python");
            }
            Case::Jwe(key) => {
                let parsed = CompactJwe::parse(answer, &policy()).unwrap();
                assert_eq!(parsed.header().enc(), key.size().into());
                let plaintext = parsed.decrypt(&KmsJose, key).unwrap();
                assert_eq!(plaintext.expose(), b"sealed by python");
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Properties

mod properties {
    use std::collections::BTreeMap;

    use proptest::prelude::*;

    use super::*;

    fn payload() -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..600)
    }

    fn algorithm(options: &[SignatureAlgorithm]) -> impl Strategy<Value = SignatureAlgorithm> {
        proptest::sample::select(options.to_vec())
    }

    fn sign_verify_flip<S, V>(alg: JwsAlgorithm, key: &S, verifier: &V, payload: &[u8])
    where
        S: ?Sized,
        V: ?Sized,
        KmsJose: JwsSigner<S> + JwsVerifier<V>,
    {
        let header = JwsHeader::builder(alg).build().unwrap();
        let token = jws::sign(&KmsJose, key, &header, payload).unwrap();
        let parsed = CompactJws::parse(&token, &policy()).unwrap();
        assert_eq!(parsed.verify(&KmsJose, verifier, alg).unwrap(), payload);
        // The same signature over one more octet of payload.
        let (input, signature) = token.rsplit_once('.').unwrap();
        let (header, payload_b64) = input.split_once('.').unwrap();
        let mut longer = b64d(payload_b64);
        longer.push(0);
        let forged = format!("{header}.{}.{signature}", b64e(&longer));
        let parsed = CompactJws::parse(&forged, &policy()).unwrap();
        assert_eq!(
            parsed.verify(&KmsJose, verifier, alg).unwrap_err(),
            Error::InvalidSignature
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(6))]

        #[test]
        fn rsa_signatures_verify(
            alg in algorithm(&SignatureAlgorithm::ALL[..6]),
            payload in payload(),
        ) {
            let key = rsa_key();
            sign_verify_flip(alg.into(), key, &key.public_key(), &payload);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn ecdsa_signatures_verify(
            alg in algorithm(&SignatureAlgorithm::ALL[6..]),
            payload in payload(),
        ) {
            let key = signing_key(alg);
            sign_verify_flip(alg.into(), key, &key.public_key(), &payload);
        }

        #[test]
        fn hmacs_verify(
            alg in proptest::sample::select(HMAC_ALGORITHMS.to_vec()),
            extra in 0usize..64,
            payload in payload(),
        ) {
            let key = HmacKey::from_secret(
                hmac_hash(alg),
                kms_crypto::rng::random_bytes(alg.hash_len() + extra).unwrap(),
            )
            .unwrap();
            sign_verify_flip(alg, &key, &key, &payload);
        }
    }

    /// A private header member's value.
    #[derive(Debug, Clone)]
    enum Member {
        Int(i64),
        Text(String),
    }

    impl Member {
        /// True when `header` has this value under `name`.
        fn is_in(&self, header: &jwk::Header, name: &str) -> bool {
            let value = header.get(name);
            match self {
                Member::Int(i) => value.and_then(|v| v.as_i64()) == Some(*i),
                Member::Text(t) => value.and_then(|v| v.as_str()) == Some(t.as_str()),
            }
        }
    }

    /// Private header members (`x-...`) with string or integer values.
    fn members() -> impl Strategy<Value = BTreeMap<String, Member>> {
        let value = prop_oneof![
            any::<i64>().prop_map(Member::Int),
            "[ -~\u{e9}\u{2019}]{0,24}".prop_map(Member::Text),
        ];
        proptest::collection::btree_map("x-[a-z0-9-]{1,12}", value, 0..5)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn jwe_round_trips_with_random_headers(
            size in proptest::sample::select(AES_SIZES.to_vec()),
            kid in proptest::option::of("[A-Za-z0-9._:-]{1,40}"),
            members in members(),
            plaintext in proptest::collection::vec(any::<u8>(), 0..1024),
        ) {
            let key = AesKey::generate(size).unwrap();
            let build = |members: &BTreeMap<String, Member>| {
                let mut builder = JweHeader::builder(size.into());
                if let Some(kid) = &kid {
                    builder = builder.kid(kid.clone());
                }
                for (name, value) in members {
                    builder = match value {
                        Member::Int(i) => builder.member(name.clone(), *i),
                        Member::Text(t) => builder.member(name.clone(), t.clone()),
                    };
                }
                builder.build().unwrap()
            };
            let header = build(&members);
            let token = jwe::encrypt(&KmsJose, &key, &header, &plaintext).unwrap();
            let parsed = CompactJwe::parse(&token, &policy()).unwrap();
            prop_assert_eq!(parsed.header().kid(), kid.as_deref());
            for (name, value) in &members {
                prop_assert!(value.is_in(parsed.header().header(), name), "{name}");
            }
            let decrypted = parsed.decrypt(&KmsJose, &key).unwrap();
            prop_assert_eq!(decrypted.expose(), &plaintext[..]);

            // The header is the AAD: the same ciphertext under another header is refused.
            let mut other = members.clone();
            other.insert("x-other".to_owned(), Member::Int(1));
            let (_, rest) = token.split_once('.').unwrap();
            let forged = format!("{}.{rest}", build(&other).encoded());
            let parsed = CompactJwe::parse(&forged, &policy()).unwrap();
            prop_assert_eq!(parsed.decrypt(&KmsJose, &key).unwrap_err(), Error::DecryptionFailed);
        }
    }
}

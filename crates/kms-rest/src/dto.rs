//! The request and response bodies of the OVHcloud KMS REST API (spec 2.14.0,
//! `components/schemas`), with the spec's exact names and enumeration strings, and the
//! checks the schema states (lengths, ranges, sizes per key type).
//!
//! Every object is `additionalProperties: false` in the spec, so every request type
//! refuses unknown fields. Members the spec marks `nullable` accept `null` as absent.
//! Parse request bodies with [`crate::json::parse`], which also runs [`Validate`].

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

use crate::error::ApiError;

/// A check of a parsed request body beyond its types: lengths, ranges, combinations.
pub(crate) trait Validate {
    /// `Ok` when the request is acceptable; a 400 naming the field otherwise (never
    /// echoing its value).
    fn validate(&self) -> Result<(), ApiError>;
}

// ---------------------------------------------------------------------------------
// Secrets in bodies

/// A text that may hold secret material (a base64 plaintext, a JWK private member):
/// zeroized on drop, `[redacted]` in `Debug`, not `Clone`.
#[derive(Default, PartialEq, Eq)]
pub(crate) struct SecretText(Zeroizing<String>);

impl SecretText {
    /// Wraps `text`.
    pub(crate) fn new(text: String) -> SecretText {
        SecretText(Zeroizing::new(text))
    }

    /// Standard base64 (with padding) of `bytes`.
    pub(crate) fn base64(bytes: &[u8]) -> SecretText {
        let mut out = Zeroizing::new(String::with_capacity(bytes.len().div_ceil(3) * 4));
        STANDARD.encode_string(bytes, &mut out);
        SecretText(out)
    }

    /// The text.
    pub(crate) fn expose(&self) -> &str {
        &self.0
    }

    /// Its length in characters (bytes: the texts are ASCII once validated).
    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// The standard-base64 decoding (padding required), zeroized on drop; `None` when
    /// the text is not standard base64.
    pub(crate) fn decode_base64(&self) -> Option<Zeroizing<Vec<u8>>> {
        let mut out = Zeroizing::new(Vec::with_capacity(self.0.len() / 4 * 3 + 3));
        STANDARD.decode_vec(self.0.as_bytes(), &mut out).ok()?;
        Some(out)
    }
}

impl fmt::Debug for SecretText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretText::new)
    }
}

// ---------------------------------------------------------------------------------
// Enumerations

/// Declares a string enumeration with the spec's exact strings, `as_str` and `parse`.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub(crate) enum $name {
            $( $(#[$vdoc])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every value, in the spec's order.
            #[allow(dead_code)]
            pub(crate) const ALL: &[$name] = &[$($name::$variant),+];

            /// The spec's string.
            #[allow(dead_code)]
            pub(crate) fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// The value named `text` exactly (query parameters).
            #[allow(dead_code)]
            pub(crate) fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

string_enum! {
    /// KeyTypes.
    KeyType {
        /// A symmetric (AES) key.
        Oct = "oct",
        /// An RSA key pair or public key.
        Rsa = "RSA",
        /// An EC key pair or public key.
        Ec = "EC",
    }
}

string_enum! {
    /// Curves.
    Curve {
        /// NIST P-256.
        P256 = "P-256",
        /// NIST P-384.
        P384 = "P-384",
        /// NIST P-521.
        P521 = "P-521",
    }
}

impl Curve {
    /// The curve's size in bits (KMIP Cryptographic Length of its keys).
    pub(crate) fn bits(self) -> i32 {
        match self {
            Curve::P256 => 256,
            Curve::P384 => 384,
            Curve::P521 => 521,
        }
    }
}

string_enum! {
    /// CryptographicUsages: the `operations` vocabulary, also JWK `key_ops`.
    CryptographicUsage {
        /// Sign.
        Sign = "sign",
        /// Verify.
        Verify = "verify",
        /// Encrypt.
        Encrypt = "encrypt",
        /// Decrypt.
        Decrypt = "decrypt",
        /// Wrap a key.
        WrapKey = "wrapKey",
        /// Unwrap a key.
        UnwrapKey = "unwrapKey",
    }
}

string_enum! {
    /// KeyStates (`all` only as a list filter).
    KeyState {
        /// Pre-Active.
        PreActive = "pre_active",
        /// Active.
        Active = "active",
        /// Deactivated.
        Deactivated = "deactivated",
        /// Compromised.
        Compromised = "compromised",
        /// Destroyed.
        Destroyed = "destroyed",
        /// Destroyed Compromised.
        DestroyedCompromised = "destroyed_compromised",
        /// Every state (list filter).
        All = "all",
    }
}

string_enum! {
    /// RevocationReasons.
    RevocationReason {
        /// Unspecified.
        Unspecified = "unspecified",
        /// Key compromise.
        KeyCompromise = "key_compromise",
        /// CA compromise.
        CaCompromise = "ca_compromise",
        /// Affiliation changed.
        AffiliationChanged = "affiliation_changed",
        /// Superseded.
        Superseded = "superseded",
        /// Cessation of operation.
        CessationOfOperation = "cessation_of_operation",
        /// Privilege withdrawn.
        PrivilegeWithdrawn = "privilege_withdrawn",
    }
}

string_enum! {
    /// DigitalSignatureAlgorithms.
    DigitalSignatureAlgorithm {
        /// ECDSA P-256 SHA-256.
        Es256 = "ES256",
        /// ECDSA P-384 SHA-384.
        Es384 = "ES384",
        /// ECDSA P-521 SHA-512.
        Es512 = "ES512",
        /// RSASSA-PKCS1-v1_5 SHA-256.
        Rs256 = "RS256",
        /// RSASSA-PKCS1-v1_5 SHA-384.
        Rs384 = "RS384",
        /// RSASSA-PKCS1-v1_5 SHA-512.
        Rs512 = "RS512",
        /// RSASSA-PSS SHA-256.
        Ps256 = "PS256",
        /// RSASSA-PSS SHA-384.
        Ps384 = "PS384",
        /// RSASSA-PSS SHA-512.
        Ps512 = "PS512",
    }
}

string_enum! {
    /// ProtectionLevelEnum.
    ProtectionLevel {
        /// Software (the only level this server offers).
        Software = "SOFTWARE",
        /// HSM.
        Hsm = "HSM",
        /// Managed HSM.
        ManagedHsm = "MANAGED_HSM",
    }
}

string_enum! {
    /// JwkUses.
    JwkUse {
        /// Signatures.
        Sig = "sig",
        /// Encryption.
        Enc = "enc",
    }
}

string_enum! {
    /// SignatureFormats (the `format` query parameter of sign).
    SignatureFormat {
        /// Standard base64 of the raw signature.
        Raw = "raw",
        /// Compact JWS.
        Jws = "jws",
        /// Compact JWT.
        Jwt = "jwt",
    }
}

string_enum! {
    /// KeyFormats (the `format` query parameter of create and get).
    KeyFormat {
        /// JSON Web Key.
        Jwk = "jwk",
    }
}

/// KeySizes: 128, 192, 256 (oct), 2048, 3072, 4096 (RSA).
pub(crate) const KEY_SIZES: &[u32] = &[128, 192, 256, 2048, 3072, 4096];

// ---------------------------------------------------------------------------------
// Service keys

/// CreateImportServiceKeyRequest: generate when `keys` is absent, import otherwise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CreateImportServiceKeyRequest {
    /// A caller-chosen key id (UUID), spec ≥ 2.14.
    #[serde(default)]
    pub(crate) id: Option<String>,
    /// Friendly name, 1–32 characters.
    pub(crate) name: String,
    /// Key context, at most 64 characters.
    #[serde(default)]
    pub(crate) context: Option<String>,
    /// Key type.
    #[serde(default, rename = "type")]
    pub(crate) key_type: Option<KeyType>,
    /// Size in bits (oct, RSA).
    #[serde(default)]
    pub(crate) size: Option<u32>,
    /// Curve (EC).
    #[serde(default)]
    pub(crate) curve: Option<Curve>,
    /// Allowed operations, at most 32.
    #[serde(default)]
    pub(crate) operations: Option<Vec<CryptographicUsage>>,
    /// Protection level (SOFTWARE only here).
    #[serde(default, rename = "protectionLevel")]
    pub(crate) protection_level: Option<ProtectionLevel>,
    /// The key to import, as a JWK set of one key.
    #[serde(default)]
    pub(crate) keys: Option<Vec<JsonWebKeyRequest>>,
}

/// Longest `name`.
pub(crate) const MAX_NAME_CHARS: usize = 32;
/// Longest `context`.
pub(crate) const MAX_CONTEXT_CHARS: usize = 64;
/// Most `operations`.
pub(crate) const MAX_OPERATIONS: usize = 32;

/// The operations a key of `key_type` may have: private (or symmetric) when `private`.
pub(crate) fn operations_allowed(
    key_type: KeyType,
    private: bool,
) -> &'static [CryptographicUsage] {
    use CryptographicUsage as U;
    match (key_type, private) {
        (KeyType::Oct, _) => &[U::Encrypt, U::Decrypt, U::WrapKey, U::UnwrapKey],
        // The okms-cli tests create RSA transport keys with wrapKey/unwrapKey (BYOK).
        (KeyType::Rsa, true) => &[U::Sign, U::Verify, U::WrapKey, U::UnwrapKey],
        (KeyType::Rsa, false) => &[U::Verify, U::Encrypt, U::WrapKey],
        (KeyType::Ec, true) => &[U::Sign, U::Verify],
        (KeyType::Ec, false) => &[U::Verify],
    }
}

/// The operations a new key gets when the request names none.
pub(crate) fn default_operations(
    key_type: KeyType,
    private: bool,
) -> &'static [CryptographicUsage] {
    use CryptographicUsage as U;
    match (key_type, private) {
        (KeyType::Oct, _) => &[U::Encrypt, U::Decrypt, U::WrapKey, U::UnwrapKey],
        (KeyType::Rsa | KeyType::Ec, true) => &[U::Sign, U::Verify],
        (KeyType::Rsa | KeyType::Ec, false) => &[U::Verify],
    }
}

/// Checks a friendly name: 1 to 32 characters.
pub(crate) fn check_name(field: &str, name: &str) -> Result<(), ApiError> {
    let chars = name.chars().count();
    if chars == 0 || chars > MAX_NAME_CHARS {
        return Err(ApiError::bad_request(format!(
            "{field}: must be 1 to {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(ApiError::bad_request(format!(
            "{field}: control characters are not allowed"
        )));
    }
    Ok(())
}

/// Checks an optional context: at most 64 characters.
pub(crate) fn check_context(context: Option<&str>) -> Result<(), ApiError> {
    match context {
        Some(c) if c.chars().count() > MAX_CONTEXT_CHARS => Err(ApiError::bad_request(format!(
            "context: at most {MAX_CONTEXT_CHARS} characters"
        ))),
        _ => Ok(()),
    }
}

/// Checks a text length in characters.
pub(crate) fn check_len(field: &str, len: usize, min: usize, max: usize) -> Result<(), ApiError> {
    if len < min || len > max {
        return Err(ApiError::bad_request(format!(
            "{field}: length must be {min} to {max} characters"
        )));
    }
    Ok(())
}

impl Validate for CreateImportServiceKeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_name("name", &self.name)?;
        check_context(self.context.as_deref())?;
        if let Some(id) = &self.id
            && uuid::Uuid::parse_str(id).is_err()
        {
            return Err(ApiError::bad_request("id: must be a UUID"));
        }
        if let Some(ops) = &self.operations
            && ops.len() > MAX_OPERATIONS
        {
            return Err(ApiError::bad_request(format!(
                "operations: at most {MAX_OPERATIONS} items"
            )));
        }
        if let Some(size) = self.size
            && !KEY_SIZES.contains(&size)
        {
            return Err(ApiError::bad_request(
                "size: must be one of 128, 192, 256, 2048, 3072, 4096",
            ));
        }
        match self.protection_level {
            None | Some(ProtectionLevel::Software) => {}
            Some(_) => {
                return Err(ApiError::bad_argument(
                    "protectionLevel: only SOFTWARE is offered",
                ));
            }
        }
        match &self.keys {
            None => self.validate_generate(),
            Some(keys) => {
                if keys.len() != 1 {
                    return Err(ApiError::bad_request("keys: exactly one key to import"));
                }
                keys.iter().try_for_each(Validate::validate)
            }
        }
    }
}

impl CreateImportServiceKeyRequest {
    /// The combinations a generation accepts: oct with 128/192/256, RSA with
    /// 2048/3072/4096, EC with a curve only; operations allowed for the type.
    fn validate_generate(&self) -> Result<(), ApiError> {
        let key_type = self
            .key_type
            .ok_or_else(|| ApiError::bad_request("type: required to generate a key"))?;
        match key_type {
            KeyType::Oct | KeyType::Rsa => {
                let sizes: &[u32] = if key_type == KeyType::Oct {
                    &[128, 192, 256]
                } else {
                    &[2048, 3072, 4096]
                };
                match self.size {
                    Some(s) if sizes.contains(&s) => {}
                    Some(_) => {
                        return Err(ApiError::bad_request(format!(
                            "size: not a size for a key of type {}",
                            key_type.as_str()
                        )));
                    }
                    None => return Err(ApiError::bad_request("size: required for this type")),
                }
                if self.curve.is_some() {
                    return Err(ApiError::bad_request("curve: only for EC keys"));
                }
            }
            KeyType::Ec => {
                if self.curve.is_none() {
                    return Err(ApiError::bad_request("curve: required for EC keys"));
                }
                if self.size.is_some() {
                    return Err(ApiError::bad_request(
                        "size: not for EC keys (the curve sets it)",
                    ));
                }
            }
        }
        check_operations(self.operations.as_deref(), key_type, true)
    }
}

/// Checks that every operation is allowed for the key.
pub(crate) fn check_operations(
    operations: Option<&[CryptographicUsage]>,
    key_type: KeyType,
    private: bool,
) -> Result<(), ApiError> {
    let allowed = operations_allowed(key_type, private);
    match operations {
        Some(ops) if ops.iter().any(|op| !allowed.contains(op)) => {
            Err(ApiError::bad_request(format!(
                "operations: a {}{} key allows only {}",
                key_type.as_str(),
                if private || key_type == KeyType::Oct {
                    ""
                } else {
                    " public"
                },
                allowed
                    .iter()
                    .map(|u| u.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )))
        }
        _ => Ok(()),
    }
}

/// JsonWebKeyRequest: one key to import. Only the key material members are used for the
/// key itself; `use`, `key_ops`, `alg` and `kid` are metadata (the Go SDK sets `kid` to
/// the key's name).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JsonWebKeyRequest {
    /// Intended use (checked against the spec's values, otherwise unused).
    #[serde(default, rename = "use")]
    #[allow(dead_code)]
    pub(crate) key_use: Option<JwkUse>,
    /// Intended operations (the key's operations when the request names none).
    #[serde(default)]
    pub(crate) key_ops: Option<Vec<CryptographicUsage>>,
    /// Intended algorithm (checked against the spec's values, otherwise unused).
    #[serde(default)]
    #[allow(dead_code)]
    pub(crate) alg: Option<DigitalSignatureAlgorithm>,
    /// Key type.
    pub(crate) kty: KeyType,
    /// RSA modulus.
    #[serde(default)]
    pub(crate) n: Option<String>,
    /// RSA public exponent.
    #[serde(default)]
    pub(crate) e: Option<String>,
    /// Symmetric key.
    #[serde(default)]
    pub(crate) k: Option<SecretText>,
    /// EC curve.
    #[serde(default)]
    pub(crate) crv: Option<Curve>,
    /// EC x coordinate.
    #[serde(default)]
    pub(crate) x: Option<String>,
    /// EC y coordinate.
    #[serde(default)]
    pub(crate) y: Option<String>,
    /// EC private scalar or RSA private exponent.
    #[serde(default)]
    pub(crate) d: Option<SecretText>,
    /// RSA first factor CRT exponent.
    #[serde(default)]
    pub(crate) dp: Option<SecretText>,
    /// RSA second factor CRT exponent.
    #[serde(default)]
    pub(crate) dq: Option<SecretText>,
    /// RSA first prime.
    #[serde(default)]
    pub(crate) p: Option<SecretText>,
    /// RSA second prime.
    #[serde(default)]
    pub(crate) q: Option<SecretText>,
    /// RSA CRT coefficient.
    #[serde(default)]
    pub(crate) qi: Option<SecretText>,
    /// Key id (ignored: the server names its keys).
    #[serde(default)]
    pub(crate) kid: Option<String>,
}

/// Longest base64url member of a JWK (a 16384-bit modulus and some slack).
const MAX_JWK_MEMBER: usize = 4096;

fn is_base64url(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl Validate for JsonWebKeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        for (name, value) in self.material() {
            if value.len() > MAX_JWK_MEMBER || !is_base64url(value) {
                return Err(ApiError::bad_request(format!(
                    "keys[0].{name}: must be base64url without padding"
                )));
            }
        }
        if let Some(kid) = &self.kid {
            check_len("keys[0].kid", kid.chars().count(), 0, 256)?;
        }
        if let Some(ops) = &self.key_ops
            && ops.len() > MAX_OPERATIONS
        {
            return Err(ApiError::bad_request("keys[0].key_ops: too many items"));
        }
        Ok(())
    }
}

impl JsonWebKeyRequest {
    /// The key material members present, by JWK name, in RFC 7518 order.
    pub(crate) fn material(&self) -> Vec<(&'static str, &str)> {
        let public = [
            ("n", self.n.as_deref()),
            ("e", self.e.as_deref()),
            ("x", self.x.as_deref()),
            ("y", self.y.as_deref()),
        ];
        let secret = [
            ("k", &self.k),
            ("d", &self.d),
            ("p", &self.p),
            ("q", &self.q),
            ("dp", &self.dp),
            ("dq", &self.dq),
            ("qi", &self.qi),
        ];
        public
            .into_iter()
            .filter_map(|(n, v)| v.map(|v| (n, v)))
            .chain(
                secret
                    .into_iter()
                    .filter_map(|(n, v)| v.as_ref().map(|v| (n, v.expose()))),
            )
            .collect()
    }

    /// True when the JWK holds private members.
    pub(crate) fn has_private(&self) -> bool {
        self.d.is_some() || self.k.is_some()
    }

    /// The key members as a JWK JSON text (`kty`, `crv` and the base64url members
    /// only), zeroized on drop, for the `jwk` crate's strict parser. Call after
    /// [`Validate::validate`]: the members are then plain base64url and need no escaping.
    pub(crate) fn key_json(&self) -> Zeroizing<String> {
        let material = self.material();
        let capacity = 64
            + material
                .iter()
                .map(|(n, v)| n.len() + v.len() + 6)
                .sum::<usize>();
        let mut out = Zeroizing::new(String::with_capacity(capacity));
        out.push_str("{\"kty\":\"");
        out.push_str(self.kty.as_str());
        out.push('"');
        if let Some(crv) = self.crv {
            out.push_str(",\"crv\":\"");
            out.push_str(crv.as_str());
            out.push('"');
        }
        for (name, value) in material {
            out.push_str(",\"");
            out.push_str(name);
            out.push_str("\":\"");
            out.push_str(value);
            out.push('"');
        }
        out.push('}');
        out
    }
}

/// JsonWebKeyResponse: the public JWK of an asymmetric service key.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct JsonWebKeyResponse {
    /// The service key's id.
    pub(crate) kid: String,
    /// Key type.
    pub(crate) kty: KeyType,
    /// Intended use.
    #[serde(default, rename = "use", skip_serializing_if = "Option::is_none")]
    pub(crate) key_use: Option<JwkUse>,
    /// The service key's operations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) key_ops: Option<Vec<CryptographicUsage>>,
    /// Algorithm.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) alg: Option<DigitalSignatureAlgorithm>,
    /// RSA modulus.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) n: Option<String>,
    /// RSA public exponent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) e: Option<String>,
    /// EC curve.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) crv: Option<Curve>,
    /// EC x.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) x: Option<String>,
    /// EC y.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) y: Option<String>,
}

/// The `attributes` object of a service key: its state and lifecycle dates (RFC 3339).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct KeyAttributes {
    /// The state.
    pub(crate) state: KeyState,
    /// When the key was created (KMIP Initial Date, or Original Creation Date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) original_creation_date: Option<String>,
    /// When it was (last) activated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) activation_date: Option<String>,
    /// When it was deactivated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) deactivation_date: Option<String>,
    /// When it was marked compromised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) compromise_date: Option<String>,
}

/// GetServiceKeyResponse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GetServiceKeyResponse {
    /// Key id.
    pub(crate) id: String,
    /// Friendly name.
    pub(crate) name: String,
    /// Key type.
    #[serde(rename = "type")]
    pub(crate) key_type: KeyType,
    /// Curve (EC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) curve: Option<Curve>,
    /// Allowed operations.
    pub(crate) operations: Vec<CryptographicUsage>,
    /// Size in bits (oct, RSA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) size: Option<u32>,
    /// Protection level.
    #[serde(rename = "protectionLevel")]
    pub(crate) protection_level: ProtectionLevel,
    /// State and dates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) attributes: Option<KeyAttributes>,
    /// The public JWK (`format=jwk`, asymmetric keys).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) keys: Option<Vec<JsonWebKeyResponse>>,
}

/// ListServiceKeysResponse.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ListServiceKeysResponse {
    /// This page.
    pub(crate) objects_list: Vec<GetServiceKeyResponse>,
    /// Where the next page starts ("" on the last page, as the Go SDK's mock does).
    pub(crate) continuation_token: String,
    /// True when there may be more.
    pub(crate) is_truncated: bool,
}

/// PatchServiceKeyRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PatchServiceKeyRequest {
    /// The new name, 1–32 characters.
    pub(crate) name: String,
}

impl Validate for PatchServiceKeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_name("name", &self.name)
    }
}

/// DeactivateServicekeyRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeactivateServicekeyRequest {
    /// Why.
    pub(crate) reason: RevocationReason,
}

impl Validate for DeactivateServicekeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        Ok(())
    }
}

/// GetRandomResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GetRandomResponse {
    /// Standard base64 of the random bytes.
    pub(crate) bytes: SecretText,
}

/// The answer of `/healthz`.
#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct HealthResponse {
    /// "ok".
    pub(crate) status: String,
}

// ---------------------------------------------------------------------------------
// Cryptographic operations

/// Longest base64 `plaintext` / `message` (4096 bytes encoded), and `ciphertext`.
pub(crate) const MAX_BASE64_FIELD: usize = 5464;
/// Most plaintext bytes encrypt accepts.
pub(crate) const MAX_PLAINTEXT_BYTES: usize = 4096;
/// Longest data-key blob.
pub(crate) const MAX_DATAKEY_BLOB: usize = 5000;

/// Decodes a standard base64 field (padding required) of at most `max_bytes` bytes.
pub(crate) fn decode_base64_field(
    field: &str,
    text: &SecretText,
    max_bytes: usize,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let bytes = text
        .decode_base64()
        .ok_or_else(|| ApiError::bad_request(format!("{field}: not standard base64")))?;
    if bytes.len() > max_bytes {
        return Err(ApiError::bad_request(format!(
            "{field}: at most {max_bytes} bytes"
        )));
    }
    Ok(bytes)
}

/// EncryptRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EncryptRequest {
    /// Standard base64 plaintext, 1 to 4096 bytes.
    pub(crate) plaintext: SecretText,
    /// Context bound to the ciphertext (AAD), at most 64 characters.
    #[serde(default)]
    pub(crate) context: Option<String>,
}

impl Validate for EncryptRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_len("plaintext", self.plaintext.len(), 1, MAX_BASE64_FIELD)?;
        check_context(self.context.as_deref())
    }
}

/// EncryptResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct EncryptResponse {
    /// Compact JWE.
    pub(crate) ciphertext: String,
}

/// DecryptRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecryptRequest {
    /// Compact JWE. The spec says at most 5464 characters, but the JWE of a 4096-byte
    /// plaintext (the spec's own plaintext limit) is 5622: the bound is the token
    /// format's, [`crate::jwe::MAX_TOKEN_LEN`].
    pub(crate) ciphertext: String,
    /// The context given at encryption.
    #[serde(default)]
    pub(crate) context: Option<String>,
}

impl Validate for DecryptRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_len(
            "ciphertext",
            self.ciphertext.len(),
            1,
            crate::jwe::MAX_TOKEN_LEN,
        )?;
        check_context(self.context.as_deref())
    }
}

/// DecryptResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecryptResponse {
    /// Standard base64 plaintext.
    pub(crate) plaintext: SecretText,
}

/// GenerateDataKeyRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenerateDataKeyRequest {
    /// Optional name, at most 32 characters.
    #[serde(default)]
    pub(crate) name: Option<String>,
    /// Size in bits, 64 to 4096.
    pub(crate) size: i32,
}

impl Validate for GenerateDataKeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        if let Some(name) = &self.name {
            check_len("name", name.chars().count(), 0, MAX_NAME_CHARS)?;
        }
        if !(64..=4096).contains(&self.size) {
            return Err(ApiError::bad_request("size: must be 64 to 4096 bits"));
        }
        Ok(())
    }
}

/// GenerateDataKeyResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct GenerateDataKeyResponse {
    /// The data key sealed under the service key (compact JWE).
    pub(crate) key: String,
    /// Standard base64 of the data key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) plaintext: Option<SecretText>,
}

/// DecryptDataKeyRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecryptDataKeyRequest {
    /// The data-key blob, 1 to 5000 characters.
    pub(crate) key: String,
}

impl Validate for DecryptDataKeyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_len("key", self.key.len(), 1, MAX_DATAKEY_BLOB)
    }
}

/// DecryptDataKeyResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DecryptDataKeyResponse {
    /// Standard base64 of the data key.
    pub(crate) plaintext: SecretText,
}

/// SignRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignRequest {
    /// Standard base64 message or digest, 1 to 5464 characters.
    pub(crate) message: SecretText,
    /// Algorithm.
    pub(crate) alg: DigitalSignatureAlgorithm,
    /// The message is a digest already.
    #[serde(default)]
    pub(crate) isdigest: Option<bool>,
}

impl Validate for SignRequest {
    fn validate(&self) -> Result<(), ApiError> {
        check_len("message", self.message.len(), 1, MAX_BASE64_FIELD)
    }
}

/// SignResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SignResponse {
    /// Standard base64 of the raw signature, or a compact JWS/JWT.
    pub(crate) signature: String,
}

/// VerifyRequest.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyRequest {
    /// Standard base64 message or digest (absent with a JWS/JWT signature).
    #[serde(default)]
    pub(crate) message: Option<SecretText>,
    /// The signature.
    pub(crate) signature: String,
    /// Algorithm.
    #[serde(default)]
    pub(crate) alg: Option<DigitalSignatureAlgorithm>,
    /// The message is a digest already.
    #[serde(default)]
    pub(crate) isdigest: Option<bool>,
}

/// Longest signature text accepted (a compact JWT of a 4096-byte message and an
/// RSA-4096 signature fits).
pub(crate) const MAX_SIGNATURE_TEXT: usize = 16_384;

impl Validate for VerifyRequest {
    fn validate(&self) -> Result<(), ApiError> {
        if let Some(m) = &self.message {
            check_len("message", m.len(), 0, MAX_BASE64_FIELD)?;
        }
        check_len("signature", self.signature.len(), 1, MAX_SIGNATURE_TEXT)
    }
}

/// VerifyResponse.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct VerifyResponse {
    /// True when the signature verifies.
    pub(crate) result: bool,
}

//! The JSON Web Key (RFC 7517 §4) with its parameters (RFC 7518 §6): strict parsing,
//! serialization that never writes private members unless asked, and RFC 7638
//! thumbprints.

use std::fmt;

use serde::de::{DeserializeSeed, Deserializer};
use serde::ser::{Error as _, SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::alg::{
    Algorithm, ContentEncryption, Curve, JwsAlgorithm, JwsFamily, KeyOp, KeyType, KeyUse,
};
use crate::b64;
use crate::error::{CryptoError, Error, Name, Result, input_name};
use crate::json::{Members, ZeroizingWriter, wipe};
use crate::key::{EcKey, KeyParams, OctKey, RsaCrtParams, RsaKey, RsaPrivateParams};
use crate::secret::SecretBytes;

/// What to do with members this crate does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum UnknownMembers {
    /// Refuse the key ([`Error::UnknownMember`]); what the OVHcloud schema demands
    /// (`additionalProperties: false`).
    #[default]
    Reject,
    /// Keep them, in order, as opaque JSON (RFC 7517 §4: "MUST be ignored" when not
    /// understood); they are written back on serialization.
    Preserve,
}

/// What to do with members whose value is `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NullMembers {
    /// Treat them as absent: the OVHcloud schema declares every JWK member `nullable`.
    #[default]
    Absent,
    /// Refuse them as values of the wrong type.
    Reject,
}

/// Parse options. The default is strict except for `null` members (see [`NullMembers`]).
#[derive(Debug, Clone, Default)]
pub struct ParseOptions {
    unknown_members: UnknownMembers,
    null_members: NullMembers,
    oct_key_len: Option<usize>,
}

impl ParseOptions {
    /// The defaults.
    pub fn new() -> Self {
        ParseOptions::default()
    }

    /// Sets the policy for unknown members.
    pub fn unknown_members(mut self, policy: UnknownMembers) -> Self {
        self.unknown_members = policy;
        self
    }

    /// Sets the policy for `null` members.
    pub fn null_members(mut self, policy: NullMembers) -> Self {
        self.null_members = policy;
        self
    }

    /// The caller knows the size of an `oct` key (for example from the `size` of an import
    /// request): `k` must have exactly `len` octets, or be a shortened value that is
    /// left-padded to it (see [`key`](crate::key)). If the key also has an AES `alg`, both
    /// must agree.
    pub fn oct_key_len(mut self, len: usize) -> Self {
        self.oct_key_len = Some(len);
        self
    }

    pub(crate) fn unknown_member_policy(&self) -> UnknownMembers {
        self.unknown_members
    }

    /// Parses one JWK from a JSON text.
    pub fn parse(&self, text: &str) -> Result<Jwk> {
        Jwk::from_members(Members::from_slice(text.as_bytes())?, self)
    }
}

/// Every key parameter name of every key type, to tell "belongs to another kty" from
/// "unknown".
const KEY_PARAMETERS: &[&str] = &[
    "k", "n", "e", "d", "p", "q", "dp", "dq", "qi", "oth", "crv", "x", "y",
];

/// Longest base64url text accepted for a key parameter: a 16384-bit modulus is 2731
/// characters; the margin leaves room for leading zero octets. Checked before decoding.
const MAX_PARAMETER_TEXT_LEN: usize = 4096;

/// A JSON Web Key.
///
/// Not `Clone`: it may hold secrets; [`Jwk::duplicate`] copies explicitly. `Debug` never
/// prints secret members. Plain serialization ([`Serialize`], [`Jwk::to_json`]) refuses a
/// key with private members; [`Jwk::expose_private`] and [`Jwk::to_private_json`] write
/// them.
pub struct Jwk {
    key: KeyParams,
    key_use: Option<KeyUse>,
    key_ops: Option<Vec<KeyOp>>,
    alg: Option<Algorithm>,
    kid: Option<String>,
    x5u: Option<String>,
    x5c: Option<Vec<String>>,
    x5t: Option<String>,
    x5t_s256: Option<String>,
    extra: Vec<(String, Value)>,
}

impl fmt::Debug for Jwk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Jwk")
            .field("key", &self.key)
            .field("use", &self.key_use)
            .field("key_ops", &self.key_ops)
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("x5c", &self.x5c.as_ref().map(Vec::len))
            .field(
                "extra",
                &self.extra.iter().map(|(n, _)| n).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl From<KeyParams> for Jwk {
    fn from(key: KeyParams) -> Self {
        Jwk::new(key)
    }
}

impl Jwk {
    /// A key with no metadata.
    pub fn new(key: KeyParams) -> Self {
        Jwk {
            key,
            key_use: None,
            key_ops: None,
            alg: None,
            kid: None,
            x5u: None,
            x5c: None,
            x5t: None,
            x5t_s256: None,
            extra: Vec::new(),
        }
    }

    /// Parses one JWK with the default [`ParseOptions`].
    pub fn from_json(text: &str) -> Result<Self> {
        ParseOptions::default().parse(text)
    }

    /// The key material.
    pub fn params(&self) -> &KeyParams {
        &self.key
    }

    /// Gives up the metadata and returns the key material.
    pub fn into_params(self) -> KeyParams {
        self.key
    }

    /// The `kty`.
    pub fn key_type(&self) -> KeyType {
        self.key.key_type()
    }

    /// True when private members are present (always for `oct`).
    pub fn has_private(&self) -> bool {
        self.key.has_private()
    }

    /// `use` (RFC 7517 §4.2).
    pub fn key_use(&self) -> Option<KeyUse> {
        self.key_use
    }

    /// `key_ops` (RFC 7517 §4.3).
    pub fn key_ops(&self) -> Option<&[KeyOp]> {
        self.key_ops.as_deref()
    }

    /// `alg` (RFC 7517 §4.4).
    pub fn alg(&self) -> Option<Algorithm> {
        self.alg
    }

    /// `kid` (RFC 7517 §4.5).
    pub fn kid(&self) -> Option<&str> {
        self.kid.as_deref()
    }

    /// `x5u` (RFC 7517 §4.6), opaque.
    pub fn x5u(&self) -> Option<&str> {
        self.x5u.as_deref()
    }

    /// `x5c` (RFC 7517 §4.7): standard base64 DER certificates, opaque (checked to be
    /// base64, not parsed, not matched against the key).
    pub fn x5c(&self) -> Option<&[String]> {
        self.x5c.as_deref()
    }

    /// `x5t` (RFC 7517 §4.8), base64url of a SHA-1 digest.
    pub fn x5t(&self) -> Option<&str> {
        self.x5t.as_deref()
    }

    /// `x5t#S256` (RFC 7517 §4.9), base64url of a SHA-256 digest.
    pub fn x5t_s256(&self) -> Option<&str> {
        self.x5t_s256.as_deref()
    }

    /// Members kept by [`UnknownMembers::Preserve`], in document order.
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.extra.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// Sets `kid`.
    pub fn with_kid(mut self, kid: impl Into<String>) -> Self {
        self.kid = Some(kid.into());
        self
    }

    /// Sets `use`, checked against `key_ops` and `alg`.
    pub fn with_use(mut self, key_use: KeyUse) -> Result<Self> {
        self.key_use = Some(key_use);
        self.check_metadata()?;
        Ok(self)
    }

    /// Sets `key_ops` (no duplicates), checked against `use` and `alg`.
    pub fn with_key_ops(mut self, ops: Vec<KeyOp>) -> Result<Self> {
        check_unique_ops(&ops)?;
        self.key_ops = Some(ops);
        self.check_metadata()?;
        Ok(self)
    }

    /// Sets `alg`, checked against the key (type, curve, size) and `use`/`key_ops`.
    pub fn with_alg(mut self, alg: impl Into<Algorithm>) -> Result<Self> {
        self.alg = Some(alg.into());
        self.check_metadata()?;
        Ok(self)
    }

    /// An explicit deep copy, secrets included.
    pub fn duplicate(&self) -> Self {
        self.with_params(self.key.duplicate())
    }

    /// The public key: the same metadata without the private members. A symmetric key has
    /// no public part ([`Error::NoPublicKey`]).
    pub fn to_public(&self) -> Result<Self> {
        let key = self.key.to_public().ok_or(Error::NoPublicKey)?;
        Ok(self.with_params(key))
    }

    /// The same metadata over other key material.
    fn with_params(&self, key: KeyParams) -> Self {
        Jwk {
            key,
            key_use: self.key_use,
            key_ops: self.key_ops.clone(),
            alg: self.alg,
            kid: self.kid.clone(),
            x5u: self.x5u.clone(),
            x5c: self.x5c.clone(),
            x5t: self.x5t.clone(),
            x5t_s256: self.x5t_s256.clone(),
            extra: self.extra.clone(),
        }
    }

    /// The public members as JSON; [`Error::PrivateMembers`] if the key holds private ones.
    pub fn to_json(&self) -> Result<String> {
        if self.has_private() {
            return Err(Error::PrivateMembers);
        }
        serde_json::to_string(self).map_err(|_| Error::Serialization)
    }

    /// Every member, private ones included, as JSON wiped when dropped.
    pub fn to_private_json(&self) -> Result<Zeroizing<String>> {
        let mut out = ZeroizingWriter::with_capacity(512);
        serde_json::to_writer(&mut out, &self.expose_private())
            .map_err(|_| Error::Serialization)?;
        out.into_string()
    }

    /// A view that serializes every member, private ones included. The name is meant to be
    /// found by `grep`.
    pub fn expose_private(&self) -> ExposePrivate<'_> {
        ExposePrivate(self)
    }

    /// The RFC 7638 §3 thumbprint input: the required members of the key type, in
    /// lexicographic order, without whitespace. Wiped when dropped (for `oct` it holds
    /// `k`). Hash it yourself to use another hash function than SHA-256.
    pub fn thumbprint_input(&self) -> Zeroizing<String> {
        // Sized up front: a reallocation would leave a copy of `k` behind.
        let params_len = match &self.key {
            KeyParams::Ec(k) => 2 * b64::encoded_len(k.x().len()),
            KeyParams::Rsa(k) => b64::encoded_len(k.n().len()) + b64::encoded_len(k.e().len()),
            KeyParams::Oct(k) => b64::encoded_len(k.len()),
        };
        let mut out = Zeroizing::new(String::with_capacity(params_len + 64));
        match &self.key {
            KeyParams::Ec(k) => {
                out.push_str(r#"{"crv":""#);
                out.push_str(k.curve().name());
                out.push_str(r#"","kty":"EC","x":""#);
                out.push_str(&b64::encode(k.x()));
                out.push_str(r#"","y":""#);
                out.push_str(&b64::encode(k.y()));
                out.push_str(r#""}"#);
            }
            KeyParams::Rsa(k) => {
                out.push_str(r#"{"e":""#);
                out.push_str(&b64::encode(k.e()));
                out.push_str(r#"","kty":"RSA","n":""#);
                out.push_str(&b64::encode(k.n()));
                out.push_str(r#""}"#);
            }
            KeyParams::Oct(k) => {
                out.push_str(r#"{"k":""#);
                out.push_str(&b64::encode_secret(k.k().expose()));
                out.push_str(r#"","kty":"oct"}"#);
            }
        }
        out
    }

    /// The RFC 7638 thumbprint with SHA-256.
    pub fn thumbprint_sha256(&self) -> [u8; 32] {
        Sha256::digest(self.thumbprint_input().as_bytes()).into()
    }

    /// The SHA-256 thumbprint, base64url: a conventional `kid`.
    pub fn thumbprint_sha256_b64(&self) -> String {
        b64::encode(&self.thumbprint_sha256())
    }

    /// Checks that the key can serve `op` with the JWS algorithm `alg`: key type, curve,
    /// size (RFC 7518 §3.2, §3.3), a private part for `sign` with an asymmetric key, and
    /// the key's own `alg`, `use` and `key_ops`. For backends that take JWKs.
    pub fn check_jws(&self, alg: JwsAlgorithm, op: KeyOp) -> Result<(), CryptoError> {
        if self.key_type() != alg.key_type() {
            return Err(CryptoError::Key("key type does not match the algorithm"));
        }
        self.check_declared(Algorithm::Signature(alg), op)?;
        match (&self.key, alg.family()) {
            (KeyParams::Oct(k), JwsFamily::Hmac) if k.len() < alg.hash_len() => {
                Err(CryptoError::Key("HMAC key shorter than the hash output"))
            }
            (KeyParams::Rsa(k), _) if k.modulus_bits() < 2048 => {
                Err(CryptoError::Key("RSA key smaller than 2048 bits"))
            }
            (KeyParams::Rsa(k), _) if op == KeyOp::Sign && k.private().is_none() => {
                Err(CryptoError::Key("no private key"))
            }
            (KeyParams::Ec(k), _) if Some(k.curve()) != alg.curve() => {
                Err(CryptoError::Key("curve does not match the algorithm"))
            }
            (KeyParams::Ec(k), _) if op == KeyOp::Sign && k.d().is_none() => {
                Err(CryptoError::Key("no private key"))
            }
            _ => Ok(()),
        }
    }

    /// Checks that the key can serve `op` (`encrypt` or `decrypt`) as the direct key of a
    /// JWE with `enc` (RFC 7518 §4.5): an `oct` key of the right size whose own `alg`
    /// (`dir` or `enc` itself), `use` and `key_ops` allow it.
    pub fn check_jwe_dir(&self, enc: ContentEncryption, op: KeyOp) -> Result<(), CryptoError> {
        let KeyParams::Oct(k) = &self.key else {
            return Err(CryptoError::Key("direct encryption takes an oct key"));
        };
        if k.len() != enc.key_len() {
            return Err(CryptoError::Key("key size does not match enc"));
        }
        match self.alg {
            None | Some(Algorithm::KeyManagement(crate::alg::KeyManagementAlgorithm::Dir)) => {}
            Some(Algorithm::ContentEncryption(e)) if e == enc => {}
            Some(_) => return Err(CryptoError::Key("the key's alg is not dir or enc")),
        }
        self.check_use(op)
    }

    fn check_declared(&self, alg: Algorithm, op: KeyOp) -> Result<(), CryptoError> {
        if self.alg.is_some_and(|a| a != alg) {
            return Err(CryptoError::Key("the key's alg is another algorithm"));
        }
        self.check_use(op)
    }

    fn check_use(&self, op: KeyOp) -> Result<(), CryptoError> {
        if self.key_use.is_some_and(|u| u != op.key_use()) {
            return Err(CryptoError::Key("the key's use does not allow this"));
        }
        if self.key_ops.as_ref().is_some_and(|ops| !ops.contains(&op)) {
            return Err(CryptoError::Key("the key's key_ops do not allow this"));
        }
        Ok(())
    }

    /// RFC 7517 §4.3: `use` and `key_ops` agree; RFC 7517 §4.4 and RFC 7518: `alg` fits the
    /// key type, curve and size.
    fn check_metadata(&self) -> Result<()> {
        if let (Some(key_use), Some(ops)) = (self.key_use, &self.key_ops)
            && ops.iter().any(|op| op.key_use() != key_use)
        {
            return Err(Error::Inconsistent("`use` and `key_ops` disagree"));
        }
        let Some(alg) = self.alg else {
            return Ok(());
        };
        if alg.key_type() != self.key_type() {
            return Err(Error::Inconsistent("`alg` is for another key type"));
        }
        if self.key_use.is_some_and(|u| u != alg.key_use()) {
            return Err(Error::Inconsistent("`alg` and `use` disagree"));
        }
        if let Some(ops) = &self.key_ops
            && ops.iter().any(|op| op.key_use() != alg.key_use())
        {
            return Err(Error::Inconsistent("`alg` and `key_ops` disagree"));
        }
        match (&self.key, alg) {
            (KeyParams::Ec(k), Algorithm::Signature(a)) if a.curve() != Some(k.curve()) => {
                Err(Error::Inconsistent("`alg` is for another curve"))
            }
            (KeyParams::Oct(k), _) if alg.oct_key_len().is_some_and(|len| len != k.len()) => {
                Err(Error::Inconsistent("`alg` is for another key size"))
            }
            (KeyParams::Oct(k), Algorithm::Signature(a)) if k.len() < a.hash_len() => {
                Err(Error::InvalidValue {
                    member: Name::Borrowed("k"),
                    reason: "shorter than the HMAC hash output (RFC 7518 §3.2)",
                })
            }
            (KeyParams::Rsa(k), _) if k.modulus_bits() < 2048 => Err(Error::InvalidValue {
                member: Name::Borrowed("n"),
                reason: "smaller than the 2048 bits `alg` requires (RFC 7518 §3.3, §4.2)",
            }),
            _ => Ok(()),
        }
    }

    pub(crate) fn from_members(mut members: Members, options: &ParseOptions) -> Result<Self> {
        members.check_unique()?;
        if options.null_members == NullMembers::Absent {
            members.drop_nulls();
        }
        let kty = match members.take("kty") {
            Some(Value::String(s)) => KeyType::parse(&s)?,
            Some(_) => return Err(wrong_type("kty", "a string")),
            None => return Err(Error::MissingMember(Name::Borrowed("kty"))),
        };
        let mut meta = Metadata::default();
        let mut raw = RawParams::default();
        let mut queue = members.into_queue();
        while let Some((name, value)) = queue.next_member() {
            match name.as_str() {
                "kty" => {}
                "use" => meta.key_use = Some(KeyUse::parse(&string("use", value)?)?),
                "key_ops" => {
                    let ops = strings("key_ops", value)?
                        .iter()
                        .map(|op| KeyOp::parse(op))
                        .collect::<Result<Vec<_>>>()?;
                    check_unique_ops(&ops)?;
                    meta.key_ops = Some(ops);
                }
                "alg" => meta.alg = Some(Algorithm::parse(&string("alg", value)?)?),
                "kid" => meta.kid = Some(string("kid", value)?),
                "x5u" => meta.x5u = Some(string("x5u", value)?),
                "x5c" => {
                    let certs = strings("x5c", value)?;
                    if certs.is_empty() || !certs.iter().all(|c| b64::is_standard_padded(c)) {
                        return Err(Error::InvalidValue {
                            member: Name::Borrowed("x5c"),
                            reason: "must be a non-empty array of standard base64 certificates",
                        });
                    }
                    meta.x5c = Some(certs);
                }
                "x5t" => meta.x5t = Some(digest_b64("x5t", value, 20)?),
                "x5t#S256" => meta.x5t_s256 = Some(digest_b64("x5t#S256", value, 32)?),
                other => raw.accept(kty, other, value, &mut meta.extra, options)?,
            }
        }
        let key = raw.build(kty, meta.alg, options)?;
        let jwk = Jwk {
            key,
            key_use: meta.key_use,
            key_ops: meta.key_ops,
            alg: meta.alg,
            kid: meta.kid,
            x5u: meta.x5u,
            x5c: meta.x5c,
            x5t: meta.x5t,
            x5t_s256: meta.x5t_s256,
            extra: meta.extra,
        };
        jwk.check_metadata()?;
        Ok(jwk)
    }

    fn write_members<M: SerializeMap>(&self, map: &mut M, private: bool) -> Result<(), M::Error> {
        map.serialize_entry("kty", self.key_type().name())?;
        if let Some(key_use) = self.key_use {
            map.serialize_entry("use", key_use.name())?;
        }
        if let Some(ops) = &self.key_ops {
            map.serialize_entry("key_ops", ops)?;
        }
        if let Some(alg) = self.alg {
            map.serialize_entry("alg", alg.name())?;
        }
        if let Some(kid) = &self.kid {
            map.serialize_entry("kid", kid)?;
        }
        if let Some(x5u) = &self.x5u {
            map.serialize_entry("x5u", x5u)?;
        }
        if let Some(x5c) = &self.x5c {
            map.serialize_entry("x5c", x5c)?;
        }
        if let Some(x5t) = &self.x5t {
            map.serialize_entry("x5t", x5t)?;
        }
        if let Some(x5t) = &self.x5t_s256 {
            map.serialize_entry("x5t#S256", x5t)?;
        }
        match &self.key {
            KeyParams::Oct(k) => {
                if private {
                    map.serialize_entry("k", b64::encode_secret(k.k().expose()).as_str())?;
                }
            }
            KeyParams::Rsa(k) => {
                map.serialize_entry("n", &b64::encode(k.n()))?;
                map.serialize_entry("e", &b64::encode(k.e()))?;
                if let (true, Some(p)) = (private, k.private()) {
                    write_secret(map, "d", p.d())?;
                    if let Some(crt) = p.crt() {
                        write_secret(map, "p", crt.p())?;
                        write_secret(map, "q", crt.q())?;
                        write_secret(map, "dp", crt.dp())?;
                        write_secret(map, "dq", crt.dq())?;
                        write_secret(map, "qi", crt.qi())?;
                    }
                }
            }
            KeyParams::Ec(k) => {
                map.serialize_entry("crv", k.curve().name())?;
                map.serialize_entry("x", &b64::encode(k.x()))?;
                map.serialize_entry("y", &b64::encode(k.y()))?;
                if let (true, Some(d)) = (private, k.d()) {
                    write_secret(map, "d", d)?;
                }
            }
        }
        for (name, value) in &self.extra {
            map.serialize_entry(name, value)?;
        }
        Ok(())
    }
}

fn write_secret<M: SerializeMap>(
    map: &mut M,
    name: &'static str,
    value: &SecretBytes,
) -> Result<(), M::Error> {
    map.serialize_entry(name, b64::encode_secret(value.expose()).as_str())
}

/// Serializes the public members; a key with private members is an error
/// ([`Error::PrivateMembers`]), never silently stripped nor leaked.
impl Serialize for Jwk {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.has_private() {
            return Err(S::Error::custom(Error::PrivateMembers));
        }
        let mut map = serializer.serialize_map(None)?;
        self.write_members(&mut map, false)?;
        map.end()
    }
}

/// A [`Jwk`] that serializes with its private members ([`Jwk::expose_private`]).
#[derive(Debug, Clone, Copy)]
pub struct ExposePrivate<'a>(&'a Jwk);

impl Serialize for ExposePrivate<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        self.0.write_members(&mut map, true)?;
        map.end()
    }
}

/// Parses with the default [`ParseOptions`].
impl<'de> Deserialize<'de> for Jwk {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        ParseOptions::default().deserialize_jwk(deserializer)
    }
}

/// Parses with these options, inside any serde document.
impl<'de> DeserializeSeed<'de> for &ParseOptions {
    type Value = Jwk;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Jwk, D::Error> {
        let members = Members::deserialize(deserializer)?;
        Jwk::from_members(members, self).map_err(serde::de::Error::custom)
    }
}

impl ParseOptions {
    /// Parses a JWK inside another serde document with these options (for a field:
    /// `#[serde(deserialize_with = ...)]` around this).
    pub fn deserialize_jwk<'de, D: Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Jwk, D::Error> {
        DeserializeSeed::deserialize(self, deserializer)
    }
}

/// Key parameters as read, before they are checked together.
#[derive(Default)]
struct RawParams {
    k: Option<SecretBytes>,
    n: Option<Vec<u8>>,
    e: Option<Vec<u8>>,
    d: Option<SecretBytes>,
    p: Option<SecretBytes>,
    q: Option<SecretBytes>,
    dp: Option<SecretBytes>,
    dq: Option<SecretBytes>,
    qi: Option<SecretBytes>,
    crv: Option<Curve>,
    x: Option<Vec<u8>>,
    y: Option<Vec<u8>>,
}

impl RawParams {
    fn accept(
        &mut self,
        kty: KeyType,
        name: &str,
        value: Value,
        extra: &mut Vec<(String, Value)>,
        options: &ParseOptions,
    ) -> Result<()> {
        match (kty, name) {
            (KeyType::Oct, "k") => self.k = Some(secret("k", value)?),
            (KeyType::Rsa, "n") => self.n = Some(public("n", value)?),
            (KeyType::Rsa, "e") => self.e = Some(public("e", value)?),
            (KeyType::Rsa | KeyType::Ec, "d") => self.d = Some(secret("d", value)?),
            (KeyType::Rsa, "p") => self.p = Some(secret("p", value)?),
            (KeyType::Rsa, "q") => self.q = Some(secret("q", value)?),
            (KeyType::Rsa, "dp") => self.dp = Some(secret("dp", value)?),
            (KeyType::Rsa, "dq") => self.dq = Some(secret("dq", value)?),
            (KeyType::Rsa, "qi") => self.qi = Some(secret("qi", value)?),
            (KeyType::Rsa, "oth") => {
                return Err(Error::Unsupported {
                    what: "member",
                    value: Name::Borrowed("oth (multi-prime RSA)"),
                });
            }
            (KeyType::Ec, "crv") => self.crv = Some(Curve::parse(&string("crv", value)?)?),
            (KeyType::Ec, "x") => self.x = Some(public("x", value)?),
            (KeyType::Ec, "y") => self.y = Some(public("y", value)?),
            (_, other) if KEY_PARAMETERS.contains(&other) => {
                let mut value = value;
                wipe(&mut value);
                return Err(Error::MemberNotAllowed {
                    member: input_name(other),
                    kty,
                });
            }
            (_, other) => match options.unknown_members {
                UnknownMembers::Reject => {
                    let mut value = value;
                    wipe(&mut value);
                    return Err(Error::UnknownMember(input_name(other)));
                }
                UnknownMembers::Preserve => extra.push((other.to_owned(), value)),
            },
        }
        Ok(())
    }

    fn build(
        self,
        kty: KeyType,
        alg: Option<Algorithm>,
        options: &ParseOptions,
    ) -> Result<KeyParams> {
        match kty {
            KeyType::Oct => {
                let k = self.k.ok_or(Error::MissingMember(Name::Borrowed("k")))?;
                let len = match (alg.and_then(Algorithm::oct_key_len), options.oct_key_len) {
                    (Some(a), Some(o)) if a != o => {
                        return Err(Error::Inconsistent(
                            "`alg` and the expected key size disagree",
                        ));
                    }
                    (a, o) => a.or(o),
                };
                let key = match len {
                    Some(len) => OctKey::with_len(k, len)?,
                    None => OctKey::new(k)?,
                };
                Ok(KeyParams::Oct(key))
            }
            KeyType::Rsa => {
                let n = self.n.ok_or(Error::MissingMember(Name::Borrowed("n")))?;
                let e = self.e.ok_or(Error::MissingMember(Name::Borrowed("e")))?;
                let crt = match (self.p, self.q, self.dp, self.dq, self.qi) {
                    (None, None, None, None, None) => None,
                    (Some(p), Some(q), Some(dp), Some(dq), Some(qi)) => {
                        Some(RsaCrtParams::new(p, q, dp, dq, qi))
                    }
                    _ => {
                        return Err(Error::Inconsistent(
                            "`p`, `q`, `dp`, `dq` and `qi` come all together or not at all",
                        ));
                    }
                };
                let private = match (self.d, crt) {
                    (None, None) => None,
                    (Some(d), crt) => Some(RsaPrivateParams::new(d, crt)),
                    (None, Some(_)) => {
                        return Err(Error::Inconsistent("CRT parameters without `d`"));
                    }
                };
                Ok(KeyParams::Rsa(RsaKey::new(n, e, private)?))
            }
            KeyType::Ec => {
                let crv = self
                    .crv
                    .ok_or(Error::MissingMember(Name::Borrowed("crv")))?;
                let x = self.x.ok_or(Error::MissingMember(Name::Borrowed("x")))?;
                let y = self.y.ok_or(Error::MissingMember(Name::Borrowed("y")))?;
                Ok(KeyParams::Ec(EcKey::new(crv, x, y, self.d)?))
            }
        }
    }
}

fn wrong_type(member: &'static str, expected: &'static str) -> Error {
    Error::WrongType {
        member: Name::Borrowed(member),
        expected,
    }
}

fn string(member: &'static str, value: Value) -> Result<String> {
    match value {
        Value::String(s) => Ok(s),
        _ => Err(wrong_type(member, "a string")),
    }
}

fn strings(member: &'static str, value: Value) -> Result<Vec<String>> {
    let Value::Array(items) = value else {
        return Err(wrong_type(member, "an array of strings"));
    };
    items
        .into_iter()
        .map(|item| match item {
            Value::String(s) => Ok(s),
            _ => Err(wrong_type(member, "an array of strings")),
        })
        .collect()
}

fn too_long(member: &'static str) -> Error {
    Error::InvalidValue {
        member: Name::Borrowed(member),
        reason: "longer than any key parameter",
    }
}

/// Public octets: base64url text decoded.
fn public(member: &'static str, value: Value) -> Result<Vec<u8>> {
    let text = string(member, value)?;
    if text.len() > MAX_PARAMETER_TEXT_LEN {
        return Err(too_long(member));
    }
    b64::decode(&text).ok_or(Error::Base64(Name::Borrowed(member)))
}

/// Secret octets: the text and the decoded value are both wiped when dropped.
fn secret(member: &'static str, value: Value) -> Result<SecretBytes> {
    let text = match value {
        Value::String(s) => Zeroizing::new(s),
        mut other => {
            wipe(&mut other);
            return Err(wrong_type(member, "a string"));
        }
    };
    if text.len() > MAX_PARAMETER_TEXT_LEN {
        return Err(too_long(member));
    }
    b64::decode_secret(&text)
        .map(SecretBytes::from)
        .ok_or(Error::Base64(Name::Borrowed(member)))
}

/// `x5t` and `x5t#S256`: base64url of a digest of the given size; kept as text.
fn digest_b64(member: &'static str, value: Value, len: usize) -> Result<String> {
    let text = string(member, value)?;
    let bytes = b64::decode(&text).ok_or(Error::Base64(Name::Borrowed(member)))?;
    if bytes.len() != len {
        return Err(Error::InvalidValue {
            member: Name::Borrowed(member),
            reason: "not the size of its digest",
        });
    }
    Ok(text)
}

fn check_unique_ops(ops: &[KeyOp]) -> Result<()> {
    for (i, op) in ops.iter().enumerate() {
        if ops.iter().take(i).any(|earlier| earlier == op) {
            return Err(Error::InvalidValue {
                member: Name::Borrowed("key_ops"),
                reason: "duplicate operation (RFC 7517 §4.3)",
            });
        }
    }
    Ok(())
}

/// The members other than the key parameters, as read.
#[derive(Default)]
struct Metadata {
    key_use: Option<KeyUse>,
    key_ops: Option<Vec<KeyOp>>,
    alg: Option<Algorithm>,
    kid: Option<String>,
    x5u: Option<String>,
    x5c: Option<Vec<String>>,
    x5t: Option<String>,
    x5t_s256: Option<String>,
    extra: Vec<(String, Value)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const EC_PUBLIC: &str = r#"{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM","use":"enc","kid":"1"}"#;

    fn err(text: &str) -> Error {
        Jwk::from_json(text).unwrap_err()
    }

    #[test]
    fn parses_and_writes_a_public_key() {
        let jwk = Jwk::from_json(EC_PUBLIC).unwrap();
        assert_eq!(jwk.key_type(), KeyType::Ec);
        assert_eq!(jwk.kid(), Some("1"));
        let again = Jwk::from_json(&jwk.to_json().unwrap()).unwrap();
        assert_eq!(again.to_json().unwrap(), jwk.to_json().unwrap());
    }

    #[test]
    fn rejects_duplicates_unknown_and_foreign_members() {
        assert_eq!(
            err(r#"{"kty":"oct","k":"AAAA","k":"AAAA"}"#),
            Error::DuplicateMember("k".into())
        );
        assert_eq!(
            err(r#"{"kty":"oct","k":"AAAA","color":"blue"}"#),
            Error::UnknownMember("color".into())
        );
        assert_eq!(
            err(r#"{"kty":"oct","k":"AAAA","n":"AQAB"}"#),
            Error::MemberNotAllowed {
                member: "n".into(),
                kty: KeyType::Oct
            }
        );
        assert!(matches!(
            err(r#"{"kty":"OKP","x":"AA"}"#),
            Error::Unsupported { .. }
        ));
        assert!(matches!(
            err(r#"{"kty":"EC","crv":"secp256k1","x":"AA","y":"AA"}"#),
            Error::Unsupported { .. }
        ));
    }

    #[test]
    fn preserves_unknown_members_when_asked() {
        let options = ParseOptions::new().unknown_members(UnknownMembers::Preserve);
        let jwk = options.parse(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","ext":true,"z":[1]}"#);
        // n = 65537 is odd: a toy key, fine for a parse test.
        let jwk = jwk.unwrap();
        let names: Vec<_> = jwk.extra_members().map(|(n, _)| n).collect();
        assert_eq!(names, ["ext", "z"]);
        assert!(jwk.to_json().unwrap().ends_with(r#""ext":true,"z":[1]}"#));
    }

    #[test]
    fn nulls_are_absent_by_default() {
        let jwk =
            Jwk::from_json(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","d":null,"kid":null}"#).unwrap();
        assert!(!jwk.has_private());
        let strict = ParseOptions::new().null_members(NullMembers::Reject);
        assert!(
            strict
                .parse(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","kid":null}"#)
                .is_err()
        );
    }

    #[test]
    fn private_members_are_not_written_by_plain_serialization() {
        let jwk = Jwk::from_json(r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODw"}"#).unwrap();
        assert_eq!(jwk.to_json(), Err(Error::PrivateMembers));
        assert!(serde_json::to_string(&jwk).is_err());
        assert_eq!(
            jwk.to_private_json().unwrap().as_str(),
            r#"{"kty":"oct","k":"AAECAwQFBgcICQoLDA0ODw"}"#
        );
        assert_eq!(jwk.to_public().unwrap_err(), Error::NoPublicKey);
        assert!(!format!("{jwk:?}").contains("AAEC"));
    }

    #[test]
    fn crt_members_come_together() {
        let e = err(r#"{"kty":"RSA","n":"AQAB","e":"AQAB","d":"AQ","p":"AQ"}"#);
        assert!(matches!(e, Error::Inconsistent(_)));
        let e = err(
            r#"{"kty":"RSA","n":"AQAB","e":"AQAB","p":"Aw","q":"Aw","dp":"AQ","dq":"AQ","qi":"AQ"}"#,
        );
        assert_eq!(e, Error::Inconsistent("CRT parameters without `d`"));
    }

    #[test]
    fn metadata_must_agree() {
        let base = r#""kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM""#;
        let with = |extra: &str| Jwk::from_json(&format!("{{{base},{extra}}}"));
        assert!(with(r#""alg":"ES256","use":"sig","key_ops":["verify"]"#).is_ok());
        assert!(with(r#""alg":"ES384""#).is_err());
        assert!(with(r#""alg":"RS256""#).is_err());
        assert!(with(r#""use":"enc","key_ops":["sign"]"#).is_err());
        assert!(with(r#""key_ops":["sign","sign"]"#).is_err());
        assert!(with(r#""key_ops":["fly"]"#).is_err());
        assert_eq!(with(r#""alg":"none""#).unwrap_err(), Error::AlgNone);
    }

    #[test]
    fn aes_alg_fixes_the_oct_size() {
        // 15 octets for A128GCM: a key that lost its leading zero octet.
        let jwk =
            Jwk::from_json(r#"{"kty":"oct","alg":"A128GCM","k":"AQIDBAUGBwgJCgsMDQ4P"}"#).unwrap();
        let KeyParams::Oct(k) = jwk.params() else {
            panic!()
        };
        assert_eq!(k.len(), 16);
        assert_eq!(k.k().expose().first(), Some(&0));
        assert!(
            Jwk::from_json(r#"{"kty":"oct","alg":"A128GCM","k":"AAECAwQFBgcICQoLDA0ODxA"}"#)
                .is_err()
        );
        let options = ParseOptions::new().oct_key_len(32);
        assert!(
            options
                .parse(r#"{"kty":"oct","alg":"A128GCM","k":"AQIDBAUGBwgJCgsMDQ4P"}"#)
                .is_err()
        );
        let jwk = options
            .parse(r#"{"kty":"oct","k":"AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e"}"#)
            .unwrap();
        assert_eq!(jwk.params().key_type(), KeyType::Oct);
    }

    #[test]
    fn hmac_keys_must_be_long_enough() {
        assert!(
            Jwk::from_json(r#"{"kty":"oct","alg":"HS256","k":"AAECAwQFBgcICQoLDA0ODw"}"#).is_err()
        );
    }

    #[test]
    fn oversized_parameters_are_refused_before_decoding() {
        let n = "A".repeat(MAX_PARAMETER_TEXT_LEN + 4);
        let e = err(&format!(r#"{{"kty":"RSA","n":"{n}","e":"AQAB"}}"#));
        assert!(matches!(e, Error::InvalidValue { .. }));
    }

    #[test]
    fn options_apply_inside_a_serde_document() {
        fn sized<'de, D: Deserializer<'de>>(d: D) -> Result<Jwk, D::Error> {
            ParseOptions::new().oct_key_len(16).deserialize_jwk(d)
        }
        #[derive(Debug, Deserialize)]
        struct Import {
            #[serde(deserialize_with = "sized")]
            key: Jwk,
        }
        let r: Import =
            serde_json::from_str(r#"{"key":{"kty":"oct","k":"AQIDBAUGBwgJCgsMDQ4P"}}"#).unwrap();
        let KeyParams::Oct(k) = r.key.params() else {
            panic!()
        };
        assert_eq!(k.len(), 16);
    }

    #[test]
    fn embedded_in_a_serde_document() {
        #[derive(Debug, Deserialize)]
        struct Request {
            keys: Vec<Jwk>,
        }
        let r: Request = serde_json::from_str(&format!(r#"{{"keys":[{EC_PUBLIC}]}}"#)).unwrap();
        assert_eq!(r.keys.len(), 1);
        let e = serde_json::from_str::<Request>(r#"{"keys":[{"kty":"EC","d":"c2VjcmV0"}]}"#)
            .unwrap_err();
        assert!(!e.to_string().contains("c2VjcmV0"));
    }
}

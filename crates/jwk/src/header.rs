//! JOSE protected headers (RFC 7515 §4, RFC 7516 §4): parsed strictly, built in the
//! order the caller gives, and kept with the exact base64url text that is signed or
//! authenticated.

use std::collections::BTreeSet;
use std::marker::PhantomData;

use serde_json::Value;

use crate::alg::{ContentEncryption, JwsAlgorithm, KeyManagementAlgorithm};
use crate::b64;
use crate::error::{Error, Name, Result, input_name};
use crate::json::{Members, write_object};

/// Default limit on the length of a compact token: 64 KiB.
pub const DEFAULT_MAX_TOKEN_LEN: usize = 64 * 1024;

/// Header parameter names registered by RFC 7515 §4.1, RFC 7516 §4.1 and RFC 7518 §4.6-§4.8.
/// `crit` may not list them (RFC 7515 §4.1.11) and [`HeaderBuilder::member`] does not take
/// the ones the builder sets itself.
pub const REGISTERED_HEADER_PARAMETERS: &[&str] = &[
    "alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc",
    "zip", "epk", "apu", "apv", "iv", "tag", "p2s", "p2c",
];

/// What a recipient accepts when parsing a compact token.
#[derive(Debug, Clone)]
pub struct TokenPolicy {
    max_len: usize,
    critical: Vec<String>,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        TokenPolicy {
            max_len: DEFAULT_MAX_TOKEN_LEN,
            critical: Vec::new(),
        }
    }
}

impl TokenPolicy {
    /// The defaults: [`DEFAULT_MAX_TOKEN_LEN`], no critical extension understood.
    pub fn new() -> Self {
        TokenPolicy::default()
    }

    /// Tokens longer than `len` bytes are refused before anything is decoded.
    pub fn max_len(mut self, len: usize) -> Self {
        self.max_len = len;
        self
    }

    /// The caller processes the header parameter `name` when a token lists it in `crit`
    /// (RFC 7515 §4.1.11); any other name in `crit` makes the token invalid.
    pub fn understand_critical(mut self, name: impl Into<String>) -> Self {
        self.critical.push(name.into());
        self
    }

    /// The length limit.
    pub fn limit(&self) -> usize {
        self.max_len
    }

    pub(crate) fn check_len(&self, token: &str) -> Result<()> {
        if token.len() > self.max_len {
            return Err(Error::TooLong {
                limit: self.max_len,
            });
        }
        Ok(())
    }
}

/// A protected header: its members in order, and its base64url encoding exactly as signed
/// or authenticated.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    members: Vec<(String, Value)>,
    critical: Vec<String>,
    encoded: String,
}

impl Header {
    /// Parses and checks the base64url text of a protected header: a JSON object without
    /// duplicate names (RFC 7515 §5.2 steps 2-4), registered parameters of the right type,
    /// and a valid `crit` whose names `policy` understands.
    fn parse(segment: &str, policy: &TokenPolicy) -> Result<Self> {
        if segment.is_empty() {
            return Err(Error::Malformed("empty protected header"));
        }
        let json =
            b64::decode(segment).ok_or(Error::Malformed("protected header is not base64url"))?;
        let mut members = Members::from_slice(&json)?;
        members.check_unique()?;
        let members = core::mem::take(&mut members.0);
        for (name, value) in &members {
            let ok = match name.as_str() {
                "alg" | "enc" | "kid" | "typ" | "cty" | "jku" | "x5u" | "x5t" | "x5t#S256"
                | "zip" => value.is_string(),
                "x5c" => value
                    .as_array()
                    .is_some_and(|a| a.iter().all(Value::is_string)),
                "jwk" => value.is_object(),
                _ => true,
            };
            if !ok {
                return Err(Error::WrongType {
                    member: input_name(name),
                    expected: "the type RFC 7515 §4.1 gives it",
                });
            }
        }
        let critical = check_critical(&members, policy)?;
        Ok(Header {
            members,
            critical,
            encoded: segment.to_owned(),
        })
    }

    /// The base64url text, as signed (JWS) or authenticated (JWE AAD, RFC 7516 §5.1
    /// step 14).
    pub fn encoded(&self) -> &str {
        &self.encoded
    }

    /// A member's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// A string member.
    pub fn get_str(&self, name: &str) -> Option<&str> {
        self.get(name).and_then(Value::as_str)
    }

    /// The members, in order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.members.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// `kid` (RFC 7515 §4.1.4).
    pub fn kid(&self) -> Option<&str> {
        self.get_str("kid")
    }

    /// `typ` (RFC 7515 §4.1.9).
    pub fn typ(&self) -> Option<&str> {
        self.get_str("typ")
    }

    /// `cty` (RFC 7515 §4.1.10).
    pub fn cty(&self) -> Option<&str> {
        self.get_str("cty")
    }

    /// The names listed in `crit`, all understood by the policy the header was parsed with.
    pub fn critical(&self) -> &[String] {
        &self.critical
    }
}

/// RFC 7515 §4.1.11: a non-empty list of distinct, unregistered names that occur in the
/// header, each understood by the recipient.
fn check_critical(members: &[(String, Value)], policy: &TokenPolicy) -> Result<Vec<String>> {
    let Some((_, crit)) = members.iter().find(|(n, _)| n == "crit") else {
        return Ok(Vec::new());
    };
    let invalid = |reason| Error::InvalidValue {
        member: Name::Borrowed("crit"),
        reason,
    };
    let Some(items) = crit.as_array() else {
        return Err(Error::WrongType {
            member: Name::Borrowed("crit"),
            expected: "an array of strings",
        });
    };
    if items.is_empty() {
        return Err(invalid("empty list (RFC 7515 §4.1.11)"));
    }
    let mut names = Vec::with_capacity(items.len());
    let mut seen = BTreeSet::new();
    for item in items {
        let Some(name) = item.as_str() else {
            return Err(Error::WrongType {
                member: Name::Borrowed("crit"),
                expected: "an array of strings",
            });
        };
        if REGISTERED_HEADER_PARAMETERS.contains(&name) {
            return Err(invalid("lists a registered header parameter"));
        }
        if !seen.insert(name) {
            return Err(invalid("lists a name twice"));
        }
        if !members.iter().any(|(n, _)| n == name) {
            return Err(invalid("lists a parameter the header does not have"));
        }
        if !policy.critical.iter().any(|c| c == name) {
            return Err(Error::Critical(input_name(name)));
        }
        names.push(name.to_owned());
    }
    Ok(names)
}

/// The protected header of a JWS: a [`Header`] whose `alg` is a JWS algorithm.
#[derive(Debug, Clone, PartialEq)]
pub struct JwsHeader {
    alg: JwsAlgorithm,
    header: Header,
}

impl JwsHeader {
    /// A builder that starts with `{"alg": alg`.
    pub fn builder(alg: JwsAlgorithm) -> HeaderBuilder<JwsHeader> {
        HeaderBuilder::new().push("alg", Value::from(alg.name()))
    }

    /// Parses the base64url text of a JWS protected header. `alg` is required and must be
    /// a JWS algorithm; `none` is [`Error::AlgNone`]; `enc` is refused (RFC 7516 §9: it
    /// marks a JWE).
    pub fn parse(segment: &str, policy: &TokenPolicy) -> Result<Self> {
        let header = Header::parse(segment, policy)?;
        let alg = match header.get_str("alg") {
            Some("none") => return Err(Error::AlgNone),
            Some(name) => JwsAlgorithm::parse(name)?,
            None => return Err(Error::MissingMember(Name::Borrowed("alg"))),
        };
        if header.get("enc").is_some() {
            return Err(Error::InvalidValue {
                member: Name::Borrowed("enc"),
                reason: "a JWS header has no `enc` (RFC 7516 §9)",
            });
        }
        if header.get("zip").is_some() {
            return Err(Error::InvalidValue {
                member: Name::Borrowed("zip"),
                reason: "a JWS header has no `zip`",
            });
        }
        Ok(JwsHeader { alg, header })
    }

    /// The algorithm.
    pub fn alg(&self) -> JwsAlgorithm {
        self.alg
    }

    /// `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.header.kid()
    }

    /// The whole header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The base64url text.
    pub fn encoded(&self) -> &str {
        self.header.encoded()
    }
}

/// The protected header of a JWE with `alg: dir` (RFC 7518 §4.5).
#[derive(Debug, Clone, PartialEq)]
pub struct JweHeader {
    enc: ContentEncryption,
    header: Header,
}

impl JweHeader {
    /// A builder that starts with `{"alg":"dir","enc": enc`.
    pub fn builder(enc: ContentEncryption) -> HeaderBuilder<JweHeader> {
        JweHeader::dir().enc(enc)
    }

    /// A builder that starts with `{"alg":"dir"` and leaves the place of `enc` to the
    /// caller ([`HeaderBuilder::enc`]).
    pub fn dir() -> HeaderBuilder<JweHeader> {
        HeaderBuilder::new().push("alg", Value::from(KeyManagementAlgorithm::Dir.name()))
    }

    /// Parses the base64url text of a JWE protected header. `alg` must be `dir` (other
    /// key-management algorithms are [`Error::Unsupported`], `none` is
    /// [`Error::AlgNone`]), `enc` an AES-GCM algorithm; `zip` is not supported.
    pub fn parse(segment: &str, policy: &TokenPolicy) -> Result<Self> {
        let header = Header::parse(segment, policy)?;
        match header.get_str("alg") {
            Some("none") => return Err(Error::AlgNone),
            Some(name) if KeyManagementAlgorithm::parse(name)? == KeyManagementAlgorithm::Dir => {}
            Some(name) => {
                return Err(Error::Unsupported {
                    what: "JWE alg",
                    value: input_name(name),
                });
            }
            None => return Err(Error::MissingMember(Name::Borrowed("alg"))),
        }
        let enc = match header.get_str("enc") {
            Some(name) => ContentEncryption::parse(name)?,
            None => return Err(Error::MissingMember(Name::Borrowed("enc"))),
        };
        if let Some(zip) = header.get_str("zip") {
            return Err(Error::Unsupported {
                what: "zip",
                value: input_name(zip),
            });
        }
        Ok(JweHeader { enc, header })
    }

    /// The content encryption.
    pub fn enc(&self) -> ContentEncryption {
        self.enc
    }

    /// `kid`.
    pub fn kid(&self) -> Option<&str> {
        self.header.kid()
    }

    /// The whole header.
    pub fn header(&self) -> &Header {
        &self.header
    }

    /// The base64url text, which is also the AAD.
    pub fn encoded(&self) -> &str {
        self.header.encoded()
    }
}

/// Builds a protected header member by member, in the order of the calls: the OVHcloud
/// data-key header is `{"alg":"dir","enc":"A256GCM","kid":"<uuid>","x-key-ver":0}` in that
/// order. Errors (a duplicate, a name the builder sets itself) are reported by `build`.
#[derive(Debug)]
pub struct HeaderBuilder<H> {
    members: Vec<(String, Value)>,
    critical: Vec<String>,
    error: Option<Error>,
    kind: PhantomData<fn() -> H>,
}

impl<H> HeaderBuilder<H> {
    fn new() -> Self {
        HeaderBuilder {
            members: Vec::new(),
            critical: Vec::new(),
            error: None,
            kind: PhantomData,
        }
    }

    fn push(mut self, name: &str, value: Value) -> Self {
        if self.error.is_none() {
            if self.members.iter().any(|(n, _)| n == name) {
                self.error = Some(Error::DuplicateMember(input_name(name)));
            } else {
                self.members.push((name.to_owned(), value));
            }
        }
        self
    }

    fn fail(mut self, error: Error) -> Self {
        self.error.get_or_insert(error);
        self
    }

    /// Adds `kid`.
    pub fn kid(self, kid: impl Into<String>) -> Self {
        self.push("kid", Value::String(kid.into()))
    }

    /// Adds `typ` (e.g. `JWT`).
    pub fn typ(self, typ: impl Into<String>) -> Self {
        self.push("typ", Value::String(typ.into()))
    }

    /// Adds `cty`.
    pub fn cty(self, cty: impl Into<String>) -> Self {
        self.push("cty", Value::String(cty.into()))
    }

    /// Adds any other member: public (`jku`, `x5t`, ...) or private (`x-key-ver`).
    /// `alg`, `enc`, `crit` and `zip` are refused: the builder sets the first three
    /// itself and does not support compression.
    pub fn member(self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        if matches!(name.as_str(), "alg" | "enc" | "crit" | "zip") {
            let error = Error::InvalidValue {
                member: input_name(&name),
                reason: "set by the builder, or not supported",
            };
            return self.fail(error);
        }
        self.push(&name, value.into())
    }

    /// Adds a member and lists it in `crit` (RFC 7515 §4.1.11): recipients that do not
    /// understand it must refuse the token. `crit` is written just before the first such
    /// member. Registered names are refused.
    pub fn critical_member(self, name: impl Into<String>, value: impl Into<Value>) -> Self {
        let name = name.into();
        if REGISTERED_HEADER_PARAMETERS.contains(&name.as_str()) {
            let error = Error::InvalidValue {
                member: Name::Borrowed("crit"),
                reason: "lists a registered header parameter",
            };
            return self.fail(error);
        }
        let mut this = self.member(name.clone(), value);
        this.critical.push(name);
        this
    }

    /// The header text and a policy that understands its own critical names.
    fn finish(self) -> Result<(String, TokenPolicy)> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let crit = Value::from(self.critical.clone());
        let first_critical = self.critical.first();
        let mut ordered: Vec<(&str, &Value)> = Vec::with_capacity(self.members.len() + 1);
        for (name, value) in &self.members {
            if Some(name) == first_critical {
                ordered.push(("crit", &crit));
            }
            ordered.push((name.as_str(), value));
        }
        let json = write_object(ordered)?;
        let policy = self
            .critical
            .iter()
            .fold(TokenPolicy::new().max_len(usize::MAX), |p, name| {
                p.understand_critical(name.clone())
            });
        Ok((b64::encode(json.as_bytes()), policy))
    }
}

impl HeaderBuilder<JwsHeader> {
    /// The header, checked as a recipient would check it.
    pub fn build(self) -> Result<JwsHeader> {
        let (encoded, policy) = self.finish()?;
        JwsHeader::parse(&encoded, &policy)
    }
}

impl HeaderBuilder<JweHeader> {
    /// Adds `enc` here (for headers that put it after other members).
    pub fn enc(self, enc: ContentEncryption) -> Self {
        self.push("enc", Value::from(enc.name()))
    }

    /// The header, checked as a recipient would check it.
    pub fn build(self) -> Result<JweHeader> {
        let (encoded, policy) = self.finish()?;
        JweHeader::parse(&encoded, &policy)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(h: &Header) -> String {
        String::from_utf8(b64::decode(h.encoded()).unwrap()).unwrap()
    }

    #[test]
    fn builds_the_okms_data_key_header_in_order() {
        let h = JweHeader::builder(ContentEncryption::A256Gcm)
            .kid("f4d6a9e0-3c6e-4b8a-9d55-0d1f2e3a4b5c")
            .member("x-key-ver", 0)
            .build()
            .unwrap();
        assert_eq!(
            decoded(h.header()),
            r#"{"alg":"dir","enc":"A256GCM","kid":"f4d6a9e0-3c6e-4b8a-9d55-0d1f2e3a4b5c","x-key-ver":0}"#
        );
        assert_eq!(h.enc(), ContentEncryption::A256Gcm);
        assert_eq!(h.header().get("x-key-ver"), Some(&Value::from(0)));
    }

    #[test]
    fn builder_refuses_duplicates_and_reserved_names() {
        let e = JwsHeader::builder(JwsAlgorithm::Es256)
            .kid("a")
            .kid("b")
            .build();
        assert_eq!(e.unwrap_err(), Error::DuplicateMember("kid".into()));
        let e = JwsHeader::builder(JwsAlgorithm::Es256)
            .member("alg", "none")
            .build();
        assert!(e.is_err());
        let e = JweHeader::dir().kid("k").build();
        assert_eq!(e.unwrap_err(), Error::MissingMember("enc".into()));
    }

    #[test]
    fn critical_members_are_listed_before_the_first_one() {
        let h = JwsHeader::builder(JwsAlgorithm::Hs256)
            .kid("k")
            .critical_member("exp", 1363284000)
            .build()
            .unwrap();
        assert_eq!(
            decoded(h.header()),
            r#"{"alg":"HS256","kid":"k","crit":["exp"],"exp":1363284000}"#
        );
        assert_eq!(h.header().critical(), ["exp"]);
        let e = JwsHeader::parse(h.encoded(), &TokenPolicy::new());
        assert_eq!(e.unwrap_err(), Error::Critical("exp".into()));
        let ok = JwsHeader::parse(h.encoded(), &TokenPolicy::new().understand_critical("exp"));
        assert!(ok.is_ok());
        assert!(
            JwsHeader::builder(JwsAlgorithm::Hs256)
                .critical_member("kid", "x")
                .build()
                .is_err()
        );
    }

    fn parse_json(json: &str) -> Result<JwsHeader> {
        JwsHeader::parse(&b64::encode(json.as_bytes()), &TokenPolicy::new())
    }

    #[test]
    fn rejects_bad_headers() {
        assert_eq!(parse_json(r#"{"alg":"none"}"#).unwrap_err(), Error::AlgNone);
        assert!(matches!(
            parse_json(r#"{"alg":"dir"}"#),
            Err(Error::Unsupported { .. })
        ));
        assert!(parse_json(r#"{"alg":"HS256","alg":"HS256"}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","enc":"A128GCM"}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","kid":1}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","crit":[]}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","crit":["x"]}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","crit":["kid"],"kid":"a"}"#).is_err());
        assert!(parse_json(r#"{"alg":"HS256","crit":["b64"],"b64":false}"#).is_err());
        assert!(parse_json(r#"["alg"]"#).is_err());
        assert!(JwsHeader::parse("eyJhbGciOiJIUzI1NiJ9=", &TokenPolicy::new()).is_err());
        assert!(parse_json(r#"{"alg":"HS256"}"#).is_ok());
    }

    #[test]
    fn jwe_headers() {
        let parse =
            |json: &str| JweHeader::parse(&b64::encode(json.as_bytes()), &TokenPolicy::new());
        assert!(parse(r#"{"alg":"dir","enc":"A128GCM"}"#).is_ok());
        assert_eq!(
            parse(r#"{"alg":"none","enc":"A128GCM"}"#).unwrap_err(),
            Error::AlgNone
        );
        assert!(matches!(
            parse(r#"{"alg":"RSA-OAEP","enc":"A128GCM"}"#),
            Err(Error::Unsupported { .. })
        ));
        assert!(matches!(
            parse(r#"{"alg":"dir","enc":"A128CBC-HS256"}"#),
            Err(Error::Unsupported { .. })
        ));
        assert!(matches!(
            parse(r#"{"alg":"dir","enc":"A128GCM","zip":"DEF"}"#),
            Err(Error::Unsupported { .. })
        ));
        assert!(parse(r#"{"alg":"dir"}"#).is_err());
    }
}

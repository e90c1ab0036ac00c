//! JWTs (RFC 7519) as compact JWS: an ordered claims set, strict parsing, and validation
//! against a time the caller supplies (no clock is read here).

use serde_json::Value;

use crate::alg::JwsAlgorithm;
use crate::crypto::{JwsSigner, JwsVerifier};
use crate::error::{Error, Name, Result, input_name};
use crate::header::{JwsHeader, TokenPolicy};
use crate::json::{Members, write_object};
use crate::jws::{self, CompactJws};

/// A JWT Claims Set (RFC 7519 §4): members in order, no duplicates, registered claims of
/// the right type.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Claims {
    members: Vec<(String, Value)>,
}

impl Claims {
    /// An empty claims set.
    pub fn new() -> Self {
        Claims::default()
    }

    /// Parses a claims set from its JSON octets.
    pub fn from_json(json: &[u8]) -> Result<Self> {
        let mut members = Members::from_slice(json)?;
        members.check_unique()?;
        let claims = Claims {
            members: core::mem::take(&mut members.0),
        };
        claims.check_types()?;
        Ok(claims)
    }

    /// The compact JSON text, in insertion order.
    pub fn to_json(&self) -> Result<String> {
        write_object(self.members.iter().map(|(n, v)| (n.as_str(), v)))
    }

    /// Adds a claim; a name already present is [`Error::DuplicateMember`], a registered
    /// claim of the wrong type is [`Error::Claim`].
    pub fn claim(mut self, name: impl Into<String>, value: impl Into<Value>) -> Result<Self> {
        let name = name.into();
        if self.members.iter().any(|(n, _)| *n == name) {
            return Err(Error::DuplicateMember(input_name(&name)));
        }
        self.members.push((name, value.into()));
        self.check_types()?;
        Ok(self)
    }

    /// Adds `iss`.
    pub fn issuer(self, iss: impl Into<String>) -> Result<Self> {
        self.claim("iss", iss.into())
    }

    /// Adds `sub`.
    pub fn subject(self, sub: impl Into<String>) -> Result<Self> {
        self.claim("sub", sub.into())
    }

    /// Adds `aud` as a single string.
    pub fn audience(self, aud: impl Into<String>) -> Result<Self> {
        self.claim("aud", aud.into())
    }

    /// Adds `exp` (seconds since the epoch).
    pub fn expires_at(self, exp: i64) -> Result<Self> {
        self.claim("exp", exp)
    }

    /// Adds `nbf`.
    pub fn not_before(self, nbf: i64) -> Result<Self> {
        self.claim("nbf", nbf)
    }

    /// Adds `iat`.
    pub fn issued_at(self, iat: i64) -> Result<Self> {
        self.claim("iat", iat)
    }

    /// Adds `jti`.
    pub fn jwt_id(self, jti: impl Into<String>) -> Result<Self> {
        self.claim("jti", jti.into())
    }

    /// A claim's value.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.members.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// The claims, in order.
    pub fn members(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.members.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// `iss`.
    pub fn iss(&self) -> Option<&str> {
        self.get("iss").and_then(Value::as_str)
    }

    /// `sub`.
    pub fn sub(&self) -> Option<&str> {
        self.get("sub").and_then(Value::as_str)
    }

    /// `aud`, a single string or an array of strings (RFC 7519 §4.1.3).
    pub fn aud(&self) -> Vec<&str> {
        match self.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    /// `exp` in whole seconds (a fractional NumericDate is rounded down).
    pub fn exp(&self) -> Option<i64> {
        self.numeric_date("exp")
    }

    /// `nbf`.
    pub fn nbf(&self) -> Option<i64> {
        self.numeric_date("nbf")
    }

    /// `iat`.
    pub fn iat(&self) -> Option<i64> {
        self.numeric_date("iat")
    }

    /// `jti`.
    pub fn jti(&self) -> Option<&str> {
        self.get("jti").and_then(Value::as_str)
    }

    fn numeric_date(&self, name: &str) -> Option<i64> {
        let n = self.get(name)?.as_number()?;
        n.as_i64().or_else(|| {
            let f = n.as_f64()?.floor();
            // In range for i64 and finite; NumericDates far outside it are refused by
            // `check_types` anyway.
            (f.is_finite() && f.abs() < 9.0e15).then_some(f as i64)
        })
    }

    /// RFC 7519 §4.1: `iss`, `sub`, `jti` are strings, `aud` a string or array of strings,
    /// `exp`, `nbf`, `iat` NumericDates.
    fn check_types(&self) -> Result<()> {
        for (name, value) in &self.members {
            let ok = match name.as_str() {
                "iss" | "sub" | "jti" => value.is_string(),
                "aud" => {
                    value.is_string()
                        || value
                            .as_array()
                            .is_some_and(|a| a.iter().all(Value::is_string))
                }
                "exp" | "nbf" | "iat" => self.numeric_date(name).is_some(),
                _ => true,
            };
            if !ok {
                return Err(Error::Claim {
                    claim: input_name(name),
                    reason: "wrong type (RFC 7519 §4.1)",
                });
            }
        }
        Ok(())
    }

    /// Checks the time claims against `rules.now` and the expected issuer and audience.
    pub fn validate(&self, rules: &Validation) -> Result<()> {
        let claim = |name: &'static str, reason| Error::Claim {
            claim: Name::Borrowed(name),
            reason,
        };
        match self.exp() {
            Some(exp) if rules.now >= exp.saturating_add(rules.leeway) => {
                return Err(claim("exp", "expired"));
            }
            None if rules.require_exp => return Err(claim("exp", "missing")),
            _ => {}
        }
        if self
            .nbf()
            .is_some_and(|nbf| rules.now.saturating_add(rules.leeway) < nbf)
        {
            return Err(claim("nbf", "not valid yet"));
        }
        if let Some(issuer) = &rules.issuer
            && self.iss() != Some(issuer.as_str())
        {
            return Err(claim("iss", "not the expected issuer"));
        }
        if let Some(audience) = &rules.audience
            && !self.aud().contains(&audience.as_str())
        {
            return Err(claim("aud", "does not name this audience"));
        }
        Ok(())
    }
}

/// What [`Claims::validate`] checks.
#[derive(Debug, Clone)]
pub struct Validation {
    now: i64,
    leeway: i64,
    require_exp: bool,
    issuer: Option<String>,
    audience: Option<String>,
}

impl Validation {
    /// Validation at `now` (seconds since the epoch), no leeway, `exp` required.
    pub fn at(now: i64) -> Self {
        Validation {
            now,
            leeway: 0,
            require_exp: true,
            issuer: None,
            audience: None,
        }
    }

    /// Allowed clock skew in seconds.
    pub fn leeway(mut self, seconds: u32) -> Self {
        self.leeway = i64::from(seconds);
        self
    }

    /// Accept tokens without `exp`.
    pub fn exp_optional(mut self) -> Self {
        self.require_exp = false;
        self
    }

    /// Require this `iss`.
    pub fn issuer(mut self, iss: impl Into<String>) -> Self {
        self.issuer = Some(iss.into());
        self
    }

    /// Require this audience in `aud`.
    pub fn audience(mut self, aud: impl Into<String>) -> Self {
        self.audience = Some(aud.into());
        self
    }
}

/// Signs `claims` as a compact JWS.
pub fn sign<K, B>(backend: &B, key: &K, header: &JwsHeader, claims: &Claims) -> Result<String>
where
    K: ?Sized,
    B: JwsSigner<K> + ?Sized,
{
    jws::sign(backend, key, header, claims.to_json()?.as_bytes())
}

/// Parses a JWT, verifies its signature with `key` under the `expected` algorithm and
/// returns its header and claims. Time and audience are the caller's to check with
/// [`Claims::validate`]. Nested JWTs (`cty: JWT`, RFC 7519 §5.2) are not supported.
pub fn verify<K, B>(
    token: &str,
    policy: &TokenPolicy,
    backend: &B,
    key: &K,
    expected: JwsAlgorithm,
) -> Result<(JwsHeader, Claims)>
where
    K: ?Sized,
    B: JwsVerifier<K> + ?Sized,
{
    let jws = CompactJws::parse(token, policy)?;
    if jws
        .header()
        .header()
        .cty()
        .is_some_and(|cty| cty.eq_ignore_ascii_case("JWT"))
    {
        return Err(Error::Unsupported {
            what: "cty",
            value: Name::Borrowed("JWT (nested JWT)"),
        });
    }
    let payload = jws.verify(backend, key, expected)?;
    let claims = Claims::from_json(payload)?;
    Ok((jws.header().clone(), claims))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_keep_order_and_refuse_duplicates() {
        let c = Claims::new()
            .issuer("joe")
            .unwrap()
            .expires_at(1300819380)
            .unwrap()
            .claim("http://example.com/is_root", true)
            .unwrap();
        assert_eq!(
            c.to_json().unwrap(),
            r#"{"iss":"joe","exp":1300819380,"http://example.com/is_root":true}"#
        );
        assert!(c.clone().issuer("again").is_err());
        assert!(Claims::from_json(br#"{"iss":"a","iss":"b"}"#).is_err());
        assert!(Claims::from_json(br#"{"exp":"tomorrow"}"#).is_err());
        assert!(Claims::from_json(br#"{"aud":["a",1]}"#).is_err());
    }

    #[test]
    fn validates_time_issuer_and_audience() {
        let c =
            Claims::from_json(br#"{"iss":"joe","aud":["a","b"],"exp":100,"nbf":50.5}"#).unwrap();
        assert_eq!(c.nbf(), Some(50));
        assert!(c.validate(&Validation::at(60)).is_ok());
        assert!(c.validate(&Validation::at(100)).is_err());
        assert!(c.validate(&Validation::at(100).leeway(5)).is_ok());
        assert!(c.validate(&Validation::at(40)).is_err());
        assert!(
            c.validate(&Validation::at(60).issuer("joe").audience("b"))
                .is_ok()
        );
        assert!(c.validate(&Validation::at(60).issuer("ann")).is_err());
        assert!(c.validate(&Validation::at(60).audience("c")).is_err());
        let no_exp = Claims::new();
        assert!(no_exp.validate(&Validation::at(0)).is_err());
        assert!(no_exp.validate(&Validation::at(0).exp_optional()).is_ok());
    }
}

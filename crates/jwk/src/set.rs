//! JWK Sets (RFC 7517 §5).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::error::{Error, Name, Result, input_name};
use crate::json::{Members, json_error};
use crate::jwk::{Jwk, ParseOptions, UnknownMembers};

/// A JWK Set: `{"keys": [...]}`.
///
/// Every key must parse: RFC 7517 §5 lets a reader skip keys it does not understand, but a
/// key store that silently drops keys is a debugging trap, so the whole set is refused
/// ([`Error::SetMember`] says which key). Other set members follow the parse options.
#[derive(Debug, Default)]
pub struct JwkSet {
    keys: Vec<Jwk>,
    extra: Vec<(String, Value)>,
}

impl JwkSet {
    /// A set of these keys.
    pub fn new(keys: Vec<Jwk>) -> Self {
        JwkSet {
            keys,
            extra: Vec::new(),
        }
    }

    /// Parses a set with the default [`ParseOptions`].
    pub fn from_json(text: &str) -> Result<Self> {
        JwkSet::from_json_with(text, &ParseOptions::default())
    }

    /// Parses a set; `options` apply to the set's members and to every key.
    pub fn from_json_with(text: &str, options: &ParseOptions) -> Result<Self> {
        let raw: RawSet = serde_json::from_str(text).map_err(json_error)?;
        raw.build(options)
    }

    /// The keys.
    pub fn keys(&self) -> &[Jwk] {
        &self.keys
    }

    /// The first key with this `kid`.
    pub fn find(&self, kid: &str) -> Option<&Jwk> {
        self.keys.iter().find(|k| k.kid() == Some(kid))
    }

    /// Members other than `keys`, kept by [`UnknownMembers::Preserve`].
    pub fn extra_members(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.extra.iter().map(|(n, v)| (n.as_str(), v))
    }

    /// The public keys as JSON; [`Error::PrivateMembers`] if any key holds private ones.
    pub fn to_json(&self) -> Result<String> {
        if self.keys.iter().any(Jwk::has_private) {
            return Err(Error::PrivateMembers);
        }
        serde_json::to_string(self).map_err(|_| Error::Serialization)
    }
}

/// Public keys only, as for [`Jwk`].
impl Serialize for JwkSet {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if self.keys.iter().any(Jwk::has_private) {
            return Err(S::Error::custom(Error::PrivateMembers));
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("keys", &KeyList(&self.keys))?;
        for (name, value) in &self.extra {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

struct KeyList<'a>(&'a [Jwk]);

impl Serialize for KeyList<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for key in self.0 {
            seq.serialize_element(key)?;
        }
        seq.end()
    }
}

/// Parses with the default [`ParseOptions`].
impl<'de> Deserialize<'de> for JwkSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        RawSet::deserialize(deserializer)?
            .build(&ParseOptions::default())
            .map_err(serde::de::Error::custom)
    }
}

/// A set as read: the keys as ordered member lists (so that each key's duplicates are
/// still seen), other members as JSON.
struct RawSet(Vec<(String, RawValue)>);

enum RawValue {
    Keys(Vec<Members>),
    Other(Value),
}

impl RawSet {
    fn build(self, options: &ParseOptions) -> Result<JwkSet> {
        let mut names = std::collections::BTreeSet::new();
        if let Some((name, _)) = self.0.iter().find(|(n, _)| !names.insert(n.as_str())) {
            return Err(Error::DuplicateMember(input_name(name)));
        }
        let mut keys = None;
        let mut extra = Vec::new();
        for (name, value) in self.0 {
            match value {
                RawValue::Keys(list) => keys = Some(list),
                RawValue::Other(value) => match options.unknown_member_policy() {
                    UnknownMembers::Reject => {
                        return Err(Error::UnknownMember(input_name(&name)));
                    }
                    _ => extra.push((name, value)),
                },
            }
        }
        let keys = keys
            .ok_or(Error::MissingMember(Name::Borrowed("keys")))?
            .into_iter()
            .enumerate()
            .map(|(index, members)| {
                Jwk::from_members(members, options).map_err(|e| Error::SetMember {
                    index,
                    source: Box::new(e),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(JwkSet { keys, extra })
    }
}

impl<'de> Deserialize<'de> for RawSet {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct SetVisitor;

        impl<'de> Visitor<'de> for SetVisitor {
            type Value = RawSet;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JWK Set object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawSet, A::Error> {
                let mut out = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    let value = if name == "keys" {
                        RawValue::Keys(map.next_value()?)
                    } else {
                        RawValue::Other(map.next_value()?)
                    };
                    out.push((name, value));
                }
                Ok(RawSet(out))
            }
        }

        deserializer.deserialize_map(SetVisitor)
    }
}

//! Request bodies: JSON only, nesting bounded, duplicate and unknown members refused,
//! and errors that name the field without echoing what the client sent.
//!
//! A body is parsed in two steps. First into [`Node`], a JSON tree that keeps members in
//! order, refuses duplicate names and wipes its strings on drop (a body may carry
//! plaintexts and private keys); a byte scan bounds the nesting at [`MAX_DEPTH`] before
//! serde_json runs. Then the request type is deserialized from the tree through a
//! deserializer that tracks the path (`keys[0].kty`), so a type error says which field
//! is wrong. serde's own messages quote the offending value (`invalid type: string
//! "…"`); ours never do.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use zeroize::Zeroize;

use crate::dto::Validate;
use crate::error::ApiError;

/// Deepest nesting of arrays and objects a body may have. The deepest request of the
/// spec (an import: object → `keys` array → JWK object → `key_ops` array) has 4.
pub(crate) const MAX_DEPTH: usize = 32;

/// Whether a Content-Type names JSON: `application/json`, `text/json` or
/// `application/<anything>+json`, parameters (`; charset=utf-8`) ignored. The spec lists
/// the last two for PATCH only; accepting them everywhere is harmless and simpler for
/// clients.
pub(crate) fn is_json_content_type(value: &str) -> bool {
    let essence = value
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || essence == "text/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Parses and validates a request body of type `T`.
pub(crate) fn parse<T: DeserializeOwned + Validate>(body: &[u8]) -> Result<T, ApiError> {
    let node = parse_tree(body)?;
    let value = T::deserialize(NodeDeserializer {
        node: &node,
        path: Path::Root,
    })
    .map_err(ApiError::from)?;
    value.validate()?;
    Ok(value)
}

/// Parses a body into a [`Node`] tree, depth and syntax checked.
pub(crate) fn parse_tree(body: &[u8]) -> Result<Node, ApiError> {
    if body.is_empty() {
        return Err(ApiError::bad_request("the request body is empty"));
    }
    check_depth(body)?;
    let node: Node = serde_json::from_slice(body).map_err(|e| {
        // serde_json's syntax errors say where, not what: keep the position only.
        if e.is_data() {
            // Only Node's own errors (duplicate member), which hold no value.
            ApiError::bad_request(format!("malformed JSON: {e}"))
        } else {
            ApiError::bad_request(format!(
                "malformed JSON at line {} column {}",
                e.line(),
                e.column()
            ))
        }
    })?;
    if !matches!(node, Node::Object(_)) {
        return Err(ApiError::bad_request(
            "the request body must be a JSON object",
        ));
    }
    Ok(node)
}

/// Refuses bodies nested deeper than [`MAX_DEPTH`] with a byte scan (brackets outside
/// strings), so a 10,000-deep body costs one pass and no recursion.
fn check_depth(body: &[u8]) -> Result<(), ApiError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in body {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ApiError::bad_request(format!(
                        "JSON nested deeper than {MAX_DEPTH} levels"
                    )));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

/// A JSON value, members in order, strings wiped on drop.
#[derive(Debug)]
pub(crate) enum Node {
    /// null
    Null,
    /// true, false
    Bool(bool),
    /// A number.
    Number(serde_json::Number),
    /// A string.
    String(String),
    /// An array.
    Array(Vec<Node>),
    /// An object; member names are unique.
    Object(Vec<(String, Node)>),
}

impl Drop for Node {
    fn drop(&mut self) {
        match self {
            Node::String(s) => s.zeroize(),
            Node::Object(members) => members.iter_mut().for_each(|(k, _)| k.zeroize()),
            _ => {}
        }
    }
}

impl Node {
    /// What kind of JSON value this is, for messages.
    fn kind(&self) -> &'static str {
        match self {
            Node::Null => "null",
            Node::Bool(_) => "a boolean",
            Node::Number(_) => "a number",
            Node::String(_) => "a string",
            Node::Array(_) => "an array",
            Node::Object(_) => "an object",
        }
    }
}

impl<'de> de::Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Node, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Node, E> {
        serde_json::Number::from_f64(v)
            .map(Node::Number)
            .ok_or_else(|| E::custom("a number out of range"))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::String(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut members: Vec<(String, Node)> = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if members.iter().any(|(k, _)| *k == key) {
                return Err(de::Error::custom(format!(
                    "duplicate member {}",
                    printable_name(&key)
                )));
            }
            let value = map.next_value()?;
            members.push((key, value));
        }
        Ok(Node::Object(members))
    }
}

/// A member name fit for a message: short identifiers are quoted, anything else is not
/// repeated.
fn printable_name(name: &str) -> String {
    if !name.is_empty()
        && name.len() <= 40
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        format!("`{name}`")
    } else {
        "(name not shown)".to_owned()
    }
}

/// Where in the document a value is.
#[derive(Clone, Copy)]
enum Path<'a> {
    Root,
    Member(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("body"),
            Path::Member(Path::Root, name) => f.write_str(name),
            Path::Member(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A message for the client; never holds a value from the request.
#[derive(Debug)]
pub(crate) struct PathError(String);

impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PathError {}

impl de::Error for PathError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        PathError(msg.to_string())
    }

    fn invalid_type(_unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        PathError(format!("wrong type, expected {expected}"))
    }

    fn invalid_value(_unexpected: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        PathError(format!("invalid value, expected {expected}"))
    }

    fn invalid_length(len: usize, expected: &dyn de::Expected) -> Self {
        PathError(format!("invalid length {len}, expected {expected}"))
    }

    fn unknown_variant(_variant: &str, expected: &'static [&'static str]) -> Self {
        PathError(format!(
            "unknown value, expected one of: {}",
            expected.join(", ")
        ))
    }

    fn unknown_field(field: &str, _expected: &'static [&'static str]) -> Self {
        PathError(format!("unknown field {}", printable_name(field)))
    }

    fn missing_field(field: &'static str) -> Self {
        PathError(format!("missing field `{field}`"))
    }

    fn duplicate_field(field: &'static str) -> Self {
        PathError(format!("duplicate field `{field}`"))
    }
}

/// Deserializes a request type from a [`Node`], prefixing errors with the path.
struct NodeDeserializer<'a> {
    node: &'a Node,
    path: Path<'a>,
}

impl NodeDeserializer<'_> {
    /// Prefixes an error with the path (once: inner values prefix first).
    fn at(&self, e: PathError) -> PathError {
        if e.0.starts_with('\u{0}') {
            return e;
        }
        let where_ = match self.path {
            Path::Root => String::new(),
            p => format!("{p}: "),
        };
        PathError(format!("\u{0}{where_}{}", e.0))
    }
}

/// Removes the internal "already prefixed" marker.
fn finish(e: PathError) -> PathError {
    PathError(e.0.trim_start_matches('\u{0}').to_owned())
}

impl<'de, 'a> Deserializer<'de> for NodeDeserializer<'a> {
    type Error = PathError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        let result = match self.node {
            Node::Null => visitor.visit_unit(),
            Node::Bool(b) => visitor.visit_bool(*b),
            Node::Number(n) => {
                if let Some(u) = n.as_u64() {
                    visitor.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    visitor.visit_i64(i)
                } else {
                    visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN))
                }
            }
            Node::String(s) => visitor.visit_str(s),
            Node::Array(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
                parent: &self.path,
            }),
            Node::Object(members) => visitor.visit_map(Members {
                members: members.iter(),
                pending: None,
                parent: &self.path,
            }),
        };
        result.map_err(|e| self.at(e))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, PathError> {
        match self.node {
            Node::Null => visitor.visit_none().map_err(|e| self.at(e)),
            _ => {
                let path = self.path;
                let node = self.node;
                visitor
                    .visit_some(NodeDeserializer { node, path })
                    .map_err(|e| NodeDeserializer { node, path }.at(e))
            }
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, PathError> {
        match self.node {
            Node::String(s) => {
                let d: de::value::StrDeserializer<'_, PathError> = s.as_str().into_deserializer();
                visitor.visit_enum(d).map_err(|e| self.at(e))
            }
            other => Err(self.at(PathError(format!(
                "wrong type {}, expected one of: {}",
                other.kind(),
                variants.join(", ")
            )))),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, PathError> {
        let path = self.path;
        let node = self.node;
        visitor
            .visit_newtype_struct(NodeDeserializer { node, path })
            .map_err(|e| NodeDeserializer { node, path }.at(e))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

struct Items<'a, I> {
    items: I,
    parent: &'a Path<'a>,
}

impl<'de, 'a, I: Iterator<Item = (usize, &'a Node)>> SeqAccess<'de> for Items<'a, I> {
    type Error = PathError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, PathError> {
        match self.items.next() {
            None => Ok(None),
            Some((i, node)) => {
                let path = Path::Index(self.parent, i);
                seed.deserialize(NodeDeserializer { node, path }).map(Some)
            }
        }
    }
}

struct Members<'a, I> {
    members: I,
    pending: Option<(&'a str, &'a Node)>,
    parent: &'a Path<'a>,
}

impl<'de, 'a, I: Iterator<Item = &'a (String, Node)>> MapAccess<'de> for Members<'a, I> {
    type Error = PathError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, PathError> {
        match self.members.next() {
            None => Ok(None),
            Some((name, node)) => {
                self.pending = Some((name.as_str(), node));
                let key: de::value::StrDeserializer<'_, PathError> =
                    name.as_str().into_deserializer();
                seed.deserialize(key).map(Some)
            }
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, PathError> {
        let (name, node) = self
            .pending
            .take()
            .ok_or_else(|| PathError("internal: value before key".to_owned()))?;
        let path = Path::Member(self.parent, name);
        seed.deserialize(NodeDeserializer { node, path })
    }
}

/// The error message a deserialization produced, without the internal marker.
impl From<PathError> for ApiError {
    fn from(e: PathError) -> ApiError {
        ApiError::bad_request(finish(e).0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Inner {
        kty: crate::dto::KeyType,
        #[serde(default)]
        size: Option<u32>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Outer {
        name: String,
        #[serde(default)]
        keys: Option<Vec<Inner>>,
        #[serde(default)]
        flag: Option<bool>,
    }

    impl Validate for Outer {
        fn validate(&self) -> Result<(), ApiError> {
            Ok(())
        }
    }

    fn message(body: &str) -> String {
        let e = parse::<Outer>(body.as_bytes()).unwrap_err();
        assert_eq!(e.status, http::StatusCode::BAD_REQUEST);
        e.messages.join("; ")
    }

    #[test]
    fn parses_nested_values_and_nulls() {
        let o: Outer =
            parse(br#"{"name":"n","keys":[{"kty":"RSA","size":null}],"flag":null}"#).unwrap();
        assert_eq!(o.name, "n");
        let keys = o.keys.unwrap();
        assert_eq!(keys[0].kty, crate::dto::KeyType::Rsa);
        assert_eq!(keys[0].size, None);
        assert!(o.flag.is_none());
    }

    #[test]
    fn names_the_field_without_the_value() {
        let m = message(r#"{"name":"n","keys":[{"kty":"SECRETVALUE"}]}"#);
        assert!(m.starts_with("keys[0].kty: unknown value"), "{m}");
        assert!(!m.contains("SECRETVALUE"), "{m}");
        let m = message(r#"{"name":12345678}"#);
        assert!(m.starts_with("name: wrong type"), "{m}");
        assert!(!m.contains("12345678"), "{m}");
        let m = message(r#"{"name":"n","keys":[{"kty":"oct","size":"SECRET"}]}"#);
        assert!(m.starts_with("keys[0].size: wrong type"), "{m}");
        assert!(!m.contains("SECRET"), "{m}");
        let m = message(r#"{"name":"n","keys":[{"kty":"oct","size":-1}]}"#);
        assert!(m.starts_with("keys[0].size: invalid value"), "{m}");
        let m = message(r#"{"name":"n","keys":{"kty":"oct"}}"#);
        assert!(m.starts_with("keys: wrong type"), "{m}");
    }

    #[test]
    fn refuses_unknown_missing_and_duplicate_members() {
        assert!(message(r#"{"name":"n","extra":1}"#).contains("unknown field `extra`"));
        assert!(message(r#"{"keys":[]}"#).contains("missing field `name`"));
        assert!(message(r#"{"name":"a","name":"b"}"#).contains("duplicate member `name`"));
        let m = message(r#"{"name":"n","keys":[{"kty":"oct","SECRET VALUE":1}]}"#);
        assert!(m.starts_with("keys[0]: unknown field"), "{m}");
        assert!(!m.contains("SECRET"), "{m}");
    }

    #[test]
    fn refuses_malformed_and_non_object_bodies() {
        assert!(message(r#"{"name":"n""#).contains("malformed JSON"));
        assert!(message(r#"["name"]"#).contains("must be a JSON object"));
        assert!(message("").contains("empty"));
        assert!(message(r#"{"name":"n"} trailing"#).contains("malformed JSON"));
    }

    #[test]
    fn bounds_nesting_without_recursing() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(message(&deep).contains("nested deeper"));
        let deep_obj = format!("{}{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
        assert!(message(&deep_obj).contains("nested deeper"));
        // Brackets inside strings do not count.
        let o: Outer = parse(format!(r#"{{"name":"{}"}}"#, "[".repeat(100)).as_bytes()).unwrap();
        assert_eq!(o.name.len(), 100);
    }

    #[test]
    fn recognises_json_content_types() {
        for ok in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON",
            "text/json",
            "application/merge-patch+json",
        ] {
            assert!(is_json_content_type(ok), "{ok}");
        }
        for bad in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "",
            "json",
        ] {
            assert!(!is_json_content_type(bad), "{bad}");
        }
    }
}

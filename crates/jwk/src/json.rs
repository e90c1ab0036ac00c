//! JSON objects read member by member, in order, so that duplicates can be refused
//! (RFC 7515 §5.2, RFC 7519 §4) and private header members keep their place.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use zeroize::Zeroize;

use crate::error::{Error, Result, input_name};

/// The members of one JSON object in document order, duplicates included. String values are
/// wiped when dropped: they may be key material.
#[derive(Debug, Default)]
pub(crate) struct Members(pub(crate) Vec<(String, Value)>);

impl Members {
    /// Parses `text` as one JSON object.
    pub(crate) fn from_slice(text: &[u8]) -> Result<Self> {
        serde_json::from_slice(text).map_err(json_error)
    }

    /// Refuses the first member name that occurs twice.
    pub(crate) fn check_unique(&self) -> Result<()> {
        let mut seen = BTreeSet::new();
        for (name, _) in &self.0 {
            if !seen.insert(name.as_str()) {
                return Err(Error::DuplicateMember(input_name(name)));
            }
        }
        Ok(())
    }

    /// Drops members whose value is `null`.
    pub(crate) fn drop_nulls(&mut self) {
        self.0.retain(|(_, value)| !value.is_null());
    }

    /// Takes the value of `name` out (leaving `null` in its place).
    pub(crate) fn take(&mut self, name: &str) -> Option<Value> {
        self.0
            .iter_mut()
            .find(|(n, _)| n == name)
            .map(|(_, v)| core::mem::take(v))
    }

    /// Readies the members to be taken out one by one, in order, with
    /// [`Members::next_member`]. Whatever is not taken out when the value drops (after an
    /// early error) is still wiped, which a `drain` would not do.
    pub(crate) fn into_queue(mut self) -> Self {
        self.0.reverse();
        self
    }

    /// The next member of a [`Members::into_queue`] queue.
    pub(crate) fn next_member(&mut self) -> Option<(String, Value)> {
        self.0.pop()
    }
}

impl Drop for Members {
    fn drop(&mut self) {
        for (_, value) in &mut self.0 {
            wipe(value);
        }
    }
}

/// Wipes every string inside `value`.
pub(crate) fn wipe(value: &mut Value) {
    match value {
        Value::String(s) => s.zeroize(),
        Value::Array(items) => items.iter_mut().for_each(wipe),
        Value::Object(map) => map.values_mut().for_each(wipe),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

/// Maps a `serde_json` error without echoing any of the input.
pub(crate) fn json_error(e: serde_json::Error) -> Error {
    match e.classify() {
        serde_json::error::Category::Data => Error::NotAnObject,
        _ => Error::Json {
            line: e.line(),
            column: e.column(),
        },
    }
}

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;

        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a JSON object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
                let mut members = Members(Vec::with_capacity(map.size_hint().unwrap_or(0)));
                while let Some(name) = map.next_key::<String>()? {
                    let value = map.next_value::<Value>()?;
                    members.0.push((name, value));
                }
                Ok(members)
            }
        }

        deserializer.deserialize_map(MembersVisitor)
    }
}

/// Writes `{"name":value,...}` in the given order, compactly.
pub(crate) fn write_object<'a>(
    members: impl IntoIterator<Item = (&'a str, &'a Value)>,
) -> Result<String> {
    let mut out = String::from("{");
    for (i, (name, value)) in members.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(name).map_err(|_| Error::Serialization)?);
        out.push(':');
        out.push_str(&serde_json::to_string(value).map_err(|_| Error::Serialization)?);
    }
    out.push('}');
    Ok(out)
}

/// An `io::Write` sink for serialized secrets: when it grows, the old buffer is wiped.
#[derive(Default)]
pub(crate) struct ZeroizingWriter(zeroize::Zeroizing<Vec<u8>>);

impl ZeroizingWriter {
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        ZeroizingWriter(zeroize::Zeroizing::new(Vec::with_capacity(capacity)))
    }

    /// The text written, as a string wiped on drop.
    pub(crate) fn into_string(self) -> Result<zeroize::Zeroizing<String>> {
        let mut this = self;
        let bytes = core::mem::take(&mut *this.0);
        match String::from_utf8(bytes) {
            Ok(text) => Ok(zeroize::Zeroizing::new(text)),
            Err(e) => {
                let mut bytes = e.into_bytes();
                bytes.zeroize();
                Err(Error::Serialization)
            }
        }
    }
}

impl std::io::Write for ZeroizingWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let needed = self.0.len().saturating_add(buf.len());
        if needed > self.0.capacity() {
            let mut grown = Vec::with_capacity(needed.max(self.0.capacity().saturating_mul(2)));
            grown.extend_from_slice(&self.0);
            // The old buffer is wiped as the Zeroizing wrapper drops it.
            self.0 = zeroize::Zeroizing::new(grown);
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_order_and_duplicates() {
        let m = Members::from_slice(br#"{"b":1,"a":2,"b":3}"#).unwrap();
        let names: Vec<_> = m.0.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["b", "a", "b"]);
        assert_eq!(m.check_unique(), Err(Error::DuplicateMember("b".into())));
    }

    #[test]
    fn errors_do_not_echo_input() {
        assert_eq!(
            Members::from_slice(br#""secret""#).unwrap_err(),
            Error::NotAnObject
        );
        let e = Members::from_slice(br#"{"a":"secret""#).unwrap_err();
        assert!(matches!(e, Error::Json { .. }));
        assert!(!e.to_string().contains("secret"));
        assert!(Members::from_slice(br#"{"a":1} x"#).is_err());
    }

    #[test]
    fn writes_compact_objects_in_order() {
        let a = Value::from("dir");
        let b = Value::from(0);
        assert_eq!(
            write_object([("alg", &a), ("x-key-ver", &b)]).unwrap(),
            r#"{"alg":"dir","x-key-ver":0}"#
        );
    }

    #[test]
    fn zeroizing_writer_grows() {
        use std::io::Write;
        let mut w = ZeroizingWriter::with_capacity(1);
        w.write_all(b"hello ").unwrap();
        w.write_all(b"world").unwrap();
        assert_eq!(w.into_string().unwrap().as_str(), "hello world");
    }
}

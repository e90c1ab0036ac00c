//! A diagnostic tree printer that never prints key material.
//!
//! Byte strings and big integers are shown only as their length: any of them may be key
//! material, plaintext or a secret component, and a diagnostic never needs the bytes.
//! Text at or below a secret-bearing tag ([`crate::Tag::is_secret_bearing`]: Password,
//! One Time Password, anything under Credential Value) is shown as `[redacted]`.
//! Everything else (tags, types, enumerations by name, numbers, text, dates) is shown.

use core::fmt::{self, Write};

use crate::dictionary::{TagKind, tag_info};
use crate::{Ttlv, Value};

/// Wraps an item so that `Display` prints it as an indented, redacted tree.
#[derive(Debug, Clone, Copy)]
pub struct Pretty<'a>(pub &'a Ttlv);

impl fmt::Display for Pretty<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_item(f, self.0, 0, false)
    }
}

/// Renders an item as an indented, redacted tree.
pub fn to_string(item: &Ttlv) -> String {
    Pretty(item).to_string()
}

/// Writes `item` at `depth`; `parent_secret` tells whether an ancestor is
/// secret-bearing, which makes the text of the whole subtree secret.
fn write_item(
    f: &mut fmt::Formatter<'_>,
    item: &Ttlv,
    depth: usize,
    parent_secret: bool,
) -> fmt::Result {
    let secret = parent_secret || item.tag.is_secret_bearing();
    for _ in 0..depth {
        f.write_str("  ")?;
    }
    write!(f, "{} ({})", item.tag, item.item_type())?;
    let kind = tag_info(item.tag).map(|i| i.kind);
    match &item.value {
        Value::Structure(children) => {
            f.write_char('\n')?;
            for child in children {
                write_item(f, child, depth + 1, secret)?;
            }
            return Ok(());
        }
        Value::Integer(v) => match kind {
            Some(TagKind::Mask(def)) => {
                write!(f, ": 0x{v:08X}")?;
                let names: Vec<&str> = def
                    .bits
                    .iter()
                    .filter(|b| (*v as u32) & b.value != 0)
                    .map(|b| b.xml_name)
                    .collect();
                if !names.is_empty() {
                    write!(f, " [{}]", names.join(" "))?;
                }
            }
            _ => write!(f, ": {v}")?,
        },
        Value::LongInteger(v) => write!(f, ": {v}")?,
        Value::Enumeration(v) => match kind.and_then(|k| match k {
            TagKind::Enumeration(def) => def.by_value(*v),
            _ => None,
        }) {
            Some(entry) => write!(f, ": {}", entry.xml_name)?,
            None => write!(f, ": 0x{v:08X}")?,
        },
        Value::Boolean(v) => write!(f, ": {v}")?,
        Value::TextString(_) if secret => f.write_str(": [redacted]")?,
        Value::TextString(v) => write!(f, ": {v:?}")?,
        Value::ByteString(v) => write!(f, ": [{} bytes redacted]", v.len())?,
        Value::BigInteger(v) => write!(f, ": [{} bytes redacted]", v.as_wire_bytes().len())?,
        Value::DateTime(v) => write!(f, ": {v} (seconds since epoch)")?,
        Value::Interval(v) => write!(f, ": {v} s")?,
        Value::DateTimeExtended(v) => write!(f, ": {v} (microseconds since epoch)")?,
    }
    f.write_char('\n')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Tag;

    #[test]
    fn never_prints_byte_strings() {
        let secret = vec![0xDE, 0xAD, 0xBE, 0xEF];
        let tree = Ttlv::structure(
            Tag::KEY_VALUE,
            vec![Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(secret))],
        );
        let text = to_string(&tree);
        assert!(
            text.contains("KeyMaterial (ByteString): [4 bytes redacted]"),
            "{text}"
        );
        for needle in ["DE", "de", "222", "173"] {
            assert!(!text.contains(&format!("{needle}, ")), "{text}");
        }
        assert!(!text.to_lowercase().contains("deadbeef"));
    }

    #[test]
    fn never_prints_passwords_or_credential_values() {
        let text = |tag, v: &str| Ttlv::new(tag, Value::TextString(v.to_owned()));
        let tree = Ttlv::structure(
            Tag::AUTHENTICATION,
            vec![
                Ttlv::structure(
                    Tag::CREDENTIAL,
                    vec![
                        Ttlv::new(Tag::CREDENTIAL_TYPE, Value::Enumeration(1)),
                        Ttlv::structure(
                            Tag::CREDENTIAL_VALUE,
                            vec![
                                text(Tag::USERNAME, "alice-the-user"),
                                text(Tag::PASSWORD, "hunter2-password"),
                            ],
                        ),
                    ],
                ),
                text(Tag::ONE_TIME_PASSWORD, "123456-otp"),
                text(Tag::NAME_VALUE, "shown-name"),
            ],
        );
        let printed = to_string(&tree);
        for secret in ["alice-the-user", "hunter2-password", "123456-otp"] {
            assert!(!printed.contains(secret), "{secret} in\n{printed}");
        }
        assert!(
            printed.contains("      Password (TextString): [redacted]\n"),
            "{printed}"
        );
        assert!(
            printed.contains("  OneTimePassword (TextString): [redacted]\n"),
            "{printed}"
        );
        assert!(
            printed.contains("NameValue (TextString): \"shown-name\""),
            "{printed}"
        );
        assert!(
            printed.contains("CredentialType (Enumeration): UsernameAndPassword"),
            "{printed}"
        );
    }
}

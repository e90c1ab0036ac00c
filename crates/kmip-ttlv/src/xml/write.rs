//! TTLV → XML, indented two spaces per level like the OASIS test cases.

use core::fmt::Write;

use super::{XmlWriteError, is_xml_char};
use crate::dictionary::tag_info;
use crate::value_text::{self, Interpretation, Siblings};
use crate::{Ttlv, Value};

/// Writes an item (usually a whole message) as indented XML, one element per line.
///
/// Enumerations and masks are written by name where the dictionary has one, dates as
/// ISO 8601 in UTC, and tags the dictionary does not name as `<TTLV tag="0x...">`.
/// [`super::from_str`] reads the output back to the same tree.
///
/// Fails on a Text String holding a character XML 1.0 cannot carry, not even as a
/// character reference (U+0000 to U+001F except tab, line feed and carriage return,
/// U+FFFE, U+FFFF): no conforming reader, this crate's included, would accept the
/// output.
pub fn to_string(item: &Ttlv) -> Result<String, XmlWriteError> {
    let mut out = String::new();
    write_item(&mut out, item, 0, Siblings::new())?;
    Ok(out)
}

/// Writes `item`; `siblings` tells how its value is named among its parent's children.
fn write_item(
    out: &mut String,
    item: &Ttlv,
    depth: usize,
    siblings: Siblings,
) -> Result<(), XmlWriteError> {
    for _ in 0..depth {
        out.push_str("  ");
    }
    let name = match tag_info(item.tag) {
        Some(info) => info.xml_name,
        None => "TTLV",
    };
    out.push('<');
    out.push_str(name);
    if name == "TTLV" {
        out.push_str(" tag=\"");
        out.push_str(&value_text::format_tag_hex(item.tag));
        out.push('"');
    }
    match &item.value {
        Value::Structure(children) if children.is_empty() => out.push_str("/>\n"),
        Value::Structure(children) => {
            out.push_str(">\n");
            let mut siblings = Siblings::new();
            for child in children {
                write_item(out, child, depth + 1, siblings).map_err(|mut e| {
                    e.path_mut().push_front(item.tag);
                    e
                })?;
                siblings.saw(child);
            }
            for _ in 0..depth {
                out.push_str("  ");
            }
            out.push_str("</");
            out.push_str(name);
            out.push_str(">\n");
        }
        value => {
            out.push_str(" type=\"");
            out.push_str(value.item_type().name());
            out.push_str("\" value=\"");
            let interpretation = siblings.interpretation(item.tag);
            escape_into(out, &value_text(value, interpretation)).map_err(|position| {
                let mut path = crate::TagPath::new();
                path.push(item.tag);
                XmlWriteError::NotXmlChar { path, position }
            })?;
            out.push_str("\"/>\n");
        }
    }
    Ok(())
}

/// The `value` attribute of a primitive item.
fn value_text(value: &Value, interpretation: Interpretation) -> String {
    match value {
        Value::Integer(v) => match interpretation {
            Interpretation::Mask(def) => value_text::format_mask(*v, def, " "),
            _ => v.to_string(),
        },
        Value::LongInteger(v) => v.to_string(),
        Value::Interval(v) => v.to_string(),
        Value::Enumeration(v) => value_text::format_enumeration(*v, interpretation),
        Value::Boolean(v) => v.to_string(),
        Value::TextString(v) => v.clone(),
        Value::ByteString(v) => value_text::format_hex(v),
        Value::BigInteger(v) => value_text::format_hex(v.as_wire_bytes()),
        Value::DateTime(v) => value_text::format_date_time(*v),
        Value::DateTimeExtended(v) => value_text::format_date_time_extended(*v),
        Value::Structure(_) => String::new(),
    }
}

/// Escapes attribute text. Tabs, line ends and other control characters become
/// character references so that a conforming parser's attribute-value normalisation
/// cannot turn them into spaces. Fails with the position (from 1, in characters) of
/// the first character XML 1.0 cannot carry at all.
fn escape_into(out: &mut String, text: &str) -> Result<(), usize> {
    for (i, c) in text.chars().enumerate() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if !is_xml_char(c) => return Err(i + 1),
            c if c.is_control() => {
                let _ = write!(out, "&#x{:X};", u32::from(c));
            }
            c => out.push(c),
        }
    }
    Ok(())
}

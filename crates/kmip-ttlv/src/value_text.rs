//! Text forms of TTLV values shared by the XML and JSON encodings
//! (KMIP Additional Message Encodings v1.0 §4.1.5 and §6.1.5, and the JSON and XML
//! Encoding sections of the KMIP 2.0 and 2.1 specifications).
//!
//! Both encodings spell a value the same way except for a few details the callers
//! handle (mask separators, JSON numbers and booleans). What a value means beyond its
//! TTLV type, an enumeration or a mask, comes from the dictionary through
//! [`Interpretation`].

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use time::macros::format_description;

use crate::dictionary::{
    EnumDef, MaskDef, TagInfo, TagKind, longest_tag_name, tag_by_name, tag_info,
};
use crate::{ItemType, Tag};

/// Why a value cannot be read from its text form.
///
/// Errors quote what a reader needs to fix the input (a misspelt enumeration name, a
/// malformed date), never text that may be a secret: Byte String and Big Integer text
/// is described by its length and the position of its first bad digit, and every value
/// at or below a secret-bearing tag ([`crate::Tag::is_secret_bearing`]) by its length.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ValueError {
    /// The text is not a value of the declared type.
    #[error("invalid {item_type} value {value}: {reason}")]
    Invalid {
        /// The declared type.
        item_type: ItemType,
        /// The text.
        value: Shown,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The hex text of a Byte String or Big Integer is not valid. The text itself is
    /// never kept: it may be key material.
    #[error(
        "invalid {item_type}: {reason} ({chars} characters{})",
        FirstBadDigit(*.first_bad_digit)
    )]
    InvalidBytes {
        /// The declared type.
        item_type: ItemType,
        /// Length of the text in characters.
        chars: usize,
        /// Position of the first character that is not a hex digit, from 1.
        first_bad_digit: Option<usize>,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// A name that the item's enumeration or mask does not define.
    #[error("{name} is not a known {set} name")]
    UnknownName {
        /// The enumeration or mask ("Cryptographic Algorithm", "tag").
        set: &'static str,
        /// The name.
        name: Shown,
    },
    /// A name given to an item that is not an enumeration or a mask, so only numbers
    /// are accepted.
    #[error("{name} given to a {item_type} that takes no names (use a number or 0x hex)")]
    NameNotAllowed {
        /// The item's type.
        item_type: ItemType,
        /// The name.
        name: Shown,
    },
    /// A `$` placeholder that no hook resolved.
    #[error("unresolved placeholder {0}")]
    Placeholder(Shown),
    /// A placeholder hook returned a value of another type.
    #[error("placeholder {name} resolved to a {got}, not a {expected}")]
    PlaceholderType {
        /// The placeholder.
        name: Shown,
        /// The item's declared type.
        expected: ItemType,
        /// The type of the value the hook returned.
        got: ItemType,
    },
}

impl ValueError {
    /// The same error with any quoted text replaced by the length of the value, `chars`
    /// characters: for values at or below a secret-bearing tag.
    pub(crate) fn withheld(self, chars: usize) -> Self {
        let withheld = Shown::Withheld { chars };
        match self {
            ValueError::Invalid {
                item_type, reason, ..
            } => ValueError::Invalid {
                item_type,
                value: withheld,
                reason,
            },
            ValueError::UnknownName { set, .. } => ValueError::UnknownName {
                set,
                name: withheld,
            },
            ValueError::NameNotAllowed { item_type, .. } => ValueError::NameNotAllowed {
                item_type,
                name: withheld,
            },
            ValueError::Placeholder(_) => ValueError::Placeholder(withheld),
            ValueError::PlaceholderType { expected, got, .. } => ValueError::PlaceholderType {
                name: withheld,
                expected,
                got,
            },
            bytes @ ValueError::InvalidBytes { .. } => bytes,
        }
    }
}

/// Input text as an error shows it: quoted, or only its length where it may be a
/// secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Shown {
    /// The text, shortened to its first 64 characters and `...` when longer.
    Quoted(String),
    /// Text that may be a secret: its length only.
    Withheld {
        /// Length in characters.
        chars: usize,
    },
}

impl Shown {
    /// Quotes `text`, shortened when long.
    pub(crate) fn quoted(text: &str) -> Self {
        Shown::Quoted(quote(text))
    }
}

impl core::fmt::Display for Shown {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Shown::Quoted(text) => write!(f, "{text:?}"),
            Shown::Withheld { chars } => write!(f, "[{chars} characters withheld]"),
        }
    }
}

/// Formats the position part of [`ValueError::InvalidBytes`].
struct FirstBadDigit(Option<usize>);

impl core::fmt::Display for FirstBadDigit {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.0 {
            Some(at) => write!(f, ", the first that is not a hex digit is character {at}"),
            None => Ok(()),
        }
    }
}

/// Resolves a `$` placeholder (`$NOW`, `$DATA_0`) of the given type to a value.
#[cfg(feature = "xml")]
pub type PlaceholderHook<'a> = &'a dyn Fn(&str, ItemType) -> Option<crate::Value>;

/// How an item's value is named, beyond its TTLV type.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Interpretation {
    /// Numbers only.
    Plain,
    /// An Enumeration with named values.
    Enumeration(&'static EnumDef),
    /// An Integer bit mask with named bits.
    Mask(&'static MaskDef),
    /// An Enumeration whose values are tag numbers named by the tag name
    /// (KMIP 2.0 Attribute Reference and Tag).
    TagName,
}

#[cfg(test)]
thread_local! {
    /// Attribute Names resolved to an interpretation on this thread, for the tests that
    /// check each is resolved once, not once per Attribute Value.
    static NAMES_RESOLVED: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
}

/// The number of Attribute Names resolved on this thread since the last call.
#[cfg(test)]
pub(crate) fn take_names_resolved() -> usize {
    NAMES_RESOLVED.with(|n| n.replace(0))
}

/// Longest piece of input quoted in an error.
const QUOTE_MAX: usize = 64;

/// Shortens input quoted in an error message, on a character boundary.
pub(crate) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX) {
        Some((end, _)) => format!("{}...", text.get(..end).unwrap_or_default()),
        None => text.to_owned(),
    }
}

fn invalid(item_type: ItemType, value: &str, reason: &'static str) -> ValueError {
    ValueError::Invalid {
        item_type,
        value: Shown::quoted(value),
        reason,
    }
}

/// How the value of the item `tag` is named, among the children of one structure.
///
/// In KMIP 1.x an Attribute Value takes the enumeration or mask of the attribute it
/// carries, named by the Attribute Name sibling before it. Readers and writers feed
/// every child to [`Siblings::saw`] in order, which resolves each Attribute Name once,
/// when it is seen: resolving it again for every Attribute Value that follows would
/// cost the name's length per value, quadratic in the input.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Siblings {
    /// How an Attribute Value among these children is named.
    attribute_value: Interpretation,
}

impl Siblings {
    /// The state before the first child: no Attribute Name yet.
    pub(crate) const fn new() -> Self {
        Siblings {
            attribute_value: Interpretation::Plain,
        }
    }

    /// How the value of the next child, whose tag is `tag`, is named.
    pub(crate) fn interpretation(&self, tag: Tag) -> Interpretation {
        if tag == Tag::ATTRIBUTE_REFERENCE || tag == Tag::TAG {
            Interpretation::TagName
        } else if tag == Tag::ATTRIBUTE_VALUE {
            self.attribute_value
        } else {
            of_tag(tag_info(tag))
        }
    }

    /// Records a child just read or written: an Attribute Name names the Attribute
    /// Values after it.
    pub(crate) fn saw(&mut self, child: &crate::Ttlv) {
        if let (Tag::ATTRIBUTE_NAME, crate::Value::TextString(name)) = (child.tag, &child.value) {
            self.attribute_value = of_tag(attribute_tag(name));
        }
    }
}

fn of_tag(info: Option<&'static TagInfo>) -> Interpretation {
    match info.map(|i| i.kind) {
        Some(TagKind::Enumeration(def)) => Interpretation::Enumeration(def),
        Some(TagKind::Mask(def)) => Interpretation::Mask(def),
        Some(TagKind::Plain) | None => Interpretation::Plain,
    }
}

/// The tag an attribute name ("Cryptographic Usage Mask") stands for. Falls back on
/// the normalised form so that a name spelt with other spacing or punctuation
/// ("Cryptographic-Usage  Mask") still resolves. A name longer than every name of the
/// dictionary is an attribute of its own (a custom one) without being looked at.
fn attribute_tag(name: &str) -> Option<&'static TagInfo> {
    #[cfg(test)]
    NAMES_RESOLVED.with(|n| n.set(n.get() + 1));
    if name.len() > longest_tag_name() {
        return None;
    }
    tag_by_name(name).or_else(|| tag_by_name(&normalise_name(name)))
}

/// A simplified form of the name normalisation of Additional Message Encodings
/// §4.1.3: every run of characters other than letters and digits separates words, and
/// words are joined with their first letter capitalised.
fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric()) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.extend(first.to_uppercase());
            out.push_str(chars.as_str());
        }
    }
    out
}

/// Resolves a `$` placeholder through the hook, checking the type it returns.
#[cfg(feature = "xml")]
pub(crate) fn resolve_placeholder(
    text: &str,
    item_type: ItemType,
    hook: Option<PlaceholderHook<'_>>,
) -> Result<crate::Value, ValueError> {
    let value = hook
        .and_then(|hook| hook(text, item_type))
        .ok_or_else(|| ValueError::Placeholder(Shown::quoted(text)))?;
    if value.item_type() == item_type {
        Ok(value)
    } else {
        Err(ValueError::PlaceholderType {
            name: Shown::quoted(text),
            expected: item_type,
            got: value.item_type(),
        })
    }
}

// ---------------------------------------------------------------------------------
// Numbers

/// The digits after a `0x` or `0X` prefix, if the text has one.
fn hex_digits(text: &str) -> Option<&str> {
    text.strip_prefix("0x").or_else(|| text.strip_prefix("0X"))
}

/// Parses 1 to `max_digits` hex digits (no sign, no prefix).
fn parse_hex_u64(digits: &str, max_digits: usize) -> Option<u64> {
    if digits.is_empty()
        || digits.len() > max_digits
        || !digits.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return None;
    }
    u64::from_str_radix(digits, 16).ok()
}

/// Parses a decimal number: an optional `-` and ASCII digits only (no `+`, no spaces).
fn parse_decimal<T: core::str::FromStr>(text: &str) -> Option<T> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A 32-bit hex word (`0x` and up to 8 digits) as its bit pattern.
fn parse_hex_u32(text: &str) -> Option<u32> {
    hex_digits(text)
        .and_then(|d| parse_hex_u64(d, 8))
        .and_then(|v| u32::try_from(v).ok())
}

/// Reads an Integer: decimal, `0x` hex, or for a mask any mix of bit names and `0x`
/// hex words separated by one of `separators` (runs allowed).
pub(crate) fn parse_integer(
    text: &str,
    interpretation: Interpretation,
    separators: &[char],
) -> Result<i32, ValueError> {
    if let Some(v) = parse_decimal::<i32>(text) {
        return Ok(v);
    }
    if let Some(v) = parse_hex_u32(text) {
        return Ok(v as i32);
    }
    let Interpretation::Mask(def) = interpretation else {
        return Err(
            if hex_digits(text).is_some() || parse_decimal::<i64>(text).is_some() {
                invalid(ItemType::Integer, text, "out of range")
            } else if looks_like_name(text) {
                ValueError::NameNotAllowed {
                    item_type: ItemType::Integer,
                    name: Shown::quoted(text),
                }
            } else {
                invalid(ItemType::Integer, text, "not a number")
            },
        );
    };
    let mut bits = 0u32;
    let mut any = false;
    for word in text.split(separators).filter(|w| !w.is_empty()) {
        any = true;
        bits |=
            match parse_hex_u32(word) {
                Some(v) => v,
                None => def.by_name(word).map(|bit| bit.value).ok_or_else(|| {
                    ValueError::UnknownName {
                        set: def.name,
                        name: Shown::quoted(word),
                    }
                })?,
            };
    }
    if any {
        Ok(bits as i32)
    } else {
        Err(invalid(ItemType::Integer, text, "empty mask"))
    }
}

/// True when the text could be a name (starts with a letter or `_`).
fn looks_like_name(text: &str) -> bool {
    text.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

/// Writes a mask as its bit names in definition order, any bits the dictionary does
/// not name as one `0x` word, and 0 as `0`.
pub(crate) fn format_mask(value: i32, def: &MaskDef, separator: &str) -> String {
    let mut rest = value as u32;
    let mut words: Vec<String> = Vec::new();
    for bit in def.bits {
        if bit.value != 0 && rest & bit.value == bit.value {
            words.push(bit.xml_name.to_owned());
            rest &= !bit.value;
        }
    }
    if rest != 0 {
        words.push(format!("0x{rest:08X}"));
    }
    if words.is_empty() {
        "0".to_owned()
    } else {
        words.join(separator)
    }
}

/// Reads a Long Integer: decimal or `0x` and up to 16 hex digits.
pub(crate) fn parse_long_integer(text: &str) -> Result<i64, ValueError> {
    if let Some(v) = parse_decimal::<i64>(text) {
        return Ok(v);
    }
    match hex_digits(text) {
        Some(d) => parse_hex_u64(d, 16)
            .map(|v| v as i64)
            .ok_or_else(|| invalid(ItemType::LongInteger, text, "bad hex (at most 16 digits)")),
        None => Err(invalid(ItemType::LongInteger, text, "not a number")),
    }
}

/// Reads an Interval: unsigned decimal or `0x` and up to 8 hex digits.
pub(crate) fn parse_interval(text: &str) -> Result<u32, ValueError> {
    if !text.starts_with('-')
        && let Some(v) = parse_decimal::<u32>(text)
    {
        return Ok(v);
    }
    parse_hex_u32(text)
        .ok_or_else(|| invalid(ItemType::Interval, text, "not an unsigned 32-bit number"))
}

/// Reads a Boolean: `true`, `false`, or the 8-byte hex forms of 1 and 0.
pub(crate) fn parse_boolean(text: &str) -> Result<bool, ValueError> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => match hex_digits(text).and_then(|d| parse_hex_u64(d, 16)) {
            Some(0) => Ok(false),
            Some(1) => Ok(true),
            _ => Err(invalid(ItemType::Boolean, text, "expected true or false")),
        },
    }
}

// ---------------------------------------------------------------------------------
// Enumerations

/// Reads an Enumeration: a name of its enumeration (or a tag name), or `0x` hex.
pub(crate) fn parse_enumeration(
    text: &str,
    interpretation: Interpretation,
) -> Result<u32, ValueError> {
    if let Some(digits) = hex_digits(text) {
        return parse_hex_u64(digits, 8)
            .and_then(|v| u32::try_from(v).ok())
            .ok_or_else(|| invalid(ItemType::Enumeration, text, "bad hex (at most 8 digits)"));
    }
    match interpretation {
        Interpretation::Enumeration(def) => {
            def.by_name(text)
                .map(|v| v.value)
                .ok_or_else(|| ValueError::UnknownName {
                    set: def.name,
                    name: Shown::quoted(text),
                })
        }
        Interpretation::TagName => {
            tag_by_name(text)
                .map(|info| info.tag.value())
                .ok_or_else(|| ValueError::UnknownName {
                    set: "tag",
                    name: Shown::quoted(text),
                })
        }
        Interpretation::Plain | Interpretation::Mask(_) => Err(ValueError::NameNotAllowed {
            item_type: ItemType::Enumeration,
            name: Shown::quoted(text),
        }),
    }
}

/// Writes an Enumeration as its name when the dictionary has one, else as `0x` and 8
/// hex digits.
pub(crate) fn format_enumeration(value: u32, interpretation: Interpretation) -> String {
    let name = match interpretation {
        Interpretation::Enumeration(def) => def.by_value(value).map(|v| v.xml_name),
        Interpretation::TagName => Tag::new(value).and_then(tag_info).map(|i| i.xml_name),
        Interpretation::Plain | Interpretation::Mask(_) => None,
    };
    match name {
        Some(name) => name.to_owned(),
        None => format!("0x{value:08X}"),
    }
}

// ---------------------------------------------------------------------------------
// Tags

/// Reads a tag given as a name or as `0x` and 6 hex digits.
pub(crate) fn parse_tag(text: &str) -> Option<Tag> {
    match hex_digits(text) {
        Some(d) => parse_hex_u64(d, 6)
            .and_then(|v| u32::try_from(v).ok())
            .and_then(Tag::new),
        None => tag_by_name(text).map(|info| info.tag),
    }
}

/// Writes an unknown tag as `0x` and 6 hex digits.
pub(crate) fn format_tag_hex(tag: Tag) -> String {
    format!("0x{:06X}", tag.value())
}

// ---------------------------------------------------------------------------------
// Bytes

/// Writes bytes as lower-case hex without prefix.
pub(crate) fn format_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        for nibble in [b >> 4, b & 0x0F] {
            if let Some(&d) = DIGITS.get(usize::from(nibble)) {
                out.push(char::from(d));
            }
        }
    }
    out
}

/// Describes bad hex text by its length and first bad digit, never by its content.
pub(crate) fn invalid_bytes(
    item_type: ItemType,
    text: &str,
    first_bad_digit: Option<usize>,
    reason: &'static str,
) -> ValueError {
    ValueError::InvalidBytes {
        item_type,
        chars: text.chars().count(),
        first_bad_digit,
        reason,
    }
}

/// Reads hex digits (either case, no prefix, no separators) as bytes.
///
/// The error gives the text's length and the position of its first bad digit, not the
/// text: Byte Strings and Big Integers may be key material.
pub(crate) fn parse_hex(text: &str, item_type: ItemType) -> Result<Vec<u8>, ValueError> {
    if let Some(at) = text.chars().position(|c| !c.is_ascii_hexdigit()) {
        return Err(invalid_bytes(
            item_type,
            text,
            Some(at + 1),
            "not hex digits",
        ));
    }
    if !text.len().is_multiple_of(2) {
        return Err(invalid_bytes(
            item_type,
            text,
            None,
            "odd number of hex digits",
        ));
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| match pair {
            [hi, lo] => nibble(*hi).zip(nibble(*lo)).map(|(hi, lo)| (hi << 4) | lo),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| invalid_bytes(item_type, text, None, "not hex digits"))
}

/// Reads the hex text of a Big Integer: a non-zero multiple of 8 bytes.
pub(crate) fn parse_big_integer(text: &str) -> Result<crate::BigInteger, ValueError> {
    let item_type = ItemType::BigInteger;
    crate::BigInteger::from_wire_bytes(parse_hex(text, item_type)?).ok_or_else(|| {
        invalid_bytes(
            item_type,
            text,
            None,
            "a Big Integer is a non-zero multiple of 8 bytes",
        )
    })
}

// ---------------------------------------------------------------------------------
// Dates

/// Writes a Date-Time as ISO 8601 in UTC with a `+00:00` offset, as the test cases
/// do; a date outside years 0000–9999 has no such form and is written as `0x` hex.
pub(crate) fn format_date_time(seconds: i64) -> String {
    OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .filter(|t| (0..=9999).contains(&t.year()))
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second]+00:00"
            ))
            .ok()
        })
        .unwrap_or_else(|| format!("0x{:016X}", seconds as u64))
}

/// Writes a Date-Time Extended as ISO 8601 in UTC with six fractional digits
/// (KMIP 2.0, XML and JSON Encoding), or as `0x` hex outside years 0000–9999.
pub(crate) fn format_date_time_extended(micros: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(micros) * 1000)
        .ok()
        .filter(|t| (0..=9999).contains(&t.year()))
        .and_then(|t| {
            t.format(format_description!(
                "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]+00:00"
            ))
            .ok()
        })
        .unwrap_or_else(|| format!("0x{:016X}", micros as u64))
}

/// Reads a Date-Time: ISO 8601 (RFC 3339) with an offset and no fraction of a second,
/// or `0x` and up to 16 hex digits of seconds.
pub(crate) fn parse_date_time(text: &str) -> Result<i64, ValueError> {
    if let Some(d) = hex_digits(text) {
        return parse_hex_u64(d, 16)
            .map(|v| v as i64)
            .ok_or_else(|| invalid(ItemType::DateTime, text, "bad hex (at most 16 digits)"));
    }
    let t = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| invalid(ItemType::DateTime, text, "not ISO 8601 with an offset"))?;
    if t.nanosecond() != 0 {
        return Err(invalid(
            ItemType::DateTime,
            text,
            "a Date-Time has whole seconds only",
        ));
    }
    Ok(t.unix_timestamp())
}

/// Reads a Date-Time Extended: ISO 8601 (RFC 3339) with an offset and at most
/// microsecond precision, or `0x` and up to 16 hex digits of microseconds.
pub(crate) fn parse_date_time_extended(text: &str) -> Result<i64, ValueError> {
    let item_type = ItemType::DateTimeExtended;
    if let Some(d) = hex_digits(text) {
        return parse_hex_u64(d, 16)
            .map(|v| v as i64)
            .ok_or_else(|| invalid(item_type, text, "bad hex (at most 16 digits)"));
    }
    let t = OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|_| invalid(item_type, text, "not ISO 8601 with an offset"))?;
    let nanos = t.unix_timestamp_nanos();
    if nanos % 1000 != 0 {
        return Err(invalid(item_type, text, "finer than a microsecond"));
    }
    i64::try_from(nanos / 1000).map_err(|_| invalid(item_type, text, "out of range"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dictionary::CryptographicUsageMask;

    const USAGE: Interpretation = Interpretation::Mask(&CryptographicUsageMask::DEF);

    #[test]
    fn mask_accepts_names_hex_words_and_runs_of_separators() {
        assert_eq!(parse_integer("Decrypt Encrypt", USAGE, &[' ']), Ok(12));
        assert_eq!(parse_integer("Decrypt   Encrypt", USAGE, &[' ']), Ok(12));
        assert_eq!(
            parse_integer("Sign 0x00100000", USAGE, &[' ']),
            Ok(0x0010_0001)
        );
        assert_eq!(parse_integer("Encrypt|Decrypt", USAGE, &['|']), Ok(12));
        assert_eq!(parse_integer("12", USAGE, &[' ']), Ok(12));
        assert_eq!(parse_integer("0x80000000", USAGE, &[' ']), Ok(i32::MIN));
        assert!(matches!(
            parse_integer("Decrypt Frobnicate", USAGE, &[' ']),
            Err(ValueError::UnknownName { .. })
        ));
        assert!(parse_integer("   ", USAGE, &[' ']).is_err());
    }

    #[test]
    fn mask_is_written_as_names_then_unknown_bits() {
        let def = &CryptographicUsageMask::DEF;
        assert_eq!(format_mask(12, def, " "), "Encrypt Decrypt");
        assert_eq!(format_mask(0, def, " "), "0");
        assert_eq!(format_mask(i32::MIN | 1, def, "|"), "Sign|0x80000000");
        for v in [0, 1, 12, 0x7FFF_FFFF, -1, i32::MIN] {
            assert_eq!(
                parse_integer(&format_mask(v, def, " "), USAGE, &[' ']),
                Ok(v)
            );
        }
    }

    #[test]
    fn plain_integer_refuses_names_and_out_of_range_numbers() {
        let plain = Interpretation::Plain;
        assert!(matches!(
            parse_integer("Encrypt", plain, &[' ']),
            Err(ValueError::NameNotAllowed { .. })
        ));
        assert!(parse_integer("2147483648", plain, &[' ']).is_err());
        assert!(parse_integer("+5", plain, &[' ']).is_err());
        assert!(parse_integer(" 5", plain, &[' ']).is_err());
        assert!(parse_integer("0x123456789", plain, &[' ']).is_err());
        assert_eq!(parse_integer("-7", plain, &[' ']), Ok(-7));
    }

    /// How an Attribute Value after an Attribute Name of this text is named.
    fn after_name(name: &str) -> Interpretation {
        let mut siblings = Siblings::new();
        siblings.saw(&crate::Ttlv::new(
            Tag::ATTRIBUTE_NAME,
            crate::Value::TextString(name.into()),
        ));
        siblings.interpretation(Tag::ATTRIBUTE_VALUE)
    }

    fn interpretation(tag: Tag) -> Interpretation {
        Siblings::new().interpretation(tag)
    }

    #[test]
    fn attribute_value_takes_the_kind_of_its_attribute_name() {
        assert!(matches!(
            after_name("Cryptographic Usage Mask"),
            Interpretation::Mask(_)
        ));
        assert!(matches!(
            after_name("Cryptographic  Algorithm"),
            Interpretation::Enumeration(_)
        ));
        assert!(matches!(after_name("x-custom"), Interpretation::Plain));
        assert!(matches!(
            interpretation(Tag::ATTRIBUTE_VALUE),
            Interpretation::Plain
        ));
    }

    #[test]
    fn attribute_names_longer_than_any_tag_name_are_plain() {
        let padded = format!("Cryptographic{}Algorithm", " ".repeat(200));
        assert!(padded.len() > longest_tag_name());
        assert!(matches!(after_name(&padded), Interpretation::Plain));
        assert!(matches!(
            after_name(&"State ".repeat(100)),
            Interpretation::Plain
        ));
        let longest = crate::dictionary::all_tags()
            .iter()
            .flat_map(|info| {
                [info.name, info.xml_name]
                    .into_iter()
                    .chain(info.aliases.iter().copied())
            })
            .max_by_key(|name| name.len())
            .unwrap();
        assert_eq!(longest.len(), longest_tag_name());
        assert!(attribute_tag(longest).is_some(), "{longest}");
    }

    #[test]
    fn attribute_reference_values_are_tag_names() {
        let i = interpretation(Tag::ATTRIBUTE_REFERENCE);
        assert_eq!(parse_enumeration("State", i), Ok(Tag::STATE.value()));
        assert_eq!(format_enumeration(Tag::STATE.value(), i), "State");
        assert_eq!(format_enumeration(0x0054_0001, i), "0x00540001");
    }

    #[test]
    fn enumeration_reads_names_and_hex_and_writes_unknown_values_as_hex() {
        let i = interpretation(Tag::OBJECT_TYPE);
        assert_eq!(parse_enumeration("SymmetricKey", i), Ok(2));
        assert_eq!(parse_enumeration("0x80000001", i), Ok(0x8000_0001));
        assert_eq!(format_enumeration(0x8000_0001, i), "0x80000001");
        assert!(parse_enumeration("0x100000000", i).is_err());
        assert!(matches!(
            parse_enumeration("Nonsense", i),
            Err(ValueError::UnknownName { .. })
        ));
    }

    #[test]
    fn date_time_reads_iso_8601_or_hex_and_writes_utc_or_hex_outside_years_0_to_9999() {
        assert_eq!(
            parse_date_time("2012-04-27T08:12:26+00:00"),
            Ok(1_335_514_346)
        );
        assert_eq!(
            parse_date_time("2012-04-27T18:12:26+10:00"),
            Ok(1_335_514_346)
        );
        assert_eq!(parse_date_time("2012-04-27T08:12:26Z"), Ok(1_335_514_346));
        assert_eq!(parse_date_time("0x000000004F9A54E2"), Ok(1_335_514_338));
        assert!(parse_date_time("2012-04-27T08:12:26.5+00:00").is_err());
        assert!(parse_date_time("2012-04-27 08:12:26").is_err());
        assert_eq!(format_date_time(1_335_514_346), "2012-04-27T08:12:26+00:00");
        // 0000-01-01, 0001-01-01, 9999-12-31T23:59:59, and one second past it.
        assert_eq!(
            format_date_time(-62_167_219_200),
            "0000-01-01T00:00:00+00:00"
        );
        assert_eq!(
            format_date_time(-62_135_596_800),
            "0001-01-01T00:00:00+00:00"
        );
        assert_eq!(
            format_date_time(253_402_300_799),
            "9999-12-31T23:59:59+00:00"
        );
        assert_eq!(format_date_time(253_402_300_800), "0x0000003AFFF44180");
        for v in [
            0,
            -1,
            1_335_514_346,
            i64::MAX,
            i64::MIN,
            -62_167_219_201,
            -62_167_219_200,
            253_402_300_799,
            253_402_300_800,
        ] {
            assert_eq!(parse_date_time(&format_date_time(v)), Ok(v), "{v}");
        }
    }

    #[test]
    fn date_time_extended_keeps_microseconds() {
        assert_eq!(
            format_date_time_extended(1_335_514_346_000_001),
            "2012-04-27T08:12:26.000001+00:00"
        );
        assert_eq!(
            parse_date_time_extended("2012-04-27T08:12:26.123456+00:00"),
            Ok(1_335_514_346_123_456)
        );
        assert!(parse_date_time_extended("2012-04-27T08:12:26.1234567+00:00").is_err());
        for v in [0, -1, 1_335_514_346_123_456, i64::MAX, i64::MIN] {
            assert_eq!(
                parse_date_time_extended(&format_date_time_extended(v)),
                Ok(v)
            );
        }
    }

    #[test]
    fn hex_bytes_round_trip_and_reject_junk() {
        assert_eq!(
            parse_hex("00fFA0", ItemType::ByteString),
            Ok(vec![0, 0xFF, 0xA0])
        );
        assert_eq!(format_hex(&[0, 0xFF, 0xA0]), "00ffa0");
        assert!(parse_hex("0", ItemType::ByteString).is_err());
        assert!(parse_hex("0g", ItemType::ByteString).is_err());
        assert!(parse_hex("0x00", ItemType::ByteString).is_err());
        assert_eq!(parse_hex("", ItemType::ByteString), Ok(Vec::new()));
    }

    #[test]
    fn bad_hex_is_described_by_length_and_first_bad_digit() {
        let key = "3c55aa0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";
        let odd = parse_hex(&key[1..], ItemType::ByteString).unwrap_err();
        assert_eq!(
            odd.to_string(),
            "invalid ByteString: odd number of hex digits (63 characters)"
        );
        let bad = parse_hex(
            &format!("{}é{}", &key[..10], &key[12..]),
            ItemType::ByteString,
        )
        .unwrap_err();
        assert_eq!(
            bad.to_string(),
            "invalid ByteString: not hex digits (63 characters, the first that is not a hex \
             digit is character 11)"
        );
        let short = parse_big_integer(&key[..40]).unwrap_err();
        assert_eq!(
            short.to_string(),
            "invalid BigInteger: a Big Integer is a non-zero multiple of 8 bytes (40 characters)"
        );
        assert!(parse_big_integer(&key[..32]).is_ok());
    }

    #[test]
    fn withheld_errors_keep_the_reason_but_not_the_text() {
        let err = parse_integer("hunter2", Interpretation::Plain, &[' ']).unwrap_err();
        assert!(err.to_string().contains("hunter2"));
        let withheld = err.withheld(7).to_string();
        assert!(!withheld.contains("hunter2"), "{withheld}");
        assert!(withheld.contains("[7 characters withheld]"), "{withheld}");
    }

    #[test]
    fn quotes_are_shortened_on_char_boundaries() {
        let long = "é".repeat(100);
        assert_eq!(quote(&long).chars().count(), QUOTE_MAX + 3);
    }
}

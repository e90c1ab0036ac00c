//! JSON → TTLV, one token at a time with an explicit stack (no recursion).
//!
//! Items are built as the text is read, with no JSON tree in between, so the limits
//! apply while reading: each item object is checked against the depth and item limits
//! as it opens, before any of its keys is read, and anything else nested (an array
//! where an item belongs, an object as a value, an unknown key) is refused where it
//! starts. Nothing recurses, so no input can exhaust the stack.
//!
//! The parser accepts exactly JSON (RFC 8259): a value of a kind the item does not take
//! is refused with the item's error, never quoted, as it may be key material.

use super::{JsonError, JsonErrorKind};
use crate::value_text::{self, Interpretation, Shown, Siblings, ValueError, quote};
use crate::{BigInteger, ItemType, Limits, Tag, TagPath, Ttlv, Value};

/// Reads one item (usually a whole message) from JSON.
///
/// Input longer than [`Limits::max_text_len`] is refused before it is parsed.
pub fn from_str(input: &str, limits: &Limits) -> Result<Ttlv, JsonError> {
    let limit = limits.max_text_len();
    if input.len() > limit {
        return Err(JsonError {
            path: TagPath::new(),
            kind: JsonErrorKind::TextTooLong {
                len: input.len(),
                limit,
            },
        });
    }
    let item = Reader {
        lexer: Lexer { input, pos: 0 },
        limits,
        items: 0,
        stack: Vec::new(),
    }
    .message()?;
    let len = item.encoded_len();
    if len > limits.max_message_len {
        return Err(JsonError {
            path: TagPath::new(),
            kind: JsonErrorKind::TooLong {
                len,
                limit: limits.max_message_len,
            },
        });
    }
    Ok(item)
}

/// Malformed JSON: what was expected, and the byte offset where it was not found.
struct Syntax {
    at: usize,
    message: &'static str,
}

/// The JSON tokens of the input.
struct Lexer<'i> {
    input: &'i str,
    /// Offset of the next byte to read.
    pos: usize,
}

impl Lexer<'_> {
    fn fail<T>(&self, message: &'static str) -> Result<T, Syntax> {
        Err(Syntax {
            at: self.pos,
            message,
        })
    }

    /// The next byte that is not JSON whitespace, not consumed.
    fn peek(&mut self) -> Option<u8> {
        let bytes = self.input.as_bytes();
        while let Some(&b) = bytes.get(self.pos) {
            if !matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                return Some(b);
            }
            self.pos += 1;
        }
        None
    }

    /// Consumes `byte`, the next one after whitespace, or fails with `message`.
    fn expect(&mut self, byte: u8, message: &'static str) -> Result<(), Syntax> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            self.fail(message)
        }
    }

    /// Consumes the literal `word` (`true`, `false`, `null`).
    fn literal(&mut self, word: &str) -> Result<(), Syntax> {
        let found = self.input.get(self.pos..self.pos + word.len()) == Some(word);
        if found {
            self.pos += word.len();
            Ok(())
        } else {
            self.fail("expected a JSON value")
        }
    }

    /// Reads a string; the next byte is its opening quote.
    fn string(&mut self) -> Result<String, Syntax> {
        let bytes = self.input.as_bytes();
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            // Quotes, backslashes and control characters are ASCII, so the run before
            // one of them ends on a character boundary.
            let run = bytes
                .get(start..)
                .and_then(|rest| {
                    rest.iter()
                        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                })
                .unwrap_or(bytes.len().saturating_sub(start));
            self.pos = start + run;
            out.push_str(self.input.get(start..self.pos).unwrap_or_default());
            match bytes.get(self.pos) {
                None => return self.fail("unterminated string"),
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    self.pos += 1;
                    out.push(self.escape()?);
                }
                Some(_) => return self.fail("control character in a string"),
            }
        }
    }

    /// Reads an escape after its backslash.
    fn escape(&mut self) -> Result<char, Syntax> {
        let Some(&b) = self.input.as_bytes().get(self.pos) else {
            return self.fail("unterminated string");
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        // A high surrogate: the low one must follow as another escape.
                        if self.input.get(self.pos..self.pos + 2) != Some("\\u") {
                            return self.fail("lone surrogate in a \\u escape");
                        }
                        self.pos += 2;
                        let low = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&low) {
                            return self.fail("lone surrogate in a \\u escape");
                        }
                        0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                    }
                    0xDC00..=0xDFFF => return self.fail("lone surrogate in a \\u escape"),
                    unit => unit,
                };
                match char::from_u32(code) {
                    Some(c) => c,
                    None => return self.fail("invalid \\u escape"),
                }
            }
            _ => return self.fail("invalid escape"),
        })
    }

    /// Four hex digits of a `\u` escape.
    fn hex4(&mut self) -> Result<u32, Syntax> {
        let digits = self
            .input
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()));
        match digits.and_then(|d| u32::from_str_radix(d, 16).ok()) {
            Some(unit) => {
                self.pos += 4;
                Ok(unit)
            }
            None => self.fail("invalid \\u escape"),
        }
    }

    /// Reads a number; the next byte is its `-` or first digit.
    fn number(&mut self) -> Result<Number, Syntax> {
        let bytes = self.input.as_bytes();
        let start = self.pos;
        let digits = |pos: &mut usize| {
            let from = *pos;
            while bytes.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - from
        };
        let mut pos = start;
        let negative = bytes.get(pos) == Some(&b'-');
        if negative {
            pos += 1;
        }
        let leading_zero = bytes.get(pos) == Some(&b'0');
        let int_digits = digits(&mut pos);
        if int_digits == 0 || (leading_zero && int_digits > 1) {
            self.pos = pos;
            return self.fail("invalid number");
        }
        let mut integer = true;
        if bytes.get(pos) == Some(&b'.') {
            pos += 1;
            integer = false;
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return self.fail("invalid number");
            }
        }
        if matches!(bytes.get(pos), Some(b'e' | b'E')) {
            pos += 1;
            integer = false;
            if matches!(bytes.get(pos), Some(b'+' | b'-')) {
                pos += 1;
            }
            if digits(&mut pos) == 0 {
                self.pos = pos;
                return self.fail("invalid number");
            }
        }
        self.pos = pos;
        let text = self.input.get(start..pos).unwrap_or_default();
        let parsed = match (integer, negative) {
            (true, true) => text.parse().ok().map(Number::Signed),
            (true, false) => text.parse().ok().map(Number::Unsigned),
            (false, _) => None,
        };
        // A fraction, an exponent or more than 64 bits: no item takes it.
        Ok(parsed.unwrap_or_else(|| Number::Other(quote(text))))
    }

    /// Line and column (from 1, in characters) of a byte offset.
    fn line_and_column(&self, at: usize) -> (usize, usize) {
        let before = self.input.get(..at).unwrap_or(self.input);
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }
}

/// A JSON number.
#[derive(Clone, Debug)]
enum Number {
    Signed(i64),
    Unsigned(u64),
    /// A fraction, an exponent, or an integer beyond 64 bits: its text, shortened.
    Other(String),
}

impl Number {
    fn as_i64(&self) -> Option<i64> {
        match self {
            Number::Signed(v) => Some(*v),
            Number::Unsigned(v) => i64::try_from(*v).ok(),
            Number::Other(_) => None,
        }
    }

    fn as_u64(&self) -> Option<u64> {
        match self {
            Number::Signed(v) => u64::try_from(*v).ok(),
            Number::Unsigned(v) => Some(*v),
            Number::Other(_) => None,
        }
    }

    /// The number as text, for error messages.
    fn text(&self) -> String {
        match self {
            Number::Signed(v) => v.to_string(),
            Number::Unsigned(v) => v.to_string(),
            Number::Other(text) => text.clone(),
        }
    }
}

/// The `value` of an item as read, before the item's type (which may come after it)
/// tells what it means.
enum Raw {
    /// An array: the children, read as items.
    Items(Vec<Ttlv>),
    String(String),
    Bool(bool),
    Number(Number),
    Null,
}

/// An item object being read.
struct ItemFrame {
    tag: Option<Tag>,
    item_type: Option<ItemType>,
    value: Option<Raw>,
    /// The keys read so far (`value` is set only once its array is closed).
    seen: Keys,
    /// How the item's value is named among its parent's children.
    siblings: Siblings,
    /// An ancestor is secret-bearing.
    parent_secret: bool,
}

impl ItemFrame {
    /// The item is (or, before its tag is read, may be) secret-bearing.
    fn secret(&self) -> bool {
        self.parent_secret || self.tag.is_none_or(Tag::is_secret_bearing)
    }
}

/// A key of an item object.
#[derive(Clone, Copy)]
enum Key {
    Tag,
    Type,
    Value,
}

impl Key {
    const fn name(self) -> &'static str {
        match self {
            Key::Tag => "tag",
            Key::Type => "type",
            Key::Value => "value",
        }
    }
}

/// Which keys of an item object have been read.
#[derive(Default)]
struct Keys {
    tag: bool,
    item_type: bool,
    value: bool,
}

impl Keys {
    /// Records `key`; false if it was already there.
    fn insert(&mut self, key: Key) -> bool {
        let slot = match key {
            Key::Tag => &mut self.tag,
            Key::Type => &mut self.item_type,
            Key::Value => &mut self.value,
        };
        !core::mem::replace(slot, true)
    }
}

/// The array of a Structure's children being read.
struct ChildrenFrame {
    children: Vec<Ttlv>,
    siblings: Siblings,
    /// The structure or an ancestor is (or may be) secret-bearing.
    secret: bool,
}

enum Open {
    Item(ItemFrame),
    Children(ChildrenFrame),
}

/// What the input must hold next.
#[derive(Clone, Copy)]
enum Next {
    /// An item object.
    Item,
    /// The first key of an item object, or its end.
    FirstKey,
    /// A key of an item object, after a comma.
    Key,
    /// A comma or the end of an item object, after a value.
    AfterValue,
    /// The first child of a structure, or the end of the array.
    FirstChild,
    /// A comma or the end of the array, after a child.
    AfterChild,
}

struct Reader<'i, 'l> {
    lexer: Lexer<'i>,
    limits: &'l Limits,
    /// Items opened so far.
    items: usize,
    /// Open item objects and children arrays, outermost first.
    stack: Vec<Open>,
}

impl Reader<'_, '_> {
    /// Tags of the open items, as far as they have been read.
    fn path(&self) -> TagPath {
        self.stack
            .iter()
            .filter_map(|open| match open {
                Open::Item(frame) => frame.tag,
                Open::Children(_) => None,
            })
            .collect()
    }

    fn fail<T>(&self, kind: JsonErrorKind) -> Result<T, JsonError> {
        Err(JsonError {
            path: self.path(),
            kind,
        })
    }

    fn syntax(&self, e: Syntax) -> JsonError {
        let (line, column) = self.lexer.line_and_column(e.at);
        JsonError {
            path: self.path(),
            kind: JsonErrorKind::Syntax {
                line,
                column,
                message: e.message.to_owned(),
            },
        }
    }

    /// The innermost open item object.
    fn item_frame(&mut self) -> Option<&mut ItemFrame> {
        match self.stack.last_mut() {
            Some(Open::Item(frame)) => Some(frame),
            _ => None,
        }
    }

    /// Reads the whole input as one item.
    fn message(mut self) -> Result<Ttlv, JsonError> {
        let mut next = Next::Item;
        loop {
            next = match next {
                Next::Item => self.open_item()?,
                Next::FirstKey if self.lexer.peek() == Some(b'}') => {
                    self.lexer.pos += 1;
                    match self.close_item()? {
                        Closed::Root(item) => return self.end(item),
                        Closed::Child => Next::AfterChild,
                    }
                }
                Next::FirstKey | Next::Key => self.key_and_value()?,
                Next::AfterValue => match self.lexer.peek() {
                    Some(b',') => {
                        self.lexer.pos += 1;
                        Next::Key
                    }
                    Some(b'}') => {
                        self.lexer.pos += 1;
                        match self.close_item()? {
                            Closed::Root(item) => return self.end(item),
                            Closed::Child => Next::AfterChild,
                        }
                    }
                    _ => return Err(self.syntax_here("expected `,` or `}`")),
                },
                Next::FirstChild if self.lexer.peek() == Some(b']') => {
                    self.lexer.pos += 1;
                    self.close_children()
                }
                Next::FirstChild => Next::Item,
                Next::AfterChild => match self.lexer.peek() {
                    Some(b',') => {
                        self.lexer.pos += 1;
                        Next::Item
                    }
                    Some(b']') => {
                        self.lexer.pos += 1;
                        self.close_children()
                    }
                    _ => return Err(self.syntax_here("expected `,` or `]`")),
                },
            };
        }
    }

    fn syntax_here(&self, message: &'static str) -> JsonError {
        self.syntax(Syntax {
            at: self.lexer.pos,
            message,
        })
    }

    /// After the root item: only whitespace.
    fn end(mut self, item: Ttlv) -> Result<Ttlv, JsonError> {
        match self.lexer.peek() {
            None => Ok(item),
            Some(_) => Err(self.syntax_here("trailing characters")),
        }
    }

    /// Opens an item object, checking the limits before reading any of it.
    fn open_item(&mut self) -> Result<Next, JsonError> {
        match self.lexer.peek() {
            Some(b'{') => {}
            None => return Err(self.syntax_here("unexpected end of input")),
            // Only after a comma: `[..., ]`.
            Some(b']') => return Err(self.syntax_here("expected an item after `,`")),
            Some(_) => return self.fail(JsonErrorKind::NotAnObject),
        }
        self.items += 1;
        if self.items > self.limits.max_items {
            return self.fail(JsonErrorKind::TooManyItems(self.limits.max_items));
        }
        let depth = 1 + self
            .stack
            .iter()
            .filter(|open| matches!(open, Open::Item(_)))
            .count();
        if depth > self.limits.depth_limit() {
            return self.fail(JsonErrorKind::TooDeep(self.limits.depth_limit()));
        }
        self.lexer.pos += 1;
        let (siblings, parent_secret) = match self.stack.last() {
            Some(Open::Children(parent)) => (parent.siblings, parent.secret),
            _ => (Siblings::new(), false),
        };
        self.stack.push(Open::Item(ItemFrame {
            tag: None,
            item_type: None,
            value: None,
            seen: Keys::default(),
            siblings,
            parent_secret,
        }));
        Ok(Next::FirstKey)
    }

    /// Reads one `"key": value` of the innermost item object.
    fn key_and_value(&mut self) -> Result<Next, JsonError> {
        if self.lexer.peek() != Some(b'"') {
            return Err(self.syntax_here("expected a key"));
        }
        let key = self.lexer.string().map_err(|e| self.syntax(e))?;
        self.lexer
            .expect(b':', "expected `:`")
            .map_err(|e| self.syntax(e))?;
        let key = match key.as_str() {
            "tag" => Key::Tag,
            "type" => Key::Type,
            "value" => Key::Value,
            other => return self.fail(JsonErrorKind::UnknownKey(quote(other))),
        };
        let first = self
            .item_frame()
            .is_some_and(|frame| frame.seen.insert(key));
        if !first {
            return self.fail(JsonErrorKind::DuplicateKey(key.name()));
        }
        match key {
            Key::Tag => {
                let name = self.string_value("tag")?;
                let Some(tag) = value_text::parse_tag(&name) else {
                    return self.fail(JsonErrorKind::UnknownTag(quote(&name)));
                };
                if let Some(frame) = self.item_frame() {
                    frame.tag = Some(tag);
                }
            }
            Key::Type => {
                let name = self.string_value("type")?;
                let Some(item_type) = ItemType::from_name(&name) else {
                    return self.fail(JsonErrorKind::UnknownType(quote(&name)));
                };
                if let Some(frame) = self.item_frame() {
                    frame.item_type = Some(item_type);
                }
            }
            Key::Value => return self.value(),
        }
        Ok(Next::AfterValue)
    }

    /// The string value of `tag` or `type`.
    fn string_value(&mut self, key: &'static str) -> Result<String, JsonError> {
        if self.lexer.peek() != Some(b'"') {
            return self.fail(JsonErrorKind::NotAString(key));
        }
        self.lexer.string().map_err(|e| self.syntax(e))
    }

    /// Reads the `value` of the innermost item object: a scalar, or the opening of its
    /// children's array.
    fn value(&mut self) -> Result<Next, JsonError> {
        let (item_type, secret) = match self.item_frame() {
            Some(frame) => (frame.item_type, frame.secret()),
            None => (None, false),
        };
        let raw = match self.lexer.peek() {
            Some(b'[') => {
                if let Some(item_type) = item_type.filter(|t| *t != ItemType::Structure) {
                    // Not read: a primitive's value is never an array.
                    return self.fail(wrong_json_type(item_type));
                }
                self.lexer.pos += 1;
                self.stack.push(Open::Children(ChildrenFrame {
                    children: Vec::new(),
                    siblings: Siblings::new(),
                    secret,
                }));
                return Ok(Next::FirstChild);
            }
            // Not read: no value is an object.
            Some(b'{') => {
                return self.fail(wrong_json_type(item_type.unwrap_or(ItemType::Structure)));
            }
            Some(b'"') => Raw::String(self.lexer.string().map_err(|e| self.syntax(e))?),
            Some(b't') => {
                self.lexer.literal("true").map_err(|e| self.syntax(e))?;
                Raw::Bool(true)
            }
            Some(b'f') => {
                self.lexer.literal("false").map_err(|e| self.syntax(e))?;
                Raw::Bool(false)
            }
            Some(b'n') => {
                self.lexer.literal("null").map_err(|e| self.syntax(e))?;
                Raw::Null
            }
            Some(b'-' | b'0'..=b'9') => {
                Raw::Number(self.lexer.number().map_err(|e| self.syntax(e))?)
            }
            _ => return Err(self.syntax_here("expected a JSON value")),
        };
        if let Some(frame) = self.item_frame() {
            frame.value = Some(raw);
        }
        Ok(Next::AfterValue)
    }

    /// Ends the children's array of the innermost item object.
    fn close_children(&mut self) -> Next {
        if let Some(Open::Children(children)) = self.stack.pop()
            && let Some(frame) = self.item_frame()
        {
            frame.value = Some(Raw::Items(children.children));
        }
        Next::AfterValue
    }

    /// Ends the innermost item object: builds the item and gives it to its parent.
    fn close_item(&mut self) -> Result<Closed, JsonError> {
        let Some(frame) = self.item_frame() else {
            return Err(self.syntax_here("unexpected `}`"));
        };
        let (Some(tag), item_type, parent_secret, siblings) = (
            frame.tag,
            frame.item_type.unwrap_or(ItemType::Structure),
            frame.parent_secret,
            frame.siblings,
        ) else {
            return self.fail(JsonErrorKind::MissingKey("tag"));
        };
        let Some(raw) = frame.value.take() else {
            return self.fail(JsonErrorKind::MissingKey("value"));
        };
        let secret = parent_secret || tag.is_secret_bearing();
        let value = match primitive(item_type, raw, siblings.interpretation(tag), secret) {
            Ok(value) => value,
            Err(kind) => return self.fail(kind),
        };
        self.stack.pop();
        let item = Ttlv::new(tag, value);
        match self.stack.last_mut() {
            Some(Open::Children(parent)) => {
                parent.siblings.saw(&item);
                parent.children.push(item);
                Ok(Closed::Child)
            }
            _ => Ok(Closed::Root(item)),
        }
    }
}

/// What closing an item object gave.
enum Closed {
    /// The item went to its parent's children.
    Child,
    /// The root item, complete.
    Root(Ttlv),
}

fn wrong_json_type(item_type: ItemType) -> JsonErrorKind {
    let expected = match item_type {
        ItemType::Structure => "an array of items",
        ItemType::Integer => "a number or a string",
        ItemType::LongInteger | ItemType::Interval => "a number or a hex string",
        ItemType::BigInteger => "a number or a \"0x\" hex string",
        ItemType::Enumeration => "a name, a hex string or a number",
        ItemType::Boolean => "true or false",
        ItemType::TextString => "a string",
        ItemType::ByteString => "a hex string",
        ItemType::DateTime | ItemType::DateTimeExtended => "an ISO 8601 or hex string",
    };
    JsonErrorKind::WrongJsonType {
        item_type,
        expected,
    }
}

/// Builds the value of an item of type `item_type` from what its `value` held. Under a
/// secret-bearing tag (`secret`), an error shows the value's length only.
fn primitive(
    item_type: ItemType,
    raw: Raw,
    interpretation: Interpretation,
    secret: bool,
) -> Result<Value, JsonErrorKind> {
    let chars = match &raw {
        Raw::String(s) => s.chars().count(),
        Raw::Number(n) => n.text().chars().count(),
        Raw::Items(_) | Raw::Bool(_) | Raw::Null => 0,
    };
    value(item_type, raw, interpretation).map_err(|kind| match kind {
        JsonErrorKind::Value(e) if secret => JsonErrorKind::Value(e.withheld(chars)),
        kind => kind,
    })
}

fn value(
    item_type: ItemType,
    raw: Raw,
    interpretation: Interpretation,
) -> Result<Value, JsonErrorKind> {
    let out_of_range = |n: &Number| ValueError::Invalid {
        item_type,
        value: Shown::quoted(&n.text()),
        reason: "out of range",
    };
    Ok(match (item_type, raw) {
        (ItemType::Structure, Raw::Items(children)) => Value::Structure(children),
        (ItemType::Integer, Raw::Number(n)) => Value::Integer(
            n.as_i64()
                .and_then(|v| i32::try_from(v).ok())
                .ok_or_else(|| out_of_range(&n))?,
        ),
        (ItemType::Integer, Raw::String(s)) => {
            Value::Integer(value_text::parse_integer(&s, interpretation, &['|', ' '])?)
        }
        (ItemType::LongInteger, Raw::Number(n)) => {
            Value::LongInteger(n.as_i64().ok_or_else(|| out_of_range(&n))?)
        }
        (ItemType::LongInteger, Raw::String(s)) => {
            Value::LongInteger(value_text::parse_long_integer(&s)?)
        }
        (ItemType::BigInteger, Raw::Number(n)) => {
            let v = n.as_i64().ok_or_else(|| {
                // The digits may be a key component: only their number is shown.
                value_text::invalid_bytes(
                    item_type,
                    &n.text(),
                    None,
                    "a number beyond 64 bits (use \"0x\" hex)",
                )
            })?;
            Value::BigInteger(BigInteger::from_i128(i128::from(v)))
        }
        (ItemType::BigInteger, Raw::String(s)) => {
            let digits = s
                .strip_prefix("0x")
                .or_else(|| s.strip_prefix("0X"))
                .ok_or_else(|| wrong_json_type(item_type))?;
            Value::BigInteger(value_text::parse_big_integer(digits)?)
        }
        (ItemType::Enumeration, Raw::Number(n)) => Value::Enumeration(
            n.as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| out_of_range(&n))?,
        ),
        (ItemType::Enumeration, Raw::String(s)) => {
            Value::Enumeration(value_text::parse_enumeration(&s, interpretation)?)
        }
        (ItemType::Boolean, Raw::Bool(b)) => Value::Boolean(b),
        (ItemType::Boolean, Raw::String(s)) => Value::Boolean(value_text::parse_boolean(&s)?),
        (ItemType::TextString, Raw::String(s)) => Value::TextString(s),
        (ItemType::ByteString, Raw::String(s)) => {
            Value::ByteString(value_text::parse_hex(&s, item_type)?)
        }
        (ItemType::DateTime, Raw::String(s)) => Value::DateTime(value_text::parse_date_time(&s)?),
        (ItemType::DateTimeExtended, Raw::String(s)) => {
            Value::DateTimeExtended(value_text::parse_date_time_extended(&s)?)
        }
        (ItemType::Interval, Raw::Number(n)) => Value::Interval(
            n.as_u64()
                .and_then(|v| u32::try_from(v).ok())
                .ok_or_else(|| out_of_range(&n))?,
        ),
        (ItemType::Interval, Raw::String(s)) => Value::Interval(value_text::parse_interval(&s)?),
        (item_type, _) => return Err(wrong_json_type(item_type)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex_string(json: &str) -> Result<String, &'static str> {
        let mut lexer = Lexer {
            input: json,
            pos: 0,
        };
        let out = lexer.string().map_err(|e| e.message)?;
        if lexer.pos == json.len() {
            Ok(out)
        } else {
            Err("not all read")
        }
    }

    #[test]
    fn strings_decode_as_serde_json_decodes_them() {
        for json in [
            r#""""#,
            r#""plain""#,
            r#""\" \\ \/ \b \f \n \r \t""#,
            r#""\u0000 \u001f \u00e9 \u20AC""#,
            r#""\ud83d\ude00 and é and 😀""#,
        ] {
            let expected: String = serde_json::from_str(json).unwrap();
            assert_eq!(lex_string(json), Ok(expected), "{json}");
        }
        for json in [
            r#""unterminated"#,
            "\"tab\there\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ud83d\u0041""#,
            r#""\ude00""#,
        ] {
            assert!(serde_json::from_str::<String>(json).is_err(), "{json}");
            assert!(lex_string(json).is_err(), "{json}");
        }
    }

    #[test]
    fn numbers_are_integers_within_64_bits_or_else_refused_by_every_item() {
        let number = |json: &str| {
            let mut lexer = Lexer {
                input: json,
                pos: 0,
            };
            lexer
                .number()
                .ok()
                .filter(|_| lexer.pos == json.len())
                .map(|n| (n.as_i64(), n.as_u64()))
        };
        assert_eq!(number("0"), Some((Some(0), Some(0))));
        assert_eq!(number("-7"), Some((Some(-7), None)));
        assert_eq!(number("18446744073709551615"), Some((None, Some(u64::MAX))));
        assert_eq!(number("-9223372036854775808"), Some((Some(i64::MIN), None)));
        for beyond in [
            "18446744073709551616",
            "-9223372036854775809",
            "1.5",
            "1e3",
            "1.0",
        ] {
            assert_eq!(number(beyond), Some((None, None)), "{beyond}");
        }
        for bad in ["01", "-", "1.", ".5", "1e", "+1", "-01"] {
            assert!(number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn malformed_json_is_a_syntax_error_with_its_position() {
        for (json, line, column) in [
            ("", 1, 1),
            ("{\"tag\" \"BatchItem\"}", 1, 8),
            ("{\"tag\":\"BatchItem\",\n \"value\":[]", 2, 12),
            ("{\"tag\":\"BatchItem\",\"value\":[],}", 1, 31),
            ("{\"tag\":\"BatchItem\",\"value\":[]} x", 1, 32),
            (
                "{\"tag\":\"BatchItem\",\"value\":[{\"tag\":\"BatchItem\",\"value\":[]},]}",
                1,
                60,
            ),
            (
                "{\"tag\":\"BatchCount\",\"type\":\"Integer\",\"value\":tru}",
                1,
                46,
            ),
        ] {
            let err = from_str(json, &Limits::DEFAULT).unwrap_err();
            match err.kind {
                JsonErrorKind::Syntax {
                    line: l, column: c, ..
                } => assert_eq!((l, c), (line, column), "{json}: {err}"),
                other => panic!("{json}: {other:?}"),
            }
        }
    }
}

//! XML → TTLV, one event at a time with an explicit stack (no recursion).

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::{MessageKind, TestMessage, XmlError, XmlErrorKind, XmlOptions};
use crate::dictionary::tag_by_name;
use crate::value_text::{self, Interpretation, Siblings, ValueError, quote};
use crate::{ItemType, Tag, TagPath, Ttlv, Value};

/// Separators between the words of a mask value.
const MASK_SEPARATORS: &[char] = &[' ', '\t', '\n', '\r'];

/// Reads one message (any root item) from XML.
///
/// Input longer than [`crate::Limits::max_text_len`] is refused before it is parsed.
pub fn from_str(input: &str, options: &XmlOptions<'_>) -> Result<Ttlv, XmlError> {
    let limit = options.limits.max_text_len();
    if input.len() > limit {
        return Err(XmlError {
            line: 1,
            path: TagPath::new(),
            kind: XmlErrorKind::TextTooLong {
                len: input.len(),
                limit,
            },
        });
    }
    let mut parser = Parser::new(input, options);
    let (start, empty, at) = parser.root()?;
    let item = parser.item(&start, empty, at)?;
    parser.end_of_document()?;
    Ok(item)
}

/// Reads a test-case file: a `<KMIP>` or `<KmipTestCase>` root holding
/// `RequestMessage` and `ResponseMessage` elements, in conversation order.
///
/// Text between the messages (`# TIME 0` lines, extraction debris) and comments are
/// ignored. The order of requests and responses is not checked: a case may send two
/// requests before reading their responses. The text of each message is limited to
/// [`crate::Limits::max_text_len`], checked as it is read.
pub fn parse_test_case(
    input: &str,
    options: &XmlOptions<'_>,
) -> Result<Vec<TestMessage>, XmlError> {
    let mut parser = Parser::new(input, options);
    let (root, empty, _) = parser.root()?;
    let root_name = element_name(&root).map_err(|k| parser.error_here(k))?;
    if root_name != "KMIP" && root_name != "KmipTestCase" {
        return Err(parser.error_here(XmlErrorKind::UnexpectedRoot(quote(&root_name))));
    }
    let mut messages = Vec::new();
    if !empty {
        loop {
            let (event, at) = parser.next_event()?;
            let (start, empty) = match event {
                Event::Start(e) => (e, false),
                Event::Empty(e) => (e, true),
                Event::End(_) => break,
                Event::Eof => return Err(parser.error_at(at, XmlErrorKind::UnexpectedEof)),
                // Commentary between messages.
                Event::Text(_)
                | Event::CData(_)
                | Event::Comment(_)
                | Event::PI(_)
                | Event::Decl(_)
                | Event::DocType(_) => continue,
            };
            let name = element_name(&start).map_err(|k| parser.error_at(at, k))?;
            let kind = match name.as_str() {
                "RequestMessage" => MessageKind::Request,
                "ResponseMessage" => MessageKind::Response,
                _ => {
                    return Err(parser.error_at(at, XmlErrorKind::UnexpectedElement(quote(&name))));
                }
            };
            let line = parser.line_of(at);
            let message = parser.item(&start, empty, at)?;
            messages.push(TestMessage {
                kind,
                message,
                line,
            });
        }
    }
    parser.end_of_document()?;
    Ok(messages)
}

/// An element being read.
enum Frame {
    Structure {
        tag: Tag,
        children: Vec<Ttlv>,
        /// How the next child's value is named (its Attribute Name sibling).
        siblings: Siblings,
        /// This structure or an ancestor is secret-bearing: errors withhold its values.
        secret: bool,
    },
    /// A primitive written with a start and an end tag; only whitespace and comments
    /// may come before its end tag.
    Primitive { item: Ttlv },
}

impl Frame {
    fn tag(&self) -> Tag {
        match self {
            Frame::Structure { tag, .. } => *tag,
            Frame::Primitive { item } => item.tag,
        }
    }
}

struct Parser<'i, 'o> {
    input: &'i str,
    reader: Reader<&'i [u8]>,
    options: &'o XmlOptions<'o>,
    stack: Vec<Frame>,
    /// Items of the message being read.
    items: usize,
    /// Last position turned into a line number, and that line: positions are asked
    /// for in increasing order, so lines are counted once.
    line_cache: (usize, usize),
}

impl<'i, 'o> Parser<'i, 'o> {
    fn new(input: &'i str, options: &'o XmlOptions<'o>) -> Self {
        let mut reader = Reader::from_str(input);
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Parser {
            input,
            reader,
            options,
            stack: Vec::new(),
            items: 0,
            line_cache: (0, 1),
        }
    }

    /// The next event and the byte offset where it starts.
    fn next_event(&mut self) -> Result<(Event<'i>, usize), XmlError> {
        let at = self.position();
        match self.reader.read_event() {
            Ok(event) => Ok((event, at)),
            Err(e) => {
                let pos = usize::try_from(self.reader.error_position()).unwrap_or(at);
                Err(self.error_at(pos, XmlErrorKind::Syntax(e.to_string())))
            }
        }
    }

    fn position(&self) -> usize {
        usize::try_from(self.reader.buffer_position()).unwrap_or(self.input.len())
    }

    /// Line of a byte offset, from 1.
    fn line_of(&mut self, pos: usize) -> usize {
        let (from, line) = if pos >= self.line_cache.0 {
            self.line_cache
        } else {
            (0, 1)
        };
        let newlines = self
            .input
            .as_bytes()
            .get(from..pos)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.line_cache = (pos, line + newlines);
        line + newlines
    }

    /// Tags of the open elements, then `leaf` (the element being opened) if known.
    fn path(&self, leaf: Option<Tag>) -> TagPath {
        self.stack.iter().map(Frame::tag).chain(leaf).collect()
    }

    fn error_at(&mut self, pos: usize, kind: XmlErrorKind) -> XmlError {
        XmlError {
            line: self.line_of(pos),
            path: self.path(None),
            kind,
        }
    }

    fn error_here(&mut self, kind: XmlErrorKind) -> XmlError {
        let pos = self.position();
        self.error_at(pos, kind)
    }

    /// Skips the prolog and returns the root element, whether it is empty, and where
    /// it starts.
    fn root(&mut self) -> Result<(BytesStart<'i>, bool, usize), XmlError> {
        loop {
            let (event, at) = self.next_event()?;
            match event {
                Event::Start(e) => return Ok((e, false, at)),
                Event::Empty(e) => return Ok((e, true, at)),
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) | Event::DocType(_) => {}
                Event::Text(t) => {
                    let kind = XmlErrorKind::UnexpectedText {
                        chars: text_chars(&t),
                    };
                    return Err(self.error_at(at, kind));
                }
                Event::CData(_) => {
                    return Err(self.error_at(at, XmlErrorKind::UnexpectedMarkup("CDATA")));
                }
                Event::End(_) => {
                    return Err(self.error_at(at, XmlErrorKind::Syntax("unmatched end tag".into())));
                }
                Event::Eof => return Err(self.error_at(at, XmlErrorKind::NoRoot)),
            }
        }
    }

    /// After the root element: only whitespace, comments and processing instructions.
    fn end_of_document(&mut self) -> Result<(), XmlError> {
        loop {
            let (event, at) = self.next_event()?;
            match event {
                Event::Eof => return Ok(()),
                Event::Text(t) if is_blank(&t) => {}
                Event::Comment(_) | Event::PI(_) => {}
                _ => return Err(self.error_at(at, XmlErrorKind::TrailingContent)),
            }
        }
    }

    /// Refuses a message whose text, from `start` to what has been read, is longer
    /// than [`crate::Limits::max_text_len`]: checked after each event is read and
    /// before it is handled, so nothing is allocated for text past the limit.
    fn check_text_len(&mut self, start: usize, at: usize) -> Result<(), XmlError> {
        let len = self.position().saturating_sub(start);
        let limit = self.options.limits.max_text_len();
        if len > limit {
            return Err(self.error_at(at, XmlErrorKind::TextTooLong { len, limit }));
        }
        Ok(())
    }

    /// Reads the item that `start`, found at byte `start_at`, opens, up to its end tag.
    fn item(
        &mut self,
        start: &BytesStart<'_>,
        empty: bool,
        start_at: usize,
    ) -> Result<Ttlv, XmlError> {
        self.items = 0;
        self.stack.clear();
        let at = start_at;
        self.check_text_len(start_at, at)?;
        let mut done = self.open(start, empty, at)?;
        while done.is_none() {
            let (event, at) = self.next_event()?;
            self.check_text_len(start_at, at)?;
            done = match event {
                Event::Start(e) => self.open(&e, false, at)?,
                Event::Empty(e) => self.open(&e, true, at)?,
                Event::End(_) => self.close(),
                Event::Text(t) if is_blank(&t) => None,
                Event::Comment(_) | Event::PI(_) => None,
                Event::Text(t) => {
                    let kind = XmlErrorKind::UnexpectedText {
                        chars: text_chars(&t),
                    };
                    return Err(self.error_at(at, kind));
                }
                Event::CData(_) => {
                    return Err(self.error_at(at, XmlErrorKind::UnexpectedMarkup("CDATA")));
                }
                Event::Decl(_) | Event::DocType(_) => {
                    let kind = XmlErrorKind::UnexpectedMarkup("a declaration");
                    return Err(self.error_at(at, kind));
                }
                Event::Eof => return Err(self.error_at(at, XmlErrorKind::UnexpectedEof)),
            };
        }
        let item = done.ok_or_else(|| self.error_here(XmlErrorKind::UnexpectedEof))?;
        let len = item.encoded_len();
        let limit = self.options.limits.max_message_len;
        if len > limit {
            return Err(self.error_at(at, XmlErrorKind::TooLong { len, limit }));
        }
        Ok(item)
    }

    /// Handles a start (or empty-element) tag; returns the root item once complete.
    fn open(
        &mut self,
        e: &BytesStart<'_>,
        empty: bool,
        at: usize,
    ) -> Result<Option<Ttlv>, XmlError> {
        let name = element_name(e).map_err(|k| self.error_at(at, k))?;
        let fail = |this: &mut Self, leaf: Option<Tag>, kind| XmlError {
            line: this.line_of(at),
            path: this.path(leaf),
            kind,
        };
        if let Some(Frame::Primitive { item, .. }) = self.stack.last() {
            let kind = XmlErrorKind::ChildOfPrimitive(item.item_type());
            return Err(fail(self, None, kind));
        }
        let limits = self.options.limits;
        if self.stack.len() + 1 > limits.depth_limit() {
            return Err(fail(
                self,
                None,
                XmlErrorKind::TooDeep(limits.depth_limit()),
            ));
        }
        self.items += 1;
        if self.items > limits.max_items {
            return Err(fail(
                self,
                None,
                XmlErrorKind::TooManyItems(limits.max_items),
            ));
        }
        let attrs = match Attrs::read(e) {
            Ok(attrs) => attrs,
            Err(kind) => return Err(fail(self, None, kind)),
        };
        let tag = match &attrs.tag {
            Some(raw) => {
                value_text::parse_tag(raw).ok_or_else(|| XmlErrorKind::InvalidTag(quote(raw)))
            }
            None if name == "TTLV" => Err(XmlErrorKind::MissingTag),
            None => tag_by_name(&name)
                .map(|info| info.tag)
                .ok_or_else(|| XmlErrorKind::UnknownTag(quote(&name))),
        };
        let item_type = match &attrs.item_type {
            None => Ok(ItemType::Structure),
            Some(t) => ItemType::from_name(t).ok_or_else(|| XmlErrorKind::UnknownType(quote(t))),
        };
        let tag = match tag {
            Ok(tag) => tag,
            Err(kind) => return Err(fail(self, None, kind)),
        };
        let item_type = match item_type {
            Ok(item_type) => item_type,
            Err(kind) => return Err(fail(self, Some(tag), kind)),
        };

        let secret = tag.is_secret_bearing()
            || matches!(
                self.stack.last(),
                Some(Frame::Structure { secret: true, .. })
            );
        if item_type == ItemType::Structure {
            if attrs.value.is_some() {
                return Err(fail(self, Some(tag), XmlErrorKind::ValueOnStructure));
            }
            if empty {
                return Ok(self.attach(Ttlv::structure(tag, Vec::new())));
            }
            self.stack.push(Frame::Structure {
                tag,
                children: Vec::new(),
                siblings: Siblings::new(),
                secret,
            });
            return Ok(None);
        }

        let Some(raw) = attrs.value else {
            return Err(fail(self, Some(tag), XmlErrorKind::MissingValue(item_type)));
        };
        let siblings = match self.stack.last() {
            Some(Frame::Structure { siblings, .. }) => *siblings,
            _ => Siblings::new(),
        };
        let interpretation = siblings.interpretation(tag);
        let value = match self.value(item_type, &raw, interpretation) {
            Ok(value) => value,
            Err(e) if secret => {
                let kind = e.withheld(raw.chars().count()).into();
                return Err(fail(self, Some(tag), kind));
            }
            Err(e) => return Err(fail(self, Some(tag), e.into())),
        };
        let item = Ttlv::new(tag, value);
        if empty {
            Ok(self.attach(item))
        } else {
            self.stack.push(Frame::Primitive { item });
            Ok(None)
        }
    }

    /// Handles an end tag (quick-xml has checked that it matches).
    fn close(&mut self) -> Option<Ttlv> {
        let item = match self.stack.pop()? {
            Frame::Structure { tag, children, .. } => Ttlv::structure(tag, children),
            Frame::Primitive { item, .. } => item,
        };
        self.attach(item)
    }

    /// Adds a finished item to its parent, or returns it when it is the root.
    fn attach(&mut self, item: Ttlv) -> Option<Ttlv> {
        match self.stack.last_mut() {
            Some(Frame::Structure {
                children, siblings, ..
            }) => {
                siblings.saw(&item);
                children.push(item);
                None
            }
            // `open` refuses children of primitives, so the parent is a structure.
            Some(Frame::Primitive { .. }) => None,
            None => Some(item),
        }
    }

    /// Reads a primitive value from its attribute text.
    fn value(
        &self,
        item_type: ItemType,
        raw: &str,
        interpretation: Interpretation,
    ) -> Result<Value, ValueError> {
        if item_type != ItemType::TextString && raw.starts_with('$') {
            return value_text::resolve_placeholder(raw, item_type, self.options.placeholder);
        }
        Ok(match item_type {
            ItemType::TextString => Value::TextString(if self.options.collapse_whitespace {
                collapse_whitespace(raw)
            } else {
                raw.to_owned()
            }),
            ItemType::Integer => Value::Integer(value_text::parse_integer(
                raw,
                interpretation,
                MASK_SEPARATORS,
            )?),
            ItemType::LongInteger => Value::LongInteger(value_text::parse_long_integer(raw)?),
            ItemType::Interval => Value::Interval(value_text::parse_interval(raw)?),
            ItemType::Enumeration => {
                Value::Enumeration(value_text::parse_enumeration(raw, interpretation)?)
            }
            ItemType::Boolean => Value::Boolean(value_text::parse_boolean(raw)?),
            ItemType::ByteString => Value::ByteString(value_text::parse_hex(raw, item_type)?),
            ItemType::BigInteger => Value::BigInteger(value_text::parse_big_integer(raw)?),
            ItemType::DateTime => Value::DateTime(value_text::parse_date_time(raw)?),
            ItemType::DateTimeExtended => {
                Value::DateTimeExtended(value_text::parse_date_time_extended(raw)?)
            }
            // `open` handles structures before reading any value.
            ItemType::Structure => Value::Structure(Vec::new()),
        })
    }
}

/// The attributes of an item element.
struct Attrs {
    tag: Option<String>,
    item_type: Option<String>,
    value: Option<String>,
}

impl Attrs {
    fn read(e: &BytesStart<'_>) -> Result<Attrs, XmlErrorKind> {
        let mut attrs = Attrs {
            tag: None,
            item_type: None,
            value: None,
        };
        for attr in e.attributes() {
            let attr = attr.map_err(|e| XmlErrorKind::Syntax(e.to_string()))?;
            let slot = match attr.key.as_ref() {
                b"tag" => &mut attrs.tag,
                b"type" => &mut attrs.item_type,
                b"value" => &mut attrs.value,
                other => {
                    let name = String::from_utf8_lossy(other);
                    return Err(XmlErrorKind::UnknownAttribute(quote(&name)));
                }
            };
            // The parser's message would quote the reference, which is part of the value.
            let value = attr.unescape_value().map_err(|_| {
                XmlErrorKind::Syntax(
                    "bad character or entity reference in an attribute value".into(),
                )
            })?;
            // The parser lets through characters XML 1.0 forbids; the writer could not
            // write them back.
            if let Some(at) = value.chars().position(|c| !super::is_xml_char(c)) {
                return Err(XmlErrorKind::NotXmlChar { position: at + 1 });
            }
            *slot = Some(value.into_owned());
        }
        Ok(attrs)
    }
}

fn element_name(e: &BytesStart<'_>) -> Result<String, XmlErrorKind> {
    core::str::from_utf8(e.name().as_ref())
        .map(str::to_owned)
        .map_err(|_| XmlErrorKind::Syntax("element name is not UTF-8".into()))
}

/// Length in characters of text found where none may be; the text is not kept, as it
/// may be a value written as element content.
fn text_chars(bytes: &[u8]) -> usize {
    String::from_utf8_lossy(bytes).trim().chars().count()
}

fn is_blank(bytes: &[u8]) -> bool {
    bytes.iter().all(u8::is_ascii_whitespace)
}

/// Replaces every run of whitespace with one space.
pub(crate) fn collapse_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_run = false;
    for c in text.chars() {
        if c.is_ascii_whitespace() {
            if !in_run {
                out.push(' ');
            }
            in_run = true;
        } else {
            out.push(c);
            in_run = false;
        }
    }
    out
}

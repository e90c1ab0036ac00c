//! The KMIP XML encoding and the XML test-case file format.
//!
//! Specified by *KMIP Additional Message Encodings v1.0* §6.1 (XML encoding) and §7
//! (test cases), carried into the "XML Encoding" section of the KMIP 2.0 and 2.1
//! specifications (which add Date-Time Extended): one element per item, named by the
//! normalised tag name, with a `type` attribute (absent for a Structure) and a `value`
//! attribute:
//!
//! ```xml
//! <RequestMessage>
//!   <RequestHeader>
//!     <ProtocolVersion>
//!       <ProtocolVersionMajor type="Integer" value="1"/>
//!       <ProtocolVersionMinor type="Integer" value="4"/>
//!     </ProtocolVersion>
//!     <BatchCount type="Integer" value="1"/>
//!   </RequestHeader>
//!   <BatchItem>
//!     <Operation type="Enumeration" value="Create"/>
//!     ...
//! ```
//!
//! | Type | `value` |
//! |---|---|
//! | Integer, Long Integer, Interval | decimal, or `0x` hex; a mask (Cryptographic Usage Mask, ...) also as space-separated bit names and `0x` words |
//! | Enumeration | normalised name, or `0x` and 8 hex digits; the value of a 1.x Attribute Value is named by its Attribute Name sibling, that of a 2.x Attribute Reference by a tag name |
//! | Boolean | `true` or `false` |
//! | Text String | the text |
//! | Byte String, Big Integer | hex without prefix (a Big Integer keeps its multiple of 8 bytes) |
//! | Date-Time | ISO 8601 with offset (`2012-04-27T08:12:26+00:00`), or `0x` hex |
//! | Date-Time Extended | ISO 8601 with microseconds, or `0x` hex |
//!
//! A tag the dictionary does not name is written `<TTLV tag="0x540001" type=".."
//! value=".."/>`; a `tag` attribute is accepted on any element and names the tag in
//! place of the element name.
//!
//! Parsing is iterative and bounded by [`Limits`] (text length, depth, items, encoded
//! length), so hostile input cannot exhaust the stack or make the reader allocate for
//! more than [`Limits::max_text_len`] of text. Values starting with `$` in the test cases
//! (`$NOW`, `$DATA_0`, ...) are placeholders: they go to [`XmlOptions::placeholder`],
//! except in Text Strings, where they are text.
//!
//! XML 1.0 cannot carry most control characters (U+0000 to U+001F other than tab, line
//! feed and carriage return) nor U+FFFE and U+FFFF, not even as character references:
//! [`to_string`] refuses a Text String holding one, and the readers refuse them in any
//! attribute value.

mod read;
mod write;

pub use crate::value_text::{PlaceholderHook, Shown, ValueError};
pub use read::{from_str, parse_test_case};
pub use write::to_string;

use core::fmt;

use crate::{ItemType, Limits, TagPath, Ttlv};

/// How XML input is read.
#[derive(Clone, Copy)]
pub struct XmlOptions<'a> {
    /// Bounds on each message: depth, item count and encoded length.
    pub limits: Limits,
    /// Collapse every run of whitespace to one space in Text String and mask values.
    ///
    /// The KMIP 1.0 profile test cases were extracted from HTML and carry runs of
    /// spaces inside values (`"Cryptographic   Length"`); turn this on for them.
    pub collapse_whitespace: bool,
    /// Resolves values starting with `$` in items other than Text Strings. Without a
    /// hook, or when it returns `None`, such a value is an error.
    pub placeholder: Option<PlaceholderHook<'a>>,
}

impl<'a> XmlOptions<'a> {
    /// Default limits, no whitespace collapsing, no placeholders.
    pub const fn new() -> Self {
        XmlOptions {
            limits: Limits::DEFAULT,
            collapse_whitespace: false,
            placeholder: None,
        }
    }

    /// Sets the limits.
    #[must_use]
    pub const fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Turns whitespace collapsing on or off.
    #[must_use]
    pub const fn with_collapse_whitespace(mut self, collapse: bool) -> Self {
        self.collapse_whitespace = collapse;
        self
    }

    /// Sets the placeholder hook.
    #[must_use]
    pub const fn with_placeholder(mut self, hook: PlaceholderHook<'a>) -> Self {
        self.placeholder = Some(hook);
        self
    }
}

impl Default for XmlOptions<'_> {
    fn default() -> Self {
        XmlOptions::new()
    }
}

impl fmt::Debug for XmlOptions<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("XmlOptions")
            .field("limits", &self.limits)
            .field("collapse_whitespace", &self.collapse_whitespace)
            .field("placeholder", &self.placeholder.map(|_| "Fn"))
            .finish()
    }
}

/// Which side of the conversation a test-case message is.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum MessageKind {
    /// A `RequestMessage`, sent by the client.
    Request,
    /// A `ResponseMessage`, the expected answer.
    Response,
}

/// One message of a test case, in file order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestMessage {
    /// Request or response.
    pub kind: MessageKind,
    /// The message.
    pub message: Ttlv,
    /// Line of the message's start tag, from 1.
    pub line: usize,
}

/// Why XML input is not a KMIP message, and where.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, in {path}: {kind}")]
pub struct XmlError {
    /// Line of the offending element or character, from 1.
    pub line: usize,
    /// Tags from the root to the offending element (`RequestMessage/BatchItem`), as far
    /// as they were read: an element whose tag cannot be read is not on it.
    pub path: TagPath,
    /// What is wrong.
    pub kind: XmlErrorKind,
}

/// True for the characters XML 1.0 allows in a document (the `Char` production of
/// XML 1.0 §2.2); Rust's `char` already excludes the surrogates.
pub(crate) const fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FFFD}' | '\u{10000}'..)
}

/// Why a tree cannot be written as XML.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlWriteError {
    /// A Text String holds a character XML 1.0 cannot carry, not even as a character
    /// reference. Only its position is given: the text may be a secret.
    #[error(
        "in {path}: character {position} of the text cannot be written in XML 1.0 (a \
         control character other than tab, line feed and carriage return, or U+FFFE or \
         U+FFFF)"
    )]
    NotXmlChar {
        /// Tags from the root to the item.
        path: TagPath,
        /// Position of the character in the text, from 1.
        position: usize,
    },
}

impl XmlWriteError {
    pub(crate) fn path_mut(&mut self) -> &mut TagPath {
        match self {
            XmlWriteError::NotXmlChar { path, .. } => path,
        }
    }
}

/// The classes of bad XML input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum XmlErrorKind {
    /// Not well-formed XML (the parser's message).
    #[error("XML syntax: {0}")]
    Syntax(String),
    /// The input ends inside an element.
    #[error("unexpected end of input")]
    UnexpectedEof,
    /// No element at all.
    #[error("no root element")]
    NoRoot,
    /// A test case whose root is not `KMIP` or `KmipTestCase`.
    #[error("test case root is <{0}>, expected <KMIP> or <KmipTestCase>")]
    UnexpectedRoot(String),
    /// A test-case child other than `RequestMessage` or `ResponseMessage`.
    #[error("<{0}> where a RequestMessage or ResponseMessage was expected")]
    UnexpectedElement(String),
    /// Another element after the root one.
    #[error("content after the root element")]
    TrailingContent,
    /// Text where only elements may appear. Only its length is kept: it may be a value
    /// written as element content (`<KeyMaterial ...>00ff...</KeyMaterial>`).
    #[error("unexpected text of {chars} characters (not shown)")]
    UnexpectedText {
        /// Length of the text, leading and trailing whitespace aside, in characters.
        chars: usize,
    },
    /// A CDATA section or a declaration where only elements may appear.
    #[error("unexpected {0}")]
    UnexpectedMarkup(&'static str),
    /// An element name that is not a tag name the dictionary knows.
    #[error("unknown tag name <{0}> (use <TTLV tag=\"0x42xxxx\" ...>)")]
    UnknownTag(String),
    /// A `tag` attribute that is neither a tag name nor `0x` and 6 hex digits.
    #[error("invalid tag attribute {0:?}")]
    InvalidTag(String),
    /// A `TTLV` element without a `tag` attribute.
    #[error("<TTLV> without a tag attribute")]
    MissingTag,
    /// An attribute other than `tag`, `type` and `value`.
    #[error("unexpected attribute {0:?}")]
    UnknownAttribute(String),
    /// A `type` attribute that is not a TTLV type name.
    #[error("unknown type {0:?}")]
    UnknownType(String),
    /// A primitive item without a `value` attribute.
    #[error("{0} without a value attribute")]
    MissingValue(ItemType),
    /// A structure (no `type` attribute) with a `value` attribute.
    #[error("value attribute on a Structure (missing type attribute?)")]
    ValueOnStructure,
    /// An element inside a primitive item.
    #[error("child element inside a {0}")]
    ChildOfPrimitive(ItemType),
    /// An attribute value holding a character XML 1.0 does not allow, written as a
    /// character reference (`&#x0;`) or as itself. Only its position is given.
    #[error(
        "character {position} of an attribute value is not allowed in XML 1.0 (a control \
         character other than tab, line feed and carriage return, or U+FFFE or U+FFFF)"
    )]
    NotXmlChar {
        /// Position of the character in the value once references are replaced, from 1.
        position: usize,
    },
    /// A value that does not read as its type.
    #[error(transparent)]
    Value(#[from] ValueError),
    /// Nesting deeper than [`Limits::depth_limit`].
    #[error("nesting deeper than {0}")]
    TooDeep(usize),
    /// More items in one message than [`Limits::max_items`].
    #[error("more than {0} items")]
    TooManyItems(usize),
    /// Message text longer than [`Limits::max_text_len`], refused before it is parsed.
    #[error(
        "{len} bytes of text, over the limit of {limit} ({} times the message limit)",
        Limits::TEXT_FACTOR
    )]
    TextTooLong {
        /// Bytes of text: the whole input, or the message's text read so far.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A message whose TTLV encoding exceeds [`Limits::max_message_len`].
    #[error("message encodes to {len} bytes, over the limit of {limit}")]
    TooLong {
        /// Encoded length in bytes.
        len: usize,
        /// The limit.
        limit: usize,
    },
}

#[cfg(test)]
mod tests;

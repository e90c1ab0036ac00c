//! Errors of the typed layer and their one mapping to a KMIP Result Reason.

use kmip_ttlv::dictionary::ResultReason;
use kmip_ttlv::{DecodeError, EncodeError, ItemType, KmipVersion, Tag, TagPath};

/// Why a TTLV tree is not the typed message it should be, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at {path})")]
pub struct Error {
    /// Tags from the root to the offending item.
    pub path: TagPath,
    /// What is wrong.
    pub kind: ErrorKind,
}

/// The classes of typed-model errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not valid TTLV.
    #[error(transparent)]
    Ttlv(#[from] DecodeError),
    /// The tree cannot be encoded.
    #[error(transparent)]
    Encode(#[from] EncodeError),
    /// A required field is absent.
    #[error("missing required field {0}")]
    Missing(Tag),
    /// A field that this structure does not have here (unknown, repeated or out of order).
    #[error("unexpected field {0}")]
    Unexpected(Tag),
    /// The root or a field has another tag than expected.
    #[error("expected {expected}, found {found}")]
    WrongTag {
        /// The expected tag.
        expected: Tag,
        /// The tag found.
        found: Tag,
    },
    /// A field has the wrong TTLV type.
    #[error("expected a {expected}, found a {found}")]
    WrongType {
        /// The type the model requires.
        expected: ItemType,
        /// The type found.
        found: ItemType,
    },
    /// A value outside what the field allows.
    #[error("invalid value: {0}")]
    InvalidValue(&'static str),
    /// A field or value that the message's protocol version does not define.
    #[error("{tag} is not defined in KMIP {version}")]
    NotInVersion {
        /// The field.
        tag: Tag,
        /// The message's version.
        version: KmipVersion,
    },
    /// A Protocol Version this library does not speak.
    #[error("unsupported protocol version {major}.{minor}")]
    UnsupportedVersion {
        /// Major number.
        major: i32,
        /// Minor number.
        minor: i32,
    },
}

impl Error {
    /// An error at the current item (the path grows as it propagates to the root).
    pub fn new(kind: ErrorKind) -> Self {
        Error {
            path: TagPath::new(),
            kind,
        }
    }

    /// Prefixes the path with the enclosing tag.
    #[must_use]
    pub fn within(mut self, tag: Tag) -> Self {
        self.path.push_front(tag);
        self
    }

    /// The KMIP Result Reason a server answers with for this error (KMIP 1.4 §11).
    pub fn result_reason(&self) -> ResultReason {
        match &self.kind {
            ErrorKind::Ttlv(_) | ErrorKind::WrongTag { .. } => ResultReason::INVALID_MESSAGE,
            ErrorKind::Missing(_) => ResultReason::MISSING_DATA,
            ErrorKind::UnsupportedVersion { .. } => ResultReason::INVALID_MESSAGE,
            ErrorKind::Encode(_) => ResultReason::GENERAL_FAILURE,
            ErrorKind::Unexpected(_)
            | ErrorKind::WrongType { .. }
            | ErrorKind::InvalidValue(_)
            | ErrorKind::NotInVersion { .. } => ResultReason::INVALID_FIELD,
        }
    }
}

impl From<ErrorKind> for Error {
    fn from(kind: ErrorKind) -> Self {
        Error::new(kind)
    }
}

impl From<DecodeError> for Error {
    fn from(e: DecodeError) -> Self {
        Error::new(ErrorKind::Ttlv(e))
    }
}

impl From<EncodeError> for Error {
    fn from(e: EncodeError) -> Self {
        Error::new(ErrorKind::Encode(e))
    }
}

//! Bounds applied while decoding untrusted input.

/// Limits on a decoded message. Every decode takes one; there is no unbounded mode.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted message, header included, in bytes.
    pub max_message_len: usize,
    /// Deepest accepted nesting: the root item is depth 1, its children depth 2, and an
    /// item deeper than this is refused. Decoding recurses once per level, so this also
    /// bounds stack use: whatever the field holds, no decoder goes deeper than
    /// [`Limits::MAX_DEPTH`] (see [`Limits::depth_limit`]).
    pub max_depth: usize,
    /// Most items (structures and primitives) in one message.
    pub max_items: usize,
}

impl Limits {
    /// The deepest nesting any decoder accepts (binary, XML, JSON), whatever
    /// `max_depth` says. KMIP messages nest about ten levels. The binary decoder, the
    /// encoder and the XML and JSON writers recurse once per level: 64 levels fit a
    /// 256 KiB thread stack in a debug build, and 100,000 levels, which a 1 MiB message
    /// can declare, do not. (The XML and JSON readers do not recurse.)
    pub const MAX_DEPTH: usize = 64;

    /// How many times longer than [`Limits::max_message_len`] the XML or JSON text of
    /// one message may be ([`Limits::max_text_len`]).
    ///
    /// Text encodings are bigger than TTLV: names for tag numbers, hex for bytes,
    /// indentation. This crate's writers and the KMIP test cases stay under 6 times the
    /// TTLV length in XML and compact JSON and under 12 times in indented JSON; 16 leaves
    /// room, and keeps a reader from parsing (and allocating for) 100 MB of text to
    /// find a message that could never fit.
    pub const TEXT_FACTOR: usize = 16;

    /// Defaults for a server facing the network: 1 MiB, depth 32, 100,000 items.
    pub const DEFAULT: Limits = Limits {
        max_message_len: 1 << 20,
        max_depth: 32,
        max_items: 100_000,
    };

    /// Sets the maximum message length.
    #[must_use]
    pub const fn with_max_message_len(mut self, len: usize) -> Self {
        self.max_message_len = len;
        self
    }

    /// Sets the maximum nesting depth, capped at [`Limits::MAX_DEPTH`].
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = if depth < Self::MAX_DEPTH {
            depth
        } else {
            Self::MAX_DEPTH
        };
        self
    }

    /// The longest XML or JSON text accepted for one message: `max_message_len` times
    /// [`Limits::TEXT_FACTOR`]. Longer text is refused before it is parsed.
    pub const fn max_text_len(&self) -> usize {
        self.max_message_len.saturating_mul(Self::TEXT_FACTOR)
    }

    /// The depth limit decoders apply: `max_depth`, capped at [`Limits::MAX_DEPTH`] (the
    /// field is public, so it may hold more).
    pub const fn depth_limit(&self) -> usize {
        if self.max_depth < Self::MAX_DEPTH {
            self.max_depth
        } else {
            Self::MAX_DEPTH
        }
    }

    /// Sets the maximum number of items.
    #[must_use]
    pub const fn with_max_items(mut self, items: usize) -> Self {
        self.max_items = items;
        self
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

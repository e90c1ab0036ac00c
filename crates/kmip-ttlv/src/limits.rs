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
    /// `max_depth` says. KMIP messages nest about ten levels; 64 levels of the binary
    /// and JSON decoders' recursion fit a 256 KiB thread stack in a debug build, and
    /// 100,000 levels, which a 1 MiB message can declare, do not.
    pub const MAX_DEPTH: usize = 64;

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

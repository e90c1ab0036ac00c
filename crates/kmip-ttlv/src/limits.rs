//! Bounds applied while decoding untrusted input.

/// Limits on a decoded message. Every decode takes one; there is no unbounded mode.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted message, header included, in bytes.
    pub max_message_len: usize,
    /// Deepest accepted nesting: the root item is depth 1, its children depth 2, and an
    /// item deeper than this is refused. Decoding recurses once per level, so this also
    /// bounds stack use; keep it small (a server has no use for more than 64).
    pub max_depth: usize,
    /// Most items (structures and primitives) in one message.
    pub max_items: usize,
}

impl Limits {
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

    /// Sets the maximum nesting depth.
    #[must_use]
    pub const fn with_max_depth(mut self, depth: usize) -> Self {
        self.max_depth = depth;
        self
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

//! The handlers, one module per group of operations.

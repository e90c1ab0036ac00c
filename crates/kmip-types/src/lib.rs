//! Typed KMIP protocol model.

//! Helpers shared by the integration tests.

pub mod backend_suite;

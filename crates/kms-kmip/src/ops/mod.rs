//! The operations: each translates its request payload into calls on the store and the
//! result into its response payload. [`IMPLEMENTED`] is the one registry Query reports.

#![doc = include_str!("../README.md")]
#![warn(missing_docs)]

pub mod accept;
pub mod error;
pub mod identity;
pub mod pki;
pub mod policy;

pub use accept::{ConnectionLimit, ConnectionPermit, accept};
pub use error::TlsError;
pub use identity::ClientIdentity;
pub use pki::{CertificateAuthority, ClientCertSpec, ClientEku, ClientValidity, Issued, new_ca};
pub use policy::{ALLOWED_CIPHER_SUITES, server_config};

//! The client identity, taken from the verified client certificate only.

use std::fmt;

/// Who a connection belongs to.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientIdentity {
    /// The subject's single Common Name.
    pub common_name: String,
    /// The OVHcloud KMS domain (`okms.domain:<uuid>` in a UPN otherName SAN), if any.
    pub domain: Option<String>,
}

impl ClientIdentity {
    /// The owner name objects are stored under: `domain:<uuid>` when the certificate
    /// names a domain (all of a domain's certificates share its keys), else `cn:<CN>`.
    pub fn owner(&self) -> String {
        match &self.domain {
            Some(d) => format!("domain:{d}"),
            None => format!("cn:{}", self.common_name),
        }
    }
}

impl fmt::Debug for ClientIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientIdentity")
            .field("common_name", &self.common_name)
            .field("domain", &self.domain)
            .finish()
    }
}

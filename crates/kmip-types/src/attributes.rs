//! Attributes (KMIP 1.4 §3, KMIP 2.0 §4). Placeholder definitions, to be typed.

use crate::raw_stub::raw_struct;

raw_struct! {
    /// Attribute (1.x structure form, or 2.x vendor attribute).
    Attribute,
    /// Template-Attribute (KMIP 1.x §2.1.8), also Common/Private Key/Public Key Template-Attribute.
    TemplateAttribute,
    /// Attributes (KMIP 2.0 §2.1.?), also Common/Private Key/Public Key Attributes.
    Attributes,
    /// Attribute Reference (KMIP 2.0).
    AttributeReference,
    /// Name.
    Name,
    /// Cryptographic Parameters.
    CryptographicParameters,
    /// Revocation Reason.
    RevocationReason,
    /// Link.
    Link,
}

//! The managed object structures (KMIP 1.4 §2.2, KMIP 2.0 §2.2).

use kmip_ttlv::{BigInteger, KmipVersion, Tag, Ttlv};

use super::key_block::KeyBlock;
use crate::attributes::Attribute;
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::Error;
use crate::secret::SecretBytes;
use crate::{
    CertificateRequestType, CertificateType, OpaqueDataType, SecretDataType, SplitKeyMethod,
};

kmip_struct! {
    /// Certificate (KMIP 1.4 §2.2.1).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct Certificate {
        /// X.509 or PGP.
        req certificate_type: CertificateType = CERTIFICATE_TYPE,
        /// The DER-encoded certificate.
        req certificate_value: Vec<u8> = CERTIFICATE_VALUE,
    }
}

kmip_struct! {
    /// Symmetric Key (KMIP 1.4 §2.2.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct SymmetricKey {
        /// The key.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

kmip_struct! {
    /// Public Key (KMIP 1.4 §2.2.3).
    #[derive(Debug, PartialEq, Eq)]
    pub struct PublicKey {
        /// The key.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

kmip_struct! {
    /// Private Key (KMIP 1.4 §2.2.4).
    #[derive(Debug, PartialEq, Eq)]
    pub struct PrivateKey {
        /// The key.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

kmip_struct! {
    /// Split Key (KMIP 1.4 §2.2.5): one part of a key split into N of which M rebuild it.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SplitKey {
        /// N, the number of parts.
        req split_key_parts: i32 = SPLIT_KEY_PARTS,
        /// Which part this is.
        req key_part_identifier: i32 = KEY_PART_IDENTIFIER,
        /// M, the number of parts needed.
        req split_key_threshold: i32 = SPLIT_KEY_THRESHOLD,
        /// How the key was split.
        req split_key_method: SplitKeyMethod = SPLIT_KEY_METHOD,
        /// Prime of the field, for the polynomial methods.
        opt prime_field_size: BigInteger = PRIME_FIELD_SIZE,
        /// The part.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

/// Template (KMIP 1.4 §2.2.6; deprecated in 1.3, gone in 2.0): attributes to apply by
/// name when creating or registering objects.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template {
    /// The attributes.
    pub attributes: Vec<Attribute>,
}

impl KmipCodec for Template {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let attributes = r.repeated(Tag::ATTRIBUTE)?;
        r.finish()?;
        Ok(Template { attributes })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.repeated(Tag::ATTRIBUTE, &self.attributes, None, None)?;
        Ok(w.finish(tag))
    }
}

kmip_struct! {
    /// Secret Data (KMIP 1.4 §2.2.7): a password, seed or other shared secret.
    #[derive(Debug, PartialEq, Eq)]
    pub struct SecretData {
        /// What kind of secret.
        req secret_data_type: SecretDataType = SECRET_DATA_TYPE,
        /// The secret.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

kmip_struct! {
    /// Opaque Object (KMIP 1.4 §2.2.8): data the server stores without interpreting it.
    /// The value may be a secret, so it is kept as one.
    #[derive(Debug, PartialEq, Eq)]
    pub struct OpaqueObject {
        /// What kind of data (vendor-defined values).
        req opaque_data_type: OpaqueDataType = OPAQUE_DATA_TYPE,
        /// The data.
        req opaque_data_value: SecretBytes = OPAQUE_DATA_VALUE,
    }
}

kmip_struct! {
    /// PGP Key (KMIP 1.4 §2.2.9, KMIP 1.2 onward).
    #[derive(Debug, PartialEq, Eq)]
    pub struct PgpKey {
        /// PGP key version (RFC 4880).
        req pgp_key_version: i32 = PGP_KEY_VERSION,
        /// The key.
        req key_block: KeyBlock = KEY_BLOCK,
    }
}

kmip_struct! {
    /// Certificate Request (KMIP 2.0 §2.2): a CSR stored as a managed object.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CertificateRequest {
        /// CRMF, PKCS#10, PEM or PGP.
        req certificate_request_type: CertificateRequestType = CERTIFICATE_REQUEST_TYPE,
        /// The request.
        req certificate_request_value: Vec<u8> = CERTIFICATE_REQUEST_VALUE,
    }
}

impl SymmetricKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SymmetricKey {
            key_block: self.key_block.duplicate(),
        }
    }
}

impl PublicKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        PublicKey {
            key_block: self.key_block.duplicate(),
        }
    }
}

impl PrivateKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        PrivateKey {
            key_block: self.key_block.duplicate(),
        }
    }
}

impl SplitKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SplitKey {
            split_key_parts: self.split_key_parts,
            key_part_identifier: self.key_part_identifier,
            split_key_threshold: self.split_key_threshold,
            split_key_method: self.split_key_method,
            prime_field_size: self.prime_field_size.clone(),
            key_block: self.key_block.duplicate(),
        }
    }
}

impl SecretData {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        SecretData {
            secret_data_type: self.secret_data_type,
            key_block: self.key_block.duplicate(),
        }
    }
}

impl OpaqueObject {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        OpaqueObject {
            opaque_data_type: self.opaque_data_type,
            opaque_data_value: self.opaque_data_value.duplicate(),
        }
    }
}

impl PgpKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        PgpKey {
            pgp_key_version: self.pgp_key_version,
            key_block: self.key_block.duplicate(),
        }
    }
}

//! Key Block, Key Value and Key Material (KMIP 1.4 §2.1.3–2.1.4, §2.1.7; KMIP 2.0
//! §2.1.3–2.1.4, §2.1.7).
//!
//! Key Material is typed by the Key Format Type that precedes it in the Key Block: a Byte
//! String for the encoded formats (Raw, Opaque, PKCS#1, PKCS#8, X.509, ECPrivateKey,
//! PKCS#12, ...), a structure for the transparent ones.

use kmip_ttlv::{ItemType, KmipVersion, Tag, Ttlv, Value};

use super::Duplicate;
use super::transparent::{
    TransparentDhPrivateKey, TransparentDhPublicKey, TransparentDsaPrivateKey,
    TransparentDsaPublicKey, TransparentEcPrivateKey, TransparentEcPublicKey,
    TransparentRsaPrivateKey, TransparentRsaPublicKey, TransparentSymmetricKey,
};
use super::wrapping::KeyWrappingData;
use crate::attributes::{Attribute, Attributes};
use crate::codec::{KmipCodec, StructReader, StructWriter, in_range, wrong_type};
use crate::error::{Error, ErrorKind};
use crate::secret::SecretBytes;
use crate::{CryptographicAlgorithm, KeyCompressionType, KeyFormatType};

/// Key Block (KMIP 1.4 §2.1.3): key material with its format, algorithm and wrapping.
///
/// Not `Clone`: it may hold a secret. Use [`KeyBlock::duplicate`] for an explicit copy.
#[derive(Debug, PartialEq, Eq)]
pub struct KeyBlock {
    /// The format of the key material (and of the whole Key Value when not wrapped).
    pub key_format_type: KeyFormatType,
    /// Compression of an elliptic curve public key.
    pub key_compression_type: Option<KeyCompressionType>,
    /// The key; absent when the server does not hold or does not return it.
    pub key_value: Option<KeyValue>,
    /// Algorithm; absent for some objects (Secret Data, Opaque formats).
    pub cryptographic_algorithm: Option<CryptographicAlgorithm>,
    /// Length in bits.
    pub cryptographic_length: Option<i32>,
    /// How the Key Value is wrapped, if it is.
    pub key_wrapping_data: Option<KeyWrappingData>,
}

/// Key Value (KMIP 1.4 §2.1.4).
#[derive(Debug, PartialEq, Eq)]
pub enum KeyValue {
    /// A Byte String: the wrapped Key Value when Key Wrapping Data is present (the
    /// PKCS#12 test cases also send a PKCS#12 blob this way).
    Bytes(SecretBytes),
    /// The Key Value structure.
    Structure {
        /// The key material, typed by the Key Format Type (raw bytes of a wrapped key when
        /// the wrapping used No Encoding).
        key_material: KeyMaterial,
        /// Attributes bound to the key: KMIP 1.x Attribute fields (`None` when there are
        /// none: an empty list and no list are the same message there), a KMIP 2.x
        /// Attributes structure (`None` when absent, `Some` even when empty, so that an
        /// empty `<Attributes/>` survives decode and encode).
        attributes: Option<Attributes>,
    },
}

impl KeyBlock {
    /// An unwrapped key block.
    pub fn new(
        key_format_type: KeyFormatType,
        key_material: KeyMaterial,
        cryptographic_algorithm: Option<CryptographicAlgorithm>,
        cryptographic_length: Option<i32>,
    ) -> Self {
        KeyBlock {
            key_format_type,
            key_compression_type: None,
            key_value: Some(KeyValue::Structure {
                key_material,
                attributes: None,
            }),
            cryptographic_algorithm,
            cryptographic_length,
            key_wrapping_data: None,
        }
    }

    /// The key material, when the Key Value is present as a structure.
    pub fn key_material(&self) -> Option<&KeyMaterial> {
        match &self.key_value {
            Some(KeyValue::Structure { key_material, .. }) => Some(key_material),
            Some(KeyValue::Bytes(_)) | None => None,
        }
    }

    /// True when the Key Value is wrapped.
    pub fn is_wrapped(&self) -> bool {
        self.key_wrapping_data.is_some()
    }

    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        KeyBlock {
            key_format_type: self.key_format_type,
            key_compression_type: self.key_compression_type,
            key_value: self.key_value.as_ref().map(KeyValue::duplicate),
            cryptographic_algorithm: self.cryptographic_algorithm,
            cryptographic_length: self.cryptographic_length,
            key_wrapping_data: self.key_wrapping_data.clone(),
        }
    }
}

impl KeyValue {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        match self {
            KeyValue::Bytes(b) => KeyValue::Bytes(b.duplicate()),
            KeyValue::Structure {
                key_material,
                attributes,
            } => KeyValue::Structure {
                key_material: key_material.duplicate(),
                attributes: attributes.clone(),
            },
        }
    }

    fn decode_for(
        format: KeyFormatType,
        wrapped: bool,
        item: Ttlv,
        version: KmipVersion,
    ) -> Result<Self, Error> {
        match item.value {
            Value::ByteString(_) => Ok(KeyValue::Bytes(SecretBytes::decode(item, version)?)),
            Value::Structure(_) => {
                let mut r = StructReader::new(item, version)?;
                let raw = r
                    .take_raw(Tag::KEY_MATERIAL)
                    .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::KEY_MATERIAL)))?;
                let key_material = KeyMaterial::decode_for(format, wrapped, raw, version)
                    .map_err(|e| e.within(Tag::KEY_MATERIAL))?;
                let attributes = if version.is_2x() {
                    r.optional::<Attributes>(Tag::ATTRIBUTES)?
                } else {
                    let list: Vec<Attribute> = r.repeated(Tag::ATTRIBUTE)?;
                    (!list.is_empty()).then(|| Attributes::new(list))
                };
                r.finish()?;
                Ok(KeyValue::Structure {
                    key_material,
                    attributes,
                })
            }
            _ => Err(wrong_type(ItemType::Structure, &item)),
        }
    }

    fn encode_for(
        &self,
        format: KeyFormatType,
        wrapped: bool,
        version: KmipVersion,
    ) -> Result<Ttlv, Error> {
        match self {
            KeyValue::Bytes(bytes) => bytes.encode(Tag::KEY_VALUE, version),
            KeyValue::Structure {
                key_material,
                attributes,
            } => {
                if !wrapped && !key_material.matches_format(format) {
                    return Err(Error::new(ErrorKind::InvalidValue(
                        "Key Material does not match the Key Format Type",
                    ))
                    .within(Tag::KEY_MATERIAL));
                }
                if !key_material.defined_in(version) {
                    return Err(Error::new(ErrorKind::NotInVersion {
                        tag: Tag::KEY_FORMAT_TYPE,
                        version,
                    })
                    .within(Tag::KEY_MATERIAL));
                }
                let mut w = StructWriter::new(version);
                w.raw(
                    key_material
                        .encode(Tag::KEY_MATERIAL, version)
                        .map_err(|e| e.within(Tag::KEY_MATERIAL))?,
                );
                match attributes {
                    Some(attributes) if version.is_2x() => {
                        w.field(Tag::ATTRIBUTES, attributes)?;
                    }
                    Some(attributes) => {
                        w.repeated(Tag::ATTRIBUTE, &attributes.attributes, None, None)?
                    }
                    None => {}
                }
                Ok(w.finish(Tag::KEY_VALUE))
            }
        }
    }
}

impl KmipCodec for KeyBlock {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let key_format_type: KeyFormatType = r.required(Tag::KEY_FORMAT_TYPE)?;
        let key_compression_type = r.optional(Tag::KEY_COMPRESSION_TYPE)?;
        let raw_value = r.take_raw(Tag::KEY_VALUE);
        let cryptographic_algorithm = r.optional(Tag::CRYPTOGRAPHIC_ALGORITHM)?;
        let cryptographic_length = r.optional(Tag::CRYPTOGRAPHIC_LENGTH)?;
        let key_wrapping_data: Option<KeyWrappingData> = r.optional(Tag::KEY_WRAPPING_DATA)?;
        r.finish()?;
        // The Key Value is read last: whether it is wrapped is only known at the end.
        let wrapped = key_wrapping_data.is_some();
        let key_value = raw_value
            .map(|raw| {
                KeyValue::decode_for(key_format_type, wrapped, raw, version)
                    .map_err(|e| e.within(Tag::KEY_VALUE))
            })
            .transpose()?;
        Ok(KeyBlock {
            key_format_type,
            key_compression_type,
            key_value,
            cryptographic_algorithm,
            cryptographic_length,
            key_wrapping_data,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::KEY_FORMAT_TYPE, &self.key_format_type)?;
        w.optional(
            Tag::KEY_COMPRESSION_TYPE,
            self.key_compression_type.as_ref(),
            None,
            None,
        )?;
        if let Some(value) = &self.key_value {
            w.raw(
                value
                    .encode_for(self.key_format_type, self.is_wrapped(), version)
                    .map_err(|e| e.within(Tag::KEY_VALUE))?,
            );
        }
        w.optional(
            Tag::CRYPTOGRAPHIC_ALGORITHM,
            self.cryptographic_algorithm.as_ref(),
            None,
            None,
        )?;
        w.optional(
            Tag::CRYPTOGRAPHIC_LENGTH,
            self.cryptographic_length.as_ref(),
            None,
            None,
        )?;
        w.optional(
            Tag::KEY_WRAPPING_DATA,
            self.key_wrapping_data.as_ref(),
            None,
            None,
        )?;
        Ok(w.finish(tag))
    }
}

duplicate_by!(clone: TransparentDsaPublicKey, TransparentRsaPublicKey, TransparentDhPublicKey, TransparentEcPublicKey);
duplicate_by!(method: TransparentSymmetricKey, TransparentDsaPrivateKey, TransparentRsaPrivateKey, TransparentDhPrivateKey, TransparentEcPrivateKey);

macro_rules! key_material {
    ($(
        $(#[$doc:meta])*
        $variant:ident($ty:ty) = $format:ident, $since:ident .. $($until:ident)?;
    )*) => {
        /// Key Material (KMIP 1.4 §2.1.4, §2.1.7), typed by the Key Format Type.
        ///
        /// Not `Clone`: use [`KeyMaterial::duplicate`] for an explicit copy.
        #[derive(Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum KeyMaterial {
            /// The encoded formats (Raw, Opaque, PKCS#1, PKCS#8, X.509, ECPrivateKey,
            /// PKCS#12, PKCS#10, vendor formats), and any key material wrapped with No
            /// Encoding.
            Bytes(SecretBytes),
            $(
                $(#[$doc])*
                $variant($ty),
            )*
        }

        impl KeyMaterial {
            /// An explicit copy.
            pub fn duplicate(&self) -> Self {
                match self {
                    KeyMaterial::Bytes(b) => KeyMaterial::Bytes(b.duplicate()),
                    $( KeyMaterial::$variant(k) => KeyMaterial::$variant(k.dup()), )*
                }
            }

            /// True when `version` defines this form of key material (the transparent
            /// EC keys start with KMIP 1.3; the ECDSA, ECDH and ECMQV ones end with 1.x).
            pub fn defined_in(&self, version: KmipVersion) -> bool {
                match self {
                    KeyMaterial::Bytes(_) => true,
                    $(
                        KeyMaterial::$variant(_) => in_range(
                            version,
                            Some(KmipVersion::$since),
                            $crate::__kmip_version!($($until)?),
                        ),
                    )*
                }
            }

            /// True when this is how `format` writes key material.
            pub fn matches_format(&self, format: KeyFormatType) -> bool {
                match self {
                    KeyMaterial::Bytes(_) => !matches!(format, $( KeyFormatType::$format )|*),
                    $( KeyMaterial::$variant(_) => format == KeyFormatType::$format, )*
                }
            }

            fn decode_for(
                format: KeyFormatType,
                wrapped: bool,
                item: Ttlv,
                version: KmipVersion,
            ) -> Result<Self, Error> {
                // Wrapping with No Encoding leaves only the wrapped bytes, whatever the
                // format.
                if wrapped && item.item_type() == ItemType::ByteString {
                    return Ok(KeyMaterial::Bytes(SecretBytes::decode(item, version)?));
                }
                match format {
                    $(
                        KeyFormatType::$format => {
                            let until = $crate::__kmip_version!($($until)?);
                            if !in_range(version, Some(KmipVersion::$since), until) {
                                return Err(Error::new(ErrorKind::NotInVersion {
                                    tag: Tag::KEY_FORMAT_TYPE,
                                    version,
                                }));
                            }
                            Ok(KeyMaterial::$variant(<$ty>::decode(item, version)?))
                        }
                    )*
                    _ => Ok(KeyMaterial::Bytes(SecretBytes::decode(item, version)?)),
                }
            }
        }

        impl KeyMaterial {
            /// Writes the key material under `tag`.
            pub fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
                match self {
                    KeyMaterial::Bytes(b) => b.encode(tag, version),
                    $( KeyMaterial::$variant(k) => k.encode(tag, version), )*
                }
            }
        }
    };
}

key_material! {
    /// Transparent Symmetric Key.
    TransparentSymmetricKey(TransparentSymmetricKey) = TRANSPARENT_SYMMETRIC_KEY, V1_0..;
    /// Transparent DSA Private Key.
    TransparentDsaPrivateKey(TransparentDsaPrivateKey) = TRANSPARENT_DSA_PRIVATE_KEY, V1_0..;
    /// Transparent DSA Public Key.
    TransparentDsaPublicKey(TransparentDsaPublicKey) = TRANSPARENT_DSA_PUBLIC_KEY, V1_0..;
    /// Transparent RSA Private Key.
    TransparentRsaPrivateKey(TransparentRsaPrivateKey) = TRANSPARENT_RSA_PRIVATE_KEY, V1_0..;
    /// Transparent RSA Public Key.
    TransparentRsaPublicKey(TransparentRsaPublicKey) = TRANSPARENT_RSA_PUBLIC_KEY, V1_0..;
    /// Transparent DH Private Key.
    TransparentDhPrivateKey(TransparentDhPrivateKey) = TRANSPARENT_DH_PRIVATE_KEY, V1_0..;
    /// Transparent DH Public Key.
    TransparentDhPublicKey(TransparentDhPublicKey) = TRANSPARENT_DH_PUBLIC_KEY, V1_0..;
    /// Transparent ECDSA Private Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcdsaPrivateKey(TransparentEcPrivateKey) = TRANSPARENT_ECDSA_PRIVATE_KEY, V1_0..V2_0;
    /// Transparent ECDSA Public Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcdsaPublicKey(TransparentEcPublicKey) = TRANSPARENT_ECDSA_PUBLIC_KEY, V1_0..V2_0;
    /// Transparent ECDH Private Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcdhPrivateKey(TransparentEcPrivateKey) = TRANSPARENT_ECDH_PRIVATE_KEY, V1_0..V2_0;
    /// Transparent ECDH Public Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcdhPublicKey(TransparentEcPublicKey) = TRANSPARENT_ECDH_PUBLIC_KEY, V1_0..V2_0;
    /// Transparent ECMQV Private Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcmqvPrivateKey(TransparentEcPrivateKey) = TRANSPARENT_ECMQV_PRIVATE_KEY, V1_0..V2_0;
    /// Transparent ECMQV Public Key (KMIP 1.x, deprecated since 1.3).
    TransparentEcmqvPublicKey(TransparentEcPublicKey) = TRANSPARENT_ECMQV_PUBLIC_KEY, V1_0..V2_0;
    /// Transparent EC Private Key (KMIP 1.3).
    TransparentEcPrivateKey(TransparentEcPrivateKey) = TRANSPARENT_EC_PRIVATE_KEY, V1_3..;
    /// Transparent EC Public Key (KMIP 1.3).
    TransparentEcPublicKey(TransparentEcPublicKey) = TRANSPARENT_EC_PUBLIC_KEY, V1_3..;
}

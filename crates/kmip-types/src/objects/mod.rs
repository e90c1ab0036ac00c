//! Managed objects and their parts (KMIP 1.4 §2.1.3–2.1.7, §2.2; KMIP 2.0 §2.1, §2.2):
//! the [`Object`] enum, key blocks, transparent keys and key wrapping.
//!
//! Objects that may hold key material are not `Clone`; they offer `duplicate()` for the
//! copies that are really needed, so that each one is visible in the code.

/// Explicit copies of the object structures and of their key material, whether or not
/// they hold a secret: the `objects!` and `key_material!` tables copy every variant
/// through it.
trait Duplicate {
    fn dup(&self) -> Self;
}

/// Implements [`Duplicate`] through `Clone` (structures without a secret) or through the
/// type's own `duplicate()` (structures with one).
macro_rules! duplicate_by {
    (clone: $($ty:ty),*) => {$(
        impl $crate::objects::Duplicate for $ty {
            fn dup(&self) -> Self {
                self.clone()
            }
        }
    )*};
    (method: $($ty:ty),*) => {$(
        impl $crate::objects::Duplicate for $ty {
            fn dup(&self) -> Self {
                self.duplicate()
            }
        }
    )*};
}

mod key_block;
mod managed;
mod transparent;
mod wrapping;

pub use key_block::{KeyBlock, KeyMaterial, KeyValue};
pub use managed::{
    Certificate, CertificateRequest, OpaqueObject, PgpKey, PrivateKey, PublicKey, SecretData,
    SplitKey, SymmetricKey, Template,
};
pub use transparent::{
    TransparentDhPrivateKey, TransparentDhPublicKey, TransparentDsaPrivateKey,
    TransparentDsaPublicKey, TransparentEcPrivateKey, TransparentEcPublicKey,
    TransparentRsaPrivateKey, TransparentRsaPublicKey, TransparentSymmetricKey,
};
pub use wrapping::{
    EncryptionKeyInformation, KeyWrappingData, KeyWrappingSpecification, MacSignatureKeyInformation,
};

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::ObjectType;
use crate::codec::{KmipCodec, in_range};
use crate::error::{Error, ErrorKind};

duplicate_by!(clone: Certificate, Template, CertificateRequest);
duplicate_by!(method: SymmetricKey, PublicKey, PrivateKey, SplitKey, SecretData, OpaqueObject, PgpKey);

macro_rules! objects {
    ($(
        $(#[$doc:meta])*
        $variant:ident($ty:ty) = $tag:ident, $object_type:ident, $since:ident .. $($until:ident)?;
    )*) => {
        /// A managed object (KMIP 1.4 §2.2, KMIP 2.0 §2.2). Its tag says which one it is,
        /// so it has no [`KmipCodec`] implementation: use [`Object::from_item`] and
        /// [`Object::to_item`].
        #[derive(Debug, PartialEq, Eq)]
        pub enum Object {
            $(
                $(#[$doc])*
                $variant($ty),
            )*
        }

        impl Object {
            /// True for the tags of managed objects (Certificate, Symmetric Key, ...).
            pub fn is_object_tag(tag: Tag) -> bool {
                matches!(tag, $( Tag::$tag )|*)
            }

            /// Decodes an object item; its tag says which object it is. An object the
            /// version does not define (PGP Key before 1.2, Template in 2.x, Certificate
            /// Request before 2.0) is refused.
            pub fn from_item(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
                match item.tag {
                    $(
                        Tag::$tag => {
                            check_version(
                                Tag::$tag,
                                version,
                                KmipVersion::$since,
                                $crate::__kmip_version!($($until)?),
                            )?;
                            Ok(Object::$variant(<$ty>::decode(item, version)?))
                        }
                    )*
                    other => Err(Error::new(ErrorKind::Unexpected(other))),
                }
            }

            /// The tag an object of this type is written under.
            pub fn tag_for(object_type: ObjectType) -> Option<Tag> {
                match object_type {
                    $( ObjectType::$object_type => Some(Tag::$tag), )*
                    _ => None,
                }
            }

            /// The tag this object is written under.
            pub fn tag(&self) -> Tag {
                match self {
                    $( Object::$variant(_) => Tag::$tag, )*
                }
            }

            /// The Object Type of this object.
            pub fn object_type(&self) -> ObjectType {
                match self {
                    $( Object::$variant(_) => ObjectType::$object_type, )*
                }
            }

            /// Encodes the object under its own tag.
            pub fn to_item(&self, version: KmipVersion) -> Result<Ttlv, Error> {
                match self {
                    $(
                        Object::$variant(o) => {
                            check_version(
                                Tag::$tag,
                                version,
                                KmipVersion::$since,
                                $crate::__kmip_version!($($until)?),
                            )?;
                            o.encode(Tag::$tag, version)
                        }
                    )*
                }
            }

            /// An explicit copy (objects may hold key material, so they are not `Clone`).
            pub fn duplicate(&self) -> Self {
                match self {
                    $( Object::$variant(o) => Object::$variant(o.dup()), )*
                }
            }
        }
    };
}

objects! {
    /// Certificate.
    Certificate(Certificate) = CERTIFICATE, CERTIFICATE, V1_0..;
    /// Symmetric Key.
    SymmetricKey(SymmetricKey) = SYMMETRIC_KEY, SYMMETRIC_KEY, V1_0..;
    /// Public Key.
    PublicKey(PublicKey) = PUBLIC_KEY, PUBLIC_KEY, V1_0..;
    /// Private Key.
    PrivateKey(PrivateKey) = PRIVATE_KEY, PRIVATE_KEY, V1_0..;
    /// Split Key.
    SplitKey(SplitKey) = SPLIT_KEY, SPLIT_KEY, V1_0..;
    /// Template (KMIP 1.x).
    Template(Template) = TEMPLATE, TEMPLATE, V1_0..V2_0;
    /// Secret Data.
    SecretData(SecretData) = SECRET_DATA, SECRET_DATA, V1_0..;
    /// Opaque Object.
    OpaqueObject(OpaqueObject) = OPAQUE_OBJECT, OPAQUE_OBJECT, V1_0..;
    /// PGP Key (KMIP 1.2).
    PgpKey(PgpKey) = PGP_KEY, PGP_KEY, V1_2..;
    /// Certificate Request (KMIP 2.0).
    CertificateRequest(CertificateRequest) = CERTIFICATE_REQUEST, CERTIFICATE_REQUEST, V2_0..;
}

impl Object {
    /// The key block of the objects that have one.
    pub fn key_block(&self) -> Option<&KeyBlock> {
        match self {
            Object::SymmetricKey(o) => Some(&o.key_block),
            Object::PublicKey(o) => Some(&o.key_block),
            Object::PrivateKey(o) => Some(&o.key_block),
            Object::SplitKey(o) => Some(&o.key_block),
            Object::SecretData(o) => Some(&o.key_block),
            Object::PgpKey(o) => Some(&o.key_block),
            Object::Certificate(_)
            | Object::Template(_)
            | Object::OpaqueObject(_)
            | Object::CertificateRequest(_) => None,
        }
    }
}

fn check_version(
    tag: Tag,
    version: KmipVersion,
    since: KmipVersion,
    until: Option<KmipVersion>,
) -> Result<(), Error> {
    if in_range(version, Some(since), until) {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::NotInVersion { tag, version }))
    }
}

#[cfg(test)]
mod tests;

//! The KMIP tag, enumeration and mask dictionary: one table per kind, from which the
//! constants (`Tag::UNIQUE_IDENTIFIER`, `CryptographicAlgorithm::AES`), the name lookups
//! used by the XML/JSON encodings and diagnostics, and the version checks are generated.
//!
//! Sources: KMIP 1.0–1.4 specifications §9.1.3, KMIP 2.0/2.1 specifications §11.

mod enums;
mod masks;
mod tags;

pub use enums::*;
pub use masks::*;

use crate::{KmipVersion, Tag};

/// What the dictionary knows of a tag.
#[derive(Debug)]
pub struct TagInfo {
    /// The tag.
    pub tag: Tag,
    /// Specification name ("Unique Identifier").
    pub name: &'static str,
    /// Normalised name used by the XML/JSON encodings ("UniqueIdentifier").
    pub xml_name: &'static str,
    /// First version that defines the tag.
    pub since: KmipVersion,
    /// Type of the value, when the value is an enumeration or a mask.
    pub kind: TagKind,
}

/// The interpretation of a tag's value beyond its TTLV type.
#[derive(Debug, Clone, Copy)]
pub enum TagKind {
    /// Nothing beyond the TTLV type.
    Plain,
    /// An Enumeration whose values are listed by this definition.
    Enumeration(&'static EnumDef),
    /// An Integer bit mask whose bits are listed by this definition.
    Mask(&'static MaskDef),
}

/// An enumeration's definition.
#[derive(Debug)]
pub struct EnumDef {
    /// Specification name ("Cryptographic Algorithm").
    pub name: &'static str,
    /// Every value the dictionary knows.
    pub values: &'static [EnumValue],
}

/// One value of an enumeration.
#[derive(Debug)]
pub struct EnumValue {
    /// The number.
    pub value: u32,
    /// Specification name ("3DES").
    pub name: &'static str,
    /// Normalised name ("DES3").
    pub xml_name: &'static str,
    /// First version that defines the value.
    pub since: KmipVersion,
}

impl EnumDef {
    /// The entry for a number.
    pub fn by_value(&self, value: u32) -> Option<&'static EnumValue> {
        self.values.iter().find(|v| v.value == value)
    }

    /// The entry for a normalised or specification name.
    pub fn by_name(&self, name: &str) -> Option<&'static EnumValue> {
        self.values
            .iter()
            .find(|v| v.xml_name == name)
            .or_else(|| self.values.iter().find(|v| v.name == name))
    }
}

/// A bit mask's definition (Cryptographic Usage Mask, Storage Status Mask, ...).
#[derive(Debug)]
pub struct MaskDef {
    /// Specification name.
    pub name: &'static str,
    /// Every bit the dictionary knows.
    pub bits: &'static [EnumValue],
}

impl MaskDef {
    /// The entry for a normalised or specification bit name.
    pub fn by_name(&self, name: &str) -> Option<&'static EnumValue> {
        self.bits
            .iter()
            .find(|v| v.xml_name == name)
            .or_else(|| self.bits.iter().find(|v| v.name == name))
    }
}

/// The dictionary entry of a tag.
pub fn tag_info(tag: Tag) -> Option<&'static TagInfo> {
    let all = tags::TAGS;
    all.binary_search_by_key(&tag, |info| info.tag)
        .ok()
        .and_then(|i| all.get(i))
}

/// The tag with this normalised (`UniqueIdentifier`) or specification
/// (`Unique Identifier`) name.
pub fn tag_by_name(name: &str) -> Option<&'static TagInfo> {
    tags::TAGS
        .iter()
        .find(|info| info.xml_name == name)
        .or_else(|| tags::TAGS.iter().find(|info| info.name == name))
}

/// Every tag the dictionary knows, ordered by value.
pub fn all_tags() -> &'static [TagInfo] {
    tags::TAGS
}

/// Generates an enumeration newtype with named constants, its [`EnumDef`] and lookups.
macro_rules! define_enums {
    ($(
        $(#[$meta:meta])*
        $ty:ident = $spec:literal {
            $( $konst:ident = $value:literal, $name:literal, $xml:literal, $since:ident; )*
        }
    )*) => {$(
        $(#[$meta])*
        ///
        /// Values the dictionary does not know round-trip unchanged.
        #[derive(Copy, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $ty(pub u32);

        #[allow(missing_docs)]
        impl $ty {
            $( pub const $konst: $ty = $ty($value); )*

            /// The definition: specification name and every known value.
            pub const DEF: $crate::dictionary::EnumDef = $crate::dictionary::EnumDef {
                name: $spec,
                values: &[$( $crate::dictionary::EnumValue {
                    value: $value,
                    name: $name,
                    xml_name: $xml,
                    since: $crate::KmipVersion::$since,
                }, )*],
            };

            /// The dictionary entry of this value, if known.
            pub fn info(self) -> Option<&'static $crate::dictionary::EnumValue> {
                Self::DEF.by_value(self.0)
            }

            /// The value with this normalised or specification name.
            pub fn from_name(name: &str) -> Option<Self> {
                Self::DEF.by_name(name).map(|v| $ty(v.value))
            }
        }

        impl ::core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                match self.info() {
                    Some(v) => f.write_str(v.xml_name),
                    None => write!(f, "0x{:08X}", self.0),
                }
            }
        }

        impl From<u32> for $ty {
            fn from(value: u32) -> Self {
                $ty(value)
            }
        }

        impl From<$ty> for u32 {
            fn from(value: $ty) -> u32 {
                value.0
            }
        }
    )*};
}
pub(crate) use define_enums;

/// Generates a mask newtype with named bit constants and its [`MaskDef`].
macro_rules! define_masks {
    ($(
        $(#[$meta:meta])*
        $ty:ident = $spec:literal {
            $( $konst:ident = $value:literal, $name:literal, $xml:literal, $since:ident; )*
        }
    )*) => {$(
        $(#[$meta])*
        #[derive(Copy, Clone, PartialEq, Eq, Hash, Default)]
        pub struct $ty(pub u32);

        #[allow(missing_docs)]
        impl $ty {
            $( pub const $konst: $ty = $ty($value); )*

            /// The definition: specification name and every known bit.
            pub const DEF: $crate::dictionary::MaskDef = $crate::dictionary::MaskDef {
                name: $spec,
                bits: &[$( $crate::dictionary::EnumValue {
                    value: $value,
                    name: $name,
                    xml_name: $xml,
                    since: $crate::KmipVersion::$since,
                }, )*],
            };

            /// True when every bit of `other` is set in `self`.
            pub const fn contains(self, other: $ty) -> bool {
                self.0 & other.0 == other.0
            }
        }

        impl ::core::ops::BitOr for $ty {
            type Output = $ty;
            fn bitor(self, rhs: $ty) -> $ty {
                $ty(self.0 | rhs.0)
            }
        }

        impl ::core::fmt::Debug for $ty {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                let mut rest = self.0;
                let mut first = true;
                for bit in Self::DEF.bits {
                    if rest & bit.value != 0 {
                        if !first {
                            f.write_str(" ")?;
                        }
                        f.write_str(bit.xml_name)?;
                        rest &= !bit.value;
                        first = false;
                    }
                }
                if rest != 0 || first {
                    if !first {
                        f.write_str(" ")?;
                    }
                    write!(f, "0x{rest:08X}")?;
                }
                Ok(())
            }
        }
    )*};
}
pub(crate) use define_masks;

/// Generates the tag constants and the sorted [`TagInfo`] table.
macro_rules! define_tags {
    ($( $konst:ident = $value:literal, $name:literal, $xml:literal, $since:ident $(, $kind:ident $def:ident)?; )*) => {
        #[allow(missing_docs)]
        impl $crate::Tag {
            $( pub const $konst: $crate::Tag = $crate::Tag::from_const($value); )*
        }

        pub(crate) static TAGS: &[$crate::dictionary::TagInfo] = &[$(
            $crate::dictionary::TagInfo {
                tag: $crate::Tag::from_const($value),
                name: $name,
                xml_name: $xml,
                since: $crate::KmipVersion::$since,
                kind: define_tags!(@kind $($kind $def)?),
            },
        )*];
    };
    (@kind) => { $crate::dictionary::TagKind::Plain };
    (@kind enumeration $def:ident) => { $crate::dictionary::TagKind::Enumeration(&$crate::dictionary::$def::DEF) };
    (@kind mask $def:ident) => { $crate::dictionary::TagKind::Mask(&$crate::dictionary::$def::DEF) };
}
pub(crate) use define_tags;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_sorted_and_unique() {
        for pair in tags::TAGS.windows(2) {
            if let [a, b] = pair {
                assert!(a.tag < b.tag, "{:?} before {:?}", a.tag, b.tag);
            }
        }
    }

    #[test]
    fn every_tag_resolves_by_value_and_both_names() {
        for info in all_tags() {
            assert_eq!(tag_info(info.tag).map(|i| i.tag), Some(info.tag));
            assert_eq!(
                tag_by_name(info.xml_name).map(|i| i.tag),
                Some(info.tag),
                "{}",
                info.xml_name
            );
            assert!(tag_by_name(info.name).is_some(), "{}", info.name);
        }
    }
}

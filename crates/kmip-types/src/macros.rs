//! `kmip_struct!`: declares a KMIP structure once, as the spec lays it out, and derives
//! its ordered, strict [`KmipCodec`](crate::codec::KmipCodec) implementation.
//!
//! ```
//! kmip_types::kmip_struct! {
//!     /// KMIP 1.4 §6.1
//!     #[derive(Clone, Debug, PartialEq, Eq)]
//!     pub struct ProtocolVersion {
//!         req major: i32 = PROTOCOL_VERSION_MAJOR,
//!         req minor: i32 = PROTOCOL_VERSION_MINOR,
//!     }
//! }
//! ```
//!
//! Each field is `req` (exactly once, in every version), `opt` (at most once) or `vec`
//! (any number, in a row). `opt` and `vec` may be followed by a version range `[V1_2..]`,
//! `[..V2_0]` or `[V1_2..V2_0]` (`until` exclusive): outside it the field is refused on
//! decode (before its value is looked at), and refused on encode when it is set (an
//! empty `vec` is not set; a `vec` of attributes leaves out those the version does not
//! define). `ver [range]` is a field required inside its range and absent outside it (an
//! `Option`, checked both ways), for fields that one version family requires and the
//! other does not have.
//!
//! A range on a `req` field is a compile error rather than silently ignored; a field
//! required only in some versions is `ver [range]`:
//!
//! ```compile_fail
//! kmip_types::kmip_struct! {
//!     pub struct Wrong {
//!         req [V1_4..] comment: String = COMMENT,
//!     }
//! }
//! ```

/// Field type for a cardinality.
#[doc(hidden)]
#[macro_export]
macro_rules! __kmip_field_ty {
    (req $t:ty) => { $t };
    (opt $t:ty) => { ::core::option::Option<$t> };
    (ver $t:ty) => { ::core::option::Option<$t> };
    (vec $t:ty) => { ::std::vec::Vec<$t> };
}

/// `Option<KmipVersion>` from an optional version identifier.
#[doc(hidden)]
#[macro_export]
macro_rules! __kmip_version {
    () => {
        ::core::option::Option::None
    };
    ($v:ident) => {
        ::core::option::Option::Some(::kmip_ttlv::KmipVersion::$v)
    };
}

/// Declares a KMIP structure and its codec. See the module documentation.
#[macro_export]
macro_rules! kmip_struct {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$fmeta:meta])*
                $card:ident $([$($since:ident)? .. $($until:ident)?])? $field:ident : $fty:ty = $ftag:ident
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        pub struct $name {
            $(
                $(#[$fmeta])*
                pub $field: $crate::__kmip_field_ty!($card $fty),
            )*
        }

        impl $crate::codec::KmipCodec for $name {
            fn decode(
                item: ::kmip_ttlv::Ttlv,
                version: ::kmip_ttlv::KmipVersion,
            ) -> ::core::result::Result<Self, $crate::Error> {
                $( $crate::kmip_struct!(@no_range_on_req $card $([$($since)? .. $($until)?])?); )*
                #[allow(unused_mut)]
                let mut reader = $crate::codec::StructReader::new(item, version)?;
                let value = $name {
                    $(
                        $field: $crate::kmip_struct!(
                            @read reader, $card, $ftag,
                            $crate::__kmip_version!($($($since)?)?),
                            $crate::__kmip_version!($($($until)?)?)
                        ),
                    )*
                };
                reader.finish()?;
                Ok(value)
            }

            fn encode(
                &self,
                tag: ::kmip_ttlv::Tag,
                version: ::kmip_ttlv::KmipVersion,
            ) -> ::core::result::Result<::kmip_ttlv::Ttlv, $crate::Error> {
                #[allow(unused_mut)]
                let mut writer = $crate::codec::StructWriter::new(version);
                $(
                    $crate::kmip_struct!(
                        @write writer, self.$field, $card, $ftag,
                        $crate::__kmip_version!($($($since)?)?),
                        $crate::__kmip_version!($($($until)?)?)
                    );
                )*
                Ok(writer.finish(tag))
            }
        }
    };

    (@no_range_on_req req [$($range:tt)*]) => {
        ::core::compile_error!(
            "a `req` field exists in every version and takes no version range; \
             use `ver [range]` for a field required only in some versions"
        )
    };
    (@no_range_on_req $($field:tt)*) => {};

    (@read $r:ident, req, $tag:ident, $since:expr, $until:expr) => {
        $r.required(::kmip_ttlv::Tag::$tag)?
    };
    (@read $r:ident, opt, $tag:ident, $since:expr, $until:expr) => {
        $r.optional_in(::kmip_ttlv::Tag::$tag, $since, $until)?
    };
    (@read $r:ident, ver, $tag:ident, $since:expr, $until:expr) => {
        $r.required_in(::kmip_ttlv::Tag::$tag, $since, $until)?
    };
    (@read $r:ident, vec, $tag:ident, $since:expr, $until:expr) => {
        $r.repeated_in(::kmip_ttlv::Tag::$tag, $since, $until)?
    };
    (@write $w:ident, $value:expr, req, $tag:ident, $since:expr, $until:expr) => {
        $w.field(::kmip_ttlv::Tag::$tag, &$value)?
    };
    (@write $w:ident, $value:expr, opt, $tag:ident, $since:expr, $until:expr) => {
        $w.optional(::kmip_ttlv::Tag::$tag, $value.as_ref(), $since, $until)?
    };
    (@write $w:ident, $value:expr, ver, $tag:ident, $since:expr, $until:expr) => {
        $w.required_in(::kmip_ttlv::Tag::$tag, $value.as_ref(), $since, $until)?
    };
    (@write $w:ident, $value:expr, vec, $tag:ident, $since:expr, $until:expr) => {
        $w.repeated(::kmip_ttlv::Tag::$tag, &$value, $since, $until)?
    };
}

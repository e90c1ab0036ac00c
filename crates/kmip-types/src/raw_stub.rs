//! Temporary raw stand-ins; replaced by the typed definitions in `attributes`/`objects`.

/// Declares a newtype that keeps its item as received.
macro_rules! raw_struct {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub kmip_ttlv::Ttlv);

        impl $crate::codec::KmipCodec for $name {
            fn decode(item: kmip_ttlv::Ttlv, _v: kmip_ttlv::KmipVersion) -> Result<Self, $crate::Error> {
                Ok($name(item))
            }
            fn encode(&self, tag: kmip_ttlv::Tag, _v: kmip_ttlv::KmipVersion) -> Result<kmip_ttlv::Ttlv, $crate::Error> {
                Ok(kmip_ttlv::Ttlv::new(tag, self.0.value.clone()))
            }
        }
    )*};
}
pub(crate) use raw_struct;

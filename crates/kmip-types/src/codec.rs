//! The bridge between the TTLV tree and typed values: the [`KmipCodec`] trait, its
//! implementations for the primitive types, and the ordered structure reader that the
//! `kmip_struct!` macro builds on.

use kmip_ttlv::{BigInteger, ItemType, KmipVersion, Tag, Ttlv, Value};

use crate::error::{Error, ErrorKind};

/// A value that has a TTLV representation.
///
/// `decode` receives an item whose tag the caller already matched; `encode` is given the
/// tag to write, because one type (a Text String, a Template-Attribute) appears under
/// many tags. Both take the protocol version of the message, which decides version
/// dependent fields.
pub trait KmipCodec: Sized {
    /// Builds the value from a TTLV item.
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error>;
    /// Writes the value as a TTLV item with this tag.
    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error>;

    /// Whether a list encoded for `version` keeps this element. Only attributes answer
    /// no, for the versions that do not define them: a server may leave attributes out,
    /// so an older peer gets the ones it knows. Every other value is written or refused
    /// whole (see [`StructWriter`]).
    fn kept_in_list(&self, _version: KmipVersion) -> bool {
        true
    }
}

/// The error for a field or value that `version` does not define.
pub(crate) fn not_in_version(tag: Tag, version: KmipVersion) -> Error {
    Error::new(ErrorKind::NotInVersion { tag, version })
}

pub(crate) fn wrong_type(expected: ItemType, found: &Ttlv) -> Error {
    Error::new(ErrorKind::WrongType {
        expected,
        found: found.item_type(),
    })
}

/// Fails unless `item` carries the `expected` tag.
pub(crate) fn expect_tag(item: &Ttlv, expected: Tag) -> Result<(), Error> {
    if item.tag == expected {
        Ok(())
    } else {
        Err(Error::new(ErrorKind::WrongTag {
            expected,
            found: item.tag,
        }))
    }
}

macro_rules! primitive_codec {
    ($($ty:ty => $variant:ident),* $(,)?) => {$(
        impl KmipCodec for $ty {
            fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
                match item.value {
                    Value::$variant(v) => Ok(v),
                    _ => Err(wrong_type(ItemType::$variant, &item)),
                }
            }
            fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
                Ok(Ttlv::new(tag, Value::$variant(self.clone())))
            }
        }
    )*};
}

primitive_codec! {
    i32 => Integer,
    i64 => LongInteger,
    bool => Boolean,
    String => TextString,
    Vec<u8> => ByteString,
    BigInteger => BigInteger,
}

/// A Date-Time: seconds since the Unix epoch (KMIP 1.4 §9.1.1.4).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(pub i64);

/// An Interval: a number of seconds (KMIP 1.4 §9.1.1.4).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Interval(pub u32);

/// A Date-Time Extended: microseconds since the Unix epoch (KMIP 2.0 §9.1.1.4).
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTimeExtended(pub i64);

macro_rules! newtype_codec {
    ($($ty:ident => $variant:ident),* $(,)?) => {$(
        impl KmipCodec for $ty {
            fn decode(item: Ttlv, _version: KmipVersion) -> Result<Self, Error> {
                match item.value {
                    Value::$variant(v) => Ok($ty(v)),
                    _ => Err(wrong_type(ItemType::$variant, &item)),
                }
            }
            fn encode(&self, tag: Tag, _version: KmipVersion) -> Result<Ttlv, Error> {
                Ok(Ttlv::new(tag, Value::$variant(self.0)))
            }
        }
    )*};
}

newtype_codec! {
    DateTime => DateTime,
    Interval => Interval,
    DateTimeExtended => DateTimeExtended,
}

/// Any TTLV item kept as it is: extensions, vendor attributes, unknown payloads.
///
/// Kept as sent does not mean unchecked: a tag the version does not define is refused
/// both ways (see [`check_raw`]), as it would be in a typed field.
impl KmipCodec for Ttlv {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        check_raw(&item, version)?;
        Ok(item)
    }
    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let item = Ttlv::new(tag, self.value.clone());
        check_raw(&item, version)?;
        Ok(item)
    }
}

/// True when the dictionary knows `tag` and says `version` does not define it yet.
/// Extension tags (`0x54xxxx`) and other tags the dictionary does not know are the
/// sender's business, whatever the version.
pub(crate) fn tag_newer_than(tag: Tag, version: KmipVersion) -> bool {
    kmip_ttlv::dictionary::tag_info(tag).is_some_and(|info| info.since > version)
}

/// Fails with [`ErrorKind::NotInVersion`] when a tree kept as sent (a Message
/// Extension, an untyped payload or credential, a custom attribute's value) holds a tag
/// that `version` does not define: a 1.0 peer must not get a 1.4 tag through a raw
/// subtree any more than through a typed field. The error's path leads from `item`'s
/// children to the tag.
pub fn check_raw(item: &Ttlv, version: KmipVersion) -> Result<(), Error> {
    if tag_newer_than(item.tag, version) {
        return Err(not_in_version(item.tag, version));
    }
    if let Value::Structure(children) = &item.value {
        for child in children {
            check_raw(child, version).map_err(|e| e.within(child.tag))?;
        }
    }
    Ok(())
}

/// Fails when a known enumeration value is newer than `version` (KMIP 1.4 §9.1.3.2: a
/// value a version does not define is as invalid there as an unknown field). Values the
/// dictionary does not know, the extension range `0x8xxxxxxx` among them, pass: judging
/// them is the receiver's business.
pub(crate) fn check_enum_value(
    info: Option<&kmip_ttlv::dictionary::EnumValue>,
    tag: Tag,
    version: KmipVersion,
) -> Result<(), Error> {
    match info {
        Some(v) if v.since > version => Err(not_in_version(tag, version)),
        _ => Ok(()),
    }
}

/// Fails when a mask sets a known bit that is newer than `version`; bits the dictionary
/// does not know pass.
pub(crate) fn check_mask_bits(
    def: &kmip_ttlv::dictionary::MaskDef,
    bits: u32,
    tag: Tag,
    version: KmipVersion,
) -> Result<(), Error> {
    let newer = def
        .bits
        .iter()
        .any(|b| b.value != 0 && bits & b.value == b.value && b.since > version);
    if newer {
        return Err(not_in_version(tag, version));
    }
    Ok(())
}

/// Implements [`KmipCodec`] for dictionary enumerations (TTLV Enumeration): known values
/// newer than the version are refused both ways.
macro_rules! enum_codec {
    ($($ty:ident),* $(,)?) => {$(
        impl $crate::codec::KmipCodec for kmip_ttlv::dictionary::$ty {
            fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
                match item.value {
                    Value::Enumeration(v) => {
                        let value = kmip_ttlv::dictionary::$ty(v);
                        check_enum_value(value.info(), item.tag, version)?;
                        Ok(value)
                    }
                    _ => Err(wrong_type(ItemType::Enumeration, &item)),
                }
            }
            fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
                check_enum_value(self.info(), tag, version)?;
                Ok(Ttlv::new(tag, Value::Enumeration(self.0)))
            }
        }
    )*};
}

/// Implements [`KmipCodec`] for dictionary masks (TTLV Integer): a set bit newer than
/// the version is refused both ways.
macro_rules! mask_codec {
    ($($ty:ident),* $(,)?) => {$(
        impl $crate::codec::KmipCodec for kmip_ttlv::dictionary::$ty {
            fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
                match item.value {
                    Value::Integer(v) => {
                        let value = kmip_ttlv::dictionary::$ty(v as u32);
                        check_mask_bits(&kmip_ttlv::dictionary::$ty::DEF, value.0, item.tag, version)?;
                        Ok(value)
                    }
                    _ => Err(wrong_type(ItemType::Integer, &item)),
                }
            }
            fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
                check_mask_bits(&kmip_ttlv::dictionary::$ty::DEF, self.0, tag, version)?;
                Ok(Ttlv::new(tag, Value::Integer(self.0 as i32)))
            }
        }
    )*};
}

enum_codec! {
    AdjustmentType, AlternativeNameType, AsynchronousIndicator, AttestationType,
    BatchErrorContinuationOption, BlockCipherMode, CancellationResult, CertificateRequestType,
    CertificateType, ClientRegistrationMethod, CredentialType, CryptographicAlgorithm,
    DRBGAlgorithm, Data, DerivationMethod, DestroyAction, DigitalSignatureAlgorithm,
    EncodingOption, EndpointRole, FIPS186Variation, HashingAlgorithm, InteropFunction,
    KeyCompressionType, KeyFormatType, KeyRoleType, KeyValueLocationType, KeyWrapType, LinkType,
    MaskGenerator, NISTKeyType, NameType, ObjectGroupMember, ObjectType, OpaqueDataType,
    Operation, PKCS11Function, PKCS11ReturnCode, PaddingMethod, ProfileName, ProtectionLevel,
    PutFunction, QueryFunction, RNGAlgorithm, RNGMode, RecommendedCurve, ResultReason,
    ResultStatus, RevocationReasonCode, RotateNameType, SecretDataType, ShreddingAlgorithm, SplitKeyMethod,
    State, TicketType, UniqueIdentifier, UnwrapMode, UsageLimitsUnit, ValidationAuthorityType,
    ValidationType, ValidityIndicator, WrappingMethod,
}

mask_codec! {
    CryptographicUsageMask, StorageStatusMask, ProtectionStorageMask,
}

/// Reads the children of a structure in order, as the spec lays them out.
///
/// Each `required`/`optional`/`repeated` call consumes the next children if their tag
/// matches; [`StructReader::finish`] fails on anything left (an unknown tag, a field out
/// of order, a field repeated that may appear once). That strictness is what makes
/// decode → encode reproduce the input bytes.
#[derive(Debug)]
pub struct StructReader {
    children: std::iter::Peekable<std::vec::IntoIter<Ttlv>>,
    version: KmipVersion,
}

impl StructReader {
    /// Opens a structure item.
    pub fn new(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        match item.value {
            Value::Structure(children) => Ok(StructReader {
                children: children.into_iter().peekable(),
                version,
            }),
            _ => Err(wrong_type(ItemType::Structure, &item)),
        }
    }

    /// The version decisions are made against.
    pub fn version(&self) -> KmipVersion {
        self.version
    }

    /// The tag of the next unread child.
    pub fn peek_tag(&mut self) -> Option<Tag> {
        self.children.peek().map(|c| c.tag)
    }

    /// Takes the next child if it has this tag, undecoded.
    pub fn take_raw(&mut self, tag: Tag) -> Option<Ttlv> {
        self.children.next_if(|c| c.tag == tag)
    }

    /// A field that must be present.
    pub fn required<T: KmipCodec>(&mut self, tag: Tag) -> Result<T, Error> {
        match self.optional(tag)? {
            Some(v) => Ok(v),
            None => Err(Error::new(ErrorKind::Missing(tag))),
        }
    }

    /// A field that may be present once.
    pub fn optional<T: KmipCodec>(&mut self, tag: Tag) -> Result<Option<T>, Error> {
        match self.take_raw(tag) {
            Some(item) => T::decode(item, self.version)
                .map(Some)
                .map_err(|e| e.within(tag)),
            None => Ok(None),
        }
    }

    /// A field that may be present any number of times, consecutively.
    pub fn repeated<T: KmipCodec>(&mut self, tag: Tag) -> Result<Vec<T>, Error> {
        let mut out = Vec::new();
        while let Some(item) = self.take_raw(tag) {
            out.push(T::decode(item, self.version).map_err(|e| e.within(tag))?);
        }
        Ok(out)
    }

    /// Fails if `present` and the message's version is outside `since..until`.
    pub fn check_version(
        &self,
        tag: Tag,
        present: bool,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<(), Error> {
        check_version(tag, present, self.version, since, until)
    }

    /// A field defined only in `since..until`: refused (before its value is looked at)
    /// outside that range, optional inside it.
    pub fn optional_in<T: KmipCodec>(
        &mut self,
        tag: Tag,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<Option<T>, Error> {
        let present = self.peek_tag() == Some(tag);
        self.check_version(tag, present, since, until)?;
        self.optional(tag)
    }

    /// A repeated field defined only in `since..until`, refused outside it.
    pub fn repeated_in<T: KmipCodec>(
        &mut self,
        tag: Tag,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<Vec<T>, Error> {
        let present = self.peek_tag() == Some(tag);
        self.check_version(tag, present, since, until)?;
        self.repeated(tag)
    }

    /// A field required in `since..until` and absent outside it.
    pub fn required_in<T: KmipCodec>(
        &mut self,
        tag: Tag,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<Option<T>, Error> {
        let value = self.optional_in(tag, since, until)?;
        if value.is_none() && in_range(self.version, since, until) {
            return Err(Error::new(ErrorKind::Missing(tag)));
        }
        Ok(value)
    }

    /// Fails if any child is left unread.
    pub fn finish(mut self) -> Result<(), Error> {
        match self.children.next() {
            None => Ok(()),
            Some(extra) => Err(Error::new(ErrorKind::Unexpected(extra.tag))),
        }
    }
}

/// Fails with [`ErrorKind::NotInVersion`] if `present` and `version` is outside
/// `since..until`: the one version test of both the reader and the writer.
fn check_version(
    tag: Tag,
    present: bool,
    version: KmipVersion,
    since: Option<KmipVersion>,
    until: Option<KmipVersion>,
) -> Result<(), Error> {
    if present && !in_range(version, since, until) {
        return Err(not_in_version(tag, version));
    }
    Ok(())
}

/// True when `version` is in `since..until` (either bound optional, `until` exclusive).
pub fn in_range(
    version: KmipVersion,
    since: Option<KmipVersion>,
    until: Option<KmipVersion>,
) -> bool {
    since.is_none_or(|s| version >= s) && until.is_none_or(|u| version < u)
}

/// Collects the children of a structure being encoded.
///
/// A field set on the value but not defined in the version being encoded is refused
/// with [`ErrorKind::NotInVersion`], never dropped: leaving it out would send another
/// message than the one built (an Encrypt response without its AEAD tag, wrapped key
/// bytes without their Encoding Option). The one exception is an attribute in a list of
/// attributes, which is left out (see [`KmipCodec::kept_in_list`]).
#[derive(Debug)]
pub struct StructWriter {
    children: Vec<Ttlv>,
    version: KmipVersion,
}

impl StructWriter {
    /// Starts a structure.
    pub fn new(version: KmipVersion) -> Self {
        StructWriter {
            children: Vec::new(),
            version,
        }
    }

    /// The version being encoded.
    pub fn version(&self) -> KmipVersion {
        self.version
    }

    /// Appends a field.
    pub fn field<T: KmipCodec>(&mut self, tag: Tag, value: &T) -> Result<(), Error> {
        self.children
            .push(value.encode(tag, self.version).map_err(|e| e.within(tag))?);
        Ok(())
    }

    /// Appends an optional field when present; refuses it when present and not defined
    /// in this version.
    pub fn optional<T: KmipCodec>(
        &mut self,
        tag: Tag,
        value: Option<&T>,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<(), Error> {
        check_version(tag, value.is_some(), self.version, since, until)?;
        match value {
            Some(v) => self.field(tag, v),
            None => Ok(()),
        }
    }

    /// Appends a field required in `since..until`; refuses it when absent there, or
    /// present elsewhere.
    pub fn required_in<T: KmipCodec>(
        &mut self,
        tag: Tag,
        value: Option<&T>,
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<(), Error> {
        check_version(tag, value.is_some(), self.version, since, until)?;
        match value {
            Some(v) => self.field(tag, v),
            None if in_range(self.version, since, until) => {
                Err(Error::new(ErrorKind::Missing(tag)))
            }
            None => Ok(()),
        }
    }

    /// Appends every element of a repeated field that the version keeps in a list (all
    /// but the attributes it does not define); refuses a non-empty field the version does
    /// not define.
    pub fn repeated<T: KmipCodec>(
        &mut self,
        tag: Tag,
        values: &[T],
        since: Option<KmipVersion>,
        until: Option<KmipVersion>,
    ) -> Result<(), Error> {
        check_version(tag, !values.is_empty(), self.version, since, until)?;
        let version = self.version;
        for v in values.iter().filter(|v| v.kept_in_list(version)) {
            self.field(tag, v)?;
        }
        Ok(())
    }

    /// Appends an already encoded item.
    pub fn raw(&mut self, item: Ttlv) {
        self.children.push(item);
    }

    /// Finishes the structure under `tag`.
    pub fn finish(self, tag: Tag) -> Ttlv {
        Ttlv::structure(tag, self.children)
    }
}

#[cfg(test)]
mod tests {
    use kmip_ttlv::{KmipVersion, Tag, Ttlv, Value};

    use crate::KmipCodec;
    use crate::error::ErrorKind;

    kmip_struct! {
        /// A structure with every kind of field, for these tests.
        #[derive(Debug, PartialEq, Eq)]
        pub struct Sample {
            req name: String = NAME_VALUE,
            opt [V1_4..] comment: String = COMMENT,
            ver [V2_0..] attributes_only_2x: i32 = CRYPTOGRAPHIC_LENGTH,
            vec [..V2_0] names: String = ATTRIBUTE_NAME,
        }
    }

    fn text(tag: Tag, v: &str) -> Ttlv {
        Ttlv::new(tag, Value::TextString(v.into()))
    }

    #[test]
    fn version_gated_field_is_refused_before_its_value_is_read() {
        // A Comment carrying the wrong type in a 1.2 message: the version error wins.
        let item = Ttlv::structure(
            Tag::NAME,
            vec![
                text(Tag::NAME_VALUE, "n"),
                Ttlv::new(Tag::COMMENT, Value::Integer(1)),
            ],
        );
        let err = Sample::decode(item, KmipVersion::V1_2).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::COMMENT));
    }

    #[test]
    fn ver_field_is_required_inside_its_range_and_refused_outside() {
        let bare = Ttlv::structure(Tag::NAME, vec![text(Tag::NAME_VALUE, "n")]);
        let err = Sample::decode(bare.clone(), KmipVersion::V2_0).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Missing(Tag::CRYPTOGRAPHIC_LENGTH));
        assert!(Sample::decode(bare, KmipVersion::V1_4).is_ok());

        let with = Ttlv::structure(
            Tag::NAME,
            vec![
                text(Tag::NAME_VALUE, "n"),
                Ttlv::new(Tag::CRYPTOGRAPHIC_LENGTH, Value::Integer(128)),
            ],
        );
        let err = Sample::decode(with.clone(), KmipVersion::V1_4).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::NotInVersion { .. }));
        let decoded = Sample::decode(with.clone(), KmipVersion::V2_0).unwrap();
        assert_eq!(decoded.encode(Tag::NAME, KmipVersion::V2_0).unwrap(), with);

        let missing = Sample {
            attributes_only_2x: None,
            ..decoded
        };
        let err = missing.encode(Tag::NAME, KmipVersion::V2_0).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Missing(Tag::CRYPTOGRAPHIC_LENGTH));
    }

    #[test]
    fn encoding_for_a_version_without_a_field_that_is_set_is_refused() {
        let sample = Sample {
            name: "n".into(),
            comment: Some("c".into()),
            attributes_only_2x: None,
            names: vec!["a".into()],
        };
        let err = sample.encode(Tag::NAME, KmipVersion::V1_0).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::NotInVersion {
                tag: Tag::COMMENT,
                version: KmipVersion::V1_0
            }
        );
        let new = sample.encode(Tag::NAME, KmipVersion::V1_4).unwrap();
        assert!(new.child(Tag::COMMENT).is_some());
        let in_2x = Sample {
            attributes_only_2x: Some(1),
            ..sample
        };
        let err = in_2x.encode(Tag::NAME, KmipVersion::V2_0).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::ATTRIBUTE_NAME)
        );
        let sample = Sample {
            attributes_only_2x: None,
            ..in_2x
        };

        // Unset, a field the version lacks is no obstacle.
        let old = Sample {
            comment: None,
            ..sample
        };
        let encoded = old.encode(Tag::NAME, KmipVersion::V1_0).unwrap();
        assert_eq!(encoded.children().map(<[Ttlv]>::len), Some(2));
        let in_2x = Sample {
            names: vec![],
            attributes_only_2x: Some(1),
            ..old
        };
        assert!(in_2x.encode(Tag::NAME, KmipVersion::V2_0).is_ok());
        let err = in_2x.encode(Tag::NAME, KmipVersion::V1_4).unwrap_err();
        assert!(
            matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::CRYPTOGRAPHIC_LENGTH)
        );
    }

    fn not_in(tag: Tag, version: KmipVersion) -> ErrorKind {
        ErrorKind::NotInVersion { tag, version }
    }

    #[test]
    fn enumeration_values_newer_than_the_version_are_refused_both_ways() {
        use crate::{CryptographicAlgorithm, KeyFormatType, ResultReason};

        let (v1_0, v1_2) = (KmipVersion::V1_0, KmipVersion::V1_2);
        let tag = Tag::RESULT_REASON;
        let sensitive = ResultReason::SENSITIVE; // KMIP 1.4
        assert_eq!(
            sensitive.encode(tag, v1_0).unwrap_err().kind,
            not_in(tag, v1_0)
        );
        let item = sensitive.encode(tag, KmipVersion::V1_4).unwrap();
        let err = ResultReason::decode(item, v1_0).unwrap_err();
        assert_eq!(err.kind, not_in(tag, v1_0));

        let tag = Tag::CRYPTOGRAPHIC_ALGORITHM;
        let ec = CryptographicAlgorithm::EC; // KMIP 1.2
        assert_eq!(ec.encode(tag, v1_0).unwrap_err().kind, not_in(tag, v1_0));
        let item = ec.encode(tag, v1_2).unwrap();
        assert_eq!(
            CryptographicAlgorithm::decode(item.clone(), v1_2).unwrap(),
            ec
        );
        assert!(CryptographicAlgorithm::decode(item, v1_0).is_err());

        let tag = Tag::KEY_FORMAT_TYPE;
        let pkcs12 = KeyFormatType::PKCS_12; // KMIP 1.4
        assert_eq!(
            pkcs12.encode(tag, v1_2).unwrap_err().kind,
            not_in(tag, v1_2)
        );

        // Unknown values, the extension range among them, are not the dictionary's to
        // judge: they pass in every version.
        for unknown in [0x0000_7777, 0x8000_0001] {
            let value = CryptographicAlgorithm(unknown);
            let item = value.encode(tag, v1_0).unwrap();
            assert_eq!(CryptographicAlgorithm::decode(item, v1_0).unwrap(), value);
        }
    }

    #[test]
    fn mask_bits_newer_than_the_version_are_refused_both_ways() {
        use crate::StorageStatusMask;

        let (v1_4, v2_0) = (KmipVersion::V1_4, KmipVersion::V2_0);
        let tag = Tag::STORAGE_STATUS_MASK;
        let all = StorageStatusMask::ON_LINE_STORAGE | StorageStatusMask::DESTROYED_STORAGE;
        assert_eq!(all.encode(tag, v1_4).unwrap_err().kind, not_in(tag, v1_4));
        let item = all.encode(tag, v2_0).unwrap();
        assert_eq!(StorageStatusMask::decode(item.clone(), v2_0).unwrap(), all);
        assert_eq!(
            StorageStatusMask::decode(item, v1_4).unwrap_err().kind,
            not_in(tag, v1_4)
        );
        // Known bits of the version, and bits the dictionary does not know, pass.
        let old = StorageStatusMask::ON_LINE_STORAGE | StorageStatusMask(0x100);
        let item = old.encode(tag, KmipVersion::V1_0).unwrap();
        assert_eq!(
            StorageStatusMask::decode(item, KmipVersion::V1_0).unwrap(),
            old
        );
    }

    #[test]
    fn fields_out_of_order_or_unknown_are_refused() {
        let reordered = Ttlv::structure(
            Tag::NAME,
            vec![text(Tag::COMMENT, "c"), text(Tag::NAME_VALUE, "n")],
        );
        let err = Sample::decode(reordered, KmipVersion::V1_4).unwrap_err();
        assert_eq!(err.kind, ErrorKind::Missing(Tag::NAME_VALUE));
        let unknown = Ttlv::structure(
            Tag::NAME,
            vec![
                text(Tag::NAME_VALUE, "n"),
                text(Tag::from_be_bytes([0x54, 0, 1]), "x"),
            ],
        );
        let err = Sample::decode(unknown, KmipVersion::V1_4).unwrap_err();
        assert!(matches!(err.kind, ErrorKind::Unexpected(_)));
    }
}

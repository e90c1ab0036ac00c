//! [`AttributeValue`] and the table of standard attributes it is generated from.
//!
//! One line per attribute gives its Rust type, its tag (which in KMIP 1.x also gives its
//! name, through the dictionary) and the versions that define it. Everything that depends
//! on the set of attributes (the enum, decoding by name or tag, encoding, version checks)
//! comes from that table, so adding an attribute is adding a line.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::certificate::{
    CertificateIdentifier, CertificateIssuer, CertificateSubject, X509CertificateIdentifier,
    X509CertificateIssuer, X509CertificateSubject,
};
use super::crypto::{
    CryptographicDomainParameters, CryptographicParameters, Digest, RngParameters,
};
use super::lifecycle::{RevocationReason, RotateName, UsageLimits};
use super::naming::{
    AlternativeName, ApplicationSpecificInformation, KeyValueLocation, Link, Name,
};
use crate::codec::{KmipCodec, in_range};
use crate::error::Error;
use crate::{
    CertificateType, CryptographicAlgorithm, CryptographicUsageMask, DateTime,
    DigitalSignatureAlgorithm, Interval, KeyFormatType, NISTKeyType, ObjectGroupMember, ObjectType,
    OpaqueDataType, ProtectionLevel, ProtectionStorageMask, State,
};

/// A standard attribute: its tag and the versions that define it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AttributeDef {
    /// The tag its value is written under (KMIP 2.x) and that gives its name (KMIP 1.x).
    pub tag: Tag,
    /// The first version that defines it.
    pub since: KmipVersion,
    /// The first version that no longer does, if any.
    pub until: Option<KmipVersion>,
}

impl AttributeDef {
    /// The attribute's specification name ("Cryptographic Algorithm"), as KMIP 1.x writes
    /// it in Attribute Name.
    pub fn name(&self) -> &'static str {
        // Every tag of the table is in the dictionary (checked by a test).
        self.tag.name().unwrap_or_default()
    }

    /// True when `version` defines this attribute.
    pub fn defined_in(&self, version: KmipVersion) -> bool {
        in_range(version, Some(self.since), self.until)
    }

    /// The standard attribute written under this tag.
    pub fn by_tag(tag: Tag) -> Option<&'static AttributeDef> {
        STANDARD_ATTRIBUTES.iter().find(|d| d.tag == tag)
    }

    /// The standard attribute with this specification name.
    pub fn by_name(name: &str) -> Option<&'static AttributeDef> {
        STANDARD_ATTRIBUTES.iter().find(|d| d.name() == name)
    }
}

macro_rules! attribute_table {
    ($(
        $(#[$doc:meta])*
        $variant:ident($ty:ty) = $tag:ident, $since:ident .. $($until:ident)?;
    )*) => {
        /// The value of an attribute, typed by the attribute (KMIP 1.4 §3, KMIP 2.0 §4).
        ///
        /// The variant says which attribute it is; [`AttributeValue::name`] and
        /// [`AttributeValue::tag`] give its KMIP 1.x name and KMIP 2.x tag.
        #[derive(Clone, Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum AttributeValue {
            $(
                $(#[$doc])*
                $variant($ty),
            )*
            /// A KMIP 1.x custom attribute (KMIP 1.4 §3.39): a name starting with `x-`
            /// (set by clients) or `y-` (set by servers); any other name is refused.
            /// `value` is the Attribute Value item, kept as sent.
            Custom {
                /// The attribute name.
                name: String,
                /// The value, any TTLV type.
                value: Ttlv,
            },
            /// A KMIP 2.x vendor attribute (KMIP 2.0 §2.1.1): Vendor Identification `x`
            /// and `y` stand for the KMIP 1.x `x-` and `y-` custom attributes.
            Vendor {
                /// Vendor Identification.
                vendor_identification: String,
                /// Attribute Name.
                name: String,
                /// The Attribute Value item, any TTLV type.
                value: Ttlv,
            },
            /// A KMIP 2.x attribute written under an extension tag (`0x54xxxx`), kept as
            /// sent.
            Extension(Ttlv),
        }

        /// Every standard attribute, in the order of the KMIP 1.4 specification followed
        /// by the attributes KMIP 2.0 and 2.1 added.
        pub static STANDARD_ATTRIBUTES: &[AttributeDef] = &[$(
            AttributeDef {
                tag: Tag::$tag,
                since: KmipVersion::$since,
                until: $crate::__kmip_version!($($until)?),
            },
        )*];

        impl AttributeValue {
            /// The tag of a standard or extension attribute (`None` for custom and vendor
            /// attributes, which KMIP 2.x writes under Attribute).
            pub fn tag(&self) -> Option<Tag> {
                match self {
                    $( AttributeValue::$variant(_) => Some(Tag::$tag), )*
                    AttributeValue::Extension(item) => Some(item.tag),
                    AttributeValue::Custom { .. } | AttributeValue::Vendor { .. } => None,
                }
            }

            /// Decodes the value of the standard attribute with this tag; `None` if the
            /// tag is not one.
            pub(super) fn decode_standard(
                tag: Tag,
                item: Ttlv,
                version: KmipVersion,
            ) -> Result<Option<Self>, Error> {
                Ok(Some(match tag {
                    $( Tag::$tag => AttributeValue::$variant(KmipCodec::decode(item, version)?), )*
                    _ => return Ok(None),
                }))
            }

            /// Encodes the value of a standard attribute under `tag`; `None` for the
            /// other kinds.
            pub(super) fn encode_standard(
                &self,
                tag: Tag,
                version: KmipVersion,
            ) -> Result<Option<Ttlv>, Error> {
                Ok(Some(match self {
                    $( AttributeValue::$variant(v) => v.encode(tag, version)?, )*
                    AttributeValue::Custom { .. }
                    | AttributeValue::Vendor { .. }
                    | AttributeValue::Extension(_) => return Ok(None),
                }))
            }
        }
    };
}

attribute_table! {
    /// Unique Identifier (KMIP 1.4 §3.1).
    UniqueIdentifier(String) = UNIQUE_IDENTIFIER, V1_0..;
    /// Name (KMIP 1.4 §3.2).
    Name(Name) = NAME, V1_0..;
    /// Object Type (KMIP 1.4 §3.3).
    ObjectType(ObjectType) = OBJECT_TYPE, V1_0..;
    /// Cryptographic Algorithm (KMIP 1.4 §3.4).
    CryptographicAlgorithm(CryptographicAlgorithm) = CRYPTOGRAPHIC_ALGORITHM, V1_0..;
    /// Cryptographic Length in bits (KMIP 1.4 §3.5).
    CryptographicLength(i32) = CRYPTOGRAPHIC_LENGTH, V1_0..;
    /// Cryptographic Parameters (KMIP 1.4 §3.6).
    CryptographicParameters(CryptographicParameters) = CRYPTOGRAPHIC_PARAMETERS, V1_0..;
    /// Cryptographic Domain Parameters (KMIP 1.4 §3.7).
    CryptographicDomainParameters(CryptographicDomainParameters) = CRYPTOGRAPHIC_DOMAIN_PARAMETERS, V1_0..;
    /// Certificate Type (KMIP 1.4 §3.8).
    CertificateType(CertificateType) = CERTIFICATE_TYPE, V1_0..;
    /// Certificate Length in bytes (KMIP 1.4 §3.9).
    CertificateLength(i32) = CERTIFICATE_LENGTH, V1_1..;
    /// X.509 Certificate Identifier (KMIP 1.4 §3.10).
    X509CertificateIdentifier(X509CertificateIdentifier) = X_509_CERTIFICATE_IDENTIFIER, V1_1..;
    /// X.509 Certificate Subject (KMIP 1.4 §3.11).
    X509CertificateSubject(X509CertificateSubject) = X_509_CERTIFICATE_SUBJECT, V1_1..;
    /// X.509 Certificate Issuer (KMIP 1.4 §3.12).
    X509CertificateIssuer(X509CertificateIssuer) = X_509_CERTIFICATE_ISSUER, V1_1..;
    /// Certificate Identifier (KMIP 1.4 §3.13, deprecated since 1.1).
    CertificateIdentifier(CertificateIdentifier) = CERTIFICATE_IDENTIFIER, V1_0..V2_0;
    /// Certificate Subject (KMIP 1.4 §3.14, deprecated since 1.1).
    CertificateSubject(CertificateSubject) = CERTIFICATE_SUBJECT, V1_0..V2_0;
    /// Certificate Issuer (KMIP 1.4 §3.15, deprecated since 1.1).
    CertificateIssuer(CertificateIssuer) = CERTIFICATE_ISSUER, V1_0..V2_0;
    /// Digital Signature Algorithm (KMIP 1.4 §3.16).
    DigitalSignatureAlgorithm(DigitalSignatureAlgorithm) = DIGITAL_SIGNATURE_ALGORITHM, V1_1..;
    /// Digest (KMIP 1.4 §3.17).
    Digest(Digest) = DIGEST, V1_0..;
    /// Operation Policy Name (KMIP 1.4 §3.18, deprecated since 1.3).
    OperationPolicyName(String) = OPERATION_POLICY_NAME, V1_0..V2_0;
    /// Cryptographic Usage Mask (KMIP 1.4 §3.19).
    CryptographicUsageMask(CryptographicUsageMask) = CRYPTOGRAPHIC_USAGE_MASK, V1_0..;
    /// Lease Time (KMIP 1.4 §3.20).
    LeaseTime(Interval) = LEASE_TIME, V1_0..;
    /// Usage Limits (KMIP 1.4 §3.21).
    UsageLimits(UsageLimits) = USAGE_LIMITS, V1_0..;
    /// State (KMIP 1.4 §3.22).
    State(State) = STATE, V1_0..;
    /// Initial Date (KMIP 1.4 §3.23).
    InitialDate(DateTime) = INITIAL_DATE, V1_0..;
    /// Activation Date (KMIP 1.4 §3.24).
    ActivationDate(DateTime) = ACTIVATION_DATE, V1_0..;
    /// Process Start Date (KMIP 1.4 §3.25).
    ProcessStartDate(DateTime) = PROCESS_START_DATE, V1_0..;
    /// Protect Stop Date (KMIP 1.4 §3.26).
    ProtectStopDate(DateTime) = PROTECT_STOP_DATE, V1_0..;
    /// Deactivation Date (KMIP 1.4 §3.27).
    DeactivationDate(DateTime) = DEACTIVATION_DATE, V1_0..;
    /// Destroy Date (KMIP 1.4 §3.28).
    DestroyDate(DateTime) = DESTROY_DATE, V1_0..;
    /// Compromise Occurrence Date (KMIP 1.4 §3.29).
    CompromiseOccurrenceDate(DateTime) = COMPROMISE_OCCURRENCE_DATE, V1_0..;
    /// Compromise Date (KMIP 1.4 §3.30).
    CompromiseDate(DateTime) = COMPROMISE_DATE, V1_0..;
    /// Revocation Reason (KMIP 1.4 §3.31).
    RevocationReason(RevocationReason) = REVOCATION_REASON, V1_0..;
    /// Archive Date (KMIP 1.4 §3.32).
    ArchiveDate(DateTime) = ARCHIVE_DATE, V1_0..;
    /// Object Group (KMIP 1.4 §3.33).
    ObjectGroup(String) = OBJECT_GROUP, V1_0..;
    /// Fresh (KMIP 1.4 §3.34).
    Fresh(bool) = FRESH, V1_1..;
    /// Link (KMIP 1.4 §3.35).
    Link(Link) = LINK, V1_0..;
    /// Application Specific Information (KMIP 1.4 §3.36).
    ApplicationSpecificInformation(ApplicationSpecificInformation) = APPLICATION_SPECIFIC_INFORMATION, V1_0..;
    /// Contact Information (KMIP 1.4 §3.37).
    ContactInformation(String) = CONTACT_INFORMATION, V1_0..;
    /// Last Change Date (KMIP 1.4 §3.38).
    LastChangeDate(DateTime) = LAST_CHANGE_DATE, V1_0..;
    /// Alternative Name (KMIP 1.4 §3.40).
    AlternativeName(AlternativeName) = ALTERNATIVE_NAME, V1_2..;
    /// Key Value Present (KMIP 1.4 §3.41).
    KeyValuePresent(bool) = KEY_VALUE_PRESENT, V1_2..;
    /// Key Value Location (KMIP 1.4 §3.42).
    KeyValueLocation(KeyValueLocation) = KEY_VALUE_LOCATION, V1_2..;
    /// Original Creation Date (KMIP 1.4 §3.43).
    OriginalCreationDate(DateTime) = ORIGINAL_CREATION_DATE, V1_2..;
    /// Random Number Generator (KMIP 1.4 §3.44).
    RandomNumberGenerator(RngParameters) = RANDOM_NUMBER_GENERATOR, V1_3..;
    /// PKCS#12 Friendly Name (KMIP 1.4 §3.45).
    Pkcs12FriendlyName(String) = PKCS_12_FRIENDLY_NAME, V1_4..;
    /// Description (KMIP 1.4 §3.46).
    Description(String) = DESCRIPTION, V1_4..;
    /// Comment (KMIP 1.4 §3.47).
    Comment(String) = COMMENT, V1_4..;
    /// Sensitive (KMIP 1.4 §3.48).
    Sensitive(bool) = SENSITIVE, V1_4..;
    /// Always Sensitive (KMIP 1.4 §3.49).
    AlwaysSensitive(bool) = ALWAYS_SENSITIVE, V1_4..;
    /// Extractable (KMIP 1.4 §3.50).
    Extractable(bool) = EXTRACTABLE, V1_4..;
    /// Never Extractable (KMIP 1.4 §3.51).
    NeverExtractable(bool) = NEVER_EXTRACTABLE, V1_4..;
    // Certificate Attributes: the subject and issuer name components, as text (their tags
    // are KMIP 1.4, and the KMIP 1.4 test case TC-CERTATTR-1-14 uses them by name).
    /// Certificate Subject CN.
    CertificateSubjectCn(String) = CERTIFICATE_SUBJECT_CN, V1_4..;
    /// Certificate Subject O.
    CertificateSubjectO(String) = CERTIFICATE_SUBJECT_O, V1_4..;
    /// Certificate Subject OU.
    CertificateSubjectOu(String) = CERTIFICATE_SUBJECT_OU, V1_4..;
    /// Certificate Subject Email.
    CertificateSubjectEmail(String) = CERTIFICATE_SUBJECT_EMAIL, V1_4..;
    /// Certificate Subject C.
    CertificateSubjectC(String) = CERTIFICATE_SUBJECT_C, V1_4..;
    /// Certificate Subject ST.
    CertificateSubjectSt(String) = CERTIFICATE_SUBJECT_ST, V1_4..;
    /// Certificate Subject L.
    CertificateSubjectL(String) = CERTIFICATE_SUBJECT_L, V1_4..;
    /// Certificate Subject UID.
    CertificateSubjectUid(String) = CERTIFICATE_SUBJECT_UID, V1_4..;
    /// Certificate Subject Serial Number.
    CertificateSubjectSerialNumber(String) = CERTIFICATE_SUBJECT_SERIAL_NUMBER, V1_4..;
    /// Certificate Subject Title.
    CertificateSubjectTitle(String) = CERTIFICATE_SUBJECT_TITLE, V1_4..;
    /// Certificate Subject DC.
    CertificateSubjectDc(String) = CERTIFICATE_SUBJECT_DC, V1_4..;
    /// Certificate Subject DN Qualifier.
    CertificateSubjectDnQualifier(String) = CERTIFICATE_SUBJECT_DN_QUALIFIER, V1_4..;
    /// Certificate Issuer CN.
    CertificateIssuerCn(String) = CERTIFICATE_ISSUER_CN, V1_4..;
    /// Certificate Issuer O.
    CertificateIssuerO(String) = CERTIFICATE_ISSUER_O, V1_4..;
    /// Certificate Issuer OU.
    CertificateIssuerOu(String) = CERTIFICATE_ISSUER_OU, V1_4..;
    /// Certificate Issuer Email.
    CertificateIssuerEmail(String) = CERTIFICATE_ISSUER_EMAIL, V1_4..;
    /// Certificate Issuer C.
    CertificateIssuerC(String) = CERTIFICATE_ISSUER_C, V1_4..;
    /// Certificate Issuer ST.
    CertificateIssuerSt(String) = CERTIFICATE_ISSUER_ST, V1_4..;
    /// Certificate Issuer L.
    CertificateIssuerL(String) = CERTIFICATE_ISSUER_L, V1_4..;
    /// Certificate Issuer UID.
    CertificateIssuerUid(String) = CERTIFICATE_ISSUER_UID, V1_4..;
    /// Certificate Issuer Serial Number.
    CertificateIssuerSerialNumber(String) = CERTIFICATE_ISSUER_SERIAL_NUMBER, V1_4..;
    /// Certificate Issuer Title.
    CertificateIssuerTitle(String) = CERTIFICATE_ISSUER_TITLE, V1_4..;
    /// Certificate Issuer DC.
    CertificateIssuerDc(String) = CERTIFICATE_ISSUER_DC, V1_4..;
    /// Certificate Issuer DN Qualifier.
    CertificateIssuerDnQualifier(String) = CERTIFICATE_ISSUER_DN_QUALIFIER, V1_4..;
    /// Short Unique Identifier (KMIP 2.0).
    ShortUniqueIdentifier(Vec<u8>) = SHORT_UNIQUE_IDENTIFIER, V2_0..;
    /// Protection Storage Mask (KMIP 2.0): the storage protection the object has.
    ProtectionStorageMask(ProtectionStorageMask) = PROTECTION_STORAGE_MASK, V2_0..;
    /// Protection Level (KMIP 2.0).
    ProtectionLevel(ProtectionLevel) = PROTECTION_LEVEL, V2_0..;
    /// Protection Period (KMIP 2.0).
    ProtectionPeriod(Interval) = PROTECTION_PERIOD, V2_0..;
    /// Quantum Safe (KMIP 2.0).
    QuantumSafe(bool) = QUANTUM_SAFE, V2_0..;
    /// NIST Key Type (KMIP 2.0).
    NistKeyType(NISTKeyType) = NIST_KEY_TYPE, V2_0..;
    /// Key Format Type (KMIP 2.0; in 1.x only a Key Block field).
    KeyFormatType(KeyFormatType) = KEY_FORMAT_TYPE, V2_0..;
    /// Object Group Member (KMIP 2.0; in 1.x only a Locate field).
    ObjectGroupMember(ObjectGroupMember) = OBJECT_GROUP_MEMBER, V2_0..;
    /// Opaque Data Type (KMIP 2.0; in 1.x only an Opaque Object field).
    OpaqueDataType(OpaqueDataType) = OPAQUE_DATA_TYPE, V2_0..;
    /// Rotate Interval (KMIP 2.1): time between automatic rotations.
    RotateInterval(Interval) = ROTATE_INTERVAL, V2_1..;
    /// Rotate Automatic (KMIP 2.1): whether the server rotates the key itself.
    RotateAutomatic(bool) = ROTATE_AUTOMATIC, V2_1..;
    /// Rotate Offset (KMIP 2.1).
    RotateOffset(Interval) = ROTATE_OFFSET, V2_1..;
    /// Rotate Date (KMIP 2.1): when the key was last rotated.
    RotateDate(DateTime) = ROTATE_DATE, V2_1..;
    /// Rotate Generation (KMIP 2.1): how many rotations led to this key.
    RotateGeneration(i32) = ROTATE_GENERATION, V2_1..;
    /// Rotate Name (KMIP 2.1).
    RotateName(RotateName) = ROTATE_NAME, V2_1..;
    /// Rotate Latest (KMIP 2.1): whether this is the latest key of its rotation.
    RotateLatest(bool) = ROTATE_LATEST, V2_1..;
}

impl AttributeValue {
    /// The definition of a standard attribute (`None` for custom, vendor and extension
    /// attributes).
    pub fn def(&self) -> Option<&'static AttributeDef> {
        match self {
            AttributeValue::Extension(_) => None,
            other => other.tag().and_then(AttributeDef::by_tag),
        }
    }

    /// The name a KMIP 1.x message gives this attribute: the specification name of a
    /// standard attribute, the name of a custom one, `vendor-name` for a vendor attribute
    /// (so Vendor Identification `x` becomes an `x-` custom attribute).
    pub fn name(&self) -> String {
        match self {
            AttributeValue::Custom { name, .. } => name.clone(),
            AttributeValue::Vendor {
                vendor_identification,
                name,
                ..
            } => format!("{vendor_identification}-{name}"),
            AttributeValue::Extension(item) => item
                .tag
                .name()
                .map_or_else(|| format!("0x{:06X}", item.tag.value()), str::to_owned),
            other => other
                .def()
                .map(AttributeDef::name)
                .unwrap_or_default()
                .to_owned(),
        }
    }

    /// True when `version` defines this attribute. Custom attributes exist in every
    /// version (as `x-`/`y-` names in 1.x, vendor attributes `x` and `y` in 2.x); other
    /// vendor attributes and extension tags only in 2.x.
    pub fn defined_in(&self, version: KmipVersion) -> bool {
        match self {
            AttributeValue::Custom { .. } => true,
            AttributeValue::Vendor {
                vendor_identification,
                ..
            } => version.is_2x() || matches!(vendor_identification.as_str(), "x" | "y"),
            AttributeValue::Extension(_) => version.is_2x(),
            other => other.def().is_some_and(|d| d.defined_in(version)),
        }
    }
}

#![doc = include_str!("../README.md")]
// Every public item is documented; clippy runs with `-D warnings`, so this holds.
#![warn(missing_docs)]

#[macro_use]
mod macros;
pub mod attributes;
pub mod codec;
pub mod credential;
mod error;
#[cfg(feature = "fuzzing")]
pub mod fuzzing;
mod identifier;
pub mod message;
pub mod objects;
pub mod payloads;
pub mod secret;

pub use codec::{DateTime, DateTimeExtended, Interval, KmipCodec};
pub use error::{Error, ErrorKind};
pub use identifier::UniqueId;
/// The KMIP dictionary (KMIP 1.4 §9.1.3, KMIP 2.0 §11): every tag, enumeration and mask
/// with its number, names and the version that introduced it.
///
/// The enumerations and masks the typed model uses are also re-exported here by name,
/// except the Unique Identifier enumeration (the ID Placeholder and batch references):
/// at the crate root `UniqueIdentifier` would sit next to [`UniqueId`], the identifier
/// value, and `AttributeValue::UniqueIdentifier`, the attribute. It stays
/// `dictionary::UniqueIdentifier`:
///
/// ```compile_fail
/// use kmip_types::UniqueIdentifier;
/// ```
///
/// ```
/// use kmip_types::dictionary::UniqueIdentifier;
/// let reference = kmip_types::UniqueId::Reference(UniqueIdentifier::ID_PLACEHOLDER);
/// # let _ = reference;
/// ```
pub use kmip_ttlv::dictionary;
pub use kmip_ttlv::dictionary::{
    AdjustmentType, AlternativeNameType, AsynchronousIndicator, AttestationType,
    BatchErrorContinuationOption, BlockCipherMode, CancellationResult, CertificateRequestType,
    CertificateType, ClientRegistrationMethod, CredentialType, CryptographicAlgorithm,
    CryptographicUsageMask, DRBGAlgorithm, Data, DerivationMethod, DestroyAction,
    DigitalSignatureAlgorithm, EncodingOption, EndpointRole, FIPS186Variation, HashingAlgorithm,
    InteropFunction, KeyCompressionType, KeyFormatType, KeyRoleType, KeyValueLocationType,
    KeyWrapType, LinkType, MaskGenerator, NISTKeyType, NameType, ObjectGroupMember, ObjectType,
    OpaqueDataType, Operation, PKCS11Function, PKCS11ReturnCode, PaddingMethod, ProfileName,
    ProtectionLevel, ProtectionStorageMask, PutFunction, QueryFunction, RNGAlgorithm, RNGMode,
    RecommendedCurve, ResultReason, ResultStatus, RevocationReasonCode, RotateNameType,
    SecretDataType, ShreddingAlgorithm, SplitKeyMethod, State, StorageStatusMask, TicketType,
    UnwrapMode, UsageLimitsUnit, ValidationAuthorityType, ValidationType, ValidityIndicator,
    WrappingMethod,
};
pub use kmip_ttlv::{KmipVersion, Tag, Ttlv};

pub use attributes::{
    Attribute, AttributeReference, AttributeValue, Attributes, CryptographicParameters, Link, Name,
    RevocationReason, TemplateAttribute,
};
pub use credential::{Authentication, Credential, CredentialValue};
pub use message::{
    MessageExtension, Nonce, ProtocolVersion, RequestBatchItem, RequestHeader, RequestMessage,
    ResponseBatchItem, ResponseHeader, ResponseMessage,
};
pub use objects::{
    KeyBlock, KeyMaterial, KeyValue, KeyWrappingData, KeyWrappingSpecification, Object,
};
pub use payloads::{RequestPayload, ResponsePayload};
pub use secret::{SecretBigInteger, SecretBytes, SecretString};

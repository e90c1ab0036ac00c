//! Query and Discover Versions (KMIP 1.4 §4.25–4.26, KMIP 2.0 §6.1): what a server
//! supports, and the structures it describes itself with.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::ObjectGroups;
use super::ProtectionStorageMasks;
use crate::attributes::{Attributes, RngParameters};
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::Error;
use crate::message::ProtocolVersion;
use crate::{
    AttestationType, ClientRegistrationMethod, DestroyAction, ObjectType, Operation, ProfileName,
    QueryFunction, RNGMode, ShreddingAlgorithm, UnwrapMode, ValidationAuthorityType,
    ValidationType,
};

kmip_struct! {
    /// Query request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct QueryRequest {
        /// What the client asks about.
        vec query_functions: QueryFunction = QUERY_FUNCTION,
    }
}

kmip_struct! {
    /// Query response: each field answers one Query Function.
    #[derive(Debug, PartialEq, Eq)]
    pub struct QueryResponse {
        /// Supported operations.
        vec operations: Operation = OPERATION,
        /// Supported object types.
        vec object_types: ObjectType = OBJECT_TYPE,
        /// The vendor.
        opt vendor_identification: String = VENDOR_IDENTIFICATION,
        /// About the server.
        opt server_information: ServerInformation = SERVER_INFORMATION,
        /// Application namespaces the server generates data for.
        vec application_namespaces: String = APPLICATION_NAMESPACE,
        /// Supported extensions (KMIP 1.1 and later).
        vec [V1_1..] extension_information: ExtensionInformation = EXTENSION_INFORMATION,
        /// Supported attestation types (KMIP 1.2 and later).
        vec [V1_2..] attestation_types: AttestationType = ATTESTATION_TYPE,
        /// Random number generators (KMIP 1.3 and later).
        vec [V1_3..] rng_parameters: RngParameters = RNG_PARAMETERS,
        /// Supported profiles (KMIP 1.3 and later).
        vec [V1_3..] profile_information: ProfileInformation = PROFILE_INFORMATION,
        /// Formal validations (KMIP 1.3 and later).
        vec [V1_3..] validation_information: ValidationInformation = VALIDATION_INFORMATION,
        /// Capabilities (KMIP 1.3 and later).
        vec [V1_3..] capability_information: CapabilityInformation = CAPABILITY_INFORMATION,
        /// Supported client registration methods (KMIP 1.3 and later).
        vec [V1_3..] client_registration_methods: ClientRegistrationMethod = CLIENT_REGISTRATION_METHOD,
        /// Default attributes of new objects (KMIP 2.0).
        opt [V2_0..] defaults_information: DefaultsInformation = DEFAULTS_INFORMATION,
        /// Supported storage protections (KMIP 2.0).
        opt [V2_0..] protection_storage_masks: ProtectionStorageMasks = PROTECTION_STORAGE_MASKS,
    }
}

/// Server Information (KMIP 1.4 §4.25, KMIP 2.0): vendor-specific in KMIP 1.x;
/// KMIP 2.0 defines the leading fields, which vendor fields may follow.
///
/// Written by hand so that vendor fields are kept, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ServerInformation {
    /// Server Name (KMIP 2.0).
    pub server_name: Option<String>,
    /// Server Serial Number (KMIP 2.0).
    pub server_serial_number: Option<String>,
    /// Server Version (KMIP 2.0).
    pub server_version: Option<String>,
    /// Server Load (KMIP 2.0).
    pub server_load: Option<String>,
    /// Product Name (KMIP 2.0).
    pub product_name: Option<String>,
    /// Build Level (KMIP 2.0).
    pub build_level: Option<String>,
    /// Build Date (KMIP 2.0).
    pub build_date: Option<String>,
    /// Cluster Info (KMIP 2.0).
    pub cluster_info: Option<String>,
    /// Alternate Failover Endpoints (KMIP 2.0).
    pub alternate_failover_endpoints: Vec<String>,
    /// Vendor-specific fields, as sent.
    pub vendor: Vec<Ttlv>,
}

impl KmipCodec for ServerInformation {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let mut info = ServerInformation::default();
        if version >= KmipVersion::V2_0 {
            info.server_name = r.optional(Tag::SERVER_NAME)?;
            info.server_serial_number = r.optional(Tag::SERVER_SERIAL_NUMBER)?;
            info.server_version = r.optional(Tag::SERVER_VERSION)?;
            info.server_load = r.optional(Tag::SERVER_LOAD)?;
            info.product_name = r.optional(Tag::PRODUCT_NAME)?;
            info.build_level = r.optional(Tag::BUILD_LEVEL)?;
            info.build_date = r.optional(Tag::BUILD_DATE)?;
            info.cluster_info = r.optional(Tag::CLUSTER_INFO)?;
            info.alternate_failover_endpoints = r.repeated(Tag::ALTERNATE_FAILOVER_ENDPOINTS)?;
        }
        while let Some(field) = r.peek_tag().and_then(|tag| r.take_raw(tag)) {
            let tag = field.tag;
            info.vendor
                .push(Ttlv::decode(field, version).map_err(|e| e.within(tag))?);
        }
        r.finish()?;
        Ok(info)
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        let v2 = Some(KmipVersion::V2_0);
        w.optional(Tag::SERVER_NAME, self.server_name.as_ref(), v2, None)?;
        w.optional(
            Tag::SERVER_SERIAL_NUMBER,
            self.server_serial_number.as_ref(),
            v2,
            None,
        )?;
        w.optional(Tag::SERVER_VERSION, self.server_version.as_ref(), v2, None)?;
        w.optional(Tag::SERVER_LOAD, self.server_load.as_ref(), v2, None)?;
        w.optional(Tag::PRODUCT_NAME, self.product_name.as_ref(), v2, None)?;
        w.optional(Tag::BUILD_LEVEL, self.build_level.as_ref(), v2, None)?;
        w.optional(Tag::BUILD_DATE, self.build_date.as_ref(), v2, None)?;
        w.optional(Tag::CLUSTER_INFO, self.cluster_info.as_ref(), v2, None)?;
        w.repeated(
            Tag::ALTERNATE_FAILOVER_ENDPOINTS,
            &self.alternate_failover_endpoints,
            v2,
            None,
        )?;
        for field in &self.vendor {
            w.field(field.tag, field)?;
        }
        Ok(w.finish(tag))
    }
}

kmip_struct! {
    /// Extension Information (KMIP 1.4 §2.1.9, KMIP 2.0): an extension tag the server
    /// supports.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ExtensionInformation {
        /// The extension's name.
        req extension_name: String = EXTENSION_NAME,
        /// Its tag.
        opt extension_tag: i32 = EXTENSION_TAG,
        /// Its item type.
        opt extension_type: i32 = EXTENSION_TYPE,
        /// Enumeration value, for an extension enumeration (KMIP 2.0).
        opt [V2_0..] extension_enumeration: i32 = EXTENSION_ENUMERATION,
        /// True for an extension attribute (KMIP 2.0).
        opt [V2_0..] extension_attribute: bool = EXTENSION_ATTRIBUTE,
        /// The structure it may appear in (KMIP 2.0).
        opt [V2_0..] extension_parent_structure_tag: i32 = EXTENSION_PARENT_STRUCTURE_TAG,
        /// What it is (KMIP 2.0).
        opt [V2_0..] extension_description: String = EXTENSION_DESCRIPTION,
    }
}

kmip_struct! {
    /// Profile Information (KMIP 1.3 and later): a profile the server supports, and where.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ProfileInformation {
        /// The profile.
        req profile_name: ProfileName = PROFILE_NAME,
        /// Its version (KMIP 2.0).
        opt [V2_0..] profile_version: ProfileVersion = PROFILE_VERSION,
        /// Where the server supports it.
        opt server_uri: String = SERVER_URI,
        /// On which port.
        opt server_port: i32 = SERVER_PORT,
    }
}

kmip_struct! {
    /// Profile Version (KMIP 2.0).
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub struct ProfileVersion {
        /// Major number.
        req major: i32 = PROFILE_VERSION_MAJOR,
        /// Minor number.
        req minor: i32 = PROFILE_VERSION_MINOR,
    }
}

kmip_struct! {
    /// Validation Information (KMIP 1.3 and later): a formal validation of the server.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ValidationInformation {
        /// Who validated.
        req validation_authority_type: ValidationAuthorityType = VALIDATION_AUTHORITY_TYPE,
        /// The authority's country.
        opt validation_authority_country: String = VALIDATION_AUTHORITY_COUNTRY,
        /// The authority's address.
        opt validation_authority_uri: String = VALIDATION_AUTHORITY_URI,
        /// Version of the validation standard, major number.
        req validation_version_major: i32 = VALIDATION_VERSION_MAJOR,
        /// Version of the validation standard, minor number.
        opt validation_version_minor: i32 = VALIDATION_VERSION_MINOR,
        /// What was validated.
        req validation_type: ValidationType = VALIDATION_TYPE,
        /// The level reached.
        req validation_level: i32 = VALIDATION_LEVEL,
        /// The certificate's identifier.
        opt validation_certificate_identifier: String = VALIDATION_CERTIFICATE_IDENTIFIER,
        /// Where the certificate is.
        opt validation_certificate_uri: String = VALIDATION_CERTIFICATE_URI,
        /// The vendor's page on it.
        opt validation_vendor_uri: String = VALIDATION_VENDOR_URI,
        /// Validated profiles.
        vec validation_profiles: String = VALIDATION_PROFILE,
    }
}

kmip_struct! {
    /// Capability Information (KMIP 1.3 and later).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CapabilityInformation {
        /// Supports streaming (multi-part) cryptographic operations.
        opt streaming_capability: bool = STREAMING_CAPABILITY,
        /// Supports asynchronous operations.
        opt asynchronous_capability: bool = ASYNCHRONOUS_CAPABILITY,
        /// Supports attestation.
        opt attestation_capability: bool = ATTESTATION_CAPABILITY,
        /// Supports the Undo batch error continuation option (KMIP 1.4 and later).
        opt [V1_4..] batch_undo_capability: bool = BATCH_UNDO_CAPABILITY,
        /// Supports the Continue batch error continuation option (KMIP 1.4 and later).
        opt [V1_4..] batch_continue_capability: bool = BATCH_CONTINUE_CAPABILITY,
        /// How the server stores unwrapped keys.
        opt unwrap_mode: UnwrapMode = UNWRAP_MODE,
        /// What destroying does.
        opt destroy_action: DestroyAction = DESTROY_ACTION,
        /// How key material is shredded.
        opt shredding_algorithm: ShreddingAlgorithm = SHREDDING_ALGORITHM,
        /// How the random number generator is shared.
        opt rng_mode: RNGMode = RNG_MODE,
        /// Supports quantum safe operation (KMIP 2.0).
        opt [V2_0..] quantum_safe_capability: bool = QUANTUM_SAFE_CAPABILITY,
    }
}

kmip_struct! {
    /// Defaults Information (KMIP 2.0): attributes the server gives new objects by default.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DefaultsInformation {
        /// Defaults per object type.
        vec object_defaults: ObjectDefaults = OBJECT_DEFAULTS,
    }
}

kmip_struct! {
    /// Object Defaults (KMIP 2.0): the default attributes of one object type.
    #[derive(Debug, PartialEq, Eq)]
    pub struct ObjectDefaults {
        /// The object type.
        req object_type: ObjectType = OBJECT_TYPE,
        /// Its default attributes.
        req attributes: Attributes = ATTRIBUTES,
        /// The object groups they apply to; all when absent (KMIP 2.1).
        opt [V2_1..] object_groups: ObjectGroups = OBJECT_GROUPS,
    }
}

kmip_struct! {
    /// Discover Versions request (KMIP 1.1 and later): the versions the client speaks, most
    /// preferred first; the response lists those the server speaks among them.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct DiscoverVersionsRequest {
        /// Protocol versions.
        vec protocol_versions: ProtocolVersion = PROTOCOL_VERSION,
    }
}

/// Discover Versions response.
pub type DiscoverVersionsResponse = DiscoverVersionsRequest;

//! Query (KMIP 1.4 §4.25): what the server supports, generated from the one registry of
//! operations ([`super::IMPLEMENTED`]) so the answer cannot drift from the dispatcher.

use kmip_types::attributes::RngParameters;
use kmip_types::payloads::{
    CapabilityInformation, ProfileInformation, QueryResponse, ServerInformation,
};
use kmip_types::{
    DestroyAction, KmipVersion, ObjectType, Operation, ProfileName, QueryFunction, RNGMode,
    RequestPayload, ResponsePayload, ResultReason,
};

use crate::dispatch::served;
use crate::{KmipError, OpContext};

/// The name the server gives as Vendor Identification.
pub const VENDOR_IDENTIFICATION: &str = "kms";

/// The object types the store keeps (each registers and gets back as given), with the
/// versions that define them: PGP Key from KMIP 1.2, Template until 2.0.
const OBJECT_TYPES: [ObjectType; 9] = [
    ObjectType::CERTIFICATE,
    ObjectType::SYMMETRIC_KEY,
    ObjectType::PUBLIC_KEY,
    ObjectType::PRIVATE_KEY,
    ObjectType::SPLIT_KEY,
    ObjectType::TEMPLATE,
    ObjectType::SECRET_DATA,
    ObjectType::OPAQUE_OBJECT,
    ObjectType::PGP_KEY,
];

/// A profile the server claims and the OASIS test cases that back the claim: every
/// mandatory test case of the profile for that protocol version, `family` being the
/// file name prefix (`SKLC-M-`) in `folder`, ending in `suffix` (`-14.xml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProfileClaim {
    /// The profile (its name carries the KMIP version it is for).
    pub name: ProfileName,
    /// The corpus folder of its mandatory test cases.
    pub folder: &'static str,
    /// The file name prefix of its test cases.
    pub family: &'static str,
    /// The file name ending of the protocol version's test cases.
    pub suffix: &'static str,
}

const fn claim(
    name: ProfileName,
    folder: &'static str,
    family: &'static str,
    suffix: &'static str,
) -> ProfileClaim {
    ProfileClaim {
        name,
        folder,
        family,
        suffix,
    }
}

const PROFILES_1X: &str = "oasis-1.0-profiles/mandatory";
const PROFILES_13: &str = "oasis-1.3/profiles/mandatory";
const PROFILES_14: &str = "oasis-1.4/profiles/mandatory";

/// The profiles Query Profiles reports: only those whose whole mandatory test set passes
/// in `tests/conformance.rs` (none of its files is in the skip list; `tests/ops.rs`
/// checks this against the list). Server profiles whose test cases pass but which ask
/// for more than they test (Suite B TLS cipher suites, the HTTPS, JSON and XML message
/// encodings) are not claimed.
pub const PROFILES: &[ProfileClaim] = &[
    claim(
        ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_0,
        PROFILES_1X,
        "SKLC-M-",
        "-10.xml",
    ),
    claim(
        ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_1,
        PROFILES_1X,
        "SKLC-M-",
        "-11.xml",
    ),
    claim(
        ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_2,
        PROFILES_1X,
        "SKLC-M-",
        "-12.xml",
    ),
    claim(
        ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_3,
        PROFILES_13,
        "SKLC-M-",
        "-13.xml",
    ),
    claim(
        ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_4,
        PROFILES_14,
        "SKLC-M-",
        "-14.xml",
    ),
    claim(
        ProfileName::OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_0,
        PROFILES_1X,
        "OMOS-M-",
        "-10.xml",
    ),
    claim(
        ProfileName::OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_1,
        PROFILES_1X,
        "OMOS-M-",
        "-11.xml",
    ),
    claim(
        ProfileName::OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_2,
        PROFILES_1X,
        "OMOS-M-",
        "-12.xml",
    ),
    claim(
        ProfileName::OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_3,
        PROFILES_13,
        "OMOS-M-",
        "-13.xml",
    ),
    claim(
        ProfileName::OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_4,
        PROFILES_14,
        "OMOS-M-",
        "-14.xml",
    ),
    claim(
        ProfileName::RNG_CRYPTOGRAPHIC_SERVER_KMIPV1_3,
        PROFILES_13,
        "CS-RNG-M-",
        "-13.xml",
    ),
    claim(
        ProfileName::RNG_CRYPTOGRAPHIC_SERVER_KMIPV1_4,
        PROFILES_14,
        "CS-RNG-M-",
        "-14.xml",
    ),
    claim(
        ProfileName::STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_3,
        PROFILES_13,
        "SASED-M-",
        "-13.xml",
    ),
    claim(
        ProfileName::STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_4,
        PROFILES_14,
        "SASED-M-",
        "-14.xml",
    ),
];

/// Answers each Query Function the client asked about and the request's version
/// defines (KMIP 1.4 §4.25). Application namespaces, extensions, attestation types,
/// validations and client registration methods are empty lists: the server generates
/// no application data, has no extensions, no attestation, no formal validation (FIPS
/// 140, Common Criteria), and clients are registered out of band (a certificate from
/// the server's client CA), not by a KMIP method.
pub(crate) fn execute(
    ctx: &OpContext,
    payload: RequestPayload,
) -> Result<ResponsePayload, KmipError> {
    let RequestPayload::Query(request) = payload else {
        return Err(KmipError::new(
            ResultReason::INVALID_MESSAGE,
            "the payload is not a Query request",
        ));
    };
    let version = ctx.version;
    let asked = |f: QueryFunction| request.query_functions.contains(&f);
    let mut response = QueryResponse {
        operations: Vec::new(),
        object_types: Vec::new(),
        vendor_identification: None,
        server_information: None,
        application_namespaces: Vec::new(),
        extension_information: Vec::new(),
        attestation_types: Vec::new(),
        rng_parameters: Vec::new(),
        profile_information: Vec::new(),
        validation_information: Vec::new(),
        capability_information: Vec::new(),
        client_registration_methods: Vec::new(),
        defaults_information: None,
        protection_storage_masks: None,
    };
    if asked(QueryFunction::QUERY_OPERATIONS) {
        response.operations = operations(version);
    }
    if asked(QueryFunction::QUERY_OBJECTS) {
        response.object_types = object_types(version);
    }
    if asked(QueryFunction::QUERY_SERVER_INFORMATION) {
        response.vendor_identification = Some(VENDOR_IDENTIFICATION.to_owned());
        response.server_information = Some(server_information(version));
    }
    if version >= KmipVersion::V1_3 {
        if asked(QueryFunction::QUERY_CAPABILITIES) {
            response.capability_information = vec![capabilities(version)];
        }
        if asked(QueryFunction::QUERY_PROFILES) {
            response.profile_information = profiles(version);
        }
        if asked(QueryFunction::QUERY_RN_GS) {
            response.rng_parameters = vec![rng()];
        }
    }
    Ok(ResponsePayload::Query(Box::new(response)))
}

/// The implemented operations that `version` defines, registry order, without repeats.
pub(crate) fn operations(version: KmipVersion) -> Vec<Operation> {
    let mut out: Vec<Operation> = Vec::new();
    for op in super::IMPLEMENTED {
        if served(*op, version) && !out.contains(op) {
            out.push(*op);
        }
    }
    out
}

/// The object types `version` defines, of those the store keeps.
fn object_types(version: KmipVersion) -> Vec<ObjectType> {
    OBJECT_TYPES
        .into_iter()
        .filter(|t| match *t {
            ObjectType::PGP_KEY => version >= KmipVersion::V1_2,
            ObjectType::TEMPLATE => !version.is_2x(),
            _ => true,
        })
        .collect()
}

/// The claimed profiles whose name `version` defines (a 1.3 message cannot name a
/// KMIP 1.4 profile).
pub(crate) fn profiles(version: KmipVersion) -> Vec<ProfileInformation> {
    PROFILES
        .iter()
        .filter(|p| p.name.info().is_some_and(|i| i.since <= version))
        .map(|p| ProfileInformation {
            profile_name: p.name,
            profile_version: None,
            server_uri: None,
            server_port: None,
        })
        .collect()
}

/// The one generator every random byte comes from (`kms_store::material::server_rng`).
fn rng() -> RngParameters {
    kms_store::material::server_rng()
}

/// Server Information: vendor-defined in KMIP 1.x (nothing to add beyond the Vendor
/// Identification), the standard fields from KMIP 2.0.
fn server_information(version: KmipVersion) -> ServerInformation {
    let mut info = ServerInformation::default();
    if version.is_2x() {
        info.product_name = Some(VENDOR_IDENTIFICATION.to_owned());
        info.server_version = Some(env!("CARGO_PKG_VERSION").to_owned());
    }
    info
}

/// Capability Information (KMIP 1.3): streaming (multi-part Encrypt, Decrypt, Sign,
/// Signature Verify, MAC, MAC Verify and Hash), no asynchronous operations, no
/// attestation; batches may Continue or Stop, not Undo (the 1.4 fields); Destroy drops
/// the key material and keeps the metadata (Key Material Deleted: deleted from the
/// database, not shredded); one generator shared by every client.
fn capabilities(version: KmipVersion) -> CapabilityInformation {
    let v14 = version >= KmipVersion::V1_4;
    CapabilityInformation {
        streaming_capability: Some(true),
        asynchronous_capability: Some(false),
        attestation_capability: Some(false),
        batch_undo_capability: v14.then_some(false),
        batch_continue_capability: v14.then_some(true),
        unwrap_mode: None,
        destroy_action: Some(DestroyAction::KEY_MATERIAL_DELETED),
        shredding_algorithm: None,
        rng_mode: Some(RNGMode::SHARED_INSTANTIATION),
        quantum_safe_capability: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_types_and_profiles_are_filtered_by_version() {
        assert!(!object_types(KmipVersion::V1_1).contains(&ObjectType::PGP_KEY));
        assert!(object_types(KmipVersion::V1_2).contains(&ObjectType::PGP_KEY));
        assert!(!object_types(KmipVersion::V2_0).contains(&ObjectType::TEMPLATE));
        assert_eq!(object_types(KmipVersion::V1_4).len(), 9);
        let names = |v| {
            profiles(v)
                .into_iter()
                .map(|p| p.profile_name)
                .collect::<Vec<_>>()
        };
        let v13 = names(KmipVersion::V1_3);
        assert!(v13.contains(&ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_3));
        assert!(!v13.contains(&ProfileName::SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_4));
        assert_eq!(names(KmipVersion::V1_4).len(), PROFILES.len());
    }

    #[test]
    fn operations_are_filtered_by_version() {
        let v10 = operations(KmipVersion::V1_0);
        assert!(v10.contains(&Operation::QUERY));
        assert!(
            !v10.contains(&Operation::DISCOVER_VERSIONS),
            "1.1 operation"
        );
        let v14 = operations(KmipVersion::V1_4);
        assert!(v14.contains(&Operation::DISCOVER_VERSIONS));
        for op in super::super::IMPLEMENTED {
            if op.info().is_some_and(|i| i.since <= KmipVersion::V1_4) {
                assert!(v14.contains(op), "{op:?} is registered");
            }
        }
    }
}

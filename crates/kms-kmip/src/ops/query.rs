//! Query (KMIP 1.4 §4.25): what the server supports, generated from the one registry of
//! operations ([`super::IMPLEMENTED`]) so the answer cannot drift from the dispatcher.

use kmip_types::payloads::{CapabilityInformation, QueryResponse, ServerInformation};
use kmip_types::{
    KmipVersion, ObjectType, Operation, QueryFunction, RequestPayload, ResponsePayload,
    ResultReason,
};

use crate::dispatch::served;
use crate::{KmipError, OpContext};

/// The name the server gives as Vendor Identification.
pub const VENDOR_IDENTIFICATION: &str = "kms";

/// The object types the store keeps.
const OBJECT_TYPES: [ObjectType; 4] = [
    ObjectType::SYMMETRIC_KEY,
    ObjectType::PUBLIC_KEY,
    ObjectType::PRIVATE_KEY,
    ObjectType::SECRET_DATA,
];

/// Answers each Query Function the client asked about; functions the server has nothing
/// to report for (application namespaces, extensions, attestation, RNGs, validations,
/// profiles, client registration) get empty lists, as the spec allows.
///
/// No profile is claimed: a Profile Information entry is a conformance statement, and
/// none has been verified against the OASIS profile test cases yet.
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
        response.object_types = OBJECT_TYPES.to_vec();
    }
    if asked(QueryFunction::QUERY_SERVER_INFORMATION) {
        response.vendor_identification = Some(VENDOR_IDENTIFICATION.to_owned());
        response.server_information = Some(server_information(version));
    }
    if asked(QueryFunction::QUERY_CAPABILITIES) && version >= KmipVersion::V1_3 {
        response.capability_information = vec![capabilities(version)];
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

/// Capability Information (KMIP 1.3): no streaming, no asynchronous operations, no
/// attestation; batches may Continue or Stop, not Undo (the 1.4 fields).
fn capabilities(version: KmipVersion) -> CapabilityInformation {
    let v14 = version >= KmipVersion::V1_4;
    CapabilityInformation {
        streaming_capability: Some(false),
        asynchronous_capability: Some(false),
        attestation_capability: Some(false),
        batch_undo_capability: v14.then_some(false),
        batch_continue_capability: v14.then_some(true),
        unwrap_mode: None,
        destroy_action: None,
        shredding_algorithm: None,
        rng_mode: None,
        quantum_safe_capability: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

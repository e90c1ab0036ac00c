//! KMIP 2.0 operations on the server itself rather than on an object: Interop, PKCS#11
//! and Set Endpoint Role (KMIP 2.0 §6.1), and the KMIP 2.1 Get Constraints and Set
//! Constraints.

use crate::attributes::Attributes;
use crate::secret::SecretBytes;
use crate::{EndpointRole, InteropFunction, ObjectType, PKCS11Function, PKCS11ReturnCode};

kmip_struct! {
    /// Interop request: begin, end or reset a test case of an interoperability run.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct InteropRequest {
        /// Begin, End or Reset.
        req interop_function: InteropFunction = INTEROP_FUNCTION,
        /// The test case.
        req interop_identifier: String = INTEROP_IDENTIFIER,
    }
}

/// Interop response.
pub type InteropResponse = super::EmptyPayload;

kmip_struct! {
    /// PKCS#11 request: a PKCS#11 call, marshalled.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Pkcs11Request {
        /// The PKCS#11 interface the call is for.
        opt pkcs11_interface: String = PKCS_11_INTERFACE,
        /// The function.
        req pkcs11_function: PKCS11Function = PKCS_11_FUNCTION,
        /// The session of a multi-part call.
        opt correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// The marshalled input parameters (they may carry PINs, keys or plaintext).
        opt pkcs11_input_parameters: SecretBytes = PKCS_11_INPUT_PARAMETERS,
    }
}

kmip_struct! {
    /// PKCS#11 response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Pkcs11Response {
        /// The PKCS#11 interface the call was for.
        opt pkcs11_interface: String = PKCS_11_INTERFACE,
        /// The function.
        req pkcs11_function: PKCS11Function = PKCS_11_FUNCTION,
        /// The marshalled output parameters (they may carry keys or plaintext).
        opt pkcs11_output_parameters: SecretBytes = PKCS_11_OUTPUT_PARAMETERS,
        /// The session of a multi-part call.
        opt correlation_value: Vec<u8> = CORRELATION_VALUE,
        /// The function's return code.
        req pkcs11_return_code: PKCS11ReturnCode = PKCS_11_RETURN_CODE,
    }
}

kmip_struct! {
    /// Set Endpoint Role request: whether the peer acts as client, server or both; the
    /// response names the role taken.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct SetEndpointRoleRequest {
        /// The role.
        req endpoint_role: EndpointRole = ENDPOINT_ROLE,
    }
}

/// Set Endpoint Role response.
pub type SetEndpointRoleResponse = SetEndpointRoleRequest;

/// Get Constraints request (KMIP 2.1): no fields.
pub type GetConstraintsRequest = super::EmptyPayload;

kmip_struct! {
    /// Get Constraints response (KMIP 2.1).
    #[derive(Debug, PartialEq, Eq)]
    pub struct GetConstraintsResponse {
        /// The constraints in force (an empty structure when there are none).
        req constraints: Constraints = CONSTRAINTS,
    }
}

kmip_struct! {
    /// Set Constraints request (KMIP 2.1).
    #[derive(Debug, PartialEq, Eq)]
    pub struct SetConstraintsRequest {
        /// The constraints to apply; none clears them. The spec marks it required, but
        /// the 2.1 test case TC-MD-24-21 clears the constraints with an empty payload.
        opt constraints: Constraints = CONSTRAINTS,
    }
}
/// Set Constraints response (KMIP 2.1).
pub type SetConstraintsResponse = super::EmptyPayload;

kmip_struct! {
    /// Constraints (KMIP 2.1): rules new objects' attributes must follow.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Constraints {
        /// Each rule.
        vec constraints: Constraint = CONSTRAINT,
    }
}

kmip_struct! {
    /// Constraint (KMIP 2.1): attributes that objects of some types and groups must have.
    #[derive(Debug, PartialEq, Eq)]
    pub struct Constraint {
        /// The object types it applies to; all when absent.
        opt object_types: ObjectTypes = OBJECT_TYPES,
        /// The object groups it applies to; all when absent.
        opt object_groups: ObjectGroups = OBJECT_GROUPS,
        /// The attributes required; the spec leaves them optional.
        opt attributes: Attributes = ATTRIBUTES,
    }
}

kmip_struct! {
    /// Object Types (KMIP 2.1).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ObjectTypes {
        /// Object types.
        vec object_types: ObjectType = OBJECT_TYPE,
    }
}

kmip_struct! {
    /// Object Groups (KMIP 2.1).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ObjectGroups {
        /// Object group names.
        vec object_groups: String = OBJECT_GROUP,
    }
}

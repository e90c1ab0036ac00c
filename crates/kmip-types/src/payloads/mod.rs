//! Operation payloads (KMIP 1.4 §4–5, KMIP 2.0 §6): one typed request and response per
//! operation, and the dispatch from an Operation to them.
//!
//! Each payload declares the union of its KMIP 1.x and 2.x fields in specification order,
//! each field with the versions that define it, so one type serves every version: fields
//! of another version are refused on decode, and on encode when they are set. Operations this
//! library does not model (Re-Provision, Set Defaults, Query Asynchronous Requests,
//! vendor operations) decode to `Other`, kept as sent; so does a response that names no
//! operation.
//!
//! Where the specification leaves the layout open, the OASIS test cases decide: every
//! payload of the corpus decodes to its typed form and encodes back unchanged.

mod asynchronous;
mod attribute_ops;
mod certify;
mod create;
mod crypto;
mod derive;
mod get;
mod import_export;
mod lifecycle;
mod locate;
mod notify_put;
mod object_field;
mod query;
mod rekey;
mod rng;
mod server;
mod session;
mod split_key;
mod validate;

pub use crate::UniqueId;
pub use asynchronous::*;
pub use attribute_ops::*;
pub use certify::*;
pub use create::*;
pub use crypto::*;
pub use derive::*;
pub use get::*;
pub use import_export::*;
pub use lifecycle::*;
pub use locate::*;
pub use notify_put::*;
pub use query::*;
pub use rekey::*;
pub use rng::*;
pub use server::*;
pub use session::*;
pub use split_key::*;
pub use validate::*;

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::Operation;
use crate::codec::{KmipCodec, expect_tag};
use crate::error::{Error, ErrorKind};

/// True when the dictionary says `operation` exists in `version` (unknown operations do
/// not, whatever the version).
fn defined_in(operation: Operation, version: KmipVersion) -> bool {
    operation.info().is_some_and(|info| info.since <= version)
}

/// Refuses to encode a typed payload of an operation the version does not define.
fn check_operation(operation: Option<Operation>, version: KmipVersion) -> Result<(), Error> {
    match operation {
        Some(op) if !defined_in(op, version) => Err(Error::new(ErrorKind::NotInVersion {
            tag: Tag::OPERATION,
            version,
        })),
        _ => Ok(()),
    }
}

/// Generates the payload enums and their dispatch from one table of
/// `OPERATION => Variant(RequestType, ResponseType)` rows.
macro_rules! operations {
    ($( $op:ident => $variant:ident($req:ty, $resp:ty), )*) => {
        /// A request payload, typed by operation.
        ///
        /// Each payload is boxed: the largest are several hundred bytes, and moving them
        /// through the decoder by value cost more than one allocation does.
        #[derive(Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum RequestPayload {
            $(
                #[doc = concat!("The `", stringify!($op), "` operation.")]
                $variant(Box<$req>),
            )*
            /// An operation this library does not model, kept as sent (its tags checked
            /// against the version, see [`check_raw`](crate::codec::check_raw)).
            Other(Ttlv),
        }

        /// A response payload, typed by operation (boxed, as the requests).
        #[derive(Debug, PartialEq, Eq)]
        #[non_exhaustive]
        pub enum ResponsePayload {
            $(
                #[doc = concat!("The `", stringify!($op), "` operation.")]
                $variant(Box<$resp>),
            )*
            /// An operation this library does not model, or a response that names no
            /// operation, kept as sent (its tags checked against the version).
            Other(Ttlv),
        }

        /// The operations with typed payloads, in table order.
        pub const TYPED_OPERATIONS: &[Operation] = &[$( Operation::$op, )*];

        impl RequestPayload {
            /// Decodes the Request Payload item of `operation`.
            pub fn decode(
                operation: Operation,
                item: Ttlv,
                version: KmipVersion,
            ) -> Result<Self, Error> {
                expect_tag(&item, Tag::REQUEST_PAYLOAD)?;
                if !defined_in(operation, version) {
                    // Not an operation of this version: kept as sent, for the server to
                    // answer Operation Not Supported.
                    return Ok(RequestPayload::Other(Ttlv::decode(item, version)?));
                }
                Ok(match operation {
                    $( Operation::$op => {
                        RequestPayload::$variant(Box::new(<$req as KmipCodec>::decode(item, version)?))
                    } )*
                    _ => RequestPayload::Other(Ttlv::decode(item, version)?),
                })
            }

            /// Encodes as a Request Payload item.
            pub fn encode(&self, version: KmipVersion) -> Result<Ttlv, Error> {
                let tag = Tag::REQUEST_PAYLOAD;
                check_operation(self.operation(), version)?;
                match self {
                    $( RequestPayload::$variant(p) => p.encode(tag, version), )*
                    RequestPayload::Other(t) => t.encode(tag, version),
                }
            }

            /// The operation of a typed payload; `None` for `Other`.
            pub fn operation(&self) -> Option<Operation> {
                match self {
                    $( RequestPayload::$variant(_) => Some(Operation::$op), )*
                    RequestPayload::Other(_) => None,
                }
            }
        }

        impl ResponsePayload {
            /// Decodes the Response Payload item of `operation`; without an operation
            /// the payload stays `Other`.
            pub fn decode(
                operation: Option<Operation>,
                item: Ttlv,
                version: KmipVersion,
            ) -> Result<Self, Error> {
                expect_tag(&item, Tag::RESPONSE_PAYLOAD)?;
                let Some(operation) = operation.filter(|op| defined_in(*op, version)) else {
                    return Ok(ResponsePayload::Other(Ttlv::decode(item, version)?));
                };
                Ok(match operation {
                    $( Operation::$op => {
                        ResponsePayload::$variant(Box::new(<$resp as KmipCodec>::decode(item, version)?))
                    } )*
                    _ => ResponsePayload::Other(Ttlv::decode(item, version)?),
                })
            }

            /// Encodes as a Response Payload item.
            pub fn encode(&self, version: KmipVersion) -> Result<Ttlv, Error> {
                let tag = Tag::RESPONSE_PAYLOAD;
                check_operation(self.operation(), version)?;
                match self {
                    $( ResponsePayload::$variant(p) => p.encode(tag, version), )*
                    ResponsePayload::Other(t) => t.encode(tag, version),
                }
            }

            /// The operation of a typed payload; `None` for `Other`.
            pub fn operation(&self) -> Option<Operation> {
                match self {
                    $( ResponsePayload::$variant(_) => Some(Operation::$op), )*
                    ResponsePayload::Other(_) => None,
                }
            }
        }
    };
}

operations! {
    CREATE => Create(CreateRequest, CreateResponse),
    CREATE_KEY_PAIR => CreateKeyPair(CreateKeyPairRequest, CreateKeyPairResponse),
    REGISTER => Register(RegisterRequest, RegisterResponse),
    RE_KEY => ReKey(ReKeyRequest, ReKeyResponse),
    DERIVE_KEY => DeriveKey(DeriveKeyRequest, DeriveKeyResponse),
    CERTIFY => Certify(CertifyRequest, CertifyResponse),
    RE_CERTIFY => ReCertify(ReCertifyRequest, ReCertifyResponse),
    LOCATE => Locate(LocateRequest, LocateResponse),
    CHECK => Check(CheckRequest, CheckResponse),
    GET => Get(GetRequest, GetResponse),
    GET_ATTRIBUTES => GetAttributes(GetAttributesRequest, GetAttributesResponse),
    GET_ATTRIBUTE_LIST => GetAttributeList(GetAttributeListRequest, GetAttributeListResponse),
    ADD_ATTRIBUTE => AddAttribute(AddAttributeRequest, AddAttributeResponse),
    MODIFY_ATTRIBUTE => ModifyAttribute(ModifyAttributeRequest, ModifyAttributeResponse),
    DELETE_ATTRIBUTE => DeleteAttribute(DeleteAttributeRequest, DeleteAttributeResponse),
    OBTAIN_LEASE => ObtainLease(ObtainLeaseRequest, ObtainLeaseResponse),
    GET_USAGE_ALLOCATION => GetUsageAllocation(GetUsageAllocationRequest, GetUsageAllocationResponse),
    ACTIVATE => Activate(ActivateRequest, ActivateResponse),
    REVOKE => Revoke(RevokeRequest, RevokeResponse),
    DESTROY => Destroy(DestroyRequest, DestroyResponse),
    ARCHIVE => Archive(ArchiveRequest, ArchiveResponse),
    RECOVER => Recover(RecoverRequest, RecoverResponse),
    VALIDATE => Validate(ValidateRequest, ValidateResponse),
    QUERY => Query(QueryRequest, QueryResponse),
    CANCEL => Cancel(CancelRequest, CancelResponse),
    POLL => Poll(PollRequest, PollResponse),
    NOTIFY => Notify(NotifyRequest, NotifyResponse),
    PUT => Put(PutRequest, PutResponse),
    RE_KEY_KEY_PAIR => ReKeyKeyPair(ReKeyKeyPairRequest, ReKeyKeyPairResponse),
    DISCOVER_VERSIONS => DiscoverVersions(DiscoverVersionsRequest, DiscoverVersionsResponse),
    ENCRYPT => Encrypt(EncryptRequest, EncryptResponse),
    DECRYPT => Decrypt(DecryptRequest, DecryptResponse),
    SIGN => Sign(SignRequest, SignResponse),
    SIGNATURE_VERIFY => SignatureVerify(SignatureVerifyRequest, SignatureVerifyResponse),
    MAC => Mac(MacRequest, MacResponse),
    MAC_VERIFY => MacVerify(MacVerifyRequest, MacVerifyResponse),
    RNG_RETRIEVE => RngRetrieve(RngRetrieveRequest, RngRetrieveResponse),
    RNG_SEED => RngSeed(RngSeedRequest, RngSeedResponse),
    HASH => Hash(HashRequest, HashResponse),
    CREATE_SPLIT_KEY => CreateSplitKey(CreateSplitKeyRequest, CreateSplitKeyResponse),
    JOIN_SPLIT_KEY => JoinSplitKey(JoinSplitKeyRequest, JoinSplitKeyResponse),
    IMPORT => Import(ImportRequest, ImportResponse),
    EXPORT => Export(ExportRequest, ExportResponse),
    LOG => Log(LogRequest, LogResponse),
    LOGIN => Login(LoginRequest, LoginResponse),
    LOGOUT => Logout(LogoutRequest, LogoutResponse),
    DELEGATED_LOGIN => DelegatedLogin(DelegatedLoginRequest, DelegatedLoginResponse),
    ADJUST_ATTRIBUTE => AdjustAttribute(AdjustAttributeRequest, AdjustAttributeResponse),
    SET_ATTRIBUTE => SetAttribute(SetAttributeRequest, SetAttributeResponse),
    SET_ENDPOINT_ROLE => SetEndpointRole(SetEndpointRoleRequest, SetEndpointRoleResponse),
    PKCS_11 => Pkcs11(Pkcs11Request, Pkcs11Response),
    INTEROP => Interop(InteropRequest, InteropResponse),
    SET_CONSTRAINTS => SetConstraints(SetConstraintsRequest, SetConstraintsResponse),
    GET_CONSTRAINTS => GetConstraints(GetConstraintsRequest, GetConstraintsResponse),
}

#[cfg(test)]
mod tests;

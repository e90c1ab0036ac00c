//! Cancel and Poll (KMIP 1.4 §4.27–4.28, KMIP 2.0 §6.1): operations on a pending
//! asynchronous operation.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::CancellationResult;
use crate::codec::KmipCodec;
use crate::error::Error;

kmip_struct! {
    /// Cancel request; also the Poll request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CancelRequest {
        /// The pending operation, as its response named it.
        req asynchronous_correlation_value: Vec<u8> = ASYNCHRONOUS_CORRELATION_VALUE,
    }
}

kmip_struct! {
    /// Cancel response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct CancelResponse {
        /// The pending operation.
        req asynchronous_correlation_value: Vec<u8> = ASYNCHRONOUS_CORRELATION_VALUE,
        /// Whether it was cancelled.
        req cancellation_result: CancellationResult = CANCELLATION_RESULT,
    }
}

/// Poll request: asks for the outcome of a pending operation.
pub type PollRequest = CancelRequest;

/// Poll response.
///
/// The answer to a Poll is the pending operation's own response, normally under that
/// operation's name; when a server names it Poll instead, the payload is kept as sent,
/// since its layout is the pending operation's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PollResponse(pub Ttlv);

impl KmipCodec for PollResponse {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        Ttlv::decode(item, version).map(PollResponse)
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        self.0.encode(tag, version)
    }
}

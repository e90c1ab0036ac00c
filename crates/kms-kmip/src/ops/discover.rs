//! Discover Versions (KMIP 1.4 §4.26): the protocol versions both sides speak.

use kmip_types::payloads::DiscoverVersionsResponse;
use kmip_types::{ProtocolVersion, RequestPayload, ResponsePayload, ResultReason};

use crate::dispatch::{SUPPORTED_VERSIONS, supports};
use crate::{KmipError, OpContext};

/// Answers with the client's versions that the server speaks, in the client's order; with
/// all of the server's, most preferred first, when the client lists none (KMIP 1.4 §4.26).
///
/// The answer is written in whatever (supported) version the request header used:
/// OVHcloud's client asks in a 1.1 header and adopts the first version of the answer.
pub(crate) fn execute(
    _ctx: &OpContext,
    payload: RequestPayload,
) -> Result<ResponsePayload, KmipError> {
    let RequestPayload::DiscoverVersions(request) = payload else {
        return Err(KmipError::new(
            ResultReason::INVALID_MESSAGE,
            "the payload is not a Discover Versions request",
        ));
    };
    Ok(ResponsePayload::DiscoverVersions(Box::new(
        DiscoverVersionsResponse {
            protocol_versions: negotiate(&request.protocol_versions),
        },
    )))
}

/// The intersection of the client's list with [`SUPPORTED_VERSIONS`], in the client's order.
fn negotiate(client: &[ProtocolVersion]) -> Vec<ProtocolVersion> {
    if client.is_empty() {
        return SUPPORTED_VERSIONS
            .iter()
            .map(|v| ProtocolVersion::of(*v))
            .collect();
    }
    let mut out: Vec<ProtocolVersion> = Vec::new();
    for version in client {
        if version.known().is_some_and(supports) && !out.contains(version) {
            out.push(*version);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pv(major: i32, minor: i32) -> ProtocolVersion {
        ProtocolVersion { major, minor }
    }

    #[test]
    fn an_empty_list_gets_every_supported_version_newest_first() {
        assert_eq!(
            negotiate(&[]),
            vec![pv(1, 4), pv(1, 3), pv(1, 2), pv(1, 1), pv(1, 0)]
        );
    }

    #[test]
    fn keeps_the_clients_order_and_drops_what_we_do_not_speak() {
        let client = [pv(2, 1), pv(1, 0), pv(1, 4), pv(9, 9), pv(2, 0), pv(1, 4)];
        assert_eq!(negotiate(&client), vec![pv(1, 0), pv(1, 4)]);
        assert!(negotiate(&[pv(2, 0)]).is_empty());
    }
}

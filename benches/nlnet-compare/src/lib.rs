//! The benchmark messages as serde types for NLnet Labs' `kmip-ttlv` deserializer,
//! which maps TTLV onto structs by tag (`#[serde(rename = "0x42007B")]`) and picks
//! enumeration variants by value (KMIP 1.4 tags and values).

use serde::Deserialize;

/// The messages both codecs decode, built once with this workspace's encoder.
#[path = "../../../crates/kmip-ttlv/benches/messages/mod.rs"]
pub mod messages;

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename = "0x420069")]
pub struct ProtocolVersion {
    #[serde(rename = "0x42006A")]
    pub major: i32,
    #[serde(rename = "0x42006B")]
    pub minor: i32,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename = "0x42005C")]
pub enum Operation {
    #[serde(rename = "0x00000008")]
    Locate,
    #[serde(rename = "0x0000000A")]
    Get,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename = "0x42007F")]
pub enum ResultStatus {
    #[serde(rename = "0x00000000")]
    Success,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum ObjectType {
    #[serde(rename = "0x00000002")]
    SymmetricKey,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum KeyFormatType {
    #[serde(rename = "0x00000001")]
    Raw,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum CryptographicAlgorithm {
    #[serde(rename = "0x00000003")]
    Aes,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum State {
    #[serde(rename = "0x00000002")]
    Active,
}

#[derive(Debug, Deserialize, PartialEq, Eq)]
pub enum NameType {
    #[serde(rename = "0x00000001")]
    UninterpretedTextString,
}

// --- Get response ---------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42007B")]
pub struct ResponseMessage {
    pub header: ResponseHeader,
    pub items: Vec<ResponseBatchItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42007A")]
pub struct ResponseHeader {
    pub version: ProtocolVersion,
    #[serde(rename = "0x420092")]
    pub time_stamp: i64,
    #[serde(rename = "0x42000D")]
    pub batch_count: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42000F")]
pub struct ResponseBatchItem {
    pub operation: Operation,
    pub status: ResultStatus,
    pub payload: GetResponsePayload,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42007C")]
pub struct GetResponsePayload {
    #[serde(rename = "0x420057")]
    pub object_type: ObjectType,
    #[serde(rename = "0x420094")]
    pub unique_identifier: String,
    pub symmetric_key: SymmetricKey,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42008F")]
pub struct SymmetricKey {
    pub key_block: KeyBlock,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420040")]
pub struct KeyBlock {
    #[serde(rename = "0x420042")]
    pub key_format_type: KeyFormatType,
    pub key_value: KeyValue,
    #[serde(rename = "0x420028")]
    pub cryptographic_algorithm: CryptographicAlgorithm,
    #[serde(rename = "0x42002A")]
    pub cryptographic_length: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420045")]
pub struct KeyValue {
    #[serde(rename = "0x420043", with = "serde_bytes")]
    pub key_material: Vec<u8>,
}

// --- Requests -------------------------------------------------------------------------

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420077")]
pub struct RequestHeader {
    pub version: ProtocolVersion,
    #[serde(rename = "0x42000D")]
    pub batch_count: i32,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420078")]
pub struct LocateRequestMessage {
    pub header: RequestHeader,
    pub items: Vec<LocateBatchItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42000F")]
pub struct LocateBatchItem {
    pub operation: Operation,
    pub payload: LocateRequestPayload,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420079")]
pub struct LocateRequestPayload {
    #[serde(rename = "0x42004F")]
    pub maximum_items: i32,
    pub attributes: Vec<Attribute>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420008")]
pub struct Attribute {
    #[serde(rename = "0x42000A")]
    pub name: String,
    pub value: AttributeValue,
}

/// The value's type follows from the attribute name read just before it.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename = "0x42000B")]
pub enum AttributeValue {
    #[serde(rename = "if 0x42000A==Object Type")]
    ObjectType(ObjectType),
    #[serde(rename = "if 0x42000A==Cryptographic Algorithm")]
    CryptographicAlgorithm(CryptographicAlgorithm),
    #[serde(rename = "if 0x42000A==Cryptographic Length")]
    CryptographicLength(i32),
    #[serde(rename = "if 0x42000A==State")]
    State(State),
    #[serde(rename = "if 0x42000A==Name")]
    Name(Name),
}

/// The Name attribute's structure value.
#[derive(Debug, Deserialize, PartialEq, Eq)]
#[serde(rename = "0x42000B")]
pub struct Name {
    #[serde(rename = "0x420055")]
    pub value: String,
    #[serde(rename = "0x420054")]
    pub name_type: NameType,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420078")]
pub struct GetBatchRequestMessage {
    pub header: RequestHeader,
    pub items: Vec<GetBatchItem>,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x42000F")]
pub struct GetBatchItem {
    pub operation: Operation,
    #[serde(rename = "0x420093", with = "serde_bytes")]
    pub unique_batch_item_id: Vec<u8>,
    pub payload: GetRequestPayload,
}

#[derive(Debug, Deserialize)]
#[serde(rename = "0x420079")]
pub struct GetRequestPayload {
    #[serde(rename = "0x420094")]
    pub unique_identifier: String,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;
    use crate::messages;

    #[test]
    fn decodes_the_get_response() {
        let bytes = messages::get_response_aes256().to_bytes().unwrap();
        let m: ResponseMessage = nlnet_kmip_ttlv::de::from_slice(&bytes).unwrap();
        assert_eq!(m.header.version, ProtocolVersion { major: 1, minor: 4 });
        assert_eq!(m.items.len(), 1);
        assert_eq!(m.items[0].operation, Operation::Get);
        assert_eq!(m.items[0].payload.unique_identifier, messages::KEY_ID);
        let key = &m.items[0].payload.symmetric_key.key_block;
        assert_eq!(key.key_value.key_material, messages::AES_256_KEY);
        assert_eq!(key.cryptographic_length, 256);
        assert_eq!(m.header.time_stamp, messages::TIME_STAMP);
    }

    #[test]
    fn decodes_the_locate_request() {
        let bytes = messages::locate_request().to_bytes().unwrap();
        let m: LocateRequestMessage = nlnet_kmip_ttlv::de::from_slice(&bytes).unwrap();
        assert_eq!(m.items[0].operation, Operation::Locate);
        assert_eq!(m.items[0].payload.maximum_items, 10);
        let values: Vec<&AttributeValue> = m.items[0]
            .payload
            .attributes
            .iter()
            .map(|a| &a.value)
            .collect();
        assert_eq!(
            values,
            [
                &AttributeValue::ObjectType(ObjectType::SymmetricKey),
                &AttributeValue::CryptographicAlgorithm(CryptographicAlgorithm::Aes),
                &AttributeValue::CryptographicLength(256),
                &AttributeValue::State(State::Active),
                &AttributeValue::Name(Name {
                    value: "backup-volume-key".to_owned(),
                    name_type: NameType::UninterpretedTextString,
                }),
            ]
        );
    }

    #[test]
    fn decodes_the_get_batch() {
        let bytes = messages::get_batch_request(10).to_bytes().unwrap();
        let m: GetBatchRequestMessage = nlnet_kmip_ttlv::de::from_slice(&bytes).unwrap();
        assert_eq!(m.header.batch_count, 10);
        for (i, item) in m.items.iter().enumerate() {
            assert_eq!(item.operation, Operation::Get);
            assert_eq!(item.unique_batch_item_id, (i as u32).to_be_bytes());
            assert_eq!(item.payload.unique_identifier, messages::batch_key_id(i));
        }
        assert_eq!(m.items.len(), 10);
    }
}

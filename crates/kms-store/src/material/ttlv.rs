//! The TTLV Encoding option of key wrapping (KMIP 1.4 §2.1.5): a Key Value structure as
//! the bytes to wrap, and back.
//!
//! The TTLV trees built on the way hold copies of key material in plain vectors; they
//! are wiped before they are dropped, and the encoding is returned in a zeroizing
//! buffer.

use kmip_ttlv::{KmipVersion, Limits, Tag, Ttlv, Value};
use kmip_types::{KeyBlock, KeyFormatType, KeyMaterial, KeyValue, KmipCodec};
use zeroize::{Zeroize, Zeroizing};

use super::algorithms::invalid;
use crate::error::Result;

/// The version the Key Value is encoded in. The Key Material structures are the same in
/// every version that defines them, and KMIP 1.4 defines them all (the transparent EC
/// keys of 1.3 and the ECDSA, ECDH and ECMQV ones that 2.0 dropped).
const VERSION: KmipVersion = KmipVersion::V1_4;

/// The TTLV encoding of a Key Value structure holding `material` and no attributes.
pub(crate) fn encode_key_value(material: &KeyMaterial) -> Result<Zeroizing<Vec<u8>>> {
    let material = material
        .encode(Tag::KEY_MATERIAL, VERSION)
        .map_err(|_| invalid("Key Material", "cannot be TTLV-encoded"))?;
    let value = Ttlv::structure(Tag::KEY_VALUE, vec![material]);
    // Sized up front: a reallocation would leave a copy of the key behind.
    let mut out = Zeroizing::new(Vec::with_capacity(value.encoded_len()));
    let encoded = value.encode_into(&mut out);
    wipe(value);
    encoded.map_err(|_| invalid("Key Material", "cannot be TTLV-encoded"))?;
    Ok(out)
}

/// The Key Value structure encoded in `bytes`, its Key Material read as `format`
/// (KMIP 1.x Attribute fields included).
pub(crate) fn decode_key_value(bytes: &[u8], format: KeyFormatType) -> Result<KeyValue> {
    let malformed = || invalid("Key Value", "the unwrapped bytes are not a TTLV Key Value");
    let item = kmip_ttlv::decode(bytes, &Limits::DEFAULT).map_err(|_| malformed())?;
    if item.tag != Tag::KEY_VALUE {
        wipe(item);
        return Err(malformed());
    }
    // Read through the Key Block decoder, the one place that types Key Material by its
    // format. It moves the secrets into zeroizing fields; on a decode error what it had
    // not yet moved is dropped unwiped, but that is only malformed input.
    let block = Ttlv::structure(
        Tag::KEY_BLOCK,
        vec![
            Ttlv::new(Tag::KEY_FORMAT_TYPE, Value::Enumeration(format.0)),
            item,
        ],
    );
    KeyBlock::decode(block, VERSION)
        .ok()
        .and_then(|mut block| block.key_value.take())
        .ok_or_else(malformed)
}

/// True when `bytes` start like a TTLV Key Value structure.
pub(crate) fn looks_like_key_value(bytes: &[u8]) -> bool {
    bytes.get(..4) == Some(&[0x42, 0x00, 0x45, 0x01][..])
}

/// Zeroes every Byte String, Big Integer and Text String of `item`.
fn wipe(item: Ttlv) {
    match item.value {
        Value::Structure(children) => children.into_iter().for_each(wipe),
        Value::ByteString(mut bytes) => bytes.zeroize(),
        Value::BigInteger(integer) => integer.into_wire_bytes().zeroize(),
        Value::TextString(mut text) => text.zeroize(),
        _ => {}
    }
}

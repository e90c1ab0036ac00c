//! Strict base64url without padding (RFC 7515 §2, RFC 4648 §5): padding, the standard
//! alphabet, whitespace and non-canonical trailing bits are all refused, so every value
//! has exactly one accepted encoding.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use zeroize::Zeroizing;

/// The encoding of `bytes`.
pub(crate) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// The encoding of secret `bytes`, wiped when dropped.
pub(crate) fn encode_secret(bytes: &[u8]) -> Zeroizing<String> {
    let mut out = Zeroizing::new(String::with_capacity(encoded_len(bytes.len())));
    URL_SAFE_NO_PAD.encode_string(bytes, &mut out);
    out
}

/// Exact length of the unpadded encoding of `len` octets.
pub(crate) fn encoded_len(len: usize) -> usize {
    len / 3 * 4
        + match len % 3 {
            0 => 0,
            1 => 2,
            _ => 3,
        }
}

/// Decodes `text`, or `None` when it is not canonical unpadded base64url.
pub(crate) fn decode(text: &str) -> Option<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(text).ok()
}

/// Decodes secret `text` into a buffer that is wiped when dropped (no intermediate copy).
pub(crate) fn decode_secret(text: &str) -> Option<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(vec![0u8; base64::decoded_len_estimate(text.len())]);
    let written = URL_SAFE_NO_PAD.decode_slice(text, &mut out).ok()?;
    out.truncate(written);
    Some(out)
}

/// True when `text` is canonical standard base64 with padding (RFC 4648 §4), the encoding
/// of `x5c` certificates (RFC 7517 §4.7).
pub(crate) fn is_standard_padded(text: &str) -> bool {
    !text.is_empty() && STANDARD.decode(text).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for len in 0..40 {
            let bytes: Vec<u8> = (0..len).map(|i| (i * 37 + 11) as u8).collect();
            let text = encode(&bytes);
            assert_eq!(text.len(), encoded_len(len));
            assert_eq!(decode(&text).unwrap(), bytes);
            assert_eq!(*decode_secret(&text).unwrap(), bytes);
            assert_eq!(*encode_secret(&bytes), text);
        }
    }

    #[test]
    fn rejects_padding_standard_alphabet_and_trailing_bits() {
        assert_eq!(decode("AQAB").unwrap(), vec![1, 0, 1]);
        assert!(decode("AQ==").is_none());
        assert!(decode("AQ").is_some());
        assert!(decode("+/8").is_none());
        assert!(decode("-_8").is_some());
        assert!(decode("AR").is_none(), "non-zero trailing bits");
        assert!(decode("AQ AB").is_none());
        assert!(decode("A").is_none());
        assert!(decode_secret("AQ==").is_none());
    }

    #[test]
    fn x5c_is_standard_base64() {
        assert!(is_standard_padded("AQ=="));
        assert!(!is_standard_padded("AQ"));
        assert!(!is_standard_padded("-_8="));
        assert!(!is_standard_padded(""));
    }
}

//! Streamed (multi-part) Encrypt and Decrypt in CBC and ECB (KMIP 1.4 §4.29, §4.30 with
//! Init and Final Indicators).
//!
//! Each part's whole blocks go through the crypto core's one-shot CBC/ECB functions
//! unpadded, CBC chaining from the last ciphertext block of the previous part (SP
//! 800-38A: CBC over a message split at block boundaries is CBC over each piece with
//! the previous ciphertext block as IV). The bytes short of a block wait for the next
//! part; the last part is padded as the single-part operation pads. A padded
//! decryption keeps back its last whole block until the last part, which holds the
//! padding. So the output of a stream is the output of the single-part operation, part
//! by part, as OASIS TC-STREAM-ENC and TC-STREAM-ENCDEC expect.
//!
//! GCM is not streamed: the crypto core's AEAD seals and opens whole messages only.

use kmip_types::{BlockCipherMode, CryptographicAlgorithm, CryptographicParameters};
use kms_crypto::legacy::{self, BlockKey, Padding};
use std::sync::Arc;

use kms_crypto::{Secret, rng};
use zeroize::Zeroizing;

use super::cipher::{block_padding, check_algorithm, no_aad, no_iv_or_aad, no_iv_with_random_iv};
use super::crypto_error;
use super::usable::UsableKey;
use crate::error::{Result, StoreError};

/// The key of a block stream, an AES or Triple DES key ([`block_key`] admits no other),
/// shared with the store's key cache, and its block length.
#[derive(Debug)]
struct StreamKey {
    key: Arc<UsableKey>,
    block_len: usize,
}

/// Which way a [`BlockStream`] runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Direction {
    Encrypt,
    Decrypt,
}

/// An open CBC or ECB encryption or decryption. Its key, chaining block and pending
/// bytes are zeroized on drop, and redacted in `Debug`.
pub struct BlockStream {
    key: StreamKey,
    direction: Direction,
    padding: Padding,
    /// The next IV in CBC (the last ciphertext block so far); `None` in ECB.
    chain: Option<Zeroizing<Vec<u8>>>,
    /// Input not yet processed: less than a block, or the block kept back.
    pending: Zeroizing<Vec<u8>>,
}

/// A started encryption stream and the IV the server generated, if any.
#[derive(Debug)]
pub struct StartedEncryption {
    /// The stream.
    pub stream: BlockStream,
    /// The random CBC IV drawn because the client gave none; the client needs it.
    pub generated_iv: Option<Vec<u8>>,
}

/// Starts a streamed encryption with `key` under `params` (the defaults of
/// [`encrypt`](super::encrypt): Triple DES CBC; AES GCM, which is not streamed and so
/// is [`StoreError::NotSupported`]).
pub fn encrypt_stream(
    key: Arc<UsableKey>,
    params: Option<&CryptographicParameters>,
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<StartedEncryption> {
    let (key, mode, padding) = block_key(key, params, iv, "Encrypt")?;
    no_aad(aad)?;
    let (chain, generated_iv) = match mode {
        BlockCipherMode::ECB => {
            no_iv_or_aad(iv, aad)?;
            (None, None)
        }
        _ => match iv {
            Some(iv) => (Some(checked_iv(&key, iv)?), None),
            None => {
                let iv = rng::random_bytes(key.block_len())
                    .map_err(crypto_error)?
                    .into_zeroizing();
                let generated = iv.to_vec();
                (Some(iv), Some(generated))
            }
        },
    };
    Ok(StartedEncryption {
        stream: BlockStream::new(key, Direction::Encrypt, padding, chain),
        generated_iv,
    })
}

/// Starts a streamed decryption with `key` under `params`; CBC needs the IV.
pub fn decrypt_stream(
    key: Arc<UsableKey>,
    params: Option<&CryptographicParameters>,
    iv: Option<&[u8]>,
    aad: Option<&[u8]>,
) -> Result<BlockStream> {
    let (key, mode, padding) = block_key(key, params, None, "Decrypt")?;
    no_aad(aad)?;
    let chain = match mode {
        BlockCipherMode::ECB => {
            no_iv_or_aad(iv, aad)?;
            None
        }
        _ => {
            let iv =
                iv.ok_or_else(|| StoreError::IncompleteRequest("IV/Counter/Nonce".to_owned()))?;
            Some(checked_iv(&key, iv)?)
        }
    };
    Ok(BlockStream::new(key, Direction::Decrypt, padding, chain))
}

impl std::fmt::Debug for BlockStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BlockStream")
            .field("direction", &self.direction)
            .field("padding", &self.padding)
            .field("cbc", &self.chain.is_some())
            .field("pending_len", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl BlockStream {
    fn new(
        key: StreamKey,
        direction: Direction,
        padding: Padding,
        chain: Option<Zeroizing<Vec<u8>>>,
    ) -> Self {
        BlockStream {
            key,
            direction,
            padding,
            chain,
            pending: Zeroizing::new(Vec::new()),
        }
    }

    /// Bytes held back, waiting for more input.
    pub fn pending_len(&self) -> usize {
        self.pending.len()
    }

    /// Takes one part and returns the output it completes (possibly nothing).
    pub fn update(&mut self, data: &[u8]) -> Result<Secret> {
        self.pending.extend_from_slice(data);
        let block = self.key.block_len();
        let ready = match (self.direction, self.padding) {
            // The last whole block may be all padding: keep it for the last part.
            (Direction::Decrypt, Padding::Pkcs7) => {
                self.pending.len().saturating_sub(1) / block * block
            }
            _ => self.pending.len() / block * block,
        };
        self.process(ready, Padding::None)
    }

    /// Takes the last part and returns the rest of the output, padding applied or
    /// removed. Bytes short of a block without padding are an error.
    pub fn finish(mut self, data: &[u8]) -> Result<Secret> {
        self.pending.extend_from_slice(data);
        let all = self.pending.len();
        if all == 0 && !(self.direction == Direction::Encrypt && self.padding == Padding::Pkcs7) {
            return Ok(Secret::new(Vec::new()));
        }
        let padding = self.padding;
        self.process(all, padding)
    }

    /// Runs the first `len` pending bytes through the cipher.
    fn process(&mut self, len: usize, padding: Padding) -> Result<Secret> {
        if len == 0 && padding == Padding::None {
            return Ok(Secret::new(Vec::new()));
        }
        let input: Zeroizing<Vec<u8>> = Zeroizing::new(self.pending.drain(..len).collect());
        let chain = self.chain.as_ref().map(|c| c.as_slice());
        let out = match &*self.key.key {
            UsableKey::Aes(k) => run(k, self.direction, padding, chain, &input),
            UsableKey::Tdes(k) => run(k, self.direction, padding, chain, &input),
            other => Err(StoreError::NotSupported(format!(
                "streamed cipher with {}",
                other.describe()
            ))),
        }?;
        if let Some(chain) = self.chain.as_mut() {
            let last_cipher_block = match self.direction {
                Direction::Encrypt => out.expose(),
                Direction::Decrypt => input.as_slice(),
            };
            let block = self.key.block_len();
            if let Some(start) = last_cipher_block.len().checked_sub(block) {
                chain.clear();
                chain.extend_from_slice(last_cipher_block.get(start..).unwrap_or_default());
            }
        }
        Ok(out)
    }
}

fn run<K: BlockKey>(
    key: &K,
    direction: Direction,
    padding: Padding,
    chain: Option<&[u8]>,
    input: &[u8],
) -> Result<Secret> {
    match (direction, chain) {
        (Direction::Encrypt, Some(iv)) => {
            legacy::cbc_encrypt_with_caller_iv(key, iv, padding, input).map(Secret::new)
        }
        (Direction::Encrypt, None) => legacy::ecb_encrypt(key, padding, input).map(Secret::new),
        (Direction::Decrypt, Some(iv)) => legacy::cbc_decrypt(key, iv, padding, input),
        (Direction::Decrypt, None) => legacy::ecb_decrypt(key, padding, input),
    }
    .map_err(crypto_error)
}

impl StreamKey {
    fn block_len(&self) -> usize {
        self.block_len
    }
}

/// The block key, mode and padding of a stream, refusing what cannot stream.
fn block_key(
    key: Arc<UsableKey>,
    params: Option<&CryptographicParameters>,
    iv: Option<&[u8]>,
    operation: &str,
) -> Result<(StreamKey, BlockCipherMode, Padding)> {
    let default = CryptographicParameters::default();
    let params = params.unwrap_or(&default);
    no_iv_with_random_iv(params, iv)?;
    let (block_len, mode) = match &*key {
        UsableKey::Aes(k) => {
            check_algorithm(params, CryptographicAlgorithm::AES)?;
            (
                k.block_len(),
                params.block_cipher_mode.unwrap_or(BlockCipherMode::GCM),
            )
        }
        UsableKey::Tdes(k) => {
            check_algorithm(params, CryptographicAlgorithm::DES3)?;
            (
                k.block_len(),
                params.block_cipher_mode.unwrap_or(BlockCipherMode::CBC),
            )
        }
        other => {
            return Err(StoreError::NotSupported(format!(
                "streamed {operation} with {}",
                other.describe()
            )));
        }
    };
    match mode {
        BlockCipherMode::CBC | BlockCipherMode::ECB => {
            Ok((StreamKey { key, block_len }, mode, block_padding(params)?))
        }
        other => Err(StoreError::NotSupported(format!(
            "streamed {operation} in Block Cipher Mode {other:?} (CBC and ECB stream)"
        ))),
    }
}

fn checked_iv(key: &StreamKey, iv: &[u8]) -> Result<Zeroizing<Vec<u8>>> {
    if iv.len() == key.block_len() {
        Ok(Zeroizing::new(iv.to_vec()))
    } else {
        Err(StoreError::InvalidField(
            "IV/Counter/Nonce: a CBC IV is one block".to_owned(),
        ))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use kmip_types::PaddingMethod;

    use super::*;
    use crate::material::{decrypt, encrypt};

    fn aes() -> Arc<UsableKey> {
        Arc::new(UsableKey::Aes(
            kms_crypto::AesKey::from_slice(&[0x42; 16]).unwrap(),
        ))
    }

    fn cbc_pkcs5() -> CryptographicParameters {
        CryptographicParameters {
            block_cipher_mode: Some(BlockCipherMode::CBC),
            padding_method: Some(PaddingMethod::PKCS5),
            ..CryptographicParameters::default()
        }
    }

    #[test]
    fn parts_of_any_size_give_the_single_part_output() {
        let params = cbc_pkcs5();
        let iv = [7u8; 16];
        let data: Vec<u8> = (0..=70u8).collect();
        let whole = encrypt(&aes(), Some(&params), &data, Some(&iv), None).unwrap();
        for split in [1usize, 5, 16, 17, 33] {
            let mut s = encrypt_stream(aes(), Some(&params), Some(&iv), None)
                .unwrap()
                .stream;
            let mut out = Vec::new();
            let chunks: Vec<&[u8]> = data.chunks(split).collect();
            let (last, rest) = chunks.split_last().unwrap();
            for chunk in rest {
                out.extend_from_slice(s.update(chunk).unwrap().expose());
            }
            out.extend_from_slice(s.finish(last).unwrap().expose());
            assert_eq!(out, whole.data, "split {split}");

            let mut d = decrypt_stream(aes(), Some(&params), Some(&iv), None).unwrap();
            let mut plain = Vec::new();
            for chunk in whole.data.chunks(split) {
                plain.extend_from_slice(d.update(chunk).unwrap().expose());
            }
            plain.extend_from_slice(d.finish(&[]).unwrap().expose());
            assert_eq!(plain, data, "split {split}");
        }
        let single = decrypt(&aes(), Some(&params), &whole.data, Some(&iv), None, None).unwrap();
        assert_eq!(single.expose(), data.as_slice());
    }

    #[test]
    fn gcm_and_unpadded_leftovers_are_refused() {
        assert!(matches!(
            encrypt_stream(aes(), None, None, None),
            Err(StoreError::NotSupported(_))
        ));
        let ecb = CryptographicParameters {
            block_cipher_mode: Some(BlockCipherMode::ECB),
            ..CryptographicParameters::default()
        };
        let s = encrypt_stream(aes(), Some(&ecb), None, None)
            .unwrap()
            .stream;
        assert!(s.finish(&[1, 2, 3]).is_err());
    }
}

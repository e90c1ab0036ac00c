//! RNG Retrieve and RNG Seed (KMIP 1.4 §4.35–4.36, KMIP 2.0 §6.1): the server's random
//! number generator.
//!
//! The random bytes and the seed are [`SecretBytes`]: they may become key material.

use crate::secret::SecretBytes;

kmip_struct! {
    /// RNG Retrieve request.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RngRetrieveRequest {
        /// How many random bytes.
        req data_length: i32 = DATA_LENGTH,
    }
}

kmip_struct! {
    /// RNG Retrieve response.
    #[derive(Debug, PartialEq, Eq)]
    pub struct RngRetrieveResponse {
        /// The random bytes.
        req data: SecretBytes = DATA,
    }
}

kmip_struct! {
    /// RNG Seed request.
    #[derive(Debug, PartialEq, Eq)]
    pub struct RngSeedRequest {
        /// Entropy for the generator.
        req data: SecretBytes = DATA,
    }
}

kmip_struct! {
    /// RNG Seed response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct RngSeedResponse {
        /// How many of the bytes the server used.
        req data_length: i32 = DATA_LENGTH,
    }
}

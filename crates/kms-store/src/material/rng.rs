//! The one description of the generator every key and random byte comes from.

use kmip_types::RNGAlgorithm;
use kmip_types::attributes::RngParameters;

/// The server's random number generator as KMIP names it: the operating system's
/// (`getrandom(2)` on Linux, through ring's `SystemRandom` and kms-crypto's RNG), which is
/// none of the RNG Algorithms KMIP 1.4 §3.44 names (FIPS 186-2, DRBG, NRBG, ANSI X9.31,
/// ANSI X9.62), hence Unspecified. Query's RNG Parameters and the Random Number
/// Generator attribute of every server-generated key both say this.
pub fn server_rng() -> RngParameters {
    RngParameters {
        rng_algorithm: RNGAlgorithm::UNSPECIFIED,
        cryptographic_algorithm: None,
        cryptographic_length: None,
        hashing_algorithm: None,
        drbg_algorithm: None,
        recommended_curve: None,
        fips186_variation: None,
        prediction_resistance: None,
    }
}

//! Transparent key structures (KMIP 1.4 §2.1.7, KMIP 2.0 §2.1.7): key material as its
//! mathematical components. Private components are [`SecretBigInteger`]s; the structures
//! that hold one are not `Clone` and offer an explicit `duplicate()`.

use kmip_ttlv::BigInteger;

use crate::RecommendedCurve;
use crate::secret::{SecretBigInteger, SecretBytes, ct_eq_optional};

kmip_struct! {
    /// Transparent Symmetric Key (KMIP 1.4 §2.1.7.1).
    #[derive(Debug, PartialEq, Eq)]
    pub struct TransparentSymmetricKey {
        /// The key.
        req key: SecretBytes = KEY,
    }
}

impl TransparentSymmetricKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        TransparentSymmetricKey {
            key: self.key.duplicate(),
        }
    }
}

kmip_struct! {
    /// Transparent DSA Private Key (KMIP 1.4 §2.1.7.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct TransparentDsaPrivateKey {
        /// Prime modulus.
        req p: BigInteger = P,
        /// Prime divisor of P-1.
        req q: BigInteger = Q,
        /// Generator.
        req g: BigInteger = G,
        /// Private key.
        req x: SecretBigInteger = X,
    }
}

impl TransparentDsaPrivateKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        TransparentDsaPrivateKey {
            p: self.p.clone(),
            q: self.q.clone(),
            g: self.g.clone(),
            x: self.x.duplicate(),
        }
    }
}

kmip_struct! {
    /// Transparent DSA Public Key (KMIP 1.4 §2.1.7.3).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TransparentDsaPublicKey {
        /// Prime modulus.
        req p: BigInteger = P,
        /// Prime divisor of P-1.
        req q: BigInteger = Q,
        /// Generator.
        req g: BigInteger = G,
        /// Public key.
        req y: BigInteger = Y,
    }
}

kmip_struct! {
    /// Transparent RSA Private Key (KMIP 1.4 §2.1.7.4): the modulus and either the
    /// private exponent or the CRT components (or both).
    #[derive(Debug)]
    pub struct TransparentRsaPrivateKey {
        /// Modulus.
        req modulus: BigInteger = MODULUS,
        /// Private exponent.
        opt private_exponent: SecretBigInteger = PRIVATE_EXPONENT,
        /// Public exponent.
        opt public_exponent: BigInteger = PUBLIC_EXPONENT,
        /// First prime factor.
        opt p: SecretBigInteger = P,
        /// Second prime factor.
        opt q: SecretBigInteger = Q,
        /// d mod (p-1).
        opt prime_exponent_p: SecretBigInteger = PRIME_EXPONENT_P,
        /// d mod (q-1).
        opt prime_exponent_q: SecretBigInteger = PRIME_EXPONENT_Q,
        /// q⁻¹ mod p.
        opt crt_coefficient: SecretBigInteger = CRT_COEFFICIENT,
    }
}

/// Compares every private component, in constant time and without stopping at the
/// first that differs, so the time taken does not tell which one it was.
impl PartialEq for TransparentRsaPrivateKey {
    fn eq(&self, other: &Self) -> bool {
        let secrets = [
            (&self.private_exponent, &other.private_exponent),
            (&self.p, &other.p),
            (&self.q, &other.q),
            (&self.prime_exponent_p, &other.prime_exponent_p),
            (&self.prime_exponent_q, &other.prime_exponent_q),
            (&self.crt_coefficient, &other.crt_coefficient),
        ];
        let same_secrets = secrets
            .iter()
            .fold(subtle::Choice::from(1), |same, (a, b)| {
                same & ct_eq_optional(a.as_ref(), b.as_ref())
            });
        self.modulus == other.modulus
            && self.public_exponent == other.public_exponent
            && bool::from(same_secrets)
    }
}

impl Eq for TransparentRsaPrivateKey {}

impl TransparentRsaPrivateKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        TransparentRsaPrivateKey {
            modulus: self.modulus.clone(),
            private_exponent: self
                .private_exponent
                .as_ref()
                .map(SecretBigInteger::duplicate),
            public_exponent: self.public_exponent.clone(),
            p: self.p.as_ref().map(SecretBigInteger::duplicate),
            q: self.q.as_ref().map(SecretBigInteger::duplicate),
            prime_exponent_p: self
                .prime_exponent_p
                .as_ref()
                .map(SecretBigInteger::duplicate),
            prime_exponent_q: self
                .prime_exponent_q
                .as_ref()
                .map(SecretBigInteger::duplicate),
            crt_coefficient: self
                .crt_coefficient
                .as_ref()
                .map(SecretBigInteger::duplicate),
        }
    }
}

kmip_struct! {
    /// Transparent RSA Public Key (KMIP 1.4 §2.1.7.5).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TransparentRsaPublicKey {
        /// Modulus.
        req modulus: BigInteger = MODULUS,
        /// Public exponent.
        req public_exponent: BigInteger = PUBLIC_EXPONENT,
    }
}

kmip_struct! {
    /// Transparent DH Private Key (KMIP 1.4 §2.1.7.6).
    #[derive(Debug, PartialEq, Eq)]
    pub struct TransparentDhPrivateKey {
        /// Prime modulus.
        req p: BigInteger = P,
        /// Prime order of the subgroup.
        opt q: BigInteger = Q,
        /// Generator.
        req g: BigInteger = G,
        /// (P-1)/Q.
        opt j: BigInteger = J,
        /// Private key.
        req x: SecretBigInteger = X,
    }
}

impl TransparentDhPrivateKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        TransparentDhPrivateKey {
            p: self.p.clone(),
            q: self.q.clone(),
            g: self.g.clone(),
            j: self.j.clone(),
            x: self.x.duplicate(),
        }
    }
}

kmip_struct! {
    /// Transparent DH Public Key (KMIP 1.4 §2.1.7.7).
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TransparentDhPublicKey {
        /// Prime modulus.
        req p: BigInteger = P,
        /// Prime order of the subgroup.
        opt q: BigInteger = Q,
        /// Generator.
        req g: BigInteger = G,
        /// (P-1)/Q.
        opt j: BigInteger = J,
        /// Public key.
        req y: BigInteger = Y,
    }
}

kmip_struct! {
    /// Transparent EC Private Key (KMIP 1.4 §2.1.7.14), and the KMIP 1.x ECDSA, ECDH and
    /// ECMQV private keys, which have the same fields.
    #[derive(Debug, PartialEq, Eq)]
    pub struct TransparentEcPrivateKey {
        /// The curve.
        req recommended_curve: RecommendedCurve = RECOMMENDED_CURVE,
        /// Private scalar.
        req d: SecretBigInteger = D,
    }
}

impl TransparentEcPrivateKey {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        TransparentEcPrivateKey {
            recommended_curve: self.recommended_curve,
            d: self.d.duplicate(),
        }
    }
}

kmip_struct! {
    /// Transparent EC Public Key (KMIP 1.4 §2.1.7.15), and the KMIP 1.x ECDSA, ECDH and
    /// ECMQV public keys, which have the same fields.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct TransparentEcPublicKey {
        /// The curve.
        req recommended_curve: RecommendedCurve = RECOMMENDED_CURVE,
        /// Public point, as an octet string.
        req q_string: Vec<u8> = Q_STRING,
    }
}

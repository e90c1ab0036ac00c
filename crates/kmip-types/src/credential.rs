//! Authentication and credentials (KMIP 1.4 §2.1.2, §6.6; KMIP 2.0 §2.1.2).

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::{Error, ErrorKind};
use crate::message::Nonce;
use crate::secret::{SecretBytes, SecretString};
use crate::{AttestationType, CredentialType, DateTime, HashingAlgorithm, TicketType};

kmip_struct! {
    /// Authentication (KMIP 1.4 §6.6): one credential (KMIP 1.0–1.2) or several (1.3
    /// and later).
    #[derive(Debug, PartialEq, Eq)]
    pub struct Authentication {
        /// The credentials, all of which the server checks.
        vec credentials: Credential = CREDENTIAL,
    }
}

/// A credential: its type and the value that type defines.
#[derive(Debug, PartialEq, Eq)]
pub struct Credential {
    /// The credential's type, as sent (also for types this library does not model).
    pub credential_type: CredentialType,
    /// The value.
    pub value: CredentialValue,
}

/// Credential Value, by Credential Type.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CredentialValue {
    /// Username and Password.
    UsernameAndPassword(UsernameAndPassword),
    /// Device.
    Device(DeviceCredential),
    /// Attestation (KMIP 1.2).
    Attestation(AttestationCredential),
    /// One Time Password (KMIP 2.0).
    OneTimePassword(OneTimePasswordCredential),
    /// Hashed Password (KMIP 2.0).
    HashedPassword(HashedPasswordCredential),
    /// Ticket (KMIP 2.0).
    Ticket(TicketCredential),
    /// A credential type this library does not model, kept as sent (its tags checked
    /// against the version).
    Other(Ttlv),
}

kmip_struct! {
    /// Username and Password credential value (KMIP 1.4 §2.1.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct UsernameAndPassword {
        /// The user.
        req username: String = USERNAME,
        /// The user's password, when the server asks for one.
        opt password: SecretString = PASSWORD,
    }
}

kmip_struct! {
    /// Device credential value (KMIP 1.4 §2.1.2, KMIP 1.1): identifies a
    /// device, not a person.
    #[derive(Debug, PartialEq, Eq)]
    pub struct DeviceCredential {
        /// The device's serial number.
        opt device_serial_number: String = DEVICE_SERIAL_NUMBER,
        /// A password the device holds.
        opt password: SecretString = PASSWORD,
        /// The device's identifier.
        opt device_identifier: String = DEVICE_IDENTIFIER,
        /// The identifier of the network the device is on.
        opt network_identifier: String = NETWORK_IDENTIFIER,
        /// The identifier of the machine the device is in.
        opt machine_identifier: String = MACHINE_IDENTIFIER,
        /// The identifier of the device's media.
        opt media_identifier: String = MEDIA_IDENTIFIER,
    }
}

kmip_struct! {
    /// Attestation credential value (KMIP 1.4 §2.1.2, KMIP 1.2): evidence of
    /// the client's state, bound to a nonce the server issued.
    #[derive(Debug, PartialEq, Eq)]
    pub struct AttestationCredential {
        /// The server's nonce the attestation answers.
        req nonce: Nonce = NONCE,
        /// The kind of attestation (TPM quote, TCG integrity report, SAML assertion).
        req attestation_type: AttestationType = ATTESTATION_TYPE,
        /// The measurement, in the format the attestation type defines.
        opt attestation_measurement: Vec<u8> = ATTESTATION_MEASUREMENT,
        /// The assertion, in the format the attestation type defines.
        opt attestation_assertion: Vec<u8> = ATTESTATION_ASSERTION,
    }
}

kmip_struct! {
    /// One Time Password credential value (KMIP 2.0 §2.1.2).
    #[derive(Debug, PartialEq, Eq)]
    pub struct OneTimePasswordCredential {
        /// The user.
        req username: String = USERNAME,
        /// The user's static password, if the server asks for it too.
        opt password: SecretString = PASSWORD,
        /// The one-time password.
        req one_time_password: SecretString = ONE_TIME_PASSWORD,
    }
}

kmip_struct! {
    /// Hashed Password credential value (KMIP 2.0 §2.1.2): the password hashed with a
    /// time stamp, so that it is not sent in the clear.
    #[derive(Debug, PartialEq, Eq)]
    pub struct HashedPasswordCredential {
        /// The user.
        req username: String = USERNAME,
        /// The time stamp hashed with the password.
        req timestamp: DateTime = TIME_STAMP,
        /// The hashing algorithm used.
        opt hashing_algorithm: HashingAlgorithm = HASHING_ALGORITHM,
        /// The hash of the password and time stamp.
        req hashed_password: SecretBytes = HASHED_PASSWORD,
    }
}

kmip_struct! {
    /// Ticket credential value (KMIP 2.0 §2.1.2): the Ticket structure.
    #[derive(Debug, PartialEq, Eq)]
    pub struct TicketCredential {
        /// A ticket from Login or Delegated Login.
        req ticket: Ticket = TICKET,
    }
}

kmip_struct! {
    /// Ticket (KMIP 2.0 §2.1.2): a bearer token, so its value is a secret and the
    /// structure is not `Clone` (see [`Ticket::duplicate`]).
    #[derive(Debug, PartialEq, Eq)]
    pub struct Ticket {
        /// What the ticket is for (Login).
        req ticket_type: TicketType = TICKET_TYPE,
        /// The token itself.
        req ticket_value: SecretBytes = TICKET_VALUE,
    }
}

impl Ticket {
    /// An explicit copy.
    pub fn duplicate(&self) -> Self {
        Ticket {
            ticket_type: self.ticket_type,
            ticket_value: self.ticket_value.duplicate(),
        }
    }
}

impl KmipCodec for Credential {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        // Device credentials arrived in KMIP 1.1, Attestation in 1.2, the rest in 2.0:
        // the Credential Type codec refuses a type the version lacks, both ways.
        let credential_type: CredentialType = r.required(Tag::CREDENTIAL_TYPE)?;
        let raw = r
            .take_raw(Tag::CREDENTIAL_VALUE)
            .ok_or_else(|| Error::new(ErrorKind::Missing(Tag::CREDENTIAL_VALUE)))?;
        let value = decode_value(credential_type, raw, version)
            .map_err(|e| e.within(Tag::CREDENTIAL_VALUE))?;
        r.finish()?;
        Ok(Credential {
            credential_type,
            value,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        w.field(Tag::CREDENTIAL_TYPE, &self.credential_type)?;
        let v = Tag::CREDENTIAL_VALUE;
        match &self.value {
            CredentialValue::UsernameAndPassword(x) => w.field(v, x)?,
            CredentialValue::Device(x) => w.field(v, x)?,
            CredentialValue::Attestation(x) => w.field(v, x)?,
            CredentialValue::OneTimePassword(x) => w.field(v, x)?,
            CredentialValue::HashedPassword(x) => w.field(v, x)?,
            CredentialValue::Ticket(x) => w.field(v, x)?,
            CredentialValue::Other(x) => w.field(v, x)?,
        }
        Ok(w.finish(tag))
    }
}

fn decode_value(
    credential_type: CredentialType,
    raw: Ttlv,
    version: KmipVersion,
) -> Result<CredentialValue, Error> {
    Ok(match credential_type {
        CredentialType::USERNAME_AND_PASSWORD => {
            CredentialValue::UsernameAndPassword(KmipCodec::decode(raw, version)?)
        }
        CredentialType::DEVICE => CredentialValue::Device(KmipCodec::decode(raw, version)?),
        CredentialType::ATTESTATION => {
            CredentialValue::Attestation(KmipCodec::decode(raw, version)?)
        }
        CredentialType::ONE_TIME_PASSWORD => {
            CredentialValue::OneTimePassword(KmipCodec::decode(raw, version)?)
        }
        CredentialType::HASHED_PASSWORD => {
            CredentialValue::HashedPassword(KmipCodec::decode(raw, version)?)
        }
        CredentialType::TICKET => CredentialValue::Ticket(KmipCodec::decode(raw, version)?),
        _ => CredentialValue::Other(Ttlv::decode(raw, version)?),
    })
}

#[cfg(test)]
mod tests {
    use kmip_ttlv::Value;

    use super::*;

    fn other(version_tag: Tag) -> Ttlv {
        Ttlv::structure(
            Tag::CREDENTIAL,
            vec![
                Ttlv::new(Tag::CREDENTIAL_TYPE, Value::Enumeration(0x8000_0001)),
                Ttlv::structure(
                    Tag::CREDENTIAL_VALUE,
                    vec![Ttlv::new(version_tag, Value::Boolean(true))],
                ),
            ],
        )
    }

    #[test]
    fn an_unmodelled_credential_carries_only_tags_of_the_version() {
        let item = other(Tag::SENSITIVE);
        let err = Credential::decode(item.clone(), KmipVersion::V1_0).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::NotInVersion {
                tag: Tag::SENSITIVE,
                version: KmipVersion::V1_0
            }
        );
        let credential = Credential::decode(item.clone(), KmipVersion::V1_4).unwrap();
        assert!(matches!(credential.value, CredentialValue::Other(_)));
        assert_eq!(
            credential
                .encode(Tag::CREDENTIAL, KmipVersion::V1_4)
                .unwrap(),
            item
        );
        let err = credential
            .encode(Tag::CREDENTIAL, KmipVersion::V1_0)
            .unwrap_err();
        assert!(matches!(err.kind, ErrorKind::NotInVersion { tag, .. } if tag == Tag::SENSITIVE));
    }
}

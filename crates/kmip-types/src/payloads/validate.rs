//! Validate (KMIP 1.4 §4.24, KMIP 2.0 §6.1): whether a certificate chain is valid.

use kmip_ttlv::{KmipVersion, Tag, Ttlv};

use super::object_field::write_object;
use crate::UniqueId;
use crate::codec::{KmipCodec, StructReader, StructWriter};
use crate::error::Error;
use crate::objects::Object;
use crate::{DateTime, ObjectType, ValidityIndicator};

/// Validate request.
///
/// Written by hand because the certificates are managed objects.
#[derive(Debug, PartialEq, Eq)]
pub struct ValidateRequest {
    /// Certificates of the chain, leaf first.
    pub certificates: Vec<Object>,
    /// Certificates of the chain held by the server, after those given.
    pub unique_identifiers: Vec<UniqueId>,
    /// Validate at this date rather than now.
    pub validity_date: Option<DateTime>,
}

impl KmipCodec for ValidateRequest {
    fn decode(item: Ttlv, version: KmipVersion) -> Result<Self, Error> {
        let mut r = StructReader::new(item, version)?;
        let mut certificates = Vec::new();
        while let Some(item) = r.take_raw(Tag::CERTIFICATE) {
            let certificate =
                Object::from_item(item, version).map_err(|e| e.within(Tag::CERTIFICATE))?;
            certificates.push(certificate);
        }
        let unique_identifiers = r.repeated(Tag::UNIQUE_IDENTIFIER)?;
        let validity_date = r.optional(Tag::VALIDITY_DATE)?;
        r.finish()?;
        Ok(ValidateRequest {
            certificates,
            unique_identifiers,
            validity_date,
        })
    }

    fn encode(&self, tag: Tag, version: KmipVersion) -> Result<Ttlv, Error> {
        let mut w = StructWriter::new(version);
        for certificate in &self.certificates {
            write_object(&mut w, ObjectType::CERTIFICATE, certificate)?;
        }
        w.repeated(Tag::UNIQUE_IDENTIFIER, &self.unique_identifiers, None, None)?;
        w.optional(Tag::VALIDITY_DATE, self.validity_date.as_ref(), None, None)?;
        Ok(w.finish(tag))
    }
}

kmip_struct! {
    /// Validate response.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub struct ValidateResponse {
        /// Valid, invalid or unknown.
        req validity_indicator: ValidityIndicator = VALIDITY_INDICATOR,
    }
}

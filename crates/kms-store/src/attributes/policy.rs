//! Who may set, modify and delete each attribute (KMIP 1.4 §3, the "Initially set by",
//! "Modifiable by client", "Deletable by client" and "Multiple instances permitted"
//! rows of each attribute's table). One table; [`super::AttributeSet`] applies it.

use kmip_types::AttributeValue;

/// When a client may modify an attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Modify {
    /// Never (server-owned or fixed at creation).
    Never,
    /// Always.
    Always,
    /// Only while the object is Pre-Active (Activation Date, Process Start Date).
    WhilePreActive,
    /// Only while the object is Pre-Active or Active (Protect Stop Date, Deactivation
    /// Date).
    BeforeDeactivation,
    /// Only towards the safer value: Sensitive false → true, Extractable true → false.
    OneWay,
}

/// The client's rights over one attribute.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// A client may give it at Create, Register or through Add Attribute.
    pub client_sets: bool,
    /// When a client may modify it.
    pub modify: Modify,
    /// A client may delete it.
    pub client_deletes: bool,
    /// Several instances may exist (told apart by Attribute Index).
    pub multiple: bool,
}

const SERVER: Rule = Rule {
    client_sets: false,
    modify: Modify::Never,
    client_deletes: false,
    multiple: false,
};
const FIXED: Rule = Rule {
    client_sets: true,
    modify: Modify::Never,
    client_deletes: false,
    multiple: false,
};
const FREE: Rule = Rule {
    client_sets: true,
    modify: Modify::Always,
    client_deletes: true,
    multiple: false,
};
const FREE_MULTI: Rule = Rule {
    client_sets: true,
    modify: Modify::Always,
    client_deletes: true,
    multiple: true,
};

/// The rule for the attribute `value` is an instance of.
pub fn rule(value: &AttributeValue) -> Rule {
    use AttributeValue as A;
    match value {
        // Server-owned: set by the server, never by a client.
        A::UniqueIdentifier(_)
        | A::ObjectType(_)
        | A::CertificateType(_)
        | A::CertificateLength(_)
        | A::X509CertificateIdentifier(_)
        | A::X509CertificateSubject(_)
        | A::X509CertificateIssuer(_)
        | A::CertificateIdentifier(_)
        | A::CertificateSubject(_)
        | A::CertificateIssuer(_)
        | A::LeaseTime(_)
        | A::State(_)
        | A::InitialDate(_)
        | A::DestroyDate(_)
        | A::CompromiseOccurrenceDate(_)
        | A::CompromiseDate(_)
        | A::RevocationReason(_)
        | A::ArchiveDate(_)
        | A::LastChangeDate(_)
        | A::KeyValuePresent(_)
        | A::AlwaysSensitive(_)
        | A::NeverExtractable(_)
        | A::ShortUniqueIdentifier(_)
        | A::KeyFormatType(_) => SERVER,
        A::Digest(_) | A::DigitalSignatureAlgorithm(_) => Rule {
            multiple: true,
            ..SERVER
        },
        A::Fresh(_) => FIXED,
        // Given at creation, fixed afterwards.
        A::CryptographicAlgorithm(_)
        | A::CryptographicLength(_)
        | A::CryptographicDomainParameters(_)
        | A::CryptographicUsageMask(_)
        | A::OriginalCreationDate(_)
        | A::RandomNumberGenerator(_)
        | A::ObjectGroupMember(_)
        | A::OpaqueDataType(_)
        | A::NistKeyType(_)
        | A::QuantumSafe(_)
        | A::ProtectionStorageMask(_)
        | A::ProtectionLevel(_)
        | A::ProtectionPeriod(_) => FIXED,
        // Dates the lifecycle reads: modifiable only before they take effect.
        A::ActivationDate(_) | A::ProcessStartDate(_) => Rule {
            modify: Modify::WhilePreActive,
            client_deletes: false,
            ..FREE
        },
        A::ProtectStopDate(_) | A::DeactivationDate(_) => Rule {
            modify: Modify::BeforeDeactivation,
            client_deletes: false,
            ..FREE
        },
        A::Sensitive(_) | A::Extractable(_) => Rule {
            modify: Modify::OneWay,
            client_deletes: false,
            ..FREE
        },
        A::UsageLimits(_) => FREE,
        // Free text and relations a client manages.
        A::Name(_)
        | A::CryptographicParameters(_)
        | A::ObjectGroup(_)
        | A::Link(_)
        | A::ApplicationSpecificInformation(_)
        | A::AlternativeName(_)
        | A::KeyValueLocation(_) => FREE_MULTI,
        A::OperationPolicyName(_)
        | A::ContactInformation(_)
        | A::Pkcs12FriendlyName(_)
        | A::Description(_)
        | A::Comment(_)
        | A::RotateInterval(_)
        | A::RotateAutomatic(_)
        | A::RotateOffset(_)
        | A::RotateName(_)
        | A::RotateGeneration(_)
        | A::RotateDate(_)
        | A::RotateLatest(_) => FREE,
        // Custom attributes: `x-` are the client's, `y-` the server's.
        A::Custom { name, .. } if name.starts_with("y-") => Rule {
            multiple: true,
            ..SERVER
        },
        A::Vendor {
            vendor_identification,
            ..
        } if vendor_identification == "y" => Rule {
            multiple: true,
            ..SERVER
        },
        A::Custom { .. } | A::Vendor { .. } | A::Extension(_) => FREE_MULTI,
        // Certificate name components: derived from the certificate.
        _ => SERVER,
    }
}

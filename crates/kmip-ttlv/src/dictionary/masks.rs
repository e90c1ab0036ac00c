//! Bit masks (KMIP 1.0–1.4 §9.1.3.3, KMIP 2.0/2.1 §11), each bit with the version that
//! introduced it.

use super::define_masks;

define_masks! {
    /// Cryptographic Usage Mask (KMIP 1.0 onward).
    CryptographicUsageMask = "Cryptographic Usage Mask" {
        SIGN = 0x00000001, "Sign", "Sign", V1_0;
        VERIFY = 0x00000002, "Verify", "Verify", V1_0;
        ENCRYPT = 0x00000004, "Encrypt", "Encrypt", V1_0;
        DECRYPT = 0x00000008, "Decrypt", "Decrypt", V1_0;
        WRAP_KEY = 0x00000010, "Wrap Key", "WrapKey", V1_0;
        UNWRAP_KEY = 0x00000020, "Unwrap Key", "UnwrapKey", V1_0;
        EXPORT = 0x00000040, "Export", "Export", V1_0;
        MAC_GENERATE = 0x00000080, "MAC Generate", "MACGenerate", V1_0;
        MAC_VERIFY = 0x00000100, "MAC Verify", "MACVerify", V1_0;
        DERIVE_KEY = 0x00000200, "Derive Key", "DeriveKey", V1_0;
        CONTENT_COMMITMENT = 0x00000400, "Content Commitment", "ContentCommitment", V1_0;
        KEY_AGREEMENT = 0x00000800, "Key Agreement", "KeyAgreement", V1_0;
        CERTIFICATE_SIGN = 0x00001000, "Certificate Sign", "CertificateSign", V1_0;
        CRL_SIGN = 0x00002000, "CRL Sign", "CRLSign", V1_0;
        GENERATE_CRYPTOGRAM = 0x00004000, "Generate Cryptogram", "GenerateCryptogram", V1_0;
        VALIDATE_CRYPTOGRAM = 0x00008000, "Validate Cryptogram", "ValidateCryptogram", V1_0;
        TRANSLATE_ENCRYPT = 0x00010000, "Translate Encrypt", "TranslateEncrypt", V1_0;
        TRANSLATE_DECRYPT = 0x00020000, "Translate Decrypt", "TranslateDecrypt", V1_0;
        TRANSLATE_WRAP = 0x00040000, "Translate Wrap", "TranslateWrap", V1_0;
        TRANSLATE_UNWRAP = 0x00080000, "Translate Unwrap", "TranslateUnwrap", V1_0;
        AUTHENTICATE = 0x00100000, "Authenticate", "Authenticate", V2_0;
        UNRESTRICTED = 0x00200000, "Unrestricted", "Unrestricted", V2_0;
        FPE_ENCRYPT = 0x00400000, "FPE Encrypt", "FPEEncrypt", V2_0;
        FPE_DECRYPT = 0x00800000, "FPE Decrypt", "FPEDecrypt", V2_0;
    }
    /// Protection Storage Mask (KMIP 2.0 onward).
    ProtectionStorageMask = "Protection Storage Mask" {
        SOFTWARE = 0x00000001, "Software", "Software", V2_0;
        HARDWARE = 0x00000002, "Hardware", "Hardware", V2_0;
        ON_PROCESSOR = 0x00000004, "On Processor", "OnProcessor", V2_0;
        ON_SYSTEM = 0x00000008, "On System", "OnSystem", V2_0;
        OFF_SYSTEM = 0x00000010, "Off System", "OffSystem", V2_0;
        HYPERVISOR = 0x00000020, "Hypervisor", "Hypervisor", V2_0;
        OPERATING_SYSTEM = 0x00000040, "Operating System", "OperatingSystem", V2_0;
        CONTAINER = 0x00000080, "Container", "Container", V2_0;
        ON_PREMISES = 0x00000100, "On Premises", "OnPremises", V2_0;
        OFF_PREMISES = 0x00000200, "Off Premises", "OffPremises", V2_0;
        SELF_MANAGED = 0x00000400, "Self Managed", "SelfManaged", V2_0;
        OUTSOURCED = 0x00000800, "Outsourced", "Outsourced", V2_0;
        VALIDATED = 0x00001000, "Validated", "Validated", V2_0;
        SAME_JURISDICTION = 0x00002000, "Same Jurisdiction", "SameJurisdiction", V2_0;
    }
    /// Storage Status Mask (KMIP 1.0 onward).
    StorageStatusMask = "Storage Status Mask" {
        ON_LINE_STORAGE = 0x00000001, "On-line storage", "OnLineStorage", V1_0;
        ARCHIVAL_STORAGE = 0x00000002, "Archival storage", "ArchivalStorage", V1_0;
        DESTROYED_STORAGE = 0x00000004, "Destroyed storage", "DestroyedStorage", V2_0;
    }
}

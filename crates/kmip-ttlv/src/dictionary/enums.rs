//! Enumerations (KMIP 1.0–1.4 §9.1.3.2, KMIP 2.0/2.1 §11), each value with the version
//! that introduced it.

use super::define_enums;

define_enums! {
    /// Adjustment Type enumeration (KMIP 2.0 onward).
    AdjustmentType = "Adjustment Type" {
        INCREMENT = 0x00000001, "Increment", "Increment", V2_0;
        DECREMENT = 0x00000002, "Decrement", "Decrement", V2_0;
        NEGATE = 0x00000003, "Negate", "Negate", V2_0;
    }
    /// Alternative Name Type enumeration (KMIP 1.2 onward).
    AlternativeNameType = "Alternative Name Type" {
        UNINTERPRETED_TEXT_STRING = 0x00000001, "Uninterpreted Text String", "UninterpretedTextString", V1_2;
        URI = 0x00000002, "URI", "URI", V1_2;
        OBJECT_SERIAL_NUMBER = 0x00000003, "Object Serial Number", "ObjectSerialNumber", V1_2;
        EMAIL_ADDRESS = 0x00000004, "Email Address", "EmailAddress", V1_2;
        DNS_NAME = 0x00000005, "DNS Name", "DNSName", V1_2;
        X_500_DISTINGUISHED_NAME = 0x00000006, "X.500 Distinguished Name", "X_500DistinguishedName", V1_2;
        IP_ADDRESS = 0x00000007, "IP Address", "IPAddress", V1_2;
    }
    /// Asynchronous Indicator enumeration (KMIP 2.0 onward).
    AsynchronousIndicator = "Asynchronous Indicator" {
        MANDATORY = 0x00000001, "Mandatory", "Mandatory", V2_0;
        OPTIONAL = 0x00000002, "Optional", "Optional", V2_0;
        PROHIBITED = 0x00000003, "Prohibited", "Prohibited", V2_0;
    }
    /// Attestation Type enumeration (KMIP 1.2 onward).
    AttestationType = "Attestation Type" {
        TPM_QUOTE = 0x00000001, "TPM Quote", "TPMQuote", V1_2;
        TCG_INTEGRITY_REPORT = 0x00000002, "TCG Integrity Report", "TCGIntegrityReport", V1_2;
        SAML_ASSERTION = 0x00000003, "SAML Assertion", "SAMLAssertion", V1_2;
    }
    /// Batch Error Continuation Option enumeration (KMIP 1.0 onward).
    BatchErrorContinuationOption = "Batch Error Continuation Option" {
        CONTINUE = 0x00000001, "Continue", "Continue", V1_0;
        STOP = 0x00000002, "Stop", "Stop", V1_0;
        UNDO = 0x00000003, "Undo", "Undo", V1_0;
    }
    /// Block Cipher Mode enumeration (KMIP 1.0 onward).
    BlockCipherMode = "Block Cipher Mode" {
        CBC = 0x00000001, "CBC", "CBC", V1_0;
        ECB = 0x00000002, "ECB", "ECB", V1_0;
        PCBC = 0x00000003, "PCBC", "PCBC", V1_0;
        CFB = 0x00000004, "CFB", "CFB", V1_0;
        OFB = 0x00000005, "OFB", "OFB", V1_0;
        CTR = 0x00000006, "CTR", "CTR", V1_0;
        CMAC = 0x00000007, "CMAC", "CMAC", V1_0;
        CCM = 0x00000008, "CCM", "CCM", V1_0;
        GCM = 0x00000009, "GCM", "GCM", V1_0;
        CBCMAC = 0x0000000A, "CBC-MAC", "CBC_MAC", V1_0;
        XTS = 0x0000000B, "XTS", "XTS", V1_0;
        AES_KEY_WRAP_PADDING = 0x0000000C, "AESKeyWrapPadding", "AESKeyWrapPadding", V1_0;
        NIST_KEY_WRAP = 0x0000000D, "NISTKeyWrap", "NISTKeyWrap", V1_0;
        X9_102_AESKW = 0x0000000E, "X9.102 AESKW", "X9_102AESKW", V1_0;
        X9_102_TDKW = 0x0000000F, "X9.102 TDKW", "X9_102TDKW", V1_0;
        X9_102_AKW1 = 0x00000010, "X9.102 AKW1", "X9_102AKW1", V1_0;
        X9_102_AKW2 = 0x00000011, "X9.102 AKW2", "X9_102AKW2", V1_0;
        AEAD = 0x00000012, "AEAD", "AEAD", V1_4;
    }
    /// Cancellation Result enumeration (KMIP 1.0 onward).
    CancellationResult = "Cancellation Result" {
        CANCELED = 0x00000001, "Canceled", "Canceled", V1_0;
        UNABLE_TO_CANCEL = 0x00000002, "Unable to Cancel", "UnableToCancel", V1_0;
        COMPLETED = 0x00000003, "Completed", "Completed", V1_0;
        FAILED = 0x00000004, "Failed", "Failed", V1_0;
        UNAVAILABLE = 0x00000005, "Unavailable", "Unavailable", V1_0;
    }
    /// Certificate Request Type enumeration (KMIP 1.0 onward).
    CertificateRequestType = "Certificate Request Type" {
        CRMF = 0x00000001, "CRMF", "CRMF", V1_0;
        PKCS_10 = 0x00000002, "PKCS#10", "PKCS_10", V1_0;
        PEM = 0x00000003, "PEM", "PEM", V1_0;
        PGP = 0x00000004, "PGP", "PGP", V1_0;
    }
    /// Certificate Type enumeration (KMIP 1.0 onward).
    CertificateType = "Certificate Type" {
        X_509 = 0x00000001, "X.509", "X_509", V1_0;
        PGP = 0x00000002, "PGP", "PGP", V1_0;
    }
    /// Client Registration Method enumeration (KMIP 1.3 onward).
    ClientRegistrationMethod = "Client Registration Method" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        SERVER_PRE_GENERATED = 0x00000002, "Server Pre-Generated", "ServerPreGenerated", V1_3;
        SERVER_ON_DEMAND = 0x00000003, "Server On-Demand", "ServerOnDemand", V1_3;
        CLIENT_GENERATED = 0x00000004, "Client Generated", "ClientGenerated", V1_3;
        CLIENT_REGISTERED = 0x00000005, "Client Registered", "ClientRegistered", V1_3;
    }
    /// Credential Type enumeration (KMIP 1.0 onward).
    CredentialType = "Credential Type" {
        USERNAME_AND_PASSWORD = 0x00000001, "Username and Password", "UsernameAndPassword", V1_0;
        DEVICE = 0x00000002, "Device", "Device", V1_1;
        ATTESTATION = 0x00000003, "Attestation", "Attestation", V1_2;
        ONE_TIME_PASSWORD = 0x00000004, "One Time Password", "OneTimePassword", V2_0;
        HASHED_PASSWORD = 0x00000005, "Hashed Password", "HashedPassword", V2_0;
        TICKET = 0x00000006, "Ticket", "Ticket", V2_0;
    }
    /// Cryptographic Algorithm enumeration (KMIP 1.0 onward).
    CryptographicAlgorithm = "Cryptographic Algorithm" {
        DES = 0x00000001, "DES", "DES", V1_0;
        DES3 = 0x00000002, "3DES", "DES3", V1_0;
        AES = 0x00000003, "AES", "AES", V1_0;
        RSA = 0x00000004, "RSA", "RSA", V1_0;
        DSA = 0x00000005, "DSA", "DSA", V1_0;
        ECDSA = 0x00000006, "ECDSA", "ECDSA", V1_0;
        HMACSHA1 = 0x00000007, "HMAC-SHA1", "HMAC_SHA1", V1_0;
        HMACSHA224 = 0x00000008, "HMAC-SHA224", "HMAC_SHA224", V1_0;
        HMACSHA256 = 0x00000009, "HMAC-SHA256", "HMAC_SHA256", V1_0;
        HMACSHA384 = 0x0000000A, "HMAC-SHA384", "HMAC_SHA384", V1_0;
        HMACSHA512 = 0x0000000B, "HMAC-SHA512", "HMAC_SHA512", V1_0;
        HMACMD5 = 0x0000000C, "HMAC-MD5", "HMAC_MD5", V1_0;
        DH = 0x0000000D, "DH", "DH", V1_0;
        ECDH = 0x0000000E, "ECDH", "ECDH", V1_0;
        ECMQV = 0x0000000F, "ECMQV", "ECMQV", V1_0;
        BLOWFISH = 0x00000010, "Blowfish", "Blowfish", V1_0;
        CAMELLIA = 0x00000011, "Camellia", "Camellia", V1_0;
        CAST5 = 0x00000012, "CAST5", "CAST5", V1_0;
        IDEA = 0x00000013, "IDEA", "IDEA", V1_0;
        MARS = 0x00000014, "MARS", "MARS", V1_0;
        RC2 = 0x00000015, "RC2", "RC2", V1_0;
        RC4 = 0x00000016, "RC4", "RC4", V1_0;
        RC5 = 0x00000017, "RC5", "RC5", V1_0;
        SKIPJACK = 0x00000018, "SKIPJACK", "SKIPJACK", V1_0;
        TWOFISH = 0x00000019, "Twofish", "Twofish", V1_0;
        EC = 0x0000001A, "EC", "EC", V1_2;
        ONE_TIME_PAD = 0x0000001B, "One Time Pad", "OneTimePad", V1_3;
        CHA_CHA20 = 0x0000001C, "ChaCha20", "ChaCha20", V1_4;
        POLY1305 = 0x0000001D, "Poly1305", "Poly1305", V1_4;
        CHA_CHA20_POLY1305 = 0x0000001E, "ChaCha20Poly1305", "ChaCha20Poly1305", V1_4;
        SHA3_224 = 0x0000001F, "SHA3-224", "SHA3_224", V1_4;
        SHA3_256 = 0x00000020, "SHA3-256", "SHA3_256", V1_4;
        SHA3_384 = 0x00000021, "SHA3-384", "SHA3_384", V1_4;
        SHA3_512 = 0x00000022, "SHA3-512", "SHA3_512", V1_4;
        HMACSHA3_224 = 0x00000023, "HMAC-SHA3-224", "HMAC_SHA3_224", V1_4;
        HMACSHA3_256 = 0x00000024, "HMAC-SHA3-256", "HMAC_SHA3_256", V1_4;
        HMACSHA3_384 = 0x00000025, "HMAC-SHA3-384", "HMAC_SHA3_384", V1_4;
        HMACSHA3_512 = 0x00000026, "HMAC-SHA3-512", "HMAC_SHA3_512", V1_4;
        SHAKE_128 = 0x00000027, "SHAKE-128", "SHAKE_128", V1_4;
        SHAKE_256 = 0x00000028, "SHAKE-256", "SHAKE_256", V1_4;
        ARIA = 0x00000029, "ARIA", "ARIA", V2_0;
        SEED = 0x0000002A, "SEED", "SEED", V2_0;
        SM2 = 0x0000002B, "SM2", "SM2", V2_0;
        SM3 = 0x0000002C, "SM3", "SM3", V2_0;
        SM4 = 0x0000002D, "SM4", "SM4", V2_0;
        GOSTR34_10_2012 = 0x0000002E, "GOST R 34.10-2012", "GOSTR34_10_2012", V2_0;
        GOSTR34_11_2012 = 0x0000002F, "GOST R 34.11-2012", "GOSTR34_11_2012", V2_0;
        GOSTR34_13_2015 = 0x00000030, "GOST R 34.13-2015", "GOSTR34_13_2015", V2_0;
        GOST28147_89 = 0x00000031, "GOST 28147-89", "GOST28147_89", V2_0;
        XMSS = 0x00000032, "XMSS", "XMSS", V2_0;
        SPHINCS_256 = 0x00000033, "SPHINCS-256", "SPHINCS_256", V2_0;
        MC_ELIECE = 0x00000034, "McEliece", "McEliece", V2_0;
        MC_ELIECE_6960119 = 0x00000035, "McEliece-6960119", "McEliece_6960119", V2_0;
        MC_ELIECE_8192128 = 0x00000036, "McEliece-8192128", "McEliece_8192128", V2_0;
        ED25519 = 0x00000037, "Ed25519", "Ed25519", V2_0;
        ED448 = 0x00000038, "Ed448", "Ed448", V2_0;
    }
    /// Data enumeration (KMIP 2.0 onward).
    Data = "Data" {
        DECRYPT = 0x00000001, "Decrypt", "Decrypt", V2_0;
        ENCRYPT = 0x00000002, "Encrypt", "Encrypt", V2_0;
        HASH = 0x00000003, "Hash", "Hash", V2_0;
        MACMAC_DATA = 0x00000004, "MAC MAC Data", "MACMACData", V2_0;
        RNG_RETRIEVE = 0x00000005, "RNG Retrieve", "RNGRetrieve", V2_0;
        SIGN_SIGNATURE_DATA = 0x00000006, "Sign Signature Data", "SignSignatureData", V2_0;
        SIGNATURE_VERIFY = 0x00000007, "Signature Verify", "SignatureVerify", V2_0;
    }
    /// Derivation Method enumeration (KMIP 1.0 onward).
    DerivationMethod = "Derivation Method" {
        PBKDF2 = 0x00000001, "PBKDF2", "PBKDF2", V1_0;
        HASH = 0x00000002, "HASH", "HASH", V1_0;
        HMAC = 0x00000003, "HMAC", "HMAC", V1_0;
        ENCRYPT = 0x00000004, "ENCRYPT", "ENCRYPT", V1_0;
        NIST800108_C = 0x00000005, "NIST800-108-C", "NIST800_108_C", V1_0;
        NIST800108_F = 0x00000006, "NIST800-108-F", "NIST800_108_F", V1_0;
        NIST800108_DPI = 0x00000007, "NIST800-108-DPI", "NIST800_108_DPI", V1_0;
        ASYMMETRIC_KEY = 0x00000008, "Asymmetric Key", "AsymmetricKey", V1_4;
        AWS_SIGNATURE_VERSION4 = 0x00000009, "AWS Signature Version 4", "AWSSignatureVersion4", V2_0;
        HKDF = 0x0000000A, "HKDF", "HKDF", V2_0;
    }
    /// Destroy Action enumeration (KMIP 1.3 onward).
    DestroyAction = "Destroy Action" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        KEY_MATERIAL_DELETED = 0x00000002, "Key Material Deleted", "KeyMaterialDeleted", V1_3;
        KEY_MATERIAL_SHREDDED = 0x00000003, "Key Material Shredded", "KeyMaterialShredded", V1_3;
        META_DATA_DELETED = 0x00000004, "Meta Data Deleted", "MetaDataDeleted", V1_3;
        META_DATA_SHREDDED = 0x00000005, "Meta Data Shredded", "MetaDataShredded", V1_3;
        DELETED = 0x00000006, "Deleted", "Deleted", V1_3;
        SHREDDED = 0x00000007, "Shredded", "Shredded", V1_3;
    }
    /// Digital Signature Algorithm enumeration (KMIP 1.1 onward).
    DigitalSignatureAlgorithm = "Digital Signature Algorithm" {
        MD2_WITH_RSA_ENCRYPTION = 0x00000001, "MD2 with RSA Encryption", "MD2WithRSAEncryption", V1_1, aliases ["MD2WithRSAEncryptionPKCS_1V1_5"];
        MD5_WITH_RSA_ENCRYPTION = 0x00000002, "MD5 with RSA Encryption", "MD5WithRSAEncryption", V1_1, aliases ["MD5WithRSAEncryptionPKCS_1V1_5"];
        SHA_1_WITH_RSA_ENCRYPTION = 0x00000003, "SHA-1 with RSA Encryption", "SHA_1WithRSAEncryption", V1_1, aliases ["SHA_1WithRSAEncryptionPKCS_1V1_5"];
        SHA_224_WITH_RSA_ENCRYPTION = 0x00000004, "SHA-224 with RSA Encryption", "SHA_224WithRSAEncryption", V1_1, aliases ["SHA_224WithRSAEncryptionPKCS_1V1_5"];
        SHA_256_WITH_RSA_ENCRYPTION = 0x00000005, "SHA-256 with RSA Encryption", "SHA_256WithRSAEncryption", V1_1, aliases ["SHA_256WithRSAEncryptionPKCS_1V1_5"];
        SHA_384_WITH_RSA_ENCRYPTION = 0x00000006, "SHA-384 with RSA Encryption", "SHA_384WithRSAEncryption", V1_1, aliases ["SHA_384WithRSAEncryptionPKCS_1V1_5"];
        SHA_512_WITH_RSA_ENCRYPTION = 0x00000007, "SHA-512 with RSA Encryption", "SHA_512WithRSAEncryption", V1_1, aliases ["SHA_512WithRSAEncryptionPKCS_1V1_5"];
        RSASSAPSS = 0x00000008, "RSASSA-PSS", "RSASSA_PSS", V1_1, aliases ["RSASSA_PSSPKCS_1V2_1"];
        DSA_WITH_SHA_1 = 0x00000009, "DSA with SHA-1", "DSAWithSHA_1", V1_1;
        DSA_WITH_SHA224 = 0x0000000A, "DSA with SHA224", "DSAWithSHA224", V1_1;
        DSA_WITH_SHA256 = 0x0000000B, "DSA with SHA256", "DSAWithSHA256", V1_1;
        ECDSA_WITH_SHA_1 = 0x0000000C, "ECDSA with SHA-1", "ECDSAWithSHA_1", V1_1;
        ECDSA_WITH_SHA224 = 0x0000000D, "ECDSA with SHA224", "ECDSAWithSHA224", V1_1;
        ECDSA_WITH_SHA256 = 0x0000000E, "ECDSA with SHA256", "ECDSAWithSHA256", V1_1;
        ECDSA_WITH_SHA384 = 0x0000000F, "ECDSA with SHA384", "ECDSAWithSHA384", V1_1;
        ECDSA_WITH_SHA512 = 0x00000010, "ECDSA with SHA512", "ECDSAWithSHA512", V1_1;
        SHA3_256_WITH_RSA_ENCRYPTION = 0x00000011, "SHA3-256 with RSA Encryption", "SHA3_256WithRSAEncryption", V1_4;
        SHA3_384_WITH_RSA_ENCRYPTION = 0x00000012, "SHA3-384 with RSA Encryption", "SHA3_384WithRSAEncryption", V1_4;
        SHA3_512_WITH_RSA_ENCRYPTION = 0x00000013, "SHA3-512 with RSA Encryption", "SHA3_512WithRSAEncryption", V1_4;
    }
    /// DRBG Algorithm enumeration (KMIP 1.3 onward).
    DRBGAlgorithm = "DRBG Algorithm" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        DUAL_EC = 0x00000002, "Dual-EC", "Dual_EC", V1_3;
        HASH = 0x00000003, "Hash", "Hash", V1_3;
        HMAC = 0x00000004, "HMAC", "HMAC", V1_3;
        CTR = 0x00000005, "CTR", "CTR", V1_3;
    }
    /// Encoding Option enumeration (KMIP 1.1 onward).
    EncodingOption = "Encoding Option" {
        NO_ENCODING = 0x00000001, "No Encoding", "NoEncoding", V1_1;
        TTLV_ENCODING = 0x00000002, "TTLV Encoding", "TTLVEncoding", V1_1;
    }
    /// Endpoint Role enumeration (KMIP 2.0 onward).
    EndpointRole = "Endpoint Role" {
        CLIENT = 0x00000001, "Client", "Client", V2_0;
        SERVER = 0x00000002, "Server", "Server", V2_0;
    }
    /// FIPS186 Variation enumeration (KMIP 1.3 onward).
    FIPS186Variation = "FIPS186 Variation" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        GPX_ORIGINAL = 0x00000002, "GP x-Original", "GPXOriginal", V1_3;
        GPX_CHANGE_NOTICE = 0x00000003, "GP x-Change Notice", "GPXChangeNotice", V1_3;
        X_ORIGINAL = 0x00000004, "x-Original", "XOriginal", V1_3;
        X_CHANGE_NOTICE = 0x00000005, "x-Change Notice", "XChangeNotice", V1_3;
        K_ORIGINAL = 0x00000006, "k-Original", "KOriginal", V1_3;
        K_CHANGE_NOTICE = 0x00000007, "k-Change Notice", "KChangeNotice", V1_3;
    }
    /// Hashing Algorithm enumeration (KMIP 1.0 onward).
    HashingAlgorithm = "Hashing Algorithm" {
        MD2 = 0x00000001, "MD2", "MD2", V1_0;
        MD4 = 0x00000002, "MD4", "MD4", V1_0;
        MD5 = 0x00000003, "MD5", "MD5", V1_0;
        SHA_1 = 0x00000004, "SHA-1", "SHA_1", V1_0;
        SHA_224 = 0x00000005, "SHA-224", "SHA_224", V1_0;
        SHA_256 = 0x00000006, "SHA-256", "SHA_256", V1_0;
        SHA_384 = 0x00000007, "SHA-384", "SHA_384", V1_0;
        SHA_512 = 0x00000008, "SHA-512", "SHA_512", V1_0;
        RIPEMD_160 = 0x00000009, "RIPEMD-160", "RIPEMD_160", V1_0;
        TIGER = 0x0000000A, "Tiger", "Tiger", V1_0;
        WHIRLPOOL = 0x0000000B, "Whirlpool", "Whirlpool", V1_0;
        SHA_512_224 = 0x0000000C, "SHA-512/224", "SHA_512_224", V1_2;
        SHA_512_256 = 0x0000000D, "SHA-512/256", "SHA_512_256", V1_2;
        SHA_3_224 = 0x0000000E, "SHA3-224", "SHA3_224", V1_4, aliases ["SHA_3_224"];
        SHA_3_256 = 0x0000000F, "SHA3-256", "SHA3_256", V1_4, aliases ["SHA_3_256"];
        SHA_3_384 = 0x00000010, "SHA3-384", "SHA3_384", V1_4, aliases ["SHA_3_384"];
        SHA_3_512 = 0x00000011, "SHA3-512", "SHA3_512", V1_4, aliases ["SHA_3_512"];
    }
    /// Interop Function enumeration (KMIP 2.0 onward).
    InteropFunction = "Interop Function" {
        BEGIN = 0x00000001, "Begin", "Begin", V2_0;
        END = 0x00000002, "End", "End", V2_0;
        RESET = 0x00000003, "Reset", "Reset", V2_0;
    }
    /// Item Type enumeration (KMIP 2.0 onward).
    ///
    /// The numbering of [`crate::ItemType`] as an enumeration (the value of `Extension Type`);
    /// named apart from it so that both can be imported together.
    ItemTypeEnum = "Item Type" {
        STRUCTURE = 0x00000001, "Structure", "Structure", V2_0;
        INTEGER = 0x00000002, "Integer", "Integer", V2_0;
        LONG_INTEGER = 0x00000003, "Long Integer", "LongInteger", V2_0;
        BIG_INTEGER = 0x00000004, "Big Integer", "BigInteger", V2_0;
        ENUMERATION = 0x00000005, "Enumeration", "Enumeration", V2_0;
        BOOLEAN = 0x00000006, "Boolean", "Boolean", V2_0;
        TEXT_STRING = 0x00000007, "Text String", "TextString", V2_0;
        BYTE_STRING = 0x00000008, "Byte String", "ByteString", V2_0;
        DATE_TIME = 0x00000009, "Date Time", "DateTime", V2_0;
        INTERVAL = 0x0000000A, "Interval", "Interval", V2_0;
        DATE_TIME_EXTENDED = 0x0000000B, "Date Time Extended", "DateTimeExtended", V2_0;
    }
    /// Key Compression Type enumeration (KMIP 1.0 onward).
    KeyCompressionType = "Key Compression Type" {
        EC_PUBLIC_KEY_TYPE_UNCOMPRESSED = 0x00000001, "EC Public Key Type Uncompressed", "ECPublicKeyTypeUncompressed", V1_0;
        EC_PUBLIC_KEY_TYPE_X9_62_COMPRESSED_PRIME = 0x00000002, "EC Public Key Type X9.62 Compressed Prime", "ECPublicKeyTypeX9_62CompressedPrime", V1_0;
        EC_PUBLIC_KEY_TYPE_X9_62_COMPRESSED_CHAR2 = 0x00000003, "EC Public Key Type X9.62 Compressed Char2", "ECPublicKeyTypeX9_62CompressedChar2", V1_0;
        EC_PUBLIC_KEY_TYPE_X9_62_HYBRID = 0x00000004, "EC Public Key Type X9.62 Hybrid", "ECPublicKeyTypeX9_62Hybrid", V1_0;
    }
    /// Key Format Type enumeration (KMIP 1.0 onward).
    KeyFormatType = "Key Format Type" {
        RAW = 0x00000001, "Raw", "Raw", V1_0;
        OPAQUE = 0x00000002, "Opaque", "Opaque", V1_0;
        PKCS_1 = 0x00000003, "PKCS#1", "PKCS_1", V1_0;
        PKCS_8 = 0x00000004, "PKCS#8", "PKCS_8", V1_0;
        X_509 = 0x00000005, "X.509", "X_509", V1_0;
        EC_PRIVATE_KEY = 0x00000006, "ECPrivateKey", "ECPrivateKey", V1_0;
        TRANSPARENT_SYMMETRIC_KEY = 0x00000007, "Transparent Symmetric Key", "TransparentSymmetricKey", V1_0;
        TRANSPARENT_DSA_PRIVATE_KEY = 0x00000008, "Transparent DSA Private Key", "TransparentDSAPrivateKey", V1_0;
        TRANSPARENT_DSA_PUBLIC_KEY = 0x00000009, "Transparent DSA Public Key", "TransparentDSAPublicKey", V1_0;
        TRANSPARENT_RSA_PRIVATE_KEY = 0x0000000A, "Transparent RSA Private Key", "TransparentRSAPrivateKey", V1_0;
        TRANSPARENT_RSA_PUBLIC_KEY = 0x0000000B, "Transparent RSA Public Key", "TransparentRSAPublicKey", V1_0;
        TRANSPARENT_DH_PRIVATE_KEY = 0x0000000C, "Transparent DH Private Key", "TransparentDHPrivateKey", V1_0;
        TRANSPARENT_DH_PUBLIC_KEY = 0x0000000D, "Transparent DH Public Key", "TransparentDHPublicKey", V1_0;
        TRANSPARENT_ECDSA_PRIVATE_KEY = 0x0000000E, "Transparent ECDSA Private Key", "TransparentECDSAPrivateKey", V1_0;
        TRANSPARENT_ECDSA_PUBLIC_KEY = 0x0000000F, "Transparent ECDSA Public Key", "TransparentECDSAPublicKey", V1_0;
        TRANSPARENT_ECDH_PRIVATE_KEY = 0x00000010, "Transparent ECDH Private Key", "TransparentECDHPrivateKey", V1_0;
        TRANSPARENT_ECDH_PUBLIC_KEY = 0x00000011, "Transparent ECDH Public Key", "TransparentECDHPublicKey", V1_0;
        TRANSPARENT_ECMQV_PRIVATE_KEY = 0x00000012, "Transparent ECMQV Private Key", "TransparentECMQVPrivateKey", V1_0;
        TRANSPARENT_ECMQV_PUBLIC_KEY = 0x00000013, "Transparent ECMQV Public Key", "TransparentECMQVPublicKey", V1_0;
        TRANSPARENT_EC_PRIVATE_KEY = 0x00000014, "Transparent EC Private Key", "TransparentECPrivateKey", V1_3;
        TRANSPARENT_EC_PUBLIC_KEY = 0x00000015, "Transparent EC Public Key", "TransparentECPublicKey", V1_3;
        PKCS_12 = 0x00000016, "PKCS#12", "PKCS_12", V1_4;
        PKCS_10 = 0x00000017, "PKCS#10", "PKCS_10", V2_0;
    }
    /// Key Role Type enumeration (KMIP 1.0 onward).
    KeyRoleType = "Key Role Type" {
        BDK = 0x00000001, "BDK", "BDK", V1_0;
        CVK = 0x00000002, "CVK", "CVK", V1_0;
        DEK = 0x00000003, "DEK", "DEK", V1_0;
        MKAC = 0x00000004, "MKAC", "MKAC", V1_0;
        MKSMC = 0x00000005, "MKSMC", "MKSMC", V1_0;
        MKSMI = 0x00000006, "MKSMI", "MKSMI", V1_0;
        MKDAC = 0x00000007, "MKDAC", "MKDAC", V1_0;
        MKDN = 0x00000008, "MKDN", "MKDN", V1_0;
        MKCP = 0x00000009, "MKCP", "MKCP", V1_0;
        MKOTH = 0x0000000A, "MKOTH", "MKOTH", V1_0;
        KEK = 0x0000000B, "KEK", "KEK", V1_0;
        MAC16609 = 0x0000000C, "MAC16609", "MAC16609", V1_0;
        MAC97971 = 0x0000000D, "MAC97971", "MAC97971", V1_0;
        MAC97972 = 0x0000000E, "MAC97972", "MAC97972", V1_0;
        MAC97973 = 0x0000000F, "MAC97973", "MAC97973", V1_0;
        MAC97974 = 0x00000010, "MAC97974", "MAC97974", V1_0;
        MAC97975 = 0x00000011, "MAC97975", "MAC97975", V1_0;
        ZPK = 0x00000012, "ZPK", "ZPK", V1_0;
        PVKIBM = 0x00000013, "PVKIBM", "PVKIBM", V1_0;
        PVKPVV = 0x00000014, "PVKPVV", "PVKPVV", V1_0;
        PVKOTH = 0x00000015, "PVKOTH", "PVKOTH", V1_0;
        DUKPT = 0x00000016, "DUKPT", "DUKPT", V1_4;
        IV = 0x00000017, "IV", "IV", V1_4;
        TRKBK = 0x00000018, "TRKBK", "TRKBK", V1_4;
    }
    /// Key Value Location Type enumeration (KMIP 1.2 onward).
    KeyValueLocationType = "Key Value Location Type" {
        UNINTERPRETED_TEXT_STRING = 0x00000001, "Uninterpreted Text String", "UninterpretedTextString", V1_2;
        URI = 0x00000002, "URI", "URI", V1_2;
    }
    /// Key Wrap Type enumeration (KMIP 1.4 onward).
    KeyWrapType = "Key Wrap Type" {
        NOT_WRAPPED = 0x00000001, "Not Wrapped", "NotWrapped", V1_4;
        AS_REGISTERED = 0x00000002, "As Registered", "AsRegistered", V1_4;
    }
    /// Link Type enumeration (KMIP 1.0 onward).
    LinkType = "Link Type" {
        CERTIFICATE_LINK = 0x00000101, "Certificate Link", "CertificateLink", V1_0;
        PUBLIC_KEY_LINK = 0x00000102, "Public Key Link", "PublicKeyLink", V1_0;
        PRIVATE_KEY_LINK = 0x00000103, "Private Key Link", "PrivateKeyLink", V1_0;
        DERIVATION_BASE_OBJECT_LINK = 0x00000104, "Derivation Base Object Link", "DerivationBaseObjectLink", V1_0;
        DERIVED_KEY_LINK = 0x00000105, "Derived Key Link", "DerivedKeyLink", V1_0;
        REPLACEMENT_OBJECT_LINK = 0x00000106, "Replacement Object Link", "ReplacementObjectLink", V1_0;
        REPLACED_OBJECT_LINK = 0x00000107, "Replaced Object Link", "ReplacedObjectLink", V1_0;
        PARENT_LINK = 0x00000108, "Parent Link", "ParentLink", V1_2;
        CHILD_LINK = 0x00000109, "Child Link", "ChildLink", V1_2;
        PREVIOUS_LINK = 0x0000010A, "Previous Link", "PreviousLink", V1_2;
        NEXT_LINK = 0x0000010B, "Next Link", "NextLink", V1_2;
        PKCS_12_CERTIFICATE_LINK = 0x0000010C, "PKCS#12 Certificate Link", "PKCS_12CertificateLink", V1_4;
        PKCS_12_PASSWORD_LINK = 0x0000010D, "PKCS#12 Password Link", "PKCS_12PasswordLink", V1_4;
        WRAPPING_KEY_LINK = 0x0000010E, "Wrapping Key Link", "WrappingKeyLink", V2_0;
    }
    /// Mask Generator enumeration (KMIP 1.4 onward).
    MaskGenerator = "Mask Generator" {
        MGF1 = 0x00000001, "MGF1", "MGF1", V1_4, aliases ["MFG1"];
    }
    /// Name Type enumeration (KMIP 1.0 onward).
    NameType = "Name Type" {
        UNINTERPRETED_TEXT_STRING = 0x00000001, "Uninterpreted Text String", "UninterpretedTextString", V1_0;
        URI = 0x00000002, "URI", "URI", V1_0;
    }
    /// NIST Key Type enumeration (KMIP 2.0 onward).
    NISTKeyType = "NIST Key Type" {
        PRIVATE_SIGNATURE_KEY = 0x00000001, "Private signature key", "PrivateSignatureKey", V2_0;
        PUBLIC_SIGNATURE_VERIFICATION_KEY = 0x00000002, "Public signature verification key", "PublicSignatureVerificationKey", V2_0;
        SYMMETRIC_AUTHENTICATION_KEY = 0x00000003, "Symmetric authentication key", "SymmetricAuthenticationKey", V2_0;
        PRIVATE_AUTHENTICATION_KEY = 0x00000004, "Private authentication key", "PrivateAuthenticationKey", V2_0;
        PUBLIC_AUTHENTICATION_KEY = 0x00000005, "Public authentication key", "PublicAuthenticationKey", V2_0;
        SYMMETRIC_DATA_ENCRYPTION_KEY = 0x00000006, "Symmetric data encryption key", "SymmetricDataEncryptionKey", V2_0;
        SYMMETRIC_KEY_WRAPPING_KEY = 0x00000007, "Symmetric key wrapping key", "SymmetricKeyWrappingKey", V2_0;
        SYMMETRIC_RANDOM_NUMBER_GENERATION_KEY = 0x00000008, "Symmetric random number generation key", "SymmetricRandomNumberGenerationKey", V2_0;
        SYMMETRIC_MASTER_KEY = 0x00000009, "Symmetric master key", "SymmetricMasterKey", V2_0;
        PRIVATE_KEY_TRANSPORT_KEY = 0x0000000A, "Private key transport key", "PrivateKeyTransportKey", V2_0;
        PUBLIC_KEY_TRANSPORT_KEY = 0x0000000B, "Public key transport key", "PublicKeyTransportKey", V2_0;
        SYMMETRIC_KEY_AGREEMENT_KEY = 0x0000000C, "Symmetric key agreement key", "SymmetricKeyAgreementKey", V2_0;
        PRIVATE_STATIC_KEY_AGREEMENT_KEY = 0x0000000D, "Private static key agreement key", "PrivateStaticKeyAgreementKey", V2_0;
        PUBLIC_STATIC_KEY_AGREEMENT_KEY = 0x0000000E, "Public static key agreement key", "PublicStaticKeyAgreementKey", V2_0;
        PRIVATE_EPHEMERAL_KEY_AGREEMENT_KEY = 0x0000000F, "Private ephemeral key agreement key", "PrivateEphemeralKeyAgreementKey", V2_0;
        PUBLIC_EPHEMERAL_KEY_AGREEMENT_KEY = 0x00000010, "Public ephemeral key agreement key", "PublicEphemeralKeyAgreementKey", V2_0;
        SYMMETRIC_AUTHORIZATION_KEY = 0x00000011, "Symmetric authorization key", "SymmetricAuthorizationKey", V2_0;
        PRIVATE_AUTHORIZATION_KEY = 0x00000012, "Private authorization key", "PrivateAuthorizationKey", V2_0;
        PUBLIC_AUTHORIZATION_KEY = 0x00000013, "Public authorization key", "PublicAuthorizationKey", V2_0;
    }
    /// Object Group Member enumeration (KMIP 1.1 onward).
    ObjectGroupMember = "Object Group Member" {
        GROUP_MEMBER_FRESH = 0x00000001, "Group Member Fresh", "GroupMemberFresh", V1_1;
        GROUP_MEMBER_DEFAULT = 0x00000002, "Group Member Default", "GroupMemberDefault", V1_1;
    }
    /// Object Type enumeration (KMIP 1.0 onward).
    ObjectType = "Object Type" {
        CERTIFICATE = 0x00000001, "Certificate", "Certificate", V1_0;
        SYMMETRIC_KEY = 0x00000002, "Symmetric Key", "SymmetricKey", V1_0;
        PUBLIC_KEY = 0x00000003, "Public Key", "PublicKey", V1_0;
        PRIVATE_KEY = 0x00000004, "Private Key", "PrivateKey", V1_0;
        SPLIT_KEY = 0x00000005, "Split Key", "SplitKey", V1_0;
        TEMPLATE = 0x00000006, "Template", "Template", V1_0;
        SECRET_DATA = 0x00000007, "Secret Data", "SecretData", V1_0;
        OPAQUE_OBJECT = 0x00000008, "Opaque Object", "OpaqueObject", V1_0;
        PGP_KEY = 0x00000009, "PGP Key", "PGPKey", V1_2;
        CERTIFICATE_REQUEST = 0x0000000A, "Certificate Request", "CertificateRequest", V2_0;
    }
    /// Opaque Data Type enumeration (KMIP 1.0 onward).
    ///
    /// The specifications define no values, only the extension range.
    OpaqueDataType = "Opaque Data Type" {
    }
    /// Operation enumeration (KMIP 1.0 onward).
    Operation = "Operation" {
        CREATE = 0x00000001, "Create", "Create", V1_0;
        CREATE_KEY_PAIR = 0x00000002, "Create Key Pair", "CreateKeyPair", V1_0;
        REGISTER = 0x00000003, "Register", "Register", V1_0;
        RE_KEY = 0x00000004, "Re-key", "ReKey", V1_0;
        DERIVE_KEY = 0x00000005, "Derive Key", "DeriveKey", V1_0;
        CERTIFY = 0x00000006, "Certify", "Certify", V1_0;
        RE_CERTIFY = 0x00000007, "Re-certify", "ReCertify", V1_0;
        LOCATE = 0x00000008, "Locate", "Locate", V1_0;
        CHECK = 0x00000009, "Check", "Check", V1_0;
        GET = 0x0000000A, "Get", "Get", V1_0;
        GET_ATTRIBUTES = 0x0000000B, "Get Attributes", "GetAttributes", V1_0;
        GET_ATTRIBUTE_LIST = 0x0000000C, "Get Attribute List", "GetAttributeList", V1_0;
        ADD_ATTRIBUTE = 0x0000000D, "Add Attribute", "AddAttribute", V1_0;
        MODIFY_ATTRIBUTE = 0x0000000E, "Modify Attribute", "ModifyAttribute", V1_0;
        DELETE_ATTRIBUTE = 0x0000000F, "Delete Attribute", "DeleteAttribute", V1_0;
        OBTAIN_LEASE = 0x00000010, "Obtain Lease", "ObtainLease", V1_0;
        GET_USAGE_ALLOCATION = 0x00000011, "Get Usage Allocation", "GetUsageAllocation", V1_0;
        ACTIVATE = 0x00000012, "Activate", "Activate", V1_0;
        REVOKE = 0x00000013, "Revoke", "Revoke", V1_0;
        DESTROY = 0x00000014, "Destroy", "Destroy", V1_0;
        ARCHIVE = 0x00000015, "Archive", "Archive", V1_0;
        RECOVER = 0x00000016, "Recover", "Recover", V1_0;
        VALIDATE = 0x00000017, "Validate", "Validate", V1_0;
        QUERY = 0x00000018, "Query", "Query", V1_0;
        CANCEL = 0x00000019, "Cancel", "Cancel", V1_0;
        POLL = 0x0000001A, "Poll", "Poll", V1_0;
        NOTIFY = 0x0000001B, "Notify", "Notify", V1_0;
        PUT = 0x0000001C, "Put", "Put", V1_0;
        RE_KEY_KEY_PAIR = 0x0000001D, "Re-key Key Pair", "ReKeyKeyPair", V1_1;
        DISCOVER_VERSIONS = 0x0000001E, "Discover Versions", "DiscoverVersions", V1_1;
        ENCRYPT = 0x0000001F, "Encrypt", "Encrypt", V1_2;
        DECRYPT = 0x00000020, "Decrypt", "Decrypt", V1_2;
        SIGN = 0x00000021, "Sign", "Sign", V1_2;
        SIGNATURE_VERIFY = 0x00000022, "Signature Verify", "SignatureVerify", V1_2;
        MAC = 0x00000023, "MAC", "MAC", V1_2;
        MAC_VERIFY = 0x00000024, "MAC Verify", "MACVerify", V1_2;
        RNG_RETRIEVE = 0x00000025, "RNG Retrieve", "RNGRetrieve", V1_2;
        RNG_SEED = 0x00000026, "RNG Seed", "RNGSeed", V1_2;
        HASH = 0x00000027, "Hash", "Hash", V1_2;
        CREATE_SPLIT_KEY = 0x00000028, "Create Split Key", "CreateSplitKey", V1_2;
        JOIN_SPLIT_KEY = 0x00000029, "Join Split Key", "JoinSplitKey", V1_2;
        IMPORT = 0x0000002A, "Import", "Import", V1_4;
        EXPORT = 0x0000002B, "Export", "Export", V1_4;
        LOG = 0x0000002C, "Log", "Log", V2_0;
        LOGIN = 0x0000002D, "Login", "Login", V2_0;
        LOGOUT = 0x0000002E, "Logout", "Logout", V2_0;
        DELEGATED_LOGIN = 0x0000002F, "Delegated Login", "DelegatedLogin", V2_0;
        ADJUST_ATTRIBUTE = 0x00000030, "Adjust Attribute", "AdjustAttribute", V2_0;
        SET_ATTRIBUTE = 0x00000031, "Set Attribute", "SetAttribute", V2_0;
        SET_ENDPOINT_ROLE = 0x00000032, "Set Endpoint Role", "SetEndpointRole", V2_0;
        PKCS_11 = 0x00000033, "PKCS#11", "PKCS_11", V2_0;
        INTEROP = 0x00000034, "Interop", "Interop", V2_0;
        RE_PROVISION = 0x00000035, "Re-Provision", "ReProvision", V2_0;
        SET_DEFAULTS = 0x00000036, "Set Defaults", "SetDefaults", V2_1;
        SET_CONSTRAINTS = 0x00000037, "Set Constraints", "SetConstraints", V2_1;
        GET_CONSTRAINTS = 0x00000038, "Get Constraints", "GetConstraints", V2_1;
        QUERY_ASYNCHRONOUS_REQUESTS = 0x00000039, "Query Asynchronous Requests", "QueryAsynchronousRequests", V2_1;
        PROCESS = 0x0000003A, "Process", "Process", V2_1;
        PING = 0x0000003B, "Ping", "Ping", V2_1;
    }
    /// Padding Method enumeration (KMIP 1.0 onward).
    PaddingMethod = "Padding Method" {
        NONE = 0x00000001, "None", "None", V1_0;
        OAEP = 0x00000002, "OAEP", "OAEP", V1_0;
        PKCS5 = 0x00000003, "PKCS5", "PKCS5", V1_0;
        SSL3 = 0x00000004, "SSL3", "SSL3", V1_0;
        ZEROS = 0x00000005, "Zeros", "Zeros", V1_0;
        ANSIX9_23 = 0x00000006, "ANSI X9.23", "ANSIX9_23", V1_0;
        ISO10126 = 0x00000007, "ISO 10126", "ISO10126", V1_0;
        PKCS1_V1_5 = 0x00000008, "PKCS1 v1.5", "PKCS1V1_5", V1_0;
        X9_31 = 0x00000009, "X9.31", "X9_31", V1_0;
        PSS = 0x0000000A, "PSS", "PSS", V1_0;
    }
    /// PKCS#11 Function enumeration (KMIP 2.0 onward).
    ///
    /// Each value is the 1-based position of the function in `CK_FUNCTION_LIST_3_0`
    /// (PKCS#11 v3.0); the names are the PKCS#11 function names.
    PKCS11Function = "PKCS#11 Function" {
        C_INITIALIZE = 0x00000001, "C_Initialize", "C_Initialize", V2_0;
        C_FINALIZE = 0x00000002, "C_Finalize", "C_Finalize", V2_0;
        C_GET_INFO = 0x00000003, "C_GetInfo", "C_GetInfo", V2_0;
        C_GET_FUNCTION_LIST = 0x00000004, "C_GetFunctionList", "C_GetFunctionList", V2_0;
        C_GET_SLOT_LIST = 0x00000005, "C_GetSlotList", "C_GetSlotList", V2_0;
        C_GET_SLOT_INFO = 0x00000006, "C_GetSlotInfo", "C_GetSlotInfo", V2_0;
        C_GET_TOKEN_INFO = 0x00000007, "C_GetTokenInfo", "C_GetTokenInfo", V2_0;
        C_GET_MECHANISM_LIST = 0x00000008, "C_GetMechanismList", "C_GetMechanismList", V2_0;
        C_GET_MECHANISM_INFO = 0x00000009, "C_GetMechanismInfo", "C_GetMechanismInfo", V2_0;
        C_INIT_TOKEN = 0x0000000A, "C_InitToken", "C_InitToken", V2_0;
        C_INIT_PIN = 0x0000000B, "C_InitPIN", "C_InitPIN", V2_0;
        C_SET_PIN = 0x0000000C, "C_SetPIN", "C_SetPIN", V2_0;
        C_OPEN_SESSION = 0x0000000D, "C_OpenSession", "C_OpenSession", V2_0;
        C_CLOSE_SESSION = 0x0000000E, "C_CloseSession", "C_CloseSession", V2_0;
        C_CLOSE_ALL_SESSIONS = 0x0000000F, "C_CloseAllSessions", "C_CloseAllSessions", V2_0;
        C_GET_SESSION_INFO = 0x00000010, "C_GetSessionInfo", "C_GetSessionInfo", V2_0;
        C_GET_OPERATION_STATE = 0x00000011, "C_GetOperationState", "C_GetOperationState", V2_0;
        C_SET_OPERATION_STATE = 0x00000012, "C_SetOperationState", "C_SetOperationState", V2_0;
        C_LOGIN = 0x00000013, "C_Login", "C_Login", V2_0;
        C_LOGOUT = 0x00000014, "C_Logout", "C_Logout", V2_0;
        C_CREATE_OBJECT = 0x00000015, "C_CreateObject", "C_CreateObject", V2_0;
        C_COPY_OBJECT = 0x00000016, "C_CopyObject", "C_CopyObject", V2_0;
        C_DESTROY_OBJECT = 0x00000017, "C_DestroyObject", "C_DestroyObject", V2_0;
        C_GET_OBJECT_SIZE = 0x00000018, "C_GetObjectSize", "C_GetObjectSize", V2_0;
        C_GET_ATTRIBUTE_VALUE = 0x00000019, "C_GetAttributeValue", "C_GetAttributeValue", V2_0;
        C_SET_ATTRIBUTE_VALUE = 0x0000001A, "C_SetAttributeValue", "C_SetAttributeValue", V2_0;
        C_FIND_OBJECTS_INIT = 0x0000001B, "C_FindObjectsInit", "C_FindObjectsInit", V2_0;
        C_FIND_OBJECTS = 0x0000001C, "C_FindObjects", "C_FindObjects", V2_0;
        C_FIND_OBJECTS_FINAL = 0x0000001D, "C_FindObjectsFinal", "C_FindObjectsFinal", V2_0;
        C_ENCRYPT_INIT = 0x0000001E, "C_EncryptInit", "C_EncryptInit", V2_0;
        C_ENCRYPT = 0x0000001F, "C_Encrypt", "C_Encrypt", V2_0;
        C_ENCRYPT_UPDATE = 0x00000020, "C_EncryptUpdate", "C_EncryptUpdate", V2_0;
        C_ENCRYPT_FINAL = 0x00000021, "C_EncryptFinal", "C_EncryptFinal", V2_0;
        C_DECRYPT_INIT = 0x00000022, "C_DecryptInit", "C_DecryptInit", V2_0;
        C_DECRYPT = 0x00000023, "C_Decrypt", "C_Decrypt", V2_0;
        C_DECRYPT_UPDATE = 0x00000024, "C_DecryptUpdate", "C_DecryptUpdate", V2_0;
        C_DECRYPT_FINAL = 0x00000025, "C_DecryptFinal", "C_DecryptFinal", V2_0;
        C_DIGEST_INIT = 0x00000026, "C_DigestInit", "C_DigestInit", V2_0;
        C_DIGEST = 0x00000027, "C_Digest", "C_Digest", V2_0;
        C_DIGEST_UPDATE = 0x00000028, "C_DigestUpdate", "C_DigestUpdate", V2_0;
        C_DIGEST_KEY = 0x00000029, "C_DigestKey", "C_DigestKey", V2_0;
        C_DIGEST_FINAL = 0x0000002A, "C_DigestFinal", "C_DigestFinal", V2_0;
        C_SIGN_INIT = 0x0000002B, "C_SignInit", "C_SignInit", V2_0;
        C_SIGN = 0x0000002C, "C_Sign", "C_Sign", V2_0;
        C_SIGN_UPDATE = 0x0000002D, "C_SignUpdate", "C_SignUpdate", V2_0;
        C_SIGN_FINAL = 0x0000002E, "C_SignFinal", "C_SignFinal", V2_0;
        C_SIGN_RECOVER_INIT = 0x0000002F, "C_SignRecoverInit", "C_SignRecoverInit", V2_0;
        C_SIGN_RECOVER = 0x00000030, "C_SignRecover", "C_SignRecover", V2_0;
        C_VERIFY_INIT = 0x00000031, "C_VerifyInit", "C_VerifyInit", V2_0;
        C_VERIFY = 0x00000032, "C_Verify", "C_Verify", V2_0;
        C_VERIFY_UPDATE = 0x00000033, "C_VerifyUpdate", "C_VerifyUpdate", V2_0;
        C_VERIFY_FINAL = 0x00000034, "C_VerifyFinal", "C_VerifyFinal", V2_0;
        C_VERIFY_RECOVER_INIT = 0x00000035, "C_VerifyRecoverInit", "C_VerifyRecoverInit", V2_0;
        C_VERIFY_RECOVER = 0x00000036, "C_VerifyRecover", "C_VerifyRecover", V2_0;
        C_DIGEST_ENCRYPT_UPDATE = 0x00000037, "C_DigestEncryptUpdate", "C_DigestEncryptUpdate", V2_0;
        C_DECRYPT_DIGEST_UPDATE = 0x00000038, "C_DecryptDigestUpdate", "C_DecryptDigestUpdate", V2_0;
        C_SIGN_ENCRYPT_UPDATE = 0x00000039, "C_SignEncryptUpdate", "C_SignEncryptUpdate", V2_0;
        C_DECRYPT_VERIFY_UPDATE = 0x0000003A, "C_DecryptVerifyUpdate", "C_DecryptVerifyUpdate", V2_0;
        C_GENERATE_KEY = 0x0000003B, "C_GenerateKey", "C_GenerateKey", V2_0;
        C_GENERATE_KEY_PAIR = 0x0000003C, "C_GenerateKeyPair", "C_GenerateKeyPair", V2_0;
        C_WRAP_KEY = 0x0000003D, "C_WrapKey", "C_WrapKey", V2_0;
        C_UNWRAP_KEY = 0x0000003E, "C_UnwrapKey", "C_UnwrapKey", V2_0;
        C_DERIVE_KEY = 0x0000003F, "C_DeriveKey", "C_DeriveKey", V2_0;
        C_SEED_RANDOM = 0x00000040, "C_SeedRandom", "C_SeedRandom", V2_0;
        C_GENERATE_RANDOM = 0x00000041, "C_GenerateRandom", "C_GenerateRandom", V2_0;
        C_GET_FUNCTION_STATUS = 0x00000042, "C_GetFunctionStatus", "C_GetFunctionStatus", V2_0;
        C_CANCEL_FUNCTION = 0x00000043, "C_CancelFunction", "C_CancelFunction", V2_0;
        C_WAIT_FOR_SLOT_EVENT = 0x00000044, "C_WaitForSlotEvent", "C_WaitForSlotEvent", V2_0;
        C_GET_INTERFACE_LIST = 0x00000045, "C_GetInterfaceList", "C_GetInterfaceList", V2_0;
        C_GET_INTERFACE = 0x00000046, "C_GetInterface", "C_GetInterface", V2_0;
        C_LOGIN_USER = 0x00000047, "C_LoginUser", "C_LoginUser", V2_0;
        C_SESSION_CANCEL = 0x00000048, "C_SessionCancel", "C_SessionCancel", V2_0;
        C_MESSAGE_ENCRYPT_INIT = 0x00000049, "C_MessageEncryptInit", "C_MessageEncryptInit", V2_0;
        C_ENCRYPT_MESSAGE = 0x0000004A, "C_EncryptMessage", "C_EncryptMessage", V2_0;
        C_ENCRYPT_MESSAGE_BEGIN = 0x0000004B, "C_EncryptMessageBegin", "C_EncryptMessageBegin", V2_0;
        C_ENCRYPT_MESSAGE_NEXT = 0x0000004C, "C_EncryptMessageNext", "C_EncryptMessageNext", V2_0;
        C_MESSAGE_ENCRYPT_FINAL = 0x0000004D, "C_MessageEncryptFinal", "C_MessageEncryptFinal", V2_0;
        C_MESSAGE_DECRYPT_INIT = 0x0000004E, "C_MessageDecryptInit", "C_MessageDecryptInit", V2_0;
        C_DECRYPT_MESSAGE = 0x0000004F, "C_DecryptMessage", "C_DecryptMessage", V2_0;
        C_DECRYPT_MESSAGE_BEGIN = 0x00000050, "C_DecryptMessageBegin", "C_DecryptMessageBegin", V2_0;
        C_DECRYPT_MESSAGE_NEXT = 0x00000051, "C_DecryptMessageNext", "C_DecryptMessageNext", V2_0;
        C_MESSAGE_DECRYPT_FINAL = 0x00000052, "C_MessageDecryptFinal", "C_MessageDecryptFinal", V2_0;
        C_MESSAGE_SIGN_INIT = 0x00000053, "C_MessageSignInit", "C_MessageSignInit", V2_0;
        C_SIGN_MESSAGE = 0x00000054, "C_SignMessage", "C_SignMessage", V2_0;
        C_SIGN_MESSAGE_BEGIN = 0x00000055, "C_SignMessageBegin", "C_SignMessageBegin", V2_0;
        C_SIGN_MESSAGE_NEXT = 0x00000056, "C_SignMessageNext", "C_SignMessageNext", V2_0;
        C_MESSAGE_SIGN_FINAL = 0x00000057, "C_MessageSignFinal", "C_MessageSignFinal", V2_0;
        C_MESSAGE_VERIFY_INIT = 0x00000058, "C_MessageVerifyInit", "C_MessageVerifyInit", V2_0;
        C_VERIFY_MESSAGE = 0x00000059, "C_VerifyMessage", "C_VerifyMessage", V2_0;
        C_VERIFY_MESSAGE_BEGIN = 0x0000005A, "C_VerifyMessageBegin", "C_VerifyMessageBegin", V2_0;
        C_VERIFY_MESSAGE_NEXT = 0x0000005B, "C_VerifyMessageNext", "C_VerifyMessageNext", V2_0;
        C_MESSAGE_VERIFY_FINAL = 0x0000005C, "C_MessageVerifyFinal", "C_MessageVerifyFinal", V2_0;
    }
    /// PKCS#11 Return Code enumeration (KMIP 2.0 onward).
    ///
    /// The values are PKCS#11 `CK_RV` codes; the names drop the `CKR_` prefix, as the
    /// profile test cases do (`OK`).
    PKCS11ReturnCode = "PKCS#11 Return Code" {
        OK = 0x00000000, "OK", "OK", V2_0;
        CANCEL = 0x00000001, "CANCEL", "CANCEL", V2_0;
        HOST_MEMORY = 0x00000002, "HOST_MEMORY", "HOST_MEMORY", V2_0;
        SLOT_ID_INVALID = 0x00000003, "SLOT_ID_INVALID", "SLOT_ID_INVALID", V2_0;
        GENERAL_ERROR = 0x00000005, "GENERAL_ERROR", "GENERAL_ERROR", V2_0;
        FUNCTION_FAILED = 0x00000006, "FUNCTION_FAILED", "FUNCTION_FAILED", V2_0;
        ARGUMENTS_BAD = 0x00000007, "ARGUMENTS_BAD", "ARGUMENTS_BAD", V2_0;
        NO_EVENT = 0x00000008, "NO_EVENT", "NO_EVENT", V2_0;
        NEED_TO_CREATE_THREADS = 0x00000009, "NEED_TO_CREATE_THREADS", "NEED_TO_CREATE_THREADS", V2_0;
        CANT_LOCK = 0x0000000A, "CANT_LOCK", "CANT_LOCK", V2_0;
        ATTRIBUTE_READ_ONLY = 0x00000010, "ATTRIBUTE_READ_ONLY", "ATTRIBUTE_READ_ONLY", V2_0;
        ATTRIBUTE_SENSITIVE = 0x00000011, "ATTRIBUTE_SENSITIVE", "ATTRIBUTE_SENSITIVE", V2_0;
        ATTRIBUTE_TYPE_INVALID = 0x00000012, "ATTRIBUTE_TYPE_INVALID", "ATTRIBUTE_TYPE_INVALID", V2_0;
        ATTRIBUTE_VALUE_INVALID = 0x00000013, "ATTRIBUTE_VALUE_INVALID", "ATTRIBUTE_VALUE_INVALID", V2_0;
        ACTION_PROHIBITED = 0x0000001B, "ACTION_PROHIBITED", "ACTION_PROHIBITED", V2_0;
        DATA_INVALID = 0x00000020, "DATA_INVALID", "DATA_INVALID", V2_0;
        DATA_LEN_RANGE = 0x00000021, "DATA_LEN_RANGE", "DATA_LEN_RANGE", V2_0;
        DEVICE_ERROR = 0x00000030, "DEVICE_ERROR", "DEVICE_ERROR", V2_0;
        DEVICE_MEMORY = 0x00000031, "DEVICE_MEMORY", "DEVICE_MEMORY", V2_0;
        DEVICE_REMOVED = 0x00000032, "DEVICE_REMOVED", "DEVICE_REMOVED", V2_0;
        ENCRYPTED_DATA_INVALID = 0x00000040, "ENCRYPTED_DATA_INVALID", "ENCRYPTED_DATA_INVALID", V2_0;
        ENCRYPTED_DATA_LEN_RANGE = 0x00000041, "ENCRYPTED_DATA_LEN_RANGE", "ENCRYPTED_DATA_LEN_RANGE", V2_0;
        FUNCTION_CANCELED = 0x00000050, "FUNCTION_CANCELED", "FUNCTION_CANCELED", V2_0;
        FUNCTION_NOT_PARALLEL = 0x00000051, "FUNCTION_NOT_PARALLEL", "FUNCTION_NOT_PARALLEL", V2_0;
        FUNCTION_NOT_SUPPORTED = 0x00000054, "FUNCTION_NOT_SUPPORTED", "FUNCTION_NOT_SUPPORTED", V2_0;
        KEY_HANDLE_INVALID = 0x00000060, "KEY_HANDLE_INVALID", "KEY_HANDLE_INVALID", V2_0;
        KEY_SIZE_RANGE = 0x00000062, "KEY_SIZE_RANGE", "KEY_SIZE_RANGE", V2_0;
        KEY_TYPE_INCONSISTENT = 0x00000063, "KEY_TYPE_INCONSISTENT", "KEY_TYPE_INCONSISTENT", V2_0;
        KEY_NOT_NEEDED = 0x00000064, "KEY_NOT_NEEDED", "KEY_NOT_NEEDED", V2_0;
        KEY_CHANGED = 0x00000065, "KEY_CHANGED", "KEY_CHANGED", V2_0;
        KEY_NEEDED = 0x00000066, "KEY_NEEDED", "KEY_NEEDED", V2_0;
        KEY_INDIGESTIBLE = 0x00000067, "KEY_INDIGESTIBLE", "KEY_INDIGESTIBLE", V2_0;
        KEY_FUNCTION_NOT_PERMITTED = 0x00000068, "KEY_FUNCTION_NOT_PERMITTED", "KEY_FUNCTION_NOT_PERMITTED", V2_0;
        KEY_NOT_WRAPPABLE = 0x00000069, "KEY_NOT_WRAPPABLE", "KEY_NOT_WRAPPABLE", V2_0;
        KEY_UNEXTRACTABLE = 0x0000006A, "KEY_UNEXTRACTABLE", "KEY_UNEXTRACTABLE", V2_0;
        MECHANISM_INVALID = 0x00000070, "MECHANISM_INVALID", "MECHANISM_INVALID", V2_0;
        MECHANISM_PARAM_INVALID = 0x00000071, "MECHANISM_PARAM_INVALID", "MECHANISM_PARAM_INVALID", V2_0;
        OBJECT_HANDLE_INVALID = 0x00000082, "OBJECT_HANDLE_INVALID", "OBJECT_HANDLE_INVALID", V2_0;
        OPERATION_ACTIVE = 0x00000090, "OPERATION_ACTIVE", "OPERATION_ACTIVE", V2_0;
        OPERATION_NOT_INITIALIZED = 0x00000091, "OPERATION_NOT_INITIALIZED", "OPERATION_NOT_INITIALIZED", V2_0;
        PIN_INCORRECT = 0x000000A0, "PIN_INCORRECT", "PIN_INCORRECT", V2_0;
        PIN_INVALID = 0x000000A1, "PIN_INVALID", "PIN_INVALID", V2_0;
        PIN_LEN_RANGE = 0x000000A2, "PIN_LEN_RANGE", "PIN_LEN_RANGE", V2_0;
        PIN_EXPIRED = 0x000000A3, "PIN_EXPIRED", "PIN_EXPIRED", V2_0;
        PIN_LOCKED = 0x000000A4, "PIN_LOCKED", "PIN_LOCKED", V2_0;
        SESSION_CLOSED = 0x000000B0, "SESSION_CLOSED", "SESSION_CLOSED", V2_0;
        SESSION_COUNT = 0x000000B1, "SESSION_COUNT", "SESSION_COUNT", V2_0;
        SESSION_HANDLE_INVALID = 0x000000B3, "SESSION_HANDLE_INVALID", "SESSION_HANDLE_INVALID", V2_0;
        SESSION_PARALLEL_NOT_SUPPORTED = 0x000000B4, "SESSION_PARALLEL_NOT_SUPPORTED", "SESSION_PARALLEL_NOT_SUPPORTED", V2_0;
        SESSION_READ_ONLY = 0x000000B5, "SESSION_READ_ONLY", "SESSION_READ_ONLY", V2_0;
        SESSION_EXISTS = 0x000000B6, "SESSION_EXISTS", "SESSION_EXISTS", V2_0;
        SESSION_READ_ONLY_EXISTS = 0x000000B7, "SESSION_READ_ONLY_EXISTS", "SESSION_READ_ONLY_EXISTS", V2_0;
        SESSION_READ_WRITE_SO_EXISTS = 0x000000B8, "SESSION_READ_WRITE_SO_EXISTS", "SESSION_READ_WRITE_SO_EXISTS", V2_0;
        SIGNATURE_INVALID = 0x000000C0, "SIGNATURE_INVALID", "SIGNATURE_INVALID", V2_0;
        SIGNATURE_LEN_RANGE = 0x000000C1, "SIGNATURE_LEN_RANGE", "SIGNATURE_LEN_RANGE", V2_0;
        TEMPLATE_INCOMPLETE = 0x000000D0, "TEMPLATE_INCOMPLETE", "TEMPLATE_INCOMPLETE", V2_0;
        TEMPLATE_INCONSISTENT = 0x000000D1, "TEMPLATE_INCONSISTENT", "TEMPLATE_INCONSISTENT", V2_0;
        TOKEN_NOT_PRESENT = 0x000000E0, "TOKEN_NOT_PRESENT", "TOKEN_NOT_PRESENT", V2_0;
        TOKEN_NOT_RECOGNIZED = 0x000000E1, "TOKEN_NOT_RECOGNIZED", "TOKEN_NOT_RECOGNIZED", V2_0;
        TOKEN_WRITE_PROTECTED = 0x000000E2, "TOKEN_WRITE_PROTECTED", "TOKEN_WRITE_PROTECTED", V2_0;
        UNWRAPPING_KEY_HANDLE_INVALID = 0x000000F0, "UNWRAPPING_KEY_HANDLE_INVALID", "UNWRAPPING_KEY_HANDLE_INVALID", V2_0;
        UNWRAPPING_KEY_SIZE_RANGE = 0x000000F1, "UNWRAPPING_KEY_SIZE_RANGE", "UNWRAPPING_KEY_SIZE_RANGE", V2_0;
        UNWRAPPING_KEY_TYPE_INCONSISTENT = 0x000000F2, "UNWRAPPING_KEY_TYPE_INCONSISTENT", "UNWRAPPING_KEY_TYPE_INCONSISTENT", V2_0;
        USER_ALREADY_LOGGED_IN = 0x00000100, "USER_ALREADY_LOGGED_IN", "USER_ALREADY_LOGGED_IN", V2_0;
        USER_NOT_LOGGED_IN = 0x00000101, "USER_NOT_LOGGED_IN", "USER_NOT_LOGGED_IN", V2_0;
        USER_PIN_NOT_INITIALIZED = 0x00000102, "USER_PIN_NOT_INITIALIZED", "USER_PIN_NOT_INITIALIZED", V2_0;
        USER_TYPE_INVALID = 0x00000103, "USER_TYPE_INVALID", "USER_TYPE_INVALID", V2_0;
        USER_ANOTHER_ALREADY_LOGGED_IN = 0x00000104, "USER_ANOTHER_ALREADY_LOGGED_IN", "USER_ANOTHER_ALREADY_LOGGED_IN", V2_0;
        USER_TOO_MANY_TYPES = 0x00000105, "USER_TOO_MANY_TYPES", "USER_TOO_MANY_TYPES", V2_0;
        WRAPPED_KEY_INVALID = 0x00000110, "WRAPPED_KEY_INVALID", "WRAPPED_KEY_INVALID", V2_0;
        WRAPPED_KEY_LEN_RANGE = 0x00000112, "WRAPPED_KEY_LEN_RANGE", "WRAPPED_KEY_LEN_RANGE", V2_0;
        WRAPPING_KEY_HANDLE_INVALID = 0x00000113, "WRAPPING_KEY_HANDLE_INVALID", "WRAPPING_KEY_HANDLE_INVALID", V2_0;
        WRAPPING_KEY_SIZE_RANGE = 0x00000114, "WRAPPING_KEY_SIZE_RANGE", "WRAPPING_KEY_SIZE_RANGE", V2_0;
        WRAPPING_KEY_TYPE_INCONSISTENT = 0x00000115, "WRAPPING_KEY_TYPE_INCONSISTENT", "WRAPPING_KEY_TYPE_INCONSISTENT", V2_0;
        RANDOM_SEED_NOT_SUPPORTED = 0x00000120, "RANDOM_SEED_NOT_SUPPORTED", "RANDOM_SEED_NOT_SUPPORTED", V2_0;
        RANDOM_NO_RNG = 0x00000121, "RANDOM_NO_RNG", "RANDOM_NO_RNG", V2_0;
        DOMAIN_PARAMS_INVALID = 0x00000130, "DOMAIN_PARAMS_INVALID", "DOMAIN_PARAMS_INVALID", V2_0;
        CURVE_NOT_SUPPORTED = 0x00000140, "CURVE_NOT_SUPPORTED", "CURVE_NOT_SUPPORTED", V2_0;
        BUFFER_TOO_SMALL = 0x00000150, "BUFFER_TOO_SMALL", "BUFFER_TOO_SMALL", V2_0;
        SAVED_STATE_INVALID = 0x00000160, "SAVED_STATE_INVALID", "SAVED_STATE_INVALID", V2_0;
        INFORMATION_SENSITIVE = 0x00000170, "INFORMATION_SENSITIVE", "INFORMATION_SENSITIVE", V2_0;
        STATE_UNSAVEABLE = 0x00000180, "STATE_UNSAVEABLE", "STATE_UNSAVEABLE", V2_0;
        CRYPTOKI_NOT_INITIALIZED = 0x00000190, "CRYPTOKI_NOT_INITIALIZED", "CRYPTOKI_NOT_INITIALIZED", V2_0;
        CRYPTOKI_ALREADY_INITIALIZED = 0x00000191, "CRYPTOKI_ALREADY_INITIALIZED", "CRYPTOKI_ALREADY_INITIALIZED", V2_0;
        MUTEX_BAD = 0x000001A0, "MUTEX_BAD", "MUTEX_BAD", V2_0;
        MUTEX_NOT_LOCKED = 0x000001A1, "MUTEX_NOT_LOCKED", "MUTEX_NOT_LOCKED", V2_0;
        NEW_PIN_MODE = 0x000001B0, "NEW_PIN_MODE", "NEW_PIN_MODE", V2_0;
        NEXT_OTP = 0x000001B1, "NEXT_OTP", "NEXT_OTP", V2_0;
        EXCEEDED_MAX_ITERATIONS = 0x000001B5, "EXCEEDED_MAX_ITERATIONS", "EXCEEDED_MAX_ITERATIONS", V2_0;
        FIPS_SELF_TEST_FAILED = 0x000001B6, "FIPS_SELF_TEST_FAILED", "FIPS_SELF_TEST_FAILED", V2_0;
        LIBRARY_LOAD_FAILED = 0x000001B7, "LIBRARY_LOAD_FAILED", "LIBRARY_LOAD_FAILED", V2_0;
        PIN_TOO_WEAK = 0x000001B8, "PIN_TOO_WEAK", "PIN_TOO_WEAK", V2_0;
        PUBLIC_KEY_INVALID = 0x000001B9, "PUBLIC_KEY_INVALID", "PUBLIC_KEY_INVALID", V2_0;
        FUNCTION_REJECTED = 0x00000200, "FUNCTION_REJECTED", "FUNCTION_REJECTED", V2_0;
        TOKEN_RESOURCE_EXCEEDED = 0x00000201, "TOKEN_RESOURCE_EXCEEDED", "TOKEN_RESOURCE_EXCEEDED", V2_0;
        OPERATION_CANCEL_FAILED = 0x00000202, "OPERATION_CANCEL_FAILED", "OPERATION_CANCEL_FAILED", V2_0;
    }
    /// Processing Stage enumeration (KMIP 2.1 onward).
    ProcessingStage = "Processing Stage" {
        SUBMITTED = 0x00000001, "Submitted", "Submitted", V2_1;
        IN_PROCESS = 0x00000002, "In Process", "InProcess", V2_1;
        COMPLETED = 0x00000003, "Completed", "Completed", V2_1;
    }
    /// Profile Name enumeration (KMIP 1.3 onward).
    ///
    /// KMIP 2.0 reserves 0x00000001–0x00000103 and restarts the list at 0x00000104.
    ProfileName = "Profile Name" {
        BASELINE_SERVER_BASIC_KMIPV1_2 = 0x00000001, "Baseline Server Basic KMIP v1.2", "BaselineServerBasicKMIPV1_2", V1_3;
        BASELINE_SERVER_TLSV1_2_KMIPV1_2 = 0x00000002, "Baseline Server TLS v1.2 KMIP v1.2", "BaselineServerTLSV1_2KMIPV1_2", V1_3;
        BASELINE_CLIENT_BASIC_KMIPV1_2 = 0x00000003, "Baseline Client Basic KMIP v1.2", "BaselineClientBasicKMIPV1_2", V1_3;
        BASELINE_CLIENT_TLSV1_2_KMIPV1_2 = 0x00000004, "Baseline Client TLS v1.2 KMIP v1.2", "BaselineClientTLSV1_2KMIPV1_2", V1_3;
        COMPLETE_SERVER_BASIC_KMIPV1_2 = 0x00000005, "Complete Server Basic KMIP v1.2", "CompleteServerBasicKMIPV1_2", V1_3;
        COMPLETE_SERVER_TLSV1_2_KMIPV1_2 = 0x00000006, "Complete Server TLS v1.2 KMIP v1.2", "CompleteServerTLSV1_2KMIPV1_2", V1_3;
        TAPE_LIBRARY_CLIENT_KMIPV1_0 = 0x00000007, "Tape Library Client KMIP v1.0", "TapeLibraryClientKMIPV1_0", V1_3;
        TAPE_LIBRARY_CLIENT_KMIPV1_1 = 0x00000008, "Tape Library Client KMIP v1.1", "TapeLibraryClientKMIPV1_1", V1_3;
        TAPE_LIBRARY_CLIENT_KMIPV1_2 = 0x00000009, "Tape Library Client KMIP v1.2", "TapeLibraryClientKMIPV1_2", V1_3;
        TAPE_LIBRARY_SERVER_KMIPV1_0 = 0x0000000A, "Tape Library Server KMIP v1.0", "TapeLibraryServerKMIPV1_0", V1_3;
        TAPE_LIBRARY_SERVER_KMIPV1_1 = 0x0000000B, "Tape Library Server KMIP v1.1", "TapeLibraryServerKMIPV1_1", V1_3;
        TAPE_LIBRARY_SERVER_KMIPV1_2 = 0x0000000C, "Tape Library Server KMIP v1.2", "TapeLibraryServerKMIPV1_2", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_0 = 0x0000000D, "Symmetric Key Lifecycle Client KMIP v1.0", "SymmetricKeyLifecycleClientKMIPV1_0", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_1 = 0x0000000E, "Symmetric Key Lifecycle Client KMIP v1.1", "SymmetricKeyLifecycleClientKMIPV1_1", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_2 = 0x0000000F, "Symmetric Key Lifecycle Client KMIP v1.2", "SymmetricKeyLifecycleClientKMIPV1_2", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_0 = 0x00000010, "Symmetric Key Lifecycle Server KMIP v1.0", "SymmetricKeyLifecycleServerKMIPV1_0", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_1 = 0x00000011, "Symmetric Key Lifecycle Server KMIP v1.1", "SymmetricKeyLifecycleServerKMIPV1_1", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_2 = 0x00000012, "Symmetric Key Lifecycle Server KMIP v1.2", "SymmetricKeyLifecycleServerKMIPV1_2", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_0 = 0x00000013, "Asymmetric Key Lifecycle Client KMIP v1.0", "AsymmetricKeyLifecycleClientKMIPV1_0", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_1 = 0x00000014, "Asymmetric Key Lifecycle Client KMIP v1.1", "AsymmetricKeyLifecycleClientKMIPV1_1", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_2 = 0x00000015, "Asymmetric Key Lifecycle Client KMIP v1.2", "AsymmetricKeyLifecycleClientKMIPV1_2", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_0 = 0x00000016, "Asymmetric Key Lifecycle Server KMIP v1.0", "AsymmetricKeyLifecycleServerKMIPV1_0", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_1 = 0x00000017, "Asymmetric Key Lifecycle Server KMIP v1.1", "AsymmetricKeyLifecycleServerKMIPV1_1", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_2 = 0x00000018, "Asymmetric Key Lifecycle Server KMIP v1.2", "AsymmetricKeyLifecycleServerKMIPV1_2", V1_3;
        BASIC_CRYPTOGRAPHIC_CLIENT_KMIPV1_2 = 0x00000019, "Basic Cryptographic Client KMIP v1.2", "BasicCryptographicClientKMIPV1_2", V1_3;
        BASIC_CRYPTOGRAPHIC_SERVER_KMIPV1_2 = 0x0000001A, "Basic Cryptographic Server KMIP v1.2", "BasicCryptographicServerKMIPV1_2", V1_3;
        ADVANCED_CRYPTOGRAPHIC_CLIENT_KMIPV1_2 = 0x0000001B, "Advanced Cryptographic Client KMIP v1.2", "AdvancedCryptographicClientKMIPV1_2", V1_3;
        ADVANCED_CRYPTOGRAPHIC_SERVER_KMIPV1_2 = 0x0000001C, "Advanced Cryptographic Server KMIP v1.2", "AdvancedCryptographicServerKMIPV1_2", V1_3;
        RNG_CRYPTOGRAPHIC_CLIENT_KMIPV1_2 = 0x0000001D, "RNG Cryptographic Client KMIP v1.2", "RNGCryptographicClientKMIPV1_2", V1_3;
        RNG_CRYPTOGRAPHIC_SERVER_KMIPV1_2 = 0x0000001E, "RNG Cryptographic Server KMIP v1.2", "RNGCryptographicServerKMIPV1_2", V1_3;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_0 = 0x0000001F, "Basic Symmetric Key Foundry Client KMIP v1.0", "BasicSymmetricKeyFoundryClientKMIPV1_0", V1_3;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_0 = 0x00000020, "Intermediate Symmetric Key Foundry Client KMIP v1.0", "IntermediateSymmetricKeyFoundryClientKMIPV1_0", V1_3;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_0 = 0x00000021, "Advanced Symmetric Key Foundry Client KMIP v1.0", "AdvancedSymmetricKeyFoundryClientKMIPV1_0", V1_3;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_1 = 0x00000022, "Basic Symmetric Key Foundry Client KMIP v1.1", "BasicSymmetricKeyFoundryClientKMIPV1_1", V1_3;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_1 = 0x00000023, "Intermediate Symmetric Key Foundry Client KMIP v1.1", "IntermediateSymmetricKeyFoundryClientKMIPV1_1", V1_3;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_1 = 0x00000024, "Advanced Symmetric Key Foundry Client KMIP v1.1", "AdvancedSymmetricKeyFoundryClientKMIPV1_1", V1_3;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_2 = 0x00000025, "Basic Symmetric Key Foundry Client KMIP v1.2", "BasicSymmetricKeyFoundryClientKMIPV1_2", V1_3;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_2 = 0x00000026, "Intermediate Symmetric Key Foundry Client KMIP v1.2", "IntermediateSymmetricKeyFoundryClientKMIPV1_2", V1_3;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_2 = 0x00000027, "Advanced Symmetric Key Foundry Client KMIP v1.2", "AdvancedSymmetricKeyFoundryClientKMIPV1_2", V1_3;
        SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV1_0 = 0x00000028, "Symmetric Key Foundry Server KMIP v1.0", "SymmetricKeyFoundryServerKMIPV1_0", V1_3;
        SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV1_1 = 0x00000029, "Symmetric Key Foundry Server KMIP v1.1", "SymmetricKeyFoundryServerKMIPV1_1", V1_3;
        SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV1_2 = 0x0000002A, "Symmetric Key Foundry Server KMIP v1.2", "SymmetricKeyFoundryServerKMIPV1_2", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT_KMIPV1_0 = 0x0000002B, "Opaque Managed Object Store Client KMIP v1.0", "OpaqueManagedObjectStoreClientKMIPV1_0", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT_KMIPV1_1 = 0x0000002C, "Opaque Managed Object Store Client KMIP v1.1", "OpaqueManagedObjectStoreClientKMIPV1_1", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT_KMIPV1_2 = 0x0000002D, "Opaque Managed Object Store Client KMIP v1.2", "OpaqueManagedObjectStoreClientKMIPV1_2", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_0 = 0x0000002E, "Opaque Managed Object Store Server KMIP v1.0", "OpaqueManagedObjectStoreServerKMIPV1_0", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_1 = 0x0000002F, "Opaque Managed Object Store Server KMIP v1.1", "OpaqueManagedObjectStoreServerKMIPV1_1", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_2 = 0x00000030, "Opaque Managed Object Store Server KMIP v1.2", "OpaqueManagedObjectStoreServerKMIPV1_2", V1_3;
        SUITE_B_MIN_LOS_128_CLIENT_KMIPV1_0 = 0x00000031, "Suite B minLOS_128 Client KMIP v1.0", "SuiteBMinLOS_128ClientKMIPV1_0", V1_3;
        SUITE_B_MIN_LOS_128_CLIENT_KMIPV1_1 = 0x00000032, "Suite B minLOS_128 Client KMIP v1.1", "SuiteBMinLOS_128ClientKMIPV1_1", V1_3;
        SUITE_B_MIN_LOS_128_CLIENT_KMIPV1_2 = 0x00000033, "Suite B minLOS_128 Client KMIP v1.2", "SuiteBMinLOS_128ClientKMIPV1_2", V1_3;
        SUITE_B_MIN_LOS_128_SERVER_KMIPV1_0 = 0x00000034, "Suite B minLOS_128 Server KMIP v1.0", "SuiteBMinLOS_128ServerKMIPV1_0", V1_3;
        SUITE_B_MIN_LOS_128_SERVER_KMIPV1_1 = 0x00000035, "Suite B minLOS_128 Server KMIP v1.1", "SuiteBMinLOS_128ServerKMIPV1_1", V1_3;
        SUITE_B_MIN_LOS_128_SERVER_KMIPV1_2 = 0x00000036, "Suite B minLOS_128 Server KMIP v1.2", "SuiteBMinLOS_128ServerKMIPV1_2", V1_3;
        SUITE_B_MIN_LOS_192_CLIENT_KMIPV1_0 = 0x00000037, "Suite B minLOS_192 Client KMIP v1.0", "SuiteBMinLOS_192ClientKMIPV1_0", V1_3;
        SUITE_B_MIN_LOS_192_CLIENT_KMIPV1_1 = 0x00000038, "Suite B minLOS_192 Client KMIP v1.1", "SuiteBMinLOS_192ClientKMIPV1_1", V1_3;
        SUITE_B_MIN_LOS_192_CLIENT_KMIPV1_2 = 0x00000039, "Suite B minLOS_192 Client KMIP v1.2", "SuiteBMinLOS_192ClientKMIPV1_2", V1_3;
        SUITE_B_MIN_LOS_192_SERVER_KMIPV1_0 = 0x0000003A, "Suite B minLOS_192 Server KMIP v1.0", "SuiteBMinLOS_192ServerKMIPV1_0", V1_3;
        SUITE_B_MIN_LOS_192_SERVER_KMIPV1_1 = 0x0000003B, "Suite B minLOS_192 Server KMIP v1.1", "SuiteBMinLOS_192ServerKMIPV1_1", V1_3;
        SUITE_B_MIN_LOS_192_SERVER_KMIPV1_2 = 0x0000003C, "Suite B minLOS_192 Server KMIP v1.2", "SuiteBMinLOS_192ServerKMIPV1_2", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT_KMIPV1_0 = 0x0000003D, "Storage Array with Self Encrypting Drive Client KMIP v1.0", "StorageArrayWithSelfEncryptingDriveClientKMIPV1_0", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT_KMIPV1_1 = 0x0000003E, "Storage Array with Self Encrypting Drive Client KMIP v1.1", "StorageArrayWithSelfEncryptingDriveClientKMIPV1_1", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT_KMIPV1_2 = 0x0000003F, "Storage Array with Self Encrypting Drive Client KMIP v1.2", "StorageArrayWithSelfEncryptingDriveClientKMIPV1_2", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_0 = 0x00000040, "Storage Array with Self Encrypting Drive Server KMIP v1.0", "StorageArrayWithSelfEncryptingDriveServerKMIPV1_0", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_1 = 0x00000041, "Storage Array with Self Encrypting Drive Server KMIP v1.1", "StorageArrayWithSelfEncryptingDriveServerKMIPV1_1", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_2 = 0x00000042, "Storage Array with Self Encrypting Drive Server KMIP v1.2", "StorageArrayWithSelfEncryptingDriveServerKMIPV1_2", V1_3;
        HTTPS_CLIENT_KMIPV1_0 = 0x00000043, "HTTPS Client KMIP v1.0", "HTTPSClientKMIPV1_0", V1_3;
        HTTPS_CLIENT_KMIPV1_1 = 0x00000044, "HTTPS Client KMIP v1.1", "HTTPSClientKMIPV1_1", V1_3;
        HTTPS_CLIENT_KMIPV1_2 = 0x00000045, "HTTPS Client KMIP v1.2", "HTTPSClientKMIPV1_2", V1_3;
        HTTPS_SERVER_KMIPV1_0 = 0x00000046, "HTTPS Server KMIP v1.0", "HTTPSServerKMIPV1_0", V1_3;
        HTTPS_SERVER_KMIPV1_1 = 0x00000047, "HTTPS Server KMIP v1.1", "HTTPSServerKMIPV1_1", V1_3;
        HTTPS_SERVER_KMIPV1_2 = 0x00000048, "HTTPS Server KMIP v1.2", "HTTPSServerKMIPV1_2", V1_3;
        JSON_CLIENT_KMIPV1_0 = 0x00000049, "JSON Client KMIP v1.0", "JSONClientKMIPV1_0", V1_3;
        JSON_CLIENT_KMIPV1_1 = 0x0000004A, "JSON Client KMIP v1.1", "JSONClientKMIPV1_1", V1_3;
        JSON_CLIENT_KMIPV1_2 = 0x0000004B, "JSON Client KMIP v1.2", "JSONClientKMIPV1_2", V1_3;
        JSON_SERVER_KMIPV1_0 = 0x0000004C, "JSON Server KMIP v1.0", "JSONServerKMIPV1_0", V1_3;
        JSON_SERVER_KMIPV1_1 = 0x0000004D, "JSON Server KMIP v1.1", "JSONServerKMIPV1_1", V1_3;
        JSON_SERVER_KMIPV1_2 = 0x0000004E, "JSON Server KMIP v1.2", "JSONServerKMIPV1_2", V1_3;
        XML_CLIENT_KMIPV1_0 = 0x0000004F, "XML Client KMIP v1.0", "XMLClientKMIPV1_0", V1_3;
        XML_CLIENT_KMIPV1_1 = 0x00000050, "XML Client KMIP v1.1", "XMLClientKMIPV1_1", V1_3;
        XML_CLIENT_KMIPV1_2 = 0x00000051, "XML Client KMIP v1.2", "XMLClientKMIPV1_2", V1_3;
        XML_SERVER_KMIPV1_0 = 0x00000052, "XML Server KMIP v1.0", "XMLServerKMIPV1_0", V1_3;
        XML_SERVER_KMIPV1_1 = 0x00000053, "XML Server KMIP v1.1", "XMLServerKMIPV1_1", V1_3;
        XML_SERVER_KMIPV1_2 = 0x00000054, "XML Server KMIP v1.2", "XMLServerKMIPV1_2", V1_3;
        BASELINE_SERVER_BASIC_KMIPV1_3 = 0x00000055, "Baseline Server Basic KMIP v1.3", "BaselineServerBasicKMIPV1_3", V1_3;
        BASELINE_SERVER_TLSV1_2_KMIPV1_3 = 0x00000056, "Baseline Server TLS v1.2 KMIP v1.3", "BaselineServerTLSV1_2KMIPV1_3", V1_3;
        BASELINE_CLIENT_BASIC_KMIPV1_3 = 0x00000057, "Baseline Client Basic KMIP v1.3", "BaselineClientBasicKMIPV1_3", V1_3;
        BASELINE_CLIENT_TLSV1_2_KMIPV1_3 = 0x00000058, "Baseline Client TLS v1.2 KMIP v1.3", "BaselineClientTLSV1_2KMIPV1_3", V1_3;
        COMPLETE_SERVER_BASIC_KMIPV1_3 = 0x00000059, "Complete Server Basic KMIP v1.3", "CompleteServerBasicKMIPV1_3", V1_3;
        COMPLETE_SERVER_TLSV1_2_KMIPV1_3 = 0x0000005A, "Complete Server TLS v1.2 KMIP v1.3", "CompleteServerTLSV1_2KMIPV1_3", V1_3;
        TAPE_LIBRARY_CLIENT_KMIPV1_3 = 0x0000005B, "Tape Library Client KMIP v1.3", "TapeLibraryClientKMIPV1_3", V1_3;
        TAPE_LIBRARY_SERVER_KMIPV1_3 = 0x0000005C, "Tape Library Server KMIP v1.3", "TapeLibraryServerKMIPV1_3", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_3 = 0x0000005D, "Symmetric Key Lifecycle Client KMIP v1.3", "SymmetricKeyLifecycleClientKMIPV1_3", V1_3;
        SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_3 = 0x0000005E, "Symmetric Key Lifecycle Server KMIP v1.3", "SymmetricKeyLifecycleServerKMIPV1_3", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_3 = 0x0000005F, "Asymmetric Key Lifecycle Client KMIP v1.3", "AsymmetricKeyLifecycleClientKMIPV1_3", V1_3;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_3 = 0x00000060, "Asymmetric Key Lifecycle Server KMIP v1.3", "AsymmetricKeyLifecycleServerKMIPV1_3", V1_3;
        BASIC_CRYPTOGRAPHIC_CLIENT_KMIPV1_3 = 0x00000061, "Basic Cryptographic Client KMIP v1.3", "BasicCryptographicClientKMIPV1_3", V1_3;
        BASIC_CRYPTOGRAPHIC_SERVER_KMIPV1_3 = 0x00000062, "Basic Cryptographic Server KMIP v1.3", "BasicCryptographicServerKMIPV1_3", V1_3;
        ADVANCED_CRYPTOGRAPHIC_CLIENT_KMIPV1_3 = 0x00000063, "Advanced Cryptographic Client KMIP v1.3", "AdvancedCryptographicClientKMIPV1_3", V1_3;
        ADVANCED_CRYPTOGRAPHIC_SERVER_KMIPV1_3 = 0x00000064, "Advanced Cryptographic Server KMIP v1.3", "AdvancedCryptographicServerKMIPV1_3", V1_3;
        RNG_CRYPTOGRAPHIC_CLIENT_KMIPV1_3 = 0x00000065, "RNG Cryptographic Client KMIP v1.3", "RNGCryptographicClientKMIPV1_3", V1_3;
        RNG_CRYPTOGRAPHIC_SERVER_KMIPV1_3 = 0x00000066, "RNG Cryptographic Server KMIP v1.3", "RNGCryptographicServerKMIPV1_3", V1_3;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_3 = 0x00000067, "Basic Symmetric Key Foundry Client KMIP v1.3", "BasicSymmetricKeyFoundryClientKMIPV1_3", V1_3;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_3 = 0x00000068, "Intermediate Symmetric Key Foundry Client KMIP v1.3", "IntermediateSymmetricKeyFoundryClientKMIPV1_3", V1_3;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_3 = 0x00000069, "Advanced Symmetric Key Foundry Client KMIP v1.3", "AdvancedSymmetricKeyFoundryClientKMIPV1_3", V1_3;
        SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV1_3 = 0x0000006A, "Symmetric Key Foundry Server KMIP v1.3", "SymmetricKeyFoundryServerKMIPV1_3", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT_KMIPV1_3 = 0x0000006B, "Opaque Managed Object Store Client KMIP v1.3", "OpaqueManagedObjectStoreClientKMIPV1_3", V1_3;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_3 = 0x0000006C, "Opaque Managed Object Store Server KMIP v1.3", "OpaqueManagedObjectStoreServerKMIPV1_3", V1_3;
        SUITE_B_MIN_LOS_128_CLIENT_KMIPV1_3 = 0x0000006D, "Suite B minLOS_128 Client KMIP v1.3", "SuiteBMinLOS_128ClientKMIPV1_3", V1_3;
        SUITE_B_MIN_LOS_128_SERVER_KMIPV1_3 = 0x0000006E, "Suite B minLOS_128 Server KMIP v1.3", "SuiteBMinLOS_128ServerKMIPV1_3", V1_3;
        SUITE_B_MIN_LOS_192_CLIENT_KMIPV1_3 = 0x0000006F, "Suite B minLOS_192 Client KMIP v1.3", "SuiteBMinLOS_192ClientKMIPV1_3", V1_3;
        SUITE_B_MIN_LOS_192_SERVER_KMIPV1_3 = 0x00000070, "Suite B minLOS_192 Server KMIP v1.3", "SuiteBMinLOS_192ServerKMIPV1_3", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT_KMIPV1_3 = 0x00000071, "Storage Array with Self Encrypting Drive Client KMIP v1.3", "StorageArrayWithSelfEncryptingDriveClientKMIPV1_3", V1_3;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_3 = 0x00000072, "Storage Array with Self Encrypting Drive Server KMIP v1.3", "StorageArrayWithSelfEncryptingDriveServerKMIPV1_3", V1_3;
        HTTPS_CLIENT_KMIPV1_3 = 0x00000073, "HTTPS Client KMIP v1.3", "HTTPSClientKMIPV1_3", V1_3;
        HTTPS_SERVER_KMIPV1_3 = 0x00000074, "HTTPS Server KMIP v1.3", "HTTPSServerKMIPV1_3", V1_3;
        JSON_CLIENT_KMIPV1_3 = 0x00000075, "JSON Client KMIP v1.3", "JSONClientKMIPV1_3", V1_3;
        JSON_SERVER_KMIPV1_3 = 0x00000076, "JSON Server KMIP v1.3", "JSONServerKMIPV1_3", V1_3;
        XML_CLIENT_KMIPV1_3 = 0x00000077, "XML Client KMIP v1.3", "XMLClientKMIPV1_3", V1_3;
        XML_SERVER_KMIPV1_3 = 0x00000078, "XML Server KMIP v1.3", "XMLServerKMIPV1_3", V1_3;
        BASELINE_SERVER_BASIC_KMIPV1_4 = 0x00000079, "Baseline Server Basic KMIP v1.4", "BaselineServerBasicKMIPV1_4", V1_4;
        BASELINE_SERVER_TLSV1_2_KMIPV1_4 = 0x0000007A, "Baseline Server TLS v1.2 KMIP v1.4", "BaselineServerTLSV1_2KMIPV1_4", V1_4;
        BASELINE_CLIENT_BASIC_KMIPV1_4 = 0x0000007B, "Baseline Client Basic KMIP v1.4", "BaselineClientBasicKMIPV1_4", V1_4;
        BASELINE_CLIENT_TLSV1_2_KMIPV1_4 = 0x0000007C, "Baseline Client TLS v1.2 KMIP v1.4", "BaselineClientTLSV1_2KMIPV1_4", V1_4;
        COMPLETE_SERVER_BASIC_KMIPV1_4 = 0x0000007D, "Complete Server Basic KMIP v1.4", "CompleteServerBasicKMIPV1_4", V1_4;
        COMPLETE_SERVER_TLSV1_2_KMIPV1_4 = 0x0000007E, "Complete Server TLS v1.2 KMIP v1.4", "CompleteServerTLSV1_2KMIPV1_4", V1_4;
        TAPE_LIBRARY_CLIENT_KMIPV1_4 = 0x0000007F, "Tape Library Client KMIP v1.4", "TapeLibraryClientKMIPV1_4", V1_4;
        TAPE_LIBRARY_SERVER_KMIPV1_4 = 0x00000080, "Tape Library Server KMIP v1.4", "TapeLibraryServerKMIPV1_4", V1_4;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_4 = 0x00000081, "Symmetric Key Lifecycle Client KMIP v1.4", "SymmetricKeyLifecycleClientKMIPV1_4", V1_4;
        SYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_4 = 0x00000082, "Symmetric Key Lifecycle Server KMIP v1.4", "SymmetricKeyLifecycleServerKMIPV1_4", V1_4;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT_KMIPV1_4 = 0x00000083, "Asymmetric Key Lifecycle Client KMIP v1.4", "AsymmetricKeyLifecycleClientKMIPV1_4", V1_4;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER_KMIPV1_4 = 0x00000084, "Asymmetric Key Lifecycle Server KMIP v1.4", "AsymmetricKeyLifecycleServerKMIPV1_4", V1_4;
        BASIC_CRYPTOGRAPHIC_CLIENT_KMIPV1_4 = 0x00000085, "Basic Cryptographic Client KMIP v1.4", "BasicCryptographicClientKMIPV1_4", V1_4;
        BASIC_CRYPTOGRAPHIC_SERVER_KMIPV1_4 = 0x00000086, "Basic Cryptographic Server KMIP v1.4", "BasicCryptographicServerKMIPV1_4", V1_4;
        ADVANCED_CRYPTOGRAPHIC_CLIENT_KMIPV1_4 = 0x00000087, "Advanced Cryptographic Client KMIP v1.4", "AdvancedCryptographicClientKMIPV1_4", V1_4;
        ADVANCED_CRYPTOGRAPHIC_SERVER_KMIPV1_4 = 0x00000088, "Advanced Cryptographic Server KMIP v1.4", "AdvancedCryptographicServerKMIPV1_4", V1_4;
        RNG_CRYPTOGRAPHIC_CLIENT_KMIPV1_4 = 0x00000089, "RNG Cryptographic Client KMIP v1.4", "RNGCryptographicClientKMIPV1_4", V1_4;
        RNG_CRYPTOGRAPHIC_SERVER_KMIPV1_4 = 0x0000008A, "RNG Cryptographic Server KMIP v1.4", "RNGCryptographicServerKMIPV1_4", V1_4;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_4 = 0x0000008B, "Basic Symmetric Key Foundry Client KMIP v1.4", "BasicSymmetricKeyFoundryClientKMIPV1_4", V1_4;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_4 = 0x0000008C, "Intermediate Symmetric Key Foundry Client KMIP v1.4", "IntermediateSymmetricKeyFoundryClientKMIPV1_4", V1_4;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT_KMIPV1_4 = 0x0000008D, "Advanced Symmetric Key Foundry Client KMIP v1.4", "AdvancedSymmetricKeyFoundryClientKMIPV1_4", V1_4;
        SYMMETRIC_KEY_FOUNDRY_SERVER_KMIPV1_4 = 0x0000008E, "Symmetric Key Foundry Server KMIP v1.4", "SymmetricKeyFoundryServerKMIPV1_4", V1_4;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT_KMIPV1_4 = 0x0000008F, "Opaque Managed Object Store Client KMIP v1.4", "OpaqueManagedObjectStoreClientKMIPV1_4", V1_4;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER_KMIPV1_4 = 0x00000090, "Opaque Managed Object Store Server KMIP v1.4", "OpaqueManagedObjectStoreServerKMIPV1_4", V1_4;
        SUITE_B_MIN_LOS_128_CLIENT_KMIPV1_4 = 0x00000091, "Suite B minLOS_128 Client KMIP v1.4", "SuiteBMinLOS_128ClientKMIPV1_4", V1_4;
        SUITE_B_MIN_LOS_128_SERVER_KMIPV1_4 = 0x00000092, "Suite B minLOS_128 Server KMIP v1.4", "SuiteBMinLOS_128ServerKMIPV1_4", V1_4;
        SUITE_B_MIN_LOS_192_CLIENT_KMIPV1_4 = 0x00000093, "Suite B minLOS_192 Client KMIP v1.4", "SuiteBMinLOS_192ClientKMIPV1_4", V1_4;
        SUITE_B_MIN_LOS_192_SERVER_KMIPV1_4 = 0x00000094, "Suite B minLOS_192 Server KMIP v1.4", "SuiteBMinLOS_192ServerKMIPV1_4", V1_4;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT_KMIPV1_4 = 0x00000095, "Storage Array with Self Encrypting Drive Client KMIP v1.4", "StorageArrayWithSelfEncryptingDriveClientKMIPV1_4", V1_4;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER_KMIPV1_4 = 0x00000096, "Storage Array with Self Encrypting Drive Server KMIP v1.4", "StorageArrayWithSelfEncryptingDriveServerKMIPV1_4", V1_4;
        HTTPS_CLIENT_KMIPV1_4 = 0x00000097, "HTTPS Client KMIP v1.4", "HTTPSClientKMIPV1_4", V1_4;
        HTTPS_SERVER_KMIPV1_4 = 0x00000098, "HTTPS Server KMIP v1.4", "HTTPSServerKMIPV1_4", V1_4;
        JSON_CLIENT_KMIPV1_4 = 0x00000099, "JSON Client KMIP v1.4", "JSONClientKMIPV1_4", V1_4;
        JSON_SERVER_KMIPV1_4 = 0x0000009A, "JSON Server KMIP v1.4", "JSONServerKMIPV1_4", V1_4;
        XML_CLIENT_KMIPV1_4 = 0x0000009B, "XML Client KMIP v1.4", "XMLClientKMIPV1_4", V1_4;
        XML_SERVER_KMIPV1_4 = 0x0000009C, "XML Server KMIP v1.4", "XMLServerKMIPV1_4", V1_4;
        COMPLETE_SERVER_BASIC = 0x00000104, "Complete Server Basic", "CompleteServerBasic", V2_0;
        COMPLETE_SERVER_TLSV1_2 = 0x00000105, "Complete Server TLS v1.2", "CompleteServerTLSV1_2", V2_0;
        TAPE_LIBRARY_CLIENT = 0x00000106, "Tape Library Client", "TapeLibraryClient", V2_0;
        TAPE_LIBRARY_SERVER = 0x00000107, "Tape Library Server", "TapeLibraryServer", V2_0;
        SYMMETRIC_KEY_LIFECYCLE_CLIENT = 0x00000108, "Symmetric Key Lifecycle Client", "SymmetricKeyLifecycleClient", V2_0;
        SYMMETRIC_KEY_LIFECYCLE_SERVER = 0x00000109, "Symmetric Key Lifecycle Server", "SymmetricKeyLifecycleServer", V2_0;
        ASYMMETRIC_KEY_LIFECYCLE_CLIENT = 0x0000010A, "Asymmetric Key Lifecycle Client", "AsymmetricKeyLifecycleClient", V2_0;
        ASYMMETRIC_KEY_LIFECYCLE_SERVER = 0x0000010B, "Asymmetric Key Lifecycle Server", "AsymmetricKeyLifecycleServer", V2_0;
        BASIC_CRYPTOGRAPHIC_CLIENT = 0x0000010C, "Basic Cryptographic Client", "BasicCryptographicClient", V2_0;
        BASIC_CRYPTOGRAPHIC_SERVER = 0x0000010D, "Basic Cryptographic Server", "BasicCryptographicServer", V2_0;
        ADVANCED_CRYPTOGRAPHIC_CLIENT = 0x0000010E, "Advanced Cryptographic Client", "AdvancedCryptographicClient", V2_0;
        ADVANCED_CRYPTOGRAPHIC_SERVER = 0x0000010F, "Advanced Cryptographic Server", "AdvancedCryptographicServer", V2_0;
        RNG_CRYPTOGRAPHIC_CLIENT = 0x00000110, "RNG Cryptographic Client", "RNGCryptographicClient", V2_0;
        RNG_CRYPTOGRAPHIC_SERVER = 0x00000111, "RNG Cryptographic Server", "RNGCryptographicServer", V2_0;
        BASIC_SYMMETRIC_KEY_FOUNDRY_CLIENT = 0x00000112, "Basic Symmetric Key Foundry Client", "BasicSymmetricKeyFoundryClient", V2_0;
        INTERMEDIATE_SYMMETRIC_KEY_FOUNDRY_CLIENT = 0x00000113, "Intermediate Symmetric Key Foundry Client", "IntermediateSymmetricKeyFoundryClient", V2_0;
        ADVANCED_SYMMETRIC_KEY_FOUNDRY_CLIENT = 0x00000114, "Advanced Symmetric Key Foundry Client", "AdvancedSymmetricKeyFoundryClient", V2_0;
        SYMMETRIC_KEY_FOUNDRY_SERVER = 0x00000115, "Symmetric Key Foundry Server", "SymmetricKeyFoundryServer", V2_0;
        OPAQUE_MANAGED_OBJECT_STORE_CLIENT = 0x00000116, "Opaque Managed Object Store Client", "OpaqueManagedObjectStoreClient", V2_0;
        OPAQUE_MANAGED_OBJECT_STORE_SERVER = 0x00000117, "Opaque Managed Object Store Server", "OpaqueManagedObjectStoreServer", V2_0;
        SUITE_B_MIN_LOS_128_CLIENT = 0x00000118, "Suite B minLOS_128 Client", "SuiteBMinLOS_128Client", V2_0;
        SUITE_B_MIN_LOS_128_SERVER = 0x00000119, "Suite B minLOS_128 Server", "SuiteBMinLOS_128Server", V2_0;
        SUITE_B_MIN_LOS_192_CLIENT = 0x0000011A, "Suite B minLOS_192 Client", "SuiteBMinLOS_192Client", V2_0;
        SUITE_B_MIN_LOS_192_SERVER = 0x0000011B, "Suite B minLOS_192 Server", "SuiteBMinLOS_192Server", V2_0;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_CLIENT = 0x0000011C, "Storage Array with Self Encrypting Drive Client", "StorageArrayWithSelfEncryptingDriveClient", V2_0;
        STORAGE_ARRAY_WITH_SELF_ENCRYPTING_DRIVE_SERVER = 0x0000011D, "Storage Array with Self Encrypting Drive Server", "StorageArrayWithSelfEncryptingDriveServer", V2_0;
        HTTPS_CLIENT = 0x0000011E, "HTTPS Client", "HTTPSClient", V2_0;
        HTTPS_SERVER = 0x0000011F, "HTTPS Server", "HTTPSServer", V2_0;
        JSON_CLIENT = 0x00000120, "JSON Client", "JSONClient", V2_0;
        JSON_SERVER = 0x00000121, "JSON Server", "JSONServer", V2_0;
        XML_CLIENT = 0x00000122, "XML Client", "XMLClient", V2_0;
        XML_SERVER = 0x00000123, "XML Server", "XMLServer", V2_0;
        AESXTS_CLIENT = 0x00000124, "AES XTS Client", "AESXTSClient", V2_0;
        AESXTS_SERVER = 0x00000125, "AES XTS Server", "AESXTSServer", V2_0;
        QUANTUM_SAFE_CLIENT = 0x00000126, "Quantum Safe Client", "QuantumSafeClient", V2_0;
        QUANTUM_SAFE_SERVER = 0x00000127, "Quantum Safe Server", "QuantumSafeServer", V2_0;
        PKCS_11_CLIENT = 0x00000128, "PKCS#11 Client", "PKCS_11Client", V2_0;
        PKCS_11_SERVER = 0x00000129, "PKCS#11 Server", "PKCS_11Server", V2_0;
        BASELINE_CLIENT = 0x0000012A, "Baseline Client", "BaselineClient", V2_0;
        BASELINE_SERVER = 0x0000012B, "Baseline Server", "BaselineServer", V2_0;
        COMPLETE_SERVER = 0x0000012C, "Complete Server", "CompleteServer", V2_0;
    }
    /// Protection Level enumeration (KMIP 2.0 onward).
    ProtectionLevel = "Protection Level" {
        HIGH = 0x00000001, "High", "High", V2_0;
        LOW = 0x00000002, "Low", "Low", V2_0;
    }
    /// Put Function enumeration (KMIP 1.0 onward).
    PutFunction = "Put Function" {
        NEW = 0x00000001, "New", "New", V1_0;
        REPLACE = 0x00000002, "Replace", "Replace", V1_0;
    }
    /// Query Function enumeration (KMIP 1.0 onward).
    QueryFunction = "Query Function" {
        QUERY_OPERATIONS = 0x00000001, "Query Operations", "QueryOperations", V1_0;
        QUERY_OBJECTS = 0x00000002, "Query Objects", "QueryObjects", V1_0;
        QUERY_SERVER_INFORMATION = 0x00000003, "Query Server Information", "QueryServerInformation", V1_0;
        QUERY_APPLICATION_NAMESPACES = 0x00000004, "Query Application Namespaces", "QueryApplicationNamespaces", V1_0;
        QUERY_EXTENSION_LIST = 0x00000005, "Query Extension List", "QueryExtensionList", V1_1;
        QUERY_EXTENSION_MAP = 0x00000006, "Query Extension Map", "QueryExtensionMap", V1_1;
        QUERY_ATTESTATION_TYPES = 0x00000007, "Query Attestation Types", "QueryAttestationTypes", V1_2;
        QUERY_RN_GS = 0x00000008, "Query RNGs", "QueryRNGs", V1_3;
        QUERY_VALIDATIONS = 0x00000009, "Query Validations", "QueryValidations", V1_3;
        QUERY_PROFILES = 0x0000000A, "Query Profiles", "QueryProfiles", V1_3;
        QUERY_CAPABILITIES = 0x0000000B, "Query Capabilities", "QueryCapabilities", V1_3;
        QUERY_CLIENT_REGISTRATION_METHODS = 0x0000000C, "Query Client Registration Methods", "QueryClientRegistrationMethods", V1_3;
        QUERY_DEFAULTS_INFORMATION = 0x0000000D, "Query Defaults Information", "QueryDefaultsInformation", V2_0;
        QUERY_STORAGE_PROTECTION_MASKS = 0x0000000E, "Query Storage Protection Masks", "QueryStorageProtectionMasks", V2_0;
    }
    /// Recommended Curve enumeration (KMIP 1.0 onward).
    RecommendedCurve = "Recommended Curve" {
        P_192 = 0x00000001, "P-192", "P_192", V1_0;
        K_163 = 0x00000002, "K-163", "K_163", V1_0;
        B_163 = 0x00000003, "B-163", "B_163", V1_0;
        P_224 = 0x00000004, "P-224", "P_224", V1_0;
        K_233 = 0x00000005, "K-233", "K_233", V1_0;
        B_233 = 0x00000006, "B-233", "B_233", V1_0;
        P_256 = 0x00000007, "P-256", "P_256", V1_0;
        K_283 = 0x00000008, "K-283", "K_283", V1_0;
        B_283 = 0x00000009, "B-283", "B_283", V1_0;
        P_384 = 0x0000000A, "P-384", "P_384", V1_0;
        K_409 = 0x0000000B, "K-409", "K_409", V1_0;
        B_409 = 0x0000000C, "B-409", "B_409", V1_0;
        P_521 = 0x0000000D, "P-521", "P_521", V1_0;
        K_571 = 0x0000000E, "K-571", "K_571", V1_0;
        B_571 = 0x0000000F, "B-571", "B_571", V1_0;
        SECP112_R1 = 0x00000010, "SECP112R1", "SECP112R1", V1_2;
        SECP112_R2 = 0x00000011, "SECP112R2", "SECP112R2", V1_2;
        SECP128_R1 = 0x00000012, "SECP128R1", "SECP128R1", V1_2;
        SECP128_R2 = 0x00000013, "SECP128R2", "SECP128R2", V1_2;
        SECP160_K1 = 0x00000014, "SECP160K1", "SECP160K1", V1_2;
        SECP160_R1 = 0x00000015, "SECP160R1", "SECP160R1", V1_2;
        SECP160_R2 = 0x00000016, "SECP160R2", "SECP160R2", V1_2;
        SECP192_K1 = 0x00000017, "SECP192K1", "SECP192K1", V1_2;
        SECP224_K1 = 0x00000018, "SECP224K1", "SECP224K1", V1_2;
        SECP256_K1 = 0x00000019, "SECP256K1", "SECP256K1", V1_2;
        SECT113_R1 = 0x0000001A, "SECT113R1", "SECT113R1", V1_2;
        SECT113_R2 = 0x0000001B, "SECT113R2", "SECT113R2", V1_2;
        SECT131_R1 = 0x0000001C, "SECT131R1", "SECT131R1", V1_2;
        SECT131_R2 = 0x0000001D, "SECT131R2", "SECT131R2", V1_2;
        SECT163_R1 = 0x0000001E, "SECT163R1", "SECT163R1", V1_2;
        SECT193_R1 = 0x0000001F, "SECT193R1", "SECT193R1", V1_2;
        SECT193_R2 = 0x00000020, "SECT193R2", "SECT193R2", V1_2;
        SECT239_K1 = 0x00000021, "SECT239K1", "SECT239K1", V1_2;
        ANSIX9_P192_V2 = 0x00000022, "ANSIX9P192V2", "ANSIX9P192V2", V1_2;
        ANSIX9_P192_V3 = 0x00000023, "ANSIX9P192V3", "ANSIX9P192V3", V1_2;
        ANSIX9_P239_V1 = 0x00000024, "ANSIX9P239V1", "ANSIX9P239V1", V1_2;
        ANSIX9_P239_V2 = 0x00000025, "ANSIX9P239V2", "ANSIX9P239V2", V1_2;
        ANSIX9_P239_V3 = 0x00000026, "ANSIX9P239V3", "ANSIX9P239V3", V1_2;
        ANSIX9_C2_PNB163_V1 = 0x00000027, "ANSIX9C2PNB163V1", "ANSIX9C2PNB163V1", V1_2;
        ANSIX9_C2_PNB163_V2 = 0x00000028, "ANSIX9C2PNB163V2", "ANSIX9C2PNB163V2", V1_2;
        ANSIX9_C2_PNB163_V3 = 0x00000029, "ANSIX9C2PNB163V3", "ANSIX9C2PNB163V3", V1_2;
        ANSIX9_C2_PNB176_V1 = 0x0000002A, "ANSIX9C2PNB176V1", "ANSIX9C2PNB176V1", V1_2;
        ANSIX9_C2_TNB191_V1 = 0x0000002B, "ANSIX9C2TNB191V1", "ANSIX9C2TNB191V1", V1_2;
        ANSIX9_C2_TNB191_V2 = 0x0000002C, "ANSIX9C2TNB191V2", "ANSIX9C2TNB191V2", V1_2;
        ANSIX9_C2_TNB191_V3 = 0x0000002D, "ANSIX9C2TNB191V3", "ANSIX9C2TNB191V3", V1_2;
        ANSIX9_C2_PNB208_W1 = 0x0000002E, "ANSIX9C2PNB208W1", "ANSIX9C2PNB208W1", V1_2;
        ANSIX9_C2_TNB239_V1 = 0x0000002F, "ANSIX9C2TNB239V1", "ANSIX9C2TNB239V1", V1_2;
        ANSIX9_C2_TNB239_V2 = 0x00000030, "ANSIX9C2TNB239V2", "ANSIX9C2TNB239V2", V1_2;
        ANSIX9_C2_TNB239_V3 = 0x00000031, "ANSIX9C2TNB239V3", "ANSIX9C2TNB239V3", V1_2;
        ANSIX9_C2_PNB272_W1 = 0x00000032, "ANSIX9C2PNB272W1", "ANSIX9C2PNB272W1", V1_2;
        ANSIX9_C2_PNB304_W1 = 0x00000033, "ANSIX9C2PNB304W1", "ANSIX9C2PNB304W1", V1_2;
        ANSIX9_C2_TNB359_V1 = 0x00000034, "ANSIX9C2TNB359V1", "ANSIX9C2TNB359V1", V1_2;
        ANSIX9_C2_PNB368_W1 = 0x00000035, "ANSIX9C2PNB368W1", "ANSIX9C2PNB368W1", V1_2;
        ANSIX9_C2_TNB431_R1 = 0x00000036, "ANSIX9C2TNB431R1", "ANSIX9C2TNB431R1", V1_2;
        BRAINPOOLP160_R1 = 0x00000037, "BRAINPOOLP160R1", "BRAINPOOLP160R1", V1_2;
        BRAINPOOLP160_T1 = 0x00000038, "BRAINPOOLP160T1", "BRAINPOOLP160T1", V1_2;
        BRAINPOOLP192_R1 = 0x00000039, "BRAINPOOLP192R1", "BRAINPOOLP192R1", V1_2;
        BRAINPOOLP192_T1 = 0x0000003A, "BRAINPOOLP192T1", "BRAINPOOLP192T1", V1_2;
        BRAINPOOLP224_R1 = 0x0000003B, "BRAINPOOLP224R1", "BRAINPOOLP224R1", V1_2;
        BRAINPOOLP224_T1 = 0x0000003C, "BRAINPOOLP224T1", "BRAINPOOLP224T1", V1_2;
        BRAINPOOLP256_R1 = 0x0000003D, "BRAINPOOLP256R1", "BRAINPOOLP256R1", V1_2;
        BRAINPOOLP256_T1 = 0x0000003E, "BRAINPOOLP256T1", "BRAINPOOLP256T1", V1_2;
        BRAINPOOLP320_R1 = 0x0000003F, "BRAINPOOLP320R1", "BRAINPOOLP320R1", V1_2;
        BRAINPOOLP320_T1 = 0x00000040, "BRAINPOOLP320T1", "BRAINPOOLP320T1", V1_2;
        BRAINPOOLP384_R1 = 0x00000041, "BRAINPOOLP384R1", "BRAINPOOLP384R1", V1_2;
        BRAINPOOLP384_T1 = 0x00000042, "BRAINPOOLP384T1", "BRAINPOOLP384T1", V1_2;
        BRAINPOOLP512_R1 = 0x00000043, "BRAINPOOLP512R1", "BRAINPOOLP512R1", V1_2;
        BRAINPOOLP512_T1 = 0x00000044, "BRAINPOOLP512T1", "BRAINPOOLP512T1", V1_2;
        CURVE25519 = 0x00000045, "CURVE25519", "CURVE25519", V2_0;
        CURVE448 = 0x00000046, "CURVE448", "CURVE448", V2_0;
    }
    /// Result Reason enumeration (KMIP 1.0 onward).
    ResultReason = "Result Reason" {
        ITEM_NOT_FOUND = 0x00000001, "Item Not Found", "ItemNotFound", V1_0;
        RESPONSE_TOO_LARGE = 0x00000002, "Response Too Large", "ResponseTooLarge", V1_0;
        AUTHENTICATION_NOT_SUCCESSFUL = 0x00000003, "Authentication Not Successful", "AuthenticationNotSuccessful", V1_0;
        INVALID_MESSAGE = 0x00000004, "Invalid Message", "InvalidMessage", V1_0;
        OPERATION_NOT_SUPPORTED = 0x00000005, "Operation Not Supported", "OperationNotSupported", V1_0;
        MISSING_DATA = 0x00000006, "Missing Data", "MissingData", V1_0;
        INVALID_FIELD = 0x00000007, "Invalid Field", "InvalidField", V1_0;
        FEATURE_NOT_SUPPORTED = 0x00000008, "Feature Not Supported", "FeatureNotSupported", V1_0;
        OPERATION_CANCELED_BY_REQUESTER = 0x00000009, "Operation Canceled By Requester", "OperationCanceledByRequester", V1_0;
        CRYPTOGRAPHIC_FAILURE = 0x0000000A, "Cryptographic Failure", "CryptographicFailure", V1_0;
        ILLEGAL_OPERATION = 0x0000000B, "Illegal Operation", "IllegalOperation", V1_0;
        PERMISSION_DENIED = 0x0000000C, "Permission Denied", "PermissionDenied", V1_0;
        OBJECT_ARCHIVED = 0x0000000D, "Object archived", "ObjectArchived", V1_0;
        INDEX_OUT_OF_BOUNDS = 0x0000000E, "Index Out of Bounds", "IndexOutOfBounds", V1_0;
        APPLICATION_NAMESPACE_NOT_SUPPORTED = 0x0000000F, "Application Namespace Not Supported", "ApplicationNamespaceNotSupported", V1_0;
        KEY_FORMAT_TYPE_NOT_SUPPORTED = 0x00000010, "Key Format Type Not Supported", "KeyFormatTypeNotSupported", V1_0;
        KEY_COMPRESSION_TYPE_NOT_SUPPORTED = 0x00000011, "Key Compression Type Not Supported", "KeyCompressionTypeNotSupported", V1_0;
        ENCODING_OPTION_ERROR = 0x00000012, "Encoding Option Error", "EncodingOptionError", V1_1;
        KEY_VALUE_NOT_PRESENT = 0x00000013, "Key Value Not Present", "KeyValueNotPresent", V1_2;
        ATTESTATION_REQUIRED = 0x00000014, "Attestation Required", "AttestationRequired", V1_2;
        ATTESTATION_FAILED = 0x00000015, "Attestation Failed", "AttestationFailed", V1_2;
        SENSITIVE = 0x00000016, "Sensitive", "Sensitive", V1_4;
        NOT_EXTRACTABLE = 0x00000017, "Not Extractable", "NotExtractable", V1_4;
        OBJECT_ALREADY_EXISTS = 0x00000018, "Object Already Exists", "ObjectAlreadyExists", V1_4;
        INVALID_TICKET = 0x00000019, "Invalid Ticket", "InvalidTicket", V2_0;
        USAGE_LIMIT_EXCEEDED = 0x0000001A, "Usage Limit Exceeded", "UsageLimitExceeded", V2_0;
        NUMERIC_RANGE = 0x0000001B, "Numeric Range", "NumericRange", V2_0;
        INVALID_DATA_TYPE = 0x0000001C, "Invalid Data Type", "InvalidDataType", V2_0;
        READ_ONLY_ATTRIBUTE = 0x0000001D, "Read Only Attribute", "ReadOnlyAttribute", V2_0;
        MULTI_VALUED_ATTRIBUTE = 0x0000001E, "Multi Valued Attribute", "MultiValuedAttribute", V2_0;
        UNSUPPORTED_ATTRIBUTE = 0x0000001F, "Unsupported Attribute", "UnsupportedAttribute", V2_0;
        ATTRIBUTE_INSTANCE_NOT_FOUND = 0x00000020, "Attribute Instance Not Found", "AttributeInstanceNotFound", V2_0;
        ATTRIBUTE_NOT_FOUND = 0x00000021, "Attribute Not Found", "AttributeNotFound", V2_0;
        ATTRIBUTE_READ_ONLY = 0x00000022, "Attribute Read Only", "AttributeReadOnly", V2_0;
        ATTRIBUTE_SINGLE_VALUED = 0x00000023, "Attribute Single Valued", "AttributeSingleValued", V2_0;
        BAD_CRYPTOGRAPHIC_PARAMETERS = 0x00000024, "Bad Cryptographic Parameters", "BadCryptographicParameters", V2_0;
        BAD_PASSWORD = 0x00000025, "Bad Password", "BadPassword", V2_0;
        CODEC_ERROR = 0x00000026, "Codec Error", "CodecError", V2_0;
        ILLEGAL_OBJECT_TYPE = 0x00000028, "Illegal Object Type", "IllegalObjectType", V2_0;
        INCOMPATIBLE_CRYPTOGRAPHIC_USAGE_MASK = 0x00000029, "Incompatible Cryptographic Usage Mask", "IncompatibleCryptographicUsageMask", V2_0;
        INTERNAL_SERVER_ERROR = 0x0000002A, "Internal Server Error", "InternalServerError", V2_0;
        INVALID_ASYNCHRONOUS_CORRELATION_VALUE = 0x0000002B, "Invalid Asynchronous Correlation Value", "InvalidAsynchronousCorrelationValue", V2_0;
        INVALID_ATTRIBUTE = 0x0000002C, "Invalid Attribute", "InvalidAttribute", V2_0;
        INVALID_ATTRIBUTE_VALUE = 0x0000002D, "Invalid Attribute Value", "InvalidAttributeValue", V2_0;
        INVALID_CORRELATION_VALUE = 0x0000002E, "Invalid Correlation Value", "InvalidCorrelationValue", V2_0;
        INVALID_CSR = 0x0000002F, "Invalid CSR", "InvalidCSR", V2_0;
        INVALID_OBJECT_TYPE = 0x00000030, "Invalid Object Type", "InvalidObjectType", V2_0;
        KEY_WRAP_TYPE_NOT_SUPPORTED = 0x00000032, "Key Wrap Type Not Supported", "KeyWrapTypeNotSupported", V2_0;
        MISSING_INITIALIZATION_VECTOR = 0x00000034, "Missing Initialization Vector", "MissingInitializationVector", V2_0;
        NON_UNIQUE_NAME_ATTRIBUTE = 0x00000035, "Non Unique Name Attribute", "NonUniqueNameAttribute", V2_0;
        OBJECT_DESTROYED = 0x00000036, "Object Destroyed", "ObjectDestroyed", V2_0;
        OBJECT_NOT_FOUND = 0x00000037, "Object Not Found", "ObjectNotFound", V2_0;
        NOT_AUTHORIZED = 0x00000039, "Not Authorised", "NotAuthorised", V2_0, aliases ["NotAuthorized"];
        SERVER_LIMIT_EXCEEDED = 0x0000003A, "Server Limit Exceeded", "ServerLimitExceeded", V2_0;
        UNKNOWN_ENUMERATION = 0x0000003B, "Unknown Enumeration", "UnknownEnumeration", V2_0;
        UNKNOWN_MESSAGE_EXTENSION = 0x0000003C, "Unknown Message Extension", "UnknownMessageExtension", V2_0;
        UNKNOWN_TAG = 0x0000003D, "Unknown Tag", "UnknownTag", V2_0;
        UNSUPPORTED_CRYPTOGRAPHIC_PARAMETERS = 0x0000003E, "Unsupported Cryptographic Parameters", "UnsupportedCryptographicParameters", V2_0;
        UNSUPPORTED_PROTOCOL_VERSION = 0x0000003F, "Unsupported Protocol Version", "UnsupportedProtocolVersion", V2_0;
        WRAPPING_OBJECT_ARCHIVED = 0x00000040, "Wrapping Object Archived", "WrappingObjectArchived", V2_0;
        WRAPPING_OBJECT_DESTROYED = 0x00000041, "Wrapping Object Destroyed", "WrappingObjectDestroyed", V2_0;
        WRAPPING_OBJECT_NOT_FOUND = 0x00000042, "Wrapping Object Not Found", "WrappingObjectNotFound", V2_0;
        WRONG_KEY_LIFECYCLE_STATE = 0x00000043, "Wrong Key Lifecycle State", "WrongKeyLifecycleState", V2_0;
        PROTECTION_STORAGE_UNAVAILABLE = 0x00000044, "Protection Storage Unavailable", "ProtectionStorageUnavailable", V2_0;
        PKCS_11_CODEC_ERROR = 0x00000045, "PKCS#11 Codec Error", "PKCS_11CodecError", V2_0;
        PKCS_11_INVALID_FUNCTION = 0x00000046, "PKCS#11 Invalid Function", "PKCS_11InvalidFunction", V2_0;
        PKCS_11_INVALID_INTERFACE = 0x00000047, "PKCS#11 Invalid Interface", "PKCS_11InvalidInterface", V2_0;
        PRIVATE_PROTECTION_STORAGE_UNAVAILABLE = 0x00000048, "Private Protection Storage Unavailable", "PrivateProtectionStorageUnavailable", V2_0;
        PUBLIC_PROTECTION_STORAGE_UNAVAILABLE = 0x00000049, "Public Protection Storage Unavailable", "PublicProtectionStorageUnavailable", V2_0;
        UNKNOWN_OBJECT_GROUP = 0x0000004A, "Unknown Object Group", "UnknownObjectGroup", V2_1;
        CONSTRAINT_VIOLATION = 0x0000004B, "Constraint Violation", "ConstraintViolation", V2_1;
        DUPLICATE_PROCESS_REQUEST = 0x0000004C, "Duplicate Process Request", "DuplicateProcessRequest", V2_1;
        GENERAL_FAILURE = 0x00000100, "General Failure", "GeneralFailure", V1_0;
    }
    /// Result Status enumeration (KMIP 1.0 onward).
    ResultStatus = "Result Status" {
        SUCCESS = 0x00000000, "Success", "Success", V1_0;
        OPERATION_FAILED = 0x00000001, "Operation Failed", "OperationFailed", V1_0;
        OPERATION_PENDING = 0x00000002, "Operation Pending", "OperationPending", V1_0;
        OPERATION_UNDONE = 0x00000003, "Operation Undone", "OperationUndone", V1_0;
    }
    /// Revocation Reason Code enumeration (KMIP 1.0 onward).
    RevocationReasonCode = "Revocation Reason Code" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_0;
        KEY_COMPROMISE = 0x00000002, "Key Compromise", "KeyCompromise", V1_0;
        CA_COMPROMISE = 0x00000003, "CA Compromise", "CACompromise", V1_0;
        AFFILIATION_CHANGED = 0x00000004, "Affiliation Changed", "AffiliationChanged", V1_0;
        SUPERSEDED = 0x00000005, "Superseded", "Superseded", V1_0;
        CESSATION_OF_OPERATION = 0x00000006, "Cessation of Operation", "CessationOfOperation", V1_0;
        PRIVILEGE_WITHDRAWN = 0x00000007, "Privilege Withdrawn", "PrivilegeWithdrawn", V1_0;
    }
    /// RNG Algorithm enumeration (KMIP 1.3 onward).
    RNGAlgorithm = "RNG Algorithm" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        FIPS186_2 = 0x00000002, "FIPS 186-2", "FIPS186_2", V1_3;
        DRBG = 0x00000003, "DRBG", "DRBG", V1_3;
        NRBG = 0x00000004, "NRBG", "NRBG", V1_3;
        ANSIX9_31 = 0x00000005, "ANSI X9.31", "ANSIX9_31", V1_3;
        ANSIX9_62 = 0x00000006, "ANSI X9.62", "ANSIX9_62", V1_3;
    }
    /// RNG Mode enumeration (KMIP 1.3 onward).
    RNGMode = "RNG Mode" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        SHARED_INSTANTIATION = 0x00000002, "Shared Instantiation", "SharedInstantiation", V1_3;
        NON_SHARED_INSTANTIATION = 0x00000003, "Non-Shared Instantiation", "NonSharedInstantiation", V1_3;
    }
    /// Rotate Name Type enumeration (KMIP 2.1 onward).
    RotateNameType = "Rotate Name Type" {
        UNINTERPRETED_TEXT_STRING = 0x00000001, "Uninterpreted Text String", "UninterpretedTextString", V2_1;
        URI = 0x00000002, "URI", "URI", V2_1;
    }
    /// Secret Data Type enumeration (KMIP 1.0 onward).
    SecretDataType = "Secret Data Type" {
        PASSWORD = 0x00000001, "Password", "Password", V1_0;
        SEED = 0x00000002, "Seed", "Seed", V1_0;
    }
    /// Shredding Algorithm enumeration (KMIP 1.3 onward).
    ShreddingAlgorithm = "Shredding Algorithm" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        CRYPTOGRAPHIC = 0x00000002, "Cryptographic", "Cryptographic", V1_3;
        UNSUPPORTED = 0x00000003, "Unsupported", "Unsupported", V1_3;
    }
    /// Split Key Method enumeration (KMIP 1.0 onward).
    SplitKeyMethod = "Split Key Method" {
        XOR = 0x00000001, "XOR", "XOR", V1_0;
        POLYNOMIAL_SHARING_GF2_16 = 0x00000002, "Polynomial Sharing GF (2^16)", "PolynomialSharingGF2_16", V1_0;
        POLYNOMIAL_SHARING_PRIME_FIELD = 0x00000003, "Polynomial Sharing Prime Field", "PolynomialSharingPrimeField", V1_0;
        POLYNOMIAL_SHARING_GF2_8 = 0x00000004, "Polynomial Sharing GF (2^8)", "PolynomialSharingGF2_8", V1_2;
    }
    /// State enumeration (KMIP 1.0 onward).
    State = "State" {
        PRE_ACTIVE = 0x00000001, "Pre-Active", "PreActive", V1_0;
        ACTIVE = 0x00000002, "Active", "Active", V1_0;
        DEACTIVATED = 0x00000003, "Deactivated", "Deactivated", V1_0;
        COMPROMISED = 0x00000004, "Compromised", "Compromised", V1_0;
        DESTROYED = 0x00000005, "Destroyed", "Destroyed", V1_0;
        DESTROYED_COMPROMISED = 0x00000006, "Destroyed Compromised", "DestroyedCompromised", V1_0;
    }
    /// Ticket Type enumeration (KMIP 2.0 onward).
    TicketType = "Ticket Type" {
        LOGIN = 0x00000001, "Login", "Login", V2_0;
    }
    /// Unique Identifier enumeration (KMIP 2.0 onward).
    UniqueIdentifier = "Unique Identifier" {
        ID_PLACEHOLDER = 0x00000001, "ID Placeholder", "IDPlaceholder", V2_0;
        CERTIFY = 0x00000002, "Certify", "Certify", V2_0;
        CREATE = 0x00000003, "Create", "Create", V2_0;
        CREATE_KEY_PAIR = 0x00000004, "Create Key Pair", "CreateKeyPair", V2_0;
        CREATE_KEY_PAIR_PRIVATE_KEY = 0x00000005, "Create Key Pair Private Key", "CreateKeyPairPrivateKey", V2_0;
        CREATE_KEY_PAIR_PUBLIC_KEY = 0x00000006, "Create Key Pair Public Key", "CreateKeyPairPublicKey", V2_0;
        CREATE_SPLIT_KEY = 0x00000007, "Create Split Key", "CreateSplitKey", V2_0;
        DERIVE_KEY = 0x00000008, "Derive Key", "DeriveKey", V2_0;
        IMPORT = 0x00000009, "Import", "Import", V2_0;
        JOIN_SPLIT_KEY = 0x0000000A, "Join Split Key", "JoinSplitKey", V2_0;
        LOCATE = 0x0000000B, "Locate", "Locate", V2_0;
        REGISTER = 0x0000000C, "Register", "Register", V2_0;
        RE_KEY = 0x0000000D, "Re-key", "ReKey", V2_0;
        RE_CERTIFY = 0x0000000E, "Re-certify", "ReCertify", V2_0;
        RE_KEY_KEY_PAIR = 0x0000000F, "Re-key Key Pair", "ReKeyKeyPair", V2_0;
        RE_KEY_KEY_PAIR_PRIVATE_KEY = 0x00000010, "Re-key Key Pair Private Key", "ReKeyKeyPairPrivateKey", V2_0;
        RE_KEY_KEY_PAIR_PUBLIC_KEY = 0x00000011, "Re-key Key Pair Public Key", "ReKeyKeyPairPublicKey", V2_0;
    }
    /// Unwrap Mode enumeration (KMIP 1.3 onward).
    UnwrapMode = "Unwrap Mode" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        PROCESSED = 0x00000002, "Processed", "Processed", V1_3;
        NOT_PROCESSED = 0x00000003, "Not Processed", "NotProcessed", V1_3;
    }
    /// Usage Limits Unit enumeration (KMIP 1.0 onward).
    UsageLimitsUnit = "Usage Limits Unit" {
        BYTE = 0x00000001, "Byte", "Byte", V1_0;
        OBJECT = 0x00000002, "Object", "Object", V1_0;
    }
    /// Validation Authority Type enumeration (KMIP 1.3 onward).
    ValidationAuthorityType = "Validation Authority Type" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        NISTCMVP = 0x00000002, "NIST CMVP", "NISTCMVP", V1_3;
        COMMON_CRITERIA = 0x00000003, "Common Criteria", "CommonCriteria", V1_3;
    }
    /// Validation Type enumeration (KMIP 1.3 onward).
    ValidationType = "Validation Type" {
        UNSPECIFIED = 0x00000001, "Unspecified", "Unspecified", V1_3;
        HARDWARE = 0x00000002, "Hardware", "Hardware", V1_3;
        SOFTWARE = 0x00000003, "Software", "Software", V1_3;
        FIRMWARE = 0x00000004, "Firmware", "Firmware", V1_3;
        HYBRID = 0x00000005, "Hybrid", "Hybrid", V1_3;
    }
    /// Validity Indicator enumeration (KMIP 1.0 onward).
    ValidityIndicator = "Validity Indicator" {
        VALID = 0x00000001, "Valid", "Valid", V1_0;
        INVALID = 0x00000002, "Invalid", "Invalid", V1_0;
        UNKNOWN = 0x00000003, "Unknown", "Unknown", V1_0;
    }
    /// Wrapping Method enumeration (KMIP 1.0 onward).
    WrappingMethod = "Wrapping Method" {
        ENCRYPT = 0x00000001, "Encrypt", "Encrypt", V1_0;
        MAC_SIGN = 0x00000002, "MAC/sign", "MACSign", V1_0;
        ENCRYPT_THEN_MAC_SIGN = 0x00000003, "Encrypt then MAC/sign", "EncryptThenMACSign", V1_0;
        MAC_SIGN_THEN_ENCRYPT = 0x00000004, "MAC/sign then encrypt", "MACSignThenEncrypt", V1_0;
        TR_31 = 0x00000005, "TR-31", "TR_31", V1_0;
    }
}

//! Realistic KMIP 1.4 messages built as TTLV trees.
//!
//! One definition serves the codec benchmarks, the NLnet Labs comparison benchmark
//! (`benches/nlnet-compare` at the workspace root) and the fuzz seed corpus, which
//! `tests/fuzz_corpus.rs` checks against these builders (and rewrites with
//! `UPDATE_FUZZ_SEEDS=1`).

// Each includer uses a different subset.
#![allow(dead_code)]

use kmip_ttlv::{BigInteger, Tag, Ttlv, Value};

/// Recognisable test key material: never a real key.
pub const AES_256_KEY: [u8; 32] = [
    0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
    0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F,
];
/// Unique Identifier of the key in the Get response.
pub const KEY_ID: &str = "49a1ca88-6bea-4fb2-b450-7e58802c3038";
/// 2026-01-01T00:00:00Z.
pub const TIME_STAMP: i64 = 1_767_225_600;

// KMIP 1.4 enumeration values (§9.1.3.2).
pub const OPERATION_CREATE: u32 = 0x01;
pub const OPERATION_LOCATE: u32 = 0x08;
pub const OPERATION_GET: u32 = 0x0A;
pub const OPERATION_DESTROY: u32 = 0x14;
pub const OPERATION_DISCOVER_VERSIONS: u32 = 0x1E;
pub const OBJECT_TYPE_SYMMETRIC_KEY: u32 = 0x02;
pub const KEY_FORMAT_RAW: u32 = 0x01;
pub const ALGORITHM_AES: u32 = 0x03;
pub const RESULT_SUCCESS: u32 = 0x00;
pub const NAME_TYPE_TEXT: u32 = 0x01;
pub const STATE_ACTIVE: u32 = 0x02;
/// Encrypt | Decrypt.
pub const USAGE_ENCRYPT_DECRYPT: i32 = 0x04 | 0x08;

fn text(tag: Tag, v: &str) -> Ttlv {
    Ttlv::new(tag, Value::TextString(v.to_owned()))
}

fn int(tag: Tag, v: i32) -> Ttlv {
    Ttlv::new(tag, Value::Integer(v))
}

fn enumeration(tag: Tag, v: u32) -> Ttlv {
    Ttlv::new(tag, Value::Enumeration(v))
}

fn protocol_version(major: i32, minor: i32) -> Ttlv {
    Ttlv::structure(
        Tag::PROTOCOL_VERSION,
        vec![
            int(Tag::PROTOCOL_VERSION_MAJOR, major),
            int(Tag::PROTOCOL_VERSION_MINOR, minor),
        ],
    )
}

fn request(batch_items: Vec<Ttlv>) -> Ttlv {
    let count = i32::try_from(batch_items.len()).unwrap_or(i32::MAX);
    let mut children = vec![Ttlv::structure(
        Tag::REQUEST_HEADER,
        vec![protocol_version(1, 4), int(Tag::BATCH_COUNT, count)],
    )];
    children.extend(batch_items);
    Ttlv::structure(Tag::REQUEST_MESSAGE, children)
}

fn request_item(operation: u32, payload: Vec<Ttlv>) -> Ttlv {
    Ttlv::structure(
        Tag::BATCH_ITEM,
        vec![
            enumeration(Tag::OPERATION, operation),
            Ttlv::structure(Tag::REQUEST_PAYLOAD, payload),
        ],
    )
}

/// A KMIP 1.x attribute: name and value (KMIP 1.4 §2.1.1).
fn attribute(name: &str, value: Value) -> Ttlv {
    Ttlv::structure(
        Tag::ATTRIBUTE,
        vec![
            text(Tag::ATTRIBUTE_NAME, name),
            Ttlv::new(Tag::ATTRIBUTE_VALUE, value),
        ],
    )
}

/// Get response carrying an AES-256 key in Raw format (KMIP 1.4 §4.11, §2.2.2).
pub fn get_response_aes256() -> Ttlv {
    Ttlv::structure(
        Tag::RESPONSE_MESSAGE,
        vec![
            Ttlv::structure(
                Tag::RESPONSE_HEADER,
                vec![
                    protocol_version(1, 4),
                    Ttlv::new(Tag::TIME_STAMP, Value::DateTime(TIME_STAMP)),
                    int(Tag::BATCH_COUNT, 1),
                ],
            ),
            Ttlv::structure(
                Tag::BATCH_ITEM,
                vec![
                    enumeration(Tag::OPERATION, OPERATION_GET),
                    enumeration(Tag::RESULT_STATUS, RESULT_SUCCESS),
                    Ttlv::structure(
                        Tag::RESPONSE_PAYLOAD,
                        vec![
                            enumeration(Tag::OBJECT_TYPE, OBJECT_TYPE_SYMMETRIC_KEY),
                            text(Tag::UNIQUE_IDENTIFIER, KEY_ID),
                            Ttlv::structure(
                                Tag::SYMMETRIC_KEY,
                                vec![Ttlv::structure(
                                    Tag::KEY_BLOCK,
                                    vec![
                                        enumeration(Tag::KEY_FORMAT_TYPE, KEY_FORMAT_RAW),
                                        Ttlv::structure(
                                            Tag::KEY_VALUE,
                                            vec![Ttlv::new(
                                                Tag::KEY_MATERIAL,
                                                Value::ByteString(AES_256_KEY.to_vec()),
                                            )],
                                        ),
                                        enumeration(Tag::CRYPTOGRAPHIC_ALGORITHM, ALGORITHM_AES),
                                        int(Tag::CRYPTOGRAPHIC_LENGTH, 256),
                                    ],
                                )],
                            ),
                        ],
                    ),
                ],
            ),
        ],
    )
}

/// Locate request for an active AES-256 symmetric key by name (KMIP 1.4 §4.9).
pub fn locate_request() -> Ttlv {
    request(vec![request_item(
        OPERATION_LOCATE,
        vec![
            int(Tag::MAXIMUM_ITEMS, 10),
            attribute("Object Type", Value::Enumeration(OBJECT_TYPE_SYMMETRIC_KEY)),
            attribute("Cryptographic Algorithm", Value::Enumeration(ALGORITHM_AES)),
            attribute("Cryptographic Length", Value::Integer(256)),
            attribute("State", Value::Enumeration(STATE_ACTIVE)),
            attribute(
                "Name",
                Value::Structure(vec![
                    text(Tag::NAME_VALUE, "backup-volume-key"),
                    enumeration(Tag::NAME_TYPE, NAME_TYPE_TEXT),
                ]),
            ),
        ],
    )])
}

/// Unique Identifier of the `index`th key in the Get batch.
pub fn batch_key_id(index: usize) -> String {
    format!("6b1f3c2e-0000-4000-8000-{index:012}")
}

/// One request message batching `count` Get operations (KMIP 1.4 §7.2).
pub fn get_batch_request(count: usize) -> Ttlv {
    request(
        (0..count)
            .map(|i| {
                let mut item = request_item(
                    OPERATION_GET,
                    vec![text(Tag::UNIQUE_IDENTIFIER, &batch_key_id(i))],
                );
                if let Value::Structure(children) = &mut item.value {
                    let id = u32::try_from(i).unwrap_or(u32::MAX).to_be_bytes();
                    children.insert(
                        1,
                        Ttlv::new(Tag::UNIQUE_BATCH_ITEM_ID, Value::ByteString(id.to_vec())),
                    );
                }
                item
            })
            .collect(),
    )
}

/// Create request for an AES-256 key with a name (KMIP 1.4 §4.1).
pub fn create_request() -> Ttlv {
    request(vec![request_item(
        OPERATION_CREATE,
        vec![
            enumeration(Tag::OBJECT_TYPE, OBJECT_TYPE_SYMMETRIC_KEY),
            Ttlv::structure(
                Tag::TEMPLATE_ATTRIBUTE,
                vec![
                    attribute("Cryptographic Algorithm", Value::Enumeration(ALGORITHM_AES)),
                    attribute("Cryptographic Length", Value::Integer(256)),
                    attribute(
                        "Cryptographic Usage Mask",
                        Value::Integer(USAGE_ENCRYPT_DECRYPT),
                    ),
                    attribute(
                        "Name",
                        Value::Structure(vec![
                            text(Tag::NAME_VALUE, "backup-volume-key"),
                            enumeration(Tag::NAME_TYPE, NAME_TYPE_TEXT),
                        ]),
                    ),
                ],
            ),
        ],
    )])
}

/// Discover Versions request listing 1.4 down to 1.0 (KMIP 1.4 §4.26).
pub fn discover_versions_request() -> Ttlv {
    request(vec![request_item(
        OPERATION_DISCOVER_VERSIONS,
        (0..=4)
            .rev()
            .map(|minor| protocol_version(1, minor))
            .collect(),
    )])
}

/// Destroy request (KMIP 1.4 §4.21).
pub fn destroy_request() -> Ttlv {
    request(vec![request_item(
        OPERATION_DESTROY,
        vec![text(Tag::UNIQUE_IDENTIFIER, KEY_ID)],
    )])
}

/// The named messages (structure roots), for benchmarks and seeds.
pub fn messages() -> Vec<(&'static str, Ttlv)> {
    vec![
        ("get-response-aes256", get_response_aes256()),
        ("locate-request", locate_request()),
        ("get-batch-request-10", get_batch_request(10)),
        ("create-request-aes256", create_request()),
        ("discover-versions-request", discover_versions_request()),
        ("destroy-request", destroy_request()),
        (
            "empty-request",
            Ttlv::structure(Tag::REQUEST_MESSAGE, Vec::new()),
        ),
    ]
}

/// One item of every type, and a structure holding all of them, for the item decoder.
pub fn items() -> Vec<(&'static str, Ttlv)> {
    // The placeholder tag of the specification's examples, and an extension tag.
    let tag = Tag::from_be_bytes([0x42, 0x00, 0x20]);
    let extension = Tag::from_be_bytes([0x54, 0x00, 0x01]);
    let primitives = vec![
        ("integer", Value::Integer(-8)),
        ("long-integer", Value::LongInteger(123_456_789_000_000_000)),
        (
            "big-integer",
            Value::BigInteger(BigInteger::from_i128(
                -1_234_567_890_000_000_000_000_000_000,
            )),
        ),
        ("enumeration", Value::Enumeration(255)),
        ("boolean", Value::Boolean(true)),
        (
            "text-string",
            Value::TextString("Hello World \u{1F511}".to_owned()),
        ),
        ("byte-string", Value::ByteString(vec![1, 2, 3])),
        ("date-time", Value::DateTime(TIME_STAMP)),
        ("interval", Value::Interval(864_000)),
        (
            "date-time-extended",
            Value::DateTimeExtended(TIME_STAMP * 1_000_000 + 1),
        ),
    ];
    let all = Ttlv::structure(
        extension,
        primitives
            .iter()
            .map(|(_, v)| Ttlv::new(tag, v.clone()))
            .collect(),
    );
    let mut out: Vec<(&'static str, Ttlv)> = primitives
        .into_iter()
        .map(|(name, v)| (name, Ttlv::new(tag, v)))
        .collect();
    out.push(("every-type", all));
    out
}

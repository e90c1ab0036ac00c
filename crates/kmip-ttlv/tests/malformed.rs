//! Every class of malformed TTLV, table-driven: each case asserts the exact error kind,
//! byte offset and tag path, and is decoded twice to show the answer is deterministic.
//! (RELIABILITY.md parser checks 1, 4, 5, 6, 7, 9 and 10.)

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use kmip_ttlv::{
    DecodeError, DecodeErrorKind, FrameHeader, HEADER_LEN, ItemType, Limits, Tag, decode,
    decode_message,
};

/// Request Message: the root of every case that needs one.
const ROOT: u32 = 0x42_0078;
/// Batch Item: an inner structure.
const INNER: u32 = 0x42_000F;
/// The placeholder tag of the specification's encoding examples.
const LEAF: u32 = 0x42_0020;
/// A second leaf tag, to tell siblings apart in paths.
const SIBLING: u32 = 0x42_0021;

/// Which entry point a case goes through.
#[derive(Clone, Copy, Debug)]
enum Entry {
    /// `decode`: any root type.
    Item,
    /// `decode_message`: the root must be a structure.
    Message,
}

struct Case {
    name: String,
    input: Vec<u8>,
    entry: Entry,
    limits: Limits,
    kind: DecodeErrorKind,
    offset: usize,
    path: Vec<u32>,
}

impl Case {
    fn new(name: impl Into<String>, input: Vec<u8>, kind: DecodeErrorKind) -> Self {
        Case {
            name: name.into(),
            input,
            entry: Entry::Item,
            limits: Limits::DEFAULT,
            kind,
            offset: 0,
            path: Vec::new(),
        }
    }

    fn at(mut self, offset: usize, path: &[u32]) -> Self {
        self.offset = offset;
        self.path = path.to_vec();
        self
    }

    fn message(mut self) -> Self {
        self.entry = Entry::Message;
        self
    }

    fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

fn run(entry: Entry, input: &[u8], limits: &Limits) -> Result<kmip_ttlv::Ttlv, DecodeError> {
    match entry {
        Entry::Item => decode(input, limits),
        Entry::Message => decode_message(input, limits),
    }
}

fn tags(path: &[u32]) -> Vec<Tag> {
    path.iter().map(|&t| Tag::new(t).unwrap()).collect()
}

/// Decodes twice; both runs must fail identically, as the case says.
fn check(case: &Case) {
    let first = run(case.entry, &case.input, &case.limits);
    let second = run(case.entry, &case.input, &case.limits);
    assert_eq!(first, second, "{}: not deterministic", case.name);
    let err = match first {
        Ok(tree) => panic!("{}: accepted as {tree:?}", case.name),
        Err(err) => err,
    };
    assert_eq!(err.kind, case.kind, "{}: kind ({err})", case.name);
    assert_eq!(err.offset, case.offset, "{}: offset ({err})", case.name);
    assert_eq!(
        err.path.tags(),
        tags(&case.path).as_slice(),
        "{}: path ({err})",
        case.name
    );
    // The message is usable as a diagnostic and names the place.
    let text = err.to_string();
    assert!(text.contains(&format!("at byte {}", case.offset)), "{text}");
}

fn check_all(cases: &[Case]) {
    assert!(!cases.is_empty());
    for case in cases {
        check(case);
    }
}

/// A header and exactly the bytes given (no padding added).
fn raw(tag: u32, item_type: u8, length: u32, body: &[u8]) -> Vec<u8> {
    let mut out = Tag::new(tag).unwrap().to_be_bytes().to_vec();
    out.push(item_type);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(body);
    out
}

/// A structure whose declared length is exactly the bytes of its children.
fn structure(tag: u32, children: &[Vec<u8>]) -> Vec<u8> {
    let body: Vec<u8> = children.concat();
    raw(tag, 0x01, u32::try_from(body.len()).unwrap(), &body)
}

/// A well-formed padded primitive.
fn primitive(tag: u32, item_type: ItemType, value: &[u8]) -> Vec<u8> {
    let mut body = value.to_vec();
    body.resize(value.len().div_ceil(8) * 8, 0);
    raw(
        tag,
        item_type.to_byte(),
        u32::try_from(value.len()).unwrap(),
        &body,
    )
}

fn integer(tag: u32, v: i32) -> Vec<u8> {
    primitive(tag, ItemType::Integer, &v.to_be_bytes())
}

/// A valid message using every item type and two levels of nesting.
fn valid_message() -> Vec<u8> {
    structure(
        ROOT,
        &[
            structure(
                0x42_0077, // Request Header
                &[
                    structure(
                        0x42_0069, // Protocol Version
                        &[integer(0x42_006A, 1), integer(0x42_006B, 4)],
                    ),
                    integer(0x42_000D, 1), // Batch Count
                    primitive(
                        0x42_0092,
                        ItemType::DateTime,
                        &0x47DA_67F8_i64.to_be_bytes(),
                    ),
                ],
            ),
            structure(
                INNER,
                &[
                    primitive(0x42_005C, ItemType::Enumeration, &10_u32.to_be_bytes()),
                    structure(
                        0x42_0079, // Request Payload
                        &[
                            primitive(0x42_0094, ItemType::TextString, b"uid-1"),
                            primitive(LEAF, ItemType::LongInteger, &(-5_i64).to_be_bytes()),
                            primitive(LEAF, ItemType::BigInteger, &[0xFF; 16]),
                            primitive(LEAF, ItemType::Boolean, &1_u64.to_be_bytes()),
                            primitive(LEAF, ItemType::ByteString, &[1, 2, 3]),
                            primitive(LEAF, ItemType::Interval, &864_000_u32.to_be_bytes()),
                            primitive(LEAF, ItemType::DateTimeExtended, &7_i64.to_be_bytes()),
                        ],
                    ),
                ],
            ),
        ],
    )
}

/// The types whose length is fixed, with that length.
const FIXED: [(ItemType, u32); 7] = [
    (ItemType::Integer, 4),
    (ItemType::Enumeration, 4),
    (ItemType::Interval, 4),
    (ItemType::LongInteger, 8),
    (ItemType::DateTime, 8),
    (ItemType::DateTimeExtended, 8),
    (ItemType::Boolean, 8),
];

const WRONG_LENGTHS: [u32; 13] = [0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 0x8000_0000, 0xFFFF_FFFF];

#[test]
fn the_valid_message_decodes_and_round_trips() {
    let bytes = valid_message();
    let tree = decode_message(&bytes, &Limits::DEFAULT).unwrap();
    assert_eq!(tree.to_bytes().unwrap(), bytes);
    assert_eq!(tree.encoded_len(), bytes.len());
}

#[test]
fn rejects_wrong_fixed_lengths() {
    let mut cases = Vec::new();
    for (item_type, fixed) in FIXED {
        for length in WRONG_LENGTHS.into_iter().filter(|&l| l != fixed) {
            // As much body as the length asks for, capped: the header alone is wrong.
            let body_len = (length.min(16) as usize).div_ceil(8) * 8;
            let leaf = raw(LEAF, item_type.to_byte(), length, &vec![0; body_len]);
            let name = format!("{item_type} of length {length}");
            cases.push(
                Case::new(
                    format!("{name} as root"),
                    leaf.clone(),
                    DecodeErrorKind::InvalidLength { item_type, length },
                )
                .at(0, &[LEAF]),
            );
            cases.push(
                Case::new(
                    format!("{name} in a structure"),
                    structure(ROOT, &[integer(SIBLING, 1), leaf]),
                    DecodeErrorKind::InvalidLength { item_type, length },
                )
                .at(24, &[ROOT, LEAF])
                .message(),
            );
        }
    }
    assert_eq!(cases.len(), 7 * 12 * 2);
    check_all(&cases);
}

#[test]
fn rejects_booleans_other_than_zero_and_one() {
    let values = [
        2,
        3,
        0xFF,
        0x0100,
        0x0100_0000_0000_0000,
        0x8000_0000_0000_0000,
        u64::MAX,
    ];
    let cases: Vec<Case> = values
        .into_iter()
        .map(|v| {
            Case::new(
                format!("Boolean {v:#x}"),
                structure(
                    ROOT,
                    &[
                        integer(SIBLING, 1),
                        primitive(LEAF, ItemType::Boolean, &v.to_be_bytes()),
                    ],
                ),
                DecodeErrorKind::InvalidBoolean(v),
            )
            .at(24, &[ROOT, LEAF])
            .message()
        })
        .collect();
    check_all(&cases);
}

#[test]
fn rejects_invalid_utf8() {
    let texts: [&[u8]; 7] = [
        &[0xFF],
        &[b'a', 0x80],
        &[0xC0, 0x80],             // overlong NUL
        &[0xE2, 0x82],             // truncated sequence
        &[0xED, 0xA0, 0x80],       // surrogate
        &[0xF4, 0x90, 0x80, 0x80], // above U+10FFFF
        b"valid until here \xFE",
    ];
    let cases: Vec<Case> = texts
        .into_iter()
        .map(|text| {
            Case::new(
                format!("text {text:02X?}"),
                structure(
                    ROOT,
                    &[structure(
                        INNER,
                        &[primitive(LEAF, ItemType::TextString, text)],
                    )],
                ),
                DecodeErrorKind::InvalidUtf8,
            )
            .at(16, &[ROOT, INNER, LEAF])
            .message()
        })
        .collect();
    check_all(&cases);
}

#[test]
fn rejects_reserved_type_bytes() {
    let mut cases = Vec::new();
    for type_byte in std::iter::once(0x00).chain(0x0C..=0xFF) {
        let leaf = raw(LEAF, type_byte, 4, &[0; 8]);
        cases.push(
            Case::new(
                format!("type {type_byte:#04x} as root"),
                leaf.clone(),
                DecodeErrorKind::InvalidItemType(type_byte),
            )
            .at(0, &[LEAF]),
        );
        cases.push(
            Case::new(
                format!("type {type_byte:#04x} as message root"),
                leaf.clone(),
                DecodeErrorKind::InvalidItemType(type_byte),
            )
            .at(0, &[LEAF])
            .message(),
        );
        cases.push(
            Case::new(
                format!("type {type_byte:#04x} nested"),
                structure(ROOT, &[structure(INNER, &[integer(SIBLING, 7), leaf])]),
                DecodeErrorKind::InvalidItemType(type_byte),
            )
            .at(32, &[ROOT, INNER, LEAF])
            .message(),
        );
    }
    assert_eq!(cases.len(), 245 * 3);
    check_all(&cases);
}

#[test]
fn rejects_non_zero_padding_in_every_padded_type() {
    // Each padded type with a value that leaves padding, and where that padding starts.
    let padded: [(ItemType, &[u8]); 5] = [
        (ItemType::Integer, &[0, 0, 0, 1]),
        (ItemType::Enumeration, &[0, 0, 0, 1]),
        (ItemType::Interval, &[0, 0, 0, 1]),
        (ItemType::TextString, b"abc"),
        (ItemType::ByteString, &[1, 2, 3, 4, 5, 6, 7, 8, 9]),
    ];
    let mut cases = Vec::new();
    for (item_type, value) in padded {
        let good = primitive(LEAF, item_type, value);
        let pad_start = HEADER_LEN + value.len();
        for bad in pad_start..good.len() {
            for byte in [0x01, 0x80, 0xFF] {
                let mut leaf = good.clone();
                leaf[bad] = byte;
                cases.push(
                    Case::new(
                        format!("{item_type} padding byte {bad} = {byte:#04x}"),
                        structure(ROOT, &[integer(SIBLING, 1), leaf]),
                        DecodeErrorKind::NonZeroPadding,
                    )
                    .at(24 + bad, &[ROOT, LEAF])
                    .message(),
                );
            }
        }
    }
    // 3 types with 4 padding bytes, text with 5, bytes with 7; three values each.
    assert_eq!(cases.len(), (4 * 3 + 5 + 7) * 3);
    check_all(&cases);
}

#[test]
fn rejects_structure_lengths_that_are_not_multiples_of_eight() {
    let mut cases = Vec::new();
    for length in [1, 2, 3, 4, 5, 6, 7, 9, 12, 15, 17, 0xFFFF_FFF9] {
        let body = vec![0; 24];
        cases.push(
            Case::new(
                format!("root structure of length {length}"),
                raw(ROOT, 0x01, length, &body),
                DecodeErrorKind::InvalidLength {
                    item_type: ItemType::Structure,
                    length,
                },
            )
            .at(0, &[ROOT])
            .message()
            // The limit must not answer first for the huge length.
            .limits(Limits::DEFAULT.with_max_message_len(usize::MAX)),
        );
        let inner = raw(INNER, 0x01, length, &body);
        cases.push(
            Case::new(
                format!("inner structure of length {length}"),
                structure(ROOT, &[integer(SIBLING, 1), inner]),
                DecodeErrorKind::InvalidLength {
                    item_type: ItemType::Structure,
                    length,
                },
            )
            .at(24, &[ROOT, INNER])
            .message()
            .limits(Limits::DEFAULT.with_max_message_len(usize::MAX)),
        );
    }
    check_all(&cases);
}

#[test]
fn rejects_big_integer_lengths_that_are_not_multiples_of_eight() {
    let mut cases = Vec::new();
    for length in [0, 1, 4, 7, 9, 12, 15, 17, 31] {
        let body = vec![0; (length as usize).div_ceil(8) * 8];
        cases.push(
            Case::new(
                format!("big integer of length {length}"),
                structure(ROOT, &[raw(LEAF, 0x04, length, &body)]),
                DecodeErrorKind::InvalidLength {
                    item_type: ItemType::BigInteger,
                    length,
                },
            )
            .at(8, &[ROOT, LEAF])
            .message(),
        );
    }
    check_all(&cases);
}

#[test]
fn rejects_children_that_overrun_their_parent() {
    let cases = vec![
        // The inner structure declares 8 bytes but holds a 16-byte integer: the integer's
        // value runs past the inner structure's end.
        Case::new(
            "primitive past its parent",
            structure(ROOT, &[raw(INNER, 0x01, 8, &integer(LEAF, 1))]),
            DecodeErrorKind::ChildOverrunsParent,
        )
        .at(16, &[ROOT, INNER, LEAF])
        .message(),
        // A text string declaring more than the root holds.
        Case::new(
            "text past the root",
            raw(ROOT, 0x01, 16, &raw(LEAF, 0x07, 20, &[b'a'; 24])),
            DecodeErrorKind::ChildOverrunsParent,
        )
        .at(8, &[ROOT, LEAF])
        .message(),
        // A nested structure declaring more than its parent holds.
        Case::new(
            "structure past its parent",
            structure(
                ROOT,
                &[raw(
                    INNER,
                    0x01,
                    16,
                    &raw(0x42_0079, 0x01, 16, &integer(LEAF, 1)),
                )],
            ),
            DecodeErrorKind::ChildOverrunsParent,
        )
        .at(16, &[ROOT, INNER, 0x42_0079])
        .message(),
    ];
    check_all(&cases);
}

#[test]
fn rejects_parents_longer_than_their_children() {
    // Children are multiples of 8, so a parent's extra bytes are read as one more child:
    // the error is whatever that non-child is.
    let int = integer(LEAF, 1);
    let mut zeros_after = raw(ROOT, 0x01, 24, &int);
    zeros_after.extend_from_slice(&[0; 8]);
    let mut inner_too_long = raw(INNER, 0x01, 24, &int);
    inner_too_long.extend_from_slice(&integer(SIBLING, 2));
    let cases = vec![
        Case::new(
            "eight zero bytes after the last child",
            zeros_after,
            DecodeErrorKind::InvalidItemType(0),
        )
        .at(24, &[ROOT, 0])
        .message(),
        // The inner structure claims its sibling's header; the sibling's value is then
        // outside the inner structure.
        Case::new(
            "inner structure swallowing its sibling's header",
            structure(ROOT, &[inner_too_long]),
            DecodeErrorKind::ChildOverrunsParent,
        )
        .at(32, &[ROOT, INNER, SIBLING])
        .message(),
    ];
    check_all(&cases);
}

#[test]
fn rejects_trailing_bytes() {
    let message = valid_message();
    let mut cases = Vec::new();
    for extra in [1_usize, 7, 8, 9, 16, 100] {
        let mut input = message.clone();
        input.extend((0..extra).map(|i| i as u8));
        cases.push(
            Case::new(
                format!("{extra} trailing bytes"),
                input,
                DecodeErrorKind::TrailingBytes(extra),
            )
            .at(message.len(), &[])
            .message(),
        );
    }
    // A whole second message is trailing bytes too.
    let mut two = message.clone();
    two.extend_from_slice(&message);
    cases.push(
        Case::new(
            "two messages",
            two,
            DecodeErrorKind::TrailingBytes(message.len()),
        )
        .at(message.len(), &[])
        .message(),
    );
    check_all(&cases);
}

#[test]
fn every_prefix_of_a_valid_message_is_truncated() {
    let message = valid_message();
    let n = message.len();
    assert!(n > 200, "the message should be non-trivial ({n} bytes)");
    let mut cases = Vec::new();
    for len in 0..n {
        let prefix = message[..len].to_vec();
        for entry in [Entry::Item, Entry::Message] {
            let case = if len < HEADER_LEN {
                Case::new(
                    format!("{entry:?} prefix {len}"),
                    prefix.clone(),
                    DecodeErrorKind::Truncated {
                        needed: HEADER_LEN as u64,
                        available: len,
                    },
                )
                .at(0, &[])
            } else {
                Case::new(
                    format!("{entry:?} prefix {len}"),
                    prefix.clone(),
                    DecodeErrorKind::Truncated {
                        needed: n as u64,
                        available: len,
                    },
                )
                .at(0, &[ROOT])
            };
            let mut case = case;
            case.entry = entry;
            cases.push(case);
        }
    }
    check_all(&cases);
    // A header cut short is truncated, whatever its first bytes say.
    check(
        &Case::new(
            "prefix with a reserved type",
            vec![0x42, 0x00, 0x78, 0x0C],
            DecodeErrorKind::Truncated {
                needed: HEADER_LEN as u64,
                available: 4,
            },
        )
        .message(),
    );
}

#[test]
fn message_root_must_be_a_structure() {
    let roots: [(ItemType, &[u8]); 10] = [
        (ItemType::Integer, &[0, 0, 0, 8]),
        (ItemType::LongInteger, &[0; 8]),
        (ItemType::BigInteger, &[0; 8]),
        (ItemType::Enumeration, &[0; 4]),
        (ItemType::Boolean, &[0; 8]),
        (ItemType::TextString, b"Hello World"),
        (ItemType::ByteString, &[1, 2, 3]),
        (ItemType::DateTime, &[0; 8]),
        (ItemType::Interval, &[0; 4]),
        (ItemType::DateTimeExtended, &[0; 8]),
    ];
    let mut cases = Vec::new();
    for (item_type, value) in roots {
        let input = primitive(LEAF, item_type, value);
        // The same bytes are a valid item: only a message needs a structure root.
        assert!(decode(&input, &Limits::DEFAULT).is_ok(), "{item_type}");
        cases.push(
            Case::new(
                format!("{item_type} root"),
                input,
                DecodeErrorKind::RootNotStructure(item_type),
            )
            .at(0, &[LEAF])
            .message(),
        );
    }
    check_all(&cases);
}

/// `count` structures, each the only child of the one before.
fn nested(count: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(count * HEADER_LEN);
    for level in 0..count {
        let remaining = u32::try_from((count - level - 1) * HEADER_LEN).unwrap();
        out.extend_from_slice(&raw(INNER, 0x01, remaining, &[]));
    }
    out
}

/// Runs `f` on a thread with a 256 KiB stack, as a server worker might have.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn ten_thousand_nested_structures_are_too_deep_without_overflowing_the_stack() {
    let input = nested(10_000);
    assert_eq!(input.len(), 80_000);
    let limit = Limits::DEFAULT.max_depth;
    // The first item past the limit is the one at depth limit + 1.
    let case = Case::new("10,000 levels", input, DecodeErrorKind::TooDeep(limit))
        .at(limit * HEADER_LEN, &vec![INNER; limit + 1]);
    let mut case = case;
    case = on_small_stack(move || {
        check(&case);
        case.entry = Entry::Message;
        check(&case);
        case
    });
    assert_eq!(case.kind, DecodeErrorKind::TooDeep(32));
}

#[test]
fn depth_is_capped_at_64_whatever_the_limits_say() {
    // Decoding recurses once per level: an unbounded depth limit let 100,000 nested
    // structures overflow the stack.
    let through_builder = Limits::DEFAULT.with_max_depth(usize::MAX);
    let through_field = Limits {
        max_depth: usize::MAX,
        ..Limits::DEFAULT
    };
    for limits in [through_builder, through_field] {
        assert_eq!(limits.depth_limit(), Limits::MAX_DEPTH);
        on_small_stack(move || {
            let input = nested(100_000);
            for decoded in [decode(&input, &limits), decode_message(&input, &limits)] {
                let err = decoded.unwrap_err();
                assert_eq!(err.kind, DecodeErrorKind::TooDeep(64));
                assert_eq!(err.offset, 64 * HEADER_LEN);
            }
        });
    }
    assert_eq!(Limits::MAX_DEPTH, 64);
    assert_eq!(Limits::DEFAULT.with_max_depth(10).depth_limit(), 10);
}

#[test]
fn nesting_up_to_the_limit_decodes_on_a_small_stack() {
    // 64 is the most a server should allow; 64 levels must fit in 256 KiB.
    let limits = Limits::DEFAULT.with_max_depth(64);
    on_small_stack(move || {
        let input = nested(64);
        let tree = decode_message(&input, &limits).unwrap();
        assert_eq!(tree.to_bytes().unwrap(), input);
        let err = decode_message(&nested(65), &limits).unwrap_err();
        assert_eq!(err.kind, DecodeErrorKind::TooDeep(64));
        assert_eq!(err.offset, 64 * HEADER_LEN);
    });
}

#[test]
fn rejects_more_items_than_the_limit() {
    let children: Vec<Vec<u8>> = (0..20).map(|i| integer(LEAF, i)).collect();
    let input = structure(ROOT, &children);
    // The root counts: with a limit of 10 the tenth child is the eleventh item.
    let limits = Limits::DEFAULT.with_max_items(10);
    check(
        &Case::new("21 items", input.clone(), DecodeErrorKind::TooManyItems(10))
            .at(8 + 9 * 16, &[ROOT, LEAF])
            .message()
            .limits(limits),
    );
    let at_limit = structure(ROOT, &children[..9]);
    assert!(decode_message(&at_limit, &limits).is_ok());
    assert!(decode_message(&input, &Limits::DEFAULT.with_max_items(21)).is_ok());
}

#[test]
fn rejects_messages_longer_than_the_limit() {
    let message = valid_message();
    let n = message.len();
    let cases = vec![
        // The whole input is over the limit.
        Case::new(
            "complete message one byte over",
            message.clone(),
            DecodeErrorKind::TooLong {
                declared: n as u64,
                limit: n - 1,
            },
        )
        .message()
        .limits(Limits::DEFAULT.with_max_message_len(n - 1)),
        // Only the header is here, and what it declares is over the limit.
        Case::new(
            "header declaring one byte over",
            message[..HEADER_LEN].to_vec(),
            DecodeErrorKind::TooLong {
                declared: n as u64,
                limit: n - 1,
            },
        )
        .at(0, &[ROOT])
        .message()
        .limits(Limits::DEFAULT.with_max_message_len(n - 1)),
        // A child of a complete parent declaring a length past the limit: the limit
        // answers before the overrun.
        Case::new(
            "child declaring past the limit",
            structure(ROOT, &[raw(LEAF, 0x08, 0x0010_0000, &[0; 8])]),
            DecodeErrorKind::TooLong {
                declared: 16 + 0x0010_0000,
                limit: 1 << 20,
            },
        )
        .at(8, &[ROOT, LEAF])
        .message(),
    ];
    check_all(&cases);
    assert!(decode_message(&message, &Limits::DEFAULT.with_max_message_len(n)).is_ok());
}

/// The 4 GiB header of RELIABILITY.md check 1.
const FOUR_GIB_HEADER: [u8; 8] = [0x42, 0x00, 0x78, 0x01, 0xFF, 0xFF, 0xFF, 0xF8];

#[test]
fn a_four_gib_header_is_refused_by_the_frame_check_and_by_decode() {
    let expected = DecodeErrorKind::TooLong {
        declared: 0xFFFF_FFF8 + 8,
        limit: 1 << 20,
    };
    let framed = FrameHeader::parse(&FOUR_GIB_HEADER, &Limits::DEFAULT).unwrap_err();
    assert_eq!(framed.kind, expected);
    assert_eq!(framed.offset, 0);
    assert_eq!(framed.path.tags(), tags(&[ROOT]).as_slice());

    let mut input = FOUR_GIB_HEADER.to_vec();
    input.extend_from_slice(&integer(LEAF, 1)[..8]);
    assert_eq!(input.len(), 16);
    let case = Case::new("16 bytes claiming 4 GiB", input.clone(), expected)
        .at(0, &[ROOT])
        .message();
    check(&case);
    assert_eq!(decode(&input, &Limits::DEFAULT).unwrap_err(), framed);

    // Even with no message limit at all nothing is allocated for the body: the declared
    // length is checked against the bytes present first.
    let unlimited = Limits::DEFAULT.with_max_message_len(usize::MAX);
    let before = peak_virtual_memory();
    for _ in 0..1000 {
        let err = decode_message(&input, &unlimited).unwrap_err();
        assert_eq!(
            err.kind,
            DecodeErrorKind::Truncated {
                needed: 0xFFFF_FFF8 + 8,
                available: 16
            }
        );
    }
    if let (Some(before), Some(after)) = (before, peak_virtual_memory()) {
        // A 4 GiB buffer would raise the peak by 4 GiB even if never touched; other
        // tests running meanwhile account for far less than 1 GiB.
        assert!(
            after.saturating_sub(before) < 1 << 30,
            "peak virtual memory grew from {before} to {after} bytes"
        );
    }
}

/// The process's peak virtual memory size in bytes (Linux `VmPeak`), where available.
fn peak_virtual_memory() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmPeak:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[test]
fn frame_header_refuses_what_decode_refuses() {
    let limit = Limits::DEFAULT.max_message_len;
    let headers: [([u8; 8], DecodeErrorKind); 5] = [
        (
            FOUR_GIB_HEADER,
            DecodeErrorKind::TooLong {
                declared: 0xFFFF_FFF8 + 8,
                limit,
            },
        ),
        (
            // A 1 MiB body: one header too many for a 1 MiB message.
            [0x42, 0x00, 0x78, 0x01, 0x00, 0x10, 0x00, 0x00],
            DecodeErrorKind::TooLong {
                declared: (1 << 20) + 8,
                limit,
            },
        ),
        (
            [0x42, 0x00, 0x78, 0x01, 0x00, 0x00, 0x00, 0x0C],
            DecodeErrorKind::InvalidLength {
                item_type: ItemType::Structure,
                length: 12,
            },
        ),
        (
            [0x42, 0x00, 0x78, 0x02, 0x00, 0x00, 0x00, 0x04],
            DecodeErrorKind::RootNotStructure(ItemType::Integer),
        ),
        (
            [0x42, 0x00, 0x78, 0x00, 0x00, 0x00, 0x00, 0x08],
            DecodeErrorKind::InvalidItemType(0x00),
        ),
    ];
    for (header, kind) in headers {
        let framed = FrameHeader::parse(&header, &Limits::DEFAULT).unwrap_err();
        assert_eq!(framed.kind, kind, "{header:02X?}");
        assert_eq!(framed.offset, 0, "{header:02X?}");
        assert_eq!(framed.path.tags(), tags(&[ROOT]).as_slice());
        let mut input = header.to_vec();
        input.extend_from_slice(&[0; 8]);
        assert_eq!(
            decode_message(&input, &Limits::DEFAULT).unwrap_err(),
            framed,
            "{header:02X?}"
        );
    }
}

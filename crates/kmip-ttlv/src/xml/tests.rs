use super::*;
use crate::{BigInteger, Tag, Value};

fn parse(xml: &str) -> Result<Ttlv, XmlError> {
    from_str(xml, &XmlOptions::new())
}

/// Writes a tree that XML can carry.
fn write(item: &Ttlv) -> String {
    to_string(item).unwrap()
}

fn round_trip(item: &Ttlv) {
    let xml = write(item);
    assert_eq!(&parse(&xml).unwrap(), item, "{xml}");
}

#[test]
fn reads_a_message_and_writes_it_back() {
    let xml = r#"<?xml version="1.0"?>
<!-- comment -->
<RequestMessage>
  <RequestHeader>
    <ProtocolVersion>
      <ProtocolVersionMajor type="Integer" value="1"/>
      <ProtocolVersionMinor type="Integer" value="4"/>
    </ProtocolVersion>
    <BatchCount type="Integer" value="1"></BatchCount>
  </RequestHeader>
  <BatchItem>
    <Operation type="Enumeration" value="Create"/>
    <RequestPayload>
      <ObjectType type="Enumeration" value="SymmetricKey"/>
      <CryptographicUsageMask type="Integer" value="Decrypt   Encrypt"/>
      <Name type="TextString" value="a &amp; b &lt;&#913;&gt;"/>
    </RequestPayload>
  </BatchItem>
</RequestMessage>
"#;
    let item = parse(xml).unwrap();
    assert_eq!(item.tag, Tag::REQUEST_MESSAGE);
    let payload = item
        .child(Tag::BATCH_ITEM)
        .and_then(|b| b.child(Tag::REQUEST_PAYLOAD))
        .unwrap();
    assert_eq!(
        payload.child(Tag::CRYPTOGRAPHIC_USAGE_MASK).unwrap().value,
        Value::Integer(12)
    );
    assert_eq!(
        payload.child(Tag::NAME).unwrap().value,
        Value::TextString("a & b <\u{391}>".into())
    );
    let written = write(&item);
    assert!(
        written.contains(r#"<CryptographicUsageMask type="Integer" value="Encrypt Decrypt"/>"#)
    );
    assert!(written.contains(r#"<ObjectType type="Enumeration" value="SymmetricKey"/>"#));
    assert!(written.starts_with("<RequestMessage>\n  <RequestHeader>\n    <ProtocolVersion>\n"));
    round_trip(&item);
}

#[test]
fn attribute_value_resolves_through_its_attribute_name() {
    let xml = r#"<TemplateAttribute>
  <Attribute>
    <AttributeName type="TextString" value="Cryptographic Algorithm"/>
    <AttributeValue type="Enumeration" value="AES"/>
  </Attribute>
  <Attribute>
    <AttributeName type="TextString" value="Cryptographic Usage Mask"/>
    <AttributeValue type="Integer" value="Encrypt Decrypt"/>
  </Attribute>
  <Attribute>
    <AttributeName type="TextString" value="x-custom"/>
    <AttributeValue type="Integer" value="12"/>
  </Attribute>
</TemplateAttribute>"#;
    let item = parse(xml).unwrap();
    let values: Vec<&Value> = item
        .children()
        .unwrap()
        .iter()
        .map(|a| &a.child(Tag::ATTRIBUTE_VALUE).unwrap().value)
        .collect();
    assert_eq!(
        values,
        [
            &Value::Enumeration(3),
            &Value::Integer(12),
            &Value::Integer(12)
        ]
    );
    let written = write(&item);
    assert!(written.contains(r#"<AttributeValue type="Enumeration" value="AES"/>"#));
    assert!(written.contains(r#"<AttributeValue type="Integer" value="Encrypt Decrypt"/>"#));
    assert!(written.contains(r#"<AttributeValue type="Integer" value="12"/>"#));
    round_trip(&item);

    // Without the attribute name there is nothing to resolve the name with.
    let orphan = r#"<Attribute><AttributeValue type="Enumeration" value="AES"/></Attribute>"#;
    assert!(matches!(
        parse(orphan).unwrap_err().kind,
        XmlErrorKind::Value(ValueError::NameNotAllowed { .. })
    ));
}

#[test]
fn whitespace_damage_is_collapsed_on_request() {
    let xml = r#"<Attribute>
  <AttributeName type="TextString" value="Cryptographic   Usage Mask"/>
  <AttributeValue type="Integer" value="Decrypt   Encrypt"/>
</Attribute>"#;
    // The attribute name still resolves (names are compared normalised), but the text
    // keeps its damage unless collapsing is asked for.
    let raw = parse(xml).unwrap();
    assert_eq!(
        raw.children().unwrap()[0].value,
        Value::TextString("Cryptographic   Usage Mask".into())
    );
    let options = XmlOptions::new().with_collapse_whitespace(true);
    let item = from_str(xml, &options).unwrap();
    let children = item.children().unwrap();
    assert_eq!(
        children[0].value,
        Value::TextString("Cryptographic Usage Mask".into())
    );
    assert_eq!(children[1].value, Value::Integer(12));
}

#[test]
fn unknown_tags_use_the_ttlv_element() {
    let xml = r#"<RequestMessage>
  <TTLV tag="0x540001" type="TextString" value="na"/>
  <TTLV tag="0x540002">
    <TTLV tag="0x540003" type="Integer" value="0x0000000A"/>
  </TTLV>
  <Whatever tag="BatchCount" type="Integer" value="2"/>
</RequestMessage>"#;
    let item = parse(xml).unwrap();
    let children = item.children().unwrap();
    assert_eq!(children[0].tag.value(), 0x54_0001);
    assert_eq!(children[1].children().unwrap()[0].value, Value::Integer(10));
    assert_eq!(children[2].tag, Tag::BATCH_COUNT);
    let written = write(&item);
    assert!(written.contains(r#"<TTLV tag="0x540001" type="TextString" value="na"/>"#));
    assert!(written.contains("</TTLV>"));
    round_trip(&item);

    for bad in [
        r#"<TTLV type="Integer" value="1"/>"#,
        r#"<TTLV tag="0x1000000" type="Integer" value="1"/>"#,
        r#"<NoSuchTag type="Integer" value="1"/>"#,
    ] {
        assert!(parse(bad).is_err(), "{bad}");
    }
}

#[test]
fn date_times_are_iso_8601_in_utc() {
    let xml = r#"<ActivationDate type="DateTime" value="2012-04-27T18:12:26+10:00"/>"#;
    let item = parse(xml).unwrap();
    assert_eq!(item.value, Value::DateTime(1_335_514_346));
    assert_eq!(
        write(&item),
        "<ActivationDate type=\"DateTime\" value=\"2012-04-27T08:12:26+00:00\"/>\n"
    );
    let extended = Ttlv::new(
        Tag::ACTIVATION_DATE,
        Value::DateTimeExtended(1_335_514_346_000_042),
    );
    assert!(write(&extended).contains("2012-04-27T08:12:26.000042+00:00"));
    round_trip(&extended);
}

#[test]
fn placeholders_go_to_the_hook() {
    let xml = r#"<ResponseHeader>
  <TimeStamp type="DateTime" value="$NOW-3600"/>
  <UniqueIdentifier type="TextString" value="$UNIQUE_IDENTIFIER_0"/>
  <Data type="ByteString" value="$DATA_0"/>
</ResponseHeader>"#;
    assert_eq!(
        parse(xml).unwrap_err().kind,
        XmlErrorKind::Value(ValueError::Placeholder(Shown::Quoted("$NOW-3600".into())))
    );
    let hook = |name: &str, item_type: ItemType| match (name, item_type) {
        ("$NOW-3600", ItemType::DateTime) => Some(Value::DateTime(1000 - 3600)),
        ("$DATA_0", ItemType::ByteString) => Some(Value::ByteString(vec![1, 2])),
        _ => None,
    };
    let options = XmlOptions::new().with_placeholder(&hook);
    let item = from_str(xml, &options).unwrap();
    let children = item.children().unwrap();
    assert_eq!(children[0].value, Value::DateTime(-2600));
    assert_eq!(
        children[1].value,
        Value::TextString("$UNIQUE_IDENTIFIER_0".into())
    );
    assert_eq!(children[2].value, Value::ByteString(vec![1, 2]));

    let wrong_type = |_: &str, _: ItemType| Some(Value::Integer(1));
    let options = XmlOptions::new().with_placeholder(&wrong_type);
    assert!(matches!(
        from_str(xml, &options).unwrap_err().kind,
        XmlErrorKind::Value(ValueError::PlaceholderType { .. })
    ));
}

#[test]
fn every_type_round_trips() {
    let item = Ttlv::structure(
        Tag::RESPONSE_MESSAGE,
        vec![
            Ttlv::new(Tag::BATCH_COUNT, Value::Integer(-5)),
            Ttlv::new(Tag::CRYPTOGRAPHIC_USAGE_MASK, Value::Integer(-1)),
            Ttlv::new(Tag::STORAGE_STATUS_MASK, Value::Integer(0)),
            Ttlv::new(Tag::ATTRIBUTE_INDEX, Value::LongInteger(i64::MIN)),
            Ttlv::new(Tag::D, Value::BigInteger(BigInteger::from_i128(-1))),
            Ttlv::new(Tag::OBJECT_TYPE, Value::Enumeration(0x8000_0001)),
            Ttlv::new(
                Tag::ATTRIBUTE_REFERENCE,
                Value::Enumeration(Tag::STATE.value()),
            ),
            Ttlv::new(Tag::ATTRIBUTE_REFERENCE, Value::Enumeration(0x54_0001)),
            Ttlv::new(Tag::SENSITIVE, Value::Boolean(false)),
            Ttlv::new(
                Tag::NAME_VALUE,
                Value::TextString("tab\tline\rquote\" \u{7f} \u{85} é  two\u{FFFD}".into()),
            ),
            Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(vec![0xDE, 0xAD])),
            Ttlv::new(Tag::KEY_MATERIAL, Value::ByteString(Vec::new())),
            Ttlv::new(Tag::INITIAL_DATE, Value::DateTime(i64::MAX)),
            Ttlv::new(Tag::INITIAL_DATE, Value::DateTimeExtended(-1)),
            Ttlv::new(Tag::LEASE_TIME, Value::Interval(u32::MAX)),
            Ttlv::structure(Tag::BATCH_ITEM, Vec::new()),
        ],
    );
    round_trip(&item);
}

#[test]
fn refuses_malformed_items() {
    let bad = [
        ("", XmlErrorKind::NoRoot),
        (
            r#"<BatchCount type="Integer"/>"#,
            XmlErrorKind::MissingValue(ItemType::Integer),
        ),
        (r#"<BatchItem value="1"/>"#, XmlErrorKind::ValueOnStructure),
        (
            r#"<BatchCount type="Integer" value="1" extra="2"/>"#,
            XmlErrorKind::UnknownAttribute("extra".into()),
        ),
        (
            r#"<BatchCount type="Int" value="1"/>"#,
            XmlErrorKind::UnknownType("Int".into()),
        ),
        (
            r#"<BatchCount type="Integer" value="1"><BatchCount type="Integer" value="1"/></BatchCount>"#,
            XmlErrorKind::ChildOfPrimitive(ItemType::Integer),
        ),
        (
            r#"<BatchItem> text </BatchItem>"#,
            XmlErrorKind::UnexpectedText { chars: 4 },
        ),
        (
            r#"<BatchItem><![CDATA[x]]></BatchItem>"#,
            XmlErrorKind::UnexpectedMarkup("CDATA"),
        ),
        (r#"<BatchItem/><BatchItem/>"#, XmlErrorKind::TrailingContent),
        (r#"<BatchItem>"#, XmlErrorKind::UnexpectedEof),
    ];
    for (xml, kind) in bad {
        assert_eq!(parse(xml).unwrap_err().kind, kind, "{xml}");
    }
    for xml in [
        r#"<BatchItem></BatchCount>"#,
        r#"<BatchItem"#,
        r#"<D type="BigInteger" value="0001"/>"#,
        r#"<KeyMaterial type="ByteString" value="0x00"/>"#,
        r#"<Sensitive type="Boolean" value="yes"/>"#,
        r#"<InitialDate type="DateTime" value="yesterday"/>"#,
        r#"<Name type="TextString" value="&unknown;"/>"#,
        r#"<BatchCount type="Integer" value="Encrypt"/>"#,
    ] {
        assert!(parse(xml).is_err(), "{xml}");
    }
}

#[test]
fn errors_name_the_line_and_path() {
    let xml = "<RequestMessage>\n  <BatchItem>\n    <Operation type=\"Enumeration\" value=\"Frobnicate\"/>\n  </BatchItem>\n</RequestMessage>";
    let err = parse(xml).unwrap_err();
    assert_eq!(err.line, 3);
    assert_eq!(
        err.path.tags(),
        [Tag::REQUEST_MESSAGE, Tag::BATCH_ITEM, Tag::OPERATION]
    );
    assert!(
        err.to_string()
            .starts_with("line 3, in RequestMessage/BatchItem/Operation: "),
        "{err}"
    );
    // An element whose tag cannot be read is not on the path; its parent is.
    let unknown =
        "<RequestMessage>\n  <BatchItem>\n    <Frobnicate/>\n  </BatchItem>\n</RequestMessage>";
    let err = parse(unknown).unwrap_err();
    assert_eq!(err.path.tags(), [Tag::REQUEST_MESSAGE, Tag::BATCH_ITEM]);
    assert!(err.to_string().contains("Frobnicate"), "{err}");
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
fn hostile_depth_and_width_are_refused_without_recursion() {
    on_small_stack(|| {
        let depth = 200_000;
        let xml = format!(
            "{}{}",
            "<BatchItem>".repeat(depth),
            "</BatchItem>".repeat(depth)
        );
        assert_eq!(parse(&xml).unwrap_err().kind, XmlErrorKind::TooDeep(32));
        let unbounded = Limits {
            max_depth: usize::MAX,
            ..Limits::DEFAULT
        };
        let options = XmlOptions::new().with_limits(unbounded);
        assert_eq!(
            from_str(&xml, &options).unwrap_err().kind,
            XmlErrorKind::TooDeep(Limits::MAX_DEPTH)
        );
        // The deepest message any limits allow reads, and writes back.
        let deepest = format!(
            "{}{}",
            "<BatchItem>".repeat(Limits::MAX_DEPTH),
            "</BatchItem>".repeat(Limits::MAX_DEPTH)
        )
        .replace("<BatchItem></BatchItem>", "<BatchItem/>");
        let item = from_str(&deepest, &options).unwrap();
        assert_eq!(item.item_count(), Limits::MAX_DEPTH);
        assert_eq!(from_str(&write(&item), &options).unwrap(), item);
    });
    let wide = format!("<BatchItem>{}</BatchItem>", "<BatchItem/>".repeat(10));
    let few = XmlOptions::new().with_limits(Limits::DEFAULT.with_max_items(5));
    assert_eq!(
        from_str(&wide, &few).unwrap_err().kind,
        XmlErrorKind::TooManyItems(5)
    );
    let short = XmlOptions::new().with_limits(Limits::DEFAULT.with_max_message_len(16));
    assert!(matches!(
        from_str(&wide, &short).unwrap_err().kind,
        XmlErrorKind::TooLong { len: 88, limit: 16 }
    ));
}

#[test]
fn test_case_files_yield_messages_in_order() {
    let xml = r#"<?xml version="1.0" ?>
<!-- header -->
<KMIP>
# TIME 0
  <RequestMessage><BatchItem/></RequestMessage>
  0072 0073 debris
  <ResponseMessage><BatchItem/></ResponseMessage>
</KMIP>
"#;
    let messages = parse_test_case(xml, &XmlOptions::new()).unwrap();
    let kinds: Vec<MessageKind> = messages.iter().map(|m| m.kind).collect();
    assert_eq!(kinds, [MessageKind::Request, MessageKind::Response]);
    assert_eq!(messages[0].line, 5);
    assert_eq!(messages[1].line, 7);
    assert_eq!(messages[1].message.tag, Tag::RESPONSE_MESSAGE);

    let old = "<KmipTestCase><RequestMessage/></KmipTestCase>";
    assert_eq!(parse_test_case(old, &XmlOptions::new()).unwrap().len(), 1);
    let wrong_root = "<Other><RequestMessage/></Other>";
    assert!(matches!(
        parse_test_case(wrong_root, &XmlOptions::new())
            .unwrap_err()
            .kind,
        XmlErrorKind::UnexpectedRoot(_)
    ));
    let wrong_child = "<KMIP><BatchItem/></KMIP>";
    assert!(matches!(
        parse_test_case(wrong_child, &XmlOptions::new())
            .unwrap_err()
            .kind,
        XmlErrorKind::UnexpectedElement(_)
    ));
    let doubled_end = "<KMIP><RequestMessage/></KMIP></KMIP>";
    assert!(parse_test_case(doubled_end, &XmlOptions::new()).is_err());
}

/// One Attribute whose Attribute Name is followed by many Attribute Values.
fn attribute_with_many_values(name: &str, value: &str, values: usize) -> String {
    let mut xml = String::from("<Attribute>\n  <AttributeName type=\"TextString\" value=\"");
    xml.push_str(name);
    xml.push_str("\"/>\n");
    for _ in 0..values {
        xml.push_str("  <AttributeValue type=\"Integer\" value=\"");
        xml.push_str(value);
        xml.push_str("\"/>\n");
    }
    xml.push_str("</Attribute>\n");
    xml
}

#[test]
fn attribute_name_is_resolved_once_per_attribute_not_per_value() {
    // Resolving the name again for every value made a 620 KB input take seconds: the
    // work was the name's length times the number of values.
    let hostile = attribute_with_many_values(&"a".repeat(500_000), "1", 12_000);
    assert!(hostile.len() > 1_000_000);
    let usage = attribute_with_many_values("Cryptographic Usage Mask", "Encrypt", 20_000);
    for (xml, values) in [(hostile, 12_000), (usage, 20_000)] {
        crate::value_text::take_names_resolved();
        let item = parse(&xml).unwrap();
        assert_eq!(crate::value_text::take_names_resolved(), 1, "read");
        assert_eq!(item.children().map(<[Ttlv]>::len), Some(values + 1));
        let written = write(&item);
        assert_eq!(crate::value_text::take_names_resolved(), 1, "write");
        assert_eq!(written, xml);
    }
}

/// Hex of a recognisable test key, never a real one.
const KEY_HEX: &str = "3c55aa0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";

/// True when `text` holds any 8-character piece of `secret`.
fn leaks(text: &str, secret: &str) -> bool {
    let secret: Vec<char> = secret.chars().collect();
    secret
        .windows(8.min(secret.len()))
        .any(|w| text.contains(&w.iter().collect::<String>()))
}

#[test]
fn errors_never_quote_byte_strings_big_integers_or_secret_values() {
    let odd = &KEY_HEX[1..];
    let bad_digit = format!("{}zz", &KEY_HEX[..62]);
    let cases = [
        format!(r#"<KeyMaterial type="ByteString" value="{odd}"/>"#),
        format!(r#"<KeyMaterial type="ByteString" value="{bad_digit}"/>"#),
        format!(r#"<D type="BigInteger" value="{}"/>"#, &KEY_HEX[..60]),
        format!(r#"<D type="BigInteger" value="{bad_digit}"/>"#),
        format!(r#"<KeyMaterial type="ByteString" value="">{KEY_HEX}</KeyMaterial>"#),
        format!(r#"<Password type="Integer" value="{KEY_HEX}"/>"#),
        format!(r#"<Password type="Enumeration" value="{KEY_HEX}"/>"#),
        format!(
            r#"<CredentialValue><Username type="DateTime" value="{KEY_HEX}"/></CredentialValue>"#
        ),
        format!(r#"<KeyMaterial type="ByteString" value="&{KEY_HEX};"/>"#),
    ];
    for xml in &cases {
        let err = parse(xml).unwrap_err();
        let shown = format!("{err} / {err:?}");
        assert!(!leaks(&shown, KEY_HEX), "{xml}\n{shown}");
    }
    // What the error does say: the length and where the first bad digit is.
    let err = parse(&cases[1]).unwrap_err();
    assert!(err.to_string().contains("64 characters"), "{err}");
    assert!(err.to_string().contains("character 63"), "{err}");
    // Values that cannot be secrets are still quoted.
    let err = parse(r#"<BatchCount type="Integer" value="twelve"/>"#).unwrap_err();
    assert!(err.to_string().contains("\"twelve\""), "{err}");
}

#[test]
fn text_longer_than_the_text_limit_is_refused_before_it_is_parsed() {
    // A 64-byte message limit allows 1024 bytes of text.
    let limits = Limits::DEFAULT.with_max_message_len(64);
    assert_eq!(limits.max_text_len(), 64 * Limits::TEXT_FACTOR);
    let options = XmlOptions::new().with_limits(limits);
    let padded = |len: usize| format!("<BatchItem>{}</BatchItem>", " ".repeat(len - 23));
    assert!(from_str(&padded(1024), &options).is_ok());
    assert_eq!(
        from_str(&padded(1025), &options).unwrap_err().kind,
        XmlErrorKind::TextTooLong {
            len: 1025,
            limit: 1024
        }
    );
    // A value far past the limit is not read: the whole tree used to be built first,
    // and only its encoded length refused.
    let key = format!(
        r#"<KeyMaterial type="ByteString" value="{}"/>"#,
        "00".repeat(1 << 16)
    );
    assert!(matches!(
        from_str(&key, &options).unwrap_err().kind,
        XmlErrorKind::TextTooLong { limit: 1024, .. }
    ));

    // In a test-case file the limit applies to each message.
    let message = format!("<RequestMessage>{}</RequestMessage>", " ".repeat(900));
    let case = format!("<KMIP>{}</KMIP>", message.repeat(3));
    assert!(case.len() > 2 * 1024);
    assert_eq!(parse_test_case(&case, &options).unwrap().len(), 3);
    let long = format!(
        "<KMIP><RequestMessage>{}</RequestMessage></KMIP>",
        " ".repeat(1100)
    );
    let one_tag = format!(
        r#"<KMIP><RequestMessage tag="{}"/></KMIP>"#,
        "x".repeat(2000)
    );
    for case in [long, one_tag] {
        assert!(matches!(
            parse_test_case(&case, &options).unwrap_err().kind,
            XmlErrorKind::TextTooLong { limit: 1024, .. }
        ));
    }
}

#[test]
fn characters_xml_cannot_carry_are_refused_both_ways() {
    // XML 1.0 allows no other control characters, not even as references: the writer
    // emitted &#x0;, which no reader accepts, this one included.
    for text in [
        "a\u{0}b",
        "a\u{1}b",
        "a\u{B}b",
        "a\u{1F}b",
        "a\u{FFFE}b",
        "a\u{FFFF}b",
    ] {
        let item = Ttlv::structure(
            Tag::NAME,
            vec![Ttlv::new(Tag::NAME_VALUE, Value::TextString(text.into()))],
        );
        let err = to_string(&item).unwrap_err();
        assert_eq!(
            err,
            XmlWriteError::NotXmlChar {
                path: [Tag::NAME, Tag::NAME_VALUE].into_iter().collect(),
                position: 2,
            },
            "{text:?}"
        );
        assert!(
            err.to_string()
                .starts_with("in Name/NameValue: character 2 ")
        );
    }
    // quick-xml refuses a reference to U+0000 itself; the rest come through to this check.
    assert!(matches!(
        parse(r#"<NameValue type="TextString" value="a&#x0;"/>"#)
            .unwrap_err()
            .kind,
        XmlErrorKind::Syntax(_)
    ));
    for reference in ["&#x1;", "&#11;", "&#xFFFE;", "\u{1}"] {
        let xml = format!(r#"<NameValue type="TextString" value="a{reference}"/>"#);
        assert_eq!(
            parse(&xml).unwrap_err().kind,
            XmlErrorKind::NotXmlChar { position: 2 },
            "{xml}"
        );
    }
    // What XML does carry round-trips, control characters included.
    round_trip(&Ttlv::new(
        Tag::NAME_VALUE,
        Value::TextString("\t\n\r \u{7F} \u{D7FF} \u{E000} \u{FFFD} \u{10FFFF}".into()),
    ));
}

//! The attribute and object model against the KMIP XML test-case corpus (OASIS profiles
//! and test cases, ovh/kmip-go copies).
//!
//! Every message of every file is walked; each attribute container, attribute,
//! attribute reference, managed object and related structure found in it is decoded
//! into its typed form under the version of the message's header, encoded again, and
//! must give back the same tree.
//!
//! The corpus lives outside the repository (`$KMIP_VECTORS_DIR`, or `shared/kmip-vectors`
//! beside it); without it the test says it was skipped, and fails when `CI` is set.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::fmt::Write as _;

use kmip_ttlv::xml::MessageKind;
use kmip_ttlv::{KmipVersion, Tag, Ttlv, Value};
use kmip_types::attributes::{
    Attribute, AttributeReference, Attributes, CryptographicDomainParameters,
    CryptographicParameters, RevocationReason, RngParameters, TemplateAttribute,
};
use kmip_types::codec::KmipCodec;
use kmip_types::message::peek_version;
use kmip_types::objects::{KeyWrappingSpecification, Object};
use kmip_types::{Error, ErrorKind};

/// Files whose headers declare an older version than their content uses (upstream
/// defects), with the version the content is written for. Under the declared version the
/// model must refuse such content with `NotInVersion`; under the real one it must
/// round-trip. A listed file without such a refusal fails the test.
const DECLARED_VERSION_DEFECTS: &[(&str, KmipVersion, &str)] = &[(
    "ovh-kmip-go/v1.2/TC_NP_2_12_Notify_Put.xml",
    KmipVersion::V1_2,
    "its server-to-client Put messages declare 1.0 but carry Fresh and a Digest with a Key Format Type (1.1)",
)];

/// What a subtree is decoded as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Attribute,
    TemplateAttribute,
    Attributes,
    AttributeReference,
    Object,
    KeyWrappingSpecification,
    CryptographicParameters,
    CryptographicDomainParameters,
    RevocationReason,
    RngParameters,
}

fn kind_of(item: &Ttlv) -> Option<Kind> {
    let tag = item.tag;
    let is_structure = matches!(item.value, Value::Structure(_));
    Some(match tag {
        Tag::ATTRIBUTE => Kind::Attribute,
        Tag::TEMPLATE_ATTRIBUTE
        | Tag::COMMON_TEMPLATE_ATTRIBUTE
        | Tag::PRIVATE_KEY_TEMPLATE_ATTRIBUTE
        | Tag::PUBLIC_KEY_TEMPLATE_ATTRIBUTE => Kind::TemplateAttribute,
        Tag::ATTRIBUTES
        | Tag::COMMON_ATTRIBUTES
        | Tag::PRIVATE_KEY_ATTRIBUTES
        | Tag::PUBLIC_KEY_ATTRIBUTES
        | Tag::NEW_ATTRIBUTE
        | Tag::CURRENT_ATTRIBUTE => Kind::Attributes,
        Tag::ATTRIBUTE_REFERENCE => Kind::AttributeReference,
        // In KMIP 1.x Certify, Certificate Request is a Byte String field, not an object.
        t if Object::is_object_tag(t) && is_structure => Kind::Object,
        Tag::KEY_WRAPPING_SPECIFICATION => Kind::KeyWrappingSpecification,
        Tag::CRYPTOGRAPHIC_PARAMETERS => Kind::CryptographicParameters,
        Tag::CRYPTOGRAPHIC_DOMAIN_PARAMETERS => Kind::CryptographicDomainParameters,
        Tag::REVOCATION_REASON => Kind::RevocationReason,
        Tag::RNG_PARAMETERS => Kind::RngParameters,
        _ => return None,
    })
}

/// Why a subtree did not round-trip.
enum Failure {
    /// Decoding or encoding failed.
    Codec(&'static str, Error),
    /// It encoded to another tree.
    Differs,
}

impl Failure {
    fn is_not_in_version(&self) -> bool {
        matches!(self, Failure::Codec(_, e) if matches!(e.kind, ErrorKind::NotInVersion { .. }))
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Codec(step, e) => write!(f, "{step}: {e}"),
            Failure::Differs => f.write_str("re-encoded tree differs"),
        }
    }
}

fn re_encode<T: KmipCodec>(item: &Ttlv, version: KmipVersion) -> Result<Ttlv, Failure> {
    let value = T::decode(item.clone(), version).map_err(|e| Failure::Codec("decode", e))?;
    value
        .encode(item.tag, version)
        .map_err(|e| Failure::Codec("encode", e))
}

fn round_trip(kind: Kind, item: &Ttlv, version: KmipVersion) -> Result<(), Failure> {
    let encoded = match kind {
        Kind::Attribute => re_encode::<Attribute>(item, version)?,
        Kind::TemplateAttribute => re_encode::<TemplateAttribute>(item, version)?,
        Kind::Attributes => re_encode::<Attributes>(item, version)?,
        Kind::AttributeReference => re_encode::<AttributeReference>(item, version)?,
        Kind::Object => {
            let object = Object::from_item(item.clone(), version)
                .map_err(|e| Failure::Codec("decode", e))?;
            object
                .to_item(version)
                .map_err(|e| Failure::Codec("encode", e))?
        }
        Kind::KeyWrappingSpecification => re_encode::<KeyWrappingSpecification>(item, version)?,
        Kind::CryptographicParameters => re_encode::<CryptographicParameters>(item, version)?,
        Kind::CryptographicDomainParameters => {
            re_encode::<CryptographicDomainParameters>(item, version)?
        }
        Kind::RevocationReason => re_encode::<RevocationReason>(item, version)?,
        Kind::RngParameters => re_encode::<RngParameters>(item, version)?,
    };
    if &encoded == item {
        Ok(())
    } else {
        Err(Failure::Differs)
    }
}

#[derive(Default)]
struct Tally {
    messages: usize,
    by_kind: BTreeMap<(Kind, &'static str), usize>,
    /// Subtrees refused under a wrongly declared version, as they should be.
    refused_as_declared: usize,
    failures: Vec<String>,
}

/// One message being walked.
struct Walk<'a> {
    /// Where it is, for failure reports.
    at: &'a str,
    /// The version its header declares.
    version: KmipVersion,
    /// The version its content is written for, when the header is known to be wrong.
    real_version: Option<KmipVersion>,
}

impl Tally {
    fn walk(&mut self, item: &Ttlv, walk: &Walk<'_>, path: &mut Vec<Tag>) {
        path.push(item.tag);
        if let Some(kind) = kind_of(item) {
            let family = if walk.version.is_2x() { "2.x" } else { "1.x" };
            *self.by_kind.entry((kind, family)).or_default() += 1;
            let result = match (round_trip(kind, item, walk.version), walk.real_version) {
                (Err(e), Some(real)) if e.is_not_in_version() => {
                    self.refused_as_declared += 1;
                    round_trip(kind, item, real).map_err(|e| (real, e))
                }
                (result, _) => result.map_err(|e| (walk.version, e)),
            };
            if let Err((version, e)) = result {
                let path: Vec<String> = path.iter().map(Tag::to_string).collect();
                self.failures.push(format!(
                    "{} KMIP {version} {}: {e}",
                    walk.at,
                    path.join("/")
                ));
            }
        }
        if let Some(children) = item.children() {
            for child in children {
                self.walk(child, walk, path);
            }
        }
        path.pop();
    }
}

#[test]
fn attributes_and_objects_of_the_xml_test_cases_round_trip() {
    let Some(dir) = kmip_vectors::corpus_dir_or_skip("attributes_vectors") else {
        return;
    };
    let files = kmip_vectors::xml_files(&dir).unwrap();
    let mut tally = Tally::default();
    let mut unreadable = Vec::new();
    for relative in &files {
        let real_version = DECLARED_VERSION_DEFECTS
            .iter()
            .find(|(file, _, _)| file == relative)
            .map(|(_, v, _)| *v);
        let refused_before = tally.refused_as_declared;
        let messages = match kmip_vectors::load(&dir, relative) {
            Ok(m) => m,
            Err(e) => {
                unreadable.push(format!("{relative}: {e}"));
                continue;
            }
        };
        for (i, m) in messages.iter().enumerate() {
            let header = match m.kind {
                MessageKind::Request => Tag::REQUEST_HEADER,
                MessageKind::Response => Tag::RESPONSE_HEADER,
            };
            let at = format!("{relative} message {i} (line {})", m.line);
            let Some(version) = peek_version(&m.message, header)
                .ok()
                .and_then(|v| v.known())
            else {
                tally
                    .failures
                    .push(format!("{at}: no known protocol version"));
                continue;
            };
            tally.messages += 1;
            let walk = Walk {
                at: &at,
                version,
                real_version,
            };
            tally.walk(&m.message, &walk, &mut Vec::new());
        }
        if real_version.is_some() && tally.refused_as_declared == refused_before {
            tally.failures.push(format!(
                "{relative}: listed as declaring the wrong version, but nothing was refused"
            ));
        }
    }

    let mut report = String::new();
    let _ = writeln!(
        report,
        "attributes_vectors: {} files, {} messages",
        files.len(),
        tally.messages
    );
    for ((kind, family), n) in &tally.by_kind {
        let _ = writeln!(report, "  {kind:?} ({family}): {n}");
    }
    let _ = writeln!(
        report,
        "  refused under a wrongly declared version: {} (in {} listed files)",
        tally.refused_as_declared,
        DECLARED_VERSION_DEFECTS.len()
    );
    let _ = writeln!(report, "  failures: {}", tally.failures.len());
    println!("{report}");

    assert!(unreadable.is_empty(), "\n{}", unreadable.join("\n"));
    assert!(
        tally.failures.is_empty(),
        "\n{}",
        tally
            .failures
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert_eq!(files.len(), kmip_vectors::EXPECTED_FILES);
}

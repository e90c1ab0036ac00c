//! `kmip-xml FILE.xml`: reads a KMIP XML message or test case (KMIP Additional Message
//! Encodings §6/§7), and for each message prints its TTLV bytes as hex and what the
//! typed model makes of it (version, operations, result). Placeholders such as `$NOW`
//! get fixed stand-in values. The hex is every byte of the message, key material
//! included (it is meant for test vectors and other tools); `--no-hex` leaves it out.

use std::process::ExitCode;

use kmip_ttlv::xml::{self, MessageKind, XmlOptions};
use kmip_ttlv::{ItemType, Limits, Value};
use kmip_types::{RequestMessage, ResponseMessage};

fn placeholder(name: &str, item_type: ItemType) -> Option<Value> {
    match item_type {
        ItemType::DateTime if name.starts_with("$NOW") => Some(Value::DateTime(0)),
        ItemType::ByteString => Some(Value::ByteString(vec![0; 16])),
        _ => None,
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let hex = !args.iter().any(|a| a == "--no-hex");
    let Some(path) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: kmip-xml [--no-hex] FILE.xml");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let hook = placeholder;
    let options = XmlOptions::new()
        .with_collapse_whitespace(true)
        .with_placeholder(&hook);
    let messages = match xml::parse_test_case(&text, &options) {
        Ok(m) => m,
        Err(_) => match xml::from_str(&text, &options) {
            Ok(tree) => {
                let kind = if tree.tag == kmip_ttlv::Tag::RESPONSE_MESSAGE {
                    MessageKind::Response
                } else {
                    MessageKind::Request
                };
                vec![xml::TestMessage {
                    kind,
                    message: tree,
                    line: 1,
                }]
            }
            Err(e) => {
                eprintln!("{path}: {e}");
                return ExitCode::FAILURE;
            }
        },
    };
    let mut failed = false;
    for (i, m) in messages.iter().enumerate() {
        let bytes = match m.message.to_bytes() {
            Ok(b) => b,
            Err(e) => {
                eprintln!("message {i}: {e}");
                failed = true;
                continue;
            }
        };
        let summary = match m.kind {
            MessageKind::Request => RequestMessage::from_bytes(&bytes, &Limits::DEFAULT).map(|r| {
                let ops: Vec<String> = r
                    .batch_items
                    .iter()
                    .map(|b| format!("{:?}", b.operation))
                    .collect();
                format!(
                    "request  {}.{}  {}",
                    r.header.protocol_version.major,
                    r.header.protocol_version.minor,
                    ops.join(", ")
                )
            }),
            MessageKind::Response => {
                ResponseMessage::from_bytes(&bytes, &Limits::DEFAULT).map(|r| {
                    let items: Vec<String> = r
                        .batch_items
                        .iter()
                        .map(|b| match (b.operation, b.result_reason) {
                            (Some(op), Some(reason)) => {
                                format!("{op:?} {:?} ({reason:?})", b.result_status)
                            }
                            (Some(op), None) => format!("{op:?} {:?}", b.result_status),
                            (None, _) => format!("{:?}", b.result_status),
                        })
                        .collect();
                    format!(
                        "response {}.{}  {}",
                        r.header.protocol_version.major,
                        r.header.protocol_version.minor,
                        items.join(", ")
                    )
                })
            }
        };
        match summary {
            Ok(s) => println!("#{i} line {}: {s} ({} bytes)", m.line, bytes.len()),
            Err(e) => {
                println!("#{i} line {}: not a valid typed message: {e}", m.line);
                failed = true;
            }
        }
        if hex {
            let text: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
            println!("{text}");
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

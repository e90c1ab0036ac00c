//! Prints a TTLV item as an indented tree, with byte strings, big integers and passwords
//! redacted.
//!
//! ```text
//! ttlv-dump [--hex | --bin] [FILE]
//! ```
//!
//! Reads FILE, or standard input without one. The input is hex (whitespace and `|`
//! allowed between digits, as in the specification's examples) or raw bytes; without
//! `--hex` or `--bin` it is taken as hex when it contains nothing else. On a decode
//! error it prints the error with its byte offset and tag path and exits with status 1
//! (status 2 for usage and I/O errors).
//!
//! ```text
//! $ echo '42 00 20 | 02 | 00 00 00 04 | 00 00 00 08 00 00 00 00' | cargo run --example ttlv-dump
//! CompromiseDate (Integer): 8
//! ```

use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use kmip_ttlv::{Limits, decode, pretty};

/// How to read the input bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Auto,
    Hex,
    Binary,
}

#[derive(Debug, PartialEq, Eq)]
struct Options {
    format: Format,
    file: Option<PathBuf>,
}

const USAGE: &str = "usage: ttlv-dump [--hex | --bin] [FILE]";

/// Exit statuses.
const DECODE_FAILED: u8 = 1;
const USAGE_OR_IO: u8 = 2;

fn parse_args(args: impl IntoIterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        format: Format::Auto,
        file: None,
    };
    for arg in args {
        match arg.as_str() {
            "--hex" => options.format = Format::Hex,
            "--bin" => options.format = Format::Binary,
            "-h" | "--help" => return Err(USAGE.to_owned()),
            flag if flag.starts_with('-') && flag != "-" => {
                return Err(format!("unknown option {flag}\n{USAGE}"));
            }
            "-" if options.file.is_none() => {}
            path if options.file.is_none() => options.file = Some(PathBuf::from(path)),
            _ => return Err(format!("more than one input file\n{USAGE}")),
        }
    }
    Ok(options)
}

/// Bytes allowed between hex digits.
fn is_separator(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'|'
}

/// True when the input is plausibly hex: digits and separators only, at least one digit.
fn looks_like_hex(raw: &[u8]) -> bool {
    raw.iter().any(u8::is_ascii_hexdigit)
        && raw
            .iter()
            .all(|&b| b.is_ascii_hexdigit() || is_separator(b))
}

fn parse_hex(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut digits = Vec::with_capacity(raw.len());
    for (at, &b) in raw.iter().enumerate() {
        if b.is_ascii_hexdigit() {
            digits.push(b);
        } else if !is_separator(b) {
            return Err(format!(
                "not a hex digit at input byte {at}: {:?}",
                b as char
            ));
        }
    }
    if digits.len() % 2 != 0 {
        return Err(format!("odd number of hex digits ({})", digits.len()));
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).map_err(|e| e.to_string())?;
            u8::from_str_radix(text, 16).map_err(|e| e.to_string())
        })
        .collect()
}

fn input_bytes(raw: Vec<u8>, format: Format) -> Result<Vec<u8>, String> {
    match format {
        Format::Binary => Ok(raw),
        Format::Hex => parse_hex(&raw),
        Format::Auto if looks_like_hex(&raw) => parse_hex(&raw),
        Format::Auto => Ok(raw),
    }
}

/// Decodes and renders; the error text names the byte offset and the tag path.
fn dump(bytes: &[u8]) -> Result<String, String> {
    match decode(bytes, &Limits::DEFAULT) {
        Ok(item) => Ok(pretty::to_string(&item)),
        Err(err) => Err(format!(
            "decode error: {err}\n  offset: {} (0x{:X}) of {} bytes\n  path:   {}",
            err.offset,
            err.offset,
            bytes.len(),
            err.path
        )),
    }
}

/// The whole tool over injectable streams; returns the exit status.
fn run(
    args: impl IntoIterator<Item = String>,
    stdin: &mut dyn Read,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    // Writes to out/err can fail (a closed pipe); the status still tells what happened.
    let options = match parse_args(args) {
        Ok(options) => options,
        Err(message) => {
            let _ = writeln!(err, "{message}");
            return USAGE_OR_IO;
        }
    };
    let raw = match &options.file {
        Some(path) => std::fs::read(path).map_err(|e| format!("{}: {e}", path.display())),
        None => {
            let mut raw = Vec::new();
            stdin
                .read_to_end(&mut raw)
                .map(|_| raw)
                .map_err(|e| format!("standard input: {e}"))
        }
    };
    let bytes = match raw.and_then(|raw| input_bytes(raw, options.format)) {
        Ok(bytes) => bytes,
        Err(message) => {
            let _ = writeln!(err, "ttlv-dump: {message}");
            return USAGE_OR_IO;
        }
    };
    match dump(&bytes) {
        Ok(tree) => {
            let _ = out.write_all(tree.as_bytes());
            0
        }
        Err(message) => {
            let _ = writeln!(err, "{message}");
            DECODE_FAILED
        }
    }
}

fn main() -> ExitCode {
    let status = run(
        std::env::args().skip(1),
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    ExitCode::from(status)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the tool on `input` as standard input; returns (status, stdout, stderr).
    fn run_on(args: &[&str], input: &[u8]) -> (u8, String, String) {
        let mut out = Vec::new();
        let mut err = Vec::new();
        let status = run(
            args.iter().map(|a| (*a).to_owned()),
            &mut &input[..],
            &mut out,
            &mut err,
        );
        (
            status,
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    /// Get response fragment: a Key Value holding four key bytes.
    const KEY_VALUE_HEX: &str = "42 00 45 | 01 | 00 00 00 10 | \
                                 42 00 43 | 08 | 00 00 00 04 | DE AD BE EF 00 00 00 00";

    #[test]
    fn dumps_spaced_hex_with_key_material_redacted() {
        let (status, out, err) = run_on(&[], KEY_VALUE_HEX.as_bytes());
        assert_eq!(status, 0, "{err}");
        assert_eq!(
            out,
            "KeyValue (Structure)\n  KeyMaterial (ByteString): [4 bytes redacted]\n"
        );
        assert!(!out.to_lowercase().contains("dead"));
    }

    #[test]
    fn reads_binary_by_detection_or_flag() {
        let bytes = parse_hex(KEY_VALUE_HEX.as_bytes()).unwrap();
        let (auto, auto_out, _) = run_on(&[], &bytes);
        let (flagged, flagged_out, _) = run_on(&["--bin"], &bytes);
        assert_eq!((auto, flagged), (0, 0));
        assert_eq!(auto_out, flagged_out);
        assert!(auto_out.starts_with("KeyValue (Structure)"));
    }

    #[test]
    fn reads_a_file_argument() {
        let path = std::env::temp_dir().join(format!("ttlv-dump-test-{}.hex", std::process::id()));
        std::fs::write(&path, "42002002000000040000000800000000\n").unwrap();
        let (status, out, _) = run_on(&["--hex", path.to_str().unwrap()], b"");
        std::fs::remove_file(&path).unwrap();
        assert_eq!(status, 0);
        assert_eq!(out, "CompromiseDate (Integer): 8\n");
    }

    #[test]
    fn reports_offset_and_path_of_a_decode_error() {
        // The second padding byte after the Key Material (offset 21) is set.
        let bad = KEY_VALUE_HEX.replace("EF 00 00", "EF 00 01");
        let (status, out, err) = run_on(&[], bad.as_bytes());
        assert_eq!(status, DECODE_FAILED);
        assert!(out.is_empty());
        assert!(err.contains("non-zero padding at byte 21"), "{err}");
        assert!(err.contains("path:   KeyValue/KeyMaterial"), "{err}");
    }

    #[test]
    fn refuses_malformed_hex_and_bad_usage() {
        assert_eq!(run_on(&["--hex"], b"42 0").0, USAGE_OR_IO);
        assert_eq!(run_on(&["--hex"], b"42 zz").0, USAGE_OR_IO);
        assert_eq!(run_on(&["--frobnicate"], b"").0, USAGE_OR_IO);
        assert_eq!(run_on(&["a", "b"], b"").0, USAGE_OR_IO);
        let (status, _, err) = run_on(&["/nonexistent/input.ttlv"], b"");
        assert_eq!(status, USAGE_OR_IO);
        assert!(err.contains("/nonexistent/input.ttlv"), "{err}");
    }

    #[test]
    fn empty_input_is_a_truncation_error() {
        let (status, _, err) = run_on(&["--bin"], b"");
        assert_eq!(status, DECODE_FAILED);
        assert!(err.contains("truncated input"), "{err}");
    }
}

//! Writes the corpus' messages as binary TTLV files, one per distinct message, to seed
//! the fuzz targets: `cargo run -p kmip-vectors --example export-seeds -- OUT_DIR
//! [--requests] [--only FOLDER_PREFIX]...`.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use kmip_ttlv::xml::MessageKind;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let Some(out) = args.next().map(PathBuf::from) else {
        eprintln!("usage: export-seeds OUT_DIR [--requests] [--only FOLDER_PREFIX]...");
        return ExitCode::from(2);
    };
    let (mut requests_only, mut prefixes) = (false, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--requests" => requests_only = true,
            "--only" => prefixes.extend(args.next()),
            other => {
                eprintln!("unknown argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(dir) = kmip_vectors::corpus_dir() else {
        eprintln!("corpus not found (set KMIP_VECTORS_DIR)");
        return ExitCode::FAILURE;
    };
    let files = match kmip_vectors::xml_files(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = std::fs::create_dir_all(&out) {
        eprintln!("{}: {e}", out.display());
        return ExitCode::FAILURE;
    }
    let mut seen = BTreeSet::new();
    for relative in files
        .iter()
        .filter(|f| prefixes.is_empty() || prefixes.iter().any(|p| f.starts_with(p.as_str())))
    {
        let Ok(messages) = kmip_vectors::load(&dir, relative) else {
            continue;
        };
        let stem = relative.trim_end_matches(".xml").replace('/', "_");
        for (i, m) in messages.iter().enumerate() {
            if requests_only && m.kind != MessageKind::Request {
                continue;
            }
            let Ok(bytes) = m.message.to_bytes() else {
                continue;
            };
            if !seen.insert(bytes.clone()) {
                continue;
            }
            let path = out.join(format!("{stem}-{i:02}.ttlv"));
            if let Err(e) = std::fs::write(&path, &bytes) {
                eprintln!("{}: {e}", path.display());
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{} seeds written to {}", seen.len(), out.display());
    ExitCode::SUCCESS
}

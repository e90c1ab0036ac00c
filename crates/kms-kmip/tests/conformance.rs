//! OASIS KMIP profile and Test Cases files, and the OVHcloud kmip-go copies, replayed
//! over mTLS against a fresh server per file.
//!
//! Each file of a folder runs against its own server (`kms_kmip::serve` on 127.0.0.1:0,
//! a SQLite store in a temporary directory) over one TLS connection with a client
//! certificate from `kms_tls::pki`. Requests get their placeholders bound, responses are
//! compared under the rules documented in `conformance/compare.rs`. Files run in
//! parallel; the report prints `passed/total` per folder and the first difference of
//! every failing file.
//!
//! `conformance-skip.txt` lists the files expected to fail (`path  # reason`). A listed
//! file that passes fails the test, so the list only shrinks; an unlisted file that
//! fails fails the test. The corpus is `$KMIP_VECTORS_DIR` or `shared/kmip-vectors`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "conformance/compare.rs"]
mod compare;
#[path = "conformance/harness.rs"]
mod harness;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use harness::Pki;

/// Files run at once.
const PARALLEL: usize = 8;

fn skip_list() -> BTreeMap<String, String> {
    kmip_vectors::skip_list(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance-skip.txt"),
    )
}

/// Runs every file under `folder` (relative to the corpus) and checks the outcome
/// against the skip list.
fn run_folder(folder: &str) {
    let Some(corpus) = kmip_vectors::corpus_dir_or_skip(folder) else {
        return;
    };
    let started = Instant::now();
    let files: Vec<String> = kmip_vectors::xml_files(&corpus.join(folder))
        .unwrap()
        .into_iter()
        .map(|f| format!("{folder}/{f}"))
        .collect();
    assert!(!files.is_empty(), "no XML files under {folder}");
    let results = run_all(&corpus, &files);

    let skips = skip_list();
    let mut by_folder: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut report = String::new();
    let mut problems = Vec::new();
    for (file, result) in &results {
        let sub = file.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
        let entry = by_folder.entry(sub).or_default();
        entry.1 += 1;
        match (result, skips.get(file)) {
            (Ok(()), None) => entry.0 += 1,
            (Ok(()), Some(_)) => {
                entry.0 += 1;
                problems.push(format!(
                    "{file} passes now: remove it from the skip list (tests/conformance-skip.txt)"
                ));
            }
            (Err(e), Some(_)) => report.push_str(&format!("  skip-listed {file}: {e}\n")),
            (Err(e), None) => {
                report.push_str(&format!("  FAIL {file}: {e}\n"));
                problems.push(format!("{file} fails and is not in the skip list: {e}"));
            }
        }
    }
    eprintln!("\n{:<45} {:>9}", "folder", "passed");
    for (sub, (passed, total)) in &by_folder {
        eprintln!("{sub:<45} {:>9}", format!("{passed}/{total}"));
    }
    eprintln!(
        "{report}({} files in {:.1?})",
        results.len(),
        started.elapsed()
    );
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

/// Runs the files, [`PARALLEL`] at once, each against its own server.
fn run_all(corpus: &Path, files: &[String]) -> Vec<(String, Result<(), String>)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let pki = Arc::new(Pki::new().unwrap());
    let corpus: Arc<PathBuf> = Arc::new(corpus.to_path_buf());
    runtime.block_on(async {
        let limit = Arc::new(tokio::sync::Semaphore::new(PARALLEL));
        let mut tasks = Vec::new();
        for file in files {
            let (pki, corpus, limit, file) = (
                Arc::clone(&pki),
                Arc::clone(&corpus),
                Arc::clone(&limit),
                file.clone(),
            );
            tasks.push(tokio::spawn(async move {
                let _permit = limit.acquire().await;
                let result = harness::run_file(&pki, &corpus, &file).await;
                (file, result)
            }));
        }
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        results
    })
}

#[test]
fn oasis_1_0_profiles() {
    run_folder("oasis-1.0-profiles");
}

#[test]
fn oasis_1_4_profiles_mandatory() {
    run_folder("oasis-1.4/profiles/mandatory");
}

#[test]
fn oasis_1_3_profiles_mandatory() {
    run_folder("oasis-1.3/profiles/mandatory");
}

#[test]
fn oasis_1_3_profiles_optional() {
    run_folder("oasis-1.3/profiles/optional");
}

#[test]
fn oasis_1_4_profiles_optional() {
    run_folder("oasis-1.4/profiles/optional");
}

#[test]
fn oasis_1_3_testcases() {
    run_folder("oasis-1.3/testcases");
}

#[test]
fn oasis_1_4_testcases() {
    run_folder("oasis-1.4/testcases");
}

#[test]
fn ovh_kmip_go_1_0() {
    run_folder("ovh-kmip-go/v1.0");
}

#[test]
fn ovh_kmip_go_1_1() {
    run_folder("ovh-kmip-go/v1.1");
}

#[test]
fn ovh_kmip_go_1_2() {
    run_folder("ovh-kmip-go/v1.2");
}

#[test]
fn ovh_kmip_go_1_3() {
    run_folder("ovh-kmip-go/v1.3");
}

#[test]
fn ovh_kmip_go_1_4() {
    run_folder("ovh-kmip-go/v1.4");
}

//! The README's curl tour is `examples/tour.sh`: run it against a started server, and
//! check that every command the README shows is in the script, so the README stays true.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::path::PathBuf;
use std::process::Command;

use support::{Sandbox, Server, have};

fn workspace_file(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn the_tour_script_runs_against_a_started_server() {
    let missing: Vec<&str> = ["bash", "curl", "jq", "openssl", "base64", "od"]
        .into_iter()
        .filter(|tool| !have(tool))
        .collect();
    if !missing.is_empty() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "the tour needs {missing:?}"
        );
        eprintln!("skipped: the tour needs {missing:?}");
        return;
    }
    let sandbox = Sandbox::new("tour");
    let mut server = Server::start(&sandbox.root, &[], &[]);
    let out = Command::new("bash")
        .arg(workspace_file("examples/tour.sh"))
        .current_dir(&sandbox.root)
        .env("KMS_URL", server.url(""))
        .env("KMS_PKI", &server.pki)
        .output()
        .expect("run the tour");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tour.sh failed:\n{stdout}\n{stderr}\nserver:\n{}",
        server.stderr()
    );
    for expected in [
        "attack at dawn",
        "decrypt with another context: HTTP 400",
        "the sealed data key decrypts to the same 32 bytes",
        "\"result\":true",
        "Verified OK",
    ] {
        assert!(stdout.contains(expected), "{expected:?} not in:\n{stdout}");
    }
    server.stop();
}

#[test]
fn the_readme_tour_is_the_script() {
    let readme = std::fs::read_to_string(workspace_file("README.md")).expect("README.md");
    let script = std::fs::read_to_string(workspace_file("examples/tour.sh")).expect("tour.sh");
    let start = readme
        .find("<!-- tour:start -->")
        .expect("tour start marker");
    let end = readme.find("<!-- tour:end -->").expect("tour end marker");
    let tour = &readme[start..end];
    let mut in_block = false;
    let mut checked = 0;
    for line in tour.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let line = line.trim_end();
        if !in_block || line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        assert!(
            script.lines().any(|s| s.trim_end() == line),
            "README tour line not in examples/tour.sh: {line}"
        );
        checked += 1;
    }
    assert!(checked >= 10, "the README shows the tour's commands");
}

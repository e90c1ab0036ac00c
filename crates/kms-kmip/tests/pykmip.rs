//! Interoperability with a real client: PyKMIP's `ProxyKmipClient` over mTLS runs
//! `tests/pykmip/interop.py` (create, create key pair, register, locate, get, get
//! attributes, activate, encrypt/decrypt, sign/verify, revoke, destroy) for KMIP 1.0 to
//! 1.4 against a server on loopback.
//!
//! PyKMIP comes from the system Python if it imports there, else from a venv under the
//! target directory (`pip install pykmip`). When it cannot be installed the test prints
//! "skipped: PyKMIP unavailable", except under `CI=true`, where it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use kms_kmip::KmipConfig;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{Store, StoreConfig};
use kms_tls::ClientValidity;

/// The venv PyKMIP is installed into when the system Python lacks it.
fn venv_dir() -> PathBuf {
    // Integration tests run from target/<profile>/deps; the venv sits beside them.
    let target = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent()?.parent().map(Path::to_path_buf))
        .unwrap_or_else(std::env::temp_dir);
    target.join("pykmip-venv")
}

fn imports_kmip(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import kmip"])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A Python interpreter that imports `kmip`, installing PyKMIP into a venv if needed.
fn python_with_pykmip() -> Result<PathBuf, String> {
    let system = PathBuf::from("python3");
    if imports_kmip(&system) {
        return Ok(system);
    }
    let venv = venv_dir();
    let python = venv.join("bin/python3");
    if imports_kmip(&python) {
        return Ok(python);
    }
    let created = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&venv)
        .output()
        .map_err(|e| format!("python3 -m venv: {e}"))?;
    if !created.status.success() {
        return Err(format!(
            "python3 -m venv: {}",
            String::from_utf8_lossy(&created.stderr)
        ));
    }
    let installed = Command::new(&python)
        .args(["-m", "pip", "install", "--quiet", "pykmip"])
        .output()
        .map_err(|e| format!("pip install pykmip: {e}"))?;
    if !installed.status.success() || !imports_kmip(&python) {
        return Err(format!(
            "pip install pykmip: {}",
            String::from_utf8_lossy(&installed.stderr)
        ));
    }
    Ok(python)
}

#[test]
fn pykmip_client_interoperates() {
    let python = match python_with_pykmip() {
        Ok(python) => python,
        Err(e) => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true");
            assert!(!ci, "PyKMIP is required in CI: {e}");
            println!("skipped: PyKMIP unavailable ({e})");
            return;
        }
    };

    let dir = std::env::temp_dir().join(format!("kms-kmip-pykmip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let ca = kms_tls::new_ca("kms-kmip PyKMIP CA").unwrap();
    let server = ca
        .issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 30)
        .unwrap();
    let client = ca
        .issue_client("pykmip", None, ClientValidity::days(30))
        .unwrap();
    std::fs::write(dir.join("ca.pem"), ca.cert_pem()).unwrap();
    std::fs::write(dir.join("client.pem"), &client.cert_pem).unwrap();
    std::fs::write(dir.join("client.key"), client.key_pem.as_bytes()).unwrap();
    let tls = kms_tls::server_config(
        server.cert_pem.as_bytes(),
        server.key_pem.as_bytes(),
        ca.cert_pem().as_bytes(),
        Vec::new(),
    )
    .unwrap();

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let port = listener.local_addr().unwrap().port();
    let backend = SqliteBackend::open(&dir.join("kms.db")).unwrap();
    let store = Store::new(
        backend,
        Box::new(MasterKey::generate().unwrap()),
        StoreConfig::default(),
    );
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let served = runtime.spawn(async move {
        kms_kmip::serve(listener, tls, store, KmipConfig::default(), async {
            let _ = stopped.await;
        })
        .await
    });

    // PyKMIP builds `ssl.SSLContext(ssl_version)` and wraps the socket without a server
    // name, so PROTOCOL_TLS_CLIENT (which checks host names) cannot be used: PROTOCOL_TLS
    // negotiates the best version both sides have (TLS 1.3), and PROTOCOL_TLSv1_2 pins
    // TLS 1.2, where the server offers only ECDHE with AEAD suites.
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pykmip/interop.py");
    let mut failed = Vec::new();
    for (ssl_version, versions) in [
        ("PROTOCOL_TLS", &["1.0", "1.1", "1.2", "1.3", "1.4"][..]),
        ("PROTOCOL_TLSv1_2", &["1.4"][..]),
    ] {
        let config = format!(
            "[client]\nhost=127.0.0.1\nport={port}\ncertfile={}\nkeyfile={}\nca_certs={}\n\
             cert_reqs=CERT_REQUIRED\nssl_version={ssl_version}\n\
             do_handshake_on_connect=True\nsuppress_ragged_eofs=True\n",
            dir.join("client.pem").display(),
            dir.join("client.key").display(),
            dir.join("ca.pem").display(),
        );
        let config_file = dir.join(format!("pykmip-{ssl_version}.conf"));
        std::fs::write(&config_file, config).unwrap();
        let output = Command::new(&python)
            .args(["-W", "ignore::DeprecationWarning"])
            .arg(&script)
            .arg(&config_file)
            .args(versions)
            .output()
            .unwrap();
        println!(
            "--- interop.py, ssl_version={ssl_version}:\n{}",
            String::from_utf8_lossy(&output.stdout)
        );
        eprintln!("{}", String::from_utf8_lossy(&output.stderr));
        if !output.status.success() {
            failed.push(format!("{ssl_version}: {}", output.status));
        }
    }

    let _ = stop.send(());
    runtime
        .block_on(async { tokio::time::timeout(Duration::from_secs(30), served).await })
        .expect("the server stops within 30 s")
        .unwrap()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        failed.is_empty(),
        "interop.py failed ({}), see its output above",
        failed.join(", ")
    );
}

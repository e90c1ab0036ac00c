//! Cross-checks against two independent implementations: the `openssl` command (OpenSSL
//! 3) and Python's `cryptography` (`tests/interop.py`, one process per batch of tasks).
//!
//! - Signatures made here (RS*, PS*, ES* in DER, ES* raw converted to DER, and over a
//!   precomputed digest) verify there; signatures made there verify here.
//! - Keys exported here (PKCS#8, PKCS#1, SEC 1, SubjectPublicKeyInfo; PEM and DER) load
//!   there as the same key; keys generated there (RSA 2048, P-256/384/521) import here in
//!   every encoding and sign and verify both ways.
//! - RSA-OAEP (SHA-1, SHA-256, with and without a label) in both directions.
//! - AES-GCM and AES key wrap (RFC 3394, RFC 5649) give the same bytes for the same key,
//!   IV and AAD.
//!
//! The tools are looked up at run time. A missing one prints `skipped: <tool> not found`
//! and the test passes, unless the `CI` variable is set: then it fails, because CI must
//! install them (`.ci/run` does).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use kms_crypto::aead::{self, TagLength};
use kms_crypto::hash;
use kms_crypto::signature::{ecdsa_der_to_raw, ecdsa_raw_to_der};
use kms_crypto::{
    AesKey, AesKeySize, EcCurve, HashAlgorithm, KeySpec, KeyType, Message, PrivateKey,
    PrivateKeyFormat, PublicKey, PublicKeyFormat, RsaKeySize, SignatureAlgorithm, SignatureFormat,
    keywrap, rng,
};
use serde_json::{Value, json};

const MESSAGE: &[u8] = b"kms-crypto interop: the same bytes, signed here and there";

// ---------------------------------------------------------------------------------------
// Tools

#[derive(Clone, Copy)]
enum Tool {
    Openssl,
    Python,
}

impl Tool {
    fn name(self) -> &'static str {
        match self {
            Tool::Openssl => "openssl",
            Tool::Python => "python3 with cryptography",
        }
    }

    fn found(self) -> bool {
        static OPENSSL: OnceLock<bool> = OnceLock::new();
        static PYTHON: OnceLock<bool> = OnceLock::new();
        let succeeds = |program: &str, args: &[&str]| {
            Command::new(program)
                .args(args)
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
        };
        match self {
            Tool::Openssl => *OPENSSL.get_or_init(|| succeeds("openssl", &["version"])),
            Tool::Python => {
                *PYTHON.get_or_init(|| succeeds("python3", &["-c", "import cryptography"]))
            }
        }
    }
}

/// True when every tool is there. Otherwise says which one is missing, on stderr past the
/// test harness's capture so that it shows in a normal run, and fails under CI.
fn have(test: &str, tools: &[Tool]) -> bool {
    for tool in tools {
        if !tool.found() {
            assert!(
                std::env::var_os("CI").is_none(),
                "{test}: {} not found, and CI is set: CI must install it",
                tool.name()
            );
            let _ = writeln!(
                std::io::stderr(),
                "{test}: skipped: {} not found",
                tool.name()
            );
            return false;
        }
    }
    true
}

/// Runs one batch of tasks through `tests/interop.py`, one result per task.
fn python(tasks: Vec<Value>) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/interop.py");
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let count = tasks.len();
    let input = serde_json::to_vec(&Value::Array(tasks)).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "interop.py failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let results: Vec<Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(results.len(), count);
    results
}

/// A task for interop.py: verify `signature` over MESSAGE with the SPKI key `public_hex`.
fn verify_task(public_hex: &str, alg: SignatureAlgorithm, signature: &[u8], format: &str) -> Value {
    json!({
        "op": "verify", "key": public_hex, "alg": alg.jose_name(),
        "msg": hex::encode(MESSAGE), "sig": hex::encode(signature), "format": format,
    })
}

fn hex_field(value: &Value, field: &str) -> Vec<u8> {
    hex::decode(
        value[field]
            .as_str()
            .unwrap_or_else(|| panic!("no {field}")),
    )
    .unwrap()
}

/// A scratch directory for the files openssl reads and writes, removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Scratch {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "kms-crypto-interop-{}-{}-{test}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_owned()
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.0.join(name)).unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Runs openssl; its stdout, or `None` if it exited with an error.
fn openssl_status(args: &[&str]) -> Option<Vec<u8>> {
    let output = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    output.status.success().then_some(output.stdout)
}

/// Runs openssl and insists that it succeeds.
fn openssl(args: &[&str]) -> Vec<u8> {
    let output = Command::new("openssl")
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "openssl {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

// ---------------------------------------------------------------------------------------
// Our keys and algorithms

/// Our keys, generated once per test binary: RSA 2048 and one per curve.
fn our_keys() -> &'static [PrivateKey] {
    static KEYS: OnceLock<Vec<PrivateKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        [
            KeySpec::Rsa(RsaKeySize::Rsa2048),
            KeySpec::Ec(EcCurve::P256),
            KeySpec::Ec(EcCurve::P384),
            KeySpec::Ec(EcCurve::P521),
        ]
        .into_iter()
        .map(|spec| PrivateKey::generate(spec).unwrap())
        .collect()
    })
}

fn our_key_for(alg: SignatureAlgorithm) -> &'static PrivateKey {
    let keys = our_keys();
    match alg.curve() {
        None => &keys[0],
        Some(curve) => keys
            .iter()
            .find(|k| k.key_type() == KeyType::Ec(curve))
            .unwrap(),
    }
}

/// The algorithms a key signs with.
fn algorithms_for(key_type: KeyType) -> Vec<SignatureAlgorithm> {
    SignatureAlgorithm::ALL
        .into_iter()
        .filter(|alg| match key_type {
            KeyType::Rsa { .. } => alg.is_rsa(),
            KeyType::Ec(curve) => alg.curve() == Some(curve),
            _ => false,
        })
        .collect()
}

fn spki(key: &PublicKey) -> Vec<u8> {
    key.to_der(PublicKeyFormat::Spki).unwrap()
}

/// The RSA private exponent or the EC scalar, without leading zeros.
fn secret_of(key: &PrivateKey) -> Vec<u8> {
    let bytes = match key.key_type() {
        KeyType::Ec(_) => key.ec_scalar().unwrap().expose().to_vec(),
        _ => key.rsa_components().unwrap().d.expose().to_vec(),
    };
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    bytes[start..].to_vec()
}

fn digest_name(alg: SignatureAlgorithm) -> &'static str {
    match alg.hash() {
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha384 => "sha384",
        HashAlgorithm::Sha512 => "sha512",
        other => panic!("no signature uses {other:?}"),
    }
}

/// The options that make openssl use RSASSA-PSS with a salt as long as the hash, and
/// insist on that length when verifying.
fn pss_options(alg: SignatureAlgorithm, flag: &'static str) -> Vec<&'static str> {
    if alg.jose_name().starts_with("PS") {
        vec![flag, "rsa_padding_mode:pss", flag, "rsa_pss_saltlen:digest"]
    } else {
        Vec::new()
    }
}

/// Signs MESSAGE with openssl, DER for ECDSA.
fn openssl_sign(dir: &Scratch, key_pem: &str, alg: SignatureAlgorithm) -> Vec<u8> {
    let message = dir.write("message", MESSAGE);
    let out = dir.path("openssl.sig");
    let digest = format!("-{}", digest_name(alg));
    let mut args = vec!["dgst", digest.as_str(), "-sign", key_pem, "-out", &out];
    args.extend(pss_options(alg, "-sigopt"));
    args.push(&message);
    openssl(&args);
    dir.read("openssl.sig")
}

/// Verifies a signature over MESSAGE with openssl (`dgst -verify`); DER for ECDSA.
fn openssl_verifies(
    dir: &Scratch,
    public_pem: &str,
    alg: SignatureAlgorithm,
    signature: &[u8],
) -> bool {
    let message = dir.write("message", MESSAGE);
    let sig = dir.write("signature", signature);
    let digest = format!("-{}", digest_name(alg));
    let mut args = vec![
        "dgst",
        digest.as_str(),
        "-verify",
        public_pem,
        "-signature",
        &sig,
    ];
    args.extend(pss_options(alg, "-sigopt"));
    args.push(&message);
    openssl_status(&args).is_some()
}

/// Verifies a signature over a precomputed digest with openssl (`pkeyutl -verify`).
fn openssl_verifies_digest(
    dir: &Scratch,
    public_pem: &str,
    alg: SignatureAlgorithm,
    digest: &[u8],
    signature: &[u8],
) -> bool {
    let input = dir.write("digest", digest);
    let sig = dir.write("signature", signature);
    let md = format!("digest:{}", digest_name(alg));
    let mut args = vec![
        "pkeyutl", "-verify", "-pubin", "-inkey", public_pem, "-in", &input, "-sigfile", &sig,
        "-pkeyopt", &md,
    ];
    args.extend(pss_options(alg, "-pkeyopt"));
    openssl_status(&args).is_some()
}

/// What we sign for a verifier, and how it must be checked.
struct Signed {
    /// DER for ECDSA.
    der: Vec<u8>,
    /// For ECDSA, our raw `r‖s` signature.
    raw: Option<Vec<u8>>,
    /// A DER signature over the message's digest, made by the digest path.
    over_digest: Vec<u8>,
}

fn sign_here(key: &PrivateKey, alg: SignatureAlgorithm) -> Signed {
    let digest = hash::digest(alg.hash(), MESSAGE);
    let over_digest = key
        .sign(
            alg,
            Message::Digest(digest.as_bytes()),
            SignatureFormat::Der,
        )
        .unwrap();
    let der = key
        .sign(alg, Message::Data(MESSAGE), SignatureFormat::Der)
        .unwrap();
    let raw = alg.curve().map(|_| {
        key.sign(alg, Message::Data(MESSAGE), SignatureFormat::Raw)
            .unwrap()
    });
    Signed {
        der,
        raw,
        over_digest,
    }
}

// ---------------------------------------------------------------------------------------
// Our signatures, verified there

#[test]
fn our_signatures_verify_with_openssl() {
    if !have("our_signatures_verify_with_openssl", &[Tool::Openssl]) {
        return;
    }
    let dir = Scratch::new("sig-openssl");
    for alg in SignatureAlgorithm::ALL {
        let key = our_key_for(alg);
        let public_pem = key.public_key().to_pem(PublicKeyFormat::Spki).unwrap();
        let public_pem = dir.write("public.pem", public_pem.as_bytes());
        let signed = sign_here(key, alg);
        assert!(
            openssl_verifies(&dir, &public_pem, alg, &signed.der),
            "{alg}"
        );
        if let (Some(raw), Some(curve)) = (&signed.raw, alg.curve()) {
            let converted = ecdsa_raw_to_der(curve, raw).unwrap();
            assert!(
                openssl_verifies(&dir, &public_pem, alg, &converted),
                "{alg} raw"
            );
        }
        let digest = hash::digest(alg.hash(), MESSAGE);
        assert!(
            openssl_verifies_digest(
                &dir,
                &public_pem,
                alg,
                digest.as_bytes(),
                &signed.over_digest
            ),
            "{alg} over a digest"
        );
        // A tampered signature is refused: openssl is really checking.
        let mut bad = signed.der.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        assert!(!openssl_verifies(&dir, &public_pem, alg, &bad), "{alg} bad");
    }
}

#[test]
fn our_signatures_verify_with_python() {
    if !have("our_signatures_verify_with_python", &[Tool::Python]) {
        return;
    }
    // (task, whether Python must accept the signature)
    let mut tasks = Vec::new();
    for alg in SignatureAlgorithm::ALL {
        let key = our_key_for(alg);
        let public = hex::encode(spki(&key.public_key()));
        let signed = sign_here(key, alg);
        let verify = |sig: &[u8], format| verify_task(&public, alg, sig, format);
        tasks.push((verify(&signed.der, "der"), true));
        tasks.push((verify(&signed.over_digest, "der"), true));
        if let Some(raw) = &signed.raw {
            tasks.push((verify(raw, "raw"), true));
        }
        // A tampered signature is refused: Python is really checking.
        let mut bad = signed.der.clone();
        let last = bad.len() - 1;
        bad[last] ^= 1;
        tasks.push((verify(&bad, "der"), false));
    }
    let (tasks, expected): (Vec<_>, Vec<_>) = tasks.into_iter().unzip();
    for (i, (result, expect)) in python(tasks).iter().zip(expected).enumerate() {
        assert_eq!(result["ok"], json!(expect), "task {i}");
    }
}

// ---------------------------------------------------------------------------------------
// Our key encodings, loaded there

/// Every encoding of `key` that we export, with the label the loaders need.
struct Export {
    name: String,
    bytes: Vec<u8>,
    pem: bool,
    private: bool,
    /// PKCS#1 `RSAPublicKey`, which openssl reads only when told so.
    pkcs1_public: bool,
}

fn exports(key: &PrivateKey) -> Vec<Export> {
    let is_rsa = matches!(key.key_type(), KeyType::Rsa { .. });
    let private_formats = if is_rsa {
        [PrivateKeyFormat::Pkcs8, PrivateKeyFormat::Pkcs1]
    } else {
        [PrivateKeyFormat::Pkcs8, PrivateKeyFormat::Sec1]
    };
    let mut out = Vec::new();
    for format in private_formats {
        out.push(Export {
            name: format!("{format:?} DER"),
            bytes: key.to_der(format).unwrap().expose().to_vec(),
            pem: false,
            private: true,
            pkcs1_public: false,
        });
        out.push(Export {
            name: format!("{format:?} PEM"),
            bytes: key.to_pem(format).unwrap().as_bytes().to_vec(),
            pem: true,
            private: true,
            pkcs1_public: false,
        });
    }
    let public = key.public_key();
    let public_formats: &[PublicKeyFormat] = if is_rsa {
        &[PublicKeyFormat::Spki, PublicKeyFormat::Pkcs1]
    } else {
        &[PublicKeyFormat::Spki]
    };
    for &format in public_formats {
        let pkcs1_public = format == PublicKeyFormat::Pkcs1;
        out.push(Export {
            name: format!("public {format:?} DER"),
            bytes: public.to_der(format).unwrap(),
            pem: false,
            private: false,
            pkcs1_public,
        });
        out.push(Export {
            name: format!("public {format:?} PEM"),
            bytes: public.to_pem(format).unwrap().into_bytes(),
            pem: true,
            private: false,
            pkcs1_public,
        });
    }
    out
}

#[test]
fn our_key_encodings_load_in_openssl() {
    if !have("our_key_encodings_load_in_openssl", &[Tool::Openssl]) {
        return;
    }
    let dir = Scratch::new("keys-openssl");
    for key in our_keys() {
        let expected = spki(&key.public_key());
        for export in exports(key) {
            let input = dir.write("key", &export.bytes);
            let out = dir.path("spki.der");
            let inform = if export.pem { "PEM" } else { "DER" };
            // openssl prints the public half of what it loaded as SPKI DER; it must be
            // our key's.
            let args: Vec<&str> = match (export.private, export.pkcs1_public) {
                (true, _) => vec!["pkey", "-in", &input, "-inform", inform],
                (false, false) => vec!["pkey", "-pubin", "-in", &input, "-inform", inform],
                (false, true) => vec!["rsa", "-RSAPublicKey_in", "-in", &input, "-inform", inform],
            };
            let mut args = args;
            args.extend(["-pubout", "-outform", "DER", "-out", &out]);
            openssl(&args);
            assert_eq!(dir.read("spki.der"), expected, "{:?} {}", key, export.name);
            if export.private {
                // A full consistency check of the private key (RSA: primes, CRT values).
                let check =
                    openssl(&["pkey", "-in", &input, "-inform", inform, "-check", "-noout"]);
                assert!(
                    String::from_utf8_lossy(&check).contains("Key is valid"),
                    "{}",
                    export.name
                );
            }
        }
    }
}

#[test]
fn our_key_encodings_load_in_python() {
    if !have("our_key_encodings_load_in_python", &[Tool::Python]) {
        return;
    }
    let mut tasks = Vec::new();
    let mut expected = Vec::new();
    for key in our_keys() {
        let public = spki(&key.public_key());
        let secret = secret_of(key);
        for export in exports(key) {
            let op = if export.private {
                "load_private"
            } else {
                "load_public"
            };
            tasks.push(json!({"op": op, "data": hex::encode(&export.bytes), "pem": export.pem}));
            expected.push((
                format!("{:?} {}", key, export.name),
                public.clone(),
                export.private.then(|| secret.clone()),
            ));
        }
    }
    for (result, (name, public, secret)) in python(tasks).iter().zip(expected) {
        assert_eq!(hex_field(result, "spki"), public, "{name}");
        if let Some(secret) = secret {
            assert_eq!(hex_field(result, "secret"), secret, "{name}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Their keys, imported here

/// One encoding of a key made elsewhere: DER in a known format, or PEM, whose label says
/// the format.
struct Encoded<F> {
    name: &'static str,
    bytes: Vec<u8>,
    der: Option<F>,
}

impl<F> Encoded<F> {
    fn text(&self) -> &str {
        std::str::from_utf8(&self.bytes).unwrap()
    }
}

fn der<F>(name: &'static str, bytes: Vec<u8>, format: F) -> Encoded<F> {
    Encoded {
        name,
        bytes,
        der: Some(format),
    }
}

fn pem<F>(name: &'static str, bytes: Vec<u8>) -> Encoded<F> {
    Encoded {
        name,
        bytes,
        der: None,
    }
}

/// Imports every encoding of one key made elsewhere, checks that they all give the same
/// key, and returns it.
fn import_foreign(
    what: &str,
    private: &[Encoded<PrivateKeyFormat>],
    public: &[Encoded<PublicKeyFormat>],
) -> (PrivateKey, PublicKey) {
    let mut privates = private.iter().map(|e| {
        let key = match e.der {
            Some(format) => PrivateKey::from_der(format, &e.bytes),
            None => PrivateKey::from_pem(e.text()),
        };
        (
            e.name,
            key.unwrap_or_else(|err| panic!("{what} {}: {err}", e.name)),
        )
    });
    let (_, first) = privates.next().unwrap();
    let expected = spki(&first.public_key());
    for (name, key) in privates {
        assert_eq!(spki(&key.public_key()), expected, "{what} {name}");
        assert_eq!(secret_of(&key), secret_of(&first), "{what} {name}");
    }
    let mut last = None;
    for e in public {
        let key = match e.der {
            Some(format) => PublicKey::from_der(format, &e.bytes),
            None => PublicKey::from_pem(e.text()),
        }
        .unwrap_or_else(|err| panic!("{what} {}: {err}", e.name));
        assert_eq!(spki(&key), expected, "{what} {}", e.name);
        last = Some(key);
    }
    (first, last.unwrap())
}

fn traditional(spec: &str) -> PrivateKeyFormat {
    if spec.starts_with("RSA") {
        PrivateKeyFormat::Pkcs1
    } else {
        PrivateKeyFormat::Sec1
    }
}

const FOREIGN_KEYS: [&str; 4] = ["RSA-2048", "P-256", "P-384", "P-521"];

#[test]
fn openssl_keys_import_and_sign_both_ways() {
    if !have("openssl_keys_import_and_sign_both_ways", &[Tool::Openssl]) {
        return;
    }
    let dir = Scratch::new("openssl-keys");
    for spec in FOREIGN_KEYS {
        let is_rsa = spec.starts_with("RSA");
        let key_pem = dir.path("key.pem");
        let (algorithm, option) = if is_rsa {
            ("RSA", "rsa_keygen_bits:2048".to_owned())
        } else {
            ("EC", format!("ec_paramgen_curve:{spec}"))
        };
        openssl(&[
            "genpkey",
            "-algorithm",
            algorithm,
            "-pkeyopt",
            &option,
            "-out",
            &key_pem,
        ]);
        // The key in every encoding: PKCS#8 PEM as generated, PKCS#8 DER, the traditional
        // form (PKCS#1 or SEC 1) in PEM and DER, and the public key as SPKI (and PKCS#1
        // for RSA) in PEM and DER.
        let convert = |args: &[&str], out: &str| {
            let out_path = dir.path(out);
            let mut all = args.to_vec();
            all.extend(["-in", key_pem.as_str(), "-out", out_path.as_str()]);
            openssl(&all);
            dir.read(out)
        };
        let trad = traditional(spec);
        // (`pkey -outform DER` writes the traditional form in OpenSSL 3.0.)
        let pkcs8_der = ["pkcs8", "-topk8", "-nocrypt", "-outform", "DER"];
        let trad_der: &[&str] = if is_rsa {
            &["rsa", "-traditional", "-outform", "DER"]
        } else {
            &["ec", "-outform", "DER"]
        };
        let private = [
            pem("PKCS#8 PEM", dir.read("key.pem")),
            der(
                "PKCS#8 DER",
                convert(&pkcs8_der, "p8.der"),
                PrivateKeyFormat::Pkcs8,
            ),
            pem(
                "traditional PEM",
                convert(&["pkey", "-traditional"], "t.pem"),
            ),
            der("traditional DER", convert(trad_der, "t.der"), trad),
        ];
        let mut public = vec![
            pem("SPKI PEM", convert(&["pkey", "-pubout"], "spki.pem")),
            der(
                "SPKI DER",
                convert(&["pkey", "-pubout", "-outform", "DER"], "spki.der"),
                PublicKeyFormat::Spki,
            ),
        ];
        if is_rsa {
            let pkcs1 = ["rsa", "-RSAPublicKey_out", "-outform", "DER"];
            public.push(pem("PKCS#1 PEM", convert(&pkcs1[..2], "p1.pem")));
            public.push(der(
                "PKCS#1 DER",
                convert(&pkcs1, "p1.der"),
                PublicKeyFormat::Pkcs1,
            ));
        }
        let what = format!("openssl {spec}");
        let (private, public) = import_foreign(&what, &private, &public);
        let public_pem = dir.path("spki.pem");
        for alg in algorithms_for(private.key_type()) {
            // Theirs, verified here: as DER, over the digest, and raw after conversion.
            let theirs = openssl_sign(&dir, &key_pem, alg);
            let digest = hash::digest(alg.hash(), MESSAGE);
            let mut checks = vec![
                (Message::Data(MESSAGE), theirs.clone(), SignatureFormat::Der),
                (
                    Message::Digest(digest.as_bytes()),
                    theirs.clone(),
                    SignatureFormat::Der,
                ),
            ];
            if let Some(curve) = alg.curve() {
                let raw = ecdsa_der_to_raw(curve, &theirs).unwrap();
                checks.push((Message::Data(MESSAGE), raw, SignatureFormat::Raw));
            }
            for (message, signature, format) in checks {
                public
                    .verify(alg, message, &signature, format)
                    .unwrap_or_else(|e| panic!("{what} {alg} {format:?}: {e}"));
            }
            // Ours, with their key, verified there.
            let signed = sign_here(&private, alg);
            assert!(
                openssl_verifies(&dir, &public_pem, alg, &signed.der),
                "{what} {alg}"
            );
            assert!(
                openssl_verifies_digest(
                    &dir,
                    &public_pem,
                    alg,
                    digest.as_bytes(),
                    &signed.over_digest
                ),
                "{what} {alg} over a digest"
            );
        }
    }
}

#[test]
fn python_keys_import_and_sign_both_ways() {
    if !have("python_keys_import_and_sign_both_ways", &[Tool::Python]) {
        return;
    }
    // Round 1: Python generates the keys and signs with them.
    let generated = python(
        FOREIGN_KEYS
            .iter()
            .map(|spec| json!({"op": "generate", "key": spec}))
            .collect(),
    );
    // (key index, algorithm, format) of each signature Python makes.
    let mut signatures = Vec::new();
    for (i, spec) in FOREIGN_KEYS.iter().enumerate() {
        let key_type = match EcCurve::from_jose_name(spec) {
            Some(curve) => KeyType::Ec(curve),
            None => KeyType::Rsa { bits: 2048 },
        };
        for alg in algorithms_for(key_type) {
            signatures.push((i, alg, SignatureFormat::Der));
            if alg.curve().is_some() {
                signatures.push((i, alg, SignatureFormat::Raw));
            }
        }
    }
    let sign_tasks = signatures
        .iter()
        .map(|&(i, alg, format)| {
            let format = if format == SignatureFormat::Raw {
                "raw"
            } else {
                "der"
            };
            json!({"op": "sign", "key": generated[i]["pkcs8_der"], "alg": alg.jose_name(),
                   "msg": hex::encode(MESSAGE), "format": format})
        })
        .collect();
    let their_signatures = python(sign_tasks);

    // Their keys imported here, in every encoding.
    let imported: Vec<(PrivateKey, PublicKey)> = FOREIGN_KEYS
        .iter()
        .zip(&generated)
        .map(|(spec, key)| {
            let trad = traditional(spec);
            let private = [
                der(
                    "PKCS#8 DER",
                    hex_field(key, "pkcs8_der"),
                    PrivateKeyFormat::Pkcs8,
                ),
                pem("PKCS#8 PEM", hex_field(key, "pkcs8_pem")),
                der("traditional DER", hex_field(key, "traditional_der"), trad),
                pem("traditional PEM", hex_field(key, "traditional_pem")),
            ];
            let mut public = vec![
                der(
                    "SPKI DER",
                    hex_field(key, "spki_der"),
                    PublicKeyFormat::Spki,
                ),
                pem("SPKI PEM", hex_field(key, "spki_pem")),
            ];
            if key.get("pkcs1_public_der").is_some() {
                let pkcs1 = hex_field(key, "pkcs1_public_der");
                public.push(der("PKCS#1 DER", pkcs1, PublicKeyFormat::Pkcs1));
                public.push(pem("PKCS#1 PEM", hex_field(key, "pkcs1_public_pem")));
            }
            let what = format!("python {spec}");
            let (private, public) = import_foreign(&what, &private, &public);
            assert_eq!(secret_of(&private), hex_field(key, "secret"), "{what}");
            (private, public)
        })
        .collect();

    // Their signatures verified here.
    for (&(i, alg, format), sig) in signatures.iter().zip(&their_signatures) {
        imported[i]
            .1
            .verify(alg, Message::Data(MESSAGE), &hex_field(sig, "sig"), format)
            .unwrap_or_else(|e| panic!("python {} {alg} {format:?}: {e}", FOREIGN_KEYS[i]));
    }

    // Round 2: ours, made with their keys, verified there.
    let mut verify_tasks = Vec::new();
    for (i, (private, _)) in imported.iter().enumerate() {
        for alg in algorithms_for(private.key_type()) {
            let signed = sign_here(private, alg);
            let public = generated[i]["spki_der"].as_str().unwrap();
            let verify = |sig: &[u8], format| verify_task(public, alg, sig, format);
            verify_tasks.push(verify(&signed.der, "der"));
            verify_tasks.push(verify(&signed.over_digest, "der"));
            if let Some(raw) = &signed.raw {
                verify_tasks.push(verify(raw, "raw"));
            }
        }
    }
    for (i, result) in python(verify_tasks).iter().enumerate() {
        assert_eq!(result["ok"], json!(true), "verify task {i}");
    }
}

// ---------------------------------------------------------------------------------------
// RSA-OAEP

#[test]
fn rsa_oaep_both_ways_with_python() {
    if !have("rsa_oaep_both_ways_with_python", &[Tool::Python]) {
        return;
    }
    let ours = our_key_for(SignatureAlgorithm::Rs256);
    let theirs = python(vec![json!({"op": "generate", "key": "RSA-2048"})]).remove(0);
    let their_public =
        PublicKey::from_der(PublicKeyFormat::Spki, &hex_field(&theirs, "spki_der")).unwrap();
    let our_public = hex::encode(spki(&ours.public_key()));
    let cases = [
        (HashAlgorithm::Sha1, "SHA1", &b""[..]),
        (HashAlgorithm::Sha1, "SHA1", &b"a label"[..]),
        (HashAlgorithm::Sha256, "SHA256", &b""[..]),
        (HashAlgorithm::Sha256, "SHA256", &b"a label"[..]),
    ];
    let mut tasks = Vec::new();
    let mut plaintexts = Vec::new();
    for (i, (hash, name, label)) in cases.iter().enumerate() {
        // Up to the longest plaintext the hash allows: 256 - 2·hLen - 2 bytes.
        let longest = 256 - 2 * hash.output_len() - 2;
        for len in [1, 32, longest] {
            let plaintext = rng::random_bytes(len).unwrap().expose().to_vec();
            // Python encrypts to our key; we encrypt to theirs.
            tasks.push(json!({
                "op": "oaep_encrypt", "key": our_public, "hash": name,
                "label": hex::encode(label), "pt": hex::encode(&plaintext),
            }));
            let ct = their_public.encrypt_oaep(*hash, label, &plaintext).unwrap();
            tasks.push(json!({
                "op": "oaep_decrypt", "key": theirs["pkcs8_der"], "hash": name,
                "label": hex::encode(label), "ct": hex::encode(&ct),
            }));
            plaintexts.push((i, plaintext));
        }
    }
    let results = python(tasks);
    for (pair, (i, plaintext)) in results.chunks(2).zip(plaintexts) {
        let (hash, name, label) = cases[i];
        let ct = hex_field(&pair[0], "ct");
        let decrypted = ours.decrypt_oaep(hash, label, &ct).unwrap();
        assert_eq!(decrypted.expose(), plaintext, "theirs → ours, {name}");
        assert_eq!(
            hex_field(&pair[1], "pt"),
            plaintext,
            "ours → theirs, {name}"
        );
        // The label is bound: another one fails.
        assert!(ours.decrypt_oaep(hash, b"other", &ct).is_err());
    }
}

// ---------------------------------------------------------------------------------------
// AES-GCM and AES key wrap

const AES_SIZES: [AesKeySize; 3] = [AesKeySize::Aes128, AesKeySize::Aes192, AesKeySize::Aes256];

#[test]
fn aes_gcm_matches_python() {
    if !have("aes_gcm_matches_python", &[Tool::Python]) {
        return;
    }
    let random = |len| rng::random_bytes(len).unwrap().expose().to_vec();
    let mut cases = Vec::new();
    for size in AES_SIZES {
        for iv_len in aead::SUPPORTED_IV_LENS {
            for (pt_len, aad_len) in [(0, 0), (0, 20), (1, 0), (16, 16), (33, 7), (1000, 3)] {
                let key = AesKey::generate(size).unwrap();
                cases.push((key, random(iv_len), random(aad_len), random(pt_len)));
            }
        }
    }
    let mut tasks = Vec::new();
    for (key, iv, aad, pt) in &cases {
        let key_hex = hex::encode(key.expose());
        tasks.push(json!({
            "op": "gcm_seal", "key": key_hex, "iv": hex::encode(iv),
            "aad": hex::encode(aad), "pt": hex::encode(pt),
        }));
        // Ours with a random IV (our default), opened there.
        let sealed = aead::encrypt(key, aad, pt).unwrap();
        tasks.push(json!({
            "op": "gcm_open", "key": key_hex, "iv": hex::encode(sealed.iv()),
            "aad": hex::encode(aad), "ct": hex::encode(sealed.ciphertext_and_tag()),
        }));
    }
    let results = python(tasks);
    for ((key, iv, aad, pt), pair) in cases.iter().zip(results.chunks(2)) {
        let what = format!(
            "{:?} iv {} aad {} pt {}",
            key.size(),
            iv.len(),
            aad.len(),
            pt.len()
        );
        let theirs = hex_field(&pair[0], "ct");
        let ours = aead::encrypt_with_caller_iv(key, iv, TagLength::Bytes16, aad, pt).unwrap();
        assert_eq!(ours.ciphertext_and_tag(), theirs, "{what}");
        let opened =
            aead::decrypt_ciphertext_and_tag(key, iv, aad, &theirs, TagLength::Bytes16).unwrap();
        assert_eq!(opened.expose(), pt.as_slice(), "{what}");
        // A shorter tag is the full tag truncated (SP 800-38D §7.1 step 7).
        let short = aead::encrypt_with_caller_iv(key, iv, TagLength::Bytes12, aad, pt).unwrap();
        assert_eq!(
            short.ciphertext_and_tag(),
            theirs[..theirs.len() - 4],
            "{what}"
        );
        assert_eq!(hex_field(&pair[1], "pt"), *pt, "{what}, ours opened there");
    }
}

#[test]
fn aes_key_wrap_matches_python() {
    if !have("aes_key_wrap_matches_python", &[Tool::Python]) {
        return;
    }
    let mut cases = Vec::new();
    for size in AES_SIZES {
        for (pad, lens) in [
            (false, &[16, 24, 32, 40, 64][..]),
            (true, &[1, 5, 8, 9, 16, 20, 32, 33, 64][..]),
        ] {
            for &len in lens {
                let kek = AesKey::generate(size).unwrap();
                let data = rng::random_bytes(len).unwrap().expose().to_vec();
                cases.push((kek, data, pad));
            }
        }
    }
    let tasks = cases
        .iter()
        .map(|(kek, data, pad)| {
            json!({
                "op": "wrap", "kek": hex::encode(kek.expose()), "data": hex::encode(data),
                "pad": pad,
            })
        })
        .collect();
    for ((kek, data, pad), result) in cases.iter().zip(python(tasks)) {
        let what = format!("{:?} {} bytes, padding {pad}", kek.size(), data.len());
        let theirs = hex_field(&result, "wrapped");
        let (ours, unwrapped) = if *pad {
            (
                keywrap::wrap_with_padding(kek, data).unwrap(),
                keywrap::unwrap_with_padding(kek, &theirs).unwrap(),
            )
        } else {
            (
                keywrap::wrap(kek, data).unwrap(),
                keywrap::unwrap(kek, &theirs).unwrap(),
            )
        };
        assert_eq!(ours, theirs, "{what}");
        assert_eq!(unwrapped.expose(), data.as_slice(), "{what}");
    }
}

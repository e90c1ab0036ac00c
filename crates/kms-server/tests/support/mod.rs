//! Runs the built `kms-server` binary in a scratch directory and talks to it with `curl`
//! using the development PKI it generates.

// Test code: a failed expectation is a failed test.
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code
)]

use std::fs;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// The binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_kms-server");

/// How long a start may take (a debug build creating its PKI on a busy machine).
const START_TIMEOUT: Duration = Duration::from_secs(60);

/// A scratch directory, removed on drop.
#[derive(Debug)]
pub struct Sandbox {
    pub root: PathBuf,
}

impl Sandbox {
    pub fn new(name: &str) -> Sandbox {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let root = std::env::temp_dir().join(format!(
            "kms-server-test-{name}-{}-{nanos}-{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&root).expect("create the sandbox");
        Sandbox { root }
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.root);
    }
}

/// The binary with a clean environment: no `KMS_*` or `RUST_LOG` from the caller.
pub fn command(cwd: &Path) -> Command {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(cwd);
    for (key, _) in std::env::vars_os() {
        if let Some(k) = key.to_str()
            && (k.starts_with("KMS_") || k == "RUST_LOG")
        {
            cmd.env_remove(k);
        }
    }
    cmd
}

/// Runs the binary to completion (for `--help`, `--print-config`, bad configurations).
pub fn run(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = command(cwd);
    cmd.args(args).stdin(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run kms-server");
    wait_output(child, Duration::from_secs(30))
}

fn wait_output(mut child: Child, timeout: Duration) -> Output {
    let deadline = Instant::now() + timeout;
    loop {
        if child.try_wait().expect("wait").is_some() {
            return child.wait_with_output().expect("output");
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let out = child.wait_with_output().expect("output");
            panic!(
                "kms-server did not exit within {timeout:?}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running server.
#[derive(Debug)]
pub struct Server {
    child: Option<Child>,
    /// The working directory it runs in.
    pub cwd: PathBuf,
    /// The PKI directory the client files are read from.
    pub pki: PathBuf,
    /// The REST listener's address, from its log line.
    pub addr: SocketAddr,
    stdout: PathBuf,
    stderr: PathBuf,
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub body: String,
}

impl Response {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
}

static RUNS: AtomicU32 = AtomicU32::new(0);

impl Server {
    /// Starts the server in `cwd` with `--data-dir kms-data --rest-addr 127.0.0.1:0`
    /// (unless `args` say otherwise) and waits until `/healthz` answers.
    pub fn start(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_with_pki(cwd, &cwd.join("kms-data/pki"), args, env)
    }

    /// Like [`Server::start`], with the client files taken from `pki`.
    pub fn start_with_pki(cwd: &Path, pki: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        let run = RUNS.fetch_add(1, Ordering::Relaxed);
        let stdout = cwd.join(format!("stdout-{run}.log"));
        let stderr = cwd.join(format!("stderr-{run}.log"));
        let mut cmd = command(cwd);
        if !args.contains(&"--data-dir") {
            cmd.args(["--data-dir", "kms-data"]);
        }
        if !args.contains(&"--rest-addr") {
            cmd.args(["--rest-addr", "127.0.0.1:0"]);
        }
        // The KMIP port is only validated for now; keep it off 5696 all the same.
        if !args.contains(&"--kmip-addr") {
            cmd.args(["--kmip-addr", "127.0.0.1:0"]);
        }
        cmd.args(args);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd
            .stdin(Stdio::null())
            .stdout(fs::File::create(&stdout).expect("stdout file"))
            .stderr(fs::File::create(&stderr).expect("stderr file"))
            .spawn()
            .expect("start kms-server");
        let mut server = Server {
            child: Some(child),
            cwd: cwd.to_owned(),
            pki: pki.to_owned(),
            addr: "0.0.0.0:0".parse().unwrap(),
            stdout,
            stderr,
        };
        server.addr = server.wait_listening();
        server.wait_healthy();
        server
    }

    fn child(&mut self) -> &mut Child {
        self.child.as_mut().expect("the server was stopped")
    }

    fn check_running(&mut self) {
        if let Some(status) = self.child().try_wait().expect("wait") {
            panic!(
                "kms-server exited with {status} during start; stderr:\n{}",
                self.stderr()
            );
        }
    }

    /// The address from the "REST API listening rest_addr=..." log line.
    fn wait_listening(&mut self) -> SocketAddr {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let log = self.stderr();
            if let Some(addr) = log
                .lines()
                .filter(|l| l.contains("REST API listening"))
                .find_map(|l| field(l, "rest_addr"))
            {
                return addr.parse().expect("rest_addr is an address");
            }
            self.check_running();
            assert!(
                Instant::now() < deadline,
                "no listening line within {START_TIMEOUT:?}; stderr:\n{log}"
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn wait_healthy(&mut self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let out = self
                .curl_command("GET", "/healthz")
                .stdin(Stdio::null())
                .output()
                .expect("run curl");
            if out.status.success() && String::from_utf8_lossy(&out.stdout).ends_with("\n200") {
                return;
            }
            self.check_running();
            assert!(
                Instant::now() < deadline,
                "/healthz did not answer within {START_TIMEOUT:?}: {}; stderr:\n{}",
                String::from_utf8_lossy(&out.stderr),
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the server wrote on standard output so far.
    pub fn stdout(&self) -> String {
        fs::read_to_string(&self.stdout).unwrap_or_default()
    }

    /// What the server wrote on standard error (its logs) so far.
    pub fn stderr(&self) -> String {
        fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// The URL of `path` on this server.
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{path}", self.addr.port())
    }

    /// `curl` with the admin certificate, printing the body then a line with the status.
    pub fn curl_command(&self, method: &str, path: &str) -> Command {
        let mut cmd = Command::new("curl");
        cmd.current_dir(&self.cwd)
            .arg("-sS")
            .arg("--max-time")
            .arg("30")
            .arg("--cacert")
            .arg(self.pki.join("ca.pem"))
            .arg("--cert")
            .arg(self.pki.join("admin.pem"))
            .arg("--key")
            .arg(self.pki.join("admin.key"))
            .args(["-X", method, "-H", "Content-Type: application/json"])
            .args(["-w", "\n%{http_code}"])
            .arg(self.url(path));
        cmd
    }

    /// One request; `body` is sent as JSON.
    pub fn request(&self, method: &str, path: &str, body: Option<&str>) -> Response {
        let mut cmd = self.curl_command(method, path);
        if body.is_some() {
            cmd.args(["--data-binary", "@-"]);
        }
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run curl");
        let mut stdin = child.stdin.take().expect("stdin");
        if let Some(body) = body {
            stdin.write_all(body.as_bytes()).expect("write the body");
        }
        drop(stdin);
        let out = child.wait_with_output().expect("curl output");
        parse_curl(&out)
    }

    /// Creates a service key and returns its id.
    pub fn create_key(&self, body: &str) -> String {
        let r = self.request("POST", "/v1/servicekey", Some(body));
        assert!(
            r.status == 200 || r.status == 201,
            "create: {} {}",
            r.status,
            r.body
        );
        r.json()["id"].as_str().expect("id").to_owned()
    }

    /// The process id.
    pub fn pid(&self) -> u32 {
        self.child.as_ref().expect("running").id()
    }

    /// Sends `signal` (a `kill` name: TERM, INT, ...).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -{signal} failed");
    }

    /// Waits for the process to exit.
    pub fn wait(&mut self, timeout: Duration) -> ExitStatus {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(status) = self.child().try_wait().expect("wait") {
                self.child = None;
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "kms-server still running {timeout:?} later; stderr:\n{}",
                self.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// SIGTERM, then waits for a clean exit.
    pub fn stop(&mut self) {
        self.signal("TERM");
        let status = self.wait(Duration::from_secs(20));
        assert_eq!(
            status.code(),
            Some(0),
            "exit status after SIGTERM; stderr:\n{}",
            self.stderr()
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// `curl ... -w '\n%{http_code}'` output as a response.
pub fn parse_curl(out: &Output) -> Response {
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let (body, status) = text.rsplit_once('\n').unwrap_or(("", &text));
    let status = status.trim().parse().unwrap_or_else(|_| {
        panic!(
            "curl gave no status: {text}; {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    Response {
        status,
        body: body.to_owned(),
    }
}

/// The value of `name` in a log line: `name=value` (text) or `"name":"value"` (JSON).
pub fn field(line: &str, name: &str) -> Option<String> {
    if line.starts_with('{') {
        let json: serde_json::Value = serde_json::from_str(line).ok()?;
        return json.get(name)?.as_str().map(str::to_owned);
    }
    let start = line.find(&format!("{name}="))? + name.len() + 1;
    let rest = line.get(start..)?;
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    rest.get(..end).map(|v| v.trim_matches('"').to_owned())
}

/// The permission bits of `path`.
pub fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

/// Whether a command is on the PATH.
pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool} >/dev/null 2>&1")])
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

/// Standard base64 (the API's encoding of plaintexts).
pub fn base64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

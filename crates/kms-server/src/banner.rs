//! What a start with the development PKI prints on standard output: where the files are
//! and a `curl` command that works as is from the working directory.

use std::fmt::Write as _;
use std::net::{IpAddr, SocketAddr};
use std::path::Path;

use crate::bootstrap::DevPki;

/// The text printed at start when the development PKI is in use.
pub fn development(
    pki: &DevPki,
    data_dir: &Path,
    store: &str,
    master_key: &Path,
    rest_addr: SocketAddr,
) -> String {
    let f = |name: &str| shell_quote(&pki.file(name).display().to_string());
    let mut out = String::new();
    let state = if pki.created { "created" } else { "reused" };
    // Writing to a String cannot fail.
    let _ = writeln!(
        out,
        "KMS development setup ({state}) in {}:",
        shell_quote(&data_dir.display().to_string())
    );
    let _ = writeln!(out, "  store:          {store}");
    let _ = writeln!(
        out,
        "  master key:     {} (keep it: the store cannot be read without it)",
        shell_quote(&master_key.display().to_string())
    );
    let _ = writeln!(out, "  CA:             {}", f("ca.pem"));
    let _ = writeln!(
        out,
        "  server:         {} {}",
        f("server.pem"),
        f("server.key")
    );
    let _ = writeln!(
        out,
        "  admin client:   {} {} (domain {})",
        f("admin.pem"),
        f("admin.key"),
        pki.domain
    );
    match &pki.new_p12_password {
        Some(password) => {
            let _ = writeln!(
                out,
                "  for browsers:   {} password {} (also in {})",
                f("admin.p12"),
                password.as_str(),
                f("admin.p12.password")
            );
        }
        None => {
            let _ = writeln!(
                out,
                "  for browsers:   {} (password in {})",
                f("admin.p12"),
                f("admin.p12.password")
            );
        }
    }
    let _ = writeln!(out, "Try it:");
    let _ = writeln!(out, "  {}", curl_line(pki, rest_addr));
    out
}

/// A `curl` command listing the admin's service keys.
pub fn curl_line(pki: &DevPki, rest_addr: SocketAddr) -> String {
    let f = |name: &str| shell_quote(&pki.file(name).display().to_string());
    format!(
        "curl --cacert {} --cert {} --key {} https://{}/v1/servicekey",
        f("ca.pem"),
        f("admin.pem"),
        f("admin.key"),
        authority(rest_addr)
    )
}

/// `host:port` to reach a listener on `addr`, by a name the development server
/// certificate holds.
fn authority(addr: SocketAddr) -> String {
    let ip = addr.ip();
    if ip.is_unspecified() || ip.is_loopback() {
        format!("localhost:{}", addr.port())
    } else {
        match ip {
            IpAddr::V4(v4) => format!("{v4}:{}", addr.port()),
            IpAddr::V6(v6) => format!("[{v6}]:{}", addr.port()),
        }
    }
}

/// `text` as one POSIX shell word.
fn shell_quote(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+:,@%=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(
            shell_quote("./kms-data/pki/ca.pem"),
            "./kms-data/pki/ca.pem"
        );
        assert_eq!(shell_quote("/tmp/my dir/ca.pem"), "'/tmp/my dir/ca.pem'");
        assert_eq!(shell_quote("it's"), r"'it'\''s'");
    }

    #[test]
    fn loopback_and_wildcard_listeners_are_reached_as_localhost() {
        assert_eq!(
            authority("127.0.0.1:8443".parse().unwrap()),
            "localhost:8443"
        );
        assert_eq!(authority("0.0.0.0:443".parse().unwrap()), "localhost:443");
        assert_eq!(authority("[::1]:443".parse().unwrap()), "localhost:443");
        assert_eq!(authority("10.0.0.5:443".parse().unwrap()), "10.0.0.5:443");
    }
}

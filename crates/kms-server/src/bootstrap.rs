//! First start and later starts: the data directory (0700), the master key, and, unless
//! the operator gave TLS files, a development PKI under `<data-dir>/pki/`:
//!
//! | file | what | mode |
//! |---|---|---|
//! | `ca.pem`, `ca.key` | the development CA | 0644, 0600 |
//! | `server.pem`, `server.key` | server certificate for localhost, 127.0.0.1, ::1 | 0644, 0600 |
//! | `admin.pem`, `admin.key` | an admin client certificate in the domain `<data-dir>/domain` | 0644, 0600 |
//! | `admin.p12`, `admin.p12.password` | the same as PKCS#12 for browsers, and its password | 0600, 0600 |
//!
//! Whatever exists is reused, so later starts serve the same CA and certificates. Files
//! are written to a temporary name, synced and renamed, so a crash leaves either the old
//! state or the new one.

use std::fs::{self, DirBuilder, OpenOptions};
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::path::{Path, PathBuf};

use kms_store::sealing::MasterKey;
use kms_tls::pki::{self, CertificateAuthority, ClientValidity};
use rustls_pki_types::pem::PemObject;
use rustls_pki_types::{CertificateDer, PrivatePkcs8KeyDer};
use zeroize::Zeroizing;

use crate::config::{Config, TlsSource};

/// Days the development server and admin certificates are valid.
const LEAF_DAYS: u32 = 825;
/// The admin client certificate's Common Name.
const ADMIN_CN: &str = "admin";

/// Something the server needs at start that it could not read or write.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BootstrapError {
    /// A file or directory operation failed.
    #[error("{what} {path}: {source}")]
    Io {
        /// The operation.
        what: &'static str,
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A TLS file the operator named cannot be read.
    #[error("cannot read {path}: {source}")]
    TlsFile {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file exists but does not hold what it should.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
    /// The master key could not be loaded or created.
    #[error("master key: {0}")]
    MasterKey(#[source] kms_store::StoreError),
    /// Certificate generation or loading failed.
    #[error("development PKI: {0}")]
    Pki(#[source] kms_tls::TlsError),
    /// The PKCS#12 file could not be built.
    #[error("PKCS#12 {path}: {message}")]
    Pkcs12 {
        /// The file.
        path: PathBuf,
        /// What the encoder said.
        message: String,
    },
}

type Result<T> = std::result::Result<T, BootstrapError>;

/// The server's TLS identity and the CA it trusts for client certificates, PEM.
#[derive(Debug)]
pub struct TlsPem {
    /// The server certificate chain.
    pub cert: String,
    /// The server private key.
    pub key: Zeroizing<String>,
    /// The trusted client CA.
    pub client_ca: String,
}

/// What a start has to hand: the master key, and the development PKI when in use.
#[derive(Debug)]
pub struct Bootstrapped {
    /// The master key.
    pub master_key: MasterKey,
    /// Whether the master key was created by this start.
    pub master_key_created: bool,
    /// The development PKI, when the operator gave no TLS files.
    pub dev_pki: Option<DevPki>,
}

/// The development PKI's files.
#[derive(Debug)]
pub struct DevPki {
    /// `<data-dir>/pki`.
    pub dir: PathBuf,
    /// The domain UUID of the admin certificate (`/api/{okmsId}/...`).
    pub domain: String,
    /// Whether this start generated the CA (a first start).
    pub created: bool,
    /// The PKCS#12 password when this start generated `admin.p12` (printed once).
    pub new_p12_password: Option<Zeroizing<String>>,
    /// The server's certificate and key, and the CA.
    pub tls: TlsPem,
}

impl DevPki {
    /// The path of one of the PKI's files.
    pub fn file(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }
}

/// Reads the TLS files the operator named (before anything is created, so a wrong path
/// leaves no trace).
pub fn operator_tls(cert: &Path, key: &Path, client_ca: &Path) -> Result<TlsPem> {
    Ok(TlsPem {
        cert: read_tls_file(cert)?,
        key: Zeroizing::new(read_tls_file(key)?),
        client_ca: read_tls_file(client_ca)?,
    })
}

/// Creates or opens everything under the data directory that `config` asks for: the
/// directory, the master key, and the development PKI unless TLS files were given.
pub fn run(config: &Config) -> Result<Bootstrapped> {
    create_private_dir(&config.data_dir)?;
    let master_key_created = !config.master_key.exists();
    let master_key =
        MasterKey::load_or_create(&config.master_key).map_err(BootstrapError::MasterKey)?;
    let dev_pki = match config.tls {
        TlsSource::Files { .. } => None,
        TlsSource::Development => Some(development_pki(&config.data_dir, config.rest_addr)?),
    };
    Ok(Bootstrapped {
        master_key,
        master_key_created,
        dev_pki,
    })
}

/// The development PKI: reuses what exists, generates what is missing.
fn development_pki(data_dir: &Path, rest_addr: SocketAddr) -> Result<DevPki> {
    let dir = data_dir.join("pki");
    create_private_dir(&dir)?;
    let domain = domain(data_dir)?;
    let ca_cert_path = dir.join("ca.pem");
    let ca_key_path = dir.join("ca.key");

    // A new CA invalidates every certificate issued by the old one.
    let (ca, created) = if ca_cert_path.exists() && ca_key_path.exists() {
        let cert = read_text(&ca_cert_path)?;
        let key = Zeroizing::new(read_text(&ca_key_path)?);
        let ca = CertificateAuthority::from_pem(&cert, &key).map_err(BootstrapError::Pki)?;
        (ca, false)
    } else {
        let ca = pki::new_ca("KMS development CA").map_err(BootstrapError::Pki)?;
        write_file(&ca_key_path, ca.key_pem().as_bytes(), 0o600)?;
        write_file(&ca_cert_path, ca.cert_pem().as_bytes(), 0o644)?;
        (ca, true)
    };

    let server_cert_path = dir.join("server.pem");
    let server_key_path = dir.join("server.key");
    let (server_cert, server_key) =
        if !created && server_cert_path.exists() && server_key_path.exists() {
            (
                read_text(&server_cert_path)?,
                Zeroizing::new(read_text(&server_key_path)?),
            )
        } else {
            let issued = ca
                .issue_server(&["localhost"], &server_ips(rest_addr), LEAF_DAYS)
                .map_err(BootstrapError::Pki)?;
            write_file(&server_key_path, issued.key_pem.as_bytes(), 0o600)?;
            write_file(&server_cert_path, issued.cert_pem.as_bytes(), 0o644)?;
            (issued.cert_pem, issued.key_pem)
        };

    let admin_cert_path = dir.join("admin.pem");
    let admin_key_path = dir.join("admin.key");
    let admin_new = created || !admin_cert_path.exists() || !admin_key_path.exists();
    let (admin_cert, admin_key) = if admin_new {
        let issued = ca
            .issue_client(ADMIN_CN, Some(&domain), ClientValidity::days(LEAF_DAYS))
            .map_err(BootstrapError::Pki)?;
        write_file(&admin_key_path, issued.key_pem.as_bytes(), 0o600)?;
        write_file(&admin_cert_path, issued.cert_pem.as_bytes(), 0o644)?;
        (issued.cert_pem, issued.key_pem)
    } else {
        (
            read_text(&admin_cert_path)?,
            Zeroizing::new(read_text(&admin_key_path)?),
        )
    };

    let p12_path = dir.join("admin.p12");
    let password_path = dir.join("admin.p12.password");
    let new_p12_password = if admin_new || !p12_path.exists() || !password_path.exists() {
        let password = Zeroizing::new(uuid::Uuid::new_v4().simple().to_string());
        let p12 = pkcs12(&admin_cert, &admin_key, ca.cert_der(), &password).map_err(|message| {
            BootstrapError::Pkcs12 {
                path: p12_path.clone(),
                message,
            }
        })?;
        write_file(&password_path, format!("{}\n", *password).as_bytes(), 0o600)?;
        write_file(&p12_path, &p12, 0o600)?;
        Some(password)
    } else {
        None
    };

    Ok(DevPki {
        dir,
        domain,
        created,
        new_p12_password,
        tls: TlsPem {
            cert: server_cert,
            key: server_key,
            client_ca: ca.cert_pem().to_owned(),
        },
    })
}

/// The server certificate's IP addresses: loopback, and the listener's own address when
/// it is a specific one.
fn server_ips(rest_addr: SocketAddr) -> Vec<IpAddr> {
    let mut ips = vec![
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(Ipv6Addr::LOCALHOST),
    ];
    let ip = rest_addr.ip();
    if !ip.is_unspecified() && !ips.contains(&ip) {
        ips.push(ip);
    }
    ips
}

/// The domain UUID of the development certificates, created on first use.
fn domain(data_dir: &Path) -> Result<String> {
    let path = data_dir.join("domain");
    match fs::read_to_string(&path) {
        Ok(text) => {
            let text = text.trim();
            uuid::Uuid::parse_str(text)
                .map(|u| u.hyphenated().to_string())
                .map_err(|e| BootstrapError::Invalid {
                    path: path.clone(),
                    message: format!("not a UUID: {e}"),
                })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let domain = uuid::Uuid::new_v4().hyphenated().to_string();
            write_file(&path, format!("{domain}\n").as_bytes(), 0o644)?;
            Ok(domain)
        }
        Err(source) => Err(BootstrapError::Io {
            what: "read",
            path,
            source,
        }),
    }
}

/// A PKCS#12 file (PBES2 with AES-256-CBC, HMAC-SHA-256 MAC) holding the client key, its
/// certificate and the CA's.
fn pkcs12(
    cert_pem: &str,
    key_pem: &str,
    ca_der: &[u8],
    password: &str,
) -> std::result::Result<Vec<u8>, String> {
    let cert = CertificateDer::from_pem_slice(cert_pem.as_bytes()).map_err(|e| e.to_string())?;
    let key = PrivatePkcs8KeyDer::from_pem_slice(key_pem.as_bytes()).map_err(|e| e.to_string())?;
    let key =
        p12_keystore::PrivateKey::from_der(key.secret_pkcs8_der()).map_err(|e| e.to_string())?;
    let chain = p12_keystore::PrivateKeyChain::new(
        ADMIN_CN,
        key,
        [
            p12_keystore::Certificate::from_der(&cert).map_err(|e| e.to_string())?,
            p12_keystore::Certificate::from_der(ca_der).map_err(|e| e.to_string())?,
        ],
    );
    let mut store = p12_keystore::KeyStore::new();
    store.add_entry(
        ADMIN_CN,
        p12_keystore::KeyStoreEntry::PrivateKeyChain(chain),
    );
    store.writer(password).write().map_err(|e| e.to_string())
}

/// Creates `dir` (and its parents) with mode 0700 when missing.
fn create_private_dir(dir: &Path) -> Result<()> {
    let mut builder = DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir).map_err(|source| BootstrapError::Io {
        what: "create directory",
        path: dir.to_owned(),
        source,
    })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(dir)
            .map_err(|source| BootstrapError::Io {
                what: "stat",
                path: dir.to_owned(),
                source,
            })?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            tracing::warn!(
                dir = %dir.display(),
                mode = format_args!("{:o}", mode & 0o777),
                "the directory is accessible to others than its owner; chmod 700 it"
            );
        }
    }
    Ok(())
}

fn read_text(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|source| BootstrapError::Io {
        what: "read",
        path: path.to_owned(),
        source,
    })
}

fn read_tls_file(path: &Path) -> Result<String> {
    fs::read_to_string(path).map_err(|source| BootstrapError::TlsFile {
        path: path.to_owned(),
        source,
    })
}

/// Writes `bytes` to `path` with `mode`: a temporary file in the same directory, synced,
/// then renamed over `path`.
fn write_file(path: &Path, bytes: &[u8], mode: u32) -> Result<()> {
    let io = |what: &'static str, p: &Path| {
        let p = p.to_owned();
        move |source| BootstrapError::Io {
            what,
            path: p,
            source,
        }
    };
    let mut tmp_name = path.as_os_str().to_owned();
    tmp_name.push(".tmp");
    let tmp = PathBuf::from(tmp_name);
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(mode);
    }
    #[cfg(not(unix))]
    let _ = mode;
    let mut file = options.open(&tmp).map_err(io("create", &tmp))?;
    #[cfg(unix)]
    {
        // An existing temporary file keeps its old mode: set it.
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(fs::Permissions::from_mode(mode))
            .map_err(io("chmod", &tmp))?;
    }
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(io("write", &tmp))?;
    drop(file);
    fs::rename(&tmp, path).map_err(io("rename", path))?;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(io("sync directory", dir))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_certificate_names_a_specific_listener_address() {
        let ips = server_ips("10.1.2.3:443".parse().unwrap());
        assert!(ips.contains(&"10.1.2.3".parse::<IpAddr>().unwrap()));
        let ips = server_ips("0.0.0.0:443".parse().unwrap());
        assert_eq!(ips.len(), 2);
    }
}

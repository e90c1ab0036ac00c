//! The server's configuration: flags, environment variables (`KMS_*`) and a TOML file with
//! the same keys, merged in that order of precedence over the defaults.
//!
//! Every option is an `Option` on the command line and in the file, so "not given" can be
//! told apart from "given the default value": a flag or variable beats the file, the file
//! beats the default.

use std::fmt;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Parser, ValueEnum};
use kms_store::backend::StoreLocation;
use serde::{Deserialize, Serialize};

/// Where the server keeps its files when nothing else is said.
pub const DEFAULT_DATA_DIR: &str = "./kms-data";
/// The REST listener's default address (loopback: a first start exposes nothing).
pub const DEFAULT_REST_ADDR: &str = "127.0.0.1:8443";
/// The KMIP listener's default address (5696 is KMIP's IANA port).
pub const DEFAULT_KMIP_ADDR: &str = "127.0.0.1:5696";
/// Default cap on concurrent connections.
pub const DEFAULT_MAX_CONNECTIONS: usize = 1024;
/// Default cap on a request body, in bytes.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// Default time for a TLS handshake, in seconds.
pub const DEFAULT_HANDSHAKE_TIMEOUT: u64 = 10;
/// Default time to receive a request's headers, in seconds.
pub const DEFAULT_HEADER_READ_TIMEOUT: u64 = 10;
/// Default time for a whole request, body and answer included, in seconds.
pub const DEFAULT_REQUEST_TIMEOUT: u64 = 30;
/// Default time in-flight requests get to finish after SIGTERM/SIGINT, in seconds.
pub const DEFAULT_SHUTDOWN_TIMEOUT: u64 = 30;

/// The command line. Every setting can also come from the environment (`KMS_...`) or the
/// TOML file given with `--config`.
#[derive(Debug, Parser)]
#[command(
    name = "kms-server",
    version,
    about = "A key management server: the OVHcloud KMS REST API (and KMIP) over one store.",
    long_about = "A key management server: the OVHcloud KMS REST API (and KMIP) over one store.\n\n\
        With no options it keeps everything in ./kms-data: an SQLite store, a master key and a \
        development PKI (CA, server certificate for localhost, admin client certificate), and \
        prints a curl command that works as is.\n\n\
        Every option can also be set by the environment variable shown, or in the TOML file \
        given with --config under the option's long name (e.g. rest-addr = \"0.0.0.0:443\"). \
        Flags win over the environment, which wins over the file, which wins over the defaults. \
        Relative paths are relative to the working directory."
)]
pub struct Cli {
    /// TOML file with any of the settings below, keyed by their long names
    /// (e.g. `rest-addr = "0.0.0.0:443"`); an unknown key is an error.
    #[arg(long, env = "KMS_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Print the effective configuration as TOML (passwords redacted) and exit.
    #[arg(long)]
    pub print_config: bool,

    #[command(flatten)]
    pub settings: Settings,
}

/// The settings, as given on the command line or in the file (all optional).
#[derive(Clone, Debug, Default, PartialEq, Eq, clap::Args, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Settings {
    /// Directory for the SQLite store, the master key and the development PKI; created
    /// with mode 0700. [default: ./kms-data]
    #[arg(long, env = "KMS_DATA_DIR", value_name = "DIR")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data_dir: Option<PathBuf>,

    /// Address of the HTTPS REST API (OVHcloud's KMS serves it on port 443).
    /// [default: 127.0.0.1:8443]
    #[arg(long, env = "KMS_REST_ADDR", value_name = "IP:PORT")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rest_addr: Option<SocketAddr>,

    /// Address of the KMIP listener (KMIP 1.0 to 1.4 over mutual TLS, IANA port 5696),
    /// with the same TLS files as the REST API. [default: 127.0.0.1:5696]
    #[arg(long, env = "KMS_KMIP_ADDR", value_name = "IP:PORT")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kmip_addr: Option<SocketAddr>,

    /// Server certificate chain (PEM), leaf first. With --tls-key and --client-ca; when
    /// none of the three is given, a development PKI is generated under DIR/pki.
    #[arg(long, env = "KMS_TLS_CERT", value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_cert: Option<PathBuf>,

    /// Private key of the server certificate (PEM, PKCS#8, SEC1 or PKCS#1).
    #[arg(long, env = "KMS_TLS_KEY", value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_key: Option<PathBuf>,

    /// CA certificate(s) (PEM) that client certificates must chain to; a client
    /// certificate is always required.
    #[arg(long, env = "KMS_CLIENT_CA", value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_ca: Option<PathBuf>,

    /// The store: `sqlite:PATH`, or `postgres://user:password@host:port/db` to share one
    /// database between several servers. [default: sqlite:DIR/kms.db]
    #[arg(long, env = "KMS_STORE", value_name = "LOCATION")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub store: Option<String>,

    /// File holding the 32-byte master key that seals key material at rest; created with
    /// mode 0600 when missing. [default: DIR/master.key]
    #[arg(long, env = "KMS_MASTER_KEY", value_name = "FILE")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub master_key: Option<PathBuf>,

    /// Log filter: a level (error, warn, info, debug, trace) or tracing directives such
    /// as `info,kms_rest=debug`. Without it RUST_LOG is used, else `info`.
    #[arg(long, env = "KMS_LOG_LEVEL", value_name = "FILTER")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_level: Option<String>,

    /// Log format on standard error. [default: text]
    #[arg(long, env = "KMS_LOG_FORMAT", value_name = "FORMAT")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub log_format: Option<LogFormat>,

    /// Most connections open at once; new ones over the cap are closed at once.
    /// [default: 1024]
    #[arg(long, env = "KMS_MAX_CONNECTIONS", value_name = "N")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_connections: Option<usize>,

    /// Largest request body accepted, in bytes; larger ones get 413 (the largest API
    /// request, an RSA-4096 private JWK, is under 4 KiB). [default: 65536]
    #[arg(long, env = "KMS_MAX_BODY_BYTES", value_name = "BYTES")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_body_bytes: Option<usize>,

    /// Seconds a client has to complete the TLS handshake. [default: 10]
    #[arg(long, env = "KMS_HANDSHAKE_TIMEOUT", value_name = "SECONDS")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handshake_timeout: Option<u64>,

    /// Seconds a client has to send a request's headers. [default: 10]
    #[arg(long, env = "KMS_HEADER_READ_TIMEOUT", value_name = "SECONDS")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub header_read_timeout: Option<u64>,

    /// Seconds a whole request may take, body included. [default: 30]
    #[arg(long, env = "KMS_REQUEST_TIMEOUT", value_name = "SECONDS")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_timeout: Option<u64>,

    /// Seconds in-flight requests get to finish after SIGTERM or SIGINT. [default: 30]
    #[arg(long, env = "KMS_SHUTDOWN_TIMEOUT", value_name = "SECONDS")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shutdown_timeout: Option<u64>,

    /// Requests per second each client identity may make (bursts of as many); over it
    /// the answer is 429. [default: no limit]
    #[arg(long, env = "KMS_RATE_LIMIT", value_name = "PER_SECOND")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate_limit: Option<u32>,
}

/// How log lines are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// Human-readable lines.
    #[default]
    Text,
    /// One JSON object per line.
    Json,
}

/// Where the TLS identity of the server and the trusted client CA come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TlsSource {
    /// Generated (or reused) under `<data-dir>/pki`.
    Development,
    /// Given by the operator.
    Files {
        /// Server certificate chain (PEM).
        cert: PathBuf,
        /// Server private key (PEM).
        key: PathBuf,
        /// Trusted client CA (PEM).
        client_ca: PathBuf,
    },
}

/// Connection limits and timeouts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Most connections at once.
    pub max_connections: usize,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// TLS handshake deadline.
    pub handshake_timeout: Duration,
    /// Deadline for a request's headers.
    pub header_read_timeout: Duration,
    /// Deadline for a whole request.
    pub request_timeout: Duration,
    /// Grace period for in-flight requests at shutdown.
    pub shutdown_timeout: Duration,
    /// Requests per second per client identity, if limited.
    pub rate_limit: Option<u32>,
}

/// The effective configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// The data directory.
    pub data_dir: PathBuf,
    /// The REST listener's address.
    pub rest_addr: SocketAddr,
    /// The KMIP listener's address.
    pub kmip_addr: SocketAddr,
    /// The TLS files.
    pub tls: TlsSource,
    /// The store.
    pub store: StoreLocation,
    /// The master key file.
    pub master_key: PathBuf,
    /// The log filter, when one was given.
    pub log_level: Option<String>,
    /// The log format.
    pub log_format: LogFormat,
    /// Limits and timeouts.
    pub limits: Limits,
}

/// A configuration that cannot be used; the server exits with status 2.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The configuration file could not be read.
    #[error("cannot read the configuration file {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The configuration file is not valid TOML or has an unknown or mistyped key.
    #[error("invalid configuration file {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the TOML reader said (line, column, key).
        message: String,
    },
    /// Settings that do not go together, or a value out of range.
    #[error("{0}")]
    Invalid(String),
}

impl Cli {
    /// The effective configuration: these flags and variables over the file over the
    /// defaults.
    pub fn resolve(&self) -> Result<Config, ConfigError> {
        let file = match &self.config {
            Some(path) => read_file(path)?,
            None => Settings::default(),
        };
        self.settings.clone().or(file).resolve()
    }
}

/// Reads a TOML settings file.
pub fn read_file(path: &Path) -> Result<Settings, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_owned(),
        source,
    })?;
    parse_toml(&text).map_err(|message| ConfigError::Parse {
        path: path.to_owned(),
        message,
    })
}

fn parse_toml(text: &str) -> Result<Settings, String> {
    toml::from_str(text).map_err(|e| e.to_string().trim_end().to_owned())
}

impl Settings {
    /// Each setting of `self`, or else of `other`.
    pub fn or(self, other: Settings) -> Settings {
        Settings {
            data_dir: self.data_dir.or(other.data_dir),
            rest_addr: self.rest_addr.or(other.rest_addr),
            kmip_addr: self.kmip_addr.or(other.kmip_addr),
            tls_cert: self.tls_cert.or(other.tls_cert),
            tls_key: self.tls_key.or(other.tls_key),
            client_ca: self.client_ca.or(other.client_ca),
            store: self.store.or(other.store),
            master_key: self.master_key.or(other.master_key),
            log_level: self.log_level.or(other.log_level),
            log_format: self.log_format.or(other.log_format),
            max_connections: self.max_connections.or(other.max_connections),
            max_body_bytes: self.max_body_bytes.or(other.max_body_bytes),
            handshake_timeout: self.handshake_timeout.or(other.handshake_timeout),
            header_read_timeout: self.header_read_timeout.or(other.header_read_timeout),
            request_timeout: self.request_timeout.or(other.request_timeout),
            shutdown_timeout: self.shutdown_timeout.or(other.shutdown_timeout),
            rate_limit: self.rate_limit.or(other.rate_limit),
        }
    }

    /// Fills in the defaults and checks the settings.
    pub fn resolve(self) -> Result<Config, ConfigError> {
        let data_dir = self
            .data_dir
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        if data_dir.as_os_str().is_empty() {
            return Err(ConfigError::Invalid("data-dir is empty".into()));
        }
        let rest_addr = self.rest_addr.unwrap_or(default_addr(DEFAULT_REST_ADDR)?);
        let kmip_addr = self.kmip_addr.unwrap_or(default_addr(DEFAULT_KMIP_ADDR)?);
        if rest_addr.port() != 0 && rest_addr == kmip_addr {
            return Err(ConfigError::Invalid(format!(
                "rest-addr and kmip-addr are both {rest_addr}"
            )));
        }
        let tls = match (self.tls_cert, self.tls_key, self.client_ca) {
            (None, None, None) => TlsSource::Development,
            (Some(cert), Some(key), Some(client_ca)) => TlsSource::Files {
                cert,
                key,
                client_ca,
            },
            (cert, key, ca) => {
                let missing: Vec<&str> = [
                    ("--tls-cert", cert.is_none()),
                    ("--tls-key", key.is_none()),
                    ("--client-ca", ca.is_none()),
                ]
                .iter()
                .filter(|(_, m)| *m)
                .map(|(name, _)| *name)
                .collect();
                return Err(ConfigError::Invalid(format!(
                    "--tls-cert, --tls-key and --client-ca go together (or none of them, for \
                     the development PKI); missing: {}",
                    missing.join(", ")
                )));
            }
        };
        let store = match self.store {
            Some(text) => StoreLocation::parse(&text).map_err(|e| {
                ConfigError::Invalid(format!(
                    "store: {e} (expected sqlite:PATH or postgres://...)"
                ))
            })?,
            None => StoreLocation::Sqlite(data_dir.join("kms.db")),
        };
        let master_key = self
            .master_key
            .unwrap_or_else(|| data_dir.join("master.key"));
        let positive = |name: &str, value: Option<u64>, default: u64| {
            let v = value.unwrap_or(default);
            if v == 0 {
                Err(ConfigError::Invalid(format!("{name} must be at least 1")))
            } else {
                Ok(v)
            }
        };
        let max_connections = positive(
            "max-connections",
            self.max_connections.map(|n| n as u64),
            DEFAULT_MAX_CONNECTIONS as u64,
        )?;
        let max_body_bytes = positive(
            "max-body-bytes",
            self.max_body_bytes.map(|n| n as u64),
            DEFAULT_MAX_BODY_BYTES as u64,
        )?;
        let seconds = |name: &str, value: Option<u64>, default: u64| {
            positive(name, value, default).map(Duration::from_secs)
        };
        let limits = Limits {
            max_connections: usize::try_from(max_connections).unwrap_or(usize::MAX),
            max_body_bytes: usize::try_from(max_body_bytes).unwrap_or(usize::MAX),
            handshake_timeout: seconds(
                "handshake-timeout",
                self.handshake_timeout,
                DEFAULT_HANDSHAKE_TIMEOUT,
            )?,
            header_read_timeout: seconds(
                "header-read-timeout",
                self.header_read_timeout,
                DEFAULT_HEADER_READ_TIMEOUT,
            )?,
            request_timeout: seconds(
                "request-timeout",
                self.request_timeout,
                DEFAULT_REQUEST_TIMEOUT,
            )?,
            shutdown_timeout: seconds(
                "shutdown-timeout",
                self.shutdown_timeout,
                DEFAULT_SHUTDOWN_TIMEOUT,
            )?,
            rate_limit: match self.rate_limit {
                Some(0) => {
                    return Err(ConfigError::Invalid(
                        "rate-limit must be at least 1 (leave it out for no limit)".into(),
                    ));
                }
                other => other,
            },
        };
        Ok(Config {
            data_dir,
            rest_addr,
            kmip_addr,
            tls,
            store,
            master_key,
            log_level: self.log_level,
            log_format: self.log_format.unwrap_or_default(),
            limits,
        })
    }
}

fn default_addr(text: &str) -> Result<SocketAddr, ConfigError> {
    text.parse()
        .map_err(|_| ConfigError::Invalid(format!("bad built-in address {text}")))
}

impl Config {
    /// The configuration as TOML settings, for `--print-config` (the store's password,
    /// if any, redacted).
    pub fn to_settings(&self) -> Settings {
        let (tls_cert, tls_key, client_ca) = match &self.tls {
            TlsSource::Development => (None, None, None),
            TlsSource::Files {
                cert,
                key,
                client_ca,
            } => (
                Some(cert.clone()),
                Some(key.clone()),
                Some(client_ca.clone()),
            ),
        };
        Settings {
            data_dir: Some(self.data_dir.clone()),
            rest_addr: Some(self.rest_addr),
            kmip_addr: Some(self.kmip_addr),
            tls_cert,
            tls_key,
            client_ca,
            store: Some(self.store.redacted()),
            master_key: Some(self.master_key.clone()),
            log_level: self.log_level.clone(),
            log_format: Some(self.log_format),
            max_connections: Some(self.limits.max_connections),
            max_body_bytes: Some(self.limits.max_body_bytes),
            handshake_timeout: Some(self.limits.handshake_timeout.as_secs()),
            header_read_timeout: Some(self.limits.header_read_timeout.as_secs()),
            request_timeout: Some(self.limits.request_timeout.as_secs()),
            shutdown_timeout: Some(self.limits.shutdown_timeout.as_secs()),
            rate_limit: self.limits.rate_limit,
        }
    }
}

impl fmt::Display for LogFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cli(args: &[&str]) -> Cli {
        let mut argv = vec!["kms-server"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).unwrap()
    }

    #[test]
    fn defaults_live_in_the_data_dir() {
        let c = Settings::default().resolve().unwrap();
        assert_eq!(c.data_dir, PathBuf::from("./kms-data"));
        assert_eq!(c.rest_addr, "127.0.0.1:8443".parse().unwrap());
        assert_eq!(c.kmip_addr, "127.0.0.1:5696".parse().unwrap());
        assert_eq!(
            c.store,
            StoreLocation::Sqlite(PathBuf::from("./kms-data/kms.db"))
        );
        assert_eq!(c.master_key, PathBuf::from("./kms-data/master.key"));
        assert_eq!(c.tls, TlsSource::Development);
        assert_eq!(c.log_format, LogFormat::Text);
        assert_eq!(c.limits.max_body_bytes, DEFAULT_MAX_BODY_BYTES);
    }

    #[test]
    fn a_moved_data_dir_moves_the_default_store_and_master_key() {
        let c = cli(&["--data-dir", "/srv/kms"]).resolve().unwrap();
        assert_eq!(c.store, StoreLocation::Sqlite("/srv/kms/kms.db".into()));
        assert_eq!(c.master_key, PathBuf::from("/srv/kms/master.key"));
    }

    #[test]
    fn flags_win_over_the_file() {
        let file = parse_toml(
            "rest-addr = \"0.0.0.0:443\"\nkmip-addr = \"0.0.0.0:5696\"\nlog-format = \"json\"\n",
        )
        .unwrap();
        let flags = cli(&["--rest-addr", "127.0.0.1:9000"]).settings;
        let c = flags.or(file).resolve().unwrap();
        assert_eq!(c.rest_addr, "127.0.0.1:9000".parse().unwrap());
        assert_eq!(c.kmip_addr, "0.0.0.0:5696".parse().unwrap());
        assert_eq!(c.log_format, LogFormat::Json);
    }

    #[test]
    fn the_file_takes_every_long_option_name() {
        let text = "data-dir = \"/d\"\nrest-addr = \"[::1]:443\"\nkmip-addr = \"[::1]:5696\"\n\
            tls-cert = \"c.pem\"\ntls-key = \"k.pem\"\nclient-ca = \"ca.pem\"\n\
            store = \"postgres://u:p@h/db\"\nmaster-key = \"/m\"\nlog-level = \"debug\"\n\
            log-format = \"text\"\nmax-connections = 10\nmax-body-bytes = 100\n\
            handshake-timeout = 1\nheader-read-timeout = 2\nrequest-timeout = 3\n\
            shutdown-timeout = 4\nrate-limit = 5\n";
        let c = parse_toml(text).unwrap().resolve().unwrap();
        assert_eq!(c.store.redacted(), "postgres://***@h/db");
        assert_eq!(c.limits.request_timeout, Duration::from_secs(3));
        // Printing and reading back gives the same configuration.
        let printed = toml::to_string(&c.to_settings()).unwrap();
        let again = parse_toml(&printed).unwrap();
        assert_eq!(again.rest_addr, c.to_settings().rest_addr);
        assert_eq!(again.limits_for_test(), c.limits);
    }

    impl Settings {
        fn limits_for_test(self) -> Limits {
            self.resolve().unwrap().limits
        }
    }

    #[test]
    fn rejects_an_unknown_key() {
        let err = parse_toml("rest_adr = \"127.0.0.1:1\"\n").unwrap_err();
        assert!(err.contains("rest_adr"), "{err}");
    }

    #[test]
    fn rejects_a_bad_address() {
        assert!(parse_toml("rest-addr = \"localhost\"\n").is_err());
        assert!(Cli::try_parse_from(["kms-server", "--rest-addr", "nowhere"]).is_err());
    }

    #[test]
    fn tls_files_go_together() {
        let err = cli(&["--tls-cert", "c.pem"]).resolve().unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("--tls-key") && text.contains("--client-ca"),
            "{text}"
        );
        let c = cli(&["--tls-cert", "c", "--tls-key", "k", "--client-ca", "ca"])
            .resolve()
            .unwrap();
        assert!(matches!(c.tls, TlsSource::Files { .. }));
    }

    #[test]
    fn rejects_zero_limits_and_one_address_for_both_listeners() {
        assert!(cli(&["--max-connections", "0"]).resolve().is_err());
        assert!(cli(&["--request-timeout", "0"]).resolve().is_err());
        assert!(cli(&["--rest-addr", "127.0.0.1:5696"]).resolve().is_err());
    }
}

//! The KMS server: the REST and KMIP frontends over one store.
//!
//! Exit status: 0 after a clean shutdown (SIGTERM or SIGINT), 2 for a configuration
//! that cannot be used (with a message on standard error), 1 for anything else that
//! stops the server.

mod banner;
mod bootstrap;
mod config;
mod logging;

use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use kms_store::backend::AnyBackend;
use kms_store::{Store, StoreConfig};
use tokio::net::TcpListener;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::watch;

use crate::bootstrap::{BootstrapError, TlsPem};
use crate::config::{Cli, Config, ConfigError, TlsSource};

/// Why the server stopped, and with which exit status.
#[derive(Debug, thiserror::Error)]
enum ServerError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Bootstrap(#[from] BootstrapError),
    #[error("TLS configuration: {0}")]
    Tls(#[source] kms_tls::TlsError),
    #[error("store {location}: {source}")]
    Store {
        location: String,
        #[source]
        source: kms_store::StoreError,
    },
    #[error("listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("signal handlers: {0}")]
    Signals(#[source] std::io::Error),
    #[error("REST server: {0}")]
    Serve(String),
}

impl ServerError {
    fn exit_code(&self) -> u8 {
        match self {
            ServerError::Config(_) => 2,
            // The operator's own TLS files, unreadable or unusable, are configuration.
            ServerError::Tls(_) | ServerError::Bootstrap(BootstrapError::TlsFile { .. }) => 2,
            _ => 1,
        }
    }
}

fn main() -> ExitCode {
    // clap prints usage errors and exits with status 2 itself.
    let cli = Cli::parse();
    let config = match cli.resolve() {
        Ok(config) => config,
        Err(e) => return fail(&ServerError::Config(e)),
    };
    if cli.print_config {
        return match toml::to_string(&config.to_settings()) {
            Ok(text) => {
                print!("{text}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&ServerError::Config(ConfigError::Invalid(e.to_string()))),
        };
    }
    if let Err(e) = logging::init(config.log_level.as_deref(), config.log_format) {
        return fail(&ServerError::Config(e));
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(&ServerError::Serve(format!("tokio runtime: {e}"))),
    };
    match runtime.block_on(run(config)) {
        Ok(()) => {
            tracing::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "stopping");
            fail(&e)
        }
    }
}

fn fail(e: &ServerError) -> ExitCode {
    eprintln!("kms-server: error: {e}");
    ExitCode::from(e.exit_code())
}

/// The rustls configurations, client certificates required: REST offers HTTP/2 and
/// HTTP/1.1 by ALPN; KMIP offers no ALPN (KMIP clients send none).
fn server_tls(
    pem: &TlsPem,
) -> Result<(Arc<rustls::ServerConfig>, Arc<rustls::ServerConfig>), kms_tls::TlsError> {
    let config = |alpn| {
        kms_tls::server_config(
            pem.cert.as_bytes(),
            pem.key.as_bytes(),
            pem.client_ca.as_bytes(),
            alpn,
        )
    };
    Ok((
        config(vec![b"h2".to_vec(), b"http/1.1".to_vec()])?,
        config(Vec::new())?,
    ))
}

async fn run(config: Config) -> Result<(), ServerError> {
    // Handlers first: a signal during start-up is kept, and stops the server as soon as
    // it is up, instead of killing it halfway through writing its files.
    let mut terminate = signal(SignalKind::terminate()).map_err(ServerError::Signals)?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(ServerError::Signals)?;

    // The operator's TLS files are checked before anything is written.
    let operator_tls = match &config.tls {
        TlsSource::Files {
            cert,
            key,
            client_ca,
        } => Some(
            server_tls(&bootstrap::operator_tls(cert, key, client_ca)?)
                .map_err(ServerError::Tls)?,
        ),
        TlsSource::Development => None,
    };
    let boot = bootstrap::run(&config)?;
    if boot.master_key_created {
        tracing::info!(path = %config.master_key.display(), "created the master key");
    }
    let (tls, kmip_tls) = match (operator_tls, &boot.dev_pki) {
        (Some(tls), _) => tls,
        (None, Some(dev)) => server_tls(&dev.tls)
            // Our own generated files not loading is not the operator's configuration.
            .map_err(|e| ServerError::Serve(format!("development PKI: {e}")))?,
        (None, None) => return Err(ServerError::Serve("no TLS configuration".into())),
    };

    let location = config.store.redacted();
    let backend = AnyBackend::open(&config.store)
        .await
        .map_err(|source| ServerError::Store {
            location: location.clone(),
            source,
        })?;
    let store = Store::new(backend, Box::new(boot.master_key), StoreConfig::default());
    tracing::info!(store = %location, "store open");

    let listener = TcpListener::bind(config.rest_addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.rest_addr,
            source,
        })?;
    let rest_addr = listener.local_addr().map_err(|source| ServerError::Bind {
        addr: config.rest_addr,
        source,
    })?;
    tracing::info!(%rest_addr, "REST API listening");
    let kmip_listener = TcpListener::bind(config.kmip_addr)
        .await
        .map_err(|source| ServerError::Bind {
            addr: config.kmip_addr,
            source,
        })?;
    let kmip_addr = kmip_listener
        .local_addr()
        .map_err(|source| ServerError::Bind {
            addr: config.kmip_addr,
            source,
        })?;
    tracing::info!(%kmip_addr, "KMIP listening");
    if let Some(pki) = &boot.dev_pki {
        print!(
            "{}",
            banner::development(
                pki,
                &config.data_dir,
                &location,
                &config.master_key,
                rest_addr
            )
        );
    }

    // The first signal starts a graceful shutdown; a second one stops at once.
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        let name = tokio::select! {
            _ = terminate.recv() => "SIGTERM",
            _ = interrupt.recv() => "SIGINT",
        };
        tracing::info!(signal = name, "shutting down: finishing in-flight requests");
        let _ = stop_tx.send(true);
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        tracing::warn!("second signal: exiting now");
        std::process::exit(1);
    });
    // The sender gone without a word (its task failed) stops the server too.
    let stopped = |mut stop: watch::Receiver<bool>| async move {
        let _ = stop.wait_for(|stopped| *stopped).await;
    };

    let rest_config = kms_rest::RestConfig {
        max_body_bytes: config.limits.max_body_bytes,
        header_read_timeout: config.limits.header_read_timeout,
        handshake_timeout: config.limits.handshake_timeout,
        request_timeout: config.limits.request_timeout,
        max_connections: config.limits.max_connections,
        rate_limit: config.limits.rate_limit.map(|rps| kms_rest::RateLimit {
            requests_per_second: f64::from(rps),
            burst: rps,
        }),
        shutdown_timeout: config.limits.shutdown_timeout,
    };
    let kmip_config = kms_kmip::KmipConfig {
        handshake_timeout: config.limits.handshake_timeout,
        max_connections: config.limits.max_connections,
        shutdown_timeout: config.limits.shutdown_timeout,
        ..kms_kmip::KmipConfig::default()
    };
    // On a signal, both listeners stop accepting and wait (at most the shutdown
    // timeout) for the requests in flight.
    let rest = kms_rest::serve(
        listener,
        tls,
        store.clone(),
        rest_config,
        stopped(stop_rx.clone()),
    );
    let kmip = kms_kmip::serve(
        kmip_listener,
        kmip_tls,
        store,
        kmip_config,
        stopped(stop_rx),
    );
    tokio::try_join!(rest, kmip)
        .map(|_| ())
        .map_err(|e| ServerError::Serve(e.to_string()))
}

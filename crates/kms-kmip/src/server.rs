//! The KMIP listener (port 5696): accept loop with a connection cap, the TLS handshake
//! and client identity (`kms-tls`, shared with the REST frontend), TTLV framing with
//! the codec's limits, timeouts, and graceful shutdown.
//!
//! Each connection runs on its own task and serves requests one after the other; the
//! service itself is [`crate::dispatch::handle`].

use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::pin;
use std::sync::Arc;
use std::time::Duration;

use kmip_ttlv::{FrameHeader, KmipVersion, Limits};
use kms_store::backend::Backend;
use kms_store::{Identity, Store};
use kms_tls::ConnectionLimit;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use zeroize::Zeroizing;

use crate::dispatch;
use crate::stream::{StreamLimits, Streams};

/// Limits and timeouts of the KMIP listener.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KmipConfig {
    /// Codec limits: message length (1 MiB by default, header included), nesting depth,
    /// item count. A frame declaring more is refused after its 8-byte header.
    pub limits: Limits,
    /// Time a client has to finish the TLS handshake (10 s by default).
    pub handshake_timeout: Duration,
    /// Time a client has to send the rest of a message once it has started one, and to
    /// take an answer (10 s by default).
    pub read_timeout: Duration,
    /// Time a connection may stay open between messages (120 s by default).
    pub idle_timeout: Duration,
    /// Connections open at once; one over the cap is closed at once (1024 by default).
    pub max_connections: usize,
    /// Batch items in one message; a message with more is refused before any item runs
    /// (64 by default).
    pub max_batch_items: usize,
    /// How long shutdown waits for connections to finish the message they are on
    /// (30 s by default).
    pub shutdown_timeout: Duration,
    /// Bounds on the streams of multi-part cryptographic operations.
    pub streams: StreamLimits,
}

impl Default for KmipConfig {
    fn default() -> Self {
        KmipConfig {
            limits: Limits::DEFAULT,
            handshake_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            max_connections: 1024,
            max_batch_items: 64,
            shutdown_timeout: Duration::from_secs(30),
            streams: StreamLimits::default(),
        }
    }
}

/// Serves KMIP on `listener` until `shutdown` completes, then stops accepting, lets
/// each connection finish the message it is on (at most
/// [`KmipConfig::shutdown_timeout`]) and returns.
///
/// `tls` should come from [`kms_tls::server_config`] (client certificates required; no
/// ALPN: KMIP clients do not offer any). The client's identity, and so the owner of
/// the objects it creates, comes from its certificate, never from a Credential in a
/// request.
pub async fn serve<B: Backend + Debug>(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    store: Store<B>,
    config: KmipConfig,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let acceptor = TlsAcceptor::from(tls);
    let limit = ConnectionLimit::new(config.max_connections);
    let streams = Arc::new(Streams::new(config.streams.clone()));
    let shared = Arc::new(Shared {
        store,
        config,
        streams,
    });
    let (stop_tx, stop_rx) = watch::channel(false);
    let mut tasks = JoinSet::new();
    let mut shutdown = pin!(shutdown);
    tracing::info!(address = ?listener.local_addr().ok(), "KMIP listener started");
    loop {
        let (tcp, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
            // Reap finished connection tasks so the set stays small.
            Some(_) = tasks.join_next(), if !tasks.is_empty() => continue,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of descriptors and the like: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let Some(permit) = limit.try_acquire() else {
            tracing::warn!(%peer, max = limit.max(), "KMIP connection closed: at the connection cap");
            drop(tcp);
            continue;
        };
        let acceptor = acceptor.clone();
        let shared = Arc::clone(&shared);
        let stop = stop_rx.clone();
        tasks.spawn(async move {
            let _ = tcp.set_nodelay(true);
            match kms_tls::accept(&acceptor, tcp, shared.config.handshake_timeout).await {
                Ok((stream, client)) => {
                    let owner_name = client.owner();
                    match Identity::new(&owner_name) {
                        Some(owner) => connection(stream, peer, owner, &shared, stop).await,
                        None => tracing::info!(
                            %peer,
                            "KMIP connection closed: the certificate's identity cannot own objects"
                        ),
                    }
                }
                Err(e) => tracing::info!(%peer, error = %e, "TLS handshake refused"),
            }
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        connections = tasks.len(),
        "KMIP listener stopping: finishing in-flight messages"
    );
    let _ = stop_tx.send(true);
    let drained = async { while tasks.join_next().await.is_some() {} };
    if tokio::time::timeout(shared.config.shutdown_timeout, drained)
        .await
        .is_err()
    {
        tracing::warn!("KMIP listener stopped with messages still in flight");
        tasks.abort_all();
    }
    Ok(())
}

/// What every connection task shares.
struct Shared<B: Backend> {
    store: Store<B>,
    config: KmipConfig,
    streams: Arc<Streams>,
}

/// Why a connection ends.
#[derive(Debug)]
enum End {
    /// The client closed it between messages.
    Closed,
    /// Nothing arrived within the idle timeout.
    Idle,
    /// Shutdown, between messages.
    Shutdown,
    /// A message or an answer did not move within the read timeout.
    Timeout,
    /// An I/O error.
    Io(std::io::Error),
    /// A frame that cannot be read safely, or a message without a KMIP answer.
    Refused(&'static str),
}

impl std::fmt::Display for End {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            End::Closed => f.write_str("closed by the client"),
            End::Idle => f.write_str("idle timeout"),
            End::Shutdown => f.write_str("shutdown"),
            End::Timeout => f.write_str("read or write timeout"),
            End::Io(e) => write!(f, "I/O error: {e}"),
            End::Refused(why) => write!(f, "refused: {why}"),
        }
    }
}

/// One connection: messages one after the other until the client leaves, a timeout,
/// a refused frame or shutdown.
async fn connection<S, B>(
    mut stream: S,
    peer: SocketAddr,
    owner: Identity,
    shared: &Shared<B>,
    mut stop: watch::Receiver<bool>,
) where
    S: AsyncRead + AsyncWrite + Unpin,
    B: Backend + Debug,
{
    tracing::debug!(%peer, client = %owner, "KMIP connection");
    let end = loop {
        match message(&mut stream, &owner, shared, &mut stop).await {
            Ok(()) => continue,
            Err(end) => break end,
        }
    };
    let _ = tokio::time::timeout(shared.config.read_timeout, stream.shutdown()).await;
    match end {
        End::Closed | End::Shutdown => tracing::debug!(%peer, %end, "KMIP connection ended"),
        _ => tracing::info!(%peer, client = %owner, %end, "KMIP connection closed"),
    }
}

/// Reads one message, answers it.
async fn message<S, B>(
    stream: &mut S,
    owner: &Identity,
    shared: &Shared<B>,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), End>
where
    S: AsyncRead + AsyncWrite + Unpin,
    B: Backend + Debug,
{
    let config = &shared.config;
    let mut header = [0u8; 8];
    // The first byte may take up to the idle timeout; shutdown ends a connection
    // waiting here.
    let first = tokio::select! {
        read = tokio::time::timeout(config.idle_timeout, stream.read(&mut header[..1])) => read,
        _ = stop.wait_for(|stopped| *stopped) => return Err(End::Shutdown),
    };
    match first {
        Err(_) => return Err(End::Idle),
        Ok(Err(e)) => return Err(End::Io(e)),
        Ok(Ok(0)) => return Err(End::Closed),
        Ok(Ok(_)) => {}
    }
    read_exact(stream, &mut header[1..], config.read_timeout).await?;
    let frame = match FrameHeader::parse(&header, &config.limits) {
        Ok(frame) => frame,
        Err(e) => {
            // The body is never read (nor allocated for): answer if we can, then close,
            // since the stream cannot be resynchronised.
            tracing::info!(error = %e, "KMIP frame refused");
            if let Some(answer) = dispatch::message_error(
                KmipVersion::V1_0,
                kmip_types::ResultReason::INVALID_MESSAGE,
                "the message header is invalid or declares more than the server accepts",
            ) {
                let _ = write_all(stream, &answer, config.read_timeout).await;
            }
            return Err(End::Refused("invalid frame header"));
        }
    };
    let buffer = read_message(stream, &header, frame.message_len(), config.read_timeout).await?;
    let answer = dispatch::handle(&shared.store, &shared.streams, owner, config, &buffer).await;
    drop(buffer);
    match answer {
        Some(answer) => write_all(stream, &answer, config.read_timeout).await,
        None => Err(End::Refused("no KMIP answer can be framed")),
    }
}

/// The first buffer a message body is read into; it doubles as bytes arrive.
const FIRST_BUFFER: usize = 8 * 1024;

/// Reads the rest of a message of `total` bytes (header included, already checked
/// against the limits) within `timeout` overall.
///
/// The buffer grows with the bytes that arrive: it starts at 8 KiB and doubles only when
/// full, so it never holds more than 8 KiB or twice what the client sent. A header
/// declaring the 1 MiB limit followed by silence holds 8 KiB for the read timeout, not
/// 1 MiB. Each outgrown buffer is zeroized as it is dropped.
async fn read_message<S: AsyncRead + Unpin>(
    stream: &mut S,
    header: &[u8],
    total: usize,
    timeout: Duration,
) -> Result<Zeroizing<Vec<u8>>, End> {
    let read = async {
        let mut buffer = Zeroizing::new(Vec::with_capacity(total.min(FIRST_BUFFER)));
        buffer.extend_from_slice(header);
        while buffer.len() < total {
            if buffer.len() == buffer.capacity() {
                let grown = buffer.capacity().saturating_mul(2).min(total);
                let mut bigger = Zeroizing::new(Vec::with_capacity(grown));
                bigger.extend_from_slice(&buffer);
                buffer = bigger;
            }
            let filled = buffer.len();
            // Zeros up to the capacity only: no reallocation, so no copy left behind.
            let end = buffer.capacity().min(total);
            buffer.resize(end, 0);
            let read = match buffer.get_mut(filled..end) {
                Some(free) => stream.read(free).await?,
                None => 0,
            };
            if read == 0 {
                return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
            }
            buffer.truncate(filled.saturating_add(read));
        }
        Ok(buffer)
    };
    match tokio::time::timeout(timeout, read).await {
        Err(_) => Err(End::Timeout),
        Ok(Err(e)) => Err(End::Io(e)),
        Ok(Ok(buffer)) => Ok(buffer),
    }
}

/// Reads exactly `buf`, within `timeout` overall.
async fn read_exact<S: AsyncRead + Unpin>(
    stream: &mut S,
    buf: &mut [u8],
    timeout: Duration,
) -> Result<(), End> {
    match tokio::time::timeout(timeout, stream.read_exact(buf)).await {
        Err(_) => Err(End::Timeout),
        Ok(Err(e)) => Err(End::Io(e)),
        Ok(Ok(_)) => Ok(()),
    }
}

/// Writes and flushes `bytes` within `timeout`: a client that does not read its answers
/// does not hold the task forever.
async fn write_all<S: AsyncWrite + Unpin>(
    stream: &mut S,
    bytes: &[u8],
    timeout: Duration,
) -> Result<(), End> {
    let write = async {
        stream.write_all(bytes).await?;
        stream.flush().await
    };
    match tokio::time::timeout(timeout, write).await {
        Err(_) => Err(End::Timeout),
        Ok(Err(e)) => Err(End::Io(e)),
        Ok(Ok(())) => Ok(()),
    }
}

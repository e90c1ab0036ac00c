//! The HTTPS listener: accept loop with a connection cap, the TLS handshake and client
//! identity (`kms-tls`), HTTP/1.1 and HTTP/2 (hyper), bounded bodies, timeouts, a rate
//! limit per identity, one log line per request, and graceful shutdown.
//!
//! The service itself is [`crate::handlers::dispatch`]: this module only moves bytes
//! between the connection and it, so tests can drive either.

use std::collections::HashMap;
use std::convert::Infallible;
use std::fmt::Debug;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::{Pin, pin};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::StatusCode;
use http::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderValue};
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use kms_store::backend::Backend;
use kms_store::{Identity, Store};
use kms_tls::{ClientIdentity, ConnectionLimit};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use zeroize::Zeroizing;

use crate::context::RequestContext;
use crate::error::{ApiError, Category};
use crate::handlers::{self, takes_body};
use crate::json::is_json_content_type;
use crate::response::{JSON, Response};
use crate::router::{Route, route};

/// Limits and timeouts of the REST listener.
#[derive(Clone, Debug, PartialEq)]
pub struct RestConfig {
    /// Largest request body (64 KiB by default; the largest API request, an RSA-4096
    /// private JWK, is under 4 KiB). Over it: 413.
    pub max_body_bytes: usize,
    /// Time a client has to send a request's headers (HTTP/1.1; 10 s by default).
    pub header_read_timeout: Duration,
    /// Time a client has to finish the TLS handshake (10 s by default).
    pub handshake_timeout: Duration,
    /// Time to read a request's body and answer it (30 s by default).
    pub request_timeout: Duration,
    /// Connections open at once; a connection over the cap is closed at once (1024 by
    /// default).
    pub max_connections: usize,
    /// Requests per second per client identity (off by default).
    pub rate_limit: Option<RateLimit>,
    /// How long shutdown waits for in-flight requests (30 s by default).
    pub shutdown_timeout: Duration,
}

impl Default for RestConfig {
    fn default() -> Self {
        RestConfig {
            max_body_bytes: 64 * 1024,
            header_read_timeout: Duration::from_secs(10),
            handshake_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            max_connections: 1024,
            rate_limit: None,
            shutdown_timeout: Duration::from_secs(30),
        }
    }
}

/// A token bucket per client identity (store owner): `requests_per_second` sustained,
/// bursts of up to `burst`. Over it: 429 with `Retry-After`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RateLimit {
    /// Sustained rate.
    pub requests_per_second: f64,
    /// Bucket size.
    pub burst: u32,
}

/// Serves the REST API on `listener` until `shutdown` completes, then stops accepting,
/// lets in-flight requests finish (at most [`RestConfig::shutdown_timeout`]) and
/// returns.
///
/// `tls` should come from [`kms_tls::server_config`] (client certificates required); when
/// it offers no ALPN protocols, `h2` and `http/1.1` are offered.
pub async fn serve<B: Backend + Debug>(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    store: Store<B>,
    config: RestConfig,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let tls = if tls.alpn_protocols.is_empty() {
        let mut with_alpn = (*tls).clone();
        with_alpn.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        Arc::new(with_alpn)
    } else {
        tls
    };
    let acceptor = TlsAcceptor::from(tls);
    let limit = ConnectionLimit::new(config.max_connections);
    let shutdown_timeout = config.shutdown_timeout;
    let shared = Arc::new(Shared {
        store,
        limiter: config.rate_limit.map(RateLimiter::new),
        config,
    });
    let graceful = GracefulShutdown::new();
    let mut shutdown = pin!(shutdown);
    tracing::info!(address = ?listener.local_addr().ok(), "REST listener started");
    loop {
        let (tcp, peer) = tokio::select! {
            biased;
            () = &mut shutdown => break,
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
            tracing::warn!(%peer, max = limit.max(), "connection closed: at the connection cap");
            drop(tcp);
            continue;
        };
        let watcher = graceful.watcher();
        let acceptor = acceptor.clone();
        let shared = Arc::clone(&shared);
        tokio::spawn(async move {
            connection(acceptor, tcp, peer, shared, watcher).await;
            drop(permit);
        });
    }
    drop(listener);
    tracing::info!(
        connections = graceful.count(),
        "REST listener stopping: finishing in-flight requests"
    );
    if tokio::time::timeout(shutdown_timeout, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("REST listener stopped with requests still in flight");
    }
    Ok(())
}

/// What every connection task shares.
struct Shared<B: Backend> {
    store: Store<B>,
    config: RestConfig,
    limiter: Option<RateLimiter>,
}

/// One connection: handshake, then HTTP until the peer leaves or shutdown.
async fn connection<B: Backend + Debug>(
    acceptor: TlsAcceptor,
    tcp: TcpStream,
    peer: SocketAddr,
    shared: Arc<Shared<B>>,
    watcher: Watcher,
) {
    let _ = tcp.set_nodelay(true);
    let (stream, client) =
        match kms_tls::accept(&acceptor, tcp, shared.config.handshake_timeout).await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::info!(%peer, error = %e, "TLS handshake refused");
                return;
            }
        };
    let owner = Identity::new(&client.owner());
    let service_shared = Arc::clone(&shared);
    let service = service_fn(move |request| {
        let shared = Arc::clone(&service_shared);
        let client = client.clone();
        let owner = owner.clone();
        async move { Ok::<_, Infallible>(handle(&shared, client, owner, request).await) }
    });
    let mut builder = auto::Builder::new(TokioExecutor::new());
    builder
        .http1()
        .timer(TokioTimer::new())
        .header_read_timeout(shared.config.header_read_timeout)
        .max_buf_size(64 * 1024);
    builder
        .http2()
        .timer(TokioTimer::new())
        .max_concurrent_streams(64)
        .max_header_list_size(64 * 1024)
        .keep_alive_interval(Duration::from_secs(30))
        .keep_alive_timeout(Duration::from_secs(10));
    let io = FirstByteDeadline::new(stream, shared.config.header_read_timeout);
    let connection = builder.serve_connection(TokioIo::new(io), service);
    if let Err(e) = watcher.watch(connection).await {
        tracing::debug!(%peer, error = %e, "connection ended with an error");
    }
}

/// A stream whose first read must bring data within a deadline: a peer that completes
/// the handshake and then sends nothing is dropped. hyper's HTTP/1.1 header timeout
/// does not cover this (the protocol detection of `auto` reads first), nor does HTTP/2
/// (which waits for the preface without a timer).
struct FirstByteDeadline<S> {
    inner: S,
    deadline: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl<S> FirstByteDeadline<S> {
    fn new(inner: S, limit: Duration) -> FirstByteDeadline<S> {
        FirstByteDeadline {
            inner,
            deadline: Some(Box::pin(tokio::time::sleep(limit))),
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for FirstByteDeadline<S> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_read(cx, buf) {
            Poll::Ready(result) => {
                if buf.filled().len() > before {
                    this.deadline = None;
                }
                Poll::Ready(result)
            }
            Poll::Pending => {
                let expired = this
                    .deadline
                    .as_mut()
                    .is_some_and(|d| d.as_mut().poll(cx).is_ready());
                if expired {
                    Poll::Ready(Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "no request in time",
                    )))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for FirstByteDeadline<S> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// One request: the answer, with `X-Request-Id`, and one log line.
async fn handle<B: Backend + Debug>(
    shared: &Shared<B>,
    client: ClientIdentity,
    owner: Option<Identity>,
    request: hyper::Request<Incoming>,
) -> hyper::Response<Full<Bytes>> {
    let started = Instant::now();
    let request_id = uuid::Uuid::new_v4().hyphenated().to_string();
    let method = request.method().clone();
    let owner_text = owner.as_ref().map(|o| o.to_string()).unwrap_or_default();
    let (route_name, result) = process(shared, client, owner, &request_id, request).await;
    let (response, retry_after) = match result {
        Ok(response) => (response, false),
        Err(e) => {
            let retry = e.status == StatusCode::TOO_MANY_REQUESTS;
            (Response::bytes(e.status, e.body(&request_id), JSON), retry)
        }
    };
    tracing::info!(
        request_id = %request_id,
        method = %method,
        route = route_name,
        status = response.status.as_u16(),
        client = %owner_text,
        latency_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    build(response, &request_id, retry_after)
}

/// Routing, authorization, limits, body, dispatch.
async fn process<B: Backend + Debug>(
    shared: &Shared<B>,
    client: ClientIdentity,
    owner: Option<Identity>,
    request_id: &str,
    request: hyper::Request<Incoming>,
) -> (&'static str, Result<Response, ApiError>) {
    let (domain, route) = match route(request.method(), request.uri().path()) {
        Ok(routed) => routed,
        Err(e) => return ("unknown", Err(e)),
    };
    let name = route.name();
    let result = async {
        let owner = owner.ok_or_else(|| {
            ApiError::new(
                StatusCode::FORBIDDEN,
                Category::Authorization,
                3,
                "the certificate's identity cannot own keys",
            )
        })?;
        check_domain(domain.as_deref(), &client)?;
        if route != Route::Health
            && let Some(limiter) = &shared.limiter
            && !limiter.allow(owner.as_str())
        {
            return Err(ApiError::new(
                StatusCode::TOO_MANY_REQUESTS,
                Category::TooManyRequests,
                1,
                "too many requests",
            ));
        }
        let query = request.uri().query().unwrap_or_default().to_owned();
        let body = if takes_body(&route) {
            read_body(request, &shared.config).await?
        } else {
            Zeroizing::new(Vec::new())
        };
        let ctx = RequestContext {
            request_id: request_id.to_owned(),
            client,
            owner,
        };
        tokio::time::timeout(
            shared.config.request_timeout,
            handlers::dispatch(&shared.store, &ctx, &route, &query, &body),
        )
        .await
        .unwrap_or_else(|_| {
            Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                Category::Internal,
                3,
                "the request took too long",
            ))
        })
    }
    .await;
    if let Err(e) = &result
        && e.status.is_server_error()
    {
        tracing::error!(request_id, route = name, messages = ?e.messages, "request failed");
    }
    (name, result)
}

/// Under `/api/{okmsId}/...` the path's domain must be the certificate's; `/v1/...` and
/// the unprefixed routes use the certificate's.
fn check_domain(path_domain: Option<&str>, client: &ClientIdentity) -> Result<(), ApiError> {
    let Some(path_domain) = path_domain else {
        return Ok(());
    };
    match &client.domain {
        Some(domain) if domain.eq_ignore_ascii_case(path_domain) => Ok(()),
        Some(_) => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Category::Authorization,
            1,
            "the path's okmsId is not the certificate's domain",
        )),
        None => Err(ApiError::new(
            StatusCode::FORBIDDEN,
            Category::Authorization,
            2,
            "the certificate names no domain: use the /v1 paths",
        )),
    }
}

fn too_large(max: usize) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        Category::Argument,
        4,
        format!("the request body is larger than {max} bytes"),
    )
}

/// Over-limit bytes read and thrown away before a 413, so that an HTTP/2 client still
/// uploading gets the answer rather than a reset stream (and an HTTP/1.1 connection can
/// be reused). Larger bodies are refused without reading.
const DRAIN_LIMIT: u64 = 1024 * 1024;
/// How long that draining may take.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(2);

/// Reads a JSON body of at most `max_body_bytes`: a Content-Length over it is refused
/// before reading, a chunked body is counted as it arrives. Zeroized on drop (bodies
/// carry plaintexts and private keys).
async fn read_body(
    request: hyper::Request<Incoming>,
    config: &RestConfig,
) -> Result<Zeroizing<Vec<u8>>, ApiError> {
    let max = config.max_body_bytes;
    let max_u64 = u64::try_from(max).unwrap_or(u64::MAX);
    let headers = request.headers();
    let declared = match headers.get(CONTENT_LENGTH) {
        None => None,
        Some(length) => Some(
            length
                .to_str()
                .ok()
                .and_then(|l| l.parse::<u64>().ok())
                .ok_or_else(|| ApiError::bad_request("malformed Content-Length"))?,
        ),
    };
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_json_content_type);
    let mut body = request.into_body();
    if let Some(length) = declared
        && length > max_u64
    {
        if length <= max_u64.saturating_add(DRAIN_LIMIT) {
            let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain(&mut body, DRAIN_LIMIT)).await;
        }
        return Err(too_large(max));
    }
    if !json {
        // Read what was sent first (bounded), so that an HTTP/2 client still uploading
        // gets the answer rather than a reset stream.
        let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain(&mut body, max_u64)).await;
        return Err(ApiError::bad_request(
            "Content-Type must be application/json",
        ));
    }
    let capacity = declared
        .and_then(|l| usize::try_from(l).ok())
        .unwrap_or(4096)
        .min(max);
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    let read = async {
        while let Some(frame) = body.frame().await {
            let frame =
                frame.map_err(|_| ApiError::bad_request("the request body could not be read"))?;
            let Ok(data) = frame.into_data() else {
                continue;
            };
            if out.len().saturating_add(data.len()) > max {
                let _ = tokio::time::timeout(DRAIN_TIMEOUT, drain(&mut body, DRAIN_LIMIT)).await;
                return Err(too_large(max));
            }
            out.extend_from_slice(&data);
        }
        Ok(())
    };
    match tokio::time::timeout(config.request_timeout, read).await {
        Err(_) => Err(ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            Category::Argument,
            5,
            "the request body was not received in time",
        )),
        Ok(Err(e)) => Err(e),
        Ok(Ok(())) => Ok(out),
    }
}

/// Reads and discards up to `limit` bytes of `body`.
async fn drain(body: &mut Incoming, limit: u64) {
    let mut seen = 0u64;
    while let Some(Ok(frame)) = body.frame().await {
        if let Ok(data) = frame.into_data() {
            seen = seen.saturating_add(u64::try_from(data.len()).unwrap_or(u64::MAX));
            if seen > limit {
                return;
            }
        }
    }
}

/// The hyper response: status, body, `Content-Type` (with a body), `X-Request-Id`,
/// `Cache-Control: no-store` (answers may carry key material), `Retry-After` on 429.
fn build(response: Response, request_id: &str, retry_after: bool) -> hyper::Response<Full<Bytes>> {
    let status = response.status;
    let has_body = !response.body.is_empty();
    let mut out = hyper::Response::new(Full::new(Bytes::from(response.body)));
    *out.status_mut() = status;
    let headers = out.headers_mut();
    if has_body {
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static(response.content_type),
        );
    }
    if let Ok(id) = HeaderValue::from_str(request_id) {
        headers.insert("x-request-id", id);
    }
    headers.insert("cache-control", HeaderValue::from_static("no-store"));
    if retry_after {
        headers.insert("retry-after", HeaderValue::from_static("1"));
    }
    out
}

/// Token buckets per identity.
struct RateLimiter {
    limit: RateLimit,
    buckets: Mutex<HashMap<String, Bucket>>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    updated: Instant,
}

/// Buckets kept before idle ones are pruned.
const MAX_BUCKETS: usize = 10_000;

impl RateLimiter {
    fn new(limit: RateLimit) -> RateLimiter {
        RateLimiter {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one token from `identity`'s bucket; false when it is empty.
    fn allow(&self, identity: &str) -> bool {
        let now = Instant::now();
        let rate = self.limit.requests_per_second.max(0.0);
        let burst = f64::from(self.limit.burst.max(1));
        let mut buckets = self
            .buckets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(identity) {
            // A full bucket is the same as no bucket: drop those.
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.updated).as_secs_f64() * rate < burst
            });
        }
        let bucket = buckets.entry(identity.to_owned()).or_insert(Bucket {
            tokens: burst,
            updated: now,
        });
        let elapsed = now.duration_since(bucket.updated).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * rate).min(burst);
        bucket.updated = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn client(domain: Option<&str>) -> ClientIdentity {
        ClientIdentity {
            common_name: "c".into(),
            domain: domain.map(str::to_owned),
        }
    }

    #[test]
    fn the_path_domain_must_be_the_certificates() {
        let d = "0b2a4c1e-0000-4000-8000-000000000001";
        assert!(check_domain(None, &client(Some(d))).is_ok());
        assert!(check_domain(Some(d), &client(Some(d))).is_ok());
        assert!(check_domain(Some(&d.to_uppercase()), &client(Some(d))).is_ok());
        let other = check_domain(Some("other"), &client(Some(d))).unwrap_err();
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let none = check_domain(Some(d), &client(None)).unwrap_err();
        assert_eq!(none.status, StatusCode::FORBIDDEN);
        assert!(check_domain(None, &client(None)).is_ok());
    }

    #[test]
    fn rate_limit_refills_over_time() {
        let limiter = RateLimiter::new(RateLimit {
            requests_per_second: 1000.0,
            burst: 2,
        });
        assert!(limiter.allow("a"));
        assert!(limiter.allow("a"));
        assert!(!limiter.allow("a"));
        assert!(limiter.allow("b"), "buckets are per identity");
        std::thread::sleep(Duration::from_millis(5));
        assert!(limiter.allow("a"));
    }

    #[test]
    fn responses_carry_the_request_id_and_no_store() {
        let r = build(Response::no_content(), "rid", false);
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert_eq!(r.headers()["x-request-id"], "rid");
        assert!(r.headers().get(CONTENT_TYPE).is_none());
        let e = ApiError::not_found();
        let r = build(Response::bytes(e.status, e.body("rid"), JSON), "rid", true);
        assert_eq!(r.headers()[CONTENT_TYPE], "application/json");
        assert_eq!(r.headers()["retry-after"], "1");
    }
}

//! A KMIP load generator: C persistent mutual-TLS connections, each sending one request
//! at a time for D seconds, per workload; prints operations per second and p50/p99
//! latency.
//!
//! By default it starts the server in process (SQLite store in a temporary directory,
//! development PKI from `kms_tls::pki`). With `--addr HOST:PORT --ca CA.pem --cert
//! CLIENT.pem --key CLIENT-KEY.pem [--server-name NAME]` it loads a running server.
//!
//! ```text
//! cargo run --release -p kms-examples --bin kmip-load -- [--duration 10] [--connections 1,32]
//!     [--workloads get,create,encrypt,sign,sign-rsa,batch-get] [--encrypt-mode gcm|cbc]
//!     [--key-cache N]
//! ```
//!
//! `--key-cache N` sets how many parsed keys the in-process server keeps (0 turns the
//! key cache off, to compare). `--write-pki DIR` writes a development PKI (`ca.pem`,
//! `server.pem`, `server.key` for localhost and 127.0.0.1, `client.pem`, `client.key`)
//! and exits: a server under test (another KMIP implementation, say) is given the CA and
//! server pair, and this tool the CA and client pair. `--encrypt-mode cbc` encrypts with
//! AES-CBC and PKCS#5 padding for servers without AES-GCM.
//!
//! Client and server share the machine when the server is in process: the numbers are
//! those of the pair, not of the server alone.

// A benchmark tool: a failed setup step ends the run with its message, nothing more.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::error::Error;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use kmip_ttlv::Limits;
use kmip_types::attributes::{
    Attribute, AttributeValue, CryptographicDomainParameters, CryptographicParameters,
    TemplateAttribute,
};
use kmip_types::payloads::{
    CreateKeyPairRequest, CreateRequest, EncryptRequest, GetRequest, IdRequest, SignRequest,
};
use kmip_types::{
    BlockCipherMode, CryptographicAlgorithm, CryptographicUsageMask, DigitalSignatureAlgorithm,
    HashingAlgorithm, KmipVersion, ObjectType, Operation, PaddingMethod, ProtocolVersion,
    RecommendedCurve, RequestBatchItem, RequestHeader, RequestMessage, RequestPayload,
    ResponseMessage, ResponsePayload, ResultStatus, SecretBytes, UniqueId,
};
use kms_kmip::KmipConfig;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::sealing::MasterKey;
use kms_store::{ObjectId, Store, StoreConfig};
use kms_tls::pki::ClientValidity;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

type BoxError = Box<dyn Error + Send + Sync>;
type Result<T> = std::result::Result<T, BoxError>;

const VERSION: KmipVersion = KmipVersion::V1_4;
const WORKLOADS: [&str; 6] = ["get", "create", "encrypt", "sign", "sign-rsa", "batch-get"];

struct Options {
    duration: Duration,
    connections: Vec<usize>,
    workloads: Vec<String>,
    remote: Option<Remote>,
    /// The in-process server's key cache capacity (its default when absent).
    key_cache: Option<usize>,
    encrypt_mode: BlockCipherMode,
}

struct Remote {
    addr: SocketAddr,
    ca: PathBuf,
    cert: PathBuf,
    key: PathBuf,
    server_name: String,
}

fn main() {
    if let Err(e) = run() {
        eprintln!("kmip-load: {e}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let options = parse_args()?;
    let (target, _server) = match &options.remote {
        Some(remote) => (remote_target(remote)?, None),
        None => {
            let server = LocalServer::start(options.key_cache)?;
            (server.target.clone(), Some(server))
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    runtime.block_on(bench(&options, &target))
}

fn parse_args() -> Result<Options> {
    let mut options = Options {
        duration: Duration::from_secs(10),
        connections: vec![1, 32],
        workloads: WORKLOADS.iter().map(|w| (*w).to_owned()).collect(),
        remote: None,
        key_cache: None,
        encrypt_mode: BlockCipherMode::GCM,
    };
    let (mut addr, mut ca, mut cert, mut key) = (None, None, None, None);
    let mut server_name = "localhost".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--duration" => options.duration = Duration::from_secs_f64(value()?.parse()?),
            "--connections" => {
                options.connections = value()?
                    .split(',')
                    .map(str::parse)
                    .collect::<std::result::Result<_, _>>()?;
            }
            "--workloads" => {
                options.workloads = value()?.split(',').map(str::to_owned).collect();
                if let Some(w) = options
                    .workloads
                    .iter()
                    .find(|w| !WORKLOADS.contains(&w.as_str()))
                {
                    return Err(format!("unknown workload {w}; known: {WORKLOADS:?}").into());
                }
            }
            "--addr" => addr = Some(value()?.parse::<SocketAddr>()?),
            "--ca" => ca = Some(PathBuf::from(value()?)),
            "--cert" => cert = Some(PathBuf::from(value()?)),
            "--key" => key = Some(PathBuf::from(value()?)),
            "--server-name" => server_name = value()?,
            "--key-cache" => options.key_cache = Some(value()?.parse()?),
            "--encrypt-mode" => {
                options.encrypt_mode = match value()?.as_str() {
                    "gcm" => BlockCipherMode::GCM,
                    "cbc" => BlockCipherMode::CBC,
                    other => return Err(format!("unknown encrypt mode {other}").into()),
                };
            }
            "--write-pki" => {
                write_pki(&PathBuf::from(value()?))?;
                std::process::exit(0);
            }
            "-h" | "--help" => {
                println!(
                    "kmip-load [--duration SECS] [--connections 1,32] [--workloads {}]\n          \
                     [--encrypt-mode gcm|cbc] [--key-cache N]\n          \
                     [--addr HOST:PORT --ca CA.pem --cert CLIENT.pem --key KEY.pem \
                     [--server-name NAME]]\n\
                     kmip-load --write-pki DIR",
                    WORKLOADS.join(",")
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other}; try --help").into()),
        }
    }
    if let Some(addr) = addr {
        let (Some(ca), Some(cert), Some(key)) = (ca, cert, key) else {
            return Err("--addr needs --ca, --cert and --key".into());
        };
        options.remote = Some(Remote {
            addr,
            ca,
            cert,
            key,
            server_name,
        });
    }
    Ok(options)
}

/// Where to connect and how.
#[derive(Clone)]
struct Target {
    addr: SocketAddr,
    server_name: ServerName<'static>,
    client: Arc<rustls::ClientConfig>,
}

fn client_config(
    ca: CertificateDer<'static>,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
) -> Result<Arc<rustls::ClientConfig>> {
    let mut roots = rustls::RootCertStore::empty();
    roots.add(ca)?;
    let config =
        rustls::ClientConfig::builder_with_provider(Arc::new(kms_tls::policy::crypto_provider()))
            .with_safe_default_protocol_versions()?
            .with_root_certificates(roots)
            .with_client_auth_cert(chain, key)?;
    Ok(Arc::new(config))
}

fn remote_target(remote: &Remote) -> Result<Target> {
    let ca = CertificateDer::from_pem_file(&remote.ca)?;
    let chain =
        CertificateDer::pem_file_iter(&remote.cert)?.collect::<std::result::Result<_, _>>()?;
    let key = PrivateKeyDer::from_pem_file(&remote.key)?;
    Ok(Target {
        addr: remote.addr,
        server_name: ServerName::try_from(remote.server_name.clone())?,
        client: client_config(ca, chain, key)?,
    })
}

/// Writes a development CA, a server pair for localhost and 127.0.0.1 and a client
/// pair, as PEM files in `dir`.
fn write_pki(dir: &std::path::Path) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    let ca = kms_tls::new_ca("kmip-load CA")?;
    let server = ca.issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 30)?;
    let client = ca.issue_client("kmip-load", None, ClientValidity::days(30))?;
    std::fs::write(dir.join("ca.pem"), ca.cert_pem())?;
    std::fs::write(dir.join("server.pem"), &server.cert_pem)?;
    write_private(&dir.join("server.key"), server.key_pem.as_bytes())?;
    std::fs::write(dir.join("client.pem"), &client.cert_pem)?;
    write_private(&dir.join("client.key"), client.key_pem.as_bytes())?;
    println!(
        "wrote ca.pem, server.pem, server.key, client.pem, client.key to {}",
        dir.display()
    );
    Ok(())
}

/// Writes a private key readable by its owner only (on Unix).
fn write_private(path: &std::path::Path, pem: &[u8]) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?.write_all(pem)?;
    Ok(())
}

/// The in-process server: its own runtime on its own thread, stopped on drop.
struct LocalServer {
    target: Target,
    dir: PathBuf,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl LocalServer {
    fn start(key_cache: Option<usize>) -> Result<LocalServer> {
        let dir = std::env::temp_dir().join(format!("kmip-load-{}", ObjectId::generate()));
        std::fs::create_dir_all(&dir)?;
        let ca = kms_tls::new_ca("kmip-load CA")?;
        let server = ca.issue_server(&["localhost"], &[IpAddr::V4(Ipv4Addr::LOCALHOST)], 1)?;
        let client = ca.issue_client("kmip-load", None, ClientValidity::days(1))?;
        let tls = kms_tls::server_config(
            server.cert_pem.as_bytes(),
            server.key_pem.as_bytes(),
            ca.cert_pem().as_bytes(),
            Vec::new(),
        )?;
        let client = client_config(
            CertificateDer::from(ca.cert_der().to_vec()),
            vec![client.certificate_der()],
            client.private_key_der()?,
        )?;

        let listener = std::net::TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let db = dir.join("kms.db");
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<Result<()>>();
        let thread = std::thread::spawn(move || {
            let served = (|| -> Result<()> {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("kmip-server")
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let backend = SqliteBackend::open(&db)?;
                    let defaults = StoreConfig::default();
                    let config = StoreConfig {
                        key_cache_capacity: key_cache.unwrap_or(defaults.key_cache_capacity),
                        ..defaults
                    };
                    let store = Store::new(backend, Box::new(MasterKey::generate()?), config);
                    let listener = tokio::net::TcpListener::from_std(listener)?;
                    let _ = ready_tx.send(Ok(()));
                    kms_kmip::serve(listener, tls, store, KmipConfig::default(), async {
                        let _ = rx.await;
                    })
                    .await?;
                    Ok(())
                })
            })();
            if let Err(e) = served {
                eprintln!("kmip-load: server: {e}");
            }
        });
        ready_rx.recv()??;
        Ok(LocalServer {
            target: Target {
                addr,
                server_name: ServerName::try_from("localhost")?,
                client,
            },
            dir,
            shutdown: Some(tx),
            thread: Some(thread),
        })
    }
}

impl Drop for LocalServer {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One persistent connection sending one message at a time.
struct Connection {
    stream: TlsStream<TcpStream>,
    buffer: Vec<u8>,
}

impl Connection {
    async fn open(target: &Target) -> Result<Connection> {
        let tcp = TcpStream::connect(target.addr).await?;
        tcp.set_nodelay(true)?;
        let stream = TlsConnector::from(Arc::clone(&target.client))
            .connect(target.server_name.clone(), tcp)
            .await?;
        Ok(Connection {
            stream,
            buffer: Vec::with_capacity(4096),
        })
    }

    /// Sends a framed request and returns the response frame, undecoded.
    async fn round_trip(&mut self, request: &[u8]) -> Result<&[u8]> {
        self.stream.write_all(request).await?;
        self.stream.flush().await?;
        let mut header = [0u8; 8];
        self.stream.read_exact(&mut header).await?;
        let [_, _, _, _, a, b, c, d] = header;
        let len = usize::try_from(u32::from_be_bytes([a, b, c, d]))?;
        self.buffer.clear();
        self.buffer.extend_from_slice(&header);
        self.buffer.resize(8 + len, 0);
        let body = self.buffer.get_mut(8..).ok_or("short buffer")?;
        self.stream.read_exact(body).await?;
        Ok(&self.buffer)
    }

    /// A round trip whose every batch item must succeed.
    async fn call(&mut self, request: &[u8]) -> Result<ResponseMessage> {
        let bytes = self.round_trip(request).await?;
        let response = ResponseMessage::from_bytes(bytes, &Limits::DEFAULT)?;
        if let Some(failed) = response
            .batch_items
            .iter()
            .find(|i| i.result_status != ResultStatus::SUCCESS)
        {
            return Err(format!(
                "{:?} failed: {:?} {:?}",
                failed.operation, failed.result_reason, failed.result_message
            )
            .into());
        }
        Ok(response)
    }
}

fn message(mut items: Vec<RequestBatchItem>) -> Result<Vec<u8>> {
    // KMIP 1.4 §6.4: a Unique Batch Item ID is required when a message has more than
    // one item.
    if items.len() > 1 {
        for (n, item) in (0u32..).zip(items.iter_mut()) {
            item.unique_batch_item_id = Some(n.to_be_bytes().to_vec());
        }
    }
    let message = RequestMessage {
        header: RequestHeader {
            protocol_version: ProtocolVersion::of(VERSION),
            maximum_response_size: None,
            client_correlation_value: None,
            server_correlation_value: None,
            asynchronous_indicator: None,
            attestation_capable_indicator: None,
            attestation_type: Vec::new(),
            authentication: None,
            batch_error_continuation_option: None,
            batch_order_option: None,
            time_stamp: None,
            batch_count: i32::try_from(items.len())?,
        },
        batch_items: items,
    };
    Ok(message.to_bytes()?)
}

fn item(operation: Operation, payload: RequestPayload) -> RequestBatchItem {
    RequestBatchItem {
        operation,
        ephemeral: None,
        unique_batch_item_id: None,
        payload,
        message_extension: None,
    }
}

fn uid(id: &str) -> Option<UniqueId> {
    Some(UniqueId::Text(id.to_owned()))
}

fn create_aes() -> RequestBatchItem {
    item(
        Operation::CREATE,
        RequestPayload::Create(Box::new(CreateRequest {
            object_type: ObjectType::SYMMETRIC_KEY,
            template_attribute: Some(TemplateAttribute::new(vec![
                Attribute::new(AttributeValue::CryptographicAlgorithm(
                    CryptographicAlgorithm::AES,
                )),
                Attribute::new(AttributeValue::CryptographicLength(256)),
                Attribute::new(AttributeValue::CryptographicUsageMask(
                    CryptographicUsageMask::ENCRYPT | CryptographicUsageMask::DECRYPT,
                )),
            ])),
            attributes: None,
            protection_storage_masks: None,
        })),
    )
}

fn create_p256() -> RequestBatchItem {
    create_pair(vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::EC,
        )),
        Attribute::new(AttributeValue::CryptographicDomainParameters(
            CryptographicDomainParameters {
                qlength: None,
                recommended_curve: Some(RecommendedCurve::P_256),
            },
        )),
    ])
}

fn create_rsa2048() -> RequestBatchItem {
    create_pair(vec![
        Attribute::new(AttributeValue::CryptographicAlgorithm(
            CryptographicAlgorithm::RSA,
        )),
        Attribute::new(AttributeValue::CryptographicLength(2048)),
    ])
}

fn create_pair(common: Vec<Attribute>) -> RequestBatchItem {
    let usage = |mask| {
        Some(TemplateAttribute::new(vec![Attribute::new(
            AttributeValue::CryptographicUsageMask(mask),
        )]))
    };
    item(
        Operation::CREATE_KEY_PAIR,
        RequestPayload::CreateKeyPair(Box::new(CreateKeyPairRequest {
            common_template_attribute: Some(TemplateAttribute::new(common)),
            private_key_template_attribute: usage(CryptographicUsageMask::SIGN),
            public_key_template_attribute: usage(CryptographicUsageMask::VERIFY),
            common_attributes: None,
            private_key_attributes: None,
            public_key_attributes: None,
            common_protection_storage_masks: None,
            private_protection_storage_masks: None,
            public_protection_storage_masks: None,
        })),
    )
}

fn activate(id: &str) -> RequestBatchItem {
    item(
        Operation::ACTIVATE,
        RequestPayload::Activate(Box::new(IdRequest {
            unique_identifier: uid(id),
        })),
    )
}

fn get(id: &str) -> RequestBatchItem {
    item(
        Operation::GET,
        RequestPayload::Get(Box::new(GetRequest {
            unique_identifier: uid(id),
            key_format_type: None,
            key_wrap_type: None,
            key_compression_type: None,
            key_wrapping_specification: None,
        })),
    )
}

fn encrypt(id: &str, mode: BlockCipherMode) -> RequestBatchItem {
    let parameters = if mode == BlockCipherMode::GCM {
        CryptographicParameters {
            block_cipher_mode: Some(BlockCipherMode::GCM),
            tag_length: Some(16),
            // Optional in KMIP (the key says it); some servers require it.
            cryptographic_algorithm: Some(CryptographicAlgorithm::AES),
            ..CryptographicParameters::default()
        }
    } else {
        CryptographicParameters {
            block_cipher_mode: Some(mode),
            padding_method: Some(PaddingMethod::PKCS5),
            cryptographic_algorithm: Some(CryptographicAlgorithm::AES),
            ..CryptographicParameters::default()
        }
    };
    item(
        Operation::ENCRYPT,
        RequestPayload::Encrypt(Box::new(EncryptRequest {
            unique_identifier: uid(id),
            cryptographic_parameters: Some(parameters),
            data: Some(SecretBytes::new(vec![0x5a; 64])),
            iv_counter_nonce: None,
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
            authenticated_encryption_additional_data: None,
        })),
    )
}

fn sign_es256(id: &str) -> RequestBatchItem {
    sign(
        id,
        CryptographicParameters {
            digital_signature_algorithm: Some(DigitalSignatureAlgorithm::ECDSA_WITH_SHA256),
            hashing_algorithm: Some(HashingAlgorithm::SHA_256),
            cryptographic_algorithm: Some(CryptographicAlgorithm::EC),
            ..CryptographicParameters::default()
        },
    )
}

/// RSASSA-PKCS1-v1_5 with SHA-256.
fn sign_rs256(id: &str) -> RequestBatchItem {
    sign(
        id,
        CryptographicParameters {
            digital_signature_algorithm: Some(
                DigitalSignatureAlgorithm::SHA_256_WITH_RSA_ENCRYPTION,
            ),
            hashing_algorithm: Some(HashingAlgorithm::SHA_256),
            cryptographic_algorithm: Some(CryptographicAlgorithm::RSA),
            padding_method: Some(PaddingMethod::PKCS1_V1_5),
            ..CryptographicParameters::default()
        },
    )
}

fn sign(id: &str, parameters: CryptographicParameters) -> RequestBatchItem {
    item(
        Operation::SIGN,
        RequestPayload::Sign(Box::new(SignRequest {
            unique_identifier: uid(id),
            cryptographic_parameters: Some(parameters),
            data: Some(SecretBytes::new(vec![0x5a; 64])),
            digested_data: None,
            correlation_value: None,
            init_indicator: None,
            final_indicator: None,
        })),
    )
}

fn text(id: &UniqueId) -> Result<String> {
    Ok(id.as_text().ok_or("a non-text identifier")?.to_owned())
}

/// The keys the workloads use: an active AES-256 key and, when asked, an active P-256
/// and an active RSA-2048 private key.
struct Keys {
    aes: String,
    p256: Option<String>,
    rsa: Option<String>,
}

async fn setup(target: &Target, p256: bool, rsa: bool) -> Result<Keys> {
    let mut c = Connection::open(target).await?;
    let response = c.call(&message(vec![create_aes()])?).await?;
    let Some(ResponsePayload::Create(created)) = response
        .batch_items
        .into_iter()
        .next()
        .and_then(|i| i.payload)
    else {
        return Err("no Create payload".into());
    };
    let aes = text(&created.unique_identifier)?;
    c.call(&message(vec![activate(&aes)])?).await?;
    let p256 = if p256 {
        Some(active_pair(&mut c, create_p256()).await?)
    } else {
        None
    };
    let rsa = if rsa {
        Some(active_pair(&mut c, create_rsa2048()).await?)
    } else {
        None
    };
    Ok(Keys { aes, p256, rsa })
}

/// Creates and activates a key pair; returns the private key's identifier.
async fn active_pair(c: &mut Connection, create: RequestBatchItem) -> Result<String> {
    let response = c.call(&message(vec![create])?).await?;
    let Some(ResponsePayload::CreateKeyPair(pair)) = response
        .batch_items
        .into_iter()
        .next()
        .and_then(|i| i.payload)
    else {
        return Err("no Create Key Pair payload".into());
    };
    let private = text(&pair.private_key_unique_identifier)?;
    let public = text(&pair.public_key_unique_identifier)?;
    c.call(&message(vec![activate(&private), activate(&public)])?)
        .await?;
    Ok(private)
}

struct Outcome {
    operations: u64,
    elapsed: Duration,
    /// Latency of every request, in microseconds, sorted.
    latencies: Vec<u32>,
}

impl Outcome {
    fn percentile(&self, p: f64) -> f64 {
        if self.latencies.is_empty() {
            return f64::NAN;
        }
        let last = self.latencies.len() - 1;
        // Nearest rank; the cast truncates a value in 0..=last.
        #[allow(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss
        )]
        let index = ((last as f64) * p).round() as usize;
        self.latencies
            .get(index.min(last))
            .map_or(f64::NAN, |us| f64::from(*us) / 1000.0)
    }
}

/// Runs `connections` connections sending `request` one at a time for `duration`.
async fn load(
    target: &Target,
    request: Arc<Vec<u8>>,
    connections: usize,
    duration: Duration,
) -> Result<Outcome> {
    let mut open = Vec::with_capacity(connections);
    for _ in 0..connections {
        open.push(Connection::open(target).await?);
    }
    // One warm-up round trip each, outside the measurement.
    for c in &mut open {
        c.call(&request).await?;
    }
    let start = Instant::now();
    let deadline = start + duration;
    let mut tasks = tokio::task::JoinSet::new();
    for mut c in open {
        let request = Arc::clone(&request);
        tasks.spawn(async move {
            let mut latencies = Vec::with_capacity(1 << 16);
            loop {
                let sent = Instant::now();
                if sent >= deadline {
                    break;
                }
                c.call(&request).await?;
                let micros = u32::try_from(sent.elapsed().as_micros()).unwrap_or(u32::MAX);
                latencies.push(micros);
            }
            Ok::<_, BoxError>(latencies)
        });
    }
    let mut latencies = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        latencies.extend(joined??);
    }
    let elapsed = start.elapsed();
    latencies.sort_unstable();
    Ok(Outcome {
        operations: u64::try_from(latencies.len())?,
        elapsed,
        latencies,
    })
}

async fn bench(options: &Options, target: &Target) -> Result<()> {
    let wants = |w: &str| options.workloads.iter().any(|x| x == w);
    let keys = setup(target, wants("sign"), wants("sign-rsa")).await?;
    let aes = keys.aes.as_str();
    let p256 = keys.p256.as_deref().unwrap_or_default();
    let rsa = keys.rsa.as_deref().unwrap_or_default();
    println!(
        "{} s per run, KMIP {VERSION:?}, one request at a time per connection",
        options.duration.as_secs_f64()
    );
    println!(
        "{:<24} {:>5} {:>12} {:>12} {:>10} {:>10}",
        "workload", "conns", "requests/s", "ops/s", "p50 ms", "p99 ms"
    );
    for workload in &options.workloads {
        let (items, label) = match workload.as_str() {
            "get" => (vec![get(aes)], "Get AES-256"),
            "create" => (vec![create_aes()], "Create AES-256"),
            "encrypt" if options.encrypt_mode == BlockCipherMode::GCM => (
                vec![encrypt(aes, BlockCipherMode::GCM)],
                "Encrypt 64 B AES-GCM",
            ),
            "encrypt" => (
                vec![encrypt(aes, options.encrypt_mode)],
                "Encrypt 64 B AES-CBC",
            ),
            "sign" => (vec![sign_es256(p256)], "Sign ES256"),
            "sign-rsa" => (vec![sign_rs256(rsa)], "Sign RS256 (RSA-2048)"),
            "batch-get" => ((0..10).map(|_| get(aes)).collect(), "Batch of 10 Gets"),
            other => return Err(format!("unknown workload {other}").into()),
        };
        let per_message = u32::try_from(items.len())?;
        let request = Arc::new(message(items)?);
        for &connections in &options.connections {
            let outcome = load(target, Arc::clone(&request), connections, options.duration).await?;
            #[allow(clippy::cast_precision_loss)]
            let rate = outcome.operations as f64 / outcome.elapsed.as_secs_f64();
            println!(
                "{:<24} {:>5} {:>12.0} {:>12.0} {:>10.3} {:>10.3}",
                label,
                connections,
                rate,
                rate * f64::from(per_message),
                outcome.percentile(0.50),
                outcome.percentile(0.99),
            );
        }
    }
    Ok(())
}

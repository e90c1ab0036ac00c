//! RELIABILITY check 23: no plaintext key at rest.
//!
//! 100 AES-256 keys registered with bytes the test chose, and RSA and EC key pairs
//! created by the store (their private keys read back through Get, in their stored
//! format and Transparent). Every 16-byte window of every secret (each AES key, each
//! secret integer of a private key: whole copies and partial ones alike) and each
//! private key's whole encoding are searched for, raw and as hex, in what the
//! database keeps:
//!
//! - SQLite: every file of the store's directory but `master.key` (database, WAL,
//!   shared memory, lock file), while the store is open (the WAL still holds the
//!   commits) and again after it closed;
//! - PostgreSQL (when `KMS_TEST_POSTGRES_URL` is set): a `pg_dump` of the test schema,
//!   where BYTEA comes out as hex.
//!
//! Zero hits is the pass. A Name given to every key is searched for the same way and
//! must be found, so a search that reads nothing cannot pass. After Destroy, the
//! record's sealed material must be gone.

// Test code: a failed expectation is a failed test.
#![allow(clippy::expect_used, clippy::panic)]

mod support;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

use kmip_types::{
    Attribute, AttributeValue, CryptographicAlgorithm, KeyFormatType, KeyMaterial, Name,
};
use kms_store::backend::Backend;
use kms_store::backend::postgres::PostgresBackend;
use kms_store::backend::sqlite::SqliteBackend;
use kms_store::lifecycle::Rules;
use kms_store::sealing::MasterKey;
use kms_store::{CreateOptions, GetOptions, Identity, ObjectId, Store, StoreConfig, StoreError};

/// AES keys registered.
const AES_KEYS: usize = 100;
/// The width of the windows searched for.
const WINDOW: usize = 16;

fn owner() -> Identity {
    Identity::new("no-plaintext").expect("identity")
}

/// The secrets a store holds, as the test knows them.
struct Keys {
    /// Per object, the secret byte strings to search for.
    secrets: BTreeMap<ObjectId, Vec<Vec<u8>>>,
    /// The private keys (the others are AES keys).
    private: Vec<ObjectId>,
    /// The Name every object carries: what the search must find.
    marker: String,
}

/// Registers the AES keys and creates the key pairs, checking each reads back as made.
async fn populate<B: Backend + std::fmt::Debug>(store: &Store<B>) -> Keys {
    let owner = owner();
    // Unique per run, and longer than a window.
    let marker = format!("no-plaintext-marker-{}", ObjectId::generate());
    let name = || vec![Attribute::new(AttributeValue::Name(Name::text(&marker)))];
    let mut secrets = BTreeMap::new();
    for _ in 0..AES_KEYS {
        let key = support::random_bytes(32);
        let id = store
            .register(
                &owner,
                support::aes_256(&key),
                name(),
                CreateOptions::default(),
            )
            .await
            .expect("register");
        let got = store
            .get(&owner, &id, &GetOptions::default())
            .await
            .expect("get");
        assert_eq!(support::key_bytes(&got), Some(key.as_slice()));
        secrets.insert(id, vec![key]);
    }
    let pairs = [
        (CryptographicAlgorithm::RSA, 2048),
        (CryptographicAlgorithm::RSA, 2048),
        (CryptographicAlgorithm::EC, 256),
        (CryptographicAlgorithm::EC, 384),
    ];
    let mut private = Vec::new();
    for (algorithm, length) in pairs {
        let common = vec![
            Attribute::new(AttributeValue::CryptographicAlgorithm(algorithm)),
            Attribute::new(AttributeValue::CryptographicLength(length)),
        ];
        let (sk, _pk) = store
            .create_key_pair(&owner, common, name(), name(), CreateOptions::default())
            .await
            .expect("create key pair");
        secrets.insert(
            sk.clone(),
            private_secrets(store, &owner, &sk, algorithm).await,
        );
        private.push(sk);
    }
    Keys {
        secrets,
        private,
        marker,
    }
}

/// The secret parts of a private key: its stored encoding (PKCS#1 or ECPrivateKey) and
/// the secret integers of its Transparent form (RSA: d, p, q, dp, dq, qInv; EC: d).
/// The public parts (modulus, point) are left out: they are no secret.
async fn private_secrets<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    owner: &Identity,
    id: &ObjectId,
    algorithm: CryptographicAlgorithm,
) -> Vec<Vec<u8>> {
    let get = |format: Option<KeyFormatType>| async move {
        let options = GetOptions {
            format,
            ..GetOptions::default()
        };
        store
            .get(owner, id, &options)
            .await
            .expect("get private key")
    };
    let stored = get(None).await;
    let encoded = support::key_bytes(&stored).expect("an encoded private key");
    let mut secrets = vec![encoded.to_vec()];
    let transparent = if algorithm == CryptographicAlgorithm::RSA {
        KeyFormatType::TRANSPARENT_RSA_PRIVATE_KEY
    } else {
        KeyFormatType::TRANSPARENT_EC_PRIVATE_KEY
    };
    let object = get(Some(transparent)).await;
    let integers = match object.key_block().and_then(|b| b.key_material()) {
        Some(KeyMaterial::TransparentRsaPrivateKey(k)) => [
            &k.private_exponent,
            &k.p,
            &k.q,
            &k.prime_exponent_p,
            &k.prime_exponent_q,
            &k.crt_coefficient,
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>(),
        Some(KeyMaterial::TransparentEcPrivateKey(k)) => vec![&k.d],
        _ => panic!("no Transparent private key for {algorithm:?}"),
    };
    for integer in integers {
        let magnitude = integer
            .expose()
            .to_unsigned_be()
            .expect("a positive integer");
        secrets.push(magnitude.to_vec());
    }
    // The encoded key itself is searched whole; its windows would include the
    // modulus or the point.
    secrets
}

/// What to search for: every window of every secret, the whole private key
/// encodings, and the marker; each as bytes and as hex.
struct Needles {
    /// Windows, with the label of the object they belong to.
    windows: HashMap<[u8; WINDOW], String>,
    /// Whole encodings, by their first window.
    wholes: HashMap<[u8; WINDOW], Vec<(Vec<u8>, String)>>,
    /// Whether any needle starts with these two bytes: most offsets stop there.
    starts: Vec<bool>,
}

const MARKER: &str = "marker";

impl Needles {
    fn new(keys: &Keys) -> Needles {
        let mut needles = Needles {
            windows: HashMap::new(),
            wholes: HashMap::new(),
            starts: vec![false; 1 << 16],
        };
        for (id, secrets) in &keys.secrets {
            let label = id.to_string();
            for (n, secret) in secrets.iter().enumerate() {
                assert!(secret.len() >= WINDOW, "a secret shorter than a window");
                // A private key's first secret is its whole encoding (see above).
                if keys.private.contains(id) && n == 0 {
                    let first = needles.start(secret);
                    let entry = needles.wholes.entry(first).or_default();
                    entry.push((secret.clone(), label.clone()));
                    continue;
                }
                for window in secret.windows(WINDOW) {
                    let window = needles.start(window);
                    needles.windows.insert(window, label.clone());
                }
            }
        }
        let marker = needles.start(keys.marker.as_bytes());
        needles.windows.insert(marker, MARKER.to_owned());
        needles
    }

    /// The first window of `bytes`, noted as a start.
    fn start(&mut self, bytes: &[u8]) -> [u8; WINDOW] {
        let mut window = [0u8; WINDOW];
        window.copy_from_slice(bytes.get(..WINDOW).expect("a needle shorter than a window"));
        if let Some(start) = self.starts.get_mut(usize::from(prefix(&window))) {
            *start = true;
        }
        window
    }

    fn starts_with(&self, first_two: u16) -> bool {
        self.starts.get(usize::from(first_two)) == Some(&true)
    }

    /// Everything found in `haystack`, as bytes at every offset and as hex (either
    /// case) at every offset; `where_` names the haystack in the places.
    fn search(&self, haystack: &[u8], where_: &str) -> Hits {
        let mut hits = Hits::default();
        for offset in 0..haystack.len() {
            let place = || format!("{where_}+{offset}");
            if let Some(bytes) = haystack.get(offset..offset + WINDOW)
                && self.starts_with(prefix(bytes))
            {
                let rest = haystack.get(offset..).unwrap_or_default();
                self.look_up(bytes, |len| rest.get(..len).map(<[u8]>::to_vec))
                    .for_each(|(label, kind)| hits.add(label, kind.raw(), place()));
            }
            if let Some(first_two) = haystack.get(offset..offset + 4).and_then(unhex_prefix)
                && self.starts_with(first_two)
                && let Some(bytes) = haystack.get(offset..offset + 2 * WINDOW).and_then(unhex)
            {
                let rest = haystack.get(offset..).unwrap_or_default();
                self.look_up(&bytes, |len| rest.get(..2 * len).and_then(unhex))
                    .for_each(|(label, kind)| hits.add(label, kind.hex(), place()));
            }
        }
        hits
    }

    /// The needles `window` starts: windows as they are, wholes when `longer` (the
    /// haystack's bytes from there, `len` of them) holds all of one.
    fn look_up<'a>(
        &'a self,
        window: &[u8],
        longer: impl Fn(usize) -> Option<Vec<u8>> + 'a,
    ) -> impl Iterator<Item = (&'a str, Found)> + 'a {
        let window: Option<[u8; WINDOW]> = window.try_into().ok();
        let as_window = window
            .and_then(|w| self.windows.get(&w))
            .map(|label| (label.as_str(), Found::Window));
        let wholes = window
            .and_then(|w| self.wholes.get(&w))
            .into_iter()
            .flatten();
        let as_whole = wholes
            .filter(move |(whole, _)| longer(whole.len()).as_deref() == Some(whole.as_slice()))
            .map(|(_, label)| (label.as_str(), Found::Whole));
        as_window.into_iter().chain(as_whole)
    }
}

/// What matched before knowing how it was encoded.
#[derive(Clone, Copy)]
enum Found {
    Window,
    Whole,
}

impl Found {
    fn raw(self) -> Kind {
        match self {
            Found::Window => Kind::Raw,
            Found::Whole => Kind::WholeRaw,
        }
    }

    fn hex(self) -> Kind {
        match self {
            Found::Window => Kind::Hex,
            Found::Whole => Kind::WholeHex,
        }
    }
}

/// The first two bytes, as a number.
fn prefix(bytes: &[u8]) -> u16 {
    match bytes {
        [a, b, ..] => u16::from_be_bytes([*a, *b]),
        _ => 0,
    }
}

/// Hex text (either case) as bytes; `None` if anything else is in it.
fn unhex(text: &[u8]) -> Option<Vec<u8>> {
    text.chunks(2)
        .map(|pair| match pair {
            [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
            _ => None,
        })
        .collect()
}

/// The first two bytes four hex digits stand for (without allocating: this runs at
/// every offset).
fn unhex_prefix(text: &[u8]) -> Option<u16> {
    match text {
        [a, b, c, d] => Some(u16::from_be_bytes([
            nibble(*a)? << 4 | nibble(*b)?,
            nibble(*c)? << 4 | nibble(*d)?,
        ])),
        _ => None,
    }
}

fn nibble(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// How a needle was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A window, as bytes.
    Raw,
    /// A window, as hex.
    Hex,
    /// A whole encoded private key, as bytes.
    WholeRaw,
    /// A whole encoded private key, as hex.
    WholeHex,
}

/// What was found, and where (the first few places of each label and kind).
#[derive(Debug, Default)]
struct Hits(BTreeMap<(String, Kind), Vec<String>>);

impl Hits {
    fn add(&mut self, label: &str, kind: Kind, place: String) {
        let places = self.0.entry((label.to_owned(), kind)).or_default();
        if places.len() < 3 {
            places.push(place);
        }
    }

    fn extend(&mut self, other: Hits) {
        for ((label, kind), places) in other.0 {
            for place in places {
                self.add(&label, kind, place);
            }
        }
    }

    fn found(&self, label: &str) -> bool {
        self.0.keys().any(|(l, _)| l == label)
    }

    fn found_as(&self, label: &str, kind: Kind) -> bool {
        self.0.contains_key(&(label.to_owned(), kind))
    }

    fn places(&self, label: &str) -> Vec<(Kind, &String)> {
        let mine = self.0.iter().filter(|((l, _), _)| l == label);
        mine.flat_map(|((_, kind), places)| places.iter().map(|p| (*kind, p)))
            .collect()
    }

    /// Every hit but the marker's: key material found.
    fn secrets(&self) -> Vec<(&(String, Kind), &Vec<String>)> {
        self.0
            .iter()
            .filter(|((label, _), _)| label != MARKER)
            .collect()
    }
}

/// Searches every file of the SQLite store's directory but the master key.
fn search_directory(dir: &Path, needles: &Needles) -> (Hits, Vec<String>) {
    let mut hits = Hits::default();
    let mut files = Vec::new();
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read the store directory")
        .map(|e| e.expect("directory entry").path())
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if name == "master.key" {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read a store file");
        files.push(format!("{name} ({} bytes)", bytes.len()));
        hits.extend(needles.search(&bytes, &name));
    }
    (hits, files)
}

/// Destroys every tenth AES key and the first private key, and checks their records
/// no longer hold the sealed material. Returns the sealed blobs they had.
async fn destroy_some<B: Backend + std::fmt::Debug>(
    store: &Store<B>,
    keys: &Keys,
) -> BTreeMap<ObjectId, Vec<u8>> {
    let owner = owner();
    let aes = keys.secrets.keys().filter(|id| !keys.private.contains(id));
    let mut victims: BTreeSet<ObjectId> = aes.step_by(10).cloned().collect();
    victims.extend(keys.private.first().cloned());
    let mut sealed = BTreeMap::new();
    for id in victims {
        let before = store
            .backend()
            .get(&id)
            .await
            .expect("record")
            .expect("present");
        let blob = before.material.expect("sealed material before Destroy");
        store
            .destroy(&owner, &id, Rules::KMIP)
            .await
            .expect("destroy a Pre-Active key");
        let after = store
            .backend()
            .get(&id)
            .await
            .expect("record")
            .expect("present");
        assert!(
            after.material.is_none(),
            "{id}: sealed material kept after Destroy"
        );
        assert!(matches!(
            store.get(&owner, &id, &GetOptions::default()).await,
            Err(StoreError::Destroyed)
        ));
        sealed.insert(id, blob);
    }
    sealed
}

/// How many of `blobs` still appear, whole, in `dir`'s files (free pages, old WAL
/// frames): not plaintext, and not the live store, so only reported.
fn lingering(dir: &Path, blobs: &BTreeMap<ObjectId, Vec<u8>>) -> usize {
    let files: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .expect("read the store directory")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.file_name().is_some_and(|n| n != "master.key"))
        .map(|p| std::fs::read(p).expect("read a store file"))
        .collect();
    blobs
        .values()
        .filter(|blob| files.iter().any(|f| find(f, blob).is_some()))
        .count()
}

fn assert_clean(hits: &Hits, when: &str, files: &[String]) {
    assert!(
        hits.secrets().is_empty(),
        "{when}: key material found in the store's files {files:?}: {:?}",
        hits.secrets()
    );
    assert!(
        hits.found(MARKER),
        "{when}: the marker Name was not found in {files:?}: the search reads nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_files_hold_no_plaintext_key() {
    let dir = std::env::temp_dir().join(format!("kms-no-plaintext-{}", ObjectId::generate()));
    std::fs::create_dir_all(&dir).expect("store directory");
    let master = MasterKey::load_or_create(&dir.join("master.key")).expect("master key");
    let backend = SqliteBackend::open(&dir.join("kms.db")).expect("open");
    let store = Store::new(backend, Box::new(master), StoreConfig::default());
    let keys = populate(&store).await;
    let needles = Needles::new(&keys);

    let (hits, files) = search_directory(&dir, &needles);
    assert_clean(&hits, "store open", &files);
    assert!(
        files.iter().any(|f| f.starts_with("kms.db-wal")),
        "no WAL to search while the store is open: {files:?}"
    );
    eprintln!(
        "open: searched {files:?}; marker at {:?}",
        hits.places(MARKER)
    );

    let sealed = destroy_some(&store, &keys).await;
    drop(store);

    let (hits, files) = search_directory(&dir, &needles);
    assert_clean(&hits, "store closed", &files);
    eprintln!(
        "closed: searched {files:?}; marker at {:?}; {} of {} destroyed objects' sealed \
         blobs still in the files (free pages or WAL frames; sealed, not live)",
        hits.places(MARKER),
        lingering(&dir, &sealed),
        sealed.len()
    );
    std::fs::remove_dir_all(&dir).expect("remove the store directory");
}

/// Drops the test schema however the test ends.
struct Schema {
    url: String,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        // The store's pool may still hold connections; DROP ... CASCADE does not wait
        // for them (no locks are held between operations).
        let status = std::process::Command::new("psql")
            .env("PGOPTIONS", "--client-min-messages=warning")
            .arg(&self.url)
            .args([
                "-q",
                "-c",
                &format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name),
            ])
            .status();
        if !matches!(status, Ok(s) if s.success()) {
            eprintln!("could not drop schema {}", self.name);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pg_dump_holds_no_plaintext_key() {
    let Ok(url) = std::env::var("KMS_TEST_POSTGRES_URL") else {
        eprintln!("skipped: KMS_TEST_POSTGRES_URL not set");
        return;
    };
    let schema = Schema {
        name: format!("no_plaintext_{}", uuid::Uuid::new_v4().simple()),
        url,
    };
    let backend = PostgresBackend::connect_with_schema(&schema.url, &schema.name)
        .await
        .expect("connect");
    let master = MasterKey::generate().expect("master key");
    let store = Store::new(backend, Box::new(master), StoreConfig::default());
    let keys = populate(&store).await;
    let needles = Needles::new(&keys);
    let sealed = destroy_some(&store, &keys).await;

    let dump = std::process::Command::new("pg_dump")
        .args([
            "--dbname",
            &schema.url,
            "--schema",
            &schema.name,
            "--no-owner",
        ])
        .output()
        .expect("run pg_dump");
    assert!(
        dump.status.success(),
        "pg_dump failed: {}",
        String::from_utf8_lossy(&dump.stderr)
    );
    let hits = needles.search(&dump.stdout, "dump");
    let what = [format!("pg_dump ({} bytes)", dump.stdout.len())];
    assert_clean(&hits, "pg_dump", &what);
    // The attributes are BYTEA, hex in the dump: the hex search must work too.
    assert!(
        hits.found_as(MARKER, Kind::Hex),
        "the marker's hex was not found in the dump: {:?}",
        hits.places(MARKER)
    );
    let blobs = sealed
        .values()
        .filter(|blob| find(&dump.stdout, hex::encode(blob).as_bytes()).is_some())
        .count();
    assert_eq!(
        blobs, 0,
        "destroyed objects' sealed blobs are still in the dump"
    );
    eprintln!(
        "pg_dump of {}: {} bytes, marker at {:?}",
        schema.name,
        dump.stdout.len(),
        hits.places(MARKER)
    );
    drop(store);
}

/// The helpers find what they should: a window of a key, raw or in either case of hex,
/// and a whole encoding; and nothing in bytes that merely resemble them.
#[test]
#[allow(clippy::indexing_slicing)]
fn the_search_finds_planted_copies() {
    let id = ObjectId::generate();
    let key = support::random_bytes(32);
    let private = ObjectId::generate();
    let encoded = support::random_bytes(40);
    let keys = Keys {
        secrets: BTreeMap::from([
            (id.clone(), vec![key.clone()]),
            (private.clone(), vec![encoded.clone()]),
        ]),
        private: vec![private.clone()],
        marker: "a marker of more than sixteen bytes".into(),
    };
    let needles = Needles::new(&keys);
    let found = |haystack: &[u8], label: &str, kind: Kind| {
        needles.search(haystack, "test").found_as(label, kind)
    };
    let (key_label, private_label) = (id.to_string(), private.to_string());
    let mut partial = b"padding".to_vec();
    partial.extend_from_slice(&key[5..21]);
    assert!(found(&partial, &key_label, Kind::Raw), "a partial raw copy");
    let upper = format!("x{}", hex::encode_upper(&key[10..30]));
    assert!(
        found(upper.as_bytes(), &key_label, Kind::Hex),
        "upper-case hex"
    );
    let mut whole = b"\0".to_vec();
    whole.extend_from_slice(&encoded);
    assert!(
        found(&whole, &private_label, Kind::WholeRaw),
        "a whole encoding"
    );
    let dumped = format!("\\\\x{}", hex::encode(&encoded));
    assert!(
        found(dumped.as_bytes(), &private_label, Kind::WholeHex),
        "pg_dump's hex"
    );
    let cut = hex::encode(&encoded[..39]);
    assert!(
        !needles.search(cut.as_bytes(), "test").found(&private_label),
        "not whole"
    );
    assert!(
        !needles.search(&key[..15], "test").found(&key_label),
        "not a window"
    );
    assert!(found(keys.marker.as_bytes(), MARKER, Kind::Raw));
}

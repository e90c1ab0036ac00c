//! Key material at rest: sealed with AES-256-GCM under a master key, the object id bound
//! as associated data, so a sealed blob moved to another object's row does not open.
//!
//! [`KeyProtector`] is the seam for other master-key holders (a PKCS#11 HSM later): the
//! store only ever calls `seal` and `open`. [`MasterKey`] is the built-in one, a 256-bit
//! key in a file created on first start with mode 0600.
//!
//! Sealed format: `0x01 ‖ IV (12) ‖ ciphertext ‖ tag (16)`; associated data:
//! `"kms-store/v1/" ‖ object id`.

use std::fs::{self, OpenOptions};
use std::io::{Read, Write};
use std::path::Path;

use kms_crypto::aead::{self, TagLength};
use kms_crypto::{AesKey, Secret};

use crate::error::{Result, StoreError};
use crate::ids::ObjectId;

const FORMAT_V1: u8 = 0x01;
const IV_LEN: usize = 12;
const TAG_LEN: usize = 16;
const AAD_PREFIX: &[u8] = b"kms-store/v1/";

/// Seals and opens object material. Implementations must be authenticated encryption
/// that binds `id`.
pub trait KeyProtector: Send + Sync + std::fmt::Debug + 'static {
    /// Seals `plaintext` for the object `id`.
    fn seal(&self, id: &ObjectId, plaintext: &[u8]) -> Result<Vec<u8>>;
    /// Opens what [`KeyProtector::seal`] returned for `id`; [`StoreError::Corrupt`] when
    /// it does not authenticate.
    fn open(&self, id: &ObjectId, sealed: &[u8]) -> Result<Secret>;
}

/// The built-in master key: AES-256-GCM.
#[derive(Debug)]
pub struct MasterKey {
    key: AesKey,
}

impl MasterKey {
    /// A master key from 32 bytes the operator supplies.
    pub fn from_bytes(bytes: &[u8]) -> Result<MasterKey> {
        if bytes.len() != 32 {
            return Err(StoreError::MasterKey(
                "a master key is 32 bytes (AES-256)".into(),
            ));
        }
        let key = AesKey::from_slice(bytes).map_err(|e| StoreError::MasterKey(e.to_string()))?;
        Ok(MasterKey { key })
    }

    /// A fresh random master key (tests, or an operator who keeps it elsewhere).
    pub fn generate() -> Result<MasterKey> {
        let key = AesKey::generate(kms_crypto::AesKeySize::Aes256)
            .map_err(|e| StoreError::MasterKey(e.to_string()))?;
        Ok(MasterKey { key })
    }

    /// Loads the master key from `path`, creating it (32 random bytes, mode 0600,
    /// fsync'd with its directory) when the file does not exist. A file that exists
    /// with other permissions than owner-only, or of another size, is refused.
    pub fn load_or_create(path: &Path) -> Result<MasterKey> {
        match Self::load(path) {
            Ok(key) => Ok(key),
            Err(LoadError::Missing) => Self::create(path),
            Err(LoadError::Other(e)) => Err(e),
        }
    }

    fn load(path: &Path) -> std::result::Result<MasterKey, LoadError> {
        let file = match OpenOptions::new().read(true).open(path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(LoadError::Missing),
            Err(e) => return Err(LoadError::Other(io_error(path, "open", &e))),
        };
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let meta = file
                .metadata()
                .map_err(|e| LoadError::Other(io_error(path, "stat", &e)))?;
            if meta.permissions().mode() & 0o077 != 0 {
                return Err(LoadError::Other(StoreError::MasterKey(format!(
                    "{} is readable by others than its owner; chmod 600 it",
                    path.display()
                ))));
            }
        }
        let mut bytes = zeroize::Zeroizing::new(Vec::with_capacity(33));
        file.take(33)
            .read_to_end(&mut bytes)
            .map_err(|e| LoadError::Other(io_error(path, "read", &e)))?;
        if bytes.len() != 32 {
            return Err(LoadError::Other(StoreError::MasterKey(format!(
                "{} is not a 32-byte master key",
                path.display()
            ))));
        }
        let key = bytes.as_slice();
        MasterKey::from_bytes(key).map_err(LoadError::Other)
    }

    /// Creates the key file atomically: the key is written and synced under a temporary
    /// name, then linked to `path` (which fails if another process created it first; that
    /// key is used instead), so a crash never leaves a partial key file behind.
    fn create(path: &Path) -> Result<MasterKey> {
        let key = MasterKey::generate()?;
        let dir = path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(|e| io_error(dir, "create directory", &e))?;
        let suffix = kms_crypto::rng::random_array::<8>()
            .map_err(|e| StoreError::MasterKey(e.to_string()))?;
        let mut tmp_name = path.as_os_str().to_owned();
        tmp_name.push(format!(".tmp-{}", hex_suffix(&suffix)));
        let tmp = std::path::PathBuf::from(tmp_name);
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = options
            .open(&tmp)
            .and_then(|mut file| {
                file.write_all(key.key.expose())?;
                file.sync_all()
            })
            .map_err(|e| io_error(&tmp, "write", &e));
        let linked = written.and_then(|()| match fs::hard_link(&tmp, path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
            Err(e) => Err(io_error(path, "create", &e)),
        });
        let _ = fs::remove_file(&tmp);
        let ours = linked?;
        fs::File::open(dir)
            .and_then(|d| d.sync_all())
            .map_err(|e| io_error(dir, "sync directory", &e))?;
        if ours {
            Ok(key)
        } else {
            match Self::load(path) {
                Ok(k) => Ok(k),
                Err(LoadError::Missing) => Err(StoreError::MasterKey(format!(
                    "{} vanished while being created",
                    path.display()
                ))),
                Err(LoadError::Other(e)) => Err(e),
            }
        }
    }
}

fn hex_suffix(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

enum LoadError {
    Missing,
    Other(StoreError),
}

fn io_error(path: &Path, what: &str, e: &std::io::Error) -> StoreError {
    StoreError::MasterKey(format!("{what} {}: {e}", path.display()))
}

fn aad(id: &ObjectId) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_PREFIX.len() + id.as_str().len());
    aad.extend_from_slice(AAD_PREFIX);
    aad.extend_from_slice(id.as_str().as_bytes());
    aad
}

impl KeyProtector for MasterKey {
    fn seal(&self, id: &ObjectId, plaintext: &[u8]) -> Result<Vec<u8>> {
        let sealed = aead::encrypt(&self.key, &aad(id), plaintext)
            .map_err(|_| StoreError::Backend("sealing failed".into()))?;
        let mut out = Vec::with_capacity(1 + IV_LEN + plaintext.len() + TAG_LEN);
        out.push(FORMAT_V1);
        out.extend_from_slice(sealed.iv());
        out.extend_from_slice(sealed.ciphertext());
        out.extend_from_slice(sealed.tag());
        Ok(out)
    }

    fn open(&self, id: &ObjectId, sealed: &[u8]) -> Result<Secret> {
        let corrupt = || StoreError::Corrupt(id.to_string());
        let (format, rest) = sealed.split_first().ok_or_else(corrupt)?;
        if *format != FORMAT_V1 || rest.len() < IV_LEN + TAG_LEN {
            return Err(corrupt());
        }
        let (iv, body) = rest.split_at(IV_LEN);
        aead::decrypt_ciphertext_and_tag(&self.key, iv, &aad(id), body, TagLength::Bytes16)
            .map_err(|_| corrupt())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seal_binds_the_object_id() {
        let key = MasterKey::generate().unwrap();
        let a = ObjectId::generate();
        let b = ObjectId::generate();
        let sealed = key.seal(&a, b"material").unwrap();
        assert_eq!(key.open(&a, &sealed).unwrap().expose(), b"material");
        assert!(matches!(key.open(&b, &sealed), Err(StoreError::Corrupt(_))));
        for i in 0..sealed.len() {
            let mut tampered = sealed.clone();
            tampered[i] ^= 0x01;
            assert!(key.open(&a, &tampered).is_err(), "flip at {i} accepted");
        }
        assert!(key.open(&a, &sealed[..sealed.len() - 1]).is_err());
        assert!(key.open(&a, &[]).is_err());
    }

    #[test]
    fn key_file_is_created_owner_only_and_reused() {
        let dir = std::env::temp_dir().join(format!("kms-mk-{}", ObjectId::generate()));
        let path = dir.join("master.key");
        let first = MasterKey::load_or_create(&path).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = MasterKey::load_or_create(&path).unwrap();
        let id = ObjectId::generate();
        let sealed = first.seal(&id, b"x").unwrap();
        assert_eq!(again.open(&id, &sealed).unwrap().expose(), b"x");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(&path, fs::Permissions::from_mode(0o644)).unwrap();
            assert!(MasterKey::load_or_create(&path).is_err());
        }
        fs::write(dir.join("short.key"), [0u8; 5]).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            fs::set_permissions(dir.join("short.key"), fs::Permissions::from_mode(0o600)).unwrap();
        }
        assert!(MasterKey::load_or_create(&dir.join("short.key")).is_err());
        fs::remove_dir_all(&dir).unwrap();
    }
}

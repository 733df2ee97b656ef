//! Reading a bundle back and checking everything: the age layer (when there is an identity),
//! the zip, the format, the manifest's signature, and every file's size and SHA-256.

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use super::manifest::{sha256_hex, BundleManifest, FORMAT};
use super::BundleError;

/// A bundle whose every part checked out.
#[derive(Debug, Clone)]
pub struct VerifiedBundle {
    pub manifest: BundleManifest,
    /// SHA-256 of `manifest.json`, which the next bundle of the station chains to.
    pub manifest_sha256: String,
    pub files: BTreeMap<String, Vec<u8>>,
    pub encrypted: bool,
}

/// An age identity, boxed as the age crate gives them.
pub type Identity = Box<dyn age::Identity + Send + Sync>;

const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
/// The age format sets no limit; a bundle never needs more than this.
const MAX_HEADER: usize = 16 * 1024;
const MAX_STANZAS: usize = 8;
/// No part of a bundle is larger than this.
const MAX_PART: u64 = 4 * 1024 * 1024 * 1024;

/// Reads an identity file (`stationdesk county keygen` or `age-keygen`).
pub fn load_identities(path: &Path) -> Result<Vec<Identity>, BundleError> {
    let file =
        std::fs::File::open(path).map_err(|e| BundleError::Io(path.display().to_string(), e))?;
    let identities = age::IdentityFile::from_buffer(std::io::BufReader::new(file))
        .map_err(|e| BundleError::BadIdentity(e.to_string()))?
        .into_identities()
        .map_err(|e| BundleError::BadIdentity(e.to_string()))?;
    if identities.is_empty() {
        return Err(BundleError::BadIdentity(path.display().to_string()));
    }
    Ok(identities)
}

/// Checks the age header's size and number of recipient stanzas before any decryption.
fn check_header(bytes: &[u8]) -> Result<(), BundleError> {
    let window = &bytes[..bytes.len().min(MAX_HEADER)];
    let end = window
        .windows(4)
        .position(|w| w == b"\n---")
        .ok_or(BundleError::HostileHeader)?;
    let header = &window[..end];
    let stanzas = header
        .split(|b| *b == b'\n')
        .filter(|line| line.starts_with(b"-> "))
        .count();
    if stanzas == 0 || stanzas > MAX_STANZAS {
        return Err(BundleError::HostileHeader);
    }
    Ok(())
}

fn decrypt(bytes: &[u8], identities: &[Identity]) -> Result<Vec<u8>, BundleError> {
    check_header(bytes)?;
    if identities.is_empty() {
        return Err(BundleError::NeedIdentity);
    }
    let decryptor = age::Decryptor::new(bytes).map_err(|e| BundleError::Damaged(e.to_string()))?;
    let mut reader = decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .map_err(|e| match e {
            age::DecryptError::NoMatchingKeys => BundleError::WrongIdentity,
            other => BundleError::Damaged(other.to_string()),
        })?;
    let mut out = Vec::new();
    reader
        .read_to_end(&mut out)
        .map_err(|e| BundleError::Damaged(e.to_string()))?;
    Ok(out)
}

fn read_part<R: Read + std::io::Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, BundleError> {
    let mut entry = archive
        .by_name(name)
        .map_err(|_| BundleError::FileMismatch(name.to_string()))?;
    let mut out = Vec::new();
    (&mut entry)
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| BundleError::Damaged(format!("{name}: {e}")))?;
    Ok(out)
}

/// Checks a bundle file's bytes. `identities` open an encrypted bundle.
pub fn verify(bytes: &[u8], identities: &[Identity]) -> Result<VerifiedBundle, BundleError> {
    let (zipped, encrypted) = if bytes.starts_with(AGE_MAGIC) {
        (decrypt(bytes, identities)?, true)
    } else if bytes.starts_with(b"PK") {
        (bytes.to_vec(), false)
    } else {
        return Err(BundleError::UnknownFormat(
            String::from_utf8_lossy(&bytes[..bytes.len().min(24)]).into_owned(),
        ));
    };
    let mut archive = zip::ZipArchive::new(Cursor::new(zipped))
        .map_err(|e| BundleError::Damaged(e.to_string()))?;
    let manifest_bytes = read_part(&mut archive, "manifest.json", 16 * 1024 * 1024)?;
    let raw: serde_json::Value =
        serde_json::from_slice(&manifest_bytes).map_err(|e| BundleError::Damaged(e.to_string()))?;
    let format = raw["format"].as_str().unwrap_or("").to_string();
    if format != FORMAT {
        return Err(BundleError::UnknownFormat(format));
    }
    let manifest: BundleManifest =
        serde_json::from_value(raw).map_err(|e| BundleError::Damaged(e.to_string()))?;
    let signature = read_part(&mut archive, "manifest.json.minisig", 64 * 1024)?;
    let public = minisign::PublicKeyBox::from_string(&manifest.public_key)
        .and_then(|b| b.into_public_key())
        .map_err(|_| BundleError::BadSignature)?;
    let signature = minisign::SignatureBox::from_string(&String::from_utf8_lossy(&signature))
        .map_err(|_| BundleError::BadSignature)?;
    minisign::verify(
        &public,
        &signature,
        Cursor::new(&manifest_bytes),
        true,
        false,
        false,
    )
    .map_err(|_| BundleError::BadSignature)?;
    let mut files = BTreeMap::new();
    for entry in &manifest.files {
        let bytes = read_part(&mut archive, &entry.path, entry.size.min(MAX_PART))?;
        if bytes.len() as u64 != entry.size || sha256_hex(&bytes) != entry.sha256 {
            return Err(BundleError::FileMismatch(entry.path.clone()));
        }
        files.insert(entry.path.clone(), bytes);
    }
    let listed = manifest.files.len() + 2;
    if archive.len() != listed {
        return Err(BundleError::FileMismatch(format!(
            "{} files in the zip",
            archive.len()
        )));
    }
    Ok(VerifiedBundle {
        manifest_sha256: sha256_hex(&manifest_bytes),
        manifest,
        files,
        encrypted,
    })
}

//! Reading a bundle back and checking everything: the age layer (when there is an identity),
//! the zip, the format, the manifest's signature and its bounds, and every file's size and
//! SHA-256. Everything streams: the file is decrypted as it is read (age seeks by chunk), no
//! part is held in memory whole, and every number a bundle states is bounded before it is
//! used, so a crafted bundle costs neither memory nor a crash.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufReader, Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use sha2::{Digest, Sha256};

use super::manifest::{sha256_hex, BundleManifest, FORMATS_READ, HISTORY_PART};
use super::BundleError;
use crate::domain::RecordKind;

/// A bundle whose every part checked out, read whole into memory (small bundles: tests and
/// tools; the county import streams instead).
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

/// What a bundle is read from: a file, or bytes in memory.
pub trait Source: Read + Seek + Send {}
impl<T: Read + Seek + Send> Source for T {}

const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";
/// The age format sets no limit; a bundle never needs more than this.
const MAX_HEADER: usize = 16 * 1024;
const MAX_STANZAS: usize = 8;

/// The bounds of everything a bundle states. A station's real bundles are far inside them.
pub mod limits {
    /// The highest bundle number: a station writing one a day for a thousand years.
    pub const MAX_SEQ: u64 = 400_000;
    /// One part, uncompressed.
    pub const MAX_PART: u64 = 2 * 1024 * 1024 * 1024;
    /// All parts together, uncompressed.
    pub const MAX_TOTAL: u64 = 6 * 1024 * 1024 * 1024;
    /// How much larger than its compressed size a part may be (real JSON and CSV stay
    /// under 20; a zip bomb is in the thousands). Parts under a megabyte are not asked.
    pub const MAX_RATIO: u64 = 200;
    /// `manifest.json` and its signature.
    pub const MAX_MANIFEST: u64 = 1024 * 1024;
    pub const MAX_SIGNATURE: u64 = 4096;
    /// One record's line of JSON (long minutes fit many times over).
    pub const MAX_LINE: usize = 16 * 1024 * 1024;
    /// Records in one bundle, all kinds together.
    pub const MAX_RECORDS: u64 = 20_000_000;
    /// A station's name, code and key as stated in the manifest, in bytes.
    pub const MAX_NAME: usize = 1024;
    pub const MAX_KEY: usize = 4096;
}
use limits::*;

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
fn check_header(source: &mut dyn Source) -> Result<(), BundleError> {
    let mut window = Vec::with_capacity(MAX_HEADER);
    source
        .take(MAX_HEADER as u64)
        .read_to_end(&mut window)
        .map_err(|e| BundleError::Damaged(e.to_string()))?;
    source
        .seek(SeekFrom::Start(0))
        .map_err(|e| BundleError::Damaged(e.to_string()))?;
    let end = window
        .windows(4)
        .position(|w| w == b"\n---")
        .ok_or(BundleError::HostileHeader)?;
    let stanzas = window[..end]
        .split(|b| *b == b'\n')
        .filter(|line| line.starts_with(b"-> "))
        .count();
    if stanzas == 0 || stanzas > MAX_STANZAS {
        return Err(BundleError::HostileHeader);
    }
    Ok(())
}

/// Seeks clamped to the end of the stream. age's seekable reader (0.12.1) panics when it is
/// read after a seek past the end of its last chunk, and a crafted zip's offsets can ask for
/// just that; clamped, such a read simply finds the end. (Found by the fuzz target.)
struct ClampedSeek<R> {
    inner: R,
    len: u64,
}

impl<R: Read + Seek> ClampedSeek<R> {
    fn new(mut inner: R) -> std::io::Result<ClampedSeek<R>> {
        let len = inner.seek(SeekFrom::End(0))?;
        inner.seek(SeekFrom::Start(0))?;
        Ok(ClampedSeek { inner, len })
    }
}

impl<R: Read> Read for ClampedSeek<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf)
    }
}

impl<R: Seek> Seek for ClampedSeek<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        let target = match pos {
            SeekFrom::Start(offset) => i128::from(offset),
            SeekFrom::End(offset) => i128::from(self.len) + i128::from(offset),
            SeekFrom::Current(offset) => {
                i128::from(self.inner.stream_position()?) + i128::from(offset)
            }
        };
        if target < 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                "seek before the start",
            ));
        }
        let clamped = u64::try_from(target).unwrap_or(u64::MAX).min(self.len);
        self.inner.seek(SeekFrom::Start(clamped))
    }
}

fn damaged(e: impl std::fmt::Display) -> BundleError {
    BundleError::Damaged(e.to_string())
}

/// An open bundle: decrypted as it is read, its manifest signed and within bounds. The parts
/// are checked as they are read ([`BundleReader::check_parts`], [`BundleReader::lines`]).
pub struct BundleReader<'a> {
    archive: zip::ZipArchive<Box<dyn Source + 'a>>,
    pub manifest: BundleManifest,
    /// SHA-256 of `manifest.json`, which the next bundle of the station chains to.
    pub manifest_sha256: String,
    pub encrypted: bool,
}

/// The part names a bundle may hold besides the manifest and its signature: the history
/// only from version 2 on.
fn allowed_parts(format: &str) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    if format != FORMATS_READ[0] {
        names.insert(HISTORY_PART.to_string());
    }
    for kind in RecordKind::ALL {
        names.insert(format!("data/{}.jsonl", kind.as_str()));
        names.insert(format!("tables/{}.csv", kind.as_str()));
    }
    names.insert("report.xlsx".to_string());
    names
}

/// The bundle file's number of entries as its end record states it, to catch entries the zip
/// reader would fold together (two with one name).
fn stated_entries(source: &mut dyn Source) -> Result<u64, BundleError> {
    let len = source.seek(SeekFrom::End(0)).map_err(damaged)?;
    let tail_len = len.min(22 + 65_535);
    source
        .seek(SeekFrom::Start(len - tail_len))
        .map_err(damaged)?;
    let mut tail = Vec::with_capacity(tail_len as usize);
    source
        .take(tail_len)
        .read_to_end(&mut tail)
        .map_err(damaged)?;
    source.seek(SeekFrom::Start(0)).map_err(damaged)?;
    let at = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .filter(|at| tail.len() >= at + 22)
        .ok_or_else(|| damaged("no end of central directory"))?;
    Ok(u64::from(u16::from_le_bytes([
        tail[at + 10],
        tail[at + 11],
    ])))
}

/// Checks what the manifest states against the bounds, before any of it is used.
fn check_manifest(m: &BundleManifest) -> Result<(), BundleError> {
    let out = |what: String| Err(BundleError::OutOfBounds(what));
    if m.plaintext && m.seq != 0 {
        return out(format!("plaintext bundle with seq {}", m.seq));
    }
    if !m.plaintext && !(1..=MAX_SEQ).contains(&m.seq) {
        return out(format!("seq {}", m.seq));
    }
    if m.rev_from < 0 || m.rev_to < m.rev_from {
        return out(format!("changes {}-{}", m.rev_from, m.rev_to));
    }
    let town = m.town.as_deref().unwrap_or("");
    if m.station_code.len() > MAX_NAME || m.station_name.len() > MAX_NAME || town.len() > MAX_NAME {
        return out("station name".to_string());
    }
    // A station's name is refused with control characters when it is set up, so one that
    // arrives with them was not written by a station.
    let plain = |text: &str| crate::text::clean_input(text) == text && !text.contains(['\n', '\t']);
    if !plain(&m.station_code) || !plain(&m.station_name) || !plain(town) {
        return out(format!(
            "station name with control characters: {}",
            crate::text::sanitize(&m.station_name)
        ));
    }
    if m.public_key.len() > MAX_KEY || m.previous_manifest_sha256.len() > 64 {
        return out("key".to_string());
    }
    let allowed = allowed_parts(&m.format);
    if m.history.unwrap_or(0) > MAX_RECORDS * 4 {
        return out(format!("{} changes", m.history.unwrap_or(0)));
    }
    let mut seen = BTreeSet::new();
    let mut total: u64 = 0;
    for entry in &m.files {
        if !allowed.contains(&entry.path) || !seen.insert(entry.path.as_str()) {
            return out(format!("part {}", crate::text::sanitize(&entry.path)));
        }
        if entry.size > MAX_PART {
            return out(format!("part {} of {} bytes", entry.path, entry.size));
        }
        total = total.saturating_add(entry.size);
    }
    if total > MAX_TOTAL {
        return out(format!("{total} bytes in all"));
    }
    let known: BTreeSet<&str> = RecordKind::ALL.iter().map(|k| k.as_str()).collect();
    let mut records: u64 = 0;
    let mut kinds = BTreeSet::new();
    for (kind, count) in &m.counts {
        if !known.contains(kind.as_str()) || !kinds.insert(kind.as_str()) {
            return out(format!("kind {}", crate::text::sanitize(kind)));
        }
        records = records.saturating_add(*count);
    }
    if records > MAX_RECORDS {
        return out(format!("{records} records"));
    }
    Ok(())
}

impl<'a> BundleReader<'a> {
    /// Opens a bundle: the age layer with `identities`, the zip, the manifest (bounded,
    /// signed, within [`limits`]). The parts are not read yet.
    pub fn open(
        mut source: Box<dyn Source + 'a>,
        identities: &[Identity],
    ) -> Result<BundleReader<'a>, BundleError> {
        let mut magic = [0u8; 22];
        let got = read_up_to(&mut source, &mut magic)?;
        source.seek(SeekFrom::Start(0)).map_err(damaged)?;
        let (mut zipped, encrypted): (Box<dyn Source + 'a>, bool) =
            if magic[..got].starts_with(AGE_MAGIC) {
                check_header(&mut source)?;
                if identities.is_empty() {
                    return Err(BundleError::NeedIdentity);
                }
                let decryptor = age::Decryptor::new(BufReader::new(source)).map_err(damaged)?;
                let reader = decryptor
                    .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
                    .map_err(|e| match e {
                        age::DecryptError::NoMatchingKeys => BundleError::WrongIdentity,
                        other => damaged(other),
                    })?;
                (Box::new(ClampedSeek::new(reader).map_err(damaged)?), true)
            } else if magic[..got].starts_with(b"PK") {
                (source, false)
            } else {
                return Err(BundleError::UnknownFormat(
                    String::from_utf8_lossy(&magic[..got]).into_owned(),
                ));
            };
        let stated = stated_entries(&mut zipped)?;
        let mut archive = zip::ZipArchive::new(zipped).map_err(damaged)?;
        if stated != archive.len() as u64 {
            return Err(BundleError::DuplicateEntries);
        }
        let manifest_bytes = read_small(&mut archive, "manifest.json", MAX_MANIFEST)?;
        let raw: serde_json::Value = serde_json::from_slice(&manifest_bytes).map_err(damaged)?;
        let format = raw["format"].as_str().unwrap_or("").to_string();
        if !FORMATS_READ.contains(&format.as_str()) {
            return Err(BundleError::UnknownFormat(format));
        }
        let manifest: BundleManifest = serde_json::from_value(raw).map_err(damaged)?;
        let signature = read_small(&mut archive, "manifest.json.minisig", MAX_SIGNATURE)?;
        if manifest.public_key.len() > MAX_KEY {
            return Err(BundleError::OutOfBounds("key".to_string()));
        }
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
        check_manifest(&manifest)?;
        if archive.len() != manifest.files.len() + 2 {
            return Err(BundleError::FileMismatch(format!(
                "{} files in the zip",
                archive.len()
            )));
        }
        Ok(BundleReader {
            archive,
            manifest_sha256: sha256_hex(&manifest_bytes),
            manifest,
            encrypted,
        })
    }

    /// Streams one part through `each` (chunks as they are inflated), checking its size,
    /// its ratio to its compressed size and its SHA-256 against the manifest.
    fn stream_part(
        &mut self,
        path: &str,
        each: &mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
    ) -> Result<(), BundleError> {
        let entry = self
            .manifest
            .files
            .iter()
            .find(|f| f.path == path)
            .cloned()
            .ok_or_else(|| BundleError::FileMismatch(path.to_string()))?;
        let zipped = self
            .archive
            .by_name(path)
            .map_err(|_| BundleError::FileMismatch(path.to_string()))?;
        if entry.size > 1024 * 1024 && entry.size / zipped.compressed_size().max(1) > MAX_RATIO {
            return Err(BundleError::OutOfBounds(format!(
                "{path}: {} bytes from {}",
                entry.size,
                zipped.compressed_size()
            )));
        }
        let mut reader = zipped.take(entry.size + 1);
        let mut hasher = Sha256::new();
        let mut size: u64 = 0;
        let mut buffer = vec![0u8; 64 * 1024];
        // A part that does not check out is named as such, even when its content failed first;
        // one that could not be read to its end (its encryption or compression is damaged) says
        // that, never that it differs from the manifest.
        let mut first_error = None;
        loop {
            let n = match reader.read(&mut buffer) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => {
                    return Err(BundleError::PartUnreadable {
                        part: path.to_string(),
                        reason: e.to_string(),
                    })
                }
            };
            hasher.update(&buffer[..n]);
            size += n as u64;
            if first_error.is_none() {
                if let Err(e) = each(&buffer[..n]) {
                    first_error = Some(e);
                }
            }
        }
        let sha: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        if size != entry.size || sha != entry.sha256 {
            return Err(BundleError::FileMismatch(path.to_string()));
        }
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Checks every part but the data files (which [`BundleReader::lines`] checks as it
    /// reads them).
    pub fn check_parts(&mut self) -> Result<(), BundleError> {
        let others: Vec<String> = self
            .manifest
            .files
            .iter()
            .filter(|f| !f.path.starts_with("data/"))
            .map(|f| f.path.clone())
            .collect();
        for path in others {
            self.stream_part(&path, &mut |_| Ok(()))?;
        }
        Ok(())
    }

    /// Calls `each` with every line of the data file of `kind` (none when the bundle has no
    /// such part), checking the part as it goes and its number of records against the
    /// manifest. Lines longer than [`limits::MAX_LINE`] are refused.
    pub fn lines(
        &mut self,
        kind: RecordKind,
        each: &mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
    ) -> Result<u64, BundleError> {
        let path = format!("data/{}.jsonl", kind.as_str());
        let stated = self
            .manifest
            .counts
            .iter()
            .find(|(k, _)| k == kind.as_str())
            .map(|(_, n)| *n)
            .unwrap_or(0);
        self.part_lines(path, stated, each)
    }

    /// Calls `each` with every line of the history of the bundle's records (none in a bundle
    /// of version 1), checked as [`BundleReader::lines`] checks a kind's.
    pub fn history_lines(
        &mut self,
        each: &mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
    ) -> Result<u64, BundleError> {
        let stated = self.manifest.history.unwrap_or(0);
        self.part_lines(HISTORY_PART.to_string(), stated, each)
    }

    /// The lines of the part `path`, `stated` of them.
    fn part_lines(
        &mut self,
        path: String,
        stated: u64,
        each: &mut dyn FnMut(&[u8]) -> Result<(), BundleError>,
    ) -> Result<u64, BundleError> {
        if !self.manifest.files.iter().any(|f| f.path == path) {
            return if stated == 0 {
                Ok(0)
            } else {
                Err(BundleError::FileMismatch(path))
            };
        }
        let mut line: Vec<u8> = Vec::new();
        let mut count: u64 = 0;
        let mut take_line = |line: &mut Vec<u8>, count: &mut u64| -> Result<(), BundleError> {
            if line.is_empty() {
                return Ok(());
            }
            *count += 1;
            if *count > stated {
                return Err(BundleError::OutOfBounds(format!(
                    "{path}: more than {stated} records"
                )));
            }
            let result = each(line);
            line.clear();
            result
        };
        self.stream_part(&path.clone(), &mut |chunk| {
            for piece in chunk.split_inclusive(|b| *b == b'\n') {
                let (body, ends) = match piece.strip_suffix(b"\n") {
                    Some(body) => (body, true),
                    None => (piece, false),
                };
                if line.len() + body.len() > MAX_LINE {
                    return Err(BundleError::OutOfBounds(format!(
                        "a line longer than {MAX_LINE} bytes"
                    )));
                }
                line.extend_from_slice(body);
                if ends {
                    take_line(&mut line, &mut count)?;
                }
            }
            Ok(())
        })?;
        take_line(&mut line, &mut count)?;
        if count != stated {
            return Err(BundleError::FileMismatch(format!(
                "{path}: {count} lines, the manifest says {stated}"
            )));
        }
        Ok(count)
    }

    /// Every part, checked, read into memory.
    fn read_all(&mut self) -> Result<BTreeMap<String, Vec<u8>>, BundleError> {
        let paths: Vec<String> = self.manifest.files.iter().map(|f| f.path.clone()).collect();
        let mut files = BTreeMap::new();
        for path in paths {
            let mut bytes = Vec::new();
            self.stream_part(&path, &mut |chunk| {
                bytes.extend_from_slice(chunk);
                Ok(())
            })?;
            files.insert(path, bytes);
        }
        Ok(files)
    }
}

fn read_up_to(source: &mut dyn Source, buffer: &mut [u8]) -> Result<usize, BundleError> {
    let mut got = 0;
    while got < buffer.len() {
        match source.read(&mut buffer[got..]).map_err(damaged)? {
            0 => break,
            n => got += n,
        }
    }
    Ok(got)
}

fn read_small<R: Read + Seek>(
    archive: &mut zip::ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, BundleError> {
    let entry = archive
        .by_name(name)
        .map_err(|_| BundleError::FileMismatch(name.to_string()))?;
    let mut out = Vec::new();
    entry
        .take(limit + 1)
        .read_to_end(&mut out)
        .map_err(|e| damaged(format!("{name}: {e}")))?;
    if out.len() as u64 > limit {
        return Err(BundleError::OutOfBounds(format!("{name} too large")));
    }
    Ok(out)
}

/// Checks a bundle file's bytes and reads its parts into memory. `identities` open an
/// encrypted bundle.
pub fn verify(bytes: &[u8], identities: &[Identity]) -> Result<VerifiedBundle, BundleError> {
    let mut reader = BundleReader::open(Box::new(Cursor::new(bytes)), identities)?;
    let files = reader.read_all()?;
    Ok(VerifiedBundle {
        manifest: reader.manifest.clone(),
        manifest_sha256: reader.manifest_sha256.clone(),
        files,
        encrypted: reader.encrypted,
    })
}

/// Checks a bundle file on disk, streaming: every part's size and hash, in bounded memory.
pub fn verify_file(
    path: &Path,
    identities: &[Identity],
) -> Result<BundleReader<'static>, BundleError> {
    let file =
        std::fs::File::open(path).map_err(|e| BundleError::Io(path.display().to_string(), e))?;
    let mut reader = BundleReader::open(Box::new(BufReader::new(file)), identities)?;
    reader.check_parts()?;
    for kind in RecordKind::ALL {
        reader.lines(kind, &mut |_| Ok(()))?;
    }
    reader.history_lines(&mut |_| Ok(()))?;
    Ok(reader)
}

/// Opens a bundle file on disk and checks its manifest only (cheap: age decrypts only the
/// chunks the zip's directory and the manifest are in), to sort a pile of bundles.
pub fn peek_file(path: &Path, identities: &[Identity]) -> Result<BundleManifest, BundleError> {
    let file =
        std::fs::File::open(path).map_err(|e| BundleError::Io(path.display().to_string(), e))?;
    BundleReader::open(Box::new(BufReader::new(file)), identities).map(|r| r.manifest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn encrypted(plain: &[u8]) -> (Vec<u8>, age::x25519::Identity) {
        let identity = age::x25519::Identity::generate();
        let recipient = identity.to_public();
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| e.to_string());
        let mut out = Vec::new();
        if let Ok(encryptor) = encryptor {
            if let Ok(mut writer) = encryptor.wrap_output(&mut out) {
                let _ = writer.write_all(plain);
                let _ = writer.finish();
            }
        }
        (out, identity)
    }

    /// The fuzz target's first find: age's reader panicked on a read after a seek past the
    /// end of its last chunk, which a zip with a flipped offset asks for.
    #[test]
    fn reading_after_a_seek_past_the_end_finds_the_end() -> std::io::Result<()> {
        let plain = b"a short last chunk".repeat(10);
        let (bytes, identity) = encrypted(&plain);
        let decryptor = age::Decryptor::new(Cursor::new(bytes))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let reader = decryptor
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let mut clamped = ClampedSeek::new(reader)?;
        assert_eq!(clamped.len, plain.len() as u64);
        let at = clamped.seek(SeekFrom::Start(plain.len() as u64 + 5000))?;
        assert_eq!(at, plain.len() as u64);
        let mut buffer = [0u8; 16];
        assert_eq!(clamped.read(&mut buffer)?, 0);
        clamped.seek(SeekFrom::Start(2))?;
        assert_eq!(clamped.read(&mut buffer)?, 16);
        assert_eq!(&buffer[..], &plain[2..18]);
        Ok(())
    }
}

//! Writing a bundle as a stream: each part goes straight into the zip, the zip straight into
//! the age stream and the age stream into the file, with every part's SHA-256 and size taken
//! on the way for the manifest, and the whole file's for the bundle log. Nothing but the bytes
//! in flight is held, whatever the size of the bundle.

use std::fs;
use std::io::{BufWriter, Read, Seek, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::write::{SimpleFileOptions, StreamWriter};

use super::manifest::FileEntry;
use super::BundleError;

fn hex(digest: impl AsRef<[u8]>) -> String {
    digest.as_ref().iter().map(|b| format!("{b:02x}")).collect()
}

/// Writes to `W` until the first error; after it, whatever is written goes nowhere (the error
/// went to whoever wrote). A zip writer dropped after a failure — a full disk — tries to finish
/// its archive and, failing again, prints its own complaint on stderr; through this it cannot
/// fail again. `into_inner` still answers the first error, so nothing that failed passes for
/// written.
pub struct AfterFailure<W> {
    inner: W,
    failed: Option<std::io::ErrorKind>,
    /// Where the writer believes it is, and the furthest it got, after the failure (a zip
    /// writer finishing into nothing still does its sums with them).
    at: u64,
    end: u64,
}

impl<W> AfterFailure<W> {
    pub fn new(inner: W) -> AfterFailure<W> {
        AfterFailure {
            inner,
            failed: None,
            at: 0,
            end: 0,
        }
    }

    /// The writer, unless something written to it failed.
    pub fn into_inner(self) -> std::io::Result<W> {
        match self.failed {
            Some(kind) => Err(std::io::Error::from(kind)),
            None => Ok(self.inner),
        }
    }

    fn note<T>(&mut self, done: std::io::Result<T>) -> std::io::Result<T> {
        if let Err(e) = &done {
            self.failed = Some(e.kind());
        }
        done
    }
}

impl<W: Write> Write for AfterFailure<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.failed.is_some() {
            self.at += buf.len() as u64;
            self.end = self.end.max(self.at);
            return Ok(buf.len());
        }
        let done = self.inner.write(buf);
        if let Ok(n) = &done {
            self.at += *n as u64;
            self.end = self.end.max(self.at);
        }
        self.note(done)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.failed.is_some() {
            return Ok(());
        }
        let done = self.inner.flush();
        self.note(done)
    }
}

impl<W: Seek> Seek for AfterFailure<W> {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        if self.failed.is_some() {
            let moved = |base: u64, by: i64| base.saturating_add_signed(by);
            self.at = match to {
                std::io::SeekFrom::Start(n) => n,
                std::io::SeekFrom::Current(by) => moved(self.at, by),
                std::io::SeekFrom::End(by) => moved(self.end, by),
            };
            self.end = self.end.max(self.at);
            return Ok(self.at);
        }
        let done = self.inner.seek(to);
        if let Ok(at) = &done {
            self.at = *at;
            self.end = self.end.max(*at);
        }
        self.note(done)
    }
}

/// Counts and hashes what passes through to `inner`.
pub struct Hashing<W: Write> {
    inner: W,
    hasher: Sha256,
    size: u64,
}

impl<W: Write> Hashing<W> {
    pub fn new(inner: W) -> Hashing<W> {
        Hashing {
            inner,
            hasher: Sha256::new(),
            size: 0,
        }
    }

    /// The inner writer, the SHA-256 (hex) and the size of what passed.
    pub fn finish(self) -> (W, String, u64) {
        (self.inner, hex(self.hasher.finalize()), self.size)
    }
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hasher.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// Where the zip goes: straight into the output, or through age to the county's recipient.
pub enum Sink<W: Write> {
    Plain(W),
    Age(age::stream::StreamWriter<W>),
}

impl<W: Write> Sink<W> {
    /// `out` as it is (`None`), or encrypted to the age `recipient`.
    pub fn new(out: W, recipient: Option<&str>) -> Result<Sink<W>, BundleError> {
        let Some(text) = recipient else {
            return Ok(Sink::Plain(out));
        };
        let recipient: age::x25519::Recipient =
            text.parse().map_err(|_| BundleError::BadRecipient)?;
        let encryptor =
            age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                .map_err(|e| BundleError::Damaged(e.to_string()))?;
        let writer = encryptor
            .wrap_output(out)
            .map_err(|e| BundleError::Io("age".into(), e))?;
        Ok(Sink::Age(writer))
    }

    /// Ends the age stream (its last chunk and tag) and gives the output back.
    pub fn finish(self) -> Result<W, BundleError> {
        match self {
            Sink::Plain(out) => Ok(out),
            Sink::Age(writer) => writer
                .finish()
                .map_err(|e| BundleError::Io("age".into(), e)),
        }
    }
}

impl<W: Write> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Plain(out) => out.write(buf),
            Sink::Age(writer) => writer.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Plain(out) => out.flush(),
            Sink::Age(writer) => writer.flush(),
        }
    }
}

/// The deflate level of the data files ([`Packing::Data`]), chosen by measuring size against
/// time (docs/performance.md).
const DATA_LEVEL: i64 = 6;

/// How a part is stored in the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    /// Deflated at a fast level: text (JSONL, CSV, the manifest).
    Text,
    /// Deflated at the default level: the records' data files and their history, the bulk of
    /// a bundle (a quarter smaller than at the fast level, for a third more time on the
    /// zipping thread, which waits for the records anyway).
    Data,
    /// Stored as it is: what is compressed already (the .xlsx is a zip itself).
    Stored,
}

impl Packing {
    fn options(self, large: bool) -> SimpleFileOptions {
        match self {
            Packing::Text => SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(1)),
            Packing::Data => SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .compression_level(Some(DATA_LEVEL)),
            Packing::Stored => {
                SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
            }
        }
        .large_file(large)
    }
}

/// A text part deflated ahead, on another thread, into a temporary zip of its own, with its
/// SHA-256 and size taken before compression: the bundle's zip copies its compressed bytes as
/// they are ([`BundleZip::add_packed`]).
pub struct PackedPart {
    entry: FileEntry,
    file: fs::File,
}

/// Writes a part into an unnamed temporary file (it vanishes when closed) as a one-entry
/// zip, deflated as the bundle's text parts are.
pub struct PartPacker {
    inner: Hashing<zip::ZipWriter<AfterFailure<BufWriter<fs::File>>>>,
    path: String,
}

impl PartPacker {
    /// A packer for the part `path`, in the folder `dir`; a part that may pass 4 GiB
    /// (`large`) gets ZIP64 sizes.
    pub fn new(dir: &Path, path: &str, large: bool) -> Result<PartPacker, BundleError> {
        let file = tempfile::tempfile_in(dir).map_err(|e| BundleError::Io(path.to_string(), e))?;
        let mut zip = zip::ZipWriter::new(AfterFailure::new(BufWriter::with_capacity(
            256 * 1024,
            file,
        )));
        zip.start_file(path, Packing::Text.options(large))
            .map_err(zip_error)?;
        Ok(PartPacker {
            inner: Hashing::new(zip),
            path: path.to_string(),
        })
    }

    /// The part, packed.
    pub fn finish(self) -> Result<PackedPart, BundleError> {
        let (zip, sha256, size) = self.inner.finish();
        let file = zip
            .finish()
            .map_err(zip_error)?
            .into_inner()
            .map_err(|e| BundleError::Io(self.path.clone(), e))?
            .into_inner()
            .map_err(|e| BundleError::Io(self.path.clone(), e.into_error()))?;
        Ok(PackedPart {
            entry: FileEntry {
                path: self.path,
                sha256,
                size,
            },
            file,
        })
    }
}

impl Write for PartPacker {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.inner.write(buf)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// The zip of a bundle, written part by part into a sink.
pub struct BundleZip<W: Write> {
    zip: zip::ZipWriter<StreamWriter<AfterFailure<Sink<W>>>>,
    /// The part being written: its path and what has gone into it.
    open: Option<(String, Sha256, u64)>,
    /// The parts written, for the manifest.
    entries: Vec<FileEntry>,
}

fn zip_error(e: zip::result::ZipError) -> BundleError {
    BundleError::Damaged(e.to_string())
}

impl<W: Write> BundleZip<W> {
    pub fn new(sink: Sink<W>) -> BundleZip<W> {
        BundleZip {
            zip: zip::ZipWriter::new_stream(AfterFailure::new(sink)),
            open: None,
            entries: Vec::new(),
        }
    }

    /// Starts the part `path`; what is written next goes into it. A part that may pass
    /// 4 GiB (`large`) is written with ZIP64 sizes; others keep the plain layout.
    pub fn start(&mut self, path: &str, packing: Packing, large: bool) -> Result<(), BundleError> {
        self.end_part();
        self.zip
            .start_file(path, packing.options(large))
            .map_err(zip_error)?;
        self.open = Some((path.to_string(), Sha256::new(), 0));
        Ok(())
    }

    fn end_part(&mut self) {
        if let Some((path, hasher, size)) = self.open.take() {
            self.entries.push(FileEntry {
                path,
                sha256: hex(hasher.finalize()),
                size,
            });
        }
    }

    /// A part packed ahead: its compressed bytes are copied as they are.
    pub fn add_packed(&mut self, part: PackedPart) -> Result<(), BundleError> {
        self.end_part();
        let mut packed = zip::ZipArchive::new(part.file).map_err(zip_error)?;
        let entry = packed.by_index_raw(0).map_err(zip_error)?;
        let name = entry.name().map_err(zip_error)?;
        if name != part.entry.path {
            return Err(BundleError::Damaged(format!(
                "a packed part is {name}, not {}",
                part.entry.path
            )));
        }
        self.zip.raw_copy_file(entry).map_err(zip_error)?;
        self.entries.push(part.entry);
        Ok(())
    }

    /// The parts written so far (the one being written ends here).
    pub fn parts(&mut self) -> Vec<FileEntry> {
        self.end_part();
        self.entries.clone()
    }

    /// A whole part at once.
    pub fn add(&mut self, path: &str, bytes: &[u8], packing: Packing) -> Result<(), BundleError> {
        self.start(path, packing, false)?;
        self.write_all(bytes)
            .map_err(|e| BundleError::Io(path.to_string(), e))
    }

    /// Ends the zip and the age stream; gives the output back.
    pub fn finish(mut self) -> Result<(W, Vec<FileEntry>), BundleError> {
        self.end_part();
        let sink = self
            .zip
            .finish()
            .map_err(zip_error)?
            .into_inner()
            .into_inner()
            .map_err(|e| BundleError::Io("bundle".into(), e))?;
        Ok((sink.finish()?, self.entries))
    }
}

impl<W: Write> Write for BundleZip<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.zip.write(buf)?;
        if let Some((_, hasher, size)) = self.open.as_mut() {
            hasher.update(&buf[..n]);
            *size += n as u64;
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.zip.flush()
    }
}

/// What the export sends the thread that zips, encrypts and writes.
enum Msg {
    Start(String, Packing, bool),
    Data(Vec<u8>),
    Render(Render),
    Packed(PackedPart),
    Parts(std::sync::mpsc::Sender<Vec<FileEntry>>),
}

/// Work handed to the zipping thread: it writes what it renders into the part being written
/// (the export's records, turned into JSON there rather than on the thread that reads them).
pub type Render = Box<dyn FnOnce(&mut dyn Write) -> Result<(), BundleError> + Send>;

/// Bytes gathered before they are handed to the zipping thread.
const PIPE_CHUNK: usize = 256 * 1024;

/// A [`BundleZip`] on its own thread: the export renders records on one core while the other
/// deflates, hashes, encrypts and writes. Bytes pass in chunks through a short queue, so
/// memory stays bounded.
pub struct ZipPipe<W: Write + Send + 'static> {
    sender: Option<std::sync::mpsc::SyncSender<Msg>>,
    buffer: Vec<u8>,
    worker: Option<std::thread::JoinHandle<Result<W, BundleError>>>,
}

impl<W: Write + Send + 'static> ZipPipe<W> {
    pub fn spawn(sink: Sink<W>) -> ZipPipe<W>
    where
        Sink<W>: Send,
    {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Msg>(8);
        let worker = std::thread::spawn(move || {
            let mut zip = BundleZip::new(sink);
            for msg in receiver {
                match msg {
                    Msg::Start(path, packing, large) => zip.start(&path, packing, large)?,
                    Msg::Data(bytes) => zip
                        .write_all(&bytes)
                        .map_err(|e| BundleError::Io("bundle".into(), e))?,
                    Msg::Render(work) => {
                        let mut out = BufWriter::with_capacity(PIPE_CHUNK, &mut zip);
                        work(&mut out)?;
                        out.flush()
                            .map_err(|e| BundleError::Io("bundle".into(), e))?;
                    }
                    Msg::Packed(part) => zip.add_packed(part)?,
                    Msg::Parts(reply) => {
                        let _ = reply.send(zip.parts());
                    }
                }
            }
            Ok(zip.finish()?.0)
        });
        ZipPipe {
            sender: Some(sender),
            buffer: Vec::with_capacity(PIPE_CHUNK),
            worker: Some(worker),
        }
    }

    fn send(&mut self, msg: Msg) -> Result<(), BundleError> {
        let sent = match &self.sender {
            Some(sender) => sender.send(msg).is_ok(),
            None => false,
        };
        if sent {
            Ok(())
        } else {
            Err(self.stopped())
        }
    }

    /// Why the zipping thread stopped (it only stops early on an error).
    fn stopped(&mut self) -> BundleError {
        self.sender = None;
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(Err(e))) => e,
            _ => BundleError::Damaged("the bundle writer stopped".into()),
        }
    }

    fn flush_buffer(&mut self) -> Result<(), BundleError> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let bytes = std::mem::replace(&mut self.buffer, Vec::with_capacity(PIPE_CHUNK));
        self.send(Msg::Data(bytes))
    }

    /// Starts the part `path` (see [`BundleZip::start`]).
    pub fn start(&mut self, path: &str, packing: Packing, large: bool) -> Result<(), BundleError> {
        self.flush_buffer()?;
        self.send(Msg::Start(path.to_string(), packing, large))
    }

    /// A whole part at once.
    pub fn add(&mut self, path: &str, bytes: &[u8], packing: Packing) -> Result<(), BundleError> {
        self.start(path, packing, false)?;
        self.buffer.extend_from_slice(bytes);
        self.flush_buffer()
    }

    /// Has the zipping thread render `work` into the part being written, after what was
    /// written before.
    pub fn render(&mut self, work: Render) -> Result<(), BundleError> {
        self.flush_buffer()?;
        self.send(Msg::Render(work))
    }

    /// A part packed ahead (see [`BundleZip::add_packed`]).
    pub fn add_packed(&mut self, part: PackedPart) -> Result<(), BundleError> {
        self.flush_buffer()?;
        self.send(Msg::Packed(part))
    }

    /// The parts written so far (the one being written ends here).
    pub fn parts(&mut self) -> Result<Vec<FileEntry>, BundleError> {
        self.flush_buffer()?;
        let (reply, answer) = std::sync::mpsc::channel();
        self.send(Msg::Parts(reply))?;
        answer.recv().map_err(|_| self.stopped())
    }

    /// Ends the zip and the age stream; gives the output back.
    pub fn finish(mut self) -> Result<W, BundleError> {
        self.flush_buffer()?;
        self.sender = None;
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(result)) => result,
            _ => Err(BundleError::Damaged("the bundle writer stopped".into())),
        }
    }

    /// What went wrong, when rendering failed with `error`: the zipping thread's own error
    /// if it stopped first (a full disk), else `error`.
    pub fn fail(mut self, error: BundleError) -> BundleError {
        self.sender = None;
        self.buffer.clear();
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(Err(own))) => own,
            _ => error,
        }
    }
}

impl<W: Write + Send + 'static> Write for ZipPipe<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.buffer.extend_from_slice(buf);
        if self.buffer.len() >= PIPE_CHUNK {
            self.flush_buffer()
                .map_err(|e| std::io::Error::other(e.to_string()))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A file for a bundle: readable by its owner alone, buffered, hashed on the way.
pub fn bundle_file(path: &Path) -> Result<Hashing<BufWriter<fs::File>>, BundleError> {
    let file = crate::files::create_private(path, false)
        .map_err(|e| BundleError::Io(path.display().to_string(), e))?;
    Ok(Hashing::new(BufWriter::with_capacity(256 * 1024, file)))
}

/// The SHA-256 (hex) and size of the file at `path`, read in pieces.
pub fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = fs::File::open(path)?;
    hash_reader(&mut file)
}

/// The SHA-256 (hex) and size of what `reader` gives.
pub fn hash_reader(reader: &mut dyn Read) -> std::io::Result<(String, u64)> {
    let mut hasher = Sha256::new();
    let mut size = 0u64;
    let mut buffer = vec![0u8; 256 * 1024];
    loop {
        let n = reader.read(&mut buffer)?;
        if n == 0 {
            return Ok((hex(hasher.finalize()), size));
        }
        hasher.update(&buffer[..n]);
        size += n as u64;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_hashed_as_written_and_read_back_from_the_zip() -> Result<(), BundleError> {
        let mut zip = BundleZip::new(Sink::new(Vec::new(), None)?);
        zip.add("a.txt", b"hello", Packing::Text)?;
        zip.start("b.bin", Packing::Stored, false)?;
        zip.write_all(b"wor")
            .map_err(|e| BundleError::Io("b".into(), e))?;
        zip.write_all(b"ld")
            .map_err(|e| BundleError::Io("b".into(), e))?;
        let (bytes, entries) = zip.finish()?;
        assert_eq!(entries.len(), 2);
        assert_eq!(
            entries[0].sha256,
            super::super::manifest::sha256_hex(b"hello")
        );
        assert_eq!((entries[1].path.as_str(), entries[1].size), ("b.bin", 5));
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(zip_error)?;
        let mut text = String::new();
        archive
            .by_name("b.bin")
            .map_err(zip_error)?
            .read_to_string(&mut text)
            .map_err(|e| BundleError::Io("b".into(), e))?;
        assert_eq!(text, "world");
        Ok(())
    }
}

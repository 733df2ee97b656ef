//! The export's second thread: each kind's table (`tables/<kind>.csv`), deflated as its rows
//! come, and the report's workbook, with its limit of rows per kind and the note that says
//! which kinds it cuts.

use std::fs;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};

use super::super::writer::{PackedPart, PartPacker};
use super::super::{tables, BundleError};
use crate::domain::RecordKind;

/// The most rows of one kind the bundle's workbook lists. A sheet of a million rows is over a
/// gigabyte of XML that Excel and WPS on an office PC can hardly open, and it was half the
/// time of a full export: past this many, the sheet lists the records changed last, and a
/// first sheet, 说明, says which kinds are cut and where all of their records are (the kind's
/// table and data file, which always hold every record).
pub const REPORT_ROWS: u64 = 100_000;

/// The most rows of one kind the workbook of an encrypted bundle lists. That bundle goes to
/// the county, whose program imports every record and writes its own report; its workbook is
/// what a person who decrypts it by hand reads first, and most of the bundle's size when it
/// listed as many as a plaintext one (a 200k-record bundle: 25 MB of 74).
pub const SEALED_REPORT_ROWS: u64 = 10_000;

/// The most rows of one kind the workbook of a bundle lists.
pub fn report_rows(plaintext: bool) -> u64 {
    if plaintext {
        REPORT_ROWS
    } else {
        SEALED_REPORT_ROWS
    }
}

/// What the workbook's first sheet says when kinds have more records than it lists.
pub(super) struct ReportNote {
    /// The note's sentence, and its table's headers.
    pub(super) intro: String,
    headers: [String; 4],
    /// Per kind cut: its name, its records in the bundle, what the sheet lists, where all are.
    pub(super) kinds: Vec<(String, u64, u64, String)>,
}

impl ReportNote {
    /// The note of a bundle carrying `pending`, each kind listed up to `rows` records.
    pub(super) fn of(
        pending: &[(RecordKind, u64)],
        rows: u64,
        tables: bool,
        lookup: &dyn crate::domain::fields::Lookup,
    ) -> Option<(String, ReportNote)> {
        let kinds: Vec<_> = pending
            .iter()
            .filter(|(_, n)| *n > rows)
            .map(|(kind, n)| {
                let name = kind.as_str();
                (
                    lookup.word(kind.key()),
                    *n,
                    rows,
                    if tables {
                        format!("tables/{name}.csv、data/{name}.jsonl")
                    } else {
                        format!("data/{name}.jsonl")
                    },
                )
            })
            .collect();
        if kinds.is_empty() {
            return None;
        }
        let word = |key: &str| lookup.word(key);
        Some((
            word("bundle.report_note_sheet"),
            ReportNote {
                intro: word(if tables {
                    "bundle.report_note_intro"
                } else {
                    "bundle.report_note_intro_sealed"
                })
                .replace("%{rows}", &rows.to_string()),
                headers: [
                    word("bundle.report_note_kind"),
                    word("bundle.report_note_total"),
                    word("bundle.report_note_shown"),
                    word("bundle.report_note_where"),
                ],
                kinds,
            },
        ))
    }

    /// The note as the workbook's first sheet, named `name`.
    fn write(
        &self,
        book: &mut rust_xlsxwriter::Workbook,
        name: &str,
    ) -> Result<(), rust_xlsxwriter::XlsxError> {
        let bold = rust_xlsxwriter::Format::new().set_bold();
        let sheet = book.add_worksheet();
        sheet.set_name(name)?;
        sheet.set_column_width(0, 16)?;
        sheet.set_column_width(1, 14)?;
        sheet.set_column_width(2, 14)?;
        sheet.set_column_width(3, 44)?;
        crate::text::print::setup(sheet, &[16.0, 14.0, 14.0, 44.0], Some(2))?;
        sheet.write_string(0, 0, crate::text::cells::cell(&self.intro))?;
        for (c, header) in self.headers.iter().enumerate() {
            sheet.write_string_with_format(2, c as u16, crate::text::cells::cell(header), &bold)?;
        }
        for (r, (kind, total, shown, whole)) in self.kinds.iter().enumerate() {
            let r = r as u32 + 3;
            sheet.write_string(r, 0, crate::text::cells::cell(kind))?;
            sheet.write_number(r, 1, *total as f64)?;
            sheet.write_number(r, 2, *shown as f64)?;
            sheet.write_string(r, 3, crate::text::cells::cell(whole))?;
        }
        Ok(())
    }
}

/// Rows handed to the tables' thread at a time: one hand-over per row would cost more in
/// waking the thread than the row costs to write.
pub(super) const ROW_BATCH: usize = 256;

/// What the export tells the thread that writes the tables and fills the report's sheets.
pub(super) enum SheetMsg {
    /// A kind begins: its sheet, its table's path in the bundle (none: no table) with the
    /// table's headers, how many of its first rows the sheet leaves out (see
    /// [`REPORT_ROWS`]), and whether the table may pass 4 GiB.
    Begin(tables::StreamSheet, Option<String>, Vec<String>, u64, bool),
    Rows(Vec<Vec<String>>),
    End,
    /// Every kind is in: hand the tables over and save the workbook. Rows that stop without
    /// it (the export failed) leave nothing to save.
    Done,
}

/// The tables and the report's workbook, written row by row on a thread of their own (a
/// spreadsheet's XML is a third of the work of an export), in constant memory. When the rows
/// end, the thread hands the tables over first, then saves the workbook into a temporary
/// file of its own, so that the tables go into the bundle while the workbook is compressed.
pub(super) struct ReportThread {
    sender: Option<std::sync::mpsc::SyncSender<SheetMsg>>,
    tables: std::sync::mpsc::Receiver<Vec<PackedPart>>,
    worker: Option<std::thread::JoinHandle<Result<fs::File, BundleError>>>,
}

/// What the tables' thread holds while a kind's rows come in. A kind's table (`tables/<kind>.csv`) is deflated as its rows come, into an unnamed
/// temporary file beside the bundle ([`PartPacker`]).
struct OpenTable {
    sheet: tables::StreamSheet,
    csv: Option<csv::Writer<PartPacker>>,
    /// Rows still to leave out of the sheet (the table has them all).
    skip: u64,
}

impl OpenTable {
    fn begin(
        dir: &Path,
        sheet: tables::StreamSheet,
        path: Option<String>,
        headers: &[String],
        skip: u64,
        large: bool,
    ) -> Result<OpenTable, BundleError> {
        let Some(path) = path else {
            return Ok(OpenTable {
                sheet,
                csv: None,
                skip,
            });
        };
        let mut out = PartPacker::new(dir, &path, large)?;
        out.write_all(&tables::CSV_BOM)
            .map_err(|e| BundleError::Io(path.clone(), e))?;
        let mut csv = csv::WriterBuilder::new()
            .buffer_capacity(256 * 1024)
            .from_writer(out);
        csv.write_record(headers)
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
        Ok(OpenTable {
            sheet,
            csv: Some(csv),
            skip,
        })
    }

    fn row(
        &mut self,
        book: &mut rust_xlsxwriter::Workbook,
        row: Vec<String>,
    ) -> Result<(), BundleError> {
        if let Some(csv) = self.csv.as_mut() {
            for cell in &row {
                csv.write_field(tables::defuse(cell).as_bytes())
                    .map_err(|e| BundleError::Sheet(e.to_string()))?;
            }
            csv.write_record(std::iter::empty::<&[u8]>())
                .map_err(|e| BundleError::Sheet(e.to_string()))?;
        }
        if self.skip > 0 {
            self.skip -= 1;
            return Ok(());
        }
        self.sheet.push_row(book, row)
    }

    fn end(self, book: &mut rust_xlsxwriter::Workbook) -> Result<Option<PackedPart>, BundleError> {
        let OpenTable { sheet, csv, .. } = self;
        sheet.finish(book)?;
        let Some(csv) = csv else {
            return Ok(None);
        };
        csv.into_inner()
            .map_err(|e| BundleError::Io("tables".into(), e.into_error()))?
            .finish()
            .map(Some)
    }
}

fn stopped() -> BundleError {
    BundleError::Sheet("the report's sheets stopped".into())
}

impl ReportThread {
    /// The thread, with its temporary files in `dir`; the workbook starts with `note` when
    /// kinds are cut.
    pub(super) fn spawn(dir: PathBuf, note: Option<(String, ReportNote)>) -> ReportThread {
        let (sender, receiver) = std::sync::mpsc::sync_channel::<SheetMsg>(16);
        let (hand_over, tables) = std::sync::mpsc::channel();
        let worker = std::thread::spawn(move || {
            // rust_xlsxwriter panics when its temporary files cannot be written (a full
            // disk): caught here, it is this thread's error like any other, and prints nothing.
            let folder = dir.clone();
            crate::panics::quietly(move || write_book(dir, note, receiver, hand_over))
                .unwrap_or_else(|message| Err(panicked(&folder, message)))
        });
        ReportThread {
            sender: Some(sender),
            tables,
            worker: Some(worker),
        }
    }

    pub(super) fn send(&mut self, msg: SheetMsg) -> Result<(), BundleError> {
        let sent = self.sender.as_ref().is_some_and(|s| s.send(msg).is_ok());
        if sent {
            Ok(())
        } else {
            Err(self.why_stopped())
        }
    }

    /// Why the thread stopped early: its own error (a full disk), else that it stopped.
    fn why_stopped(&mut self) -> BundleError {
        self.finish().err().unwrap_or_else(stopped)
    }

    /// Every kind's table, once the last row is written (the workbook is saved after).
    pub(super) fn tables(&mut self) -> Result<Vec<PackedPart>, BundleError> {
        self.send(SheetMsg::Done)?;
        self.sender = None;
        match self.tables.recv() {
            Ok(tables) => Ok(tables),
            Err(_) => Err(self.why_stopped()),
        }
    }

    /// The saved workbook, read from its start (or why it could not be written).
    pub(super) fn finish(&mut self) -> Result<fs::File, BundleError> {
        self.sender = None;
        match self.worker.take().map(|w| w.join()) {
            Some(Ok(result)) => result,
            _ => Err(stopped()),
        }
    }
}

/// A caught panic of the workbook's thread as an error: a full disk as one (in the folder of
/// the temporary files), anything else as the workbook's.
fn panicked(dir: &std::path::Path, message: String) -> BundleError {
    if crate::panics::is_disk_full(&message) {
        BundleError::Io(
            dir.display().to_string(),
            std::io::Error::new(std::io::ErrorKind::StorageFull, message),
        )
    } else {
        BundleError::Sheet(message)
    }
}

/// The workbook's thread: the tables' rows as they come, then the saved workbook.
fn write_book(
    dir: PathBuf,
    note: Option<(String, ReportNote)>,
    receiver: std::sync::mpsc::Receiver<SheetMsg>,
    hand_over: std::sync::mpsc::Sender<Vec<PackedPart>>,
) -> Result<fs::File, BundleError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    // The sheets' rows wait in temporary files too: beside the bundle, not in a
    // system folder that may be small.
    book.set_tempdir(&dir)
        .map_err(|e| BundleError::Sheet(e.to_string()))?;
    if let Some((name, note)) = &note {
        note.write(&mut book, name)
            .map_err(|e| BundleError::Sheet(e.to_string()))?;
    }
    let mut open: Option<OpenTable> = None;
    let mut done = Vec::new();
    let mut complete = false;
    for msg in receiver {
        match msg {
            SheetMsg::Begin(sheet, path, headers, skip, large) => {
                open = Some(OpenTable::begin(&dir, sheet, path, &headers, skip, large)?);
            }
            SheetMsg::Rows(rows) => {
                if let Some(table) = open.as_mut() {
                    for row in rows {
                        table.row(&mut book, row)?;
                    }
                }
            }
            SheetMsg::End => {
                if let Some(table) = open.take() {
                    done.extend(table.end(&mut book)?);
                }
            }
            SheetMsg::Done => {
                complete = true;
                break;
            }
        }
    }
    if !complete {
        return Err(stopped());
    }
    let _ = hand_over.send(done);
    // An .xlsx is compressed already: at a fast level, as it is read once, at the
    // county.
    book.set_zip_compression_level(1);
    let mut file =
        tempfile::tempfile_in(&dir).map_err(|e| BundleError::Io("report.xlsx".into(), e))?;
    // Through `AfterFailure`: the workbook's own zip, dropped after a failed write, finds
    // nothing more to fail on (and prints nothing).
    let mut out = super::super::writer::AfterFailure::new(&mut file);
    let saved = book.save_to_writer(&mut out);
    out.into_inner()
        .map_err(|e| BundleError::Io("report.xlsx".into(), e))?;
    saved.map_err(|e| BundleError::Sheet(e.to_string()))?;
    file.rewind()
        .map_err(|e| BundleError::Io("report.xlsx".into(), e))?;
    Ok(file)
}

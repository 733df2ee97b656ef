//! One record can stop no workbook (#28 item 4): every text field of every kind is given a
//! 40,000-character value (written past the forms' checks, as a damaged or crafted file might
//! hold), and every workbook the station writes — the assessment, the month's figures, the
//! roster, the visitor register, a bundle's report — is written, opens, and holds no cell
//! longer than a spreadsheet's limit.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use calamine::Reader;
use stationdesk::domain::fields::{Described, FieldValue};
use stationdesk::store::{each_kind, KindVisitor, RecordTable, Store};

const LIMIT: usize = 32_767;

/// Every typed text of every record of a kind set to `long`, through the record's JSON (so
/// that no form's check stands in the way).
struct Lengthen<'a> {
    store: &'a mut Store,
    long: &'a str,
    changed: usize,
}

impl KindVisitor for Lengthen<'_> {
    type Error = String;
    fn visit<T: RecordTable>(&mut self) -> Result<(), String> {
        let names: Vec<&str> = <T as Described>::fields()
            .iter()
            .filter(|f| matches!(f.value, FieldValue::Typed(_)))
            .map(|f| f.name)
            .collect();
        // One record of each kind is enough: every text field of it is lengthened.
        let last = self.store.last_rev().unwrap();
        for record in self
            .store
            .changed_between::<T>(0, last)
            .unwrap()
            .into_iter()
            .take(1)
        {
            let mut json = serde_json::to_value(&record).unwrap();
            for name in &names {
                if json.get(*name).is_some_and(|v| v.is_string()) {
                    json[*name] = serde_json::Value::String(self.long.to_string());
                }
            }
            if let Ok(longer) = serde_json::from_value::<T>(json) {
                self.store.update(&longer).unwrap();
                self.changed += 1;
            }
        }
        Ok(())
    }
}

fn run(db: &Path, args: &[&str]) {
    let out = common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("STATIONDESK_LANG")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

/// Every .xlsx under `dir`.
fn workbooks(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(workbooks(&path));
        } else if path.extension().is_some_and(|e| e == "xlsx") {
            found.push(path);
        }
    }
    found
}

/// The longest cell of a workbook, in UTF-16 units.
fn longest_cell(path: &Path) -> usize {
    let mut book = calamine::open_workbook_auto(path).unwrap();
    let mut longest = 0;
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for cell in range.used_cells() {
            longest = longest.max(cell.2.to_string().encode_utf16().count());
        }
    }
    longest
}

#[test]
fn every_workbook_is_written_whatever_the_length_of_a_text() {
    let fx = common::Fixture::new();
    let (_, recipient) = stationdesk::bundle::county_keygen();
    {
        let mut store = fx.station();
        store.set_county_recipient(&recipient).unwrap();
        stationdesk::demo::run_as_of(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed: 2,
                members: 6,
                records: 300,
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
        let long = "长".repeat(40_000);
        let mut lengthen = Lengthen {
            store: &mut store,
            long: &long,
            changed: 0,
        };
        each_kind(&mut lengthen).unwrap();
        assert_eq!(lengthen.changed, 8, "a record of every kind lengthened");
    }
    let out = fx.dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let dir = out.to_str().unwrap();
    run(&fx.path, &["assess", "--year", "2026", "--xlsx", dir]);
    run(&fx.path, &["stats", "--month", "2026-11", "--xlsx", dir]);
    run(
        &fx.path,
        &["roster", "export", "--month", "2026-11", "--out", dir],
    );
    run(&fx.path, &["register", "--month", "2026-11", "--out", dir]);
    run(&fx.path, &["export", "--out", dir, "--plaintext"]);
    run(&fx.path, &["export", "--out", dir]);
    // The plaintext bundle's report, unpacked.
    for entry in std::fs::read_dir(&out).unwrap().flatten() {
        let path = entry.path();
        if path.to_string_lossy().ends_with(".sdb1.zip") {
            let file = std::fs::File::open(&path).unwrap();
            let mut zip = zip::ZipArchive::new(file).unwrap();
            let mut report = zip.by_name("report.xlsx").unwrap();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut report, &mut bytes).unwrap();
            std::fs::write(out.join("bundle-report.xlsx"), bytes).unwrap();
        }
    }
    let books = workbooks(&out);
    assert!(books.len() >= 5, "{books:?}");
    for book in &books {
        let longest = longest_cell(book);
        assert!(longest <= LIMIT, "{}: a cell of {longest}", book.display());
    }
}

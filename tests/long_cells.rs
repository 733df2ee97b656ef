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
    let (identity, recipient) = stationdesk::bundle::county_keygen();
    let key = fx.dir.path().join("county.key");
    std::fs::write(&key, identity).unwrap();
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
    // The county's report, of a station of ordinary records (it refuses lengthened ones).
    let ordinary = common::Fixture::new();
    let bundle = {
        let mut store = ordinary.station();
        store.set_county_recipient(&recipient).unwrap();
        stationdesk::demo::run_as_of(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed: 3,
                members: 6,
                records: 200,
            },
            chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            &mut |_, _| {},
        )
        .unwrap();
        let stick = ordinary.dir.path().join("stick");
        std::fs::create_dir_all(&stick).unwrap();
        stationdesk::bundle::export(&mut store, &stick, Default::default())
            .unwrap()
            .path
    };
    let county_db = fx.dir.path().join("county.db");
    let county = |args: &[&str]| {
        let done = common::command()
            .arg("county")
            .args(args)
            .arg("--county-db")
            .arg(&county_db)
            .arg("--identity")
            .arg(&key)
            .output()
            .unwrap();
        assert!(
            done.status.success(),
            "{args:?}: {}{}",
            String::from_utf8_lossy(&done.stdout),
            String::from_utf8_lossy(&done.stderr)
        );
    };
    county(&["import", bundle.to_str().unwrap()]);
    county(&["report", "--out", out.join("county.xlsx").to_str().unwrap()]);
    // Listing 50 records of a kind: its note sheet prints as the others, and every visit is
    // in the CSV beside the workbook.
    county(&[
        "report",
        "--rows",
        "50",
        "--out",
        out.join("county-50.xlsx").to_str().unwrap(),
    ]);
    assert!(out.join("county-50-来访接待.csv").exists());
    let books = workbooks(&out);
    assert!(books.len() >= 6, "{books:?}");
    for book in &books {
        let longest = longest_cell(book);
        assert!(longest <= LIMIT, "{}: a cell of {longest}", book.display());
        assert_prints_on_a4(book);
    }
}

/// Every sheet of the workbook at `path` prints on A4, one page wide, numbered "第 N 页 共 M
/// 页"; a sheet of many columns (the county's stations, the members' assessment) on landscape;
/// the county report's summary on one page.
fn assert_prints_on_a4(path: &Path) {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let names = zip
        .file_names()
        .map(|n| n.unwrap().to_string())
        .filter(|n| n.starts_with("xl/worksheets/sheet") && n.ends_with(".xml"))
        .collect::<Vec<String>>();
    assert!(!names.is_empty(), "{}", path.display());
    for name in names {
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut zip.by_name(&name).unwrap(), &mut xml).unwrap();
        let at = format!("{} {name}", path.display());
        assert!(xml.contains("paperSize=\"9\""), "{at}: not A4");
        assert!(
            xml.contains("fitToPage=\"1\""),
            "{at}: not fitted to the page"
        );
        assert!(
            !xml.contains("fitToWidth=") || xml.contains("fitToWidth=\"1\""),
            "{at}: not one page wide"
        );
        // The county report's first sheet is its one-page summary, by design; every other
        // sheet runs on for as many pages as it needs.
        let summary = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("county"))
            && name == "xl/worksheets/sheet1.xml";
        if summary {
            // One page tall is the default the file leaves unsaid.
            assert!(
                !xml.contains("fitToHeight=") || xml.contains("fitToHeight=\"1\""),
                "{at}: not on one page"
            );
        } else {
            assert!(
                xml.contains("fitToHeight=\"0\""),
                "{at}: cut to one page long"
            );
        }
        assert!(
            xml.contains("第 &amp;P 页 共 &amp;N 页"),
            "{at}: no page numbers"
        );
        let columns = xml.matches("<col ").count();
        if columns >= 12 {
            assert!(
                xml.contains("orientation=\"landscape\""),
                "{at}: {columns} columns on portrait"
            );
        }
    }
}

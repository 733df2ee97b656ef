//! The record-kind registry, kind by kind: every kind in the one list has a table, is found by
//! every field a person typed, travels in the bundle with readable tables, and opens from a
//! search hit. Real SQLite files, the demo's data, real bundles.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::{BTreeMap, HashSet};
use std::io::{Cursor, Read};

use common::Fixture;
use stationdesk::bundle::{self, ExportOptions};
use stationdesk::domain::consult::{Meeting, MeetingForm};
use stationdesk::domain::RecordKind;
use stationdesk::store::{each_kind, KindVisitor, RecordTable, SearchHit, Store};

fn demo_station(fx: &Fixture) -> Store {
    let mut store = fx.station();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 11,
            members: 10,
            records: 120,
        },
        &mut |_, _| {},
    )
    .unwrap();
    store
}

/// The bundle's files by name.
fn plaintext_files(store: &mut Store, fx: &Fixture) -> BTreeMap<String, Vec<u8>> {
    let dir = fx.dir.path().join("usb");
    std::fs::create_dir_all(&dir).unwrap();
    let out = bundle::export(
        store,
        &dir,
        ExportOptions {
            allow_empty: false,
            all: true,
            plaintext: true,
        },
    )
    .unwrap();
    let bytes = std::fs::read(&out.path).unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut files = BTreeMap::new();
    for i in 0..archive.len() {
        let mut file = archive.by_index(i).unwrap();
        let mut data = Vec::new();
        file.read_to_end(&mut data).unwrap();
        files.insert(file.name().unwrap().to_string(), data);
    }
    files
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a BOM for Excel and WPS");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(&bytes[3..])
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The first two characters of a typed text: what a person types into the search box.
fn two_chars(text: &str) -> String {
    text.trim().chars().take(2).collect()
}

/// Checks one kind of the registry against the demo's records and bundle.
struct CheckKind<'a> {
    store: &'a Store,
    files: &'a BTreeMap<String, Vec<u8>>,
    sheets: Vec<String>,
    checked: Vec<RecordKind>,
    typed_fields_found: Vec<(RecordKind, &'static str)>,
}

impl KindVisitor for CheckKind<'_> {
    type Error = String;
    fn visit<T: RecordTable>(&mut self) -> Result<(), String> {
        let kind = T::KIND;
        assert!(!T::TABLE.is_empty());
        let last = self.store.last_rev().unwrap();
        let records = self.store.changed_between::<T>(0, last).unwrap();
        assert!(!records.is_empty(), "the demo makes {kind} records");

        // Search: every typed field of the kind that the demo filled finds its record by
        // two characters of it.
        for field in T::fields() {
            let Some((record, text)) = records.iter().find_map(|r| {
                field
                    .typed_texts(r)
                    .into_iter()
                    .find(|t| t.trim().chars().count() >= 2)
                    .map(|t| (r, t.to_string()))
            }) else {
                continue;
            };
            let query = two_chars(&text);
            let hits = self.store.search(&query, Some(kind), 100_000).unwrap();
            assert!(
                hits.iter().any(|h| h.id == record.meta().id),
                "{kind}: {} ({}) is not found by {query:?}",
                field.name,
                label(field.label)
            );
            self.typed_fields_found.push((kind, field.name));
        }

        // The bundle: a data file and a table whose columns are the kind's fields.
        let data = &self.files[&format!("data/{}.jsonl", kind.as_str())];
        assert_eq!(
            data.split(|b| *b == b'\n')
                .filter(|l| !l.is_empty())
                .count(),
            records.len()
        );
        let rows = csv_rows(&self.files[&format!("tables/{}.csv", kind.as_str())]);
        let headers: Vec<String> = T::fields().iter().map(|f| label(f.label)).collect();
        assert_eq!(rows[0], headers, "{kind}: the CSV's columns are its fields");
        assert_eq!(rows.len(), records.len() + 1);
        for row in &rows {
            assert_eq!(row.len(), headers.len(), "{kind}: {row:?}");
        }
        // Every field that is shown is filled for some record, but those the demo leaves empty
        // by nature (a deletion time, reasons for what did not happen).
        for (c, field) in T::fields().iter().enumerate() {
            let filled = rows[1..].iter().any(|r| !r[c].is_empty());
            let may_be_empty = matches!(
                field.name,
                "deleted_at"
                    | "reopen_reason"
                    | "referring_unit"
                    | "referral_no"
                    | "extensions"
                    | "swap_with"
                    | "replaces"
                    | "reason"
                    | "signed_out_at"
                    | "judicial"
                    | "amount"
                    | "concluded_on"
                    | "follow_ups"
                    | "outcome"
                    | "follow_up_due"
                    | "feedback"
                    | "follow_up"
                    | "handling"
                    | "links"
                    | "id_number"
                    | "phone"
                    | "address"
                    | "visitor_name"
                    | "specialties"
                    | "submitted_on"
                    | "submitted_to"
                    | "decision"
                    | "research"
                    | "intakes"
                    | "topics"
            );
            assert!(
                filled || may_be_empty,
                "{kind}: the column {} is empty in every row",
                label(field.label)
            );
        }
        self.sheets.push(kind.as_str().to_string());
        self.checked.push(kind);
        Ok(())
    }
}

/// A field's label as a bundle's column shows it (in Chinese).
fn label(key: &str) -> String {
    stationdesk::i18n::message_in(stationdesk::i18n::Language::Chinese, key)
}

/// Every field of every kind is labelled from the locale files, in both languages, and no
/// label is written twice there (a kind's field and the form's field are one key).
#[test]
fn every_described_field_has_one_label_in_both_languages() {
    use stationdesk::domain::fields::Described;
    use stationdesk::i18n::{message_in, Language};
    struct Labels(Vec<(RecordKind, &'static str, &'static str)>);
    impl KindVisitor for Labels {
        type Error = ();
        fn visit<T: RecordTable>(&mut self) -> Result<(), ()> {
            for field in <T as Described>::fields() {
                self.0.push((T::KIND, field.name, field.label));
            }
            Ok(())
        }
    }
    let mut labels = Labels(Vec::new());
    each_kind(&mut labels).unwrap();
    assert!(labels.0.len() > 80, "{} fields", labels.0.len());
    for (kind, name, key) in &labels.0 {
        assert!(key.starts_with("field."), "{kind} {name}: {key}");
        let zh = message_in(Language::Chinese, key);
        let en = message_in(Language::English, key);
        assert!(
            !zh.contains(key) && zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{kind} {name}: no Chinese label for {key} ({zh})"
        );
        assert!(
            !en.contains(key) && en.is_ascii() && !en.is_empty(),
            "{kind} {name}: no English label for {key} ({en})"
        );
    }
    // Within a kind, no two columns read alike.
    for kind in RecordKind::ALL {
        let mut seen = std::collections::HashSet::new();
        for (_, name, key) in labels.0.iter().filter(|(k, _, _)| *k == kind) {
            let zh = message_in(Language::Chinese, key);
            assert!(
                seen.insert(zh.clone()),
                "{kind}: {name} reads {zh} as another column does"
            );
        }
    }
    // No key written twice in a locale file (the later one would win unseen).
    for file in ["zh-CN.yml", "en.yml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("assets/locales")
            .join(file);
        let text = std::fs::read_to_string(path).unwrap();
        let mut keys = std::collections::HashSet::new();
        for line in text.lines() {
            if let Some((key, _)) = line.split_once(": ") {
                if !key.starts_with(' ') && !key.starts_with('#') {
                    assert!(
                        keys.insert(key.to_string()),
                        "{file}: {key} is written twice"
                    );
                }
            }
        }
    }
}

#[test]
fn every_kind_has_a_table_search_a_bundle_file_and_readable_columns() {
    let fx = Fixture::new();
    let mut store = demo_station(&fx);
    let files = plaintext_files(&mut store, &fx);
    let mut check = CheckKind {
        store: &store,
        files: &files,
        sheets: Vec::new(),
        checked: Vec::new(),
        typed_fields_found: Vec::new(),
    };
    each_kind(&mut check).unwrap();
    assert_eq!(check.checked, RecordKind::ALL.to_vec());
    // The fields that are searched include those the first version forgot.
    for (kind, field) in [
        (RecordKind::Case, "parties"),
        (RecordKind::Case, "sessions"),
        (RecordKind::Intake, "request"),
        (RecordKind::Meeting, "recommendations"),
        (RecordKind::Meeting, "minutes"),
        (RecordKind::Member, "name"),
    ] {
        assert!(
            check.typed_fields_found.contains(&(kind, field)),
            "{kind} {field} was searched: {:?}",
            check.typed_fields_found
        );
    }
}

#[test]
fn search_finds_what_the_first_version_missed() {
    use stationdesk::domain::case::Session;
    use stationdesk::domain::consult::{Instruction, InstructionLevel, ReportResult};
    let fx = Fixture::new();
    let mut store = demo_station(&fx);
    let last = store.last_rev().unwrap();
    // A session's place, a report's instruction text, a topic's research notes, where a
    // recommendation was sent: all typed, all found.
    let case = store
        .changed_between::<stationdesk::domain::case::MediationCase>(0, last)
        .unwrap()
        .remove(0);
    let mut changed = case.clone();
    changed.sessions.push(Session {
        on: case.fields.received_on,
        place: "枫桥调解室".into(),
        attendees: "双方当事人".into(),
        notes: "初次调解".into(),
    });
    store.update(&changed).unwrap();
    let report = store
        .changed_between::<stationdesk::domain::consult::Report>(0, last)
        .unwrap()
        .remove(0);
    let mut changed_report = report.clone();
    changed_report.result = ReportResult::Adopted {
        instruction: Some(Instruction {
            by: "县委书记".into(),
            level: InstructionLevel::County,
            text: "请交通局牵头研究夜间共享车位".into(),
        }),
    };
    store.update(&changed_report).unwrap();
    for (query, kind, id) in [
        ("枫桥", RecordKind::Case, case.meta.id),
        ("共享车位", RecordKind::Report, report.meta.id),
        ("县委书记", RecordKind::Report, report.meta.id),
    ] {
        let hits = store.search(query, Some(kind), 1000).unwrap();
        assert!(hits.iter().any(|h| h.id == id), "{query} finds the {kind}");
    }
}

/// Whether a cell holds a code word a person would not read (`answered`, `in_progress`).
fn is_code_word(cell: &str) -> bool {
    !cell.is_empty() && cell.chars().all(|c| c.is_ascii_lowercase() || c == '_') && cell.len() > 2
}

fn check_cell(where_: &str, header: &str, cell: &str, member_ids: &HashSet<String>) {
    assert!(
        !cell.starts_with('{') && !cell.starts_with('['),
        "{where_} {header}: a JSON cell {cell:?}"
    );
    assert!(
        !is_code_word(cell),
        "{where_} {header}: an English code word {cell:?}"
    );
    static UTC: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let utc = UTC.get_or_init(|| regex::Regex::new(r"\d{2}:\d{2}(:\d{2})?(\.\d+)?Z").unwrap());
    assert!(
        !utc.is_match(cell),
        "{where_} {header}: a UTC time {cell:?}"
    );
    if header != "编号" {
        for id in member_ids {
            assert!(
                !cell.contains(id.as_str()),
                "{where_} {header}: a member id where a name belongs: {cell:?}"
            );
        }
    }
}

#[test]
fn the_demo_bundle_tables_hold_words_names_and_local_times() {
    let fx = Fixture::new();
    let mut store = demo_station(&fx);
    let files = plaintext_files(&mut store, &fx);
    let member_ids: HashSet<String> = files["data/member.jsonl"]
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| {
            let v: serde_json::Value = serde_json::from_slice(l).unwrap();
            v["id"].as_str().unwrap().to_string()
        })
        .collect();
    assert!(member_ids.len() >= 10);
    for kind in RecordKind::ALL {
        let name = format!("tables/{}.csv", kind.as_str());
        let rows = csv_rows(&files[&name]);
        assert!(rows.len() > 1, "{name} has rows");
        for row in &rows[1..] {
            for (header, cell) in rows[0].iter().zip(row) {
                check_cell(&name, header, cell, &member_ids);
            }
        }
    }
    // The workbook: the same sheets, the same checks.
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(files["report.xlsx"].clone())).unwrap();
    use calamine::Reader;
    let names = book.sheet_names().to_vec();
    assert_eq!(names.len(), RecordKind::ALL.len());
    for sheet in names {
        let range = book.worksheet_range(&sheet).unwrap();
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(|c| c.to_string()).collect())
            .collect();
        for row in &rows[1..] {
            for (header, cell) in rows[0].iter().zip(row) {
                check_cell(&sheet, header, cell, &member_ids);
            }
        }
    }
}

#[test]
fn minutes_longer_than_a_cell_export_whole_in_the_data_file() {
    let fx = Fixture::new();
    let mut store = demo_station(&fx);
    let topic = store.topics(1).unwrap().remove(0).meta.id;
    let minutes: String = "会议纪要第一段：居民代表发言，讨论停车难问题。"
        .chars()
        .cycle()
        .take(40_000)
        .collect();
    let meeting = store
        .save_meeting(Meeting {
            meta: stationdesk::domain::RecordMeta::unsaved(),
            held_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 20)
                .unwrap()
                .and_hms_opt(15, 0, 0)
                .unwrap(),
            place: "幸福里小区院内".into(),
            form: MeetingForm::Bench,
            host: "李秀兰".into(),
            topics: vec![topic],
            members: Vec::new(),
            guests: Vec::new(),
            minutes: String::new(),
            recommendations: Vec::new(),
        })
        .unwrap();
    store.set_minutes(meeting.meta.id, &minutes).unwrap();
    let files = plaintext_files(&mut store, &fx);
    let whole = files["data/meeting.jsonl"]
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice::<serde_json::Value>(l).unwrap())
        .any(|v| v["minutes"].as_str() == Some(minutes.as_str()));
    assert!(whole, "the data file keeps all 40,000 characters");
    let rows = csv_rows(&files["tables/meeting.csv"]);
    let column = rows[0].iter().position(|h| h == "会议纪要").unwrap();
    let cut = rows[1..]
        .iter()
        .find(|r| r[column].starts_with("会议纪要第一段"))
        .unwrap();
    assert_eq!(cut[column].chars().count(), 32_767);
    assert!(cut[column].ends_with("全文见 data/meeting.jsonl）"));
}

#[test]
fn every_kind_opens_from_a_search_hit() {
    use stationdesk::tui::keymap::KeyContext;
    let fx = Fixture::new();
    drop(demo_station(&fx));
    let last = fx.open().last_rev().unwrap();
    // One record of each kind, and where it opens.
    struct Firsts<'a>(&'a Store, i64, Vec<(RecordKind, uuid::Uuid)>);
    impl KindVisitor for Firsts<'_> {
        type Error = ();
        fn visit<T: RecordTable>(&mut self) -> Result<(), ()> {
            let first = self.0.changed_between::<T>(0, self.1).unwrap().remove(0);
            self.2.push((T::KIND, first.meta().id));
            Ok(())
        }
    }
    let store = fx.open();
    let mut firsts = Firsts(&store, last, Vec::new());
    each_kind(&mut firsts).unwrap();
    let records = firsts.2;
    drop(store);
    for (kind, id) in records {
        let mut app = stationdesk::tui::app::App::new(
            fx.open(),
            common::screen::morning(),
            Some(stationdesk::i18n::Language::Chinese),
        )
        .unwrap();
        app.open_hit(&SearchHit {
            kind,
            id,
            title: String::new(),
            date: String::new(),
            snippet: String::new(),
        })
        .unwrap();
        let expected = match kind {
            RecordKind::Member => KeyContext::FormText,
            RecordKind::Shift => KeyContext::RosterDay,
            RecordKind::Intake => KeyContext::IntakeDetail,
            RecordKind::Case => KeyContext::CaseDetail,
            RecordKind::Topic => KeyContext::TopicDetail,
            RecordKind::Meeting => KeyContext::MeetingDetail,
            RecordKind::Report => KeyContext::ReportDetail,
            RecordKind::Activity => KeyContext::ActivityDetail,
        };
        assert_eq!(app.context(), expected, "{kind} opens where it lives");
    }
}

#[test]
fn an_unknown_stored_state_is_an_error_not_a_default() {
    let fx = Fixture::new();
    let mut store = fx.station();
    let intake = store
        .add_intake(&stationdesk::domain::IntakeFields {
            visited_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
                .unwrap()
                .and_hms_opt(9, 0, 0)
                .unwrap(),
            category: "交通出行/停车".into(),
            request: "小区停车难".into(),
            visitors: 1,
            ..Default::default()
        })
        .unwrap();
    common::connection(&fx.path)
        .unwrap()
        .execute("UPDATE intake SET state = 'escalated'", [])
        .unwrap();
    let read = store.get::<stationdesk::domain::Intake>(intake.meta.id);
    let err = read.expect_err("an unknown state is refused");
    assert!(format!("{err:?}").contains("escalated"), "{err:?}");
}

#[test]
fn the_export_screen_says_when_it_cannot_count_instead_of_showing_nothing() {
    let fx = Fixture::new();
    let store = demo_station(&fx);
    common::connection(&fx.path)
        .unwrap()
        .execute_batch("DROP TABLE report")
        .unwrap();
    let state = stationdesk::tui::screens::export::ExportState::open(&store);
    assert!(state.pending.is_empty());
    let why = state.unreadable.expect("the reason is kept");
    assert!(why.contains("report"), "{why}");
}

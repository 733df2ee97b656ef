//! The member's record, the year's assessment and the month's figures from the command line,
//! as a person runs them: JSON equal to the store's figures, the record's .docx read back
//! paragraph by paragraph, the .xlsx files read back with calamine, and both opened by
//! LibreOffice (where it is installed; `.ci/run` requires it).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use calamine::{Data, Reader, Xlsx};
use chrono::Datelike;
use common::office::{office, page_text, to_pdf};
use stationdesk::domain::performance::Period;
use stationdesk::store::{MemberFilter, Store};

fn run(db: &Path, args: &[&str]) -> Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("STATIONDESK_LANG")
        .output()
        .expect("run stationdesk")
}

fn ok(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn demo(fx: &common::Fixture) -> Store {
    ok(&run(
        &fx.path,
        &["demo", "--members", "12", "--records", "800"],
    ));
    common::try_open(&fx.path).unwrap()
}

fn year() -> i32 {
    chrono::Local::now().year()
}

fn cell(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    range
        .get((row, col))
        .map(|d| d.to_string())
        .unwrap_or_default()
}

#[test]
fn a_member_record_prints_as_json_and_writes_a_docx_that_reads_back() {
    let fx = common::Fixture::new();
    let store = demo(&fx);
    let member = store
        .members_after(&MemberFilter::default(), None, 1)
        .unwrap()
        .remove(0);
    let now = chrono::Local::now().naive_local();
    let expected = store
        .member_record(member.meta.id, Period::Year(year()), now)
        .unwrap();

    let json: serde_json::Value = serde_json::from_str(&ok(&run(
        &fx.path,
        &["record", "--member", &member.fields.name, "--json"],
    )))
    .unwrap();
    assert_eq!(json["record"], serde_json::to_value(&expected).unwrap());
    let assessment = store.assessment_rules().unwrap().assess(&expected);
    assert_eq!(json["assessment"]["total"], assessment.total);
    // By id too, and the whole term.
    let by_id = ok(&run(
        &fx.path,
        &[
            "record",
            "--member",
            &member.meta.id.to_string(),
            "--term",
            "--json",
        ],
    ));
    assert!(by_id.contains("\"term\""), "{by_id}");

    let printed = ok(&run(&fx.path, &["record", "--member", &member.fields.name]));
    assert!(printed.contains("接待来访"), "{printed}");
    assert!(printed.contains("考核："), "{printed}");

    let dir = fx.dir.path().join("out");
    let written = ok(&run(
        &fx.path,
        &[
            "record",
            "--member",
            &member.fields.name,
            "--docx",
            dir.to_str().unwrap(),
        ],
    ));
    let path = Path::new(written.trim());
    assert!(path.starts_with(&dir));
    let paragraphs = stationdesk::documents::docx_text(&std::fs::read(path).unwrap()).unwrap();
    let title = format!("{}委员{}年履职档案", member.fields.name, year());
    assert_eq!(paragraphs[0], title);
    for heading in [
        "一、基本情况",
        "二、值班与接待群众",
        "三、参与人民调解",
        "四、参加协商议事",
        "五、反映社情民意",
        "六、履职活动",
        "七、年度考核",
    ] {
        assert!(
            paragraphs.iter().any(|p| p == heading),
            "{heading}: {paragraphs:?}"
        );
    }
    let duty = format!(
        "排班{}次，到岗{}次，缺岗{}次，请假{}次，调班{}次。接待来访群众{}件，其中已办结{}件。",
        expected.duty.scheduled,
        expected.duty.served,
        expected.duty.missed,
        expected.duty.leave,
        expected.duty.swapped,
        expected.visits.received,
        expected.visits.closed
    );
    assert!(paragraphs.contains(&duty), "{paragraphs:?}");
    let total = format!("合计{}分，考核等次：", assessment.total);
    assert!(
        paragraphs.iter().any(|p| p.starts_with(&total)),
        "{paragraphs:?}"
    );
    // Every activity is listed under its category.
    let listed = paragraphs
        .iter()
        .filter(|p| p.contains(&format!("{}-", year())) && p.contains(". "))
        .count() as i64;
    let behind = expected.figure("activity.all").unwrap()
        + expected.meetings.present
        + expected.research
        + expected.reports.written;
    assert_eq!(listed, behind, "{paragraphs:?}");

    // Without --docx DIR, into documents/ beside the database.
    let default = ok(&run(
        &fx.path,
        &["record", "--member", &member.fields.name, "--docx"],
    ));
    assert!(
        Path::new(default.trim()).starts_with(fx.dir.path().join("documents")),
        "{default}"
    );

    if let Some(soffice) = office() {
        let pdf = to_pdf(&soffice, path);
        let first = page_text(&pdf, 1);
        assert!(first.contains(&title), "{first}");
    }
}

#[test]
fn the_assessment_and_the_month_write_spreadsheets_that_read_back() {
    let fx = common::Fixture::new();
    let store = demo(&fx);
    let now = chrono::Local::now().naive_local();
    let today = now.date();
    let assessed = store.assessments(year(), now).unwrap();

    let json: serde_json::Value =
        serde_json::from_str(&ok(&run(&fx.path, &["assess", "--json"]))).unwrap();
    assert_eq!(json.as_array().unwrap().len(), assessed.len());
    assert_eq!(json[0]["total"], assessed[0].1.total);

    let file = fx.dir.path().join("assess.xlsx");
    ok(&run(
        &fx.path,
        &["assess", "--xlsx", file.to_str().unwrap()],
    ));
    let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
    assert_eq!(book.sheet_names(), vec!["年度考核", "得分明细"]);
    let sheet = book.worksheet_range("年度考核").unwrap();
    assert!(cell(&sheet, 0, 0).contains(&format!("{}年度委员履职考核表", year())));
    assert_eq!(cell(&sheet, 1, 1), "姓名");
    let minimums = assessed[0].1.minimums.len();
    let total_col = 3 + minimums + 3;
    for (i, (_, a)) in assessed.iter().enumerate() {
        assert_eq!(cell(&sheet, 2 + i, 1), a.name);
        assert_eq!(cell(&sheet, 2 + i, total_col), a.total.to_string());
        let grade =
            stationdesk::i18n::message_in(stationdesk::i18n::Language::Chinese, a.grade.key());
        assert_eq!(cell(&sheet, 2 + i, total_col + 1), grade);
    }
    let lines = book.worksheet_range("得分明细").unwrap();
    let per_member = assessed[0].1.points.len() + assessed[0].1.deductions.len();
    assert_eq!(lines.height(), 1 + per_member * assessed.len());

    let month = format!("{}-{:02}", year(), today.month());
    let json: serde_json::Value =
        serde_json::from_str(&ok(&run(&fx.path, &["stats", "--month", &month, "--json"]))).unwrap();
    let stats = store.month_stats(year(), today.month(), now).unwrap();
    assert_eq!(json["visits"], stats.visits);
    let xlsx = fx.dir.path().join("month.xlsx");
    ok(&run(
        &fx.path,
        &["stats", "--month", &month, "--xlsx", xlsx.to_str().unwrap()],
    ));
    let mut book: Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("月度统计").unwrap();
    assert_eq!(
        cell(&sheet, 2, 0),
        format!("来访（按类别，共{}件）", stats.visits)
    );
    if let Some((category, n)) = stats.visit_categories.first() {
        assert_eq!(cell(&sheet, 3, 0), *category);
        assert_eq!(cell(&sheet, 3, 1), n.to_string());
    }

    let bad = run(&fx.path, &["stats", "--month", "2026-13"]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("YYYY-MM"));

    // Every header fits its column on one line (the text layer of a PDF holds a clipped header
    // whole, so the widths are checked where they are set).
    {
        let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
        let sheet = book.worksheet_range("年度考核").unwrap();
        let widths = common::office::column_widths(&file, "xl/worksheets/sheet1.xml");
        for c in 0..sheet.width() {
            let header = cell(&sheet, 1, c);
            let needed = unicode_width::UnicodeWidthStr::width(header.as_str()) as f64;
            let width = widths.get(&(c + 1)).copied().unwrap_or(8.43);
            assert!(
                width >= needed,
                "{header}: a column {width} wide for {needed}"
            );
        }
    }
    if let Some(soffice) = office() {
        // Printed: landscape A4, every column's header whole on the first page, the title
        // whole; the month's sheet on portrait with its title whole.
        let pdf = to_pdf(&soffice, &file);
        let first = page_text(&pdf, 1);
        assert!(first.contains("履职考核表"), "{first}");
        assert!(
            common::office::page_size(&pdf).starts_with("841"),
            "{}",
            common::office::page_size(&pdf)
        );
        let mut book: Xlsx<_> = calamine::open_workbook(&file).unwrap();
        let sheet = book.worksheet_range("年度考核").unwrap();
        for c in 0..sheet.width() {
            let header = cell(&sheet, 1, c);
            assert!(
                first.contains(&header),
                "{header} missing on paper:\n{first}"
            );
        }
        let pdf = to_pdf(&soffice, &xlsx);
        let first = page_text(&pdf, 1);
        let title = format!("{}年{}月工作统计", year(), today.month());
        assert!(first.contains(&title), "{title}:\n{first}");
        assert!(
            common::office::page_size(&pdf).starts_with("595"),
            "{}",
            common::office::page_size(&pdf)
        );
    }
}

#[test]
fn a_bad_rules_file_is_refused_from_the_command_line_with_the_reason() {
    let fx = common::Fixture::new();
    let _ = demo(&fx);
    let lists = fx.dir.path().join("lists");
    std::fs::create_dir_all(&lists).unwrap();
    std::fs::write(lists.join("assessment.toml"), "base = \n").unwrap();
    let out = run(&fx.path, &["assess"]);
    assert!(!out.status.success());
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("assessment.toml") && said.contains("格式有误"),
        "{said}"
    );
    assert!(!said.contains("panicked"));
}

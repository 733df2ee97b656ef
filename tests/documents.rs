//! The documents the desk writes, checked as offices will see them: the .docx package's page
//! setup and font names read back; and, where LibreOffice is installed (`.ci/run` installs it,
//! and sets STATIONDESK_REQUIRE_OFFICE=1 so that it cannot be skipped there), each document
//! converted to PDF with `soffice --headless`, its pages counted with `pdfinfo` and read with
//! `pdftotext -layout` page by page.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use stationdesk::documents::register::{Contact, RegisterContext, RegisterVisit};
use stationdesk::documents::{AgreementContext, SigningDate};
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseSource, MediationCase, Outcome, Party, PartyRole, Session,
};
use stationdesk::store::Store;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

// --- LibreOffice and poppler -------------------------------------------------------------

use common::office::{office, page_size, page_text, pages, to_pdf};

// --- The package read back ---------------------------------------------------------------

fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut entry = archive.by_name(name).unwrap();
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    text
}

/// The page setup, the fonts and the header rows, as Word and WPS will read them.
fn assert_house_style(docx: &[u8], landscape: bool) {
    let document = part(docx, "word/document.xml");
    let styles = part(docx, "word/styles.xml");
    let fonts = part(docx, "word/fontTable.xml");
    if landscape {
        assert!(
            document.contains(r#"<w:pgSz w:w="16838" w:h="11906" w:orient="landscape" />"#),
            "landscape A4"
        );
        assert!(document
            .contains(r#"<w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134""#));
    } else {
        assert!(
            document.contains(r#"<w:pgSz w:w="11906" w:h="16838""#),
            "portrait A4"
        );
        // GB/T 9704: top 37 mm, left 28 mm, a text block of 156 × 225 mm.
        assert!(
            document
                .contains(r#"<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587""#),
            "official margins"
        );
    }
    assert!(
        styles.contains(r#"w:eastAsia="仿宋""#),
        "the body is in 仿宋"
    );
    assert!(fonts.contains(r#"<w:font w:name="仿宋"><w:altName w:val="FangSong"/>"#));
    assert!(fonts.contains(r#"<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>"#));
    assert!(!document.contains("StationdeskRepeatHeader"));
}

// --- What the documents are made of ------------------------------------------------------

fn member(store: &mut Store, name: &str) -> uuid::Uuid {
    let mut fields = common::member(name);
    fields.mediator = true;
    store.add_member(&fields).unwrap().meta.id
}

fn party(role: PartyRole, name: &str, contact: &str, id_number: &str) -> Party {
    Party {
        role,
        name: name.into(),
        contact: contact.into(),
        id_number: id_number.into(),
    }
}

/// A usual case: three parties, three terms, two mediators, concluded with an agreement.
fn concluded_case(store: &mut Store, facts: &str) -> MediationCase {
    concluded_case_with(
        store,
        facts,
        "一、陈海于2026年11月20日前负责修复刘志强家天花板\n\
         二、陈海补偿刘志强人民币3000元\n\
         三、宏达装修公司承担修复所需材料费用",
    )
}

fn concluded_case_with(store: &mut Store, facts: &str, terms: &str) -> MediationCase {
    let wang = member(store, "王建国");
    let li = member(store, "李秀兰");
    let case = store
        .register_case(
            &CaseFields {
                received_on: day(2026, 11, 2),
                source: CaseSource::WalkIn,
                dispute_type: "邻里纠纷".into(),
                parties: vec![
                    party(
                        PartyRole::Applicant,
                        "刘志强",
                        "13900001111",
                        "11010519491231002X",
                    ),
                    party(PartyRole::Respondent, "陈海", "幸福里3号楼502", ""),
                    party(PartyRole::ThirdParty, "宏达装修公司", "0571-88886666", ""),
                ],
                facts: facts.into(),
                points: "修复责任和赔偿数额".into(),
                amount_fen: Some(300_000),
                mediators: vec![wang, li],
                ..CaseFields::default()
            },
            None,
        )
        .unwrap();
    store
        .case_event(
            case.meta.id,
            CaseEvent::RecordSession(Session {
                on: day(2026, 11, 5),
                place: "工作站调解室".into(),
                attendees: "刘志强、陈海".into(),
                notes: "双方陈述".into(),
            }),
        )
        .unwrap();
    store
        .case_event(
            case.meta.id,
            CaseEvent::Conclude {
                on: day(2026, 11, 10),
                outcome: Outcome::Success {
                    terms: terms.into(),
                    method: "现金一次性支付，工作站见证".into(),
                    deadline: day(2026, 12, 10),
                },
            },
        )
        .unwrap()
}

fn agreement_bytes(store: &Store, case: &MediationCase) -> Vec<u8> {
    let station = store.station().unwrap().unwrap();
    let mediators = store.member_names(&case.fields.mediators).unwrap();
    let context = AgreementContext {
        station: &station,
        mediators: &mediators,
        committee: "青溪镇人民调解委员会",
        date: SigningDate::Filled,
    };
    stationdesk::documents::agreement_docx(case, &context).unwrap()
}

const SIGNERS: [&str; 5] = [
    "刘志强（签名或盖章、按指印）",
    "陈海（签名或盖章、按指印）",
    "宏达装修公司（签名或盖章、按指印）",
    "王建国（签名）",
    "李秀兰（签名）",
];

#[test]
fn the_agreement_is_in_the_house_style() {
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let case = concluded_case(&mut store, "楼上装修导致楼下天花板开裂");
    assert_house_style(&agreement_bytes(&store, &case), false);
}

#[test]
fn each_copy_of_a_usual_agreement_is_one_page_with_its_signatures_and_seal() {
    let Some(soffice) = office() else { return };
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let case = concluded_case(&mut store, "楼上装修导致楼下天花板开裂\n多次协商未果");
    let file = fx.dir.path().join("agreement.docx");
    std::fs::write(&file, agreement_bytes(&store, &case)).unwrap();
    let pdf = to_pdf(&soffice, &file);
    assert_eq!(
        pages(&pdf),
        4,
        "three parties and the committee: four copies"
    );
    assert!(page_size(&pdf).contains("(A4)"), "{}", page_size(&pdf));
    let holders = [
        "（申请人刘志强存）",
        "（被申请人陈海存）",
        "（第三人宏达装修公司存）",
        "（人民调解委员会存档）",
    ];
    for (page, holder) in (1..=4).zip(holders) {
        let text = page_text(&pdf, page);
        assert!(text.contains(holder), "page {page}: {text}");
        for term in ["一、陈海于", "二、陈海补偿", "三、宏达装修公司承担"] {
            assert!(text.contains(term), "page {page} lacks {term}: {text}");
        }
        for signer in SIGNERS {
            assert!(text.contains(signer), "page {page} lacks {signer}: {text}");
        }
        assert!(text.contains("青溪镇人民调解委员会（盖章）"), "page {page}");
        assert!(text.contains("2026年11月10日"), "page {page}");
        assert!(!text.contains("工作站（盖章）"));
    }
}

/// A case of ordinary length — three parties, four terms, 600 characters of facts — never
/// leaves a copy's signatures alone on a page: its last clauses go with them. (It takes three
/// pages a copy at GB/T 9704 sizes, 22 lines of 28 characters a page; see docs/desk.md.)
#[test]
fn an_ordinary_agreement_keeps_its_last_clauses_with_the_signatures() {
    let Some(soffice) = office() else { return };
    let fx = common::Fixture::new();
    let mut store = fx.station();
    // 17 lines, 619 characters: here (Noto Serif CJK for 仿宋) the block fell alone on a
    // third page of each copy before its last clauses were kept with it.
    let facts: String = (1..=17)
        .map(|n| format!("第{n}次：楼上装修导致楼下天花板开裂渗水，双方就责任和赔偿反复协商未果。"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(facts.chars().count() >= 600, "{}", facts.chars().count());
    let case = concluded_case_with(
        &mut store,
        &facts,
        "一、陈海于2026年11月20日前负责修复刘志强家天花板\n\
         二、陈海补偿刘志强人民币3000元\n\
         三、宏达装修公司承担修复所需材料费用\n\
         四、修复完成后双方共同验收，刘志强不再追究其他责任",
    );
    let file = fx.dir.path().join("ordinary.docx");
    std::fs::write(&file, agreement_bytes(&store, &case)).unwrap();
    let pdf = to_pdf(&soffice, &file);
    let count = pages(&pdf);
    eprintln!("an ordinary agreement: {count} pages for 4 copies");
    let mut seals = 0;
    for page in 1..=count {
        let text = page_text(&pdf, page);
        if text.contains("青溪镇人民调解委员会（盖章）") {
            seals += 1;
            assert!(
                text.contains("本协议一式四份"),
                "page {page} holds the signatures without the last clause: {text}"
            );
        }
    }
    assert_eq!(seals, 4, "one signature block per copy");
}

#[test]
fn a_long_agreement_never_splits_its_signature_block() {
    let Some(soffice) = office() else { return };
    let fx = common::Fixture::new();
    let mut store = fx.station();
    // Facts long enough that a copy cannot fit on one page.
    let facts: Vec<String> = (1..=14)
        .map(|n| {
            format!(
                "第{n}次协商：双方就天花板开裂的原因、修复方案和赔偿数额各执一词，未能达成一致意见"
            )
        })
        .collect();
    let case = concluded_case(&mut store, &facts.join("\n"));
    let file = fx.dir.path().join("long.docx");
    std::fs::write(&file, agreement_bytes(&store, &case)).unwrap();
    let pdf = to_pdf(&soffice, &file);
    let count = pages(&pdf);
    assert!(count > 4, "the copies run over: {count} pages");
    let mut seals = 0;
    for page in 1..=count {
        let text = page_text(&pdf, page);
        let signers = SIGNERS.iter().filter(|s| text.contains(**s)).count();
        let sealed = text.contains("青溪镇人民调解委员会（盖章）");
        // The block is whole where it is: every signer and the seal on one page, or none.
        assert!(
            (signers == SIGNERS.len() && sealed) || (signers == 0 && !sealed),
            "page {page} splits the block: {signers} signers, seal {sealed}: {text}"
        );
        seals += usize::from(sealed);
    }
    assert_eq!(seals, 4, "one signature block per copy");
}

fn demo_store(fx: &common::Fixture) -> Store {
    let mut store = fx.open();
    stationdesk::demo::run_as_of(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 7,
            members: 30,
            records: 1200,
        },
        day(2026, 11, 30),
        &mut |_, _| {},
    )
    .unwrap();
    store
}

fn write_register(store: &Store, dir: &Path, contact: Contact) -> ([PathBuf; 2], usize) {
    let station = store.station().unwrap().unwrap();
    let (from, to) = (day(2026, 11, 1), day(2026, 11, 30));
    let listings = store.register_visits(from, to).unwrap();
    let visits: Vec<RegisterVisit<'_>> = listings
        .iter()
        .map(|l| RegisterVisit {
            intake: &l.intake,
            member: l.member_name.as_deref(),
        })
        .collect();
    let context = RegisterContext {
        station: &station,
        from,
        to,
        contact,
    };
    let written = stationdesk::documents::register::write_register(&visits, &context, dir).unwrap();
    (written, visits.len())
}

#[test]
fn the_register_lists_the_month_oldest_first_with_contacts_masked_or_whole() {
    let fx = common::Fixture::new();
    let store = demo_store(&fx);
    let dir = fx.dir.path().join("out");
    let ([docx, xlsx], count) = write_register(&store, &dir, Contact::Masked);
    assert!(count > 40, "a demo month has visits: {count}");
    let bytes = std::fs::read(&docx).unwrap();
    assert_house_style(&bytes, true);
    assert!(
        part(&bytes, "word/document.xml").contains("<w:tblHeader />"),
        "the header row repeats"
    );
    let text = stationdesk::documents::docx_text(&bytes).unwrap();
    assert!(text[0].ends_with("来访登记簿"));
    assert_eq!(text[1], "（2026年11月1日至2026年11月30日）");
    assert!(text
        .iter()
        .any(|p| p == &format!("共{count}条。联系方式已部分隐去。")));
    // Read back with calamine: a header row, then one row per visit, oldest first, numbered.
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&xlsx).unwrap();
    let sheet = book.worksheet_range("来访登记簿").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(rows[2][0], "序号");
    assert_eq!(rows[2][4], "诉求内容");
    assert_eq!(rows.len(), 3 + count);
    let times: Vec<&String> = rows[3..].iter().map(|r| &r[1]).collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    assert!(times.iter().all(|t| t.starts_with("2026-11-")));
    assert_eq!(rows[3][0], "1");
    let phones: Vec<&String> = rows[3..]
        .iter()
        .map(|r| &r[3])
        .filter(|p| !p.is_empty())
        .collect();
    assert!(!phones.is_empty());
    assert!(phones.iter().all(|p| p.contains("****")), "{phones:?}");
    // Whole numbers when asked.
    let whole_dir = fx.dir.path().join("whole");
    let ([_, whole], _) = write_register(&store, &whole_dir, Contact::Whole);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&whole).unwrap();
    let sheet = book.worksheet_range("来访登记簿").unwrap();
    assert!(sheet
        .rows()
        .skip(3)
        .filter_map(|r| r.get(3).map(|c| c.to_string()))
        .any(|p| p.len() == 11 && p.chars().all(|c| c.is_ascii_digit())));
}

#[test]
fn the_register_of_a_demo_month_has_its_header_on_every_page() {
    let Some(soffice) = office() else { return };
    let fx = common::Fixture::new();
    let store = demo_store(&fx);
    let ([docx, xlsx], count) = write_register(&store, &fx.dir.path().join("out"), Contact::Masked);
    for file in [docx, xlsx] {
        let pdf = to_pdf(&soffice, &file);
        let n = pages(&pdf);
        assert!(
            n >= 2,
            "{count} visits run over pages: {n} in {}",
            file.display()
        );
        assert!(
            page_size(&pdf).starts_with("841"),
            "landscape: {}",
            page_size(&pdf)
        );
        for page in 1..=n {
            let text = page_text(&pdf, page);
            for header in [
                "序号",
                "来访时间",
                "来访人",
                "联系方式",
                "诉求内容",
                "办理情况",
            ] {
                assert!(
                    text.contains(header),
                    "page {page} of {} lacks {header}: {text}",
                    file.display()
                );
            }
        }
        let last = page_text(&pdf, n);
        assert!(last.contains(&format!("第{n}页")) || last.contains(&format!("—{n}—")));
        // Every visit's date stands whole on its line ("2026-11-" and "23" apart is a cut).
        for page in 1..=n {
            let text = page_text(&pdf, page);
            let cut = text.split_whitespace().find(|t| {
                t.len() == 8 && t.ends_with('-') && t[..4].chars().all(|c| c.is_ascii_digit())
            });
            assert!(
                cut.is_none(),
                "a date cut on page {page} of {}: {text}",
                file.display()
            );
        }
    }
}

#[test]
fn the_minutes_are_in_the_house_style_with_page_numbers() {
    let fx = common::Fixture::new();
    let store = demo_store(&fx);
    let station = store.station().unwrap().unwrap();
    let meeting = store
        .meetings(50)
        .unwrap()
        .into_iter()
        .max_by_key(|m| m.minutes.len())
        .unwrap();
    let ids: Vec<uuid::Uuid> = meeting.members.iter().map(|m| m.member_id).collect();
    let names: Vec<(uuid::Uuid, String)> = ids
        .iter()
        .copied()
        .zip(store.member_names(&ids).unwrap())
        .collect();
    let context = stationdesk::documents::minutes::MinutesContext {
        station: &station,
        member_names: &names,
        topic_titles: &["幸福里小区停车难".to_string()],
    };
    let dir = fx.dir.path().join("out");
    let file = stationdesk::documents::minutes::write_minutes(&meeting, &context, &dir).unwrap();
    let bytes = std::fs::read(&file).unwrap();
    assert_house_style(&bytes, false);
    assert!(part(&bytes, "word/document.xml").contains(r#"w:eastAsia="方正小标宋简体""#));
    let footer = (1..=3)
        .map(|n| format!("word/footer{n}.xml"))
        .find_map(|name| {
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).ok()?;
            let mut text = String::new();
            archive
                .by_name(&name)
                .ok()?
                .read_to_string(&mut text)
                .ok()?;
            Some(text)
        })
        .unwrap();
    assert!(footer.contains("PAGE"), "a page number field: {footer}");
    let Some(soffice) = office() else { return };
    let pdf = to_pdf(&soffice, &file);
    let text = page_text(&pdf, 1);
    assert!(text.contains("协商议事会议纪要"), "{text}");
    assert!(text.contains("—1—"), "the page number: {text}");
}

/// Writes the samples docs/data.md shows into STATIONDESK_SAMPLES (see
/// `docs/render-samples.sh`, which turns their first pages into PNG files).
#[test]
#[ignore]
fn write_samples() {
    let out = PathBuf::from(std::env::var("STATIONDESK_SAMPLES").unwrap_or("/tmp/samples".into()));
    std::fs::create_dir_all(&out).unwrap();
    let fx = common::Fixture::new();
    let mut store = fx.station();
    let case = concluded_case(&mut store, "楼上装修导致楼下天花板开裂\n多次协商未果");
    std::fs::write(out.join("agreement.docx"), agreement_bytes(&store, &case)).unwrap();
    let demo = common::Fixture::new();
    let store = demo_store(&demo);
    let ([docx, _], _) = write_register(&store, &demo.dir.path().join("out"), Contact::Masked);
    std::fs::copy(docx, out.join("register.docx")).unwrap();
}

#[test]
fn the_spreadsheets_print_on_a4_with_their_headers() {
    let fx = common::Fixture::new();
    let store = demo_store(&fx);
    let ([_, register], _) = write_register(&store, &fx.dir.path().join("out"), Contact::Masked);
    drop(store);
    let out_dir = fx.dir.path().join("roster");
    let out = common::command()
        .arg("--db")
        .arg(&fx.path)
        .args(["roster", "export", "--month", "2026-11", "--out"])
        .arg(&out_dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let roster = out_dir.join("值班表-2026-11.xlsx");
    for (file, landscape) in [(&register, true), (&roster, false)] {
        let sheet = part(&std::fs::read(file).unwrap(), "xl/worksheets/sheet1.xml");
        assert!(sheet.contains(r#"paperSize="9""#), "A4: {}", file.display());
        assert!(
            sheet.contains(r#"fitToWidth="1""#) || sheet.contains("fitToPage"),
            "one page wide"
        );
        assert_eq!(sheet.contains(r#"orientation="landscape""#), landscape);
        let book = part(&std::fs::read(file).unwrap(), "xl/workbook.xml");
        assert!(
            book.contains("_xlnm.Print_Titles"),
            "the header row repeats"
        );
    }
    let Some(soffice) = office() else { return };
    let pdf = to_pdf(&soffice, &roster);
    assert_eq!(pages(&pdf), 1, "the month's roster is one page");
    assert!(page_size(&pdf).contains("(A4)"), "{}", page_size(&pdf));
    assert!(page_text(&pdf, 1).contains("2026年11月委员值班表"));
}

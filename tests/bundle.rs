//! County bundles end to end: export, verify, import, and every refusal, on real files; and
//! interoperability with the standard tools (`age`, `unzip`, `minisign`, `sha256sum`).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::county::{county, county_bytes, import, County};
use common::Fixture;
use stationdesk::bundle::{self, BundleError, CountyDb, ExportOptions, ImportOutcome};
use stationdesk::domain::case::{
    CaseEvent, CaseFields, CaseSource, MediationCase, Outcome, Party, PartyRole, Session,
};
use stationdesk::domain::consult::{Meeting, Report, Topic};
use stationdesk::domain::roster::Shift;
use stationdesk::domain::{Intake, IntakeFields, Member};
use stationdesk::store::{RecordTable, Store};

fn station(fx: &Fixture, recipient: &str) -> Store {
    let mut store = fx.station();
    store.set_county_recipient(recipient).unwrap();
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 7,
            members: 12,
            records: 60,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let mut visit = IntakeFields {
        visited_at: chrono::NaiveDate::from_ymd_opt(2026, 11, 2)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap(),
        visitor_name: "王大爷".into(),
        phone: "13912345678".into(),
        id_number: "11010519491231002X".into(),
        visitors: 1,
        category: "交通出行/停车".into(),
        request: "=HYPERLINK(\"x\") 他说电话是13912345678".into(),
        ..IntakeFields::default()
    };
    visit.address = "幸福里小区".into();
    store.add_intake(&visit).unwrap();
    // A case with several parties, sessions and an agreement.
    let mut lawyer = common::member("王建国");
    lawyer.mediator = true;
    let lawyer = store.add_member(&lawyer).unwrap();
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    let party = |role, name: &str, contact: &str| Party {
        role,
        name: name.into(),
        contact: contact.into(),
        id_number: String::new(),
    };
    let case = store
        .register_case(
            &CaseFields {
                received_on: day(3),
                source: CaseSource::Police,
                referring_unit: "青溪派出所".into(),
                referral_no: "警调字〔2026〕18号".into(),
                dispute_type: "邻里纠纷".into(),
                parties: vec![
                    party(PartyRole::Applicant, "刘志强", "13900001111"),
                    party(PartyRole::Respondent, "陈海", "幸福里3号楼"),
                    party(PartyRole::ThirdParty, "宏达装修公司", ""),
                ],
                facts: "装修导致天花板开裂".into(),
                points: String::new(),
                amount_fen: Some(300_000),
                mediators: vec![lawyer.meta.id],
            },
            None,
        )
        .unwrap();
    for (d, notes) in [(5, "双方陈述"), (9, "达成一致")] {
        store
            .case_event(
                case.meta.id,
                CaseEvent::RecordSession(Session {
                    on: day(d),
                    place: "工作站".into(),
                    attendees: "双方".into(),
                    notes: notes.into(),
                }),
            )
            .unwrap();
    }
    store
        .case_event(
            case.meta.id,
            CaseEvent::Conclude {
                on: day(10),
                outcome: Outcome::Success {
                    terms: "陈海修复并补偿3000元".into(),
                    method: "现金".into(),
                    deadline: day(30),
                },
            },
        )
        .unwrap();
    store
}

/// Every record of a kind in the station, as JSON, by id.
fn local_records<T: RecordTable>(store: &Store) -> Vec<serde_json::Value> {
    let mut all: Vec<serde_json::Value> = store
        .changed_since::<T>(0, 100_000)
        .unwrap()
        .iter()
        .map(|r| serde_json::to_value(r).unwrap())
        .collect();
    all.sort_by_key(|v| v["id"].as_str().unwrap().to_string());
    all
}

fn county_records(db: &CountyDb, kind: &str) -> Vec<serde_json::Value> {
    let mut all = db.records(kind).unwrap();
    all.sort_by_key(|v| v["id"].as_str().unwrap().to_string());
    all
}

fn out_dir(fx: &Fixture) -> PathBuf {
    let dir = fx.dir.path().join("usb");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tool(name: &str) -> bool {
    Command::new(name).arg("--version").output().is_ok()
        || Command::new(name).arg("-h").output().is_ok()
}

#[test]
fn round_trip_field_by_field_and_incremental() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let first = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    assert!(first
        .path
        .file_name()
        .unwrap()
        .to_string_lossy()
        .ends_with("-0001.sdb1"));
    let locals = [
        ("member", local_records::<Member>(&store)),
        ("shift", local_records::<Shift>(&store)),
        ("intake", local_records::<Intake>(&store)),
        ("case", local_records::<MediationCase>(&store)),
        ("topic", local_records::<Topic>(&store)),
        ("meeting", local_records::<Meeting>(&store)),
        ("report", local_records::<Report>(&store)),
        (
            "activity",
            local_records::<stationdesk::domain::activity::Activity>(&store),
        ),
    ];
    let total: usize = locals.iter().map(|(_, r)| r.len()).sum();
    match import(&c, &first.path).unwrap() {
        ImportOutcome::Imported { records, .. } => assert_eq!(records as usize, total),
        other => panic!("{other:?}"),
    }
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    for (kind, local) in &locals {
        assert!(!local.is_empty(), "{kind}");
        assert_eq!(
            &county_records(&db, kind),
            local,
            "the county holds exactly the station's {kind} records, field by field"
        );
    }
    let cases = county_records(&db, "case");
    let agreed = cases
        .iter()
        .find(|c| c["referral_no"] == "警调字〔2026〕18号")
        .unwrap();
    assert_eq!(agreed["parties"].as_array().unwrap().len(), 3);
    assert_eq!(agreed["sessions"].as_array().unwrap().len(), 2);
    assert_eq!(agreed["outcome"]["result"], "success");
    let members = store
        .members_after(
            &stationdesk::store::MemberFilter {
                include_inactive: true,
                ..Default::default()
            },
            None,
            100,
        )
        .unwrap();
    drop(db);

    // Edits travel in the next bundle, and only they.
    let one = members[0].clone();
    let mut fields = one.fields.clone();
    fields.specialties = "社区治理".into();
    store.edit_member(one.meta.id, &fields).unwrap();
    store.delete::<Member>(members[1].meta.id).unwrap();
    let second = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    assert_eq!(second.manifest.seq, 2);
    assert_eq!(
        second.manifest.counts,
        vec![
            ("member".to_string(), 2),
            ("shift".to_string(), 0),
            ("intake".to_string(), 0),
            ("case".to_string(), 0),
            ("topic".to_string(), 0),
            ("meeting".to_string(), 0),
            ("report".to_string(), 0),
            ("activity".to_string(), 0)
        ]
    );
    assert!(matches!(
        import(&c, &second.path).unwrap(),
        ImportOutcome::Imported { records: 2, .. }
    ));
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let edited = db
        .records("member")
        .unwrap()
        .into_iter()
        .find(|m| m["id"] == one.meta.id.to_string())
        .unwrap();
    assert_eq!(edited["specialties"], "社区治理");
    let deleted = db
        .records("member")
        .unwrap()
        .into_iter()
        .find(|m| m["id"] == members[1].meta.id.to_string())
        .unwrap();
    assert!(deleted["deleted_at"].is_string());
    // Nothing changed: a third bundle carries nothing and still chains.
    let history = store.bundles().unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].seq, 2);
}

#[test]
fn the_standard_tools_read_every_part() {
    for name in ["age", "unzip", "minisign", "sha256sum"] {
        assert!(
            tool(name),
            "the interoperability test needs {name} (.ci/run installs it)"
        );
    }
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    let work = fx.dir.path().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let zip = work.join("bundle.zip");
    let status = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&c.key)
        .arg("-o")
        .arg(&zip)
        .arg(&out.path)
        .status()
        .unwrap();
    assert!(status.success(), "age -d");
    let status = Command::new("unzip").arg("-t").arg(&zip).output().unwrap();
    assert!(
        status.status.success(),
        "unzip -t: {}",
        String::from_utf8_lossy(&status.stdout)
    );
    let status = Command::new("unzip")
        .arg("-q")
        .arg(&zip)
        .arg("-d")
        .arg(&work)
        .status()
        .unwrap();
    assert!(status.success());
    let public = work.join("station.pub");
    std::fs::write(&public, store.station().unwrap().unwrap().public_key).unwrap();
    let verify = Command::new("minisign")
        .arg("-V")
        .arg("-p")
        .arg(&public)
        .arg("-m")
        .arg(work.join("manifest.json"))
        .output()
        .unwrap();
    assert!(
        verify.status.success(),
        "minisign -V: {}",
        String::from_utf8_lossy(&verify.stderr)
    );
    for entry in &out.manifest.files {
        let sum = Command::new("sha256sum")
            .arg(work.join(&entry.path))
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&sum.stdout).to_string();
        assert_eq!(
            text.split_whitespace().next(),
            Some(entry.sha256.as_str()),
            "{}",
            entry.path
        );
    }
    // A bundle for the county carries no tables (its data files hold the same); a plaintext
    // one, for people to read, does, and its CSV opens in Excel/WPS: BOM, Chinese intact,
    // formulas defused.
    assert_eq!(out.manifest.format, "stationdesk-bundle/3");
    assert!(
        out.manifest
            .files
            .iter()
            .all(|f| !f.path.starts_with("tables/")),
        "{:?}",
        out.manifest.files
    );
    assert!(!work.join("tables").exists());
    let plain = bundle::export(
        &mut store,
        &out_dir(&fx),
        ExportOptions {
            plaintext: true,
            all: true,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    let readable = fx.dir.path().join("readable");
    let status = Command::new("unzip")
        .arg("-q")
        .arg(&plain.path)
        .arg("-d")
        .arg(&readable)
        .status()
        .unwrap();
    assert!(status.success());
    let csv = std::fs::read(readable.join("tables/intake.csv")).unwrap();
    assert_eq!(&csv[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(csv[3..].to_vec()).unwrap();
    assert!(text.starts_with("编号,来访时间,来访人"), "{text}");
    assert!(text.contains("'=HYPERLINK"), "formula defused");
    // report.xlsx reads back with an XLSX reader: the ID number is text, whole.
    use calamine::{DataType, Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(work.join("report.xlsx")).unwrap();
    // On paper: the workbook's first sheet on A4, one page wide, its headers on page 1, the
    // pages numbered.
    if let Some(soffice) = common::office::office() {
        let pdf = common::office::to_pdf(&soffice, &work.join("report.xlsx"));
        let size = common::office::page_size(&pdf);
        assert!(size.contains("(A4)"), "A4: {size}");
        let first = common::office::page_text(&pdf, 1);
        let sheet = book.worksheet_range_at(0).unwrap().unwrap();
        let headers: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string().replace(' ', ""))
            .collect();
        for header in headers.iter().filter(|h| !h.is_empty()) {
            assert!(
                first.contains(header.as_str()),
                "{header} not on page 1:\n{first}"
            );
        }
        assert!(first.contains("第1页"), "numbered: {first}");
    }
    let intakes = book.worksheet_range("来访接待").unwrap();
    assert_eq!(
        intakes.get_size().0,
        local_records::<Intake>(&store).len() + 1
    );
    let id_column = intakes
        .rows()
        .next()
        .unwrap()
        .iter()
        .position(|c| c.as_string().as_deref() == Some("身份证号"))
        .unwrap();
    assert!(intakes
        .rows()
        .any(|r| r[id_column].as_string().as_deref() == Some("11010519491231002X")));
    // An identity made by age-keygen works with stationdesk too.
    let other = work.join("keygen.key");
    let made = Command::new("age-keygen")
        .arg("-o")
        .arg(&other)
        .output()
        .unwrap();
    assert!(made.status.success());
    let recipient = String::from_utf8_lossy(&made.stderr)
        .trim()
        .rsplit(' ')
        .next()
        .unwrap()
        .to_string();
    store.set_county_recipient(&recipient).unwrap();
    let again = bundle::export(
        &mut store,
        &out_dir(&fx),
        ExportOptions {
            allow_empty: false,
            all: true,
            plaintext: false,
        },
    )
    .unwrap();
    let identities = bundle::load_identities(&other).unwrap();
    bundle::verify(&std::fs::read(&again.path).unwrap(), &identities).unwrap();
}

/// Decrypts a bundle, lets `change` alter the zip's parts, zips and encrypts it again.
fn tampered(c: &County, file: &Path, change: impl Fn(&str, &mut Vec<u8>)) -> Vec<u8> {
    let identities = bundle::load_identities(&c.key).unwrap();
    let bytes = std::fs::read(file).unwrap();
    let decryptor = age::Decryptor::new(&bytes[..]).unwrap();
    let mut zipped = Vec::new();
    decryptor
        .decrypt(identities.iter().map(|i| i.as_ref() as &dyn age::Identity))
        .unwrap()
        .read_to_end(&mut zipped)
        .unwrap();
    let mut archive = zip::ZipArchive::new(Cursor::new(zipped)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        change(&name, &mut data);
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&data).unwrap();
    }
    let zipped = writer.finish().unwrap().into_inner();
    encrypt(&c.recipient, &zipped)
}

fn encrypt(recipient: &str, plain: &[u8]) -> Vec<u8> {
    let recipient: age::x25519::Recipient = recipient.parse().unwrap();
    let encryptor =
        age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
            .unwrap();
    let mut out = Vec::new();
    let mut w = encryptor.wrap_output(&mut out).unwrap();
    w.write_all(plain).unwrap();
    w.finish().unwrap();
    out
}

#[test]
fn every_refusal_leaves_the_county_database_as_it_was() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let usb = out_dir(&fx);
    let first = bundle::export(&mut store, &usb, ExportOptions::default()).unwrap();
    import(&c, &first.path).unwrap();
    store.add_member(&common::member("赵六")).unwrap();
    let second = bundle::export(&mut store, &usb, ExportOptions::default()).unwrap();
    store.add_member(&common::member("孙七")).unwrap();
    let third = bundle::export(&mut store, &usb, ExportOptions::default()).unwrap();
    let before = county_bytes(&c);
    let bad = fx.dir.path().join("bad.sdb1");
    let refused = |bytes: &[u8]| -> BundleError {
        std::fs::write(&bad, bytes).unwrap();
        let err = import(&c, &bad).expect_err("must be refused");
        assert_eq!(
            county_bytes(&c),
            before,
            "the county database changed after: {err}"
        );
        err
    };

    // The same bundle twice: a no-op.
    assert!(matches!(
        import(&c, &first.path).unwrap(),
        ImportOutcome::AlreadyImported { seq: 1, .. }
    ));
    assert_eq!(county_bytes(&c), before);
    // A skipped seq names the missing one.
    let err = refused(&std::fs::read(&third.path).unwrap());
    assert!(matches!(err, BundleError::Gap { from: 2, to: 2 }), "{err}");
    // A byte flipped in the encrypted file.
    let mut bytes = std::fs::read(&second.path).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    assert!(matches!(refused(&bytes), BundleError::Damaged(_)));
    // Truncated.
    let bytes = std::fs::read(&second.path).unwrap();
    assert!(matches!(
        refused(&bytes[..bytes.len() - 100]),
        BundleError::Damaged(_)
    ));
    // Encrypted to another county.
    let other = county(fx.dir.path(), "other");
    let identities = bundle::load_identities(&other.key).unwrap();
    let zipped = {
        let own = bundle::load_identities(&c.key).unwrap();
        let bytes = std::fs::read(&second.path).unwrap();
        let mut out = Vec::new();
        age::Decryptor::new(&bytes[..])
            .unwrap()
            .decrypt(own.iter().map(|i| i.as_ref() as &dyn age::Identity))
            .unwrap()
            .read_to_end(&mut out)
            .unwrap();
        out
    };
    drop(identities);
    assert!(matches!(
        refused(&encrypt(&other.recipient, &zipped)),
        BundleError::WrongIdentity
    ));
    // A byte flipped inside the zip (its central directory), then encrypted properly.
    let mut broken_zip = zipped.clone();
    let at = broken_zip.len() - 30;
    broken_zip[at] ^= 0xff;
    let err = refused(&encrypt(&c.recipient, &broken_zip));
    assert!(
        matches!(err, BundleError::Damaged(_) | BundleError::FileMismatch(_)),
        "{err}"
    );
    // A byte flipped in a data file.
    let err = refused(&tampered(&c, &second.path, |name, data| {
        if name == "data/member.jsonl" {
            data[10] ^= 0x01;
        }
    }));
    assert!(
        matches!(err, BundleError::FileMismatch(ref f) if f == "data/member.jsonl"),
        "{err}"
    );
    // A byte flipped in the manifest.
    let err = refused(&tampered(&c, &second.path, |name, data| {
        if name == "manifest.json" {
            let at = data.len() - 5;
            data[at] ^= 0x01;
        }
    }));
    assert!(
        matches!(err, BundleError::BadSignature | BundleError::Damaged(_)),
        "{err}"
    );
    // An unknown format.
    assert!(matches!(
        refused(b"PK\x03\x04 not really"),
        BundleError::Damaged(_)
    ));
    assert!(matches!(
        refused(b"hello, county"),
        BundleError::UnknownFormat(_)
    ));
    // An age header with too many recipient stanzas is not even decrypted.
    let mut hostile = b"age-encryption.org/v1\n".to_vec();
    for _ in 0..20 {
        hostile.extend_from_slice(b"-> X25519 aGVsbG8\nd29ybGQ\n");
    }
    hostile.extend_from_slice(b"--- AAAA\n");
    assert!(matches!(refused(&hostile), BundleError::HostileHeader));

    // Signed by another key under the same station id: a copy of the station with new keys.
    let copy = fx.dir.path().join("copy.db");
    drop(store);
    std::fs::copy(&fx.path, &copy).unwrap();
    std::fs::copy(
        stationdesk::store::keys_path(&fx.path),
        stationdesk::store::keys_path(&copy),
    )
    .unwrap();
    let stranger = Fixture::new();
    drop(stranger.station());
    let keys: (String, String) = common::connection(&stranger.path)
        .unwrap()
        .query_row("SELECT public_key, secret_key FROM station", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    common::connection(&copy)
        .unwrap()
        .execute(
            "UPDATE station SET public_key = ?1, secret_key = ?2",
            [&keys.0, &keys.1],
        )
        .unwrap();
    // Make it the next in line for the county: import 2 and 3 first.
    import(&c, &second.path).unwrap();
    import(&c, &third.path).unwrap();
    let before = county_bytes(&c);
    let mut forged = common::try_open(&copy).unwrap();
    forged.add_member(&common::member("冒名")).unwrap();
    let forged_dir = fx.dir.path().join("forged");
    std::fs::create_dir_all(&forged_dir).unwrap();
    let out = bundle::export(&mut forged, &forged_dir, ExportOptions::default()).unwrap();
    assert_eq!(out.manifest.seq, 4);
    assert!(matches!(
        import(&c, &out.path),
        Err(BundleError::KeyMismatch)
    ));
    assert_eq!(county_bytes(&c), before);
}

#[test]
fn a_plaintext_bundle_has_no_whole_id_or_phone_number() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = fx.station();
    let _ = &c;
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 3,
            members: 8,
            records: 80,
        },
        &mut |_, _| {},
    )
    .unwrap();
    assert!(matches!(
        bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()),
        Err(BundleError::NoRecipient)
    ));
    let out = bundle::export(
        &mut store,
        &out_dir(&fx),
        ExportOptions {
            allow_empty: false,
            all: false,
            plaintext: true,
        },
    )
    .unwrap();
    assert!(out.path.to_string_lossy().ends_with(".sdb1.zip"));
    let bytes = std::fs::read(&out.path).unwrap();
    let verified = bundle::verify(&bytes, &[]).unwrap();
    assert!(verified.manifest.plaintext);
    // Every file inside, as text: no run of 7+ unmasked digits except ids and times.
    let everyone = stationdesk::store::MemberFilter {
        include_inactive: true,
        ..Default::default()
    };
    let phones: Vec<String> = store
        .members_after(&everyone, None, 100)
        .unwrap()
        .into_iter()
        .map(|m| m.fields.phone)
        .collect();
    let today = chrono::Local::now().date_naive();
    let intakes = store
        .intakes_page(&Default::default(), today, None, 1000)
        .unwrap();
    let mut secrets: Vec<String> = phones;
    for listing in intakes {
        secrets.push(listing.intake.fields.phone);
        secrets.push(listing.intake.fields.id_number);
    }
    // Case parties' phones (in their contact) and ID numbers too.
    for case in store.changed_since::<MediationCase>(0, 1000).unwrap() {
        for party in case.fields.parties {
            secrets.extend(
                party
                    .contact
                    .split_whitespace()
                    .filter(|w| w.len() >= 11 && w.chars().all(|c| c.is_ascii_digit()))
                    .map(str::to_string),
            );
            secrets.push(party.id_number);
        }
    }
    secrets.retain(|s| !s.is_empty());
    assert!(secrets.len() > 20);
    for (name, data) in &verified.files {
        // The xlsx is zipped XML: look inside it too.
        let texts: Vec<String> = if name.ends_with(".xlsx") {
            let mut archive = zip::ZipArchive::new(Cursor::new(data.clone())).unwrap();
            (0..archive.len())
                .map(|i| {
                    let mut s = String::new();
                    let _ = archive.by_index(i).unwrap().read_to_string(&mut s);
                    s
                })
                .collect()
        } else {
            vec![String::from_utf8_lossy(data).into_owned()]
        };
        for text in texts {
            for secret in &secrets {
                assert!(!text.contains(secret.as_str()), "{secret} in {name}");
            }
        }
    }
}

#[test]
fn the_county_report_has_a_row_per_station_and_a_sheet_per_kind() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    // A guest whose role was typed: the county shows it as typed, not as "其他".
    let mut meeting = store.meetings(1).unwrap().remove(0);
    meeting.guests.push(stationdesk::domain::consult::Guest {
        name: "周经理".into(),
        organisation: "幸福里物业公司".into(),
        role: stationdesk::domain::consult::GuestRole::Other,
        role_text: "物业经理".into(),
    });
    store.save_meeting(meeting).unwrap();
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    import(&c, &out.path).unwrap();
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    // One moment for the report and for the count below: a slot that ends between two
    // readings of the clock would be counted by one and not the other.
    let now = chrono::Local::now().naive_local();
    let bytes = db.report(bundle::Counted::Again(None), now).unwrap();
    let path = fx.dir.path().join("county.xlsx");
    std::fs::write(&path, bytes).unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert_eq!(
        book.sheet_names(),
        vec![
            "汇总",
            "工作站",
            "热点诉求",
            "委员",
            "值班",
            "来访接待",
            "调解案件",
            "议题",
            "协商会议",
            "社情民意信息",
            "履职活动",
            "委员履职考核"
        ]
    );
    let intakes_here = local_records::<Intake>(&store).len();
    let cases_here = local_records::<MediationCase>(&store).len();
    let stations = book.worksheet_range("工作站").unwrap();
    // Printed, every header of the stations' sheet stands whole in its column.
    let widths = common::office::column_widths(&path, "xl/worksheets/sheet2.xml");
    for c in 0..stations.width() {
        let header = stations
            .get((0, c))
            .map(|d| d.to_string())
            .unwrap_or_default();
        let needed = unicode_width::UnicodeWidthStr::width(header.as_str()) as f64;
        let width = widths.get(&(c + 1)).copied().unwrap_or(8.43);
        assert!(
            width >= needed,
            "{header}: a column {width} wide for {needed}"
        );
    }
    // On paper: first the summary, every station and the county's totals on one page; then
    // the stations' sheet on landscape A4, one page wide, every header on its first page.
    if let Some(soffice) = common::office::office() {
        let pdf = common::office::to_pdf(&soffice, &path);
        let size = common::office::page_size(&pdf);
        assert!(size.starts_with("841"), "landscape: {size}");
        let summary = common::office::page_text(&pdf, 1);
        for text in ["政协委员工作站工作汇总", "QX01", "合计", "未达最低要求委员"]
        {
            assert!(
                summary.contains(text),
                "{text} not on the summary page:\n{summary}"
            );
        }
        let first = common::office::page_text(&pdf, 2);
        for c in 0..stations.width() {
            let header = stations
                .get((0, c))
                .map(|d| d.to_string())
                .unwrap_or_default();
            assert!(first.contains(&header), "{header} not on page 1:\n{first}");
        }
    }
    assert_eq!(stations.get_size().0, 2);
    let row: Vec<String> = stations
        .rows()
        .nth(1)
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let headers: Vec<String> = stations
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(row[0], "QX01");
    // 最近报送 in local time, as the office reads it, not UTC's "…T…Z".
    let sent = &row[col("最近报送")];
    assert!(
        sent.len() == 16 && !sent.contains('T') && !sent.ends_with('Z'),
        "{row:?}"
    );
    assert_eq!(row[col("委员数")], "13");
    assert_eq!(row[col("来访件数")], intakes_here.to_string());
    let agreements = local_records::<MediationCase>(&store)
        .iter()
        .filter(|c| c["outcome"]["result"] == "success")
        .count();
    assert!(agreements >= 1);
    assert_eq!(row[col("调解案件")], cases_here.to_string(), "{row:?}");
    assert_eq!(row[col("调解成功")], agreements.to_string(), "{row:?}");
    let shifts = local_records::<Shift>(&store);
    // A slot is due once it has ended (a morning slot of today counts from noon on).
    let ended = |s: &&serde_json::Value| {
        let date =
            chrono::NaiveDate::parse_from_str(s["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
        let slot = stationdesk::domain::roster::Slot::parse(s["slot"].as_str().unwrap()).unwrap();
        slot.end_on(date) <= now
    };
    let due = shifts
        .iter()
        .filter(ended)
        .filter(|s| s["state"] != "swapped")
        .count();
    let served = shifts
        .iter()
        .filter(ended)
        .filter(|s| s["state"] == "attended")
        .count();
    assert!(served > 100, "a demo year of shifts");
    assert_eq!(row[col("应值班时段")], due.to_string(), "{row:?}");
    assert_eq!(row[col("到岗时段")], served.to_string(), "{row:?}");
    let intakes = book.worksheet_range("来访接待").unwrap();
    assert_eq!(intakes.get_size().0, intakes_here + 1);
    // What residents asked about most this year, as the county desk counts it.
    let hot: Vec<Vec<String>> = book
        .worksheet_range("热点诉求")
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    assert_eq!(hot[0][..2], ["诉求类别".to_string(), "合计".to_string()]);
    use chrono::Datelike;
    let year = format!("{}-", now.date().year());
    let parking = local_records::<Intake>(&store)
        .iter()
        .filter(|v| v["deleted_at"].is_null() && v["category"] == "交通出行/停车")
        .filter(|v| {
            v["visited_at"]
                .as_str()
                .is_some_and(|t| t.starts_with(&year))
        })
        .count();
    assert!(parking >= 1);
    let row = hot
        .iter()
        .find(|r| r[0] == "交通出行/停车")
        .unwrap_or_else(|| panic!("{hot:?}"));
    assert_eq!(row[1], parking.to_string(), "{row:?}");
    let cases = book.worksheet_range("调解案件").unwrap();
    assert_eq!(cases.get_size().0, cases_here + 1);
    let text: Vec<String> = cases.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text
        .iter()
        .any(|t| t == "申请人 刘志强 13900001111；被申请人 陈海 幸福里3号楼；第三人 宏达装修公司"));
    assert!(text
        .iter()
        .any(|t| t.starts_with("调解成功：陈海修复并补偿3000元；履行方式")));
    assert!(text.iter().any(|t| t == "派出所移交（警调联动）"));
    // Consultations read as words too.
    let meetings = book.worksheet_range("协商会议").unwrap();
    let text: Vec<String> = meetings.rows().flatten().map(|c| c.to_string()).collect();
    assert!(text.iter().any(|t| t.starts_with("出席")), "{text:?}");
    assert!(text.iter().any(|t| t.starts_with("1. ")), "{text:?}");
    assert!(
        text.iter()
            .any(|t| t.contains("周经理 幸福里物业公司 物业经理")),
        "{text:?}"
    );
    let reports = book.worksheet_range("社情民意信息").unwrap();
    let text: Vec<String> = reports.rows().flatten().map(|c| c.to_string()).collect();
    assert!(
        text.iter()
            .any(|t| t.starts_with("采用；县委副书记批示（县级）")),
        "{text:?}"
    );
}

/// A sheet's rows as text, headers first.
fn sheet_rows(path: &Path, name: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    book.worksheet_range(name)
        .unwrap()
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[test]
fn a_kind_past_the_reports_rows_lists_its_latest_days_and_every_record_in_a_csv_beside_it() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    import(&c, &out.path).unwrap();
    let mut db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let visits = local_records::<Intake>(&store);
    assert!(visits.len() > 10, "{} visits", visits.len());
    db.set_report_rows(5);
    let path = fx.dir.path().join("县报表.xlsx");
    let now = chrono::Local::now().naive_local();
    let written = db
        .write_report(bundle::Counted::AsImported, now, &path)
        .unwrap();
    let csv_path = fx.dir.path().join("县报表-来访接待.csv");
    assert!(written.tables.contains(&csv_path), "{:?}", written.tables);
    // The sheet: the five visits of the latest days.
    let sheet = sheet_rows(&path, "来访接待");
    assert_eq!(sheet.len(), 6, "a header and five visits");
    let day = sheet[0].iter().position(|h| h == "来访时间").unwrap();
    let listed: Vec<&str> = sheet[1..].iter().map(|r| r[day].as_str()).collect();
    // The CSV beside it: UTF-8 with its BOM for Excel and WPS, every visit, the same columns.
    let bytes = std::fs::read(&csv_path).unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        sheet[0].iter().map(String::as_str).collect::<Vec<_>>()
    );
    let all: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(all.len(), visits.len());
    let id = sheet[0].iter().position(|h| h == "编号").unwrap();
    for row in &sheet[1..] {
        assert!(
            all.iter().any(|r| r[id] == row[id]),
            "{row:?} not in the CSV"
        );
    }
    // No visit left out of the sheet is of a later day than one it lists.
    let earliest = listed.iter().min().unwrap();
    let later = all
        .iter()
        .filter(|r| r[day].as_str() > *earliest)
        .filter(|r| !sheet[1..].iter().any(|s| s[id] == r[id]))
        .count();
    assert_eq!(later, 0, "the sheet lists {listed:?}");
    // Ids and phone numbers whole, and a formula typed into a visit stays text.
    assert!(all.iter().flatten().any(|c| c == "13912345678"));
    assert!(all.iter().flatten().any(|c| c.starts_with("'=HYPERLINK")));
    // The note says where every visit is.
    let note = sheet_rows(&path, "说明");
    let text = note.concat().join(" ");
    assert!(
        text.contains("来访接待") && text.contains("县报表-来访接待.csv"),
        "{text}"
    );
    assert!(text.contains(&visits.len().to_string()), "{text}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&csv_path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    // Within the limit, no CSV and no note.
    db.set_report_rows(1_000_000);
    let path = fx.dir.path().join("全部.xlsx");
    let written = db
        .write_report(bundle::Counted::AsImported, now, &path)
        .unwrap();
    assert!(written.tables.is_empty());
    assert_eq!(sheet_rows(&path, "来访接待").len(), visits.len() + 1);
    use calamine::Reader;
    let book: calamine::Xlsx<_> = calamine::open_workbook(&path).unwrap();
    assert!(!book.sheet_names().contains(&"说明".to_string()));
}

#[test]
fn the_report_counts_again_a_station_whose_tables_are_of_another_year() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    import(&c, &out.path).unwrap();
    // The report tables, as `county import` keeps them.
    CountyDb::open(&c.db, &c.unlock())
        .unwrap()
        .refresh_views(None, chrono::Local::now().naive_local())
        .unwrap();
    // Tables counted last year (the import was in December, the report in January): their
    // figures are not this year's.
    let raw = c.unlock().raw_connection(&c.db).unwrap();
    raw.execute_batch(
        "UPDATE report_refresh SET \"年度\" = '2020';
         UPDATE report_station SET \"来访件数\" = '999';",
    )
    .unwrap();
    drop(raw);
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let now = chrono::Local::now().naive_local();
    let path = fx.dir.path().join("county.xlsx");
    db.write_report(bundle::Counted::AsImported, now, &path)
        .unwrap();
    let stations = sheet_rows(&path, "工作站");
    let visits = stations[0].iter().position(|h| h == "来访件数").unwrap();
    assert_ne!(stations[1][visits], "999", "{:?}", stations[1]);
    use chrono::Datelike;
    let year = now.date().year();
    let this_year = local_records::<Intake>(&store)
        .iter()
        .filter(|v| v["deleted_at"].is_null())
        .filter(|v| {
            v["visited_at"]
                .as_str()
                .is_some_and(|t| t.starts_with(&year.to_string()))
        })
        .count();
    assert_eq!(stations[1][visits], this_year.to_string());
    let refreshed = db.report_table("report_refresh", None).unwrap().unwrap();
    assert_eq!(
        refreshed.cell(&refreshed.rows[0].1, "年度"),
        year.to_string()
    );
    // The summary's title says how the figures were counted.
    let summary = sheet_rows(&path, "汇总");
    assert!(
        summary[0][0].contains("按最近一次导入统计"),
        "{:?}",
        summary[0]
    );
}

/// The town a station serves travels in its bundles' manifests: the county lists it, a
/// bundle without one (an earlier version's, or after the station cleared it) leaves none, and
/// a town with a control character is refused at the desk.
#[test]
fn the_stations_town_travels_with_its_bundles() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    assert!(store.set_town("青溪\u{1b}[2J镇").is_err());
    assert_eq!(store.town().unwrap(), "");
    store.set_town("  青溪镇 ").unwrap();
    assert_eq!(store.town().unwrap(), "青溪镇");
    let first = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    assert_eq!(first.manifest.town.as_deref(), Some("青溪镇"));
    import(&c, &first.path).unwrap();
    let towns = |c: &County| -> Vec<String> {
        CountyDb::open(&c.db, &c.unlock())
            .unwrap()
            .stations()
            .unwrap()
            .into_iter()
            .map(|s| s.town)
            .collect()
    };
    assert_eq!(towns(&c), vec!["青溪镇".to_string()]);
    // The printed summary names it beside the station.
    let path = fx.dir.path().join("county.xlsx");
    CountyDb::open(&c.db, &c.unlock())
        .unwrap()
        .write_report(
            bundle::Counted::AsImported,
            chrono::Local::now().naive_local(),
            &path,
        )
        .unwrap();
    let summary = sheet_rows(&path, "汇总");
    assert_eq!(summary[1][2], "乡镇（街道）", "{:?}", summary[1]);
    assert_eq!(summary[2][0], "QX01");
    assert_eq!(summary[2][2], "青溪镇", "{:?}", summary[2]);
    // And beside the name on the stations' sheet, its counts in their columns after it.
    let stations = sheet_rows(&path, "工作站");
    assert_eq!(
        stations[0][..4],
        ["工作站代码", "工作站名称", "乡镇（街道）", "最新批次"]
    );
    assert_eq!(stations[1][0], "QX01");
    assert_eq!(stations[1][2], "青溪镇", "{:?}", stations[1]);
    assert_eq!(stations[1][3], "1", "{:?}", stations[1]);
    // Cleared at the station: the next bundle names none, and the county follows.
    store.set_town("").unwrap();
    store.add_member(&common::member("周文")).unwrap();
    let second = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    assert_eq!(second.manifest.town, None);
    import(&c, &second.path).unwrap();
    assert_eq!(towns(&c), vec![String::new()]);
}

#[test]
fn a_failed_export_leaves_the_station_as_if_not_tried() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = station(&fx, &c.recipient);
    let not_a_dir = fx.dir.path().join("stick-pulled-out");
    std::fs::write(&not_a_dir, "a file where the stick was").unwrap();
    let err = bundle::export(&mut store, &not_a_dir, ExportOptions::default()).unwrap_err();
    assert!(matches!(err, BundleError::Io(..)), "{err}");
    assert!(store.bundles().unwrap().is_empty(), "nothing noted");
    // The next real export is still seq 1 and carries everything.
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    assert_eq!(out.manifest.seq, 1);
    assert_eq!(out.manifest.rev_from, 0);
    // No partial file is left under any name.
    let names: Vec<String> = std::fs::read_dir(out_dir(&fx))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
}

#[test]
fn verify_and_import_from_the_command_line() {
    let fx = Fixture::new();
    let key = fx.dir.path().join("county.key");
    let keygen = common::command()
        .args(["county", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(keygen.status.success());
    let recipient = String::from_utf8_lossy(&keygen.stdout)
        .lines()
        .last()
        .unwrap()
        .to_string();
    assert!(recipient.starts_with("age1"));
    let again = common::command()
        .args(["county", "keygen", "--out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        !again.status.success(),
        "an existing key file is never overwritten"
    );
    let mut store = station(&fx, &recipient);
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    let ok = common::command()
        .arg("verify")
        .arg(&out.path)
        .arg("--identity")
        .arg(&key)
        .output()
        .unwrap();
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("批次 1"));
    let mut bytes = std::fs::read(&out.path).unwrap();
    let at = bytes.len() - 10;
    bytes[at] ^= 1;
    let bad = fx.dir.path().join("bad.sdb1");
    std::fs::write(&bad, bytes).unwrap();
    let refused = common::command()
        .arg("verify")
        .arg(&bad)
        .arg("--identity")
        .arg(&key)
        .output()
        .unwrap();
    assert!(!refused.status.success());
    let db = fx.dir.path().join("county.db");
    let import = common::command()
        .args(["county", "import", "--county-db"])
        .arg(&db)
        .arg("--identity")
        .arg(&key)
        .arg(&out.path)
        .arg(&bad)
        .output()
        .unwrap();
    assert!(
        !import.status.success(),
        "one refused bundle makes the exit status non-zero"
    );
    let text = String::from_utf8_lossy(&import.stdout);
    assert!(
        text.contains("已导入 QX01 批次 1")
            && text.contains("拒绝导入")
            && text.contains("导入 1 个，拒绝 1 个"),
        "{text}"
    );
}

/// Two stations in one county: each station's members' points and grades, and its 4+X and
/// duty coverage, are in the county report as the stations themselves count them; a person who
/// serves at both stations is named at each, with the other station beside.
#[test]
fn the_county_report_has_every_members_assessment_and_each_stations_4x() {
    use chrono::Datelike;
    let office = Fixture::new();
    let c = county(office.dir.path(), "county");
    let today = chrono::Local::now().date_naive();
    let year = today.year();
    let mut totals = Vec::new();
    let mut dirs = Vec::new();
    for (code, seed) in [("QX01", 3u64), ("DH02", 4)] {
        let fx = Fixture::new();
        let mut store = fx.open();
        store
            .init_station(&stationdesk::domain::StationSetup {
                name: format!("{code}工作站"),
                code: code.into(),
                county: "清河县".into(),
                county_recipient: c.recipient.clone(),
            })
            .unwrap();
        store.set_actor("测试");
        stationdesk::demo::run(
            &mut store,
            &stationdesk::demo::DemoOptions {
                seed,
                members: 6,
                records: 80,
            },
            &mut |_, _| {},
        )
        .unwrap();
        // QX01 holds six consultations a year; DH02 keeps the standard four.
        if code == "QX01" {
            store.set_setting("consult_quota", "6").unwrap();
        }
        let mut both = common::member("林共同");
        both.sector = "经济界".into();
        store.add_member(&both).unwrap();
        let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
        import(&c, &out.path).unwrap();
        for (_, a) in store
            .assessments(year, today.and_hms_opt(12, 0, 0).unwrap())
            .unwrap()
        {
            totals.push((code.to_string(), a.name.clone(), a.total, a.grade));
        }
        dirs.push(fx);
    }
    let db = CountyDb::open(&c.db, &c.unlock()).unwrap();
    let path = dirs[0].dir.path().join("county.xlsx");
    std::fs::write(
        &path,
        db.report(
            bundle::Counted::Again(Some(year)),
            today.and_hms_opt(12, 0, 0).unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = calamine::open_workbook(&path).unwrap();
    let sheet = book.worksheet_range("委员履职考核").unwrap();
    let rows: Vec<Vec<String>> = sheet
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let headers = &rows[0];
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    assert_eq!(
        rows.len() - 1,
        totals.len(),
        "a row a member at each station"
    );
    for (code, name, total, grade) in &totals {
        let row = rows
            .iter()
            .find(|r| r[0] == *code && r[1] == *name)
            .unwrap_or_else(|| panic!("{code} {name}"));
        assert_eq!(row[col("总分")], total.to_string(), "{code} {name}");
        let word = stationdesk::i18n::message_in(stationdesk::i18n::Language::Chinese, grade.key());
        assert_eq!(row[col("等次")], word);
    }
    let shared: Vec<&Vec<String>> = rows.iter().filter(|r| r[1] == "林共同").collect();
    assert_eq!(shared.len(), 2);
    for row in shared {
        let other = if row[0] == "QX01" { "DH02" } else { "QX01" };
        assert_eq!(row[col("另在工作站")], other);
    }
    let stations = book.worksheet_range("工作站").unwrap();
    let rows: Vec<Vec<String>> = stations
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect();
    let headers = &rows[0];
    let held = headers.iter().position(|h| h == "协商次数").unwrap();
    let done = headers
        .iter()
        .position(|h| h == "协商完成（次/应开）")
        .unwrap();
    let coverage = headers.iter().position(|h| h == "值班到岗率（%）").unwrap();
    for row in &rows[1..] {
        let quota = if row[0] == "QX01" { 6 } else { 4 };
        assert_eq!(row[done], format!("{}/{quota}", row[held]), "{row:?}");
        let ended: u32 = row[headers.iter().position(|h| h == "应值班时段").unwrap()]
            .parse()
            .unwrap();
        let served: u32 = row[headers.iter().position(|h| h == "到岗时段").unwrap()]
            .parse()
            .unwrap();
        let expected = stationdesk::domain::roster::Coverage {
            slots_ended: ended,
            slots_served: served,
        };
        let shown = expected
            .percent()
            .map_or("-".to_string(), |p| p.to_string());
        assert_eq!(row[coverage], shown);
    }
}

/// A part whose encryption is damaged (a byte flipped in the ciphertext, inside the data files)
/// is said to be unreadable, naming it: never "does not match the manifest", which would send
/// the county looking for tampering.
#[test]
fn a_part_that_fails_to_decrypt_says_so() {
    let fx = Fixture::new();
    let c = county(fx.dir.path(), "county");
    let mut store = fx.open();
    store
        .init_station(&stationdesk::domain::StationSetup {
            name: "青溪镇工作站".into(),
            code: "QX01".into(),
            county: "清河县".into(),
            county_recipient: c.recipient.clone(),
        })
        .unwrap();
    store.set_actor("测试");
    stationdesk::demo::run(
        &mut store,
        &stationdesk::demo::DemoOptions {
            seed: 9,
            members: 12,
            records: 3_000,
        },
        &mut |_, _| {},
    )
    .unwrap();
    let out = bundle::export(&mut store, &out_dir(&fx), ExportOptions::default()).unwrap();
    let mut bytes = std::fs::read(&out.path).unwrap();
    // A byte in the middle of the visits' data file, found in the decrypted zip and flipped
    // where the age file holds it: after the header and the payload's 16-byte nonce, in
    // chunks of 64 KiB each followed by its 16-byte tag.
    let plain = Command::new("age")
        .arg("-d")
        .arg("-i")
        .arg(&c.key)
        .arg(&out.path)
        .output()
        .unwrap();
    assert!(plain.status.success(), "age -d");
    let mut zip = zip::ZipArchive::new(Cursor::new(plain.stdout)).unwrap();
    let part = zip.by_name("data/intake.jsonl").unwrap();
    let offset = (part.data_start().unwrap() + part.compressed_size() / 2) as usize;
    drop(part);
    let mac = bytes.windows(4).position(|w| w == b"\n---").unwrap() + 1;
    let header = mac + bytes[mac..].iter().position(|b| *b == b'\n').unwrap() + 1;
    let at = header + 16 + offset / 65_536 * (65_536 + 16) + offset % 65_536;
    assert!(at < bytes.len());
    bytes[at] ^= 0x01;
    let broken = fx.dir.path().join("broken.sdb1");
    std::fs::write(&broken, &bytes).unwrap();
    let err = import(&c, &broken).unwrap_err();
    match &err {
        BundleError::PartUnreadable { part, .. } => assert!(part == "data/intake.jsonl", "{part}"),
        other => panic!("{other}"),
    }
    let said = stationdesk::messages::bundle_error(&err);
    assert!(said.contains("读不出来") && said.contains("解密"), "{said}");
}

//! The command line, run as a person would: messages in the user's language, exit codes, and
//! never a panic or a backtrace for a bad database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

fn run(db: &Path, args: &[&str]) -> Output {
    common::command()
        .arg("--db")
        .arg(db)
        .args(args)
        .env_remove("STATIONDESK_LANG")
        .output()
        .expect("run stationdesk")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_clean_failure(out: &Output, expected: &str) {
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains(expected), "stderr: {stderr}");
    assert!(
        !stderr.contains("panicked") && !stderr.contains("backtrace"),
        "stderr: {stderr}"
    );
}

#[test]
fn init_then_keys_prints_a_minisign_public_key() {
    let fx = common::Fixture::new();
    let out = run(
        &fx.path,
        &[
            "init",
            "--name",
            "青溪镇政协委员工作站",
            "--code",
            "QX01",
            "--county",
            "清河县",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已初始化工作站"));
    let out = run(&fx.path, &["keys"]);
    assert!(out.status.success());
    let key = text(&out.stdout);
    assert!(
        key.starts_with("untrusted comment: minisign public key"),
        "{key}"
    );
    minisign::PublicKeyBox::from_string(&key)
        .and_then(|b| b.into_public_key())
        .expect("a minisign public key");

    let again = run(&fx.path, &["init", "--name", "另一个站", "--code", "QX02"]);
    assert_clean_failure(&again, "已经初始化过了");
}

#[test]
fn init_validates_in_the_chosen_language() {
    let fx = common::Fixture::new();
    let out = run(
        &fx.path,
        &["--lang", "en", "init", "--name", "站", "--code", "青溪"],
    );
    assert_clean_failure(&out, "station code is 2-16 letters");
    let out = run(
        &fx.path,
        &[
            "init",
            "--name",
            "站",
            "--code",
            "QX01",
            "--county-recipient",
            "age1nope",
        ],
    );
    assert_clean_failure(&out, "县政协接收公钥应为 62 个字符");
    // Nothing was created by the refused attempts.
    let out = run(&fx.path, &["keys"]);
    assert_clean_failure(&out, "尚未初始化");
}

#[test]
fn bad_databases_get_a_clear_message_and_a_nonzero_exit() {
    let fx = common::Fixture::new();
    let junk = fx.dir.path().join("junk.db");
    std::fs::write(&junk, "委员名单.xlsx 的内容".repeat(300)).unwrap();
    assert_clean_failure(&run(&junk, &["keys"]), "不是 stationdesk 的数据库");
    let out = common::command()
        .args(["--lang", "en", "--db"])
        .arg(&junk)
        .arg("keys")
        .output()
        .unwrap();
    assert_clean_failure(&out, "is not a stationdesk database");

    let newer = fx.dir.path().join("newer.db");
    assert!(run(&newer, &["init", "--name", "站", "--code", "QX01"])
        .status
        .success());
    common::connection(&newer)
        .unwrap()
        .pragma_update(None, "user_version", 99)
        .unwrap();
    assert_clean_failure(&run(&newer, &["keys"]), "更新版本");
    let check = run(&newer, &["check"]);
    assert!(!check.status.success());

    let dir_as_db = fx.dir.path().join("adir");
    std::fs::create_dir(&dir_as_db).unwrap();
    assert_clean_failure(&run(&dir_as_db, &["keys"]), "无法打开数据库");
}

#[test]
fn backup_restore_and_check_from_the_command_line() {
    let fx = common::Fixture::new();
    assert!(
        run(&fx.path, &["demo", "--members", "20", "--records", "30"])
            .status
            .success()
    );
    let check = run(&fx.path, &["check"]);
    assert!(check.status.success());
    assert!(text(&check.stdout).contains("完好"));

    let out_dir = fx.dir.path().join("stick");
    let backup = run(&fx.path, &["backup", "--out", out_dir.to_str().unwrap()]);
    assert!(backup.status.success());
    let backup_path = text(&backup.stdout).trim().to_string();
    assert!(Path::new(&backup_path).is_file(), "{backup_path}");

    let members = run(&fx.path, &["members", "--all"]);
    assert_eq!(text(&members.stdout).lines().count(), 20);

    let restored = run(&fx.path, &["restore", &backup_path]);
    assert!(restored.status.success(), "{}", text(&restored.stderr));
    assert!(text(&restored.stdout).contains("已从"));
    let members = run(&fx.path, &["members", "--all", "--json"]);
    let lines: Vec<serde_json::Value> = text(&members.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 20);
    assert!(lines
        .iter()
        .all(|m| m["name"].is_string() && m["rev"].is_i64()));
}

#[test]
fn the_county_recipient_is_a_setting() {
    let fx = common::Fixture::new();
    assert!(run(&fx.path, &["init", "--name", "站", "--code", "QX01"])
        .status
        .success());
    let recipient = "age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p";
    assert!(
        run(&fx.path, &["config", "set", "county-recipient", recipient])
            .status
            .success()
    );
    let got = run(&fx.path, &["config", "get", "county-recipient"]);
    assert_eq!(text(&got.stdout).trim(), recipient);
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "colour", "red"]),
        "没有名为 colour 的设置",
    );
}

#[test]
fn search_from_the_command_line() {
    let fx = common::Fixture::new();
    assert!(
        run(&fx.path, &["demo", "--members", "10", "--records", "200"])
            .status
            .success()
    );
    let out = run(&fx.path, &["search", "停车", "--limit", "5", "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(!hits.is_empty() && hits.len() <= 5);
    for hit in &hits {
        for key in ["kind", "id", "title", "date", "snippet"] {
            assert!(hit[key].is_string(), "{key} in {hit}");
        }
        assert!(hit["kind"] == "intake" || hit["kind"] == "case", "{hit}");
    }
    let members = run(&fx.path, &["search", "界", "--kind", "member", "--json"]);
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&members.stdout).unwrap();
    assert!(hits.iter().all(|h| h["kind"] == "member"));
    let table = run(
        &fx.path,
        &["search", "停车", "--kind", "intake", "--limit", "3"],
    );
    assert_eq!(text(&table.stdout).lines().count(), 3);
    assert!(text(&table.stdout).starts_with("来访接待\t"));
    assert_clean_failure(
        &run(&fx.path, &["search", "x", "--kind", "visit"]),
        "没有「visit」这种记录",
    );
}

#[test]
fn cases_rosters_and_their_settings_from_the_command_line() {
    let fx = common::Fixture::new();
    assert!(
        run(&fx.path, &["demo", "--members", "20", "--records", "300"])
            .status
            .success()
    );
    // Settings: a case-number pattern must hold {year} and {seq}; slots are day or halves.
    assert_clean_failure(
        &run(
            &fx.path,
            &["config", "set", "case-pattern", "{station}-{seq}"],
        ),
        "{year}",
    );
    assert!(run(&fx.path, &["config", "set", "case-days", "45"])
        .status
        .success());
    assert_eq!(
        text(&run(&fx.path, &["config", "get", "case-days"]).stdout).trim(),
        "45"
    );
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "case-days", "0"]),
        "1 到 365",
    );
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "roster-slots", "evening"]),
        "morning,afternoon",
    );
    assert!(run(&fx.path, &["config", "set", "consult-quota", "6"])
        .status
        .success());
    assert_eq!(
        text(&run(&fx.path, &["config", "get", "consult-quota"]).stdout).trim(),
        "6"
    );
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "report-quota", "many"]),
        "1 到 100",
    );
    assert_eq!(
        text(&run(&fx.path, &["config", "get", "roster-slots"]).stdout).trim(),
        "morning,afternoon"
    );
    // The agreement of a demo case that ended in one.
    let store = common::try_open(&fx.path).unwrap();
    let cases = store
        .changed_since::<stationdesk::domain::case::MediationCase>(0, 1000)
        .unwrap();
    let agreed = cases
        .iter()
        .find(|c| c.outcome.as_ref().is_some_and(|o| o.is_success()))
        .expect("the demo has agreements");
    let failed = cases
        .iter()
        .find(|c| c.outcome.as_ref().is_some_and(|o| !o.is_success()));
    drop(store);
    let out_dir = fx.dir.path().join("print");
    let out = run(
        &fx.path,
        &[
            "agreement",
            &agreed.case_no,
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::path::PathBuf::from(text(&out.stdout).trim());
    assert!(written.starts_with(&out_dir));
    let paragraphs = stationdesk::documents::docx_text(&std::fs::read(&written).unwrap()).unwrap();
    assert!(paragraphs
        .iter()
        .any(|p| p.starts_with(&format!("编号：{}（", agreed.case_no))));
    if let Some(failed) = failed {
        assert_clean_failure(
            &run(&fx.path, &["agreement", &failed.case_no]),
            "只有调解成功",
        );
    }
    assert_clean_failure(
        &run(&fx.path, &["agreement", "QX01-1999-999"]),
        "没有编号为 QX01-1999-999 的案件",
    );
    // The roster: a month written, a year reported.
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let out = run(
        &fx.path,
        &[
            "roster",
            "export",
            "--month",
            &month,
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).lines().count(), 2);
    let report = run(&fx.path, &["roster", "report", "--json"]);
    let json: serde_json::Value = serde_json::from_slice(&report.stdout).unwrap();
    assert!(!json["members"].as_array().unwrap().is_empty());
    assert_clean_failure(
        &run(&fx.path, &["roster", "report", "--month", "2026-13"]),
        "YYYY-MM",
    );
}

#[test]
fn the_visitor_register_and_the_mediation_committee_from_the_command_line() {
    let fx = common::Fixture::new();
    let demo = run(&fx.path, &["demo", "--records", "300", "--members", "20"]);
    assert!(demo.status.success(), "{}", text(&demo.stderr));
    // The committee whose seal the agreements take.
    let set = run(
        &fx.path,
        &[
            "config",
            "set",
            "mediation-committee",
            "青溪镇人民调解委员会",
        ],
    );
    assert!(set.status.success(), "{}", text(&set.stderr));
    let get = run(&fx.path, &["config", "get", "mediation-committee"]);
    assert_eq!(text(&get.stdout).trim(), "青溪镇人民调解委员会");
    // The town the station serves, sent to the county with every bundle.
    let set = run(&fx.path, &["config", "set", "town", "青溪镇"]);
    assert!(set.status.success(), "{}", text(&set.stderr));
    let get = run(&fx.path, &["config", "get", "town"]);
    assert_eq!(text(&get.stdout).trim(), "青溪镇");
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "town", &"镇".repeat(31)]),
        "30",
    );
    // The sign-in window and the PIN requirement.
    assert!(run(&fx.path, &["config", "set", "signin-window", "30"])
        .status
        .success());
    let get = run(&fx.path, &["config", "get", "signin-window"]);
    assert_eq!(text(&get.stdout).trim(), "30");
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "signin-window", "5"]),
        "10 到 240",
    );
    assert!(run(&fx.path, &["config", "set", "require-pin", "on"])
        .status
        .success());
    let get = run(&fx.path, &["config", "get", "require-pin"]);
    assert_eq!(text(&get.stdout).trim(), "on");
    assert_clean_failure(
        &run(&fx.path, &["config", "set", "require-pin", "maybe"]),
        "on 或 off",
    );
    assert!(run(&fx.path, &["config", "set", "require-pin", "off"])
        .status
        .success());
    assert_clean_failure(
        &run(
            &fx.path,
            &["config", "set", "mediation-committee", "a\u{1b}[2Jb"],
        ),
        "控制字符",
    );
    // The register of this month, masked, as .docx and .xlsx.
    let month = chrono::Local::now().format("%Y-%m").to_string();
    let out_dir = fx.dir.path().join("out");
    let out = run(
        &fx.path,
        &[
            "register",
            "--month",
            &month,
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written: Vec<std::path::PathBuf> = text(&out.stdout)
        .lines()
        .map(std::path::PathBuf::from)
        .collect();
    assert_eq!(written.len(), 2);
    assert!(written[0].ends_with(format!("来访登记簿-QX01-{month}.docx")));
    assert!(written[1].ends_with(format!("来访登记簿-QX01-{month}.xlsx")));
    assert!(written.iter().all(|f| f.is_file()));
    assert!(text(&out.stderr).contains("条来访"));
    let paragraphs =
        stationdesk::documents::docx_text(&std::fs::read(&written[0]).unwrap()).unwrap();
    assert!(paragraphs[0].ends_with("来访登记簿"));
    // A range, and what is refused.
    let out = run(
        &fx.path,
        &[
            "register",
            "--from",
            "2026-01-01",
            "--to",
            "2026-01-15",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("来访登记簿-QX01-2026-01-01至2026-01-15.docx"));
    assert_clean_failure(&run(&fx.path, &["register"]), "--month");
    assert_clean_failure(
        &run(
            &fx.path,
            &["register", "--from", "2026-02-01", "--to", "2026-01-01"],
        ),
        "结束日期早于开始日期",
    );
    assert_clean_failure(
        &run(&fx.path, &["register", "--month", "2026-13"]),
        "2026-13",
    );
    // The desk's date forms work here too; an unreadable one says which forms are read.
    let out = run(
        &fx.path,
        &[
            "register",
            "--from",
            "20260101",
            "--to",
            "2026年1月15日",
            "--out",
            out_dir.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("来访登记簿-QX01-2026-01-01至2026-01-15.docx"));
    assert_clean_failure(
        &run(&fx.path, &["register", "--from", "1月32日", "--to", "今天"]),
        "12月2日",
    );
}

/// `stationdesk bench` on small databases: every desk figure, and the growth between sizes.
#[test]
fn bench_prints_the_desk_figures_and_their_growth() {
    let fx = common::Fixture::new();
    let dir = fx.dir.path().join("bench");
    let out = common::command()
        .args([
            "bench",
            "--records",
            "200,400",
            "--runs",
            "1",
            "--desk-only",
            "--dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    let printed = text(&out.stdout);
    assert!(out.status.success(), "{}{}", printed, text(&out.stderr));
    for figure in [
        "desk start to the home screen",
        "opening the visit list",
        "F5: overdue and due today",
        "saving a walk-in (Ctrl-S until saved)",
        "returning visitors for a common name",
        "growth from 200 to 400 records",
    ] {
        assert!(printed.contains(figure), "{figure}:\n{printed}");
    }
    assert!(dir.join("bench-200.db").exists() && dir.join("bench-400.db").exists());
}

/// The whole bench on a small database: the backup, the export and the county's import too,
/// each with its figure (peak memory is read from `/proc`).
#[cfg(target_os = "linux")]
#[test]
fn bench_measures_the_backup_the_export_and_the_import() {
    let fx = common::Fixture::new();
    let dir = fx.dir.path().join("bench");
    let bench = || {
        common::command()
            .args(["bench", "--records", "300", "--runs", "1", "--dir"])
            .arg(&dir)
            .output()
            .unwrap()
    };
    // A second run reuses the demo database, which must not remember the first run's bundle
    // (a new county database takes only a station's first).
    let first = bench();
    assert!(first.status.success(), "{}", text(&first.stderr));
    let out = bench();
    let printed = text(&out.stdout);
    assert!(out.status.success(), "{}{}", printed, text(&out.stderr));
    assert!(printed.contains("demo database reused"), "{printed}");
    for figure in [
        "backup (with its quick check)",
        "export of every record",
        "export peak memory",
        "county import of the bundle",
        "county import peak memory",
    ] {
        let line = printed
            .lines()
            .find(|l| l.contains(figure))
            .unwrap_or_else(|| panic!("{figure}:\n{printed}"));
        assert!(
            line.contains(" ms") || line.contains(" s") || line.contains(" MB"),
            "{line}"
        );
    }
}

/// A mistyped folder in `--db` is refused, and makes nothing; an unknown `--lang` is refused
/// with the languages there are.
#[test]
fn a_missing_folder_and_an_unknown_language_are_refused() {
    let fx = common::Fixture::new();
    let typo = fx.dir.path().join("nosuch").join("x.db");
    let out = run(&typo, &["members"]);
    assert_clean_failure(&out, "没有这个文件夹");
    assert!(!fx.dir.path().join("nosuch").exists(), "no folder made");
    // init makes the folder of a new station.
    let out = run(&typo, &["init", "--name", "青溪镇工作站", "--code", "QX01"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(typo.is_file());
    let out = run(&typo, &["--lang", "fr", "members"]);
    assert_eq!(out.status.code(), Some(2));
    assert_clean_failure(&out, "zh-CN");
    assert!(text(&out.stderr).contains("fr"));
    let out = run(&typo, &["--lang", "en", "members"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

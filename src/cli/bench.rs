//! `stationdesk bench`: builds demo databases of the sizes asked for and prints what a duty
//! member and the county office wait for on each — desk start, opening the visit list, F5,
//! saving a walk-in, the returning-visitor lookup, the daily backup, the export and the
//! county's import — each beside a baseline measured in the same run (plain SQLite queries,
//! `VACUUM INTO`, and ``stationdesk sql --json` + `zip` + `age` + `minisign` when those programs are
//! there), then how each figure grew from the first size to the last.

use std::path::{Path, PathBuf};

use stationdesk::store::Unlock;
use std::process::Command;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::backend::TestBackend;
use ratatui::Terminal;

use stationdesk::demo;
use stationdesk::i18n::Language;
use stationdesk::store::{each_kind, KindVisitor, MemberFilter, RecordTable, Store, StoreError};
use stationdesk::tui::app::App;

use super::measure::{fail, median, ratio, timed, Figure, Measure};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn draw(app: &App) -> Result<(), String> {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).map_err(|e| e.to_string())?;
    terminal
        .draw(|frame| stationdesk::tui::view::draw(frame, app))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Builds (or reuses) the demo database of `records` in `dir`.
fn database(
    dir: &Path,
    records: usize,
    fresh: bool,
) -> Result<(PathBuf, Option<Duration>), String> {
    let path = dir.join(format!("bench-{records}.db"));
    if path.exists() && !fresh {
        return Ok((path, None));
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let _ = std::fs::remove_file(stationdesk::store::keys_path(&path));
    let mut store = Store::open_with(
        &path,
        &unlock(),
        stationdesk::store::KdfCost::QUICK,
        &mut |_| {},
    )
    .map_err(fail)?;
    store.set_actor("demo");
    let options = demo::DemoOptions {
        seed: 1,
        members: 40,
        records,
    };
    let (took, made) = timed(|| demo::run(&mut store, &options, &mut |_, _| {}));
    made.map_err(fail)?;
    Ok((path, Some(took)))
}

/// The desk as a person meets it: started on `path`, signed in, 120×40.
fn desk(path: &Path) -> Result<App, String> {
    let store = Store::open(path, &unlock()).map_err(fail)?;
    let mut app = App::new(store, chrono::Local::now(), Some(Language::Chinese)).map_err(fail)?;
    app.resize(120, 40);
    Ok(app)
}

/// The first member of the registry (the demo always has some).
fn first_member(store: &Store) -> Result<stationdesk::domain::Member, String> {
    store
        .members_after(&MemberFilter::default(), None, 1)
        .map_err(fail)?
        .into_iter()
        .next()
        .ok_or_else(|| "the demo database has no member".to_string())
}

fn sign_in(app: &mut App) -> Result<(), String> {
    let member = first_member(&app.desk.store)?;
    app.sign_in(member.meta.id, &member.fields.name);
    Ok(())
}

/// The passphrase of the bench's databases (their slots are made at the quick cost, so that
/// each open costs what a desk with the key at hand pays; the desk's own slot cost is
/// measured apart, as "passphrase slot unlock").
const BENCH_PASSPHRASE: &str = "bench station passphrase";

fn unlock() -> Unlock {
    Unlock::Passphrase(stationdesk::store::Passphrase::new(BENCH_PASSPHRASE))
}

/// A SQLite connection to `path` with its key, for the baselines.
fn sqlite(path: &Path) -> Result<rusqlite::Connection, String> {
    stationdesk::store::raw_connection(path, &unlock()).map_err(fail)
}

fn count_all(conn: &rusqlite::Connection) -> Result<Duration, String> {
    let (took, n) =
        timed(|| conn.query_row("SELECT count(*) FROM intake", [], |r| r.get::<_, i64>(0)));
    n.map_err(fail)?;
    Ok(took)
}

/// The peak resident memory of a child process, read from `/proc` while it runs (Linux).
fn run_measured(command: &mut Command) -> Result<(Duration, Option<u64>), String> {
    let started = Instant::now();
    let mut child = command
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .map_err(fail)?;
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status_file) {
            for line in text.lines() {
                if let Some(kb) = line.strip_prefix("VmHWM:") {
                    let kb: u64 = kb.trim().trim_end_matches("kB").trim().parse().unwrap_or(0);
                    peak = Some(peak.unwrap_or(0).max(kb * 1024));
                }
            }
        }
        if let Some(status) = child.try_wait().map_err(fail)? {
            if !status.success() {
                let mut err = String::new();
                if let Some(mut stderr) = child.stderr.take() {
                    use std::io::Read;
                    let _ = stderr.read_to_string(&mut err);
                }
                return Err(format!("{command:?}: {err}"));
            }
            return Ok((started.elapsed(), peak));
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn have(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok()
}

/// The tables of the kinds, in bundle order.
fn tables() -> Vec<&'static str> {
    struct Tables(Vec<&'static str>);
    impl KindVisitor for Tables {
        type Error = StoreError;
        fn visit<T: RecordTable>(&mut self) -> Result<(), StoreError> {
            self.0.push(T::TABLE);
            Ok(())
        }
    }
    let mut tables = Tables(Vec::new());
    let _ = each_kind(&mut tables);
    tables.0
}

/// `stationdesk sql --json` (the shape of `sqlite3 -json`, which cannot open the encrypted
/// file) of every kind's table, `zip`, `age` to `recipient`, `minisign`: what the export does
/// at its plainest, with the standard programs.
fn pipeline(
    exe: &Path,
    db: &Path,
    work: &Path,
    recipient: &str,
) -> Result<(Measure, Measure), String> {
    if !["zip", "age", "minisign"].iter().all(|p| have(p)) {
        return Ok((Measure::Missing, Measure::Missing));
    }
    let dir = work.join("pipeline");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).map_err(fail)?;
    let key = dir.join("minisign.key");
    let made = Command::new("minisign")
        .args(["-G", "-W", "-p"])
        .arg(dir.join("minisign.pub"))
        .arg("-s")
        .arg(&key)
        .stdout(std::process::Stdio::null())
        .status()
        .map_err(fail)?;
    if !made.success() {
        return Ok((Measure::Missing, Measure::Missing));
    }
    let mut script = String::new();
    for table in tables() {
        script.push_str(&format!(
            "'{}' --db '{}' sql --json 'SELECT * FROM {table}' > {table}.json && ",
            exe.display(),
            db.display()
        ));
    }
    script.push_str(&format!(
        "zip -q b.zip *.json && age -r {recipient} -o b.age b.zip && minisign -S -W -s minisign.key -m b.age > /dev/null"
    ));
    let (took, _) = run_measured(
        Command::new("sh")
            .arg("-c")
            .arg(&script)
            .env("STATIONDESK_PASSPHRASE", BENCH_PASSPHRASE)
            .current_dir(&dir),
    )?;
    let size = std::fs::metadata(dir.join("b.age"))
        .map(|m| Measure::Bytes(m.len()))
        .unwrap_or(Measure::Missing);
    let _ = std::fs::remove_dir_all(&dir);
    Ok((Measure::Time(took), size))
}

/// Every figure on the database at `path` of `records` records.
fn measure(
    path: &Path,
    records: usize,
    runs: usize,
    work: &Path,
    desk_only: bool,
) -> Result<Vec<Figure>, String> {
    let exe = std::env::current_exe().map_err(fail)?;
    let conn = sqlite(path)?;
    let size = std::fs::metadata(path).map_err(fail)?.len();
    let mut figures = vec![Figure {
        name: "database bytes per record",
        value: Measure::Bytes(size / records.max(1) as u64),
        baseline: None,
    }];

    // Desk start to the home screen, drawn.
    let mut starts = Vec::new();
    let mut counts = Vec::new();
    for _ in 0..runs {
        let (took, app) = timed(|| desk(path).and_then(|app| draw(&app).map(|()| app)));
        app?;
        starts.push(took);
        counts.push(count_all(&conn)?);
    }
    let count = Measure::Time(median(counts));
    figures.push(Figure {
        name: "desk start to the home screen",
        value: Measure::Time(median(starts)),
        baseline: Some(("count(*) of the visits", count)),
    });

    let mut app = desk(path)?;
    sign_in(&mut app)?;
    // Opening the visit list, then F5 (overdue or due today), each drawn.
    let mut opens = Vec::new();
    let mut urgent = Vec::new();
    for _ in 0..runs {
        let (took, drawn) = timed(|| {
            app.handle_key(key(KeyCode::Char('v')));
            draw(&app)
        });
        drawn?;
        opens.push(took);
        let (took, drawn) = timed(|| {
            app.handle_key(key(KeyCode::F(5)));
            draw(&app)
        });
        drawn?;
        urgent.push(took);
        app.handle_key(key(KeyCode::F(5)));
        app.handle_key(key(KeyCode::Esc));
    }
    let (page, rows) = timed(|| {
        conn.prepare("SELECT * FROM intake ORDER BY visited_at DESC LIMIT 36")
            .and_then(|mut s| s.query_map([], |_| Ok(())).map(|rows| rows.count()))
    });
    rows.map_err(fail)?;
    figures.push(Figure {
        name: "opening the visit list",
        value: Measure::Time(median(opens)),
        baseline: Some(("a page of 36 rows, plain SQL", Measure::Time(page))),
    });
    figures.push(Figure {
        name: "F5: overdue and due today",
        value: Measure::Time(median(urgent)),
        baseline: Some(("count(*) of the visits", count)),
    });

    // Saving a walk-in: F3, category and request typed, Ctrl-S until it is registered.
    let mut saves = Vec::new();
    for n in 0..runs {
        app.handle_key(key(KeyCode::F(3)));
        for c in "停车".chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        app.handle_key(key(KeyCode::Tab));
        for c in format!("院子围起来以后没地方停车，第{n}次").chars() {
            app.handle_key(key(KeyCode::Char(c)));
        }
        let (took, drawn) = timed(|| {
            app.handle_key(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
            draw(&app)
        });
        drawn?;
        if app.message.as_ref().is_none_or(|m| m.error) {
            return Err(format!("the walk-in was not saved: {:?}", app.message));
        }
        saves.push(took);
        app.handle_key(key(KeyCode::Esc));
    }
    let (insert, inserted) = timed(|| {
        conn.execute(
            "INSERT INTO settings (key, value) VALUES ('bench', '1')
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [],
        )
    });
    inserted.map_err(fail)?;
    figures.push(Figure {
        name: "saving a walk-in (Ctrl-S until saved)",
        value: Measure::Time(median(saves)),
        baseline: Some(("one plain INSERT, committed", Measure::Time(insert))),
    });

    // The returning-visitor lookup for the commonest name, as each keystroke asks it.
    let common: String = conn
        .query_row(
            "SELECT visitor_name FROM intake WHERE visitor_name <> ''
             GROUP BY visitor_name ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap_or_default();
    let mut lookups = Vec::new();
    let mut plain = Vec::new();
    for _ in 0..runs {
        let (took, found) = timed(|| app.desk.store.returning_visits("", "", &common, None, 5));
        found.map_err(fail)?;
        lookups.push(took);
        let (took, rows) = timed(|| {
            conn.prepare_cached("SELECT id FROM intake WHERE visitor_name = ?1 LIMIT 5")
                .and_then(|mut s| s.query_map([&common], |_| Ok(())).map(|rows| rows.count()))
        });
        rows.map_err(fail)?;
        plain.push(took);
    }
    figures.push(Figure {
        name: "returning visitors for a common name",
        value: Measure::Time(median(lookups)),
        baseline: Some((
            "5 rows of the name, plain SQL",
            Measure::Time(median(plain)),
        )),
    });
    super::bench_search::search_figures(&app.desk.store, &conn, &common, runs, &mut figures)?;
    // The home dashboard and one member's record for the year, from the tallies: the
    // baseline counts the member's visits of the year through their index.
    let now = chrono::Local::now().naive_local();
    let today = now.date();
    let member = first_member(&app.desk.store)?.meta.id;
    let mut boards = Vec::new();
    let mut records_read = Vec::new();
    let mut member_counts = Vec::new();
    let year = stationdesk::domain::performance::Period::year_of(today);
    let (first, last) = year.bounds();
    // Each figure in its own loop: the baseline's walk over the member's visits would
    // otherwise leave the processor's caches cold for the next tiny read.
    for _ in 0..runs {
        let (took, board) = timed(|| app.desk.store.dashboard(now));
        board.map_err(fail)?;
        boards.push(took);
    }
    for _ in 0..runs {
        let (took, record) = timed(|| app.desk.store.member_record(member, year, now));
        record.map_err(fail)?;
        records_read.push(took);
    }
    for _ in 0..runs {
        let (took, n) = timed(|| {
            conn.query_row(
                "SELECT count(*) FROM intake WHERE member_id = ?1 AND deleted_at IS NULL
                 AND visited_at >= ?2 AND visited_at < ?3",
                rusqlite::params![
                    member.to_string(),
                    first.to_string(),
                    (last + chrono::Duration::days(1)).to_string()
                ],
                |r| r.get::<_, i64>(0),
            )
        });
        n.map_err(fail)?;
        member_counts.push(took);
    }
    figures.push(Figure {
        name: "the home dashboard",
        value: Measure::Time(median(boards)),
        baseline: Some(("count(*) of the visits", count)),
    });
    figures.push(Figure {
        name: "one member's record for the year",
        value: Measure::Time(median(records_read)),
        baseline: Some((
            "count(*) of the member's visits that year",
            Measure::Time(median(member_counts)),
        )),
    });
    drop(app);

    if desk_only {
        return Ok(figures);
    }
    // The daily backup against VACUUM INTO.
    let backups = work.join("backups");
    let _ = std::fs::remove_dir_all(&backups);
    let store = Store::open(path, &unlock()).map_err(fail)?;
    let (took, made) = timed(|| store.backup_into(&backups));
    made.map_err(fail)?;
    drop(store);
    let vacuum = work.join("vacuum.db");
    let _ = std::fs::remove_file(&vacuum);
    let (vacuum_took, done) =
        timed(|| conn.execute("VACUUM INTO ?1", [vacuum.display().to_string()]));
    done.map_err(fail)?;
    let _ = std::fs::remove_file(&vacuum);
    let _ = std::fs::remove_dir_all(&backups);
    figures.push(Figure {
        name: "backup (with its quick check)",
        value: Measure::Time(took),
        baseline: Some(("VACUUM INTO", Measure::Time(vacuum_took))),
    });

    // The export of everything, and the county's import of it, as the programs run them.
    let key = work.join("county.key");
    let county_db = work.join("county.db");
    let _ = std::fs::remove_file(&key);
    remove_county(&county_db);
    let keygen = Command::new(&exe)
        .args(["county", "keygen", "--out"])
        .arg(&key)
        .output()
        .map_err(fail)?;
    let recipient = String::from_utf8_lossy(&keygen.stdout)
        .lines()
        .find(|l| l.starts_with("age1"))
        .map(str::to_string)
        .ok_or("county keygen printed no recipient")?;
    // The export runs on a copy of the demo database: every run's bundle is then the
    // station's first, which a new county database takes, and the demo database keeps no
    // bundle log or archive copies from one run to the next.
    let station = work.join("export-station.db");
    conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .map_err(fail)?;
    std::fs::copy(path, &station).map_err(fail)?;
    std::fs::copy(
        stationdesk::store::keys_path(path),
        stationdesk::store::keys_path(&station),
    )
    .map_err(fail)?;
    // A copy of a database that wrote bundles in an earlier run forgets them: this run's
    // bundle is the station's first again.
    sqlite(&station)?
        .execute_batch("DELETE FROM bundle_log")
        .map_err(fail)?;
    let configured = Command::new(&exe)
        .env("STATIONDESK_PASSPHRASE", BENCH_PASSPHRASE)
        .arg("--db")
        .arg(&station)
        .args(["config", "set", "county-recipient", &recipient])
        .output()
        .map_err(fail)?;
    if !configured.status.success() {
        return Err(String::from_utf8_lossy(&configured.stderr).into_owned());
    }
    let stick = work.join("stick");
    let _ = std::fs::remove_dir_all(&stick);
    std::fs::create_dir_all(&stick).map_err(fail)?;
    let (export_took, export_peak) = run_measured(
        Command::new(&exe)
            .env("STATIONDESK_PASSPHRASE", BENCH_PASSPHRASE)
            .arg("--db")
            .arg(&station)
            .args(["export", "--all", "--out"])
            .arg(&stick),
    )?;
    let (baseline, baseline_size) = pipeline(&exe, &station, work, &recipient)?;
    let archive = Store::open(&station, &unlock())
        .map(|store| stationdesk::bundle::archive_dir(&store))
        .map_err(fail)?;
    let _ = std::fs::remove_dir_all(archive);
    for file in [
        station.clone(),
        station.with_extension("db-wal"),
        station.with_extension("db-shm"),
        station.with_extension("db.keys"),
    ] {
        let _ = std::fs::remove_file(file);
    }
    figures.push(Figure {
        name: "export of every record",
        value: Measure::Time(export_took),
        baseline: Some(("sqlite3 -json + zip + age + minisign", baseline)),
    });
    figures.push(Figure {
        name: "export peak memory",
        value: export_peak.map(Measure::Bytes).unwrap_or(Measure::Missing),
        baseline: None,
    });
    let bundle = std::fs::read_dir(&stick)
        .map_err(fail)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|e| e == "sdb1"))
        .ok_or("the export wrote no bundle")?;
    let (import_took, import_peak) = run_measured(
        Command::new(&exe)
            .args(["county", "import", "--county-db"])
            .arg(&county_db)
            .arg("--identity")
            .arg(&key)
            .arg(&bundle),
    )?;
    let bundle_size = std::fs::metadata(&bundle)
        .map(|m| Measure::Bytes(m.len()))
        .unwrap_or(Measure::Missing);
    figures.push(Figure {
        name: "bundle size",
        value: bundle_size,
        baseline: Some(("the pipeline's zip, encrypted", baseline_size)),
    });
    figures.push(Figure {
        name: "county import of the bundle",
        value: Measure::Time(import_took),
        baseline: Some(("the export", Measure::Time(export_took))),
    });
    figures.push(Figure {
        name: "county import, records a second",
        value: Measure::Count((records as f64 / import_took.as_secs_f64().max(1e-9)) as u64),
        baseline: None,
    });
    figures.push(Figure {
        name: "county import peak memory",
        value: import_peak.map(Measure::Bytes).unwrap_or(Measure::Missing),
        baseline: None,
    });
    // The county's workbook of what was imported.
    let workbook = work.join("county-report.xlsx");
    let (report_took, report_peak) = run_measured(
        Command::new(&exe)
            .args(["county", "report", "--county-db"])
            .arg(&county_db)
            .arg("--identity")
            .arg(&key)
            .arg("--out")
            .arg(&workbook),
    )?;
    let _ = std::fs::remove_file(&workbook);
    figures.push(Figure {
        name: "county report of it",
        value: Measure::Time(report_took),
        baseline: Some(("the county import", Measure::Time(import_took))),
    });
    figures.push(Figure {
        name: "county report peak memory",
        value: report_peak.map(Measure::Bytes).unwrap_or(Measure::Missing),
        baseline: None,
    });
    let _ = std::fs::remove_dir_all(&stick);
    remove_county(&county_db);
    Ok(figures)
}

/// Removes a county file with its keys, WAL and shared memory (a run's county is made with
/// that run's key).
fn remove_county(county_db: &Path) {
    for suffix in ["", "-wal", "-shm", ".keys"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", county_db.display()));
    }
}

/// Runs the bench for each size in `sizes` and prints the figures.
pub fn bench(
    sizes: &[usize],
    dir: &Path,
    runs: usize,
    fresh: bool,
    desk_only: bool,
) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(fail)?;
    let runs = runs.max(1);
    let mut all: Vec<(usize, Vec<Figure>)> = Vec::new();
    for &records in sizes {
        let (path, built) = database(dir, records, fresh)?;
        println!();
        match built {
            Some(took) => println!(
                "{records} records: demo built in {:.1} s ({:.0} records/s)",
                took.as_secs_f64(),
                records as f64 / took.as_secs_f64().max(1e-9)
            ),
            None => println!(
                "{records} records: demo database reused ({})",
                path.display()
            ),
        }
        let figures = measure(&path, records, runs, dir, desk_only)?;
        println!(
            "  {:<40} {:>10}   {:<38} {:>10} {:>8}",
            "figure", "median", "baseline", "", "ratio"
        );
        for f in &figures {
            let (name, base) = f.baseline.unwrap_or(("", Measure::Missing));
            println!(
                "  {:<40} {:>10}   {:<38} {:>10} {:>8}",
                f.name,
                f.value.text(),
                name,
                if name.is_empty() {
                    String::new()
                } else {
                    base.text()
                },
                if name.is_empty() {
                    String::new()
                } else {
                    ratio(f.value, base)
                }
            );
        }
        all.push((records, figures));
    }
    if let (Some((first, a)), Some((last, b))) = (all.first(), all.last()) {
        if all.len() > 1 {
            println!();
            println!("  growth from {first} to {last} records (ratio of medians)");
            for (fa, fb) in a.iter().zip(b) {
                println!(
                    "  {:<40} {:>10} {:>10} {:>8}",
                    fa.name,
                    fa.value.text(),
                    fb.value.text(),
                    ratio(fb.value, fa.value)
                );
            }
        }
    }
    Ok(())
}

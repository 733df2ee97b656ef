//! The `stationdesk` binary: parses arguments, opens the store, runs the TUI or a subcommand.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use stationdesk::domain::{Member, StationSetup};
use stationdesk::i18n::{self, Language};
use stationdesk::store::{self, Store, StoreError};
use stationdesk::{demo, tr};

mod cli {
    pub mod bench;
    pub mod bench_search;
    pub mod config;
    pub mod county;
    pub mod county_measure;
    pub mod crash;
    pub mod documents;
    pub mod files;
    pub mod measure;
    pub mod performance;
    pub mod records;
    pub mod roster;
    pub mod sql;
    pub mod station;
    pub mod unlock;
}
use cli::county::{county, verify_bundle};
use cli::crash::crash_writer;
use cli::documents::{agreement, register};
use cli::files::check;
use cli::performance::{assess, record, stats};
use cli::records::{list_members, search};
use cli::roster::roster;

#[derive(Parser)]
#[command(
    name = "stationdesk",
    version,
    about = "委员工作站值班台 - the duty desk of a member working station"
)]
struct Cli {
    /// The database file (default: the platform data directory).
    #[arg(long, global = true, env = "STATIONDESK_DB", value_name = "PATH")]
    db: Option<PathBuf>,
    /// Language of messages and screens: zh-CN (default) or en.
    #[arg(long, global = true, env = "STATIONDESK_LANG", value_name = "LANG")]
    lang: Option<String>,
    /// Read the station passphrase from the first line of FILE (else STATIONDESK_PASSPHRASE,
    /// this computer's slot, or the terminal).
    #[arg(long, global = true, value_name = "FILE")]
    passphrase_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Initialise the station (once), creating its signing key pair.
    Init {
        #[arg(long)]
        name: String,
        #[arg(long)]
        code: String,
        #[arg(long, default_value = "")]
        county: String,
        /// The county office's age recipient (age1…).
        #[arg(long, default_value = "")]
        county_recipient: String,
    },
    /// Print the station's public signing key in minisign format.
    Keys,
    /// Fill the database with generated demo data.
    Demo {
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, default_value_t = 40)]
        members: usize,
        #[arg(long, default_value_t = 1000)]
        records: usize,
    },
    /// Make a backup now and print its path.
    Backup {
        /// Directory to write into (default: backups/ beside the database).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Replace the database with a backup (the current one is backed up first). With no
    /// database here yet (a new PC), the backup and its .keys become the database.
    Restore { file: PathBuf },
    /// Check the database's integrity.
    Check,
    /// List the backups (marking the plain ones of earlier versions), or delete the plain ones.
    Backups {
        /// Delete the backups made before the station file was encrypted.
        #[arg(long)]
        delete_plain: bool,
    },
    /// Run a read-only SQL query on the station file (after unlocking it) and print the rows.
    Sql {
        query: String,
        /// A JSON array of objects, as `sqlite3 -json` prints.
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// CSV, as `sqlite3 -csv` prints (with --header, a header line first).
        #[arg(long)]
        csv: bool,
        #[arg(long, requires = "csv")]
        header: bool,
    },
    /// Set a new station passphrase (typed twice, or from --new-passphrase-file).
    Passphrase {
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
    },
    /// Open this station on this computer without typing the passphrase (on), or not (off).
    ThisComputer {
        #[arg(value_parser = ["on", "off"])]
        state: String,
    },
    /// List the member registry.
    Members {
        /// Chinese substring or pinyin initials of the name.
        #[arg(long, default_value = "")]
        filter: String,
        /// Include deactivated members.
        #[arg(long)]
        all: bool,
        /// Print JSON lines instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Search every record: Chinese substrings of any length, names by pinyin.
    Search {
        query: String,
        /// Only this kind: member, intake, …
        #[arg(long)]
        kind: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Print a JSON array of {kind, id, title, date, snippet}.
        #[arg(long)]
        json: bool,
    },
    /// Write the next county bundle (what changed since the last one) into DIR.
    Export {
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// Every record, not only the changes.
        #[arg(long)]
        all: bool,
        /// A masked, unencrypted .sdb1.zip for reading (ID and phone numbers masked); the
        /// county does not import it, and it takes no bundle number.
        #[arg(long)]
        plaintext: bool,
        /// Write a bundle even when nothing changed since the last one.
        #[arg(long)]
        allow_empty: bool,
        /// Write the archived bundle SEQ again (one recorded but not delivered) instead of a
        /// new one.
        #[arg(long, value_name = "SEQ", conflicts_with_all = ["all", "plaintext", "allow_empty"])]
        again: Option<u64>,
    },
    /// Check a bundle: decryption (with --identity), zip, hashes, signature.
    Verify {
        file: PathBuf,
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// The county office's side: keys, import, report.
    County {
        #[command(subcommand)]
        action: CountyAction,
    },
    /// The duty roster: write a month as .ics and .xlsx, or print the duty report.
    Roster {
        #[command(subcommand)]
        action: RosterAction,
    },
    /// Write the people's mediation agreement (人民调解协议书) of a case as .docx.
    Agreement {
        /// The case number, e.g. QX01-2026-007.
        case_no: String,
        /// Directory to write into (default: documents/ beside the database).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Leave the date under the seal blank, to be written by hand at signing.
        #[arg(long)]
        blank_date: bool,
    },
    /// Write the visitor register (来访登记簿) of a month or a date range as .docx and .xlsx.
    Register {
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
        month: Option<String>,
        /// The first day (with --to): 2026-12-01, 12-01, 12月1日, 20261201, 今天, 昨天…
        #[arg(long, value_name = "DATE", requires = "to")]
        from: Option<String>,
        /// The last day (with --from), written the same ways.
        #[arg(long, value_name = "DATE", requires = "from")]
        to: Option<String>,
        /// Write phone numbers whole (they are masked by default).
        #[arg(long)]
        whole_contact: bool,
        /// Directory to write into (default: documents/ beside the database).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// A member's record of work (履职档案) for a year or the whole term, with the year's
    /// points and grade: printed, as JSON, or written as .docx.
    Record {
        /// The member's name (as in the registry) or id.
        #[arg(long, value_name = "NAME|ID")]
        member: String,
        /// The year (default: this year).
        #[arg(long, value_name = "YYYY", conflicts_with = "term")]
        year: Option<i32>,
        /// Everything on record instead of one year.
        #[arg(long)]
        term: bool,
        /// Print JSON: {record, assessment}.
        #[arg(long)]
        json: bool,
        /// Write the record as .docx into DIR (default: documents/ beside the database).
        #[arg(long, value_name = "DIR", num_args = 0..=1)]
        docx: Option<Option<PathBuf>>,
    },
    /// The year's assessment of every member (indicators met, points, grade), by the rules in
    /// lists/assessment.toml: printed, as JSON, or written as .xlsx.
    Assess {
        /// The year (default: this year).
        #[arg(long, value_name = "YYYY")]
        year: Option<i32>,
        /// Print a JSON array with every member's assessment and why.
        #[arg(long)]
        json: bool,
        /// Write the assessment table as .xlsx to FILE (or into FILE when it is a directory).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// The month's figures (月度统计): visits, cases, duty, 4+X, activities.
    Stats {
        /// The month, YYYY-MM.
        #[arg(long, value_name = "YYYY-MM")]
        month: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Write the figures as .xlsx to FILE (or into FILE when it is a directory).
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// Build demo databases of the given sizes and print what the desk, the backup, the export
    /// and the county's import take on each, beside baselines measured in the same run.
    Bench {
        /// Sizes in records, comma-separated (the growth is shown from the first to the last).
        #[arg(long, value_delimiter = ',', default_values_t = [10_000usize, 100_000])]
        records: Vec<usize>,
        /// Where the demo databases are kept between runs.
        #[arg(long, value_name = "DIR", default_value = "target/bench-data")]
        dir: PathBuf,
        /// Runs of each desk figure (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
        /// Build the demo databases again even when they are there.
        #[arg(long)]
        fresh: bool,
        /// Only the desk's figures (no backup, export or import).
        #[arg(long)]
        desk_only: bool,
    },
    /// Read or change a station setting.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
    /// Inserts members in a loop, printing each id once its commit returned (crash tests).
    #[command(hide = true)]
    CrashWriter {
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
    },
}

#[derive(Subcommand)]
enum CountyAction {
    /// Make the county office's X25519 identity file; prints the age1… recipient.
    Keygen {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Merge station bundles into the county database.
    Import {
        /// A SQLite file, or a PostgreSQL connection string (postgres://… or host=… dbname=…).
        #[arg(long, value_name = "PATH|URL")]
        county_db: String,
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        /// Confirms that a new station under this code is the listed station of that code
        /// re-installed: its key is pinned in place of the old one, the old records are kept.
        #[arg(long, value_name = "CODE", requires = "reason")]
        reinstalled: Option<String>,
        /// Why (kept in the county's log with the confirmation).
        #[arg(long, value_name = "TEXT", requires = "reinstalled")]
        reason: Option<String>,
        /// Flag a counted record entered more than this many days after the day it records.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        late_days: u32,
        #[arg(required = true)]
        bundles: Vec<PathBuf>,
    },
    /// Generate a county at scale: the bundles of N demo stations over Y years, into DIR.
    Demo {
        #[arg(long, default_value_t = 10)]
        stations: usize,
        #[arg(long, default_value_t = 1)]
        years: u32,
        /// Desk records a station writes in a year.
        #[arg(long, default_value_t = 1000)]
        records_per_year: usize,
        /// A station's registry in its first year.
        #[arg(long, default_value_t = 40)]
        members: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Print the county desk's figures on a county database: opening, a page of the stations
    /// and of the members, search by 1 to 4 characters, a year's hot issues, peak memory.
    Measure {
        /// A SQLite file, or a PostgreSQL connection string.
        #[arg(long, value_name = "PATH|URL")]
        county_db: String,
        /// The county's identity file, to open an encrypted SQLite file (else its passphrase).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// Runs of each figure (the median is printed).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Copy a county's SQLite file into PostgreSQL (or another store), then check it.
    Migrate {
        /// The county database to copy from.
        #[arg(long, value_name = "PATH|URL")]
        from: String,
        /// The county database to copy into (must hold no station yet).
        #[arg(long, value_name = "PATH|URL")]
        to: String,
        /// The county's identity file, to open an encrypted SQLite file (else its passphrase).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
    },
    /// Run one read-only SQL statement on the county's (encrypted) SQLite file and print the
    /// rows: as a table, or as sqlite3 -json / -csv would.
    Sql {
        #[arg(long, value_name = "PATH")]
        county_db: String,
        /// The county's identity file (else the county database's passphrase is asked).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        query: String,
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        #[arg(long)]
        csv: bool,
        /// With --csv: a first row of column names.
        #[arg(long, requires = "csv")]
        header: bool,
    },
    /// Set or change the passphrase of the county's SQLite file (opened with --identity, or
    /// with its current passphrase); with --identity-slot FILE, let that identity open it too.
    Passphrase {
        #[arg(long, value_name = "PATH")]
        county_db: String,
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// The new passphrase's file (else it is typed twice).
        #[arg(long, value_name = "FILE")]
        new_passphrase_file: Option<PathBuf>,
        /// Instead of a passphrase: add identity slots for this identity file's recipients.
        #[arg(long, value_name = "FILE", conflicts_with = "new_passphrase_file")]
        identity_slot: Option<PathBuf>,
    },
    /// Recover a station's key with the county's identity (from the station's .keys file or a
    /// bundle's escrow) and write a new keys file with a one-time passphrase, printed.
    Recover {
        #[arg(long, value_name = "FILE")]
        identity: PathBuf,
        /// The station's keys file (stationdesk.db.keys, or a backup's).
        #[arg(
            long,
            value_name = "FILE",
            conflicts_with = "bundle",
            required_unless_present = "bundle"
        )]
        keys: Option<PathBuf>,
        /// A bundle of the station (.sdb1.age): its manifest carries the escrow.
        #[arg(long, value_name = "FILE")]
        bundle: Option<PathBuf>,
        /// Where to write the new keys file (default: over --keys, or stationdesk.db.keys here).
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// The county office's desk: every station at a glance, its members, search, import
    /// from a stick.
    Desk {
        /// A SQLite file, or a PostgreSQL connection string.
        #[arg(long, value_name = "PATH|URL")]
        county_db: String,
        /// The county's identity file: opens the bundles to import (and an encrypted SQLite
        /// file; else its passphrase is asked).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// Flag a counted record entered more than this many days after the day it records.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        late_days: u32,
    },
    /// Rebuild the report tables (report_station, report_<kind>) that other tools read.
    Views {
        /// A SQLite file, or a PostgreSQL connection string.
        #[arg(long, value_name = "PATH|URL")]
        county_db: String,
        /// The county's identity file, to open an encrypted SQLite file (else its passphrase).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// Flag a counted record entered more than this many days after the day it records.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        late_days: u32,
    },
    /// Write the county report workbook.
    Report {
        /// A SQLite file, or a PostgreSQL connection string.
        #[arg(long, value_name = "PATH|URL")]
        county_db: String,
        /// The county's identity file, to open an encrypted SQLite file (else its passphrase).
        #[arg(long, value_name = "FILE")]
        identity: Option<PathBuf>,
        /// The workbook to write; a kind with more records than it lists (--rows) has every
        /// record in <FILE's name>-<kind>.csv beside it.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Count another year again from every record (default: this year, as the imports
        /// counted it, which is what the county desk shows).
        #[arg(long, conflicts_with = "term")]
        year: Option<i32>,
        /// Count the whole term (every year) again from every record.
        #[arg(long)]
        term: bool,
        /// The most records of one kind the workbook lists (the latest; every one is in the
        /// kind's CSV beside it).
        #[arg(long, value_name = "N", default_value_t = 100_000, value_parser = clap::value_parser!(u64).range(1..))]
        rows: u64,
        /// Flag a counted record entered more than this many days after the day it records.
        #[arg(long, value_name = "DAYS", default_value_t = 30)]
        late_days: u32,
    },
}

#[derive(Subcommand)]
enum RosterAction {
    /// Write the month's roster as 值班表-YYYY-MM.ics and .xlsx.
    Export {
        /// The month, YYYY-MM.
        #[arg(long)]
        month: String,
        /// Directory to write into (default: documents/ beside the database).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    /// Per member: scheduled, served, missed, swapped, on leave; and the coverage.
    Report {
        /// A month, YYYY-MM.
        #[arg(long, conflicts_with = "year")]
        month: Option<String>,
        /// A whole year.
        #[arg(long)]
        year: Option<i32>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand)]
enum ConfigAction {
    /// `county-recipient age1…`, `case-pattern {station}-{year}-{seq}`, `case-days 30`,
    /// `reply-days 15`, `follow-up-days 7`
    Set {
        key: String,
        value: String,
    },
    Get {
        key: String,
    },
}

enum Failure {
    Store(StoreError),
    Bundle(stationdesk::bundle::BundleError),
    Message(String),
}

impl From<stationdesk::bundle::BundleError> for Failure {
    fn from(err: stationdesk::bundle::BundleError) -> Failure {
        Failure::Bundle(err)
    }
}

impl From<StoreError> for Failure {
    fn from(err: StoreError) -> Failure {
        Failure::Store(err)
    }
}

fn main() -> ExitCode {
    // Every file and folder the program makes is its user's alone (0600 and 0700), whatever
    // umask the session has: the database, its WAL and shared memory, the keys, backups,
    // bundles, documents and exports. On Windows the user's profile folder's default ACL
    // admits that user alone, which is the same intent.
    #[cfg(target_os = "linux")]
    rustix::process::umask(rustix::fs::Mode::from_raw_mode(0o077));
    let cli = Cli::parse();
    // An unknown language is refused with the ones there are, never silently Chinese.
    let language = match cli.lang.as_deref() {
        None => Language::default(),
        Some(text) => match Language::parse(text) {
            Some(language) => language,
            None => {
                eprintln!(
                    "{}",
                    tr!(
                        "cli.error",
                        message = tr!("cli.unknown_language", value = text)
                    )
                );
                return ExitCode::from(2);
            }
        },
    };
    i18n::set_language(language);
    match run(cli) {
        Ok(code) => code,
        Err(failure) => {
            let message = match failure {
                Failure::Store(err) => stationdesk::messages::store_error(&err),
                Failure::Bundle(err) => stationdesk::messages::bundle_error(&err),
                Failure::Message(message) => message,
            };
            eprintln!("{}", tr!("cli.error", message = message));
            ExitCode::FAILURE
        }
    }
}

fn db_path(cli: &Cli) -> Result<PathBuf, Failure> {
    let path = cli
        .db
        .clone()
        .or_else(store::default_db_path)
        .ok_or_else(|| Failure::Message(tr!("cli.no_data_dir")))?;
    // Resolved once, against the current directory, before anything opens it: every open
    // (plain, read-only, by URI) then names the same file.
    Ok(std::path::absolute(&path).unwrap_or(path))
}

fn run(cli: Cli) -> Result<ExitCode, Failure> {
    let path = db_path(&cli)?;
    // A `--db` in a folder that does not exist is a typing mistake, not a new station: only
    // `init` and the desk's first run (whose wizard sets the station up) make the folder.
    // `restore` puts a backup onto a new PC, where the folder is not there yet either.
    let makes_a_station = matches!(
        cli.command,
        None | Some(Command::Init { .. }) | Some(Command::Restore { .. })
    );
    if let (Some(db), false) = (&cli.db, makes_a_station) {
        if let Some(folder) = db.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !folder.is_dir() {
                return Err(Failure::Message(tr!(
                    "cli.no_such_folder",
                    folder = folder.display()
                )));
            }
        }
    }
    let source = cli::unlock::KeySource {
        passphrase_file: cli.passphrase_file.clone(),
        ignore_env: false,
    };
    let Some(command) = cli.command else {
        let language = cli.lang.as_deref().and_then(Language::parse);
        return run_desk(&path, language, &source);
    };
    match command {
        Command::Check => return check(&path, &source),
        Command::Backups { delete_plain } => return cli::station::backups(&path, delete_plain),
        Command::Bench {
            records,
            dir,
            runs,
            fresh,
            desk_only,
        } => {
            cli::bench::bench(&records, &dir, runs, fresh, desk_only).map_err(Failure::Message)?;
            return Ok(ExitCode::SUCCESS);
        }
        Command::Verify { file, identity } => return verify_bundle(&file, identity.as_deref()),
        Command::County { action } => return county(action, &source),
        // A backup only reads: it works from a read-only disk or file too.
        Command::Backup { out } => return cli::station::backup(&path, out, &source),
        Command::Restore { file } => return cli::station::restore(&path, &file, &source),
        Command::Sql {
            query,
            json,
            csv,
            header,
        } => {
            let unlock = source.unlock(&path)?;
            let format = cli::sql::Format::of(json, csv, header);
            return cli::sql::sql(&path, &unlock, &query, format);
        }
        _ => {}
    }
    let unlock = source.unlock(&path)?;
    let mut store = open_station(&path, &unlock)?;
    if store.slots().one_time() && !matches!(command, Command::Passphrase { .. }) {
        eprintln!("{}", tr!("cli.one_time_passphrase"));
    }
    store.set_actor(&cli_actor());
    match command {
        Command::Init {
            name,
            code,
            county,
            county_recipient,
        } => cli::station::init(
            &mut store,
            &path,
            StationSetup {
                name,
                code,
                county,
                county_recipient,
            },
        )?,
        Command::Keys => cli::station::keys(&store)?,
        Command::Passphrase {
            new_passphrase_file,
        } => cli::station::passphrase(&mut store, new_passphrase_file)?,
        Command::ThisComputer { state } => cli::station::this_computer(&mut store, state == "on")?,
        Command::Demo {
            seed,
            members,
            records,
        } => cli::station::demo(
            &mut store,
            demo::DemoOptions {
                seed,
                members,
                records,
            },
        )?,
        Command::Members { filter, all, json } => list_members(&store, filter, all, json)?,
        Command::Search {
            query,
            kind,
            limit,
            json,
        } => search(&store, &query, kind.as_deref(), limit, json)?,
        Command::Config { action } => cli::config::config(&mut store, action)?,
        Command::CrashWriter { count } => crash_writer(&mut store, count)?,
        Command::Roster { action } => roster(&mut store, &path, action)?,
        Command::Record {
            member,
            year,
            term,
            json,
            docx,
        } => record(&store, &path, &member, year, term, json, docx)?,
        Command::Assess { year, json, xlsx } => assess(&store, year, json, xlsx)?,
        Command::Stats { month, json, xlsx } => stats(&store, &month, json, xlsx)?,
        Command::Agreement {
            case_no,
            out,
            blank_date,
        } => agreement(&store, &path, &case_no, out, blank_date)?,
        Command::Register {
            month,
            from,
            to,
            whole_contact,
            out,
        } => register(
            &store,
            &path,
            month.as_deref(),
            from.as_deref(),
            to.as_deref(),
            whole_contact,
            out,
        )?,
        Command::Export {
            again: Some(seq),
            out,
            ..
        } => cli::station::export_again(&store, &out, seq)?,
        Command::Export {
            out,
            all,
            plaintext,
            allow_empty,
            again: None,
        } => cli::station::export(
            &mut store,
            &out,
            stationdesk::bundle::ExportOptions {
                all,
                plaintext,
                allow_empty,
            },
        )?,
        Command::Check
        | Command::Backups { .. }
        | Command::Sql { .. }
        | Command::Bench { .. }
        | Command::Backup { .. }
        | Command::Restore { .. }
        | Command::Verify { .. }
        | Command::County { .. } => {}
    }
    Ok(ExitCode::SUCCESS)
}

/// Opens the station file, converting a plain one of an earlier version. For the tests that
/// stop the program at each step of a conversion, `STATIONDESK_KILL_AT=<step>` (a
/// [`store::ConvertStep`] name) kills the process with SIGKILL when that step is done.
fn open_station(path: &std::path::Path, unlock: &store::Unlock) -> Result<Store, StoreError> {
    let kill_at = std::env::var("STATIONDESK_KILL_AT").ok();
    Store::open_with(path, unlock, store::KdfCost::DESK, &mut |step| {
        match step {
            store::ConvertStep::Reindexing => eprintln!("{}", tr!("cli.reindexing")),
            store::ConvertStep::Reindexed => eprintln!("{}", tr!("cli.reindexed")),
            _ => {}
        }
        if kill_at.as_deref() == Some(step.name()) {
            #[cfg(unix)]
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGKILL);
        }
    })
}

fn cli_actor() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("USERNAME"))
        .unwrap_or_else(|_| "unknown".to_string());
    format!("cli:{user}")
}

fn run_desk(
    path: &std::path::Path,
    language: Option<Language>,
    source: &cli::unlock::KeySource,
) -> Result<ExitCode, Failure> {
    // Given, or this computer's: no question. Else the desk asks full-screen — to open the
    // file, or to set the passphrase of a new station (or of one of an earlier version).
    let unlock = match source.without_asking(path)? {
        Some(unlock) => unlock,
        None => {
            let screen = match store::file_state(path) {
                store::FileState::Encrypted => {
                    stationdesk::tui::screens::unlock::UnlockScreen::open(store::Slots::load(
                        &store::keys_path(path),
                    )?)
                }
                _ => stationdesk::tui::screens::unlock::UnlockScreen::new_station(),
            };
            match stationdesk::tui::ask_passphrase(screen) {
                Ok(Some(unlock)) => unlock,
                Ok(None) => return Ok(ExitCode::SUCCESS),
                Err(stationdesk::tui::TuiError::Store(err)) => return Err(Failure::Store(err)),
                Err(stationdesk::tui::TuiError::Terminal(err)) => {
                    return Err(Failure::Message(tr!("cli.terminal", reason = err)))
                }
            }
        }
    };
    let store = open_station(path, &unlock)?;
    match stationdesk::tui::run(store, language) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(stationdesk::tui::TuiError::Store(err)) => Err(Failure::Store(err)),
        Err(stationdesk::tui::TuiError::Terminal(err)) => {
            Err(Failure::Message(tr!("cli.terminal", reason = err)))
        }
    }
}

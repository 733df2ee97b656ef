//! The station's own commands: `init`, `keys`, `demo`, `backup`, `restore` and `export`.

use std::path::Path;

use stationdesk::domain::StationSetup;
use stationdesk::i18n;
use stationdesk::store::{self, Store, StoreError};
use stationdesk::{demo, tr};

use crate::cli::unlock::KeySource;
use crate::*;

/// Sets a new station passphrase, typed twice or read from `file`.
pub(crate) fn passphrase(store: &mut Store, file: Option<PathBuf>) -> Result<(), Failure> {
    // The environment's passphrase is the one that opened the file: the new one is read from
    // the file given, or typed.
    let source = KeySource {
        passphrase_file: file,
        ignore_env: true,
    };
    let new = source.new_passphrase()?;
    store.change_passphrase(&new, store::KdfCost::DESK)?;
    println!("{}", tr!("cli.passphrase_changed"));
    Ok(())
}

/// Turns this computer's slot on or off.
pub(crate) fn this_computer(store: &mut Store, on: bool) -> Result<(), Failure> {
    let machine = store::Machine::here().ok_or_else(|| Failure::Message(tr!("cli.no_data_dir")))?;
    store.set_this_computer(on, &machine)?;
    if !on {
        println!("{}", tr!("cli.this_computer_off"));
        return Ok(());
    }
    println!("{}", tr!("cli.this_computer_on"));
    match store.slots().this_computer_kept() {
        Some(store::Kept::System) => println!("{}", tr!("cli.this_computer_kept_system")),
        _ => println!(
            "{}",
            tr!(
                "cli.this_computer_kept_file",
                path = machine.dir().display()
            )
        ),
    }
    Ok(())
}

pub(crate) fn init(store: &mut Store, path: &Path, setup: StationSetup) -> Result<(), Failure> {
    let station = store.init_station(&setup)?;
    println!(
        "{}",
        tr!(
            "cli.initialised",
            name = station.name,
            code = station.code,
            path = path.display()
        )
    );
    println!("{}", station.public_key.trim_end());
    Ok(())
}

pub(crate) fn keys(store: &Store) -> Result<(), Failure> {
    let station = store.station()?.ok_or(StoreError::NotInitialised)?;
    println!("{}", station.public_key.trim_end());
    Ok(())
}

pub(crate) fn demo(store: &mut Store, options: demo::DemoOptions) -> Result<(), Failure> {
    let (members, records) = (options.members, options.records);
    let bar = indicatif::ProgressBar::new((members + records) as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} {per_sec} {eta}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let summary = demo::run(store, &options, &mut |done, _| {
        bar.set_position(done as u64)
    })?;
    bar.finish_and_clear();
    if summary.station_created {
        println!("{}", tr!("cli.demo_station"));
    }
    for (kind, count) in summary.counts {
        println!("{}: {count}", i18n::kind_name(kind.as_str()));
    }
    println!(
        "{}",
        tr!(
            "cli.demo_done",
            seconds = format!("{:.1}", started.elapsed().as_secs_f64())
        )
    );
    Ok(())
}

/// A copy of the database into `out` (its backups folder when none is given).
pub(crate) fn backup(
    path: &Path,
    out: Option<PathBuf>,
    source: &KeySource,
) -> Result<ExitCode, Failure> {
    let dir = out.unwrap_or_else(|| store::backup_dir_for(path));
    // A plain file of an earlier version is copied as it is, without asking for anything.
    let unlock = match store::file_state(path) {
        store::FileState::Encrypted => Some(source.unlock(path)?),
        _ => None,
    };
    println!(
        "{}",
        store::backup_file(path, &dir, unlock.as_ref())?.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The backups, oldest first, the plain ones marked; or the plain ones deleted.
pub(crate) fn backups(path: &Path, delete_plain: bool) -> Result<ExitCode, Failure> {
    let dir = store::backup_dir_for(path);
    for backup in store::list_backups(&dir) {
        if delete_plain && backup.plain {
            std::fs::remove_file(&backup.path).map_err(|e| {
                Failure::Store(StoreError::Io {
                    path: backup.path.clone(),
                    source: e,
                })
            })?;
            println!(
                "{}",
                tr!("cli.backup_deleted", path = backup.path.display())
            );
        } else if !delete_plain {
            let mark = if backup.plain {
                tr!("cli.backup_plain")
            } else {
                tr!("cli.backup_encrypted")
            };
            println!(
                "{}  {}  {mark}",
                backup.taken_at.format("%Y-%m-%d %H:%M:%S"),
                backup.path.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Puts `file` back in place of the database, after a copy of the database as it was. With
/// no database yet (a new PC), the backup and its keys file become the database, once the
/// passphrase opens them.
pub(crate) fn restore(path: &Path, file: &Path, source: &KeySource) -> Result<ExitCode, Failure> {
    if store::file_state(path) == store::FileState::Missing
        && store::file_state(file) == store::FileState::Encrypted
    {
        store::restore_onto_new(path, file, &source.unlock(file)?)?;
        println!("{}", tr!("cli.restored_new", file = file.display()));
        return Ok(ExitCode::SUCCESS);
    }
    let unlock = source.unlock(path)?;
    let mut store = Store::open(path, &unlock)?;
    // A backup of this file's key needs nothing more; one of another key (another PC's, or
    // before a recovery) is opened with its own passphrase, asked for then.
    let safety = match store::restore_from(&mut store, file, None) {
        Err(StoreError::Locked) => {
            store::restore_from(&mut store, file, Some(&source.unlock(file)?))?
        }
        other => other?,
    };
    println!(
        "{}",
        tr!(
            "cli.restored",
            file = file.display(),
            safety = safety.display()
        )
    );
    Ok(ExitCode::SUCCESS)
}

/// A bundle of what changed (or everything) for the county, into `out`.
pub(crate) fn export(
    store: &mut Store,
    out: &Path,
    options: stationdesk::bundle::ExportOptions,
) -> Result<(), Failure> {
    // Ctrl-C stops the export cleanly: nothing recorded, no partial file (where signals are
    // not caught, Windows, the next export removes what was left).
    #[cfg(unix)]
    let _stop = signal_hook::flag::register(signal_hook::consts::SIGINT, store.stop_flag());
    let outcome = stationdesk::bundle::export(store, out, options)?;
    println!("{}", stationdesk::messages::exported(&outcome));
    Ok(())
}

/// The archived bundle `seq` written again to `out` (a bundle recorded but not delivered).
pub(crate) fn export_again(store: &Store, out: &Path, seq: u64) -> Result<(), Failure> {
    let noted = store
        .bundles()?
        .into_iter()
        .find(|b| b.seq == seq && !b.plaintext)
        .ok_or_else(|| Failure::Message(tr!("cli.no_such_bundle", seq = seq)))?;
    let written = stationdesk::bundle::write_again(store, &noted.file_name, out)?;
    println!("{}", tr!("export.written_again", path = written.display()));
    Ok(())
}

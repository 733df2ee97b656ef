//! The station's own commands: `init`, `keys`, `demo`, `backup`, `restore` and `export`.

use std::path::Path;

use stationdesk::domain::StationSetup;
use stationdesk::i18n;
use stationdesk::store::{self, Store, StoreError};
use stationdesk::{demo, tr};

use crate::*;

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
pub(crate) fn backup(path: &Path, out: Option<PathBuf>) -> Result<ExitCode, Failure> {
    let dir = out.unwrap_or_else(|| store::backup_dir_for(path));
    println!("{}", store::backup_file(path, &dir)?.display());
    Ok(ExitCode::SUCCESS)
}

/// Puts `file` back in place of the database, after a copy of the database as it was.
pub(crate) fn restore(path: &Path, file: &Path) -> Result<ExitCode, Failure> {
    let mut store = Store::open(path)?;
    let safety = store::restore_from(&mut store, file)?;
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

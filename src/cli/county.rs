//! `verify` and `county`: checking a bundle anywhere, and the county office's key, imports
//! and report.

use std::process::ExitCode;

use stationdesk::i18n;
use stationdesk::tr;

use crate::*;

pub(crate) fn verify_bundle(
    file: &std::path::Path,
    identity: Option<&std::path::Path>,
) -> Result<ExitCode, Failure> {
    use stationdesk::bundle;
    let identities = match identity {
        Some(path) => bundle::load_identities(path)?,
        None => Vec::new(),
    };
    let verified = bundle::verify_file(file, &identities)?;
    let m = &verified.manifest;
    println!("{}: {}", file.display(), tr!("bundle.verified"));
    println!(
        "{}",
        tr!(
            "bundle.summary",
            name = stationdesk::text::sanitize(&m.station_name),
            code = stationdesk::text::sanitize(&m.station_code),
            seq = m.seq,
            from = m.rev_from,
            to = m.rev_to,
            encrypted = if verified.encrypted {
                tr!("bundle.encrypted")
            } else {
                tr!("bundle.plaintext")
            }
        )
    );
    for (kind, count) in &m.counts {
        println!(
            "  {}: {count}",
            stationdesk::text::sanitize(&i18n::kind_name(kind))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `county recover`: the station's key from its escrow (its keys file, or a bundle's
/// manifest), into a new keys file with a one-time passphrase, printed.
fn recover(
    identity: &std::path::Path,
    keys: Option<&std::path::Path>,
    bundle_file: Option<&std::path::Path>,
    out: Option<std::path::PathBuf>,
) -> Result<ExitCode, Failure> {
    use stationdesk::store;
    let identities = stationdesk::bundle::load_identities(identity)?;
    let (file, recipient, age, default_out) = match (keys, bundle_file) {
        (Some(keys), _) => {
            let slots = store::Slots::load(keys)?;
            let (recipient, age) = slots
                .escrow()
                .map(|(r, a)| (r.to_string(), a.to_string()))
                .ok_or_else(|| Failure::Message(tr!("county.no_escrow", path = keys.display())))?;
            (slots.file.clone(), recipient, age, keys.to_path_buf())
        }
        (None, Some(bundle_file)) => {
            let verified = stationdesk::bundle::verify_file(bundle_file, &identities)?;
            let escrow = verified.manifest.key_escrow.ok_or_else(|| {
                Failure::Message(tr!("county.no_escrow", path = bundle_file.display()))
            })?;
            (
                escrow.file,
                escrow.recipient,
                escrow.age,
                store::keys_path(std::path::Path::new(store::DB_FILE_NAME)),
            )
        }
        (None, None) => return Err(Failure::Message(tr!("county.recover_what"))),
    };
    let (slots, passphrase) =
        store::recover(&file, &recipient, &age, &identities, store::KdfCost::DESK)?;
    let out = out.unwrap_or(default_out);
    // The keys file there was is kept beside the new one.
    if out.exists() {
        let kept = std::path::PathBuf::from(format!("{}.before-recover", out.display()));
        std::fs::rename(&out, &kept).map_err(|e| {
            Failure::Store(store::StoreError::Io {
                path: kept.clone(),
                source: e,
            })
        })?;
    }
    slots.save(&out)?;
    println!("{}", tr!("county.recovered", path = out.display()));
    println!("{}", passphrase.as_str());
    Ok(ExitCode::SUCCESS)
}

/// What opens the county database `target`: nothing for PostgreSQL; for the SQLite file, the
/// identity file when one is named, and a passphrase — given (`--passphrase-file`,
/// `STATIONDESK_PASSPHRASE`) or typed at a terminal: for a new (or plain) file a new one,
/// typed twice, which may be skipped without a terminal when an identity makes the file; for
/// an encrypted one, asked only when no identity is named.
fn county_unlock(
    target: &str,
    identity: Option<&std::path::Path>,
    source: &cli::unlock::KeySource,
) -> Result<stationdesk::bundle::CountyUnlock, Failure> {
    use stationdesk::bundle::CountyUnlock;
    use stationdesk::store::{self, FileState};
    if stationdesk::bundle::is_postgres_target(target) {
        return Ok(CountyUnlock::none());
    }
    let unlock = match identity {
        Some(path) => CountyUnlock::identity_file(path)?,
        None => CountyUnlock::none(),
    };
    let path = std::path::Path::new(target);
    let passphrase = match store::file_state(path) {
        FileState::Missing | FileState::Plain => {
            if source.given()?.is_some() || cli::unlock::interactive() {
                Some(source.new_passphrase_of(cli::unlock::Whose::County)?)
            } else {
                None
            }
        }
        FileState::Encrypted => match source.given()? {
            Some(given) => Some(given),
            None if !unlock.has_identity() && cli::unlock::interactive() => {
                Some(cli::unlock::county_prompt()?)
            }
            None => None,
        },
    };
    Ok(unlock.with_passphrase(passphrase))
}

/// Opens the county database `target` as [`county_unlock`] says; a SQLite file made now with
/// no passphrase is said to open with the identity alone.
fn open_county(
    target: &str,
    identity: Option<&std::path::Path>,
    source: &cli::unlock::KeySource,
) -> Result<stationdesk::bundle::CountyDb, Failure> {
    let unlock = county_unlock(target, identity, source)?;
    let path = std::path::Path::new(target);
    let new = !stationdesk::bundle::is_postgres_target(target)
        && stationdesk::store::file_state(path) != stationdesk::store::FileState::Encrypted;
    let db = stationdesk::bundle::CountyDb::open_target_with(target, &unlock, &mut || {
        eprintln!("{}", tr!("county.indexing"));
    })?;
    if new && !unlock.has_passphrase() {
        eprintln!(
            "{}",
            tr!(
                "county.made_without_passphrase",
                path = stationdesk::text::sanitize(target)
            )
        );
    }
    Ok(db)
}

pub(crate) fn county(
    action: CountyAction,
    source: &cli::unlock::KeySource,
) -> Result<ExitCode, Failure> {
    use stationdesk::bundle;
    match action {
        CountyAction::Sql {
            county_db,
            identity,
            query,
            json,
            csv,
            header,
        } => {
            if bundle::is_postgres_target(&county_db) {
                return Err(Failure::Message(tr!("county.sql_postgres")));
            }
            let path = std::path::Path::new(&county_db);
            let unlock = if stationdesk::store::file_state(path)
                == stationdesk::store::FileState::Encrypted
            {
                county_unlock(&county_db, identity.as_deref(), source)?
            } else {
                bundle::CountyUnlock::none()
            };
            let (columns, rows) = unlock.query(path, &query)?;
            cli::sql::print_rows(&columns, &rows, cli::sql::Format::of(json, csv, header))
        }
        CountyAction::Passphrase {
            county_db,
            identity,
            new_passphrase_file,
            identity_slot,
        } => {
            if bundle::is_postgres_target(&county_db) {
                return Err(Failure::Message(tr!("county.sql_postgres")));
            }
            let path = std::path::Path::new(&county_db);
            let unlock = county_unlock(&county_db, identity.as_deref(), source)?;
            if let Some(slot) = identity_slot {
                let other = bundle::CountyUnlock::identity_file(&slot)?;
                unlock.set_identity(path, &other)?;
                println!(
                    "{}",
                    tr!(
                        "county.identity_set",
                        path = stationdesk::text::sanitize(&county_db),
                        identity = slot.display()
                    )
                );
                return Ok(ExitCode::SUCCESS);
            }
            let new_source = cli::unlock::KeySource {
                passphrase_file: new_passphrase_file,
                ignore_env: true,
            };
            let new = new_source.new_passphrase_of(cli::unlock::Whose::County)?;
            unlock.set_passphrase(path, &new)?;
            println!(
                "{}",
                tr!(
                    "county.passphrase_set",
                    path = stationdesk::text::sanitize(&county_db)
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Recover {
            identity,
            keys,
            bundle,
            out,
        } => recover(&identity, keys.as_deref(), bundle.as_deref(), out),
        CountyAction::Keygen { out } => {
            if out.exists() {
                return Err(bundle::BundleError::Exists(out.display().to_string()).into());
            }
            let (text, recipient) = bundle::county_keygen();
            write_private(&out, text.as_bytes())?;
            println!("{}", tr!("bundle.keygen", path = out.display()));
            println!("{recipient}");
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Import {
            county_db,
            identity,
            reinstalled,
            reason,
            bundles,
            late_days,
        } => {
            let identities = bundle::load_identities(&identity)?;
            let mut db = open_county(&county_db, Some(&identity), source)?;
            db.set_late_days(i64::from(late_days));
            if let (Some(code), Some(reason)) = (&reinstalled, &reason) {
                if reason.trim().is_empty() {
                    return Err(Failure::Message(tr!("county.reason_needed")));
                }
                db.confirm_reinstalled(code, reason);
            }
            let bar = indicatif::ProgressBar::new(bundles.len() as u64);
            let (mut ok, mut refused) = (0, 0);
            let mut changed: Vec<String> = Vec::new();
            for file in &bundle::county_desk::chain_order(&bundles, &identities) {
                let name = stationdesk::text::sanitize(&file.display().to_string()).to_string();
                let outcome = db.import_one(file, &identities);
                let line = match outcome {
                    Ok(bundle::ImportOutcome::Imported {
                        station,
                        station_id,
                        seq,
                        records,
                    }) => {
                        ok += 1;
                        if !changed.contains(&station_id) {
                            changed.push(station_id);
                        }
                        tr!(
                            "bundle.imported",
                            file = name,
                            station = stationdesk::text::sanitize(&station),
                            seq = seq,
                            count = records
                        )
                    }
                    Ok(bundle::ImportOutcome::AlreadyImported { station, seq }) => {
                        ok += 1;
                        tr!(
                            "bundle.already",
                            file = name,
                            station = stationdesk::text::sanitize(&station),
                            seq = seq
                        )
                    }
                    Err(e) => {
                        refused += 1;
                        tr!(
                            "bundle.refused",
                            file = name,
                            reason = stationdesk::messages::bundle_error(&e)
                        )
                    }
                };
                bar.suspend(|| println!("{line}"));
                bar.inc(1);
            }
            bar.finish_and_clear();
            // The report tables of the stations that changed, for the office's own tools.
            if !changed.is_empty() {
                if let Err(e) = db.refresh_views(Some(&changed), stationdesk::clock::local_now()) {
                    println!(
                        "{}",
                        tr!(
                            "bundle.views_failed",
                            reason = stationdesk::messages::bundle_error(&e)
                        )
                    );
                }
            }
            println!(
                "{}",
                tr!("bundle.import_summary", ok = ok, refused = refused)
            );
            Ok(if refused == 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        CountyAction::Demo {
            stations,
            years,
            records_per_year,
            members,
            seed,
            out,
        } => {
            let options = stationdesk::demo::county::CountyDemoOptions {
                stations,
                years,
                members,
                records_per_year,
                seed,
            };
            let bar = indicatif::ProgressBar::new((stations * years as usize) as u64);
            let started = std::time::Instant::now();
            let summary = stationdesk::demo::county::run_county(&options, &out, &mut |done, _| {
                bar.set_position(done as u64)
            })?;
            bar.finish_and_clear();
            println!(
                "{}",
                tr!(
                    "bundle.county_demo_done",
                    bundles = summary.bundles.len(),
                    records = summary.records,
                    dir = out.join("bundles").display(),
                    key = summary.key.display(),
                    seconds = format!("{:.1}", started.elapsed().as_secs_f64())
                )
            );
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Migrate { from, to, identity } => {
            let from_db = open_county(&from, identity.as_deref(), source)?;
            let mut target = open_county(&to, identity.as_deref(), source)?;
            let source = from_db;
            let copied = source.copy_into(&mut target)?;
            let problems = source.differences(&target)?;
            for problem in &problems {
                println!("{}", stationdesk::text::sanitize(problem));
            }
            println!(
                "{}",
                tr!(
                    "bundle.migrated",
                    stations = copied.stations,
                    bundles = copied.bundles,
                    records = copied.records,
                    to = stationdesk::text::sanitize(target.target())
                )
            );
            if !problems.is_empty() {
                return Ok(ExitCode::FAILURE);
            }
            println!("{}", tr!("bundle.migrate_checked"));
            target.refresh_views(None, stationdesk::clock::local_now())?;
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Desk {
            county_db,
            identity,
            late_days,
        } => {
            let identities = match &identity {
                Some(file) => bundle::load_identities(file)?,
                None => Vec::new(),
            };
            let mut db = open_county(&county_db, identity.as_deref(), source)?;
            db.set_late_days(i64::from(late_days));
            // A county file of an earlier version has no report tables yet: made once here.
            if db
                .report_table(bundle::county_desk::STATION_TABLE, None)?
                .is_none()
                && !db.stations()?.is_empty()
            {
                println!("{}", tr!("county.desk_preparing"));
                db.refresh_views(None, stationdesk::clock::local_now())?;
            }
            stationdesk::tui::county::run(db, identities)
                .map_err(|e| Failure::Message(tr!("county.desk_terminal", reason = e)))?;
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Measure {
            county_db,
            identity,
            runs,
        } => {
            let unlock = county_unlock(&county_db, identity.as_deref(), source)?;
            cli::county_measure::measure(&county_db, &unlock, runs)?;
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Views {
            county_db,
            identity,
            late_days,
        } => {
            let mut db = open_county(&county_db, identity.as_deref(), source)?;
            db.set_late_days(i64::from(late_days));
            db.refresh_views(None, stationdesk::clock::local_now())?;
            println!("{}", tr!("bundle.views_done", count = db.stations()?.len()));
            Ok(ExitCode::SUCCESS)
        }
        CountyAction::Report {
            county_db,
            identity,
            out,
            year,
            term,
            rows,
            late_days,
        } => {
            let mut db = open_county(&county_db, identity.as_deref(), source)?;
            db.set_late_days(i64::from(late_days));
            db.set_report_rows(rows);
            let counted = match (year, term) {
                (_, true) => bundle::Counted::Again(None),
                (Some(year), false) => bundle::Counted::Again(Some(year)),
                (None, false) => bundle::Counted::AsImported,
            };
            let written = db.write_report(counted, stationdesk::clock::local_now(), &out)?;
            println!("{}", tr!("bundle.report_written", path = out.display()));
            for table in &written.tables {
                println!(
                    "{}",
                    tr!("bundle.report_table_written", path = table.display())
                );
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a secret file readable by its owner alone (on Unix); never overwrites.
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    stationdesk::files::write_private(path, bytes)
        .map_err(|e| Failure::Message(tr!("error.io", path = path.display(), reason = e)))
}

//! `verify` and `county`: checking a bundle anywhere, and the county office's key, imports
//! and report.

use std::io::Write;
use std::process::ExitCode;

use stationdesk::i18n;
use stationdesk::tr;

use crate::*;

pub(crate) fn read_file(path: &std::path::Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path)
        .map_err(|e| Failure::Message(tr!("error.io", path = path.display(), reason = e)))
}

pub(crate) fn verify_bundle(
    file: &std::path::Path,
    identity: Option<&std::path::Path>,
) -> Result<ExitCode, Failure> {
    use stationdesk::bundle;
    let identities = match identity {
        Some(path) => bundle::load_identities(path)?,
        None => Vec::new(),
    };
    let bytes = read_file(file)?;
    let verified = bundle::verify(&bytes, &identities)?;
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
        println!("  {}: {count}", i18n::kind_name(kind));
    }
    Ok(ExitCode::SUCCESS)
}

pub(crate) fn county(action: CountyAction) -> Result<ExitCode, Failure> {
    use stationdesk::bundle;
    match action {
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
            bundles,
        } => {
            let identities = bundle::load_identities(&identity)?;
            let mut db = bundle::CountyDb::open(&county_db)?;
            let bar = indicatif::ProgressBar::new(bundles.len() as u64);
            let (mut ok, mut refused) = (0, 0);
            for file in &bundles {
                let name = file.display().to_string();
                let outcome = read_file(file)
                    .and_then(|bytes| db.import(&bytes, &identities).map_err(Failure::from));
                let line = match outcome {
                    Ok(bundle::ImportOutcome::Imported {
                        station,
                        seq,
                        records,
                    }) => {
                        ok += 1;
                        tr!(
                            "bundle.imported",
                            file = name,
                            station = station,
                            seq = seq,
                            count = records
                        )
                    }
                    Ok(bundle::ImportOutcome::AlreadyImported { station, seq }) => {
                        ok += 1;
                        tr!("bundle.already", file = name, station = station, seq = seq)
                    }
                    Err(failure) => {
                        refused += 1;
                        let reason = match failure {
                            Failure::Bundle(e) => stationdesk::messages::bundle_error(&e),
                            Failure::Store(e) => stationdesk::messages::store_error(&e),
                            Failure::Message(m) => m,
                        };
                        tr!("bundle.refused", file = name, reason = reason)
                    }
                };
                bar.suspend(|| println!("{line}"));
                bar.inc(1);
            }
            bar.finish_and_clear();
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
        CountyAction::Report {
            county_db,
            out,
            year,
        } => {
            let db = bundle::CountyDb::open(&county_db)?;
            let bytes = db.report(year, chrono::Local::now().date_naive())?;
            std::fs::write(&out, bytes)
                .map_err(|e| Failure::Message(tr!("error.io", path = out.display(), reason = e)))?;
            println!("{}", tr!("bundle.report_written", path = out.display()));
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Writes a secret file readable by its owner alone (on Unix).
pub(crate) fn write_private(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    let fail =
        |e: std::io::Error| Failure::Message(tr!("error.io", path = path.display(), reason = e));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(fail)?;
    file.write_all(bytes).map_err(fail)?;
    file.sync_all().map_err(fail)
}

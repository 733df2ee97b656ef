//! Importing a bundle into the county's records: its place in its station's chain, every part
//! checked, every record the signing station's own, in one transaction.

use super::*;

impl CountyDb {
    /// Checks and imports one bundle file's bytes, in one transaction. A refused bundle
    /// changes nothing.
    pub fn import(
        &mut self,
        bytes: &[u8],
        identities: &[Identity],
    ) -> Result<ImportOutcome, BundleError> {
        let reader = BundleReader::open(Box::new(std::io::Cursor::new(bytes)), identities)?;
        self.import_reader(reader)
    }

    /// Checks and imports one bundle file, streaming it from disk in bounded memory.
    pub fn import_file(
        &mut self,
        path: &Path,
        identities: &[Identity],
    ) -> Result<ImportOutcome, BundleError> {
        let file = std::fs::File::open(path)
            .map_err(|e| BundleError::Io(path.display().to_string(), e))?;
        let reader = BundleReader::open(Box::new(std::io::BufReader::new(file)), identities)?;
        self.import_reader(reader)
    }

    /// Imports an open bundle: its place in the chain, every part checked, every record the
    /// signing station's own, all in one transaction that holds the station's chain.
    pub fn import_reader(
        &mut self,
        mut bundle: BundleReader<'_>,
    ) -> Result<ImportOutcome, BundleError> {
        // A masked copy for reading must never replace the county's full records, nor take a
        // number of the station's sequence.
        if bundle.manifest.plaintext || !bundle.encrypted {
            return Err(BundleError::PlaintextImport);
        }
        let station_id = bundle.manifest.station_id.to_string();
        let key = bundle.manifest.public_key.clone();
        let reinstalled = &self.reinstalled;
        let records = bundle.manifest.counts.iter().map(|(_, n)| *n).sum();
        self.store
            .get_mut()
            .import_tx(&station_id, &key, records, &mut |tx| {
                import_in(tx, &mut bundle, reinstalled)
            })
    }
}

/// What the merge reads of a record line: as `Value`s, so that a field missing or of another
/// type reads as the whole line's `Value` would (null, or not a string or an integer).
#[derive(serde::Deserialize)]
struct RecordHead {
    #[serde(default)]
    id: Value,
    #[serde(default)]
    rev: Value,
    #[serde(default)]
    station_id: Value,
    #[serde(default)]
    deleted_at: Value,
}

/// One import inside the store's transaction: the bundle's place in its station's chain, then
/// every part checked and every record taken.
fn import_in(
    tx: &mut dyn ChainTx,
    bundle: &mut BundleReader<'_>,
    reinstalled: &HashMap<String, String>,
) -> Result<ImportOutcome, BundleError> {
    let m = bundle.manifest.clone();
    let station_id = m.station_id.to_string();
    match tx.chain(&station_id)? {
        None => {
            // A new station: its key must not be another station's already.
            if let Some(code) = tx.station_of_key(&m.public_key)? {
                return Err(BundleError::KeyOfOtherStation(code));
            }
            if m.seq != 1 {
                return Err(BundleError::Gap {
                    from: 1,
                    to: m.seq - 1,
                });
            }
            // Nor its code another listed station's: two rows of one code would be counted
            // as two stations. The clerk may confirm it is that station re-installed.
            if let Some((listed, listed_name)) = tx.station_of_code(&m.station_code)? {
                let Some(reason) = reinstalled.get(&m.station_code) else {
                    return Err(BundleError::CodeTaken {
                        code: m.station_code.clone(),
                        listed: listed_name,
                        new: m.station_name.clone(),
                    });
                };
                tx.retire(&listed, &station_id)?;
                tx.log(&LogRow {
                    at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    event: "reinstalled".to_string(),
                    station_code: m.station_code.clone(),
                    detail: serde_json::json!({
                        "earlier": listed,
                        "earlier_name": listed_name,
                        "new": station_id,
                        "new_name": m.station_name,
                        "new_key": m.public_key,
                        "reason": reason,
                    })
                    .to_string(),
                })?;
            }
        }
        Some(chain) => {
            if chain.key != m.public_key {
                return Err(BundleError::KeyMismatch);
            }
            if m.seq <= chain.last_seq {
                // Only the very bundle imported is "already imported": its manifest, and every
                // part as the manifest lists it. Any other content under that seq is refused.
                let seen = tx.bundle_manifest(&station_id, m.seq)?;
                let differs = |imported_at: &str| BundleError::DiffersFromImported {
                    station: m.station_code.clone(),
                    seq: m.seq,
                    imported_at: imported_at.to_string(),
                };
                return match seen {
                    Some((manifest, at)) if manifest == bundle.manifest_sha256 => {
                        match bundle.check_parts() {
                            Ok(()) => Ok(ImportOutcome::AlreadyImported {
                                station: m.station_code.clone(),
                                seq: m.seq,
                            }),
                            Err(_) => Err(differs(&at)),
                        }
                    }
                    Some((_, at)) => Err(differs(&at)),
                    None => Err(BundleError::Fork(m.seq)),
                };
            }
            if m.seq > chain.last_seq + 1 {
                return Err(BundleError::Gap {
                    from: chain.last_seq + 1,
                    to: m.seq - 1,
                });
            }
            if m.previous_manifest_sha256 != chain.last_manifest {
                return Err(BundleError::Fork(m.seq));
            }
        }
    }
    bundle.check_parts()?;
    let records = take_records(tx, bundle, &station_id, m.seq)?;
    let counts = serde_json::to_string(&m.counts).unwrap_or_default();
    let quotas = m
        .quotas
        .map(|q| format!("{}/{}", q.consultations, q.reports))
        .unwrap_or_default();
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    tx.accept(&Accepted {
        station_id: &station_id,
        code: &m.station_code,
        name: &m.station_name,
        town: m.town.as_deref().unwrap_or(""),
        key: &m.public_key,
        seq: m.seq,
        manifest_sha256: &bundle.manifest_sha256,
        created_at: &m.created_at,
        imported_at: &now,
        counts: &counts,
        quotas: &quotas,
    })?;
    Ok(ImportOutcome::Imported {
        station: m.station_code.clone(),
        station_id,
        seq: m.seq,
        records,
    })
}

/// A line of a bundle read and checked by the reading thread, for the writing one to keep.
enum Taken {
    Record {
        kind: RecordKind,
        id: String,
        rev: i64,
        deleted: bool,
        data: String,
        /// What the search finds it by, and its date.
        entry: (String, String),
    },
    Change(crate::store::HistoryLine),
}

/// Lines handed from the reading thread to the writing one at a time, and batches that may
/// wait between them: a few megabytes at most.
const TAKEN_AT_ONCE: usize = 256;
const BATCHES_AHEAD: usize = 4;

/// Every record and change the bundle carries, read, decompressed and checked on a second
/// thread while this one keeps them: the checks (every record read as its kind, its search
/// text made) take as long as the writing, and a desk PC has two cores. The first problem
/// either thread meets stops both, and the caller's transaction keeps nothing.
fn take_records(
    tx: &mut dyn ChainTx,
    bundle: &mut BundleReader<'_>,
    station_id: &str,
    seq: u64,
) -> Result<u64, BundleError> {
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Vec<Taken>>(BATCHES_AHEAD);
        let reading = scope.spawn(move || read_lines(bundle, station_id, &send));
        let mut written = Ok(());
        'batches: for batch in receive.iter() {
            for taken in batch {
                let kept = match taken {
                    Taken::Record {
                        kind,
                        id,
                        rev,
                        deleted,
                        data,
                        entry,
                    } => tx.upsert(
                        station_id,
                        kind.as_str(),
                        &id,
                        rev,
                        deleted,
                        &data,
                        Some(&entry),
                    ),
                    Taken::Change(change) => tx.history(station_id, seq, &change.as_ref()),
                };
                if let Err(e) = kept {
                    written = Err(e);
                    break 'batches;
                }
            }
        }
        // A reader still sending finds no one listening and stops.
        drop(receive);
        let read = reading
            .join()
            .unwrap_or_else(|_| Err(BundleError::Damaged("the bundle's reader stopped".into())));
        written.and(read)
    })
}

/// Reads every record line and every change of the bundle, checks each, and sends them in
/// batches; the number of records read.
fn read_lines(
    bundle: &mut BundleReader<'_>,
    station_id: &str,
    send: &std::sync::mpsc::SyncSender<Vec<Taken>>,
) -> Result<u64, BundleError> {
    let mut batch: Vec<Taken> = Vec::with_capacity(TAKEN_AT_ONCE);
    let stopped = || BundleError::Damaged("the import stopped".into());
    let pass = |taken: Taken, batch: &mut Vec<Taken>| -> Result<(), BundleError> {
        batch.push(taken);
        if batch.len() >= TAKEN_AT_ONCE {
            let full = std::mem::replace(batch, Vec::with_capacity(TAKEN_AT_ONCE));
            send.send(full).map_err(|_| stopped())?;
        }
        Ok(())
    };
    let mut records: u64 = 0;
    for kind in RecordKind::ALL {
        records += bundle.lines(kind, &mut |line| {
            let taken = check_line(kind, line, station_id)?;
            pass(taken, &mut batch)
        })?;
    }
    // Who entered or changed each record, and when (bundles of format 2).
    bundle.history_lines(&mut |line| {
        let change: crate::store::HistoryRef<'_> =
            serde_json::from_slice(line).map_err(|e| BundleError::Damaged(e.to_string()))?;
        let bounded = change.id.len() <= 64
            && change.kind.len() <= 32
            && change.actor.len() <= 1024
            && change.at.len() <= 64
            && change.action.len() <= 16
            && change.fields.len() <= 256;
        if !bounded || RecordKind::parse(&change.kind).is_none() {
            return Err(BundleError::OutOfBounds(format!(
                "a change of {}",
                crate::text::sanitize(&change.id)
            )));
        }
        let owned = crate::store::HistoryLine {
            kind: change.kind.into_owned(),
            id: change.id.into_owned(),
            rev: change.rev,
            at: change.at.into_owned(),
            actor: change.actor.into_owned(),
            action: change.action.into_owned(),
            fields: change.fields.into_iter().map(|f| f.into_owned()).collect(),
        };
        pass(Taken::Change(owned), &mut batch)
    })?;
    if !batch.is_empty() {
        send.send(batch).map_err(|_| stopped())?;
    }
    Ok(records)
}

/// One record line of `kind`: the four fields the merge needs, then the whole record read as
/// its kind (every record must be the signing station's own, and what its kind describes).
fn check_line(kind: RecordKind, line: &[u8], station_id: &str) -> Result<Taken, BundleError> {
    let head: RecordHead =
        serde_json::from_slice(line).map_err(|e| BundleError::Damaged(e.to_string()))?;
    let id = head.id.as_str().and_then(|s| Uuid::parse_str(s).ok());
    let rev = head.rev.as_i64().filter(|rev| *rev >= 0);
    let (Some(id), Some(rev)) = (id, rev) else {
        return Err(BundleError::Damaged(format!(
            "a {} without id or rev",
            kind.as_str()
        )));
    };
    if head.station_id.as_str() != Some(station_id) {
        return Err(BundleError::ForeignRecord(id.to_string()));
    }
    let id = id.to_string();
    let entry = super::validate::check(kind, &id, line)?;
    Ok(Taken::Record {
        kind,
        rev,
        deleted: !head.deleted_at.is_null(),
        data: String::from_utf8_lossy(line).into_owned(),
        id,
        entry,
    })
}

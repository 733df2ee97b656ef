//! Moving a county's records from one store to another (a SQLite file to PostgreSQL), and
//! comparing two stores after the move.

use super::*;

impl CountyDb {
    /// Copies everything into `target`, which must hold no station yet: each station in one
    /// transaction — its chain bundle by bundle, then its records as they were sent.
    pub fn copy_into(&self, target: &mut CountyDb) -> Result<Copied, BundleError> {
        if !target.stations()?.is_empty() {
            return Err(BundleError::TargetNotEmpty);
        }
        let mut copied = Copied::default();
        let all = self.installations()?;
        for station in &all {
            let (key, bundles) = self.store.borrow_mut().bundles_of(&station.id)?;
            let history = self.store.borrow_mut().all_history(&station.id)?;
            let mut records = 0u64;
            target
                .store
                .get_mut()
                .import_tx(&station.id, &key, 0, &mut |tx| {
                    for b in &bundles {
                        tx.accept(&Accepted {
                            station_id: &station.id,
                            code: &station.code,
                            name: &station.name,
                            town: &station.town,
                            key: &key,
                            seq: b.seq,
                            manifest_sha256: &b.manifest,
                            created_at: &b.created_at,
                            imported_at: &b.imported_at,
                            counts: &b.counts,
                            quotas: &b.quotas,
                        })?;
                    }
                    for kind in RecordKind::ALL {
                        self.each_raw(kind.as_str(), &station.id, &mut |stored| {
                            let value: Value = serde_json::from_str(&stored.data)
                                .map_err(|e| BundleError::Damaged(e.to_string()))?;
                            let rev = value["rev"].as_i64().unwrap_or(0);
                            let deleted = !value["deleted_at"].is_null();
                            records += 1;
                            tx.upsert(
                                &station.id,
                                kind.as_str(),
                                &stored.id,
                                rev,
                                deleted,
                                &stored.data,
                                None,
                            )
                        })?;
                    }
                    for (line, seq) in &history {
                        tx.history(&station.id, *seq, &line.as_ref())?;
                    }
                    Ok(ImportOutcome::AlreadyImported {
                        station: station.code.clone(),
                        seq: station.last_seq as u64,
                    })
                })?;
            copied.stations += 1;
            copied.bundles += bundles.len() as u64;
            copied.records += records;
        }
        // The county's own proposed topics.
        for topic in self.topics()?.iter().rev() {
            target.store.get_mut().add_topic(topic)?;
        }
        // Which installation followed which, and the county's log, as they were.
        let log = self.log()?;
        let first = all.first().map(|s| (s.id.clone(), s.code.clone()));
        if let Some((id, code)) = first {
            target.store.get_mut().import_tx(&id, "", 0, &mut |tx| {
                for s in &all {
                    if let Some(next) = &s.successor {
                        tx.retire(&s.id, next)?;
                    }
                }
                for row in &log {
                    tx.log(row)?;
                }
                Ok(ImportOutcome::AlreadyImported {
                    station: code.clone(),
                    seq: 0,
                })
            })?;
        }
        Ok(copied)
    }

    /// How `other` differs from this county, station by station: the stations, each chain's
    /// bundles, and each kind's records (their number and a hash of all of them). Empty when
    /// they hold the same.
    pub fn differences(&self, other: &CountyDb) -> Result<Vec<String>, BundleError> {
        let mut problems = Vec::new();
        let mine = self.installations()?;
        let theirs = other.installations()?;
        if mine != theirs {
            problems.push(format!(
                "stations: {} here, {} there, or they differ",
                mine.len(),
                theirs.len()
            ));
        }
        if self.log()? != other.log()? {
            problems.push("the county's logs differ".to_string());
        }
        if self.topics()? != other.topics()? {
            problems.push("the county's proposed topics differ".to_string());
        }
        for station in &mine {
            let a = self.store.borrow_mut().bundles_of(&station.id)?;
            let b = other.store.borrow_mut().bundles_of(&station.id)?;
            if a != b {
                problems.push(format!("{}: the bundle chains differ", station.code));
            }
            let a = self.store.borrow_mut().all_history(&station.id)?;
            let b = other.store.borrow_mut().all_history(&station.id)?;
            if a != b {
                problems.push(format!(
                    "{}: the records' histories differ ({} changes here, {} there)",
                    station.code,
                    a.len(),
                    b.len()
                ));
            }
            for kind in RecordKind::ALL {
                let fingerprint = |county: &CountyDb| -> Result<(u64, String), BundleError> {
                    use sha2::Digest;
                    let mut hasher = sha2::Sha256::new();
                    let mut n = 0u64;
                    county.each_raw(kind.as_str(), &station.id, &mut |stored| {
                        n += 1;
                        hasher.update(stored.id.as_bytes());
                        hasher.update([0]);
                        hasher.update(stored.data.as_bytes());
                        hasher.update([0]);
                        Ok(())
                    })?;
                    Ok((n, format!("{:x}", hasher.finalize())))
                };
                let (n, here) = fingerprint(self)?;
                let (m, there) = fingerprint(other)?;
                if n != m || here != there {
                    problems.push(format!(
                        "{} {}: {n} records here, {m} there{}",
                        station.code,
                        kind.as_str(),
                        if n == m { ", with other contents" } else { "" }
                    ));
                }
            }
        }
        Ok(problems)
    }
}

//! The station's record of the county bundles it wrote.

use rusqlite::{params, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::error::{StoreError, StoreResult};
use super::record::RecordTable;
use super::Store;

/// One bundle written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BundleRecord {
    pub seq: u64,
    pub file_name: String,
    pub created_at: String,
    pub rev_from: i64,
    pub rev_to: i64,
    pub manifest_sha256: String,
    pub plaintext: bool,
    pub counts: Vec<(String, u64)>,
    /// SHA-256 of the bundle file as written (empty for bundles of older versions).
    pub file_sha256: String,
}

fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<BundleRecord> {
    let counts: String = r.get(7)?;
    Ok(BundleRecord {
        seq: r.get::<_, i64>(0)? as u64,
        file_name: r.get(1)?,
        created_at: r.get(2)?,
        rev_from: r.get(3)?,
        rev_to: r.get(4)?,
        manifest_sha256: r.get(5)?,
        plaintext: r.get(6)?,
        counts: serde_json::from_str(&counts).unwrap_or_default(),
        file_sha256: r.get(8)?,
    })
}

const COLUMNS: &str = "seq, file_name, created_at, rev_from, rev_to, manifest_sha256, plaintext, \
     counts, file_sha256";

impl Store {
    /// The newest bundle of the station's chain (the encrypted ones), if any: the next
    /// bundle takes the seq after it and chains to its manifest.
    pub fn last_bundle(&self) -> StoreResult<Option<BundleRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM bundle_log WHERE plaintext = 0 ORDER BY seq DESC LIMIT 1"
                ),
                [],
                row,
            )
            .optional()?)
    }

    /// Every bundle written, newest first.
    pub fn bundles(&self) -> StoreResult<Vec<BundleRecord>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {COLUMNS} FROM bundle_log ORDER BY seq DESC"
        ))?;
        let rows = stmt.query_map([], row)?.collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// One bundle of the log, by its file name.
    pub fn bundle_named(&self, file_name: &str) -> StoreResult<Option<BundleRecord>> {
        Ok(self
            .conn()
            .query_row(
                &format!("SELECT {COLUMNS} FROM bundle_log WHERE file_name = ?1"),
                [file_name],
                row,
            )
            .optional()?)
    }

    /// The highest change number any bundle has carried: revs handed out from now on must
    /// be above it, or the county would keep what it had over a newer edit.
    pub fn highest_exported_rev(&self) -> StoreResult<i64> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(rev_to), 0) FROM bundle_log", [], |r| {
                r.get(0)
            })?)
    }

    /// Notes a bundle once its archive copy is written and checked. The note is committed
    /// and synced before this returns (the database runs with `synchronous=FULL`).
    pub fn record_bundle(&mut self, bundle: &BundleRecord) -> StoreResult<()> {
        let counts = serde_json::to_string(&bundle.counts)?;
        self.conn().execute(
            &format!(
                "INSERT INTO bundle_log ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
            ),
            params![
                bundle.seq as i64,
                bundle.file_name,
                bundle.created_at,
                bundle.rev_from,
                bundle.rev_to,
                bundle.manifest_sha256,
                bundle.plaintext,
                counts,
                bundle.file_sha256
            ],
        )?;
        Ok(())
    }

    /// Every record of a kind whose latest version has `from < rev <= to`, in rev order,
    /// deleted ones included (a deletion travels too).
    pub fn changed_between<T: RecordTable>(&self, from: i64, to: i64) -> StoreResult<Vec<T>> {
        let sql = format!(
            "SELECT {} FROM {} WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
            T::select_list(),
            T::TABLE
        );
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(params![from, to], T::read_row)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Hands each record of a kind changed in `from < rev <= to` to `each`, in rev order, one
    /// at a time from one statement: nothing but the record in hand is held. Returns how many.
    pub fn each_changed<T: RecordTable, E: From<StoreError>>(
        &self,
        from: i64,
        to: i64,
        each: &mut dyn FnMut(T) -> Result<(), E>,
    ) -> Result<u64, E> {
        let sql = format!(
            "SELECT {} FROM {} WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
            T::select_list(),
            T::TABLE
        );
        let mut stmt = self.conn().prepare_cached(&sql).map_err(StoreError::from)?;
        let mut rows = stmt.query(params![from, to]).map_err(StoreError::from)?;
        let mut n = 0;
        while let Some(row) = rows.next().map_err(StoreError::from)? {
            let record = T::read_row(row).map_err(StoreError::from)?;
            each(record)?;
            n += 1;
        }
        Ok(n)
    }

    /// How many records of a kind changed in `from < rev <= to`.
    pub fn count_changed<T: RecordTable>(&self, from: i64, to: i64) -> StoreResult<u64> {
        let sql = format!(
            "SELECT count(*) FROM {} WHERE rev > ?1 AND rev <= ?2",
            T::TABLE
        );
        Ok(self
            .conn()
            .prepare_cached(&sql)?
            .query_row(params![from, to], |r| r.get::<_, i64>(0))? as u64)
    }

    /// The county recipient, checked.
    pub fn county_recipient(&self) -> StoreResult<Option<String>> {
        Ok(self.station()?.and_then(|s| s.county_recipient))
    }
}

//! Bulk loads (the demo's million records): the secondary indexes of the big tables are put
//! aside while the rows go in and made again at the end. Making an index sorts its keys once;
//! keeping it while a million rows arrive puts each key at a random place in a tree larger
//! than the page cache, and was close to a third of the demo's time.
//!
//! Each index is made again from its own definition (`sqlite_master.sql`), kept in
//! `bulk_index` (migration 17) in the same transaction that drops it, so a load stopped
//! halfway (a power cut) gets every index back at the next start.

use rusqlite::{params, TransactionBehavior};

use super::{Store, StoreResult};

/// The tables a bulk load fills by the hundred thousand.
const BULK_TABLES: [&str; 3] = ["intake", "mediation_case", "audit_log"];

impl Store {
    /// Drops the secondary indexes of the big tables for a bulk load, keeping their
    /// definitions ([`Store::resume_indexes`] makes them again). Indexes SQLite makes itself
    /// (primary keys, unique constraints) stay.
    pub fn suspend_indexes(&mut self) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let indexes: Vec<(String, String)> = {
            let mut stmt = tx.prepare(&format!(
                "SELECT name, sql FROM sqlite_master
                 WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({})
                 ORDER BY name",
                BULK_TABLES.map(|t| format!("'{t}'")).join(", ")
            ))?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (name, sql) in &indexes {
            tx.execute(
                "INSERT OR REPLACE INTO bulk_index (name, sql) VALUES (?1, ?2)",
                params![name, sql],
            )?;
            tx.execute_batch(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Makes again every index a bulk load put aside, in one transaction.
    pub fn resume_indexes(&mut self) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let saved: Vec<(String, String)> = {
            let mut stmt = tx.prepare("SELECT name, sql FROM bulk_index ORDER BY name")?;
            let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
            rows.collect::<Result<_, _>>()?
        };
        for (name, sql) in &saved {
            let there: i64 = tx.query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?1",
                [name],
                |row| row.get(0),
            )?;
            if there == 0 {
                tx.execute_batch(sql)?;
            }
        }
        tx.execute("DELETE FROM bulk_index", [])?;
        tx.commit()?;
        Ok(())
    }

    /// Puts back the indexes a bulk load that stopped halfway left aside.
    pub(super) fn ensure_indexes(&mut self) -> StoreResult<()> {
        let waiting: i64 = self
            .conn
            .query_row("SELECT count(*) FROM bulk_index", [], |row| row.get(0))?;
        if waiting == 0 {
            return Ok(());
        }
        self.resume_indexes()
    }
}

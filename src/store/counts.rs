//! The tables of counts (migration 13) and the triggers that keep them: visits per due date
//! and per day, cases per next date and per state. A bulk load suspends the triggers and
//! rebuilds the counts once at its end, since keeping them row by row would double its time;
//! a database whose triggers are missing (a bulk load that was stopped) has them put back, with
//! the counts rebuilt, when it is opened.

use rusqlite::{Connection, Transaction};

use super::error::StoreResult;
use super::Store;

const TRIGGERS: &str = include_str!("../../assets/migrations/count_triggers.sql");
const REBUILD: &str = include_str!("../../assets/migrations/count_rebuild.sql");

/// The names of the triggers, from their file.
fn trigger_names() -> Vec<&'static str> {
    TRIGGERS
        .split("CREATE TRIGGER ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .collect()
}

/// Migration 13, after its SQL: the counts filled and the triggers made.
pub(super) fn install(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(include_str!("../../assets/migrations/0013_counts.sql"))?;
    tx.execute_batch(REBUILD)?;
    tx.execute_batch(TRIGGERS)?;
    Ok(())
}

/// A count from one of the tables of counts the triggers keep (migration 13): the sum over
/// the keys that compare to `value` as `compare` says, up to the count cap.
pub(crate) fn counted(
    table: &str,
    key: &str,
    compare: &str,
    value: &str,
    conn: &Connection,
) -> StoreResult<i64> {
    let sql = format!("SELECT coalesce(sum(n), 0) FROM {table} WHERE {key} {compare} ?1");
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row([value], |row| row.get(0))?;
    Ok(n.min(super::INTAKE_COUNT_CAP))
}

fn triggers_present(conn: &Connection) -> StoreResult<usize> {
    let mut stmt = conn.prepare_cached(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?1",
    )?;
    let mut present = 0;
    for name in trigger_names() {
        let n: i64 = stmt.query_row([name], |r| r.get(0))?;
        present += n as usize;
    }
    Ok(present)
}

impl Store {
    /// For a bulk load: the counts stop being kept row by row ([`Store::resume_counts`]
    /// rebuilds them).
    pub fn suspend_counts(&mut self) -> StoreResult<()> {
        let tx = self.conn.transaction()?;
        for name in trigger_names() {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}"))?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The counts rebuilt from the records and kept again, in one transaction.
    pub fn resume_counts(&mut self) -> StoreResult<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        for name in trigger_names() {
            tx.execute_batch(&format!("DROP TRIGGER IF EXISTS {name}"))?;
        }
        tx.execute_batch(REBUILD)?;
        tx.execute_batch(TRIGGERS)?;
        tx.commit()?;
        Ok(())
    }

    /// Puts back the counts' triggers if any is missing (a bulk load stopped halfway).
    pub(super) fn ensure_counts(&mut self) -> StoreResult<()> {
        if triggers_present(&self.conn)? == trigger_names().len() {
            return Ok(());
        }
        self.resume_counts()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_trigger_is_named() {
        let names = trigger_names();
        assert_eq!(names.len(), 16);
        assert!(names.contains(&"intake_due_count_insert"));
        assert!(names.iter().all(|n| n.contains("_count_")));
    }
}

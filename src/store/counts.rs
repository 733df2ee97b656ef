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
const TALLY_TRIGGERS: &str = include_str!("../../assets/migrations/tally_triggers.sql");
const TALLY_REBUILD: &str = include_str!("../../assets/migrations/tally_rebuild.sql");
/// Every rebuild reads the live visits once into a temporary table before it, and drops it
/// after: the counts and the tallies rebuilt together share one read (a second pass over a
/// million visits cost the demo about 2 s).
const LIVE_INTAKE: &str = include_str!("../../assets/migrations/live_intake.sql");
const LIVE_INTAKE_DONE: &str = "DROP TABLE temp.live_intake;";

/// Everything kept by triggers: the counts (migration 13) and the tallies per month
/// (migration 15), each as its triggers and the SQL that fills it again from the records.
const KEPT: [(&str, &str); 2] = [(TRIGGERS, REBUILD), (TALLY_TRIGGERS, TALLY_REBUILD)];

/// Runs `rebuilds` over the live visits read once.
fn rebuild(tx: &Transaction<'_>, rebuilds: &[&str]) -> StoreResult<()> {
    tx.execute_batch(LIVE_INTAKE)?;
    for sql in rebuilds {
        tx.execute_batch(sql)?;
    }
    tx.execute_batch(LIVE_INTAKE_DONE)?;
    Ok(())
}

/// The names of the triggers of one file.
fn names_in(triggers: &'static str) -> impl Iterator<Item = &'static str> {
    triggers
        .split("CREATE TRIGGER ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
}

/// The names of every trigger that keeps counts or tallies.
fn trigger_names() -> Vec<&'static str> {
    KEPT.iter()
        .flat_map(|(triggers, _)| names_in(triggers))
        .collect()
}

/// Migration 13, after its SQL: the counts filled and the triggers made.
pub(super) fn install(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(include_str!("../../assets/migrations/0013_counts.sql"))?;
    rebuild(tx, &[REBUILD])?;
    tx.execute_batch(TRIGGERS)?;
    Ok(())
}

/// Migration 15: the tallies per month, filled, and their triggers made.
pub(super) fn install_tally(tx: &Transaction<'_>) -> StoreResult<()> {
    tx.execute_batch(include_str!("../../assets/migrations/0015_tally.sql"))?;
    rebuild(tx, &[TALLY_REBUILD])?;
    tx.execute_batch(TALLY_TRIGGERS)?;
    Ok(())
}

/// A sum of tallies (migration 15): of `scope` ('' for the station, else a member's id),
/// over the months from `from` to `to` (`YYYY-MM`, both included), of the measures that start
/// with `prefix` (`intake.state:`), by measure.
pub(crate) fn tallies(
    conn: &Connection,
    scope: &str,
    from: &str,
    to: &str,
    prefix: &str,
) -> StoreResult<Vec<(String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT measure, sum(n) FROM tally
         WHERE scope = ?1 AND month >= ?2 AND month <= ?3
           AND measure >= ?4 AND measure < ?4 || x'ff'
         GROUP BY measure ORDER BY measure",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![scope, from, to, prefix], |row| {
            let measure: String = row.get(0)?;
            Ok((measure, row.get::<_, i64>(1)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .filter(|(_, n)| *n != 0)
        .map(|(measure, n)| (measure[prefix.len().min(measure.len())..].to_string(), n))
        .collect())
}

/// The station's tallies month by month from `from` to `to` of measures starting with
/// `prefix`: `(month, measure, n)`.
pub(crate) fn monthly_tallies(
    conn: &Connection,
    from: &str,
    to: &str,
    prefix: &str,
) -> StoreResult<Vec<(String, String, i64)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT month, measure, n FROM tally
         WHERE scope = '' AND month >= ?1 AND month <= ?2
           AND measure >= ?3 AND measure < ?3 || x'ff' AND n <> 0
         ORDER BY month, measure",
    )?;
    let rows = stmt
        .query_map(rusqlite::params![from, to, prefix], |row| {
            let measure: String = row.get(1)?;
            Ok((row.get::<_, String>(0)?, measure, row.get::<_, i64>(2)?))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(rows
        .into_iter()
        .map(|(month, measure, n)| {
            (
                month,
                measure[prefix.len().min(measure.len())..].to_string(),
                n,
            )
        })
        .collect())
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
        rebuild(&tx, &KEPT.map(|(_, sql)| sql))?;
        for (triggers, _) in KEPT {
            tx.execute_batch(triggers)?;
        }
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
        assert_eq!(names.len(), 24);
        assert!(names.contains(&"intake_due_count_insert"));
        assert!(names.contains(&"case_tally_update_new"));
        assert!(names
            .iter()
            .all(|n| n.contains("_count_") || n.contains("_tally_")));
    }
}

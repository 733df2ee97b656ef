//! Versioned schema migrations: `PRAGMA user_version` counts the steps applied, each step runs
//! in its own transaction, and a database from a newer program is refused.

use rusqlite::Connection;

use super::error::{StoreError, StoreResult};

/// Marks a SQLite file as ours (`PRAGMA application_id`): "SDK1".
pub const APPLICATION_ID: i64 = 0x5344_4B31;

/// One step of the schema: SQL, or code for what SQL says badly (reshaping JSON).
pub enum Step {
    Sql(&'static str),
    Code(fn(&rusqlite::Transaction<'_>) -> StoreResult<()>),
}

/// The steps, in order. Step `n` (1-based) brings the schema to version `n`.
pub const MIGRATIONS: &[Step] = &[
    Step::Sql(include_str!("../../assets/migrations/0001_foundation.sql")),
    Step::Sql(include_str!("../../assets/migrations/0002_desk.sql")),
    Step::Sql(include_str!(
        "../../assets/migrations/0003_member_state.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/0004_intake_search.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/0005_intake_filters.sql"
    )),
    Step::Sql(include_str!("../../assets/migrations/0006_bundle_log.sql")),
    Step::Sql(include_str!("../../assets/migrations/0007_cases.sql")),
    Step::Sql(include_str!("../../assets/migrations/0008_shifts.sql")),
    Step::Sql(include_str!(
        "../../assets/migrations/0009_consultations.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/0010_bundle_file_hash.sql"
    )),
    Step::Sql(include_str!(
        "../../assets/migrations/0011_handed_over_visits.sql"
    )),
    Step::Code(super::audit::lean_audit_log),
    Step::Code(super::counts::install),
    Step::Sql(include_str!("../../assets/migrations/0014_activities.sql")),
    Step::Code(super::counts::install_tally),
    Step::Sql(include_str!(
        "../../assets/migrations/0016_report_submitted.sql"
    )),
    Step::Sql(include_str!("../../assets/migrations/0017_bulk_index.sql")),
    Step::Code(super::members::surname_keys),
    Step::Sql(include_str!("../../assets/migrations/0019_reopenings.sql")),
    Step::Sql(include_str!(
        "../../assets/migrations/0020_bigram_search.sql"
    )),
];

/// The schema version this program writes.
pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}

pub fn schema_version(conn: &Connection) -> StoreResult<i64> {
    Ok(conn.pragma_query_value(None, "user_version", |row| row.get(0))?)
}

/// Applies every step the database lacks. Refuses a schema newer than ours.
pub fn migrate(conn: &mut Connection) -> StoreResult<()> {
    let found = schema_version(conn)?;
    let supported = latest_version();
    if found > supported {
        return Err(StoreError::NewerSchema { found, supported });
    }
    for (index, step) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        match step {
            Step::Sql(sql) => tx.execute_batch(sql)?,
            Step::Code(code) => code(&tx)?,
        }
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

//! Versioned schema migrations: `PRAGMA user_version` counts the steps applied, each step runs
//! in its own transaction, and a database from a newer program is refused.

use rusqlite::Connection;

use super::error::{StoreError, StoreResult};

/// Marks a SQLite file as ours (`PRAGMA application_id`): "SDK1".
pub const APPLICATION_ID: i64 = 0x5344_4B31;

/// The steps, in order. Step `n` (1-based) brings the schema to version `n`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../assets/migrations/0001_foundation.sql"),
    include_str!("../../assets/migrations/0002_desk.sql"),
    include_str!("../../assets/migrations/0003_member_state.sql"),
    include_str!("../../assets/migrations/0004_intake_search.sql"),
    include_str!("../../assets/migrations/0005_intake_filters.sql"),
    include_str!("../../assets/migrations/0006_bundle_log.sql"),
    include_str!("../../assets/migrations/0007_cases.sql"),
    include_str!("../../assets/migrations/0008_shifts.sql"),
    include_str!("../../assets/migrations/0009_consultations.sql"),
    include_str!("../../assets/migrations/0010_bundle_file_hash.sql"),
    include_str!("../../assets/migrations/0011_handed_over_visits.sql"),
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
    for (index, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        let version = index as i64 + 1;
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "application_id", APPLICATION_ID)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

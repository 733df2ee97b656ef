//! The changes a bundle carries (`county_history`), kept on PostgreSQL in batches: each
//! change a line of COPY's text format, sent some thousands at a time through a temporary
//! table and added in one statement. One `INSERT` a change cost a round trip to the server
//! each, 1,500 a bundle of a station's month (measured in docs/performance.md, "Speed,
//! sixth round").

use super::pg_desk::copy_field;
use crate::bundle::BundleError;

/// Made once per connection; emptied after every batch.
const INCOMING: &str = "CREATE TEMP TABLE IF NOT EXISTS county_history_incoming (
    n           BIGINT,
    station_id  TEXT COLLATE \"C\",
    kind        TEXT COLLATE \"C\",
    id          TEXT COLLATE \"C\",
    rev         BIGINT,
    at          TEXT,
    actor       TEXT,
    action      TEXT,
    fields      TEXT,
    bundle_seq  BIGINT
)";

/// A change already kept stays as it was (a bundle sent again); of the same change twice in
/// a batch, the first is kept, as one `INSERT … ON CONFLICT DO NOTHING` each would.
const ADD: &str = "INSERT INTO county_history
    (station_id, kind, id, rev, at, actor, action, fields, bundle_seq)
SELECT DISTINCT ON (station_id, id, rev)
    station_id, kind, id, rev, at, actor, action, fields, bundle_seq
FROM county_history_incoming ORDER BY station_id, id, rev, n
ON CONFLICT DO NOTHING;
TRUNCATE county_history_incoming;";

/// Changes not yet sent.
#[derive(Default)]
pub(super) struct HistoryBatch {
    pending: String,
    rows: usize,
}

impl HistoryBatch {
    /// Changes sent at once.
    const ROWS: usize = 5_000;

    /// Adds one change of `station` carried by its bundle `seq`; whether the batch is full
    /// (then [`HistoryBatch::flush`] it).
    pub(super) fn push(
        &mut self,
        station: &str,
        seq: u64,
        line: &crate::store::HistoryRef<'_>,
    ) -> bool {
        let out = &mut self.pending;
        out.push_str(&self.rows.to_string());
        for field in [station, &line.kind, &line.id] {
            out.push('\t');
            copy_field(out, field);
        }
        out.push('\t');
        out.push_str(&line.rev.to_string());
        for field in [&line.at, &line.actor, &line.action] {
            out.push('\t');
            copy_field(out, field);
        }
        out.push('\t');
        copy_field(out, &line.fields.join(","));
        out.push('\t');
        out.push_str(&seq.to_string());
        out.push('\n');
        self.rows += 1;
        self.rows >= Self::ROWS
    }

    /// Sends the changes not yet sent, in the import's transaction `tx`.
    pub(super) fn flush(
        &mut self,
        tx: &mut postgres::Transaction<'_>,
        error: fn(postgres::Error) -> BundleError,
    ) -> Result<(), BundleError> {
        if self.rows == 0 {
            return Ok(());
        }
        tx.batch_execute(INCOMING).map_err(error)?;
        let mut writer = tx
            .copy_in("COPY county_history_incoming FROM STDIN")
            .map_err(error)?;
        super::pg_desk::send_copy(&mut writer, &self.pending)?;
        writer.finish().map_err(error)?;
        tx.batch_execute(ADD).map_err(error)?;
        self.pending.clear();
        self.rows = 0;
        Ok(())
    }
}

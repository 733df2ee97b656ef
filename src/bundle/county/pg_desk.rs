//! What the county desk reads from PostgreSQL: the report tables, records by their text, and
//! the records' histories. Errors are the server's, for the store to put in its words.

use postgres::Client;

pub(super) fn report_table(
    client: &mut Client,
    table: &str,
    station: Option<&str>,
) -> Result<Option<super::desk::ReportTable>, postgres::Error> {
    use postgres::fallible_iterator::FallibleIterator;
    let columns = columns_of(client, table)?;
    if columns.is_empty() {
        return Ok(None);
    }
    // Streamed: only the table's own rows are held, not the server's rows beside them.
    let mut found = match station {
        Some(s) => client.query_raw(
            &format!("SELECT * FROM \"{table}\" WHERE station_id = $1 ORDER BY ctid"),
            [s],
        ),
        None => client.query_raw(
            &format!("SELECT * FROM \"{table}\" ORDER BY ctid"),
            std::iter::empty::<&str>(),
        ),
    }?;
    let width = columns.len().saturating_sub(1);
    let mut rows = Vec::new();
    while let Some(r) = found.next()? {
        let cells = (0..width)
            .map(|i| {
                r.try_get::<_, Option<String>>(i + 1)
                    .map(Option::unwrap_or_default)
            })
            .collect::<Result<Vec<String>, _>>()?;
        rows.push((r.try_get(0)?, cells));
    }
    Ok(Some(super::desk::ReportTable {
        columns: columns.into_iter().skip(1).collect(),
        rows,
    }))
}

/// See `CountyStore::each_table_row`.
pub(super) fn each_table_row(
    client: &mut Client,
    table: &str,
    columns: &[&str],
    since: Option<(&str, &str)>,
    each: super::EachTableRow<'_>,
    error: fn(postgres::Error) -> crate::bundle::BundleError,
) -> Result<(), crate::bundle::BundleError> {
    use postgres::fallible_iterator::FallibleIterator;
    if !super::holds_columns(&columns_of(client, table).map_err(error)?, columns, since) {
        return Ok(());
    }
    let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    // Without `since`, no filter: every row (an absent bound, not a failure).
    let filter = since
        .map(|(column, _)| format!("WHERE \"{column}\" COLLATE \"C\" >= $1"))
        .unwrap_or_default();
    let query = format!(
        "SELECT station_id, {} FROM \"{table}\" {filter}",
        list.join(", ")
    );
    let params: Vec<&str> = since.iter().map(|(_, from)| *from).collect();
    // Streamed: the rows are read as they come, never held together.
    let mut found = client.query_raw(&query, params).map_err(error)?;
    while let Some(row) = found.next().map_err(error)? {
        let station: &str = row.try_get(0).map_err(error)?;
        let cells = (1..=columns.len())
            .map(|i| {
                row.try_get::<_, Option<&str>>(i)
                    .map(Option::unwrap_or_default)
            })
            .collect::<Result<Vec<&str>, _>>()
            .map_err(error)?;
        each(station, &cells)?;
    }
    Ok(())
}

/// The names of the columns of `table`, in order (none when it does not exist).
pub(super) fn columns_of(
    client: &mut impl postgres::GenericClient,
    table: &str,
) -> Result<Vec<String>, postgres::Error> {
    Ok(client
        .query(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Gives a report table an index of `column` (once), byte by byte as SQLite compares.
pub(super) fn index_column(
    client: &mut Client,
    table: &str,
    column: &str,
) -> Result<(), postgres::Error> {
    client.batch_execute(&format!(
        "CREATE INDEX IF NOT EXISTS \"{table}_{column}\" ON \"{table}\" (\"{column}\" COLLATE \"C\")"
    ))
}

/// How many rows a report table holds; `None` when it does not exist.
pub(super) fn report_count(
    client: &mut Client,
    table: &str,
) -> Result<Option<u64>, postgres::Error> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name = $1)",
            &[&table],
        )?
        .get(0);
    if !exists {
        return Ok(None);
    }
    let n: i64 = client
        .query_one(&format!("SELECT count(*) FROM \"{table}\""), &[])?
        .get(0);
    Ok(Some(n.max(0) as u64))
}

/// The statements that give a report table the index its rows are found and read in order
/// by: of the station and, in a kind's table (`by_id`), the record's id, byte by byte as
/// SQLite compares. Tables of an earlier version had the station's alone, which this replaces.
pub(super) fn order_index(table: &str, by_id: bool) -> String {
    let order = if by_id {
        format!("station_id, \"{}\" COLLATE \"C\"", super::REPORT_ID_COLUMN)
    } else {
        "station_id".to_string()
    };
    format!(
        "CREATE INDEX IF NOT EXISTS \"{table}_order\" ON \"{table}\" ({order});
         DROP INDEX IF EXISTS \"{table}_station_id_idx\";"
    )
}

/// A report table's rows that `rows` asks for, streamed from the server as they come. Text
/// is compared byte by byte (`COLLATE "C"`), as SQLite does, so both stores give the same
/// rows in the same order.
pub(super) fn each_report_row(
    client: &mut Client,
    table: &str,
    rows: &super::ReportRows,
    each: &mut dyn FnMut(&[&str]) -> Result<(), crate::bundle::BundleError>,
    error: fn(postgres::Error) -> crate::bundle::BundleError,
) -> Result<(), crate::bundle::BundleError> {
    use postgres::fallible_iterator::FallibleIterator;
    let id = super::REPORT_ID_COLUMN;
    let since = rows
        .since
        .as_ref()
        .map(|(column, _)| format!("WHERE \"{column}\" COLLATE \"C\" >= $1"))
        .unwrap_or_default();
    let limit = rows.limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
    let query = format!(
        "SELECT * FROM \"{table}\" {since} ORDER BY station_id, \"{id}\" COLLATE \"C\" {limit}"
    );
    let params: Vec<&str> = rows.since.iter().map(|(_, from)| from.as_str()).collect();
    // A table written by an earlier version gets its index here, once.
    client
        .batch_execute(&order_index(table, true))
        .map_err(error)?;
    let mut found = client.query_raw(&query, params).map_err(error)?;
    while let Some(row) = found.next().map_err(error)? {
        let width = row.len().saturating_sub(1);
        // Every column is text the program wrote; NULL is an empty cell.
        let cells = (0..width)
            .map(|i| {
                row.try_get::<_, Option<&str>>(i + 1)
                    .map(Option::unwrap_or_default)
            })
            .collect::<Result<Vec<&str>, _>>()
            .map_err(error)?;
        each(&cells)?;
    }
    Ok(())
}

/// The search entries of an import's batch in `county_incoming` (each line's `date` and
/// `doc`, none for a deleted record), kept before the records are: the records the batch
/// changes (new, or of a higher rev than the county's) have their old entry taken out and
/// their new one put in, as SQLite's index keeps them.
pub(super) const SEARCH_ENTRIES: &str = "
CREATE TEMP TABLE IF NOT EXISTS county_changed (
    station_id  TEXT COLLATE \"C\",
    kind        TEXT COLLATE \"C\",
    id          TEXT COLLATE \"C\",
    fresh       BOOLEAN,
    live        BOOLEAN,
    date        TEXT,
    doc         TSVECTOR
);
INSERT INTO county_changed (station_id, kind, id, fresh, live, date, doc)
SELECT w.station_id, w.kind, w.id, r.rev IS NULL, NOT w.deleted, w.date, w.doc
FROM (SELECT DISTINCT ON (station_id, kind, id) station_id, kind, id, rev, deleted, date, doc
      FROM county_incoming ORDER BY station_id, kind, id, rev DESC, n) AS w
LEFT JOIN county_record AS r ON r.station_id = w.station_id AND r.kind = w.kind AND r.id = w.id
WHERE r.rev IS NULL OR w.rev > r.rev;
DELETE FROM county_search AS s USING county_changed AS c
WHERE NOT c.fresh AND s.id = c.id AND s.station_id = c.station_id AND s.kind = c.kind;
INSERT INTO county_search (station_id, kind, id, date, doc)
SELECT station_id, kind, id, date, doc FROM county_changed WHERE live AND doc IS NOT NULL
ON CONFLICT (id, station_id, kind) DO UPDATE SET date = excluded.date, doc = excluded.doc;
TRUNCATE county_changed;
";

/// Up to `limit` live records found by the `tsquery` literal `query` (from
/// [`crate::domain::search::pg_query`]) in the county's search index, newest first (by id,
/// which begins with the time the record was made), of these stations (or all), of this
/// period (or any).
///
/// The newest documents are tried first ([`NEWEST_WINDOW`] of them, read backwards through
/// the table's key, which begins with the id): a query that many records match finds its page there without reading them
/// all. When they hold fewer than `limit`, the GIN index finds every match, and only their
/// keys are sorted before the page's records are read. (GIN cannot read its matches in any
/// order, and PostgreSQL cannot tell how many a phrase has: asked directly, `老旧小区` read
/// 37,000 records at 130 stations × 10 years to list 50, in 0.8 s.)
pub(super) fn search(
    client: &mut Client,
    query: &str,
    stations: Option<&[String]>,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    limit: usize,
) -> Result<Vec<(String, String, String, String)>, postgres::Error> {
    let limit = limit.min(i64::MAX as usize) as i64;
    let stations: Option<Vec<String>> = stations.map(<[String]>::to_vec);
    let (from, to) = match period {
        Some((from, to)) => (Some(from.to_string()), Some(to.to_string())),
        None => (None, None),
    };
    let page = |client: &mut Client, searched: &str| {
        client.query(
            &format!(
                "SELECT s.station_id, s.kind, s.id, r.data
                 FROM (SELECT station_id, kind, id FROM {searched} AS d
                       WHERE d.doc @@ $1::text::tsquery
                         AND ($2::text[] IS NULL OR d.station_id = ANY($2))
                         AND ($3::text IS NULL OR d.date BETWEEN $3 AND $4)
                       ORDER BY d.id DESC LIMIT $5) AS s
                 JOIN county_record AS r
                   ON r.station_id = s.station_id AND r.kind = s.kind AND r.id = s.id
                 ORDER BY s.id DESC"
            ),
            &[&query, &stations, &from, &to, &limit],
        )
    };
    let rows = match stations.as_deref() {
        // One station's (the usual filter: a station of one installation): its own
        // documents newest first, through the index of (station, id).
        Some([station]) => client.query(
            "SELECT s.station_id, s.kind, s.id, r.data
             FROM (SELECT station_id, kind, id FROM county_search AS d
                   WHERE d.station_id = $2 AND d.doc @@ $1::text::tsquery
                     AND ($3::text IS NULL OR d.date BETWEEN $3 AND $4)
                   ORDER BY d.id DESC LIMIT $5) AS s
             JOIN county_record AS r
               ON r.station_id = s.station_id AND r.kind = s.kind AND r.id = s.id
             ORDER BY s.id DESC",
            &[&query, station, &from, &to, &limit],
        )?,
        _ => {
            let newest = format!(
                "(SELECT station_id, kind, id, date, doc FROM county_search
                  ORDER BY id DESC LIMIT {NEWEST_WINDOW})"
            );
            let rows = page(client, &newest)?;
            if (rows.len() as i64) < limit {
                page(client, "county_search")?
            } else {
                rows
            }
        }
    };
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
}

/// The newest documents a search reads first, before it asks the GIN index for every match.
const NEWEST_WINDOW: i64 = 5_000;

/// Records read at once while the search index is filled.
const FILL_PAGE: i32 = 5_000;

/// Fills the search index from every live record when a schema step has just made it (its
/// marker table holds a row), in the migration's transaction: a stop leaves the marker and
/// the next open fills it again.
pub(super) fn fill_search(
    tx: &mut postgres::Transaction<'_>,
    error: fn(postgres::Error) -> crate::bundle::BundleError,
    indexing: &mut dyn FnMut(),
) -> Result<(), crate::bundle::BundleError> {
    let unbuilt: bool = tx
        .query_one("SELECT EXISTS (SELECT 1 FROM county_search_unbuilt)", &[])
        .map_err(error)?
        .get(0);
    if !unbuilt {
        return Ok(());
    }
    indexing();
    tx.batch_execute("TRUNCATE county_search").map_err(error)?;
    let portal = tx
        .bind(
            "SELECT station_id, kind, id, data FROM county_record WHERE NOT deleted",
            &[],
        )
        .map_err(error)?;
    loop {
        let rows = tx.query_portal(&portal, FILL_PAGE).map_err(error)?;
        if rows.is_empty() {
            break;
        }
        let mut lines = String::new();
        for row in &rows {
            let (station, kind, id, data): (&str, &str, &str, &str) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            let Some((body, date)) = crate::store::bundle_entry(kind, data) else {
                continue;
            };
            for (i, field) in [station, kind, id, &date].into_iter().enumerate() {
                if i > 0 {
                    lines.push('\t');
                }
                copy_field(&mut lines, field);
            }
            lines.push('\t');
            copy_field(&mut lines, &crate::domain::search::pg_vector(&body));
            lines.push('\n');
        }
        let mut writer = tx
            .copy_in("COPY county_search (station_id, kind, id, date, doc) FROM STDIN")
            .map_err(error)?;
        std::io::Write::write_all(&mut writer, lines.as_bytes())
            .map_err(|e| crate::bundle::BundleError::County(e.to_string()))?;
        writer.finish().map_err(error)?;
    }
    tx.batch_execute("DELETE FROM county_search_unbuilt")
        .map_err(error)
}

/// The columns of a change as [`history_line`] reads them.
const HISTORY_COLUMNS: &str = "kind, id, rev, at, actor, action, fields, bundle_seq";

/// The changes of one record of a station, by rev.
pub(super) fn history_of(
    client: &mut Client,
    station: &str,
    id: &str,
) -> Result<Vec<(crate::store::HistoryLine, u64)>, postgres::Error> {
    let rows = client.query(
        &format!(
            "SELECT {HISTORY_COLUMNS} FROM county_history WHERE station_id = $1 AND id = $2
             ORDER BY rev"
        ),
        &[&station, &id],
    )?;
    Ok(rows.iter().map(history_line).collect())
}

/// A change of `county_history`, with the seq of the bundle that carried it.
fn history_line(r: &postgres::Row) -> (crate::store::HistoryLine, u64) {
    let fields: String = r.get(6);
    (
        crate::store::HistoryLine {
            kind: r.get(0),
            id: r.get(1),
            rev: r.get(2),
            at: r.get(3),
            actor: r.get(4),
            action: r.get(5),
            fields: fields
                .split(',')
                .filter(|f| !f.is_empty())
                .map(str::to_string)
                .collect(),
        },
        r.get::<_, i64>(7) as u64,
    )
}

/// Changes read at once by [`each_history`].
const HISTORY_PAGE: i64 = 5_000;

/// Every change of a station's records by record and rev, read a page at a time after the
/// last one read (the primary key's order), so that a big station's are never all held.
pub(super) fn each_history(
    client: &mut Client,
    station: &str,
    each: &mut dyn FnMut(crate::store::HistoryLine, u64) -> Result<(), crate::bundle::BundleError>,
    error: fn(postgres::Error) -> crate::bundle::BundleError,
) -> Result<(), crate::bundle::BundleError> {
    let statement = client
        .prepare(&format!(
            "SELECT {HISTORY_COLUMNS} FROM county_history
             WHERE station_id = $1 AND (id, rev) > ($2, $3)
             ORDER BY id, rev LIMIT $4"
        ))
        .map_err(error)?;
    let (mut after_id, mut after_rev) = (String::new(), i64::MIN);
    loop {
        let rows = client
            .query(
                &statement,
                &[&station, &after_id, &after_rev, &HISTORY_PAGE],
            )
            .map_err(error)?;
        let full = rows.len() as i64 == HISTORY_PAGE;
        for row in &rows {
            let (line, seq) = history_line(row);
            after_id.clone_from(&line.id);
            after_rev = line.rev;
            each(line, seq)?;
        }
        if !full {
            return Ok(());
        }
    }
}

/// Keeps a proposed topic and the visits behind it, in one transaction.
pub(super) fn add_topic(
    client: &mut Client,
    topic: &super::hot::CountyTopic,
) -> Result<(), postgres::Error> {
    let mut tx = client.transaction()?;
    tx.execute(
        "INSERT INTO county_topic (id, title, category, period, created_at)
         VALUES ($1, $2, $3, $4, $5)",
        &[
            &topic.id,
            &topic.title,
            &topic.category,
            &topic.period,
            &topic.created_at,
        ],
    )?;
    for (station, intake) in &topic.requests {
        tx.execute(
            "INSERT INTO county_topic_request (topic_id, station_id, intake_id)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            &[&topic.id, station, intake],
        )?;
    }
    tx.commit()
}

/// The proposed topics, newest first, each with its visits.
pub(super) fn topics(client: &mut Client) -> Result<Vec<super::hot::CountyTopic>, postgres::Error> {
    let mut topics: Vec<super::hot::CountyTopic> = client
        .query(
            "SELECT id, title, category, period, created_at FROM county_topic
             ORDER BY created_at DESC, id DESC",
            &[],
        )?
        .iter()
        .map(|r| super::hot::CountyTopic {
            id: r.get(0),
            title: r.get(1),
            category: r.get(2),
            period: r.get(3),
            created_at: r.get(4),
            requests: Vec::new(),
        })
        .collect();
    for topic in &mut topics {
        topic.requests = client
            .query(
                "SELECT station_id, intake_id FROM county_topic_request WHERE topic_id = $1
                 ORDER BY intake_id DESC",
                &[&topic.id],
            )?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
    }
    Ok(topics)
}

/// Appends `text` as a field of COPY's text format (backslash, tab and line ends escaped).
pub(super) fn copy_field(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// What COPY sends at a time: the client buffers each write whole before it sends, so a batch
/// written in one go would be held twice more beside the batch itself (at a million records,
/// batches of mediation cases took 81 MB of the import's 87 MB of heap).
const COPY_CHUNK: usize = 64 * 1024;

/// Sends `text`, lines in COPY's text format, through `writer` a chunk at a time.
pub(super) fn send_copy(
    writer: &mut postgres::CopyInWriter<'_>,
    text: &str,
) -> Result<(), crate::bundle::BundleError> {
    use std::io::Write;
    for chunk in text.as_bytes().chunks(COPY_CHUNK) {
        writer
            .write_all(chunk)
            .map_err(|e| crate::bundle::BundleError::County(e.to_string()))?;
    }
    Ok(())
}

/// COPY: `rows` of `station` stream to the server in one go, in its text format.
pub(super) fn copy_rows(
    tx: &mut postgres::Transaction<'_>,
    table: &str,
    columns: &[String],
    station: &str,
    rows: &[Vec<String>],
    error: fn(postgres::Error) -> crate::bundle::BundleError,
) -> Result<(), crate::bundle::BundleError> {
    use std::io::Write;
    let mut writer = tx
        .copy_in(&format!("COPY \"{table}\" FROM STDIN"))
        .map_err(error)?;
    let mut line = String::new();
    for row in rows {
        line.clear();
        copy_field(&mut line, station);
        for i in 0..columns.len() {
            line.push('\t');
            copy_field(&mut line, row.get(i).map(String::as_str).unwrap_or(""));
        }
        line.push('\n');
        writer
            .write_all(line.as_bytes())
            .map_err(|e| crate::bundle::BundleError::County(e.to_string()))?;
    }
    writer.finish().map_err(error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_fields_escape_what_the_format_gives_a_meaning_to() {
        let mut out = String::new();
        copy_field(&mut out, "a\tb\nc\\d\re");
        assert_eq!(out, "a\\tb\\nc\\\\d\\re");
    }
}

//! What the county desk reads from PostgreSQL: the report tables, records by their text, and
//! the records' histories. Errors are the server's, for the store to put in its words.

use postgres::Client;

pub(super) fn report_table(
    client: &mut Client,
    table: &str,
    station: Option<&str>,
) -> Result<Option<super::desk::ReportTable>, postgres::Error> {
    let columns: Vec<String> = client
        .query(
            "SELECT column_name::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1
             ORDER BY ordinal_position",
            &[&table],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    if columns.is_empty() {
        return Ok(None);
    }
    let rows = match station {
        Some(s) => client.query(
            &format!("SELECT * FROM \"{table}\" WHERE station_id = $1 ORDER BY ctid"),
            &[&s],
        ),
        None => client.query(&format!("SELECT * FROM \"{table}\" ORDER BY ctid"), &[]),
    }?;
    let width = columns.len().saturating_sub(1);
    Ok(Some(super::desk::ReportTable {
        columns: columns.into_iter().skip(1).collect(),
        rows: rows
            .iter()
            .map(|r| {
                let cells = (0..width)
                    .map(|i| r.get::<_, Option<String>>(i + 1).unwrap_or_default())
                    .collect();
                (r.get(0), cells)
            })
            .collect(),
    }))
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

pub(super) fn search(
    client: &mut Client,
    needle: &str,
    stations: Option<&[String]>,
    limit: usize,
) -> Result<Vec<(String, String, String, String)>, postgres::Error> {
    let limit = limit.min(i64::MAX as usize) as i64;
    let rows = match stations {
        None => client.query(
            "SELECT station_id, kind, id, data FROM county_record
             WHERE NOT deleted AND strpos(data, $1) > 0 ORDER BY id DESC LIMIT $2",
            &[&needle, &limit],
        ),
        Some(stations) => {
            let stations: Vec<String> = stations.to_vec();
            client.query(
                "SELECT station_id, kind, id, data FROM county_record
                 WHERE station_id = ANY($1) AND NOT deleted AND strpos(data, $2) > 0
                 ORDER BY id DESC LIMIT $3",
                &[&stations, &needle, &limit],
            )
        }
    }?;
    Ok(rows
        .iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
        .collect())
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

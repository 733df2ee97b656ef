//! The report tables of a SQLite county file: made, replaced station by station, counted and
//! read (the `CountyStore` methods of `sqlite.rs` hand them here).

use rusqlite::{Connection, OptionalExtension};

use crate::bundle::BundleError;
use crate::store::StoreError;

fn sql(e: rusqlite::Error) -> BundleError {
    BundleError::Store(StoreError::from(e))
}

/// The index a report table's rows are found and read in order by: of the station and, in a
/// kind's table (`by_id`), the record's id. Tables of an earlier version had the station's
/// alone, which this one replaces.
pub(super) fn order_index(conn: &Connection, table: &str, by_id: bool) -> Result<(), BundleError> {
    let order = if by_id {
        format!("station_id, \"{}\"", super::REPORT_ID_COLUMN)
    } else {
        "station_id".to_string()
    };
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS \"{table}_order\" ON \"{table}\" ({order});
         DROP INDEX IF EXISTS \"{table}_station\";"
    ))
    .map_err(sql)
}

/// Whether the county file holds the table `table`.
fn table_exists(conn: &Connection, table: &str) -> Result<bool, BundleError> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )
    .map_err(sql)
}

/// The names of the columns of `table` (none when it does not exist).
fn columns_of(conn: &Connection, table: &str) -> Result<Vec<String>, BundleError> {
    let mut stmt = conn
        .prepare(&format!("PRAGMA table_info(\"{table}\")"))
        .map_err(sql)?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(1))
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql);
    names
}

/// See `CountyStore::each_table_row`.
pub(super) fn each_table_row(
    conn: &Connection,
    table: &str,
    columns: &[&str],
    since: Option<(&str, &str)>,
    each: super::EachTableRow<'_>,
) -> Result<(), BundleError> {
    if !super::holds_columns(&columns_of(conn, table)?, columns, since) {
        return Ok(());
    }
    // The names are the program's own headers, without quotes (`column_names`).
    let list: Vec<String> = columns.iter().map(|c| format!("\"{c}\"")).collect();
    // Without `since`, no filter: every row (an absent bound, not a failure).
    let filter = since
        .map(|(column, _)| format!("WHERE \"{column}\" >= ?1"))
        .unwrap_or_default();
    let mut stmt = conn
        .prepare(&format!(
            "SELECT station_id, {} FROM \"{table}\" {filter}",
            list.join(", ")
        ))
        .map_err(sql)?;
    let mut rows = match since {
        Some((_, from)) => stmt.query([from]),
        None => stmt.query([]),
    }
    .map_err(sql)?;
    let text = |v: rusqlite::types::ValueRef<'_>| -> Result<String, BundleError> {
        use rusqlite::types::ValueRef;
        Ok(match v {
            ValueRef::Text(t) => String::from_utf8_lossy(t).into_owned(),
            ValueRef::Integer(n) => n.to_string(),
            ValueRef::Real(x) => x.to_string(),
            ValueRef::Null | ValueRef::Blob(_) => String::new(),
        })
    };
    while let Some(row) = rows.next().map_err(sql)? {
        let station = text(row.get_ref(0).map_err(sql)?)?;
        let cells = (1..=columns.len())
            .map(|i| text(row.get_ref(i).map_err(sql)?))
            .collect::<Result<Vec<String>, _>>()?;
        let borrowed: Vec<&str> = cells.iter().map(String::as_str).collect();
        each(&station, &borrowed)?;
    }
    Ok(())
}

pub(super) fn report_count(conn: &mut Connection, table: &str) -> Result<Option<u64>, BundleError> {
    if !table_exists(conn, table)? {
        return Ok(None);
    }
    let n: i64 = conn
        .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
            r.get(0)
        })
        .map_err(sql)?;
    Ok(Some(n.max(0) as u64))
}

/// Gives the report table `table` an index of `column` (once).
pub(super) fn index_column(
    conn: &Connection,
    table: &str,
    column: &str,
) -> Result<(), BundleError> {
    conn.execute_batch(&format!(
        "CREATE INDEX IF NOT EXISTS \"{table}_{column}\" ON \"{table}\" (\"{column}\")"
    ))
    .map_err(sql)
}

pub(super) fn nth_greatest(
    conn: &mut Connection,
    table: &str,
    column: &str,
    n: u64,
) -> Result<Option<String>, BundleError> {
    let offset = n.saturating_sub(1);
    // Found by an index of the column (made here once), not a sort of the whole table.
    index_column(conn, table, column)?;
    conn.query_row(
        &format!("SELECT \"{column}\" FROM \"{table}\" ORDER BY 1 DESC LIMIT 1 OFFSET {offset}"),
        [],
        |r| r.get::<_, Option<String>>(0),
    )
    .optional()
    .map(Option::flatten)
    .map_err(sql)
}

pub(super) fn each_report_row(
    conn: &mut Connection,
    table: &str,
    rows: &super::ReportRows,
    each: &mut dyn FnMut(&[&str]) -> Result<(), BundleError>,
) -> Result<(), BundleError> {
    // Column names come from the program's own headers, without quotes (`column_names`).
    let id = super::REPORT_ID_COLUMN;
    let since = rows
        .since
        .as_ref()
        .map(|(column, _)| format!("WHERE \"{column}\" >= ?1"))
        .unwrap_or_default();
    let limit = rows.limit.map(|n| format!("LIMIT {n}")).unwrap_or_default();
    // A table written by an earlier version gets its index here, once (it is read in
    // that order).
    order_index(conn, table, true)?;
    let mut stmt = conn
        .prepare(&format!(
            "SELECT * FROM \"{table}\" {since} ORDER BY station_id, \"{id}\" {limit}"
        ))
        .map_err(sql)?;
    let width = stmt.column_count().saturating_sub(1);
    let mut found = match &rows.since {
        Some((_, from)) => stmt.query([from]),
        None => stmt.query([]),
    }
    .map_err(sql)?;
    while let Some(row) = found.next().map_err(sql)? {
        // Borrowed from SQLite's row, not copied: most rows only pass through to a CSV. Every
        // column is text the program wrote; NULL is an empty cell, and a number another tool
        // put there is written out rather than lost.
        let mut cells: Vec<std::borrow::Cow<'_, str>> = Vec::with_capacity(width);
        for i in 0..width {
            use rusqlite::types::ValueRef;
            cells.push(match row.get_ref(i + 1).map_err(sql)? {
                ValueRef::Text(text) => std::str::from_utf8(text)
                    .map_err(|e| BundleError::Damaged(e.to_string()))?
                    .into(),
                ValueRef::Integer(n) => n.to_string().into(),
                ValueRef::Real(x) => x.to_string().into(),
                ValueRef::Null | ValueRef::Blob(_) => "".into(),
            });
        }
        let borrowed: Vec<&str> = cells.iter().map(|c| c.as_ref()).collect();
        each(&borrowed)?;
    }
    Ok(())
}

pub(super) fn report_table(
    conn: &mut Connection,
    table: &str,
    station: Option<&str>,
) -> Result<Option<super::desk::ReportTable>, BundleError> {
    if !table_exists(conn, table)? {
        return Ok(None);
    }
    let query = match station {
        Some(_) => format!("SELECT * FROM \"{table}\" WHERE station_id = ?1 ORDER BY rowid"),
        None => format!("SELECT * FROM \"{table}\" ORDER BY rowid"),
    };
    let mut stmt = conn.prepare(&query).map_err(sql)?;
    let columns: Vec<String> = stmt
        .column_names()
        .iter()
        .skip(1)
        .map(|c| c.to_string())
        .collect();
    let width = columns.len();
    let read = |r: &rusqlite::Row<'_>| -> rusqlite::Result<(String, Vec<String>)> {
        let mut cells = Vec::with_capacity(width);
        for i in 0..width {
            cells.push(r.get::<_, Option<String>>(i + 1)?.unwrap_or_default());
        }
        Ok((r.get(0)?, cells))
    };
    let rows = match station {
        Some(s) => stmt.query_map([s], read),
        None => stmt.query_map([], read),
    }
    .map_err(sql)?
    .collect::<Result<Vec<_>, _>>()
    .map_err(sql)?;
    Ok(Some(super::desk::ReportTable { columns, rows }))
}

pub(super) fn replace_rows(
    conn: &mut Connection,
    table: &str,
    columns: &[String],
    station: &str,
    rows: &[Vec<String>],
) -> Result<(), BundleError> {
    in_transaction(conn, &mut |conn| {
        let existing = columns_of(conn, table)?;
        let wanted: Vec<String> = std::iter::once("station_id".to_string())
            .chain(columns.iter().cloned())
            .collect();
        if existing != wanted {
            let defs: Vec<String> = columns.iter().map(|c| format!("\"{c}\" TEXT")).collect();
            conn.execute_batch(&format!(
                "DROP TABLE IF EXISTS \"{table}\";
                 CREATE TABLE \"{table}\" (station_id TEXT NOT NULL, {});",
                defs.join(", ")
            ))
            .map_err(sql)?;
        }
        order_index(
            conn,
            table,
            columns.iter().any(|c| c == super::REPORT_ID_COLUMN),
        )?;
        conn.execute(
            &format!("DELETE FROM \"{table}\" WHERE station_id = ?1"),
            [station],
        )
        .map_err(sql)?;
        insert_rows(conn, table, columns, station, rows)
    })
}

pub(super) fn append_rows(
    conn: &mut Connection,
    table: &str,
    columns: &[String],
    station: &str,
    rows: &[Vec<String>],
) -> Result<(), BundleError> {
    in_transaction(conn, &mut |conn| {
        insert_rows(conn, table, columns, station, rows)
    })
}

/// Runs `work` in a transaction of its own, or in the one already begun (`begin_rows`: the
/// whole station's tables, committed or left at its end).
fn in_transaction(
    conn: &mut Connection,
    work: &mut dyn FnMut(&Connection) -> Result<(), BundleError>,
) -> Result<(), BundleError> {
    if !conn.is_autocommit() {
        return work(conn);
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    work(&tx)?;
    tx.commit().map_err(sql)
}

/// Inserts `rows` of `station` into the report table `table`.
fn insert_rows(
    tx: &Connection,
    table: &str,
    columns: &[String],
    station: &str,
    rows: &[Vec<String>],
) -> Result<(), BundleError> {
    let marks: Vec<String> = (0..=columns.len()).map(|i| format!("?{}", i + 1)).collect();
    let mut insert = tx
        .prepare(&format!(
            "INSERT INTO \"{table}\" VALUES ({})",
            marks.join(", ")
        ))
        .map_err(sql)?;
    for row in rows {
        // Bound as they are (no copy of each cell).
        let values = std::iter::once(station)
            .chain(row.iter().map(String::as_str))
            .chain(std::iter::repeat_n(
                "",
                (columns.len()).saturating_sub(row.len()),
            ))
            .take(columns.len() + 1);
        insert
            .execute(rusqlite::params_from_iter(values))
            .map_err(sql)?;
    }
    Ok(())
}

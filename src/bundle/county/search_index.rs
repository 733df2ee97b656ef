//! The county's search index on SQLite (county schema step 8): the station's bigram index
//! ([`crate::domain::search`]) over every live record of every station, kept by each import in
//! its transaction. A document's rowid is the time its record was made, so a search reads the
//! newest first and stops at its limit.

use rusqlite::{params, Connection, OptionalExtension};

use super::Searched;
use crate::bundle::BundleError;

fn sql(e: rusqlite::Error) -> BundleError {
    BundleError::Store(crate::store::StoreError::from(e))
}

/// Fills the index from every record kept, when the file's index was made by schema step 8
/// over records already there (one transaction: a stop leaves the marker, and the next open
/// fills it again).
pub(super) fn build(conn: &mut Connection) -> Result<(), BundleError> {
    let unbuilt: bool = conn
        .query_row(
            "SELECT EXISTS (SELECT 1 FROM county_search_unbuilt)",
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    if !unbuilt {
        return Ok(());
    }
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    tx.execute_batch("DELETE FROM county_search; DELETE FROM county_search_doc;")
        .map_err(sql)?;
    {
        let mut stmt = tx
            .prepare("SELECT station_id, kind, id, data FROM county_record WHERE deleted = 0")
            .map_err(sql)?;
        let mut rows = stmt.query([]).map_err(sql)?;
        while let Some(row) = rows.next().map_err(sql)? {
            let station: String = row.get(0).map_err(sql)?;
            let kind: String = row.get(1).map_err(sql)?;
            let id: String = row.get(2).map_err(sql)?;
            let data: String = row.get(3).map_err(sql)?;
            let entry = crate::store::bundle_entry(&kind, &data);
            let entry = entry
                .as_ref()
                .map(|(body, date)| (body.as_str(), date.as_str()));
            index_record(&tx, &station, &kind, &id, entry, true)?;
        }
    }
    tx.execute("DELETE FROM county_search_unbuilt", [])
        .map_err(sql)?;
    tx.commit().map_err(sql)
}

/// Up to `limit` live records found by what was `typed`, newest first, of these stations
/// (or all), of this period (or any): `(station_id, kind, id, data)`.
pub(super) fn search(
    conn: &Connection,
    typed: &str,
    stations: Option<&[String]>,
    period: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    limit: usize,
) -> Result<Searched, BundleError> {
    let Some(query) = crate::domain::search::fts_query(typed) else {
        return Ok(Searched {
            rows: Vec::new(),
            exact: true,
        });
    };
    let read = |r: &rusqlite::Row<'_>| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?));
    let limit = limit.min(i64::MAX as usize) as i64;
    // The documents come newest first from the index; each joins its record by its key.
    let mut stmt = conn
        .prepare_cached(
            "SELECT d.station_id, d.kind, d.id, r.data
             FROM county_search AS f
             JOIN county_search_doc AS d ON d.rowid = f.rowid
             JOIN county_record AS r
               ON r.station_id = d.station_id AND r.kind = d.kind AND r.id = d.id
             WHERE county_search MATCH ?1
               AND (?2 IS NULL OR d.station_id IN (SELECT value FROM json_each(?2)))
               AND (?4 IS NULL OR d.date BETWEEN ?4 AND ?5)
             ORDER BY f.rowid DESC
             LIMIT ?3",
        )
        .map_err(sql)?;
    let stations = stations.map(|s| serde_json::to_string(s).unwrap_or_else(|_| "[]".to_string()));
    let (from, to) = match period {
        Some((from, to)) => (Some(from.to_string()), Some(to.to_string())),
        None => (None, None),
    };
    let rows = stmt
        .query_map(params![query, stations, limit, from, to], read)
        .map_err(sql)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(sql)?;
    Ok(Searched { rows, exact: true })
}

/// The document key of a record: its id's time (a UUID v7's milliseconds) above 15 of its
/// random bits, so that keys sort as the records were made. Another id (not v7) takes its
/// first 47 bits, which sort it among records of no particular time.
fn time_key(id: &str) -> i64 {
    // Ids were read as UUIDs before they were kept; one that would not read sorts first.
    let bytes = uuid::Uuid::parse_str(id)
        .map(|u| *u.as_bytes())
        .unwrap_or_default();
    let first = bytes[..6]
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    let low =
        ((u64::from(bytes[6] & 0x0f) << 8 | u64::from(bytes[7])) << 3) | u64::from(bytes[8] & 0x07);
    ((first & ((1 << 47) - 1)) << 15 | low) as i64
}

/// Puts a record into the search index as `entry` (what it is found by, and its date), or
/// takes it out (none: deleted, or a record that cannot be read), replacing what the index
/// held for it (`fresh`: the record is new to the county, so the index holds nothing of it).
pub(super) fn index_record(
    tx: &Connection,
    station: &str,
    kind: &str,
    id: &str,
    entry: Option<(&str, &str)>,
    fresh: bool,
) -> Result<(), BundleError> {
    if !fresh {
        let old: Option<i64> = tx
            .prepare_cached(
                "SELECT rowid FROM county_search_doc
                 WHERE station_id = ?1 AND kind = ?2 AND id = ?3",
            )
            .map_err(sql)?
            .query_row(params![station, kind, id], |r| r.get(0))
            .optional()
            .map_err(sql)?;
        if let Some(rowid) = old {
            tx.prepare_cached("DELETE FROM county_search WHERE rowid = ?1")
                .map_err(sql)?
                .execute([rowid])
                .map_err(sql)?;
            tx.prepare_cached("DELETE FROM county_search_doc WHERE rowid = ?1")
                .map_err(sql)?
                .execute([rowid])
                .map_err(sql)?;
        }
    }
    let Some((body, date)) = entry else {
        return Ok(());
    };
    // Two records made in the same millisecond with the same random bits: the later one
    // takes the next free key below.
    let mut key = time_key(id);
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO county_search_doc (rowid, station_id, kind, id, date)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql)?;
    loop {
        match insert.execute(params![key, station, kind, id, date]) {
            Ok(_) => break,
            Err(e)
                if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation)
                    && key > 0 =>
            {
                // Taken by another record's key, or this record's entry is there already
                // (a second import of the same version): the latter is not a key clash.
                let mine: bool = tx
                    .prepare_cached(
                        "SELECT EXISTS (SELECT 1 FROM county_search_doc
                         WHERE station_id = ?1 AND kind = ?2 AND id = ?3)",
                    )
                    .map_err(sql)?
                    .query_row(params![station, kind, id], |r| r.get(0))
                    .map_err(sql)?;
                if mine {
                    return Ok(());
                }
                key -= 1;
            }
            Err(e) => return Err(sql(e)),
        }
    }
    tx.prepare_cached("INSERT INTO county_search (rowid, body) VALUES (?1, ?2)")
        .map_err(sql)?
        .execute(params![key, body])
        .map_err(sql)?;
    Ok(())
}

#[cfg(test)]
mod tests;

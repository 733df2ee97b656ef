//! The county's search index on SQLite (county schema step 8): the station's bigram index
//! ([`crate::domain::search`]) over every live record of every station, kept by each import in
//! its transaction. A document's rowid is the day its record was made, then the order in which
//! the county received that day's records, so a search reads the newest first and stops at its
//! limit. (Keyed by the millisecond, an import of one station's year put each of its records
//! on another page among every other station's of that year: half the time of importing a
//! county station by station went into writing those pages. Keyed by the day, a year's
//! bundle adds to the end of each of its days.)

use rusqlite::{params, Connection, OptionalExtension};

use super::Searched;
use crate::bundle::BundleError;

fn sql(e: rusqlite::Error) -> BundleError {
    BundleError::Store(crate::store::StoreError::from(e))
}

/// Fills the index from every record kept, when the file's index was made by schema step 8
/// over records already there (one transaction: a stop leaves the marker, and the next open
/// fills it again).
pub(super) fn build(conn: &mut Connection, indexing: &mut dyn FnMut()) -> Result<(), BundleError> {
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
    indexing();
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(sql)?;
    // FTS5's own emptying, rather than a tombstone for each document.
    tx.execute_batch(
        "INSERT INTO county_search (county_search) VALUES ('delete-all');
         DELETE FROM county_search_doc;",
    )
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
        return Ok(Vec::new());
    };
    let limit = limit.min(i64::MAX as usize);
    // The documents come newest day first from the index; each joins its record by its key.
    let mut stmt = conn
        .prepare_cached(
            "SELECT f.rowid, d.station_id, d.kind, d.id, r.data
             FROM county_search AS f
             JOIN county_search_doc AS d ON d.rowid = f.rowid
             JOIN county_record AS r
               ON r.station_id = d.station_id AND r.kind = d.kind AND r.id = d.id
             WHERE county_search MATCH ?1
               AND (?2 IS NULL OR d.station_id IN (SELECT value FROM json_each(?2)))
               AND (?3 IS NULL OR d.date BETWEEN ?3 AND ?4)
             ORDER BY f.rowid DESC",
        )
        .map_err(sql)?;
    let stations = stations.map(|s| serde_json::to_string(s).unwrap_or_else(|_| "[]".to_string()));
    let (from, to) = match period {
        Some((from, to)) => (Some(from.to_string()), Some(to.to_string())),
        None => (None, None),
    };
    let mut found = stmt
        .query(params![query, stations, from, to])
        .map_err(sql)?;
    // Within a day the index holds the order of arrival: the last day taken is read whole, so
    // that its records can be put in the order they were made (newest first, as the ids sort,
    // as PostgreSQL lists them) before the list is cut at its limit.
    let mut rows: Vec<(i64, (String, String, String, String))> = Vec::new();
    while let Some(row) = found.next().map_err(sql)? {
        let day = row.get::<_, i64>(0).map_err(sql)? >> DAY_SHIFT;
        if rows.len() >= limit && rows.last().is_some_and(|(last, _)| *last != day) {
            break;
        }
        let record = (
            row.get(1).map_err(sql)?,
            row.get(2).map_err(sql)?,
            row.get(3).map_err(sql)?,
            row.get(4).map_err(sql)?,
        );
        rows.push((day, record));
    }
    rows.sort_by(|(a_day, a), (b_day, b)| b_day.cmp(a_day).then_with(|| b.2.cmp(&a.2)));
    rows.truncate(limit);
    Ok(rows.into_iter().map(|(_, record)| record).collect())
}

/// Milliseconds in a day.
const DAY_MS: i64 = 86_400_000;
/// The bits of a document key below its day: the order the county received the day's records.
const DAY_SHIFT: u32 = 40;

/// The day a record was made, from its id's time (days since 1970, UTC); an id that is not a
/// UUID v7 gives a day of no particular time.
fn day_of(id: &str) -> i64 {
    made_ms(id) / DAY_MS
}

/// The key of a new document of a record made on `day`: after every document of that day.
fn next_key(tx: &Connection, day: i64) -> Result<i64, BundleError> {
    let first = day << DAY_SHIFT;
    tx.prepare_cached(
        "SELECT coalesce(max(rowid) + 1, ?1) FROM county_search_doc
         WHERE rowid >= ?1 AND rowid < ?2",
    )
    .map_err(sql)?
    .query_row(params![first, first + (1 << DAY_SHIFT)], |r| r.get(0))
    .map_err(sql)
}

/// When a record was made as its id tells it: a UUID v7's milliseconds since 1970. Another id
/// (not v7) gives its first 47 bits, which place it at no particular time.
fn made_ms(id: &str) -> i64 {
    // Ids were read as UUIDs before they were kept; one that would not read comes first.
    let bytes = uuid::Uuid::parse_str(id)
        .map(|u| *u.as_bytes())
        .unwrap_or_default();
    let first = bytes[..6]
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    (first & ((1 << 47) - 1)) as i64
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
    let mut key = next_key(tx, day_of(id))?;
    let mut insert = tx
        .prepare_cached(
            "INSERT INTO county_search_doc (rowid, station_id, kind, id, date)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )
        .map_err(sql)?;
    loop {
        match insert.execute(params![key, station, kind, id, date]) {
            Ok(_) => break,
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::ConstraintViolation) => {
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
                key += 1;
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

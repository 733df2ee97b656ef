//! The search rows of `stationdesk bench`: each query as the desk runs it beside the raw FTS5
//! query of the same expression on the same file, and the size of the search index.

use stationdesk::store::Store;

use super::measure::{fail, median, timed, Figure, Measure};

/// The search queries measured: what the desk sees typed most (one character, a word of two,
/// a phrase of four), phrases of common characters that no record holds, and names by pinyin.
fn search_queries(common_name: &str) -> Vec<(&'static str, String)> {
    let full = stationdesk::domain::pinyin_key::name_key(common_name)
        .split(' ')
        .next()
        .unwrap_or_default()
        .to_string();
    vec![
        ("search: 1 character (水)", "水".to_string()),
        ("search: 1 common character (的)", "的".to_string()),
        ("search: 2 characters (停车)", "停车".to_string()),
        ("search: 4 characters (老旧小区)", "老旧小区".to_string()),
        (
            "search: no record holds 的的的的的",
            "的的的的的".to_string(),
        ),
        (
            "search: no record holds 停车物业老旧",
            "停车物业老旧".to_string(),
        ),
        ("search: pinyin initials (zxl)", "zxl".to_string()),
        ("search: full pinyin of a name", full),
    ]
}

/// Each search as the desk runs it (the newest 40 with their heads), beside the raw FTS5
/// query of the same expression on the same file, written by hand in SQL for the same rows
/// (the newest 40 joined with their heads, read as text).
pub(crate) fn search_figures(
    store: &Store,
    conn: &rusqlite::Connection,
    common_name: &str,
    runs: usize,
    figures: &mut Vec<Figure>,
) -> Result<(), String> {
    // Searches are short: many rounds, alternating ours and the baseline, so that both meet
    // the same caches and the same noise.
    let rounds = (runs * 20).max(50);
    for (name, typed) in search_queries(common_name) {
        let Some(expr) = stationdesk::domain::search::fts_query(&typed) else {
            continue;
        };
        let mut raw = conn
            .prepare(
                "SELECT d.kind, d.record_id, d.title, d.date, d.snippet
                 FROM search_fts AS f JOIN search_doc AS d ON d.rowid = f.rowid
                 WHERE search_fts MATCH ?1 ORDER BY f.rowid DESC LIMIT 40",
            )
            .map_err(fail)?;
        let mut ours = Vec::new();
        let mut base = Vec::new();
        for round in 0..rounds {
            // Each goes first in every other round: the second of a pair finds the first's
            // pages and the processor's caches warm.
            if round % 2 == 0 {
                let (took, hits) = timed(|| store.search(&typed, None, 40));
                std::hint::black_box(hits.map_err(fail)?);
                ours.push(took);
            }
            let (took, rows) = timed(|| {
                raw.query_map([&expr], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })
                .map(|rows| rows.filter_map(Result::ok).count())
            });
            std::hint::black_box(rows.map_err(fail)?);
            base.push(took);
            if round % 2 == 1 {
                let (took, hits) = timed(|| store.search(&typed, None, 40));
                std::hint::black_box(hits.map_err(fail)?);
                ours.push(took);
            }
        }
        figures.push(Figure {
            name,
            value: Measure::Time(median(ours)),
            baseline: Some((
                "the raw FTS5 query, newest 40 joined",
                Measure::Time(median(base)),
            )),
        });
    }
    let index: i64 = conn
        .query_row(
            "SELECT coalesce(sum(pgsize), 0) FROM dbstat
             WHERE name LIKE 'search_%' OR name = 'sqlite_autoindex_search_doc_1'",
            [],
            |r| r.get(0),
        )
        .map_err(fail)?;
    figures.push(Figure {
        name: "search index (its tables, bytes)",
        value: Measure::Bytes(index as u64),
        baseline: None,
    });
    Ok(())
}

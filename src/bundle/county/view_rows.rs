//! A station's records of one kind read for its report table on two threads: this one keeps
//! the county's store (reads the pages of records, writes the rows in batches, answers the
//! names the rows need), a second one reads each record's JSON and makes its row and its
//! counts. The rebuild of a million records was single-threaded work, about half of it
//! reading JSON and making rows, and a desk PC has two cores (the second one idle then).
//!
//! This thread reads pages ahead of the one the second thread works on (a few megabytes), so
//! that the second thread still has pages while this one writes a batch of rows (the rows of
//! several pages); the second thread says when it took a page, with that page's rows.
//! Neither thread ever waits for the other while the other waits for it: this one waits only
//! for the second thread's next word, and sends without waiting.

use std::sync::mpsc::{channel, Receiver, Sender};

use serde_json::Value;
use uuid::Uuid;

use super::{continued_after, CountyDb, Stored, PAGE};
use crate::bundle::names::CountyLookup;
use crate::bundle::BundleError;

/// Rows of a report table written in one batch (on PostgreSQL, one transaction each), or
/// fewer when their cells come to [`BATCH_BYTES`] (mediation cases are long).
const ROWS_AT_ONCE: usize = 5_000;
const BATCH_BYTES: usize = 4 << 20;

/// Pages read ahead of the one being made into rows, while they hold less than
/// [`AHEAD_BYTES`] of records (one at least): about what the second thread makes while this
/// one writes a batch.
const PAGES_AHEAD: usize = 12;
const AHEAD_BYTES: usize = 4 << 20;

/// What the working thread tells the one that keeps the store.
enum Ask {
    /// Read the pages of this installation's records, from its first.
    Open(String),
    /// A page was taken, and these are its rows.
    Took(Vec<Vec<String>>),
    /// A record named by one being read (its name, for the row).
    Find {
        station: String,
        kind: String,
        id: Uuid,
    },
}

/// What the working thread does with each record it reads: the installation it is of, the
/// record (its JSON, and read as a `Value`), the names it may ask, and the rows being made.
pub(super) type Each<'a> = dyn FnMut(&str, &str, Value, &CountyLookup<'_>, &mut Vec<Vec<String>>) -> Result<(), BundleError>
    + Send
    + 'a;

/// Reads every record of `kind` of these installations (in order, each by id) through `each`
/// on a second thread, and writes the rows it makes through `write`, a batch at a time, on
/// this one; the rows made after the last batch written are returned, for the caller to
/// write (as the last batch, or as the only one: a station without records of the kind).
pub(super) fn read_and_make(
    county: &CountyDb,
    kind: &str,
    installations: &[String],
    each: &mut Each<'_>,
    write: &mut dyn FnMut(Vec<Vec<String>>) -> Result<(), BundleError>,
) -> Result<Vec<Vec<String>>, BundleError> {
    std::thread::scope(|scope| {
        let (asks, asked) = channel::<Ask>();
        let (pages, paged) = channel::<Vec<Stored>>();
        let (found, finding) = channel::<Option<Value>>();
        let working = scope.spawn(move || work(installations, each, &asks, &paged, &finding));
        let served = serve(county, kind, &asked, &pages, &found, write);
        // Whatever the working thread waits for is gone: it stops at its next word.
        drop((asked, pages, found));
        let worked = working.join().unwrap_or_else(|_| {
            Err(BundleError::Damaged(
                "the report rows' reader stopped".into(),
            ))
        });
        let rest = served?;
        worked.map(|()| rest)
    })
}

/// This thread's part: pages read ahead and every word of the working thread answered,
/// until it has no more; the rows made after the last batch written.
fn serve(
    county: &CountyDb,
    kind: &str,
    asked: &Receiver<Ask>,
    pages: &Sender<Vec<Stored>>,
    found: &Sender<Option<Value>>,
    write: &mut dyn FnMut(Vec<Vec<String>>) -> Result<(), BundleError>,
) -> Result<Vec<Vec<String>>, BundleError> {
    // The installation being read and the id its next page starts after; none once its last
    // page was read.
    let mut reading: Option<(String, String)> = None;
    // The size of each page sent and not yet taken, in order.
    let mut ahead: std::collections::VecDeque<usize> = Default::default();
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut rows_bytes = 0;
    loop {
        while ahead.is_empty()
            || (ahead.len() < PAGES_AHEAD && ahead.iter().sum::<usize>() < AHEAD_BYTES)
        {
            let Some((station, after)) = reading.as_mut() else {
                break;
            };
            let page = county
                .store
                .borrow_mut()
                .station_page(kind, station, after, PAGE)?;
            match continued_after(&page) {
                Some(last) => *after = last.id.clone(),
                None => reading = None,
            }
            ahead.push_back(page.iter().map(|s| s.data.len()).sum());
            // A page the working thread no longer waits for (it stopped) is dropped: its
            // own error is the one reported.
            let _ = pages.send(page);
        }
        let Ok(ask) = asked.recv() else {
            return Ok(rows);
        };
        match ask {
            Ask::Open(station) => reading = Some((station, String::new())),
            Ask::Took(made) => {
                ahead.pop_front();
                rows_bytes += made.iter().flatten().map(String::len).sum::<usize>();
                rows.extend(made);
                if rows.len() >= ROWS_AT_ONCE || rows_bytes >= BATCH_BYTES {
                    write(std::mem::take(&mut rows))?;
                    rows_bytes = 0;
                }
            }
            Ask::Find { station, kind, id } => {
                // As a page: an answer nobody waits for any more is dropped.
                let _ = found.send(county.record(&station, &kind, id));
            }
        }
    }
}

/// The working thread's part: every page of every installation taken in order, each record
/// read and made.
fn work(
    installations: &[String],
    each: &mut Each<'_>,
    asks: &Sender<Ask>,
    pages: &Receiver<Vec<Stored>>,
    found: &Receiver<Option<Value>>,
) -> Result<(), BundleError> {
    let stopped = || BundleError::Damaged("the report tables' rebuild stopped".into());
    // A name not answered (the other thread stopped) reads as the record's id, as a record
    // not found does; the next word to the other thread then fails, and the rebuild stops.
    let find = |station: &str, kind: &str, id: Uuid| {
        asks.send(Ask::Find {
            station: station.to_string(),
            kind: kind.to_string(),
            id,
        })
        .ok()?;
        found.recv().ok().flatten()
    };
    let lookup = CountyLookup {
        find: &find,
        station: Default::default(),
        seen: Default::default(),
    };
    for installation in installations {
        lookup.enter_station(installation);
        asks.send(Ask::Open(installation.clone()))
            .map_err(|_| stopped())?;
        loop {
            let page = pages.recv().map_err(|_| stopped())?;
            let mut rows = Vec::new();
            for stored in &page {
                let value: Value = serde_json::from_str(&stored.data)
                    .map_err(|e| BundleError::Damaged(e.to_string()))?;
                each(installation, &stored.data, value, &lookup, &mut rows)?;
            }
            asks.send(Ask::Took(rows)).map_err(|_| stopped())?;
            if continued_after(&page).is_none() {
                break;
            }
        }
    }
    Ok(())
}

//! The records behind a grade: when each of a station's counted records was entered, against
//! the day it records, and whether it was changed after a bundle had carried it to the county.
//! Read from the change history that bundles of format 2 carry (`county_history`); a record
//! whose bundles carried none is "history not sent", as are all those of earlier versions.

use std::collections::{HashMap, HashSet};

use chrono::{Datelike, NaiveDate};
use uuid::Uuid;

use super::*;

/// How many days after the day it records a record may be entered before the county flags
/// it, unless told otherwise (`--late-days`).
pub const LATE_DAYS: i64 = 30;

/// The column of the assessment table and sheet: records behind the grade entered late or
/// changed after they were sent.
pub const FLAGGED_COLUMN: &str = "补录或事后改动";

/// What that column says for a station whose bundles carried no history.
pub const HISTORY_NOT_SENT: &str = "未报送修改记录";

/// The kinds whose records count for members' grades.
const COUNTED: [RecordKind; 6] = [
    RecordKind::Shift,
    RecordKind::Intake,
    RecordKind::Case,
    RecordKind::Meeting,
    RecordKind::Report,
    RecordKind::Activity,
];

/// A change made to a record after a bundle had carried it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LaterChange {
    /// When, RFC 3339 (UTC).
    pub at: String,
    pub actor: String,
    pub action: String,
    pub fields: Vec<String>,
    /// The bundle that carried the change.
    pub seq: u64,
}

/// One counted record of a station, with when it was entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub station_id: String,
    pub kind: RecordKind,
    pub id: String,
    /// The day the record is about (an activity's day, a visit's, a shift's…).
    pub recorded: Option<NaiveDate>,
    /// When it was entered at the station (local day), and by whom; `None` when the bundles
    /// carried no history of it.
    pub entered: Option<(NaiveDate, String)>,
    /// The bundle that first carried it.
    pub first_sent: Option<u64>,
    /// Changes after that bundle to what the record counts (its day, whom it counts for) or
    /// its deletion.
    pub later_changes: Vec<LaterChange>,
    /// The station's members the record names.
    pub members: Vec<String>,
}

impl Entry {
    /// Days from the day it records to the day it was entered.
    pub fn days_late(&self) -> Option<i64> {
        let (entered, _) = self.entered.as_ref()?;
        Some((*entered - self.recorded?).num_days())
    }

    /// Whether it was entered more than `limit` days after the day it records.
    pub fn late(&self, limit: i64) -> bool {
        self.days_late().is_some_and(|d| d > limit)
    }

    /// Whether the county should look at it: entered late, or changed after it was sent.
    pub fn flagged(&self, limit: i64) -> bool {
        self.late(limit) || !self.later_changes.is_empty()
    }
}

/// The fields that hold the day a record records, by kind (a record has one of them).
pub const RECORDED_FIELDS: [&str; 6] = [
    "on",
    "date",
    "visited_at",
    "held_at",
    "received_on",
    "submitted_on",
];

/// The day a record is about: the first of its date fields that reads.
pub fn recorded_day(record: &Value) -> Option<NaiveDate> {
    RECORDED_FIELDS.iter().find_map(|field| {
        let text = record.get(*field)?.as_str()?;
        NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
    })
}

/// Every id-shaped string in `value` (record ids are UUIDs: a member is named by one).
fn ids_in<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::String(s) if s.len() == 36 && s.as_bytes()[8] == b'-' => out.push(s),
        Value::Array(items) => items.iter().for_each(|v| ids_in(v, out)),
        Value::Object(fields) => fields.values().for_each(|v| ids_in(v, out)),
        _ => {}
    }
}

/// The local day of an RFC 3339 moment.
fn local_day(at: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(at)
        .ok()
        .map(|t| t.with_timezone(&chrono::Local).date_naive())
}

/// What the entries need of one record's changes, in 32 bytes (a station's records number in
/// the hundreds of thousands, and a hash map of them took 86 MB at a million): its id, the
/// first bundle that carried it, the day it was entered and by whom (its first insert). The
/// changes bundles carried after that first one are kept whole, apart: they are few.
#[derive(Clone, Copy)]
struct Carried {
    id: uuid::Bytes,
    /// The seq of the first bundle that carried it (a seq is at most `MAX_SEQ`).
    first_sent: u32,
    /// The first insert's local day, in days from the common era, or [`NO_DAY`] when there
    /// was no insert or its time did not read; its actor, an index into the builder's actors.
    entered: i32,
    actor: u32,
    inserted: bool,
}

/// [`Carried::entered`] of a record with no day of entry.
const NO_DAY: i32 = i32::MIN;

/// One entry a record, by id: the installations' entries of a record merged in the order they
/// came (the earliest bundle; the first insert), as one list of all their lines would give.
fn by_record(carried: &mut Vec<Carried>) {
    if !carried.is_sorted_by_key(|c| c.id) {
        // A stable sort: a record's entries stay in the order they came.
        carried.sort_by_key(|c| c.id);
    }
    carried.dedup_by(|later, first| {
        if later.id != first.id {
            return false;
        }
        first.first_sent = first.first_sent.min(later.first_sent);
        if !first.inserted && later.inserted {
            first.inserted = true;
            first.entered = later.entered;
            first.actor = later.actor;
        }
        true
    });
}

/// The id of a change as the records' ids are written (lowercase, hyphenated); any other
/// spelling names no record.
fn record_id(text: &str) -> Option<Uuid> {
    let id = Uuid::parse_str(text).ok()?;
    let mut buffer = Uuid::encode_buffer();
    (id.hyphenated().encode_lower(&mut buffer) == text).then_some(id)
}

/// Builds the entries of a station from its records as they are read (members first, as
/// every pass over the kinds reads them), with the history of its installations. Kept as a
/// list ([`EntriesBuilder::finish`]) or only counted per member where flagged
/// ([`EntriesBuilder::counting`]), for a station of any size.
pub struct EntriesBuilder {
    members: HashSet<String>,
    /// By id.
    carried: Vec<Carried>,
    later: HashMap<Uuid, Vec<(crate::store::HistoryLine, u64)>>,
    actors: Vec<String>,
    entries: Vec<Entry>,
    /// Set: entries are not kept, only counted for their members when flagged at this limit.
    counting: Option<i64>,
    flagged: HashMap<String, usize>,
}

impl EntriesBuilder {
    /// A builder with the changes the bundles carried of every installation of `station`,
    /// read twice from the county's store (the first bundle of each record, then the changes
    /// after it) and never held whole.
    pub fn new(county: &CountyDb, station: &str) -> Result<EntriesBuilder, BundleError> {
        let installations = county.installations_of(station)?;
        let mut carried: Vec<Carried> = Vec::new();
        let mut actors: Vec<String> = Vec::new();
        let mut actor_of: HashMap<String, u32> = HashMap::new();
        for installation in &installations {
            let start = carried.len();
            county
                .store
                .borrow_mut()
                .each_history(installation, &mut |line, seq| {
                    let Some(id) = record_id(&line.id) else {
                        return Ok(());
                    };
                    let id = *id.as_bytes();
                    let seq = u32::try_from(seq).unwrap_or(u32::MAX);
                    // The lines come by record: a record's follow one another.
                    let last = carried[start..].last_mut().filter(|c| c.id == id);
                    let c = match last {
                        Some(c) => c,
                        None => {
                            carried.push(Carried {
                                id,
                                first_sent: seq,
                                entered: NO_DAY,
                                actor: 0,
                                inserted: false,
                            });
                            let at = carried.len() - 1;
                            &mut carried[at]
                        }
                    };
                    c.first_sent = c.first_sent.min(seq);
                    if !c.inserted && line.action == "insert" {
                        c.inserted = true;
                        if let Some(day) = local_day(&line.at) {
                            let next = actors.len() as u32;
                            let actor = *actor_of.entry(line.actor.clone()).or_insert(next);
                            if actor == next {
                                actors.push(line.actor.clone());
                            }
                            c.entered = day.num_days_from_ce();
                            c.actor = actor;
                        }
                    }
                    Ok(())
                })?;
        }
        by_record(&mut carried);
        let find = |id: &Uuid| -> Option<Carried> {
            carried
                .binary_search_by_key(id.as_bytes(), |c| c.id)
                .ok()
                .map(|at| carried[at])
        };
        let mut later: HashMap<Uuid, Vec<(crate::store::HistoryLine, u64)>> = HashMap::new();
        for installation in &installations {
            county
                .store
                .borrow_mut()
                .each_history(installation, &mut |line, seq| {
                    let Some(id) = record_id(&line.id) else {
                        return Ok(());
                    };
                    if find(&id).is_some_and(|c| seq > u64::from(c.first_sent)) {
                        later.entry(id).or_default().push((line, seq));
                    }
                    Ok(())
                })?;
        }
        Ok(EntriesBuilder {
            members: HashSet::new(),
            carried,
            later,
            actors,
            entries: Vec::new(),
            counting: None,
            flagged: HashMap::new(),
        })
    }

    /// The builder that keeps no entries, only how many flagged ones (at `limit` days)
    /// count for each member ([`EntriesBuilder::flagged`]).
    pub fn counting(mut self, limit: i64) -> EntriesBuilder {
        self.counting = Some(limit);
        self
    }

    /// Takes one record of `installation` as read (deleted ones are passed over).
    pub fn add(&mut self, installation: &str, kind: RecordKind, value: &Value) {
        if !value["deleted_at"].is_null() {
            return;
        }
        let id = value["id"].as_str().unwrap_or_default();
        if kind == RecordKind::Member {
            self.members.insert(id.to_string());
            return;
        }
        if !COUNTED.contains(&kind) {
            return;
        }
        // Whom it counts for, and in which of its fields.
        let mut named: HashSet<&str> = HashSet::new();
        let mut named_members: Vec<String> = Vec::new();
        if let Some(fields) = value.as_object() {
            for (name, field) in fields {
                if name == "id" || name == "station_id" {
                    continue;
                }
                let mut ids = Vec::new();
                ids_in(field, &mut ids);
                for found in ids.into_iter().filter(|i| self.members.contains(*i)) {
                    named.insert(name.as_str());
                    if !named_members.iter().any(|m| m == found) {
                        named_members.push(found.to_string());
                    }
                }
            }
        }
        named_members.sort();
        let key = record_id(id);
        let carried = key.and_then(|k| {
            self.carried
                .binary_search_by_key(k.as_bytes(), |c| c.id)
                .ok()
                .map(|at| self.carried[at])
        });
        let changes = key
            .and_then(|k| self.later.get(&k))
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let entered = carried.filter(|c| c.entered != NO_DAY).and_then(|c| {
            let day = NaiveDate::from_num_days_from_ce_opt(c.entered)?;
            // The actor's index was taken from this list as it was built.
            let name = self.actors.get(c.actor as usize).cloned();
            Some((day, name.unwrap_or_default()))
        });
        let first_sent = carried.map(|c| u64::from(c.first_sent));
        // What counts: the day, whom it counts for, and whether it is there at all.
        const DAY_FIELDS: [&str; 5] = ["on", "date", "visited_at", "held_at", "received_on"];
        let later_changes = changes
            .iter()
            .filter(|(_, seq)| Some(*seq) > first_sent)
            .filter(|(l, _)| {
                l.action == "delete"
                    || l.action == "restore"
                    || l.fields
                        .iter()
                        .any(|f| named.contains(f.as_str()) || DAY_FIELDS.contains(&f.as_str()))
            })
            .map(|(l, seq)| LaterChange {
                at: l.at.clone(),
                actor: l.actor.clone(),
                action: l.action.clone(),
                fields: l.fields.clone(),
                seq: *seq,
            })
            .collect();
        let entry = Entry {
            station_id: installation.to_string(),
            kind,
            id: id.to_string(),
            recorded: recorded_day(value),
            entered,
            first_sent,
            later_changes,
            members: named_members,
        };
        match self.counting {
            Some(limit) => {
                if entry.flagged(limit) {
                    for member in entry.members {
                        *self.flagged.entry(member).or_insert(0) += 1;
                    }
                }
            }
            None => self.entries.push(entry),
        }
    }

    pub fn finish(self) -> Vec<Entry> {
        self.entries
    }

    /// How many flagged records count for each member (a counting builder's result).
    pub fn flagged(self) -> HashMap<String, usize> {
        self.flagged
    }
}

impl CountyDb {
    /// The changes the bundles carried of every installation of a listed station.
    pub fn station_history(
        &self,
        station: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError> {
        let mut all = Vec::new();
        for installation in self.installations_of(station)? {
            all.extend(self.store.borrow_mut().all_history(&installation)?);
        }
        Ok(all)
    }

    /// Every live counted record of a listed station (and of the installations it followed),
    /// with when it was entered and what changed after it was sent.
    pub fn entries(&self, station: &str) -> Result<Vec<Entry>, BundleError> {
        let mut builder = EntriesBuilder::new(self, station)?;
        for installation in self.installations_of(station)? {
            for kind in std::iter::once(RecordKind::Member).chain(COUNTED) {
                self.each_station_record(kind.as_str(), &installation, &mut |value| {
                    builder.add(&installation, kind, &value);
                    Ok(())
                })?;
            }
        }
        Ok(builder.finish())
    }

    /// Whether the bundles of a listed station (or of an installation it followed) carried
    /// the history of its records (bundles of format 2 do; those of earlier versions do not).
    pub fn history_sent(&self, station: &str) -> Result<bool, BundleError> {
        for installation in self.installations_of(station)? {
            if self.store.borrow_mut().has_history(&installation)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The changes the bundles carried of one record, oldest first, each with the bundle that
    /// carried it (empty when they carried none).
    pub fn history(
        &self,
        station: &str,
        id: &str,
    ) -> Result<Vec<(crate::store::HistoryLine, u64)>, BundleError> {
        let mut all = Vec::new();
        for installation in self.installations_of(station)? {
            all.extend(self.store.borrow_mut().history_of(&installation, id)?);
        }
        Ok(all)
    }
}

/// How many flagged records count for each member: `(station, member id) → n`.
pub fn flagged_by_member(entries: &[Entry], limit: i64) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    for entry in entries.iter().filter(|e| e.flagged(limit)) {
        for member in &entry.members {
            *counts.entry(member.clone()).or_insert(0) += 1;
        }
    }
    counts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_records_entries_of_two_installations_merge_into_one() {
        let entry = |id: u8, first_sent, entered, actor, inserted| Carried {
            id: [id; 16],
            first_sent,
            entered,
            actor,
            inserted,
        };
        // The first installation sent b and a (its lines by record, then another run), the
        // second a again: a's earliest bundle, and the first installation's insert, stand.
        let mut carried = vec![
            entry(2, 1, 100, 0, true),
            entry(1, 3, NO_DAY, 0, false),
            entry(1, 5, 200, 1, true),
            entry(1, 2, 300, 2, true),
            entry(3, 4, 400, 3, true),
        ];
        by_record(&mut carried);
        let got: Vec<(u8, u32, i32, u32, bool)> = carried
            .iter()
            .map(|c| (c.id[0], c.first_sent, c.entered, c.actor, c.inserted))
            .collect();
        assert_eq!(
            got,
            [
                (1, 2, 200, 1, true),
                (2, 1, 100, 0, true),
                (3, 4, 400, 3, true)
            ]
        );
        assert_eq!(std::mem::size_of::<Carried>(), 32);
    }

    #[test]
    fn a_change_names_a_record_only_by_its_id_as_written() {
        let id = "0190a0a0-0000-7000-8000-000000000001";
        assert!(record_id(id).is_some());
        assert_eq!(record_id(&id.to_uppercase()), None);
        assert_eq!(record_id("0190a0a000007000800000000000000a"), None);
        assert_eq!(record_id("名"), None);
    }

    #[test]
    fn the_day_a_record_is_about_is_its_first_date_that_reads() {
        let v = serde_json::json!({"on": "2026-03-12", "created_at": "2026-12-01T00:00:00Z"});
        assert_eq!(recorded_day(&v), NaiveDate::from_ymd_opt(2026, 3, 12));
        let v = serde_json::json!({"visited_at": "2025-12-07T10:03:00"});
        assert_eq!(recorded_day(&v), NaiveDate::from_ymd_opt(2025, 12, 7));
        assert_eq!(recorded_day(&serde_json::json!({"title": "x"})), None);
    }

    #[test]
    fn an_entry_is_late_past_the_limit_and_flagged_when_changed_after_sending() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
        let mut e = Entry {
            station_id: "s".into(),
            kind: RecordKind::Activity,
            id: "a".into(),
            recorded: Some(day(1)),
            entered: Some((day(20), "李".into())),
            first_sent: Some(1),
            later_changes: Vec::new(),
            members: vec!["m".into()],
        };
        assert_eq!(e.days_late(), Some(19));
        assert!(!e.flagged(30));
        assert!(e.flagged(10));
        e.later_changes.push(LaterChange {
            at: "2026-11-25T01:00:00Z".into(),
            actor: "李".into(),
            action: "update".into(),
            fields: vec!["on".into()],
            seq: 2,
        });
        assert!(e.flagged(30));
        assert_eq!(flagged_by_member(&[e], 30).get("m"), Some(&1));
        let unknown = Entry {
            entered: None,
            ..Entry {
                station_id: "s".into(),
                kind: RecordKind::Shift,
                id: "b".into(),
                recorded: Some(day(1)),
                entered: None,
                first_sent: None,
                later_changes: Vec::new(),
                members: Vec::new(),
            }
        };
        assert_eq!(unknown.days_late(), None);
        assert!(!unknown.flagged(0));
    }
}

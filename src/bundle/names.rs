//! The names behind ids, for the tables people read: a member's name, a case's number, a
//! topic's title. The station looks them up in its store; the county in what the stations
//! sent. Words for codes are always Chinese: the tables are filed at the county office.

use std::cell::RefCell;
use std::collections::HashMap;

use chrono::{DateTime, Local, Utc};
use uuid::Uuid;

use crate::domain::fields::Lookup;
use crate::domain::RecordKind;
use crate::i18n::{message_in, Language};
use crate::store::{each_kind, KindVisitor, RecordTable, Store, StoreError};

/// A record of `kind` with `id`, as a person knows it, read through `read`.
struct KnownAs<'a, R> {
    kind: RecordKind,
    read: R,
    lookup: &'a dyn Lookup,
    found: Option<String>,
}

/// Reads one record of a given type (by the visitor's `T`).
trait ReadOne {
    fn read<T: RecordTable>(&self) -> Option<T>;
}

impl<R: ReadOne> KindVisitor for KnownAs<'_, R> {
    type Error = ();
    fn visit<T: RecordTable>(&mut self) -> Result<(), ()> {
        if T::KIND == self.kind && self.found.is_none() {
            self.found = self.read.read::<T>().map(|r| r.known_as(self.lookup));
        }
        Ok(())
    }
}

/// How a person knows the record of `kind` that `read` reads.
fn known_as<R: ReadOne>(kind: RecordKind, read: R, lookup: &dyn Lookup) -> Option<String> {
    let mut visitor = KnownAs {
        kind,
        read,
        lookup,
        found: None,
    };
    let _ = each_kind(&mut visitor);
    visitor.found
}

/// Each record is looked up once; an id nobody knows stays the id.
fn remembered(
    seen: &RefCell<HashMap<(RecordKind, Uuid), String>>,
    kind: RecordKind,
    id: Uuid,
    find: impl FnOnce() -> Option<String>,
) -> String {
    if let Some(known) = seen.borrow().get(&(kind, id)) {
        return known.clone();
    }
    let known = find().unwrap_or_else(|| id.to_string());
    seen.borrow_mut().insert((kind, id), known.clone());
    known
}

fn words(key: &str) -> String {
    message_in(Language::Chinese, key)
}

fn local(at: DateTime<Utc>) -> String {
    crate::domain::fields::local_time(at.with_timezone(&Local).naive_local())
}

/// Names from the station's own store. Members are read once (a station has dozens);
/// other records as they are named, each once; words (states, categories) once each.
pub struct StationLookup<'a> {
    store: &'a Store,
    members: HashMap<Uuid, String>,
    seen: RefCell<HashMap<(RecordKind, Uuid), String>>,
    words: RefCell<HashMap<String, String>>,
}

impl<'a> StationLookup<'a> {
    pub fn new(store: &'a Store) -> Result<StationLookup<'a>, StoreError> {
        let members = store
            .all_members_any()?
            .into_iter()
            .map(|m| (m.meta.id, m.fields.name))
            .collect();
        Ok(StationLookup {
            store,
            members,
            seen: RefCell::new(HashMap::new()),
            words: RefCell::new(HashMap::new()),
        })
    }
}

struct FromStore<'a> {
    store: &'a Store,
    id: Uuid,
}

impl ReadOne for FromStore<'_> {
    fn read<T: RecordTable>(&self) -> Option<T> {
        self.store.get_any::<T>(self.id).ok().flatten()
    }
}

impl Lookup for StationLookup<'_> {
    fn member(&self, id: Uuid) -> String {
        self.members
            .get(&id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    fn record(&self, kind: RecordKind, id: Uuid) -> String {
        if kind == RecordKind::Member {
            return self.member(id);
        }
        remembered(&self.seen, kind, id, || {
            known_as(
                kind,
                FromStore {
                    store: self.store,
                    id,
                },
                self,
            )
        })
    }

    fn word(&self, key: &str) -> String {
        if let Some(word) = self.words.borrow().get(key) {
            return word.clone();
        }
        let word = words(key);
        self.words
            .borrow_mut()
            .insert(key.to_string(), word.clone());
        word
    }

    fn time(&self, at: DateTime<Utc>) -> String {
        local(at)
    }
}

/// Names from the county database: the records the stations sent, by kind and id.
pub struct CountyLookup<'a> {
    pub(super) find: &'a dyn Fn(&str, &str, Uuid) -> Option<serde_json::Value>,
    /// The station whose record is being read: its names come from its own records only.
    pub(super) station: RefCell<String>,
    pub(super) seen: RefCell<HashMap<(RecordKind, Uuid), String>>,
}

impl CountyLookup<'_> {
    /// Reads the records of `station` from now on (names remembered for another are dropped).
    pub(super) fn enter_station(&self, station: &str) {
        if *self.station.borrow() != station {
            *self.station.borrow_mut() = station.to_string();
            self.seen.borrow_mut().clear();
        }
    }
}

struct FromJson(Option<serde_json::Value>);

impl ReadOne for FromJson {
    fn read<T: RecordTable>(&self) -> Option<T> {
        serde_json::from_value(self.0.clone()?).ok()
    }
}

impl Lookup for CountyLookup<'_> {
    fn member(&self, id: Uuid) -> String {
        self.record(RecordKind::Member, id)
    }

    fn record(&self, kind: RecordKind, id: Uuid) -> String {
        remembered(&self.seen, kind, id, || {
            let station = self.station.borrow().clone();
            known_as(
                kind,
                FromJson((self.find)(&station, kind.as_str(), id)),
                self,
            )
        })
    }

    fn word(&self, key: &str) -> String {
        words(key)
    }

    fn time(&self, at: DateTime<Utc>) -> String {
        local(at)
    }
}

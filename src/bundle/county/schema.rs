//! The county schema, one list of steps for both stores: step `n` brings a database to
//! version `n`. The SQL is written per store where the dialects differ (PostgreSQL's BIGINT
//! and BOOLEAN, SQLite's dynamic types); the tables, keys and indexes are the same.

/// One step, in each store's dialect.
pub struct Step {
    pub sqlite: &'static str,
    pub postgres: &'static str,
}

/// Version 1: stations, bundles, records keyed by kind and id. Version 2: a record belongs to
/// the station whose pinned key signed it, so the same id sent by two stations is two records
/// and no station can write over another's.
pub const STEPS: &[Step] = &[
    Step {
        sqlite: "
CREATE TABLE county_station (
    station_id      TEXT PRIMARY KEY,
    code            TEXT NOT NULL,
    name            TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    last_seq        INTEGER NOT NULL,
    last_manifest   TEXT NOT NULL,
    last_bundle_at  TEXT NOT NULL
);
CREATE TABLE county_bundle (
    station_id   TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    manifest     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    counts       TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE TABLE county_record (
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    rev         INTEGER NOT NULL,
    deleted     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX county_record_station ON county_record (station_id, kind);
",
        postgres: "
CREATE TABLE county_station (
    station_id      TEXT COLLATE \"C\" PRIMARY KEY,
    code            TEXT COLLATE \"C\" NOT NULL,
    name            TEXT NOT NULL,
    public_key      TEXT NOT NULL,
    last_seq        BIGINT NOT NULL,
    last_manifest   TEXT NOT NULL,
    last_bundle_at  TEXT NOT NULL
);
CREATE TABLE county_bundle (
    station_id   TEXT COLLATE \"C\" NOT NULL,
    seq          BIGINT NOT NULL,
    manifest     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    counts       TEXT NOT NULL,
    PRIMARY KEY (station_id, seq)
);
CREATE TABLE county_record (
    kind        TEXT COLLATE \"C\" NOT NULL,
    id          TEXT COLLATE \"C\" NOT NULL,
    station_id  TEXT COLLATE \"C\" NOT NULL,
    rev         BIGINT NOT NULL,
    deleted     BOOLEAN NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE INDEX county_record_station ON county_record (station_id, kind);
",
    },
    Step {
        sqlite: "
CREATE TABLE county_record_v2 (
    station_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    rev         INTEGER NOT NULL,
    deleted     INTEGER NOT NULL,
    data        TEXT NOT NULL,
    PRIMARY KEY (station_id, kind, id)
);
INSERT INTO county_record_v2 (station_id, kind, id, rev, deleted, data)
    SELECT station_id, kind, id, rev, deleted, data FROM county_record;
DROP TABLE county_record;
ALTER TABLE county_record_v2 RENAME TO county_record;
CREATE INDEX county_record_kind ON county_record (kind, station_id, id);
",
        postgres: "
ALTER TABLE county_record DROP CONSTRAINT county_record_pkey;
ALTER TABLE county_record ADD PRIMARY KEY (station_id, kind, id);
DROP INDEX county_record_station;
CREATE INDEX county_record_kind ON county_record (kind, station_id, id);
CREATE INDEX county_station_key ON county_station (public_key);
",
    },
    // Version 3: records are read station by station through the primary key; the index by
    // kind only slowed every import down.
    Step {
        sqlite: "DROP INDEX county_record_kind;",
        postgres: "DROP INDEX county_record_kind;",
    },
    // Version 4: each bundle's 4+X quotas (`consultations/reports`, empty for bundles that did
    // not carry them), so that the report counts each station against its own.
    Step {
        sqlite: "ALTER TABLE county_bundle ADD COLUMN quotas TEXT NOT NULL DEFAULT '';",
        postgres: "ALTER TABLE county_bundle ADD COLUMN quotas TEXT NOT NULL DEFAULT '';",
    },
    // Version 5: a station re-installed under its code. The earlier installation is kept
    // (its chain and records), marked as followed by the new one, and the county's log says
    // who confirmed it and why.
    Step {
        sqlite: "
ALTER TABLE county_station ADD COLUMN successor TEXT;
CREATE TABLE county_log (
    at            TEXT NOT NULL,
    event         TEXT NOT NULL,
    station_code  TEXT NOT NULL,
    detail        TEXT NOT NULL
);
",
        postgres: "
ALTER TABLE county_station ADD COLUMN successor TEXT COLLATE \"C\";
CREATE TABLE county_log (
    at            TEXT NOT NULL,
    event         TEXT NOT NULL,
    station_code  TEXT COLLATE \"C\" NOT NULL,
    detail        TEXT NOT NULL
);
",
    },
    // Version 6: the records' change history as the bundles of format 2 carry it (who entered
    // or changed each record, and when), for the records behind a grade.
    Step {
        sqlite: "
CREATE TABLE county_history (
    station_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    rev         INTEGER NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    bundle_seq  INTEGER NOT NULL,
    PRIMARY KEY (station_id, id, rev)
) WITHOUT ROWID;
",
        postgres: "
CREATE TABLE county_history (
    station_id  TEXT COLLATE \"C\" NOT NULL,
    kind        TEXT COLLATE \"C\" NOT NULL,
    id          TEXT COLLATE \"C\" NOT NULL,
    rev         BIGINT NOT NULL,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    fields      TEXT NOT NULL,
    bundle_seq  BIGINT NOT NULL,
    PRIMARY KEY (station_id, id, rev)
);
",
    },
    // Version 7: the county's own proposed topics (议题) drawn from what residents brought to
    // the stations, with the visits behind each — the county's, never a station's records.
    Step {
        sqlite: "
CREATE TABLE county_topic (
    id          TEXT PRIMARY KEY,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    period      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE county_topic_request (
    topic_id    TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    intake_id   TEXT NOT NULL,
    PRIMARY KEY (topic_id, station_id, intake_id)
);
",
        postgres: "
CREATE TABLE county_topic (
    id          TEXT COLLATE \"C\" PRIMARY KEY,
    title       TEXT NOT NULL,
    category    TEXT NOT NULL,
    period      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE TABLE county_topic_request (
    topic_id    TEXT COLLATE \"C\" NOT NULL,
    station_id  TEXT COLLATE \"C\" NOT NULL,
    intake_id   TEXT COLLATE \"C\" NOT NULL,
    PRIMARY KEY (topic_id, station_id, intake_id)
);
",
    },
    // Version 8 (SQLite): the county's search index, as the station's (bigrams of what every
    // record's typed fields hold, names' pinyin), kept by every import in its transaction. A
    // document's rowid is the time its record was made (the id's milliseconds, then its
    // random bits), so that the newest come first and a search stops at its limit. A file of
    // an earlier version fills the index on its first open (the marker table says it must).
    // PostgreSQL keeps searching the records as they are.
    Step {
        sqlite: "
CREATE TABLE county_search_doc (
    rowid       INTEGER PRIMARY KEY,
    station_id  TEXT NOT NULL,
    kind        TEXT NOT NULL,
    id          TEXT NOT NULL,
    date        TEXT NOT NULL,
    UNIQUE (station_id, kind, id)
);
CREATE VIRTUAL TABLE county_search USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61'
);
INSERT INTO county_search (county_search, rank) VALUES ('automerge', 16);
INSERT INTO county_search (county_search, rank) VALUES ('pgsz', 4000);
CREATE TABLE county_search_unbuilt (since TEXT NOT NULL);
INSERT INTO county_search_unbuilt (since) VALUES (datetime('now'));
",
        postgres: "SELECT 1;",
    },
    // Version 9: the township or street (乡镇、街道) a station serves, as its latest bundle
    // names it (bundles of earlier versions name none: empty).
    Step {
        sqlite: "ALTER TABLE county_station ADD COLUMN town TEXT NOT NULL DEFAULT '';",
        postgres: "ALTER TABLE county_station ADD COLUMN town TEXT NOT NULL DEFAULT '';",
    },
    // Version 10: the search index's documents keyed by the day their record was made, then
    // by arrival (see search_index.rs), in place of the millisecond: the index is built again
    // at this open (the marker of step 8).
    Step {
        sqlite: "INSERT INTO county_search_unbuilt (since) VALUES (datetime('now'));",
        postgres: "SELECT 1;",
    },
    // Version 11: the search index made again with FTS5's `ascii` tokenizer, which takes the
    // index's text (tokens already made and folded by `domain::search`, one space between)
    // as it is instead of looking up each character's Unicode category, case and accents as
    // `unicode61` does (a tenth of an import's time); and pending tokens flushed every 4 MB
    // rather than every 1 MB, so that FTS5 merges fewer, larger segments. The index is
    // filled again at this open (the marker of step 8). On PostgreSQL, its first search index.
    Step {
        sqlite: "
DROP TABLE county_search;
CREATE VIRTUAL TABLE county_search USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'ascii'
);
INSERT INTO county_search (county_search, rank) VALUES ('automerge', 16);
INSERT INTO county_search (county_search, rank) VALUES ('pgsz', 4000);
INSERT INTO county_search (county_search, rank) VALUES ('hashsize', 4194304);
DELETE FROM county_search_doc;
INSERT INTO county_search_unbuilt (since) VALUES (datetime('now'));
",
        // PostgreSQL's search index: each live record's tokens (the same as SQLite's, from
        // `domain::search`) as a `tsvector` of lexemes taken as they are, under a GIN index;
        // a search lists the newest first by the record's id (made time), read backwards
        // through the key, which begins with it (no second index to keep). Kept by every
        // import; a database of an earlier version fills it at this open.
        postgres: "
CREATE TABLE county_search (
    station_id  TEXT COLLATE \"C\" NOT NULL,
    kind        TEXT COLLATE \"C\" NOT NULL,
    id          TEXT COLLATE \"C\" NOT NULL,
    date        TEXT NOT NULL,
    doc         TSVECTOR NOT NULL,
    PRIMARY KEY (id, station_id, kind)
);
CREATE INDEX county_search_doc ON county_search USING gin (doc);
CREATE TABLE county_search_unbuilt (since TEXT NOT NULL);
INSERT INTO county_search_unbuilt (since) VALUES (now()::text);
",
    },
    // Version 12 (PostgreSQL): the search index's documents by station, newest first, for a
    // search of one station: read backwards through its key, the newest documents of every
    // station hold few of one station's (130 stations: 28,000 documents read for 50 matches
    // of a common word, 0.5 s). SQLite's index reads its documents newest first whatever
    // the station.
    Step {
        sqlite: "SELECT 1;",
        postgres: "CREATE INDEX county_search_station ON county_search (station_id, id);",
    },
];

/// The county schema version this program writes.
pub fn latest() -> i64 {
    STEPS.len() as i64
}

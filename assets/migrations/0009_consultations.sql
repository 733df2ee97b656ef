-- Consultations (协商议事): topics, meetings with their recommendations, public-opinion reports,
-- and drafts of minutes saved while they are typed.
CREATE TABLE topic (
    id          TEXT PRIMARY KEY,
    station_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    rev         INTEGER NOT NULL UNIQUE,
    deleted_at  TEXT,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    source      TEXT NOT NULL,
    source_note TEXT NOT NULL,
    intakes     TEXT NOT NULL,
    step        TEXT NOT NULL,
    decision    TEXT,
    research    TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX topic_by_time ON topic (created_at, id) WHERE deleted_at IS NULL;

CREATE TABLE meeting (
    id              TEXT PRIMARY KEY,
    station_id      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    rev             INTEGER NOT NULL UNIQUE,
    deleted_at      TEXT,
    held_at         TEXT NOT NULL,
    place           TEXT NOT NULL,
    form            TEXT NOT NULL,
    host            TEXT NOT NULL,
    topics          TEXT NOT NULL,
    members         TEXT NOT NULL,
    guests          TEXT NOT NULL,
    minutes         TEXT NOT NULL,
    recommendations TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX meeting_by_time ON meeting (held_at, id) WHERE deleted_at IS NULL;

CREATE TABLE report (
    id           TEXT PRIMARY KEY,
    station_id   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    rev          INTEGER NOT NULL UNIQUE,
    deleted_at   TEXT,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL,
    authors      TEXT NOT NULL,
    intakes      TEXT NOT NULL,
    topics       TEXT NOT NULL,
    submitted_on TEXT,
    submitted_to TEXT NOT NULL,
    result       TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX report_by_time ON report (created_at, id) WHERE deleted_at IS NULL;

-- Minutes being typed, saved every few seconds; offered back after a crash. Not records: they
-- never travel in a bundle.
CREATE TABLE minutes_draft (
    meeting_id TEXT PRIMARY KEY,
    text       TEXT NOT NULL,
    saved_at   TEXT NOT NULL
);

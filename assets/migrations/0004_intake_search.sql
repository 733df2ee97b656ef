-- Visitor intake (来访接待) and the one search index over every kind of record.

CREATE TABLE intake (
    id            TEXT PRIMARY KEY,
    station_id    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    rev           INTEGER NOT NULL UNIQUE,
    deleted_at    TEXT,
    visited_at    TEXT NOT NULL,
    visitor_name  TEXT NOT NULL,
    gender        TEXT NOT NULL,
    phone         TEXT NOT NULL,
    id_number     TEXT NOT NULL,
    address       TEXT NOT NULL,
    visitors      INTEGER NOT NULL,
    category      TEXT NOT NULL,
    request       TEXT NOT NULL,
    member_id     TEXT,
    state         TEXT NOT NULL,
    handling      TEXT,
    feedback      TEXT,
    follow_up     TEXT,
    reply_due     TEXT NOT NULL,
    follow_up_due TEXT,
    reopen_reason TEXT,
    links         TEXT NOT NULL,
    -- The next date something is owed (reply or follow-up), for the overdue and due-today lists.
    due           TEXT
) WITHOUT ROWID;
CREATE INDEX intake_by_time ON intake (visited_at, id);
CREATE INDEX intake_due ON intake (due, visited_at) WHERE deleted_at IS NULL AND due IS NOT NULL;
CREATE INDEX intake_phone ON intake (phone) WHERE phone <> '';
CREATE INDEX intake_id_number ON intake (id_number) WHERE id_number <> '';
CREATE INDEX intake_visitor ON intake (visitor_name) WHERE visitor_name <> '';
CREATE INDEX intake_place ON intake (address, category, visited_at) WHERE address <> '';

-- One row per searchable record; its rowid is the FTS row. A record that changes gets a new
-- rowid, so rowid order is "most recently written first" and searches stop after LIMIT hits.
CREATE TABLE search_doc (
    rowid     INTEGER PRIMARY KEY,
    record_id TEXT NOT NULL UNIQUE,
    kind      TEXT NOT NULL,
    title     TEXT NOT NULL,
    date      TEXT NOT NULL,
    snippet   TEXT NOT NULL
);
CREATE VIRTUAL TABLE search_fts USING fts5(
    body,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61'
);

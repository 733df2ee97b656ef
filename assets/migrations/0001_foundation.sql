-- Station identity, the change sequence, settings, the audit log and the member registry.

CREATE TABLE station (
    singleton        INTEGER PRIMARY KEY CHECK (singleton = 1),
    id               TEXT NOT NULL,
    name             TEXT NOT NULL,
    code             TEXT NOT NULL,
    county           TEXT NOT NULL DEFAULT '',
    county_recipient TEXT,
    public_key       TEXT NOT NULL,
    secret_key       TEXT NOT NULL,
    created_at       TEXT NOT NULL
);

-- One row: the last change sequence number (rev) handed out, across every kind.
CREATE TABLE change_seq (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_rev  INTEGER NOT NULL
);
INSERT INTO change_seq (singleton, last_rev) VALUES (1, 0);

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL CHECK (action IN ('insert', 'update', 'delete', 'restore')),
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    rev       INTEGER NOT NULL,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_record ON audit_log (record_id, seq);

CREATE TABLE member (
    id          TEXT PRIMARY KEY,
    station_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    rev         INTEGER NOT NULL UNIQUE,
    deleted_at  TEXT,
    name        TEXT NOT NULL,
    gender      TEXT NOT NULL,
    sector      TEXT NOT NULL,
    level       TEXT NOT NULL,
    party       TEXT NOT NULL,
    phone       TEXT NOT NULL,
    specialties TEXT NOT NULL,
    mediator    INTEGER NOT NULL,
    active      INTEGER NOT NULL,
    search_key  TEXT NOT NULL
) WITHOUT ROWID;
-- The registry lists in pinyin order and pages by (search_key, id).
CREATE INDEX member_by_key ON member (search_key, id);

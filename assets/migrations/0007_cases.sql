-- Mediation cases (矛盾纠纷调解). Parties, sessions, extensions and follow-ups are embedded as
-- JSON: they are always read and written with their case.
CREATE TABLE mediation_case (
    id             TEXT PRIMARY KEY,
    station_id     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    rev            INTEGER NOT NULL UNIQUE,
    deleted_at     TEXT,
    case_no        TEXT NOT NULL UNIQUE,
    received_on    TEXT NOT NULL,
    source         TEXT NOT NULL,
    referring_unit TEXT NOT NULL,
    referral_no    TEXT NOT NULL,
    dispute_type   TEXT NOT NULL,
    parties        TEXT NOT NULL,
    facts          TEXT NOT NULL,
    points         TEXT NOT NULL,
    amount_fen     INTEGER,
    mediators      TEXT NOT NULL,
    state          TEXT NOT NULL,
    due            TEXT NOT NULL,
    extensions     TEXT NOT NULL,
    sessions       TEXT NOT NULL,
    outcome        TEXT,
    concluded_on   TEXT,
    follow_ups     TEXT NOT NULL,
    judicial       TEXT,
    links          TEXT NOT NULL,
    -- The next date something is owed (conclusion, then follow-up), for "overdue".
    next_due       TEXT
) WITHOUT ROWID;
-- Live cases newest first: the list pages and counts through this index alone.
CREATE INDEX case_by_time ON mediation_case (deleted_at, received_on, id);
CREATE INDEX case_by_state ON mediation_case (state) WHERE deleted_at IS NULL;
CREATE INDEX case_open_by_due ON mediation_case (next_due) WHERE deleted_at IS NULL AND next_due IS NOT NULL;

-- Case numbers: one sequence per year, never reused (a deleted case keeps its number).
CREATE TABLE case_seq (
    year INTEGER PRIMARY KEY,
    last INTEGER NOT NULL
);

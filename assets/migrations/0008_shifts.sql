-- Duty shifts (委员值班): one row per member per slot per day, scheduled and as served.
CREATE TABLE shift (
    id            TEXT PRIMARY KEY,
    station_id    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    rev           INTEGER NOT NULL UNIQUE,
    deleted_at    TEXT,
    date          TEXT NOT NULL,
    slot          TEXT NOT NULL,
    member_id     TEXT NOT NULL,
    state         TEXT NOT NULL,
    signed_in_at  TEXT,
    signed_out_at TEXT,
    swap_with     TEXT,
    replaces      TEXT,
    reason        TEXT NOT NULL
) WITHOUT ROWID;
CREATE INDEX shift_by_date ON shift (date, slot) WHERE deleted_at IS NULL;
CREATE INDEX shift_by_member ON shift (member_id, date) WHERE deleted_at IS NULL;
-- Scheduled shifts, for sign-in and missed-shift detection.
CREATE INDEX shift_open ON shift (date) WHERE deleted_at IS NULL AND state = 'scheduled';

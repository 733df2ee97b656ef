-- Members' activities away from the desk (履职活动): proposals, inspections, research, training,
-- good deeds, books read. Listed by date; a member's year reads the year's rows by date.
CREATE TABLE activity (
    id          TEXT PRIMARY KEY,
    station_id  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    rev         INTEGER NOT NULL UNIQUE,
    deleted_at  TEXT,
    held_on     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    members     TEXT NOT NULL,
    title       TEXT NOT NULL,
    description TEXT NOT NULL,
    proposal    TEXT
) WITHOUT ROWID;
CREATE INDEX activity_by_date ON activity (held_on, id) WHERE deleted_at IS NULL;

-- Counts that do not grow with the data. The home screen's overdue and due-today figures and
-- the open and overdue cases are read from small tables of counts per date and per state,
-- kept by the triggers of `count_triggers.sql` in the same transaction as every change: a sum
-- over a few hundred dates, not a walk over a million rows. The tables are filled here and
-- again whenever the triggers were suspended for a bulk load.

CREATE TABLE intake_due_count (
    due TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE case_due_count (
    due TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE case_state_count (
    state TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;

-- Returning visitors: the newest few visits of a phone, an ID number or a name straight from
-- an index in visit order, without sorting every visit of a common name.
DROP INDEX IF EXISTS intake_phone;
DROP INDEX IF EXISTS intake_id_number;
DROP INDEX IF EXISTS intake_visitor;
CREATE INDEX intake_phone ON intake (phone, visited_at)
    WHERE phone <> '' AND deleted_at IS NULL;
CREATE INDEX intake_id_number ON intake (id_number, visited_at)
    WHERE id_number <> '' AND deleted_at IS NULL;
CREATE INDEX intake_visitor ON intake (visitor_name, visited_at)
    WHERE visitor_name <> '' AND deleted_at IS NULL;

-- Only what is owed (F5), by its date: read straight from this index in list order.
DROP INDEX IF EXISTS intake_open_by_time;
CREATE INDEX intake_owed ON intake (due, visited_at, id)
    WHERE deleted_at IS NULL AND due IS NOT NULL;

-- Visits per day (today's visits on the home screen, a period's total): a sum over the days
-- asked for.
CREATE TABLE intake_day_count (
    day TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;


-- What is owed is counted from intake_due_count and listed through intake_owed, which takes
-- the place of the index by due date.
DROP INDEX IF EXISTS intake_due;

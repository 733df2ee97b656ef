-- Counts that do not grow with the data. The home screen's overdue and due-today figures and
-- the open and overdue cases are read from small tables of counts per date and per state,
-- kept by triggers in the same transaction as every change: a sum over a few hundred dates,
-- not a walk over a million rows.

CREATE TABLE intake_due_count (
    due TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO intake_due_count (due, n)
    SELECT due, count(*) FROM intake WHERE deleted_at IS NULL AND due IS NOT NULL GROUP BY due;

CREATE TRIGGER intake_due_count_insert AFTER INSERT ON intake
    WHEN NEW.deleted_at IS NULL AND NEW.due IS NOT NULL
BEGIN
    INSERT INTO intake_due_count (due, n) VALUES (NEW.due, 1)
        ON CONFLICT (due) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER intake_due_count_update_old AFTER UPDATE OF due, deleted_at ON intake
    WHEN OLD.deleted_at IS NULL AND OLD.due IS NOT NULL
BEGIN
    UPDATE intake_due_count SET n = n - 1 WHERE due = OLD.due;
END;
CREATE TRIGGER intake_due_count_update_new AFTER UPDATE OF due, deleted_at ON intake
    WHEN NEW.deleted_at IS NULL AND NEW.due IS NOT NULL
BEGIN
    INSERT INTO intake_due_count (due, n) VALUES (NEW.due, 1)
        ON CONFLICT (due) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER intake_due_count_delete AFTER DELETE ON intake
    WHEN OLD.deleted_at IS NULL AND OLD.due IS NOT NULL
BEGIN
    UPDATE intake_due_count SET n = n - 1 WHERE due = OLD.due;
END;

CREATE TABLE case_due_count (
    due TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO case_due_count (due, n)
    SELECT next_due, count(*) FROM mediation_case
    WHERE deleted_at IS NULL AND next_due IS NOT NULL GROUP BY next_due;

CREATE TRIGGER case_due_count_insert AFTER INSERT ON mediation_case
    WHEN NEW.deleted_at IS NULL AND NEW.next_due IS NOT NULL
BEGIN
    INSERT INTO case_due_count (due, n) VALUES (NEW.next_due, 1)
        ON CONFLICT (due) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_due_count_update_old AFTER UPDATE OF next_due, deleted_at ON mediation_case
    WHEN OLD.deleted_at IS NULL AND OLD.next_due IS NOT NULL
BEGIN
    UPDATE case_due_count SET n = n - 1 WHERE due = OLD.next_due;
END;
CREATE TRIGGER case_due_count_update_new AFTER UPDATE OF next_due, deleted_at ON mediation_case
    WHEN NEW.deleted_at IS NULL AND NEW.next_due IS NOT NULL
BEGIN
    INSERT INTO case_due_count (due, n) VALUES (NEW.next_due, 1)
        ON CONFLICT (due) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_due_count_delete AFTER DELETE ON mediation_case
    WHEN OLD.deleted_at IS NULL AND OLD.next_due IS NOT NULL
BEGIN
    UPDATE case_due_count SET n = n - 1 WHERE due = OLD.next_due;
END;

CREATE TABLE case_state_count (
    state TEXT PRIMARY KEY,
    n     INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO case_state_count (state, n)
    SELECT state, count(*) FROM mediation_case WHERE deleted_at IS NULL GROUP BY state;

CREATE TRIGGER case_state_count_insert AFTER INSERT ON mediation_case
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO case_state_count (state, n) VALUES (NEW.state, 1)
        ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_state_count_update_old AFTER UPDATE OF state, deleted_at ON mediation_case
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE case_state_count SET n = n - 1 WHERE state = OLD.state;
END;
CREATE TRIGGER case_state_count_update_new AFTER UPDATE OF state, deleted_at ON mediation_case
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO case_state_count (state, n) VALUES (NEW.state, 1)
        ON CONFLICT (state) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_state_count_delete AFTER DELETE ON mediation_case
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE case_state_count SET n = n - 1 WHERE state = OLD.state;
END;

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

-- Only what is owed (F5), newest first: the due date in the index, so that the visits still
-- within their reply period are passed over in the index without reading each row.
DROP INDEX IF EXISTS intake_open_by_time;
CREATE INDEX intake_open_by_time ON intake (visited_at, id, due)
    WHERE deleted_at IS NULL AND due IS NOT NULL;

-- Visits per day (today's visits on the home screen, a period's total): a sum over the days
-- asked for.
CREATE TABLE intake_day_count (
    day TEXT PRIMARY KEY,
    n   INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO intake_day_count (day, n)
    SELECT substr(visited_at, 1, 10), count(*) FROM intake WHERE deleted_at IS NULL
    GROUP BY substr(visited_at, 1, 10);

CREATE TRIGGER intake_day_count_insert AFTER INSERT ON intake
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO intake_day_count (day, n) VALUES (substr(NEW.visited_at, 1, 10), 1)
        ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER intake_day_count_update_old AFTER UPDATE OF visited_at, deleted_at ON intake
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE intake_day_count SET n = n - 1 WHERE day = substr(OLD.visited_at, 1, 10);
END;
CREATE TRIGGER intake_day_count_update_new AFTER UPDATE OF visited_at, deleted_at ON intake
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO intake_day_count (day, n) VALUES (substr(NEW.visited_at, 1, 10), 1)
        ON CONFLICT (day) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER intake_day_count_delete AFTER DELETE ON intake
    WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE intake_day_count SET n = n - 1 WHERE day = substr(OLD.visited_at, 1, 10);
END;

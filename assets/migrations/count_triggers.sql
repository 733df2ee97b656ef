-- The triggers that keep the tables of counts of migration 13 (intake_due_count,
-- intake_day_count, case_due_count, case_state_count). Bulk loads (the demo) drop them and
-- put them back afterwards with the counts rebuilt; opening a database puts back any that
-- are missing.

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

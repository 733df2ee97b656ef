-- The tables of counts of migration 13, filled again from the records (after a bulk load
-- that suspended their triggers, or when a trigger was found missing).

DELETE FROM intake_due_count;
-- Read through covering indexes (every live visit is in intake_by_state, every owed one in
-- intake_owed), not the table.
INSERT INTO intake_due_count (due, n)
    SELECT due, count(*) FROM intake INDEXED BY intake_owed
    WHERE deleted_at IS NULL AND due IS NOT NULL GROUP BY due;

DELETE FROM case_due_count;
INSERT INTO case_due_count (due, n)
    SELECT next_due, count(*) FROM mediation_case
    WHERE deleted_at IS NULL AND next_due IS NOT NULL GROUP BY next_due;

DELETE FROM case_state_count;
INSERT INTO case_state_count (state, n)
    SELECT state, count(*) FROM mediation_case WHERE deleted_at IS NULL GROUP BY state;

DELETE FROM intake_day_count;
INSERT INTO intake_day_count (day, n)
    SELECT substr(visited_at, 1, 10), count(*) FROM intake INDEXED BY intake_by_state
    WHERE deleted_at IS NULL GROUP BY substr(visited_at, 1, 10);


-- The tables of counts of migration 13, filled again from the records (after a bulk load
-- that suspended their triggers, or when a trigger was found missing).

DELETE FROM intake_due_count;
-- The visits from temp.live_intake (live_intake.sql, run before this and dropped after), read
-- once.
INSERT INTO intake_due_count (due, n)
    SELECT due, count(*) FROM temp.live_intake WHERE due IS NOT NULL GROUP BY due;

DELETE FROM case_due_count;
INSERT INTO case_due_count (due, n)
    SELECT next_due, count(*) FROM mediation_case
    WHERE deleted_at IS NULL AND next_due IS NOT NULL GROUP BY next_due;

DELETE FROM case_state_count;
INSERT INTO case_state_count (state, n)
    SELECT state, count(*) FROM mediation_case WHERE deleted_at IS NULL GROUP BY state;

DELETE FROM intake_day_count;
INSERT INTO intake_day_count (day, n)
    SELECT day, count(*) FROM temp.live_intake GROUP BY day;

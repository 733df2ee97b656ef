-- The tallies of migration 15, filled again from the records (after a bulk load that suspended
-- their triggers, or when a trigger was found missing). The visits from temp.live_intake
-- (live_intake.sql, run before this and dropped after), read once.

DELETE FROM tally;

INSERT INTO tally (scope, month, measure, n)
    SELECT '', substr(day, 1, 7), 'intake.state:' || state, count(*)
    FROM temp.live_intake GROUP BY substr(day, 1, 7), state;

INSERT INTO tally (scope, month, measure, n)
    SELECT '', substr(day, 1, 7), 'intake.category:' || category, count(*)
    FROM temp.live_intake GROUP BY substr(day, 1, 7), category;

INSERT INTO tally (scope, month, measure, n)
    SELECT member_id, substr(day, 1, 7), 'intake.state:' || state, count(*)
    FROM temp.live_intake WHERE member_id IS NOT NULL
    GROUP BY member_id, substr(day, 1, 7), state;

-- The cases are read once (their rows are large), then counted five ways.
INSERT INTO tally (scope, month, measure, n)
    WITH c AS MATERIALIZED (
        SELECT received_on, state, dispute_type, json_extract(outcome, '$.result') AS result,
               mediators
        FROM mediation_case WHERE deleted_at IS NULL
    )
    SELECT scope, month, measure, count(*) FROM (
        SELECT '' AS scope, substr(received_on, 1, 7) AS month, 'case.state:' || state AS measure
            FROM c
        UNION ALL SELECT '', substr(received_on, 1, 7), 'case.type:' || dispute_type FROM c
        UNION ALL SELECT '', substr(received_on, 1, 7), 'case.outcome:' || result
            FROM c WHERE result IS NOT NULL
        UNION ALL SELECT m.value, substr(c.received_on, 1, 7), 'case.state:' || c.state
            FROM c, json_each(c.mediators) m
        UNION ALL SELECT m.value, substr(c.received_on, 1, 7), 'case.outcome:' || c.result
            FROM c, json_each(c.mediators) m WHERE c.result IS NOT NULL
    ) GROUP BY scope, month, measure;

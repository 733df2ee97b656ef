-- The triggers that keep the tallies of migration 15 (table `tally`). Like the counts'
-- triggers, bulk loads drop them and put them back with the tallies rebuilt
-- (`tally_rebuild.sql`); opening a database puts back any that are missing.
--
-- A visit counts in the month of its visit: for the station by state and by category, for its
-- receiving member by state. A case counts in the month it was received: for the station by
-- state, dispute type and outcome, for each of its mediators by state and outcome.

CREATE TRIGGER intake_tally_insert AFTER INSERT ON intake
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(NEW.visited_at, 1, 7), measure, 1 FROM (
            SELECT '' AS scope, 'intake.state:' || NEW.state AS measure
            UNION ALL SELECT '', 'intake.category:' || NEW.category
            UNION ALL SELECT NEW.member_id, 'intake.state:' || NEW.state
                WHERE NEW.member_id IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER intake_tally_update_old
    AFTER UPDATE OF visited_at, state, category, member_id, deleted_at ON intake
    WHEN OLD.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(OLD.visited_at, 1, 7), measure, -1 FROM (
            SELECT '' AS scope, 'intake.state:' || OLD.state AS measure
            UNION ALL SELECT '', 'intake.category:' || OLD.category
            UNION ALL SELECT OLD.member_id, 'intake.state:' || OLD.state
                WHERE OLD.member_id IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER intake_tally_update_new
    AFTER UPDATE OF visited_at, state, category, member_id, deleted_at ON intake
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(NEW.visited_at, 1, 7), measure, 1 FROM (
            SELECT '' AS scope, 'intake.state:' || NEW.state AS measure
            UNION ALL SELECT '', 'intake.category:' || NEW.category
            UNION ALL SELECT NEW.member_id, 'intake.state:' || NEW.state
                WHERE NEW.member_id IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER intake_tally_delete AFTER DELETE ON intake
    WHEN OLD.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(OLD.visited_at, 1, 7), measure, -1 FROM (
            SELECT '' AS scope, 'intake.state:' || OLD.state AS measure
            UNION ALL SELECT '', 'intake.category:' || OLD.category
            UNION ALL SELECT OLD.member_id, 'intake.state:' || OLD.state
                WHERE OLD.member_id IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER case_tally_insert AFTER INSERT ON mediation_case
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(NEW.received_on, 1, 7), measure, 1 FROM (
            SELECT '' AS scope, 'case.state:' || NEW.state AS measure
            UNION ALL SELECT '', 'case.type:' || NEW.dispute_type
            UNION ALL SELECT '', 'case.outcome:' || json_extract(NEW.outcome, '$.result')
                WHERE NEW.outcome IS NOT NULL
            UNION ALL SELECT m.value, 'case.state:' || NEW.state FROM json_each(NEW.mediators) m
            UNION ALL SELECT m.value, 'case.outcome:' || json_extract(NEW.outcome, '$.result')
                FROM json_each(NEW.mediators) m WHERE NEW.outcome IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER case_tally_update_old
    AFTER UPDATE OF received_on, state, dispute_type, outcome, mediators, deleted_at
    ON mediation_case
    WHEN OLD.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(OLD.received_on, 1, 7), measure, -1 FROM (
            SELECT '' AS scope, 'case.state:' || OLD.state AS measure
            UNION ALL SELECT '', 'case.type:' || OLD.dispute_type
            UNION ALL SELECT '', 'case.outcome:' || json_extract(OLD.outcome, '$.result')
                WHERE OLD.outcome IS NOT NULL
            UNION ALL SELECT m.value, 'case.state:' || OLD.state FROM json_each(OLD.mediators) m
            UNION ALL SELECT m.value, 'case.outcome:' || json_extract(OLD.outcome, '$.result')
                FROM json_each(OLD.mediators) m WHERE OLD.outcome IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER case_tally_update_new
    AFTER UPDATE OF received_on, state, dispute_type, outcome, mediators, deleted_at
    ON mediation_case
    WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(NEW.received_on, 1, 7), measure, 1 FROM (
            SELECT '' AS scope, 'case.state:' || NEW.state AS measure
            UNION ALL SELECT '', 'case.type:' || NEW.dispute_type
            UNION ALL SELECT '', 'case.outcome:' || json_extract(NEW.outcome, '$.result')
                WHERE NEW.outcome IS NOT NULL
            UNION ALL SELECT m.value, 'case.state:' || NEW.state FROM json_each(NEW.mediators) m
            UNION ALL SELECT m.value, 'case.outcome:' || json_extract(NEW.outcome, '$.result')
                FROM json_each(NEW.mediators) m WHERE NEW.outcome IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

CREATE TRIGGER case_tally_delete AFTER DELETE ON mediation_case
    WHEN OLD.deleted_at IS NULL
BEGIN
    INSERT INTO tally (scope, month, measure, n)
        SELECT scope, substr(OLD.received_on, 1, 7), measure, -1 FROM (
            SELECT '' AS scope, 'case.state:' || OLD.state AS measure
            UNION ALL SELECT '', 'case.type:' || OLD.dispute_type
            UNION ALL SELECT '', 'case.outcome:' || json_extract(OLD.outcome, '$.result')
                WHERE OLD.outcome IS NOT NULL
            UNION ALL SELECT m.value, 'case.state:' || OLD.state FROM json_each(OLD.mediators) m
            UNION ALL SELECT m.value, 'case.outcome:' || json_extract(OLD.outcome, '$.result')
                FROM json_each(OLD.mediators) m WHERE OLD.outcome IS NOT NULL
        ) WHERE true
        ON CONFLICT (scope, month, measure) DO UPDATE SET n = n + excluded.n;
END;

-- Reports by the day they were submitted: the year's 4+X on the home dashboard and a month's
-- figures read the year's or the month's submitted reports through this index, not the table.
CREATE INDEX report_by_submitted ON report (submitted_on)
    WHERE deleted_at IS NULL AND submitted_on IS NOT NULL;

-- The live visits' columns that the counts and the tallies are made of, read in one pass over
-- the table. `intake` is a WITHOUT ROWID table: read through a partial index (WHERE deleted_at
-- IS NULL), each row is looked up in the table again, since SQLite does not count the index's
-- own condition as covered — 4.6 to 11 s a query at a million visits, against 1.5 s for the
-- whole table once (`+deleted_at` keeps the partial indexes out). Dropped at the end of the
-- rebuild that made it.
DROP TABLE IF EXISTS temp.live_intake;
CREATE TEMP TABLE live_intake AS
    SELECT substr(visited_at, 1, 10) AS day, state, category, member_id, due
    FROM main.intake WHERE +deleted_at IS NULL;

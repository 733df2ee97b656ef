-- Counting the registry (active / all / deleted) reads this small index, not the whole table.
CREATE INDEX member_state ON member (deleted_at, active);

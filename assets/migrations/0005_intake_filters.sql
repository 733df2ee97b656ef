-- Indexes for the intake list's filters, each in the list's order (newest first).
CREATE INDEX intake_by_state ON intake (state, visited_at, id) WHERE deleted_at IS NULL;
CREATE INDEX intake_by_category ON intake (category, visited_at, id) WHERE deleted_at IS NULL;
CREATE INDEX intake_by_member ON intake (member_id, visited_at, id) WHERE deleted_at IS NULL;
-- Visits still owing something, newest first: "overdue / due today" walks only these.
CREATE INDEX intake_open_by_time ON intake (visited_at, id) WHERE deleted_at IS NULL AND due IS NOT NULL;

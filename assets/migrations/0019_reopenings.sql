-- A concluded case or a completed topic can be reopened with a written reason: each kept
-- with who, when, and what it set aside.
ALTER TABLE mediation_case ADD COLUMN reopenings TEXT NOT NULL DEFAULT '[]';
ALTER TABLE topic ADD COLUMN reopenings TEXT NOT NULL DEFAULT '[]';

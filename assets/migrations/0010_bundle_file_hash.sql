-- The SHA-256 of each bundle file as written, so that "write again" can prove the archive
-- copy is the very bundle the log names (empty for bundles written before this step).
ALTER TABLE bundle_log ADD COLUMN file_sha256 TEXT NOT NULL DEFAULT '';

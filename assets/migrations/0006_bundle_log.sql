-- The county bundles this station has written: the next export carries what changed since
-- the last one, and chains to its manifest.
CREATE TABLE bundle_log (
    seq             INTEGER PRIMARY KEY,
    file_name       TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    rev_from        INTEGER NOT NULL,
    rev_to          INTEGER NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    plaintext       INTEGER NOT NULL,
    counts          TEXT NOT NULL
);

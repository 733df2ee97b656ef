-- Indexes put aside for a bulk load (the demo's, see store/bulk.rs): each is made again from
-- its own definition when the load ends, or at the next start if the load stopped halfway.
CREATE TABLE bulk_index (
    name TEXT PRIMARY KEY,
    sql TEXT NOT NULL
);

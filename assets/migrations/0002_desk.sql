-- Desk sign-in: optional PINs of members, kept apart from the member record so that they never
-- travel in a county bundle.

CREATE TABLE member_pin (
    member_id TEXT PRIMARY KEY REFERENCES member (id),
    pin_hash  TEXT NOT NULL,
    set_at    TEXT NOT NULL
) WITHOUT ROWID;

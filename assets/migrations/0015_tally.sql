-- Tallies per month (migration 15): visits and cases counted by state, category, type and
-- outcome for the station (scope '') and for each member (scope = the member's id: the
-- receiving member of a visit, each mediator of a case). A member's year, the dashboard's
-- twelve months and the month's figures are sums over a few dozen rows, kept by the triggers
-- of `tally_triggers.sql` in the same transaction as every change, whatever the number of
-- records.
CREATE TABLE tally (
    scope   TEXT NOT NULL,
    month   TEXT NOT NULL,
    measure TEXT NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (scope, month, measure)
) WITHOUT ROWID;

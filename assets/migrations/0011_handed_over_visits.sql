-- A visit turned into a mediation case, a consultation topic or a report is handed over: its
-- reply clock stops there (the record it went to has its own), so it owes nothing until the
-- visit is taken up again. Visits converted before this step still had their reply date.
UPDATE intake SET due = NULL
WHERE state = 'in_progress' AND json_extract(handling, '$.how') = 'converted';

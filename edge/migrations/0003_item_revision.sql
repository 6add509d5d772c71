-- Each corrected resubmission (补正) of an item is a new revision the
-- department can tell apart from a retry of the same one.
ALTER TABLE application_items ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

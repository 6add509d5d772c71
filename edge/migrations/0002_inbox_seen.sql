-- The inbox is derived from item timelines; a resident only needs to remember
-- how far they have read.
ALTER TABLE residents ADD COLUMN inbox_seen_seq INTEGER NOT NULL DEFAULT 0;

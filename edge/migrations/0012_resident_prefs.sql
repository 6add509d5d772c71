-- Issue 9: the language and elder mode (长辈版) a resident's phones may
-- follow, kept per account only while they ask for it (NULL: none kept).
-- The device keeps its own; these only let a phone they sign in on offer
-- the same.

ALTER TABLE resident_settings ADD COLUMN lang TEXT CHECK (lang IN ('zh-CN', 'en'));
ALTER TABLE resident_settings ADD COLUMN elder INTEGER CHECK (elder IN (0, 1));

-- 免申即享 (issue 15): the resident's offers setting and the offers they
-- dismissed. No offer itself is stored: offers are computed on each read
-- from the platforms' facts, so nothing here goes stale. A dismissal names
-- the offer id (event and a digest of the person, no personal data).

CREATE TABLE resident_settings (
  resident_id TEXT PRIMARY KEY REFERENCES residents(id),
  offers      INTEGER NOT NULL DEFAULT 1,   -- 0: offers off, nothing is read for them
  updated_at  INTEGER NOT NULL
);

CREATE TABLE offer_dismissals (
  resident_id  TEXT NOT NULL REFERENCES residents(id),
  offer_id     TEXT NOT NULL,
  dismissed_at INTEGER NOT NULL,
  PRIMARY KEY (resident_id, offer_id)
);

-- Notices (the SLA watchdog) share the timeline with status changes.
ALTER TABLE item_timeline ADD COLUMN kind TEXT NOT NULL DEFAULT 'status';

-- Lateness found by the SLA watchdog: reported once per kind per item.
CREATE TABLE item_flags (
  item_row_id TEXT NOT NULL REFERENCES application_items(id),
  kind        TEXT NOT NULL,             -- core::sla::Lateness
  flagged_at  INTEGER NOT NULL,
  PRIMARY KEY (item_row_id, kind)
);

-- Maintenance windows the departments announced, as last fetched.
CREATE TABLE maintenance_windows (
  department  TEXT NOT NULL,
  starts_at   INTEGER NOT NULL,
  ends_at     INTEGER NOT NULL,
  notice_zh   TEXT NOT NULL,
  notice_en   TEXT NOT NULL,
  PRIMARY KEY (department, starts_at)
);
CREATE TABLE maintenance_fetches (
  department  TEXT PRIMARY KEY,
  fetched_at  INTEGER NOT NULL
);

-- The SMS outbox: one text per timeline entry a department caused, sent
-- through the gateway with its reference, its receipt recorded.
CREATE TABLE notifications (
  timeline_seq INTEGER PRIMARY KEY REFERENCES item_timeline(seq),
  resident_id  TEXT NOT NULL REFERENCES residents(id),
  phone        TEXT NOT NULL,
  text         TEXT NOT NULL,
  state        TEXT NOT NULL,            -- pending | sending | sent | delivered | failed
  attempts     INTEGER NOT NULL DEFAULT 0,
  provider_id  TEXT,
  updated_at   INTEGER NOT NULL
);
CREATE INDEX notifications_pending ON notifications (state, updated_at);

-- 好差评: one rating per application, relayed to the evaluation platform.
CREATE TABLE ratings (
  application_id TEXT PRIMARY KEY REFERENCES applications(id),
  id             TEXT NOT NULL UNIQUE,
  resident_id    TEXT NOT NULL REFERENCES residents(id),
  score          INTEGER NOT NULL,
  comment        TEXT NOT NULL,
  rated_at       INTEGER NOT NULL,
  relayed_at     INTEGER,
  attempts       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX ratings_unrelayed ON ratings (relayed_at);

-- Uploaded materials; the bytes are in R2 under `{resident_id}/{id}`.
CREATE TABLE attachments (
  id           TEXT PRIMARY KEY,
  resident_id  TEXT NOT NULL REFERENCES residents(id),
  name         TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL,
  uploaded_at  INTEGER NOT NULL
);
CREATE INDEX attachments_by_resident ON attachments (resident_id, uploaded_at DESC);

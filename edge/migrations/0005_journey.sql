-- The resident's journey (issue 8): a readable reference, what the catalog
-- said when the application was made, how each material was provided,
-- e-certificates released with consent, attachments a department may fetch,
-- and deferred materials that follow later.

-- `BS-XXXX-XXXX` (core::reference), issued at submission; unique.
-- Applications from before this migration have none (NULL) and show one
-- derived from their id.
ALTER TABLE applications ADD COLUMN reference TEXT;
CREATE UNIQUE INDEX applications_by_reference ON applications (reference);
-- The catalog content hash and core::application::Snapshot (JSON): what is
-- needed to show and relay the application whatever the catalog says later.
ALTER TABLE applications ADD COLUMN catalog_version TEXT;
ALTER TABLE applications ADD COLUMN snapshot TEXT;

-- How each required material is provided, by material id within the
-- application (one upload serves every item that lists the material).
CREATE TABLE application_materials (
  application_id TEXT NOT NULL REFERENCES applications(id),
  material_id    TEXT NOT NULL,
  provision      TEXT NOT NULL,        -- JSON core::api::Provision, the current one
  ecert_number   TEXT,                 -- for an e-certificate: from its release
  ecert_issuer   TEXT,
  deferred       INTEGER NOT NULL DEFAULT 0,  -- 容缺 at submission
  provided_at    INTEGER,              -- NULL while a deferred material is still to follow
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (application_id, material_id)
);

-- E-certificates the resident released for an event, each with explicit
-- consent (the platform logs the purpose too). An `ecert` provision needs one.
CREATE TABLE certificate_releases (
  resident_id TEXT NOT NULL REFERENCES residents(id),
  event_id    TEXT NOT NULL,
  ecert       TEXT NOT NULL,
  number      TEXT NOT NULL,
  issuer      TEXT NOT NULL,
  released_at INTEGER NOT NULL,
  PRIMARY KEY (resident_id, event_id, ecert)
);

-- Attachments relayed to a department with an item: only these can that
-- department fetch (signed GET /api/departments/{dept}/attachments/{id}).
CREATE TABLE relayed_attachments (
  attachment_id TEXT NOT NULL REFERENCES attachments(id),
  department    TEXT NOT NULL,
  item_row_id   TEXT NOT NULL REFERENCES application_items(id),
  relayed_at    INTEGER NOT NULL,
  PRIMARY KEY (attachment_id, department, item_row_id)
);

-- A deferred material provided later, relayed to each item that needs it
-- like an item relay: queued, retried with backoff, delivered once.
CREATE TABLE supplements (
  id          TEXT PRIMARY KEY,        -- the department de-duplicates on it
  item_row_id TEXT NOT NULL REFERENCES application_items(id),
  material_id TEXT NOT NULL,
  relay_state TEXT NOT NULL,           -- core::api::RelayState
  attempts    INTEGER NOT NULL DEFAULT 0,
  next_at     INTEGER,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL
);
CREATE INDEX supplements_by_item ON supplements (item_row_id);
CREATE INDEX supplements_by_relay ON supplements (relay_state, next_at);

-- The phone's outbox resends a photo with the same key: one copy kept.
ALTER TABLE attachments ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX attachments_by_key ON attachments (resident_id, idempotency_key);

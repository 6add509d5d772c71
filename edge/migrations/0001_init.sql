-- Banshi edge schema (D1 / SQLite). Every row that belongs to a resident
-- carries resident_id, and every read on a resident's path filters on it.
-- Times are unix milliseconds (UTC).

CREATE TABLE residents (
  id          TEXT PRIMARY KEY,          -- the identity provider's subject
  name        TEXT NOT NULL,
  id_number   TEXT NOT NULL,
  phone       TEXT NOT NULL,
  updated_at  INTEGER NOT NULL
);

-- Only a hash of the session token is stored: a leaked table is no login.
CREATE TABLE sessions (
  token_hash  TEXT PRIMARY KEY,
  resident_id TEXT NOT NULL REFERENCES residents(id),
  csrf_token  TEXT NOT NULL,
  created_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL
);

-- OAuth authorization requests in flight (state → PKCE verifier), single use.
CREATE TABLE auth_requests (
  state       TEXT PRIMARY KEY,
  verifier    TEXT NOT NULL,
  return_to   TEXT NOT NULL,
  created_at  INTEGER NOT NULL
);

CREATE TABLE applications (
  id              TEXT PRIMARY KEY,
  resident_id     TEXT NOT NULL REFERENCES residents(id),
  event_id        TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,
  request_hash    TEXT NOT NULL,         -- same key with another body is refused
  answers         TEXT NOT NULL,         -- JSON
  fields          TEXT NOT NULL,         -- JSON, validated by core
  submitted_at    INTEGER NOT NULL,
  UNIQUE (resident_id, idempotency_key)
);
CREATE INDEX applications_by_resident ON applications (resident_id, submitted_at DESC);

-- One row per department item; its id is the external id the department sees.
CREATE TABLE application_items (
  id                  TEXT PRIMARY KEY,
  application_id      TEXT NOT NULL REFERENCES applications(id),
  position            INTEGER NOT NULL,
  item_id             TEXT NOT NULL,
  department          TEXT NOT NULL,
  status              TEXT NOT NULL,     -- core::status::ItemStatus
  relay_state         TEXT NOT NULL,     -- core::api::RelayState
  relay_attempts      INTEGER NOT NULL DEFAULT 0,
  relay_next_at       INTEGER,
  accepted_at         INTEGER,
  due_date            TEXT,              -- YYYY-MM-DD, counted from acceptance
  due_estimated       INTEGER,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX items_by_application ON application_items (application_id, position);
CREATE INDEX items_by_relay ON application_items (relay_state, relay_next_at);

-- Every status an item went through, with the message the resident was shown.
CREATE TABLE item_timeline (
  seq         INTEGER PRIMARY KEY AUTOINCREMENT,
  item_row_id TEXT NOT NULL REFERENCES application_items(id),
  status      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  title_zh    TEXT NOT NULL,
  title_en    TEXT NOT NULL,
  body_zh     TEXT NOT NULL,
  body_en     TEXT NOT NULL
);
CREATE INDEX timeline_by_item ON item_timeline (item_row_id, seq);

-- Department callbacks, by their own id: a redelivery is recognised, and an
-- update that arrives before the one it follows waits here until it fits.
CREATE TABLE department_updates (
  update_id   TEXT PRIMARY KEY,
  item_row_id TEXT NOT NULL REFERENCES application_items(id),
  department  TEXT NOT NULL,
  status      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,             -- the DepartmentUpdate JSON
  applied     INTEGER NOT NULL DEFAULT 0,
  received_at INTEGER NOT NULL
);
CREATE INDEX updates_pending ON department_updates (item_row_id, applied, at);

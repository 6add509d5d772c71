-- 家人代办 (issue 11): delegations and how they came about, consent codes
-- (hashed), the audit both accounts see, the household register as last
-- read (guardianship), who acted on an application, and texts that are not
-- one timeline entry to its applicant (consent requests, grants, the
-- agent's copy of an application's messages).

-- A principal's permission for an agent (core::delegation::Delegation).
CREATE TABLE delegations (
  id              TEXT PRIMARY KEY,
  principal_id    TEXT NOT NULL REFERENCES residents(id),
  -- NULL while a grant to a phone or ID number waits for that person to sign in.
  agent_id        TEXT REFERENCES residents(id),
  agent_name      TEXT NOT NULL,
  agent_phone     TEXT,
  agent_id_number TEXT,
  relationship    TEXT NOT NULL,         -- core::delegation::Relationship
  scope           TEXT NOT NULL,         -- JSON core::delegation::Scope
  validity        TEXT NOT NULL,         -- JSON core::delegation::Validity
  state           TEXT NOT NULL,         -- requested | active | revoked | expired
  way             TEXT NOT NULL,         -- consent | grant | paper
  -- A paper mandate: JSON {"mandate": [attachment ids], "id_card": [...]} (the agent's uploads).
  mandate         TEXT,
  -- The application a one-application delegation (or a paper mandate's first) went to.
  used_for        TEXT,
  created_at      INTEGER NOT NULL,
  updated_at      INTEGER NOT NULL,
  ended_at        INTEGER
);
CREATE INDEX delegations_by_agent ON delegations (agent_id, principal_id);
CREATE INDEX delegations_by_principal ON delegations (principal_id, created_at DESC);
CREATE INDEX delegations_unmatched ON delegations (agent_phone, agent_id_number) WHERE agent_id IS NULL;
CREATE INDEX delegations_open ON delegations (state, created_at);

-- The 6-digit code of a consent request: only its keyed hash.
CREATE TABLE consent_codes (
  delegation_id TEXT PRIMARY KEY REFERENCES delegations(id),
  code_hash     TEXT NOT NULL,
  expires_at    INTEGER NOT NULL,
  attempts      INTEGER NOT NULL DEFAULT 0
);

-- Every wrong code entered, for the per-agent day limit.
CREATE TABLE consent_wrong_codes (
  agent_id      TEXT NOT NULL,
  delegation_id TEXT NOT NULL,
  at            INTEGER NOT NULL
);
CREATE INDEX consent_wrong_codes_by_agent ON consent_wrong_codes (agent_id, at);

-- Who did what for whom (core::delegation::audit::AuditEntry), rendered per reader.
CREATE TABLE delegation_audit (
  seq            INTEGER PRIMARY KEY AUTOINCREMENT,
  delegation_id  TEXT,                   -- NULL for a guardian
  principal_id   TEXT NOT NULL,
  agent_id       TEXT,                   -- NULL for a grant to someone not yet signed in
  principal_name TEXT NOT NULL,
  agent_name     TEXT NOT NULL,
  principal_male INTEGER,
  agent_male     INTEGER,
  relationship   TEXT NOT NULL,
  action         TEXT NOT NULL,          -- core::delegation::audit::AuditAction
  by_party       TEXT NOT NULL,          -- principal | agent | department | system
  event_id       TEXT,
  application_id TEXT,
  what_zh        TEXT,
  what_en        TEXT,
  at             INTEGER NOT NULL
);
CREATE INDEX audit_by_principal ON delegation_audit (principal_id, seq DESC);
CREATE INDEX audit_by_agent ON delegation_audit (agent_id, seq DESC);
-- An expiry is written once per delegation.
CREATE UNIQUE INDEX audit_expired_once ON delegation_audit (delegation_id) WHERE action = 'expired';

-- The household register as last read for a resident (relations seen from
-- them): guardianship is decided from it on every request, by today's date.
CREATE TABLE household_members (
  resident_id TEXT NOT NULL,
  member_id   TEXT NOT NULL,
  name        TEXT NOT NULL,
  relation    TEXT NOT NULL,             -- core::platform::Relation
  birth_date  TEXT NOT NULL,             -- YYYY-MM-DD
  id_number   TEXT,
  fetched_at  INTEGER NOT NULL,
  PRIMARY KEY (resident_id, member_id)
);

-- Who acted: NULL (or the resident) for their own; the agent otherwise,
-- with the authority (JSON core::delegation::Authority) they acted on.
ALTER TABLE applications ADD COLUMN acted_by TEXT REFERENCES residents(id);
ALTER TABLE applications ADD COLUMN authority TEXT;
ALTER TABLE applications ADD COLUMN delegation_id TEXT;
CREATE INDEX applications_by_agent ON applications (acted_by, submitted_at DESC);

-- An agent's upload for the principal is the principal's, made by the agent.
ALTER TABLE attachments ADD COLUMN uploaded_by TEXT;

-- Text messages that are not one timeline entry to its applicant: a consent
-- request, a grant, the agent's copy of an application's message (sent
-- only while the agent may still read that application: `withheld` otherwise).
CREATE TABLE texts (
  reference      TEXT PRIMARY KEY,       -- the gateway's idempotency key
  resident_id    TEXT,
  phone          TEXT NOT NULL,
  text           TEXT NOT NULL,
  application_id TEXT,
  state          TEXT NOT NULL,          -- pending | sending | sent | delivered | failed | withheld
  attempts       INTEGER NOT NULL DEFAULT 0,
  next_at        INTEGER NOT NULL,
  provider_id    TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL
);
CREATE INDEX texts_due ON texts (state, next_at);

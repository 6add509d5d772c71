-- Department updates are de-duplicated by (department, update id): one
-- department's ids say nothing about another's, and a colliding id must not
-- hide a real update. SQLite cannot change a primary key in place.
CREATE TABLE department_updates_v2 (
  department  TEXT NOT NULL,
  update_id   TEXT NOT NULL,
  item_row_id TEXT NOT NULL REFERENCES application_items(id),
  status      TEXT NOT NULL,
  at          INTEGER NOT NULL,
  body        TEXT NOT NULL,             -- the DepartmentUpdate JSON
  applied     INTEGER NOT NULL DEFAULT 0,  -- 0 waiting, 1 applied, 2 discarded
  received_at INTEGER NOT NULL,
  PRIMARY KEY (department, update_id)
);
INSERT INTO department_updates_v2 (department, update_id, item_row_id, status, at, body, applied, received_at)
  SELECT department, update_id, item_row_id, status, at, body, applied, received_at FROM department_updates;
DROP TABLE department_updates;
ALTER TABLE department_updates_v2 RENAME TO department_updates;
CREATE INDEX updates_pending ON department_updates (item_row_id, applied, at);

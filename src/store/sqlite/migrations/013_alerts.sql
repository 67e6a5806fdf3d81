-- Alert emails (src/store/alert-store.ts): the alert kinds a subscriber turned off (both
-- are on by default), every alert planned — one row per (subscriber, kind, paper,
-- version), so none is planned twice — and how far the alert runs have read the papers'
-- change sequence. The emails themselves are rows of digest_outbox.

CREATE TABLE personal_alerts_off (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('followed-author', 'saved-version')),
  created_at     TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, kind)
) STRICT, WITHOUT ROWID;

CREATE TABLE personal_alerts (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           TEXT NOT NULL CHECK (kind IN ('followed-author', 'saved-version')),
  paper_id       TEXT NOT NULL,
  version        INTEGER NOT NULL,
  outbox_key     TEXT NOT NULL,                -- digest_outbox.digest_date of the email that carries it
  created_at     TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, kind, paper_id, version)
) STRICT, WITHOUT ROWID;

CREATE TABLE alert_cursor (
  name        TEXT PRIMARY KEY,
  change_seq  INTEGER NOT NULL,
  updated_at  TEXT NOT NULL
) STRICT;

CREATE INDEX personal_library_by_paper ON personal_library (paper_id) WHERE paper_id IS NOT NULL;
CREATE INDEX personal_rules_follows ON personal_rules (kind, subscriber_id) WHERE kind = 'follow-author';

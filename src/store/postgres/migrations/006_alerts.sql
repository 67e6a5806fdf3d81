-- Alert emails, as in the SQLite engine's 013_alerts.sql: alert kinds turned off, every
-- alert planned (one row per subscriber, kind, paper and version) and the alert runs'
-- position in the papers' change sequence.

CREATE TABLE personal_alerts_off (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('followed-author', 'saved-version')),
  created_at     text NOT NULL,
  PRIMARY KEY (subscriber_id, kind)
);

CREATE TABLE personal_alerts (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           text NOT NULL CHECK (kind IN ('followed-author', 'saved-version')),
  paper_id       text NOT NULL,
  version        integer NOT NULL,
  outbox_key     text NOT NULL,
  created_at     text NOT NULL,
  PRIMARY KEY (subscriber_id, kind, paper_id, version)
);

CREATE TABLE alert_cursor (
  name        text PRIMARY KEY,
  change_seq  bigint NOT NULL,
  updated_at  text NOT NULL
);

CREATE INDEX personal_library_by_paper ON personal_library (paper_id) WHERE paper_id IS NOT NULL;
CREATE INDEX personal_rules_follows ON personal_rules (kind, subscriber_id) WHERE kind = 'follow-author';

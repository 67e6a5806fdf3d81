-- Local upvotes, one per (paper, anonymous visitor), and the site's own random secrets
-- (e.g. the key that signs upvote forms), kept here so every process and restart agrees.

CREATE TABLE votes (
  paper_id   TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  visitor    TEXT NOT NULL,                       -- random id from the visitor's cookie
  created_at TEXT NOT NULL,                       -- ISO 8601 UTC
  PRIMARY KEY (paper_id, visitor)
) STRICT, WITHOUT ROWID;

CREATE INDEX votes_by_time ON votes (created_at);

CREATE TABLE site_secrets (
  name       TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;

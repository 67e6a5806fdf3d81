-- Engagement observed here or elsewhere, and the checkpoints of incremental harvests.

CREATE TABLE signals (
  paper_id    TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,                      -- upvotes | comments | github_stars | views
  source      TEXT NOT NULL,                      -- local | hf-daily | github | ...
  observed_at TEXT NOT NULL,                      -- ISO 8601 UTC
  value       REAL NOT NULL,
  PRIMARY KEY (paper_id, kind, source, observed_at)
) STRICT, WITHOUT ROWID;

CREATE INDEX signals_by_time ON signals (observed_at);

CREATE TABLE harvest_state (
  name                  TEXT PRIMARY KEY,        -- e.g. oai:arXivRaw:cs
  next_from             TEXT,
  resumption_token      TEXT,
  current_from          TEXT,
  current_response_date TEXT,
  pages                 INTEGER NOT NULL DEFAULT 0,
  records               INTEGER NOT NULL DEFAULT 0,
  last_success_at       TEXT,
  last_error            TEXT,
  updated_at            TEXT NOT NULL
) STRICT;

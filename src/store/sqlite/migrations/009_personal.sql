-- What a subscriber teaches the digest (see src/store/personal-store.ts): feedback on
-- papers, a library of saved and imported papers, follows and never-show rules, and the
-- single-use feedback links already used. Everything cascades from the subscriber, so
-- erasing a subscriber erases all of it.

CREATE TABLE personal_feedback (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id       TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('more', 'less')),
  created_at     TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, paper_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE personal_library (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  item_key       TEXT NOT NULL,                -- arxiv:ID, doi:DOI or title:normalised title
  paper_id       TEXT,                         -- the arXiv id when known
  item           TEXT NOT NULL,                -- the entry as CSL-JSON
  source         TEXT NOT NULL,                -- save | import
  added_at       TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, item_key)
) STRICT, WITHOUT ROWID;

CREATE TABLE personal_rules (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           TEXT NOT NULL,                -- follow-author | hide-word | hide-category | hide-author
  value          TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, kind, value)
) STRICT, WITHOUT ROWID;

CREATE TABLE personal_links_used (
  subscriber_id  INTEGER NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  link           TEXT NOT NULL,                -- what the link names: paper, action and issue date
  used_at        TEXT NOT NULL,
  PRIMARY KEY (subscriber_id, link)
) STRICT, WITHOUT ROWID;

-- What a subscriber teaches the digest (see src/store/personal-store.ts), as in the SQLite
-- engine's 009_personal.sql: feedback, a library, follows and never-show rules, and the
-- single-use feedback links already used; all of it cascades from the subscriber.

CREATE TABLE personal_feedback (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  paper_id       text NOT NULL,
  kind           text NOT NULL CHECK (kind IN ('more', 'less')),
  created_at     text NOT NULL,
  PRIMARY KEY (subscriber_id, paper_id)
);

CREATE TABLE personal_library (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  item_key       text NOT NULL,
  paper_id       text,
  item           text NOT NULL,                -- the entry as CSL-JSON (text, as in SQLite, so copies compare equal)
  source         text NOT NULL CHECK (source IN ('save', 'import')),
  added_at       text NOT NULL,
  PRIMARY KEY (subscriber_id, item_key)
);

CREATE TABLE personal_rules (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  kind           text NOT NULL,
  value          text NOT NULL,
  created_at     text NOT NULL,
  PRIMARY KEY (subscriber_id, kind, value)
);

CREATE TABLE personal_links_used (
  subscriber_id  integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  link           text NOT NULL,
  used_at        text NOT NULL,
  PRIMARY KEY (subscriber_id, link)
);

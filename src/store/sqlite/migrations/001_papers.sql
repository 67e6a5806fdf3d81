-- Papers, their version history and categories, with an FTS5 index kept in sync with them.

CREATE TABLE papers (
  pk               INTEGER PRIMARY KEY,          -- rowid, shared with the FTS index
  id               TEXT NOT NULL UNIQUE,         -- canonical arXiv id, no version
  title            TEXT NOT NULL,
  abstract         TEXT NOT NULL,
  authors          TEXT NOT NULL,                -- JSON [{name, affiliations?}], in paper order
  author_names     TEXT NOT NULL,                -- "A. One; B. Two", what the index sees
  categories       TEXT NOT NULL,                -- space-separated, primary first
  primary_category TEXT,
  comment          TEXT,
  journal_ref      TEXT,
  doi              TEXT,
  license          TEXT,
  latest_version   INTEGER,
  submitted_at     TEXT,                         -- v1, ISO 8601 UTC
  updated_at       TEXT,                         -- latest version or source update, ISO 8601
  announced_at     TEXT,                         -- YYYY-MM-DD
  ingested_at      TEXT NOT NULL,
  modified_at      TEXT NOT NULL
) STRICT;

CREATE INDEX papers_by_recency ON papers (coalesce(announced_at, substr(submitted_at, 1, 10)) DESC, id DESC);
CREATE INDEX papers_by_submitted ON papers (submitted_at);
CREATE INDEX papers_by_modified ON papers (modified_at);

CREATE TABLE paper_versions (
  paper_id     TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  version      INTEGER NOT NULL CHECK (version >= 1),
  submitted_at TEXT,
  size         TEXT,
  PRIMARY KEY (paper_id, version)
) STRICT, WITHOUT ROWID;

-- One row per (category, paper) so category pages and filters include cross-lists.
CREATE TABLE paper_categories (
  category   TEXT NOT NULL,
  paper_id   TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  is_primary INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (category, paper_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX paper_categories_by_paper ON paper_categories (paper_id);

CREATE VIRTUAL TABLE papers_fts USING fts5 (
  title, author_names, abstract,
  content = 'papers', content_rowid = 'pk',
  tokenize = 'porter unicode61 remove_diacritics 2'
);

-- New papers reach the index through the store's own INSERT, right after the paper row
-- and in the same transaction, not through a trigger: an INSERT that fires a trigger
-- opens a statement savepoint, and FTS5 flushes its pending terms to a new segment at
-- every savepoint, one tiny segment (and merge work) per paper; bulk imports ran ~2x
-- slower. Updates and deletes are rare and keep their triggers.

-- Buffer up to 8 MB of pending terms per transaction (default 1 MB) and merge segments
-- 8 at a time (default 4): fewer, larger merges, ~25% less CPU when indexing.
INSERT INTO papers_fts (papers_fts, rank) VALUES ('hashsize', 8388608);
INSERT INTO papers_fts (papers_fts, rank) VALUES ('automerge', 8);

CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, author_names, abstract)
  VALUES ('delete', old.pk, old.title, old.author_names, old.abstract);
END;

-- Only text changes touch the index; date or version bumps leave it alone.
CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, author_names, abstract ON papers BEGIN
  INSERT INTO papers_fts (papers_fts, rowid, title, author_names, abstract)
  VALUES ('delete', old.pk, old.title, old.author_names, old.abstract);
  INSERT INTO papers_fts (rowid, title, author_names, abstract)
  VALUES (new.pk, new.title, new.author_names, new.abstract);
END;

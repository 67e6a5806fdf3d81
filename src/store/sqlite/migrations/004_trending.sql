-- Trending: per-paper aggregates of engagement, kept current without scanning signals
-- on every request, and the GitHub repositories papers link to.
--
-- Writers never compute aggregates themselves. Triggers on signals, votes and paper dates
-- note the paper in trending_dirty (whoever writes: an import, a connector, a vote, another
-- process); the trending module recomputes just those papers before it next ranks
-- (src/store/sqlite/trending.ts, src/trending/features.ts).

CREATE TABLE trending_features (
  paper_id        TEXT PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
  day             TEXT,                           -- the paper's day (announced, else submitted), as papers_by_recency

  -- Latest counts: imported upvotes (any source but local), votes cast here, comments, stars, views.
  upvotes         REAL NOT NULL DEFAULT 0,
  local_upvotes   REAL NOT NULL DEFAULT 0,
  comments        REAL NOT NULL DEFAULT 0,
  github_stars    REAL NOT NULL DEFAULT 0,
  views           REAL NOT NULL DEFAULT 0,
  -- Gains of each count after the paper's first days, each decayed by the momentum half-life to heat_at.
  heat_upvotes       REAL NOT NULL DEFAULT 0,
  heat_local_upvotes REAL NOT NULL DEFAULT 0,
  heat_comments      REAL NOT NULL DEFAULT 0,
  heat_github_stars  REAL NOT NULL DEFAULT 0,
  heat_views         REAL NOT NULL DEFAULT 0,
  heat_at         INTEGER,                        -- ms since the epoch: the latest observation
  computed_at     TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- A window's papers with signals, without touching the (many more) papers that have none.
CREATE INDEX trending_features_by_day ON trending_features (day);

-- Papers whose signals or votes changed since their features were computed.
CREATE TABLE trending_dirty (
  paper_id TEXT PRIMARY KEY
) STRICT, WITHOUT ROWID;

-- `params`: the parameters the features were computed with (a change recomputes all);
-- `version`: bumped whenever features change, so rankings can be cached by it.
CREATE TABLE trending_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TRIGGER trending_signal_added AFTER INSERT ON signals BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (new.paper_id);
END;
CREATE TRIGGER trending_signal_changed AFTER UPDATE ON signals BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (new.paper_id);
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (old.paper_id);
END;
CREATE TRIGGER trending_signal_removed AFTER DELETE ON signals BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (old.paper_id);
END;
CREATE TRIGGER trending_vote_added AFTER INSERT ON votes BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (new.paper_id);
END;
CREATE TRIGGER trending_vote_removed AFTER DELETE ON votes BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (old.paper_id);
END;

-- Momentum depends on the paper's day (its first days are its launch), so a new date counts.
CREATE TRIGGER trending_paper_dated AFTER UPDATE OF announced_at, submitted_at ON papers
WHEN (old.announced_at IS NOT new.announced_at OR old.submitted_at IS NOT new.submitted_at)
  AND EXISTS (SELECT 1 FROM trending_features WHERE paper_id = new.id) BEGIN
  INSERT OR IGNORE INTO trending_dirty (paper_id) VALUES (new.id);
END;

-- What existed before this migration is computed on the first ranking.
INSERT OR IGNORE INTO trending_dirty (paper_id) SELECT paper_id FROM signals UNION SELECT paper_id FROM votes;

-- GitHub repositories ("owner/name", lower case) papers link to, and where the link was seen.
CREATE TABLE paper_repos (
  paper_id TEXT NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  repo     TEXT NOT NULL,
  source   TEXT NOT NULL,                         -- hf-daily | arxiv-text | ...
  added_at TEXT NOT NULL,
  PRIMARY KEY (paper_id, repo)
) STRICT, WITHOUT ROWID;

CREATE INDEX paper_repos_by_repo ON paper_repos (repo);

-- The last time each repository was asked about, so a run refreshes the stalest first and
-- gone repositories are not asked about every day.
CREATE TABLE github_repos (
  repo       TEXT PRIMARY KEY,
  stars      INTEGER,
  status     TEXT NOT NULL,                       -- ok | not_found | failed
  checked_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- The whole schema of the PostgreSQL engine, table for table the SQLite engine's
-- (src/store/sqlite/migrations/001-008), so that migrate-db can copy one into the other.
-- Times stay ISO 8601 text and JSON stays text, as there: values round-trip byte for byte.

-- Full-text search: English stemming (as SQLite's porter tokenizer) but no stop words,
-- so a phrase of stop words ("the who") still matches. Accents are folded and
-- punctuation split by the application before text reaches to_tsvector (text-search.ts).
CREATE TEXT SEARCH DICTIONARY paperboy_stem (TEMPLATE = snowball, Language = english);
CREATE TEXT SEARCH CONFIGURATION paperboy (COPY = english);
ALTER TEXT SEARCH CONFIGURATION paperboy
  ALTER MAPPING FOR asciiword, word, hword, hword_part, hword_asciipart, asciihword, numword, hword_numpart WITH paperboy_stem;

CREATE TABLE papers (
  pk               bigserial PRIMARY KEY,
  id               text NOT NULL UNIQUE,
  title            text NOT NULL,
  abstract         text NOT NULL,
  authors          text NOT NULL,                -- JSON [{name, affiliations?}], in paper order
  author_names     text NOT NULL,
  categories       text NOT NULL,                -- space-separated, primary first
  primary_category text,
  comment          text,
  journal_ref      text,
  doi              text,
  license          text,
  latest_version   integer,
  submitted_at     text,
  updated_at       text,
  announced_at     text,
  ingested_at      text NOT NULL,
  modified_at      text NOT NULL,
  change_seq       bigint NOT NULL UNIQUE,       -- see store_sequences
  title_tsv        tsvector NOT NULL,
  authors_tsv      tsvector NOT NULL,
  all_tsv          tsvector NOT NULL             -- title, authors and abstract
);

CREATE INDEX papers_by_recency ON papers ((coalesce(announced_at, substr(submitted_at, 1, 10))) DESC, id DESC);
CREATE INDEX papers_by_submitted ON papers (submitted_at);
CREATE INDEX papers_by_modified ON papers (modified_at);
CREATE INDEX papers_title_fts ON papers USING gin (title_tsv);
CREATE INDEX papers_authors_fts ON papers USING gin (authors_tsv);
CREATE INDEX papers_all_fts ON papers USING gin (all_tsv);

CREATE TABLE paper_versions (
  paper_id     text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  version      integer NOT NULL CHECK (version >= 1),
  submitted_at text,
  size         text,
  PRIMARY KEY (paper_id, version)
);

CREATE TABLE paper_categories (
  category   text NOT NULL,
  paper_id   text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  is_primary integer NOT NULL DEFAULT 0,
  PRIMARY KEY (category, paper_id)
);
CREATE INDEX paper_categories_by_paper ON paper_categories (paper_id);

-- The change sequence of papers. A writer locks this row before it writes papers and
-- numbers them from it, so numbers are handed out in commit order: a sequence
-- (nextval) would not do, because a transaction that took 5 can commit after one that
-- took 6, and a reader that saw 6 would never look at 5 again. The lock makes paper
-- writers take turns, as SQLite's write lock does; they are batches, so that is cheap.
CREATE TABLE store_sequences (
  name  text PRIMARY KEY,
  value bigint NOT NULL
);
INSERT INTO store_sequences (name, value) VALUES ('papers', 0);

CREATE TABLE signals (
  paper_id    text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  kind        text NOT NULL,
  source      text NOT NULL,
  observed_at text NOT NULL,
  value       double precision NOT NULL,
  PRIMARY KEY (paper_id, kind, source, observed_at)
);
CREATE INDEX signals_by_time ON signals (observed_at);

CREATE TABLE harvest_state (
  name                  text PRIMARY KEY,
  next_from             text,
  resumption_token      text,
  current_from          text,
  current_response_date text,
  pages                 integer NOT NULL DEFAULT 0,
  records               integer NOT NULL DEFAULT 0,
  last_success_at       text,
  last_error            text,
  updated_at            text NOT NULL
);

CREATE TABLE votes (
  paper_id   text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  visitor    text NOT NULL,
  created_at text NOT NULL,
  PRIMARY KEY (paper_id, visitor)
);
CREATE INDEX votes_by_time ON votes (created_at);

CREATE TABLE site_secrets (
  name       text PRIMARY KEY,
  value      text NOT NULL,
  created_at text NOT NULL
);

CREATE TABLE trending_features (
  paper_id           text PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
  day                text,
  upvotes            double precision NOT NULL DEFAULT 0,
  local_upvotes      double precision NOT NULL DEFAULT 0,
  comments           double precision NOT NULL DEFAULT 0,
  github_stars       double precision NOT NULL DEFAULT 0,
  views              double precision NOT NULL DEFAULT 0,
  heat_upvotes       double precision NOT NULL DEFAULT 0,
  heat_local_upvotes double precision NOT NULL DEFAULT 0,
  heat_comments      double precision NOT NULL DEFAULT 0,
  heat_github_stars  double precision NOT NULL DEFAULT 0,
  heat_views         double precision NOT NULL DEFAULT 0,
  heat_at            bigint,
  computed_at        text NOT NULL
);
CREATE INDEX trending_features_by_day ON trending_features (day);

-- Papers whose features must be recomputed. `mark` grows with every new reason: a mark
-- added while a recomputation holds the row waits for it (ON CONFLICT DO UPDATE takes
-- the row lock), so it lands after the recomputation's delete and is never lost.
CREATE TABLE trending_dirty (
  paper_id text PRIMARY KEY,
  mark     bigint NOT NULL DEFAULT 1
);

CREATE TABLE trending_state (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE FUNCTION trending_mark(paper text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO trending_dirty (paper_id) VALUES (paper)
  ON CONFLICT (paper_id) DO UPDATE SET mark = trending_dirty.mark + 1;
$$;

CREATE FUNCTION trending_mark_row() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN PERFORM trending_mark(OLD.paper_id); END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN PERFORM trending_mark(NEW.paper_id); END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER trending_signal_changed AFTER INSERT OR UPDATE OR DELETE ON signals FOR EACH ROW EXECUTE FUNCTION trending_mark_row();
CREATE TRIGGER trending_vote_changed AFTER INSERT OR DELETE ON votes FOR EACH ROW EXECUTE FUNCTION trending_mark_row();

-- Momentum depends on the paper's day, so a new date counts (for papers with features).
CREATE FUNCTION trending_mark_dated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM trending_features WHERE paper_id = NEW.id) THEN PERFORM trending_mark(NEW.id); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER trending_paper_dated AFTER UPDATE OF announced_at, submitted_at ON papers FOR EACH ROW
  WHEN (OLD.announced_at IS DISTINCT FROM NEW.announced_at OR OLD.submitted_at IS DISTINCT FROM NEW.submitted_at)
  EXECUTE FUNCTION trending_mark_dated();

CREATE TABLE paper_repos (
  paper_id text NOT NULL REFERENCES papers (id) ON DELETE CASCADE,
  repo     text NOT NULL,
  source   text NOT NULL,
  added_at text NOT NULL,
  PRIMARY KEY (paper_id, repo)
);
CREATE INDEX paper_repos_by_repo ON paper_repos (repo);

CREATE TABLE github_repos (
  repo       text PRIMARY KEY,
  stars      integer,
  status     text NOT NULL,
  checked_at text NOT NULL
);

-- Identity columns never reuse an id: links signed for a removed subscriber never reach a later one.
CREATE TABLE subscribers (
  id                 integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  email              text NOT NULL UNIQUE,
  status             text NOT NULL CHECK (status IN ('pending', 'active', 'paused', 'unsubscribed', 'bouncing')),
  topics             text NOT NULL DEFAULT '[]',
  categories         text NOT NULL DEFAULT '[]',
  topic_mode         text NOT NULL DEFAULT 'only' CHECK (topic_mode IN ('only', 'boost')),
  send_hour          integer NOT NULL CHECK (send_hour BETWEEN 0 AND 23),
  time_zone          text NOT NULL,
  frequency          text NOT NULL CHECK (frequency IN ('daily', 'weekly')),
  weekday            integer NOT NULL DEFAULT 1 CHECK (weekday BETWEEN 0 AND 6),
  consent            text NOT NULL,
  confirm_nonce      text,
  confirm_expires_at text,
  created_at         text NOT NULL,
  updated_at         text NOT NULL,
  confirmed_at       text,
  unsubscribed_at    text,
  next_due_at        text,
  last_digest_date   text,
  last_sent_at       text,
  bounce_count       integer NOT NULL DEFAULT 0,
  notice_day         text,
  notice_count       integer NOT NULL DEFAULT 0
);
CREATE INDEX subscribers_due ON subscribers (next_due_at) WHERE status = 'active';
CREATE INDEX subscribers_unconfirmed ON subscribers (confirm_expires_at) WHERE status = 'pending';

CREATE TABLE digest_editions (
  id          integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  key         text NOT NULL UNIQUE,
  window_from text NOT NULL,
  window_to   text NOT NULL,
  items       text NOT NULL,
  created_at  text NOT NULL
);

CREATE TABLE digest_outbox (
  id              integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  subscriber_id   integer NOT NULL REFERENCES subscribers (id) ON DELETE CASCADE,
  digest_date     text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped', 'superseded', 'cancelled')),
  edition_id      integer REFERENCES digest_editions (id),
  paper_ids       text NOT NULL DEFAULT '[]',
  message_id      text NOT NULL,
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at text NOT NULL,
  lease_owner     text,
  lease_until     text,
  recovered       integer NOT NULL DEFAULT 0,
  last_error      text,
  smtp_response   text,
  created_at      text NOT NULL,
  sent_at         text,
  UNIQUE (subscriber_id, digest_date)
);
CREATE INDEX digest_outbox_ready ON digest_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX digest_outbox_sending ON digest_outbox (lease_until) WHERE status = 'sending';
CREATE INDEX digest_outbox_by_date ON digest_outbox (digest_date, status);

CREATE TABLE paper_vectors (
  model     text NOT NULL,
  paper_pk  bigint NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
  text_hash bigint NOT NULL,
  vector    bytea NOT NULL,
  PRIMARY KEY (model, paper_pk)
);

CREATE TABLE paper_extras (
  paper_id     text PRIMARY KEY REFERENCES papers (id) ON DELETE CASCADE,
  ai_summary   text,
  ai_keywords  text,
  project_page text,
  source       text NOT NULL,
  updated_at   text NOT NULL
);

-- Leases of scheduled work shared by every process on this database (src/store/lease-store.ts).
CREATE TABLE job_leases (
  name  text PRIMARY KEY,
  owner text NOT NULL,
  until text NOT NULL
);

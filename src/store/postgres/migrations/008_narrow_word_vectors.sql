-- Searching: the word vectors move out of `papers` into a table of their own, (paper key,
-- vector), compressed with lz4 and left to PostgreSQL's default storage: a vector too
-- large for a quarter of a page goes to TOAST (in `papers` they were all kept in the row,
-- migration 007). A text condition's bitmap heap scan visits a row for every paper the
-- GIN index proposes; a prefix or an excluded word needs only the key, and on the 74,728
-- papers the narrow table's rows fill 77 MB against 190 MB for `papers`. Measured
-- (docs/benchmarks.md): prefixes and exclusions cost ~40-60 % less server CPU; phrases and
-- title words, which read each candidate's vector back (now sometimes from TOAST), about
-- the same or a little more; ~35 % less in all. No foreign key: papers are never deleted,
-- and a paper's vector is written in the same statement as the paper (papers.ts), so the
-- check would only add an index lookup to every imported paper.
--
-- The title's words are also a small vector of their own (`title_words`: the weight-A
-- part of `words`, positions kept), with its own GIN index: a title condition finds the
-- papers with the word in their title directly, instead of every paper with the word
-- anywhere, each vector then read back to check the weight.
CREATE TABLE paper_word_vectors (
  pk          bigint PRIMARY KEY,
  words       tsvector NOT NULL,
  title_words tsvector NOT NULL
);
DO $$
BEGIN
  ALTER TABLE paper_word_vectors ALTER COLUMN words SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;
INSERT INTO paper_word_vectors (pk, words, title_words) SELECT pk, words, ts_filter(words, '{a}') FROM papers ORDER BY pk;
ALTER TABLE papers DROP COLUMN words; -- and its GIN index
CREATE INDEX paper_word_vectors_words ON paper_word_vectors USING gin (words);
CREATE INDEX paper_word_vectors_title ON paper_word_vectors USING gin (title_words);

CREATE OR REPLACE FUNCTION paper_keys_matching(query text) RETURNS text
  LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT string_agg(pk::text, ',') FROM paper_word_vectors WHERE words @@ to_tsquery('paperboy', query)
$$;

-- The same with conditions on the title's words too (either query may be null: no condition).
CREATE FUNCTION paper_keys_matching(query text, title_query text) RETURNS text
  LANGUAGE plpgsql STABLE SET enable_seqscan = off AS $$
BEGIN
  IF title_query IS NULL THEN
    RETURN paper_keys_matching(query);
  ELSIF query IS NULL THEN
    RETURN (SELECT string_agg(pk::text, ',') FROM paper_word_vectors WHERE title_words @@ to_tsquery('paperboy', title_query));
  END IF;
  RETURN (SELECT string_agg(pk::text, ',') FROM paper_word_vectors
    WHERE words @@ to_tsquery('paperboy', query) AND title_words @@ to_tsquery('paperboy', title_query));
END $$;

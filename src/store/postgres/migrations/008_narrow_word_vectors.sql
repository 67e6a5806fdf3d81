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
CREATE TABLE paper_word_vectors (
  pk    bigint PRIMARY KEY,
  words tsvector NOT NULL
);
DO $$
BEGIN
  ALTER TABLE paper_word_vectors ALTER COLUMN words SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;
INSERT INTO paper_word_vectors (pk, words) SELECT pk, words FROM papers ORDER BY pk;
ALTER TABLE papers DROP COLUMN words; -- and its GIN index
CREATE INDEX paper_word_vectors_words ON paper_word_vectors USING gin (words);

CREATE OR REPLACE FUNCTION paper_keys_matching(query text) RETURNS text
  LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT string_agg(pk::text, ',') FROM paper_word_vectors WHERE words @@ to_tsquery('paperboy', query)
$$;

-- Searching: a phrase's papers are found by reading back the vector of every paper the GIN
-- index proposes, to check the words' positions. A vector is ~2 KB, so PostgreSQL's default
-- storage moved most of them out of the row, into TOAST, and each check then looked the
-- vector up there too. Kept in the row (compressed with lz4 first where it must be, moved
-- out only if a row would not fit a page), the full answer of ten slow phrases on the
-- 74,728 papers took 227-237 ms instead of 331-359, and the server's CPU fell by a third;
-- the import was no slower and the table smaller (docs/benchmarks.md).
--
-- Vectors stored before are copied into a new table, so every row is written anew with
-- this storage (an UPDATE would also re-insert every GIN entry and leave the old rows
-- behind), and the index is built once over the copy.
CREATE TABLE paper_word_vectors_in_line (
  pk    bigint PRIMARY KEY,
  words tsvector NOT NULL
);
DO $$
BEGIN
  ALTER TABLE paper_word_vectors_in_line ALTER COLUMN words SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;
ALTER TABLE paper_word_vectors_in_line ALTER COLUMN words SET STORAGE MAIN;
-- Through text: a value copied as it is would keep its place in TOAST.
INSERT INTO paper_word_vectors_in_line (pk, words) SELECT pk, words::text::tsvector FROM paper_word_vectors ORDER BY pk;
DROP TABLE paper_word_vectors;
ALTER TABLE paper_word_vectors_in_line RENAME TO paper_word_vectors;
ALTER INDEX paper_word_vectors_in_line_pkey RENAME TO paper_word_vectors_pkey;
CREATE INDEX paper_word_vectors_words ON paper_word_vectors USING gin (words);

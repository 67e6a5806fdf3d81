-- One tsvector per paper instead of three (title, authors, all text): the title weighted
-- A, the authors B, the abstract D, each text parsed once, and one GIN index instead of
-- three. Parsing and keeping the three indexes was most of an import's time on the
-- server. Title words and authors are the A and B lexemes of the same vector.
-- Papers already stored get theirs right after this migration, in the same transaction,
-- from text the application folds (migrate.ts): SQL cannot fold accents the same way.

CREATE FUNCTION paper_words(title text, authors text, abstract text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('paperboy', title), 'A') || setweight(to_tsvector('paperboy', authors), 'B') || to_tsvector('paperboy', abstract)
$$;

DROP INDEX papers_title_fts, papers_authors_fts, papers_all_fts;
ALTER TABLE papers DROP COLUMN title_tsv, DROP COLUMN authors_tsv, DROP COLUMN all_tsv, ADD COLUMN words tsvector;
CREATE INDEX papers_words ON papers USING gin (words);

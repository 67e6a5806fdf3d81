-- Searching: a phrase, a title word or an author makes PostgreSQL read the word vector
-- of every paper the GIN index proposes, to check positions and weights. Stored as
-- before (compressed with pglz, then moved out of the row to the TOAST table) each read
-- was an index lookup, a TOAST page and a pglz decompression. Kept in the row (STORAGE
-- MAIN) and compressed with lz4 where the server has it, a read is a page already in hand
-- and a quicker decompression: on 75k papers a phrase went from ~150 to ~30 ms
-- (docs/benchmarks.md), and importing no longer writes every vector twice (row and
-- TOAST index). Stored vectors are written again below, and so take the new form.
ALTER TABLE papers ALTER COLUMN words SET STORAGE MAIN;
DO $$
BEGIN
  ALTER TABLE papers ALTER COLUMN words SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  NULL; -- a server built without lz4 keeps pglz
END $$;

-- Keys of the papers matching a tsquery, as one comma-separated text (text-search.ts).
-- Always through the GIN index: for a common word (an exclusion, "learning") the planner
-- chose to scan the table, computing the match from every paper's vector, 4-10 times
-- slower than the index, which the cost model does not see (it does not count reading
-- and decompressing a vector).
CREATE FUNCTION paper_keys_matching(query text) RETURNS text
  LANGUAGE sql STABLE SET enable_seqscan = off AS $$
  SELECT string_agg(pk::text, ',') FROM papers WHERE words @@ to_tsquery('paperboy', query)
$$;

-- A phrase must not run from the title into the authors, or from the authors into the
-- abstract: FTS5 keeps them in separate columns. `||` numbers the right part's words
-- right after the left part's last, so each part now ends with a placeholder word that
-- is taken out again, leaving a hole of one position between the parts. Stored papers
-- get their vector again right after this migration (migrate.ts).
CREATE OR REPLACE FUNCTION paper_words(title text, authors text, abstract text) RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT ts_delete(setweight(to_tsvector('paperboy', title || ' paperboypartend'), 'A')
    || setweight(to_tsvector('paperboy', authors || ' paperboypartend'), 'B') || to_tsvector('paperboy', abstract), 'paperboypartend')
$$;

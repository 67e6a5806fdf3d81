-- Searching: a phrase, a title word or an author makes PostgreSQL read the word vector
-- of every paper the GIN index proposes, to check positions and weights. Stored as
-- before (compressed with pglz, then moved out of the row to the TOAST table) each read
-- was an index lookup, a TOAST page and a pglz decompression. Kept in the row (STORAGE
-- MAIN) and compressed with lz4 where the server has it, a read is a page already in hand
-- and a quicker decompression: on 75k papers a phrase went from ~150 to ~30 ms
-- (docs/benchmarks.md), and importing no longer writes every vector twice (row and
-- TOAST index). Vectors stored before keep their old form until the paper next changes.
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

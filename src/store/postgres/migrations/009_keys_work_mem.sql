-- Searching: the keys of a text condition's papers come from a bitmap of the rows the GIN
-- index proposes. Once that bitmap outgrows `work_mem` (4 MB by default) it keeps whole
-- pages instead of rows, and every row of every page it keeps is checked again against
-- its vector. At 75k papers, shrinking work_mem so made a common word's keys 2.5-4 times
-- slower (docs/benchmarks.md, run M); at a million papers a common word outgrows the
-- default. The functions get room for an exact bitmap of a few million papers; the
-- setting holds only while they run.
ALTER FUNCTION paper_keys_matching(text) SET work_mem = '32MB';
ALTER FUNCTION paper_keys_matching(text, text) SET work_mem = '32MB';

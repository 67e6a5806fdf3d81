-- How many times votes changed, by any process: pages shared between visitors are dropped
-- when it moves (src/web/middleware/page-cache.ts). One row, moved in the vote's transaction.
CREATE TABLE vote_changes (
  n INTEGER NOT NULL
) STRICT;
INSERT INTO vote_changes (n) VALUES (0);

-- A change sequence for papers: every insert or change of a paper takes the next number
-- of the 'papers' sequence, inside the transaction that writes it and under SQLite's
-- write lock. A later commit therefore always has higher numbers, which the application
-- clock (modified_at) cannot promise when several processes write: a reader that has
-- seen everything up to N finds every later change with `change_seq > N`, and never
-- misses one committed late with an earlier clock.

ALTER TABLE papers ADD COLUMN change_seq INTEGER;

CREATE TABLE store_sequences (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;

-- Papers already stored are numbered in the order they last changed.
UPDATE papers SET change_seq = s.seq
FROM (SELECT pk, row_number() OVER (ORDER BY modified_at, pk) AS seq FROM papers) AS s
WHERE s.pk = papers.pk;

INSERT INTO store_sequences (name, value) VALUES ('papers', (SELECT coalesce(max(change_seq), 0) FROM papers));

CREATE UNIQUE INDEX papers_by_change ON papers (change_seq);

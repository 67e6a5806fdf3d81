// Where PostgreSQL's import work goes, part by part: the papers an import stored, written
// again into empty copies of its tables, one part at a time, in batches as the import
// writes them (papers.ts), in a transaction rolled back after. The server's CPU for each
// part, per paper. A sample of the papers, so the line costs seconds at any size; into
// empty tables, so a GIN index there is smaller than the real one (its inserts cost at
// least this much).

import type pg from 'pg';

const SAMPLE = 20_000;
const BATCH = 2000;

export async function importParts(admin: pg.Client, backendsCpu: () => number): Promise<string> {
  const last = Number((await admin.query('SELECT max(pk) AS pk FROM (SELECT pk FROM papers ORDER BY pk LIMIT $1) s', [SAMPLE])).rows[0].pk ?? 0);
  const papers = Number((await admin.query('SELECT count(*) AS n FROM papers WHERE pk <= $1', [last])).rows[0].n);
  if (!papers) return 'import parts: no papers';
  const batches = (sql: (from: number, to: number) => string) => Array.from({ length: Math.ceil(last / BATCH) }, (_, i) => sql(i * BATCH, (i + 1) * BATCH));
  const usPerPaper = async (statements: string[]) => {
    const c = backendsCpu();
    for (const s of statements) await admin.query(s);
    return ((backendsCpu() - c) * 1e6) / papers;
  };
  await admin.query('BEGIN');
  try {
    await admin.query('CREATE TABLE bench_parts_vectors (LIKE paper_word_vectors INCLUDING ALL)');
    await admin.query('CREATE TABLE bench_parts_vectors_plain (pk bigint PRIMARY KEY, words tsvector NOT NULL)');
    await admin.query('ALTER TABLE bench_parts_vectors_plain ALTER COLUMN words SET STORAGE MAIN');
    await admin.query('CREATE TABLE bench_parts_papers (LIKE papers INCLUDING ALL)');
    await admin.query('CREATE TABLE bench_parts_categories (LIKE paper_categories INCLUDING ALL)');
    const parts: [string, number][] = [
      ['words parsed and stemmed', await usPerPaper(batches((a, b) => `SELECT sum(length(paper_words(title, author_names, abstract))) FROM papers WHERE pk > ${a} AND pk <= ${b}`))],
      ['vectors stored, GIN index', await usPerPaper(batches((a, b) => `INSERT INTO bench_parts_vectors SELECT pk, words FROM paper_word_vectors WHERE pk > ${a} AND pk <= ${b}`))],
      ['vectors stored, no index', await usPerPaper(batches((a, b) => `INSERT INTO bench_parts_vectors_plain SELECT pk, words FROM paper_word_vectors WHERE pk > ${a} AND pk <= ${b}`))],
      ['papers rows and indexes', await usPerPaper(batches((a, b) => `INSERT INTO bench_parts_papers SELECT * FROM papers WHERE pk > ${a} AND pk <= ${b}`))],
      ['categories', await usPerPaper(batches((a, b) => `INSERT INTO bench_parts_categories SELECT c.* FROM paper_categories c JOIN papers p ON p.id = c.paper_id WHERE p.pk > ${a} AND p.pk <= ${b}`))],
    ];
    return `import's server CPU a paper, part by part (${papers.toLocaleString('en-US')} of its papers again, into empty tables): `
      + parts.map(([name, us]) => `${name} ${us.toFixed(0)} µs`).join(', ');
  } finally {
    await admin.query('ROLLBACK');
  }
}

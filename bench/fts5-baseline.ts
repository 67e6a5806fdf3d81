// The plain full-text baseline the search is measured against: SQLite FTS5's bm25() over
// title, authors and abstract, the query's words OR-ed, on the same corpus and queries as
// `paperboy eval`. Prints nDCG@10, recall@100 and MRR@10.
//   npx tsx bench/fts5-baseline.ts --corpus FILE --queries FILE --qrels FILE

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { emptyRecord, type PaperRecord } from '../src/papers/paper.js';
import { readBeirCorpus, readBeirQueries, readQrels } from '../src/search/beir.js';
import { summarise } from '../src/search/metrics.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0 || !process.argv[i + 1]) throw new Error(`usage: tsx bench/fts5-baseline.ts --corpus FILE --queries FILE --qrels FILE (missing --${name})`);
  return process.argv[i + 1]!;
};
const qrels = readQrels(arg('qrels'));
const queries = readBeirQueries(arg('queries')).filter((q) => qrels.has(q.id));
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-fts5-'));
const store = openSqliteStore(path.join(dir, 'fts5.db'));
try {
  await store.migrate();
  let batch: PaperRecord[] = [];
  for await (const doc of readBeirCorpus(arg('corpus'))) {
    batch.push(emptyRecord(doc.id, doc.title, doc.text));
    if (batch.length === 2000) {
      await store.ingest({ papers: batch });
      batch = [];
    }
  }
  await store.ingest({ papers: batch });
  const stmt = store.db.prepare('SELECT p.id FROM papers_fts f JOIN papers p ON p.pk = f.rowid WHERE papers_fts MATCH ? ORDER BY bm25(papers_fts) LIMIT 100');
  const runs = new Map<string, string[]>();
  for (const q of queries) {
    const words = q.text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
    runs.set(q.id, words.length ? (stmt.all(words.map((w) => `"${w}"`).join(' OR ')) as { id: string }[]).map((r) => r.id) : []);
  }
  const s = summarise(runs, qrels);
  process.stdout.write(`FTS5 bm25 OR  ${s.queries} queries  nDCG@10 ${s.ndcg10.toFixed(4)}  recall@100 ${s.recall100.toFixed(4)}  MRR@10 ${s.mrr10.toFixed(4)}\n`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

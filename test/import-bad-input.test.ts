// Broken import files, end to end: `paperboy import` as a child process on real SQLite
// files. A file cut short (gzip or JSON) says `file:line: truncated`, keeps the whole
// records before the cut, prints the summary and exits 65; --strict then writes nothing.
// A byte-order mark loses nothing, oversized fields are refused line by line, control
// characters never reach a page, a feed or the terminal, and category strings such as
// "68U10, 90C26" are parsed so a re-import changes nothing.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { silentLogger } from '../src/logger.js';
import { importFiles } from '../src/ingest/import-files.js';
import { createSearchEngine } from '../src/search/search.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createApp } from '../src/web/app.js';

const ROOT = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-bad-input-'));

function cli(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', db, ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_FORMAT: 'text', LOG_LEVEL: 'info' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function query<T>(db: string, sql: string): T[] {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).all() as T[];
  } finally {
    conn.close();
  }
}
const count = (db: string, sql = 'SELECT count(*) AS n FROM papers') => query<{ n: number }>(db, sql)[0]!.n;
const dumpPapers = (db: string) => JSON.stringify(query(db, 'SELECT id, title, abstract, authors, categories, modified_at FROM papers ORDER BY id'));

const row = (i: number, extra: Record<string, unknown> = {}) => JSON.stringify({
  id: `2503.${String(10_000 + i)}`, title: `Paper number ${i}`, abstract: `Abstract ${i} `.repeat(20),
  authors: [`Author ${i}`], categories: ['cs.LG'], published: '2025-03-18', ...extra,
});
const write = (name: string, content: string | Buffer) => {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
};

test('a truncated .gz says file:line: truncated, keeps the whole lines before, prints the summary, exits 65', () => {
  const gz = gzipSync(Array.from({ length: 3000 }, (_, i) => row(i)).join('\n') + '\n');
  const cut = write('cut.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  const other = write('other.jsonl', row(5000) + '\n');
  const db = path.join(dir, 'cut.db');
  const r = cli(db, 'import', '--batch-size', '500', cut, other);
  assert.equal(r.status, 65, r.stderr);
  assert.match(r.stderr, /cut\.jsonl\.gz:\d+: truncated: the file ends early/);
  assert.doesNotMatch(r.stderr, /unexpected error/);
  assert.match(r.stdout, /Imported 2 files/, 'the summary is printed');
  assert.match(r.stdout, /skipped +1 bad record/);
  const line = Number(/cut\.jsonl\.gz:(\d+): truncated/.exec(r.stderr)![1]);
  assert.equal(count(db), line - 1 + 1, 'every whole line before the cut, and the next file');
});

test('an empty .gz and a cut Hugging Face day: truncated, exit 65, nothing of that day written', () => {
  const empty = write('empty.jsonl.gz', '');
  const day = JSON.stringify([{ paper: { id: '2410.90001', title: 'A', upvotes: 3 } }, { paper: { id: '2410.90002', title: 'B', upvotes: 4 } }], null, 2);
  const cutJson = write('2024-10-16.json', day.slice(0, day.length - 40));
  const cutGz = write('2024-10-17.json.gz', gzipSync(day).subarray(0, 60));
  const db = path.join(dir, 'empty.db');
  const r = cli(db, 'import', empty, cutJson, cutGz);
  assert.equal(r.status, 65, r.stderr);
  assert.match(r.stderr, /empty\.jsonl\.gz:1: truncated/);
  assert.match(r.stderr, /2024-10-16\.json:\d+: truncated: the JSON ends before the array is closed/);
  assert.match(r.stderr, /2024-10-17\.json\.gz:1: truncated/);
  assert.match(r.stdout, /Imported 3 files/);
  assert.equal(count(db), 0);
  assert.equal(count(db, 'SELECT count(*) AS n FROM signals'), 0);
});

test('--strict with a truncated .gz writes nothing', () => {
  const db = path.join(dir, 'strict.db');
  const good = write('good.jsonl', row(1) + '\n');
  assert.equal(cli(db, 'import', good).status, 0);
  const before = dumpPapers(db);
  const gz = gzipSync(Array.from({ length: 2000 }, (_, i) => row(i + 100)).join('\n'));
  const cut = write('strict-cut.jsonl.gz', gz.subarray(0, gz.length - 30));
  const r = cli(db, 'import', '--strict', cut);
  assert.equal(r.status, 65);
  assert.match(r.stderr, /strict-cut\.jsonl\.gz:\d+: truncated/);
  assert.match(r.stderr, /nothing was imported \(--strict\)/);
  assert.equal(dumpPapers(db), before);
});

test('a plain file whose last line stops mid-record says truncated for that line', () => {
  const file = write('mid.jsonl', `${row(1)}\n${row(2).slice(0, 50)}`);
  const r = cli(path.join(dir, 'mid.db'), 'import', file);
  assert.equal(r.status, 65);
  assert.match(r.stderr, /mid\.jsonl:2: truncated: the file ends in the middle of this record/);
});

test('a UTF-8 byte-order mark loses no record (JSON Lines, gzip and a Hugging Face day)', () => {
  const BOM = '\uFEFF';
  const jsonl = write('bom.jsonl', `${BOM}${row(1)}\r\n${row(2)}\r\n`);
  const gz = write('bom.jsonl.gz', gzipSync(`${BOM}${row(3)}\n`));
  const day = write('2024-10-18.json', `${BOM}${JSON.stringify([{ paper: { id: '2410.90003', title: 'With a BOM', upvotes: 2 } }])}`);
  const db = path.join(dir, 'bom.db');
  const r = cli(db, 'import', jsonl, gz, day);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(query<{ id: string }>(db, 'SELECT id FROM papers ORDER BY id').map((p) => p.id), ['2410.90003', '2503.10001', '2503.10002', '2503.10003']);
});

test('oversized fields are refused line by line with the field, its size and the limit', () => {
  const huge = write('huge.jsonl', [
    row(1),
    row(2, { abstract: 'x'.repeat(30_000) }),
    row(3, { title: 'T'.repeat(5_000) }),
    row(4, { abstract: 'y'.repeat(5 * 1024 * 1024) }),
    row(5, { authors: ['N'.repeat(2_000)] }),
    row(6),
  ].join('\n') + '\n');
  const db = path.join(dir, 'huge.db');
  const r = cli(db, 'import', huge);
  assert.equal(r.status, 65);
  assert.match(r.stderr, /huge\.jsonl:2: abstract is 30,000 characters; the limit is 20,000/);
  assert.match(r.stderr, /huge\.jsonl:3: title is 5,000 characters; the limit is 2,000/);
  assert.match(r.stderr, /huge\.jsonl:4: line is 5,24\d,\d{3} bytes; the limit is 4,194,304/);
  assert.match(r.stderr, /huge\.jsonl:5: authors\[0\] is 2,000 characters; the limit is 1,000/);
  assert.deepEqual(query<{ id: string }>(db, 'SELECT id FROM papers ORDER BY id').map((p) => p.id), ['2503.10001', '2503.10006']);
});

test('control characters (NUL, BEL, ESC) never reach the database, pages, feeds or the terminal', async () => {
  const file = write('controls.jsonl', JSON.stringify({
    id: '2503.20001', title: 'Bell\u0007 and \u001b[31mred\u001b[0m escape\u0000s', abstract: 'An abstract\u0000 with\u0007 controls\u009b.',
    authors: ['Eve\u001b]0;pwned\u0007 Hacker'], categories: ['cs.CR'], published: '2025-03-18', comment: 'c\u0008omment',
  }) + '\n');
  const db = path.join(dir, 'controls.db');
  const r = cli(db, 'import', file);
  assert.equal(r.status, 0, r.stderr);
  const CONTROL = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f]/;
  const [p] = query<Record<string, string>>(db, 'SELECT title, abstract, authors, comment FROM papers');
  for (const v of Object.values(p!)) assert.doesNotMatch(v, CONTROL);
  assert.equal(p!.title, 'Bell and [31mred[0m escapes');

  const search = cli(db, 'search', 'escapes');
  assert.equal(search.status, 0, search.stderr);
  assert.match(search.stdout, /Bell and/);
  assert.doesNotMatch(search.stdout, CONTROL);

  const store = openSqliteStore(db);
  try {
    const app = createApp({ store, search: createSearchEngine(store), logger: silentLogger, http: { rateLimit: { perMinute: 0, postsPerMinute: 0 } } });
    for (const url of ['/', '/papers/2503.20001', '/feed.xml', '/feed.atom', '/api/papers/2503.20001', '/papers?q=escapes']) {
      const res = await app.request(url);
      assert.equal(res.status, 200, url);
      assert.doesNotMatch(await res.text(), CONTROL, url);
    }
  } finally {
    await store.close();
  }
});

const CATEGORY_ROWS = [
  row(1, { categories: ['cs.CV', 'cs.NA', 'eess.IV', 'math.NA', '68U10, 90C26'] }),
  row(2, { categories: ['cs.CL', 'cs.AI', 'cs.LG', '68T50 (Primary) 68T07, 68Q32 (Secondary)', 'I.2.6; I.2.7; I.5.1'] }),
  JSON.stringify({ id: '0704.0001', title: 'Kaggle row', abstract: 'x', categories: 'hep-ph  math.CO', versions: [{ version: 'v1', created: 'Mon, 2 Apr 2007 19:18:42 GMT' }] }),
];

test('category strings with spaces, commas and semicolons are split into codes; a re-import changes nothing', () => {
  const file = write('categories.jsonl', CATEGORY_ROWS.join('\n') + '\n');
  const db = path.join(dir, 'categories.db');
  assert.equal(cli(db, 'import', file).status, 0);
  const cats = query<{ id: string; categories: string }>(db, 'SELECT id, categories FROM papers ORDER BY id');
  assert.deepEqual(cats.map((c) => c.categories), [
    'hep-ph math.CO',
    'cs.CV cs.NA eess.IV math.NA 68U10 90C26',
    'cs.CL cs.AI cs.LG 68T50 68T07 68Q32 I.2.6 I.2.7 I.5.1',
  ]);
  assert.equal(count(db, "SELECT count(*) AS n FROM paper_categories WHERE category = '90C26'"), 1);
  const before = dumpPapers(db);
  const again = cli(db, 'import', file);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 new, 0 updated, 3 unchanged/);
  assert.equal(dumpPapers(db), before);
  const junk = cli(db, 'import', write('junk-cat.jsonl', row(9, { categories: ['cs.LG', '<b>x</b>', '68T45 (Machine learning), 92C55 (Biomedical\n imaging)', 'N/A'] }) + '\n'));
  assert.equal(junk.status, 0, junk.stderr);
  assert.equal(query<{ categories: string }>(db, "SELECT categories FROM papers WHERE id = '2503.10009'")[0]!.categories, 'cs.LG 68T45 92C55',
    'words that are not codes are left out');
});

// The real corpus, where the shared data sits beside the repository (or one level up from a worktree).
const REAL = ['../shared/data', '../../shared/data']
  .map((d) => path.resolve(ROOT, d, 'arxiv/daily-arxiv-cs-2025-03-18_2026-07-01.jsonl.gz')).find(existsSync);

test('real data: re-importing the 74,728-paper cs corpus changes nothing', { skip: REAL ? false : 'the daily-arXiv cs corpus (shared data) is not beside the repository' }, async () => {
  const store = openSqliteStore(path.join(dir, 'real.db'));
  try {
    await store.migrate();
    const first = await importFiles(store, [REAL!], { batchSize: 5000 });
    assert.equal(first.bad, 0);
    assert.equal(first.inserted, 74_728);
    const second = await importFiles(store, [REAL!], { batchSize: 5000 });
    assert.deepEqual({ inserted: second.inserted, updated: second.updated, unchanged: second.unchanged }, { inserted: 0, updated: 0, unchanged: 74_728 });
  } finally {
    await store.close();
  }
});

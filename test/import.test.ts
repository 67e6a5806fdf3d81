// End to end: `paperboy import` as a child process on real SQLite files.

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';

const ROOT = path.resolve(import.meta.dirname, '..');
const F = path.join(ROOT, 'test/fixtures/import');
const SHARED = path.resolve(ROOT, '../shared/data');
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-import-'));

function cli(db: string, ...args: string[]) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--db', db, 'import', ...args],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, LOG_FORMAT: 'text', LOG_LEVEL: 'info' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Everything an import decides, without the bookkeeping timestamps. */
function dump(db: string): string {
  const conn = new Database(db, { readonly: true });
  try {
    const cols = `pk, id, title, abstract, authors, author_names, categories, primary_category, comment, journal_ref, doi,
      license, latest_version, submitted_at, updated_at, announced_at`;
    return JSON.stringify({
      papers: conn.prepare(`SELECT ${cols} FROM papers ORDER BY id`).all(),
      versions: conn.prepare('SELECT * FROM paper_versions ORDER BY paper_id, version').all(),
      categories: conn.prepare('SELECT * FROM paper_categories ORDER BY paper_id, category').all(),
      signals: conn.prepare('SELECT * FROM signals ORDER BY paper_id, kind, source, observed_at').all(),
      fts: conn.prepare("SELECT rowid FROM papers_fts WHERE papers_fts MATCH 'small' ORDER BY rowid").all(),
    });
  } finally {
    conn.close();
  }
}

function count(db: string, sql: string): number {
  const conn = new Database(db, { readonly: true });
  try {
    return conn.prepare(sql).pluck().get() as number;
  } finally {
    conn.close();
  }
}

const GOOD = [`${F}/simple.jsonl`, `${F}/kaggle.jsonl`, `${F}/mixed.jsonl.gz`, `${F}/hf-days`];

test('imports both JSONL schemas, gzip and an HF folder; a second import changes nothing', () => {
  const db = path.join(dir, 'good.db');
  const first = cli(db, ...GOOD);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /Imported 4 files .*12 records read/);
  assert.match(first.stdout, /11 new, 0 updated, 1 unchanged/);
  assert.match(first.stdout, /6 added or changed/);
  assert.equal(count(db, 'SELECT count(*) FROM papers'), 11);
  assert.equal(count(db, "SELECT count(*) FROM paper_versions WHERE paper_id = 'astro-ph/0601001'"), 3);
  assert.equal(count(db, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'detector'"), 1, 'indexed for search');
  assert.equal(count(db, "SELECT value FROM signals WHERE paper_id = '2410.90001' AND kind = 'github_stars'"), 42);
  const before = dump(db);

  const again = cli(db, ...GOOD);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /0 new, 0 updated, 12 unchanged/);
  assert.match(again.stdout, /0 added or changed/);
  assert.equal(dump(db), before);
});

test('bad lines are reported as file:line, skipped, and the exit status is 65', () => {
  const db = path.join(dir, 'bad.db');
  const r = cli(db, `${F}/bad.jsonl`, `${F}/hf-2024-10-17.json.gz`);
  assert.equal(r.status, 65);
  assert.match(r.stderr, /bad\.jsonl:2: missing title/);
  assert.match(r.stderr, /bad\.jsonl:3: id "foo" is not an arXiv id/);
  assert.match(r.stderr, /bad\.jsonl:4: invalid JSON: /);
  assert.match(r.stderr, /hf-2024-10-17\.json\.gz:item 2: missing paper\.id/);
  assert.match(r.stdout, /skipped +8 bad records/);
  const ids = new Database(db, { readonly: true }).prepare('SELECT id FROM papers ORDER BY id').pluck().all();
  assert.deepEqual(ids, ['2410.90001', '2503.00010', '2503.00015']);
});

test('a flood of bad lines is printed up to a cap, then counted', () => {
  const file = path.join(dir, 'many-bad.jsonl');
  writeFileSync(file, Array.from({ length: 30 }, (_, i) => `{"id": "nope${i}"}`).join('\n') + '\n');
  const r = cli(path.join(dir, 'many.db'), file);
  assert.equal(r.status, 65);
  assert.equal(r.stderr.match(/many-bad\.jsonl:\d+:/g)?.length, 20);
  assert.match(r.stderr, /and 10 more bad records not shown/);
});

test('--strict with one bad line leaves the database untouched', () => {
  const db = path.join(dir, 'strict.db');
  assert.equal(cli(db, `${F}/simple.jsonl`).status, 0);
  const before = dump(db);
  const mixed = path.join(dir, 'one-bad.jsonl');
  writeFileSync(mixed, [
    JSON.stringify({ id: '2503.00099', title: 'Would be new', abstract: 'x', authors: [], categories: ['cs.AI'] }),
    JSON.stringify({ id: '2503.00001', title: 'Would change a title', abstract: 'x', authors: [], categories: ['cs.AI'] }),
    '{"id": "2503.00098", "title": ',
  ].join('\n'));
  const r = cli(db, '--strict', `${F}/kaggle.jsonl`, mixed);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /one-bad\.jsonl:3: truncated: the file ends in the middle of this record/);
  assert.match(r.stderr, /nothing was imported \(--strict\)/);
  assert.equal(dump(db), before);
});

test('missing files and bad flags get a clear message', () => {
  const r = cli(path.join(dir, 'x.db'), path.join(dir, 'nope.jsonl'));
  assert.equal(r.status, 66);
  assert.match(r.stderr, /No such file or folder/);
  const b = cli(path.join(dir, 'x.db'), '--batch-size', '0', `${F}/simple.jsonl`);
  assert.equal(b.status, 65);
  assert.match(b.stderr, /--batch-size must be a positive integer/);
});

const OAI = path.join(SHARED, 'arxiv/oai-arxiv-format_0704.0001-0707.1829_harvested-2018-06-17.jsonl.gz');
const HF_DAYS = ['2024-05-27', '2025-07-22', '2026-08-21'].map((d) => path.join(SHARED, `hf-daily/raw/${d}.json.gz`));
const haveShared = existsSync(OAI) && HF_DAYS.every(existsSync);

test('real data: 15,000 OAI-format papers and three HF days', { skip: haveShared ? false : `shared data not found under ${SHARED}` }, () => {
  const db = path.join(dir, 'real.db');
  const r = cli(db, '--batch-size', '5000', OAI, ...HF_DAYS);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(count(db, 'SELECT count(*) FROM papers'), 15_046);
  assert.equal(count(db, "SELECT count(*) FROM papers WHERE id LIKE '07%' AND announced_at IS NOT NULL"), 15_000);
  assert.equal(count(db, 'SELECT count(*) FROM signals'), 112);
  assert.equal(count(db, "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH 'diphoton'") > 0, true);
});

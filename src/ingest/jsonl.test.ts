import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { parseJsonlLine, readJsonl, type LineResult } from './jsonl.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/import');

async function readAll(file: string): Promise<LineResult[]> {
  const out: LineResult[] = [];
  for await (const r of readJsonl(file)) out.push(r);
  return out;
}

const records = (rs: LineResult[]) => rs.flatMap((r) => ('record' in r ? [r.record] : []));

test('simple rows: authors, categories, dates, old-style ids, blank lines skipped', async () => {
  const rs = await readAll(path.join(FIXTURES, 'simple.jsonl'));
  assert.deepEqual(rs.map((r) => r.line), [1, 2, 4, 5], 'line numbers count the blank line');
  const [a, , old, timed] = records(rs);
  assert.equal(a!.title, 'Sparse Routers for Small Models', 'whitespace collapsed');
  assert.deepEqual(a!.authors, [{ name: 'Ada Lovelace' }, { name: 'Alan Turing' }]);
  assert.deepEqual(a!.categories, ['cs.CL', 'cs.LG']);
  assert.equal(a!.announcedAt, '2025-03-18');
  assert.equal(a!.submittedAt, null, 'a bare date is the announcement, not the submission');
  assert.equal(a!.comment, '12 pages');
  assert.equal(old!.id, 'hep-th/9901001');
  assert.equal(old!.journalRef, 'Phys. Lett. B 1 (1999) 1');
  assert.equal(old!.doi, '10.1000/example.1');
  assert.equal(old!.updatedAt, '1999-02-10');
  assert.equal(timed!.announcedAt, '2024-05-24');
  assert.equal(timed!.submittedAt, '2024-05-24T17:59:01.000Z');
  assert.deepEqual(timed!.categories, [], 'categories are optional');
});

test('Kaggle snapshot rows: versions sorted, authors from authors_parsed, fallbacks', async () => {
  const [multi, old, plain] = records(await readAll(path.join(FIXTURES, 'kaggle.jsonl')));
  assert.equal(multi!.id, '0704.9001');
  assert.equal(multi!.title, 'Radiant Matter and Small Detectors');
  assert.equal(multi!.abstract, 'We describe a small detector. It is very small.');
  assert.deepEqual(multi!.authors.map((a) => a.name), ['M. Curie', 'P. Curie', 'H. Becquerel Jr']);
  assert.deepEqual(multi!.categories, ['physics.ins-det', 'hep-ex']);
  assert.deepEqual(multi!.versions, [
    { version: 1, submittedAt: '2007-04-02T19:18:42.000Z' },
    { version: 2, submittedAt: '2007-07-24T20:10:27.000Z' },
  ]);
  assert.equal(multi!.submittedAt, '2007-04-02T19:18:42.000Z');
  assert.equal(multi!.updatedAt, '2008-11-13');
  assert.equal(multi!.license, 'http://arxiv.org/licenses/nonexclusive-distrib/1.0/');
  assert.equal(multi!.journalRef, 'J. Rad. 1 (2007) 1');
  assert.equal(old!.id, 'math/0211159');
  assert.equal(old!.comment, null);
  assert.deepEqual(plain!.authors.map((a) => a.name), ['N. Bohr', 'W. Heisenberg'], 'split from the author string');
});

test('gzip is recognised by its magic bytes, whatever the name', async () => {
  const gz = await readAll(path.join(FIXTURES, 'mixed.jsonl.gz'));
  assert.deepEqual(records(gz).map((r) => r.id), ['2502.00020', 'astro-ph/0601001']);
  assert.equal(records(gz)[1]!.versions.length, 3);
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-jsonl-'));
  const misnamed = path.join(dir, 'rows.jsonl');
  copyFileSync(path.join(FIXTURES, 'mixed.jsonl.gz'), misnamed);
  assert.equal(records(await readAll(misnamed)).length, 2);
});

test('bad lines get a precise reason and do not stop the file', async () => {
  const rs = await readAll(path.join(FIXTURES, 'bad.jsonl'));
  const reasons = rs.flatMap((r) => ('reason' in r ? [`${r.line}: ${r.reason}`] : []));
  assert.deepEqual(records(rs).map((r) => r.id), ['2503.00010', '2503.00015']);
  assert.equal(reasons.length, 6);
  assert.equal(reasons[0], '2: missing title');
  assert.equal(reasons[1], '3: id "foo" is not an arXiv id');
  assert.match(reasons[2]!, /^4: invalid JSON: /);
  assert.equal(reasons[3], '5: authors[1]: expected string, received number');
  assert.equal(reasons[4], '6: published "yesterday" is not a date');
  assert.equal(reasons[5], '7: not a JSON object');
});

test('more reasons, line by line', () => {
  const reason = (v: unknown) => {
    const r = parseJsonlLine(JSON.stringify(v));
    return 'reason' in r ? r.reason : 'ok';
  };
  assert.equal(reason({ id: '2501.00001', title: '  ', abstract: '', authors: [] }), 'empty title');
  assert.equal(reason({ id: '2501.00001', title: 't', authors: [] }), 'missing abstract');
  assert.equal(reason({ id: '2513.00001', title: 't', abstract: '', authors: [] }), 'id "2513.00001" is not an arXiv id');
  assert.equal(reason({ id: '2501.00001', title: 't', abstract: '', categories: 'cs.AI', versions: [{ version: 'v1', created: 'soon' }] }),
    'versions[0].created "soon" is not a date');
  assert.equal(reason({ id: '2501.00001v3', title: 't', abstract: '', authors: [] }), 'ok', 'a versioned id is accepted');
});

test('a truncated gzip ends with a "truncated" result at the cut line, not silently early', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-jsonl-'));
  const line = JSON.stringify({ id: '2501.00001', title: 't', abstract: 'a'.repeat(200), authors: [] });
  const gz = gzipSync(Array.from({ length: 2000 }, () => line).join('\n'));
  const file = path.join(dir, 'cut.jsonl.gz');
  writeFileSync(file, gz.subarray(0, gz.length - 20));
  const rs = await readAll(file);
  const last = rs.at(-1)!;
  assert.ok('reason' in last && /^truncated: the file ends early/.test(last.reason), JSON.stringify(last));
  assert.equal(records(rs).length, last.line - 1, 'every whole line before the cut is a record');
  assert.ok(last.line > 1000 && last.line <= 2000);
});

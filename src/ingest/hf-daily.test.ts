import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { dayFromFileName, parseHfItem, readHfDaily } from './hf-daily.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../test/fixtures/import');

test('an HF day: papers without hidden authors, signals stamped with the file date', async () => {
  const items = await readHfDaily(path.join(FIXTURES, 'hf-days/2024-10-16.json'));
  assert.equal(items.length, 3);
  const ok = (i: number) => {
    const it = items[i];
    assert.ok(it && 'record' in it, JSON.stringify(it));
    return it;
  };
  const [first, older, sparse] = [ok(0), ok(1), ok(2)];
  assert.equal(first.record.id, '2410.90001');
  assert.equal(first.record.title, 'Tiny Models Dream Big');
  assert.equal(first.record.abstract, 'An abstract with line breaks as the API sends it.');
  assert.deepEqual(first.record.authors, [{ name: 'Visible Author' }, { name: 'Second Visible' }]);
  assert.equal(first.record.submittedAt, '2024-10-15T16:57:44.000Z');
  assert.deepEqual(first.record.categories, []);
  assert.deepEqual(first.signals.map((s) => [s.kind, s.value, s.source, s.observedAt]), [
    ['upvotes', 16, 'hf-daily', '2024-10-16T23:59:59Z'],
    ['comments', 3, 'hf-daily', '2024-10-16T23:59:59Z'],
    ['github_stars', 42, 'hf-daily', '2024-10-16T23:59:59Z'],
  ]);
  assert.deepEqual(older.signals.map((s) => s.kind), ['upvotes'], 'absent counts are not zero');
  assert.equal(sparse.record.abstract, '');
  assert.equal(sparse.record.submittedAt, null);
  assert.deepEqual(sparse.signals.map((s) => [s.kind, s.value]), [['upvotes', 7], ['comments', 0]]);
});

test('gzipped day with bad items: strict on id and title only', async () => {
  const items = await readHfDaily(path.join(FIXTURES, 'hf-2024-10-17.json.gz'));
  assert.deepEqual(items.map((it) => ('reason' in it ? `${it.item}: ${it.reason}` : it.record.id)), [
    '2410.90001', '2: missing paper.id', '3: missing title',
  ]);
});

test('without a date in the file name, the item date is used', () => {
  assert.equal(dayFromFileName('/x/daily_papers_2024-10-16.json.gz'), '2024-10-16');
  assert.equal(dayFromFileName('today.json'), null);
  const r = parseHfItem({ paper: { id: '2410.00001', title: 't', upvotes: 1 }, publishedAt: '2024-10-16T01:56:29.759Z' }, null);
  assert.ok('signals' in r);
  assert.equal(r.signals[0]!.observedAt, '2024-10-16T23:59:59Z');
  const none = parseHfItem({ paper: { id: '2410.00001', title: 't', upvotes: 1 } }, null);
  assert.ok('reason' in none && /no date/.test(none.reason));
  const wrongType = parseHfItem({ paper: { id: '2410.00001', title: 't', upvotes: 'many' } }, '2024-10-16');
  assert.ok('reason' in wrongType);
  assert.equal(wrongType.reason, 'paper.upvotes: expected number, received string');
});

test('a file that is not an array is rejected as a whole', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-hf-'));
  const obj = path.join(dir, '2024-10-18.json');
  writeFileSync(obj, JSON.stringify({ error: 'rate limited' }));
  await assert.rejects(readHfDaily(obj), /expected the JSON array/);
  const broken = path.join(dir, '2024-10-20.json');
  writeFileSync(broken, '[{"paper": ');
  await assert.rejects(readHfDaily(broken), /2024-10-20\.json:1: truncated/);
  const invalid = path.join(dir, '2024-10-21.json');
  writeFileSync(invalid, '[\n{"paper": 1}\n}]');
  await assert.rejects(readHfDaily(invalid), /2024-10-21\.json:3: invalid JSON/);
});

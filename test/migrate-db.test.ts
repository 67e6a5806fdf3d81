// `paperboy migrate-db`: a SQLite database copied into PostgreSQL and back, every table
// verified; a copy cut short resumes; a copy that differs is reported. Real SQLite
// files, a real PostgreSQL server, the real command line.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { copyDatabase, openSide, verify } from '../src/store/copy/copy.js';
import type { Side } from '../src/store/copy/sides.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { keysById, plan, record, subscriber } from './contract/fixtures.js';
import { repoRoot } from './faults/support.js';
import { testPostgres, type TestPostgres } from './support/postgres.js';

const server = await testPostgres();
const skip = 'skip' in server ? server.skip : false;
const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-migrate-db-'));
const source = path.join(dir, 'source.db');
after(async () => { if (!('skip' in server)) await server.stop(); });

before(async () => {
  const store = openSqliteStore(source);
  await store.migrate();
  const papers = Array.from({ length: 2500 }, (_, i) => record(`2503.${String(i).padStart(5, '0')}`, { title: `Paper ${i} on café networks` }));
  await store.ingest({ papers, signals: [{ paperId: '2503.00001', kind: 'upvotes', source: 'hf-daily', observedAt: '2025-03-18T00:00:00.000Z', value: 7.5 }] });
  await store.addVote('2503.00002', 'visitor');
  await store.secret('vote-key');
  await store.saveExtras([{ paperId: '2503.00003', aiSummary: 'Short.', aiKeywords: ['x'], projectPage: null, source: 'hf-daily' }]);
  await store.saveRepoLinks([{ paperId: '2503.00003', repo: 'lab/model', source: 'hf-daily' }]);
  await store.savePaperVectors('m', [{ key: 1, textHash: -5, vector: Float32Array.from([0.25, -1]) }]);
  const s = await subscriber(store, 'reader@example.org');
  await store.changePersonal(s.id, {
    link: 'more:2503.00001:2026-06-01', feedback: [{ paperId: '2503.00001', kind: 'more' }], rules: { add: [{ kind: 'hide-word', value: 'quantum' }, { kind: 'follow-author', value: 'Ada Lovelace', papers: ['2503.00001'] }] },
    library: { add: [{ key: 'arxiv:2503.00002', paperId: '2503.00002', source: 'save', item: { id: '2503.00002', type: 'article', title: 'Saved' } }] },
  }, '2026-06-01T00:00:00.000Z');
  await subscriber(store, 'gone@example.org');
  await store.changeSubscriber({ email: 'gone@example.org' }, () => ({ result: null, remove: true }));
  const edition = await store.saveEdition('e', { windowFrom: '2026-06-01', windowTo: '2026-06-01', items: [{ paperId: '2503.00001', why: 'new' }] }, '2026-06-01T00:00:00.000Z');
  await store.planDigests([plan(s, '2026-06-01', { editionId: edition, paperIds: ['2503.00001'] })], '2026-06-01T07:00:00.000Z');
  await store.setAlertSettings(s.id, { 'saved-version': false }, '2026-06-01T00:00:00.000Z');
  await store.planAlerts([{ subscriberId: s.id, key: '2026-06-01 alerts abc', messageId: '<alerts.x@y>', editionId: edition, items: [{ kind: 'followed-author', paperId: '2503.00001', version: 1 }] }], '2026-06-01T08:00:00.000Z');
  await store.moveAlertCursor(3, '2026-06-01T08:00:00.000Z');
  await store.close();
});

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn' } });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out, err })));
}

test('a SQLite database copied into PostgreSQL and back is the same, and the copy works as a store', { skip, timeout: 120_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const there = await cli(['migrate-db', '--from', source, '--to', url]);
  assert.equal(there.code, 0, there.err);
  assert.match(there.out, /Copied and verified \d+ rows in 25 tables/);

  const store = openPostgresStore(url);
  assert.deepEqual(await store.getPaper('2503.00042'), await (async () => { const s = openSqliteStore(source); const p = await s.getPaper('2503.00042'); await s.close(); return p; })());
  const cafeNetworks = { clauses: [[{ kind: 'phrase' as const, text: 'cafe networks' }]], title: [], authors: [], excluded: [] };
  const allKeys = async (s: Parameters<typeof keysById>[0]) => [...(await keysById(s)).values()];
  assert.equal((await store.papersMeeting(cafeNetworks, await allKeys(store))).size, 2500, 'the full-text columns were filled');
  assert.deepEqual((await store.voteSummaries(['2503.00002'], 'visitor')).get('2503.00002'), { local: 1, imported: 0, voted: true });
  const reader = await store.findSubscriber('reader@example.org');
  assert.equal((await store.getDigest(reader!.id, '2026-06-01'))?.status, 'pending');
  const next = await subscriber(store, 'new@example.org');
  assert.ok(next.id > reader!.id + 1, 'new ids continue after the copied ones (and the removed one)');
  const sourceStore = openSqliteStore(source);
  assert.deepEqual(await store.personalProfiles([reader!.id]), await sourceStore.personalProfiles([reader!.id]), 'what the subscriber taught the digest came along');
  assert.deepEqual(await store.alertSettings(reader!.id), { 'followed-author': true, 'saved-version': false }, 'alert choices came along');
  assert.equal(await store.alertCursor(), 3);
  assert.equal(await store.changePersonal(reader!.id, { link: 'more:2503.00001:2026-06-01' }, '2026-06-02T00:00:00.000Z'), false, 'a used link stays used');
  const copiedSeq = (await store.contentVersion()).changeSeq;
  assert.equal(copiedSeq, (await sourceStore.contentVersion()).changeSeq);
  await sourceStore.close();
  await store.ingest({ papers: [record('2503.99999')] });
  assert.equal((await store.contentVersion()).changeSeq, copiedSeq + 1, 'the change sequence continues');
  await store.close();

  const back = path.join(dir, 'back.db');
  const returned = await cli(['migrate-db', '--from', url, '--to', back]);
  assert.equal(returned.code, 0, returned.err);
  const copy = openSqliteStore(back);
  assert.equal((await copy.findSubscriber('new@example.org'))?.id, next.id);
  assert.equal((await copy.papersMeeting(cafeNetworks, await allKeys(copy))).size, 2501 - 1);
  await copy.close();
});

test('a copy cut short resumes where it stopped; a copy that differs is reported', { skip, timeout: 120_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const from = await openSide(source);
  const cut = await openSide(url);
  let pages = 0;
  const failing: Side = { ...cut, write: async (t, rows) => { if (++pages === 2) throw new Error('connection lost'); return cut.write(t, rows); } };
  await assert.rejects(copyDatabase(from, failing), /connection lost/);
  await cut.close();
  const to = await openSide(url);
  const written: string[] = [];
  const summary = await copyDatabase(from, { ...to, write: async (t, rows) => { written.push(t.name); return to.write(t, rows); } });
  assert.equal(summary.tables.find((t) => t.table === 'papers')?.rows, 2500);
  assert.equal(written.filter((t) => t === 'papers').length, 3, 'papers are read again in pages and only what is missing written');
  const db = new pg.Client(url);
  await db.connect();
  await db.query(`UPDATE signals SET value = 8 WHERE paper_id = '2503.00001'`);
  await db.end();
  await assert.rejects(verify(from, to), /differs from the source in signals \(1 rows, copy has 1 with other values\)/);
  await to.close();
  await from.close();
});

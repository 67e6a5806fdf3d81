// End-to-end OAI-PMH harvesting against a local fake arXiv and real SQLite files:
// pagination, checkpoints, injected failures, OAI errors, and a harvest CLI killed mid-way.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { PaperboyError } from '../src/errors.js';
import { runHarvest, type HarvestOptions } from '../src/ingest/harvest.js';
import { createPoliteHttpClient } from '../src/ingest/polite-http.js';
import { createLogger, silentLogger } from '../src/logger.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { paperIds } from './support/paper-ids.js';
import { CHAIN_IDS, fixture, inject, startFakeOai, type FakeOai } from './support/fake-oai.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tmp = mkdtempSync(path.join(tmpdir(), 'paperboy-harvest-'));
let dbCount = 0;
async function openStore() {
  const store = openSqliteStore(path.join(tmp, `h${++dbCount}.db`));
  await store.migrate();
  return store;
}

let oai: FakeOai;
before(async () => { oai = await startFakeOai(); });
beforeEach(() => { oai.requests.length = 0; oai.injections.clear(); oai.answer = undefined; });
after(() => oai.close());

const now = () => new Date('2025-03-20T09:00:00Z');
function harvest(store: Awaited<ReturnType<typeof openStore>>, over: Partial<HarvestOptions> = {}, lines?: string[]) {
  const logger = lines ? createLogger({ write: (l) => lines.push(l) }) : silentLogger;
  const http = createPoliteHttpClient({ minIntervalMs: 5, maxRetries: 4, maxRetryAfterMs: 20, logger });
  return runHarvest({ store, http, logger, now }, { baseUrl: oai.url, metadataPrefix: 'arXivRaw', sets: ['cs'], firstHarvestDays: 3, ...over });
}

describe('OAI-PMH harvest', () => {
  test('follows the token chain through 503, 429, a dropped connection and a malformed page', async () => {
    const store = await openStore();
    oai.injections.set('', [inject.status(503, { 'Retry-After': '1' }), inject.status(429)]);
    oai.injections.set('7000|3', [inject.drop(), inject.body(fixture('malformed.xml'))]);
    const pages: number[] = [];
    const lines: string[] = [];
    const s = await harvest(store, { onPage: (p) => pages.push(p.records) }, lines);
    assert.deepEqual(pages, [2, 4, 5]);
    assert.deepEqual(await paperIds(store), [...CHAIN_IDS].sort());
    assert.equal(s.pages, 3);
    assert.equal(s.records, 5);
    assert.equal(s.inserted, 5);
    assert.deepEqual({ deleted: s.harvests[0]!.deleted, skipped: s.harvests[0]!.skipped }, { deleted: 1, skipped: 1 });
    const first = oai.requests[0]!;
    assert.deepEqual(Object.fromEntries(first), { verb: 'ListRecords', metadataPrefix: 'arXivRaw', set: 'cs', from: '2025-03-17' });
    assert.deepEqual(oai.requests.map((q) => q.get('resumptionToken')), [null, null, null, '7000|3', '7000|3', '7000|3', '7000|6']);
    assert.ok(lines.some((l) => /WARN .*retrying.*HTTP 503.*waitMs=20/.test(l)), 'Retry-After capped and logged');
    assert.ok(lines.some((l) => /WARN .*malformed page/.test(l)));
    const state = await store.getHarvestState('oai:arXivRaw:cs');
    assert.equal(state?.resumptionToken, null);
    assert.equal(state?.nextFrom, '2025-03-20', 'the first page responseDate');
    assert.equal(state?.lastSuccessAt, now().toISOString());
    assert.equal(state?.pages, 3);
    const p = await store.getPaper('hep-th/9901001');
    assert.deepEqual(p?.versions.map((v) => v.version), [1, 2, 3]);

    // The next run is incremental: it starts from nextFrom, and noRecordsMatch is a success.
    oai.requests.length = 0;
    oai.answer = (q) => (q.get('from') === '2025-03-20' ? fixture('error-noRecordsMatch.xml') : undefined);
    const again = await harvest(store);
    assert.equal(oai.requests.length, 1);
    assert.equal(again.records, 0);
    assert.equal((await store.getHarvestState('oai:arXivRaw:cs'))?.nextFrom, '2025-03-20');
    await store.close();
  });

  test('an expired token restarts the harvest from its from date', async () => {
    const store = await openStore();
    await store.saveHarvestState({ name: 'oai:arXivRaw:all', nextFrom: '2025-03-01', resumptionToken: 'expired|9', currentFrom: '2025-03-10',
      currentResponseDate: '2025-03-10T00:00:00Z', pages: 4, records: 4000, lastSuccessAt: null, lastError: null, updatedAt: now().toISOString() });
    const s = await harvest(store, { sets: [] });
    assert.equal(oai.requests[0]!.get('resumptionToken'), 'expired|9');
    assert.deepEqual(Object.fromEntries(oai.requests[1]!), { verb: 'ListRecords', metadataPrefix: 'arXivRaw', from: '2025-03-10' });
    assert.equal(s.records, 5);
    const state = await store.getHarvestState('oai:arXivRaw:all');
    assert.equal(state?.pages, 3, 'counts start again with the restarted harvest');
    assert.equal(state?.nextFrom, '2025-03-20');
    await store.close();
  });

  test('badArgument fails with the OAI code and records lastError', async () => {
    const store = await openStore();
    oai.answer = () => fixture('error-badArgument.xml');
    await assert.rejects(harvest(store, { from: '2025-01-01' }), (e: unknown) =>
      e instanceof PaperboyError && e.code === 'upstream_protocol' && /^arXiv OAI-PMH error badArgument: Illegal argument/.test(e.message));
    assert.match((await store.getHarvestState('oai:arXivRaw:cs'))?.lastError ?? '', /badArgument/);
    await assert.rejects(harvest(store, { from: '2025-1-1' }), /--from must be a date YYYY-MM-DD/);
    await store.close();
  });

  test('a page that stays malformed stops the harvest; the next run resumes from the saved token', async () => {
    const store = await openStore();
    oai.injections.set('7000|3', [0, 1, 2].map(() => inject.body(fixture('malformed.xml'))));
    await assert.rejects(harvest(store), /Malformed OAI-PMH response: .*resumptionToken=7000/);
    let state = await store.getHarvestState('oai:arXivRaw:cs');
    assert.equal(state?.resumptionToken, '7000|3');
    assert.match(state?.lastError ?? '', /Malformed/);
    assert.deepEqual(await paperIds(store), ['2503.10001', 'cs/9901001']);
    oai.requests.length = 0;
    const s = await harvest(store);
    assert.equal(s.harvests[0]!.resumed, true);
    assert.equal(oai.requests[0]!.get('resumptionToken'), '7000|3');
    state = await store.getHarvestState('oai:arXivRaw:cs');
    assert.deepEqual([state?.pages, state?.records, state?.lastError, state?.resumptionToken], [3, 5, null, null]);
    await store.close();
  });
});

describe('paperboy harvest (CLI)', () => {
  function cli(args: string[], env: Record<string, string> = {}) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: repoRoot, env: { ...process.env, PAPERBOY_REQUEST_INTERVAL_MS: '10', LOG_FORMAT: 'text', ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((resolve) =>
      child.on('close', (code, signal) => resolve({ code, signal, out, err })));
    return { child, exited };
  }

  test('killed after page 2, a restart resumes from the saved token with no gap', async () => {
    const db = path.join(tmp, 'kill.db');
    let reached!: () => void;
    const stalled = new Promise<void>((r) => (reached = r));
    oai.injections.set('7000|6', [inject.stall(reached)]);
    const first = cli(['--db', db, 'harvest', '--url', oai.url, '--set', 'cs']);
    await stalled; // page 3 was requested, so page 2 and its checkpoint are committed
    first.child.kill('SIGKILL');
    assert.equal((await first.exited).signal, 'SIGKILL');

    const store = openSqliteStore(db);
    const mid = await store.getHarvestState('oai:arXivRaw:cs');
    assert.deepEqual([mid?.resumptionToken, mid?.pages, mid?.records], ['7000|6', 2, 4]);
    oai.requests.length = 0;
    const second = await cli(['--db', db, 'harvest', '--url', oai.url, '--set', 'cs']).exited;
    assert.equal(second.code, 0, second.err);
    assert.match(second.out, /oai:arXivRaw:cs .*\(resumed\): 1 pages, 1 records/);
    assert.match(second.err, /page harvested .*pages=3 records=5 of=6/);
    assert.deepEqual(oai.requests.map((q) => q.get('resumptionToken')), ['7000|6']);
    assert.deepEqual(await paperIds(store), [...CHAIN_IDS].sort(), 'each paper once');
    const done = await store.getHarvestState('oai:arXivRaw:cs');
    assert.equal(done?.resumptionToken, null);
    assert.match(done?.nextFrom ?? '', /^2025-03-20$/);
    await store.close();
  });

  test('an unreachable server exits non-zero with a one-line reason', async () => {
    const cfg = path.join(tmp, 'few-retries.json');
    writeFileSync(cfg, JSON.stringify({ harvest: { maxRetries: 1 } }));
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const r = await cli(['--config', cfg, '--db', path.join(tmp, 'down.db'), 'harvest', '--url', `http://127.0.0.1:${port}/oai`], { LOG_LEVEL: 'silent' }).exited;
    assert.equal(r.code, 69);
    assert.equal(r.err, `paperboy: arXiv OAI-PMH: GET http://127.0.0.1:${port}/oai?verb=ListRecords&metadataPrefix=arXivRaw&set=cs&from=` +
      `${new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10)} unavailable after 1 retries: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });
});

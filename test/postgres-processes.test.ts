// Several `serve` processes on one PostgreSQL database, as real processes: two workers
// started together harvest arXiv once between them (each page fetched once), and a web
// process sees papers another process writes in its search within seconds.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { record } from './contract/fixtures.js';
import { repoRoot } from './faults/support.js';
import { startFakeOai } from './support/fake-oai.js';
import { testPostgres, type TestPostgres } from './support/postgres.js';

const server = await testPostgres();
const skip = 'skip' in server ? server.skip : false;
after(async () => { if (!('skip' in server)) await server.stop(); });

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

function serve(url: string, args: string[], env: Record<string, string> = {}) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paperboy-serve-pg-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, '--db', url, '--log-format', 'json', 'serve', ...args], {
    cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'info', PAPERBOY_SEMANTIC: 'false', ...env }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  const proc = { child, log: '', exited: new Promise((resolve) => child.once('exit', resolve)) };
  child.stderr!.on('data', (d: Buffer) => { proc.log += d.toString(); });
  return proc;
}

async function until(what: string, ok: () => Promise<boolean> | boolean, ms = 60_000): Promise<void> {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(100)) if (await ok()) return;
  assert.fail(`timed out waiting for ${what}`);
}

test('two worker processes started together harvest each arXiv page once between them', { skip, timeout: 120_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const oai = await startFakeOai();
  const env = { PAPERBOY_OAI_URL: oai.url, PAPERBOY_REQUEST_INTERVAL_MS: '0', PAPERBOY_SETS: 'cs', PAPERBOY_HF_SIGNALS: 'false', PAPERBOY_GITHUB_SIGNALS: 'false' };
  const workers = [serve(url, ['--role', 'worker', '--no-digest'], env), serve(url, ['--role', 'worker', '--no-digest'], env)];
  const store = openPostgresStore(url);
  try {
    await until('both workers', () => workers.every((w) => w.log.includes('Paperboy is working')));
    await until('the harvest', async () => !!(await store.getHarvestState('oai:arXivRaw:cs'))?.lastSuccessAt);
    await sleep(1500); // time for a second harvest, were one to start
    assert.deepEqual(oai.requests.map((q) => q.get('resumptionToken') ?? ''), ['', '7000|3', '7000|6'], 'each page fetched once');
    assert.equal((await store.stats()).papers, 5);
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await store.close();
    await oai.close();
  }
});

test('a web process finds in search the papers another process writes', { skip, timeout: 120_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const port = await freePort();
  const web = serve(url, ['--role', 'web', '--port', String(port)]);
  const store = openPostgresStore(url);
  try {
    await store.migrate();
    await until('the web process', () => web.log.includes('Paperboy is serving'));
    const found = async (q: string) => (await (await fetch(`http://127.0.0.1:${port}/api/papers/search?q=${encodeURIComponent(q)}`)).text()).includes('2503.04242');
    assert.equal(await found('zygomorphic'), false);
    await store.ingest({ papers: [record('2503.04242', { title: 'Zygomorphic ferromagnets at low temperature' })] });
    const t0 = Date.now();
    await until('the new paper in search', () => found('zygomorphic'), 10_000);
    assert.ok(await found('"zygomorphic ferromagnets"'), 'phrases reach the database\'s full-text index');
    process.stdout.write(`# a paper written by another process was searchable after ${Date.now() - t0} ms\n`);
  } finally {
    web.child.kill('SIGTERM');
    await web.exited;
    await store.close();
  }
});

test('a vote in one web process refreshes the pages another web process shares between visitors', { skip, timeout: 120_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const [portA, portB] = [await freePort(), await freePort()];
  const store = openPostgresStore(url);
  await store.migrate();
  await store.ingest({ papers: [record('2503.04243', { title: 'Upvoted in one process' })] });
  const webs = [serve(url, ['--role', 'web', '--port', String(portA)]), serve(url, ['--role', 'web', '--port', String(portB)])];
  try {
    await until('both web processes', () => webs.every((w) => w.log.includes('Paperboy is serving')));
    // An anonymous visitor's page on B: shared, kept 10 s unless something drops it.
    const countOnB = async () => Number(/<span class="count">(\d+)<\/span>/.exec(await (await fetch(`http://127.0.0.1:${portB}/papers/2503.04243`)).text())?.[1]);
    assert.equal(await countOnB(), 0);
    assert.equal(await countOnB(), 0);
    const voted = await fetch(`http://127.0.0.1:${portA}/papers/2503.04243/upvote`, { method: 'POST', headers: { 'Sec-Fetch-Site': 'same-origin' }, redirect: 'manual' });
    assert.equal(voted.status, 303);
    const t0 = Date.now();
    await until('the vote on the other process\'s shared page', async () => (await countOnB()) === 1, 4000);
    process.stdout.write(`# a vote in one web process showed on another's shared page after ${Date.now() - t0} ms\n`);
  } finally {
    for (const w of webs) w.child.kill('SIGTERM');
    await Promise.all(webs.map((w) => w.exited));
    await store.close();
  }
});

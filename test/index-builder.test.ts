// A server builds its search indexes away from the event loop that answers requests: queries
// asked meanwhile are told to come back (503 'starting', Retry-After) instead of hanging,
// the built files are loaded once saved, and with several processes on one machine only
// one of them builds.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { isPaperboyError } from '../src/errors.js';
import { emptyRecord } from '../src/papers/paper.js';
import { createLexicalSearcher } from '../src/search/lexical/searcher.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';
import { createServer } from 'node:net';

const TOPICS = ['graph', 'protein', 'galaxy', 'language', 'robot', 'quantum', 'market', 'vision'];

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

async function seeded(dir: string, n: number) {
  const db = path.join(dir, 'site.db');
  const store = openSqliteStore(db);
  await store.migrate();
  const papers = Array.from({ length: n }, (_, i) => {
    const topic = TOPICS[i % TOPICS.length]!;
    const id = `2503.${String(10000 + i)}`;
    return { ...emptyRecord(id, `${topic} study number ${i}`, `We study ${topic} problems with method ${i % 13} and data ${i % 7}.`), categories: ['cs.LG'], announcedAt: '2025-03-18' };
  });
  await store.ingest({ papers });
  return { db, store };
}

test('while the index is built elsewhere a query is refused with a time to come back; then the saved index is loaded', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-build-'));
  const { db, store } = await seeded(dir, 40);
  const file = `${db}.search-index`;
  let release!: () => void;
  const gate = new Promise<void>((r) => { release = r; });
  let builds = 0;
  const builder = async () => {
    builds++;
    await gate;
    // What the thread does: build with a searcher of its own and save the file.
    const elsewhere = createLexicalSearcher(store, { file });
    await elsewhere.index();
    await elsewhere.saved();
  };
  const searcher = createLexicalSearcher(store, { file, builder, patienceMs: 50 });
  await assert.rejects(searcher.index(), (e: unknown) => isPaperboyError(e) && e.code === 'starting' && e.details?.retryAfterSeconds === 30);
  assert.equal(searcher.isReady(), false);
  release();
  const index = await searcher.index(true);
  assert.equal(index.size, 40);
  assert.equal(searcher.isReady(), true);
  assert.equal(builds, 1, 'concurrent queries share one build');
  assert.ok(existsSync(file));
  await store.close();
});

test('a builder that fails leaves search working: the index is built in place', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-build-'));
  const { db, store } = await seeded(dir, 12);
  const warnings: string[] = [];
  const logger = { debug() {}, info() {}, error() {}, warn: (m: string) => { warnings.push(m); }, child() { return logger; } };
  const searcher = createLexicalSearcher(store, { file: `${db}.search-index`, logger, builder: () => Promise.reject(new Error('no threads here')) });
  assert.equal((await searcher.index(true)).size, 12);
  assert.ok(warnings.some((w) => /could not be built in the background; building it here/.test(w)), warnings.join('\n'));
  await store.close();
});

test('serve --workers 2 builds the indexes once, in a child process, and then searches with them', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-build-'));
  const { db, store } = await seeded(dir, 400);
  await store.close();
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--db', db, '--log-format', 'json',
    'serve', '--port', String(port), '--workers', '2', '--no-signals', '--no-digest', '--no-harvest'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = () => log.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const base = `http://127.0.0.1:${port}`;
  try {
    let health: { search?: { words: string; vectors: string } } = {};
    for (let i = 0; i < 2500; i++) {
      const workersReady = lines().filter((l) => l.msg === 'vector index loaded').length;
      if (workersReady >= 2) break;
      await sleep(100);
    }
    health = await (await fetch(`${base}/healthz`)).json() as typeof health;
    assert.deepEqual(health.search, { words: 'ready', vectors: 'ready' }, log);
    const built = lines().filter((l) => l.msg === 'search index part built').map((l) => l.part);
    assert.deepEqual(built.sort(), ['vectors', 'words'], `each part built once across both processes:\n${log}`);
    const page = await fetch(`${base}/papers?q=galaxy+study`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /galaxy study number/);
    const files = readdirSync(dir);
    for (const f of ['site.db.search-index', 'site.db.search-model', 'site.db.search-vectors']) assert.ok(files.includes(f), `${f} saved: ${files.join(', ')}`);
    assert.deepEqual(files.filter((f) => /partial|building|tmp/.test(f)), [], 'no half-written file or lock is left');
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

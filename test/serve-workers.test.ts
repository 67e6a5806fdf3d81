// `serve --workers 2` as an operator runs it: one port, two processes, the schedules in
// exactly one of them, a worker that dies is replaced, and SIGTERM stops them all.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { emptyRecord } from '../src/papers/paper.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(path.join(tmpdir(), 'paperboy-workers-'));
const db = path.join(dir, 'site.db');
const seed = openSqliteStore(db);
await seed.migrate();
await seed.ingest({ papers: [{ ...emptyRecord('2503.11731', 'Spin glasses on graphs', 'Replica methods.'), categories: ['cs.LG'], announcedAt: '2025-03-18' }] });
await seed.close();

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('two workers share the port; only the main one runs the schedules; a dead worker is replaced; SIGTERM stops all', { timeout: 180_000 }, async () => {
  const port = await freePort();
  // The harvest points at a closed local port: it is scheduled (and fails quietly), which is what we look for.
  const closed = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dir, '--db', db, '--log-format', 'json',
    'serve', '--port', String(port), '--workers', '2', '--no-signals', '--no-digest'], {
    env: { ...process.env, PAPERBOY_OAI_URL: `http://127.0.0.1:${closed}/oai`, PAPERBOY_REQUEST_INTERVAL_MS: '0' }, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const serving = () => log.split('\n').filter((l) => l.includes('"Paperboy is serving"')).map((l) => JSON.parse(l) as { worker: string; pid: number; harvest: string });
  try {
    for (let i = 0; i < 900 && serving().length < 2; i++) await sleep(100);
    const workers = serving();
    assert.equal(workers.length, 2, log);
    assert.deepEqual(workers.map((w) => w.worker).sort(), ['http', 'main']);
    assert.deepEqual(workers.map((w) => w.harvest.startsWith('daily at')).sort(), [false, true], 'exactly one worker harvests');

    for (let i = 0; i < 6; i++) assert.equal((await fetch(`http://127.0.0.1:${port}/papers/2503.11731`)).status, 200);

    const http = workers.find((w) => w.worker === 'http')!;
    process.kill(http.pid, 'SIGKILL');
    for (let i = 0; i < 900 && serving().length < 3; i++) await sleep(100);
    const replaced = serving()[2];
    assert.ok(replaced && replaced.worker === 'http' && replaced.pid !== http.pid, 'the dead worker was replaced, with its role');
    assert.equal((await fetch(`http://127.0.0.1:${port}/`)).status, 200);

    child.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const w of serving()) assert.equal(alive(w.pid), false, `worker ${w.pid} stopped`);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

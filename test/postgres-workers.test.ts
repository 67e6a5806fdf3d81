// Several worker processes on one PostgreSQL database: three `paperboy digest run` at
// once deliver a day's digests to a real SMTP server on loopback, each subscriber's
// exactly once, even when one worker is SIGKILLed mid-run (what it had in flight is sent
// again by the next run, flagged as possibly a second copy). Real processes, a real
// PostgreSQL server, real SMTP. WORKER_SUBSCRIBERS=10000 runs the full size.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { copyDatabase, openSide } from '../src/store/copy/copy.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { byRecipient, knob, repoRoot, subscriberDb } from './faults/support.js';
import { startSmtp } from './support/smtp.js';
import { testPostgres, type TestPostgres } from './support/postgres.js';

const SUBSCRIBERS = knob('WORKER_SUBSCRIBERS', 240);
const server = await testPostgres();
after(async () => { if (!('skip' in server)) await server.stop(); });

function worker(url: string, env: Record<string, string>) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'paperboy-worker-'));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', dataDir, '--db', url, 'digest', 'run'], {
    cwd: repoRoot,
    env: { ...process.env, LOG_LEVEL: 'warn', PAPERBOY_BASE_URL: 'https://papers.example.org', PAPERBOY_MAIL_FROM: 'Paperboy <digest@papers.example.org>', ...env },
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  return { child, exited: new Promise<{ code: number | null; signal: string | null; err: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, err }))) };
}

test(`three workers deliver ${SUBSCRIBERS} digests exactly once, one of them SIGKILLed mid-run`, { skip: 'skip' in server ? server.skip : false, timeout: 600_000 }, async () => {
  const url = await (server as TestPostgres).freshDatabase();
  const from = await openSide(await subscriberDb(SUBSCRIBERS));
  const to = await openSide(url);
  await copyDatabase(from, to);
  await from.close();
  await to.close();
  // Every subscriber's digest for the day, planned and ready: the workers only deliver.
  const store = openPostgresStore(url);
  const subs = await store.listSubscribers({ status: 'active', limit: SUBSCRIBERS + 1 });
  assert.equal(subs.length, SUBSCRIBERS);
  const papers = (await store.listPapers({ limit: 3 })).map((p) => p.id);
  const at = new Date(Date.now() - 60_000).toISOString();
  await store.planDigests(subs.map((s) => ({
    subscriberId: s.id, digestDate: '2026-06-30', status: 'pending' as const, editionId: null, paperIds: papers,
    messageId: `<digest.2026-06-30.${s.id}@papers.example.org>`, nextDueAt: '2099-01-01T00:00:00.000Z',
  })), at);

  const smtp = await startSmtp();
  try {
    smtp.delayMs = 2;
    const env = { PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: '3', PAPERBOY_MAIL_RATE: '0' };
    const runs = [worker(url, env), worker(url, env), worker(url, env)];
    // Killed once it has had time to take some digests of its own.
    while (smtp.received.length < SUBSCRIBERS / 4) await new Promise((r) => setTimeout(r, 20));
    runs[0]!.child.kill('SIGKILL');
    const results = await Promise.all(runs.map((r) => r.exited));
    assert.equal(results[0]!.signal, 'SIGKILL');
    for (const r of results.slice(1)) assert.equal(r.code, 0, r.err);
    // The next run finds what the killed worker left `sending` and sends it again, flagged.
    const next = await worker(url, env).exited;
    assert.equal(next.code, 0, next.err);

    const got = await byRecipient(smtp.received);
    const missing = subs.filter((s) => !got.has(s.email)).map((s) => s.email);
    assert.deepEqual(missing, [], 'every subscriber got the day\'s digest');
    const flagged = new Set<string>();
    for (const s of subs) {
      const row = await store.getDigest(s.id, '2026-06-30');
      assert.equal(row?.status, 'sent', s.email);
      if (row!.recovered) flagged.add(s.email);
    }
    const twice = [...got].filter(([, g]) => g.count > 1).map(([email]) => email);
    assert.deepEqual(twice.filter((e) => !flagged.has(e)), [], 'a second copy only of what the killed worker had in flight, flagged');
    assert.ok(flagged.size <= 3 * 2, `at most what one worker has in flight (${flagged.size})`);
    process.stdout.write(`# ${SUBSCRIBERS} digests, 3 workers, one killed: ${smtp.received.length} messages, ${twice.length} second copies (flagged)\n`);
  } finally {
    smtp.close();
    await store.close();
  }
});

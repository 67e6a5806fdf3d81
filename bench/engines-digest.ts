// Digest throughput on PostgreSQL with 1, 2 and 4 worker processes (`paperboy digest
// run` each) delivering one day's digests to a local SMTP server, every digest planned
// beforehand so the workers only deliver. SUBSCRIBERS=N (default 3000).

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { copyDatabase, openSide } from '../src/store/copy/copy.js';
import { openPostgresStore } from '../src/store/postgres/postgres-store.js';
import { repoRoot, subscriberDb } from '../test/faults/support.js';
import { startSmtp } from '../test/support/smtp.js';
import type { TestPostgres } from '../test/support/postgres.js';

function worker(url: string, env: Record<string, string>): Promise<number | null> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', mkdtempSync(path.join(tmpdir(), 'paperboy-bw-')), '--db', url, 'digest', 'run'],
    { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'warn', PAPERBOY_BASE_URL: 'https://papers.example.org', ...env }, stdio: 'ignore' });
  return new Promise((resolve) => child.on('close', resolve));
}

export async function digestThroughput(server: TestPostgres, counts = [1, 2, 4]): Promise<string[]> {
  const n = Number(process.env.SUBSCRIBERS ?? 3000);
  const template = await subscriberDb(n);
  const lines: string[] = [];
  for (const workers of counts) {
    const url = await server.freshDatabase();
    const from = await openSide(template);
    const to = await openSide(url);
    await copyDatabase(from, to);
    await from.close();
    await to.close();
    const store = openPostgresStore(url);
    const subs = await store.listSubscribers({ limit: n + 1 });
    const papers = (await store.listPapers({ limit: 5 })).map((p) => p.id);
    await store.planDigests(subs.map((s) => ({ subscriberId: s.id, digestDate: '2026-06-30', status: 'pending' as const, editionId: null, paperIds: papers,
      messageId: `<d.${s.id}@papers.example.org>`, nextDueAt: '2099-01-01T00:00:00.000Z' })), new Date(Date.now() - 60_000).toISOString());
    await store.close();
    const smtp = await startSmtp();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: workers }, () => worker(url, { PAPERBOY_SMTP_URL: smtp.url, PAPERBOY_MAIL_CONCURRENCY: '4', PAPERBOY_MAIL_RATE: '0' })));
    const s = (performance.now() - t0) / 1000;
    lines.push(`postgres digest, ${workers} worker${workers > 1 ? 's' : ''}: ${smtp.received.length} of ${n} digests in ${s.toFixed(1)} s = ${Math.round(smtp.received.length / s)} digests/s (process start included)`);
    smtp.close();
  }
  return lines;
}

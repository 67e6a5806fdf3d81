// `paperboy import` while `paperboy serve` takes subscriptions, on one database: two
// real processes writing at once. Every subscription must be answered (200, never a 500
// "database is locked") and kept, and the import must finish with every paper.

import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { paperIds } from '../support/paper-ids.js';
import { cli, copyDb, knob, subscriberDb } from './support.js';

const PAPERS = knob('FAULT_PAPERS', 4_000);
/** Subscriptions in flight at once (FAULT_SUBSCRIBE_LANES=16: heavier traffic). */
const LANES = knob('FAULT_SUBSCRIBE_LANES', 4);

function paperLines(n: number): string {
  const words = ['graph', 'neural', 'spin', 'glass', 'diffusion', 'model', 'retrieval', 'sparse', 'router', 'benchmark', 'equivariance', 'symmetry'];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const text = Array.from({ length: 80 }, (_, k) => words[(i * 7 + k * 3) % words.length]).join(' ');
    lines.push(JSON.stringify({
      id: `2601.${String(10000 + i).padStart(5, '0')}`, title: `Paper ${i} on ${words[i % words.length]}`, abstract: text,
      authors: [`Author ${i}`, 'Ada Lovelace'], categories: ['cs.LG'], published: '2026-01-15',
    }));
  }
  return lines.join('\n') + '\n';
}

test('an import and a stream of subscriptions at once: all answered, all kept', { timeout: 90_000 }, async () => {
  const db = copyDb(await subscriberDb(0));
  const dir = path.dirname(db);
  const file = path.join(dir, 'papers.jsonl');
  writeFileSync(file, paperLines(PAPERS));
  const config = path.join(dir, 'config.json');
  writeFileSync(config, JSON.stringify({
    server: { rateLimit: { perMinute: 0, postsPerMinute: 0 } },
    digest: { subscribesPerHourPerIp: 1_000_000 },
  }));

  const server = cli(db, ['--config', config, 'serve', '--port', '0', '--no-harvest', '--no-digest', '--no-signals'], { LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
  let log = '';
  server.child.stderr!.on('data', (d) => (log += d));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setInterval(() => {
      const m = /"url":"(http:\/\/[^"]+?)\/?"/.exec(log);
      if (m) {
        clearInterval(timer);
        resolve(m[1]!);
      }
    }, 50);
    void server.exited.then((r) => reject(new Error(`serve exited: ${r.code} ${r.err}`)));
  });

  try {
    const statuses = new Map<number, number>();
    const accepted: string[] = [];
    let n = 0;
    const importing = cli(db, ['--config', config, 'import', file]);
    let done = false;
    void importing.exited.then(() => (done = true));
    const lane = async () => {
      while (!done) {
        const email = `sub${n++}@example.org`;
        const res = await fetch(`${base}/subscribe`, {
          method: 'POST', body: new URLSearchParams({ email, hour: '7', tz: 'UTC' }),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
        });
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 200) accepted.push(email);
      }
    };
    await Promise.all(Array.from({ length: LANES }, lane));
    const imported = await importing.exited;
    process.stdout.write(`# import of ${PAPERS} papers during ${n} subscriptions (${LANES} at once): import exit ${imported.code}, answers ${JSON.stringify(Object.fromEntries(statuses))}\n`);
    assert.equal(imported.code, 0, imported.err);
    assert.deepEqual([...statuses.keys()], [200], `every subscription answered: ${JSON.stringify(Object.fromEntries(statuses))}`);
    assert.ok(n >= 20, `only ${n} subscriptions during the import`);

    const store = openSqliteStore(db);
    // A request is decided just after its answer (subscriptions/service.ts), and waits while
    // the import holds the database: the last few may still be on their way.
    const keptNow = async () => (await Promise.all(accepted.map((e) => store.findSubscriber(e)))).filter(Boolean).length;
    let kept = await keptNow();
    for (let i = 0; i < 300 && kept < accepted.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      kept = await keptNow();
    }
    const papers = (await paperIds(store)).filter((id) => id.startsWith('2601.')).length;
    await store.close();
    assert.equal(kept, accepted.length, 'every accepted subscription is stored');
    assert.equal(papers, PAPERS, 'every paper imported');
  } finally {
    server.child.kill('SIGTERM');
    await server.exited;
  }
});

// HTTP throughput of first-time searches on PostgreSQL with 1 and 2 `serve --role web`
// processes on one database: every request a search no process has answered before (no
// shared page can answer it), sent by CONNECTIONS concurrent clients spread over the
// processes. Each process builds its search index from the database before it is timed.

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../test/faults/support.js';
import { latencyStats } from './search-queries.js';

const freePort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const { port } = s.address() as { port: number };
    s.close(() => resolve(port));
  });
});

async function web(url: string) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', '--data-dir', mkdtempSync(path.join(tmpdir(), 'paperboy-bench-web-')), '--db', url,
    'serve', '--role', 'web', '--port', String(port)], { cwd: repoRoot, env: { ...process.env, LOG_LEVEL: 'info', PAPERBOY_SEMANTIC: 'false' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for (const end = Date.now() + 600_000; !log.includes('search index built') && !log.includes('search index loaded'); await sleep(200)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`web process did not get ready:\n${log.slice(-2000)}`);
  }
  return { base: `http://127.0.0.1:${port}`, stop: async () => { child.kill('SIGTERM'); await exited; } };
}

/** Lines of results, one per number of web processes. */
export async function httpThroughput(url: string, queries: string[], processes = [1, 2], connections = 8): Promise<string[]> {
  const lines: string[] = [];
  for (const [run, n] of processes.entries()) {
    const webs = await Promise.all(Array.from({ length: n }, () => web(url)));
    try {
      // The same searches in every run, each URL new to the processes (the run's own `p=0`).
      const urls = queries.map((q, i) => `${webs[i % n]!.base}/api/papers/search?q=${encodeURIComponent(q)}${'&p=0'.repeat(run)}`);
      for (const w of webs) await fetch(`${w.base}/api/papers/search?q=warm+up`);
      const ms: number[] = [];
      let next = 0;
      let failed = 0;
      const t0 = performance.now();
      await Promise.all(Array.from({ length: connections }, async () => {
        while (next < urls.length) {
          const u = urls[next++]!;
          const t = performance.now();
          const res = await fetch(u);
          await res.arrayBuffer();
          if (res.status !== 200) failed++;
          ms.push(performance.now() - t);
        }
      }));
      const s = (performance.now() - t0) / 1000;
      const st = latencyStats(ms);
      lines.push(`postgres http, ${n} web process${n > 1 ? 'es' : ''}: ${urls.length} first-time searches (${connections} connections) in ${s.toFixed(1)} s = `
        + `${(urls.length / s).toFixed(0)} searches/s, p50 ${st.p50.toFixed(1)} ms, p99 ${st.p99.toFixed(1)} ms${failed ? `, ${failed} not 200` : ''}`);
    } finally {
      await Promise.all(webs.map((w) => w.stop()));
    }
  }
  return lines;
}

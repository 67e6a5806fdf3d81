// For the HTTP benchmark: the 74,728-paper database (imported once, then reused from
// .tmp/bench-http/) and `paperboy serve` started on it as a child process, so the server
// and the load generator never share an event loop. The server writes its logs (access
// logs included, as in production) to a file, which is also how we learn it is ready.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { importFiles } from '../src/ingest/import-files.js';
import { openSqliteStore } from '../src/store/sqlite/sqlite-store.js';

const say = (msg: string) => process.stderr.write(`${msg}\n`);

/** The cached database for `data`, importing it first if it is not there yet. */
export async function corpusDb(repoRoot: string, data: string): Promise<string> {
  const dir = path.join(repoRoot, '.tmp', 'bench-http');
  const db = path.join(dir, `${path.basename(data).replace(/\.jsonl\.gz$/, '')}.db`);
  if (existsSync(db)) return db;
  mkdirSync(dir, { recursive: true });
  say(`importing ${path.basename(data)} into ${path.relative(repoRoot, db)} (once)…`);
  // Written under another name and renamed, so an interrupted import is never reused.
  const partial = `${db}.partial`;
  rmSync(partial, { force: true });
  const store = openSqliteStore(partial);
  await store.migrate();
  const s = await importFiles(store, [data], { batchSize: 2000 });
  await store.close();
  renameSync(partial, db);
  say(`  ${s.read.toLocaleString('en-US')} papers in ${(s.elapsedMs / 1000).toFixed(1)} s`);
  return db;
}

export interface RunningServer { url: string; child: ChildProcess; log: string; stop(): Promise<void> }

/** With `profileDir`, the server writes a V8 CPU profile there when it stops. */
export async function startServer(repoRoot: string, db: string, logFile: string, profileDir?: string, workers = 1): Promise<RunningServer> {
  const port = await freePort();
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), '--import', 'tsx', path.join(repoRoot, 'src/cli/main.ts'), '--db', db, '--log-format', 'json', 'serve', '--port', String(port), '--no-harvest', '--no-signals', '--no-digest', '--workers', String(workers)];
  const child = spawn(process.execPath, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', openSync(logFile, 'w')],
    // One client address makes all the load, so the per-client limits are off for the run.
    env: { ...process.env, PAPERBOY_RATE_LIMIT: '0', PAPERBOY_POST_RATE_LIMIT: '0' },
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = Date.now();
  // Ready once every worker answers with its search indexes (words and vectors) in place:
  // measuring before would time the build. Workers take connections in turn, so several
  // answers in a row must say so.
  let inARow = 0;
  while (inARow < workers * 3) {
    if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}); see ${logFile}`);
    if (Date.now() - started > 3_600_000) throw new Error(`the server was not ready after an hour; see ${logFile}`);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`).then((r) => r.json() as Promise<{ search?: { words: string; vectors: string } }>, () => null);
    inARow = health?.search?.words === 'ready' && health.search.vectors !== 'building' ? inARow + 1 : 0;
    await sleep(inARow ? 50 : 500);
  }
  say(`server ready in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${child.pid}, log ${path.relative(repoRoot, logFile)})`);
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    log: logFile,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

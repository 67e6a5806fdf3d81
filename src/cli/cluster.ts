// `serve --workers N`: several processes answering on one port, so a busy site uses every
// core (one Node thread renders ~300 first-time search pages a second). Node's cluster
// module does the sharing: this primary process accepts connections and hands them to
// the workers in turn. The first worker ("main") also runs the schedules — arXiv harvest,
// trending signals, digest — so they run once; the others only serve. The primary holds
// no data: it restarts a worker that dies (with the same role) and passes SIGINT/SIGTERM
// on, exiting once every worker has.
//
// Each worker has its own search index (loaded from the saved file, or built if there is
// none yet), page cache and rate-limit counters; limits are divided among workers, and a
// vote refreshes shared pages at once only in the worker that took it (elsewhere within
// the cache's 10 s).

import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from '../logger.js';

export type WorkerRole = 'main' | 'http';

/** Worker count from the configuration: 0 means one per core. */
export function workerCount(configured: number): number {
  return configured === 0 ? availableParallelism() : configured;
}

/** Runs the primary: forks `count` workers of this same command and keeps them running. */
export function runPrimary(count: number, logger: Logger): Promise<number> {
  const args = process.argv.slice(2);
  const roles = new Map<Worker, WorkerRole>();
  const crashes: number[] = [];
  let stopping = false;

  const fork = (role: WorkerRole) => {
    cluster.setupPrimary({ args: [...args, '--worker-role', role, '--worker-count', String(count)] });
    roles.set(cluster.fork(), role);
  };

  return new Promise((resolve) => {
    cluster.on('exit', (worker, code, signal) => {
      const role = roles.get(worker) ?? 'http';
      roles.delete(worker);
      if (stopping) {
        if (roles.size === 0) resolve(0);
        return;
      }
      const now = Date.now();
      crashes.push(now);
      while (crashes.length && now - crashes[0]! > 60_000) crashes.shift();
      logger.error('a worker stopped unexpectedly', { pid: worker.process.pid, role, code, signal });
      if (crashes.length > 5) {
        logger.error('workers keep stopping; giving up (see the errors above)', { crashesInLastMinute: crashes.length });
        stopping = true;
        for (const w of roles.keys()) w.process.kill('SIGTERM');
        if (roles.size === 0) resolve(1);
        return;
      }
      setTimeout(() => fork(role), 1000).unref();
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down the workers', { signal });
      for (const w of roles.keys()) w.process.kill('SIGTERM');
      if (roles.size === 0) resolve(0);
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    logger.info('starting workers', { workers: count });
    fork('main');
    for (let i = 1; i < count; i++) fork('http');
  });
}

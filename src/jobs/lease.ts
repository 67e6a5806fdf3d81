// Scheduled work that must run in one process at a time when several share a database
// (two `serve` processes must not both harvest the same pages). The run takes a lease
// from the store first and renews it while it works; a process that dies holding it
// only delays the others until it runs out.

import type { Logger } from '../logger.js';
import type { LeaseStore } from '../store/lease-store.js';
import { PROCESS_OWNER } from '../digest/owner.js';

export interface ExclusiveOptions {
  /** How long a lease lasts without renewal: how long a dead holder keeps the others waiting. */
  ttlMs?: number;
  owner?: string;
  logger?: Logger;
  now?: () => Date;
}

/**
 * Runs `run` holding the lease `name`, or not at all (returning null) when another
 * process holds it: that process is doing the work.
 */
export async function exclusively<T>(store: LeaseStore, name: string, run: () => Promise<T>, o: ExclusiveOptions = {}): Promise<T | null> {
  const ttl = o.ttlMs ?? 120_000;
  const owner = o.owner ?? PROCESS_OWNER;
  const now = o.now ?? (() => new Date());
  const take = () => store.acquireLease(name, owner, new Date(now().getTime() + ttl).toISOString(), now().toISOString());
  if (!(await take())) {
    o.logger?.debug(`${name}: another process is doing it`);
    return null;
  }
  // Renewed well before it runs out; a failed renewal is tried again at the next tick.
  const renew = setInterval(() => { take().catch(() => {}); }, Math.max(1000, ttl / 3));
  renew.unref();
  try {
    return await run();
  } finally {
    clearInterval(renew);
    await store.releaseLease(name, owner).catch(() => {});
  }
}

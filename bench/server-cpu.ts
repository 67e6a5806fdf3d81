// CPU time of a local PostgreSQL server, read from /proc: the postmaster's own and its
// reaped children's (backends that exited), plus every live child's (the backends doing
// the work). On a shared machine this says what an import or a search cost the server,
// which the wall clock cannot. Null when the server is not on this machine (or /proc is
// not there): the caller then reports the client's CPU only.

import { readFileSync, readdirSync } from 'node:fs';
import type pg from 'pg';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime+stime (and, with `children`, cutime+cstime) of a process, in seconds. */
function processCpu(pid: number, children: boolean): number {
  // Fields after the command name (which may hold spaces) start at the third field.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  const own = f[11]! + f[12]!;
  return (children ? own + f[13]! + f[14]! : own) / TICKS_PER_SECOND;
}

/** The postmaster's children; with `database`, only the backends connected to it (not autovacuum, the checkpointer…). */
function childrenOf(parent: number, database?: string): number[] {
  return readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number).filter((pid) => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== parent) return false;
      return !database || readFileSync(`/proc/${pid}/cmdline`, 'utf8').split(' ').includes(database);
    } catch {
      return false; // exited meanwhile
    }
  });
}

/**
 * A function that returns the server's CPU seconds so far, or null when they cannot be
 * read here. With `backendsOf`, only the live backends connected to that database count
 * (what queries cost, without autovacuum's work after an import).
 */
export async function serverCpuReader(client: pg.Pool | pg.Client, backendsOf?: string): Promise<(() => number) | null> {
  try {
    const dir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]!.data_directory;
    const postmaster = Number(readFileSync(`${dir}/postmaster.pid`, 'utf8').split('\n')[0]);
    processCpu(postmaster, true);
    // The backends, looked for at most once a second: scanning /proc costs more than a query.
    let backends: number[] = [];
    let scannedAt = -Infinity;
    return () => {
      if (performance.now() - scannedAt > 1000) [backends, scannedAt] = [childrenOf(postmaster, backendsOf), performance.now()];
      return (backendsOf ? 0 : processCpu(postmaster, true)) + backends.reduce((s, pid) => {
        try {
          return s + processCpu(pid, false);
        } catch {
          return s; // exited: now counted in the postmaster's children's time
        }
      }, 0);
    };
  } catch {
    return null;
  }
}

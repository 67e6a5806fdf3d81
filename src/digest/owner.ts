// Who is sending a digest: host, process id and start time, written on the outbox row
// while it is in flight. After a crash the next run on the same host can tell at once
// that the sender is gone (no such process, or a different process under the same id);
// a sender on another host is trusted until its lease runs out.

import { hostname } from 'node:os';

const START = Date.now() - Math.round(process.uptime() * 1000);

export const PROCESS_OWNER = `${hostname()}:${process.pid}:${START}`;

export function ownerIsDead(owner: string): boolean {
  const parts = owner.split(':');
  const start = parts.pop();
  const pidText = parts.pop();
  const host = parts.join(':');
  if (host !== hostname()) return false;
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return `${start}` !== `${START}`;
  try {
    process.kill(pid, 0);
    return false; // alive (or a different process reusing the id: the lease will tell)
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

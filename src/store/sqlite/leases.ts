// Leases on SQLite: one upsert that only takes a free, expired or own lease.

import type Database from 'better-sqlite3';
import type { LeaseStore } from '../lease-store.js';

export function sqliteLeases(db: Database.Database): LeaseStore {
  return {
    async acquireLease(name, owner, until, now) {
      return db.prepare(`INSERT INTO job_leases (name, owner, until) VALUES (?, ?, ?)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
        WHERE job_leases.owner = excluded.owner OR job_leases.until <= ?`).run(name, owner, until, now).changes > 0;
    },
    async releaseLease(name, owner) {
      db.prepare('DELETE FROM job_leases WHERE name = ? AND owner = ?').run(name, owner);
    },
  };
}

// Leases on PostgreSQL: one upsert that only takes a free, expired or own lease (the row
// lock of ON CONFLICT DO UPDATE makes two takers of an expired lease take turns: one wins).

import type { LeaseStore } from '../lease-store.js';
import type { Db } from './db.js';

export function pgLeases(db: Db): LeaseStore {
  return {
    async acquireLease(name, owner, until, now) {
      const r = await db.query(`INSERT INTO job_leases (name, owner, until) VALUES ($1, $2, $3)
        ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
        WHERE job_leases.owner = excluded.owner OR job_leases.until <= $4`, [name, owner, until, now]);
      return (r.rowCount ?? 0) > 0;
    },
    async releaseLease(name, owner) {
      await db.query('DELETE FROM job_leases WHERE name = $1 AND owner = $2', [name, owner]);
    },
  };
}

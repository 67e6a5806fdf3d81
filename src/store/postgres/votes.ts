// Local upvotes and site secrets on PostgreSQL. A vote is idempotent by its key (paper,
// visitor); a secret is created once, whichever process asks first.

import { randomBytes } from 'node:crypto';
import type { VoteSummary } from '../store.js';
import { one, rows, type Db } from './db.js';

export function pgVotes(db: Db, now: () => Date) {
  /** Moves the count of vote changes after the vote committed (its own statement), so whoever sees it move sees the vote. */
  const counted = async (changed: boolean) => {
    if (changed) await db.query(`SELECT nextval('vote_changes')`);
    return changed;
  };
  return {
    async addVote(paperId: string, visitor: string): Promise<boolean> {
      const r = await db.query('INSERT INTO votes (paper_id, visitor, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [paperId, visitor, now().toISOString()]);
      return counted((r.rowCount ?? 0) > 0);
    },
    async removeVote(paperId: string, visitor: string): Promise<boolean> {
      return counted(((await db.query('DELETE FROM votes WHERE paper_id = $1 AND visitor = $2', [paperId, visitor])).rowCount ?? 0) > 0);
    },
    async voteChanges(): Promise<number> {
      return (await one<number>(db, 'SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM vote_changes'))!;
    },
    async voteSummaries(paperIds: string[], visitor: string | null): Promise<Map<string, VoteSummary>> {
      // Imported = the latest upvote count another site reported (e.g. Hugging Face).
      const r = await rows<{ id: string; local: number; imported: number | null; voted: boolean }>(db, `SELECT j.id,
          (SELECT count(*) FROM votes v WHERE v.paper_id = j.id) AS local,
          (SELECT s.value FROM signals s WHERE s.paper_id = j.id AND s.kind = 'upvotes' AND s.source <> 'local'
            ORDER BY s.observed_at DESC LIMIT 1) AS imported,
          EXISTS (SELECT 1 FROM votes v WHERE v.paper_id = j.id AND v.visitor = $2) AS voted
        FROM (SELECT DISTINCT unnest($1::text[]) AS id) j`, [paperIds, visitor ?? '']);
      return new Map(r.map((x) => [x.id, { local: x.local, imported: x.imported ?? 0, voted: x.voted }]));
    },
    async secret(name: string): Promise<string> {
      // Read first: a known secret needs no write (as on SQLite, where a read-only store has it).
      const known = await one<string>(db, 'SELECT value FROM site_secrets WHERE name = $1', [name]);
      if (known !== null) return known;
      await db.query('INSERT INTO site_secrets (name, value, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [name, randomBytes(32).toString('base64url'), now().toISOString()]);
      return (await one<string>(db, 'SELECT value FROM site_secrets WHERE name = $1', [name]))!;
    },
  };
}

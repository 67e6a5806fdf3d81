// Local upvotes and site secrets on SQLite. Votes are idempotent: the primary key
// (paper, visitor) makes a second vote a no-op, and undoing a missing vote is one too.

import { randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';
import type { VoteSummary } from '../store.js';

export function sqliteVotes(db: Database.Database, now: () => Date) {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));
  /** A vote and the count of vote changes, in one transaction. */
  const counted = (vote: () => boolean) => db.transaction(() => {
    const changed = vote();
    if (changed) queries().countChange.run();
    return changed;
  })();
  return {
    async addVote(paperId: string, visitor: string): Promise<boolean> {
      return counted(() => queries().add.run(paperId, visitor, now().toISOString()).changes > 0);
    },
    async removeVote(paperId: string, visitor: string): Promise<boolean> {
      return counted(() => queries().remove.run(paperId, visitor).changes > 0);
    },
    async voteChanges(): Promise<number> {
      return queries().changes.get() as number;
    },
    async voteSummaries(paperIds: string[], visitor: string | null): Promise<Map<string, VoteSummary>> {
      const rows = queries().summaries.all({ visitor: visitor ?? '', ids: JSON.stringify(paperIds) }) as SummaryRow[];
      return new Map(rows.map((r) => [r.id, { local: r.local, imported: r.imported ?? 0, voted: r.voted === 1 }]));
    },
    async secret(name: string): Promise<string> {
      // Read first: a known secret needs no write (nor a writable file: a read-only store has it).
      const known = queries().secret.get(name) as string | undefined;
      if (known !== undefined) return known;
      // Two processes may race to create it: INSERT OR IGNORE keeps the first, both read it.
      queries().addSecret.run(name, randomBytes(32).toString('base64url'), now().toISOString());
      return queries().secret.get(name) as string;
    },
  };
}

interface SummaryRow { id: string; local: number; imported: number | null; voted: number }

function prepare(db: Database.Database) {
  return {
    add: db.prepare('INSERT OR IGNORE INTO votes (paper_id, visitor, created_at) VALUES (?, ?, ?)'),
    remove: db.prepare('DELETE FROM votes WHERE paper_id = ? AND visitor = ?'),
    countChange: db.prepare('UPDATE vote_changes SET n = n + 1'),
    changes: db.prepare('SELECT n FROM vote_changes').pluck(),
    // Imported = the latest upvote count another site reported (e.g. Hugging Face).
    summaries: db.prepare(`SELECT DISTINCT j.value AS id,
        (SELECT count(*) FROM votes v WHERE v.paper_id = j.value) AS local,
        (SELECT s.value FROM signals s WHERE s.paper_id = j.value AND s.kind = 'upvotes' AND s.source <> 'local'
          ORDER BY s.observed_at DESC LIMIT 1) AS imported,
        EXISTS (SELECT 1 FROM votes v WHERE v.paper_id = j.value AND v.visitor = @visitor) AS voted
      FROM json_each(@ids) j`),
    addSecret: db.prepare('INSERT OR IGNORE INTO site_secrets (name, value, created_at) VALUES (?, ?, ?)'),
    secret: db.prepare('SELECT value FROM site_secrets WHERE name = ?').pluck(),
  };
}

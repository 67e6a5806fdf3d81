// Feedback, libraries, rules and used feedback links on PostgreSQL (migration 002); the
// papers that tell a followed author from namesakes (migration 005). A change locks its
// subscriber's row first, so two changes of one subscriber (two tabs, a double click on
// a link) apply one after the other, and a single-use link is used once whichever
// process sees it first.

import type { Feedback, LibraryItem, PersonalChange, PersonalProfile, Rule, SentDigest } from '../personal-store.js';
import { one, rows, tx, type Db } from './db.js';

export function pgPersonal(db: Db) {
  return {
    async changePersonal(subscriberId: number, c: PersonalChange, at: string): Promise<boolean> {
      return tx(db, async (q) => {
        if (!(await one(q, 'SELECT 1 FROM subscribers WHERE id = $1 FOR UPDATE', [subscriberId]))) return false;
        if (c.link !== undefined) {
          const used = await q.query('INSERT INTO personal_links_used (subscriber_id, link, used_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [subscriberId, c.link, at]);
          if (!used.rowCount) return false;
        }
        for (const f of c.feedback ?? []) {
          if (f.kind) {
            await q.query(`INSERT INTO personal_feedback (subscriber_id, paper_id, kind, created_at) VALUES ($1, $2, $3, $4)
              ON CONFLICT (subscriber_id, paper_id) DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at
              WHERE personal_feedback.kind <> excluded.kind`, [subscriberId, f.paperId, f.kind, at]);
          } else await q.query('DELETE FROM personal_feedback WHERE subscriber_id = $1 AND paper_id = $2', [subscriberId, f.paperId]);
        }
        for (const key of c.library?.remove ?? []) await q.query('DELETE FROM personal_library WHERE subscriber_id = $1 AND item_key = $2', [subscriberId, key]);
        for (const i of c.library?.add ?? []) {
          await q.query(`INSERT INTO personal_library (subscriber_id, item_key, paper_id, item, source, added_at) VALUES ($1, $2, $3, $4, $5, $6)
            ON CONFLICT (subscriber_id, item_key) DO UPDATE SET paper_id = excluded.paper_id, item = excluded.item, source = excluded.source`,
          [subscriberId, i.key, i.paperId, JSON.stringify(i.item), i.source, at]);
        }
        for (const r of c.rules?.remove ?? []) await q.query('DELETE FROM personal_rules WHERE subscriber_id = $1 AND kind = $2 AND value = $3', [subscriberId, r.kind, r.value]);
        for (const r of c.rules?.add ?? []) {
          await q.query('INSERT INTO personal_rules (subscriber_id, kind, value, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [subscriberId, r.kind, r.value, at]);
          if (r.kind !== 'follow-author') continue;
          for (const paper of r.papers ?? []) {
            await q.query('INSERT INTO personal_follow_papers (subscriber_id, author, paper_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [subscriberId, r.value, paper]);
          }
        }
        return true;
      });
    },

    async personalProfiles(subscriberIds: number[]): Promise<Map<number, PersonalProfile>> {
      const out = new Map<number, PersonalProfile>();
      if (!subscriberIds.length) return out;
      const of = (id: number) => {
        let p = out.get(id);
        if (!p) out.set(id, (p = { feedback: [], library: [], rules: [] }));
        return p;
      };
      const ids = [subscriberIds];
      // The same orders as the SQLite engine (COLLATE "C": byte order, as SQLite compares text).
      for (const r of await rows<{ subscriber_id: number; paper_id: string; kind: Feedback['kind']; created_at: string }>(db,
        'SELECT * FROM personal_feedback WHERE subscriber_id = ANY($1) ORDER BY subscriber_id, created_at COLLATE "C", paper_id COLLATE "C"', ids)) {
        of(r.subscriber_id).feedback.push({ paperId: r.paper_id, kind: r.kind, at: r.created_at });
      }
      for (const r of await rows<{ subscriber_id: number; item_key: string; paper_id: string | null; item: string; source: LibraryItem['source']; added_at: string }>(db,
        'SELECT * FROM personal_library WHERE subscriber_id = ANY($1) ORDER BY subscriber_id, added_at COLLATE "C" DESC, item_key COLLATE "C"', ids)) {
        of(r.subscriber_id).library.push({ key: r.item_key, paperId: r.paper_id, item: JSON.parse(r.item) as LibraryItem['item'], source: r.source, addedAt: r.added_at });
      }
      const people = new Map<string, string[]>();
      for (const r of await rows<{ subscriber_id: number; author: string; paper_id: string }>(db,
        'SELECT subscriber_id, author, paper_id FROM personal_follow_papers WHERE subscriber_id = ANY($1) ORDER BY subscriber_id, author COLLATE "C", paper_id COLLATE "C"', ids)) {
        const k = `${r.subscriber_id}\u0000${r.author}`;
        people.set(k, [...(people.get(k) ?? []), r.paper_id]);
      }
      for (const r of await rows<{ subscriber_id: number; kind: Rule['kind']; value: string; created_at: string }>(db,
        'SELECT * FROM personal_rules WHERE subscriber_id = ANY($1) ORDER BY subscriber_id, kind COLLATE "C", created_at COLLATE "C", value COLLATE "C"', ids)) {
        const papers = r.kind === 'follow-author' ? people.get(`${r.subscriber_id}\u0000${r.value}`) : undefined;
        of(r.subscriber_id).rules.push({ kind: r.kind, value: r.value, at: r.created_at, ...(papers ? { papers } : {}) });
      }
      return out;
    },

    async digestsOf(subscriberId: number): Promise<SentDigest[]> {
      return (await rows<{ digest_date: string; status: string; paper_ids: string; sent_at: string | null }>(db,
        'SELECT digest_date, status, paper_ids, sent_at FROM digest_outbox WHERE subscriber_id = $1 ORDER BY digest_date COLLATE "C" DESC', [subscriberId]))
        .map((r) => ({ date: r.digest_date, status: r.status, paperIds: JSON.parse(r.paper_ids) as string[], sentAt: r.sent_at }));
    },
  };
}

// Feedback, libraries, rules and used feedback links on SQLite (migration 009); the
// papers that tell a followed author from namesakes (migration 011).

import type Database from 'better-sqlite3';
import type { Feedback, LibraryItem, PersonalChange, PersonalProfile, Rule, SentDigest } from '../personal-store.js';

interface FeedbackRow { subscriber_id: number; paper_id: string; kind: Feedback['kind']; created_at: string }
interface LibraryRow { subscriber_id: number; item_key: string; paper_id: string | null; item: string; source: LibraryItem['source']; added_at: string }
interface RuleRow { subscriber_id: number; kind: Rule['kind']; value: string; created_at: string }

export function sqlitePersonal(db: Database.Database) {
  let q: ReturnType<typeof prepare> | null = null;
  // Prepared lazily: the tables exist only once migrate() has run.
  const queries = () => (q ??= prepare(db));

  const change = db.transaction((id: number, c: PersonalChange, at: string): boolean => {
    const qs = queries();
    if (!qs.subscriberExists.get(id)) return false;
    if (c.link !== undefined && qs.useLink.run(id, c.link, at).changes === 0) return false;
    for (const f of c.feedback ?? []) {
      if (f.kind) qs.setFeedback.run(id, f.paperId, f.kind, at);
      else qs.removeFeedback.run(id, f.paperId);
    }
    for (const key of c.library?.remove ?? []) qs.removeItem.run(id, key);
    for (const i of c.library?.add ?? []) qs.addItem.run(id, i.key, i.paperId, JSON.stringify(i.item), i.source, at);
    for (const r of c.rules?.remove ?? []) qs.removeRule.run(id, r.kind, r.value);
    for (const r of c.rules?.add ?? []) {
      qs.addRule.run(id, r.kind, r.value, at);
      if (r.kind === 'follow-author') for (const paper of r.papers ?? []) qs.addFollowPaper.run(id, r.value, paper);
    }
    return true;
  });

  return {
    async changePersonal(subscriberId: number, c: PersonalChange, at: string): Promise<boolean> {
      return change.immediate(subscriberId, c, at);
    },
    async personalProfiles(subscriberIds: number[]): Promise<Map<number, PersonalProfile>> {
      const out = new Map<number, PersonalProfile>();
      if (!subscriberIds.length) return out;
      const ids = JSON.stringify(subscriberIds);
      const of = (id: number) => {
        let p = out.get(id);
        if (!p) out.set(id, (p = { feedback: [], library: [], rules: [] }));
        return p;
      };
      for (const r of queries().feedbackOf.all(ids) as FeedbackRow[]) of(r.subscriber_id).feedback.push({ paperId: r.paper_id, kind: r.kind, at: r.created_at });
      for (const r of queries().libraryOf.all(ids) as LibraryRow[]) {
        of(r.subscriber_id).library.push({ key: r.item_key, paperId: r.paper_id, item: JSON.parse(r.item), source: r.source, addedAt: r.added_at });
      }
      const people = new Map<string, string[]>();
      for (const r of queries().followPapersOf.all(ids) as { subscriber_id: number; author: string; paper_id: string }[]) {
        const k = `${r.subscriber_id}\u0000${r.author}`;
        people.set(k, [...(people.get(k) ?? []), r.paper_id]);
      }
      for (const r of queries().rulesOf.all(ids) as RuleRow[]) {
        const papers = r.kind === 'follow-author' ? people.get(`${r.subscriber_id}\u0000${r.value}`) : undefined;
        of(r.subscriber_id).rules.push({ kind: r.kind, value: r.value, at: r.created_at, ...(papers ? { papers } : {}) });
      }
      return out;
    },
    async digestsOf(subscriberId: number): Promise<SentDigest[]> {
      return (queries().digestsOf.all(subscriberId) as { digest_date: string; status: string; paper_ids: string; sent_at: string | null }[])
        .map((r) => ({ date: r.digest_date, status: r.status, paperIds: JSON.parse(r.paper_ids) as string[], sentAt: r.sent_at }));
    },
  };
}

function prepare(db: Database.Database) {
  const inIds = 'subscriber_id IN (SELECT value FROM json_each(?))';
  return {
    subscriberExists: db.prepare('SELECT 1 FROM subscribers WHERE id = ?'),
    useLink: db.prepare('INSERT OR IGNORE INTO personal_links_used (subscriber_id, link, used_at) VALUES (?, ?, ?)'),
    setFeedback: db.prepare(`INSERT INTO personal_feedback (subscriber_id, paper_id, kind, created_at) VALUES (?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET kind = excluded.kind, created_at = excluded.created_at WHERE kind <> excluded.kind`),
    removeFeedback: db.prepare('DELETE FROM personal_feedback WHERE subscriber_id = ? AND paper_id = ?'),
    addItem: db.prepare(`INSERT INTO personal_library (subscriber_id, item_key, paper_id, item, source, added_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT DO UPDATE SET paper_id = excluded.paper_id, item = excluded.item, source = excluded.source`),
    removeItem: db.prepare('DELETE FROM personal_library WHERE subscriber_id = ? AND item_key = ?'),
    addRule: db.prepare('INSERT OR IGNORE INTO personal_rules (subscriber_id, kind, value, created_at) VALUES (?, ?, ?, ?)'),
    removeRule: db.prepare('DELETE FROM personal_rules WHERE subscriber_id = ? AND kind = ? AND value = ?'),
    addFollowPaper: db.prepare('INSERT OR IGNORE INTO personal_follow_papers (subscriber_id, author, paper_id) VALUES (?, ?, ?)'),
    followPapersOf: db.prepare(`SELECT subscriber_id, author, paper_id FROM personal_follow_papers WHERE ${inIds} ORDER BY subscriber_id, author, paper_id`),
    feedbackOf: db.prepare(`SELECT * FROM personal_feedback WHERE ${inIds} ORDER BY subscriber_id, created_at, paper_id`),
    libraryOf: db.prepare(`SELECT * FROM personal_library WHERE ${inIds} ORDER BY subscriber_id, added_at DESC, item_key`),
    rulesOf: db.prepare(`SELECT * FROM personal_rules WHERE ${inIds} ORDER BY subscriber_id, kind, created_at, value`),
    digestsOf: db.prepare('SELECT digest_date, status, paper_ids, sent_at FROM digest_outbox WHERE subscriber_id = ? ORDER BY digest_date DESC'),
  };
}
